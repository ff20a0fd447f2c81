//! What a line says: the line's crop, scaled to the recognizer's 48 px height, gives a
//! probability for every character class at each step along the line; the best class per
//! step, blanks and repeats removed (greedy CTC), is the text, and each character keeps its
//! probability as its confidence.

use crate::detect::TextBox;
use crate::error::OcrError;
use crate::models::Models;
use crate::rectify::sample;
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

/// The recognizer's input for the line at `bbox` on `card`: the line's turned rectangle
/// sampled level at 48 px high, BGR, scaled to [-1, 1], NCHW; `None` for a line with no area.
pub fn input(card: &RgbImage, bbox: TextBox) -> Option<NdTensor<f32, 4>> {
    if bbox.len < 2.0 || bbox.thick < 2.0 {
        return None;
    }
    let h = IN_H as usize;
    let w = ((IN_H as f32 * bbox.len / bbox.thick).ceil() as u32).clamp(16, MAX_IN_W) as usize;
    let (c, s) = (bbox.angle.cos(), bbox.angle.sin());
    let mut input = NdTensor::<f32, 4>::zeros([1, 3, h, w]);
    for oy in 0..h {
        let v = ((oy as f32 + 0.5) / h as f32 - 0.5) * bbox.thick;
        for ox in 0..w {
            let u = ((ox as f32 + 0.5) / w as f32 - 0.5) * bbox.len;
            let x = bbox.cx + u * c - v * s;
            let y = bbox.cy + u * s + v * c;
            let p = sample(card, x - 0.5, y - 0.5);
            for ch in 0..3 {
                input[[0, ch, oy, ox]] = p[2 - ch] / 127.5 - 1.0;
            }
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
