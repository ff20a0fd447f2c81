//! A bounded load test on loopback (ignored by default; run it with
//! `cargo test -p okpay-staging --release --test load -- --ignored --nocapture`):
//! `OKPAY_LOAD_USERS` (200) simulated users at once, each signing in, uploading both
//! photos and submitting, retrying transient failures under one idempotency key, with the
//! real argon2 parameters. It ends with exactly one pending application per user, every
//! photo stored intact, no 5xx, password hashing within its cap, and prints throughput,
//! latency percentiles and the hashing gauge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::{Application, PhotoInfo, TokenPair, VerificationStatus};
use okpay_staging::ReviewMode;
use okpay_testkit::fixtures::{Side, card_jpeg, with_check};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::*;

/// Latencies (ms) of successful requests, and how many answers were 5xx.
#[derive(Default)]
struct Stats {
    latencies: std::sync::Mutex<Vec<(&'static str, f64)>>,
    server_errors: AtomicUsize,
    retries: AtomicUsize,
}

/// Send what `build` makes until it succeeds; connection failures and 502/503/504 are
/// retried (5 attempts, jittered exponential backoff). Any 5xx is counted.
async fn send(
    stats: &Stats,
    op: &'static str,
    build: impl Fn() -> RequestBuilder,
) -> reqwest::Response {
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let start = Instant::now();
        let result = build().send().await;
        let retry = match &result {
            Ok(r) if r.status().is_server_error() => {
                stats.server_errors.fetch_add(1, Ordering::Relaxed);
                matches!(r.status().as_u16(), 502..=504)
            }
            Ok(_) => false,
            Err(_) => true,
        };
        if !retry || attempt >= 5 {
            let resp = result.expect("request");
            stats
                .latencies
                .lock()
                .unwrap()
                .push((op, start.elapsed().as_secs_f64() * 1000.0));
            return resp;
        }
        stats.retries.fetch_add(1, Ordering::Relaxed);
        let ceiling = 100u64 << attempt.min(6);
        tokio::time::sleep(Duration::from_millis(rand::random_range(0..=ceiling))).await;
    }
}

async fn ok<T: serde::de::DeserializeOwned>(resp: reqwest::Response) -> T {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn one_user(s: Arc<TestServer>, stats: Arc<Stats>, n: usize, photos: Arc<[Vec<u8>; 2]>) {
    let login = format!("load{n}@example.com");
    let http = &s.http;
    let reg = send(&stats, "register", || {
        http.post(s.url("/v1/auth/register"))
            .json(&json!({"login": login, "password": PASSWORD}))
    })
    .await;
    assert!(
        reg.status() == StatusCode::CREATED || reg.status() == StatusCode::CONFLICT,
        "register: {}",
        reg.status()
    );
    let pair: TokenPair = ok(send(&stats, "login", || {
        http.post(s.url("/v1/auth/login"))
            .json(&json!({"login": login, "password": PASSWORD}))
    })
    .await)
    .await;
    let token = pair.access_token.expose().clone();
    let _: Application = ok(send(&stats, "consent", || {
        http.put(s.url("/v1/verification/consent"))
            .bearer_auth(&token)
            .json(&json!({"version": okpay_rules::contract::CONSENT_VERSION}))
    })
    .await)
    .await;
    let id_number = with_check(&format!("11010519800101{:03}", n % 1000));
    let _: Application = ok(send(&stats, "personal", || {
        http.put(s.url("/v1/verification/personal"))
            .bearer_auth(&token)
            .json(&json!({"name": "张三", "id_number": id_number}))
    })
    .await)
    .await;
    for (side, bytes) in ["portrait", "emblem"].iter().zip(photos.iter()) {
        let info: PhotoInfo = ok(send(&stats, "photo", || {
            let part = Part::bytes(bytes.clone())
                .file_name(format!("{side}.jpg"))
                .mime_str("image/jpeg")
                .unwrap();
            http.put(s.url(&format!("/v1/verification/photos/{side}")))
                .bearer_auth(&token)
                .multipart(Form::new().part("photo", part))
        })
        .await)
        .await;
        assert_eq!(info.sha256, hex::encode(Sha256::digest(bytes)));
    }
    let key = format!("load-key-{n:06}");
    let app: Application = ok(send(&stats, "submit", || {
        http.post(s.url("/v1/verification/submit"))
            .bearer_auth(&token)
            .header("Idempotency-Key", &key)
    })
    .await)
    .await;
    assert_eq!(app.status, VerificationStatus::Pending);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run explicitly (see the module doc)"]
async fn many_users_submit_at_once_one_application_each() {
    let users: usize = std::env::var("OKPAY_LOAD_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    // Every simulated user registers and signs in from this one address.
    let users_u32 = u32::try_from(users).unwrap_or(u32::MAX);
    config.register_limit_per_address = users_u32;
    config.failed_login_limit_per_address = users_u32;
    // Every request may wait for a hasher: this run measures throughput, not shedding.
    config.password_hashing_queue = users;
    // The real argon2 parameters (19 MiB a hash), as a deployed server hashes.
    config.fast_password_hashing_for_tests = false;
    let cap = config.password_hashing_concurrency;
    let s = Arc::new(start_with(config).await);
    let photos: Arc<[Vec<u8>; 2]> = Arc::new([card_jpeg(Side::Portrait, 0), jpeg()]);
    let stats = Arc::new(Stats::default());
    let start = Instant::now();
    let tasks: Vec<_> = (0..users)
        .map(|n| tokio::spawn(one_user(s.clone(), stats.clone(), n, photos.clone())))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();

    let rows = s.admin_list("").await;
    assert_eq!(rows.len(), users, "one application per user");
    let mut logins: Vec<_> = rows.iter().map(|r| r.login.clone()).collect();
    logins.sort();
    logins.dedup();
    assert_eq!(logins.len(), users);
    assert!(rows.iter().all(|r| r.status == VerificationStatus::Pending));
    for bytes in photos.iter() {
        let sha = hex::encode(Sha256::digest(bytes));
        let stored = std::fs::read(dir.path().join(okpay_staging::PHOTOS_DIR).join(&sha)).unwrap();
        assert_eq!(&stored, bytes, "photo intact");
    }
    assert_eq!(stats.server_errors.load(Ordering::Relaxed), 0, "no 5xx");
    let hashing = s.handle.password_hashing();
    assert!(hashing.peak_running <= cap, "{hashing:?}");

    let all = stats.latencies.lock().unwrap().clone();
    let sorted = |op: Option<&str>| {
        let mut v: Vec<f64> = all
            .iter()
            .filter(|(o, _)| op.is_none_or(|op| *o == op))
            .map(|(_, ms)| *ms)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let lat = sorted(None);
    for op in [
        "register", "login", "consent", "personal", "photo", "submit",
    ] {
        let v = sorted(Some(op));
        println!(
            "load: {op:<8} n {:>4}  p50 {:>8.1} ms  p99 {:>8.1} ms",
            v.len(),
            percentile(&v, 0.50),
            percentile(&v, 0.99)
        );
    }
    println!(
        "load: password hashes {}, at most {} at once, {} MiB of hashing memory kept",
        hashing.finished,
        hashing.peak_running,
        hashing.memory_kept >> 20
    );
    println!(
        "load: {users} users in {:.2} s = {:.1} users/s, {} requests = {:.1} req/s, {} retries; latency ms p50 {:.1} p95 {:.1} p99 {:.1} max {:.1}",
        elapsed.as_secs_f64(),
        users as f64 / elapsed.as_secs_f64(),
        lat.len(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        stats.retries.load(Ordering::Relaxed),
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0.0),
    );
}
