//! Names as printed on the card: trimmed, look-alike separators folded to the middle dot
//! U+00B7 (阿卜杜热合曼·买买提), Han characters from every CJK block of GB 18030, or Latin
//! letters with spaces and hyphens for permit and foreign-card holders; 2 to 50 characters.

use crate::error::ErrorCode;

/// Shortest name, in characters.
pub const MIN_CHARS: usize = 2;
/// Longest name, in characters.
pub const MAX_CHARS: usize = 50;

/// The middle dot used between the parts of a minority name.
pub const MIDDLE_DOT: char = '\u{00B7}';

/// Characters typed instead of the middle dot: bullet, katakana middle dot (full and half
/// width), full-width full stop, hyphenation point, dot operator.
const LOOK_ALIKE_DOTS: &[char] = &['•', '・', '･', '．', '‧', '⋅', '∙'];

/// A Han character: CJK Unified Ideographs and every extension (A–I), compatibility
/// ideographs, and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EE5F
        | 0x2F800..=0x2FA1F
        | 0x30000..=0x323AF)
}

/// A Latin letter (Basic Latin, Latin-1, Latin Extended-A/B and Additional).
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) && c.is_alphabetic()
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0xAD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0xE0000..=0xE0FFF)
}

fn is_emoji_or_symbol(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x2460..=0x24FF | 0x2500..=0x27BF | 0x2900..=0x2BFF
        | 0x3200..=0x33FF | 0x1F000..=0x1FAFF | 0xE000..=0xF8FF)
}

/// Fold and trim what was typed: white space at both ends removed, look-alike dots made U+00B7.
pub fn normalize(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| {
            if LOOK_ALIKE_DOTS.contains(&c) {
                MIDDLE_DOT
            } else {
                c
            }
        })
        .collect()
}

/// The name as it will be sent (normalised), or the reason it cannot be on a card.
pub fn name(input: &str) -> Result<String, ErrorCode> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(ErrorCode::NameEmpty);
    }
    for c in s.chars() {
        let code = if c.is_numeric() {
            ErrorCode::NameHasDigit
        } else if is_invisible(c) {
            ErrorCode::NameInvisibleChar
        } else if is_emoji_or_symbol(c) {
            ErrorCode::NameHasEmoji
        } else if is_han(c) || is_latin(c) || matches!(c, MIDDLE_DOT | ' ' | '-') {
            continue;
        } else if c.is_whitespace() {
            ErrorCode::NameBadSeparator
        } else if c.is_alphabetic() || c.is_ascii_punctuation() {
            ErrorCode::NameBadChar
        } else {
            ErrorCode::NameHasEmoji
        };
        return Err(code);
    }
    let han = s.chars().any(is_han);
    let latin = s.chars().any(is_latin);
    if han && latin {
        return Err(ErrorCode::NameMixedScript);
    }
    let is_sep = |c: char| matches!(c, MIDDLE_DOT | ' ' | '-');
    let chars: Vec<char> = s.chars().collect();
    let bad_edges =
        chars.first().is_some_and(|c| is_sep(*c)) || chars.last().is_some_and(|c| is_sep(*c));
    let doubled = chars.windows(2).any(|w| is_sep(w[0]) && is_sep(w[1]));
    // Han names separate their parts with the middle dot only.
    let han_spaced = han && chars.iter().any(|c| matches!(c, ' ' | '-'));
    if bad_edges || doubled || han_spaced || (!han && !latin) {
        return Err(ErrorCode::NameBadSeparator);
    }
    let count = chars.len();
    if count < MIN_CHARS {
        return Err(ErrorCode::NameTooShort);
    }
    if count > MAX_CHARS {
        return Err(ErrorCode::NameTooLong);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names() {
        assert_eq!(name("  张三 "), Ok("张三".into()));
        assert_eq!(name("\u{3000}李四\u{3000}"), Ok("李四".into()));
        assert_eq!(
            name("阿卜杜热合曼·买买提"),
            Ok("阿卜杜热合曼·买买提".into())
        );
        for dot in ['•', '・', '．', '‧'] {
            assert_eq!(
                name(&format!("阿卜杜热合曼{dot}买买提")),
                Ok("阿卜杜热合曼·买买提".into())
            );
        }
        // Extension B and G characters (GB 18030).
        assert_eq!(name("王𠀀"), Ok("王𠀀".into()));
        assert_eq!(name("李𰻞"), Ok("李𰻞".into()));
        assert_eq!(name("Chan Tai Man"), Ok("Chan Tai Man".into()));
        assert_eq!(name("Jean-Luc Picard"), Ok("Jean-Luc Picard".into()));
        assert_eq!(name("José Müller"), Ok("José Müller".into()));
    }

    #[test]
    fn bad_names_say_what_is_wrong() {
        assert_eq!(name(""), Err(ErrorCode::NameEmpty));
        assert_eq!(name("   "), Err(ErrorCode::NameEmpty));
        assert_eq!(name("张"), Err(ErrorCode::NameTooShort));
        assert_eq!(name(&"张".repeat(51)), Err(ErrorCode::NameTooLong));
        assert_eq!(name(&"张".repeat(50)).map(|s| s.chars().count()), Ok(50));
        assert_eq!(name("张3"), Err(ErrorCode::NameHasDigit));
        assert_eq!(name("张三①"), Err(ErrorCode::NameHasDigit));
        assert_eq!(name("张三😀"), Err(ErrorCode::NameHasEmoji));
        assert_eq!(name("张\u{200B}三"), Err(ErrorCode::NameInvisibleChar));
        assert_eq!(name("张\u{0007}三"), Err(ErrorCode::NameInvisibleChar));
        assert_eq!(name("·买买提"), Err(ErrorCode::NameBadSeparator));
        assert_eq!(name("买买提·"), Err(ErrorCode::NameBadSeparator));
        assert_eq!(name("阿卜杜··买买提"), Err(ErrorCode::NameBadSeparator));
        assert_eq!(name("张 三"), Err(ErrorCode::NameBadSeparator));
        assert_eq!(name("Chan  Tai"), Err(ErrorCode::NameBadSeparator));
        assert_eq!(name("张Wei"), Err(ErrorCode::NameMixedScript));
        assert_eq!(name("张.三"), Err(ErrorCode::NameBadChar));
        assert_eq!(name("Иван"), Err(ErrorCode::NameBadChar));
    }
}
