//! The CLI's session and where it keeps its files: the API endpoint every networked
//! command takes (`--api-url` / `OKPAY_API_URL`), the session under a keychain namespace of
//! its own (so it never signs the app in or out), and the outbox of its submissions under the
//! data directory.

use okpay_core::api::ApiClient;
use okpay_core::config::Endpoint;
use okpay_core::flow::Flow;
use okpay_core::session::{KeychainSource, Session, keychain_service};
use okpay_core::{ApiError, ErrorCode};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Conn {
    /// Base URL of the API (https://, or http:// to loopback).
    #[arg(long, env = "OKPAY_API_URL")]
    api_url: Option<String>,
}

impl Conn {
    /// A signed-out session against the endpoint, its refresh token under the CLI's own
    /// keychain namespace.
    pub fn session(&self) -> Result<Session, ApiError> {
        let endpoint = Endpoint::resolve(self.api_url.as_deref())?;
        let api = ApiClient::new(endpoint.url.as_str())?;
        let service = format!("{}.cli", keychain_service(&endpoint));
        Ok(Session::new(api, KeychainSource::Platform { service }))
    }
}

/// Where the CLI keeps its files: `OKPAY_DATA_DIR`, else the platform's data directory.
fn data_dir() -> Result<PathBuf, ApiError> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("OKPAY_DATA_DIR") {
        return Ok(d);
    }
    let base = if cfg!(windows) {
        env("APPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join("okpay-cli")).ok_or_else(|| {
        ApiError::with_message(ErrorCode::Internal, "no data directory: set OKPAY_DATA_DIR")
    })
}

/// The flow with the outbox under the data directory.
pub fn flow_with_outbox() -> Result<Flow, ApiError> {
    Ok(Flow::default().with_outbox(data_dir()?.join("outbox")))
}
