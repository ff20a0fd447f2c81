//! The OKPay Wallet app shell: builds the Tauri app, wires state and commands. Commands are
//! grouped by domain under `commands` and hand off to `okpay-core`; nothing here decides
//! anything about verification. Modules import downwards only: `commands` → `tasks` (the
//! background jobs) → `events`, `notify` → `state`.

#[cfg(target_os = "android")]
mod android;
#[cfg(test)]
mod bindings;
mod camera;
mod commands;
mod config;
mod events;
mod notify;
mod state;
mod tasks;
#[cfg(target_os = "linux")]
mod webview;

use state::AppState;

/// The invoke handler of every command of `commands/list.rs`.
macro_rules! handlers {
    ($( $module:ident :: $cmd:ident ( $($args:tt)* ) -> $reply:ty ; )*) => {
        tauri::generate_handler![ $( commands::$module::$cmd ),* ]
    };
}

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
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            use tauri::Manager;
            let data_dir = config::data_dir(app.path().app_data_dir().ok());
            let card_reader = config::card_reader(app.path().resource_dir().ok());
            let state = AppState::new(endpoint, data_dir, card_reader)
                .map_err(|e| format!("{}: {}", e.code(), e.to_api().message))?;
            app.manage(state);
            #[cfg(target_os = "android")]
            android::init_keychain(app);
            // WebKitGTK only: other platforms keep their webview's defaults.
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                let asked = window.state::<AppState>().camera.asked_flag();
                webview::tune(&window, asked)?;
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            use tauri::Manager;
            match event {
                tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                    window.state::<AppState>().set_dropped(paths.clone());
                }
                tauri::WindowEvent::Focused(focused) => {
                    let background = &window.state::<AppState>().background;
                    background.store(!focused, std::sync::atomic::Ordering::Relaxed);
                }
                _ => {}
            }
        })
        .invoke_handler(commands::with_ipc_commands!(handlers))
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("okpay-app: the window could not be started: {e}");
        std::process::exit(1);
    }
}
