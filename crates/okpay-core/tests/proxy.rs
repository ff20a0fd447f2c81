//! The API client and the proxy environment: with `HTTP_PROXY`, `http_proxy`, `ALL_PROXY`
//! and `all_proxy` all pointing at a listener that records every connection, requests to a
//! loopback staging server go straight to it (the password never passes a proxy in clear),
//! while an `https://` endpoint elsewhere still goes through the system proxy. Each test
//! runs itself again in a child process with the proxy variables set, so this process's
//! environment is never changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use okpay_core::Sensitive;
use okpay_core::api::ApiClient;
use okpay_testkit::{LOGIN, PASSWORD, ReviewMode, Staging};
use std::io::Read;
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Set in the child: the endpoints it calls, separated by spaces.
const CHILD: &str = "OKPAY_PROXY_TEST_ENDPOINTS";
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// A stand-in proxy on loopback that keeps the first line of every connection it gets
/// (e.g. `POST http://127.0.0.1:…/v1/auth/login HTTP/1.1` or `CONNECT host:443 HTTP/1.1`)
/// and then hangs up.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().map_while(Result::ok) {
            let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 512];
            let n = conn.read(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]);
            let first = text.lines().next().unwrap_or("<nothing sent>").to_owned();
            record.lock().unwrap().push(first);
        }
    });
    (url, seen)
}

/// Run `test` of this binary again with every proxy variable set to `proxy`, no `NO_PROXY`,
/// and `endpoints` for the child; the child's output when it fails.
async fn run_child(test: &'static str, proxy: &str, endpoints: &str) -> Result<(), String> {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--nocapture"])
        .env(CHILD, endpoints)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("REQUEST_METHOD");
    for var in PROXY_VARS {
        cmd.env(var, proxy);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && stdout.contains("1 passed") {
        return Ok(());
    }
    Err(format!(
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn endpoints() -> Option<Vec<String>> {
    std::env::var(CHILD)
        .ok()
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
}

#[tokio::test]
async fn loopback_requests_never_go_through_a_proxy() {
    const TEST: &str = "loopback_requests_never_go_through_a_proxy";
    if let Some(endpoints) = endpoints() {
        for url in endpoints {
            let tokens = ApiClient::new(&url)
                .unwrap()
                .login(LOGIN, &Sensitive::new(PASSWORD.to_owned()))
                .await
                .unwrap_or_else(|e| panic!("sign-in at {url}: {e}"));
            assert!(!tokens.access_token.expose().is_empty());
        }
        return;
    }
    let server = Staging::start(ReviewMode::Manual).await;
    let (proxy, seen) = recording_proxy();
    let direct = server.url();
    let by_name = direct.replace("127.0.0.1", "localhost");
    let child = run_child(TEST, &proxy, &format!("{direct} {by_name}")).await;
    let seen = seen.lock().unwrap();
    assert!(seen.is_empty(), "the proxy saw {seen:?}");
    child.unwrap();
}

#[tokio::test]
async fn an_https_endpoint_keeps_the_system_proxy() {
    const TEST: &str = "an_https_endpoint_keeps_the_system_proxy";
    if let Some(endpoints) = endpoints() {
        for url in endpoints {
            // The stand-in proxy hangs up: the sign-in fails, after reaching it.
            let reply = ApiClient::new(&url)
                .unwrap()
                .login(LOGIN, &Sensitive::new(PASSWORD.to_owned()))
                .await;
            assert!(reply.is_err());
        }
        return;
    }
    let (proxy, seen) = recording_proxy();
    let child = run_child(TEST, &proxy, "https://api.okpay.invalid").await;
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT api.okpay.invalid:443")),
        "the proxy saw {seen:?}"
    );
    child.unwrap();
}
