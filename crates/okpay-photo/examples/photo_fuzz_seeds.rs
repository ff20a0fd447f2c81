//! Writes the seed corpus of the `photo` fuzz target: small synthetic card photos (640 x 400,
//! just above the resolution floor, so the decoders and the checks run) as JPEG (baseline
//! 4:2:2 and 4:2:0, gray, with an EXIF orientation; progressive is left to the fuzzer), PNG
//! and WebP, plus truncated copies. Each file stays under 20 kB.
//!
//! `cargo run -p okpay-photo --example photo_fuzz_seeds -- fuzz/corpus/photo`

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use image::ImageFormat;
use std::path::PathBuf;
use support::{Background, QUAD, Scene, encode, jpeg_420, jpeg_q, render};

/// A JPEG with an APP1 EXIF block holding only `Orientation = o`, right after SOI.
fn with_orientation(jpeg: &[u8], o: u8) -> Vec<u8> {
    let tiff: Vec<u8> = [
        b"II*\0".as_slice(),
        &[8, 0, 0, 0, 1, 0],
        &[0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0],
        &[0, 0, 0, 0],
    ]
    .concat();
    let body: Vec<u8> = [b"Exif\0\0".as_slice(), &tiff].concat();
    let len = u16::try_from(body.len() + 2).unwrap().to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xE1, len[0], len[1]], &body, &jpeg[2..]].concat()
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus/photo".to_owned()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let scene = Scene {
        quad: QUAD.map(|p| [p[0] * 0.53, p[1] * 0.5]),
        width: 640,
        height: 400,
        ..Scene::new(Background::Plain)
    };
    let img = render(&scene);
    let gray = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    let mut gray_jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut gray_jpeg, 20)
        .encode_image(&gray)
        .unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("card.jpg", jpeg_q(&img, 15)),
        ("card_420.jpg", jpeg_420(&img, 15)),
        ("card_gray.jpg", gray_jpeg),
        ("card_o6.jpg", with_orientation(&jpeg_q(&img, 10), 6)),
        ("card.png", encode(&quantised(&img), ImageFormat::Png)),
        ("card.webp", encode(&quantised(&img), ImageFormat::WebP)),
    ];
    for (name, bytes) in files {
        let cut = bytes[..bytes.len() * 2 / 3].to_vec();
        for (n, b) in [(name.to_owned(), bytes), (format!("truncated_{name}"), cut)] {
            assert!(b.len() < 20_000, "{n}: {} bytes", b.len());
            println!("{n}: {} bytes", b.len());
            std::fs::write(dir.join(n), b).unwrap();
        }
    }
}

/// Few colours, so the lossless formats stay small.
fn quantised(img: &image::RgbImage) -> image::RgbImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0 = p.0.map(|c| c & 0xC0);
    }
    out
}
