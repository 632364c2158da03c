//! Calendar dates (`YYYY-MM-DD`) for secret expiry and bundle dates: parsing exactly that
//! form, the days between two dates, and RFC 3339 times. The calendar itself is the `time`
//! crate's; this type only fixes the one text form the files and faces use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A date in the proleptic Gregorian calendar, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(time::Date);

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

impl CalendarDate {
    /// A real date between 1970 and 9999 (what an admin can mean by a secret's expiry).
    pub fn new(year: i32, month: u32, day: u32) -> Option<CalendarDate> {
        if !(1970..=9999).contains(&year) {
            return None;
        }
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok().map(CalendarDate)
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<CalendarDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            let part = text.get(range)?;
            part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse::<u32>().ok())?
        };
        CalendarDate::new(number(0..4)? as i32, number(5..7)?, number(8..10)?)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        i64::from(self.0.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
    }

    /// The date of a day count since 1970-01-01 (clamped to the calendar's range).
    pub fn from_days_since_epoch(days: i64) -> CalendarDate {
        let julian = (days + UNIX_EPOCH_JULIAN_DAY)
            .clamp(i64::from(time::Date::MIN.to_julian_day()), i64::from(time::Date::MAX.to_julian_day()));
        CalendarDate(time::Date::from_julian_day(julian as i32).expect("clamped to the calendar's range"))
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
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
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
        for bad in
            ["2027-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-01T00", "", "2026-+1-01", "1969-12-31"]
        {
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
