//! What [`examine`](super::examine) gives: the verdict, the upload and the preview, and the
//! sizes and qualities they are made at.

use crate::codec::format::PhotoFacts;
pub use crate::codec::format::UPLOAD_LONG_SIDE;
use crate::quality::{Rect, Verdict};

/// JPEG quality of an uploaded photo.
pub const UPLOAD_QUALITY: u8 = 85;

/// Long side of the preview made by [`examine`].
pub const PREVIEW_LONG_SIDE: u32 = 640;
/// JPEG quality of a preview.
pub const PREVIEW_QUALITY: u8 = 80;
/// A JPEG is decoded (DCT-scaled) to at least this long side for [`examine`].
pub const WORK_MIN_LONG_SIDE: usize = 2000;
/// The card's long side the upload keeps when the photo has that many pixels on it.
pub const UPLOAD_MIN_CARD_PX: f32 = 1200.0;

/// Everything the app, the CLI and the server need from one photo.
#[derive(Debug, Clone)]
pub struct Examined {
    /// Format and displayed (oriented) full-resolution size.
    pub facts: PhotoFacts,
    pub verdict: Verdict,
    /// The JPEG to upload: orientation applied, the card found with a margin around it
    /// ([`UPLOAD_CARD_MARGIN`](crate::examine::UPLOAD_CARD_MARGIN) of its long side: its edges stay) or the whole frame when no
    /// card was found, long side at most [`UPLOAD_LONG_SIDE`], quality [`UPLOAD_QUALITY`], no
    /// metadata but a plain JFIF header.
    pub upload: Vec<u8>,
    /// The part of the photo in [`Examined::upload`], displayed full-resolution pixels.
    pub upload_region: Rect,
    /// A JPEG preview, long side [`PREVIEW_LONG_SIDE`] (or less for a smaller photo), in the
    /// same orientation as the verdict's coordinates scaled by `preview width / facts.width`.
    pub preview: Vec<u8>,
}
