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
    use okpay_rules::validate::validity::{Term, expected_term};
    use okpay_rules::validate::{Date, IdKind, Policy, Sex, analyze};
    let issued = Date::new(2016, 5, 1).expect("a date");
    let report = analyze(id_number, Date::today_china(), &Policy::default());
    let (Some(born), Some(sex)) = (report.birth, report.sex) else {
        panic!("card_text needs a valid ID number, not {id_number:?}");
    };
    let kind = report.kind.unwrap_or(IdKind::Resident);
    let valid_to = match expected_term(kind, born.age_on(issued)) {
        Term::Years(n) => format!("{}.05.01", 2016 + i32::from(n)),
        Term::LongTerm => "长期".to_owned(),
    };
    CardText {
        name: name.to_owned(),
        sex: match sex {
            Sex::Male => "男",
            Sex::Female => "女",
        }
        .to_owned(),
        ethnicity: "汉".to_owned(),
        birth: (born.year(), born.month(), born.day()),
        address: "北京市朝阳区建国路88号2单元".to_owned(),
        id_number: id_number.to_owned(),
        authority: "北京市公安局朝阳分局".to_owned(),
        valid_from: "2016.05.01".to_owned(),
        valid_to,
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
