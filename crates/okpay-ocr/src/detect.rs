//! Where the text is on the flat card: the detection network gives each pixel a probability of
//! lying inside a line of text (the shrunk "kernel" of the line, as in DB); the connected
//! regions above a threshold are the lines, grown back by the same rule the network was
//! trained with (DB's unclip).

use crate::error::OcrError;
use crate::models::Models;
use crate::rectify::{CARD_H, CARD_W};
use image::RgbImage;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

/// The detector's input size: the flat card at about 7.8 px per mm, multiples of 32 (printed
/// text stays 20+ px high, and the detector costs 0.6 of what the full 856 x 540 would).
const IN_W: usize = 672;
const IN_H: usize = 416;
/// A pixel is text above this probability.
const PIXEL_THRESHOLD: f32 = 0.3;
/// A region is a line when its mean probability (over its own pixels) reaches this.
const BOX_THRESHOLD: f32 = 0.5;
/// DB's unclip ratio: a region grows by area x ratio / perimeter on every side.
const UNCLIP_RATIO: f32 = 1.6;
/// A card has a dozen lines; more regions than this are noise, and the work stays bounded.
const MAX_BOXES: usize = 64;

/// A line of text on the flat card: the upright box around it (x, y, width, height, card
/// pixels), its score, and the line itself as a turned rectangle: centre, angle (radians,
/// clockwise on screen, small on a flat card), length along the line and thickness across.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
    pub cx: f32,
    pub cy: f32,
    pub angle: f32,
    pub len: f32,
    pub thick: f32,
}

impl TextBox {
    /// A line lying level, filling the upright box `x, y, w, h`.
    pub fn level(x: f32, y: f32, w: f32, h: f32, score: f32) -> TextBox {
        TextBox {
            x,
            y,
            w,
            h,
            score,
            cx: x + w / 2.0,
            cy: y + h / 2.0,
            angle: 0.0,
            len: w,
            thick: h,
        }
    }

    /// A turned line, with its upright box.
    fn turned(cx: f32, cy: f32, angle: f32, len: f32, thick: f32, score: f32) -> TextBox {
        let (c, s) = (angle.cos().abs(), angle.sin().abs());
        let (w, h) = (len * c + thick * s, len * s + thick * c);
        TextBox {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
            score,
            cx,
            cy,
            angle,
            len,
            thick,
        }
    }

    pub fn center_y(&self) -> f32 {
        self.cy
    }

    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The same line in a frame scaled by `sx`, `sy` (nearly equal).
    fn scaled(&self, sx: f32, sy: f32) -> TextBox {
        let angle = (self.angle.sin() * sy).atan2(self.angle.cos() * sx);
        let k = (sx + sy) / 2.0;
        TextBox::turned(
            self.cx * sx,
            self.cy * sy,
            angle,
            self.len * k,
            self.thick * k,
            self.score,
        )
    }
}

/// The detector's input for a flat card: resized, BGR, scaled to [-1, 1], NCHW.
pub fn input(card: &RgbImage) -> NdTensor<f32, 4> {
    let resized = image::imageops::resize(
        card,
        IN_W as u32,
        IN_H as u32,
        image::imageops::FilterType::Triangle,
    );
    let mut input = NdTensor::<f32, 4>::zeros([1, 3, IN_H, IN_W]);
    for (x, y, p) in resized.enumerate_pixels() {
        for c in 0..3 {
            // The networks were trained on BGR, scaled to [-1, 1].
            input[[0, c, y as usize, x as usize]] = f32::from(p.0[2 - c]) / 127.5 - 1.0;
        }
    }
    input
}

/// The lines on `card` (a flat card, [`CARD_W`] x [`CARD_H`]), top to bottom, left to right.
pub fn detect(models: &Models, card: &RgbImage) -> Result<Vec<TextBox>, OcrError> {
    let input = input(card);
    let out = models
        .detector
        .run_one(input.view().into(), None)
        .map_err(|e| OcrError::Inference(e.to_string()))?;
    let prob: NdTensor<f32, 4> = out
        .try_into()
        .map_err(|_| OcrError::Inference("detector output is not a 4-d float tensor".into()))?;
    if prob.shape() != [1, 1, IN_H, IN_W] {
        return Err(OcrError::Inference(format!(
            "detector output {:?}",
            prob.shape()
        )));
    }
    let map: Vec<f32> = prob.iter().copied().collect();
    let (sx, sy) = (CARD_W as f32 / IN_W as f32, CARD_H as f32 / IN_H as f32);
    Ok(boxes(&map, IN_W, IN_H)
        .into_iter()
        .map(|b| b.scaled(sx, sy))
        .collect())
}

/// The line boxes of a `w` x `h` probability map, in its pixels.
pub fn boxes(prob: &[f32], w: usize, h: usize) -> Vec<TextBox> {
    if prob.len() != w * h {
        return Vec::new();
    }
    // Text pixels, dilated by one pixel right and down (DB's 2 x 2 dilation).
    let mut text = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            if prob[y * w + x] > PIXEL_THRESHOLD {
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    if x + dx < w && y + dy < h {
                        text[(y + dy) * w + x + dx] = true;
                    }
                }
            }
        }
    }
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    let mut region: Vec<(f32, f32)> = Vec::new();
    for start in 0..w * h {
        if !text[start] || seen[start] {
            continue;
        }
        // One 8-connected region, by an explicit stack (no recursion on a hostile map).
        let mut sum = 0.0f32;
        region.clear();
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            region.push((x as f32 + 0.5, y as f32 + 0.5));
            sum += prob[i];
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = ny * w + nx;
                    if text[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let Some(line) = line_of(&region) else {
            continue;
        };
        // The mean over the region itself: a slanted line fills little of its upright box.
        let score = sum / region.len() as f32;
        if line.thick < 3.0 || line.len < 3.0 || score < BOX_THRESHOLD {
            continue;
        }
        let grow = line.len * line.thick * UNCLIP_RATIO / (2.0 * (line.len + line.thick));
        out.push(TextBox::turned(
            line.cx,
            line.cy,
            line.angle,
            line.len + 2.0 * grow,
            line.thick + 2.0 * grow,
            score,
        ));
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(MAX_BOXES);
    out.sort_by(|a, b| {
        (a.y, a.x)
            .partial_cmp(&(b.y, b.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    out
}

/// Steeper than this, a region is not a line lying along a flat card: taken as level.
const MAX_ANGLE: f32 = 0.5;

/// The turned rectangle a region's pixels fill: its direction from their spread (a region
/// hardly longer than thick, such as one character, is taken as level), its extent along and
/// across that direction.
fn line_of(pixels: &[(f32, f32)]) -> Option<TextBox> {
    if pixels.is_empty() {
        return None;
    }
    let n = pixels.len() as f32;
    let (mx, my) = pixels
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxx, mut syy, mut sxy) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in pixels {
        let (dx, dy) = (x - mx, y - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let mut angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    if angle.abs() > MAX_ANGLE {
        angle = 0.0;
    }
    let extent = |angle: f32| {
        let (c, s) = (angle.cos(), angle.sin());
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for (x, y) in pixels {
            let (dx, dy) = (x - mx, y - my);
            let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
            (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
        }
        (u0 - 0.5, u1 + 0.5, v0 - 0.5, v1 + 0.5)
    };
    let (mut u0, mut u1, mut v0, mut v1) = extent(angle);
    if u1 - u0 < 1.5 * (v1 - v0) && angle != 0.0 {
        angle = 0.0;
        (u0, u1, v0, v1) = extent(0.0);
    }
    let (c, s) = (angle.cos(), angle.sin());
    let (um, vm) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
    Some(TextBox::turned(
        mx + um * c - vm * s,
        my + um * s + vm * c,
        angle,
        u1 - u0,
        v1 - v0,
        0.0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_with(rects: &[(usize, usize, usize, usize, f32)], w: usize, h: usize) -> Vec<f32> {
        let mut m = vec![0.0; w * h];
        for &(x, y, rw, rh, p) in rects {
            for yy in y..y + rh {
                for xx in x..x + rw {
                    m[yy * w + xx] = p;
                }
            }
        }
        m
    }

    #[test]
    fn each_region_is_a_line_grown_by_the_unclip_rule() {
        let m = map_with(&[(10, 10, 40, 6, 0.9), (10, 40, 20, 6, 0.8)], 100, 60);
        let b = boxes(&m, 100, 60);
        assert_eq!(b.len(), 2);
        // 41 x 7 after the dilation: grows by 41*7*1.6/96 = 4.78 px on each side.
        assert!((b[0].x - (10.0 - 4.783)).abs() < 0.01, "{b:?}");
        assert!((b[0].w - (41.0 + 2.0 * 4.783)).abs() < 0.01, "{b:?}");
        assert!(b[0].y < b[1].y);
    }

    #[test]
    fn faint_and_tiny_regions_are_dropped() {
        let m = map_with(&[(10, 10, 40, 6, 0.35), (60, 10, 2, 2, 0.9)], 100, 60);
        assert!(boxes(&m, 100, 60).is_empty());
    }

    #[test]
    fn a_slanted_line_is_kept() {
        // A 3 px thick line climbing 12 px over 80: it fills a fifth of its upright box.
        let (w, h) = (100, 40);
        let mut m = vec![0.0; w * h];
        for x in 10..90 {
            let y = 25 - (x - 10) * 12 / 80;
            for dy in 0..3 {
                m[(y + dy) * w + x] = 0.9;
            }
        }
        let b = boxes(&m, w, h);
        assert_eq!(b.len(), 1, "{b:?}");
        assert!(b[0].score >= BOX_THRESHOLD, "{b:?}");
        // Read along its slope: about -8.5 degrees, 80 px long before growing.
        assert!((b[0].angle + (12.0f32 / 80.0).atan()).abs() < 0.03, "{b:?}");
        assert!(b[0].len > 80.0 && b[0].thick < 20.0, "{b:?}");
    }

    #[test]
    fn a_noisy_map_gives_a_bounded_list() {
        // A checkerboard of text pixels: one region per dilated cell at most, capped.
        let (w, h) = (200, 200);
        let m: Vec<f32> = (0..w * h)
            .map(|i| {
                if (i % w / 4 + i / w / 4) % 2 == 0 {
                    0.9
                } else {
                    0.0
                }
            })
            .collect();
        assert!(boxes(&m, w, h).len() <= MAX_BOXES);
        assert!(boxes(&m, w, h + 1).is_empty(), "a map of the wrong size");
    }
}
