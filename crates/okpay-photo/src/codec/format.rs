//! What a photo is, from its bytes: the format by content (never a file name), the refusals
//! before any big allocation (file size, pixel count, resolution), and the general decoder
//! (`image`) under memory limits.

use image::{ImageFormat, ImageReader};
use okpay_rules::ErrorCode;
use std::io::Cursor;

/// Largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Largest image accepted, in pixels.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Smallest long side that can still show a readable card.
pub const MIN_LONG_SIDE: u32 = 640;
/// Smallest short side.
pub const MIN_SHORT_SIDE: u32 = 400;

/// What the checks learned about a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoFacts {
    pub format: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The formats accepted, identified from the first bytes, never from a file name.
pub fn sniff_format(bytes: &[u8]) -> Result<ImageFormat, ErrorCode> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(f),
        _ => Err(ErrorCode::PhotoUnsupportedFormat),
    }
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Png => "png",
        _ => "webp",
    }
}

/// Header-only checks: format, file size and pixel count, without decoding pixels.
pub fn inspect(bytes: &[u8]) -> Result<PhotoFacts, ErrorCode> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ErrorCode::PhotoTooLarge);
    }
    let format = sniff_format(bytes)?;
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|_| ErrorCode::PhotoUnreadable)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ErrorCode::PhotoTooLarge);
    }
    if width.max(height) < MIN_LONG_SIDE || width.min(height) < MIN_SHORT_SIDE {
        return Err(ErrorCode::PhotoLowResolution);
    }
    Ok(PhotoFacts {
        format: format_name(format),
        width,
        height,
    })
}

/// Full decode under memory limits, with the EXIF orientation applied: catches truncated
/// and corrupt files.
pub fn decode(bytes: &[u8]) -> Result<(PhotoFacts, image::DynamicImage), ErrorCode> {
    let facts = inspect(bytes)?;
    let img = decode_oriented(bytes)?;
    let facts = PhotoFacts {
        width: img.width(),
        height: img.height(),
        ..facts
    };
    Ok((facts, img))
}

/// The general decoder (`image`) under memory limits, EXIF orientation applied, without
/// [`inspect`]'s checks (callers run the ones they need first).
pub(crate) fn decode_oriented(bytes: &[u8]) -> Result<image::DynamicImage, ErrorCode> {
    use image::ImageDecoder;
    let format = sniff_format(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn map_image_error(e: image::ImageError) -> ErrorCode {
    match e {
        image::ImageError::Limits(_) => ErrorCode::PhotoTooLarge,
        image::ImageError::Unsupported(_) => ErrorCode::PhotoUnsupportedFormat,
        _ => ErrorCode::PhotoUnreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 180, 160]));
        let mut out = Vec::new();
        let ok = image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .is_ok();
        assert!(ok);
        out
    }

    #[test]
    fn accepts_a_real_png() {
        let bytes = png(800, 500);
        let (facts, _) = decode(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((facts.format, facts.width, facts.height), ("png", 800, 500));
    }

    #[test]
    fn refuses_text_small_truncated_and_huge() {
        assert_eq!(
            inspect(b"hello, not an image").err(),
            Some(ErrorCode::PhotoUnsupportedFormat)
        );
        assert_eq!(
            inspect(&png(200, 100)).err(),
            Some(ErrorCode::PhotoLowResolution)
        );
        let full = png(800, 500);
        assert_eq!(
            decode(&full[..full.len() / 2]).err(),
            Some(ErrorCode::PhotoUnreadable)
        );
        assert_eq!(
            inspect(&vec![0u8; MAX_FILE_BYTES + 1]).err(),
            Some(ErrorCode::PhotoTooLarge)
        );
    }
}
