//! Name parser: never panics; an accepted name is 2–50 characters, trimmed, with no digit,
//! and accepting it again gives it back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_rules::validate;

fuzz_target!(|input: &str| {
    if let Ok(n) = validate::name(input) {
        let count = n.chars().count();
        assert!((2..=50).contains(&count), "{n:?}");
        assert_eq!(n.trim(), n);
        assert!(!n.chars().any(char::is_numeric), "{n:?}");
        assert_eq!(validate::name(&n), Ok(n.clone()));
    }
});
