//! Runs the core's review watcher in the background while an application is pending and
//! forwards each change to the webview as a `verification-changed` event.

use crate::state::AppState;
use okpay_core::contract::{Application, VerificationStatus};
use tauri::{AppHandle, Emitter};

/// Event carrying the whole [`Application`] whenever the review changes it.
pub const VERIFICATION_CHANGED: &str = "verification-changed";
/// Event carrying `{side, sent, total}` while photos upload.
pub const UPLOAD_PROGRESS: &str = "upload-progress";

/// Start watching if the application is pending and no watcher runs yet.
pub fn ensure(app: &AppHandle, state: &AppState, application: &Application) {
    if application.status != VerificationStatus::Pending {
        return;
    }
    let mut slot = state
        .watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.as_ref().is_some_and(|h| !h.inner().is_finished()) {
        return;
    }
    let (app, session, after) = (app.clone(), state.session.clone(), application.revision);
    *slot = Some(tauri::async_runtime::spawn(async move {
        let emit = |a: &Application| {
            if let Err(e) = app.emit(VERIFICATION_CHANGED, a) {
                tracing::warn!("could not deliver a review update to the window: {e}");
            }
        };
        if let Err(e) = okpay_core::flow::watch_review(&session, after, emit).await {
            tracing::warn!(code = %e.code(), "stopped watching the review");
        }
    }));
}

/// Stop watching (sign-out).
pub fn stop(state: &AppState) {
    if let Some(h) = state
        .watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
    {
        h.abort();
    }
}
