//! Planes of 8-bit samples and what is done to them whatever the format: area resampling and
//! halving, BT.601 luma, EXIF orientation (coordinate maps, whole arrays, windows strip by
//! strip), the chroma planes of the card search, a small blur, plane projective maps. No
//! decoding, no judging.

mod blur;
pub mod chroma;
pub mod homography;
pub mod orient;
pub mod plane;
pub mod resample;
mod turn;

pub use chroma::Chroma;
pub use homography::Homography;
pub use orient::Orientation;
pub use plane::Plane;
pub use turn::orient_samples;
