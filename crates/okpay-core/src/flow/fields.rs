//! Live validation of the personal fields: one error code (or none) per field, checked on
//! the device before anything is sent, with what the ID number says about its holder.

use okpay_rules::ErrorCode;
use okpay_rules::contract::Validity;
use okpay_rules::validate;
use serde::Serialize;

/// Field errors for live validation: one code (or none) per field, plus what the number
/// says about its holder for the user to confirm (birth date, sex), warnings, and the
/// 18-digit upgrade of a legacy 15-digit number.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct FieldErrors {
    pub name: Option<ErrorCode>,
    /// Why the number cannot be submitted (`ID_LEGACY15` for a valid 15-digit number).
    pub id_number: Option<ErrorCode>,
    /// Valid but worth a second look, e.g. `ID_UNKNOWN_REGION`.
    pub id_warnings: Vec<ErrorCode>,
    /// `resident`, `hong_kong_permit`, `macau_permit`, `taiwan_permit`, `foreign_permanent`,
    /// `legacy15`; absent when the number cannot be read.
    pub id_kind: Option<validate::IdKind>,
    /// Birth date from the number, `YYYY-MM-DD`.
    #[ts(type = "string | null")]
    pub birth: Option<validate::Date>,
    /// `male` / `female`, from the number.
    pub sex: Option<validate::Sex>,
    /// "Did you mean …": the 18-digit form of a valid 15-digit number.
    pub upgraded: Option<String>,
    /// A valid number whose holder may not verify (`ID_UNDERAGE`).
    pub eligibility: Option<ErrorCode>,
    /// The validity period's first error (`VALIDITY_*`), when one was given and the number
    /// can be read.
    pub validity: Option<ErrorCode>,
    /// Valid but worth a look, e.g. `VALIDITY_EXPIRING_SOON`.
    pub validity_warnings: Vec<ErrorCode>,
    /// Days until the card expires (negative once expired; absent for 长期).
    pub validity_days_left: Option<i64>,
}

/// What a field check takes into account besides the fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct FieldOptions<'a> {
    /// The card's validity period, checked when given and the number can be read.
    pub validity: Option<&'a Validity>,
    /// The day the check is made as of; today in China when absent.
    pub today: Option<validate::Date>,
}

/// Validate the personal fields without sending anything.
pub fn validate_fields(name: &str, id_number: &str, options: FieldOptions<'_>) -> FieldErrors {
    let today = options.today.unwrap_or_else(validate::Date::today_china);
    let id = validate::analyze(id_number, today, &validate::Policy::default());
    let report = match (options.validity, id.birth.filter(|_| id.is_valid())) {
        (Some(v), Some(birth)) => Some(validate::validity::check_text(
            birth,
            v.start.as_deref(),
            v.end.as_deref(),
            v.long_term,
            id.kind.unwrap_or(validate::IdKind::Resident),
            today,
        )),
        _ => None,
    };
    FieldErrors {
        validity: report.as_ref().and_then(|r| r.errors.first().copied()),
        validity_warnings: report
            .as_ref()
            .map(|r| r.warnings.clone())
            .unwrap_or_default(),
        validity_days_left: report.and_then(|r| r.days_left),
        name: validate::name(name).err(),
        id_number: id.submittable().err(),
        id_warnings: id.warnings,
        id_kind: id.kind,
        birth: id.birth,
        sex: id.sex,
        upgraded: id.upgraded,
        eligibility: id.eligibility,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_each_field() {
        let f = validate_fields("", "11010519491231002X", FieldOptions::default());
        assert_eq!(f.name, Some(ErrorCode::NameEmpty));
        assert_eq!(f.id_number, None);
        assert_eq!(
            f.birth.map(|d| d.to_string()).as_deref(),
            Some("1949-12-31")
        );
        assert_eq!(f.sex, Some(validate::Sex::Female));
    }

    #[test]
    fn a_legacy_number_offers_its_upgrade() {
        let f = validate_fields("张三", "110105491231002", FieldOptions::default());
        assert_eq!(f.name, None);
        assert_eq!(f.id_number, Some(ErrorCode::IdLegacy15));
        assert_eq!(f.upgraded.as_deref(), Some("11010519491231002X"));
        let v = serde_json::to_value(&f).unwrap_or_default();
        assert_eq!(v["id_kind"], "legacy15");
        assert_eq!(v["birth"], "1949-12-31");
    }
}
