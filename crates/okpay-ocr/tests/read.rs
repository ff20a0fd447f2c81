//! Reading drawn cards end to end: the photo engine finds the card, the reader names the side
//! and reads the fields, upside down too; other things are no side, never an error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_ocr::{CardSide, Checked, Outcome, Typed, cross_check};
use okpay_photo::specimen::{Background, CardText, Scene, Side};
use okpay_rules::validate::Date;
use support::cards::{self, Rng};
use support::{fonts, models, photo, wood};

fn text() -> CardText {
    CardText {
        name: "张三丰".into(),
        sex: "男".into(),
        ethnicity: "汉".into(),
        birth: (1990, 3, 7),
        address: "北京市朝阳区建国路88号2单元".into(),
        id_number: "110105199003070033".into(),
        authority: "北京市公安局朝阳分局".into(),
        valid_from: "2016.05.01".into(),
        valid_to: "2036.05.01".into(),
    }
}

fn field(
    r: &okpay_ocr::Reading,
    get: fn(&okpay_ocr::Fields) -> &Option<okpay_ocr::Field>,
) -> String {
    get(&r.fields)
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

#[test]
fn both_sides_of_a_drawn_card_are_read_field_by_field() {
    let t = text();
    let p = models()
        .read_photo(&photo(&t, Side::Portrait, &wood(), 0))
        .unwrap();
    assert_eq!(p.side, CardSide::Portrait);
    assert_eq!(field(&p, |f| &f.name), "张三丰");
    assert_eq!(field(&p, |f| &f.sex), "男");
    assert_eq!(field(&p, |f| &f.ethnicity), "汉");
    assert_eq!(field(&p, |f| &f.birth), "1990-03-07");
    assert_eq!(field(&p, |f| &f.id_number), "110105199003070033");
    assert_eq!(field(&p, |f| &f.address), "北京市朝阳区建国路88号2单元");
    // The number's box lies in the card's lower half on the photo.
    let b = p
        .fields
        .id_number
        .as_ref()
        .map(|f| f.bbox)
        .unwrap_or_default();
    assert!(b[1] > 400.0 && b[1] < 700.0 && b[2] > 200.0, "{b:?}");

    let e = models()
        .read_photo(&photo(&t, Side::Emblem, &wood(), 0))
        .unwrap();
    assert_eq!(e.side, CardSide::Emblem);
    assert_eq!(field(&e, |f| &f.authority), "北京市公安局朝阳分局");
    assert_eq!(field(&e, |f| &f.valid_from), "2016-05-01");
    assert_eq!(field(&e, |f| &f.valid_to), "2036-05-01");

    let typed = Typed {
        name: "张三风",
        id_number: "110105199003070033",
        validity: None,
    };
    let today = Date::new(2026, 12, 7).unwrap();
    let checks = cross_check(&typed, Some(&p), Some(&e), today, &|c| models().knows(c));
    let name = checks.iter().find(|c| c.checked == Checked::Name).unwrap();
    assert!(
        matches!(&name.outcome, Outcome::Mismatch { read, .. } if read == "张三丰"),
        "{checks:?}"
    );
    let number = checks
        .iter()
        .find(|c| c.checked == Checked::IdNumber)
        .unwrap();
    assert_eq!(number.outcome, Outcome::Match);
}

#[test]
fn an_upside_down_card_is_read_and_said_to_be() {
    let t = text();
    let quad = okpay_photo::specimen::QUAD;
    // The same place, corners taken half a turn round: the card lies upside down.
    let scene = Scene {
        quad: [quad[2], quad[3], quad[0], quad[1]],
        ..wood()
    };
    let r = models()
        .read_photo(&photo(&t, Side::Portrait, &scene, 0))
        .unwrap();
    assert_eq!(r.side, CardSide::Portrait);
    assert!(r.upside_down);
    assert_eq!(field(&r, |f| &f.id_number), "110105199003070033");
}

#[test]
fn what_is_not_an_id_card_is_no_side() {
    // The procedural specimen has bars for text: a card, but nothing to read.
    let bars =
        okpay_photo::specimen::photo_jpeg(Side::Portrait, okpay_photo::specimen::Fault::None, 0);
    assert_eq!(models().read_photo(&bars).unwrap().side, CardSide::Unknown);
    // A blank table.
    let empty = Scene {
        no_card: true,
        ..Scene::new(Background::Plain)
    };
    let bytes = okpay_photo::specimen::jpeg(&okpay_photo::specimen::render(&empty), 90);
    assert_eq!(models().read_photo(&bytes).unwrap().side, CardSide::Unknown);
    // Not an image at all: the photo's own code.
    let e = models().read_photo(b"not a photo").unwrap_err();
    assert_eq!(e.code(), okpay_rules::ErrorCode::PhotoUnsupportedFormat);
}

#[test]
fn random_cards_in_several_fonts_read_right() {
    let mut rng = Rng::new(11);
    for i in 0..4 {
        let t = cards::card(&mut rng, fonts());
        let r = models()
            .read_photo(&photo(&t, Side::Portrait, &wood(), i))
            .unwrap();
        assert_eq!(field(&r, |f| &f.id_number), t.id_number, "font {i}");
    }
}
