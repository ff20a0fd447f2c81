//! Synthetic ID-card photos for the quality tests: a drawn specimen card (portrait side: blue
//! header band, text lines, portrait box, machine-readable line; emblem side: emblem, two
//! title lines, authority and validity lines) placed by a known quad under perspective on a
//! plain, wood-textured or busy background, with known degradations, encoded as JPEG (or any
//! format). [`rng`] holds a seeded generator and random scenes, [`accuracy`] the per-class
//! accuracy run shared by the `photo_accuracy` example and its test.

#![allow(dead_code)]

pub mod accuracy;
pub mod rng;
pub mod upload;

use image::{DynamicImage, ImageFormat, RgbImage};
use std::io::Cursor;

pub const W: u32 = 1200;
pub const H: u32 = 800;

/// A card under mild perspective filling about half the frame (TL, TR, BR, BL).
pub const QUAD: [[f32; 2]; 4] = [
    [170.0, 150.0],
    [1040.0, 118.0],
    [1062.0, 676.0],
    [148.0, 690.0],
];

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Background {
    Plain,
    Wood,
    /// A cluttered desk: overlapping sheets of varied colour with print on some.
    Busy,
}

/// Which side of the card is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Portrait,
    Emblem,
}

/// A straight-edged cast shadow (a hand or the phone between the light and the card).
#[derive(Clone, Copy, Debug)]
pub struct Shade {
    pub a: [f32; 2],
    pub b: [f32; 2],
    pub level: f32,
    pub soft: f32,
}

#[derive(Clone, Copy)]
pub struct Scene {
    pub quad: [[f32; 2]; 4],
    pub background: Background,
    /// Multiply all light by this.
    pub gain: f32,
    /// Added to all light after the gain.
    pub offset: f32,
    /// Gaussian blur sigma in pixels (0 = none).
    pub blur: f32,
    /// A saturated glare spot: centre and radius.
    pub glare: Option<([f32; 2], f32)>,
    /// Light falling from `shadow` (left) to 1.0 (right) across the frame.
    pub shadow: Option<f32>,
    /// A cast shadow: light times `level` on the right of the line from `a` to `b` (as seen
    /// walking from a to b on the image, y down), easing in over `soft` pixels.
    pub shade: Option<Shade>,
    /// Draw no card at all.
    pub no_card: bool,
    pub side: Side,
    /// Frame size in pixels.
    pub width: u32,
    pub height: u32,
}

impl Scene {
    pub fn new(background: Background) -> Scene {
        Scene {
            quad: QUAD,
            background,
            gain: 1.0,
            offset: 0.0,
            blur: 0.0,
            glare: None,
            shadow: None,
            shade: None,
            no_card: false,
            side: Side::Portrait,
            width: W,
            height: H,
        }
    }
}

/// Square-to-quad homography (Heckbert), as a 3x3 row-major matrix mapping (u, v, 1).
fn homography(q: &[[f32; 2]; 4]) -> [f64; 9] {
    let p = q.map(|p| [f64::from(p[0]), f64::from(p[1])]);
    let (x0, y0, x1, y1, x2, y2, x3, y3) = (
        p[0][0], p[0][1], p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1],
    );
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let h = (dx1 * dy3 - dx3 * dy1) / den;
    [
        x1 - x0 + g * x1,
        x3 - x0 + h * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + h * y3,
        y0,
        g,
        h,
        1.0,
    ]
}

fn invert(m: &[f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = *m;
    let co = [
        e * i - f * h,
        -(d * i - f * g),
        d * h - e * g,
        -(b * i - c * h),
        a * i - c * g,
        -(a * h - b * g),
        b * f - c * e,
        -(a * f - c * d),
        a * e - b * d,
    ];
    let det = a * co[0] + b * co[1] + c * co[2];
    // adjugate = transpose of cofactors
    [
        co[0] / det,
        co[3] / det,
        co[6] / det,
        co[1] / det,
        co[4] / det,
        co[7] / det,
        co[2] / det,
        co[5] / det,
        co[8] / det,
    ]
}

fn hash(x: u32, y: u32) -> f32 {
    let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    (h & 0xFFFF) as f32 / 65535.0
}

fn background(bg: Background, x: u32, y: u32) -> [f32; 3] {
    match bg {
        Background::Plain => [96.0, 104.0, 112.0],
        Background::Wood => {
            let (xf, yf) = (x as f32, y as f32);
            let grain = (yf * 0.21 + 6.0 * (xf * 0.013).sin() + 3.0 * (xf * 0.051).sin()).sin();
            let ring = (yf * 0.035 + 2.0 * (xf * 0.007).sin()).sin();
            let k = 0.78 + 0.12 * grain + 0.08 * ring + 0.08 * (hash(x / 3, y) - 0.5);
            [175.0 * k, 122.0 * k, 76.0 * k]
        }
        Background::Busy => {
            // Sheets in staggered rows, each its own colour, some with lines of print.
            let ty = y / 70;
            let tx = (x + 41 * (ty % 3)) / 90;
            let base = [
                60.0 + 170.0 * hash(tx, ty),
                60.0 + 170.0 * hash(tx + 7, ty + 3),
                60.0 + 170.0 * hash(tx + 13, ty + 11),
            ];
            let printed = hash(tx ^ 0x33, ty) > 0.45;
            if printed && y % 9 < 3 && hash(x / 6, ty ^ tx) > 0.3 {
                base.map(|c| c * 0.35)
            } else {
                base
            }
        }
    }
}

/// Emblem-side colour at card coordinates in millimetres (85.6 x 54): the national emblem
/// top left, two large title lines beside it, the issuing authority and validity lines below.
fn card_emblem(mx: f32, my: f32) -> [f32; 3] {
    let paper = [232.0, 230.0, 218.0];
    let ink = [52.0, 52.0, 58.0];
    let (dx, dy) = (mx - 14.0, my - 14.0);
    let r2 = dx * dx + dy * dy;
    if r2 < 9.0 * 9.0 {
        // Red disc with a gold ring and star.
        if (6.0 * 6.0..7.2 * 7.2).contains(&r2) || r2 < 2.2 * 2.2 {
            return [222.0, 176.0, 40.0];
        }
        return [196.0, 36.0, 40.0];
    }
    let titles = [(9.0, 14.0, 30.0, 80.0), (19.0, 26.0, 34.0, 76.0)];
    for (y0, y1, x0, x1) in titles {
        if (y0..y1).contains(&my) && (x0..x1).contains(&mx) && ((mx * 0.9) as i32) % 4 != 3 {
            return ink;
        }
    }
    for y0 in [37.0, 44.0] {
        if (y0..y0 + 2.4).contains(&my) && (12.0..72.0).contains(&mx) {
            let gap = ((mx * 1.1) as i32 % 6 == 0) || ((18.0..22.0).contains(&mx));
            if !gap {
                return ink;
            }
        }
    }
    paper
}

/// Card colour at card coordinates in millimetres (85.6 x 54).
fn card(mx: f32, my: f32) -> [f32; 3] {
    let paper = [236.0, 233.0, 226.0];
    let ink = [52.0, 52.0, 58.0];
    if my < 11.0 {
        // Header band, with a lighter title inside.
        if (30.0..56.0).contains(&mx) && (4.0..7.5).contains(&my) && ((mx * 2.0) as i32) % 3 != 0 {
            return [220.0, 228.0, 240.0];
        }
        return [28.0, 78.0, 168.0];
    }
    if (58.0..80.0).contains(&mx) && (15.0..45.0).contains(&my) {
        let (dx, dy) = ((mx - 69.0) / 7.0, (my - 27.0) / 9.0);
        if dx * dx + dy * dy < 1.0
            || ((my > 36.0) && ((mx - 69.0) / 10.0).powi(2) + ((my - 46.0) / 10.0).powi(2) < 1.0)
        {
            return [90.0, 86.0, 84.0];
        }
        return [196.0, 198.0, 204.0];
    }
    for row in 0..5 {
        let y0 = 15.0 + row as f32 * 5.5;
        if (y0..y0 + 2.2).contains(&my) && (7.0..(50.0 - row as f32 * 4.0)).contains(&mx) {
            let gap = ((mx * 1.3) as i32 % 5 == 0) || ((mx * 4.0) as i32 % 7 == 0);
            if !gap {
                return ink;
            }
        }
    }
    if (47.5..50.5).contains(&my) && (6.0..80.0).contains(&mx) && ((mx * 1.6) as i32) % 2 == 0 {
        return ink;
    }
    paper
}

/// Inside the rounded-corner card outline (corner radius 3 mm)?
fn in_card(mx: f32, my: f32) -> bool {
    if !(0.0..85.6).contains(&mx) || !(0.0..54.0).contains(&my) {
        return false;
    }
    let r = 3.0;
    let cx = mx.clamp(r, 85.6 - r);
    let cy = my.clamp(r, 54.0 - r);
    (mx - cx).powi(2) + (my - cy).powi(2) <= r * r
}

/// Render the scene as RGB.
pub fn render(s: &Scene) -> RgbImage {
    let inv = invert(&homography(&s.quad));
    let (fw, fh) = (s.width, s.height);
    let mut img = RgbImage::new(fw, fh);
    for y in 0..fh {
        for x in 0..fw {
            let (xf, yf) = (f64::from(x), f64::from(y));
            let d = inv[6] * xf + inv[7] * yf + inv[8];
            let u = ((inv[0] * xf + inv[1] * yf + inv[2]) / d) as f32;
            let v = ((inv[3] * xf + inv[4] * yf + inv[5]) / d) as f32;
            let (mx, my) = (u * 85.6, v * 54.0);
            let mut c = if !s.no_card && in_card(mx, my) {
                match s.side {
                    Side::Portrait => card(mx, my),
                    Side::Emblem => card_emblem(mx, my),
                }
            } else {
                background(s.background, x, y)
            };
            let mut light = s.gain;
            if let Some(lo) = s.shadow {
                light *= lo + (1.0 - lo) * (x as f32 / fw as f32);
            }
            if let Some(sh) = s.shade {
                let (dx, dy) = (sh.b[0] - sh.a[0], sh.b[1] - sh.a[1]);
                let len = (dx * dx + dy * dy).sqrt().max(1e-3);
                // Signed distance, positive on the shaded side.
                let d = ((x as f32 - sh.a[0]) * dy - (y as f32 - sh.a[1]) * dx) / len;
                let t = (0.5 + d / sh.soft.max(1.0)).clamp(0.0, 1.0);
                light *= 1.0 - (1.0 - sh.level) * t;
            }
            for ch in &mut c {
                *ch = *ch * light + s.offset + 6.0 * (hash(x, y ^ 0x5555) - 0.5);
            }
            if let Some((g, r)) = s.glare {
                let d2 = (x as f32 - g[0]).powi(2) + (y as f32 - g[1]).powi(2);
                let a = 420.0 * (-d2 / (2.0 * r * r)).exp();
                for ch in &mut c {
                    *ch += a;
                }
            }
            img.put_pixel(
                x,
                y,
                image::Rgb(c.map(|v| v.round().clamp(0.0, 255.0) as u8)),
            );
        }
    }
    if s.blur > 0.0 {
        img = image::imageops::blur(&img, s.blur);
    }
    img
}

/// Render and encode as JPEG (quality 92).
pub fn jpeg(s: &Scene) -> Vec<u8> {
    jpeg_q(&render(s), 92)
}

/// Encode as JPEG at `quality`.
pub fn jpeg_q(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let ok = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .is_ok();
    assert!(ok);
    out
}

/// Encode as a 4:2:0 JPEG at `quality` (a phone camera's sampling; `image`'s encoder writes
/// 4:2:2).
pub fn jpeg_420(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, quality);
    e.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    let (w, h) = (img.width() as u16, img.height() as u16);
    let ok = e
        .encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .is_ok();
    assert!(ok);
    out
}

/// Encode in `format` (PNG, WebP lossless, JPEG at the `image` default quality).
pub fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    let ok = DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut Cursor::new(&mut out), format)
        .is_ok();
    assert!(ok);
    out
}

/// Resize to `factor` of the size (Triangle filter).
pub fn resized(img: &RgbImage, factor: f32) -> RgbImage {
    let w = ((img.width() as f32 * factor).round() as u32).max(1);
    let h = ((img.height() as f32 * factor).round() as u32).max(1);
    image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle)
}

/// Intersection over union of two convex quads, by sampling every pixel centre.
pub fn iou(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4]) -> f32 {
    iou_clipped(a, b, None)
}

/// [`iou`] of the parts of the quads inside a `w` x `h` frame (for a card cut by the frame).
pub fn iou_in_frame(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4], (w, h): (u32, u32)) -> f32 {
    iou_clipped(a, b, Some((w as i32, h as i32)))
}

fn iou_clipped(a: &[[f32; 2]; 4], b: &[[f32; 2]; 4], frame: Option<(i32, i32)>) -> f32 {
    let inside = |q: &[[f32; 2]; 4], p: [f32; 2]| {
        let mut sign = 0.0f32;
        for i in 0..4 {
            let (s, e) = (q[i], q[(i + 1) % 4]);
            let c = (e[0] - s[0]) * (p[1] - s[1]) - (e[1] - s[1]) * (p[0] - s[0]);
            if c != 0.0 {
                if sign != 0.0 && c.signum() != sign {
                    return false;
                }
                sign = c.signum();
            }
        }
        true
    };
    let all = a.iter().chain(b.iter());
    let x0 = all.clone().map(|p| p[0]).fold(f32::MAX, f32::min).floor() as i32;
    let x1 = all.clone().map(|p| p[0]).fold(f32::MIN, f32::max).ceil() as i32;
    let y0 = all.clone().map(|p| p[1]).fold(f32::MAX, f32::min).floor() as i32;
    let y1 = all.map(|p| p[1]).fold(f32::MIN, f32::max).ceil() as i32;
    let (x0, x1, y0, y1) = match frame {
        Some((w, h)) => (x0.max(0), x1.min(w - 1), y0.max(0), y1.min(h - 1)),
        None => (x0, x1, y0, y1),
    };
    let (mut both, mut either) = (0u32, 0u32);
    for y in (y0..=y1).step_by(2) {
        for x in (x0..=x1).step_by(2) {
            let p = [x as f32 + 0.5, y as f32 + 0.5];
            let (ia, ib) = (inside(a, p), inside(b, p));
            both += u32::from(ia && ib);
            either += u32::from(ia || ib);
        }
    }
    if either == 0 {
        0.0
    } else {
        both as f32 / either as f32
    }
}
