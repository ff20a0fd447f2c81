//! Specimen ID-card photos drawn in code, for tests and demos across the workspace (feature
//! `specimen`): a [`Scene`] places either face of a card by a known quad, under perspective,
//! on a plain, wooden or busy background, with the faults a phone photo can have (blur, glare,
//! darkness, shadow, a cut-off corner); [`photo`] names the common cases, and [`Printed`]
//! gives a card real print in CJK fonts for the card reader. No real person's
//! data and nothing binary in the repository.

mod face;
mod printed;
mod render;
mod rng;

pub use printed::{CardText, FONT_FILES, Fonts, Printed};
pub use render::render;
pub use rng::Rng;

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

/// Frame width of a scene: larger than the smallest photo the app accepts.
pub const WIDTH: u32 = 1200;
/// Frame height of a scene.
pub const HEIGHT: u32 = 800;

/// A card under mild perspective filling about half the frame (TL, TR, BR, BL).
pub const QUAD: [[f32; 2]; 4] = [
    [170.0, 150.0],
    [1040.0, 118.0],
    [1062.0, 676.0],
    [148.0, 690.0],
];

/// What the card lies on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Background {
    Plain,
    Wood,
    /// A cluttered desk: overlapping sheets of varied colour with print on some.
    Busy,
}

/// Which face of the card is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Portrait,
    Emblem,
}

/// A straight-edged cast shadow (a hand or the phone between the light and the card).
#[derive(Clone, Copy, Debug)]
pub struct Shade {
    pub a: [f32; 2],
    pub b: [f32; 2],
    pub level: f32,
    pub soft: f32,
}

/// Everything a specimen photo is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct Scene {
    /// Where the card's corners land in the frame (TL, TR, BR, BL).
    pub quad: [[f32; 2]; 4],
    pub background: Background,
    /// Multiply all light by this.
    pub gain: f32,
    /// Added to all light after the gain.
    pub offset: f32,
    /// Gaussian blur sigma in pixels (0 = none).
    pub blur: f32,
    /// A saturated glare spot: centre and radius.
    pub glare: Option<([f32; 2], f32)>,
    /// Light falling from `shadow` (left) to 1.0 (right) across the frame.
    pub shadow: Option<f32>,
    /// A cast shadow: light times `level` on the right of the line from `a` to `b` (as seen
    /// walking from a to b on the image, y down), easing in over `soft` pixels.
    pub shade: Option<Shade>,
    /// Draw no card at all.
    pub no_card: bool,
    pub side: Side,
    /// Small printed details that tell retakes apart (0 = none).
    pub variant: u32,
    /// Frame size in pixels.
    pub width: u32,
    pub height: u32,
}

impl Scene {
    /// The portrait side at [`QUAD`] on `background`, in good light, nothing wrong.
    pub fn new(background: Background) -> Scene {
        Scene {
            quad: QUAD,
            background,
            gain: 1.0,
            offset: 0.0,
            blur: 0.0,
            glare: None,
            shadow: None,
            shade: None,
            no_card: false,
            side: Side::Portrait,
            variant: 0,
            width: WIDTH,
            height: HEIGHT,
        }
    }
}

/// What is wrong with a [`photo`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// A good photo.
    None,
    /// Out of focus: a Gaussian blur of this sigma in pixels.
    Blur(f32),
    /// A saturated flash reflection on the card's upper right.
    Glare,
    /// Taken in poor light: every value scaled down to a fifth.
    Dark,
    /// The card shifted so its right side leaves the frame (two corners cut off).
    CornerCut,
}

/// The scene of a phone photo of `side` on a wooden table with `fault`; `variant` changes a
/// printed detail so that retakes differ.
pub fn scene(side: Side, fault: Fault, variant: u32) -> Scene {
    let mut s = Scene {
        side,
        variant,
        ..Scene::new(Background::Wood)
    };
    match fault {
        Fault::None => {}
        Fault::Blur(sigma) => s.blur = sigma,
        Fault::Glare => s.glare = Some(([860.0, 260.0], 60.0)),
        Fault::Dark => s.gain = 0.2,
        Fault::CornerCut => s.quad = QUAD.map(|[x, y]| [x + 260.0, y]),
    }
    s
}

/// [`scene`] rendered.
pub fn photo(side: Side, fault: Fault, variant: u32) -> RgbImage {
    render(&scene(side, fault, variant))
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

    #[test]
    fn each_fault_is_named_first() {
        let cases = [
            (Side::Portrait, Fault::Blur(4.0), ErrorCode::PhotoBlurry),
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
