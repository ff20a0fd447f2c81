//! Reading the ID card on the device, on top of the photo engine, in one-way layers:
//! [`models`] (the PP-OCR networks, loaded once) → [`rectify`] (the card cut flat) →
//! [`detect`] (where the lines are) → [`recognize`] (what each says) → [`layout`] (the side and
//! the fields) → [`crosscheck`] (against what was typed). [`Reading`] is one photo's result.
//! Nothing read is logged or stored: it lives in memory until the caller drops it.

pub mod crosscheck;
pub mod detect;
pub mod layout;
pub mod models;
mod read;
pub mod recognize;
pub mod rectify;
mod variants;

pub use crosscheck::{Check, Checked, NotChecked, Outcome, Typed, cross_check};
pub use layout::{CardSide, Field, Fields};
pub use models::Models;
pub use read::{Cut, Reading, cut};

use okpay_rules::ErrorCode;
use std::path::PathBuf;

/// Why a photo could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("the card reader's models are not in {0:?} (run scripts/ocr-models.sh)")]
    ModelsMissing(PathBuf),
    #[error("a card reader model cannot be used: {0}")]
    ModelInvalid(String),
    #[error("the card reader failed: {0}")]
    Inference(String),
    #[error("the photo cannot be read: {0:?}")]
    Photo(ErrorCode),
}

impl OcrError {
    /// The stable code: the photo's own, else [`ErrorCode::OcrUnavailable`].
    pub fn code(&self) -> ErrorCode {
        match self {
            OcrError::Photo(code) => *code,
            _ => ErrorCode::OcrUnavailable,
        }
    }
}
