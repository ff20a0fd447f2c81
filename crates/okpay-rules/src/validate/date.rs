//! Civil (proleptic Gregorian) dates without a date crate: parsing `YYYY-MM-DD`, leap years,
//! days in a month, adding whole years, ages, day counts, and today's date in China.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar date that exists (checked on construction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists in the calendar (years 1–9999).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=9999).contains(&year) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Parse `YYYYMMDD` (8 ASCII digits), as in an ID number.
    pub fn from_compact(s: &[u8]) -> Option<Date> {
        if s.len() != 8 || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Date::new(
            digits(&s[..4]) as i32,
            digits(&s[4..6]) as u8,
            digits(&s[6..]) as u8,
        )
    }

    /// Parse `YYYY-MM-DD`; `YYYYMMDD` and `YYYY.MM.DD` (as printed on the card) are accepted too.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim().as_bytes();
        match s.len() {
            8 => Date::from_compact(s),
            10 if (s[4] == b'-' && s[7] == b'-') || (s[4] == b'.' && s[7] == b'.') => {
                let mut compact = [0u8; 8];
                compact[..4].copy_from_slice(&s[..4]);
                compact[4..6].copy_from_slice(&s[5..7]);
                compact[6..].copy_from_slice(&s[8..]);
                Date::from_compact(&compact)
            }
            _ => None,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The same month and day `n` years later (or earlier); 29 February becomes 28 February in
    /// a common year.
    pub fn add_years(self, n: i32) -> Date {
        let year = (self.year + n).clamp(1, 9999);
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }

    /// Completed years of age on `on` of someone born on `self` (0 when `on` is earlier).
    pub fn age_on(self, on: Date) -> u32 {
        let mut years = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years.max(0) as u32
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(1, 9999) as i32;
        Date { year, month, day }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }

    /// Today's date in China (UTC+8), from the system clock.
    pub fn today_china() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days((secs + 8 * 3600).div_euclid(86_400))
    }
}

fn digits(s: &[u8]) -> u32 {
    s.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_leap(2000) && is_leap(2024) && !is_leap(1900) && !is_leap(2023));
        assert_eq!(
            Date::new(2024, 2, 29).map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::new(1900, 2, 29), None);
        assert_eq!(Date::new(2023, 4, 31), None);
        assert_eq!(Date::new(2023, 13, 1), None);
        assert_eq!(Date::parse("2023-12-31"), Date::new(2023, 12, 31));
        assert_eq!(Date::parse("2023.12.31"), Date::new(2023, 12, 31));
        assert_eq!(Date::parse("2023-1-31"), None);
    }

    #[test]
    fn years_days_and_ages() {
        let feb29 = Date::new(2024, 2, 29).unwrap_or(Date::from_days(0));
        assert_eq!(feb29.add_years(10), Date::new(2034, 2, 28).unwrap_or(feb29));
        assert_eq!(feb29.add_years(4), feb29.add_years(4).add_years(0));
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        for d in [-700_000, -1, 0, 1, 19_000, 2_000_000] {
            assert_eq!(Date::from_days(d).to_days(), d);
        }
        let born = Date::new(2000, 6, 15).unwrap_or(feb29);
        assert_eq!(born.age_on(Date::new(2016, 6, 14).unwrap_or(feb29)), 15);
        assert_eq!(born.age_on(Date::new(2016, 6, 15).unwrap_or(feb29)), 16);
    }
}
