//! An RGB working image brought to a size: exact halvings, then the area resample.

use crate::raster::resample;
use image::RgbImage;

/// [`fit_rgb`] for a large reduction: exact integer halvings while the long side stays at
/// least `long_side`, then the area resample.
pub(super) fn shrink_rgb(img: &RgbImage, long_side: u32) -> std::borrow::Cow<'_, RgbImage> {
    let (w, h) = (img.width(), img.height());
    if w.max(h) < 2 * long_side || w % 2 == 1 || h % 2 == 1 {
        return fit_rgb(img, long_side);
    }
    let half = resample::area_resize(
        img.as_raw(),
        w as usize,
        h as usize,
        3,
        (w / 2) as usize,
        (h / 2) as usize,
    );
    match RgbImage::from_raw(w / 2, h / 2, half) {
        Some(half) => std::borrow::Cow::Owned(shrink_rgb(&half, long_side).into_owned()),
        None => fit_rgb(img, long_side),
    }
}

/// Area-downscaled so that the long side is at most `long_side` (never upscaled).
pub(super) fn fit_rgb(img: &RgbImage, long_side: u32) -> std::borrow::Cow<'_, RgbImage> {
    let (w, h) = (img.width(), img.height());
    if w.max(h) <= long_side {
        return std::borrow::Cow::Borrowed(img);
    }
    let s = f64::from(w.max(h)) / f64::from(long_side);
    let ow = ((f64::from(w) / s).round() as u32).clamp(1, long_side);
    let oh = ((f64::from(h) / s).round() as u32).clamp(1, long_side);
    let data = resample::area_resize(
        img.as_raw(),
        w as usize,
        h as usize,
        3,
        ow as usize,
        oh as usize,
    );
    RgbImage::from_raw(ow, oh, data)
        .map_or(std::borrow::Cow::Borrowed(img), std::borrow::Cow::Owned)
}
