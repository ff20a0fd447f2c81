//! The ID-card photo quality engine: from the bytes of a photo to a [`Verdict`] that says
//! whether a reviewer could read it, why not (stable [`ErrorCode`]s), and where (card quad,
//! glare boxes, missing corners, in displayed full-resolution pixel coordinates, so a UI can
//! draw them on the preview).
//!
//! Pipeline: [`analysis`] decodes to a grayscale image with a long side of 1008 px (JPEG by
//! a DCT-scaled decode), [`quad`] finds the card, [`checks`] measures the card region, and
//! [`strictness`] holds the one threshold table. [`crate::photo::examine`] runs the same
//! judgement on its one decode and also prepares the upload and the preview; [`assess`]
//! is the verdict alone (the server's re-check of an upload).

pub mod analysis;
pub mod annotate;
pub mod checks;
pub mod chroma;
mod exif;
pub mod gray;
pub mod orient;
pub mod phash;
pub mod quad;
pub mod quarter;
pub mod strictness;
mod turn;

pub use analysis::{ANALYSIS_LONG_SIDE, Analysis, JpegPath, analysis_image, analysis_image_with};
pub use strictness::{Strictness, Thresholds};

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};

/// An axis-aligned box in displayed full-resolution pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A corner of the card, as seen on the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomRight,
    BottomLeft,
}

impl Corner {
    /// In the order of [`Verdict::quad`].
    pub const ALL: [Corner; 4] = [
        Corner::TopLeft,
        Corner::TopRight,
        Corner::BottomRight,
        Corner::BottomLeft,
    ];
}

/// What was measured; `None` where the card was not found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Displayed size of the photo.
    pub width: u32,
    pub height: u32,
    /// Size of the analysis image and the decode path used.
    pub analysis_width: u32,
    pub analysis_height: u32,
    pub decode_path: String,
    /// Card area over frame area.
    pub card_area_fraction: Option<f32>,
    /// Mean length of the card's long sides, in full-resolution pixels.
    pub card_long_side_px: Option<f32>,
    /// Quad score (edge support x aspect fit x size), for diagnostics.
    pub quad_score: Option<f32>,
    /// 0 = sharp .. 1 = no detail (Crete re-blur ratio), on the card.
    pub blur: f32,
    /// Mean luma on the card, 0..255.
    pub mean_luma: f32,
    /// Share of card pixels at or above 250.
    pub clipped_fraction: f32,
    /// Share of card pixels inside glare blobs.
    pub glare_fraction: f32,
    /// Darkest over brightest cell of the card (1 = even light).
    pub light_ratio: Option<f32>,
}

/// The judgement of one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// No reasons.
    pub ok: bool,
    /// What is wrong, most fundamental first.
    pub reasons: Vec<ErrorCode>,
    pub metrics: Metrics,
    /// Card corners TL, TR, BR, BL in displayed full-resolution pixels (may lie outside the
    /// frame when a corner is cut off).
    pub quad: Option<[[f32; 2]; 4]>,
    /// Glare regions, displayed full-resolution pixels.
    pub glare: Vec<Rect>,
    /// Corners outside the frame.
    pub missing_corners: Vec<Corner>,
}

/// Judge the photo in `bytes`. Errors are the refusals before any judgement (unreadable,
/// unsupported, too large, too few pixels); everything else is a [`Verdict`].
pub fn assess(bytes: &[u8], strictness: Strictness) -> Result<Verdict, ErrorCode> {
    let a = analysis_image(bytes)?;
    Ok(assess_analysis(&a, strictness))
}

/// Judge an already decoded analysis image.
pub fn assess_analysis(a: &Analysis, strictness: Strictness) -> Verdict {
    let t = strictness.thresholds();
    let img = &a.gray;
    let (w, h) = (img.width as f32, img.height as f32);
    let found = quad::find_card_with_chroma(img, a.chroma.as_ref());
    let corners = found.map(|f| f.corners);
    let region = checks::Region::new(img, corners.as_ref());
    let m = checks::measure(img, &region, t.glare_level);
    let (mean_luma, clipped, blur) = (m.mean_luma, m.clipped, m.blur);
    let mut reasons = Vec::new();
    let mut missing_corners = Vec::new();
    let mut card_area_fraction = None;
    let mut card_long_side_px = None;
    let mut light_ratio = None;
    match &corners {
        None => reasons.push(ErrorCode::PhotoCardNotFound),
        Some(q) => {
            let m = t.corner_margin_px;
            // Outside the frame, or on its last pixel (where a side runs along the border).
            for (c, p) in Corner::ALL.iter().zip(q) {
                if p[0] < m + 1.0 || p[1] < m + 1.0 || p[0] > w - 2.0 - m || p[1] > h - 2.0 - m {
                    missing_corners.push(*c);
                }
            }
            if !missing_corners.is_empty() {
                reasons.push(ErrorCode::PhotoCornerMissing);
            }
            let frac = quad::polygon_area(q) / (w * h);
            card_area_fraction = Some(frac);
            let side = |i: usize, j: usize| {
                ((q[i][0] - q[j][0]).powi(2) + (q[i][1] - q[j][1]).powi(2)).sqrt()
            };
            let s02 = (side(0, 1) + side(2, 3)) / 2.0;
            let s13 = (side(1, 2) + side(3, 0)) / 2.0;
            let long = s02.max(s13) * a.scale;
            card_long_side_px = Some(long);
            if frac < t.min_card_area_fraction {
                reasons.push(ErrorCode::PhotoCardTooSmall);
            }
            if long < t.min_card_long_side_px {
                reasons.push(ErrorCode::PhotoLowResolution);
            }
            light_ratio = Some(checks::light_ratio(img, q));
        }
    }
    if blur > t.max_blur {
        reasons.push(ErrorCode::PhotoBlurry);
    }
    let overexposed = clipped > t.max_clipped_fraction;
    if mean_luma < t.min_mean_luma {
        reasons.push(ErrorCode::PhotoTooDark);
    } else if overexposed {
        reasons.push(ErrorCode::PhotoOverexposed);
    }
    let mut glare = Vec::new();
    let mut glare_px = 0usize;
    let min_px = (t.max_glare_fraction * region.count as f32).max(4.0) as usize;
    // A blob of `min_px` bright pixels needs at least that many in the region.
    if !overexposed && region.count > 0 && m.bright >= min_px {
        for (bb, n) in checks::bright_blobs(img, &region, t.glare_level) {
            if n >= min_px {
                glare_px += n;
                let p0 = a.to_full([bb[0] as f32 - 0.5, bb[1] as f32 - 0.5]);
                let p1 = a.to_full([bb[2] as f32 - 0.5, bb[3] as f32 - 0.5]);
                glare.push(Rect {
                    x: p0[0],
                    y: p0[1],
                    width: p1[0] - p0[0],
                    height: p1[1] - p0[1],
                });
            }
        }
        if !glare.is_empty() {
            reasons.push(ErrorCode::PhotoGlare);
        }
    }
    let glare_fraction = if region.count > 0 {
        glare_px as f32 / region.count as f32
    } else {
        0.0
    };
    // Uneven light is judged only where exposure itself is acceptable.
    if let Some(r) = light_ratio
        && r < t.min_light_ratio
        && mean_luma >= t.min_mean_luma
        && !overexposed
    {
        reasons.push(ErrorCode::PhotoShadow);
    }
    Verdict {
        ok: reasons.is_empty(),
        reasons,
        metrics: Metrics {
            width: a.width,
            height: a.height,
            analysis_width: img.width as u32,
            analysis_height: img.height as u32,
            decode_path: a.path.to_owned(),
            card_area_fraction,
            card_long_side_px,
            quad_score: found.map(|f| f.score),
            blur,
            mean_luma,
            clipped_fraction: clipped,
            glare_fraction,
            light_ratio,
        },
        quad: corners.map(|q| q.map(|p| a.to_full(p))),
        glare,
        missing_corners,
    }
}
