//! `okpay validate id|name|validity`: the JSON shape, one object per line, `-` for stdin,
//! `--today`, and the exit status (1 when any input is invalid).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{json_lines, okpay};

const ID_KEYS: [&str; 9] = [
    "input",
    "ok",
    "codes",
    "warnings",
    "kind",
    "normalized",
    "birth",
    "sex",
    "upgraded",
];

#[test]
fn id_json_has_the_documented_shape() {
    let out = okpay(
        &[
            "--json",
            "validate",
            "id",
            "--today",
            "2026-06-01",
            "11010519491231002x",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    for key in ID_KEYS {
        assert!(v[0].get(key).is_some(), "missing {key}: {}", v[0]);
    }
    assert_eq!(v[0]["input"], "11010519491231002x");
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["codes"], serde_json::json!([]));
    assert_eq!(v[0]["warnings"], serde_json::json!([]));
    assert_eq!(v[0]["kind"], "resident");
    assert_eq!(v[0]["normalized"], "11010519491231002X");
    assert_eq!(v[0]["birth"], "1949-12-31");
    assert_eq!(v[0]["sex"], "female");
    assert_eq!(v[0]["upgraded"], serde_json::Value::Null);
}

#[test]
fn stdin_lines_and_codes() {
    let stdin = "110105491231002\n110105194912310021\n１１０１０５１９４９１２３１００２ｘ\n110105203001010028\n";
    let out = okpay(
        &["--json", "validate", "id", "--today", "2026-06-01", "-"],
        stdin,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v.len(), 4);
    // A legacy number is valid as a number, with its upgrade offered.
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["kind"], "legacy15");
    assert_eq!(v[0]["warnings"][0], "ID_LEGACY15");
    assert_eq!(v[0]["upgraded"], "11010519491231002X");
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["codes"][0], "ID_BAD_CHECKSUM");
    assert_eq!(v[2]["normalized"], "11010519491231002X");
    assert_eq!(v[3]["codes"][0], "ID_FUTURE_BIRTHDATE");
}

#[test]
fn today_decides_future_and_underage() {
    // Born 2015-01-01: valid, under age in 2026, not yet born in 2014.
    let id = "110105201501010025";
    let out = okpay(
        &["--json", "validate", "id", "--today", "2026-06-01", id],
        "",
    );
    let v = json_lines(&out);
    assert_eq!(
        (v[0]["ok"].clone(), v[0]["eligibility"].clone()),
        (true.into(), "ID_UNDERAGE".into()),
        "{}",
        v[0]
    );
    let out = okpay(
        &["--json", "validate", "id", "--today", "2014-06-01", id],
        "",
    );
    assert_eq!(json_lines(&out)[0]["codes"][0], "ID_FUTURE_BIRTHDATE");
    let out = okpay(&["validate", "id", "--today", "2026-02-30", id], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a date that does not exist is a usage error"
    );
}

#[test]
fn names_fold_dots_and_name_their_fault() {
    let out = okpay(
        &[
            "--json",
            "validate",
            "name",
            "阿卜杜热合曼•买买提",
            "张3",
            "-",
        ],
        "·张三\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json_lines(&out);
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["normalized"], "阿卜杜热合曼·买买提");
    assert_eq!(v[1]["codes"][0], "NAME_HAS_DIGIT");
    assert_eq!(v[2]["codes"][0], "NAME_BAD_SEPARATOR");
}

#[test]
fn validity_periods() {
    let base = [
        "--json",
        "validate",
        "validity",
        "--today",
        "2026-02-10",
        "--birth",
        "1990-05-10",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let out = okpay(&args, "");
        (
            out.status.code(),
            json_lines(&out).into_iter().next().unwrap_or_default(),
        )
    };
    let (code, v) = run(&["--start", "2016-03-01", "--end", "2026-03-01"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["ok"], true);
    assert_eq!(v["warnings"][0], "VALIDITY_EXPIRING_SOON");
    assert_eq!(v["days_left"], 19);
    let (code, v) = run(&["--start", "2016-06-01", "--end", "2026-06-01"]);
    assert_eq!(
        (code, v["codes"][0].clone()),
        (Some(1), "VALIDITY_LENGTH_MISMATCH".into())
    );
    let (_, v) = run(&["--start", "2015-01-01", "--end", "2025-01-01"]);
    assert_eq!(v["codes"][0], "VALIDITY_EXPIRED");
    let (_, v) = run(&["--start", "2016-06-01", "--long-term"]);
    assert_eq!(v["codes"][0], "VALIDITY_LONG_TERM_NOT_ALLOWED");
    let out = okpay(
        &[
            "--json",
            "validate",
            "validity",
            "--today",
            "2026-02-10",
            "--id",
            "11010519491231002X",
            "--start",
            "2010-01-01",
            "--long-term",
        ],
        "",
    );
    assert_eq!(json_lines(&out)[0]["ok"], true);
}
