//! The whole personal-information check, as the app runs it before saving and the server
//! runs it again on receipt: name, ID number (valid, 18 characters, holder old enough) and,
//! when given, the card's validity period. The first failure is the answer.

use super::{Date, IdKind, Policy, analyze, name, validity};
use crate::contract::{PersonalInfo, Validity};
use crate::error::ErrorCode;

/// Check and normalise personal information as of `today`.
pub fn personal(info: &PersonalInfo, today: Date) -> Result<PersonalInfo, ErrorCode> {
    let name = name(&info.name)?;
    let report = analyze(&info.id_number, today, &Policy::default());
    let id_number = report.submittable()?;
    if let Some(code) = report.eligibility {
        return Err(code);
    }
    if let (Some(v), Some(birth)) = (&info.validity, report.birth) {
        let kind = report.kind.unwrap_or(IdKind::Resident);
        let checked = validity::check_text(
            birth,
            v.start.as_deref(),
            v.end.as_deref(),
            v.long_term,
            kind,
            today,
        );
        if let Some(code) = checked.errors.first() {
            return Err(*code);
        }
    }
    Ok(PersonalInfo {
        name,
        id_number,
        validity: info.validity.clone().map(|v| Validity {
            end: if v.long_term { None } else { v.end },
            ..v
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, validity: Option<Validity>) -> PersonalInfo {
        PersonalInfo {
            name: " 张三 ".into(),
            id_number: id.into(),
            validity,
        }
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|| panic!("bad test date {s}"))
    }

    #[test]
    fn normalises_a_good_entry() {
        let ok = personal(&info("11010519491231002x", None), day("2026-11-28"));
        assert_eq!(
            ok.map(|p| (p.name, p.id_number)),
            Ok(("张三".into(), "11010519491231002X".into()))
        );
    }

    #[test]
    fn refuses_an_underage_holder_a_legacy_number_and_an_expired_card() {
        let today = day("2026-11-28");
        assert_eq!(
            personal(&info("110105201501010017", None), today),
            Err(ErrorCode::IdUnderage)
        );
        assert_eq!(
            personal(&info("110105491231002", None), today),
            Err(ErrorCode::IdLegacy15)
        );
        let expired = Validity {
            start: Some("2010-03-01".into()),
            end: Some("2020-03-01".into()),
            long_term: false,
        };
        assert_eq!(
            personal(&info("110105199001010010", Some(expired)), today),
            Err(ErrorCode::ValidityExpired)
        );
    }
}
