//! The standards' own examples (GB 11643-1999), every kind of number, and property tests:
//! every generated valid number passes, every single-character change and every adjacent
//! transposition that changes the number fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn today() -> Date {
    Date::new(2026, 6, 1).unwrap()
}

fn report(s: &str) -> IdReport {
    analyze(s, today(), &Policy::default())
}

/// A number from a 17-digit body plus its check character.
fn with_check(body: &str) -> String {
    let b: [u8; 17] = body.as_bytes().try_into().unwrap();
    format!("{body}{}", check_char(&b) as char)
}

#[test]
fn gb11643_examples() {
    // GB 11643-1999 annex: 北京市朝阳区, born 1949-12-31, female, check character X.
    let r = report("11010519491231002X");
    assert!(r.is_valid(), "{r:?}");
    assert_eq!(r.kind, Some(IdKind::Resident));
    assert_eq!(r.birth, Date::new(1949, 12, 31));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.region.as_ref().and_then(|g| g.name), Some("朝阳区"));
    // 广东省汕头市潮阳县 (a code retired in 1993), born 1880-01-01, male.
    let r = report("440524188001010014");
    assert!(r.is_valid(), "{r:?}");
    assert!(r.warnings.is_empty());
    assert_eq!(r.sex, Some(Sex::Male));
    assert_eq!(r.region.as_ref().and_then(|g| g.retired), Some(1992));
    assert_eq!(
        id_number_on("11010519491231002X", today()),
        Ok("11010519491231002X".into())
    );
    assert_eq!(
        id_number_on("440524188001010014", today()),
        Ok("440524188001010014".into())
    );
}

#[test]
fn normalisation_folds_width_and_space_only() {
    let ok = Ok("11010519491231002X".to_owned());
    assert_eq!(id_number_on(" 110105 19491231002x ", today()), ok);
    assert_eq!(
        id_number_on("１１０１０５１９４９１２３１００２ｘ", today()),
        ok
    );
    assert_eq!(id_number_on("110105\u{3000}19491231002Ｘ\t", today()), ok);
    // No NFKC: circled, mathematical, Roman and other scripts' digits are bad characters.
    for bad in [
        "①1010519491231002X",
        "𝟏1010519491231002X",
        "11010519491231002Ⅹ",
        "١1010519491231002X",
    ] {
        assert_eq!(
            id_number_on(bad, today()),
            Err(ErrorCode::IdBadChar),
            "{bad}"
        );
    }
}

#[test]
fn id_failures_have_their_codes() {
    let t = |s: &str| id_number_on(s, today());
    assert_eq!(t(""), Err(ErrorCode::IdEmpty));
    assert_eq!(t(" \u{3000}"), Err(ErrorCode::IdEmpty));
    assert_eq!(t("1101051949123100"), Err(ErrorCode::IdBadLength));
    assert_eq!(t("1101051949123102X"), Err(ErrorCode::IdBadLength));
    assert_eq!(t("11010519491231002A"), Err(ErrorCode::IdBadChar));
    assert_eq!(t("1101051949123X002X"), Err(ErrorCode::IdBadChar));
    assert_eq!(t("11010519491231-002X"), Err(ErrorCode::IdBadChar));
    assert_eq!(t("110105194912310021"), Err(ErrorCode::IdBadChecksum));
    assert_eq!(
        t(&with_check("11010519490230002")),
        Err(ErrorCode::IdBadBirthdate)
    );
    assert_eq!(
        t(&with_check("11010519000229002")),
        Err(ErrorCode::IdBadBirthdate)
    );
    assert_eq!(t(&with_check("11010520000229002")).map(|s| s.len()), Ok(18));
    assert_eq!(
        t(&with_check("11010520300101002")),
        Err(ErrorCode::IdFutureBirthdate)
    );
    assert_eq!(
        t(&with_check("11010518700101002")),
        Err(ErrorCode::IdTooOld)
    );
    assert_eq!(
        t(&with_check("10010519491231002")),
        Err(ErrorCode::IdBadRegion)
    );
    assert_eq!(
        t(&with_check("99010519491231002")),
        Err(ErrorCode::IdBadRegion)
    );
    // Several faults: the most specific first.
    assert_eq!(
        report("110105194902300021").errors,
        vec![ErrorCode::IdBadBirthdate, ErrorCode::IdBadChecksum]
    );
}

#[test]
fn unknown_county_is_a_warning_not_an_error() {
    let r = report(&with_check("11019919491231002"));
    assert!(r.is_valid(), "{r:?}");
    assert_eq!(r.warnings, vec![ErrorCode::IdUnknownRegion]);
    assert_eq!(r.region.as_ref().map(|g| g.province), Some("北京市"));
}

#[test]
fn kinds_of_number() {
    let hk = report(&with_check("81000019900101001"));
    assert_eq!(
        (hk.kind, hk.is_valid()),
        (Some(IdKind::HongKongPermit), true)
    );
    assert_eq!(
        report(&with_check("82000019900101001")).kind,
        Some(IdKind::MacauPermit)
    );
    assert_eq!(
        report(&with_check("83000019900101001")).kind,
        Some(IdKind::TaiwanPermit)
    );
    // 2023 foreign permanent resident ID: 9, province 11 (Beijing), nationality 840.
    let fp = report(&with_check("91184019900101001"));
    assert_eq!(
        (fp.kind, fp.is_valid(), fp.sex),
        (Some(IdKind::ForeignPermanent), true, Some(Sex::Male)),
        "{fp:?}"
    );
    assert_eq!(
        report(&with_check("90184019900101001")).errors,
        vec![ErrorCode::IdBadRegion]
    );
}

#[test]
fn legacy_15_digit_numbers_offer_their_upgrade() {
    let r = report("110105491231002");
    assert!(r.is_valid(), "{r:?}");
    assert_eq!(r.kind, Some(IdKind::Legacy15));
    assert_eq!(r.upgraded.as_deref(), Some("11010519491231002X"));
    assert_eq!(r.warnings, vec![ErrorCode::IdLegacy15]);
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(
        id_number_on("110105491231002", today()),
        Err(ErrorCode::IdLegacy15)
    );
    assert_eq!(
        report("110105490230002").errors,
        vec![ErrorCode::IdBadBirthdate]
    );
    assert_eq!(report("11010549123100X").errors, vec![ErrorCode::IdBadChar]);
}

#[test]
fn eligibility_is_separate_from_validity() {
    let kid = with_check("11010520150101002");
    let r = report(&kid);
    assert!(r.is_valid());
    assert_eq!(r.eligibility, Some(ErrorCode::IdUnderage));
    assert_eq!(id_number_on(&kid, today()), Ok(kid.clone()));
    let r = analyze(&kid, today(), &Policy { min_age: 10 });
    assert_eq!(r.eligibility, None);
    // Sixteen on the day.
    let r = analyze(
        &with_check("11010520100601002"),
        today(),
        &Policy::default(),
    );
    assert_eq!(r.eligibility, None);
}

#[test]
fn masking_keeps_four_and_four() {
    assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
    assert_eq!(mask_id_number("1234"), "****");
}

/// A valid resident number: a real province and county from the table, a real date.
fn valid_number() -> impl Strategy<Value = String> {
    let regions = [
        "110105", "440524", "310115", "650102", "542621", "810000", "110103",
    ];
    (
        0..regions.len(),
        1900i32..2020,
        1u8..=12,
        1u8..=31,
        0u32..1000,
    )
        .prop_map(move |(r, y, m, d, seq)| {
            let day = d.min(date::days_in_month(y, m));
            with_check(&format!("{}{y:04}{m:02}{day:02}{seq:03}", regions[r]))
        })
}

proptest! {
    #[test]
    fn every_generated_valid_number_passes(n in valid_number()) {
        prop_assert_eq!(id_number_on(&n, today()), Ok(n.clone()));
        prop_assert!(report(&n).is_valid());
    }

    #[test]
    fn every_single_character_change_fails(n in valid_number(), pos in 0usize..18, to in 0usize..11) {
        let mut b = n.clone().into_bytes();
        b[pos] = b"0123456789X"[to];
        let changed = String::from_utf8(b).unwrap();
        prop_assume!(changed != n);
        prop_assert!(id_number_on(&changed, today()).is_err(), "{}", changed);
    }

    #[test]
    fn every_adjacent_transposition_fails(n in valid_number(), pos in 0usize..17) {
        let mut b = n.clone().into_bytes();
        b.swap(pos, pos + 1);
        let changed = String::from_utf8(b).unwrap();
        prop_assume!(changed != n);
        prop_assert!(id_number_on(&changed, today()).is_err(), "{}", changed);
    }

    #[test]
    fn analysis_never_panics(s in "\\PC{0,24}") {
        let _ = report(&s);
        let _ = name(&s);
        let _ = login_id(&s);
    }
}
