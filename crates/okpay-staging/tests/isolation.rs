//! Abuse from the outside: failed logins limited per client address across accounts, and
//! another user's tokens and ids getting nothing (401/403/404, never data). The sign-in
//! limits under attack are in `throttle.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::{Application, TokenPair};
use okpay_staging::ReviewMode;
use reqwest::StatusCode;
use serde_json::json;
use support::*;

async fn login_from(
    s: &TestServer,
    http: &reqwest::Client,
    login: &str,
    pw: &str,
) -> reqwest::Response {
    http.post(s.url("/v1/auth/login"))
        .json(&json!({"login": login, "password": pw}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_client_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path(), ReviewMode::Manual);
    config.failed_login_limit = 3;
    config.failed_login_limit_per_address = 7;
    let s = start_with(config).await;
    for n in 0..4 {
        s.user(&format!("u{n}@example.com")).await;
    }
    let guesser = client_from([127, 0, 0, 2]);
    // Spread over accounts, each below its own limit: 3 + 2 + 2 = 7 failures.
    for (n, times) in [(0, 3), (1, 2), (2, 2)] {
        for _ in 0..times {
            expect_error(
                login_from(&s, &guesser, &format!("u{n}@example.com"), "bad-password").await,
                401,
                ErrorCode::AuthInvalidCredentials,
            )
            .await;
        }
    }
    // From that address even a right password for an untouched account is refused now…
    expect_error(
        login_from(&s, &guesser, "u3@example.com", PASSWORD).await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    // … while another address signs in to the same account, and to one below its limit.
    let other = client_from([127, 0, 0, 3]);
    assert_eq!(
        login_from(&s, &other, "u3@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        login_from(&s, &other, "u1@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
    // The guesser's failures on u0 hold the guesser, not u0 at another address.
    assert_eq!(
        login_from(&s, &other, "u0@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_users_tokens_and_ids_get_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let alice = s.user("alice@example.com").await;
    let bob = s.user("bob@example.com").await;
    s.complete_draft(&alice).await;
    let alices: Application = ok_json(s.submit(&alice, "key-alice-01").await).await;
    let alice_id = alices.id.clone().unwrap();
    let bob_pair: TokenPair = s.tokens("bob@example.com", PASSWORD).await;

    let never_alices = |text: &str| {
        assert!(!text.contains(ID_NUMBER), "no ID number: {text}");
        assert!(!text.contains(&alice_id), "no application id: {text}");
        assert!(!text.contains("alice@"), "no login: {text}");
    };

    // Alice's id in paths Bob can reach: tester controls are 403, user paths have no ids.
    for path in [
        format!("/v1/admin/applications/{alice_id}/approve"),
        format!("/v1/admin/applications/{alice_id}/reject"),
    ] {
        let resp = s
            .http
            .post(s.url(&path))
            .bearer_auth(&bob)
            .json(&json!({"reasons": ["portrait_glare"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        never_alices(&resp.text().await.unwrap());
    }
    let resp = s
        .http
        .get(s.url("/v1/admin/applications"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    never_alices(&resp.text().await.unwrap());
    for path in [
        format!("/v1/verification/{alice_id}"),
        format!("/v1/applications/{alice_id}"),
        format!("/v1/verification/photos/{alice_id}"),
    ] {
        // No route, or (photos) a route that only takes PUT: nothing is looked up.
        let resp = s.get(&bob, &path).await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&resp.status()),
            "{path}: {}",
            resp.status()
        );
        never_alices(&resp.text().await.unwrap());
    }

    // Tokens that are not a valid access token of anyone: 401, no data.
    let mut forged = alice.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    for token in [
        forged.as_str(),
        bob_pair.refresh_token.expose().as_str(),
        "",
    ] {
        let resp = s.get(token, "/v1/verification").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        never_alices(&resp.text().await.unwrap());
    }
    // An access token is not a refresh token.
    let resp = s
        .http
        .post(s.url("/v1/auth/refresh"))
        .json(&json!({"refresh_token": alice}))
        .send()
        .await
        .unwrap();
    expect_error(resp, 401, ErrorCode::AuthSessionExpired).await;

    // Bob's own view, with every token he holds, is his own empty application.
    for token in [bob.as_str(), bob_pair.access_token.expose().as_str()] {
        let resp = s.get(token, "/v1/verification").await;
        let text = resp.text().await.unwrap();
        never_alices(&text);
        let app: Application = serde_json::from_str(&text).unwrap();
        assert_ne!(app.id.as_deref(), Some(alice_id.as_str()));
        assert!(app.personal.is_none());
    }
    // Bob signing out ends only Bob's sessions.
    let resp = s
        .http
        .post(s.url("/v1/auth/logout"))
        .bearer_auth(&bob)
        .json(&json!({"refresh_token": bob_pair.refresh_token.expose()}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(s.application(&alice).await, alices);
}
