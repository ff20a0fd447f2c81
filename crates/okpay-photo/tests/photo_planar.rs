//! `examine` on a 4:2:0 JPEG of a 12 to 20 MP phone photo's size: one pass of the
//! engine's own decoder gives the analysis image and the 1/2-scale planes, and the upload is
//! encoded from the planes. Checked end to end, in every orientation, at odd sizes and at
//! 20 MP (an upload brought within the long-side bound): the verdict, the upload (the card and
//! its margin, upright, found again by the server's re-check) and that its pixels are the
//! photo's (colour and place), and the preview's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use image::{RgbImage, imageops};
use okpay_photo::examine;
use okpay_photo::quality::{Rect, Strictness};
use support::upload::{
    assert_bare_jpeg, assert_upload_frames_card, small_card_photo, with_metadata,
};
use support::{Background, QUAD, Scene, iou, jpeg_420, render, resized};

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

/// A 12 MP (4032 x 3024 at `k` = 3.36) photo of a card about 2480 px long, off the centre:
/// its upload is a region inside the frame on three sides. The photo and the card's quad.
fn photo_12mp(k: f32) -> (RgbImage, [[f32; 2]; 4]) {
    let quad = [
        [262.0, 220.0],
        [990.0, 200.0],
        [1002.0, 650.0],
        [250.0, 670.0],
    ];
    let scene = Scene {
        quad,
        width: 1200,
        height: 900,
        ..Scene::new(Background::Wood)
    };
    (
        resized(&render(&scene), k),
        quad.map(|p| [p[0] * k, p[1] * k]),
    )
}

/// The upload of `e` against the displayed photo `shown`: its pixels are the photo's
/// 2 x 2 means over its region, in place and in colour, within what two JPEG encodes lose.
fn assert_upload_is_the_photo(e: &okpay_photo::Examined, shown: &RgbImage, what: &str) {
    let err = mean_error(&decoded(&e.upload), shown, e.upload_region, 0.5);
    assert!(err < 3.0, "{what}: upload off by {err:.2} per sample");
}

#[test]
fn a_large_420_jpeg_is_judged_and_uploaded_from_one_pass_in_any_orientation() {
    let (shown, truth) = photo_12mp(3.36);
    assert_eq!(shown.dimensions(), (4032, 3024));
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
        assert_eq!((e.facts.width, e.facts.height), (4032, 3024), "{o}");
        assert!(e.verdict.ok, "{o}: {:?}", e.verdict.reasons);
        assert!(iou(&e.verdict.quad.unwrap(), &truth) >= 0.95, "{o}");
        assert_upload_frames_card(&e, &truth, 0.5);
        let r = e.upload_region;
        assert!(
            r.x > 0.0 && r.y > 0.0 && r.x + r.width < 4032.0,
            "{o}: {r:?}"
        );
        assert_upload_is_the_photo(&e, &shown, &format!("orientation {o}"));
        assert_eq!(assert_bare_jpeg(&e.preview), (640, 480), "{o}");
        let preview = decoded(&e.preview);
        let small = imageops::resize(&shown, 640, 480, imageops::FilterType::Triangle);
        let whole = Rect {
            x: 0.0,
            y: 0.0,
            width: 640.0,
            height: 480.0,
        };
        let err = mean_error(&preview, &small, whole, 1.0);
        assert!(err < 4.0, "{o}: preview off by {err:.2} per sample");
    }
}

#[test]
fn an_odd_sized_photo_keeps_its_chroma_with_its_luma() {
    // 4035 x 3026: odd 1/2-scale planes, the region's far edges on the frame's.
    let (shown, truth) = photo_12mp(3.3625);
    assert_eq!(shown.dimensions(), (4035, 3026));
    for (o, stored) in [
        (1, shown.clone()),
        (3, imageops::rotate180(&shown)),
        (6, imageops::rotate270(&shown)),
    ] {
        let e = examine(
            &with_metadata(&jpeg_420(&stored, 92), o),
            Strictness::Normal,
        )
        .unwrap();
        assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/4", "{o}");
        assert_upload_frames_card(&e, &truth, 0.5);
        assert_upload_is_the_photo(&e, &shown, &format!("odd, orientation {o}"));
    }
}

#[test]
fn a_20mp_photo_s_upload_is_brought_within_the_long_side_bound() {
    // 5184 x 3888: 2592 px at 1/2, a card of about 3825 px whose region is the whole frame.
    let k = 4.32;
    let scene = Scene {
        width: 1200,
        height: 900,
        ..Scene::new(Background::Plain)
    };
    let shown = resized(&render(&scene), k);
    let e = examine(&jpeg_420(&shown, 90), Strictness::Normal).unwrap();
    assert_eq!(e.verdict.metrics.decode_path, "jpeg-scaled-1/4");
    let r = e.upload_region;
    let scale = 2560.0 / r.width.max(r.height);
    let (w, h) = assert_upload_frames_card(&e, &QUAD.map(|p| [p[0] * k, p[1] * k]), scale);
    assert_eq!(w.max(h), 2560, "{r:?}");
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
    let rgb = examine(&support::jpeg_q(&shown, 92), Strictness::Normal).unwrap();
    assert_eq!(rgb.verdict.metrics.decode_path, "jpeg-scaled-1/2");
    assert_eq!(planar.verdict.reasons, rgb.verdict.reasons);
    let (a, b) = (planar.verdict.quad.unwrap(), rgb.verdict.quad.unwrap());
    assert!(iou(&a, &b) >= 0.98, "{a:?} {b:?}");
    assert_eq!(
        assert_bare_jpeg(&planar.upload),
        assert_bare_jpeg(&rgb.upload)
    );
}
