//! Specimen ID-card photos drawn in code, for tests and demos across the workspace (feature
//! `specimen`): a [`Scene`] places either face of a card by a known quad, under perspective,
//! on a plain, wooden, busy, ruled or striped background, with the faults a phone photo can have (blur, glare,
//! darkness, shadow, a cut-off corner); [`photo`] names the common cases, and [`Printed`]
//! gives a card real print in CJK fonts for the card reader. No real person's
//! data and nothing binary in the repository.

mod background;
mod face;
mod printed;
mod render;
mod rng;
mod scene;

pub use printed::{CardText, FONT_FILES, Fonts, Printed};
pub use render::render;
pub use rng::Rng;
pub use scene::{Background, HEIGHT, QUAD, Scene, Shade, Side, WIDTH};

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

/// What is wrong with a [`photo`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// A good photo.
    None,
    /// Out of focus: a Gaussian blur of this sigma in pixels.
    Blur(f32),
    /// Moved during the exposure: a motion blur over this fraction of the card's width, at
    /// this angle in degrees.
    Motion(f32, f32),
    /// A saturated flash reflection on the card's upper right.
    Glare,
    /// Taken in poor light: every value scaled down to a fifth.
    Dark,
    /// The card shifted so its right side leaves the frame (two corners cut off).
    CornerCut,
}

/// The scene of a phone photo of `side` on a wooden table with `fault`; `variant` changes a
/// printed detail so that retakes differ.
pub fn shot(side: Side, fault: Fault, variant: u32) -> Scene {
    let mut s = Scene {
        side,
        variant,
        ..Scene::new(Background::Wood)
    };
    match fault {
        Fault::None => {}
        Fault::Blur(sigma) => s.blur = sigma,
        Fault::Motion(fraction, angle) => {
            let card_width = QUAD[1][0] - QUAD[0][0];
            s.motion = Some((fraction * card_width, angle));
        }
        Fault::Glare => s.glare = Some(([860.0, 260.0], 60.0)),
        Fault::Dark => s.gain = 0.2,
        Fault::CornerCut => s.quad = QUAD.map(|[x, y]| [x + 260.0, y]),
    }
    s
}

/// [`shot`] rendered.
pub fn photo(side: Side, fault: Fault, variant: u32) -> RgbImage {
    render(&shot(side, fault, variant))
}

/// Encode as a baseline JPEG of `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding into a Vec cannot fail for an RgbImage; an empty Vec would fail any test.
    let _ = JpegEncoder::new_with_quality(&mut out, quality).encode_image(img);
    out
}

/// [`photo`] as a JPEG at quality 92.
pub fn photo_jpeg(side: Side, fault: Fault, variant: u32) -> Vec<u8> {
    jpeg(&photo(side, fault, variant), 92)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::quality::{Strictness, assess};
    use okpay_rules::ErrorCode;

    fn reasons(side: Side, fault: Fault) -> Vec<ErrorCode> {
        let v = assess(&photo_jpeg(side, fault, 0), Strictness::Normal).unwrap();
        v.reasons
    }

    #[test]
    fn good_photos_of_both_sides_pass() {
        for side in [Side::Portrait, Side::Emblem] {
            for variant in 0..4 {
                let v =
                    assess(&photo_jpeg(side, Fault::None, variant), Strictness::Normal).unwrap();
                assert!(v.ok, "{side:?} {variant}: {:?} {:?}", v.reasons, v.metrics);
            }
        }
    }

    /// A card moved during the exposure by 3 to 8 % of its width, in any direction, on a
    /// plain, a textured or a busy table, is called blurry.
    #[test]
    fn motion_blur_in_any_direction_is_blurry() {
        for background in [Background::Plain, Background::Wood, Background::Busy] {
            for fraction in [0.03, 0.05, 0.08] {
                for angle in [0.0, 30.0, 45.0, 90.0, 135.0] {
                    let mut scene = shot(Side::Portrait, Fault::Motion(fraction, angle), 0);
                    scene.background = background;
                    let bytes = jpeg(&render(&scene), 92);
                    let v = assess(&bytes, Strictness::Normal).unwrap();
                    assert!(
                        v.reasons.contains(&ErrorCode::PhotoBlurry),
                        "{background:?} {fraction} {angle}: {:?} {:?}",
                        v.reasons,
                        v.metrics
                    );
                }
            }
        }
    }

    fn printed(side: Side) -> Printed {
        let fonts =
            Fonts::system().expect("no CJK font: scripts/deps.sh installs fonts-wqy-microhei");
        let text = CardText::specimen();
        Printed::new(side, &text, &fonts, 0)
    }

    /// The card with real print moved along a slant passed as sharp when blur was measured
    /// along x and y only (0.46 to 0.50 against 0.50): the smeared print keeps fine detail
    /// across both axes. Along the motion it is plainly blurred; sharp, it still passes.
    #[test]
    fn motion_blur_of_a_printed_card_is_blurry() {
        use Background::{Busy, Plain, Wood};
        let cases = [
            (Side::Portrait, Plain, 0.04, 30.0, 92),
            (Side::Portrait, Wood, 0.03, 135.0, 92),
            (Side::Portrait, Busy, 0.05, 30.0, 75),
            (Side::Emblem, Plain, 0.04, 45.0, 92),
            (Side::Emblem, Wood, 0.04, 135.0, 92),
            (Side::Emblem, Busy, 0.06, 30.0, 75),
            (Side::Emblem, Busy, 0.05, 135.0, 75),
            (Side::Emblem, Busy, 0.08, 45.0, 92),
        ];
        for side in [Side::Portrait, Side::Emblem] {
            let face = printed(side);
            for background in [Plain, Wood, Busy] {
                let scene = Scene::new(background);
                let v = assess(&jpeg(&face.render(&scene), 80), Strictness::Normal).unwrap();
                // Only blur is judged here (the card finder may miss it on the busy desk).
                assert!(
                    !v.reasons.contains(&ErrorCode::PhotoBlurry),
                    "{side:?} {background:?}: {:?} {:?}",
                    v.reasons,
                    v.metrics
                );
            }
            for &(_, background, fraction, angle, quality) in cases.iter().filter(|c| c.0 == side) {
                let mut scene = shot(side, Fault::Motion(fraction, angle), 0);
                scene.background = background;
                let bytes = jpeg(&face.render(&scene), quality);
                let v = assess(&bytes, Strictness::Normal).unwrap();
                assert!(
                    v.reasons.contains(&ErrorCode::PhotoBlurry),
                    "{side:?} {background:?} {fraction} {angle} q{quality}: {:?} {:?}",
                    v.reasons,
                    v.metrics
                );
            }
        }
    }

    /// A whole card on a striped tablecloth, in the cases the finder gets right today:
    /// found where it is and accepted. Ruled paper and the other stripings are known gaps
    /// (`docs/photo-engine.md`, 2026-12-08).
    #[test]
    fn cards_on_some_striped_backgrounds_are_found() {
        let cases = [
            ((24, 30, 2), Side::Portrait),
            ((24, 30, 2), Side::Emblem),
            ((40, 30, 1), Side::Emblem),
            ((40, 45, 2), Side::Portrait),
            ((64, 30, 2), Side::Portrait),
        ];
        for ((width, angle, tone), side) in cases {
            let background = Background::Striped { width, angle, tone };
            let scene = Scene {
                side,
                ..Scene::new(background)
            };
            let v = assess(&jpeg(&render(&scene), 90), Strictness::Normal).unwrap();
            let found = v
                .quad
                .map_or(0.0, |q| crate::quality::quad::iou(&q, &scene.quad));
            assert!(
                v.ok && found >= 0.9,
                "{background:?} {side:?}: IoU {found:.3} {:?}",
                v.reasons
            );
        }
    }

    #[test]
    fn each_fault_is_named_first() {
        let cases = [
            (Side::Portrait, Fault::Blur(4.0), ErrorCode::PhotoBlurry),
            (
                Side::Portrait,
                Fault::Motion(0.03, 45.0),
                ErrorCode::PhotoBlurry,
            ),
            (Side::Emblem, Fault::Glare, ErrorCode::PhotoGlare),
            (Side::Portrait, Fault::Dark, ErrorCode::PhotoTooDark),
            (
                Side::Emblem,
                Fault::CornerCut,
                ErrorCode::PhotoCornerMissing,
            ),
        ];
        for (side, fault, code) in cases {
            assert_eq!(
                reasons(side, fault).first(),
                Some(&code),
                "{side:?} {fault:?}"
            );
        }
    }
}
