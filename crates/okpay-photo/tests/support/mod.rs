//! What the photo engine's tests share: the specimen scenes (from `okpay_photo::specimen`),
//! encoders for every format and sampling a phone or a screenshot gives, resizing, and the
//! engine's quad IoU. [`rng`] holds a seeded generator and random scenes, [`accuracy`] the
//! per-class accuracy run shared by the `photo_accuracy` example and its test.

#![allow(dead_code)]

pub mod accuracy;
pub mod rng;
pub mod upload;

// Each test uses its own subset.
#[allow(unused_imports)]
pub use okpay_photo::quality::quad::{iou, iou_in_frame};
#[allow(unused_imports)]
pub use okpay_photo::specimen::{Background, QUAD, Scene, Shade, Side, jpeg as jpeg_q, render};

use image::{DynamicImage, ImageFormat, RgbImage};
use std::io::Cursor;

/// Render and encode as JPEG (quality 92).
pub fn jpeg(s: &Scene) -> Vec<u8> {
    jpeg_q(&render(s), 92)
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
