//! The review watcher: while an application is pending, the core's long poll runs in the
//! background and every change reaches the webview as `verification-changed`; a decision
//! also raises an OS notification.

use crate::events;
use crate::state::AppState;
use okpay_core::contract::{Application, VerificationStatus};
use std::time::Duration;
use tauri::{AppHandle, Manager};

/// Start watching if the application is pending and no watcher runs yet.
pub fn ensure(app: &AppHandle, state: &AppState, application: &Application) {
    if application.status != VerificationStatus::Pending {
        return;
    }
    let (app, session, after) = (app.clone(), state.session.clone(), application.revision);
    let background = state.background.clone();
    state.watcher.spawn_once(async move {
        let emit = |a: &Application| {
            events::verification_changed(&app, a);
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
