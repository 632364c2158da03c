//! Calendar dates (`YYYY-MM-DD`) for secret expiry, without a date library: parsing,
//! validation, and the number of days between two dates.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: i32,
    month: u32,
    day: u32,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

impl CalendarDate {
    pub fn new(year: i32, month: u32, day: u32) -> Option<CalendarDate> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && (1970..=9999).contains(&year))
            .then_some(CalendarDate { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<CalendarDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
        CalendarDate::new(number(0..4)? as i32, number(5..7)?, number(8..10)?)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date of a day count since 1970-01-01 (civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> CalendarDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        CalendarDate { year, month, day }
    }

    /// A Unix time as RFC 3339 UTC to the second, e.g. `2026-11-23T06:09:16Z`.
    pub fn rfc3339_from_unix_seconds(seconds: i64) -> String {
        let date = CalendarDate::from_days_since_epoch(seconds.div_euclid(86_400));
        let of_day = seconds.rem_euclid(86_400);
        format!("{date}T{:02}:{:02}:{:02}Z", of_day / 3600, of_day % 3600 / 60, of_day % 60)
    }

    pub fn days_until(self, later: CalendarDate) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CalendarDate::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a YYYY-MM-DD date")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_unix_seconds_as_rfc3339() {
        // 2026-11-23T06:09:16Z, checked with `date -u -d @1795414156`.
        assert_eq!(CalendarDate::rfc3339_from_unix_seconds(1_795_414_156), "2026-11-23T06:09:16Z");
        assert_eq!(CalendarDate::rfc3339_from_unix_seconds(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(CalendarDate::parse("2028-02-29").unwrap().to_string(), "2028-02-29");
        for bad in ["2027-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-01T00", ""] {
            assert!(CalendarDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn day_counts_round_trip_and_count_across_leap_years() {
        for days in [0, 59, 60, 365, 10_000, 20_780, 40_000] {
            assert_eq!(CalendarDate::from_days_since_epoch(days).days_since_epoch(), days);
        }
        let start = CalendarDate::parse("2028-02-28").unwrap();
        assert_eq!(start.days_until(CalendarDate::parse("2028-03-01").unwrap()), 2);
        assert_eq!(CalendarDate::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }
}
