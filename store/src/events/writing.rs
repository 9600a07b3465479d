//! Writing events: creating and editing (venue and compliance flags), approvals, publishing,
//! cancelling, holding, the summary, co-host invitations, and the notifications they send.
//! Every change locks the event row first ([`lock_event`]) and writes its audit entry in its
//! transaction.

use domain::events::{self as rules, EventRefusal, EventStatus, Flag, WorkingHours};
use rand::Rng;
use sqlx::{Any, Row, Transaction};

use super::registrations::promote_waitlist;
use super::{
    event_from_row, Approval, EventInput, EventRecord, Refused, VenueChoice, EVENT_COLUMNS,
};
use crate::audit::{self, Actor, Event as AuditEvent};
use crate::lock::{lock, Lock};
use crate::{now_ms, Db, StoreError};

fn join_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Digits of a check-in code: with [`super::registrations::CHECKIN_TRIES`] tries per person
/// and event, guessing 10^8 codes is hopeless.
pub const CHECKIN_CODE_DIGITS: usize = 8;

fn new_checkin_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CHECKIN_CODE_DIGITS)
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
    tell: bool,
) -> Result<(), StoreError> {
    for unit in cohosts {
        let n = sqlx::query("INSERT INTO event_cohosts (event_id, unit_code, status, invited_at) VALUES ($1, $2, 'pending', $3) ON CONFLICT (event_id, unit_code) DO NOTHING")
            .bind(event_id)
            .bind(unit)
            .bind(now_ms())
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n > 0 && tell {
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

/// Where a new event stands in a series: the series and the start its rule gave it.
#[derive(Clone, Copy, Debug)]
pub struct InSeries {
    pub series_id: i64,
    pub original_start: i64,
    /// The series' first occurrence: only its co-hosts' coordinators are told of the
    /// invitation, once for the series.
    pub first: bool,
}

/// Inserts a draft event inside `tx` with its venue, flags, open-to units and co-host
/// invitations (their coordinators are told, once per series); returns its id and flags.
pub(super) async fn insert_event(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    host_unit: &str,
    created_by: i64,
    input: &EventInput,
    hours: &WorkingHours,
    series: Option<InSeries>,
) -> Result<(i64, Vec<Flag>), Refused> {
    let tell_cohosts = series.is_none_or(|s| s.first);
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO events (uid, host_unit, title, kind, agenda, venue_text, starts_at, ends_at, capacity, registration_deadline, status, checkin_code, created_by, created_at, updated_at, series_id, original_start) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, 'draft', $10, $11, $12, $12, $13, $14) RETURNING id",
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
    .bind(series.map(|s| s.series_id))
    .bind(series.map(|s| s.original_start))
    .fetch_one(&mut **tx)
    .await?;
    let (venue_id, venue_text, official) = resolve_venue(tx, &input.venue).await?;
    let flags = flags_in_tx(
        tx,
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
        .execute(&mut **tx)
        .await?;
    write_units(tx, id, &input.open_to).await?;
    invite_cohosts(tx, id, &input.title, &input.cohosts, tell_cohosts).await?;
    audit::append(
        tx,
        actor,
        AuditEvent {
            action: "event.created",
            object_type: Some("event"),
            object_id: Some(id.to_string()),
            detail: Some(format!("flags={}", join_flags(&flags))),
        },
    )
    .await?;
    Ok((id, flags))
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
    let out = insert_event(&mut tx, actor, host_unit, created_by, input, hours, None).await?;
    tx.commit().await?;
    Ok(out)
}

/// Appends the audit entry of a change to event `id` inside its transaction.
pub(super) async fn log_event(
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
pub(super) async fn lock_event(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<EventRecord, Refused> {
    if !lock(tx, Lock::Event(id)).await? {
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
    invite_cohosts(&mut tx, id, &input.title, &input.cohosts, true).await?;
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
