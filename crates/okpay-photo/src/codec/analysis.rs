//! The analysis image every check reads: the photo's luma with a long side of
//! [`ANALYSIS_LONG_SIDE`], in displayed orientation, its chroma at the card search's scale,
//! and the scale back to the displayed full-resolution photo. A JPEG is decoded DCT-scaled
//! ([`jpeg_scaled`](super::jpeg_scaled)), never at full resolution; anything else through
//! `image`. The paths and their costs: `docs/photo-engine.md`.

use super::exif;
use super::format;
use super::jpeg_reduced;
use super::jpeg_scaled::{Samples, ScaledJpeg, jpeg_scaled};
use crate::raster::chroma::{self, Chroma};
use crate::raster::{Orientation, Plane};
use image::ImageFormat;
use okpay_rules::ErrorCode;

/// Long side of the analysis image, in pixels.
pub const ANALYSIS_LONG_SIDE: usize = 1008;

/// The analysis image and how it maps to the displayed photo.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub gray: Plane,
    /// Displayed (oriented) width and height of the photo at full resolution.
    pub width: u32,
    pub height: u32,
    /// Full-resolution pixels per analysis pixel.
    pub scale: f32,
    /// Which path decoded it: `jpeg-scaled-1/4`, `image`, ...
    pub path: &'static str,
    /// The colour at the card search's scale, when the photo has colour.
    pub chroma: Option<Chroma>,
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
    /// A DCT-scaled decode, then an area downscale: the engine's own 1/4-scale baseline
    /// decoder ([`crate::codec::jpeg_reduced`]) where it applies, else libjpeg.
    Scaled,
    /// libjpeg's DCT-scaled decode always (the comparison for [`JpegPath::Scaled`]).
    Libjpeg,
    /// `image` full decode (orientation applied), grayscale, area downscale.
    Full,
}

/// Decode `bytes` into the analysis image, after the header checks of
/// [`inspect`](super::format::inspect) (size, format, pixel count, resolution).
pub fn analysis_image(bytes: &[u8]) -> Result<Analysis, ErrorCode> {
    analysis_image_with(bytes, JpegPath::Scaled)
}

/// [`analysis_image`] with a chosen JPEG path (for measurements and tests).
pub fn analysis_image_with(bytes: &[u8], jpeg: JpegPath) -> Result<Analysis, ErrorCode> {
    format::inspect(bytes)?;
    if jpeg != JpegPath::Full
        && format::sniff_format(bytes)? == ImageFormat::Jpeg
        && let Some(a) = jpeg_analysis(bytes, jpeg == JpegPath::Scaled)?
    {
        return Ok(a);
    }
    let (facts, img) = format::decode(bytes)?;
    let (gray, scale, chroma) = gray_chroma_fit(img, ANALYSIS_LONG_SIDE);
    Ok(Analysis {
        gray,
        width: facts.width,
        height: facts.height,
        scale,
        path: "image",
        chroma,
    })
}

/// A decoded image as BT.601 luma (the same weights as a JPEG's Y and as
/// [`resample::luma`](crate::raster::resample::luma)), area-downscaled to a long side of at most `long_side`
/// in one pass: no full-size luma copy. Returns the image and the factor.
pub(crate) fn gray_fit(img: image::DynamicImage, long_side: usize) -> (Plane, f32) {
    match img {
        image::DynamicImage::ImageLuma8(g) => {
            let (w, h) = (g.width() as usize, g.height() as usize);
            Plane::new(w, h, g.into_raw()).fit_area(long_side)
        }
        image::DynamicImage::ImageRgb8(rgb) => rgb_fit(&rgb, long_side),
        other => rgb_fit(&other.into_rgb8(), long_side),
    }
}

/// [`gray_fit`] and, for a colour image, its chroma at the card search's scale.
fn gray_chroma_fit(img: image::DynamicImage, long_side: usize) -> (Plane, f32, Option<Chroma>) {
    let rgb = match img {
        image::DynamicImage::ImageLuma8(_) | image::DynamicImage::ImageLumaA8(_) => {
            let (g, s) = gray_fit(img, long_side);
            return (g, s, None);
        }
        image::DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.into_rgb8(),
    };
    let (g, s) = rgb_fit(&rgb, long_side);
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    let (cw, ch) = chroma::search_size(g.width, g.height);
    let c = Chroma::from_rgb_resized(rgb.as_raw(), w, h, cw, ch);
    (g, s, Some(c))
}

fn rgb_fit(rgb: &image::RgbImage, long_side: usize) -> (Plane, f32) {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    crate::raster::resample::luma_fit(rgb.as_raw(), w, h, long_side)
}

/// The DCT-scaled luma decode, oriented and area-downscaled to the analysis size.
fn jpeg_analysis(bytes: &[u8], own: bool) -> Result<Option<Analysis>, ErrorCode> {
    let Some(j) = jpeg_scaled(bytes, ANALYSIS_LONG_SIDE, Samples::YCbCr, own)? else {
        return Ok(None);
    };
    match analysis_of(j, own)? {
        Some(a) => Ok(Some(a)),
        // Chroma subsampled below the search size (a long, narrow photo): libjpeg's decode
        // has it at the luma's size.
        None => jpeg_analysis(bytes, false),
    }
}

/// The engine's own 1/4-scale decode of a 4:2:0 JPEG with its 1/2-scale planes
/// ([`jpeg_reduced::decode_with_half`], the 1/2 scale being the one for a long side of at least
/// `min_half_long`): the analysis image made from the planes' 2 x 2 means as
/// [`analysis_image`] makes it from a 1/4 decode, the planes, and the orientation they still
/// need. `Ok(None)` when that path does not apply.
pub(crate) fn jpeg_analysis_and_half(
    bytes: &[u8],
    min_half_long: usize,
) -> Result<Option<(Analysis, jpeg_reduced::Half, Orientation)>, ErrorCode> {
    let Some(layout) = exif::jpeg_layout(bytes).filter(|l| l.complete) else {
        return Ok(None);
    };
    let Some((q, half)) = jpeg_reduced::decode_with_half(bytes, ANALYSIS_LONG_SIDE, min_half_long)
    else {
        return Ok(None);
    };
    let orientation = layout.orientation.unwrap_or_default();
    let j = ScaledJpeg::quarter(q, orientation);
    Ok(analysis_of(j, true)?.map(|a| (a, half, orientation)))
}

/// The analysis image of a DCT-scaled decode: the luma area-downscaled to the analysis size,
/// the chroma to the search size, both oriented. `None` when `at_least` and the chroma is
/// smaller than the search size.
fn analysis_of(j: ScaledJpeg, at_least: bool) -> Result<Option<Analysis>, ErrorCode> {
    let path = j.path();
    let (dw, dh) = j.displayed();
    let (sw, full_w) = (j.width, j.full_width);
    let (y, chroma) = (Plane::new(j.width, j.height, j.data), j.chroma);
    let (gray, s) = y.fit_area(ANALYSIS_LONG_SIDE);
    let (cw, ch) = chroma::search_size(gray.width, gray.height);
    if at_least
        && chroma
            .as_ref()
            .is_some_and(|c| c.width() < cw || c.height() < ch)
    {
        return Ok(None);
    }
    let chroma = chroma.map(|c| c.resized(cw, ch).orient(j.orientation));
    let gray = gray.orient(j.orientation);
    Ok(Some(Analysis {
        gray,
        width: u32::try_from(dw).map_err(|_| ErrorCode::PhotoTooLarge)?,
        height: u32::try_from(dh).map_err(|_| ErrorCode::PhotoTooLarge)?,
        scale: s * full_w as f32 / sw as f32,
        path,
        chroma,
    }))
}
