//! Exchange events (Art. 12): official venues, events and their life cycle, co-host
//! invitations, registrations with capacity and waitlist, attendance, the public register,
//! in-app notifications and private calendar feeds.
//!
//! Every change that touches places (register, cancel, promote) first locks the event row with
//! a write (`UPDATE events SET … WHERE id = $1`): PostgreSQL then serialises on the row and
//! SQLite takes its write lock before counting, so capacity holds however many register at once.
//! Notifications and the audit entry are written in the transaction of the change they record.
//!
//! One file per part: `venues.rs` (the listed venues), `reading.rs` (events and registrations as
//! pages read them), `writing.rs` (an event's life cycle and co-host invitations),
//! `registrations.rs` (places, waitlist, check-in, attendance), `attendance.rs` (training hours,
//! the public register, the dashboard's figures), `notifications.rs` and `feeds.rs` (private
//! calendar feeds). Every public item is re-exported here, so paths stay
//! `store::events::register` and the like.

use std::collections::BTreeMap;

use domain::events::{EventKind, EventRefusal, EventStatus, Flag};
use sqlx::Row;

use crate::{Db, StoreError};

mod attendance;
mod feeds;
mod notifications;
mod reading;
mod registrations;
mod series;
mod venues;
mod writing;

pub use attendance::{
    attended_events, attended_hours, exchange_figures, public_register, year_start_ms,
    ExchangeFigures, RegisterEntry,
};
pub use feeds::{create_feed, feed_created_at, feed_events, feed_user, revoke_feed};
pub use notifications::{list_notifications, mark_all_read, unread_count, Notification};
pub use reading::{
    find, list_for_unit, list_in_range, list_mine, list_public, pending_invitations, registrants,
    registration,
};
pub use registrations::{
    cancel_registration, check_in, mark_attendance, register, Declaration, CHECKIN_TRIES,
    CHECKIN_WINDOW_MS,
};
pub use series::{
    attendance_by_kind, create_series, find_series, find_series_many, occurrences_of, plan_counts,
    plan_events, seed_demo_series, series_for_unit, update_series_entry, PlanCount, SeriesInput,
    SeriesRecord,
};
pub use venues::{add_venue, list_venues, seed_demo_venues, set_venue_active, DEMO_VENUES};
pub use writing::{
    answer_invitation, cancel_event, create_event, mark_held, notify, publish, record_approval,
    remind_invitation, save_summary, update_event, InSeries, Notice, CHECKIN_CODE_DIGITS,
};

/// An official (or other listed) venue.
#[derive(Clone, Debug)]
pub struct Venue {
    pub id: i64,
    pub name: String,
    pub official: bool,
    pub active: bool,
}

/// A co-hosting association and where its invitation stands.
#[derive(Clone, Debug)]
pub struct Cohost {
    pub unit: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    pub invited_at: i64,
    pub reminded_at: Option<i64>,
}

/// The approval recorded for a flagged event.
#[derive(Clone, Debug)]
pub struct Approval {
    pub by: String,
    pub reference: String,
    pub date: String,
}

/// A stored event. The check-in code is for the host's coordinators only; this type is not
/// `Serialize` so it cannot be sent by accident.
#[derive(Clone, Debug)]
pub struct EventRecord {
    pub id: i64,
    pub uid: String,
    pub sequence: i64,
    pub host_unit: String,
    pub title: String,
    pub kind: EventKind,
    pub agenda: String,
    pub venue_id: Option<i64>,
    pub venue: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registration_deadline: i64,
    pub status: EventStatus,
    pub flags: Vec<Flag>,
    pub approval: Option<Approval>,
    pub cancel_reason: Option<String>,
    pub summary: Option<String>,
    pub checkin_code: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set once the event was published; never cleared, so a cancelled event stays public.
    pub published_at: Option<i64>,
    pub registered: i64,
    pub waitlisted: i64,
    pub open_to: Vec<String>,
    pub cohosts: Vec<Cohost>,
    /// The series this event is an occurrence of, if any.
    pub series_id: Option<i64>,
    /// The start the series' rule gave this occurrence (its iCalendar RECURRENCE-ID).
    pub original_start: Option<i64>,
}

impl EventRecord {
    /// Co-hosts that accepted: the only ones a published event lists.
    pub fn accepted_cohosts(&self) -> Vec<String> {
        self.cohosts
            .iter()
            .filter(|c| c.status == "accepted")
            .map(|c| c.unit.clone())
            .collect()
    }
}

/// Where an event is held: a listed venue, or free text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VenueChoice {
    Listed(i64),
    Other(String),
}

/// What a coordinator enters for an event (already validated).
#[derive(Clone, Debug)]
pub struct EventInput {
    pub title: String,
    pub kind: EventKind,
    pub agenda: String,
    pub venue: VenueChoice,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registration_deadline: i64,
    pub open_to: Vec<String>,
    pub cohosts: Vec<String>,
}

/// A registration as its member sees it.
#[derive(Clone, Debug)]
pub struct Registration {
    pub event_id: i64,
    pub user_id: i64,
    pub status: String,
    pub has_case: bool,
    pub case_note: Option<String>,
    pub attended: bool,
    pub queued_at: i64,
}

/// A registration as the host's coordinator sees it (with the declaration).
#[derive(Clone, Debug)]
pub struct Registrant {
    pub user_id: i64,
    pub display_name: String,
    pub unit: Option<String>,
    pub status: String,
    pub has_case: bool,
    pub case_note: Option<String>,
    pub attended: bool,
    pub queued_at: i64,
}

/// Why a change was refused: typed, worded at the edge.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("not found")]
    NotFound,
    #[error("refused: {0:?}")]
    Rule(EventRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Refused::Store(StoreError::Sqlx(e))
    }
}

// Shared by the parts: reading events (every query, and the locked read of a change).

const EVENT_COLUMNS: &str = "e.id, e.uid, e.sequence, e.host_unit, e.title, e.kind, e.agenda, e.venue_id, e.venue_text, e.starts_at, e.ends_at, e.capacity, e.registration_deadline, e.status, e.flags, e.approval_by, e.approval_ref, e.approval_date, e.cancel_reason, e.summary, e.checkin_code, e.created_at, e.updated_at, e.published_at, e.series_id, e.original_start, \
     (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'registered') AS registered, \
     (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted";

fn parse_flags(s: &str) -> Vec<Flag> {
    s.split(',')
        .filter_map(|f| {
            [
                Flag::OutsideWorkingHours,
                Flag::NonOfficialVenue,
                Flag::VenueOverlap,
            ]
            .into_iter()
            .find(|x| x.as_str() == f)
        })
        .collect()
}

fn event_from_row(r: &sqlx::any::AnyRow) -> Result<EventRecord, StoreError> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let approval_by: Option<String> = r.try_get("approval_by")?;
    let approval = match approval_by {
        Some(by) => Some(Approval {
            by,
            reference: r
                .try_get::<Option<String>, _>("approval_ref")?
                .unwrap_or_default(),
            date: r
                .try_get::<Option<String>, _>("approval_date")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(EventRecord {
        id: r.try_get("id")?,
        uid: r.try_get("uid")?,
        sequence: r.try_get("sequence")?,
        host_unit: r.try_get("host_unit")?,
        title: r.try_get("title")?,
        kind: EventKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("event kind {kind}")))?,
        agenda: r.try_get("agenda")?,
        venue_id: r.try_get("venue_id")?,
        venue: r.try_get("venue_text")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        capacity: r.try_get("capacity")?,
        registration_deadline: r.try_get("registration_deadline")?,
        status: EventStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("event status {status}")))?,
        flags: parse_flags(&r.try_get::<String, _>("flags")?),
        approval,
        cancel_reason: r.try_get("cancel_reason")?,
        summary: r.try_get("summary")?,
        checkin_code: r.try_get("checkin_code")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        published_at: r.try_get("published_at")?,
        registered: r.try_get("registered")?,
        waitlisted: r.try_get("waitlisted")?,
        open_to: Vec::new(),
        cohosts: Vec::new(),
        series_id: r.try_get("series_id")?,
        original_start: r.try_get("original_start")?,
    })
}

/// Fills in open-to units and co-hosts for `events` with two queries in all.
async fn attach_units(db: &Db, events: &mut [EventRecord]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let ids = events
        .iter()
        .map(|e| e.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    // The ids are integers from the database, so listing them inline is safe.
    let open = sqlx::query(&format!(
        "SELECT event_id, unit_code FROM event_units WHERE event_id IN ({ids}) ORDER BY unit_code"
    ))
    .fetch_all(&db.pool)
    .await?;
    let hosts = sqlx::query(&format!(
        "SELECT event_id, unit_code, status, invited_at, reminded_at FROM event_cohosts WHERE event_id IN ({ids}) ORDER BY unit_code"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut by_id: BTreeMap<i64, &mut EventRecord> = events.iter_mut().map(|e| (e.id, e)).collect();
    for r in open {
        let id: i64 = r.try_get("event_id")?;
        if let Some(e) = by_id.get_mut(&id) {
            e.open_to.push(r.try_get("unit_code")?);
        }
    }
    for r in hosts {
        let id: i64 = r.try_get("event_id")?;
        if let Some(e) = by_id.get_mut(&id) {
            e.cohosts.push(Cohost {
                unit: r.try_get("unit_code")?,
                status: r.try_get("status")?,
                invited_at: r.try_get("invited_at")?,
                reminded_at: r.try_get("reminded_at")?,
            });
        }
    }
    Ok(())
}

async fn query_events(
    db: &Db,
    where_sql: &str,
    binds: Vec<BindValue>,
) -> Result<Vec<EventRecord>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE {where_sql}");
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = match b {
            BindValue::Int(i) => q.bind(i),
            BindValue::Text(s) => q.bind(s),
        };
    }
    let rows = q.fetch_all(&db.pool).await?;
    let mut events = rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    attach_units(db, &mut events).await?;
    Ok(events)
}

enum BindValue {
    Int(i64),
    Text(String),
}
