//! Registrations: a place while there is one, else the waitlist (moving up in order), cancelling,
//! check-in with the code shown at the venue, and attendance marked by the host.

use domain::events::{self as rules, EventRefusal, EventStatus, Placement};
use sqlx::{Any, Transaction};

use super::writing::{lock_event, log_event, notify, Notice};
use super::Refused;
use crate::audit::{self, Actor, Event as AuditEvent};
use crate::{now_ms, Db, StoreError};

/// Moves waiting members up, in order, into free places; tells each of them.
pub(super) async fn promote_waitlist(
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
    let existing = registration_status(&mut tx, event_id, user_id).await?;
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

/// Wrong check-in codes allowed per person and event in the throttle window.
pub const CHECKIN_TRIES: i64 = 5;

/// A registered member checks in with the code shown at the venue. Whether the person holds a
/// place is checked before the code, so the answer says nothing about a code to anyone else;
/// wrong codes are audited and counted per person and event, and after [`CHECKIN_TRIES`] the
/// person waits.
pub async fn check_in(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    user_id: i64,
    code: &str,
    now: i64,
) -> Result<(), Refused> {
    let tries = format!("checkin:{event_id}:{user_id}");
    let minutes = |ms: i64| (ms + 59_999) / 60_000;
    if let Some(wait) = crate::throttle::key_locked_for(db, &tries).await? {
        return Err(Refused::Rule(EventRefusal::CheckinTries(minutes(wait))));
    }
    match check_in_now(db, actor, event_id, user_id, code, now).await {
        Err(Refused::Rule(EventRefusal::WrongCheckinCode)) => {
            let failed = AuditEvent {
                action: "event.checkin_failed",
                object_type: Some("event"),
                object_id: Some(event_id.to_string()),
                detail: None,
            };
            audit::record(db, actor, failed).await?;
            match crate::throttle::key_failure(db, &tries, CHECKIN_TRIES).await? {
                Some(lock) => Err(Refused::Rule(EventRefusal::CheckinTries(minutes(lock)))),
                None => Err(Refused::Rule(EventRefusal::WrongCheckinCode)),
            }
        }
        other => other,
    }
}

async fn check_in_now(
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
    if registration_status(&mut tx, event_id, user_id)
        .await?
        .as_deref()
        != Some("registered")
    {
        return Err(Refused::Rule(EventRefusal::NoPlace));
    }
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if !same_code(&typed, &ev.checkin_code) {
        return Err(Refused::Rule(EventRefusal::WrongCheckinCode));
    }
    sqlx::query("UPDATE event_registrations SET attended = 1, checked_in_at = $1, updated_at = $1 WHERE event_id = $2 AND user_id = $3 AND status = 'registered'")
        .bind(now_ms())
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    log_event(&mut tx, actor, "event.checked_in", event_id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// The status of a person's registration for an event (registered, waitlisted, cancelled), if any.
async fn registration_status(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    user_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Compares two codes in time that depends only on their lengths.
fn same_code(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
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
