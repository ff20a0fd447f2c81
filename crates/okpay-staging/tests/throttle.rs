//! Sign-in and registration under attack: an attempt is counted before its password is
//! hashed (exact counts under parallel requests), the counts live in the database (servers
//! over one data dir share them), a stranger's failures do not lock the owner out (known
//! devices, buckets per account and address), and password hashing never runs more than
//! its cap at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use futures_util::future::join_all;
use okpay_rules::ErrorCode;
use okpay_rules::contract::DEVICE_TOKEN_HEADER;
use okpay_staging::ReviewMode;
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use std::collections::BTreeMap;
use support::*;

const OWNER: &str = "owner@example.com";

/// The known-device token a successful sign-in hands out.
fn device_of(resp: &reqwest::Response) -> String {
    assert_eq!(resp.status(), StatusCode::OK);
    resp.headers()
        .get(DEVICE_TOKEN_HEADER)
        .expect("a signed-in client gets a device token")
        .to_str()
        .unwrap()
        .to_owned()
}

/// How many answers had each status; every 429 is `RATE_LIMITED` with a `Retry-After` of
/// at most `max_wait` seconds.
async fn tally(resps: Vec<reqwest::Response>, max_wait: u64) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for resp in resps {
        let status = resp.status().as_u16();
        *counts.entry(status).or_default() += 1;
        if status == 429 {
            let wait: u64 = resp.headers()[RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=max_wait).contains(&wait), "Retry-After {wait}");
            expect_error(resp, 429, ErrorCode::RateLimited).await;
        }
    }
    counts
}

async fn status(resp: reqwest::Response) -> u16 {
    resp.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_parallel_wrong_logins_check_the_password_exactly_limit_times() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    // The real argon2 parameters: a check takes long enough for the requests to overlap.
    config.fast_password_hashing_for_tests = false;
    let s = start_with(config).await;
    s.user(OWNER).await;
    let before = s.handle.password_hashing();
    let http = client_from([127, 0, 0, 2]);
    let attempts = (0..40).map(|_| s.login_via(&http, OWNER, "bad-password", None));
    let resps = join_all(attempts).await;

    let counts = tally(resps, 300).await;
    assert_eq!(counts, BTreeMap::from([(401, 5), (429, 35)]));
    let after = s.handle.password_hashing();
    assert_eq!(after.finished - before.finished, 5, "password checks");
}

#[tokio::test]
async fn a_strangers_failures_leave_the_owner_signing_in() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let home = client_from([127, 0, 0, 2]);
    assert_eq!(status(s.register_via(&home, OWNER).await).await, 201);
    let device = device_of(&s.login_via(&home, OWNER, PASSWORD, None).await);

    let stranger = client_from([127, 0, 0, 3]);
    let mut answers = Vec::new();
    for _ in 0..8 {
        answers.push(s.login_via(&stranger, OWNER, "bad-password", None).await);
    }
    assert_eq!(
        tally(answers, 300).await,
        BTreeMap::from([(401, 5), (429, 3)])
    );
    // The stranger's address waits for this account, right password or made-up device.
    for token in [None, Some("made-up-device-token")] {
        expect_error(
            s.login_via(&stranger, OWNER, PASSWORD, token).await,
            429,
            ErrorCode::RateLimited,
        )
        .await;
    }
    // The owner's known device signs in and keeps its token…
    let again = s.login_via(&home, OWNER, PASSWORD, Some(&device)).await;
    assert_eq!(device_of(&again), device);
    // … and so does a new device, at home or at another address.
    let new_home = device_of(&s.login_via(&home, OWNER, PASSWORD, None).await);
    let away = client_from([127, 0, 0, 4]);
    let new_away = device_of(&s.login_via(&away, OWNER, PASSWORD, None).await);
    assert_ne!(new_home, device);
    assert_ne!(new_away, new_home);
}

#[tokio::test]
async fn many_addresses_fill_the_account_ceiling_yet_known_devices_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.failed_login_limit = 2;
    config.failed_login_limit_per_account = 6;
    let s = start_with(config).await;
    let home = client_from([127, 0, 0, 2]);
    assert_eq!(status(s.register_via(&home, OWNER).await).await, 201);
    assert_eq!(
        status(s.register_via(&home, "other@example.com").await).await,
        201
    );
    let device = device_of(&s.login_via(&home, OWNER, PASSWORD, None).await);

    // Three addresses, two failures each (their own limit): six for the account.
    for last in [10, 11, 12] {
        let guesser = client_from([127, 0, 0, last]);
        for _ in 0..2 {
            expect_error(
                s.login_via(&guesser, OWNER, "bad-password", None).await,
                401,
                ErrorCode::AuthInvalidCredentials,
            )
            .await;
        }
    }
    // The account's ceiling is reached: a fourth address, and any new device, waits…
    let fourth = client_from([127, 0, 0, 13]);
    expect_error(
        s.login_via(&fourth, OWNER, "bad-password", None).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    expect_error(
        s.login_via(&home, OWNER, PASSWORD, None).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    // … the known device signs in, and other accounts from those addresses are untouched.
    assert_eq!(
        device_of(&s.login_via(&home, OWNER, PASSWORD, Some(&device)).await),
        device
    );
    assert_eq!(
        status(
            s.login_via(&fourth, "other@example.com", PASSWORD, None)
                .await
        )
        .await,
        200
    );
    // A known device has a bucket of its own: two failures and it waits too.
    for _ in 0..2 {
        expect_error(
            s.login_via(&home, OWNER, "bad-password", Some(&device))
                .await,
            401,
            ErrorCode::AuthInvalidCredentials,
        )
        .await;
    }
    expect_error(
        s.login_via(&home, OWNER, PASSWORD, Some(&device)).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_blocks_other_accounts_only_from_its_ceiling() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.failed_login_limit = 3;
    config.failed_login_limit_per_address = 7;
    config.fast_password_hashing_for_tests = false;
    let s = start_with(config).await;
    s.user("u0@example.com").await;
    s.user("u1@example.com").await;
    let shared = client_from([127, 0, 0, 2]);
    // Someone behind the same address signed in to u1 before.
    let device = device_of(&s.login_via(&shared, "u1@example.com", PASSWORD, None).await);

    // Forty wrong logins at once for forty accounts: exactly the address's ceiling checked.
    let attempts = (0..40).map(|n| {
        let login = format!("guess{n}@example.com");
        let shared = &shared;
        let s = &s;
        async move { s.login_via(shared, &login, "bad-password", None).await }
    });
    let counts = tally(join_all(attempts).await, 300).await;
    assert_eq!(counts, BTreeMap::from([(401, 7), (429, 33)]));

    // From that address a new device waits for every account…
    expect_error(
        s.login_via(&shared, "u0@example.com", PASSWORD, None).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    // … a known device there does not, nor does anyone at another address.
    assert_eq!(
        device_of(
            &s.login_via(&shared, "u1@example.com", PASSWORD, Some(&device))
                .await
        ),
        device
    );
    let elsewhere = client_from([127, 0, 0, 3]);
    assert_eq!(
        status(
            s.login_via(&elsewhere, "u0@example.com", PASSWORD, None)
                .await
        )
        .await,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_is_throttled_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.register_limit_per_address = 3;
    let s = start_with(config).await;
    let http = client_from([127, 0, 0, 2]);
    let attempts = (0..10).map(|n| {
        let login = format!("new{n}@example.com");
        let (s, http) = (&s, &http);
        async move { s.register_via(http, &login).await }
    });
    let counts = tally(join_all(attempts).await, 600).await;
    assert_eq!(counts, BTreeMap::from([(201, 3), (429, 7)]));
    // A request refused by the field rules costs nothing; another address registers.
    expect_error(
        s.register_via(&http, "not-a-login").await,
        422,
        ErrorCode::LoginInvalid,
    )
    .await;
    let other = client_from([127, 0, 0, 3]);
    assert_eq!(
        status(s.register_via(&other, "late@example.com").await).await,
        201
    );
}

#[tokio::test]
async fn servers_over_one_database_share_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let a = start_in(dir.path(), ReviewMode::Manual).await;
    let b = start_in(dir.path(), ReviewMode::Manual).await;
    a.user(OWNER).await;
    let http = client_from([127, 0, 0, 2]);
    for server in [&a, &b, &a, &b, &a] {
        expect_error(
            server.login_via(&http, OWNER, "bad-password", None).await,
            401,
            ErrorCode::AuthInvalidCredentials,
        )
        .await;
    }
    for server in [&a, &b] {
        expect_error(
            server.login_via(&http, OWNER, PASSWORD, None).await,
            429,
            ErrorCode::RateLimited,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_hashing_never_runs_more_than_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    // The real argon2 parameters (19 MiB each), so that hashes overlap if they may.
    config.fast_password_hashing_for_tests = false;
    config.password_hashing_concurrency = 2;
    config.register_limit_per_address = 100;
    let s = start_with(config).await;
    let before = s.handle.password_hashing();
    let logins: Vec<String> = (0..12).map(|n| format!("cap{n}@example.com")).collect();
    let registered = join_all(logins.iter().map(|l| s.register_via(&s.http, l))).await;
    assert!(registered.iter().all(|r| r.status() == StatusCode::CREATED));
    let signed_in = join_all(
        logins
            .iter()
            .map(|l| s.login_via(&s.http, l, PASSWORD, None)),
    )
    .await;
    assert!(signed_in.iter().all(|r| r.status() == StatusCode::OK));

    let after = s.handle.password_hashing();
    assert_eq!(after.finished - before.finished, 24);
    assert_eq!(after.refused, 0);
    assert_eq!(after.running, 0);
    assert!(
        (1..=2).contains(&after.peak_running),
        "peak {}",
        after.peak_running
    );
    // One argon2 memory (19 MiB) per hasher, kept for the next hash.
    assert_eq!(after.memory_kept % (19 * 1024 * 1024), 0);
    assert!(
        (1..=2).contains(&(after.memory_kept / (19 * 1024 * 1024))),
        "{} bytes kept",
        after.memory_kept
    );
}
