//! The client core against a real okpay-staging on loopback: sign-in, personal info,
//! photos, idempotent submit, review decided by the tester controls, watcher, sign-out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::contract::{PhotoSide, ReasonCode, RejectRequest, Tier, VerificationStatus};
use okpay_core::flow::{Flow, Polling, watch_review};
use okpay_core::{ErrorCode, Sensitive};
use okpay_testkit::ReviewMode;
use okpay_testkit::fixtures::specimen::{self, Fault, Side};
use okpay_testkit::pick::{pick_both, pick_bytes, pick_card};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

fn pw(s: &str) -> Sensitive<String> {
    Sensitive::new(s.to_owned())
}

#[tokio::test]
async fn whole_flow_to_verified() {
    let server = Staging::start(ReviewMode::Manual).await;
    let session = session(&server.url(), mock_keychain());

    let wrong = session
        .sign_in(LOGIN, &pw("wrong-password"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::AuthInvalidCredentials);

    let signed = session.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap();
    assert_eq!(signed.login, LOGIN);
    assert_eq!(signed.not_persisted, None);

    let flow = Flow::default();
    let no_consent = flow
        .save_personal(&session, "张三", "11010519491231002X", None)
        .await
        .unwrap_err();
    assert_eq!(no_consent.code(), ErrorCode::ConsentRequired);
    flow.consent(&session, okpay_core::contract::CONSENT_VERSION)
        .await
        .unwrap();
    let bad = flow
        .save_personal(&session, "张三", "110105194912310021", None)
        .await
        .unwrap_err();
    assert_eq!(bad.code(), ErrorCode::IdBadChecksum);
    let app = flow
        .save_personal(&session, " 张三 ", "11010519491231002x", None)
        .await
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Draft);
    assert_eq!(
        app.personal.as_ref().unwrap().id_number,
        "11010519491231002X"
    );

    let incomplete = flow
        .submit(&session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_eq!(incomplete.code(), ErrorCode::ApplicationIncomplete);

    let prepared_sizes: Vec<usize> = pick_both(&flow).iter().map(|(_, u)| u.len()).collect();

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = flow
        .submit(
            &session,
            Arc::new(move |side, sent, total| log.lock().unwrap().push((side, sent, total))),
        )
        .await
        .unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
    assert_eq!(
        app.photos.portrait.as_ref().unwrap().bytes as usize,
        prepared_sizes[0]
    );
    assert_eq!(
        app.photos.emblem.as_ref().unwrap().bytes as usize,
        prepared_sizes[1]
    );
    let seen = seen.lock().unwrap().clone();
    for side in PhotoSide::BOTH {
        let last = seen.iter().rfind(|(s, _, _)| *s == side).unwrap();
        assert_eq!(last.1, last.2, "progress of {side:?} reaches the total");
    }
    assert!(
        flow.local_view(PhotoSide::Portrait).is_none(),
        "uploaded photos leave the device state"
    );

    let admin = pw(ADMIN);
    let api = session.api().clone();
    let rows = api
        .admin_list(&admin, Some("pending"), Some(LOGIN))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let id = rows[0].id.clone();
    let approve = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        api.admin_approve(&admin, &id).await
    });
    let mut changes = Vec::new();
    let decided = tokio::time::timeout(
        Duration::from_secs(20),
        watch_review(&session, app.revision, Polling::default(), |a| {
            changes.push(a.status)
        }),
    )
    .await
    .unwrap()
    .unwrap();
    approve.await.unwrap().unwrap();
    assert_eq!(decided.status, VerificationStatus::Approved);
    assert_eq!(changes.last(), Some(&VerificationStatus::Approved));

    let account = session.account().await.unwrap();
    assert_eq!(account.tier, Tier::Verified);
}

#[tokio::test]
async fn rejected_application_lists_reasons_and_can_be_resubmitted() {
    let server = Staging::start(ReviewMode::Manual).await;
    let session = session(&server.url(), mock_keychain());
    let flow = Flow::default();
    signed_in_with_consent(&session, &flow).await;
    flow.save_personal(&session, "张三", "11010519491231002X", None)
        .await
        .unwrap();
    pick_card(&flow, PhotoSide::Portrait, 0);
    pick_card(&flow, PhotoSide::Emblem, 0);
    let app = flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();

    let admin = pw(ADMIN);
    let id = app.id.clone().unwrap();
    let reject = RejectRequest {
        reasons: vec![ReasonCode::PortraitGlare, ReasonCode::NameMismatch],
    };
    let rejected = session
        .api()
        .admin_reject(&admin, &id, &reject)
        .await
        .unwrap();
    assert_eq!(rejected.status, VerificationStatus::Rejected);
    let targets: Vec<_> = rejected.reasons.iter().map(|r| r.target).collect();
    assert!(targets.contains(&okpay_core::contract::ReasonTarget::Portrait));
    assert!(targets.contains(&okpay_core::contract::ReasonTarget::Name));

    // Fix exactly what failed: the name and the portrait photo, then resubmit.
    flow.save_personal(&session, "张三丰", "11010519491231002X", None)
        .await
        .unwrap();
    pick_card(&flow, PhotoSide::Portrait, 1);
    let again = flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();
    assert_eq!(again.status, VerificationStatus::Pending);
    assert!(again.reasons.is_empty());
    assert_eq!(
        again.id, app.id,
        "a resubmission keeps the same application"
    );
}

#[tokio::test]
async fn session_survives_a_restart_through_the_keychain_and_sign_out_clears_it() {
    let server = Staging::start(ReviewMode::Manual).await;
    let keychain = mock_keychain();
    let first = session(&server.url(), keychain.clone());
    first.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap();
    assert!(keychain.load("session").await.unwrap().is_some());
    let stored = keychain.load("session").await.unwrap().unwrap();
    assert!(
        !stored.expose().contains(PASSWORD),
        "the password is never stored"
    );

    // A new process: nothing in memory, the keychain has the refresh token.
    let second = session(&server.url(), keychain.clone());
    let restored = second.restore().await.unwrap().unwrap();
    assert_eq!(restored.login, LOGIN);
    second.verification().await.unwrap();

    // The first process's refresh token was rotated away: using it again revokes the family.
    second.sign_out().await.unwrap();
    assert!(keychain.load("session").await.unwrap().is_none());
    let third = session(&server.url(), keychain);
    assert!(third.restore().await.unwrap().is_none());
}

#[tokio::test]
async fn unreachable_server_is_a_coded_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let session = session(&format!("http://127.0.0.1:{port}"), mock_keychain());
    let e = session.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NetworkUnreachable);
}

#[tokio::test]
async fn without_a_keychain_the_session_lasts_for_this_run_only() {
    let server = Staging::start(ReviewMode::Manual).await;
    let session = okpay_core::session::Session::new(
        okpay_core::api::ApiClient::new(&server.url()).unwrap(),
        okpay_core::session::KeychainSource::Disabled,
    );
    let signed = session.sign_in(LOGIN, &pw(PASSWORD)).await.unwrap();
    assert_eq!(signed.not_persisted, Some(ErrorCode::KeychainUnavailable));
    session.account().await.unwrap();
}

#[tokio::test]
async fn a_photo_that_fails_locally_is_shown_but_never_uploaded() {
    let server = Staging::start(ReviewMode::Manual).await;
    let session = session(&server.url(), mock_keychain());
    let flow = Flow::default();
    signed_in_with_consent(&session, &flow).await;
    flow.save_personal(&session, "张三", "11010519491231002X", None)
        .await
        .unwrap();

    let blurred = specimen::photo_jpeg(Side::Portrait, Fault::Blur(4.0), 0);
    let view = pick_bytes(&flow, PhotoSide::Portrait, &blurred);
    assert!(!view.check.ok);
    assert_eq!(view.check.reasons, vec![ErrorCode::PhotoBlurry]);
    assert!(view.check.quad.is_some(), "the card is still outlined");
    assert_eq!(view.bytes, 0);
    assert!(view.preview.starts_with("data:image/jpeg;base64,"));
    pick_card(&flow, PhotoSide::Emblem, 0);
    let refused = flow
        .submit(&session, Arc::new(|_, _, _| {}))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::PhotoBlurry);
    let app = session.verification().await.unwrap();
    assert_eq!(
        (app.photos.portrait, app.photos.emblem),
        (None, None),
        "nothing was uploaded, not even the good side"
    );

    // The same shot for the other side is refused as a duplicate.
    let view = pick_bytes(&flow, PhotoSide::Portrait, &card_jpeg(Side::Emblem, 0));
    assert_eq!(view.check.reasons, vec![ErrorCode::PhotoDuplicateSides]);
    // A good portrait replaces it and everything goes out.
    let view = pick_card(&flow, PhotoSide::Portrait, 0);
    assert!(view.check.ok, "{:?}", view.check);
    let app = flow.submit(&session, Arc::new(|_, _, _| {})).await.unwrap();
    assert_eq!(app.status, VerificationStatus::Pending);
}
