//! Sign-in, registration, restoring the keychain session, sign-out. Passwords arrive
//! straight into `Sensitive`; tokens never leave the Rust side.

use super::CmdResult;
use crate::state::AppState;
use okpay_core::session::SignedIn;
use okpay_core::{ApiError, Sensitive};
use serde::Serialize;
use tauri::State;

/// What the webview learns about the session: who is signed in, and a warning when the
/// session could not be kept in the keychain.
#[derive(Serialize)]
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
pub async fn session_restore(state: State<'_, AppState>) -> CmdResult<Option<SessionView>> {
    Ok(state.session.restore().await?.map(SessionView::from))
}

#[tauri::command]
pub async fn auth_login(
    state: State<'_, AppState>,
    login: String,
    password: Sensitive<String>,
) -> CmdResult<SessionView> {
    Ok(state.session.sign_in(&login, &password).await?.into())
}

#[tauri::command]
pub async fn auth_register(
    state: State<'_, AppState>,
    login: String,
    password: Sensitive<String>,
) -> CmdResult<SessionView> {
    Ok(state.session.register(&login, &password).await?.into())
}

#[tauri::command]
pub async fn auth_logout(state: State<'_, AppState>) -> CmdResult<()> {
    crate::watcher::stop(&state);
    state.flow.clear();
    Ok(state.session.sign_out().await?)
}
