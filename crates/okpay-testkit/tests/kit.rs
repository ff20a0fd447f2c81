//! The kit on its own: the server answers on the seeded set-up, the proxy relays or injects
//! its faults, and a restart keeps the port and the data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_testkit::{Fault, FaultProxy, ReviewMode, Staging};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `GET path` over a fresh connection: the whole reply as text, or None when cut.
async fn get(addr: SocketAddr, path: &str) -> Option<String> {
    let mut sock = TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    sock.write_all(head.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), sock.read_to_end(&mut reply)).await;
    match read {
        Ok(Ok(_)) if !reply.is_empty() => Some(String::from_utf8_lossy(&reply).into_owned()),
        _ => None,
    }
}

#[tokio::test]
async fn the_proxy_relays_and_injects_its_faults() {
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = FaultProxy::start(server.addr()).await;
    assert!(
        get(proxy.addr, "/healthz")
            .await
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );

    proxy.inject("/healthz", Fault::Unavailable, 1);
    let reply = get(proxy.addr, "/healthz").await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(reply.contains("SERVICE_UNAVAILABLE"), "{reply}");

    proxy.inject(
        "/healthz",
        Fault::Reply {
            status: 502,
            headers: "retry-after: 7\r\n",
            body: "gone",
        },
        1,
    );
    let reply = get(proxy.addr, "/healthz").await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 502"), "{reply}");
    assert!(
        reply.contains("retry-after: 7\r\n") && reply.ends_with("gone"),
        "{reply}"
    );

    proxy.inject("/healthz", Fault::Hang, 1);
    let hung = tokio::spawn({
        let addr = proxy.addr;
        async move { get(addr, "/healthz").await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.cut_all();
    assert_eq!(hung.await.unwrap(), None, "no reply, then cut");

    assert!(
        get(proxy.addr, "/healthz")
            .await
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
    assert_eq!(proxy.counts("/healthz"), (3, 5));
}

#[tokio::test]
async fn a_restart_keeps_the_port_and_the_data_dir() {
    let server = Staging::start(ReviewMode::AutoApproveAfter(Duration::from_secs(1))).await;
    let (addr, dir) = (server.addr(), server.dir.path().to_owned());
    let server = server.restart(ReviewMode::Manual, Duration::ZERO).await;
    assert_eq!(server.addr(), addr);
    assert_eq!(server.dir.path(), dir);
    assert_eq!(server.url(), format!("http://{addr}"));
    assert!(
        get(addr, "/healthz")
            .await
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
}
