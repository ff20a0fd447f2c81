//! The verification application: read it, validate and save personal info, submit.

use super::CmdResult;
use crate::state::AppState;
use crate::watcher;
use okpay_core::contract::{Application, PhotoSide};
use okpay_core::flow::FieldErrors;
use serde::Serialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

#[tauri::command]
pub async fn verification_get(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Application> {
    let application = state.session.verification().await?;
    watcher::ensure(&app, &state, &application);
    Ok(application)
}

#[tauri::command]
pub fn validate_fields(name: String, id_number: String) -> FieldErrors {
    okpay_core::flow::validate_fields(&name, &id_number)
}

#[tauri::command]
pub async fn verification_save_personal(
    state: State<'_, AppState>,
    name: String,
    id_number: String,
) -> CmdResult<Application> {
    Ok(state
        .flow
        .save_personal(&state.session, &name, &id_number, None)
        .await?)
}

#[derive(Clone, Serialize)]
struct UploadProgress {
    side: PhotoSide,
    sent: u64,
    total: u64,
}

#[tauri::command]
pub async fn verification_submit(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Application> {
    let emitter = app.clone();
    let progress = Arc::new(move |side, sent, total| {
        let _ = emitter.emit(
            watcher::UPLOAD_PROGRESS,
            UploadProgress { side, sent, total },
        );
    });
    let application = state.flow.submit(&state.session, progress).await?;
    watcher::ensure(&app, &state, &application);
    Ok(application)
}
