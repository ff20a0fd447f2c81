//! Session lifetime and housekeeping over real HTTP: refreshing never carries a session past
//! its absolute lifetime, and the rows of ended sessions are deleted (counted in the
//! database file).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::TokenPair;
use okpay_staging::{DB_FILE, ReviewMode};
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;
use std::time::Duration;
use support::*;

async fn refresh(s: &TestServer, token: &str) -> reqwest::Response {
    s.http
        .post(s.url("/v1/auth/refresh"))
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap()
}

async fn logout(s: &TestServer, t: &TokenPair) {
    let resp = s
        .http
        .post(s.url("/v1/auth/logout"))
        .json(&json!({"refresh_token": t.refresh_token.expose()}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
}

/// Rows of (session families, refresh tokens, access tokens) in the server's database.
fn rows(dir: &Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    (
        count("session_families"),
        count("refresh_tokens"),
        count("access_tokens"),
    )
}

#[tokio::test]
async fn refresh_fails_once_the_session_outlives_its_absolute_lifetime() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.session_max_age = Duration::from_secs(2);
    let s = start_with(config).await;
    s.user("aged@example.com").await;
    let first = s.tokens("aged@example.com", PASSWORD).await;

    // Within the lifetime a refresh works, but grants no more than what is left of it.
    let second: TokenPair = ok_json(refresh(&s, first.refresh_token.expose()).await).await;
    assert!(second.expires_in <= 2, "expires_in {}", second.expires_in);

    tokio::time::sleep(Duration::from_millis(2100)).await;
    expect_error(
        refresh(&s, second.refresh_token.expose()).await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
    expect_error(
        s.get(second.access_token.expose(), "/v1/account").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
    // Signing in again starts a new session.
    let again = s.tokens("aged@example.com", PASSWORD).await;
    assert_eq!(
        s.get(again.access_token.expose(), "/v1/account")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn rows_of_ended_sessions_are_deleted_at_the_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.access_token_ttl = Duration::from_millis(500);
    config.refresh_token_ttl = Duration::from_millis(500);
    let s = start_with(config).await;
    assert_eq!(
        s.register("rows@example.com", PASSWORD).await.status(),
        StatusCode::CREATED
    );
    // One session refreshed once (its tokens expire), one signed out (revoked).
    let refreshed = s.tokens("rows@example.com", PASSWORD).await;
    let _: TokenPair = ok_json(refresh(&s, refreshed.refresh_token.expose()).await).await;
    let signed_out = s.tokens("rows@example.com", PASSWORD).await;
    logout(&s, &signed_out).await;
    tokio::time::sleep(Duration::from_millis(600)).await;

    let current = s.tokens("rows@example.com", PASSWORD).await;
    assert_eq!(
        rows(dir.path()),
        (1, 1, 1),
        "only the current session's family and tokens are left"
    );
    assert_eq!(
        s.get(current.access_token.expose(), "/v1/account")
            .await
            .status(),
        StatusCode::OK
    );
}
