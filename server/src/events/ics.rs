//! iCalendar (RFC 5545) output for `/events.ics` and the private feeds, written with the
//! `icalendar` crate (escaping, line folding on character boundaries, CRLF).
//!
//! Times are written in UTC (`…Z`), which every calendar converts to the reader's zone; the
//! calendar also names Asia/Shanghai as its zone for clients that show one. Each event keeps its
//! UID for life and its SEQUENCE grows with every change after publishing, so subscribed
//! calendars update the event instead of adding a copy; a cancelled event stays in the feed as
//! `STATUS:CANCELLED` so calendars remove it.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{TimeZone, Utc};
use domain::directory::Directory;
use domain::events::EventStatus;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus as IcsStatus};
use store::events::{self, EventRecord};

use super::ics_series::{self, SeriesFeed};
use super::service::directory;
use crate::error::AppError;
use crate::state::AppState;

fn utc(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// A text value as written into the calendar: without carriage returns. The crate escapes line
/// feeds but passes a CR through, and a bare CR ends a content line for some readers, so a
/// title could otherwise inject a property.
pub(super) fn text(s: &str) -> String {
    s.replace('\r', "")
}

/// The DESCRIPTION of an event: its kind, hosts, agenda and cancellation reason.
fn describe(ev: &EventRecord, dir: &Directory) -> String {
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
    description
}

/// The calendar of `events`; occurrences of a series are written as their series
/// ([`ics_series`]).
pub fn calendar(
    name: &str,
    events: &[EventRecord],
    series: &SeriesFeed,
    dir: &Directory,
) -> String {
    let mut cal = Calendar::new();
    cal.properties.retain(|p| p.key() != "PRODID");
    cal.append_property(("PRODID", "-//Dazu judicial portal//exchange events//ZH"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.name(&text(name));
    cal.timezone("Asia/Shanghai");
    for ev in events.iter().filter(|e| e.series_id.is_none()) {
        let description = describe(ev, dir);
        let status = if ev.status == EventStatus::Cancelled {
            IcsStatus::Cancelled
        } else {
            IcsStatus::Confirmed
        };
        let event = Event::new()
            .uid(&text(&ev.uid))
            .sequence(u32::try_from(ev.sequence).unwrap_or(0))
            .timestamp(utc(ev.updated_at))
            .last_modified(utc(ev.updated_at))
            .created(utc(ev.created_at))
            .starts(utc(ev.starts_at))
            .ends(utc(ev.ends_at))
            .summary(&text(&ev.title))
            .location(&text(&ev.venue))
            .description(&text(&description))
            .status(status)
            .done();
        cal.push(event);
    }
    ics_series::push_series(&mut cal, series, events, |ev| describe(ev, dir));
    ics_series::with_timezone(cal.done().to_string())
}

fn ics_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// `GET /events.ics`: every published event (and those cancelled after publishing) from 90 days
/// ago, as an RFC 5545 calendar.
pub async fn public_ics(State(state): State<AppState>) -> Response {
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return AppError::from(e).into_response(),
    };
    let from = store::now_ms() - 90 * 86_400_000;
    let run = async {
        let list = events::list_public(&state.db, from, true).await?;
        let series = SeriesFeed::load(&state.db, &list).await?;
        Ok::<_, AppError>(calendar(
            "大足区司法交流活动 / Dazu judicial exchange events",
            &list,
            &series,
            &dir,
        ))
    };
    match run.await {
        Ok(body) => ics_response(body),
        Err(e) => e.into_response(),
    }
}

/// `GET /calendar/{token}.ics`: a user's private feed (their registrations and their
/// association's events). A wrong or revoked token is a 404.
pub async fn private_ics(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return AppError::NotFound.into_response();
    };
    if token.len() != 48 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return AppError::NotFound.into_response();
    }
    let run = async {
        let user_id = events::feed_user(&state.db, token)
            .await?
            .ok_or(AppError::NotFound)?;
        let user = store::users::find_user(&state.db, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let dir = directory(&state).await?;
        let list = events::feed_events(&state.db, user.id, user.unit_code.as_deref()).await?;
        let series = SeriesFeed::load(&state.db, &list).await?;
        Ok::<_, AppError>(calendar(
            &format!("{} · 交流活动 / exchange events", user.display_name),
            &list,
            &series,
            &dir,
        ))
    };
    match run.await {
        Ok(body) => ics_response(body),
        Err(e) => e.into_response(),
    }
}
