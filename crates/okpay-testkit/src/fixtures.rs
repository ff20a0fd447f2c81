//! What the tests share besides a server: the seeded account, the tester-controls token,
//! valid ID numbers, and good photos of either side of a specimen ID card drawn by
//! `okpay_photo::specimen` (the one card drawer; its `Side` and `Fault` are re-exported):
//! with bars for print, or with real print that the card reader reads.

use image::{DynamicImage, ImageFormat};
use std::io::Cursor;

pub use okpay_photo::specimen::{self, CardText, Fault, Side};

/// The account [`crate::staging`] seeds.
pub const LOGIN: &str = "tester@okpay.test";
/// Its password (a throw-away test value).
pub const PASSWORD: &str = "correct-horse-9";
/// The tester-controls token (`X-Admin-Token`) of the servers [`crate::staging`] starts.
pub const ADMIN: &str = "test-admin-token-0123456789";
/// The GB 11643 example number.
pub const ID_NUMBER: &str = "11010519491231002X";

/// A valid ID number from a 17-digit body (appends the check character).
pub fn with_check(body: &str) -> String {
    let mut b = [0u8; 17];
    b.copy_from_slice(body.as_bytes());
    format!("{body}{}", okpay_rules::validate::check_char(&b) as char)
}

/// A good photo of one side of the specimen card, as JPEG; `variant` makes a retake that
/// differs.
pub fn card_jpeg(side: Side, variant: u32) -> Vec<u8> {
    specimen::photo_jpeg(side, Fault::None, variant)
}

/// The same photo as PNG.
pub fn card_png(side: Side, variant: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(specimen::photo(side, Fault::None, variant))
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("encode");
    out
}

/// What a card issued on 2016-05-01 to the holder of `id_number` (a valid 18-character
/// number) called `name` says: birth date and sex from the number, ten or twenty years of
/// validity by the age at issue, an address and authority of Beijing.
pub fn card_text(name: &str, id_number: &str) -> CardText {
    let digits = |r: std::ops::Range<usize>| -> i32 {
        id_number.get(r).and_then(|s| s.parse().ok()).unwrap_or(1)
    };
    let month = |r| u8::try_from(digits(r)).unwrap_or(1);
    let birth = (digits(6..10), month(10..12), month(12..14));
    let age = 2016 - birth.0 - i32::from((5, 1) < (birth.1, birth.2));
    let valid_to = match age {
        ..=15 => "2021.05.01",
        16..=25 => "2026.05.01",
        26..=45 => "2036.05.01",
        _ => "长期",
    };
    CardText {
        name: name.to_owned(),
        sex: if digits(16..17) % 2 == 1 {
            "男"
        } else {
            "女"
        }
        .to_owned(),
        ethnicity: "汉".to_owned(),
        birth,
        address: "北京市朝阳区建国路88号2单元".to_owned(),
        id_number: id_number.to_owned(),
        authority: "北京市公安局朝阳分局".to_owned(),
        valid_from: "2016.05.01".to_owned(),
        valid_to: valid_to.to_owned(),
    }
}

/// A good photo of one side of the card saying `text`, with real print, as JPEG.
pub fn printed_jpeg(side: Side, text: &CardText) -> Vec<u8> {
    let fonts = specimen::Fonts::system()
        .expect("no CJK font: scripts/deps.sh installs fonts-wqy-microhei");
    let scene = specimen::Scene {
        side,
        ..specimen::Scene::new(specimen::Background::Wood)
    };
    specimen::jpeg(
        &specimen::Printed::new(side, text, &fonts, 0).render(&scene),
        92,
    )
}
