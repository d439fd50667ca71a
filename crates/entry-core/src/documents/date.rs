//! Calendar dates (proleptic Gregorian) as documents print them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
/// A calendar date as printed on a document (proleptic Gregorian, no time zone).
pub struct CalendarDate {
    /// The year, e.g. 1974.
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    /// 1..=31, valid for the month.
    pub day: u8,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl CalendarDate {
    /// A valid date, or `None` (month 13, 30 February, ...).
    pub fn new(year: i32, month: u8, day: u8) -> Option<CalendarDate> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(CalendarDate { year, month, day })
    }

    /// The UTC date of a Unix time.
    pub fn from_unix_seconds(seconds: i64) -> CalendarDate {
        // Howard Hinnant's civil_from_days.
        let z = seconds.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CalendarDate { year, month, day }
    }

    /// Completed years of age on `on`. Someone born on 29 February turns a year older on
    /// 1 March in common years (the rule most jurisdictions apply).
    pub fn age_on(&self, on: CalendarDate) -> i32 {
        let had_birthday = (on.month, on.day) >= (self.month, self.day)
            || (self.month == 2 && self.day == 29 && !is_leap_year(on.year) && (on.month, on.day) >= (3, 1));
        on.year - self.year - i32::from(!had_birthday)
    }
}

impl std::fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_calendar_dates() {
        assert!(CalendarDate::new(2024, 2, 29).is_some());
        assert!(CalendarDate::new(2023, 2, 29).is_none());
        assert!(CalendarDate::new(1900, 2, 29).is_none());
        assert!(CalendarDate::new(2000, 2, 29).is_some());
        assert!(CalendarDate::new(2024, 13, 1).is_none());
        assert!(CalendarDate::new(2024, 4, 31).is_none());
        assert!(CalendarDate::new(2024, 1, 0).is_none());
    }

    #[test]
    fn unix_time_to_date() {
        assert_eq!(CalendarDate::from_unix_seconds(0), CalendarDate { year: 1970, month: 1, day: 1 });
        assert_eq!(CalendarDate::from_unix_seconds(951_782_400), CalendarDate { year: 2000, month: 2, day: 29 });
        assert_eq!(CalendarDate::from_unix_seconds(1_795_651_200), CalendarDate { year: 2026, month: 11, day: 26 });
        assert_eq!(CalendarDate::from_unix_seconds(-86_400), CalendarDate { year: 1969, month: 12, day: 31 });
    }

    #[test]
    fn age_counts_completed_years_and_leap_day_birthdays() {
        let born = CalendarDate::new(2008, 2, 29).unwrap();
        assert_eq!(born.age_on(CalendarDate::new(2026, 2, 28).unwrap()), 17);
        assert_eq!(born.age_on(CalendarDate::new(2026, 3, 1).unwrap()), 18);
        assert_eq!(born.age_on(CalendarDate::new(2028, 2, 28).unwrap()), 19);
        assert_eq!(born.age_on(CalendarDate::new(2028, 2, 29).unwrap()), 20);
        let d = CalendarDate::new(1990, 6, 15).unwrap();
        assert_eq!(d.age_on(CalendarDate::new(2026, 6, 14).unwrap()), 35);
        assert_eq!(d.age_on(CalendarDate::new(2026, 6, 15).unwrap()), 36);
    }
}
