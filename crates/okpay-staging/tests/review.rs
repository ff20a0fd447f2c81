//! Review and waiting: the status long poll, the automatic reviewer, and state that
//! survives a restart (including decisions that fell due while the server was down).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::{Application, StatusReply, VerificationStatus};
use okpay_staging::ReviewMode;
use std::time::{Duration, Instant};
use support::*;

#[tokio::test]
async fn long_poll_wakes_when_a_tester_approves() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("poll@example.com").await;
    s.complete_draft(&token).await;
    let pending: Application = ok_json(s.submit(&token, "key-poll-0001").await).await;

    // Nothing newer: a short wait runs out and answers the current state.
    let started = Instant::now();
    let path = format!("/v1/verification/status?wait=1&after={}", pending.revision);
    let same: StatusReply = ok_json(s.get(&token, &path).await).await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(
        (same.status, same.revision),
        (VerificationStatus::Pending, pending.revision)
    );
    // An older revision answers at once.
    let started = Instant::now();
    let now: StatusReply = ok_json(
        s.get(
            &token,
            &format!(
                "/v1/verification/status?wait=30&after={}",
                pending.revision - 1
            ),
        )
        .await,
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(now.revision, pending.revision);

    let waiter = {
        let (http, url, token) = (
            s.http.clone(),
            s.url(&format!(
                "/v1/verification/status?wait=30&after={}",
                pending.revision
            )),
            token.clone(),
        );
        tokio::spawn(async move {
            let started = Instant::now();
            let reply: StatusReply = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (reply, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let approved: Application = ok_json(s.approve(pending.id.as_deref().unwrap()).await).await;
    let (reply, waited) = waiter.await.unwrap();
    assert_eq!(
        (reply.status, reply.revision),
        (VerificationStatus::Approved, approved.revision)
    );
    assert!(
        waited < Duration::from_secs(5),
        "woke on the change, not the timeout: {waited:?}"
    );
}

#[tokio::test]
async fn stopping_the_server_answers_waiting_long_polls() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("stop@example.com").await;
    let waiter = {
        let (http, url) = (
            s.http.clone(),
            s.url("/v1/verification/status?wait=30&after=0"),
        );
        tokio::spawn(async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    s.handle.stop().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let status = waiter.await.unwrap().unwrap();
    assert!(status.is_success());
}

#[tokio::test]
async fn the_automatic_reviewer_approves_after_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(
        dir.path(),
        ReviewMode::AutoApproveAfter(Duration::from_millis(800)),
    )
    .await;
    let token = s.user("auto@example.com").await;
    s.complete_draft(&token).await;
    let started = Instant::now();
    let pending: Application = ok_json(s.submit(&token, "key-auto-0001").await).await;
    assert_eq!(pending.status, VerificationStatus::Pending);
    let reply: StatusReply = ok_json(
        s.get(
            &token,
            &format!("/v1/verification/status?wait=10&after={}", pending.revision),
        )
        .await,
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(reply.status, VerificationStatus::Approved);
    assert!(
        waited >= Duration::from_millis(700) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    let acc: okpay_rules::contract::Account = ok_json(s.get(&token, "/v1/account").await).await;
    assert_eq!(acc.tier, okpay_rules::contract::Tier::Verified);
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("restart@example.com").await;
    let tokens = s.tokens("restart@example.com", PASSWORD).await;
    s.complete_draft(&token).await;
    let pending: Application = ok_json(s.submit(&token, "key-restart-01").await).await;
    s.handle.stop().await;

    // Same data dir, still manual: everything is where it was.
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    assert_eq!(
        s.application(&token).await,
        pending,
        "application and access token survive"
    );
    let again: Application = ok_json(s.submit(&token, "key-restart-01").await).await;
    assert_eq!(again, pending, "idempotency keys survive");
    assert_eq!(
        s.login("restart@example.com", PASSWORD).await.status(),
        reqwest::StatusCode::OK
    );
    let resp = s
        .http
        .post(s.url("/v1/auth/refresh"))
        .json(&serde_json::json!({"refresh_token": tokens.refresh_token.expose()}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    s.handle.stop().await;

    // Reopened with automatic review whose delay has long passed: decided at start.
    let s = start_in(
        dir.path(),
        ReviewMode::AutoApproveAfter(Duration::from_millis(1)),
    )
    .await;
    let status: StatusReply = ok_json(s.get(&token, "/v1/verification/status").await).await;
    assert_eq!(status.status, VerificationStatus::Approved);
    assert_eq!(status.revision, pending.revision + 1);
}

#[tokio::test]
async fn seed_accounts_are_created_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.seed_accounts = vec![(
        okpay_staging::DEMO_LOGIN.into(),
        okpay_staging::DEMO_PASSWORD.into(),
    )];
    let s = start_with(config.clone()).await;
    assert_eq!(
        s.login(okpay_staging::DEMO_LOGIN, okpay_staging::DEMO_PASSWORD)
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    s.handle.stop().await;
    let s = start_with(config).await;
    assert_eq!(
        s.login("Demo@OKPay.test", okpay_staging::DEMO_PASSWORD)
            .await
            .status(),
        reqwest::StatusCode::OK
    );

    let mut bad = support::config(dir.path(), ReviewMode::Manual);
    bad.seed_accounts = vec![("not a login".into(), "whatever-123".into())];
    assert!(okpay_staging::Staging::open(bad).is_err());
}
