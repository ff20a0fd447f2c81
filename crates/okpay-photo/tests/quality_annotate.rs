//! The annotated PNG: it decodes, fits the asked size, and shows the quad in the verdict's
//! colour along the card's sides, glare boxes in amber and missing corners in red.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use image::RgbImage;
use okpay_photo::quality::annotate::{self, BAD_RED, GLARE_AMBER, OK_GREEN};
use okpay_photo::quality::{Strictness, Verdict, assess};
use support::{Background, Scene, jpeg};

fn annotated(bytes: &[u8], v: &Verdict, long_side: u32) -> RgbImage {
    let png = annotate::render(bytes, v, long_side).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    image::load_from_memory(&png).unwrap().to_rgb8()
}

/// Whether `colour` is within one pixel of `(x, y)`.
fn near(img: &RgbImage, x: f32, y: f32, colour: [u8; 3]) -> bool {
    let (x, y) = (x.round() as i64, y.round() as i64);
    (-1..=1).any(|dy| {
        (-1..=1).any(|dx| {
            let (px, py) = (x + dx, y + dy);
            px >= 0
                && py >= 0
                && (px as u32) < img.width()
                && (py as u32) < img.height()
                && img.get_pixel(px as u32, py as u32).0 == colour
        })
    })
}

/// Share of points sampled along the quad's sides (inside the view) showing `colour`.
fn quad_coverage(img: &RgbImage, q: &[[f32; 2]; 4], s: f32, colour: [u8; 3]) -> f32 {
    let (mut hit, mut n) = (0, 0);
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        for k in 0..50 {
            let t = k as f32 / 50.0;
            let (x, y) = (
                (a[0] + (b[0] - a[0]) * t) * s,
                (a[1] + (b[1] - a[1]) * t) * s,
            );
            if x < 0.0 || y < 0.0 || x > img.width() as f32 - 1.0 || y > img.height() as f32 - 1.0 {
                continue;
            }
            n += 1;
            hit += usize::from(near(img, x, y, colour));
        }
    }
    hit as f32 / n.max(1) as f32
}

#[test]
fn accepted_photo_gets_a_green_quad_at_the_asked_size() {
    let bytes = jpeg(&Scene::new(Background::Wood));
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert!(v.ok, "{:?}", v.reasons);
    let img = annotated(&bytes, &v, 600);
    assert_eq!((img.width(), img.height()), (600, 400));
    let cover = quad_coverage(&img, &v.quad.unwrap(), 0.5, OK_GREEN);
    assert!(cover > 0.95, "{cover}");
    assert!(!img.pixels().any(|p| p.0 == BAD_RED));
}

#[test]
fn glare_box_is_amber_and_the_quad_red() {
    let bytes = jpeg(&Scene {
        glare: Some(([420.0, 470.0], 40.0)),
        ..Scene::new(Background::Wood)
    });
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert!(!v.ok && !v.glare.is_empty(), "{:?}", v.reasons);
    // Not downscaled: the photo is already within the long side.
    let img = annotated(&bytes, &v, 4000);
    assert_eq!((img.width(), img.height()), (1200, 800));
    assert!(quad_coverage(&img, &v.quad.unwrap(), 1.0, BAD_RED) > 0.95);
    let g = v.glare[0];
    for (x, y) in [(g.x, g.y), (g.x + g.width, g.y + g.height)] {
        assert!(near(&img, x, y, GLARE_AMBER), "glare corner {x},{y}");
    }
}

#[test]
fn missing_corner_is_marked_at_the_frame_edge() {
    let quad = [
        [300.0, 170.0],
        [1215.0, 140.0],
        [1110.0, 690.0],
        [270.0, 720.0],
    ];
    let bytes = jpeg(&Scene {
        quad,
        ..Scene::new(Background::Plain)
    });
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert!(!v.missing_corners.is_empty(), "{:?}", v.reasons);
    let img = annotated(&bytes, &v, 800);
    let s = 800.0 / 1200.0;
    assert!(quad_coverage(&img, &v.quad.unwrap(), s, BAD_RED) > 0.9);
    // The top-right corner is off the right edge: a ring (radius 20, stroke 3.2 at this size)
    // centred at the edge, inset by radius + stroke, at the corner's height.
    let q = v.quad.unwrap();
    assert!(q[1][0] * s > 800.0);
    let (r, pad) = (20.0, 23.2);
    let c = [800.0 - 1.0 - pad, q[1][1] * s];
    assert!(near(&img, c[0], c[1] + r, BAD_RED), "ring below its centre");
    assert!(
        near(&img, c[0] - r, c[1], BAD_RED),
        "ring left of its centre"
    );
    assert!(
        !near(&img, c[0], c[1] + r / 2.0, BAD_RED),
        "a ring, not a disc"
    );
}

#[test]
fn no_card_gets_a_red_frame() {
    let bytes = jpeg(&Scene {
        no_card: true,
        ..Scene::new(Background::Wood)
    });
    let v = assess(&bytes, Strictness::Normal).unwrap();
    assert!(v.quad.is_none());
    let img = annotated(&bytes, &v, 300);
    assert_eq!(img.get_pixel(0, 0).0, BAD_RED);
    assert_eq!(img.get_pixel(299, 199).0, BAD_RED);
    assert!(annotate::render(b"junk", &v, 300).is_err());
}
