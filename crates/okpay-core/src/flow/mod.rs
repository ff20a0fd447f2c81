//! The verification flow on the device, one module per job: live validation of the
//! personal fields (`fields`), the photos picked and checked here and kept in sealed drafts
//! (`local`, see [`crate::local_photos`]), what their cards say (`card`, see
//! [`crate::card`]), sending the application through the outbox
//! (`submit`) and following its review (`review`).

mod card;
mod fields;
mod local;
mod review;
mod submit;

pub use crate::local_photos::{
    APP_STRICTNESS, LocalPhoto, LocalPhotoView, LocalPhotos, PhotoCheck, prepare_photo,
    prepare_photo_off_runtime, read_photo_file,
};
pub use fields::{FieldErrors, FieldOptions, validate_fields};
pub use local::Flow;
pub use review::{BACKGROUND_IDLE_GAP, MAX_BACKOFF, Polling, REVIEW_POLL, watch_review};
pub use submit::SubmitProgress;
pub use tokio_util::sync::CancellationToken;
