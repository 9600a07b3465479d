//! Working days as China counts them: Monday to Friday, minus the public holidays, plus the
//! make-up working days (调休) that fall on a weekend, as the State Council's General Office
//! publishes them for each year. The calendar itself is content (`content/workdays/<year>.toml`,
//! loaded by `corpus::workdays`); here are the dates, the rules and the checks of a year's
//! lists, with no clock and no files.

use std::collections::{BTreeMap, BTreeSet};

/// A calendar date (proleptic Gregorian), without a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The date if `year-month-day` exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let d = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(d)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before), after Howard Hinnant's `days_from_civil`.
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        (self.days() + 3).rem_euclid(7) as u8
    }

    /// `YYYYMMDD`, as iCalendar writes dates.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// What a day is for working-hours purposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary working day (Monday to Friday, no holiday).
    Workday,
    /// Saturday or Sunday with no make-up work.
    Weekend,
    /// A public holiday (or a day of its bridged break) as published.
    Holiday,
    /// A weekend day on which work is made up (调休上班).
    MakeUpWorkday,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday)
    }
}

/// One year's published lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearDays {
    pub holidays: BTreeSet<Date>,
    pub workdays: BTreeSet<Date>,
}

/// What is wrong with a year's lists (worded by the loader, which names the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarProblem {
    /// Not a `YYYY-MM-DD` date.
    BadDate(String),
    /// A date outside the file's year.
    WrongYear(Date),
    /// Listed twice, or both as holiday and as working day.
    Repeated(Date),
    /// A make-up working day that is not a Saturday or Sunday (those are working days anyway).
    MakeUpNotOnWeekend(Date),
    /// A second file for the same year.
    DuplicateYear(i32),
}

/// Checks one year's lists as written in its file.
pub fn check_year(
    year: i32,
    holidays: &[String],
    workdays: &[String],
) -> Result<YearDays, CalendarProblem> {
    let mut out = YearDays::default();
    let mut seen = BTreeSet::new();
    for (list, is_holiday) in [(holidays, true), (workdays, false)] {
        for s in list {
            let d = Date::parse(s).ok_or_else(|| CalendarProblem::BadDate(s.clone()))?;
            if d.year != year {
                return Err(CalendarProblem::WrongYear(d));
            }
            if !seen.insert(d) {
                return Err(CalendarProblem::Repeated(d));
            }
            if is_holiday {
                out.holidays.insert(d);
            } else {
                if d.weekday() < 5 {
                    return Err(CalendarProblem::MakeUpNotOnWeekend(d));
                }
                out.workdays.insert(d);
            }
        }
    }
    Ok(out)
}

/// The published years. A year without lists counts Monday to Friday only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearDays>,
}

impl WorkCalendar {
    /// Adds a checked year.
    pub fn add_year(&mut self, year: i32, days: YearDays) -> Result<(), CalendarProblem> {
        if self.years.contains_key(&year) {
            return Err(CalendarProblem::DuplicateYear(year));
        }
        self.years.insert(year, days);
        Ok(())
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years with lists, in order.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Of `years`, those without lists (for the warning at start).
    pub fn missing(&self, years: &[i32]) -> Vec<i32> {
        years
            .iter()
            .copied()
            .filter(|y| !self.has_year(*y))
            .collect()
    }

    /// What `date` is, where `weekdays` are the ordinary working weekdays (Monday = 0).
    pub fn day_kind(&self, date: Date, weekdays: &[u8]) -> DayKind {
        let listed = self.years.get(&date.year);
        if listed.is_some_and(|y| y.holidays.contains(&date)) {
            return DayKind::Holiday;
        }
        if listed.is_some_and(|y| y.workdays.contains(&date)) {
            return DayKind::MakeUpWorkday;
        }
        if weekdays.contains(&date.weekday()) {
            DayKind::Workday
        } else {
            DayKind::Weekend
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        let cases = [
            ("1970-01-01", 0, 3),
            ("2000-02-29", 11_016, 1),
            ("2025-10-01", 20_362, 2),
            ("2025-10-11", 20_372, 5),
            ("2026-02-14", 20_498, 5),
            ("1969-12-31", -1, 2),
        ];
        for (s, days, weekday) in cases {
            assert_eq!(d(s).days(), days, "{s}");
            assert_eq!(Date::from_days(days), d(s), "{s}");
            assert_eq!(d(s).weekday(), weekday, "{s}");
            assert_eq!(d(s).to_string(), s);
        }
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "20251001",
            "",
            "2025-04-31",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(d("2024-02-29").compact(), "20240229");
    }

    #[test]
    fn a_year_is_checked() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(check_year(2025, &s(&["2025-10-01"]), &s(&["2025-10-11"])).is_ok());
        let cases = [
            (
                s(&["2025-10-32"]),
                s(&[]),
                CalendarProblem::BadDate("2025-10-32".into()),
            ),
            (
                s(&["2026-01-01"]),
                s(&[]),
                CalendarProblem::WrongYear(d("2026-01-01")),
            ),
            (
                s(&["2025-10-01", "2025-10-01"]),
                s(&[]),
                CalendarProblem::Repeated(d("2025-10-01")),
            ),
            (
                s(&["2025-10-11"]),
                s(&["2025-10-11"]),
                CalendarProblem::Repeated(d("2025-10-11")),
            ),
            (
                s(&[]),
                s(&["2025-10-10"]),
                CalendarProblem::MakeUpNotOnWeekend(d("2025-10-10")),
            ),
        ];
        for (h, w, want) in cases {
            assert_eq!(check_year(2025, &h, &w), Err(want));
        }
        let mut cal = WorkCalendar::default();
        cal.add_year(2025, YearDays::default()).unwrap();
        assert_eq!(
            cal.add_year(2025, YearDays::default()),
            Err(CalendarProblem::DuplicateYear(2025))
        );
        assert_eq!(cal.missing(&[2025, 2026]), vec![2026]);
    }

    #[test]
    fn day_kinds_table() {
        let days = check_year(
            2025,
            &["2025-10-01", "2025-10-04"].map(String::from),
            &["2025-10-11"].map(String::from),
        )
        .unwrap();
        let mut cal = WorkCalendar::default();
        cal.add_year(2025, days).unwrap();
        let week = [0, 1, 2, 3, 4];
        let cases = [
            ("2025-10-01", DayKind::Holiday, "National Day, a Wednesday"),
            ("2025-10-04", DayKind::Holiday, "holiday on a Saturday"),
            ("2025-10-11", DayKind::MakeUpWorkday, "make-up Saturday"),
            ("2025-10-12", DayKind::Weekend, "ordinary Sunday"),
            ("2025-10-13", DayKind::Workday, "ordinary Monday"),
            ("2026-10-01", DayKind::Workday, "a year without lists"),
        ];
        for (s, want, why) in cases {
            assert_eq!(cal.day_kind(d(s), &week), want, "{why}");
        }
        assert!(DayKind::MakeUpWorkday.is_working());
        assert!(!DayKind::Holiday.is_working());
    }
}
