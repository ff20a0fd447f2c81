//! From the bytes of a photo to the fixed-scale grayscale analysis image (long side
//! [`ANALYSIS_LONG_SIDE`]) in displayed orientation, plus the scale back to the displayed
//! full-resolution image.
//!
//! A JPEG is decoded DCT-scaled, at n/8 for the smallest n whose long side still covers the
//! analysis size ([`dct_scale`]), then its luma is area-downscaled and its chroma brought to
//! the card search's scale ([`Chroma`]): no full-resolution RGB buffer is ever made for a
//! JPEG. At 1/4, the scale of a 12 to 48 MP phone photo, a baseline file goes through the
//! engine's own decoder ([`quarter`]: libjpeg's Y plane sample for sample, the chroma
//! straight at its blocks' scale); any other scale or kind of JPEG through libjpeg (the
//! `mozjpeg` build of libjpeg-turbo) to YCbCr, split as decoded. Chosen by measurement on a
//! 12 MP baseline JPEG (`benches/decode_paths.rs`, CPU ms, `simd` feature): the own 1/4
//! decode with chroma 32, libjpeg's 1/4 to YCbCr 44 (gray only 40), `jpeg-decoder`'s
//! `scale()` 1/4 60, a full `zune-jpeg` luma decode 62 (the last two in an earlier, slower
//! run of the same machine). Other formats (and
//! a JPEG libjpeg refuses) go through `image`, the general decoder, via
//! [`crate::photo::decode`]. [`crate::photo::examine`] has the own decoder give a 4:2:0
//! photo's 1/2-scale planes for the upload in the same pass, and the analysis planes then
//! as their 2 x 2 means (within a level or two of the 1/4 decode's).

use super::chroma::{self, Chroma, YccSplit};
use super::exif;
use super::gray::Gray;
use super::quarter;
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
    /// decoder ([`super::quarter`]) where it applies, else libjpeg.
    Scaled,
    /// libjpeg's DCT-scaled decode always (the comparison for [`JpegPath::Scaled`]).
    Libjpeg,
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
    if jpeg != JpegPath::Full
        && photo::sniff_format(bytes)? == ImageFormat::Jpeg
        && let Some(a) = jpeg_analysis(bytes, jpeg == JpegPath::Scaled)?
    {
        return Ok(a);
    }
    let (facts, img) = photo::decode(bytes)?;
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
/// [`gray::luma`](super::gray::luma)), area-downscaled to a long side of at most `long_side`
/// in one pass: no full-size luma copy. Returns the image and the factor.
pub(crate) fn gray_fit(img: image::DynamicImage, long_side: usize) -> (Gray, f32) {
    match img {
        image::DynamicImage::ImageLuma8(g) => {
            let (w, h) = (g.width() as usize, g.height() as usize);
            Gray::new(w, h, g.into_raw()).fit_area(long_side)
        }
        image::DynamicImage::ImageRgb8(rgb) => rgb_fit(&rgb, long_side),
        other => rgb_fit(&other.into_rgb8(), long_side),
    }
}

/// [`gray_fit`] and, for a colour image, its chroma at the card search's scale.
fn gray_chroma_fit(img: image::DynamicImage, long_side: usize) -> (Gray, f32, Option<Chroma>) {
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

fn rgb_fit(rgb: &image::RgbImage, long_side: usize) -> (Gray, f32) {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    super::gray::luma_fit(rgb.as_raw(), w, h, long_side)
}

/// A JPEG decoded at a DCT scale of `num / 8`, not yet oriented.
pub(crate) struct ScaledJpeg {
    /// Gray or Y (1 byte per pixel) or RGB (3) samples, row-major.
    pub data: Vec<u8>,
    pub width: usize,
    pub height: usize,
    /// Stored (not oriented) full-resolution size.
    pub full_width: usize,
    pub full_height: usize,
    /// EXIF orientation, 1 when absent.
    pub orientation: u16,
    /// The scale numerator over 8.
    pub num: u8,
    /// The chroma of a YCbCr decode of a colour photo (see [`YccSplit`]).
    pub chroma: Option<Chroma>,
}

impl ScaledJpeg {
    /// The own decoder's 1/4-scale planes of a photo with EXIF `orientation`.
    fn quarter(q: quarter::Quarter, orientation: u16) -> ScaledJpeg {
        ScaledJpeg {
            data: q.y.data,
            width: q.y.width,
            height: q.y.height,
            full_width: q.full_width,
            full_height: q.full_height,
            orientation,
            num: 2,
            chroma: q.chroma,
        }
    }

    /// The decode path, as reported in the metrics.
    pub fn path(&self) -> &'static str {
        const PATHS: [&str; 8] = [
            "jpeg-scaled-1/8",
            "jpeg-scaled-1/4",
            "jpeg-scaled-3/8",
            "jpeg-scaled-1/2",
            "jpeg-scaled-5/8",
            "jpeg-scaled-3/4",
            "jpeg-scaled-7/8",
            "jpeg-scaled-1/1",
        ];
        PATHS[usize::from(self.num.clamp(1, 8)) - 1]
    }

    /// Displayed (oriented) full-resolution width and height.
    pub fn displayed(&self) -> (usize, usize) {
        super::orient::displayed_size(self.full_width, self.full_height, self.orientation)
    }
}

/// The samples a DCT-scaled JPEG decode delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Samples {
    Gray,
    Rgb,
    /// The Y plane, with the chroma split off as it is decoded (see [`YccSplit`]).
    YCbCr,
}

/// The DCT scale (`n / 8`) a decode takes for a long side of `long` pixels: the smallest
/// whose long side still reaches `min_long`, or full size.
pub fn dct_scale(long: usize, min_long: usize) -> u8 {
    (1..=8u8)
        .find(|n| (long * usize::from(*n)).div_ceil(8) >= min_long)
        .unwrap_or(8)
}

/// Decode a JPEG with DCT scaling at [`dct_scale`], to gray, RGB or YCbCr (a gray JPEG
/// gives gray): gray and YCbCr through the engine's own decoder when `own` and it applies
/// ([`quarter`]: the same Y plane, the chroma at its blocks' 2 x 2 scale), else libjpeg.
/// `Ok(None)` when libjpeg cannot read the file (CMYK, 12-bit, ...): the caller then tries
/// the general decoder, which reports the error. A file cut short before its end-of-image
/// marker is unreadable.
pub(crate) fn jpeg_scaled(
    bytes: &[u8],
    min_long: usize,
    samples: Samples,
    own: bool,
) -> Result<Option<ScaledJpeg>, ErrorCode> {
    let Some(layout) = exif::jpeg_layout(bytes) else {
        return Ok(None);
    };
    if !layout.complete {
        return Err(ErrorCode::PhotoUnreadable);
    }
    let orientation = layout.orientation.unwrap_or(1);
    if own && samples != Samples::Rgb {
        let chroma = samples == Samples::YCbCr;
        if let Some(q) = quarter::decode(bytes, min_long, chroma) {
            return Ok(Some(ScaledJpeg::quarter(q, orientation)));
        }
    }
    let run = || -> std::io::Result<Option<ScaledJpeg>> {
        let mut dec = mozjpeg::Decompress::new_mem(bytes)?;
        let (fw, fh) = dec.size();
        let num = dct_scale(fw.max(fh), min_long);
        dec.scale(num);
        if samples == Samples::Rgb && num < 8 {
            // Below full size the luma takes a reduced IDCT; the 8 x 8 one left is the
            // chroma's (scaled up instead of upsampled), where the fast integer IDCT's small
            // error is invisible: ~1 ms less for a 12 MP photo at 1/2.
            dec.dct_method(mozjpeg::DctMethod::IntegerFast);
        }
        let colour = dec.color_space() != mozjpeg::ColorSpace::JCS_GRAYSCALE;
        if samples == Samples::YCbCr {
            // The chroma is wanted at half the decoded size at most: plain replication
            // instead of the smoothing upsampler, and the 2 x 2 means give the samples back.
            dec.do_fancy_upsampling(false);
        }
        let mut started = match samples {
            Samples::Gray => dec.grayscale()?,
            Samples::Rgb => dec.rgb()?,
            Samples::YCbCr if colour => dec.to_colorspace(mozjpeg::ColorSpace::JCS_YCbCr)?,
            Samples::YCbCr => dec.grayscale()?,
        };
        let (width, height) = (started.width(), started.height());
        let (data, chroma) = if samples == Samples::YCbCr && colour {
            // Split as decoded, a strip at a time.
            let mut split = YccSplit::new(width, height, min_long);
            let k = split.strip_rows();
            let mut strip = vec![0u8; k * width * 3];
            let mut row = 0;
            while row < height {
                let n = k.min(height - row);
                let rows = started.read_scanlines_into(&mut strip[..n * width * 3])?;
                split.push(rows, row);
                row += n;
            }
            let (y, c) = split.finish();
            (y.data, Some(c))
        } else {
            (started.read_scanlines::<u8>()?, None)
        };
        started.finish()?;
        let channels = match samples {
            Samples::Rgb => 3,
            Samples::Gray | Samples::YCbCr => 1,
        };
        if data.len() != width * height * channels {
            return Ok(None);
        }
        Ok(Some(ScaledJpeg {
            data,
            chroma,
            width,
            height,
            full_width: fw,
            full_height: fh,
            orientation,
            num,
        }))
    };
    // libjpeg reports fatal errors by unwinding; a hostile file must not take the process
    // down.
    Ok(std::panic::catch_unwind(run)
        .ok()
        .and_then(Result::ok)
        .flatten())
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
/// ([`quarter::decode_with_half`], the 1/2 scale being the one for a long side of at least
/// `min_half_long`): the analysis image made from the planes' 2 x 2 means as
/// [`analysis_image`] makes it from a 1/4 decode, the planes, and the orientation they still
/// need. `Ok(None)` when that path does not apply.
pub(crate) fn jpeg_analysis_and_half(
    bytes: &[u8],
    min_half_long: usize,
) -> Result<Option<(Analysis, quarter::Half, u16)>, ErrorCode> {
    let Some(layout) = exif::jpeg_layout(bytes).filter(|l| l.complete) else {
        return Ok(None);
    };
    let Some((q, half)) = quarter::decode_with_half(bytes, ANALYSIS_LONG_SIDE, min_half_long)
    else {
        return Ok(None);
    };
    let orientation = layout.orientation.unwrap_or(1);
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
    let (y, chroma) = (Gray::new(j.width, j.height, j.data), j.chroma);
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
