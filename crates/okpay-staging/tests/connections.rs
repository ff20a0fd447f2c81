//! What a slow or greedy client can no longer hold: a body trickled after the headers is cut
//! off with `REQUEST_TIMEOUT` and the connection closed, headers sent too slowly close the
//! connection, a request running too long answers `REQUEST_TIMEOUT`, and one user's long
//! polls beyond the limit answer `RATE_LIMITED` at once while other users' still wait.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::StatusReply;
use okpay_rules::{ApiError, ErrorCode};
use okpay_staging::ReviewMode;
use reqwest::StatusCode;
use std::time::Duration;
use support::*;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test lets the server take to act before calling it a failure: far above the
/// timeouts the tests configure, which are what the server must act on.
const GIVE_UP: Duration = Duration::from_secs(20);

/// What the server sends until it closes the connection, and whether it closed it (end of
/// stream, or a reset once it has gone) before [`GIVE_UP`].
async fn read_until_closed(stream: &mut (impl AsyncRead + Unpin)) -> (String, bool) {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    let closed = tokio::time::timeout(GIVE_UP, read_all).await.is_ok();
    (String::from_utf8_lossy(&received).into_owned(), closed)
}

#[tokio::test]
async fn a_body_trickled_after_the_headers_is_cut_off_with_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.body_timeout = Duration::from_millis(300);
    let s = start_with(config).await;
    let token = s.user("slow@example.com").await;

    let (mut from_server, mut to_server) = TcpStream::connect(s.addr).await.unwrap().into_split();
    let head = format!(
        "PUT /v1/verification/photos/portrait HTTP/1.1\r\nHost: {}\r\n\
         Authorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n",
        s.addr
    );
    to_server.write_all(head.as_bytes()).await.unwrap();
    // A byte every 50 ms: the body keeps coming, far too slowly to ever end.
    let trickle = tokio::spawn(async move {
        let mut sent = 0u32;
        while to_server.write_all(b"x").await.is_ok() {
            sent += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sent
    });

    let (reply, closed) = read_until_closed(&mut from_server).await;
    let sent = tokio::time::timeout(GIVE_UP, trickle).await;
    assert!(reply.starts_with("HTTP/1.1 408"), "reply: {reply:?}");
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    let err: ApiError = serde_json::from_str(body).unwrap();
    assert_eq!(err.code, ErrorCode::RequestTimeout);
    assert!(closed, "the server closed the connection");
    let sent = sent
        .expect("writing fails once the server has closed")
        .unwrap();
    assert!(
        sent > 1,
        "the body was still arriving ({sent} bytes) when it was cut"
    );
}

#[tokio::test]
async fn headers_sent_too_slowly_close_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.header_read_timeout = Duration::from_millis(300);
    let s = start_with(config).await;

    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    // The request line and one header, and never the blank line that ends the headers.
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: staging\r\n")
        .await
        .unwrap();
    let (reply, closed) = read_until_closed(&mut stream).await;
    assert!(closed, "the server closed the connection");
    assert!(!reply.contains(" 200 "), "reply: {reply:?}");

    // A complete request on a new connection is still served.
    let resp = s.http.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn status(s: &TestServer, token: &str) -> StatusReply {
    ok_json(s.get(token, "/v1/verification/status").await).await
}

#[tokio::test]
async fn a_request_running_past_the_request_timeout_answers_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.request_timeout = Duration::from_millis(300);
    let s = start_with(config).await;
    let token = s.user("long@example.com").await;
    let revision = status(&s, &token).await.revision;
    let resp = s
        .get(
            &token,
            &format!("/v1/verification/status?after={revision}&wait=30"),
        )
        .await;
    expect_error(resp, 408, ErrorCode::RequestTimeout).await;
}

/// Status, `Retry-After` and body of a long poll.
async fn long_poll(
    http: reqwest::Client,
    url: String,
    token: String,
) -> (StatusCode, Option<String>, String) {
    let resp = http.get(url).bearer_auth(token).send().await.unwrap();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (resp.status(), retry_after, resp.text().await.unwrap())
}

fn poll_url(s: &TestServer, after: u64) -> String {
    s.url(&format!("/v1/verification/status?after={after}&wait=30"))
}

#[tokio::test]
async fn a_fifth_long_poll_of_one_user_is_refused_while_other_users_still_wait() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let a = s.user("polls-a@example.com").await;
    let b = s.user("polls-b@example.com").await;
    let after_a = status(&s, &a).await.revision;
    let after_b = status(&s, &b).await.revision;

    let (done_tx, mut done) = tokio::sync::mpsc::unbounded_channel();
    for _ in 0..5 {
        let (http, url, token, done_tx) = (
            s.http.clone(),
            poll_url(&s, after_a),
            a.clone(),
            done_tx.clone(),
        );
        tokio::spawn(async move {
            let _ = done_tx.send(long_poll(http, url, token).await);
        });
    }
    // One of the five is refused at once; four hold their slots and wait.
    let (code, retry_after, body) = tokio::time::timeout(GIVE_UP, done.recv())
        .await
        .expect("one long poll answered at once")
        .unwrap();
    assert_eq!(code, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let err: ApiError = serde_json::from_str(&body).unwrap();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert!(retry_after.is_some(), "Retry-After is set");
    // Asking without waiting still works.
    assert_eq!(status(&s, &a).await.revision, after_a);

    // Another user's long poll waits as usual and wakes on their change.
    let b_poll = tokio::spawn(long_poll(s.http.clone(), poll_url(&s, after_b), b.clone()));
    ok_json::<serde_json::Value>(s.put_personal(&b, "李四", ID_NUMBER).await).await;
    let (code, _, body) = tokio::time::timeout(GIVE_UP, b_poll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(code, StatusCode::OK, "{body}");
    let reply: StatusReply = serde_json::from_str(&body).unwrap();
    assert!(reply.revision > after_b);

    // The four waiting polls of the first user wake on their change.
    ok_json::<serde_json::Value>(s.put_personal(&a, "张三", ID_NUMBER).await).await;
    for _ in 0..4 {
        let (code, _, body) = tokio::time::timeout(GIVE_UP, done.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(code, StatusCode::OK, "{body}");
        let reply: StatusReply = serde_json::from_str(&body).unwrap();
        assert!(reply.revision > after_a);
    }

    // Their slots are free again: a new long poll is let wait (1 s, nothing changes).
    let after_a = status(&s, &a).await.revision;
    let url = s.url(&format!("/v1/verification/status?after={after_a}&wait=1"));
    let (code, _, body) = long_poll(s.http.clone(), url, a.clone()).await;
    assert_eq!(code, StatusCode::OK, "{body}");
}
