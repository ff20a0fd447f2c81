//! Login identifiers (mainland mobile numbers with optional +86, spaces and dashes
//! tolerated; e-mail addresses by a practical check, not RFC 5322 in full) and passwords.

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
    let compact: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
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
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
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
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert_eq!(
            login_id("+86 138-0013-8000"),
            Ok(LoginId::Phone("13800138000".into()))
        );
        assert_eq!(
            login_id("0086 13800138000"),
            Ok(LoginId::Phone("13800138000".into()))
        );
        assert_eq!(
            login_id("19912345678"),
            Ok(LoginId::Phone("19912345678".into()))
        );
        assert_eq!(
            login_id("Demo@OKPay.test"),
            Ok(LoginId::Email("demo@okpay.test".into()))
        );
        assert_eq!(
            login_id("first.last+tag@mail.example.cn"),
            Ok(LoginId::Email("first.last+tag@mail.example.cn".into()))
        );
        for bad in [
            "12800138000",
            "1380013800",
            "138001380000",
            "+1 13800138000",
            "a@b",
            "",
            "a..b@x.cn",
            ".a@x.cn",
            "a@-x.cn",
            "a@x.c1",
            "a b@x.cn",
        ] {
            assert_eq!(login_id(bad), Err(ErrorCode::LoginInvalid), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(password("1234567"), Err(ErrorCode::PasswordTooShort));
        assert_eq!(password("12345678"), Ok(()));
    }
}
