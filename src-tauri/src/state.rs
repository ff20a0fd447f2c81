//! The app's managed state: the endpoint, the session (tokens stay here, never in the
//! webview), the local flow (photos picked on this device and their sealed drafts, the outbox
//! of submissions not yet acknowledged), the files last dropped on the window (the only paths
//! the webview may name) and the review watcher.

use okpay_core::api::ApiClient;
use okpay_core::config::Endpoint;
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session, keychain_service};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub endpoint: Endpoint,
    pub session: Arc<Session>,
    pub flow: Arc<Flow>,
    pub watcher: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    /// Sends what waits in the outbox, retrying while the network is down.
    pub resumer: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    pub dropped: Mutex<Vec<PathBuf>>,
    /// No window has the focus (minimised, hidden, another app in front).
    pub background: Arc<std::sync::atomic::AtomicBool>,
    /// The language the user chose, for what the shell shows itself (notifications).
    pub locale: Mutex<crate::notify::Locale>,
}

impl AppState {
    /// The state for `endpoint`; submissions wait in an encrypted outbox under `data_dir`
    /// (its key in the OS keychain) until the server has them, and picked photos are kept
    /// there, sealed the same way, until they are submitted.
    pub fn new(
        endpoint: Endpoint,
        data_dir: Option<PathBuf>,
    ) -> Result<AppState, okpay_core::Error> {
        let api = ApiClient::new(endpoint.url.as_str())?;
        let source = KeychainSource::Platform {
            service: keychain_service(&endpoint),
        };
        Ok(AppState {
            endpoint,
            session: Arc::new(Session::new(api, source)),
            flow: Arc::new(match data_dir {
                Some(dir) => Flow::default()
                    .with_outbox(dir.join("outbox"))
                    .with_photo_drafts(dir.join("photo-drafts")),
                None => Flow::default(),
            }),
            watcher: Mutex::new(None),
            resumer: Mutex::new(None),
            dropped: Mutex::new(Vec::new()),
            background: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            locale: Mutex::new(crate::notify::Locale::default()),
        })
    }
}

impl AppState {
    /// Remember the files just dropped on the window, replacing the previous drop.
    pub fn set_dropped(&self, paths: Vec<PathBuf>) {
        *self
            .dropped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = paths;
    }

    /// The language the user chose.
    pub fn locale(&self) -> crate::notify::Locale {
        *self
            .locale
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `path` is one of the files last dropped on the window.
    pub fn was_dropped(&self, path: &std::path::Path) -> bool {
        self.dropped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .any(|p| p == path)
    }
}
