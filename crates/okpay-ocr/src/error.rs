//! Why a photo could not be read, and its stable code.

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
