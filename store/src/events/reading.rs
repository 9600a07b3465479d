//! Reading events and registrations: one event, the public and calendar lists, a unit's events,
//! a member's registrations, an event's registrants and a unit's pending invitations.

use sqlx::Row;

use super::{query_events, BindValue, EventRecord, Registrant, Registration};
use crate::{Db, StoreError};

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
