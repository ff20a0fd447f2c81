//! Serving the router on a TCP listener, one task per connection, HTTP/1 by hyper with a
//! header-read timeout: a client that sends its headers too slowly, or leaves a kept-alive
//! connection idle that long, is disconnected (axum's own `serve` runs hyper without a
//! timer, so without this timeout). The client's address reaches the router as
//! `ConnectInfo`. Stopping takes no new connections and lets the open ones finish their
//! request.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::Service;

/// Pause after a failed accept (e.g. no file descriptor left) before the next one.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serve `router` on `listener` until `stop` completes, then wait for the open connections
/// to finish their request (dropping this future cuts them instead).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let (closing_tx, closing) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, remote)) => {
                    connections.spawn(serve_connection(
                        stream,
                        remote,
                        router.clone(),
                        header_read_timeout,
                        closing.clone(),
                    ));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    drop(listener);
    closing_tx.send_replace(true);
    while connections.join_next().await.is_some() {}
}

/// One connection, until the client or hyper ends it, or until `closing` turns true and the
/// request under way (if any) is answered.
async fn serve_connection(
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    header_read_timeout: Duration,
    mut closing: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        router.clone().call(request.map(Body::new))
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let finished = tokio::select! {
        served = connection.as_mut() => Some(served),
        _ = closing.wait_for(|closing| *closing) => None,
    };
    let served = match finished {
        Some(served) => served,
        None => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = served {
        tracing::debug!(error = %e, "connection closed with an error");
    }
}
