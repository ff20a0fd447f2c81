//! Bounded work and bounded disk for photo uploads: what the contract does not allow (not a
//! baseline JPEG, a long side over 2560 px, a scan bomb) is refused from its headers, the
//! pair rule holds when both sides are uploaded at once, a refused or replaced photo leaves
//! no file behind, and each user has a daily quota.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::PhotoInfo;
use okpay_staging::ReviewMode;
use okpay_testkit::fixtures::{Side, card_jpeg};
use std::path::Path;
use support::*;

fn files(dir: &Path) -> usize {
    std::fs::read_dir(dir.join(okpay_staging::PHOTOS_DIR))
        .unwrap()
        .count()
}

#[tokio::test]
async fn what_the_contract_does_not_allow_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("bounds@example.com").await;
    let put = |bytes: Vec<u8>| s.put_photo(&token, "portrait", bytes, "p.jpg", "image/jpeg");

    // A progressive frame: the whole image's coefficients held at once, a pass per scan.
    let mut progressive = portrait();
    let sof = marker(&progressive, 0xC0);
    progressive[sof + 1] = 0xC2;
    let e = expect_error(
        put(progressive).await,
        415,
        ErrorCode::PhotoUnsupportedFormat,
    )
    .await;
    assert!(e.message.contains("baseline JPEG"), "{}", e.message);

    // More scans than any camera writes: refused from the markers, whatever they hold.
    let e = expect_error(put(scan_bomb()).await, 422, ErrorCode::PhotoUnreadable).await;
    assert!(e.message.contains("scans"), "{}", e.message);

    // A phone's full-size photo is prepared by the app, never stored as it is.
    let big = image_bytes(4032, 3024, image::ImageFormat::Jpeg);
    let e = expect_error(put(big).await, 413, ErrorCode::PhotoTooLarge).await;
    assert!(e.message.contains("2560"), "{}", e.message);

    assert_eq!(files(dir.path()), 0, "nothing refused is written");
    ok_json::<PhotoInfo>(put(portrait()).await).await;
}

#[tokio::test]
async fn one_photo_uploaded_to_both_sides_at_once_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("pair@example.com").await;
    let bytes = portrait();
    let (a, b) = tokio::join!(
        s.put_photo(&token, "portrait", bytes.clone(), "p.jpg", "image/jpeg"),
        s.put_photo(&token, "emblem", bytes.clone(), "e.jpg", "image/jpeg"),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422]);
    let refused = if a.status().is_success() { b } else { a };
    expect_error(refused, 422, ErrorCode::PhotoDuplicateSides).await;
    let app = s.application(&token).await;
    assert_eq!(
        u8::from(app.photos.portrait.is_some()) + u8::from(app.photos.emblem.is_some()),
        1
    );
    assert_eq!(files(dir.path()), 1);
}

#[tokio::test]
async fn a_replaced_photo_is_deleted_and_a_refused_one_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("files@example.com").await;
    let put = |side: &'static str, bytes: Vec<u8>| {
        s.put_photo(&token, side, bytes, "p.jpg", "image/jpeg")
    };
    let first: PhotoInfo = ok_json(put("portrait", card_jpeg(Side::Portrait, 0)).await).await;
    let second: PhotoInfo = ok_json(put("portrait", card_jpeg(Side::Portrait, 1)).await).await;
    let photos = dir.path().join(okpay_staging::PHOTOS_DIR);
    assert!(
        !photos.join(&first.sha256).exists(),
        "the replaced photo is gone"
    );
    assert!(photos.join(&second.sha256).exists());
    ok_json::<PhotoInfo>(put("emblem", card_jpeg(Side::Emblem, 0)).await).await;
    assert_eq!(files(dir.path()), 2);
    // The portrait photo again, now for the emblem: refused by the pair rule, not kept.
    expect_error(
        put("emblem", card_jpeg(Side::Portrait, 1)).await,
        422,
        ErrorCode::PhotoDuplicateSides,
    )
    .await;
    assert_eq!(files(dir.path()), 2);
}

#[tokio::test]
async fn each_user_has_a_daily_upload_quota() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), ReviewMode::Manual);
    cfg.photo_uploads_per_day = 3;
    let s = start_with(cfg).await;
    let token = s.user("quota@example.com").await;
    for _ in 0..3 {
        ok_json::<PhotoInfo>(
            s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
                .await,
        )
        .await;
    }
    expect_error(
        s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
        429,
        ErrorCode::RateLimited,
    )
    .await;
    let other = s.user("other@example.com").await;
    ok_json::<PhotoInfo>(
        s.put_photo(&other, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
    )
    .await;
}
