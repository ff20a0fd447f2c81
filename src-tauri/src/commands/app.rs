//! App information for the header: API address, STAGING badge, version.

use crate::state::AppState;
use serde::Serialize;
use tauri::State;

#[derive(Serialize)]
pub struct AppInfo {
    api_url: String,
    staging: bool,
    version: &'static str,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        api_url: state.endpoint.url.to_string(),
        staging: state.endpoint.staging,
        version: env!("CARGO_PKG_VERSION"),
    }
}
