//! The verification application over real HTTP: personal info checks, submission with
//! idempotency, tester decisions, resubmission, isolation between users.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::{
    Account, Application, PhotoInfo, ReasonCode, ReasonTarget, Tier, VerificationStatus,
};
use okpay_staging::ReviewMode;
use okpay_testkit::fixtures::specimen;
use okpay_testkit::fixtures::with_check;
use serde_json::json;
use support::*;

#[tokio::test]
async fn account_starts_unverified_and_becomes_verified_on_approval() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("tier@example.com").await;
    let acc: Account = ok_json(s.get(&token, "/v1/account").await).await;
    assert_eq!(
        (acc.tier, acc.verification),
        (Tier::Unverified, VerificationStatus::None)
    );
    assert_eq!(
        acc.limits,
        okpay_rules::contract::Limits::for_tier(Tier::Unverified)
    );
    assert_eq!(acc.login, "tier@example.com");

    let app = s.application(&token).await;
    assert_eq!(
        (app.status, app.revision, app.personal),
        (VerificationStatus::None, 1, None),
        "consent alone starts nothing"
    );

    s.complete_draft(&token).await;
    let app: Application = ok_json(s.submit(&token, "key-tier-0001").await).await;
    let acc: Account = ok_json(s.get(&token, "/v1/account").await).await;
    assert_eq!(
        (acc.tier, acc.verification),
        (Tier::Unverified, VerificationStatus::Pending)
    );

    ok_json::<Application>(s.approve(app.id.as_deref().unwrap()).await).await;
    let acc: Account = ok_json(s.get(&token, "/v1/account").await).await;
    assert_eq!(
        (acc.tier, acc.verification),
        (Tier::Verified, VerificationStatus::Approved)
    );
    assert_eq!(
        acc.limits,
        okpay_rules::contract::Limits::for_tier(Tier::Verified)
    );
}

#[tokio::test]
async fn personal_info_is_checked_and_normalised() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("personal@example.com").await;
    // The expected codes come from the shared rules the server re-runs.
    let names = ["", "张", "张3", "x".repeat(51).as_str(), "Zhang·三"].map(str::to_owned);
    for name in names {
        let code = okpay_rules::validate::name(&name).expect_err(&name);
        expect_error(
            s.put_personal(&token, &name, ID_NUMBER).await,
            code.http_status(),
            code,
        )
        .await;
    }
    let ids = [
        "",
        "1101051949123100",
        "11010519491231002A",
        "110105194912310021",
        "110105194902300020",
        "990105194912310021",
    ];
    for id in ids {
        let code = okpay_rules::validate::id_number(id).expect_err(id);
        expect_error(
            s.put_personal(&token, "张三", id).await,
            code.http_status(),
            code,
        )
        .await;
    }
    assert_eq!(
        s.application(&token).await.status,
        VerificationStatus::None,
        "failed saves change nothing"
    );

    let app: Application = ok_json(
        s.put_personal(&token, "  张三 ", "110105 19491231002x")
            .await,
    )
    .await;
    assert_eq!(app.status, VerificationStatus::Draft);
    assert_eq!(app.revision, 2, "consent was revision 1");
    let personal = app.personal.unwrap();
    assert_eq!(
        (personal.name.as_str(), personal.id_number.as_str()),
        ("张三", ID_NUMBER)
    );

    // Validity round-trips.
    let resp = s
        .http
        .put(s.url("/v1/verification/personal"))
        .bearer_auth(&token)
        .json(&json!({"name": "张三", "id_number": ID_NUMBER, "validity": {"start": "2020-01-01", "long_term": true}}))
        .send()
        .await
        .unwrap();
    let app: Application = ok_json(resp).await;
    assert_eq!(app.revision, 3);
    assert!(app.personal.unwrap().validity.unwrap().long_term);
}

#[tokio::test]
async fn submit_needs_a_complete_application_and_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("incomplete@example.com").await;
    expect_error(
        s.submit(&token, "key-incomplete-1").await,
        422,
        ErrorCode::ApplicationIncomplete,
    )
    .await;
    ok_json::<Application>(s.put_personal(&token, "张三", ID_NUMBER).await).await;
    expect_error(
        s.submit(&token, "key-incomplete-2").await,
        422,
        ErrorCode::ApplicationIncomplete,
    )
    .await;
    ok_json::<PhotoInfo>(
        s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
    )
    .await;
    expect_error(
        s.submit(&token, "key-incomplete-3").await,
        422,
        ErrorCode::ApplicationIncomplete,
    )
    .await;

    let resp = s
        .http
        .post(s.url("/v1/verification/submit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(resp, 400, ErrorCode::BadRequest).await;
    expect_error(s.submit(&token, "short").await, 400, ErrorCode::BadRequest).await;
    expect_error(
        s.submit(&token, &"k".repeat(201)).await,
        400,
        ErrorCode::BadRequest,
    )
    .await;
}

#[tokio::test]
async fn the_same_idempotency_key_twice_makes_one_submission() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("idem@example.com").await;
    s.complete_draft(&token).await;

    let first: Application = ok_json(s.submit(&token, "key-idem-0001").await).await;
    assert_eq!(first.status, VerificationStatus::Pending);
    assert!(first.submitted_at.is_some());
    let again: Application = ok_json(s.submit(&token, "key-idem-0001").await).await;
    assert_eq!(again, first, "same reply, nothing new");
    assert_eq!(s.application(&token).await.revision, first.revision);
    let listed = s.admin_list("?login=idem@example.com").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, VerificationStatus::Pending);

    // A new key while pending: locked. Edits while pending: locked.
    expect_error(
        s.submit(&token, "key-idem-0002").await,
        409,
        ErrorCode::ApplicationLocked,
    )
    .await;
    expect_error(
        s.put_personal(&token, "李四", ID_NUMBER).await,
        409,
        ErrorCode::ApplicationLocked,
    )
    .await;
    expect_error(
        s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
        409,
        ErrorCode::ApplicationLocked,
    )
    .await;

    // After the decision, the old key answers the current application.
    let approved: Application = ok_json(s.approve(first.id.as_deref().unwrap()).await).await;
    let replay: Application = ok_json(s.submit(&token, "key-idem-0001").await).await;
    assert_eq!(replay, approved);
    expect_error(
        s.approve(first.id.as_deref().unwrap()).await,
        409,
        ErrorCode::ApplicationLocked,
    )
    .await;
}

#[tokio::test]
async fn reject_with_reasons_then_fix_and_resubmit() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("reject@example.com").await;
    s.complete_draft(&token).await;
    let pending: Application = ok_json(s.submit(&token, "key-reject-01").await).await;
    let id = pending.id.clone().unwrap();
    let listed = s
        .admin_list("?status=pending&login=Reject@Example.com")
        .await;
    assert_eq!(
        listed.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );

    expect_error(s.reject(&id, json!([])).await, 400, ErrorCode::BadRequest).await;
    expect_error(
        s.reject(&id, json!(["NOT_A_REASON"])).await,
        400,
        ErrorCode::BadRequest,
    )
    .await;
    expect_error(
        s.reject("no-such-id", json!(["PORTRAIT_GLARE"])).await,
        404,
        ErrorCode::NotFound,
    )
    .await;

    let rejected: Application = ok_json(
        s.reject(&id, json!(["PORTRAIT_GLARE", "ID_NUMBER_MISMATCH"]))
            .await,
    )
    .await;
    assert_eq!(rejected.status, VerificationStatus::Rejected);
    assert!(rejected.decided_at.is_some());
    let targets: Vec<(ReasonCode, ReasonTarget)> = rejected
        .reasons
        .iter()
        .map(|r| (r.code, r.target))
        .collect();
    assert_eq!(
        targets,
        [
            (ReasonCode::PortraitGlare, ReasonTarget::Portrait),
            (ReasonCode::IdNumberMismatch, ReasonTarget::IdNumber)
        ]
    );
    assert_eq!(s.application(&token).await, rejected);
    assert!(
        s.admin_list("?status=pending")
            .await
            .iter()
            .all(|a| a.id != id)
    );

    // Fix the portrait: back to draft, reasons cleared; then a new key resubmits.
    let info: PhotoInfo = ok_json(
        s.put_photo(
            &token,
            "portrait",
            card_jpeg(specimen::Side::Portrait, 1),
            "p2.jpg",
            "image/jpeg",
        )
        .await,
    )
    .await;
    let draft = s.application(&token).await;
    assert_eq!(
        (draft.status, draft.reasons.len()),
        (VerificationStatus::Draft, 0)
    );
    assert_eq!(draft.photos.portrait, Some(info));
    // The first key belongs to the old submission.
    expect_error(
        s.submit(&token, "key-reject-01").await,
        409,
        ErrorCode::IdempotencyConflict,
    )
    .await;
    let again: Application = ok_json(s.submit(&token, "key-reject-02").await).await;
    assert_eq!(
        (again.status, again.id.as_deref(), again.reasons.len()),
        (VerificationStatus::Pending, Some(id.as_str()), 0)
    );
    assert!(again.revision > rejected.revision);
}

#[tokio::test]
async fn a_user_only_sees_their_own_application() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let alice = s.user("alice@example.com").await;
    let bob = s.user("bob@example.com").await;
    s.complete_draft(&alice).await;
    let alices: Application = ok_json(s.submit(&alice, "key-alice-01").await).await;

    let bobs = s.application(&bob).await;
    assert_ne!(bobs.id, alices.id);
    assert_eq!(
        (bobs.status, bobs.personal),
        (VerificationStatus::None, None)
    );
    let status: okpay_rules::contract::StatusReply =
        ok_json(s.get(&bob, "/v1/verification/status").await).await;
    assert_eq!(status.status, VerificationStatus::None);
    // Bob's key space is his own, and his submission does not touch Alice's.
    expect_error(
        s.submit(&bob, "key-alice-01").await,
        422,
        ErrorCode::ApplicationIncomplete,
    )
    .await;
    ok_json::<Application>(
        s.put_personal(&bob, "李四", &with_check("44052419800101001"))
            .await,
    )
    .await;
    assert_eq!(s.application(&alice).await, alices);
    // Bob cannot use the tester controls.
    let resp = s
        .http
        .post(s.url(&format!(
            "/v1/admin/applications/{}/approve",
            alices.id.unwrap()
        )))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    expect_error(resp, 403, ErrorCode::Forbidden).await;
}

#[tokio::test]
async fn tester_controls_need_the_admin_token() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let resp = s
        .http
        .get(s.url("/v1/admin/applications"))
        .send()
        .await
        .unwrap();
    expect_error(resp, 403, ErrorCode::Forbidden).await;
    let resp = s
        .http
        .get(s.url("/v1/admin/applications"))
        .header("X-Admin-Token", "wrong")
        .send()
        .await
        .unwrap();
    expect_error(resp, 403, ErrorCode::Forbidden).await;
    assert!(s.admin_list("").await.is_empty());
    // An unknown or empty status is not one of the enum's values.
    for query in ["?status=bogus", "?status="] {
        let resp = s
            .http
            .get(s.url(&format!("/v1/admin/applications{query}")))
            .header("X-Admin-Token", ADMIN)
            .send()
            .await
            .unwrap();
        expect_error(resp, 400, ErrorCode::BadRequest).await;
    }
}

#[tokio::test]
async fn the_server_refuses_what_the_app_refuses_eligibility_legacy_and_validity() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("eligibility@example.com").await;
    let today = okpay_rules::validate::Date::today_china();
    let cases = [
        // Born 2015: a valid number of a holder under the minimum age.
        ("110105201501010017", None),
        // A legacy 15-digit number: valid, but not accepted for submission.
        ("110105491231002", None),
        // Born 1990, a 10-year card that ended in 2020.
        (
            "110105199001010010",
            Some(json!({"start": "2010-03-01", "end": "2020-03-01", "long_term": false})),
        ),
    ];
    for (id, validity) in cases {
        let info = okpay_rules::contract::PersonalInfo {
            name: "张三".into(),
            id_number: id.into(),
            validity: validity.clone().map(|v| serde_json::from_value(v).unwrap()),
        };
        let code = okpay_rules::validate::personal(&info, today).expect_err(id);
        let resp = s
            .http
            .put(s.url("/v1/verification/personal"))
            .bearer_auth(&token)
            .json(&json!({"name": "张三", "id_number": id, "validity": validity}))
            .send()
            .await
            .unwrap();
        expect_error(resp, code.http_status(), code).await;
    }
    assert_eq!(s.application(&token).await.status, VerificationStatus::None);
}

#[tokio::test]
async fn nothing_personal_is_accepted_before_consent() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user_without_consent("consent@example.com").await;
    assert_eq!(s.application(&token).await.consent, None);
    expect_error(
        s.put_personal(&token, "张三", ID_NUMBER).await,
        428,
        ErrorCode::ConsentRequired,
    )
    .await;
    expect_error(
        s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
        428,
        ErrorCode::ConsentRequired,
    )
    .await;
    expect_error(
        s.submit(&token, "key-consent-01").await,
        422,
        ErrorCode::ApplicationIncomplete,
    )
    .await;
    expect_error(
        s.put_consent(&token, "1999-01").await,
        400,
        ErrorCode::BadRequest,
    )
    .await;
    let app: Application = ok_json(
        s.put_consent(&token, okpay_rules::contract::CONSENT_VERSION)
            .await,
    )
    .await;
    let consent = app.consent.clone().unwrap();
    assert_eq!(consent.version, okpay_rules::contract::CONSENT_VERSION);
    // Agreeing again changes nothing.
    let again: Application = ok_json(
        s.put_consent(&token, okpay_rules::contract::CONSENT_VERSION)
            .await,
    )
    .await;
    assert_eq!(
        (again.revision, again.consent),
        (app.revision, Some(consent))
    );
    ok_json::<Application>(s.put_personal(&token, "张三", ID_NUMBER).await).await;
}
