//! Field validation shared by the app, the CLI and the staging server: login identifiers,
//! passwords, names and resident ID numbers. Every failure is a stable [`ErrorCode`].

use crate::error::ErrorCode;

/// Shortest password accepted at registration.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A login identifier, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginId {
    /// Lower-cased e-mail address.
    Email(String),
    /// Mainland mobile number, 11 digits without `+86`.
    Phone(String),
}

impl LoginId {
    /// The normalised form stored by the server.
    pub fn as_str(&self) -> &str {
        match self {
            LoginId::Email(s) | LoginId::Phone(s) => s,
        }
    }
}

/// Parse an e-mail address or a mainland mobile number (`+86` optional, spaces and dashes
/// tolerated).
pub fn login_id(input: &str) -> Result<LoginId, ErrorCode> {
    let trimmed = input.trim();
    if trimmed.contains('@') {
        return email(trimmed).map(LoginId::Email);
    }
    let compact: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .unwrap_or(&compact);
    let b = digits.as_bytes();
    if b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
    {
        Ok(LoginId::Phone(digits.to_owned()))
    } else {
        Err(ErrorCode::LoginInvalid)
    }
}

fn email(s: &str) -> Result<String, ErrorCode> {
    let (local, domain) = s.rsplit_once('@').ok_or(ErrorCode::LoginInvalid)?;
    let ok_local = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let ok_domain = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if ok_local && ok_domain {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(ErrorCode::LoginInvalid)
    }
}

/// A password accepted at registration.
pub fn password(input: &str) -> Result<(), ErrorCode> {
    if input.chars().count() < MIN_PASSWORD_CHARS {
        Err(ErrorCode::PasswordTooShort)
    } else {
        Ok(())
    }
}

/// A name as printed on the card, trimmed. Minimal rules for now: 2–50 characters, letters
/// (Han or Latin), the middle dot, spaces and hyphens.
pub fn name(input: &str) -> Result<String, ErrorCode> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ErrorCode::NameEmpty);
    }
    let count = trimmed.chars().count();
    if count < 2 {
        return Err(ErrorCode::NameTooShort);
    }
    if count > 50 {
        return Err(ErrorCode::NameTooLong);
    }
    if trimmed.chars().any(|c| !(c.is_alphabetic() || matches!(c, '·' | ' ' | '-'))) {
        return Err(ErrorCode::NameBadChar);
    }
    Ok(trimmed.to_owned())
}

/// ISO 7064 MOD 11-2 weights for the 17 body digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check characters indexed by the weighted sum mod 11.
const CHECK: [u8; 11] = *b"10X98765432";

/// The check character of a 17-digit body.
pub fn check_char(body: &[u8; 17]) -> u8 {
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize]
}

/// An 18-character resident ID number: normalised (spaces removed, `x` upper-cased), then
/// length, characters, birth date and check character.
pub fn id_number(input: &str) -> Result<String, ErrorCode> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if s.is_empty() {
        return Err(ErrorCode::IdEmpty);
    }
    let b = s.as_bytes();
    if !s.is_ascii() || !b.iter().all(|c| c.is_ascii_digit() || *c == b'X') {
        return Err(ErrorCode::IdBadChar);
    }
    if b.len() != 18 {
        return Err(ErrorCode::IdBadLength);
    }
    if !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(ErrorCode::IdBadChar);
    }
    if !plausible_birth(&b[6..14]) {
        return Err(ErrorCode::IdBadBirthdate);
    }
    let mut body = [0u8; 17];
    body.copy_from_slice(&b[..17]);
    if check_char(&body) != b[17] {
        return Err(ErrorCode::IdBadChecksum);
    }
    Ok(s)
}

fn plausible_birth(d: &[u8]) -> bool {
    let num = |r: &[u8]| r.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
    let (y, m, day) = (num(&d[..4]), num(&d[4..6]), num(&d[6..8]));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1850..=2200).contains(&y) && (1..=days).contains(&day)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb11643_example_number_passes() {
        // The standard's own example: 11010519491231002X.
        assert_eq!(id_number("11010519491231002X"), Ok("11010519491231002X".into()));
        assert_eq!(id_number(" 110105 19491231002x "), Ok("11010519491231002X".into()));
        assert_eq!(id_number("440524188001010014"), Ok("440524188001010014".into()));
    }

    #[test]
    fn id_failures_have_their_codes() {
        assert_eq!(id_number(""), Err(ErrorCode::IdEmpty));
        assert_eq!(id_number("1101051949123100"), Err(ErrorCode::IdBadLength));
        assert_eq!(id_number("11010519491231002A"), Err(ErrorCode::IdBadChar));
        assert_eq!(id_number("11010519491231002Ｘ"), Err(ErrorCode::IdBadChar));
        assert_eq!(id_number("110105194912310021"), Err(ErrorCode::IdBadChecksum));
        assert_eq!(id_number("110105194902300020"), Err(ErrorCode::IdBadBirthdate));
    }

    #[test]
    fn every_single_digit_change_breaks_the_check() {
        let good = b"11010519491231002X";
        for i in 0..17 {
            for d in b'0'..=b'9' {
                if d == good[i] {
                    continue;
                }
                let mut v = good.to_vec();
                v[i] = d;
                let s = String::from_utf8(v).unwrap_or_default();
                assert!(id_number(&s).is_err(), "{s}");
            }
        }
    }

    #[test]
    fn logins() {
        assert_eq!(login_id("+86 138-0013-8000"), Ok(LoginId::Phone("13800138000".into())));
        assert_eq!(login_id("Demo@OKPay.test"), Ok(LoginId::Email("demo@okpay.test".into())));
        assert_eq!(login_id("12800138000"), Err(ErrorCode::LoginInvalid));
        assert_eq!(login_id("a@b"), Err(ErrorCode::LoginInvalid));
        assert_eq!(login_id(""), Err(ErrorCode::LoginInvalid));
    }

    #[test]
    fn names() {
        assert_eq!(name("  张三 "), Ok("张三".into()));
        assert_eq!(name("阿卜杜热合曼·买买提"), Ok("阿卜杜热合曼·买买提".into()));
        assert_eq!(name(""), Err(ErrorCode::NameEmpty));
        assert_eq!(name("张"), Err(ErrorCode::NameTooShort));
        assert_eq!(name("张3"), Err(ErrorCode::NameBadChar));
    }

    #[test]
    fn masking_keeps_four_and_four() {
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
    }
}
