//! What a photo is, from its bytes: the format by content (never a file name), the refusals
//! before any big allocation or long decode (file size, pixel count, resolution, a JPEG's
//! scans and coefficient memory, what an upload may be), and the general decoder (`image`)
//! under memory limits.

use super::jpeg_header::{self, JpegFrame};
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
/// Most scans a JPEG may have. Cameras and scanners write one (baseline) or about ten
/// (progressive); each scan is another pass over every coefficient, so a file of thousands
/// of empty scans costs minutes of CPU.
pub const MAX_SCANS: u32 = 64;
/// Most memory a progressive JPEG's coefficients may hold while it decodes (a 48 MP 4:2:0
/// photo needs 144 MB).
pub const MAX_COEFFICIENT_BYTES: u64 = 256 << 20;
/// Longest side of an upload: the app sends [`crate::examine`]'s output, a baseline JPEG
/// scaled to at most this.
pub const UPLOAD_LONG_SIDE: u32 = okpay_rules::contract::MAX_UPLOAD_LONG_SIDE;

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
    inspect_with_header(bytes).map(|(facts, _)| facts)
}

/// [`inspect`], and a JPEG's header as read for its bounds.
fn inspect_with_header(
    bytes: &[u8],
) -> Result<(PhotoFacts, Option<jpeg_header::JpegHeader>), ErrorCode> {
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
    let header = if format == ImageFormat::Jpeg {
        Some(jpeg_bounds(bytes)?)
    } else {
        None
    };
    if width.max(height) < MIN_LONG_SIDE || width.min(height) < MIN_SHORT_SIDE {
        return Err(ErrorCode::PhotoLowResolution);
    }
    let facts = PhotoFacts {
        format: format_name(format),
        width,
        height,
    };
    Ok((facts, header))
}

/// A JPEG's header, refused when decoding it would take unbounded work: more than
/// [`MAX_SCANS`] scans, more than [`MAX_COEFFICIENT_BYTES`] of coefficients, or a coding the
/// decoders do not take.
fn jpeg_bounds(bytes: &[u8]) -> Result<jpeg_header::JpegHeader, ErrorCode> {
    let header = jpeg_header::read(bytes, MAX_SCANS)?;
    if header.scans > MAX_SCANS {
        return Err(ErrorCode::PhotoUnreadable);
    }
    if header.coefficient_bytes() > MAX_COEFFICIENT_BYTES {
        return Err(ErrorCode::PhotoTooLarge);
    }
    if header.frame == JpegFrame::Other {
        return Err(ErrorCode::PhotoUnsupportedFormat);
    }
    Ok(header)
}

/// [`inspect`], and what the contract allows an upload to be, checked before any decode: a
/// sequential (baseline) JPEG with its long side at most [`UPLOAD_LONG_SIDE`]. The server
/// takes nothing else; the device takes whatever a phone or scanner makes and prepares this.
pub fn inspect_upload(bytes: &[u8]) -> Result<PhotoFacts, ErrorCode> {
    let (facts, header) = inspect_with_header(bytes)?;
    let Some(header) = header else {
        return Err(ErrorCode::PhotoUnsupportedFormat);
    };
    if !matches!(header.frame, JpegFrame::Baseline | JpegFrame::Extended) {
        return Err(ErrorCode::PhotoUnsupportedFormat);
    }
    if header.width.max(header.height) > UPLOAD_LONG_SIDE {
        return Err(ErrorCode::PhotoTooLarge);
    }
    Ok(facts)
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

    /// An 800 x 500 JPEG, with `extra` more copies of its last scan before EOI.
    fn jpeg(progressive: bool, extra: usize) -> Vec<u8> {
        let jpeg = crate::testing::mozjpeg(800, 500, progressive);
        let last_sos = jpeg
            .windows(2)
            .rposition(|m| m == [0xFF, 0xDA])
            .unwrap_or(0);
        let eoi = jpeg.len() - 2;
        let mut out = jpeg[..eoi].to_vec();
        for _ in 0..extra {
            out.extend_from_slice(&jpeg[last_sos..eoi]);
        }
        out.extend_from_slice(&jpeg[eoi..]);
        out
    }

    #[test]
    fn a_scan_bomb_and_a_huge_progressive_frame_are_refused_before_decoding() {
        assert!(inspect(&jpeg(true, 0)).is_ok());
        assert!(decode(&jpeg(true, 0)).is_ok());
        let bomb = jpeg(true, MAX_SCANS as usize);
        assert_eq!(inspect(&bomb).err(), Some(ErrorCode::PhotoUnreadable));
        assert_eq!(
            crate::examine(&bomb, crate::quality::Strictness::Normal).err(),
            Some(ErrorCode::PhotoUnreadable)
        );
        // The same file claiming 10,000 x 10,000 pixels: within the pixel cap, but its
        // coefficients alone would take 300 MB.
        let mut huge = jpeg(true, 0);
        let sof = huge.windows(2).position(|m| m == [0xFF, 0xC2]).unwrap_or(0);
        huge[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]);
        assert_eq!(inspect(&huge).err(), Some(ErrorCode::PhotoTooLarge));
    }

    #[test]
    fn an_upload_is_a_baseline_jpeg_within_the_long_side() {
        let baseline = jpeg(false, 0);
        assert!(inspect_upload(&baseline).is_ok());
        assert_eq!(
            inspect_upload(&jpeg(true, 0)).err(),
            Some(ErrorCode::PhotoUnsupportedFormat)
        );
        assert_eq!(
            inspect_upload(&png(800, 500)).err(),
            Some(ErrorCode::PhotoUnsupportedFormat)
        );
        let mut wide = baseline.clone();
        let sof = wide.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap_or(0);
        wide[sof + 7..sof + 9].copy_from_slice(&(UPLOAD_LONG_SIDE as u16 + 1).to_be_bytes());
        assert_eq!(inspect_upload(&wide).err(), Some(ErrorCode::PhotoTooLarge));
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
