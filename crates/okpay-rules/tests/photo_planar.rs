//! `photo::examine` on a 4:2:0 JPEG of a 12 to 20 MP phone photo's size: one pass of the
//! engine's own decoder gives the analysis image and the 1/2-scale planes, and the upload is
//! encoded from the planes. Checked end to end, in every orientation: the verdict, the upload
//! (the card and its margin, upright, found again by the server's re-check) and that its
//! pixels are the photo's (colour and place), and the preview's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod quality_support;

use image::{RgbImage, imageops};
use okpay_rules::photo::examine;
use okpay_rules::quality::{Rect, Strictness};
use quality_support::upload::{
    assert_bare_jpeg, assert_upload_frames_card, small_card_photo, with_metadata,
};
use quality_support::{Background, QUAD, Scene, iou, jpeg_420, render, resized};

/// Mean absolute difference per sample of `got` (decoded from a JPEG, `scale` of the photo)
/// against the 2 x 2 (or `1 / scale`) means of region `r` of `shown`.
fn mean_error(got: &RgbImage, shown: &RgbImage, r: Rect, scale: f32) -> f64 {
    let k = (1.0 / scale).round() as u32;
    let (x0, y0) = (r.x.round() as u32, r.y.round() as u32);
    let mut sum = 0u64;
    for (x, y, p) in got.enumerate_pixels() {
        for c in 0..3 {
            let mut s = 0u32;
            for dy in 0..k {
                for dx in 0..k {
                    let (sx, sy) = (x0 + k * x + dx, y0 + k * y + dy);
                    s += u32::from(
                        shown.get_pixel(sx.min(shown.width() - 1), sy.min(shown.height() - 1))[c],
                    );
                }
            }
            let want = (s + k * k / 2) / (k * k);
            sum += u64::from(want.abs_diff(u32::from(p[c])));
        }
    }
    sum as f64 / (got.width() * got.height() * 3) as f64
}

fn decoded(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory(jpeg).unwrap().into_rgb8()
}

#[test]
fn a_large_420_jpeg_is_judged_and_uploaded_from_one_pass_in_any_orientation() {
    let shown = resized(&render(&Scene::new(Background::Wood)), 3.36);
    let truth = QUAD.map(|p| [p[0] * 3.36, p[1] * 3.36]);
    for (o, stored) in [
        (1, shown.clone()),
        (3, imageops::rotate180(&shown)),
        (6, imageops::rotate270(&shown)),
        (8, imageops::rotate90(&shown)),
        (2, imageops::flip_horizontal(&shown)),
        // Orientation 5 shows the transpose of the stored image, its own inverse.
        (5, imageops::flip_horizontal(&imageops::rotate90(&shown))),
    ] {
        let bytes = with_metadata(&jpeg_420(&stored, 92), o);
        let e = examine(&bytes, Strictness::Normal).unwrap();
        assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/4", "{o}");
        assert_eq!((e.facts.width, e.facts.height), (4032, 2688), "{o}");
        assert!(e.verdict.ok, "{o}: {:?}", e.verdict.reasons);
        assert!(iou(&e.verdict.quad.unwrap(), &truth) >= 0.95, "{o}");
        assert_upload_frames_card(&e, &truth, 0.5);
        // The photo's own pixels, in place and in colour: within what two JPEG encodes lose.
        let err = mean_error(&decoded(&e.upload), &shown, e.upload_region, 0.5);
        assert!(err < 3.0, "{o}: upload off by {err:.2} per sample");
        assert_eq!(assert_bare_jpeg(&e.preview), (640, 427), "{o}");
        let whole = Rect {
            x: 0.0,
            y: 0.0,
            width: 4032.0,
            height: 2688.0,
        };
        let preview = decoded(&e.preview);
        let small = imageops::resize(&shown, 640, 427, imageops::FilterType::Triangle);
        let err = mean_error(
            &preview,
            &small,
            Rect {
                width: 640.0,
                height: 427.0,
                ..whole
            },
            1.0,
        );
        assert!(err < 4.0, "{o}: preview off by {err:.2} per sample");
    }
}

#[test]
fn a_small_card_in_a_large_420_jpeg_is_decoded_again_larger() {
    let (big, truth) = small_card_photo();
    let e = examine(&jpeg_420(&big, 92), Strictness::Normal).unwrap();
    assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/4");
    // 525 px of card at 1/2: decoded again at 5/8, the upload cut from that decode.
    assert_upload_frames_card(&e, &truth, 5.0 / 8.0);
}

#[test]
fn the_same_photo_in_422_gets_the_same_verdict_and_a_like_upload() {
    // `image` writes 4:2:2, which takes libjpeg's 1/2 RGB decode instead.
    let shown = resized(&render(&Scene::new(Background::Plain)), 3.36);
    let planar = examine(&jpeg_420(&shown, 92), Strictness::Normal).unwrap();
    let rgb = examine(&quality_support::jpeg_q(&shown, 92), Strictness::Normal).unwrap();
    assert_eq!(rgb.verdict.metrics.decode_path, "jpeg-scaled-1/2");
    assert_eq!(planar.verdict.reasons, rgb.verdict.reasons);
    let (a, b) = (planar.verdict.quad.unwrap(), rgb.verdict.quad.unwrap());
    assert!(iou(&a, &b) >= 0.98, "{a:?} {b:?}");
    assert_eq!(
        assert_bare_jpeg(&planar.upload),
        assert_bare_jpeg(&rgb.upload)
    );
}
