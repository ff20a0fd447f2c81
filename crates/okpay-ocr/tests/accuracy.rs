//! A small version of the `ocr_accuracy` report, with floors: every side named right, the ID
//! number and dates read right on at least 9 photos in 10 here (the full report's goals are
//! 99 % and 98 %), and no false alarm on a correctly typed card.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::accuracy;

#[test]
fn random_cards_read_right_and_raise_no_false_alarm() {
    let r = accuracy::run(6, 7);
    let table = accuracy::table(&r);
    assert!(r.photos >= 8, "{table}");
    assert_eq!(r.side_right, r.photos, "{table}\n{:?}", r.misses);
    for field in ["id_number", "birth", "valid_from", "valid_to"] {
        assert!(r.rate(field) >= 0.9, "{field}\n{table}\n{:?}", r.misses);
    }
    assert_eq!(r.false_alarms, 0, "{table}\n{:?}", r.misses);
}
