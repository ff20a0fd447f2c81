//! The analysis image: JPEG through the DCT-scaled path and through the general decoder
//! agree, EXIF orientation is applied, PNG goes through `image`, and broken files are
//! refused with a code, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use image::{DynamicImage, ImageFormat, imageops};
use okpay_photo::codec::{JpegPath, analysis_image_with};
use okpay_photo::quality::{Strictness, assess};
use okpay_rules::ErrorCode;
use std::io::Cursor;
use support::{Background, QUAD, Scene, iou, jpeg, render, resized};

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

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

#[test]
fn exif_orientation_six_is_applied_on_both_paths() {
    let shown = render(&Scene::new(Background::Wood));
    // Stored rotated a quarter turn anticlockwise; orientation 6 turns it back for display.
    let stored = DynamicImage::ImageRgb8(imageops::rotate270(&shown));
    let bytes = with_orientation(&encode(stored, ImageFormat::Jpeg), 6);
    for path in [JpegPath::Scaled, JpegPath::Full] {
        let a = analysis_image_with(&bytes, path).unwrap();
        assert_eq!((a.width, a.height), (1200, 800), "{path:?}");
        assert_eq!((a.gray.width, a.gray.height), (1008, 672), "{path:?}");
    }
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert!(iou(&v.quad.unwrap(), &QUAD) >= 0.95, "{:?}", v.quad);
    assert!(v.ok, "{:?}", v.reasons);
}

#[test]
fn large_jpeg_takes_the_scaled_path_and_agrees_with_a_full_decode() {
    let big = resized(&render(&Scene::new(Background::Plain)), 2.0);
    let bytes = encode(DynamicImage::ImageRgb8(big), ImageFormat::Jpeg);
    let scaled = analysis_image_with(&bytes, JpegPath::Scaled).unwrap();
    let full = analysis_image_with(&bytes, JpegPath::Full).unwrap();
    assert_eq!(scaled.path, "jpeg-scaled-1/2");
    assert_eq!(full.path, "image");
    assert_eq!((scaled.gray.width, scaled.gray.height), (1008, 672));
    assert_eq!((full.gray.width, full.gray.height), (1008, 672));
    assert!((scaled.scale - full.scale).abs() < 1e-3);
    let mean_diff: f64 = scaled
        .gray
        .data
        .iter()
        .zip(&full.gray.data)
        .map(|(a, b)| f64::from(a.abs_diff(*b)))
        .sum::<f64>()
        / scaled.gray.data.len() as f64;
    assert!(mean_diff < 3.0, "{mean_diff}");
    let v = assess(&bytes, Strictness::Normal).unwrap();
    let truth = QUAD.map(|p| [p[0] * 2.0, p[1] * 2.0]);
    assert!(iou(&v.quad.unwrap(), &truth) >= 0.95, "{:?}", v.quad);
}

#[test]
fn png_goes_through_the_general_decoder() {
    let bytes = encode(
        DynamicImage::ImageRgb8(render(&Scene::new(Background::Wood))),
        ImageFormat::Png,
    );
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert_eq!(v.metrics.decode_path, "image");
    assert!(iou(&v.quad.unwrap(), &QUAD) >= 0.95);
}

#[test]
fn broken_files_are_refused_with_a_code() {
    assert_eq!(
        assess(b"not a photo", Strictness::Normal).err(),
        Some(ErrorCode::PhotoUnsupportedFormat)
    );
    let good = jpeg(&Scene::new(Background::Plain));
    // Header intact, entropy data garbage or cut: an error code or a verdict, never a panic.
    for cut in [good.len() / 2, good.len() / 10, 700] {
        let _ = assess(&good[..cut], Strictness::Normal);
    }
    let mut garbled = good.clone();
    for b in garbled.iter_mut().skip(800).step_by(7) {
        *b = b.wrapping_mul(31).wrapping_add(7);
    }
    let _ = assess(&garbled, Strictness::Normal);
    assert!(assess(&good[..200], Strictness::Normal).is_err());
}
