//! The two networks the reader runs (PaddleOCR PP-OCRv6 small, ONNX): text detection and line
//! recognition, and the recognizer's character set, read from its own metadata. They come
//! from a pinned PyPI package through `scripts/ocr-models.sh`, which stores their weights as
//! float16 (rten widens them to float32 as it loads); the app ships them as resources.

use crate::error::OcrError;
use rten::Model;
use std::path::{Path, PathBuf};

/// The environment variable naming the models' directory.
pub const MODELS_ENV: &str = "OKPAY_OCR_MODELS";
/// File names inside it.
pub const DETECTOR_FILE: &str = "det.onnx";
pub const RECOGNIZER_FILE: &str = "rec.onnx";

/// The loaded networks (about 30 MB of float32 weights; load once and share).
pub struct Models {
    pub(crate) detector: Model,
    pub(crate) recognizer: Model,
    /// Class `i + 1` of the recognizer is `charset[i]`; class 0 is the CTC blank and the last
    /// class a space.
    pub(crate) charset: Vec<char>,
}

impl Models {
    /// Load `det.onnx` and `rec.onnx` from `dir`.
    pub fn load(dir: &Path) -> Result<Models, OcrError> {
        let read = |name: &str| {
            let path = dir.join(name);
            if !path.is_file() {
                return Err(OcrError::ModelsMissing(dir.to_path_buf()));
            }
            std::fs::read(&path).map_err(|e| OcrError::ModelInvalid(format!("{name}: {e}")))
        };
        Models::from_bytes(read(DETECTOR_FILE)?, read(RECOGNIZER_FILE)?)
    }

    /// Load the two networks from the bytes of `det.onnx` and `rec.onnx` (where the files
    /// cannot be opened as files: a phone's app package).
    pub fn from_bytes(detector: Vec<u8>, recognizer: Vec<u8>) -> Result<Models, OcrError> {
        let load = |name: &str, bytes: Vec<u8>| {
            Model::load(bytes).map_err(|e| OcrError::ModelInvalid(format!("{name}: {e}")))
        };
        let detector = load(DETECTOR_FILE, detector)?;
        let recognizer = load(RECOGNIZER_FILE, recognizer)?;
        let charset: Vec<char> = recognizer
            .metadata()
            .get("character")
            .ok_or_else(|| OcrError::ModelInvalid("rec.onnx has no character set".into()))?
            .lines()
            .map(|l| l.chars().next().unwrap_or(' '))
            .collect();
        if charset.len() < 1000 {
            return Err(OcrError::ModelInvalid(format!(
                "rec.onnx knows {} characters",
                charset.len()
            )));
        }
        Ok(Models {
            detector,
            recognizer,
            charset,
        })
    }

    /// Load from `$OKPAY_OCR_MODELS`.
    pub fn from_env() -> Result<Models, OcrError> {
        let dir = std::env::var_os(MODELS_ENV)
            .map(PathBuf::from)
            .ok_or_else(|| OcrError::ModelsMissing(PathBuf::from(format!("${MODELS_ENV}"))))?;
        Models::load(&dir)
    }

    /// The detection network itself (for measuring it on its own).
    pub fn detector(&self) -> &Model {
        &self.detector
    }

    /// The recognition network itself (for measuring it on its own).
    pub fn recognizer(&self) -> &Model {
        &self.recognizer
    }

    /// Whether the recognizer can produce `c` at all (a name with a character outside its
    /// set cannot be checked).
    pub fn knows(&self, c: char) -> bool {
        c == ' ' || self.charset.contains(&c)
    }
}
