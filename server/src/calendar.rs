//! iCalendar (RFC 5545) output for `/events.ics` and the private feeds, written with the
//! `icalendar` crate (escaping, line folding on character boundaries, CRLF).
//!
//! Times are written in UTC (`…Z`), which every calendar converts to the reader's zone; the
//! calendar also names Asia/Shanghai as its zone for clients that show one. Each event keeps its
//! UID for life and its SEQUENCE grows with every change after publishing, so subscribed
//! calendars update the event instead of adding a copy; a cancelled event stays in the feed as
//! `STATUS:CANCELLED` so calendars remove it.

use chrono::{TimeZone, Utc};
use domain::directory::Directory;
use domain::events::EventStatus;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus as IcsStatus};
use store::events::EventRecord;

fn utc(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The calendar of `events`.
pub fn calendar(name: &str, events: &[EventRecord], dir: &Directory) -> String {
    let mut cal = Calendar::new();
    cal.properties.retain(|p| p.key() != "PRODID");
    cal.append_property(("PRODID", "-//Dazu judicial portal//exchange events//ZH"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.name(name);
    cal.timezone("Asia/Shanghai");
    for ev in events {
        let hosts = std::iter::once(ev.host_unit.clone())
            .chain(ev.accepted_cohosts())
            .map(|c| dir.get(&c).map(|u| u.name_zh.clone()).unwrap_or(c))
            .collect::<Vec<_>>()
            .join("、");
        let mut description = format!("{} · 主办：{hosts}", ev.kind.label_zh());
        if !ev.agenda.trim().is_empty() {
            description.push_str("\n\n");
            description.push_str(ev.agenda.trim());
        }
        if let Some(reason) = ev.cancel_reason.as_deref() {
            description.push_str("\n\n已取消 / cancelled: ");
            description.push_str(reason);
        }
        let status = if ev.status == EventStatus::Cancelled {
            IcsStatus::Cancelled
        } else {
            IcsStatus::Confirmed
        };
        let event = Event::new()
            .uid(&ev.uid)
            .sequence(u32::try_from(ev.sequence).unwrap_or(0))
            .timestamp(utc(ev.updated_at))
            .last_modified(utc(ev.updated_at))
            .created(utc(ev.created_at))
            .starts(utc(ev.starts_at))
            .ends(utc(ev.ends_at))
            .summary(&ev.title)
            .location(&ev.venue)
            .description(&description)
            .status(status)
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}
