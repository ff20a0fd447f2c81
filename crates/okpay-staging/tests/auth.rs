//! Accounts and sessions over real HTTP: register, login, rate limit, rotating refresh with
//! reuse detection, logout, and the Bearer checks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::{Registered, TokenPair};
use okpay_staging::ReviewMode;
use reqwest::StatusCode;
use serde_json::json;
use support::*;

#[tokio::test]
async fn register_login_and_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;

    let resp = s.register("  Alice@Example.COM ", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let reg: Registered = resp.json().await.unwrap();
    assert_eq!(reg.login, "alice@example.com");
    assert!(!reg.user_id.is_empty());

    expect_error(
        s.register("alice@example.com", PASSWORD).await,
        409,
        ErrorCode::AccountExists,
    )
    .await;
    expect_error(
        s.register("not-a-login", PASSWORD).await,
        422,
        ErrorCode::LoginInvalid,
    )
    .await;
    expect_error(
        s.register("bob@example.com", "short").await,
        422,
        ErrorCode::PasswordTooShort,
    )
    .await;
    // Phone numbers are normalised too.
    let phone: Registered = s
        .register("+86 138-0013-8000", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(phone.login, "13800138000");

    let tokens: TokenPair = ok_json(s.login("ALICE@example.com", PASSWORD).await).await;
    assert_eq!(tokens.expires_in, 15 * 60);
    assert_eq!(tokens.access_token.expose().len(), 43);
    assert_ne!(tokens.access_token.expose(), tokens.refresh_token.expose());

    let wrong = expect_error(
        s.login("alice@example.com", "wrong-password").await,
        401,
        ErrorCode::AuthInvalidCredentials,
    )
    .await;
    let unknown = expect_error(
        s.login("nobody@example.com", PASSWORD).await,
        401,
        ErrorCode::AuthInvalidCredentials,
    )
    .await;
    assert_eq!(
        wrong, unknown,
        "unknown login and wrong password answer alike"
    );

    // Missing fields and bad JSON are {code,message} too.
    let resp = s
        .http
        .post(s.url("/v1/auth/login"))
        .json(&json!({"login": "x@y.zz"}))
        .send()
        .await
        .unwrap();
    let err = expect_error(resp, 400, ErrorCode::BadRequest).await;
    assert!(err.message.contains("password"), "{}", err.message);
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    s.user("limited@example.com").await;
    s.user("other@example.com").await;
    for _ in 0..5 {
        expect_error(
            s.login("limited@example.com", "bad-password").await,
            401,
            ErrorCode::AuthInvalidCredentials,
        )
        .await;
    }
    // Even the right password is refused now, from this address for this account only.
    expect_error(
        s.login("limited@example.com", PASSWORD).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    expect_error(
        s.login("Limited@Example.com", "bad-password").await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    assert_eq!(
        s.login("other@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn refresh(s: &TestServer, token: &str) -> reqwest::Response {
    s.http
        .post(s.url("/v1/auth/refresh"))
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    s.user("rot@example.com").await;
    let first = s.tokens("rot@example.com", PASSWORD).await;
    let other_session = s.tokens("rot@example.com", PASSWORD).await;

    let second: TokenPair = ok_json(refresh(&s, first.refresh_token.expose()).await).await;
    assert_ne!(second.refresh_token.expose(), first.refresh_token.expose());
    assert_eq!(
        s.get(second.access_token.expose(), "/v1/account")
            .await
            .status(),
        StatusCode::OK
    );

    // Presenting the consumed token again: refused, and the whole family is revoked.
    expect_error(
        refresh(&s, first.refresh_token.expose()).await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
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
    expect_error(
        s.get(first.access_token.expose(), "/v1/account").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;

    // Another session of the same user is untouched.
    assert_eq!(
        s.get(other_session.access_token.expose(), "/v1/account")
            .await
            .status(),
        StatusCode::OK
    );
    // Unknown token.
    expect_error(
        refresh(&s, "no-such-token").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    s.user("out@example.com").await;
    let t = s.tokens("out@example.com", PASSWORD).await;
    let resp = s
        .http
        .post(s.url("/v1/auth/logout"))
        .bearer_auth(t.access_token.expose())
        .json(&json!({"refresh_token": t.refresh_token.expose()}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    expect_error(
        s.get(t.access_token.expose(), "/v1/account").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
    expect_error(
        refresh(&s, t.refresh_token.expose()).await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
}

#[tokio::test]
async fn bearer_checks_and_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.access_token_ttl = std::time::Duration::from_millis(300);
    let s = start_with(config).await;
    let token = s.user("exp@example.com").await;

    let resp = s.http.get(s.url("/v1/account")).send().await.unwrap();
    expect_error(resp, 401, ErrorCode::AuthRequired).await;
    let resp = s
        .http
        .get(s.url("/v1/account"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    expect_error(resp, 401, ErrorCode::AuthSessionExpired).await;
    expect_error(
        s.get("made-up-token", "/v1/account").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;

    assert_eq!(s.get(&token, "/v1/account").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    expect_error(
        s.get(&token, "/v1/account").await,
        401,
        ErrorCode::AuthSessionExpired,
    )
    .await;
}
