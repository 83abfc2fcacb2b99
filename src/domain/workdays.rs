//! Working days and the deadlines counted in them. State bodies answer an
//! appeal within 15 working days: weekends and public holidays do not count.
//! The holidays live in `assets/holidays.toml`, not in code, because the
//! movable ones (Kurban ait) and the government's transfers are published
//! year by year.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The default control period of an appeal, in working days.
pub const DEFAULT_CONTROL_DAYS: u32 = 15;

/// Which days are working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    days_off: BTreeSet<NaiveDate>,
    /// Saturdays or Sundays worked in place of a transferred day off.
    working: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("holidays file: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("holidays file, year {year}: {date} is not in that year")]
    WrongYear { year: i32, date: NaiveDate },
    #[error("holidays file: {0} is listed both as a day off and as a working day")]
    Both(NaiveDate),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    year: Vec<YearEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    year: i32,
    days_off: Vec<NaiveDate>,
    #[serde(default)]
    working_days: Vec<NaiveDate>,
}

const BUILT_IN: &str = include_str!("../../assets/holidays.toml");

impl Calendar {
    /// The calendar shipped in `assets/holidays.toml`, checked by a test.
    pub fn builtin() -> &'static Calendar {
        static CALENDAR: OnceLock<Calendar> = OnceLock::new();
        CALENDAR.get_or_init(|| Calendar::parse(BUILT_IN).expect("assets/holidays.toml is valid"))
    }

    pub fn parse(toml_text: &str) -> Result<Calendar, CalendarError> {
        let file: File = toml::from_str(toml_text)?;
        let mut cal = Calendar::default();
        for y in file.year {
            for &date in y.days_off.iter().chain(&y.working_days) {
                if date.year() != y.year {
                    return Err(CalendarError::WrongYear { year: y.year, date });
                }
            }
            cal.years.insert(y.year);
            cal.days_off.extend(y.days_off);
            cal.working.extend(y.working_days);
        }
        if let Some(&d) = cal.days_off.intersection(&cal.working).next() {
            return Err(CalendarError::Both(d));
        }
        Ok(cal)
    }

    /// Whether the file lists the holidays of `year` (otherwise only
    /// weekends are skipped in it).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// A public holiday or a day off moved onto a weekday.
    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.days_off.contains(&day)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working.contains(&day) {
            return true;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.days_off.contains(&day)
    }

    /// The `n`-th working day after `from` (the day of receipt itself does
    /// not count). `n = 0` gives `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `today` to `deadline`, as deadlines are counted:
    /// 0 when it is due today (or on the days off before the next working
    /// day), 1 when due on the next working day; negative, the working
    /// days since it passed.
    pub fn working_days_left(&self, today: NaiveDate, deadline: NaiveDate) -> i64 {
        let count = |from: NaiveDate, to: NaiveDate| -> i64 {
            from.iter_days()
                .skip(1)
                .take_while(|d| *d <= to)
                .filter(|d| self.is_working_day(*d))
                .count() as i64
        };
        if deadline >= today {
            count(today, deadline)
        } else {
            -count(deadline, today)
        }
    }

    /// The default deadline of an appeal received on `received`.
    pub fn default_deadline(&self, received: NaiveDate) -> NaiveDate {
        self.add_working_days(received, DEFAULT_CONTROL_DAYS)
    }
}

/// Working days from `today` to `deadline` in the built-in calendar
/// (`Calendar::working_days_left`): the deadline is in working days, so is
/// what the screens say is left of it, or past it.
pub fn days_left(today: NaiveDate, deadline: NaiveDate) -> i64 {
    Calendar::builtin().working_days_left(today, deadline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_left_are_working_days() {
        // Friday 6 March 2026 to the following Monday (8 March, a holiday,
        // is a Sunday: its day off moves to Monday the 9th) and Tuesday
        let cal = Calendar::builtin();
        let fri = d(2026, 3, 6);
        assert_eq!(cal.working_days_left(fri, fri), 0);
        assert_eq!(cal.working_days_left(fri, d(2026, 3, 8)), 0, "a Sunday");
        let tue = d(2026, 3, 10);
        let left = cal.working_days_left(fri, tue);
        assert!(
            left < (tue - fri).num_days(),
            "{left}: the weekend is not counted"
        );
        assert_eq!(cal.working_days_left(tue, fri), -left);
        assert_eq!(days_left(fri, tue), left);
    }

    #[test]
    fn builtin_file_is_valid_and_covers_three_years() {
        let cal = Calendar::builtin();
        for y in [2025, 2026, 2027] {
            assert!(cal.covers(y), "{y}");
        }
        assert!(!cal.covers(2030));
        // every listed day off is a weekday: a weekend day off changes nothing
        // and would hide a missing transfer (Kurban ait 2027 is the one
        // religious holiday that falls on a Sunday and is kept as published)
        for day in &cal.days_off {
            if *day != d(2027, 5, 16) {
                assert!(
                    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                    "{day} is a weekend"
                );
            }
        }
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = Calendar::default();
        // Friday 2026-02-06 + 1 working day = Monday 2026-02-09
        assert_eq!(cal.add_working_days(d(2026, 2, 6), 1), d(2026, 2, 9));
        // received on a Saturday: the first working day is Monday
        assert_eq!(cal.add_working_days(d(2026, 2, 7), 1), d(2026, 2, 9));
        // 15 working days from Monday 2026-02-02 = three weeks later, Monday 23rd
        assert_eq!(cal.add_working_days(d(2026, 2, 2), 15), d(2026, 2, 23));
        assert_eq!(cal.add_working_days(d(2026, 2, 2), 0), d(2026, 2, 2));
    }

    #[test]
    fn nauryz_and_its_transfers_are_skipped() {
        let cal = Calendar::builtin();
        // 2026: 21–22 Mar are a weekend, 23 Mar is Nauryz, 24–25 replace the weekend
        for day in 23..=25 {
            assert!(!cal.is_working_day(d(2026, 3, day)), "{day}");
        }
        assert!(cal.is_working_day(d(2026, 3, 26)));
        // Friday 20 March + 1 working day = Thursday 26 March
        assert_eq!(cal.add_working_days(d(2026, 3, 20), 1), d(2026, 3, 26));
        // received Monday 16 March 2026: 15 working days skip two weekends and
        // three days of Nauryz: 17–20 (4), 26–27 (6), 30 Mar–3 Apr (11),
        // 6–9 Apr (15)
        assert_eq!(cal.default_deadline(d(2026, 3, 16)), d(2026, 4, 9));
        // without the holidays it would be three days earlier
        assert_eq!(
            Calendar::default().default_deadline(d(2026, 3, 16)),
            d(2026, 4, 6)
        );
    }

    #[test]
    fn may_holidays_and_kurban_ait_2026() {
        let cal = Calendar::builtin();
        // Thursday 30 April 2026: 1 May (Fri) off, weekend, then Mon 4 May
        assert_eq!(cal.add_working_days(d(2026, 4, 30), 1), d(2026, 5, 4));
        // 7 May (Thu) off; 9 May is a Saturday, so Monday 11 May is off
        assert!(!cal.is_working_day(d(2026, 5, 7)));
        assert!(!cal.is_working_day(d(2026, 5, 11)));
        assert!(!cal.is_working_day(d(2026, 5, 27)));
        // Tuesday 26 May + 1 = Thursday 28 May, over Kurban ait
        assert_eq!(cal.add_working_days(d(2026, 5, 26), 1), d(2026, 5, 28));
    }

    #[test]
    fn new_year_and_a_transferred_working_sunday() {
        let cal = Calendar::builtin();
        // 2025: 1–3 January off, Sunday 5 January worked instead of the 3rd
        assert!(!cal.is_working_day(d(2025, 1, 3)));
        assert!(cal.is_working_day(d(2025, 1, 5)));
        assert_eq!(cal.add_working_days(d(2024, 12, 31), 1), d(2025, 1, 5));
        // 2027: 2 January is a Saturday, so Monday 4 January is off
        assert_eq!(cal.add_working_days(d(2026, 12, 31), 1), d(2027, 1, 5));
    }

    #[test]
    fn bad_files_refused() {
        let wrong_year = "[[year]]\nyear = 2026\ndays_off = [\"2025-01-01\"]\n";
        assert!(matches!(
            Calendar::parse(wrong_year),
            Err(CalendarError::WrongYear { .. })
        ));
        let both =
            "[[year]]\nyear = 2026\ndays_off = [\"2026-01-03\"]\nworking_days = [\"2026-01-03\"]\n";
        assert!(matches!(Calendar::parse(both), Err(CalendarError::Both(_))));
        assert!(Calendar::parse("[[year]]\nyear = 2026\n").is_err());
    }

    #[test]
    fn days_left_counts_calendar_days() {
        assert_eq!(days_left(d(2026, 3, 2), d(2026, 3, 5)), 3);
        assert_eq!(days_left(d(2026, 3, 5), d(2026, 3, 2)), -3);
        assert_eq!(days_left(d(2026, 3, 2), d(2026, 3, 2)), 0);
    }
}
