//! `Sensitive<T>`: a wrapper for secrets (tokens, passwords) that cannot be printed or
//! serialized by accident. `Debug` and `Display` print `<redacted>`; there is no
//! `Serialize` impl, so a secret can never end up in a JSON reply, a log line or a file.
//! Reading the value is explicit: [`Sensitive::expose`].

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A secret value. Deserialize it from the wire, read it with [`Sensitive::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wrap a secret.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// Read the secret. Every call site is a place where the secret leaves the wrapper.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwrap the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sensitive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Sensitive::new("tok_live_123".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "tok_live_123");
    }

    #[test]
    fn redacted_inside_derived_debug() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Pair {
            access: Sensitive<String>,
        }
        let p = Pair {
            access: Sensitive::new("abc".into()),
        };
        assert!(!format!("{p:?}").contains("abc"));
    }

    #[test]
    fn deserializes_from_plain_json_string() {
        let s: Sensitive<String> = serde_json::from_str("\"xyz\"").unwrap_or_default();
        assert_eq!(s.expose(), "xyz");
    }
}
