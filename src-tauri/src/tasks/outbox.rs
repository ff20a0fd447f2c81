//! The outbox's sender: a submission that could not go out (offline, cut off, the app closed
//! half-way) is sent again after sign-in and while the network comes and goes, with
//! `upload-progress` events; once delivered it reaches the webview as
//! `verification-changed` and the review watcher starts.

use super::review;
use crate::events;
use crate::state::AppState;
use okpay_core::flow::CancellationToken;
use std::time::Duration;
use tauri::{AppHandle, Manager};

/// First and longest wait between attempts to send the outbox while the network is down.
const BACKOFF: (Duration, Duration) = (Duration::from_secs(5), Duration::from_secs(60));

/// Send what waits in the outbox (if anything) in the background, retrying with backoff
/// while the failure is transient.
pub fn resume(app: &AppHandle, state: &AppState) {
    let (app, flow, session) = (app.clone(), state.flow.clone(), state.session.clone());
    state.resumer.spawn_once(async move {
        let mut wait = BACKOFF.0;
        loop {
            let cancel = CancellationToken::new();
            match flow
                .resume(&session, events::upload_progress(&app), &cancel)
                .await
            {
                Ok(None) => return,
                Ok(Some(application)) => {
                    tracing::info!(
                        revision = application.revision,
                        "queued submission delivered"
                    );
                    events::verification_changed(&app, &application);
                    review::ensure(&app, &app.state::<AppState>(), &application);
                    return;
                }
                Err(e) if e.is_transient() => {
                    tracing::info!(code = %e.code(), "queued submission waits for the network");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(BACKOFF.1);
                }
                Err(e) => {
                    tracing::warn!(code = %e.code(), "queued submission not delivered");
                    return;
                }
            }
        }
    });
}
