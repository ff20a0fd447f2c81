//! Running the router on a TCP listener: [`spawn`] and the [`ServerHandle`] that stops it.

use crate::config::Config;
use crate::error::StagingError;
use crate::state::Staging;
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

    /// `http://ADDR`, the base URL of the API.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's state (configuration, database path).
    pub fn staging(&self) -> &Staging {
        &self.staging
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

/// Open the staging state from `config`, bind `addr` (e.g. `127.0.0.1:0`), serve the API
/// on the current tokio runtime, and return the bound address with the handle that stops
/// the server.
pub async fn spawn(
    config: Config,
    addr: SocketAddr,
) -> Result<(SocketAddr, ServerHandle), StagingError> {
    let staging = tokio::task::spawn_blocking(move || Staging::open(config))
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
    let router = staging
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "server stopped with an error");
        }
    });
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
