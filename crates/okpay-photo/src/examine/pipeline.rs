//! The pipeline: one decode, the verdict, then the upload and the preview.

use super::crop;
use super::output::{
    Examined, PREVIEW_LONG_SIDE, PREVIEW_QUALITY, UPLOAD_LONG_SIDE, UPLOAD_MIN_CARD_PX,
    UPLOAD_QUALITY, WORK_MIN_LONG_SIDE,
};
use super::planar::Planar;
use super::rgb::{fit_rgb, shrink_rgb};
use crate::codec::analysis_image;
use crate::codec::encode::{encode_rgb, encode_with};
use crate::codec::format::{PhotoFacts, decode, inspect, inspect_upload, sniff_format};
use crate::codec::{ANALYSIS_LONG_SIDE, Analysis, jpeg_scaled};
use crate::quality::phash::Fingerprint;
use crate::quality::{self, Strictness, Verdict};
use crate::raster::Orientation;
use crate::raster::chroma::{self, Chroma};
use crate::raster::orient::{self, Window};
use crate::raster::{orient_samples, resample};
use image::{ImageFormat, RgbImage};
use okpay_rules::ErrorCode;

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
            let data = resample::area_resize(
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

/// Re-check an upload made by [`examine`] (the server's side), from one decode: its verdict
/// and its fingerprint for the duplicate check. An upload is a baseline JPEG with its long
/// side at most [`UPLOAD_LONG_SIDE`] (anything else is refused before decoding), judged like
/// any photo; a photo that passed [`Strictness::Normal`] on the device passes
/// [`Strictness::Relaxed`] here.
pub fn assess_upload(
    bytes: &[u8],
    strictness: Strictness,
) -> Result<(Verdict, Fingerprint), ErrorCode> {
    inspect_upload(bytes)?;
    let a = analysis_image(bytes)?;
    Ok((
        quality::assess_analysis(&a, strictness),
        Fingerprint::of_analysis(&a),
    ))
}

/// The decoded working image.
struct Working {
    /// Stored orientation until [`Working::orient_now`] (a JPEG's is applied late: the
    /// analysis and preview are oriented once small, the upload on the way into the
    /// encoder).
    rgb: RgbImage,
    /// The orientation `rgb` still needs.
    orientation: Orientation,
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
        if self.orientation != Orientation::Upright {
            let rgb = std::mem::take(&mut self.rgb);
            self.rgb = orient_rgb(rgb, self.orientation);
            self.orientation = Orientation::Upright;
        }
    }

    /// Width and height of `rgb` in displayed orientation.
    fn shown(&self) -> (usize, usize) {
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        orient::displayed_size(w, h, self.orientation)
    }

    /// The analysis image: luma, area-downscaled to the analysis size. When the working
    /// image is exactly twice the analysis size (a 12 MP JPEG's 1/2 decode), its RGB halving
    /// comes from the same pass, for the preview; both halvings are oriented only then (a
    /// 2 x 2 block turns into a 2 x 2 block: the same pixels). Otherwise the whole image is
    /// oriented first.
    fn analysis(&mut self) -> (Analysis, Option<RgbImage>) {
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        let long = ANALYSIS_LONG_SIDE;
        let halves = w.max(h) == 2 * long && w % 2 == 0 && h % 2 == 0;
        if !halves {
            self.orient_now();
        }
        let (w, h) = (self.rgb.width() as usize, self.rgb.height() as usize);
        let (g, s, half) = if halves {
            let (half, luma) = resample::halve_rgb_and_luma(self.rgb.as_raw(), w);
            let half = RgbImage::from_raw(self.rgb.width() / 2, self.rgb.height() / 2, half)
                .map(|half| orient_rgb(half, self.orientation));
            let luma = crate::raster::Plane::new(w / 2, h / 2, luma).orient(self.orientation);
            (luma, 2.0, half)
        } else {
            let (g, s) = resample::luma_fit(self.rgb.as_raw(), w, h, long);
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
        let a = Analysis {
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
            jpeg_scaled::jpeg_scaled(bytes, min_long, jpeg_scaled::Samples::Rgb, false)?
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
        orientation: Orientation::Upright,
        width: facts.width,
        height: facts.height,
        scaled: false,
        path: "image",
    })
}

/// Window `win` of `img`, with `orientation` applied.
fn upright(img: &RgbImage, win: Window, orientation: Orientation) -> Result<RgbImage, ErrorCode> {
    let (w, h) = orient::displayed_size(win.w, win.h, orientation);
    let mut data = vec![0u8; w * h * 3];
    if !orient::oriented_rows::<3>(img.as_raw(), win, orientation, 0..h, &mut data) {
        return Err(ErrorCode::Internal);
    }
    let (w, h) = (
        u32::try_from(w).map_err(|_| ErrorCode::Internal)?,
        u32::try_from(h).map_err(|_| ErrorCode::Internal)?,
    );
    RgbImage::from_raw(w, h, data).ok_or(ErrorCode::Internal)
}

fn orient_rgb(rgb: RgbImage, orientation: Orientation) -> RgbImage {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    match orient_samples(rgb.as_raw(), w, h, 3, orientation) {
        Some((data, ow, oh)) => RgbImage::from_raw(ow as u32, oh as u32, data).unwrap_or(rgb),
        None => rgb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_matches_image_ops() {
        use image::imageops;
        let img = image::RgbImage::from_fn(41, 23, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 11) as u8, ((x * y) % 251) as u8])
        });
        for o in Orientation::ALL {
            let want = match o {
                Orientation::FlipH => imageops::flip_horizontal(&img),
                Orientation::Rotate180 => imageops::rotate180(&img),
                Orientation::FlipV => imageops::flip_vertical(&img),
                Orientation::Transpose => imageops::flip_horizontal(&imageops::rotate90(&img)),
                Orientation::Rotate90 => imageops::rotate90(&img),
                Orientation::Transverse => imageops::flip_horizontal(&imageops::rotate270(&img)),
                Orientation::Rotate270 => imageops::rotate270(&img),
                Orientation::Upright => img.clone(),
            };
            assert_eq!(orient_rgb(img.clone(), o), want, "{o:?}");
        }
    }
}
