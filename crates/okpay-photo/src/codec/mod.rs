//! From bytes to planes and back: the format by content and the refusals before any big
//! allocation ([`format`]), EXIF, the DCT-scaled JPEG decode through libjpeg or the engine's
//! own reduced-scale decoder ([`jpeg_scaled`], [`jpeg_reduced`]), a JPEG's header read
//! before any decode ([`jpeg_header`]), the analysis image every
//! check reads ([`analysis`]), and the metadata-free JPEG encoder ([`encode`]).

pub mod analysis;
pub mod encode;
mod exif;
pub mod format;
pub mod jpeg_header;
pub mod jpeg_reduced;
pub mod jpeg_scaled;

pub use analysis::{ANALYSIS_LONG_SIDE, Analysis, JpegPath, analysis_image, analysis_image_with};
pub use format::{
    MAX_COEFFICIENT_BYTES, MAX_FILE_BYTES, MAX_PIXELS, MAX_SCANS, MIN_LONG_SIDE, MIN_SHORT_SIDE,
    PhotoFacts, UPLOAD_LONG_SIDE, decode, inspect, inspect_upload, sniff_format,
};
