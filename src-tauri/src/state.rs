//! The app's managed state: the endpoint, the session (tokens stay here, never in the
//! webview), the local flow (photos picked on this device) and the review watcher.

use okpay_core::api::ApiClient;
use okpay_core::config::Endpoint;
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session, keychain_service};
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub endpoint: Endpoint,
    pub session: Arc<Session>,
    pub flow: Arc<Flow>,
    pub watcher: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
}

impl AppState {
    pub fn new(endpoint: Endpoint) -> Result<AppState, okpay_core::Error> {
        let api = ApiClient::new(endpoint.url.as_str())?;
        let source = KeychainSource::Platform {
            service: keychain_service(&endpoint),
        };
        Ok(AppState {
            endpoint,
            session: Arc::new(Session::new(api, source)),
            flow: Arc::new(Flow::default()),
            watcher: Mutex::new(None),
        })
    }
}
