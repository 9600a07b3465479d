//! Event series in the RFC 5545 calendars: one VEVENT per series with `RRULE`, its `DTSTART`
//! in Asia/Shanghai time (so the rule's days are Beijing days), `EXDATE` for every occurrence
//! the feed does not carry as live (cancelled, not yet published, or not the reader's), and an
//! overriding VEVENT with `RECURRENCE-ID` for an occurrence moved or changed from the series.
//!
//! The master's SEQUENCE is derived, not stored: the sum of the occurrences' SEQUENCEs plus the
//! number published, which grows with every change a subscribed calendar must see (an
//! occurrence published, moved or cancelled).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use domain::events::{EventStatus, BEIJING_OFFSET_MS};
use domain::series;

use super::ics::text;
use icalendar::{
    Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus as IcsStatus, Property,
};
use store::events::{self, EventRecord, SeriesRecord};
use store::{Db, StoreError};

const TZID: &str = "Asia/Shanghai";

/// The VTIMEZONE the `TZID` parameters refer to (RFC 5545 §3.6.5 asks for one per TZID).
/// China has kept UTC+8 without daylight saving since 1991, so one STANDARD part says it all.
/// Written by hand because the `icalendar` crate has no VTIMEZONE builder.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// The series of the events a feed carries, with all their occurrences.
#[derive(Default)]
pub struct SeriesFeed {
    series: Vec<SeriesRecord>,
    occurrences: BTreeMap<i64, Vec<EventRecord>>,
}

impl SeriesFeed {
    /// Loads the series among `shown` (two queries in all).
    pub async fn load(db: &Db, shown: &[EventRecord]) -> Result<SeriesFeed, StoreError> {
        let ids: BTreeSet<i64> = shown.iter().filter_map(|e| e.series_id).collect();
        let ids: Vec<i64> = ids.into_iter().collect();
        let series = events::find_series_many(db, &ids).await?;
        let mut occurrences: BTreeMap<i64, Vec<EventRecord>> = BTreeMap::new();
        for ev in events::occurrences_of(db, &ids).await? {
            if let Some(s) = ev.series_id {
                occurrences.entry(s).or_default().push(ev);
            }
        }
        Ok(SeriesFeed {
            series,
            occurrences,
        })
    }
}

fn local(ms: i64) -> CalendarDateTime {
    let naive = DateTime::<Utc>::from_timestamp_millis(ms + BEIJING_OFFSET_MS)
        .map(|d| d.naive_utc())
        .unwrap_or(NaiveDateTime::MIN);
    CalendarDateTime::WithTimezone {
        date_time: naive,
        tzid: TZID.into(),
    }
}

fn utc(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn with_tzid(key: &str, ms: i64) -> Property {
    Property::new(key, series::ics_local(ms))
        .add_parameter("TZID", TZID)
        .done()
}

/// Whether an occurrence shows in a calendar as taking place.
fn live(ev: &EventRecord) -> bool {
    matches!(
        ev.status,
        EventStatus::Published | EventStatus::Held | EventStatus::Closed
    )
}

/// Adds each series of `feed` that `shown` touches to `cal`; `describe` writes an event's
/// DESCRIPTION as the feed does for single events.
pub fn push_series(
    cal: &mut Calendar,
    feed: &SeriesFeed,
    shown: &[EventRecord],
    describe: impl Fn(&EventRecord) -> String,
) {
    let shown_ids: BTreeSet<i64> = shown.iter().map(|e| e.id).collect();
    for s in &feed.series {
        let all = feed
            .occurrences
            .get(&s.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let carried: Vec<&EventRecord> = all
            .iter()
            .filter(|e| shown_ids.contains(&e.id) && live(e))
            .collect();
        let sequence: i64 = all
            .iter()
            .map(|e| e.sequence + i64::from(e.published_at.is_some()))
            .sum();
        let sequence = u32::try_from(sequence).unwrap_or(0);
        let stamp = all
            .iter()
            .map(|e| e.updated_at)
            .max()
            .unwrap_or(s.created_at);
        let carried_starts: BTreeSet<i64> =
            carried.iter().filter_map(|e| e.original_start).collect();
        let starts = series::occurrences(&s.rule, s.first_start).unwrap_or_default();
        let mut master = Event::new();
        master
            .uid(&s.uid)
            .sequence(sequence)
            .timestamp(utc(stamp))
            .last_modified(utc(stamp))
            .created(utc(s.created_at))
            .starts(local(s.first_start))
            .ends(local(s.first_start + s.duration_ms))
            .summary(&text(&s.title))
            .location(&text(&s.venue))
            .status(if carried.is_empty() {
                IcsStatus::Cancelled
            } else {
                IcsStatus::Confirmed
            })
            .add_property("RRULE", series::rrule(&s.rule, s.first_start));
        if let Some(first) = carried.first().copied().or(all.first()) {
            master.description(&text(&describe(first)));
        }
        for start in starts.iter().filter(|t| !carried_starts.contains(t)) {
            master.append_multi_property(with_tzid("EXDATE", *start));
        }
        cal.push(master.done());
        for ev in carried {
            let Some(original) = ev.original_start else {
                continue;
            };
            let unchanged = ev.starts_at == original
                && ev.ends_at - ev.starts_at == s.duration_ms
                && ev.title == s.title
                && ev.venue == s.venue;
            if unchanged {
                continue;
            }
            let mut moved = Event::new();
            moved
                .uid(&s.uid)
                .sequence(sequence)
                .timestamp(utc(stamp))
                .last_modified(utc(ev.updated_at))
                .created(utc(ev.created_at))
                .starts(local(ev.starts_at))
                .ends(local(ev.ends_at))
                .summary(&text(&ev.title))
                .location(&text(&ev.venue))
                .description(&text(&describe(ev)))
                .status(IcsStatus::Confirmed)
                .append_property(with_tzid("RECURRENCE-ID", original));
            cal.push(moved.done());
        }
    }
}

/// Adds the VTIMEZONE to a written calendar that refers to it.
pub fn with_timezone(text: String) -> String {
    if !text.contains("TZID=Asia/Shanghai") {
        return text;
    }
    match text.rfind("END:VCALENDAR") {
        Some(at) => format!("{}{VTIMEZONE}{}", &text[..at], &text[at..]),
        None => text,
    }
}
