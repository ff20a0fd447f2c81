//! Reading the card in the local photos: the fields with their crops, the cross-checks with
//! what was typed, a reading that goes with its photo, a submission refused while they
//! disagree, and a flow without models that checks nothing and goes on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_core::card::{CardReader, FieldKey};
use okpay_core::contract::{PersonalInfo, PhotoSide};
use okpay_core::flow::Flow;
use okpay_core::ocr::{CardSide, Checked, Outcome};
use okpay_testkit::fixtures::{ID_NUMBER, Side, card_jpeg, card_text, printed_jpeg};
use okpay_testkit::pick::pick_bytes;

fn reader() -> CardReader {
    CardReader::new(
        std::env::var_os("OKPAY_OCR_MODELS").expect("OKPAY_OCR_MODELS (scripts/env.sh)"),
    )
}

fn typed(name: &str) -> PersonalInfo {
    PersonalInfo {
        name: name.into(),
        id_number: ID_NUMBER.into(),
        validity: None,
    }
}

fn put(flow: &Flow, side: PhotoSide, bytes: &[u8]) {
    pick_bytes(flow, side, bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_is_read_with_crops_and_checked_against_what_was_typed() {
    let flow = Flow::default().with_card_reader(reader());
    let text = card_text("李四", ID_NUMBER);
    put(
        &flow,
        PhotoSide::Portrait,
        &printed_jpeg(Side::Portrait, &text),
    );
    let view = flow.read_card(PhotoSide::Portrait).await.unwrap().unwrap();
    assert_eq!(view.read_as, CardSide::Portrait);
    let name = view
        .fields
        .iter()
        .find(|f| f.key == FieldKey::Name)
        .unwrap();
    assert_eq!(name.text, "李四");
    assert!(name.crop.starts_with("data:image/jpeg;base64,"));

    let checks = flow.card_checks(&typed("李泗"));
    let name = checks.iter().find(|c| c.checked == Checked::Name).unwrap();
    assert!(matches!(&name.outcome, Outcome::Mismatch { read, .. } if read == "李四"));
    assert!(flow.card_mismatch(&typed("李泗")).is_some());
    assert!(flow.card_mismatch(&typed("李四")).is_none());

    // A new photo of that side: the old reading no longer counts.
    put(&flow, PhotoSide::Portrait, &card_jpeg(Side::Portrait, 1));
    assert!(flow.card_checks(&typed("李泗")).is_empty());
    let view = flow.read_card(PhotoSide::Portrait).await.unwrap().unwrap();
    assert_eq!(view.read_as, CardSide::Unknown, "bars are not print");
}

#[tokio::test]
async fn without_models_nothing_is_read_and_nothing_blocks() {
    let flow = Flow::default();
    put(&flow, PhotoSide::Portrait, &card_jpeg(Side::Portrait, 0));
    assert_eq!(flow.read_card(PhotoSide::Portrait).await.unwrap(), None);
    assert!(flow.card_checks(&typed("李四")).is_empty());

    let empty = tempfile::tempdir().unwrap();
    let flow = Flow::default().with_card_reader(CardReader::new(empty.path()));
    put(&flow, PhotoSide::Portrait, &card_jpeg(Side::Portrait, 0));
    let e = flow.read_card(PhotoSide::Portrait).await.unwrap_err();
    assert_eq!(e.code(), okpay_core::ErrorCode::OcrUnavailable);
    assert!(flow.card_mismatch(&typed("李四")).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatch_is_fixed_before_anything_is_sent() {
    let server = support::Staging::start(okpay_testkit::ReviewMode::Manual).await;
    let session = support::session(&server.url(), support::mock_keychain());
    let flow = Flow::default().with_card_reader(reader());
    support::signed_in_with_consent(&session, &flow).await;
    flow.save_personal(&session, "李泗", ID_NUMBER, None)
        .await
        .unwrap();
    let text = card_text("李四", ID_NUMBER);
    put(
        &flow,
        PhotoSide::Portrait,
        &printed_jpeg(Side::Portrait, &text),
    );
    put(&flow, PhotoSide::Emblem, &printed_jpeg(Side::Emblem, &text));
    flow.read_card(PhotoSide::Portrait).await.unwrap().unwrap();

    let submit = || flow.submit(&session, std::sync::Arc::new(|_, _, _| {}));
    let refused = submit().await.unwrap_err();
    assert_eq!(refused.code(), okpay_core::ErrorCode::NameMismatch);
    let app = session.verification().await.unwrap();
    assert!(
        app.photos.portrait.is_none() && app.photos.emblem.is_none(),
        "nothing was sent"
    );

    flow.save_personal(&session, "李四", ID_NUMBER, None)
        .await
        .unwrap();
    let app = submit().await.unwrap();
    assert_eq!(
        app.status,
        okpay_core::contract::VerificationStatus::Pending
    );
}
