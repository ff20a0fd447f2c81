//! The OKPay Wallet app shell: builds the Tauri app, wires state and commands. Commands are
//! grouped by domain under [`commands`] and hand off to `okpay-core`; nothing here decides
//! anything about verification.

mod commands;
mod config;
mod state;
mod watcher;

use state::AppState;

/// Build and run the app (desktop `main` and the mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    config::init_logging();
    let endpoint = match config::endpoint_from_env_and_args() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("okpay-app: {}: {}", e.code(), e.to_api().message);
            std::process::exit(2);
        }
    };
    tracing::info!(api = %endpoint.url, staging = endpoint.staging, "starting");
    let state = match AppState::new(endpoint) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("okpay-app: {}: {}", e.code(), e.to_api().message);
            std::process::exit(2);
        }
    };
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::auth::session_restore,
            commands::auth::auth_login,
            commands::auth::auth_register,
            commands::auth::auth_logout,
            commands::account::account_get,
            commands::verification::verification_get,
            commands::verification::validate_fields,
            commands::verification::verification_save_personal,
            commands::verification::verification_submit,
            commands::photos::photo_pick,
            commands::photos::photos_local,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("okpay-app: the window could not be started: {e}");
        std::process::exit(1);
    }
}
