//! The API client's retries, timeouts and stall cut, through the fault proxy in front of a
//! real okpay-staging: scripted 5xx replies and `Retry-After`, replies that never come, an
//! upload the other end stops reading.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::api::{ApiClient, ClientOptions, Timeouts};
use okpay_core::contract::PhotoSide;
use okpay_core::{ErrorCode, RetryPolicy, Sensitive};
use okpay_testkit::{Fault, FaultProxy, LOGIN, PASSWORD, ReviewMode, Staging};
use std::time::{Duration, Instant};

const STATUS: &str = "/verification/status";

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

fn reply(status: u16, headers: &'static str, body: &'static str) -> Fault {
    Fault::Reply {
        status,
        headers,
        body,
    }
}

/// A server, the proxy in front of it, a client through the proxy with `options`, and the
/// seeded account's access token (signed in straight at the server, so the proxy has seen
/// nothing yet).
async fn rig(options: ClientOptions) -> (Staging, FaultProxy, ApiClient, Sensitive<String>) {
    let server = Staging::start(ReviewMode::Manual).await;
    let proxy = FaultProxy::start(server.addr()).await;
    let tokens = ApiClient::new(&server.url())
        .unwrap()
        .login(LOGIN, &Sensitive::new(PASSWORD.to_owned()))
        .await
        .unwrap();
    let api = ApiClient::with_options(&proxy.url(), options).unwrap();
    (server, proxy, api, tokens.access_token)
}

#[tokio::test]
async fn a_get_is_retried_through_503s_and_succeeds() {
    let (server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, reply(503, "", "{}"), 2);
    let reply = api.status(&token, None, Duration::ZERO).await.unwrap();
    let direct = ApiClient::new(&server.url())
        .unwrap()
        .status(&token, None, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(
        (reply.status, reply.revision),
        (direct.status, direct.revision)
    );
    assert_eq!(proxy.counts(STATUS), (2, 3));
}

#[tokio::test]
async fn retries_are_bounded() {
    let (_server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, reply(502, "", ""), 100);
    let e = api.status(&token, None, Duration::ZERO).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert_eq!(proxy.counts(STATUS), (4, 4));
}

#[tokio::test]
async fn login_and_refresh_are_never_retried() {
    let (_server, proxy, api, _) = rig(fast()).await;
    proxy.inject("/auth/", reply(503, "", "{}"), 100);
    let pw = Sensitive::new("p".to_owned());
    assert!(api.login("a@b.test", &pw).await.is_err());
    assert!(api.refresh(&pw).await.is_err());
    assert_eq!(proxy.counts("/auth/login"), (1, 1));
    assert_eq!(proxy.counts("/auth/refresh"), (1, 1));
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let (_server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, reply(500, "", "{}"), 100);
    assert!(api.status(&token, None, Duration::ZERO).await.is_err());
    assert_eq!(proxy.counts(STATUS), (1, 1));
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_stops_retrying() {
    let (_server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, reply(503, "retry-after: 1\r\n", "{}"), 1);
    let start = Instant::now();
    api.status(&token, None, Duration::ZERO).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(950));
    assert_eq!(proxy.counts(STATUS), (1, 2));

    let (_server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, reply(503, "retry-after: 3600\r\n", "{}"), 100);
    let e = api.status(&token, None, Duration::ZERO).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::ServiceUnavailable);
    assert_eq!(proxy.counts(STATUS), (1, 1));
}

#[tokio::test]
async fn a_reply_that_never_comes_times_out_and_is_retried() {
    let (_server, proxy, api, token) = rig(fast()).await;
    proxy.inject(STATUS, Fault::Hang, 1);
    api.status(&token, None, Duration::ZERO).await.unwrap();
    assert_eq!(proxy.counts(STATUS), (1, 2));

    proxy.inject("/v1/account", Fault::Hang, 100);
    let e = api.account(&token).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkTimeout);
}

#[tokio::test]
async fn a_stalled_upload_is_cut_with_network_timeout() {
    let mut options = fast();
    options.retry = RetryPolicy::NEVER;
    let (_server, proxy, api, token) = rig(options).await;
    proxy.inject("/photos/portrait", Fault::Hang, 100);
    let start = Instant::now();
    let body = bytes::Bytes::from(vec![7u8; 32 * 1024 * 1024]);
    let e = api
        .upload_photo(&token, PhotoSide::Portrait, body, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkTimeout);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(proxy.counts("/photos/portrait"), (1, 1));
}
