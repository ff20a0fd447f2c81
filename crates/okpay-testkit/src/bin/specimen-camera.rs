//! A camera for the browser tests of the capture screen, made of specimen cards and the real
//! photo engine.
//!
//! `specimen-camera video <steady|moving|glare|cut> <out.y4m>` writes a Y4M video (4:2:0,
//! BT.601 limited range, 1280 x 960 at 15 frames a second) of a specimen card for Chromium's
//! `--use-file-for-fake-video-capture`: `steady` the same good frame repeated, `moving` the
//! card shifted by about 4 % of its size every frame, `glare` a reflection on the card,
//! `cut` the card partly out of the frame.
//!
//! `specimen-camera judge` answers the capture screen's commands as the app's shell does,
//! with the same engine: requests on stdin, one JSON line per request on stdout.
//! - `open <side>\n`: the capture screen opened (the steadiness count starts over);
//! - `frame <width> <height> <length>\n` and `length` bytes of RGBA: a frame judged with
//!   `okpay_photo::live` (a monotonic clock), answered as the shell's `FrameView`;
//! - `still <side> <length>\n` and `length` bytes of a photo file: the photo checked and
//!   prepared like `photo_capture` does, answered as its `LocalPhotoView`.
//!
//! Errors are answered as `{"error":"CODE"}`.

use okpay_core::contract::PhotoSide;
use okpay_core::flow::{APP_STRICTNESS, prepare_photo};
use okpay_core::photo::live::{Guidance, Steady, frame_analysis, look};
use okpay_core::{Error, ErrorCode};
use okpay_photo::specimen::{self, Fault, HEIGHT, Scene, Side, WIDTH};
use serde::Serialize;
use std::io::{BufRead, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

/// The video's frame size (4:3, like a phone camera) and rate.
const VIDEO_W: u32 = 1280;
const VIDEO_H: u32 = 960;
const FPS: u32 = 15;
/// The largest request body taken (a still of the fake camera is far smaller).
const MAX_BODY: usize = 64 << 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["video", kind, out] => video(kind, out),
        ["judge"] => judge(),
        _ => Err("usage: specimen-camera video <steady|moving|glare|cut> <out.y4m> | judge".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("specimen-camera: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `scene` moved into the video's frame: the scene's 1200 x 800 scaled to the frame's width,
/// centred vertically, then shifted by `shift` pixels.
fn in_frame(mut scene: Scene, shift: [f32; 2]) -> Scene {
    let k = VIDEO_W as f32 / WIDTH as f32;
    let top = (VIDEO_H as f32 - HEIGHT as f32 * k) / 2.0;
    let at = |[x, y]: [f32; 2]| [x * k + shift[0], y * k + top + shift[1]];
    scene.quad = scene.quad.map(at);
    scene.glare = scene.glare.map(|(c, r)| (at(c), r * k));
    scene.width = VIDEO_W;
    scene.height = VIDEO_H;
    scene
}

/// The frames of a video kind.
fn scenes(kind: &str) -> Result<Vec<Scene>, String> {
    let still = |side, fault| vec![in_frame(specimen::shot(side, fault, 1), [0.0, 0.0])];
    Ok(match kind {
        "steady" => still(Side::Portrait, Fault::None),
        "glare" => still(Side::Portrait, Fault::Glare),
        // The emblem side: the portrait side's cut-off corner is not found in a 4:3 frame yet.
        "cut" => still(Side::Emblem, Fault::CornerCut),
        "moving" => {
            // Back and forth along a diagonal, 30 px each way every frame: consecutive
            // outlines overlap by about 0.85, under the 0.95 a steady card needs.
            let steps = [0, 1, 2, 3, 2, 1, 0, -1, -2, -3, -2, -1];
            steps
                .iter()
                .map(|&s| {
                    let d = 30.0 * s as f32;
                    in_frame(specimen::shot(Side::Portrait, Fault::None, 1), [d, d])
                })
                .collect()
        }
        _ => return Err(format!("unknown video kind {kind}")),
    })
}

fn video(kind: &str, out: &str) -> Result<(), String> {
    let scenes = scenes(kind)?;
    // A video of one frame is written twice: Chromium loops the file.
    let repeat = if scenes.len() == 1 { 2 } else { 1 };
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut w = std::io::BufWriter::new(file);
    let header = format!("YUV4MPEG2 W{VIDEO_W} H{VIDEO_H} F{FPS}:1 Ip A1:1 C420\n");
    w.write_all(header.as_bytes()).map_err(|e| e.to_string())?;
    for scene in &scenes {
        let yuv = yuv420(&specimen::render(scene));
        for _ in 0..repeat {
            w.write_all(b"FRAME\n").map_err(|e| e.to_string())?;
            w.write_all(&yuv).map_err(|e| e.to_string())?;
        }
    }
    w.flush().map_err(|e| e.to_string())
}

/// An RGB image as planar Y, U, V (4:2:0, BT.601 limited range); even sizes only.
fn yuv420(img: &image::RgbImage) -> Vec<u8> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let px = img.as_raw();
    let rgb = |x: usize, y: usize| {
        let i = 3 * (y * w + x);
        [px[i] as i32, px[i + 1] as i32, px[i + 2] as i32]
    };
    let mut out = Vec::with_capacity(w * h * 3 / 2);
    for y in 0..h {
        for x in 0..w {
            let [r, g, b] = rgb(x, y);
            out.push((((66 * r + 129 * g + 25 * b + 128) >> 8) + 16).clamp(0, 255) as u8);
        }
    }
    let mut u = Vec::with_capacity(w * h / 4);
    let mut v = Vec::with_capacity(w * h / 4);
    for y in (0..h).step_by(2) {
        for x in (0..w).step_by(2) {
            let mut sum = [0i32; 3];
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let p = rgb((x + dx).min(w - 1), (y + dy).min(h - 1));
                for c in 0..3 {
                    sum[c] += p[c];
                }
            }
            let [r, g, b] = sum.map(|s| (s + 2) / 4);
            u.push((((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128).clamp(0, 255) as u8);
            v.push((((112 * r - 94 * g - 18 * b + 128) >> 8) + 128).clamp(0, 255) as u8);
        }
    }
    out.extend(u);
    out.extend(v);
    out
}

/// What one frame showed: the shell's `FrameView` (src-tauri/src/commands/camera.rs).
#[derive(Serialize)]
struct FrameView {
    dropped: bool,
    quad: Option<[[f32; 2]; 4]>,
    guidance: Guidance,
    steady_ms: u32,
    ready: bool,
}

#[derive(Serialize)]
struct Failure {
    error: ErrorCode,
}

fn judge() -> Result<(), String> {
    let clock = Instant::now();
    let mut steady = Steady::default();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Ok(());
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let reply = match words[..] {
            ["open", side] => {
                steady.reset();
                PhotoSide::parse(side)
                    .map(|_| "null".to_string())
                    .ok_or(ErrorCode::BadRequest)
            }
            ["frame", w, h, len] => {
                let body = read_body(&mut input, len)?;
                frame(&mut steady, clock, &body, w, h)
            }
            ["still", side, len] => {
                let body = read_body(&mut input, len)?;
                still(side, &body)
            }
            _ => return Err(format!("bad request {line:?}")),
        };
        let json = reply.unwrap_or_else(|error| {
            serde_json::to_string(&Failure { error }).unwrap_or_else(|_| "{}".into())
        });
        writeln!(out, "{json}").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
    }
}

fn read_body(input: &mut impl Read, len: &str) -> Result<Vec<u8>, String> {
    let len: usize = len.parse().map_err(|_| format!("bad length {len}"))?;
    if len > MAX_BODY {
        return Err(format!("body of {len} bytes"));
    }
    let mut body = vec![0; len];
    input.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}

/// A frame judged as `src-tauri/src/camera.rs` does.
fn frame(
    steady: &mut Steady,
    clock: Instant,
    rgba: &[u8],
    w: &str,
    h: &str,
) -> Result<String, ErrorCode> {
    let (Ok(width), Ok(height)) = (w.parse::<usize>(), h.parse::<usize>()) else {
        return Err(ErrorCode::BadRequest);
    };
    let analysis = frame_analysis(rgba, width, height)?;
    let seen = look(&analysis);
    let progress = steady.push(&seen, clock.elapsed().as_millis() as u64);
    let view = FrameView {
        dropped: false,
        quad: seen.quad,
        guidance: progress.guidance,
        steady_ms: progress.steady_ms.min(u64::from(u32::MAX)) as u32,
        ready: progress.ready,
    };
    serde_json::to_string(&view).map_err(|_| ErrorCode::Internal)
}

/// A still checked and prepared as `photo_capture` does.
fn still(side: &str, file: &[u8]) -> Result<String, ErrorCode> {
    let side = PhotoSide::parse(side).ok_or(ErrorCode::BadRequest)?;
    if file.len() > okpay_core::photo::MAX_FILE_BYTES {
        return Err(ErrorCode::PhotoTooLarge);
    }
    let photo = prepare_photo(side, file, APP_STRICTNESS).map_err(|e: Error| e.code())?;
    serde_json::to_string(&photo.view).map_err(|_| ErrorCode::Internal)
}
