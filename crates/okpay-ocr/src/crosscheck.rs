//! What the card says against what was typed. Each check ends in a match, a mismatch with a
//! stable code (which the user must resolve: fix the field or retake the photo), or "not
//! checked" with the reason. Reading is never trusted over typing when it may be wrong: an
//! unread field, a number whose check digit fails (a misread), an unsure read, or a typed
//! character the model cannot produce is "not checked", never a mismatch; a character read
//! in its traditional form is its simplified one.

use crate::layout::{CardSide, Field};
use crate::read::Reading;
use crate::variants;
use okpay_rules::ErrorCode;
use okpay_rules::contract::Validity;
use okpay_rules::validate::id_number::{self, IdKind, Policy, Sex};
use okpay_rules::validate::validity::{self, End};
use okpay_rules::validate::{Date, name};
use serde::Serialize;

/// A field whose characters average below this is "not checked" (unsure).
pub const MIN_CONFIDENCE: f32 = 0.8;
/// A name is called different only where each differing character was read at least this
/// surely (look-alikes such as 龑/龔 or 黄/黃 are read less surely).
pub const SURE_CHAR: f32 = 0.95;

/// What one check compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Checked {
    /// The portrait slot's photo shows the portrait side.
    PortraitSide,
    /// The emblem slot's photo shows the emblem side.
    EmblemSide,
    Name,
    IdNumber,
    /// The number's birth date against the printed 出生.
    Birth,
    /// The number's sex against the printed 性别.
    Sex,
    /// The typed validity period against the printed one.
    Validity,
    /// The printed end date against today.
    Expiry,
    /// The printed period's length against the holder's age at issue.
    Term,
}

/// Why a check was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NotChecked {
    /// The card's field was not found or not read.
    NotRead,
    /// Read, but not surely enough.
    Unsure,
    /// Read, but it cannot be right (an ID number whose check digit fails).
    Misread,
    /// The typed value has a character the reader cannot produce.
    UnknownCharacter,
    /// Nothing typed to compare with.
    NotTyped,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Outcome {
    Match,
    /// Resolve before submitting: `read` is what the card says.
    Mismatch {
        code: ErrorCode,
        read: String,
    },
    NotChecked {
        why: NotChecked,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Check {
    pub checked: Checked,
    #[serde(flatten)]
    #[ts(flatten)]
    pub outcome: Outcome,
}

/// What the user typed.
#[derive(Debug, Clone, Copy)]
pub struct Typed<'a> {
    pub name: &'a str,
    pub id_number: &'a str,
    pub validity: Option<&'a Validity>,
}

fn not(why: NotChecked) -> Outcome {
    Outcome::NotChecked { why }
}

fn compare(same: bool, code: ErrorCode, read: &str) -> Outcome {
    if same {
        Outcome::Match
    } else {
        Outcome::Mismatch {
            code,
            read: read.to_owned(),
        }
    }
}

/// Every check the readings allow, as of `today`; `knows` tells whether the reader can
/// produce a character.
pub fn cross_check(
    typed: &Typed<'_>,
    portrait: Option<&Reading>,
    emblem: Option<&Reading>,
    today: Date,
    knows: &dyn Fn(char) -> bool,
) -> Vec<Check> {
    let mut out = Vec::new();
    let mut push = |checked, outcome| out.push(Check { checked, outcome });
    for (slot, want, checked) in [
        (portrait, CardSide::Portrait, Checked::PortraitSide),
        (emblem, CardSide::Emblem, Checked::EmblemSide),
    ] {
        if let Some(r) = slot {
            push(checked, side_check(r.side, want));
        }
    }
    let p = portrait.filter(|r| r.side == CardSide::Portrait);
    let e = emblem.filter(|r| r.side == CardSide::Emblem);

    // The number: read, and valid (a failed check digit is a misread).
    let read_number = field(p, |r| &r.fields.id_number)
        .map(|f| id_number::analyze(&f.text, today, &Policy::default()));
    let typed_number = id_number::analyze(typed.id_number, today, &Policy::default());
    if p.is_some() {
        let outcome = match &read_number {
            None => not(NotChecked::NotRead),
            Some(r) if !r.is_valid() => not(NotChecked::Misread),
            Some(_) if typed.id_number.trim().is_empty() => not(NotChecked::NotTyped),
            Some(r) => compare(
                r.normalized == typed_number.normalized,
                ErrorCode::IdNumberMismatch,
                &r.normalized,
            ),
        };
        push(Checked::IdNumber, outcome);
        push(
            Checked::Name,
            name_check(typed.name, field(p, |r| &r.fields.name), knows),
        );
    }
    // Birth date and sex come from the read number when it is valid, else the typed one.
    let number = read_number
        .filter(|r| r.is_valid())
        .or_else(|| typed_number.is_valid().then(|| typed_number.clone()));
    if p.is_some() {
        let printed_birth = field(p, |r| &r.fields.birth);
        push(
            Checked::Birth,
            match (printed_birth, number.as_ref().and_then(|n| n.birth)) {
                (None, _) => not(NotChecked::NotRead),
                (Some(_), None) => not(NotChecked::NotTyped),
                (Some(f), Some(b)) => compare(
                    f.text == b.to_string(),
                    ErrorCode::CardBirthMismatch,
                    &f.text,
                ),
            },
        );
        let printed_sex = field(p, |r| &r.fields.sex).and_then(|f| match f.text.as_str() {
            "男" => Some((Sex::Male, f)),
            "女" => Some((Sex::Female, f)),
            _ => None,
        });
        push(
            Checked::Sex,
            match (printed_sex, number.as_ref().and_then(|n| n.sex)) {
                (None, _) => not(NotChecked::NotRead),
                (Some(_), None) => not(NotChecked::NotTyped),
                (Some((s, f)), Some(n)) => compare(s == n, ErrorCode::CardSexMismatch, &f.text),
            },
        );
    }
    if e.is_some() {
        let from = field(e, |r| &r.fields.valid_from).and_then(|f| Date::parse(&f.text));
        let to = field(e, |r| &r.fields.valid_to).and_then(|f| match f.text.as_str() {
            "长期" => Some(End::LongTerm),
            t => Date::parse(t).map(End::Date),
        });
        let shown = |from: Date, to: End| match to {
            End::LongTerm => format!("{from} – 长期"),
            End::Date(d) => format!("{from} – {d}"),
        };
        push(
            Checked::Validity,
            match (from, to, typed.validity) {
                (None, _, _) | (_, None, _) => not(NotChecked::NotRead),
                (_, _, None) => not(NotChecked::NotTyped),
                (Some(f), Some(t), Some(v)) => {
                    let typed_from = v.start.as_deref().and_then(Date::parse);
                    let typed_to = if v.long_term {
                        Some(End::LongTerm)
                    } else {
                        v.end.as_deref().and_then(Date::parse).map(End::Date)
                    };
                    compare(
                        typed_from == Some(f) && typed_to == Some(t),
                        ErrorCode::ValidityMismatch,
                        &shown(f, t),
                    )
                }
            },
        );
        push(
            Checked::Expiry,
            match to {
                None => not(NotChecked::NotRead),
                Some(End::LongTerm) => Outcome::Match,
                Some(End::Date(d)) => {
                    compare(d >= today, ErrorCode::ValidityExpired, &d.to_string())
                }
            },
        );
        push(
            Checked::Term,
            match (from, to, number.as_ref().and_then(|n| n.birth)) {
                (None, _, _) | (_, None, _) => not(NotChecked::NotRead),
                (_, _, None) => not(NotChecked::NotTyped),
                (Some(f), Some(t), Some(birth)) => {
                    let kind = number
                        .as_ref()
                        .and_then(|n| n.kind)
                        .unwrap_or(IdKind::Resident);
                    let report = validity::check(birth, f, t, kind, today);
                    match report.errors.iter().find(|c| {
                        matches!(
                            c,
                            ErrorCode::ValidityLengthMismatch
                                | ErrorCode::ValidityLongTermNotAllowed
                        )
                    }) {
                        Some(&code) => Outcome::Mismatch {
                            code,
                            read: shown(f, t),
                        },
                        None => Outcome::Match,
                    }
                }
            },
        );
    }
    out
}

/// A field of a reading, when read and not empty.
fn field(r: Option<&Reading>, get: fn(&Reading) -> &Option<Field>) -> Option<&Field> {
    r.and_then(|r| get(r).as_ref())
        .filter(|f| !f.text.is_empty())
}

fn side_check(read: CardSide, want: CardSide) -> Outcome {
    match read {
        CardSide::Unknown => not(NotChecked::NotRead),
        s if s == want => Outcome::Match,
        s => Outcome::Mismatch {
            code: ErrorCode::PhotoWrongSide,
            read: match s {
                CardSide::Portrait => "portrait",
                _ => "emblem",
            }
            .to_owned(),
        },
    }
}

fn name_check(typed: &str, read: Option<&Field>, knows: &dyn Fn(char) -> bool) -> Outcome {
    let clean = |s: &str| -> String {
        name::normalize(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(variants::fold)
            .collect()
    };
    let typed = clean(typed);
    let Some(read) = read else {
        return not(NotChecked::NotRead);
    };
    if typed.is_empty() {
        return not(NotChecked::NotTyped);
    }
    if !typed.chars().all(knows) {
        return not(NotChecked::UnknownCharacter);
    }
    if read.confidence < MIN_CONFIDENCE {
        return not(NotChecked::Unsure);
    }
    let read_name = clean(&read.text);
    if read_name == typed {
        return Outcome::Match;
    }
    // The same length: a mismatch only if every differing character was read surely.
    let (r, t): (Vec<char>, Vec<char>) = (read_name.chars().collect(), typed.chars().collect());
    if r.len() == t.len() && read.chars.len() == r.len() {
        let unsure = r
            .iter()
            .zip(&t)
            .zip(&read.chars)
            .any(|((a, b), p)| a != b && *p < SURE_CHAR);
        if unsure {
            return not(NotChecked::Unsure);
        }
    }
    Outcome::Mismatch {
        code: ErrorCode::NameMismatch,
        read: read_name,
    }
}

#[cfg(test)]
mod tests;
