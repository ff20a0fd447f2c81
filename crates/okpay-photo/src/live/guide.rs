//! One line of guidance per frame: the first thing to fix, in the order a person fixes them
//! (find the card, get all of it in, come closer, light, glare, hold still), and the card's
//! outline to draw over the video. The resolution check is left to the still: a frame is
//! small on purpose.

use crate::codec::analysis::Analysis;
use crate::quality::{Strictness, assess_analysis};
use okpay_rules::ErrorCode;
use serde::Serialize;

/// What the person holding the camera should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    /// No card in view.
    NoCard,
    /// A corner is out of the frame: move the card (or the camera) so all of it shows.
    FitCard,
    /// The card is too small in the frame.
    MoveCloser,
    TooDark,
    TooBright,
    /// A reflection on the card: tilt it.
    Glare,
    /// The picture is smeared, or the card moves between frames.
    HoldStill,
    /// A shadow across the card.
    Shadow,
    /// All good: keep it there a moment.
    Steady,
}

/// The order fixes are asked for, each with the check that asks for it.
const ORDER: [(ErrorCode, Guidance); 8] = [
    (ErrorCode::PhotoCardNotFound, Guidance::NoCard),
    (ErrorCode::PhotoCornerMissing, Guidance::FitCard),
    (ErrorCode::PhotoCardTooSmall, Guidance::MoveCloser),
    (ErrorCode::PhotoTooDark, Guidance::TooDark),
    (ErrorCode::PhotoOverexposed, Guidance::TooBright),
    (ErrorCode::PhotoGlare, Guidance::Glare),
    (ErrorCode::PhotoBlurry, Guidance::HoldStill),
    (ErrorCode::PhotoShadow, Guidance::Shadow),
];

/// A judged frame: the card's corners (TL, TR, BR, BL) in frame pixels when found, and the
/// one thing to say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub quad: Option<[[f32; 2]; 4]>,
    pub guidance: Guidance,
}

impl Look {
    /// Nothing left to fix in this frame.
    pub fn good(&self) -> bool {
        self.guidance == Guidance::Steady
    }
}

/// Judge a frame at `normal` strictness (the strictness the app takes photos at).
pub fn look(a: &Analysis) -> Look {
    let v = assess_analysis(a, Strictness::Normal);
    let guidance = ORDER
        .iter()
        .find(|(code, _)| v.reasons.contains(code))
        .map_or(Guidance::Steady, |(_, g)| *g);
    Look {
        quad: v.quad,
        guidance,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::live::frame_analysis;
    use crate::specimen::{self, Fault, QUAD, Scene, Side};

    /// `scene` in a 4:3 frame (drawn at 1200 x 900, the card 50 px lower) downscaled to
    /// 640 x 480, as a canvas gives a camera's frame.
    pub(crate) fn frame(mut scene: Scene) -> Analysis {
        scene.height = 900;
        scene.quad = scene.quad.map(|[x, y]| [x, y + 50.0]);
        scene.glare = scene.glare.map(|([x, y], r)| ([x, y + 50.0], r));
        let rgb = specimen::render(&scene);
        let small = image::imageops::resize(&rgb, 640, 480, image::imageops::FilterType::Triangle);
        let rgba: Vec<u8> = small
            .as_raw()
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        frame_analysis(&rgba, 640, 480).unwrap()
    }

    /// [`QUAD`] in the frame of [`frame`].
    fn frame_quad(q: [[f32; 2]; 4]) -> [[f32; 2]; 4] {
        let s = 640.0 / 1200.0;
        q.map(|[x, y]| [x * s, (y + 50.0) * s])
    }

    fn says(fault: Fault) -> Guidance {
        look(&frame(specimen::shot(Side::Portrait, fault, 0))).guidance
    }

    #[test]
    fn a_good_frame_is_steady_and_outlined_where_the_card_is() {
        for side in [Side::Portrait, Side::Emblem] {
            let l = look(&frame(specimen::shot(side, Fault::None, 1)));
            assert_eq!(l.guidance, Guidance::Steady, "{side:?}");
            let want = frame_quad(QUAD);
            let got = l.quad.unwrap();
            assert!(crate::quality::quad::iou(&got, &want) > 0.9, "{got:?}");
        }
    }

    #[test]
    fn each_fault_gets_its_guidance() {
        let cut = look(&frame(specimen::shot(Side::Emblem, Fault::CornerCut, 0)));
        assert_eq!(cut.guidance, Guidance::FitCard, "{:?}", cut.quad);
        assert_eq!(says(Fault::Glare), Guidance::Glare);
        assert_eq!(says(Fault::Dark), Guidance::TooDark);
        assert_eq!(says(Fault::Blur(4.0)), Guidance::HoldStill);
        let mut empty = Scene::new(specimen::Background::Wood);
        empty.no_card = true;
        let l = look(&frame(empty));
        assert_eq!(l.guidance, Guidance::NoCard, "{:?}", l.quad);
        let mut far = specimen::shot(Side::Emblem, Fault::None, 0);
        far.background = specimen::Background::Plain;
        let c = [600.0, 400.0];
        far.quad = QUAD.map(|[x, y]| [c[0] + (x - c[0]) * 0.55, c[1] + (y - c[1]) * 0.55]);
        assert_eq!(look(&frame(far)).guidance, Guidance::MoveCloser);
    }
}
