//! The validity period printed on the emblem side (有效期限): start and end dates or 长期,
//! checked against today and against the length the law sets for the holder's age at issue
//! (Resident ID Card Law art. 5: under 16 five years, 16–25 ten, 26–45 twenty, 46 and over
//! long-term), residence permits' five years, and the 2023 foreign permanent resident ID's
//! five (under 18) or ten years. The end date falls on the start's month and day.

use super::date::Date;
use super::id_number::IdKind;
use crate::error::ErrorCode;
use serde::Serialize;

/// Days before the end date from which a warning is shown.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The end of a validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Date(Date),
    /// 长期
    LongTerm,
}

/// What the printed period should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "years")]
pub enum Term {
    Years(u8),
    LongTerm,
}

/// The verdict on a validity period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ValidityReport {
    pub errors: Vec<ErrorCode>,
    pub warnings: Vec<ErrorCode>,
    /// The period the holder's age at the start date calls for.
    pub expected: Option<Term>,
    /// Days left until the end date (negative once expired; absent for 长期).
    pub days_left: Option<i64>,
}

impl ValidityReport {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// The period a card of `kind` issued at `age` has.
pub fn expected_term(kind: IdKind, age: u32) -> Term {
    match kind {
        k if k.is_permit() => Term::Years(5),
        IdKind::ForeignPermanent if age < 18 => Term::Years(5),
        IdKind::ForeignPermanent => Term::Years(10),
        _ => match age {
            0..=15 => Term::Years(5),
            16..=25 => Term::Years(10),
            26..=45 => Term::Years(20),
            _ => Term::LongTerm,
        },
    }
}

/// Check a period for a holder born on `birth`, as of `today`.
pub fn check(birth: Date, start: Date, end: End, kind: IdKind, today: Date) -> ValidityReport {
    let mut r = ValidityReport::default();
    if start > today {
        r.errors.push(ErrorCode::ValidityStartInFuture);
    }
    if start < birth {
        r.errors.push(ErrorCode::ValidityStartBeforeBirth);
    }
    let expected = expected_term(kind, birth.age_on(start));
    r.expected = Some(expected);
    match end {
        End::LongTerm => {
            if expected != Term::LongTerm {
                r.errors.push(ErrorCode::ValidityLongTermNotAllowed);
            }
        }
        End::Date(end) => {
            if end <= start {
                r.errors.push(ErrorCode::ValidityEndBeforeStart);
            } else if !matches_term(start, end, expected) {
                r.errors.push(ErrorCode::ValidityLengthMismatch);
            }
            let left = today.days_until(end);
            r.days_left = Some(left);
            if left < 0 {
                r.errors.push(ErrorCode::ValidityExpired);
            } else if left <= EXPIRY_WARNING_DAYS {
                r.warnings.push(ErrorCode::ValidityExpiringSoon);
            }
        }
    }
    r
}

/// `end` is `start` plus the term on the same month and day (a 29 February start ends on
/// 28 February or 1 March of a common year).
fn matches_term(start: Date, end: Date, term: Term) -> bool {
    let Term::Years(n) = term else { return false };
    let due = start.add_years(i32::from(n));
    end == due
        || (start.month() == 2 && start.day() == 29 && due.day() == 28 && end.days_until(due) == -1)
}

/// Check a period given as text (`YYYY-MM-DD`; `end` absent when `long_term`).
pub fn check_text(
    birth: Date,
    start: Option<&str>,
    end: Option<&str>,
    long_term: bool,
    kind: IdKind,
    today: Date,
) -> ValidityReport {
    let bad = |code| ValidityReport {
        errors: vec![code],
        ..ValidityReport::default()
    };
    let Some(start) = start.filter(|s| !s.trim().is_empty()) else {
        return bad(ErrorCode::ValidityMissing);
    };
    let Some(start) = Date::parse(start) else {
        return bad(ErrorCode::ValidityBadDate);
    };
    let end = match (end.filter(|s| !s.trim().is_empty()), long_term) {
        (None, true) => End::LongTerm,
        (None, false) => return bad(ErrorCode::ValidityMissing),
        (Some(e), _) => match Date::parse(e) {
            Some(d) => End::Date(d),
            None if e.trim() == "长期" => End::LongTerm,
            None => return bad(ErrorCode::ValidityBadDate),
        },
    };
    check(birth, start, end, kind, today)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn lengths_follow_age_at_start() {
        let today = d("2026-01-01");
        let born = d("1990-05-10");
        // Age 25 at start: ten years.
        let ok = check(
            born,
            d("2015-07-01"),
            End::Date(d("2025-07-01")),
            IdKind::Resident,
            today,
        );
        assert_eq!(ok.errors, vec![ErrorCode::ValidityExpired]);
        let ok = check(
            born,
            d("2016-03-01"),
            End::Date(d("2026-03-01")),
            IdKind::Resident,
            today,
        );
        assert!(ok.is_valid(), "{ok:?}");
        assert_eq!(ok.expected, Some(Term::Years(10)));
        // Age 26 at start: twenty years, so a ten-year card does not exist.
        let bad = check(
            born,
            d("2016-06-01"),
            End::Date(d("2026-06-01")),
            IdKind::Resident,
            today,
        );
        assert_eq!(bad.errors, vec![ErrorCode::ValidityLengthMismatch]);
        let ok = check(
            born,
            d("2016-06-01"),
            End::Date(d("2036-06-01")),
            IdKind::Resident,
            today,
        );
        assert!(ok.is_valid());
        // Under 16: five years; 46 and over: long-term only.
        let kid = d("2015-01-01");
        assert!(
            check(
                kid,
                d("2022-02-02"),
                End::Date(d("2027-02-02")),
                IdKind::Resident,
                today
            )
            .is_valid()
        );
        let old = d("1970-01-01");
        assert!(check(old, d("2020-01-01"), End::LongTerm, IdKind::Resident, today).is_valid());
        let young = check(
            born,
            d("2016-06-01"),
            End::LongTerm,
            IdKind::Resident,
            today,
        );
        assert_eq!(young.errors, vec![ErrorCode::ValidityLongTermNotAllowed]);
        // Permits: five years at any age.
        assert!(
            check(
                old,
                d("2022-02-02"),
                End::Date(d("2027-02-02")),
                IdKind::HongKongPermit,
                today
            )
            .is_valid()
        );
    }

    #[test]
    fn expiry_and_dates() {
        let born = d("1990-05-10");
        let start = d("2016-03-01");
        let end = End::Date(d("2026-03-01"));
        let soon = check(born, start, end, IdKind::Resident, d("2026-02-01"));
        assert_eq!(
            (soon.errors.len(), soon.warnings.clone()),
            (0, vec![ErrorCode::ValidityExpiringSoon])
        );
        assert_eq!(soon.days_left, Some(28));
        let last_day = check(born, start, end, IdKind::Resident, d("2026-03-01"));
        assert!(last_day.is_valid());
        let expired = check(born, start, end, IdKind::Resident, d("2026-03-02"));
        assert_eq!(expired.errors, vec![ErrorCode::ValidityExpired]);
        let feb29 = check(
            born,
            d("2016-02-29"),
            End::Date(d("2026-02-28")),
            IdKind::Resident,
            d("2025-01-01"),
        );
        assert!(feb29.is_valid(), "{feb29:?}");
        let mar1 = check(
            born,
            d("2016-02-29"),
            End::Date(d("2026-03-01")),
            IdKind::Resident,
            d("2025-01-01"),
        );
        assert!(mar1.is_valid(), "{mar1:?}");
        let today = d("2026-01-01");
        let t = |s, e, l| check_text(born, s, e, l, IdKind::Resident, today).errors;
        assert_eq!(t(None, None, false), vec![ErrorCode::ValidityMissing]);
        assert_eq!(
            t(Some("2016-02-30"), Some("2026-02-28"), false),
            vec![ErrorCode::ValidityBadDate]
        );
        assert_eq!(t(Some("2016.03.01"), Some("2026.03.01"), false), vec![]);
        assert_eq!(
            t(Some("2027-01-01"), Some("2047-01-01"), false),
            vec![ErrorCode::ValidityStartInFuture]
        );
        assert_eq!(
            t(Some("1980-01-01"), Some("长期"), false).first(),
            Some(&ErrorCode::ValidityStartBeforeBirth)
        );
    }
}
