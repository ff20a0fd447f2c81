//! The quality engine on synthetic card photos with known quads and known degradations:
//! quad IoU on clean photos (plain and textured backgrounds, header band inside the card),
//! and the right reason codes on degraded ones.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_photo::quality::{Corner, Strictness, Verdict, assess};
use okpay_rules::ErrorCode;
use support::{Background, QUAD, Scene, iou, jpeg};

fn judge(s: &Scene) -> Verdict {
    let v = assess(&jpeg(s), Strictness::Normal).unwrap();
    eprintln!(
        "reasons {:?} quad {:?} glare {:?} missing {:?}\nmetrics {:?}",
        v.reasons, v.quad, v.glare, v.missing_corners, v.metrics
    );
    v
}

fn quad_iou(v: &Verdict, truth: &[[f32; 2]; 4]) -> f32 {
    let q = v.quad.expect("a card quad");
    let i = iou(&q, truth);
    eprintln!("iou {i:.4}");
    i
}

#[test]
fn clean_card_on_plain_background_is_found_and_accepted() {
    let v = judge(&Scene::new(Background::Plain));
    assert!(quad_iou(&v, &QUAD) >= 0.95);
    assert!(v.ok, "{:?}", v.reasons);
}

#[test]
fn clean_card_on_wood_is_found_and_accepted() {
    let v = judge(&Scene::new(Background::Wood));
    assert!(quad_iou(&v, &QUAD) >= 0.95);
    assert!(v.ok, "{:?}", v.reasons);
}

#[test]
fn rotated_card_on_wood_is_found_with_corners_in_order() {
    let quad = [
        [260.0, 90.0],
        [1080.0, 230.0],
        [990.0, 740.0],
        [150.0, 600.0],
    ];
    let v = judge(&Scene {
        quad,
        ..Scene::new(Background::Wood)
    });
    assert!(quad_iou(&v, &quad) >= 0.95);
    let q = v.quad.unwrap();
    for (found, truth) in q.iter().zip(&quad) {
        assert!(
            (found[0] - truth[0]).abs() < 12.0 && (found[1] - truth[1]).abs() < 12.0,
            "{q:?}"
        );
    }
}

#[test]
fn blurred_photo_is_blurry() {
    let v = judge(&Scene {
        blur: 3.5,
        ..Scene::new(Background::Plain)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoBlurry),
        "{:?}",
        v.reasons
    );
}

#[test]
fn dark_sharp_photo_is_too_dark_not_blurry() {
    let v = judge(&Scene {
        gain: 0.2,
        ..Scene::new(Background::Wood)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoTooDark),
        "{:?}",
        v.reasons
    );
    assert!(
        !v.reasons.contains(&ErrorCode::PhotoBlurry),
        "{:?}",
        v.reasons
    );
    assert!(quad_iou(&v, &QUAD) >= 0.9);
}

#[test]
fn washed_out_photo_is_overexposed() {
    let v = judge(&Scene {
        gain: 1.5,
        offset: 40.0,
        ..Scene::new(Background::Plain)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoOverexposed),
        "{:?}",
        v.reasons
    );
}

#[test]
fn glare_spot_is_reported_where_it_is() {
    let spot = [420.0, 470.0];
    let v = judge(&Scene {
        glare: Some((spot, 40.0)),
        ..Scene::new(Background::Wood)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoGlare),
        "{:?}",
        v.reasons
    );
    assert!(v.glare.iter().any(|r| {
        (r.x..r.x + r.width).contains(&spot[0]) && (r.y..r.y + r.height).contains(&spot[1])
    }));
    assert!(quad_iou(&v, &QUAD) >= 0.95);
}

#[test]
fn shadow_across_the_card_is_uneven_light() {
    let v = judge(&Scene {
        shadow: Some(0.35),
        ..Scene::new(Background::Plain)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoShadow),
        "{:?}",
        v.reasons
    );
}

#[test]
fn cut_off_corner_is_named() {
    let quad = [
        [300.0, 170.0],
        [1215.0, 140.0],
        [1110.0, 690.0],
        [270.0, 720.0],
    ];
    let v = judge(&Scene {
        quad,
        ..Scene::new(Background::Plain)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoCornerMissing),
        "{:?}",
        v.reasons
    );
    assert_eq!(v.missing_corners, vec![Corner::TopRight]);
    assert!(quad_iou(&v, &quad) >= 0.95);
}

#[test]
fn card_running_out_of_the_frame_misses_two_corners() {
    let quad = [
        [-150.0, 150.0],
        [780.0, 100.0],
        [840.0, 650.0],
        [-80.0, 700.0],
    ];
    let v = judge(&Scene {
        quad,
        ..Scene::new(Background::Wood)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoCornerMissing),
        "{:?}",
        v.reasons
    );
    assert_eq!(v.missing_corners, vec![Corner::TopLeft, Corner::BottomLeft]);
    // The visible part of the card is what was found.
    let q = v.quad.unwrap();
    assert!(
        (q[1][0] - 780.0).abs() < 8.0 && (q[2][0] - 840.0).abs() < 8.0,
        "{q:?}"
    );
}

#[test]
fn small_card_is_too_small() {
    let quad = [
        [500.0, 300.0],
        [800.0, 290.0],
        [806.0, 480.0],
        [498.0, 488.0],
    ];
    let v = judge(&Scene {
        quad,
        ..Scene::new(Background::Plain)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoCardTooSmall),
        "{:?}",
        v.reasons
    );
    assert!(quad_iou(&v, &quad) >= 0.9);
}

#[test]
fn no_card_is_not_found() {
    let v = judge(&Scene {
        no_card: true,
        ..Scene::new(Background::Wood)
    });
    assert!(
        v.reasons.contains(&ErrorCode::PhotoCardNotFound),
        "{:?}",
        v.reasons
    );
    assert!(v.quad.is_none());
}

#[test]
fn degradations_are_caught_on_the_other_background_too() {
    let cases: [(&str, Scene, ErrorCode); 5] = [
        (
            "blur on wood",
            Scene {
                blur: 3.5,
                ..Scene::new(Background::Wood)
            },
            ErrorCode::PhotoBlurry,
        ),
        (
            "glare on plain",
            Scene {
                glare: Some(([800.0, 300.0], 30.0)),
                ..Scene::new(Background::Plain)
            },
            ErrorCode::PhotoGlare,
        ),
        (
            "shadow on wood",
            Scene {
                shadow: Some(0.35),
                ..Scene::new(Background::Wood)
            },
            ErrorCode::PhotoShadow,
        ),
        (
            "cut-off corner on wood",
            Scene {
                quad: [
                    [-40.0, 150.0],
                    [900.0, 100.0],
                    [960.0, 650.0],
                    [50.0, 700.0],
                ],
                ..Scene::new(Background::Wood)
            },
            ErrorCode::PhotoCornerMissing,
        ),
        (
            "dark on plain",
            Scene {
                gain: 0.2,
                ..Scene::new(Background::Plain)
            },
            ErrorCode::PhotoTooDark,
        ),
    ];
    for (name, scene, code) in cases {
        let v = judge(&scene);
        assert!(v.reasons.contains(&code), "{name}: {:?}", v.reasons);
        assert!(!v.ok, "{name}");
    }
}

#[test]
fn strictness_moves_the_bar() {
    // A soft shadow: fine when relaxed, uneven light when strict.
    let bytes = jpeg(&Scene {
        shadow: Some(0.5),
        ..Scene::new(Background::Plain)
    });
    let relaxed = assess(&bytes, Strictness::Relaxed).unwrap();
    let strict = assess(&bytes, Strictness::Strict).unwrap();
    eprintln!("{:?} / {:?}", relaxed.metrics.light_ratio, strict.reasons);
    assert!(relaxed.ok, "{:?}", relaxed.reasons);
    assert!(
        strict.reasons.contains(&ErrorCode::PhotoShadow),
        "{:?}",
        strict.reasons
    );
}
