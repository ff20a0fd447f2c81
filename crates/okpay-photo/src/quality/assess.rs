//! The verdict of a photo: the card found, the card region measured, each measure against
//! the strictness table.

use super::checks;
use super::quad;
use super::strictness::Strictness;
use super::verdict::{Corner, Metrics, Rect, Verdict};
use crate::codec::analysis::{Analysis, analysis_image};
use okpay_rules::ErrorCode;

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
