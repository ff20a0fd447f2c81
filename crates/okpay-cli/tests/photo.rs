//! `okpay check-photo` and `okpay check-pair` on specimen photos: one JSON object per file with
//! the reasons, metrics, card quad and CPU milliseconds; annotated PNGs; strictness levels;
//! the same shot for both sides refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_testkit::fixtures::specimen::{self, Fault, Side};
use support::{json_lines, okpay};

fn write(dir: &std::path::Path, name: &str, bytes: Vec<u8>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn check_photo_reports_each_file_with_reasons_quad_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.jpg",
        specimen::photo_jpeg(Side::Portrait, Fault::None, 0),
    );
    let blurred = write(
        dir.path(),
        "blurred.jpg",
        specimen::photo_jpeg(Side::Portrait, Fault::Blur(4.0), 0),
    );
    let cut = write(
        dir.path(),
        "cut.jpg",
        specimen::photo_jpeg(Side::Emblem, Fault::CornerCut, 0),
    );
    let out = okpay(
        &[
            "--json",
            "check-photo",
            "--side",
            "portrait",
            &good,
            &blurred,
            &cut,
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused photo fails the command"
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 3);
    assert_eq!(
        (v[0]["file"].as_str(), v[0]["ok"].as_bool()),
        (Some(good.as_str()), Some(true))
    );
    assert_eq!(v[0]["side"], "portrait");
    assert_eq!(v[0]["reasons"].as_array().map(Vec::len), Some(0));
    let quad = v[0]["quad"].as_array().unwrap();
    assert_eq!(quad.len(), 4);
    // The card's top-left corner, within a few pixels of where it was drawn.
    let tl = (quad[0][0].as_f64().unwrap(), quad[0][1].as_f64().unwrap());
    let truth = specimen::QUAD[0];
    assert!(
        (tl.0 - f64::from(truth[0])).abs() < 12.0 && (tl.1 - f64::from(truth[1])).abs() < 12.0,
        "{tl:?}"
    );
    assert!(v[0]["ms"].as_f64().unwrap() > 0.0);
    assert!(v[0]["metrics"]["blur"].is_number());
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["reasons"][0], "PHOTO_BLURRY");
    assert_eq!(v[2]["reasons"][0], "PHOTO_CORNER_MISSING");
    let missing: Vec<&str> = v[2]["missing_corners"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(missing, ["top_right", "bottom_right"]);
}

#[test]
fn check_photo_draws_annotated_pngs() {
    let dir = tempfile::tempdir().unwrap();
    let glare = write(
        dir.path(),
        "glare.jpg",
        specimen::photo_jpeg(Side::Emblem, Fault::Glare, 0),
    );
    let out_dir = dir.path().join("annotated");
    let out = okpay(
        &[
            "--json",
            "check-photo",
            "--annotate",
            out_dir.to_str().unwrap(),
            &glare,
        ],
        "",
    );
    let v = json_lines(&out);
    assert_eq!(v[0]["reasons"][0], "PHOTO_GLARE");
    assert!(!v[0]["glare"].as_array().unwrap().is_empty());
    let png = std::fs::read(out_dir.join("glare.annotated.png")).unwrap();
    assert_eq!(image::guess_format(&png).unwrap(), image::ImageFormat::Png);
    assert_eq!(
        v[0]["annotated"],
        out_dir.join("glare.annotated.png").to_str().unwrap()
    );
}

#[test]
fn strictness_levels_change_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    // Slightly soft: passes when relaxed, refused when strict.
    let soft = write(
        dir.path(),
        "soft.jpg",
        specimen::photo_jpeg(Side::Portrait, Fault::Blur(1.6), 0),
    );
    let verdict = |level: &str| {
        let out = okpay(&["--json", "check-photo", "--strictness", level, &soft], "");
        json_lines(&out)[0]["metrics"]["blur"]
            .as_f64()
            .map(|b| (b, json_lines(&out)[0]["ok"].as_bool()))
    };
    let relaxed = verdict("relaxed").unwrap();
    let strict = verdict("strict").unwrap();
    assert_eq!(
        relaxed.0, strict.0,
        "the same measurement, judged differently"
    );
    assert!(
        relaxed.1.unwrap() || !strict.1.unwrap(),
        "strict never passes what relaxed refuses"
    );
    let bad = okpay(&["check-photo", "--strictness", "lenient", &soft], "");
    assert!(!bad.status.success());
}

#[test]
fn check_pair_refuses_the_same_shot_for_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let front = write(
        dir.path(),
        "front.jpg",
        specimen::photo_jpeg(Side::Portrait, Fault::None, 0),
    );
    let back = write(
        dir.path(),
        "back.jpg",
        specimen::photo_jpeg(Side::Emblem, Fault::None, 0),
    );
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(specimen::photo(Side::Portrait, Fault::None, 0))
        .resize(700, 450, image::imageops::FilterType::Triangle)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let front_again = write(dir.path(), "front-small.png", png);

    let ok = okpay(&["--json", "check-pair", &front, &back], "");
    assert!(ok.status.success());
    assert_eq!(json_lines(&ok)[0]["ok"], true);

    let dup = okpay(&["--json", "check-pair", &front, &front_again], "");
    assert_eq!(dup.status.code(), Some(1));
    let v = json_lines(&dup);
    assert_eq!(v[0]["reasons"][0], "PHOTO_DUPLICATE_SIDES");
    assert!(v[0]["distance"].as_u64().unwrap() < json_lines(&ok)[0]["distance"].as_u64().unwrap());
}
