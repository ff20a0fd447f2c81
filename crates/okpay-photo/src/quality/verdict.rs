//! The judgement of one photo as the app, the CLI and the server see it: the codes, what was
//! measured, and where on the photo (card quad, glare boxes, missing corners).

use okpay_rules::ErrorCode;
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
