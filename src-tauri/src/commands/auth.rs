//! Sign-in, registration, restoring the keychain session, sign-out. Passwords arrive
//! straight into `Sensitive`; tokens never leave the Rust side.

use super::CmdResult;
use crate::state::AppState;
use crate::tasks;
use okpay_core::session::SignedIn;
use okpay_core::{ApiError, Sensitive};
use serde::Serialize;
use tauri::{AppHandle, State};

/// What the webview learns about the session: who is signed in, and a warning when the
/// session could not be kept in the keychain.
#[derive(Serialize, ts_rs::TS)]
#[ts(rename = "SessionInfo")]
pub struct SessionView {
    login: String,
    warning: Option<ApiError>,
}

impl From<SignedIn> for SessionView {
    fn from(s: SignedIn) -> Self {
        SessionView {
            login: s.login,
            warning: s.not_persisted.map(ApiError::new),
        }
    }
}

#[tauri::command]
pub async fn session_restore(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<SessionView>> {
    let restored = state.session.restore().await?.map(SessionView::from);
    if restored.is_some() {
        tasks::outbox::resume(&app, &state);
        tasks::photos::restore(&state);
    }
    Ok(restored)
}

#[tauri::command]
pub async fn auth_login(
    app: AppHandle,
    state: State<'_, AppState>,
    login: String,
    password: Sensitive<String>,
) -> CmdResult<SessionView> {
    let signed = state.session.sign_in(&login, &password).await?.into();
    tasks::outbox::resume(&app, &state);
    tasks::photos::restore(&state);
    Ok(signed)
}

#[tauri::command]
pub async fn auth_register(
    state: State<'_, AppState>,
    login: String,
    password: Sensitive<String>,
) -> CmdResult<SessionView> {
    let signed = state.session.register(&login, &password).await?.into();
    tasks::photos::restore(&state);
    Ok(signed)
}

#[tauri::command]
pub async fn auth_logout(state: State<'_, AppState>) -> CmdResult<()> {
    tasks::stop(&state);
    // Signing out abandons what waits in the outbox and the kept photos: nothing of this
    // user stays behind.
    if let Err(e) = state.flow.discard_queued(&state.session).await {
        tracing::warn!(code = %e.code(), "could not clear the outbox at sign-out");
    }
    if let Err(e) = state.flow.discard_photo_drafts(&state.session).await {
        tracing::warn!(code = %e.code(), "could not delete the kept photos at sign-out");
    }
    state.flow.clear();
    Ok(state.session.sign_out().await?)
}
