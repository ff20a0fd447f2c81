//! The live camera loop's judgement: a downscaled video frame (RGBA, as a canvas gives it)
//! judged by the same card finder and checks as a photo ([`frame`]), turned into one line
//! of guidance and the card's outline ([`guide`]), and the steadiness that decides when to
//! take the picture ([`steady`]). Frames are judged in memory and never kept.

pub mod frame;
pub mod guide;
pub mod steady;

pub use frame::{FRAME_LONG_SIDE, MAX_FRAME_LONG_SIDE, frame_analysis};
pub use guide::{Guidance, Look, look};
pub use steady::{Progress, STEADY_IOU, STEADY_MS, Steady};
