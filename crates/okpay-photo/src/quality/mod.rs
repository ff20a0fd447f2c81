//! Judging a photo: would a reviewer be able to read the card, why not (stable `ErrorCode`s),
//! and where (card quad, glare boxes, missing corners, in displayed full-resolution pixels, so
//! a UI can draw them on the preview).
//!
//! [`quad`] finds the card on the analysis image, [`checks`] measures the card region,
//! [`strictness`] holds the one threshold table, [`assess`](fn@assess) puts them together;
//! [`phash`] tells the same shot used for both sides, [`annotate`] draws a verdict.

pub mod annotate;
mod assess;
pub mod checks;
pub mod phash;
pub mod quad;
pub mod strictness;
mod verdict;

pub use assess::{assess, assess_analysis};
pub use strictness::{Strictness, Thresholds};
pub use verdict::{Corner, Metrics, Rect, Verdict};
