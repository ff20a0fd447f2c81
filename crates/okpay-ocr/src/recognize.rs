//! What a line says: the line's crop, scaled to the recognizer's 48 px height, gives a
//! probability for every character class at each step along the line; the best class per
//! step, blanks and repeats removed (greedy CTC), is the text, and each character keeps its
//! probability as its confidence.

use crate::OcrError;
use crate::detect::TextBox;
use crate::models::Models;
use image::RgbImage;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

/// The recognizer's input height.
const IN_H: u32 = 48;
/// The widest line it is given (a long address line is ~30 characters ≈ 1,500 px).
const MAX_IN_W: u32 = 1600;

/// A line of text read off the flat card.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Each character and its probability.
    pub chars: Vec<(char, f32)>,
    /// Where the line is on the flat card.
    pub bbox: TextBox,
}

impl Line {
    /// The mean probability of its characters (0 for an empty line).
    pub fn confidence(&self) -> f32 {
        if self.chars.is_empty() {
            return 0.0;
        }
        self.chars.iter().map(|c| c.1).sum::<f32>() / self.chars.len() as f32
    }
}

/// The recognizer's input for the line at `bbox` on `card`: the crop scaled to 48 px high,
/// BGR, scaled to [-1, 1], NCHW; `None` for a box with no area.
pub fn input(card: &RgbImage, bbox: TextBox) -> Option<NdTensor<f32, 4>> {
    let x0 = bbox.x.max(0.0) as u32;
    let y0 = bbox.y.max(0.0) as u32;
    let x1 = (bbox.right().ceil() as u32).min(card.width());
    let y1 = ((bbox.y + bbox.h).ceil() as u32).min(card.height());
    if x1 <= x0 + 1 || y1 <= y0 + 1 {
        return None;
    }
    let crop = image::imageops::crop_imm(card, x0, y0, x1 - x0, y1 - y0).to_image();
    let w = ((IN_H as f32 * crop.width() as f32 / crop.height() as f32).ceil() as u32)
        .clamp(16, MAX_IN_W);
    let scaled = image::imageops::resize(&crop, w, IN_H, image::imageops::FilterType::Triangle);
    let mut input = NdTensor::<f32, 4>::zeros([1, 3, IN_H as usize, w as usize]);
    for (x, y, p) in scaled.enumerate_pixels() {
        for c in 0..3 {
            input[[0, c, y as usize, x as usize]] = f32::from(p.0[2 - c]) / 127.5 - 1.0;
        }
    }
    Some(input)
}

/// Read the line at `bbox` on `card`.
pub fn recognize(models: &Models, card: &RgbImage, bbox: TextBox) -> Result<Line, OcrError> {
    let Some(input) = input(card, bbox) else {
        return Ok(Line {
            text: String::new(),
            chars: Vec::new(),
            bbox,
        });
    };
    let out = models
        .recognizer
        .run_one(input.view().into(), None)
        .map_err(|e| OcrError::Inference(e.to_string()))?;
    let probs: NdTensor<f32, 3> = out
        .try_into()
        .map_err(|_| OcrError::Inference("recognizer output is not a 3-d float tensor".into()))?;
    let [_, steps, classes] = probs.shape();
    let flat: Vec<f32> = probs.iter().copied().collect();
    let chars = ctc_greedy(&flat, steps, classes, &models.charset);
    Ok(Line {
        text: chars.iter().map(|c| c.0).collect(),
        chars,
        bbox,
    })
}

/// Greedy CTC decoding of `steps` x `classes` probabilities: class 0 is the blank, class
/// `i + 1` is `charset[i]`, any class past the set is a space.
pub fn ctc_greedy(
    probs: &[f32],
    steps: usize,
    classes: usize,
    charset: &[char],
) -> Vec<(char, f32)> {
    let mut out = Vec::new();
    let mut last = 0;
    for row in probs.chunks_exact(classes.max(1)).take(steps) {
        let (best, p) = row
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
            );
        if best != 0 && best != last {
            out.push((charset.get(best - 1).copied().unwrap_or(' '), p));
        }
        last = best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_and_repeats_collapse() {
        let charset = ['张', '三'];
        // steps: 张 张 blank 三 三 blank 三 (space class 3)
        let rows = [1, 1, 0, 2, 2, 0, 2, 3];
        let mut probs = Vec::new();
        for r in rows {
            let mut row = vec![0.01; 4];
            row[r] = 0.9;
            probs.extend(row);
        }
        let text: String = ctc_greedy(&probs, 8, 4, &charset)
            .iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(text, "张三三 ");
    }

    #[test]
    fn a_short_or_empty_output_is_empty_text() {
        assert!(ctc_greedy(&[], 0, 4, &['a']).is_empty());
        assert!(ctc_greedy(&[0.5, 0.1], 3, 0, &['a']).is_empty());
    }
}
