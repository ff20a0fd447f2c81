//! The one photo pipeline: [`examine`] takes the bytes of a photo to its facts, its quality
//! [`Verdict`], the JPEG to upload and a small preview, from one
//! decode. Also the pieces it is made of: format sniffing by content, refusals before any
//! big allocation (file size, pixel count, resolution), the general decoder under memory
//! limits, and the metadata-free JPEG encoder (module `encode`).
//!
//! A JPEG is decoded once, DCT-scaled, to a working size whose long side is at least
//! [`WORK_MIN_LONG_SIDE`] (n/8 of the stored size, e.g. 1/2 for 12 MP); the analysis image,
//! the upload and the preview all come from that one decode, so a 12 MP JPEG never has a
//! full-resolution buffer. A baseline 4:2:0 JPEG whose scales are 1/4 for the analysis and
//! 1/2 for the upload (a 12 to 20 MP phone photo) takes one pass of the engine's own decoder
//! to Y, Cb and Cr planes, and the upload is encoded from them as they are (module
//! `planar`); any other JPEG takes libjpeg's decode to RGB. The EXIF orientation (a
//! phone's portrait shot) is applied to the small planes or halvings and, strip by strip, on
//! the way into the upload's encoder, not to a second copy of the working image. Only when
//! the card would then be narrower than [`UPLOAD_MIN_CARD_PX`] and the file holds more is it
//! decoded once more, larger. Other formats are decoded in full and then halved exactly
//! down to the same working size (while the card keeps [`UPLOAD_MIN_CARD_PX`]), so one
//! photo gives the same upload in any format. The upload is the card found and a margin
//! around it, cut from the working image (the whole frame when no card was found; module
//! `crop`); the preview is the whole frame.

use crate::error::ErrorCode;
use crate::quality::chroma::{self, Chroma};
use crate::quality::orient::Window;
use crate::quality::{self, Strictness, Verdict, gray};
use encode::{encode_rgb, encode_with};
use image::{ImageFormat, ImageReader, RgbImage};
use planar::Planar;
use std::io::Cursor;

mod crop;
mod encode;
mod planar;
pub use crop::UPLOAD_CARD_MARGIN;

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

/// Longest side of an uploaded photo.
pub const UPLOAD_LONG_SIDE: u32 = 2560;
/// JPEG quality of an uploaded photo.
pub const UPLOAD_QUALITY: u8 = 85;

/// Long side of the preview made by [`examine`].
pub const PREVIEW_LONG_SIDE: u32 = 640;
/// JPEG quality of a preview.
pub const PREVIEW_QUALITY: u8 = 80;
/// A JPEG is decoded (DCT-scaled) to at least this long side for [`examine`].
pub const WORK_MIN_LONG_SIDE: usize = 2000;
/// The card's long side the upload keeps when the photo has that many pixels on it.
pub const UPLOAD_MIN_CARD_PX: f32 = 1200.0;

/// Everything the app, the CLI and the server need from one photo.
#[derive(Debug, Clone)]
pub struct Examined {
    /// Format and displayed (oriented) full-resolution size.
    pub facts: PhotoFacts,
    pub verdict: Verdict,
    /// The JPEG to upload: orientation applied, the card found with a margin around it
    /// ([`UPLOAD_CARD_MARGIN`] of its long side: its edges stay) or the whole frame when no
    /// card was found, long side at most [`UPLOAD_LONG_SIDE`], quality [`UPLOAD_QUALITY`], no
    /// metadata but a plain JFIF header.
    pub upload: Vec<u8>,
    /// The part of the photo in [`Examined::upload`], displayed full-resolution pixels.
    pub upload_region: quality::Rect,
    /// A JPEG preview, long side [`PREVIEW_LONG_SIDE`] (or less for a smaller photo), in the
    /// same orientation as the verdict's coordinates scaled by `preview width / facts.width`.
    pub preview: Vec<u8>,
}

/// Judge a photo and prepare its upload and preview from one decode. Errors are the
/// refusals before any judgement (unreadable, unsupported, too large, too few pixels).
pub fn examine(bytes: &[u8], strictness: Strictness) -> Result<Examined, ErrorCode> {
    let facts = inspect(bytes)?;
    if let Some(planar) = Planar::decode(bytes, WORK_MIN_LONG_SIDE)? {
        let verdict = quality::assess_analysis(&planar.analysis, strictness);
        let (w, h) = (planar.analysis.width, planar.analysis.height);
        return match larger_decode(&verdict, w, h, planar.shown().0) {
            None => planar.finish(facts, verdict),
            Some(want) => {
                drop(planar);
                let mut work = working_image(bytes, want)?;
                work.orient_now();
                finish_rgb(facts, verdict, work, None)
            }
        };
    }
    let mut work = working_image(bytes, WORK_MIN_LONG_SIDE)?;
    let (analysis, mut half) = work.analysis();
    let verdict = quality::assess_analysis(&analysis, strictness);
    drop(analysis);
    if work.scaled
        && let Some(want) = larger_decode(&verdict, work.width, work.height, work.shown().0)
    {
        work = working_image(bytes, want)?;
        work.orient_now();
        half = None;
    }
    finish_rgb(facts, verdict, work, half)
}

/// Too few pixels on the card in a DCT-scaled decode of displayed width `shown` (of a
/// `width` x `height` photo) for legible text, but more in the file: the long side to decode
/// once more at, just large enough (within [`UPLOAD_LONG_SIDE`]).
fn larger_decode(verdict: &Verdict, width: u32, height: u32, shown: usize) -> Option<usize> {
    let card = verdict.metrics.card_long_side_px?;
    let per_full = shown as f32 / width as f32;
    if card * per_full >= UPLOAD_MIN_CARD_PX || per_full >= 1.0 {
        return None;
    }
    let long = width.max(height) as f32;
    let want = (long * UPLOAD_MIN_CARD_PX / card).ceil() as usize;
    Some(want.min(UPLOAD_LONG_SIDE as usize))
}

/// The upload and the preview from the RGB working image (and its halving, if made).
fn finish_rgb(
    facts: PhotoFacts,
    verdict: Verdict,
    mut work: Working,
    mut half: Option<RgbImage>,
) -> Result<Examined, ErrorCode> {
    // Decoded in full (PNG, WebP): exact halvings while the card keeps its legible width
    // and the long side stays at the working size, as a JPEG's DCT-scaled decode gives: the
    // same upload for the same photo in either format, and no resample of a 12 MP image.
    if !work.scaled {
        work.orient_now();
        let card = verdict.metrics.card_long_side_px;
        loop {
            let (w, h) = (work.rgb.width(), work.rgb.height());
            let per_full = w as f32 / work.width as f32;
            let fits = |c: f32| c * per_full / 2.0 >= UPLOAD_MIN_CARD_PX;
            if (w.max(h) / 2) < WORK_MIN_LONG_SIDE as u32
                || w % 2 == 1
                || h % 2 == 1
                || !card.is_none_or(fits)
            {
                break;
            }
            let data = gray::area_resize(
                work.rgb.as_raw(),
                w as usize,
                h as usize,
                3,
                (w / 2) as usize,
                (h / 2) as usize,
            );
            match RgbImage::from_raw(w / 2, h / 2, data) {
                Some(smaller) => work.rgb = smaller,
                None => break,
            }
            half = None;
        }
    }
    // The card and its margin, cut from the stored image; oriented on the way into the
    // encoder unless it needs a downscale first.
    let (full, shown) = ((work.width, work.height), work.shown());
    let span = crop::upload_span(verdict.quad.as_ref(), full, shown);
    let (rw, rh) = (work.rgb.width() as usize, work.rgb.height() as usize);
    let win = span.stored(rw, rh, work.orientation).window(rw);
    let upload = if span.width().max(span.height()) > UPLOAD_LONG_SIDE as usize {
        let upright = upright(&work.rgb, win, work.orientation)?;
        encode_rgb(&fit_rgb(&upright, UPLOAD_LONG_SIDE), UPLOAD_QUALITY)?
    } else {
        encode_with(&work.rgb, win, work.orientation, UPLOAD_QUALITY)?
    };
    let upload_region = span.full_rect(full, shown);
    let small = match &half {
        Some(half) => shrink_rgb(half, PREVIEW_LONG_SIDE),
        None => shrink_rgb(&work.rgb, PREVIEW_LONG_SIDE),
    };
    let preview = encode_rgb(&small, PREVIEW_QUALITY)?;
    Ok(Examined {
        facts: PhotoFacts {
            width: work.width,
            height: work.height,
            ..facts
        },
        verdict,
        upload,
        upload_region,
        preview,
    })
}

/// Re-check an upload made by [`examine`] (the server's side). An upload is an ordinary
/// JPEG with its long side at most [`UPLOAD_LONG_SIDE`], judged like any photo; a photo
/// that passed [`Strictness::Normal`] on the device passes [`Strictness::Relaxed`] here.
pub fn assess_upload(bytes: &[u8], strictness: Strictness) -> Result<Verdict, ErrorCode> {
    quality::assess(bytes, strictness)
}

/// The decoded working image.
struct Working {
    /// Stored orientation until [`Working::orient_now`] (a JPEG's is applied late: the
    /// analysis and preview are oriented once small, the upload on the way into the
    /// encoder).
    rgb: RgbImage,
    /// The EXIF orientation `rgb` still needs (1: none).
    orientation: u16,
    /// Displayed full-resolution size.
    width: u32,
    height: u32,
    /// Decoded with DCT scaling (a larger decode is possible).
    scaled: bool,
    path: &'static str,
}

impl Working {
    /// Apply the pending orientation to the whole image.
    fn orient_now(&mut self) {
        if self.orientation != 1 {
            let rgb = std::mem::take(&mut self.rgb);
            self.rgb = orient_rgb(rgb, self.orientation);
            self.orientation = 1;
        }
    }

    /// Width and height of `rgb` in displayed orientation.
    fn shown(&self) -> (usize, usize) {
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        quality::orient::displayed_size(w, h, self.orientation)
    }

    /// The analysis image: luma, area-downscaled to the analysis size. When the working
    /// image is exactly twice the analysis size (a 12 MP JPEG's 1/2 decode), its RGB halving
    /// comes from the same pass, for the preview; both halvings are oriented only then (a
    /// 2 x 2 block turns into a 2 x 2 block: the same pixels). Otherwise the whole image is
    /// oriented first.
    fn analysis(&mut self) -> (quality::Analysis, Option<RgbImage>) {
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        let long = quality::ANALYSIS_LONG_SIDE;
        let halves = w.max(h) == 2 * long && w % 2 == 0 && h % 2 == 0;
        if !halves {
            self.orient_now();
        }
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        let (g, s, half) = if halves {
            let (half, luma) = gray::halve_rgb_and_luma(self.rgb.as_raw(), w);
            let half = RgbImage::from_raw(self.rgb.width() / 2, self.rgb.height() / 2, half)
                .map(|half| orient_rgb(half, self.orientation));
            let luma = gray::Gray::new(w / 2, h / 2, luma).orient(self.orientation);
            (luma, 2.0, half)
        } else {
            let (g, s) = gray::luma_fit(self.rgb.as_raw(), w, h, long);
            (g, s, None)
        };
        let (cw, ch) = chroma::search_size(g.width, g.height);
        let chroma = match &half {
            Some(half) => {
                let (hw, hh) = (half.width() as usize, half.height() as usize);
                Chroma::from_rgb_resized(half.as_raw(), hw, hh, cw, ch)
            }
            None => Chroma::from_rgb_resized(self.rgb.as_raw(), w, h, cw, ch),
        };
        let a = quality::Analysis {
            gray: g,
            width: self.width,
            height: self.height,
            scale: s * self.width as f32 / self.shown().0 as f32,
            path: self.path,
            chroma: Some(chroma),
        };
        (a, half)
    }
}

/// Decode to RGB with the orientation applied; a JPEG DCT-scaled to a long side of at
/// least `min_long`, anything else in full.
fn working_image(bytes: &[u8], min_long: usize) -> Result<Working, ErrorCode> {
    if sniff_format(bytes)? == ImageFormat::Jpeg
        && let Some(j) =
            quality::analysis::jpeg_scaled(bytes, min_long, quality::analysis::Samples::Rgb, false)?
    {
        let (dw, dh) = j.displayed();
        let path = j.path();
        let (w, h) = (
            u32::try_from(j.width).map_err(|_| ErrorCode::PhotoTooLarge)?,
            u32::try_from(j.height).map_err(|_| ErrorCode::PhotoTooLarge)?,
        );
        let rgb = RgbImage::from_raw(w, h, j.data).ok_or(ErrorCode::PhotoUnreadable)?;
        return Ok(Working {
            rgb,
            orientation: j.orientation,
            width: u32::try_from(dw).map_err(|_| ErrorCode::PhotoTooLarge)?,
            height: u32::try_from(dh).map_err(|_| ErrorCode::PhotoTooLarge)?,
            scaled: j.num < 8,
            path,
        });
    }
    let (facts, img) = decode(bytes)?;
    Ok(Working {
        rgb: img.into_rgb8(),
        orientation: 1,
        width: facts.width,
        height: facts.height,
        scaled: false,
        path: "image",
    })
}

/// Window `win` of `img`, with `orientation` applied.
fn upright(img: &RgbImage, win: Window, orientation: u16) -> Result<RgbImage, ErrorCode> {
    let (w, h) = quality::orient::displayed_size(win.w, win.h, orientation);
    let mut data = vec![0u8; w * h * 3];
    if !quality::orient::oriented_rows::<3>(img.as_raw(), win, orientation, 0..h, &mut data) {
        return Err(ErrorCode::Internal);
    }
    let (w, h) = (
        u32::try_from(w).map_err(|_| ErrorCode::Internal)?,
        u32::try_from(h).map_err(|_| ErrorCode::Internal)?,
    );
    RgbImage::from_raw(w, h, data).ok_or(ErrorCode::Internal)
}

fn orient_rgb(rgb: RgbImage, orientation: u16) -> RgbImage {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    match gray::orient(rgb.as_raw(), w, h, 3, orientation) {
        Some((data, ow, oh)) => RgbImage::from_raw(ow as u32, oh as u32, data).unwrap_or(rgb),
        None => rgb,
    }
}

/// Re-encode for upload: orientation applied, long side at most [`UPLOAD_LONG_SIDE`], baseline
/// JPEG with no metadata at all (no EXIF, GPS, XMP or comments survive a re-encode).
pub fn prepare_upload(img: &image::DynamicImage) -> Result<Vec<u8>, ErrorCode> {
    encode_rgb(&fit_rgb(&rgb_of(img), UPLOAD_LONG_SIDE), UPLOAD_QUALITY)
}

/// A small JPEG preview for the UI.
pub fn preview(img: &image::DynamicImage, long_side: u32) -> Result<Vec<u8>, ErrorCode> {
    encode_rgb(&shrink_rgb(&rgb_of(img), long_side), PREVIEW_QUALITY)
}

/// The image as RGB, borrowed when it already is.
fn rgb_of(img: &image::DynamicImage) -> std::borrow::Cow<'_, RgbImage> {
    match img.as_rgb8() {
        Some(rgb) => std::borrow::Cow::Borrowed(rgb),
        None => std::borrow::Cow::Owned(img.to_rgb8()),
    }
}

/// [`fit_rgb`] for a large reduction: exact integer halvings while the long side stays at
/// least `long_side`, then the area resample.
fn shrink_rgb(img: &RgbImage, long_side: u32) -> std::borrow::Cow<'_, RgbImage> {
    let (w, h) = (img.width(), img.height());
    if w.max(h) < 2 * long_side || w % 2 == 1 || h % 2 == 1 {
        return fit_rgb(img, long_side);
    }
    let half = gray::area_resize(
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
fn fit_rgb(img: &RgbImage, long_side: u32) -> std::borrow::Cow<'_, RgbImage> {
    let (w, h) = (img.width(), img.height());
    if w.max(h) <= long_side {
        return std::borrow::Cow::Borrowed(img);
    }
    let s = f64::from(w.max(h)) / f64::from(long_side);
    let ow = ((f64::from(w) / s).round() as u32).clamp(1, long_side);
    let oh = ((f64::from(h) / s).round() as u32).clamp(1, long_side);
    let data = gray::area_resize(
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
    fn orientation_matches_image_ops() {
        use image::imageops;
        let img = image::RgbImage::from_fn(41, 23, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 11) as u8, ((x * y) % 251) as u8])
        });
        for o in 1..=8u16 {
            let want = match o {
                2 => imageops::flip_horizontal(&img),
                3 => imageops::rotate180(&img),
                4 => imageops::flip_vertical(&img),
                5 => imageops::flip_horizontal(&imageops::rotate90(&img)),
                6 => imageops::rotate90(&img),
                7 => imageops::flip_horizontal(&imageops::rotate270(&img)),
                8 => imageops::rotate270(&img),
                _ => img.clone(),
            };
            assert_eq!(orient_rgb(img.clone(), o), want, "{o}");
        }
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

    #[test]
    fn upload_is_a_bare_jpeg_within_bounds() {
        let img = image::DynamicImage::ImageRgb8(image::RgbImage::new(4000, 3000));
        let out = prepare_upload(&img).unwrap_or_default();
        assert_eq!(sniff_format(&out).ok(), Some(ImageFormat::Jpeg));
        let (w, h) = ImageReader::with_format(Cursor::new(&out), ImageFormat::Jpeg)
            .into_dimensions()
            .unwrap_or((0, 0));
        assert_eq!((w, h), (2560, 1920));
        // Walk the segments up to the scan: only APP0 (JFIF) may stand among the APPn/COM.
        let mut markers = Vec::new();
        let mut i = 2;
        while i + 4 <= out.len() && out[i] == 0xFF && out[i + 1] != 0xDA {
            markers.push(out[i + 1]);
            i += 2 + usize::from(u16::from_be_bytes([out[i + 2], out[i + 3]]));
        }
        assert!(!markers.is_empty());
        assert!(
            markers
                .iter()
                .all(|m| !(0xE1..=0xEF).contains(m) && *m != 0xFE),
            "{markers:x?}"
        );
    }
}
