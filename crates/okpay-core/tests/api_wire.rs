//! The API client's retries, timeouts and stalls against a tiny scripted HTTP server on
//! loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::api::{ApiClient, ClientOptions, Timeouts};
use okpay_core::contract::PhotoSide;
use okpay_core::{ErrorCode, RetryPolicy, Sensitive};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const STATUS_OK: &str = r#"{"status":"pending","revision":3,"reasons":[]}"#;

#[derive(Clone, Copy)]
enum Act {
    /// Answer with this status, body and extra header lines.
    Reply(u16, &'static str, &'static str),
    /// Read the request head, then neither read nor answer.
    Hang,
}

/// Serve each connection with `script(n)` (n = 0, 1, …); returns the base URL and
/// the number of requests seen.
async fn server(script: fn(usize) -> Act) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let n = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if sock.read(&mut buf).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(buf[0]);
                }
                match script(n) {
                    Act::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                    Act::Reply(status, body, extra) => {
                        let reply = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
                            body.len()
                        );
                        let _ = sock.write_all(reply.as_bytes()).await;
                        let _ = sock.shutdown().await;
                    }
                }
            });
        }
    });
    (url, seen)
}

fn fast() -> ClientOptions {
    ClientOptions {
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_millis(400),
            upload: Duration::from_secs(10),
            stall: Duration::from_millis(300),
        },
        retry: RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(2),
        },
    }
}

fn token() -> Sensitive<String> {
    Sensitive::new("t".to_owned())
}

#[tokio::test]
async fn a_get_is_retried_through_503s_and_succeeds() {
    let (url, seen) = server(|n| {
        if n < 2 {
            Act::Reply(503, "{}", "")
        } else {
            Act::Reply(200, STATUS_OK, "")
        }
    })
    .await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let reply = api.status(&token(), None, Duration::ZERO).await.unwrap();
    assert_eq!(reply.revision, 3);
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retries_are_bounded() {
    let (url, seen) = server(|_| Act::Reply(502, "", "")).await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let e = api
        .status(&token(), None, Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert_eq!(seen.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn login_and_refresh_are_never_retried() {
    let (url, seen) = server(|_| Act::Reply(503, "{}", "")).await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let pw = Sensitive::new("p".to_owned());
    assert!(api.login("a@b.test", &pw).await.is_err());
    assert!(api.refresh(&pw).await.is_err());
    assert_eq!(seen.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let (url, seen) = server(|_| Act::Reply(500, "{}", "")).await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    assert!(api.status(&token(), None, Duration::ZERO).await.is_err());
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_stops_retrying() {
    let (url, seen) = server(|n| {
        if n == 0 {
            Act::Reply(503, "{}", "retry-after: 1\r\n")
        } else {
            Act::Reply(200, STATUS_OK, "")
        }
    })
    .await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let start = Instant::now();
    api.status(&token(), None, Duration::ZERO).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(950));
    assert_eq!(seen.load(Ordering::SeqCst), 2);

    let (url, seen) = server(|_| Act::Reply(503, "{}", "retry-after: 3600\r\n")).await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let e = api
        .status(&token(), None, Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reply_that_never_comes_times_out_and_is_retried() {
    let (url, seen) = server(|n| {
        if n == 0 {
            Act::Hang
        } else {
            Act::Reply(200, STATUS_OK, "")
        }
    })
    .await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    api.status(&token(), None, Duration::ZERO).await.unwrap();
    assert_eq!(seen.load(Ordering::SeqCst), 2);

    let (url, _) = server(|_| Act::Hang).await;
    let api = ApiClient::with_options(&url, fast()).unwrap();
    let e = api.account(&token()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkTimeout);
}

#[tokio::test]
async fn a_stalled_upload_is_cut_with_network_timeout() {
    let (url, seen) = server(|_| Act::Hang).await;
    let mut options = fast();
    options.retry = RetryPolicy::NEVER;
    let api = ApiClient::with_options(&url, options).unwrap();
    let start = Instant::now();
    let body = bytes::Bytes::from(vec![7u8; 32 * 1024 * 1024]);
    let e = api
        .upload_photo(&token(), PhotoSide::Portrait, body, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkTimeout);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}
