//! The one photo pipeline, `examine`: one decode gives the verdict, the upload and
//! the preview; the upload is a bare JPEG (only a plain JFIF APP0 among the APPn/COM
//! segments) of the card and its margin, upright; an upload made from a photo that passed
//! `Normal` passes the server's re-check at `Relaxed`, which finds the card where the device
//! did; a large PNG is uploaded as a JPEG of it would be; broken files are refused with a
//! code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use image::{DynamicImage, ImageFormat, imageops};
use okpay_photo::quality::Strictness;
use okpay_photo::{PREVIEW_LONG_SIDE, examine};
use okpay_rules::ErrorCode;
use std::io::Cursor;
use support::upload::{
    assert_bare_jpeg, assert_upload_frames_card, small_card_photo, with_metadata,
};
use support::{Background, QUAD, Scene, iou, jpeg, render, resized};

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

#[test]
fn clean_fixtures_pass_on_the_device_and_on_the_server() {
    let rotated = Scene {
        quad: [
            [260.0, 90.0],
            [1080.0, 230.0],
            [990.0, 740.0],
            [150.0, 600.0],
        ],
        ..Scene::new(Background::Wood)
    };
    let cases = [
        ("plain", QUAD, jpeg(&Scene::new(Background::Plain))),
        ("wood", QUAD, jpeg(&Scene::new(Background::Wood))),
        ("rotated on wood", rotated.quad, jpeg(&rotated)),
        (
            "png on wood",
            QUAD,
            encode(
                DynamicImage::ImageRgb8(render(&Scene::new(Background::Wood))),
                ImageFormat::Png,
            ),
        ),
    ];
    for (name, truth, bytes) in cases {
        let e = examine(&bytes, Strictness::Normal).unwrap();
        assert!(e.verdict.ok, "{name}: {:?}", e.verdict.reasons);
        assert_eq!((e.facts.width, e.facts.height), (1200, 800), "{name}");
        assert_upload_frames_card(&e, &truth, 1.0);
        assert_eq!(assert_bare_jpeg(&e.preview), (640, 427), "{name}");
        for s in [Strictness::Relaxed, Strictness::Normal] {
            let server = okpay_photo::assess_upload(&e.upload, s).unwrap().0;
            assert!(server.ok, "{name} {s:?}: {:?}", server.reasons);
        }
    }
}

#[test]
fn metadata_is_stripped_and_orientation_applied() {
    let shown = render(&Scene::new(Background::Wood));
    // Stored a quarter turn anticlockwise; orientation 6 turns it back for display.
    let stored = DynamicImage::ImageRgb8(imageops::rotate270(&shown));
    let bytes = with_metadata(&encode(stored, ImageFormat::Jpeg), 6);
    let e = examine(&bytes, Strictness::Normal).unwrap();
    assert!(e.verdict.ok, "{:?}", e.verdict.reasons);
    assert!(iou(&e.verdict.quad.unwrap(), &QUAD) >= 0.95);
    // The upload is upright: the server finds the card where the device did.
    assert_upload_frames_card(&e, &QUAD, 1.0);
    assert_eq!(assert_bare_jpeg(&e.preview), (PREVIEW_LONG_SIDE, 427));
    for needle in [b"Exif".as_slice(), b"GPS", b"xmpmeta", b"secret"] {
        assert!(!e.upload.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn a_large_jpeg_is_decoded_once_at_half_size_and_uploaded_within_bounds() {
    let big = resized(&render(&Scene::new(Background::Plain)), 3.5);
    let bytes = encode(DynamicImage::ImageRgb8(big), ImageFormat::Jpeg);
    let e = examine(&bytes, Strictness::Normal).unwrap();
    assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/2");
    assert_eq!((e.facts.width, e.facts.height), (4200, 2800));
    assert!(e.verdict.ok, "{:?}", e.verdict.reasons);
    let truth = QUAD.map(|p| [p[0] * 3.5, p[1] * 3.5]);
    assert!(iou(&e.verdict.quad.unwrap(), &truth) >= 0.95);
    assert_upload_frames_card(&e, &truth, 0.5);
    assert_eq!(assert_bare_jpeg(&e.preview), (640, 427));
}

#[test]
fn a_large_rotated_jpeg_is_analysed_and_uploaded_upright() {
    // Decoded at 1/2 to exactly twice the analysis size: the orientation is applied to the
    // halvings and, row strip by row strip, on the way into the upload's encoder.
    let shown = resized(&render(&Scene::new(Background::Wood)), 3.36);
    let truth = QUAD.map(|p| [p[0] * 3.36, p[1] * 3.36]);
    for (o, stored) in [
        (3, imageops::rotate180(&shown)),
        (6, imageops::rotate270(&shown)),
        (8, imageops::rotate90(&shown)),
    ] {
        let bytes = with_metadata(
            &encode(DynamicImage::ImageRgb8(stored), ImageFormat::Jpeg),
            o,
        );
        let e = examine(&bytes, Strictness::Normal).unwrap();
        assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/2", "{o}");
        assert_eq!((e.facts.width, e.facts.height), (4032, 2688), "{o}");
        assert!(e.verdict.ok, "{o}: {:?}", e.verdict.reasons);
        assert!(iou(&e.verdict.quad.unwrap(), &truth) >= 0.95, "{o}");
        assert_upload_frames_card(&e, &truth, 0.5);
        assert_eq!(assert_bare_jpeg(&e.preview), (640, 427), "{o}");
        // The verdict alone (the 1/4 decode) finds the same card.
        let v = okpay_photo::quality::assess(&bytes, Strictness::Normal).unwrap();
        assert!(v.ok, "{o}: {:?}", v.reasons);
        assert!(iou(&v.quad.unwrap(), &truth) >= 0.95, "{o}: {:?}", v.quad);
    }
}

#[test]
fn a_large_png_gives_the_upload_a_jpeg_of_it_gives() {
    let big = resized(&render(&Scene::new(Background::Plain)), 3.5);
    let png = encode(DynamicImage::ImageRgb8(big.clone()), ImageFormat::Png);
    let e = examine(&png, Strictness::Normal).unwrap();
    assert_eq!(e.verdict.metrics.decode_path, "image");
    assert!(e.verdict.ok, "{:?}", e.verdict.reasons);
    // Halved once, like the JPEG's 1/2 decode: the card keeps over 1200 px.
    let truth = QUAD.map(|p| [p[0] * 3.5, p[1] * 3.5]);
    let size = assert_upload_frames_card(&e, &truth, 0.5);
    assert_eq!(assert_bare_jpeg(&e.preview), (640, 427));
    let jpeg = encode(DynamicImage::ImageRgb8(big), ImageFormat::Jpeg);
    let j = examine(&jpeg, Strictness::Normal).unwrap();
    assert_eq!(assert_bare_jpeg(&j.upload), size);
}

#[test]
fn a_small_card_in_a_large_jpeg_gets_a_larger_upload() {
    let (big, truth) = small_card_photo();
    let bytes = encode(DynamicImage::ImageRgb8(big), ImageFormat::Jpeg);
    let e = examine(&bytes, Strictness::Normal).unwrap();
    assert!(
        e.verdict.reasons.contains(&ErrorCode::PhotoCardTooSmall),
        "{:?}",
        e.verdict.reasons
    );
    // About 1050 px of card in the file, 525 at half size: decoded again, larger, at 5/8
    // (2625 px, the first scale to reach the upload's long-side bound of 2560), and the
    // upload is the card cut from that decode, at that scale.
    assert_upload_frames_card(&e, &truth, 5.0 / 8.0);
}

#[test]
fn broken_and_oversized_files_are_refused_with_a_code() {
    let good = jpeg(&Scene::new(Background::Plain));
    for cut in [good.len() - 2, good.len() / 2, 700] {
        assert_eq!(
            examine(&good[..cut], Strictness::Normal).err(),
            Some(ErrorCode::PhotoUnreadable),
            "cut at {cut}"
        );
    }
    assert_eq!(
        examine(b"hello", Strictness::Normal).err(),
        Some(ErrorCode::PhotoUnsupportedFormat)
    );
    let mut huge = good.clone();
    huge.resize(okpay_photo::MAX_FILE_BYTES + 1, 0);
    assert_eq!(
        examine(&huge, Strictness::Normal).err(),
        Some(ErrorCode::PhotoTooLarge)
    );
    // A header claiming 65000 x 65000 pixels: refused before any pixel is allocated.
    let mut bomb = good.clone();
    let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bomb[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
    assert_eq!(
        examine(&bomb, Strictness::Normal).err(),
        Some(ErrorCode::PhotoTooLarge)
    );
}
