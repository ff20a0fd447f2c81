//! The decoder against libjpeg.

#![allow(clippy::expect_used)]
use super::*;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// A photo-like RGB image: gradients, hard edges, fine texture and noise, so that the
/// blocks carry coefficients of every size.
fn photo(w: usize, h: usize) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let mut noise = move || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 24) as i32 - 128
    };
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let edge = if (x / 37 + y / 23) % 2 == 0 { 70 } else { -50 };
            let stripes = if (x + 2 * y) % 5 < 2 { 40 } else { 0 };
            let base = [
                (x * 255 / w) as i32,
                (y * 255 / h) as i32,
                ((x + y) * 255 / (w + h)) as i32,
            ];
            for (c, b) in base.iter().enumerate() {
                let v = b + edge / (c as i32 + 1) + stripes + noise() / 6;
                out.push(v.clamp(0, 255) as u8);
            }
        }
    }
    out
}

fn encode(
    data: &[u8],
    w: usize,
    h: usize,
    color: ColorType,
    sampling: SamplingFactor,
    restart: u16,
    quality: u8,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out, quality);
    e.set_sampling_factor(sampling);
    e.set_restart_interval(restart);
    e.encode(data, w as u16, h as u16, color).expect("encodes");
    out
}

/// [`photo`] as a 4:2:0 JPEG at quality 90 with a restart marker every `restart` MCUs.
fn photo_420(w: usize, h: usize, restart: u16) -> Vec<u8> {
    let rgb = photo(w, h);
    encode(
        &rgb,
        w,
        h,
        ColorType::Rgb,
        SamplingFactor::R_4_2_0,
        restart,
        90,
    )
}

/// Baseline with Huffman tables fitted to the image (codes up to 16 bits), in one
/// interleaved scan, chroma `sub` x `sub` subsampled.
fn encode_optimised(rgb: &[u8], w: usize, h: usize, sub: u8, quality: f32) -> Vec<u8> {
    let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    c.set_fastest_defaults();
    c.set_optimize_coding(true);
    c.set_size(w, h);
    c.set_quality(quality);
    c.set_chroma_sampling_pixel_sizes((sub, sub), (sub, sub));
    let mut s = c.start_compress(Vec::new()).expect("starts");
    s.write_scanlines(rgb).expect("writes");
    s.finish().expect("finishes")
}

/// libjpeg's 1/4 decode of `bytes` in `space`: (width, height, samples).
fn libjpeg(bytes: &[u8], space: mozjpeg::ColorSpace) -> (usize, usize, Vec<u8>) {
    libjpeg_at(bytes, space, 2)
}

/// libjpeg's `num`/8 decode of `bytes` in `space`: (width, height, samples).
fn libjpeg_at(bytes: &[u8], space: mozjpeg::ColorSpace, num: u8) -> (usize, usize, Vec<u8>) {
    let mut d = mozjpeg::Decompress::new_mem(bytes).expect("header");
    d.scale(num);
    d.do_fancy_upsampling(false);
    let mut s = d.to_colorspace(space).expect("starts");
    let (w, h) = (s.width(), s.height());
    let v: Vec<u8> = s.read_scanlines().expect("decodes");
    s.finish().expect("finishes");
    (w, h, v)
}

/// Largest and mean difference of an opponent plane against libjpeg's YCbCr at the luma
/// size, averaged over the `fx` x `fy` pixels each chroma sample covers.
fn chroma_error(
    plane: &Plane,
    ycc: &(usize, usize, Vec<u8>),
    fx: usize,
    fy: usize,
    u: bool,
) -> (i32, f64) {
    let (w, h, data) = ycc;
    let (mut worst, mut sum) = (0, 0i64);
    for y in 0..plane.height {
        for x in 0..plane.width {
            let (mut cb, mut cr, mut n) = (0i32, 0i32, 0i32);
            for yy in y * fy..((y + 1) * fy).min(*h) {
                for xx in x * fx..((x + 1) * fx).min(*w) {
                    let p = &data[3 * (yy * w + xx)..];
                    cb += i32::from(p[1]);
                    cr += i32::from(p[2]);
                    n += 1;
                }
            }
            let want = if u {
                (cb - cr + 256 * n) / (2 * n)
            } else {
                (cb + cr) / (2 * n)
            };
            let d = (i32::from(plane.data[y * plane.width + x]) - want).abs();
            worst = worst.max(d);
            sum += i64::from(d);
        }
    }
    (worst, sum as f64 / (plane.width * plane.height) as f64)
}

/// Largest and mean difference, and the PSNR in dB, of `plane` against channel `ch` of
/// `n`-channel samples of the same size.
fn plane_error(
    plane: &Plane,
    ref_: &(usize, usize, Vec<u8>),
    ch: usize,
    n: usize,
) -> (i32, f64, f64) {
    assert_eq!((plane.width, plane.height), (ref_.0, ref_.1));
    let (mut worst, mut sum, mut sq) = (0, 0i64, 0i64);
    for (i, &v) in plane.data.iter().enumerate() {
        let d = i32::from(v) - i32::from(ref_.2[i * n + ch]);
        worst = worst.max(d.abs());
        sum += i64::from(d.abs());
        sq += i64::from(d * d);
    }
    let count = plane.data.len() as f64;
    let mse = (sq as f64 / count).max(1e-9);
    (
        worst,
        sum as f64 / count,
        10.0 * (255.0 * 255.0 / mse).log10(),
    )
}

/// The 1/2-scale planes of a 4:2:0 JPEG: Y within a level of libjpeg's 1/2 decode, Cb and Cr
/// of libjpeg's 1/4 decode's (whose chroma is at that size), and the 1/4-scale planes made
/// with them their 2 x 2 means.
fn check_half(bytes: &[u8], what: &str) {
    let (q, half) = decode_any_with_half(bytes).unwrap_or_else(|| panic!("{what}: half"));
    let y2 = libjpeg_at(bytes, mozjpeg::ColorSpace::JCS_GRAYSCALE, 4);
    let ycc = libjpeg(bytes, mozjpeg::ColorSpace::JCS_YCbCr);
    for (plane, reference, ch, n) in [
        (&half.y, &y2, 0, 1),
        (&half.cb, &ycc, 1, 3),
        (&half.cr, &ycc, 2, 3),
    ] {
        let (worst, mean, _) = plane_error(plane, reference, ch, n);
        assert!(
            worst <= 1 && mean < 0.05,
            "{what}: plane {ch} off by {worst} (mean {mean})"
        );
    }
    let halved = |g: &Plane| g.resize_area(g.width.div_ceil(2), g.height.div_ceil(2));
    assert!(q.y == halved(&half.y), "{what}: 1/4 luma");
    let c = q.chroma.unwrap_or_else(|| panic!("{what}: chroma"));
    assert!(
        c == opponent(&halved(&half.cb), &halved(&half.cr)),
        "{what}: 1/4 chroma"
    );
}

/// Y against libjpeg's gray 1/4 decode (equal), and the chroma against libjpeg's YCbCr
/// 1/4 decode over the pixels each sample covers (`fx` x `fy`; equal at 1 x 1).
fn check(bytes: &[u8], fx: usize, fy: usize, what: &str) {
    let q = decode_any(bytes).unwrap_or_else(|| panic!("{what}: decodes"));
    if (fx, fy) == (2, 2) {
        check_half(bytes, what);
    } else {
        assert!(
            decode_any_with_half(bytes).is_none(),
            "{what}: half of not 4:2:0"
        );
    }
    let gray = libjpeg(bytes, mozjpeg::ColorSpace::JCS_GRAYSCALE);
    assert_eq!((q.y.width, q.y.height), (gray.0, gray.1), "{what}");
    assert!(q.y.data == gray.2, "{what}: Y differs from libjpeg's");
    let ycc = libjpeg(bytes, mozjpeg::ColorSpace::JCS_YCbCr);
    let c = q.chroma.unwrap_or_else(|| panic!("{what}: chroma"));
    assert_eq!(
        (c.width(), c.height()),
        (gray.0.div_ceil(fx), gray.1.div_ceil(fy)),
        "{what}"
    );
    for (plane, u) in [(&c.u, true), (&c.v, false)] {
        let (worst, mean) = chroma_error(plane, &ycc, fx, fy, u);
        if fx * fy == 1 {
            assert_eq!(worst, 0, "{what}: full-size chroma is libjpeg's");
        } else {
            assert!(
                worst <= 8 && mean < 0.5,
                "{what}: chroma off by {worst} (mean {mean})"
            );
        }
    }
}

#[test]
fn the_y_plane_is_libjpegs_quarter_decode_and_the_chroma_its_colour() {
    let cases = [
        (SamplingFactor::R_4_2_0, 2, 2),
        (SamplingFactor::R_4_2_2, 2, 1),
        (SamplingFactor::R_4_4_0, 1, 2),
        (SamplingFactor::R_4_4_4, 1, 1),
    ];
    for (w, h) in [(517, 389), (64, 48), (803, 1201)] {
        let rgb = photo(w, h);
        for (sampling, fx, fy) in cases {
            for (restart, quality) in [(0, 92), (3, 100), (1, 40)] {
                let bytes = encode(&rgb, w, h, ColorType::Rgb, sampling, restart, quality);
                check(
                    &bytes,
                    fx,
                    fy,
                    &format!("{w}x{h} {sampling:?} restart {restart} q{quality}"),
                );
            }
        }
        for (sub, quality) in [(2, 100.0), (2, 60.0), (1, 97.0)] {
            let bytes = encode_optimised(&rgb, w, h, sub, quality);
            let sub = usize::from(sub);
            check(
                &bytes,
                sub,
                sub,
                &format!("{w}x{h} optimised {sub}x{sub} q{quality}"),
            );
        }
    }
}

#[test]
fn a_gray_jpeg_gives_its_plane_and_no_chroma() {
    let (w, h) = (301, 211);
    let luma: Vec<u8> = photo(w, h).chunks_exact(3).map(|p| p[1]).collect();
    for restart in [0, 5] {
        let bytes = encode(
            &luma,
            w,
            h,
            ColorType::Luma,
            SamplingFactor::R_4_4_4,
            restart,
            90,
        );
        let q = decode_any(&bytes).expect("decodes");
        let gray = libjpeg(&bytes, mozjpeg::ColorSpace::JCS_GRAYSCALE);
        assert_eq!((q.y.width, q.y.height), (gray.0, gray.1));
        assert!(q.y.data == gray.2);
        assert!(q.chroma.is_none());
    }
}

#[test]
fn only_the_quarter_scale_is_taken() {
    let bytes = photo_420(517, 389, 0);
    // 517 / 4 reaches 120 and 517 / 8 does not: 1/4 is the scale.
    assert!(decode(&bytes, 120, true).is_some());
    assert!(decode(&bytes, 60, true).is_none(), "1/8 is libjpeg's");
    assert!(decode(&bytes, 200, true).is_none(), "3/8 is libjpeg's");
    let q = decode(&bytes, 120, false).expect("decodes");
    assert!(q.chroma.is_none());
}

#[test]
fn what_it_does_not_handle_is_left_to_libjpeg() {
    let (w, h) = (200, 150);
    let rgb = photo(w, h);
    let made = |set: &dyn Fn(&mut Encoder<&mut Vec<u8>>)| {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out, 90);
        set(&mut e);
        e.encode(&rgb, w as u16, h as u16, ColorType::Rgb)
            .expect("encodes");
        out
    };
    let progressive = made(&|e| e.set_progressive(true));
    assert!(decode_any(&progressive).is_none(), "progressive");
    let wide = made(&|e| e.set_sampling_factor(SamplingFactor::R_4_1_1));
    assert!(decode_any(&wide).is_none(), "4:1:1");
    // Tables fitted per scan: one scan per component.
    let fitted = made(&|e| e.set_optimized_huffman_tables(true));
    assert!(decode_any(&fitted).is_none(), "one scan per component");
    assert!(decode_any(b"not a jpeg").is_none());
    assert!(decode_any(&[]).is_none());
    // Colour stored as R, G, B (an Adobe marker with transform 0), not Y, Cb, Cr.
    let mut c = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    c.set_fastest_defaults();
    c.set_color_space(mozjpeg::ColorSpace::JCS_RGB);
    c.set_size(w, h);
    let mut s = c.start_compress(Vec::new()).expect("starts");
    s.write_scanlines(&rgb).expect("writes");
    let stored_rgb = s.finish().expect("finishes");
    assert!(decode_any(&stored_rgb).is_none(), "RGB-coded");
    assert!(decode_any_with_half(&stored_rgb).is_none(), "RGB-coded");
    assert!(decode_any(&encode_optimised(&rgb, w, h, 2, 90.0)).is_some());
}

#[test]
fn a_cut_or_broken_stream_is_refused_not_guessed() {
    let bytes = photo_420(240, 180, 4);
    assert!(decode_any(&bytes).is_some());
    // Cut in the middle of the scan, closed with an end-of-image marker.
    let mut cut = bytes[..bytes.len() * 2 / 3].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    assert!(decode_any(&cut).is_none());
    // A restart marker out of sequence.
    let at = bytes
        .windows(2)
        .position(|p| p == [0xFF, 0xD0])
        .expect("a restart marker");
    let mut wrong = bytes.clone();
    wrong[at + 1] = 0xD3;
    assert!(decode_any(&wrong).is_none());
    // Every single byte of the scan flipped in turn: an answer or a refusal, never a
    // panic.
    let scan = Frame::parse(&bytes).expect("parses").scan;
    for i in (scan..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[i] ^= 0x5A;
        let _ = decode_any(&b);
    }
}
