//! App information for the header (API address, STAGING badge, version) and the language the
//! user chose, for what the shell shows itself.

use super::CmdResult;
use crate::state::{AppState, Locale};
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use tauri::State;

#[derive(Serialize, ts_rs::TS)]
pub struct AppInfo {
    api_url: String,
    staging: bool,
    #[ts(type = "string")]
    version: &'static str,
    /// Android or iOS: photos come from the camera or the photo library, not a file dialog.
    mobile: bool,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        api_url: state.endpoint.url.to_string(),
        staging: state.endpoint.staging,
        version: env!("CARGO_PKG_VERSION"),
        mobile: cfg!(mobile),
    }
}

#[tauri::command]
pub fn app_set_locale(state: State<'_, AppState>, locale: String) -> CmdResult<()> {
    let locale = Locale::parse(&locale).ok_or(ApiError::new(ErrorCode::BadRequest))?;
    *state
        .locale
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = locale;
    Ok(())
}
