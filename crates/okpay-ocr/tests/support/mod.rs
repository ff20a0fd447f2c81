//! What the card reader's tests share: random but realistic card texts (names of two to four
//! characters, rare characters, minority names with ·, valid numbers, every validity form)
//! and specimen photos of them from `okpay_photo::specimen`, and the models from
//! `$OKPAY_OCR_MODELS`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod accuracy;
pub mod cards;

use okpay_ocr::Models;
use okpay_photo::specimen::{Background, CardText, Fonts, Printed, Scene, Side};
use std::sync::OnceLock;

/// The models, loaded once per test binary.
pub fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        Models::from_env().unwrap_or_else(|e| panic!("{e} (scripts/deps.sh installs them)"))
    })
}

/// The system's CJK fonts, loaded once.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        Fonts::system().expect("no CJK font: scripts/deps.sh installs fonts-wqy-microhei")
    })
}

/// A JPEG photo of `side` of the card saying `text`, as placed by `scene`.
pub fn photo(text: &CardText, side: Side, scene: &Scene, font: usize) -> Vec<u8> {
    let printed = Printed::new(side, text, fonts(), font);
    okpay_photo::specimen::jpeg(&printed.render(scene), 92)
}

/// A plain scene on wood.
pub fn wood() -> Scene {
    Scene::new(Background::Wood)
}
