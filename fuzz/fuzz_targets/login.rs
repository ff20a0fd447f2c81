//! Login identifier parser: never panics; what it accepts is normalised (idempotent).
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_rules::validate::{self, LoginId};

fuzz_target!(|input: &str| {
    if let Ok(id) = validate::login_id(input) {
        match &id {
            LoginId::Phone(p) => assert!(p.len() == 11 && p.bytes().all(|b| b.is_ascii_digit())),
            LoginId::Email(e) => assert_eq!(e, &e.to_ascii_lowercase()),
        }
        assert_eq!(validate::login_id(id.as_str()), Ok(id.clone()));
    }
    let _ = validate::password(input);
});
