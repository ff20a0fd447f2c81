//! Every event the shell sends to the webview, with its name and payload, and the one way to
//! send each: the emitters and the generated bindings both use what is here.

use okpay_core::contract::{Application, PhotoSide};
use okpay_core::flow::SubmitProgress;
use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter};

/// Carries the whole [`Application`] whenever it changes outside a command's reply (the review
/// decided, a queued submission went out).
pub const VERIFICATION_CHANGED: &str = "verification-changed";
/// Carries an [`UploadProgress`] while photos upload.
pub const UPLOAD_PROGRESS: &str = "upload-progress";

/// Payload of `upload-progress`.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct UploadProgress {
    pub side: PhotoSide,
    pub sent: u64,
    pub total: u64,
}

/// Send `verification-changed`; a window that is gone only gets a log line.
pub fn verification_changed(app: &AppHandle, application: &Application) {
    if let Err(e) = app.emit(VERIFICATION_CHANGED, application) {
        tracing::warn!("could not deliver a review update to the window: {e}");
    }
}

/// The `upload-progress` sender for a submission.
pub fn upload_progress(app: &AppHandle) -> SubmitProgress {
    let app = app.clone();
    Arc::new(move |side, sent, total| {
        let _ = app.emit(UPLOAD_PROGRESS, UploadProgress { side, sent, total });
    })
}
