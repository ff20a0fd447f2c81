//! Photo uploads over real HTTP: checked with the app's rules, stored, reported, refused
//! with their codes when they fail or are too large.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_rules::ErrorCode;
use okpay_rules::contract::{MAX_PHOTO_BYTES, PhotoInfo, PhotoSide, VerificationStatus};
use okpay_staging::ReviewMode;
use okpay_testkit::fixtures::specimen::{self, Fault, Side};
use support::*;

#[tokio::test]
async fn photos_are_checked_stored_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("photo@example.com").await;

    let bytes = portrait();
    let info: PhotoInfo = ok_json(
        s.put_photo(&token, "portrait", bytes.clone(), "p.png", "image/png")
            .await,
    )
    .await;
    assert_eq!(
        (info.side, info.width, info.height),
        (PhotoSide::Portrait, specimen::WIDTH, specimen::HEIGHT)
    );
    assert_eq!(info.bytes, bytes.len() as u64);
    let stored = std::fs::read(
        dir.path()
            .join(okpay_staging::PHOTOS_DIR)
            .join(&info.sha256),
    )
    .unwrap();
    assert_eq!(
        stored, bytes,
        "the exact bytes are kept, named by their sha256"
    );

    let info: PhotoInfo = ok_json(
        s.put_photo(&token, "emblem", jpeg(), "e.jpg", "image/jpeg")
            .await,
    )
    .await;
    assert_eq!(
        (info.side, info.width, info.height),
        (PhotoSide::Emblem, specimen::WIDTH, specimen::HEIGHT)
    );
    let app = s.application(&token).await;
    assert_eq!(app.status, VerificationStatus::Draft);
    assert_eq!(app.photos.emblem, Some(info));
    assert!(app.photos.portrait.is_some());

    // The content decides, not the name or the declared type.
    let resp = s
        .put_photo(
            &token,
            "portrait",
            b"just some text".to_vec(),
            "p.png",
            "image/png",
        )
        .await;
    expect_error(resp, 415, ErrorCode::PhotoUnsupportedFormat).await;
    let small = image_bytes(300, 200, image::ImageFormat::Png);
    expect_error(
        s.put_photo(&token, "portrait", small, "s.png", "image/png")
            .await,
        422,
        ErrorCode::PhotoLowResolution,
    )
    .await;
    let full = portrait();
    let truncated = full[..full.len() / 2].to_vec();
    expect_error(
        s.put_photo(&token, "portrait", truncated, "t.png", "image/png")
            .await,
        422,
        ErrorCode::PhotoUnreadable,
    )
    .await;
    expect_error(
        s.put_photo(&token, "back", portrait(), "p.jpg", "image/jpeg")
            .await,
        404,
        ErrorCode::NotFound,
    )
    .await;

    // Not multipart, or no part named photo.
    let resp = s
        .http
        .put(s.url("/v1/verification/photos/portrait"))
        .bearer_auth(&token)
        .body(portrait())
        .send()
        .await
        .unwrap();
    expect_error(resp, 400, ErrorCode::BadRequest).await;
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(portrait()));
    let resp = s
        .http
        .put(s.url("/v1/verification/photos/portrait"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    expect_error(resp, 400, ErrorCode::BadRequest).await;
}

#[tokio::test]
async fn oversize_uploads_are_413_with_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("big@example.com").await;
    // Over the body limit.
    let huge = vec![0u8; MAX_PHOTO_BYTES + 512 * 1024];
    let err = expect_error(
        s.put_photo(&token, "portrait", huge, "h.png", "image/png")
            .await,
        413,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    assert!(!err.message.is_empty());
    // Within the body limit but over the photo limit.
    let mut just_over = portrait();
    just_over.resize(MAX_PHOTO_BYTES + 1, 0);
    expect_error(
        s.put_photo(&token, "portrait", just_over, "h.png", "image/png")
            .await,
        413,
        ErrorCode::PhotoTooLarge,
    )
    .await;
    // A JSON body over the JSON limit.
    let resp = s
        .http
        .put(s.url("/v1/verification/personal"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\":\"{}\"}}", "a".repeat(3 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    expect_error(resp, 413, ErrorCode::PayloadTooLarge).await;
}

#[tokio::test]
async fn uploads_that_fail_the_photo_checks_are_refused_with_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_in(dir.path(), ReviewMode::Manual).await;
    let token = s.user("quality@example.com").await;
    for (fault, code) in [
        (Fault::Blur(4.0), ErrorCode::PhotoBlurry),
        (Fault::Glare, ErrorCode::PhotoGlare),
        (Fault::Dark, ErrorCode::PhotoTooDark),
        (Fault::CornerCut, ErrorCode::PhotoCornerMissing),
    ] {
        let bytes = specimen::photo_jpeg(Side::Portrait, fault, 0);
        let resp = s
            .put_photo(&token, "portrait", bytes, "p.jpg", "image/jpeg")
            .await;
        let body = expect_error(resp, 422, code).await;
        assert!(body.message.contains(&code.as_str()), "{fault:?}: {body:?}");
    }
    let app = s.application(&token).await;
    assert_eq!(app.photos.portrait, None, "nothing refused was stored");
    let stored = std::fs::read_dir(dir.path().join(okpay_staging::PHOTOS_DIR))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(stored, 0);

    // The same shot for both sides, even re-encoded as JPEG, is refused for the second.
    ok_json::<PhotoInfo>(
        s.put_photo(&token, "portrait", portrait(), "p.jpg", "image/jpeg")
            .await,
    )
    .await;
    let same_shot = specimen::photo_jpeg(Side::Portrait, Fault::None, 0);
    expect_error(
        s.put_photo(&token, "emblem", same_shot, "e.jpg", "image/jpeg")
            .await,
        422,
        ErrorCode::PhotoDuplicateSides,
    )
    .await;
    ok_json::<PhotoInfo>(
        s.put_photo(&token, "emblem", jpeg(), "e.jpg", "image/jpeg")
            .await,
    )
    .await;
}
