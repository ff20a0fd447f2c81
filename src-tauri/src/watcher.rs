//! Runs the core's review watcher in the background while an application is pending and
//! forwards each change to the webview as a `verification-changed` event; a decision also
//! raises an OS notification. Also the outbox's sender: a submission that could not go out
//! (offline, cut off, the app closed half-way) is sent again after sign-in and while the
//! network comes and goes, with upload progress events. And the read-back of the photos the
//! user kept on this device, started after sign-in so the photo steps find them ready.

use crate::commands::verification::UploadProgress;
use crate::state::AppState;
use okpay_core::contract::{Application, VerificationStatus};
use okpay_core::flow::{CancellationToken, SubmitProgress};
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};

/// Event carrying the whole [`Application`] whenever the review changes it.
pub const VERIFICATION_CHANGED: &str = "verification-changed";
/// Event carrying `{side, sent, total}` while photos upload.
pub const UPLOAD_PROGRESS: &str = "upload-progress";

/// Start watching if the application is pending and no watcher runs yet.
pub fn ensure(app: &AppHandle, state: &AppState, application: &Application) {
    if application.status != VerificationStatus::Pending {
        return;
    }
    let (app, session, after) = (app.clone(), state.session.clone(), application.revision);
    let background = state.background.clone();
    spawn_once(&state.watcher, async move {
        let emit = |a: &Application| {
            if let Err(e) = app.emit(VERIFICATION_CHANGED, a) {
                tracing::warn!("could not deliver a review update to the window: {e}");
            }
            let locale = app.state::<AppState>().locale();
            crate::notify::decided(&app, locale, a);
        };
        // In the background: at most one status request a minute.
        let idle_gap = move || {
            if background.load(std::sync::atomic::Ordering::Relaxed) {
                okpay_core::flow::BACKGROUND_IDLE_GAP
            } else {
                Duration::ZERO
            }
        };
        let polling = okpay_core::flow::Polling {
            idle_gap: &idle_gap,
            ..Default::default()
        };
        if let Err(e) = okpay_core::flow::watch_review(&session, after, polling, emit).await {
            tracing::warn!(code = %e.code(), "stopped watching the review");
        }
    });
}

/// First and longest wait between attempts to send the outbox while the network is down.
const RESUME_BACKOFF: (Duration, Duration) = (Duration::from_secs(5), Duration::from_secs(60));

/// The `upload-progress` emitter for a submission.
pub fn progress_events(app: &AppHandle) -> SubmitProgress {
    let app = app.clone();
    Arc::new(move |side, sent, total| {
        let _ = app.emit(UPLOAD_PROGRESS, UploadProgress { side, sent, total });
    })
}

/// Send what waits in the outbox (if anything) in the background, retrying with backoff
/// while the failure is transient; the result reaches the webview as `verification-changed`
/// and starts the review watcher.
pub fn resume_queued(app: &AppHandle, state: &AppState) {
    let (app, flow, session) = (app.clone(), state.flow.clone(), state.session.clone());
    spawn_once(&state.resumer, async move {
        let mut wait = RESUME_BACKOFF.0;
        loop {
            let cancel = CancellationToken::new();
            match flow.resume(&session, progress_events(&app), &cancel).await {
                Ok(None) => return,
                Ok(Some(application)) => {
                    tracing::info!(
                        revision = application.revision,
                        "queued submission delivered"
                    );
                    let _ = app.emit(VERIFICATION_CHANGED, &application);
                    ensure(&app, &app.state::<AppState>(), &application);
                    return;
                }
                Err(e) if e.is_transient() => {
                    tracing::info!(code = %e.code(), "queued submission waits for the network");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(RESUME_BACKOFF.1);
                }
                Err(e) => {
                    tracing::warn!(code = %e.code(), "queued submission not delivered");
                    return;
                }
            }
        }
    });
}

/// Read back the signed-in user's kept photos in the background (the photo commands wait
/// for it if it is still running); forgets another user's photos.
pub fn restore_photos(state: &AppState) {
    let (flow, session) = (state.flow.clone(), state.session.clone());
    tauri::async_runtime::spawn(async move {
        if let Err(e) = flow.restore_photos(&session).await {
            tracing::debug!(code = %e.code(), "no kept photos to restore");
        }
    });
}

type Slot = std::sync::Mutex<Option<tauri::async_runtime::JoinHandle<()>>>;

/// Run `task` in the background unless the one in `slot` still runs.
fn spawn_once(slot: &Slot, task: impl std::future::Future<Output = ()> + Send + 'static) {
    let mut slot = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.as_ref().is_some_and(|h| !h.inner().is_finished()) {
        return;
    }
    *slot = Some(tauri::async_runtime::spawn(task));
}

/// Stop watching and sending (sign-out).
pub fn stop(state: &AppState) {
    for slot in [&state.watcher, &state.resumer] {
        if let Some(h) = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            h.abort();
        }
    }
}
