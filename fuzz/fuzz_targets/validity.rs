//! Date parser and validity-period check: never panic; parsed dates print back as they parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okpay_rules::validate::id_number::IdKind;
use okpay_rules::validate::{Date, validity};

const KINDS: [IdKind; 6] = [
    IdKind::Resident,
    IdKind::HongKongPermit,
    IdKind::MacauPermit,
    IdKind::TaiwanPermit,
    IdKind::ForeignPermanent,
    IdKind::Legacy15,
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut parts = text.splitn(3, '|');
    let (start, end, birth) = (parts.next(), parts.next(), parts.next());
    for s in [start, end, birth].into_iter().flatten() {
        if let Some(d) = Date::parse(s) {
            assert_eq!(Date::parse(&d.to_string()), Some(d));
            assert_eq!(Date::from_days(d.to_days()), d);
            let _ = d.add_years(i32::from(head[3]) - 128);
        }
    }
    let birth = birth
        .and_then(Date::parse)
        .unwrap_or(Date::from_days(i64::from(head[0]) * 100));
    let today = Date::from_days(10_000 + i64::from(u16::from_le_bytes([head[1], head[2]])));
    let kind = KINDS[usize::from(head[3]) % KINDS.len()];
    let r = validity::check_text(birth, start, end, head[3] & 0x80 != 0, kind, today);
    assert_eq!(r.is_valid(), r.errors.is_empty());
});
