//! A bounded load test on loopback (ignored by default; run it with
//! `cargo test -p okpay-staging --release --test load -- --ignored --nocapture`):
//! `OKPAY_LOAD_USERS` (200) simulated users at once, each from its own loopback address,
//! signing in, uploading both photos and submitting, retrying transient failures under one
//! idempotency key, with the real argon2 parameters and the default limits; beside them a
//! stream of hostile requests from other addresses (wrong passwords, bad tokens, scan bombs,
//! oversize bodies, uploads trickled a byte at a time). It ends with exactly one pending
//! application per user, every photo stored intact, no 5xx to a user and no 500 to the
//! hostile stream, password hashing within its cap, and prints throughput, latency
//! percentiles, the hashing gauge and the process's peak memory and CPU time (server and
//! clients together: an upper bound for the server).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::{Application, PhotoInfo, TokenPair, VerificationStatus};
use okpay_staging::ReviewMode;
use okpay_testkit::LOGIN;
use okpay_testkit::fixtures::{Side, card_jpeg, with_check};
use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::*;
use tokio::io::AsyncWriteExt;

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

/// A client whose connections come from `ip` (any 127.x.y.z is loopback).
fn client_at(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from(ip))
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

async fn one_user(s: Arc<TestServer>, stats: Arc<Stats>, n: usize, photos: Arc<[Vec<u8>; 2]>) {
    let login = format!("load{n}@example.com");
    let http = &client_at([127, 1, (n / 250) as u8, (n % 250 + 1) as u8]);
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

/// How the hostile stream was answered.
#[derive(Default)]
struct Hostile {
    answers: std::sync::Mutex<std::collections::BTreeMap<(&'static str, u16), usize>>,
    trickles_cut: AtomicUsize,
}

/// Send hostile requests from 127.66.0.1 until `stop`.
async fn hostile(s: Arc<TestServer>, h: Arc<Hostile>, stop: Arc<AtomicBool>) {
    let http = client_at([127, 66, 0, 1]);
    let (login, password) = ("intruder@example.com", "intruder-password");
    http.post(s.url("/v1/auth/register"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    let pair: TokenPair = ok(http
        .post(s.url("/v1/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap())
    .await;
    let token = pair.access_token.expose().clone();
    let _: Application = ok(http
        .put(s.url("/v1/verification/consent"))
        .bearer_auth(&token)
        .json(&json!({"version": okpay_rules::contract::CONSENT_VERSION}))
        .send()
        .await
        .unwrap())
    .await;
    let bomb = scan_bomb();
    let oversize = vec![0u8; okpay_rules::contract::MAX_PHOTO_BYTES + (1 << 20)];
    let upload = |bytes: Vec<u8>| {
        let part = Part::bytes(bytes)
            .file_name("p.jpg")
            .mime_str("image/jpeg")
            .unwrap();
        http.put(s.url("/v1/verification/photos/portrait"))
            .bearer_auth(&token)
            .multipart(Form::new().part("photo", part))
    };
    let mut i = 0usize;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let (kind, request) = match i % 6 {
            0 => (
                "wrong password",
                http.post(s.url("/v1/auth/login"))
                    .json(&json!({"login": format!("nobody{i}@example.com"), "password": "wrong-password"})),
            ),
            1 => (
                "owner guessed",
                http.post(s.url("/v1/auth/login"))
                    .json(&json!({"login": LOGIN, "password": "wrong-password"})),
            ),
            2 => ("bad token", http.get(s.url("/v1/account")).bearer_auth("not-a-token")),
            3 => ("scan bomb", upload(bomb.clone())),
            4 if i % 30 == 4 => ("oversize body", upload(oversize.clone())),
            _ => ("status without token", http.get(s.url("/v1/verification/status"))),
        };
        let status = match request.send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        *h.answers.lock().unwrap().entry((kind, status)).or_default() += 1;
    }
}

/// Uploads whose body trickles in a byte at a time from 127.66.0.2, until the server cuts
/// them off or `stop`.
async fn trickle(s: Arc<TestServer>, h: Arc<Hostile>, stop: Arc<AtomicBool>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(([127, 66, 0, 2], 0).into()).unwrap();
    let mut conn = socket.connect(s.addr).await.unwrap();
    let head = "PUT /v1/verification/photos/portrait HTTP/1.1\r\nHost: x\r\n\
        Authorization: Bearer not-a-token\r\nContent-Type: multipart/form-data; boundary=b\r\n\
        Content-Length: 1000000\r\n\r\n";
    conn.write_all(head.as_bytes()).await.unwrap();
    while !stop.load(Ordering::Relaxed) {
        if conn.write_all(b"x").await.is_err() {
            h.trickles_cut.fetch_add(1, Ordering::Relaxed);
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Peak resident memory (MB) and CPU time (s) of this process so far.
fn process_figures() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (hwm_kb / 1024.0, (ticks(11) + ticks(12)) / 100.0)
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
    // Every request may wait for a hasher: this run measures throughput, not shedding.
    config.password_hashing_queue = users;
    // The real argon2 parameters (19 MiB a hash), as a deployed server hashes.
    config.fast_password_hashing_for_tests = false;
    let cap = config.password_hashing_concurrency;
    let s = Arc::new(start_with(config).await);
    let photos: Arc<[Vec<u8>; 2]> = Arc::new([card_jpeg(Side::Portrait, 0), jpeg()]);
    let stats = Arc::new(Stats::default());
    let (hostility, stop) = (
        Arc::new(Hostile::default()),
        Arc::new(AtomicBool::new(false)),
    );
    let mut attackers = vec![tokio::spawn(hostile(
        s.clone(),
        hostility.clone(),
        stop.clone(),
    ))];
    for _ in 0..20 {
        attackers.push(tokio::spawn(trickle(
            s.clone(),
            hostility.clone(),
            stop.clone(),
        )));
    }
    let start = Instant::now();
    let tasks: Vec<_> = (0..users)
        .map(|n| tokio::spawn(one_user(s.clone(), stats.clone(), n, photos.clone())))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    for a in attackers {
        a.await.unwrap();
    }
    let answers = hostility.answers.lock().unwrap().clone();
    assert!(
        answers.keys().all(|(_, status)| *status != 500),
        "{answers:?}"
    );
    assert!(
        answers.iter().all(|((kind, status), _)| match *kind {
            "wrong password" | "owner guessed" => [401, 429, 503].contains(status),
            "bad token" | "status without token" => *status == 401,
            "scan bomb" => [422, 429, 503].contains(status),
            _ => [413, 0].contains(status),
        }),
        "{answers:?}"
    );

    let rows: Vec<_> = s
        .admin_list("")
        .await
        .into_iter()
        .filter(|r| r.login.starts_with("load"))
        .collect();
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
    for ((kind, status), n) in &answers {
        println!("load: hostile {kind:<20} {status} x {n}");
    }
    println!(
        "load: hostile uploads trickled a byte at a time: 20, refused or cut off by the server before the end: {}",
        hostility.trickles_cut.load(Ordering::Relaxed)
    );
    let (peak_mb, cpu_s) = process_figures();
    println!("load: process (server and clients) peak RSS {peak_mb:.0} MB, CPU {cpu_s:.1} s");
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
