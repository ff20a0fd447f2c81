//! The one photo pipeline: [`examine`] takes the bytes of a photo to its facts, its verdict,
//! the JPEG to upload and a small preview, from one decode (a 12 MP JPEG never has a
//! full-resolution buffer). The upload is the card found and a margin around it ([`crop`]),
//! metadata-free; a 12–20 MP baseline 4:2:0 JPEG is served from one pass of the own decoder
//! and encoded from its planes as they are ([`planar`]), anything else through an RGB working
//! image ([`rgb`]).

mod crop;
mod output;
mod pipeline;
mod planar;
mod rgb;

pub use crop::UPLOAD_CARD_MARGIN;
pub use output::{
    Examined, PREVIEW_LONG_SIDE, PREVIEW_QUALITY, UPLOAD_LONG_SIDE, UPLOAD_MIN_CARD_PX,
    UPLOAD_QUALITY, WORK_MIN_LONG_SIDE,
};
pub use pipeline::{assess_upload, examine};
