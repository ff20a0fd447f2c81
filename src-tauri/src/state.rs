//! The app's managed state: the endpoint, the session (tokens stay here, never in the
//! webview), the local flow (photos picked on this device and their sealed drafts, the outbox
//! of submissions not yet acknowledged, the card reader), the files last dropped on the window (the only paths
//! the webview may name), the language the user chose and the slots of the background tasks.

use okpay_core::api::ApiClient;
use okpay_core::card::CardReader;
use okpay_core::config::Endpoint;
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session, keychain_service};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub endpoint: Endpoint,
    pub session: Arc<Session>,
    pub flow: Arc<Flow>,
    /// Watches the review of a pending application.
    pub watcher: TaskSlot,
    /// Sends what waits in the outbox, retrying while the network is down.
    pub resumer: TaskSlot,
    pub dropped: Mutex<Vec<PathBuf>>,
    /// No window has the focus (minimised, hidden, another app in front).
    pub background: Arc<std::sync::atomic::AtomicBool>,
    /// The language the user chose, for what the shell shows itself (notifications).
    pub locale: Mutex<Locale>,
    /// The live camera: its permission gate and the frames' loop.
    pub camera: crate::camera::Camera,
}

impl AppState {
    /// The state for `endpoint`; submissions wait in an encrypted outbox under `data_dir`
    /// (its key in the OS keychain) until the server has them, and picked photos are kept
    /// there, sealed the same way, until they are submitted; cards are read by `card_reader`.
    pub fn new(
        endpoint: Endpoint,
        data_dir: Option<PathBuf>,
        card_reader: Option<CardReader>,
    ) -> Result<AppState, okpay_core::Error> {
        let api = ApiClient::new(endpoint.url.as_str())?;
        let source = KeychainSource::Platform {
            service: keychain_service(&endpoint),
        };
        Ok(AppState {
            endpoint,
            session: Arc::new(Session::new(api, source)),
            flow: Arc::new({
                let flow = match data_dir {
                    Some(dir) => Flow::default()
                        .with_outbox(dir.join("outbox"))
                        .with_photo_drafts(dir.join("photo-drafts")),
                    None => Flow::default(),
                };
                match card_reader {
                    Some(reader) => flow.with_card_reader(reader),
                    None => flow,
                }
            }),
            watcher: TaskSlot::default(),
            resumer: TaskSlot::default(),
            dropped: Mutex::new(Vec::new()),
            background: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            locale: Mutex::new(Locale::default()),
            camera: crate::camera::Camera::default(),
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
    pub fn locale(&self) -> Locale {
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

/// A background task that runs at most once at a time.
#[derive(Default)]
pub struct TaskSlot(Mutex<Option<tauri::async_runtime::JoinHandle<()>>>);

impl TaskSlot {
    /// Run `task` in the background unless the one started before still runs.
    pub fn spawn_once(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.as_ref().is_some_and(|h| !h.inner().is_finished()) {
            return;
        }
        *slot = Some(tauri::async_runtime::spawn(task));
    }

    /// Stop the task if it runs.
    pub fn abort(&self) {
        let task = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(h) = task {
            h.abort();
        }
    }
}

/// The languages the catalogs have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    /// `zh-CN` / `en`; anything else is not a language the app has.
    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "zh-CN" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}
