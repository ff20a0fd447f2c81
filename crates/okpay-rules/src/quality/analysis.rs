//! From the bytes of a photo to the fixed-scale grayscale analysis image (long side
//! [`ANALYSIS_LONG_SIDE`]) in displayed orientation, plus the scale back to the displayed
//! full-resolution image.
//!
//! JPEG goes through `jpeg-decoder` with a DCT-scaled decode (1/8 .. 1/1, the smallest scale
//! whose long side still covers the analysis size), converted to luma, then an area
//! downscale: no full-resolution RGB buffer is ever made for a JPEG. Other formats (and
//! a JPEG `jpeg-decoder` refuses) go through `image`, the general decoder, via
//! [`crate::photo::decode`].

use super::exif;
use super::gray::Gray;
use crate::error::ErrorCode;
use crate::photo;
use image::ImageFormat;

/// Long side of the analysis image, in pixels.
pub const ANALYSIS_LONG_SIDE: usize = 1008;

/// The analysis image and how it maps to the displayed photo.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub gray: Gray,
    /// Displayed (oriented) width and height of the photo at full resolution.
    pub width: u32,
    pub height: u32,
    /// Full-resolution pixels per analysis pixel.
    pub scale: f32,
    /// Which path decoded it: `jpeg-scaled-1/4`, `image`, ...
    pub path: &'static str,
}

impl Analysis {
    /// A point in analysis coordinates mapped to displayed full-resolution coordinates.
    pub fn to_full(&self, p: [f32; 2]) -> [f32; 2] {
        [
            (p[0] + 0.5) * self.scale - 0.5,
            (p[1] + 0.5) * self.scale - 0.5,
        ]
    }
}

/// How to decode a JPEG; the default is [`JpegPath::Scaled`] (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegPath {
    /// `jpeg-decoder` DCT-scaled decode, luma, then an area downscale.
    Scaled,
    /// `image` full decode (orientation applied), grayscale, area downscale.
    Full,
}

/// Decode `bytes` into the analysis image, after the header checks of
/// [`crate::photo::inspect`] (size, format, pixel count, resolution).
pub fn analysis_image(bytes: &[u8]) -> Result<Analysis, ErrorCode> {
    analysis_image_with(bytes, JpegPath::Scaled)
}

/// [`analysis_image`] with a chosen JPEG path (for measurements and tests).
pub fn analysis_image_with(bytes: &[u8], jpeg: JpegPath) -> Result<Analysis, ErrorCode> {
    photo::inspect(bytes)?;
    if jpeg == JpegPath::Scaled
        && photo::sniff_format(bytes)? == ImageFormat::Jpeg
        && let Some(a) = jpeg_scaled(bytes)
    {
        return Ok(a);
    }
    let (facts, img) = photo::decode(bytes)?;
    let gray = img.to_luma8();
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let (gray, scale) = Gray::new(w, h, gray.into_raw()).fit_area(ANALYSIS_LONG_SIDE);
    Ok(Analysis {
        gray,
        width: facts.width,
        height: facts.height,
        scale,
        path: "image",
    })
}

/// The DCT-scaled luma decode; `None` when `jpeg-decoder` cannot read the file (the caller
/// then tries the general decoder, which reports the error).
fn jpeg_scaled(bytes: &[u8]) -> Option<Analysis> {
    let run = || -> Option<Analysis> {
        let mut dec = jpeg_decoder::Decoder::new(bytes);
        dec.read_info().ok()?;
        let info = dec.info()?;
        let (fw, fh) = (usize::from(info.width), usize::from(info.height));
        let long = fw.max(fh);
        // Smallest of 1/8, 1/4, 1/2, 1 whose long side still reaches the analysis size.
        let denom = [8usize, 4, 2, 1]
            .into_iter()
            .find(|d| long.div_ceil(*d) >= ANALYSIS_LONG_SIDE)
            .unwrap_or(1);
        let (rw, rh) = (fw.div_ceil(denom), fh.div_ceil(denom));
        let (sw, sh) = dec
            .scale(u16::try_from(rw).ok()?, u16::try_from(rh).ok()?)
            .ok()?;
        let (sw, sh) = (usize::from(sw), usize::from(sh));
        dec.set_max_decoding_buffer_size(sw * sh * 4 + 1024);
        let orientation = dec.exif_data().and_then(exif::orientation).unwrap_or(1);
        let raw = dec.decode().ok()?;
        let channels = match dec.info()?.pixel_format {
            jpeg_decoder::PixelFormat::L8 => 1,
            jpeg_decoder::PixelFormat::RGB24 => 3,
            // 16-bit and CMYK JPEGs: leave them to the general decoder.
            _ => return None,
        };
        if raw.len() != sw * sh * channels {
            return None;
        }
        // Luma of the (already reduced) RGB output, with the weights of `image`'s `to_luma8`.
        let luma: Vec<u8> = if channels == 1 {
            raw
        } else {
            raw.chunks_exact(3)
                .map(|p| {
                    let y = 2126 * u32::from(p[0]) + 7152 * u32::from(p[1]) + 722 * u32::from(p[2]);
                    ((y + 5000) / 10000) as u8
                })
                .collect()
        };
        let (gray, s) = Gray::new(sw, sh, luma).fit_area(ANALYSIS_LONG_SIDE);
        let gray = gray.orient(orientation);
        let (width, height) = if orientation >= 5 { (fh, fw) } else { (fw, fh) };
        Some(Analysis {
            gray,
            width: u32::try_from(width).ok()?,
            height: u32::try_from(height).ok()?,
            scale: s * fw as f32 / sw as f32,
            path: match denom {
                8 => "jpeg-scaled-1/8",
                4 => "jpeg-scaled-1/4",
                2 => "jpeg-scaled-1/2",
                _ => "jpeg-scaled-1/1",
            },
        })
    };
    // A hostile file must not take the process down: the decoder is third-party code.
    std::panic::catch_unwind(run).ok().flatten()
}
