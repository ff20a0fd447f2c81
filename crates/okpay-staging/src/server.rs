//! The staging server composed in one place — the state opened, the router built over it,
//! the automatic reviewer started ([`compose`]) — and run on a TCP listener ([`spawn`],
//! through `connections`, with the [`ServerHandle`] that stops it).

use crate::config::Config;
use crate::error::StagingError;
use crate::state::Staging;
use crate::{connections, reviewer, routes};
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long [`ServerHandle::stop`] waits for open connections before cutting them.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running server. Dropping it (or [`ServerHandle::stop`]) shuts it down gracefully:
/// no new connections, waiting long polls answer at once, the reviewer stops.
pub struct ServerHandle {
    addr: SocketAddr,
    staging: Staging,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The password hashing gauge of the running server.
    pub fn password_hashing(&self) -> crate::password::HashingStats {
        self.staging.password_hashing()
    }

    /// `http://ADDR`, the base URL of the API.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn signal(&mut self) {
        self.staging.shut_down();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Shut down and wait (a few seconds at most) until the server has stopped.
    pub async fn stop(mut self) {
        self.signal();
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(STOP_GRACE, task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.signal();
    }
}

/// Compose the server from `config`: open the state, approve what fell due for automatic
/// review while the server was down, build the router (`/v1/...` and `/healthz`) and start
/// the automatic reviewer on `runtime` (with automatic review only). Blocking: opening
/// hashes passwords and touches the disk.
pub fn compose(
    config: Config,
    runtime: &tokio::runtime::Handle,
) -> Result<(Staging, Router), StagingError> {
    let staging = Staging::open(config)?;
    reviewer::decide_overdue(&staging)?;
    let router = routes::router(staging.clone());
    reviewer::start(runtime, &staging);
    Ok((staging, router))
}

/// [`compose`] the server from `config`, bind `addr` (e.g. `127.0.0.1:0`), serve the API on
/// the current tokio runtime, and return the bound address with the handle that stops the
/// server.
pub async fn spawn(
    config: Config,
    addr: SocketAddr,
) -> Result<(SocketAddr, ServerHandle), StagingError> {
    let runtime = tokio::runtime::Handle::current();
    let (staging, router) = tokio::task::spawn_blocking(move || compose(config, &runtime))
        .await
        .map_err(|e| StagingError::Startup {
            what: "opening the staging state",
            message: e.to_string(),
        })??;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StagingError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| StagingError::Bind { addr, source })?;
    let header_read_timeout = staging.config().header_read_timeout;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(connections::serve(
        listener,
        router,
        header_read_timeout,
        async {
            let _ = rx.await;
        },
    ));
    tracing::info!(addr = %bound, "okpay-staging listening");
    Ok((
        bound,
        ServerHandle {
            addr: bound,
            staging,
            shutdown: Some(tx),
            task: Some(task),
        },
    ))
}
