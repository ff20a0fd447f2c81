//! `okpay read-card` on specimen cards with real print: one JSON object per file with the side
//! and fields, the cross-checks with `--against`, coded errors for a bad file or no models.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_testkit::fixtures::{ID_NUMBER, Side, card_text, printed_jpeg};
use support::{json_lines, okpay};

#[test]
fn each_file_is_read_and_checked_against_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let text = card_text("李四", ID_NUMBER);
    let portrait = dir.path().join("portrait.jpg");
    let emblem = dir.path().join("emblem.jpg");
    std::fs::write(&portrait, printed_jpeg(Side::Portrait, &text)).unwrap();
    std::fs::write(&emblem, printed_jpeg(Side::Emblem, &text)).unwrap();
    let (p, e) = (portrait.to_str().unwrap(), emblem.to_str().unwrap());
    let out = okpay(
        &[
            "--json",
            "read-card",
            p,
            e,
            "--against",
            "李回",
            ID_NUMBER,
            "--validity",
            "2016-05-01:长期",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["side"], "portrait");
    assert_eq!(v[0]["fields"]["name"]["text"], "李四");
    assert_eq!(v[0]["fields"]["id_number"]["text"], ID_NUMBER);
    assert_eq!(v[0]["fields"]["birth"]["text"], "1949-12-31");
    assert_eq!(
        v[0]["fields"]["id_number"]["box"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(v[0]["ms"].as_f64().unwrap() > 0.0);
    assert_eq!(v[1]["side"], "emblem");
    assert_eq!(v[1]["fields"]["valid_to"]["text"], "长期");
    let checks = v[2]["checks"].as_array().unwrap();
    let check = |name: &str| {
        checks
            .iter()
            .find(|c| c["checked"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(check("name")["result"], "mismatch");
    assert_eq!(check("name")["code"], "NAME_MISMATCH");
    assert_eq!(check("name")["read"], "李四");
    assert_eq!(check("id_number")["result"], "match");
    assert_eq!(check("validity")["result"], "match");
}

#[test]
fn a_bad_file_is_its_code_and_missing_models_are_a_coded_error() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.jpg");
    std::fs::write(&junk, "not an image").unwrap();
    let out = okpay(&["--json", "read-card", junk.to_str().unwrap()], "");
    assert!(out.status.success());
    assert_eq!(
        json_lines(&out)[0]["error"]["code"],
        "PHOTO_UNSUPPORTED_FORMAT"
    );

    let empty = tempfile::tempdir().unwrap();
    let models = empty.path().to_str().unwrap();
    let out = okpay(
        &[
            "--json",
            "read-card",
            "--models",
            models,
            junk.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["code"], "OCR_UNAVAILABLE");
}
