//! Event series (Art. 12's 常态化 regular exchanges): the recurrence rule of a series, its
//! expansion into occurrence start times, and its RFC 5545 `RRULE` text. Pure: no clock, no SQL.
//!
//! The rule takes its day from the first start, so the first start is always the first
//! occurrence (as RFC 5545 requires of `DTSTART`): weekly on that weekday, monthly on that day
//! of the month or on that n-th weekday (the fifth counts as the last), quarterly on that day of
//! the month. Times are Beijing local times, so an occurrence keeps its clock time; months
//! without the day are skipped, as RFC 5545 does, and the count counts only real occurrences.

use serde::{Deserialize, Serialize};

use crate::events::{local_parts, EventRefusal, BEIJING_OFFSET_MS};
use crate::workdays::{days_in_month, Date};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// The most occurrences one series may have.
pub const MAX_OCCURRENCES: usize = 52;

/// How often a series recurs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every `interval` weeks on the first start's weekday.
    Weekly,
    /// Every `interval` months on the first start's day of the month.
    MonthlyByDate,
    /// Every `interval` months on the first start's n-th weekday (e.g. the second Tuesday).
    MonthlyByWeekday,
    /// Every `interval` quarters (three months) on the first start's day of the month.
    Quarterly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Weekly,
        Frequency::MonthlyByDate,
        Frequency::MonthlyByWeekday,
        Frequency::Quarterly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::MonthlyByDate => "monthly_by_date",
            Frequency::MonthlyByWeekday => "monthly_by_weekday",
            Frequency::Quarterly => "quarterly",
        }
    }

    pub fn parse(s: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

/// When a series stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesEnd {
    /// After this many occurrences.
    Count(u32),
    /// With the last occurrence on or before this (Beijing) date.
    Until(Date),
}

/// A series' recurrence rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    pub end: SeriesEnd,
}

/// Builds a rule from its parts as typed, checked.
pub fn check_rule(
    frequency: &str,
    interval: Option<u32>,
    count: Option<u32>,
    until: Option<&str>,
) -> Result<Rule, EventRefusal> {
    let frequency = Frequency::parse(frequency).ok_or(EventRefusal::RuleMissing)?;
    let interval = interval.unwrap_or(1);
    if !(1..=12).contains(&interval) {
        return Err(EventRefusal::RuleInterval);
    }
    let until = until.map(str::trim).filter(|u| !u.is_empty());
    let end = match (count, until) {
        (Some(n), None) if (1..=MAX_OCCURRENCES as u32).contains(&n) => SeriesEnd::Count(n),
        (None, Some(u)) => SeriesEnd::Until(Date::parse(u).ok_or(EventRefusal::RuleEnd)?),
        _ => return Err(EventRefusal::RuleEnd),
    };
    Ok(Rule {
        frequency,
        interval,
        end,
    })
}

/// The n-th (1–4) weekday of the month a date is, or -1 for the fifth, which is the last.
fn nth_of_month(date: Date) -> i32 {
    match (date.day - 1) / 7 + 1 {
        5 => -1,
        n => n as i32,
    }
}

/// The day of `year-month` that is the `nth` `weekday` (-1: the last), if there is one.
fn nth_weekday(year: i32, month: u32, weekday: u8, nth: i32) -> Option<Date> {
    let first = Date::new(year, month, 1)?;
    let offset = (i64::from(weekday) - i64::from(first.weekday())).rem_euclid(7) as u32;
    let days = days_in_month(year, month);
    let day = if nth > 0 {
        1 + offset + 7 * (nth as u32 - 1)
    } else {
        1 + offset + 7 * ((days - 1 - offset) / 7)
    };
    Date::new(year, month, day)
}

/// The candidate date of step `k` (0 = the first start), or `None` where that month lacks it.
fn step(rule: &Rule, first: Date, k: u32) -> Option<Date> {
    let months = |per: u32| {
        let m0 = first.year * 12 + first.month as i32 - 1 + (k * per * rule.interval) as i32;
        (m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1)
    };
    match rule.frequency {
        Frequency::Weekly => Some(Date::from_days(
            first.days() + 7 * i64::from(k * rule.interval),
        )),
        Frequency::MonthlyByDate | Frequency::Quarterly => {
            let per = if rule.frequency == Frequency::Quarterly {
                3
            } else {
                1
            };
            let (y, m) = months(per);
            Date::new(y, m, first.day)
        }
        Frequency::MonthlyByWeekday => {
            let (y, m) = months(1);
            nth_weekday(y, m, first.weekday(), nth_of_month(first))
        }
    }
}

/// The start times (UTC ms) of a rule's occurrences from `first_start`, in order. More than
/// [`MAX_OCCURRENCES`] (or an end date before the first start) is refused.
pub fn occurrences(rule: &Rule, first_start: i64) -> Result<Vec<i64>, EventRefusal> {
    let (day, minute, _) = local_parts(first_start);
    let first = Date::from_days(day);
    if let SeriesEnd::Until(u) = rule.end {
        if u < first {
            return Err(EventRefusal::RuleUntilBeforeStart);
        }
    }
    let mut out = Vec::new();
    // Skipped months are rare (a 31st, a fifth weekday), so this bound is never the limit.
    for k in 0..(MAX_OCCURRENCES as u32 * 4) {
        let Some(date) = step(rule, first, k) else {
            continue;
        };
        match rule.end {
            SeriesEnd::Count(n) if out.len() >= n as usize => break,
            SeriesEnd::Until(u) if date > u => break,
            _ => {}
        }
        if out.len() == MAX_OCCURRENCES {
            return Err(EventRefusal::TooManyOccurrences);
        }
        out.push(date.days() * DAY + i64::from(minute) * MINUTE - BEIJING_OFFSET_MS);
    }
    Ok(out)
}

const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The `RRULE` value of a rule whose `DTSTART` is `first_start` written in Asia/Shanghai
/// time (so `BYDAY`/`BYMONTHDAY` are Beijing days; `UNTIL` is in UTC as RFC 5545 asks).
pub fn rrule(rule: &Rule, first_start: i64) -> String {
    let first = Date::from_days(local_parts(first_start).0);
    let mut s = match rule.frequency {
        Frequency::Weekly => format!(
            "FREQ=WEEKLY;INTERVAL={};BYDAY={}",
            rule.interval,
            BYDAY[first.weekday() as usize]
        ),
        Frequency::MonthlyByDate => {
            format!(
                "FREQ=MONTHLY;INTERVAL={};BYMONTHDAY={}",
                rule.interval, first.day
            )
        }
        Frequency::MonthlyByWeekday => format!(
            "FREQ=MONTHLY;INTERVAL={};BYDAY={}{}",
            rule.interval,
            nth_of_month(first),
            BYDAY[first.weekday() as usize]
        ),
        Frequency::Quarterly => format!(
            "FREQ=MONTHLY;INTERVAL={};BYMONTHDAY={}",
            3 * rule.interval,
            first.day
        ),
    };
    match rule.end {
        SeriesEnd::Count(n) => s.push_str(&format!(";COUNT={n}")),
        SeriesEnd::Until(u) => {
            // The end of that Beijing day, in UTC.
            let end = (u.days() + 1) * DAY - BEIJING_OFFSET_MS - 1000;
            let d = Date::from_days(end.div_euclid(DAY));
            let secs = end.rem_euclid(DAY) / 1000;
            s.push_str(&format!(
                ";UNTIL={}T{:02}{:02}{:02}Z",
                d.compact(),
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            ));
        }
    }
    s
}

/// The local date-time of an instant as iCalendar writes it with `TZID=Asia/Shanghai`
/// (`YYYYMMDDTHHMMSS`).
pub fn ics_local(ms: i64) -> String {
    let (day, minute, _) = local_parts(ms);
    let secs = (ms + BEIJING_OFFSET_MS).rem_euclid(MINUTE) / 1000;
    format!(
        "{}T{:02}{:02}{:02}",
        Date::from_days(day).compact(),
        minute / 60,
        minute % 60,
        secs
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTC ms of `h:m` Beijing time on `date`.
    fn on(date: &str, h: i64, m: i64) -> i64 {
        Date::parse(date).unwrap().days() * DAY + h * 3_600_000 + m * MINUTE - BEIJING_OFFSET_MS
    }

    fn dates(v: &[i64]) -> Vec<String> {
        v.iter()
            .map(|ms| Date::from_days(local_parts(*ms).0).to_string())
            .collect()
    }

    fn rule(f: Frequency, interval: u32, end: SeriesEnd) -> Rule {
        Rule {
            frequency: f,
            interval,
            end,
        }
    }

    #[test]
    fn expansion_table() {
        use Frequency::*;
        use SeriesEnd::*;
        let until = |s: &str| Until(Date::parse(s).unwrap());
        let cases: Vec<(Rule, &str, Vec<&str>)> = vec![
            (
                rule(Weekly, 1, Count(3)),
                "2027-03-02",
                vec!["2027-03-02", "2027-03-09", "2027-03-16"],
            ),
            (
                rule(Weekly, 2, until("2027-03-30")),
                "2027-03-02",
                vec!["2027-03-02", "2027-03-16", "2027-03-30"],
            ),
            (
                rule(Quarterly, 1, Count(4)),
                "2027-01-12",
                vec!["2027-01-12", "2027-04-12", "2027-07-12", "2027-10-12"],
            ),
            (
                rule(MonthlyByDate, 1, Count(3)),
                "2027-01-31",
                vec!["2027-01-31", "2027-03-31", "2027-05-31"],
            ),
            (
                rule(MonthlyByWeekday, 1, Count(3)),
                "2027-01-12",
                vec!["2027-01-12", "2027-02-09", "2027-03-09"],
            ),
            (
                // 2027-03-30 is the fifth Tuesday: the last one each month.
                rule(MonthlyByWeekday, 1, Count(3)),
                "2027-03-30",
                vec!["2027-03-30", "2027-04-27", "2027-05-25"],
            ),
            (
                rule(MonthlyByDate, 6, until("2028-12-31")),
                "2027-12-15",
                vec!["2027-12-15", "2028-06-15", "2028-12-15"],
            ),
        ];
        for (r, first, want) in cases {
            let got = occurrences(&r, on(first, 9, 30)).expect("valid");
            assert_eq!(dates(&got), want, "{r:?} from {first}");
            assert!(got.iter().all(|ms| local_parts(*ms).1 == 9 * 60 + 30));
        }
    }

    #[test]
    fn early_morning_keeps_its_beijing_day() {
        // 07:00 Beijing is the previous day in UTC.
        let r = rule(Frequency::MonthlyByWeekday, 1, SeriesEnd::Count(2));
        let got = occurrences(&r, on("2027-01-12", 7, 0)).unwrap();
        assert_eq!(dates(&got), vec!["2027-01-12", "2027-02-09"]);
        assert_eq!(
            rrule(&r, on("2027-01-12", 7, 0)),
            "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=2"
        );
        assert_eq!(ics_local(on("2027-01-12", 7, 5)), "20270112T070500");
    }

    #[test]
    fn limits_are_refused() {
        let first = on("2027-01-04", 9, 0);
        let r = rule(
            Frequency::Weekly,
            1,
            SeriesEnd::Until(Date::parse("2029-01-01").unwrap()),
        );
        assert_eq!(
            occurrences(&r, first),
            Err(EventRefusal::TooManyOccurrences)
        );
        let r = rule(
            Frequency::Weekly,
            1,
            SeriesEnd::Until(Date::parse("2027-01-03").unwrap()),
        );
        assert_eq!(
            occurrences(&r, first),
            Err(EventRefusal::RuleUntilBeforeStart)
        );
        let r = rule(Frequency::Weekly, 1, SeriesEnd::Count(52));
        assert_eq!(occurrences(&r, first).unwrap().len(), 52);
        let cases = [
            ("yearly", Some(1), Some(4), None, EventRefusal::RuleMissing),
            ("weekly", Some(0), Some(4), None, EventRefusal::RuleInterval),
            (
                "weekly",
                Some(13),
                Some(4),
                None,
                EventRefusal::RuleInterval,
            ),
            ("weekly", None, None, None, EventRefusal::RuleEnd),
            ("weekly", None, Some(53), None, EventRefusal::RuleEnd),
            ("weekly", None, Some(0), None, EventRefusal::RuleEnd),
            (
                "weekly",
                None,
                Some(4),
                Some("2027-05-01"),
                EventRefusal::RuleEnd,
            ),
            (
                "weekly",
                None,
                None,
                Some("2027-02-30"),
                EventRefusal::RuleEnd,
            ),
        ];
        for (f, i, c, u, want) in cases {
            assert_eq!(check_rule(f, i, c, u), Err(want), "{f} {i:?} {c:?} {u:?}");
        }
        assert_eq!(
            check_rule("quarterly", None, Some(4), None),
            Ok(rule(Frequency::Quarterly, 1, SeriesEnd::Count(4)))
        );
    }

    #[test]
    fn rrule_text_table() {
        let first = on("2027-01-12", 9, 0);
        let until = SeriesEnd::Until(Date::parse("2027-12-31").unwrap());
        let cases = [
            (
                rule(Frequency::Weekly, 2, SeriesEnd::Count(5)),
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=5",
            ),
            (
                rule(Frequency::MonthlyByDate, 1, until),
                "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=12;UNTIL=20271231T155959Z",
            ),
            (
                rule(Frequency::MonthlyByWeekday, 1, SeriesEnd::Count(3)),
                "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=3",
            ),
            (
                rule(Frequency::Quarterly, 1, SeriesEnd::Count(4)),
                "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=12;COUNT=4",
            ),
        ];
        for (r, want) in cases {
            assert_eq!(rrule(&r, first), want);
        }
    }
}
