use super::*;

// A valid number: born 1990-03-07, male (the 17th digit is odd).
const NUMBER: &str = "110105199003070033";

fn f(text: &str) -> Option<Field> {
    Some(Field {
        text: text.to_owned(),
        confidence: 0.97,
        bbox: [0.0; 4],
        chars: text.chars().map(|_| 0.97).collect(),
    })
}

fn portrait(name: &str, number: &str) -> Reading {
    let mut r = Reading {
        side: CardSide::Portrait,
        fields: Default::default(),
        upside_down: false,
    };
    r.fields.name = f(name);
    r.fields.id_number = f(number);
    r.fields.birth = f("1990-03-07");
    r.fields.sex = f("男");
    r
}

fn emblem(from: &str, to: &str) -> Reading {
    let mut r = Reading {
        side: CardSide::Emblem,
        fields: Default::default(),
        upside_down: false,
    };
    r.fields.valid_from = f(from);
    r.fields.valid_to = f(to);
    r
}

fn today() -> Date {
    Date::new(2026, 12, 7).unwrap_or_else(|| unreachable!())
}

fn run(typed: Typed<'_>, p: Option<&Reading>, e: Option<&Reading>) -> Vec<(Checked, Outcome)> {
    cross_check(&typed, p, e, today(), &|c| c != '䶮')
        .into_iter()
        .map(|c| (c.checked, c.outcome))
        .collect()
}

fn outcome(all: &[(Checked, Outcome)], which: Checked) -> Outcome {
    all.iter()
        .find(|c| c.0 == which)
        .map(|c| c.1.clone())
        .unwrap_or(Outcome::NotChecked {
            why: NotChecked::NotRead,
        })
}

fn typed<'a>(name: &'a str, number: &'a str, validity: Option<&'a Validity>) -> Typed<'a> {
    Typed {
        name,
        id_number: number,
        validity,
    }
}

#[test]
fn a_card_that_says_what_was_typed_matches_everywhere() {
    let v = Validity {
        start: Some("2016-05-01".into()),
        end: Some("2036-05-01".into()),
        long_term: false,
    };
    let p = portrait("张三", NUMBER);
    let e = emblem("2016-05-01", "2036-05-01");
    let all = run(typed("张三", NUMBER, Some(&v)), Some(&p), Some(&e));
    assert_eq!(all.len(), 9, "{all:?}");
    assert!(all.iter().all(|c| c.1 == Outcome::Match), "{all:?}");
}

#[test]
fn a_typo_in_the_name_or_number_is_a_mismatch_with_what_the_card_says() {
    let p = portrait("张三", NUMBER);
    let all = run(typed("张山", "110105199003070041", None), Some(&p), None);
    assert_eq!(
        outcome(&all, Checked::Name),
        Outcome::Mismatch {
            code: ErrorCode::NameMismatch,
            read: "张三".into()
        }
    );
    assert_eq!(
        outcome(&all, Checked::IdNumber),
        Outcome::Mismatch {
            code: ErrorCode::IdNumberMismatch,
            read: NUMBER.into()
        }
    );
}

#[test]
fn a_misread_number_unsure_name_or_unknown_character_is_not_checked() {
    // One digit misread: the check digit fails.
    let mut p = portrait("张三", "110105199003070039");
    if let Some(n) = p.fields.name.as_mut() {
        n.confidence = 0.5;
    }
    let all = run(typed("张三", NUMBER, None), Some(&p), None);
    assert_eq!(
        outcome(&all, Checked::IdNumber),
        Outcome::NotChecked {
            why: NotChecked::Misread
        }
    );
    assert_eq!(
        outcome(&all, Checked::Name),
        Outcome::NotChecked {
            why: NotChecked::Unsure
        }
    );
    let p = portrait("王岩", NUMBER);
    let all = run(typed("王䶮", NUMBER, None), Some(&p), None);
    assert_eq!(
        outcome(&all, Checked::Name),
        Outcome::NotChecked {
            why: NotChecked::UnknownCharacter
        }
    );
}

#[test]
fn a_name_read_in_traditional_characters_matches() {
    let p = portrait("黃英", NUMBER);
    let all = run(typed("黄英", NUMBER, None), Some(&p), None);
    assert_eq!(outcome(&all, Checked::Name), Outcome::Match);
}

#[test]
fn a_look_alike_read_unsurely_is_not_a_mismatch() {
    // 龑 read as 龔, that character at 0.6: not sure enough to call the name different.
    let mut p = portrait("胡龔", NUMBER);
    if let Some(n) = p.fields.name.as_mut() {
        n.chars = vec![0.99, 0.6];
        n.confidence = 0.8;
    }
    let all = run(typed("胡龑", NUMBER, None), Some(&p), None);
    assert_eq!(
        outcome(&all, Checked::Name),
        Outcome::NotChecked {
            why: NotChecked::Unsure
        }
    );
    // Read surely, the same difference is a mismatch.
    let p = portrait("胡龔", NUMBER);
    let all = run(typed("胡龑", NUMBER, None), Some(&p), None);
    assert!(matches!(
        outcome(&all, Checked::Name),
        Outcome::Mismatch { .. }
    ));
}

#[test]
fn the_number_must_agree_with_the_printed_birth_date_and_sex() {
    let mut p = portrait("张三", NUMBER);
    p.fields.birth = f("1990-03-08");
    p.fields.sex = f("女");
    let all = run(typed("张三", NUMBER, None), Some(&p), None);
    assert!(matches!(
        outcome(&all, Checked::Birth),
        Outcome::Mismatch {
            code: ErrorCode::CardBirthMismatch,
            ..
        }
    ));
    assert!(matches!(
        outcome(&all, Checked::Sex),
        Outcome::Mismatch {
            code: ErrorCode::CardSexMismatch,
            ..
        }
    ));
}

#[test]
fn an_expired_card_a_wrong_term_and_a_mistyped_period() {
    let v = Validity {
        start: Some("2006-05-01".into()),
        end: Some("2026-05-01".into()),
        long_term: false,
    };
    let p = portrait("张三", NUMBER);
    let e = emblem("2006-05-01", "2016-05-01");
    let all = run(typed("张三", NUMBER, Some(&v)), Some(&p), Some(&e));
    assert!(matches!(
        outcome(&all, Checked::Validity),
        Outcome::Mismatch {
            code: ErrorCode::ValidityMismatch,
            ..
        }
    ));
    assert!(matches!(
        outcome(&all, Checked::Expiry),
        Outcome::Mismatch {
            code: ErrorCode::ValidityExpired,
            ..
        }
    ));
    // Issued at 16: ten years is right.
    assert_eq!(outcome(&all, Checked::Term), Outcome::Match);
    // Long-term at 26 is not.
    let e = emblem("2016-05-01", "长期");
    let all = run(typed("张三", NUMBER, None), Some(&p), Some(&e));
    assert_eq!(outcome(&all, Checked::Expiry), Outcome::Match);
    assert!(matches!(
        outcome(&all, Checked::Term),
        Outcome::Mismatch { .. }
    ));
    assert_eq!(
        outcome(&all, Checked::Validity),
        Outcome::NotChecked {
            why: NotChecked::NotTyped
        }
    );
}

#[test]
fn a_photo_of_the_other_side_in_a_slot_is_the_wrong_side() {
    let p = portrait("张三", NUMBER);
    let all = run(typed("张三", NUMBER, None), Some(&p), Some(&p));
    assert_eq!(outcome(&all, Checked::PortraitSide), Outcome::Match);
    assert_eq!(
        outcome(&all, Checked::EmblemSide),
        Outcome::Mismatch {
            code: ErrorCode::PhotoWrongSide,
            read: "portrait".into()
        }
    );
    // Nothing of the emblem side is checked from a portrait photo.
    assert!(all.iter().all(|c| c.0 != Checked::Expiry));
}

#[test]
fn an_unread_card_checks_nothing_but_says_so() {
    let unknown = Reading {
        side: CardSide::Unknown,
        fields: Default::default(),
        upside_down: false,
    };
    let all = run(typed("张三", NUMBER, None), Some(&unknown), None);
    assert_eq!(
        all,
        vec![(
            Checked::PortraitSide,
            Outcome::NotChecked {
                why: NotChecked::NotRead
            }
        )]
    );
}
