//! The automatic reviewer that reads the cards (`--card-models`): a card that says what was
//! typed is approved; another name, the other side in a slot, or a photo with nothing to read
//! is rejected with the reason the app explains.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::contract::{
    Application, ReasonCode, ReviewerReading, StatusReply, VerificationStatus,
};
use okpay_staging::ReviewMode;
use okpay_testkit::fixtures::{CardText, Side, card_jpeg, card_text, printed_jpeg, specimen};
use std::path::PathBuf;
use std::time::Duration;
use support::*;

fn models() -> PathBuf {
    PathBuf::from(std::env::var_os("OKPAY_OCR_MODELS").expect("OKPAY_OCR_MODELS (scripts/env.sh)"))
}

/// Submit `name` with these photos to a server that reads cards; the decision's reasons.
async fn reviewed(
    name: &str,
    portrait: Vec<u8>,
    emblem: Vec<u8>,
) -> (VerificationStatus, Vec<ReasonCode>, ReviewerReading) {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), ReviewMode::AutoApproveAfter(Duration::ZERO));
    cfg.card_models = Some(models());
    let s = start_with(cfg).await;
    let token = s.user("reader@example.com").await;
    ok_json::<Application>(s.put_personal(&token, name, ID_NUMBER).await).await;
    for (side, bytes) in [("portrait", portrait), ("emblem", emblem)] {
        ok_json::<serde_json::Value>(
            s.put_photo(&token, side, bytes, "c.jpg", "image/jpeg")
                .await,
        )
        .await;
    }
    let pending: Application = ok_json(s.submit(&token, "key-card-review-1").await).await;
    let path = format!("/v1/verification/status?wait=60&after={}", pending.revision);
    let reply: StatusReply = ok_json(s.get(&token, &path).await).await;
    let app = s.application(&token).await;
    assert_eq!(reply.status, app.status);
    let listed = s.admin_list("?login=reader@example.com").await;
    assert_eq!(listed.len(), 1);
    let read = listed[0]
        .card_read
        .clone()
        .expect("the admin list shows what was read");
    (
        app.status,
        app.reasons.iter().map(|r| r.code).collect(),
        read,
    )
}

fn text() -> CardText {
    card_text("李四", ID_NUMBER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_that_says_what_was_typed_is_approved() {
    let t = text();
    let (status, reasons, read) = reviewed(
        "李四",
        printed_jpeg(Side::Portrait, &t),
        printed_jpeg(Side::Emblem, &t),
    )
    .await;
    assert_eq!((status, reasons), (VerificationStatus::Approved, vec![]));
    let portrait = read.portrait.unwrap();
    assert_eq!(portrait.shows, "portrait");
    assert_eq!(portrait.name.as_deref(), Some("李四"));
    assert_eq!(
        portrait.id_number.as_deref(),
        Some(okpay_rules::validate::mask_id_number(ID_NUMBER).as_str()),
        "the number is masked"
    );
    assert!(
        !serde_json::to_string(&portrait)
            .unwrap()
            .contains(ID_NUMBER)
    );
    let emblem = read.emblem.unwrap();
    assert_eq!(emblem.shows, "emblem");
    let from = emblem.valid_from.unwrap();
    assert_eq!(from.replace('-', ""), t.valid_from.replace(['.', '-'], ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_name_is_rejected_as_a_name_mismatch() {
    let t = text();
    let (status, reasons, _) = reviewed(
        "李泗",
        printed_jpeg(Side::Portrait, &t),
        printed_jpeg(Side::Emblem, &t),
    )
    .await;
    assert_eq!(
        (status, reasons),
        (VerificationStatus::Rejected, vec![ReasonCode::NameMismatch])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_side_or_nothing_to_read_is_rejected_for_that_photo() {
    let t = text();
    // The portrait side twice (two different shots): the emblem slot holds the wrong side.
    let fonts = specimen::Fonts::system().unwrap();
    let scene = specimen::Scene {
        quad: specimen::QUAD.map(|[x, y]| [x * 0.9 + 60.0, y * 0.9 + 30.0]),
        ..specimen::Scene::new(specimen::Background::Plain)
    };
    let second = specimen::jpeg(
        &specimen::Printed::new(Side::Portrait, &t, &fonts, 1).render(&scene),
        90,
    );
    let (status, reasons, _) = reviewed("李四", printed_jpeg(Side::Portrait, &t), second).await;
    assert_eq!(status, VerificationStatus::Rejected);
    assert_eq!(reasons, vec![ReasonCode::EmblemWrongSide]);
    // A card with bars for print: nothing can be read on it.
    let (status, reasons, _) = reviewed(
        "李四",
        printed_jpeg(Side::Portrait, &t),
        card_jpeg(Side::Emblem, 0),
    )
    .await;
    assert_eq!(status, VerificationStatus::Rejected);
    assert_eq!(reasons, vec![ReasonCode::EmblemUnreadable]);
}
