//! Resident ID numbers (GB 11643-1999) and the numbers built on them: normalisation, the
//! ISO 7064 MOD 11-2 check character, address code (GB/T 2260), birth date, sex, the kind of
//! document (resident ID, Hong Kong / Macau / Taiwan residence permit, 2023 foreign permanent
//! resident ID, legacy 15-digit number), the 15→18 upgrade, and eligibility by age.

use super::date::Date;
use super::region::{self, Region};
use crate::error::ErrorCode;
use serde::Serialize;

/// ISO 7064 MOD 11-2 weights for the 17 body digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check characters indexed by the weighted sum mod 11.
const CHECK: [u8; 11] = *b"10X98765432";

/// The oldest birth date accepted, in years before today.
pub const MAX_AGE_YEARS: i32 = 150;

/// The check character of a 17-digit body (ASCII digits; anything else counts as 0).
pub fn check_char(body: &[u8; 17]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d.wrapping_sub(b'0') % 10) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// Normalise what was typed: full-width ASCII (U+FF01–FF5E) folded to ASCII, every Unicode
/// white space (U+3000 too) removed, `x` upper-cased. Nothing else is folded (no NFKC): `①`,
/// `𝟏`, `Ⅹ` or other scripts' digits stay and are bad characters.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

/// What kind of number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证, 18 characters.
    Resident,
    /// 港澳台居民居住证 for Hong Kong residents (address code 810000).
    HongKongPermit,
    /// … for Macau residents (820000).
    MacauPermit,
    /// … for Taiwan residents (830000).
    TaiwanPermit,
    /// 2023 外国人永久居留身份证: starts with 9, same check character.
    ForeignPermanent,
    /// First-generation 15-digit number (no check character, two-digit year).
    Legacy15,
}

impl IdKind {
    /// A Hong Kong / Macau / Taiwan residence permit.
    pub fn is_permit(self) -> bool {
        matches!(
            self,
            IdKind::HongKongPermit | IdKind::MacauPermit | IdKind::TaiwanPermit
        )
    }
}

/// Sex from digit 17 (digit 15 of a legacy number): odd is male.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Rules that are policy, not part of the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Youngest age allowed to verify.
    pub min_age: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { min_age: 16 }
    }
}

/// Everything known about a typed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdReport {
    /// The normalised input (what was checked).
    pub normalized: String,
    pub kind: Option<IdKind>,
    pub birth: Option<Date>,
    pub sex: Option<Sex>,
    pub region: Option<Region>,
    /// Why the number itself is invalid, most specific first; empty when it is valid.
    pub errors: Vec<ErrorCode>,
    /// Valid, but worth a second look (an unknown county code; a legacy 15-digit number).
    pub warnings: Vec<ErrorCode>,
    /// The 18-digit form of a valid legacy 15-digit number ("did you mean …").
    pub upgraded: Option<String>,
    /// A valid number whose holder may not verify (e.g. under the minimum age).
    pub eligibility: Option<ErrorCode>,
}

impl IdReport {
    /// The number itself is valid (whatever its kind and eligibility).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The submission verdict: an 18-character number, valid, of an eligible holder.
    pub fn submittable(&self) -> Result<String, ErrorCode> {
        if let Some(e) = self.errors.first() {
            return Err(*e);
        }
        if self.kind == Some(IdKind::Legacy15) {
            return Err(ErrorCode::IdLegacy15);
        }
        Ok(self.normalized.clone())
    }

    fn empty(normalized: String, error: ErrorCode) -> IdReport {
        IdReport {
            normalized,
            kind: None,
            birth: None,
            sex: None,
            region: None,
            errors: vec![error],
            warnings: Vec::new(),
            upgraded: None,
            eligibility: None,
        }
    }
}

/// Analyse a typed number as of `today`.
pub fn analyze(input: &str, today: Date, policy: &Policy) -> IdReport {
    let s = normalize(input);
    if s.is_empty() {
        return IdReport::empty(s, ErrorCode::IdEmpty);
    }
    let body = s.strip_suffix('X').unwrap_or(&s);
    if !body.bytes().all(|c| c.is_ascii_digit()) {
        return IdReport::empty(s, ErrorCode::IdBadChar);
    }
    match (s.len(), body.len()) {
        (18, _) => analyze18(s, today, policy),
        (15, 15) => analyze15(s, today, policy),
        (15, _) => IdReport::empty(s, ErrorCode::IdBadChar),
        _ => IdReport::empty(s, ErrorCode::IdBadLength),
    }
}

fn analyze18(s: String, today: Date, policy: &Policy) -> IdReport {
    let b = s.as_bytes();
    let mut r = IdReport::empty(s.clone(), ErrorCode::IdEmpty);
    r.errors.clear();
    let code = &s[..6];
    let foreign = b[0] == b'9';
    r.kind = Some(match code {
        "810000" => IdKind::HongKongPermit,
        "820000" => IdKind::MacauPermit,
        "830000" => IdKind::TaiwanPermit,
        _ if foreign => IdKind::ForeignPermanent,
        _ => IdKind::Resident,
    });
    if foreign {
        // 9 + province of the issuing authority (2) + nationality (3).
        if region::province(&b[1..3]).is_none() {
            r.errors.push(ErrorCode::IdBadRegion);
        }
    } else {
        address(&mut r, code);
    }
    birth(&mut r, &b[6..14], today, policy);
    r.sex = Some(if (b[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    });
    let mut body = [0u8; 17];
    body.copy_from_slice(&b[..17]);
    if check_char(&body) != b[17] {
        r.errors.push(ErrorCode::IdBadChecksum);
    }
    r
}

fn analyze15(s: String, today: Date, policy: &Policy) -> IdReport {
    let b = s.as_bytes();
    let mut r = IdReport::empty(s.clone(), ErrorCode::IdEmpty);
    r.errors.clear();
    r.kind = Some(IdKind::Legacy15);
    address(&mut r, &s[..6]);
    let mut birth8 = *b"19000000";
    birth8[2..].copy_from_slice(&b[6..12]);
    birth(&mut r, &birth8, today, policy);
    r.sex = Some(if (b[14] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    });
    if r.errors.is_empty() {
        let mut body = [0u8; 17];
        body[..6].copy_from_slice(&b[..6]);
        body[6..14].copy_from_slice(&birth8);
        body[14..].copy_from_slice(&b[12..15]);
        let mut up = body.to_vec();
        up.push(check_char(&body));
        r.upgraded = String::from_utf8(up).ok();
        r.warnings.push(ErrorCode::IdLegacy15);
    }
    r
}

fn address(r: &mut IdReport, code: &str) {
    match region::region(code) {
        None => r.errors.push(ErrorCode::IdBadRegion),
        Some(reg) => {
            if reg.name.is_none() {
                r.warnings.push(ErrorCode::IdUnknownRegion);
            }
            r.region = Some(reg);
        }
    }
}

fn birth(r: &mut IdReport, digits: &[u8], today: Date, policy: &Policy) {
    match Date::from_compact(digits) {
        None => r.errors.push(ErrorCode::IdBadBirthdate),
        Some(d) if d > today => r.errors.push(ErrorCode::IdFutureBirthdate),
        Some(d) if d < today.add_years(-MAX_AGE_YEARS) => r.errors.push(ErrorCode::IdTooOld),
        Some(d) => {
            r.birth = Some(d);
            if d.age_on(today) < policy.min_age {
                r.eligibility = Some(ErrorCode::IdUnderage);
            }
        }
    }
}

/// The submission check as of `today`: the normalised 18-character number, or the first
/// reason it is refused (a valid 15-digit number is `IdLegacy15`). Eligibility by age is
/// not part of it.
pub fn id_number_on(input: &str, today: Date) -> Result<String, ErrorCode> {
    analyze(input, today, &Policy::default()).submittable()
}

/// The submission check as of today in China (see [`id_number_on`]).
pub fn id_number(input: &str) -> Result<String, ErrorCode> {
    id_number_on(input, Date::today_china())
}

/// `1101**********123X`-style masking for logs and review screens: the first four and the
/// last four characters stay.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 4 { *c } else { '*' })
        .collect()
}
