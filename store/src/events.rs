//! Exchange events (Art. 12): official venues, events and their life cycle, co-host
//! invitations, registrations with capacity and waitlist, attendance, the public register,
//! in-app notifications and private calendar feeds.
//!
//! Every change that touches places (register, cancel, promote) first locks the event row with
//! a write (`UPDATE events SET … WHERE id = $1`): PostgreSQL then serialises on the row and
//! SQLite takes its write lock before counting, so capacity holds however many register at once.
//! Notifications and the audit entry are written in the transaction of the change they record.

use std::collections::BTreeMap;

use domain::events::{
    self as rules, EventKind, EventRefusal, EventStatus, Flag, Placement, WorkingHours,
};
use rand::Rng;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, Actor, Event as AuditEvent};
use crate::sessions::{hash_secret, Secret};
use crate::{now_ms, Db, StoreError};

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

// ---------------------------------------------------------------- venues

/// The official venues of the demo data (interfaces.md).
pub const DEMO_VENUES: [&str; 2] = ["大足区人民法院第一会议室", "大足区司法局会议室"];

/// Adds the demo venues when there are no venues yet.
pub async fn seed_demo_venues(db: &Db) -> Result<usize, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM venues")
        .fetch_one(&db.pool)
        .await?;
    if n > 0 {
        return Ok(0);
    }
    let mut tx = db.pool.begin().await?;
    for name in DEMO_VENUES {
        sqlx::query(
            "INSERT INTO venues (name, official, active, created_at) VALUES ($1, 1, 1, $2)",
        )
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(DEMO_VENUES.len())
}

/// All venues, active first, by name.
pub async fn list_venues(db: &Db) -> Result<Vec<Venue>, StoreError> {
    let rows =
        sqlx::query("SELECT id, name, official, active FROM venues ORDER BY active DESC, name")
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Venue {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                official: r.try_get::<i64, _>("official")? != 0,
                active: r.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

/// Adds a venue (administrators); `false` when the name exists.
pub async fn add_venue(
    db: &Db,
    actor: &Actor,
    name: &str,
    official: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO venues (name, official, active, created_at) VALUES ($1, $2, 1, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(i64::from(official))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "venue.added",
            object_type: Some("venue"),
            object_id: Some(name.to_string()),
            detail: Some(format!("official={official}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Retires or restores a venue (administrators). Events keep their venue text.
pub async fn set_venue_active(
    db: &Db,
    actor: &Actor,
    id: i64,
    active: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let n = sqlx::query("UPDATE venues SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: if active {
                "venue.restored"
            } else {
                "venue.retired"
            },
            object_type: Some("venue"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

// ---------------------------------------------------------------- reading events

const EVENT_COLUMNS: &str = "e.id, e.uid, e.sequence, e.host_unit, e.title, e.kind, e.agenda, e.venue_id, e.venue_text, e.starts_at, e.ends_at, e.capacity, e.registration_deadline, e.status, e.flags, e.approval_by, e.approval_ref, e.approval_date, e.cancel_reason, e.summary, e.checkin_code, e.created_at, e.updated_at, e.published_at, \
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

fn join_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
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

/// One event.
pub async fn find(db: &Db, id: i64) -> Result<Option<EventRecord>, StoreError> {
    Ok(query_events(db, "e.id = $1", vec![BindValue::Int(id)])
        .await?
        .into_iter()
        .next())
}

/// Published events starting from `from` (UTC ms), soonest first, and the cancelled ones that
/// were published (so calendars show them cancelled).
pub async fn list_public(
    db: &Db,
    from: i64,
    include_cancelled: bool,
) -> Result<Vec<EventRecord>, StoreError> {
    let statuses = if include_cancelled {
        "('published', 'held', 'closed', 'cancelled') AND e.published_at IS NOT NULL"
    } else {
        "('published')"
    };
    query_events(
        db,
        &format!("e.status IN {statuses} AND e.ends_at >= $1 ORDER BY e.starts_at, e.id LIMIT 500"),
        vec![BindValue::Int(from)],
    )
    .await
}

/// Events that were ever published and overlap the range, for the month view.
pub async fn list_in_range(db: &Db, from: i64, to: i64) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "e.published_at IS NOT NULL AND e.starts_at < $2 AND e.ends_at > $1 ORDER BY e.starts_at, e.id LIMIT 1000",
        vec![BindValue::Int(from), BindValue::Int(to)],
    )
    .await
}

/// Events a unit hosts or is invited to co-host, newest first.
pub async fn list_for_unit(db: &Db, unit: &str) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "(e.host_unit = $1 OR e.id IN (SELECT event_id FROM event_cohosts WHERE unit_code = $1)) ORDER BY e.starts_at DESC, e.id DESC LIMIT 500",
        vec![BindValue::Text(unit.to_string())],
    )
    .await
}

/// The events a member registered for (or waits for), with their registration.
pub async fn list_mine(
    db: &Db,
    user_id: i64,
) -> Result<Vec<(EventRecord, Registration)>, StoreError> {
    let events = query_events(
        db,
        "e.id IN (SELECT event_id FROM event_registrations WHERE user_id = $1 AND status <> 'cancelled') ORDER BY e.starts_at, e.id",
        vec![BindValue::Int(user_id)],
    )
    .await?;
    let regs = registrations_of_user(db, user_id).await?;
    Ok(events
        .into_iter()
        .filter_map(|e| {
            let r = regs.iter().find(|r| r.event_id == e.id)?.clone();
            Some((e, r))
        })
        .collect())
}

async fn registrations_of_user(db: &Db, user_id: i64) -> Result<Vec<Registration>, StoreError> {
    let rows = sqlx::query("SELECT event_id, user_id, status, has_case, case_note, attended, queued_at FROM event_registrations WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(registration_from_row).collect()
}

fn registration_from_row(r: &sqlx::any::AnyRow) -> Result<Registration, StoreError> {
    Ok(Registration {
        event_id: r.try_get("event_id")?,
        user_id: r.try_get("user_id")?,
        status: r.try_get("status")?,
        has_case: r.try_get::<i64, _>("has_case")? != 0,
        case_note: r.try_get("case_note")?,
        attended: r.try_get::<i64, _>("attended")? != 0,
        queued_at: r.try_get("queued_at")?,
    })
}

/// The caller's registration for one event, if any.
pub async fn registration(
    db: &Db,
    event_id: i64,
    user_id: i64,
) -> Result<Option<Registration>, StoreError> {
    let row = sqlx::query("SELECT event_id, user_id, status, has_case, case_note, attended, queued_at FROM event_registrations WHERE event_id = $1 AND user_id = $2")
        .bind(event_id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(registration_from_row).transpose()
}

/// Everyone registered or waiting for an event, registered first, then the waitlist in order.
pub async fn registrants(db: &Db, event_id: i64) -> Result<Vec<Registrant>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.user_id, u.display_name, u.unit_code, r.status, r.has_case, r.case_note, r.attended, r.queued_at \
         FROM event_registrations r JOIN users u ON u.id = r.user_id \
         WHERE r.event_id = $1 AND r.status <> 'cancelled' \
         ORDER BY CASE r.status WHEN 'registered' THEN 0 ELSE 1 END, r.queued_at, r.id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Registrant {
                user_id: r.try_get("user_id")?,
                display_name: r.try_get("display_name")?,
                unit: r.try_get("unit_code")?,
                status: r.try_get("status")?,
                has_case: r.try_get::<i64, _>("has_case")? != 0,
                case_note: r.try_get("case_note")?,
                attended: r.try_get::<i64, _>("attended")? != 0,
                queued_at: r.try_get("queued_at")?,
            })
        })
        .collect()
}

/// Pending invitations addressed to `unit`.
pub async fn pending_invitations(db: &Db, unit: &str) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "e.id IN (SELECT event_id FROM event_cohosts WHERE unit_code = $1 AND status = 'pending') AND e.status IN ('draft', 'published') ORDER BY e.starts_at",
        vec![BindValue::Text(unit.to_string())],
    )
    .await
}

// ---------------------------------------------------------------- writing events

fn new_checkin_code() -> String {
    let mut rng = rand::thread_rng();
    (0..6)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

fn new_uid() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill(&mut bytes);
    format!("{}@dazu-portal", hex::encode(bytes))
}

/// Resolves the venue choice to (venue id, shown text, official) inside `tx`.
async fn resolve_venue(
    tx: &mut Transaction<'static, Any>,
    choice: &VenueChoice,
) -> Result<(Option<i64>, String, bool), Refused> {
    match choice {
        VenueChoice::Listed(id) => {
            let row = sqlx::query("SELECT name, official, active FROM venues WHERE id = $1")
                .bind(*id)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| Refused::Rule(EventRefusal::VenueNotListed))?;
            if row.try_get::<i64, _>("active")? == 0 {
                return Err(Refused::Rule(EventRefusal::VenueRetired));
            }
            Ok((
                Some(*id),
                row.try_get("name")?,
                row.try_get::<i64, _>("official")? != 0,
            ))
        }
        VenueChoice::Other(text) => {
            // Free text naming a listed venue counts as that venue.
            let row = sqlx::query("SELECT id, official FROM venues WHERE name = $1 AND active = 1")
                .bind(text)
                .fetch_optional(&mut **tx)
                .await?;
            match row {
                Some(r) => Ok((
                    Some(r.try_get("id")?),
                    text.clone(),
                    r.try_get::<i64, _>("official")? != 0,
                )),
                None => Ok((None, text.clone(), false)),
            }
        }
    }
}

/// Computes the compliance flags of an event as it stands in `tx`.
async fn flags_in_tx(
    tx: &mut Transaction<'static, Any>,
    hours: &WorkingHours,
    event_id: Option<i64>,
    venue_text: &str,
    official: bool,
    starts_at: i64,
    ends_at: i64,
) -> Result<Vec<Flag>, StoreError> {
    let overlapping: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE venue_text = $1 AND status = 'published' AND starts_at < $2 AND ends_at > $3 AND id <> $4",
    )
    .bind(venue_text)
    .bind(ends_at)
    .bind(starts_at)
    .bind(event_id.unwrap_or(0))
    .fetch_one(&mut **tx)
    .await?;
    Ok(rules::compliance_flags(
        hours,
        starts_at,
        ends_at,
        official,
        overlapping as usize,
    ))
}

/// Users holding `role` in any of `units` (enabled accounts).
async fn users_with_role(
    tx: &mut Transaction<'static, Any>,
    unit: &str,
    role: &str,
) -> Result<Vec<i64>, StoreError> {
    let ids = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.unit_code = $1 AND r.role = $2 AND u.disabled = 0",
    )
    .bind(unit)
    .bind(role)
    .fetch_all(&mut **tx)
    .await?;
    Ok(ids)
}

/// A notification to write.
pub struct Notice<'a> {
    pub kind: &'a str,
    pub event_id: Option<i64>,
    pub text_zh: String,
    pub text_en: String,
    pub link: String,
}

/// Writes `notice` for each of `users` inside `tx`.
pub async fn notify(
    tx: &mut Transaction<'static, Any>,
    users: &[i64],
    notice: &Notice<'_>,
) -> Result<(), StoreError> {
    let now = now_ms();
    for user in users {
        sqlx::query("INSERT INTO notifications (user_id, kind, event_id, text_zh, text_en, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(*user)
            .bind(notice.kind)
            .bind(notice.event_id)
            .bind(&notice.text_zh)
            .bind(&notice.text_en)
            .bind(&notice.link)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn write_units(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    open_to: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM event_units WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    for unit in open_to {
        sqlx::query("INSERT INTO event_units (event_id, unit_code) VALUES ($1, $2)")
            .bind(event_id)
            .bind(unit)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Invites co-hosts not yet invited and notifies their coordinators.
async fn invite_cohosts(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    title: &str,
    cohosts: &[String],
) -> Result<(), StoreError> {
    for unit in cohosts {
        let n = sqlx::query("INSERT INTO event_cohosts (event_id, unit_code, status, invited_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (event_id, unit_code) DO NOTHING")
            .bind(event_id)
            .bind(unit)
            .bind(now_ms())
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n > 0 {
            let users = users_with_role(tx, unit, "coordinator").await?;
            notify(
                tx,
                &users,
                &Notice {
                    kind: "invitation",
                    event_id: Some(event_id),
                    text_zh: format!("邀请贵单位共同主办交流活动：{title}"),
                    text_en: format!("Your association is invited to co-host: {title}"),
                    link: format!("/events/{event_id}"),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Creates a draft event hosted by `host_unit`; returns its id and compliance flags.
pub async fn create_event(
    db: &Db,
    actor: &Actor,
    host_unit: &str,
    created_by: i64,
    input: &EventInput,
    hours: &WorkingHours,
) -> Result<(i64, Vec<Flag>), Refused> {
    let mut tx = db.pool.begin().await?;
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO events (uid, host_unit, title, kind, agenda, venue_text, starts_at, ends_at, capacity, registration_deadline, status, checkin_code, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, 'draft', $10, $11, $12, $12) RETURNING id",
    )
    .bind(new_uid())
    .bind(host_unit)
    .bind(&input.title)
    .bind(input.kind.as_str())
    .bind(&input.agenda)
    .bind(input.starts_at)
    .bind(input.ends_at)
    .bind(input.capacity)
    .bind(input.registration_deadline)
    .bind(new_checkin_code())
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (venue_id, venue_text, official) = resolve_venue(&mut tx, &input.venue).await?;
    let flags = flags_in_tx(
        &mut tx,
        hours,
        Some(id),
        &venue_text,
        official,
        input.starts_at,
        input.ends_at,
    )
    .await?;
    sqlx::query("UPDATE events SET venue_id = $1, venue_text = $2, flags = $3 WHERE id = $4")
        .bind(venue_id)
        .bind(&venue_text)
        .bind(join_flags(&flags))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_units(&mut tx, id, &input.open_to).await?;
    invite_cohosts(&mut tx, id, &input.title, &input.cohosts).await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event.created",
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: Some(format!("flags={}", join_flags(&flags))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, flags))
}

/// Appends the audit entry of a change to event `id` inside its transaction.
async fn log_event(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    id: i64,
    detail: Option<String>,
) -> Result<i64, StoreError> {
    audit::append(
        tx,
        actor,
        AuditEvent {
            action,
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail,
        },
    )
    .await
}

/// Locks the event row (a write first) and reads it back inside `tx`.
async fn lock_event(tx: &mut Transaction<'static, Any>, id: i64) -> Result<EventRecord, Refused> {
    let n = sqlx::query("UPDATE events SET sequence = sequence WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::NotFound);
    }
    let row = sqlx::query(&format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(event_from_row(&row)?)
}

/// Users registered or waiting for an event.
async fn registrant_ids(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM event_registrations WHERE event_id = $1 AND status IN ('registered', 'waitlisted')",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Edits a draft or published event. A published event's registrants are told when its time
/// or venue changes, and its iCalendar SEQUENCE grows. Returns the new flags.
pub async fn update_event(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &EventInput,
    hours: &WorkingHours,
) -> Result<Vec<Flag>, Refused> {
    let mut tx = db.pool.begin().await?;
    let old = lock_event(&mut tx, id).await?;
    if !matches!(old.status, EventStatus::Draft | EventStatus::Published) {
        return Err(Refused::Rule(EventRefusal::NotEditable));
    }
    if input.capacity < old.registered {
        return Err(Refused::Rule(EventRefusal::CapacityBelowRegistered(
            old.registered,
        )));
    }
    let (venue_id, venue_text, official) = resolve_venue(&mut tx, &input.venue).await?;
    let flags = flags_in_tx(
        &mut tx,
        hours,
        Some(id),
        &venue_text,
        official,
        input.starts_at,
        input.ends_at,
    )
    .await?;
    let time_or_venue_changed =
        old.starts_at != input.starts_at || old.ends_at != input.ends_at || old.venue != venue_text;
    // A changed time or place needs its approval again if it is still flagged.
    let keep_approval = !time_or_venue_changed;
    let published = old.status == EventStatus::Published;
    sqlx::query(
        "UPDATE events SET title = $1, kind = $2, agenda = $3, venue_id = $4, venue_text = $5, starts_at = $6, ends_at = $7, capacity = $8, registration_deadline = $9, flags = $10, \
         sequence = sequence + $11, updated_at = $12, \
         approval_by = CASE WHEN $13 = 1 THEN approval_by ELSE NULL END, approval_ref = CASE WHEN $13 = 1 THEN approval_ref ELSE NULL END, approval_date = CASE WHEN $13 = 1 THEN approval_date ELSE NULL END \
         WHERE id = $14",
    )
    .bind(&input.title)
    .bind(input.kind.as_str())
    .bind(&input.agenda)
    .bind(venue_id)
    .bind(&venue_text)
    .bind(input.starts_at)
    .bind(input.ends_at)
    .bind(input.capacity)
    .bind(input.registration_deadline)
    .bind(join_flags(&flags))
    .bind(i64::from(published))
    .bind(now_ms())
    .bind(i64::from(keep_approval))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_units(&mut tx, id, &input.open_to).await?;
    invite_cohosts(&mut tx, id, &input.title, &input.cohosts).await?;
    if published && input.capacity > old.capacity {
        promote_waitlist(&mut tx, id, &input.title, input.capacity).await?;
    }
    if published && time_or_venue_changed {
        let users = registrant_ids(&mut tx, id).await?;
        notify(
            &mut tx,
            &users,
            &Notice {
                kind: "changed",
                event_id: Some(id),
                text_zh: format!("您报名的活动“{}”时间或地点有变更，请查看", input.title),
                text_en: format!(
                    "The time or venue of \"{}\" has changed; please check",
                    input.title
                ),
                link: format!("/events/{id}"),
            },
        )
        .await?;
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event.updated",
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: Some(format!(
                "time_or_venue_changed={time_or_venue_changed}; flags={}",
                join_flags(&flags)
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(flags)
}

/// Records who approved a flagged event, with the reference and date of the approval.
pub async fn record_approval(
    db: &Db,
    actor: &Actor,
    id: i64,
    approval: &Approval,
) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if !matches!(ev.status, EventStatus::Draft | EventStatus::Published) {
        return Err(Refused::Rule(EventRefusal::NotEditable));
    }
    sqlx::query("UPDATE events SET approval_by = $1, approval_ref = $2, approval_date = $3, updated_at = $4 WHERE id = $5")
        .bind(&approval.by)
        .bind(&approval.reference)
        .bind(&approval.date)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event.approval_recorded",
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: Some(format!("by={}; ref={}", approval.by, approval.reference)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft. The flags are computed afresh; a flag that needs an approval without one
/// refuses with its reason.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    id: i64,
    hours: &WorkingHours,
    now: i64,
) -> Result<Vec<Flag>, Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if !ev.status.can_become(EventStatus::Published) {
        return Err(Refused::Rule(EventRefusal::NotADraft));
    }
    if ev.starts_at <= now {
        return Err(Refused::Rule(EventRefusal::StartPassed));
    }
    let official = match ev.venue_id {
        Some(v) => {
            sqlx::query_scalar::<_, i64>("SELECT official FROM venues WHERE id = $1")
                .bind(v)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(0)
                != 0
        }
        None => false,
    };
    let flags = flags_in_tx(
        &mut tx,
        hours,
        Some(id),
        &ev.venue,
        official,
        ev.starts_at,
        ev.ends_at,
    )
    .await?;
    if let Some(flag) = rules::publish_blocker(&flags, ev.approval.is_some()) {
        return Err(Refused::Rule(EventRefusal::NeedsApproval(flag)));
    }
    sqlx::query("UPDATE events SET status = 'published', flags = $1, published_at = $2, updated_at = $2 WHERE id = $3")
        .bind(join_flags(&flags))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    log_event(&mut tx, actor, "event.published", id, None).await?;
    tx.commit().await?;
    Ok(flags)
}

/// Cancels a draft or published event with a reason; everyone registered or waiting is told.
pub async fn cancel_event(db: &Db, actor: &Actor, id: i64, reason: &str) -> Result<usize, Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if !ev.status.can_become(EventStatus::Cancelled) {
        return Err(Refused::Rule(EventRefusal::NotCancellable));
    }
    let users = registrant_ids(&mut tx, id).await?;
    sqlx::query("UPDATE events SET status = 'cancelled', cancel_reason = $1, sequence = sequence + 1, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    notify(
        &mut tx,
        &users,
        &Notice {
            kind: "cancelled",
            event_id: Some(id),
            text_zh: format!("活动“{}”已取消。原因：{reason}", ev.title),
            text_en: format!("\"{}\" has been cancelled. Reason: {reason}", ev.title),
            link: format!("/events/{id}"),
        },
    )
    .await?;
    log_event(
        &mut tx,
        actor,
        "event.cancelled",
        id,
        Some(reason.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(users.len())
}

/// Marks a published event as held (once it has started).
pub async fn mark_held(db: &Db, actor: &Actor, id: i64, now: i64) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if !ev.status.can_become(EventStatus::Held) {
        return Err(Refused::Rule(EventRefusal::NotPublished));
    }
    if now < ev.starts_at {
        return Err(Refused::Rule(EventRefusal::NotStarted));
    }
    sqlx::query("UPDATE events SET status = 'held', updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Nobody still waiting will get a place now.
    sqlx::query("UPDATE event_registrations SET status = 'cancelled', updated_at = $1 WHERE event_id = $2 AND status = 'waitlisted'")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    log_event(&mut tx, actor, "event.held", id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the public summary of a held event, and closes it when asked.
pub async fn save_summary(
    db: &Db,
    actor: &Actor,
    id: i64,
    summary: &str,
    close: bool,
) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if ev.status != EventStatus::Held {
        return Err(Refused::Rule(EventRefusal::NotHeld));
    }
    let status = if close { "closed" } else { "held" };
    sqlx::query("UPDATE events SET summary = $1, status = $2, updated_at = $3 WHERE id = $4")
        .bind(summary)
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: if close {
                "event.closed"
            } else {
                "event.summary_saved"
            },
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A co-host's coordinator accepts or declines; the host's coordinators are told.
pub async fn answer_invitation(
    db: &Db,
    actor: &Actor,
    id: i64,
    unit: &str,
    user_id: i64,
    accept: bool,
) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    if !matches!(ev.status, EventStatus::Draft | EventStatus::Published) {
        return Err(Refused::Rule(EventRefusal::InvitationClosed));
    }
    let status = if accept { "accepted" } else { "declined" };
    let n = sqlx::query("UPDATE event_cohosts SET status = $1, responded_at = $2, responded_by = $3 WHERE event_id = $4 AND unit_code = $5 AND status = 'pending'")
        .bind(status)
        .bind(now_ms())
        .bind(user_id)
        .bind(id)
        .bind(unit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::Rule(EventRefusal::NoPendingInvitation));
    }
    let hosts = users_with_role(&mut tx, &ev.host_unit, "coordinator").await?;
    notify(
        &mut tx,
        &hosts,
        &Notice {
            kind: "invitation_answered",
            event_id: Some(id),
            text_zh: format!(
                "{unit} 已{}共同主办“{}”的邀请",
                if accept { "接受" } else { "谢绝" },
                ev.title
            ),
            text_en: format!(
                "{unit} {} the invitation to co-host \"{}\"",
                if accept { "accepted" } else { "declined" },
                ev.title
            ),
            link: format!("/events/{id}"),
        },
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: if accept {
                "event.invitation_accepted"
            } else {
                "event.invitation_declined"
            },
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: Some(unit.to_string()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reminds a co-host's coordinators of a pending invitation.
pub async fn remind_invitation(db: &Db, actor: &Actor, id: i64, unit: &str) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, id).await?;
    let n = sqlx::query("UPDATE event_cohosts SET reminded_at = $1 WHERE event_id = $2 AND unit_code = $3 AND status = 'pending'")
        .bind(now_ms())
        .bind(id)
        .bind(unit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::Rule(EventRefusal::NoPendingInvitation));
    }
    let users = users_with_role(&mut tx, unit, "coordinator").await?;
    notify(
        &mut tx,
        &users,
        &Notice {
            kind: "invitation",
            event_id: Some(id),
            text_zh: format!("提醒：共同主办“{}”的邀请尚待答复", ev.title),
            text_en: format!(
                "Reminder: the invitation to co-host \"{}\" awaits your answer",
                ev.title
            ),
            link: format!("/events/{id}"),
        },
    )
    .await?;
    log_event(
        &mut tx,
        actor,
        "event.invitation_reminded",
        id,
        Some(unit.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- registrations

/// Moves waiting members up, in order, into free places; tells each of them.
async fn promote_waitlist(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    title: &str,
    capacity: i64,
) -> Result<Vec<i64>, StoreError> {
    let registered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'registered'",
    )
    .bind(event_id)
    .fetch_one(&mut **tx)
    .await?;
    let waiting: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY queued_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    let n = rules::promotions(registered, capacity, waiting.len());
    let promoted: Vec<i64> = waiting.into_iter().take(n).collect();
    for user in &promoted {
        sqlx::query("UPDATE event_registrations SET status = 'registered', updated_at = $1 WHERE event_id = $2 AND user_id = $3")
            .bind(now_ms())
            .bind(event_id)
            .bind(*user)
            .execute(&mut **tx)
            .await?;
    }
    notify(
        tx,
        &promoted,
        &Notice {
            kind: "promoted",
            event_id: Some(event_id),
            text_zh: format!("候补成功：您已获得活动“{title}”的名额"),
            text_en: format!("Off the waitlist: you now have a place at \"{title}\""),
            link: format!("/events/{event_id}"),
        },
    )
    .await?;
    Ok(promoted)
}

/// A member's declaration at registration.
#[derive(Clone, Debug, Default)]
pub struct Declaration {
    pub has_case: bool,
    pub note: Option<String>,
}

/// Registers a member: a place while there is one, else the waitlist. Registering again while
/// registered or waiting changes nothing and answers the current status.
pub async fn register(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    user_id: i64,
    unit: Option<&str>,
    declaration: &Declaration,
    now: i64,
) -> Result<Placement, Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, event_id).await?;
    let open_to: Vec<String> =
        sqlx::query_scalar("SELECT unit_code FROM event_units WHERE event_id = $1")
            .bind(event_id)
            .fetch_all(&mut *tx)
            .await?;
    rules::may_register(
        ev.status,
        now,
        ev.registration_deadline,
        ev.starts_at,
        &open_to,
        unit,
    )
    .map_err(|r| Refused::Rule(r.into()))?;
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    match existing.as_deref() {
        Some("registered") => return Ok(Placement::Registered),
        Some("waitlisted") => return Ok(Placement::Waitlisted),
        _ => {}
    }
    let placement = rules::place(ev.registered, ev.capacity);
    let t = now_ms();
    if existing.is_some() {
        sqlx::query("UPDATE event_registrations SET status = $1, queued_at = $2, has_case = $3, case_note = $4, updated_at = $2 WHERE event_id = $5 AND user_id = $6")
            .bind(placement.as_str())
            .bind(t)
            .bind(i64::from(declaration.has_case))
            .bind(&declaration.note)
            .bind(event_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("INSERT INTO event_registrations (event_id, user_id, status, queued_at, has_case, case_note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $4, $4)")
            .bind(event_id)
            .bind(user_id)
            .bind(placement.as_str())
            .bind(t)
            .bind(i64::from(declaration.has_case))
            .bind(&declaration.note)
            .execute(&mut *tx)
            .await?;
    }
    log_event(
        &mut tx,
        actor,
        "event.registered",
        event_id,
        Some(placement.as_str().to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(placement)
}

/// Cancels a member's registration; the first waiting members move up. Returns who moved up.
pub async fn cancel_registration(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    user_id: i64,
) -> Result<Vec<i64>, Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, event_id).await?;
    if ev.status != EventStatus::Published {
        return Err(Refused::Rule(EventRefusal::UnregisterClosed));
    }
    let n = sqlx::query("UPDATE event_registrations SET status = 'cancelled', updated_at = $1 WHERE event_id = $2 AND user_id = $3 AND status IN ('registered', 'waitlisted')")
        .bind(now_ms())
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::Rule(EventRefusal::NotRegistered));
    }
    let promoted = promote_waitlist(&mut tx, event_id, &ev.title, ev.capacity).await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event.registration_cancelled",
            object_type: Some("event"),
            object_id: Some(event_id.to_string()),
            detail: Some(format!("promoted={}", promoted.len())),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(promoted)
}

/// Check-in opens this long before the start and stays open this long after the end.
pub const CHECKIN_WINDOW_MS: i64 = 60 * 60 * 1000;

/// A registered member checks in with the code shown at the venue.
pub async fn check_in(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    user_id: i64,
    code: &str,
    now: i64,
) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, event_id).await?;
    if !matches!(ev.status, EventStatus::Published | EventStatus::Held) {
        return Err(Refused::Rule(EventRefusal::CheckinClosed));
    }
    if now < ev.starts_at - CHECKIN_WINDOW_MS || now > ev.ends_at + CHECKIN_WINDOW_MS {
        return Err(Refused::Rule(EventRefusal::CheckinWindow));
    }
    if code.trim() != ev.checkin_code {
        return Err(Refused::Rule(EventRefusal::WrongCheckinCode));
    }
    let n = sqlx::query("UPDATE event_registrations SET attended = 1, checked_in_at = $1, updated_at = $1 WHERE event_id = $2 AND user_id = $3 AND status = 'registered'")
        .bind(now_ms())
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::Rule(EventRefusal::NoPlace));
    }
    log_event(&mut tx, actor, "event.checked_in", event_id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// The host's coordinator marks (or unmarks) a registered member's attendance.
pub async fn mark_attendance(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    user_id: i64,
    attended: bool,
) -> Result<(), Refused> {
    let mut tx = db.pool.begin().await?;
    let ev = lock_event(&mut tx, event_id).await?;
    if !matches!(ev.status, EventStatus::Published | EventStatus::Held) {
        return Err(Refused::Rule(EventRefusal::AttendanceClosed));
    }
    let n = sqlx::query("UPDATE event_registrations SET attended = $1, updated_at = $2 WHERE event_id = $3 AND user_id = $4 AND status = 'registered'")
        .bind(i64::from(attended))
        .bind(now_ms())
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Refused::Rule(EventRefusal::PersonHasNoPlace));
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event.attendance_marked",
            object_type: Some("event"),
            object_id: Some(event_id.to_string()),
            detail: Some(format!("user={user_id}; attended={attended}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- training hours and register

/// Exchange hours attended per user, for `user_ids` (one query).
pub async fn attended_hours(db: &Db, user_ids: &[i64]) -> Result<BTreeMap<i64, f64>, StoreError> {
    let mut out = BTreeMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let ids = user_ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT r.user_id, e.starts_at, e.ends_at FROM event_registrations r JOIN events e ON e.id = r.event_id \
         WHERE r.attended = 1 AND r.status = 'registered' AND e.status IN ('published', 'held', 'closed') AND r.user_id IN ({ids})"
    ))
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        let user: i64 = r.try_get("user_id")?;
        let h = rules::attended_hours(r.try_get("starts_at")?, r.try_get("ends_at")?);
        *out.entry(user).or_insert(0.0) += h;
    }
    Ok(out)
}

/// The events a member attended: (event id, title, date, hours).
pub async fn attended_events(
    db: &Db,
    user_id: i64,
) -> Result<Vec<(i64, String, i64, f64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.id, e.title, e.starts_at, e.ends_at FROM event_registrations r JOIN events e ON e.id = r.event_id \
         WHERE r.user_id = $1 AND r.attended = 1 AND r.status = 'registered' AND e.status IN ('published', 'held', 'closed') ORDER BY e.starts_at",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let (s, e): (i64, i64) = (r.try_get("starts_at")?, r.try_get("ends_at")?);
            Ok((
                r.try_get("id")?,
                r.try_get("title")?,
                s,
                rules::attended_hours(s, e),
            ))
        })
        .collect()
}

/// One held exchange in the public register: no names.
#[derive(Clone, Debug)]
pub struct RegisterEntry {
    pub event: EventRecord,
    /// Attended participants by kind of unit (unit kind code → count).
    pub participants: BTreeMap<String, i64>,
}

/// The public register: held and closed events, newest first, filtered by host or co-host
/// association and by year (Beijing time).
pub async fn public_register(
    db: &Db,
    association: Option<&str>,
    year: Option<i32>,
) -> Result<Vec<RegisterEntry>, StoreError> {
    let mut where_sql = "e.status IN ('held', 'closed')".to_string();
    let mut binds = Vec::new();
    if let Some(a) = association {
        binds.push(BindValue::Text(a.to_string()));
        where_sql.push_str(&format!(
            " AND (e.host_unit = ${n} OR e.id IN (SELECT event_id FROM event_cohosts WHERE unit_code = ${n} AND status = 'accepted'))",
            n = binds.len()
        ));
    }
    if let Some(y) = year {
        let start = year_start_ms(y);
        let end = year_start_ms(y + 1);
        binds.push(BindValue::Int(start));
        where_sql.push_str(&format!(" AND e.starts_at >= ${}", binds.len()));
        binds.push(BindValue::Int(end));
        where_sql.push_str(&format!(" AND e.starts_at < ${}", binds.len()));
    }
    where_sql.push_str(" ORDER BY e.starts_at DESC, e.id DESC LIMIT 1000");
    let events = query_events(db, &where_sql, binds).await?;
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let ids = events
        .iter()
        .map(|e| e.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT r.event_id, COALESCE(n.kind, 'other') AS kind, COUNT(*) AS n FROM event_registrations r \
         JOIN users u ON u.id = r.user_id LEFT JOIN units n ON n.code = u.unit_code \
         WHERE r.event_id IN ({ids}) AND r.attended = 1 AND r.status = 'registered' GROUP BY r.event_id, COALESCE(n.kind, 'other')"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut counts: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
    for r in rows {
        counts
            .entry(r.try_get("event_id")?)
            .or_default()
            .insert(r.try_get("kind")?, r.try_get("n")?);
    }
    Ok(events
        .into_iter()
        .map(|e| RegisterEntry {
            participants: counts.remove(&e.id).unwrap_or_default(),
            event: e,
        })
        .collect())
}

/// UTC ms of 1 January of `year`, 00:00 Beijing time.
pub fn year_start_ms(year: i32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis() - rules::BEIJING_OFFSET_MS)
        .unwrap_or(0)
}

// ---------------------------------------------------------------- notifications

/// A notification as its user sees it.
#[derive(Clone, Debug)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub text_zh: String,
    pub text_en: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// How many unread notifications a user has.
pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?)
}

/// A user's latest notifications.
pub async fn list_notifications(
    db: &Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query("SELECT id, kind, text_zh, text_en, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
        .bind(user_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                text_zh: r.try_get("text_zh")?,
                text_en: r.try_get("text_en")?,
                link: r.try_get("link")?,
                created_at: r.try_get("created_at")?,
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
            })
        })
        .collect()
}

/// Marks all of a user's notifications read.
pub async fn mark_all_read(db: &Db, user_id: i64) -> Result<u64, StoreError> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now_ms())
            .bind(user_id)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

// ---------------------------------------------------------------- calendar feeds

/// Creates (or replaces, revoking the old one) a user's private calendar feed token.
pub async fn create_feed(db: &Db, actor: &Actor, user_id: i64) -> Result<Secret, StoreError> {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill(&mut bytes);
    let token = hex::encode(bytes);
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(hash_secret(&token))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "calendar_feed.created",
            object_type: Some("user"),
            object_id: Some(user_id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Secret(token))
}

/// Revokes a user's feed token.
pub async fn revoke_feed(db: &Db, actor: &Actor, user_id: i64) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let n = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n > 0 {
        audit::append(
            &mut tx,
            actor,
            AuditEvent {
                action: "calendar_feed.revoked",
                object_type: Some("user"),
                object_id: Some(user_id.to_string()),
                detail: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

/// Whether a user has a feed, and since when.
pub async fn feed_created_at(db: &Db, user_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The user a feed token belongs to (enabled accounts only).
pub async fn feed_user(db: &Db, token: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.disabled = 0",
    )
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?)
}

/// Events for a user's private feed: those registered or waited for (cancelled events
/// included, so the calendar shows them cancelled), plus those the user's unit hosts.
pub async fn feed_events(
    db: &Db,
    user_id: i64,
    unit: Option<&str>,
) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "(e.id IN (SELECT event_id FROM event_registrations WHERE user_id = $1 AND status IN ('registered', 'waitlisted')) \
          OR (e.host_unit = $2 AND e.published_at IS NOT NULL)) ORDER BY e.starts_at LIMIT 1000",
        vec![
            BindValue::Int(user_id),
            BindValue::Text(unit.unwrap_or("").to_string()),
        ],
    )
    .await
}

/// Exchange figures for the Art. 9 dashboard (public facts, no names): upcoming published
/// events, held or closed events, attendances recorded, and cancelled events.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ExchangeFigures {
    pub upcoming: i64,
    pub held: i64,
    pub attendances: i64,
    pub cancelled: i64,
}

/// Counts [`ExchangeFigures`] in one query.
pub async fn exchange_figures(db: &Db, now: i64) -> Result<ExchangeFigures, StoreError> {
    let r = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM events WHERE status = 'published' AND starts_at >= $1) AS upcoming, \
           (SELECT COUNT(*) FROM events WHERE status IN ('held', 'closed')) AS held, \
           (SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id \
              WHERE r.attended = 1 AND r.status = 'registered' AND e.status <> 'cancelled') AS attendances, \
           (SELECT COUNT(*) FROM events WHERE status = 'cancelled' AND published_at IS NOT NULL) AS cancelled",
    )
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(ExchangeFigures {
        upcoming: r.try_get("upcoming")?,
        held: r.try_get("held")?,
        attendances: r.try_get("attendances")?,
        cancelled: r.try_get("cancelled")?,
    })
}
