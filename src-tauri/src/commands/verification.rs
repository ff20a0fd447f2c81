//! The verification application: read it, record consent, validate and save personal info,
//! submit.

use super::CmdResult;
use crate::state::AppState;
use crate::tasks::{outbox, review};
use okpay_core::contract::{Application, Validity};
use okpay_core::flow::FieldErrors;
use tauri::{AppHandle, State};

#[tauri::command]
pub async fn verification_get(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Application> {
    let application = state.session.verification().await?;
    review::ensure(&app, &state, &application);
    Ok(application)
}

#[tauri::command]
pub async fn verification_consent(
    state: State<'_, AppState>,
    version: String,
) -> CmdResult<Application> {
    Ok(state.flow.consent(&state.session, &version).await?)
}

#[tauri::command]
pub fn validate_fields(name: String, id_number: String, validity: Option<Validity>) -> FieldErrors {
    let options = okpay_core::flow::FieldOptions {
        validity: validity.as_ref(),
        today: None,
    };
    okpay_core::flow::validate_fields(&name, &id_number, options)
}

#[tauri::command]
pub async fn verification_save_personal(
    state: State<'_, AppState>,
    name: String,
    id_number: String,
    validity: Option<Validity>,
) -> CmdResult<Application> {
    Ok(state
        .flow
        .save_personal(&state.session, &name, &id_number, validity)
        .await?)
}

#[tauri::command]
pub async fn verification_submit(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Application> {
    let progress = crate::events::upload_progress(&app);
    match state.flow.submit(&state.session, progress).await {
        Ok(application) => {
            review::ensure(&app, &state, &application);
            crate::notify::ask_permission(&app);
            Ok(application)
        }
        Err(e) => {
            // A transient failure leaves the submission in the outbox: keep sending it.
            if e.is_transient() {
                outbox::resume(&app, &state);
            }
            Err(e.into())
        }
    }
}
