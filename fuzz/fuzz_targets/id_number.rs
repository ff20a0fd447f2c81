//! ID number parser: never panics; a number it accepts is 18 characters of `[0-9]{17}[0-9X]`
//! with a correct check character, and re-checking the accepted form gives the same answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_rules::validate::{self, Date, Policy};

fuzz_target!(|data: &[u8]| {
    let Some((&day, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let today = Date::from_days(20_000 + i64::from(day) * 7);
    let report = validate::analyze(input, today, &Policy::default());
    if let Ok(n) = validate::id_number_on(input, today) {
        let b = n.as_bytes();
        assert_eq!(b.len(), 18);
        assert!(b[..17].iter().all(u8::is_ascii_digit));
        let body: [u8; 17] = b[..17].try_into().unwrap_or([b'0'; 17]);
        assert_eq!(validate::check_char(&body), b[17]);
        assert_eq!(validate::id_number_on(&n, today), Ok(n.clone()));
        assert!(report.is_valid());
    }
    if let Some(up) = &report.upgraded {
        assert_eq!(validate::id_number_on(up, today), Ok(up.clone()));
    }
    let _ = validate::mask_id_number(input);
});
