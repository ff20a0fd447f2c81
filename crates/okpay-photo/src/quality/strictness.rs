//! Strictness levels and the one threshold table behind them.
//!
//! | check (code)                    | metric                                   | relaxed | normal | strict |
//! |---------------------------------|------------------------------------------|---------|--------|--------|
//! | card too small (`PHOTO_CARD_TOO_SMALL`) | card area / frame area, below        | 0.12    | 0.20   | 0.30   |
//! | low resolution (`PHOTO_LOW_RESOLUTION`) | card long side in full-res px, below | 600     | 800    | 1100   |
//! | corner missing (`PHOTO_CORNER_MISSING`) | a corner outside the frame or within 1 + margin analysis px of its edge; margin | 0 | 0 | 4 |
//! | blurry (`PHOTO_BLURRY`)         | blur (0 sharp .. 1 flat), worst of x, y and the diagonals, above | 0.55 | 0.45 | 0.40 |
//! | too dark (`PHOTO_TOO_DARK`)     | mean card luma, below                    | 45      | 60     | 80     |
//! | overexposed (`PHOTO_OVEREXPOSED`) | share of card pixels >= 250, above     | 0.40    | 0.25   | 0.15   |
//! | glare (`PHOTO_GLARE`)           | any blob of pixels >= level larger than this share of the card; level, share | 250, 0.010 | 250, 0.003 | 245, 0.0015 |
//! | shadow (`PHOTO_SHADOW`)         | darkest / brightest cell (4x3, 90th pct), below | 0.45 | 0.60 | 0.72 |
//!
//! Blur is measured along four directions so that a card moved during the exposure is seen
//! along the motion: sharp cards measure up to about 0.33 (the accuracy fixtures), a card
//! with fine print moved by 3 to 8 % of its width about 0.50 and more, defocus 0.8.
//!
//! The app uses [`Strictness::Normal`]; testers may pick another.

use serde::{Deserialize, Serialize};

/// How strict the checks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strictness {
    Relaxed,
    #[default]
    Normal,
    Strict,
}

/// The thresholds of one strictness level (see the table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub min_card_area_fraction: f32,
    pub min_card_long_side_px: f32,
    pub corner_margin_px: f32,
    pub max_blur: f32,
    pub min_mean_luma: f32,
    pub max_clipped_fraction: f32,
    pub glare_level: u8,
    pub max_glare_fraction: f32,
    pub min_light_ratio: f32,
}

impl Strictness {
    /// The thresholds for this level.
    pub fn thresholds(self) -> Thresholds {
        match self {
            Strictness::Relaxed => Thresholds {
                min_card_area_fraction: 0.12,
                min_card_long_side_px: 600.0,
                corner_margin_px: 0.0,
                max_blur: 0.55,
                min_mean_luma: 45.0,
                max_clipped_fraction: 0.40,
                glare_level: 250,
                max_glare_fraction: 0.010,
                min_light_ratio: 0.45,
            },
            Strictness::Normal => Thresholds {
                min_card_area_fraction: 0.20,
                min_card_long_side_px: 800.0,
                corner_margin_px: 0.0,
                max_blur: 0.45,
                min_mean_luma: 60.0,
                max_clipped_fraction: 0.25,
                glare_level: 250,
                max_glare_fraction: 0.003,
                min_light_ratio: 0.60,
            },
            Strictness::Strict => Thresholds {
                min_card_area_fraction: 0.30,
                min_card_long_side_px: 1100.0,
                corner_margin_px: 4.0,
                max_blur: 0.40,
                min_mean_luma: 80.0,
                max_clipped_fraction: 0.15,
                glare_level: 245,
                max_glare_fraction: 0.0015,
                min_light_ratio: 0.72,
            },
        }
    }
}
