//! The ID-card photo engine: from the bytes of a photo to a verdict (stable `ErrorCode`s, and
//! where on the photo), the JPEG to upload and a preview, the same in the app, the CLI and
//! the staging server. Layers, each importing only from those below it:
//!
//! 1. [`raster`]: planes of samples, resampling, orientation;
//! 2. [`codec`]: format and limits, EXIF, JPEG decoders (libjpeg and the own reduced-scale
//!    one), the analysis image, the encoder;
//! 3. [`quality`]: the card finder, the checks and their strictness table, the perceptual
//!    hash, annotated images;
//! 4. [`examine`](mod@examine): the pipeline — verdict, upload and preview from one decode.
//! 5. [`live`]: the camera's frames — guidance, the card's outline and when to take the
//!    picture.
//!
//! Behind the `specimen` feature, ID-card photos drawn in code for tests.

pub mod codec;
pub mod examine;
pub mod live;
pub mod quality;
pub mod raster;
#[cfg(any(test, feature = "specimen"))]
pub mod specimen;
#[cfg(test)]
mod testing;

pub use codec::{MAX_FILE_BYTES, MAX_PIXELS, PhotoFacts, inspect, sniff_format};
pub use examine::{Examined, PREVIEW_LONG_SIDE, UPLOAD_LONG_SIDE, assess_upload, examine};
pub use quality::{Strictness, Verdict, assess};
