//! Event series (issue 19): a series row with its rule, and its occurrences as ordinary events
//! (`events.series_id`, `events.original_start`), made in one transaction. Publishing,
//! registering and cancelling stay per event (`writing.rs`, `registrations.rs`); this part
//! creates series, reads them, counts each association's plan for a year, and seeds the demo's.

use std::collections::BTreeMap;

use domain::events::{EventKind, Flag, WorkingHours};
use domain::series::{self, Frequency, Rule, SeriesEnd};
use domain::workdays::Date;
use sqlx::Row;

use super::writing::{insert_event, InSeries};
use super::{query_events, BindValue, EventInput, EventRecord, Refused, VenueChoice};
use crate::audit::{self, Actor, Event as AuditEvent};
use crate::{now_ms, Db, StoreError};

/// A stored series.
#[derive(Clone, Debug)]
pub struct SeriesRecord {
    pub id: i64,
    pub uid: String,
    pub host_unit: String,
    pub title: String,
    pub kind: EventKind,
    pub agenda: String,
    pub venue: String,
    pub rule: Rule,
    pub first_start: i64,
    pub duration_ms: i64,
    pub created_at: i64,
}

/// What a coordinator asks for: the first occurrence as an event, the rule, and the starts the
/// rule gives (checked by the caller with `domain::series::occurrences`).
#[derive(Clone, Debug)]
pub struct SeriesInput {
    pub first: EventInput,
    pub rule: Rule,
    pub starts: Vec<i64>,
}

fn new_uid() -> String {
    use rand::Rng;
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill(&mut bytes);
    format!("series-{}@dazu-portal", hex::encode(bytes))
}

/// Creates a series and its occurrences as drafts; returns the series id and, per
/// occurrence, its event id and compliance flags. Co-hosts are told once.
pub async fn create_series(
    db: &Db,
    actor: &Actor,
    host_unit: &str,
    created_by: i64,
    input: &SeriesInput,
    hours: &WorkingHours,
) -> Result<(i64, Vec<(i64, Vec<Flag>)>), Refused> {
    let first = &input.first;
    let duration = first.ends_at - first.starts_at;
    let deadline_before = first.starts_at - first.registration_deadline;
    let venue_text = match &first.venue {
        VenueChoice::Other(t) => t.clone(),
        VenueChoice::Listed(_) => String::new(),
    };
    let (count, until) = match input.rule.end {
        SeriesEnd::Count(n) => (Some(i64::from(n)), None),
        SeriesEnd::Until(d) => (None, Some(d.to_string())),
    };
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO event_series (uid, host_unit, title, kind, agenda, venue_text, frequency, interval_n, count_n, until_date, first_start, duration_ms, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(new_uid())
    .bind(host_unit)
    .bind(&first.title)
    .bind(first.kind.as_str())
    .bind(&first.agenda)
    .bind(&venue_text)
    .bind(input.rule.frequency.as_str())
    .bind(i64::from(input.rule.interval))
    .bind(count)
    .bind(until)
    .bind(first.starts_at)
    .bind(duration)
    .bind(created_by)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    let mut made = Vec::with_capacity(input.starts.len());
    for (i, start) in input.starts.iter().enumerate() {
        let occurrence = EventInput {
            starts_at: *start,
            ends_at: start + duration,
            registration_deadline: start - deadline_before,
            ..first.clone()
        };
        let place = InSeries {
            series_id: id,
            original_start: *start,
            first: i == 0,
        };
        let (event_id, flags) = insert_event(
            &mut tx,
            actor,
            host_unit,
            created_by,
            &occurrence,
            hours,
            Some(place),
        )
        .await?;
        made.push((event_id, flags));
    }
    // A listed venue's name is known once the first occurrence resolved it.
    let venue: String = sqlx::query_scalar("SELECT venue_text FROM events WHERE id = $1")
        .bind(made.first().map(|m| m.0).unwrap_or(0))
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or(venue_text);
    sqlx::query("UPDATE event_series SET venue_text = $1 WHERE id = $2")
        .bind(&venue)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event_series.created",
            object_type: Some("event_series"),
            object_id: Some(id.to_string()),
            detail: Some(format!(
                "rule={}; occurrences={}",
                series::rrule(&input.rule, first.starts_at),
                made.len()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, made))
}

/// Sets the series' calendar entry (title, kind, agenda, venue) from an edited occurrence.
pub async fn update_series_entry(
    db: &Db,
    actor: &Actor,
    id: i64,
    from: &EventRecord,
) -> Result<(), StoreError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE event_series SET title = $1, kind = $2, agenda = $3, venue_text = $4 WHERE id = $5",
    )
    .bind(&from.title)
    .bind(from.kind.as_str())
    .bind(&from.agenda)
    .bind(&from.venue)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "event_series.updated",
            object_type: Some("event_series"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const SERIES_COLUMNS: &str = "id, uid, host_unit, title, kind, agenda, venue_text, frequency, interval_n, count_n, until_date, first_start, duration_ms, created_at";

fn series_from_row(r: &sqlx::any::AnyRow) -> Result<SeriesRecord, StoreError> {
    let kind: String = r.try_get("kind")?;
    let frequency: String = r.try_get("frequency")?;
    let count: Option<i64> = r.try_get("count_n")?;
    let until: Option<String> = r.try_get("until_date")?;
    let end = match (count, until.as_deref().and_then(Date::parse)) {
        (Some(n), _) => SeriesEnd::Count(u32::try_from(n).unwrap_or(0)),
        (None, Some(d)) => SeriesEnd::Until(d),
        (None, None) => return Err(StoreError::Corrupt("series without an end".into())),
    };
    Ok(SeriesRecord {
        id: r.try_get("id")?,
        uid: r.try_get("uid")?,
        host_unit: r.try_get("host_unit")?,
        title: r.try_get("title")?,
        kind: EventKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("series kind {kind}")))?,
        agenda: r.try_get("agenda")?,
        venue: r.try_get("venue_text")?,
        rule: Rule {
            frequency: Frequency::parse(&frequency)
                .ok_or_else(|| StoreError::Corrupt(format!("series frequency {frequency}")))?,
            interval: u32::try_from(r.try_get::<i64, _>("interval_n")?).unwrap_or(1),
            end,
        },
        first_start: r.try_get("first_start")?,
        duration_ms: r.try_get("duration_ms")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Series by id (the ids are integers, listed inline), in id order.
pub async fn find_series_many(db: &Db, ids: &[i64]) -> Result<Vec<SeriesRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!(
        "SELECT {SERIES_COLUMNS} FROM event_series WHERE id IN ({list}) ORDER BY id"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(series_from_row).collect()
}

/// One series.
pub async fn find_series(db: &Db, id: i64) -> Result<Option<SeriesRecord>, StoreError> {
    Ok(find_series_many(db, &[id]).await?.into_iter().next())
}

/// The series a unit hosts, newest first.
pub async fn series_for_unit(db: &Db, unit: &str) -> Result<Vec<SeriesRecord>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {SERIES_COLUMNS} FROM event_series WHERE host_unit = $1 ORDER BY first_start DESC, id DESC LIMIT 200"
    ))
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(series_from_row).collect()
}

/// Every occurrence (any status) of the given series, by series and rule order.
pub async fn occurrences_of(db: &Db, series_ids: &[i64]) -> Result<Vec<EventRecord>, StoreError> {
    if series_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = series_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    query_events(
        db,
        &format!("e.series_id IN ({list}) ORDER BY e.series_id, e.original_start, e.id"),
        Vec::new(),
    )
    .await
}

/// Exchanges an association planned and held in a year: published (ever) events it hosts or
/// co-hosts (accepted) starting in the year, and of those the held or closed ones.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct PlanCount {
    pub association: String,
    pub planned: i64,
    pub held: i64,
    pub cancelled: i64,
    /// Of the planned, how many are occurrences of a series.
    pub in_series: i64,
}

/// [`PlanCount`] of every association with exchanges in `year` (one query).
pub async fn plan_counts(db: &Db, year: i32) -> Result<Vec<PlanCount>, StoreError> {
    let (from, to) = (super::year_start_ms(year), super::year_start_ms(year + 1));
    let rows = sqlx::query(
        "SELECT a.unit, COUNT(*) AS planned, \
           SUM(CASE WHEN a.status IN ('held', 'closed') THEN 1 ELSE 0 END) AS held, \
           SUM(CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, \
           SUM(CASE WHEN a.series_id IS NULL THEN 0 ELSE 1 END) AS in_series \
         FROM ( \
           SELECT e.host_unit AS unit, e.status, e.series_id FROM events e \
             WHERE e.published_at IS NOT NULL AND e.starts_at >= $1 AND e.starts_at < $2 \
           UNION ALL \
           SELECT c.unit_code, e.status, e.series_id FROM events e \
             JOIN event_cohosts c ON c.event_id = e.id AND c.status = 'accepted' \
             WHERE e.published_at IS NOT NULL AND e.starts_at >= $1 AND e.starts_at < $2 \
         ) a GROUP BY a.unit ORDER BY a.unit",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PlanCount {
                association: r.try_get("unit")?,
                planned: r.try_get("planned")?,
                held: r.try_get("held")?,
                cancelled: r.try_get("cancelled")?,
                in_series: r.try_get("in_series")?,
            })
        })
        .collect()
}

/// The events an association planned in a year (published ever, hosted or co-hosted and
/// accepted), by start.
pub async fn plan_events(
    db: &Db,
    association: &str,
    year: i32,
) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "e.published_at IS NOT NULL AND e.starts_at >= $2 AND e.starts_at < $3 \
         AND (e.host_unit = $1 OR e.id IN (SELECT event_id FROM event_cohosts WHERE unit_code = $1 AND status = 'accepted')) \
         ORDER BY e.starts_at, e.id LIMIT 1000",
        vec![
            BindValue::Text(association.to_string()),
            BindValue::Int(super::year_start_ms(year)),
            BindValue::Int(super::year_start_ms(year + 1)),
        ],
    )
    .await
}

/// Attended participants by kind of unit over `event_ids` (one query).
pub async fn attendance_by_kind(
    db: &Db,
    event_ids: &[i64],
) -> Result<BTreeMap<String, i64>, StoreError> {
    let mut out = BTreeMap::new();
    if event_ids.is_empty() {
        return Ok(out);
    }
    let ids = event_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT COALESCE(n.kind, 'other') AS kind, COUNT(*) AS n FROM event_registrations r \
         JOIN users u ON u.id = r.user_id LEFT JOIN units n ON n.code = u.unit_code \
         WHERE r.event_id IN ({ids}) AND r.attended = 1 AND r.status = 'registered' GROUP BY COALESCE(n.kind, 'other')"
    ))
    .fetch_all(&db.pool)
    .await?;
    for r in rows {
        out.insert(r.try_get("kind")?, r.try_get("n")?);
    }
    Ok(out)
}

/// The demo series: one quarterly symposium per association, hosted by its demo coordinator at
/// the first demo venue, four occurrences from the first Tuesday at least two weeks ahead (the
/// next association a day later each),
/// 09:30–11:30 Beijing time; occurrences without an approval-needing flag are published.
/// Idempotent: an association that already hosts a series is left alone, and so is one without
/// its coordinator or a venue. Returns how many series were made.
pub async fn seed_demo_series(
    db: &Db,
    hours: &WorkingHours,
    now: i64,
) -> Result<usize, StoreError> {
    const PLAN: [(&str, &str, &str); 4] = [
        (
            "dz-judges-assoc",
            "dz-judges-coordinator",
            "法官与律师季度座谈会",
        ),
        (
            "dz-prosecutors-assoc",
            "dz-prosecutors-coordinator",
            "检察官与律师季度座谈会",
        ),
        (
            "dz-police-assoc",
            "dz-police-coordinator",
            "警察与律师季度座谈会",
        ),
        ("dz-bar", "dz-bar-coordinator", "律师与司法人员季度交流会"),
    ];
    let venue: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM venues WHERE official = 1 AND active = 1 ORDER BY id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    let Some(venue) = venue else {
        return Ok(0);
    };
    let (today, _, weekday) = domain::events::local_parts(now);
    // The first Tuesday (weekday 1) at least 14 days ahead.
    let day = today + 14 + (1 - i64::from(weekday) - 14).rem_euclid(7);
    let first_start = day * 86_400_000 + (9 * 60 + 30) * 60_000 - domain::events::BEIJING_OFFSET_MS;
    let rule = Rule {
        frequency: Frequency::Quarterly,
        interval: 1,
        end: SeriesEnd::Count(4),
    };
    let mut made = 0;
    // Tuesday to Friday, one association a day, so the four do not share the room at once.
    for (i, (unit, login, title)) in PLAN.into_iter().enumerate() {
        let first_start = first_start + i as i64 * 86_400_000;
        let Ok(starts) = series::occurrences(&rule, first_start) else {
            continue;
        };
        let hosted: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM event_series WHERE host_unit = $1")
                .bind(unit)
                .fetch_one(&db.pool)
                .await?;
        let coordinator: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&db.pool)
            .await?;
        let Some(coordinator) = coordinator.filter(|_| hosted == 0) else {
            continue;
        };
        let actor = Actor {
            user_id: Some(coordinator),
            login: Some(login.to_string()),
            unit: Some(unit.to_string()),
            ..Default::default()
        };
        let input = SeriesInput {
            first: EventInput {
                title: title.to_string(),
                kind: EventKind::Symposium,
                agenda: "常态化交流（第十二条）：通报情况，交流意见。".to_string(),
                venue: VenueChoice::Listed(venue),
                starts_at: first_start,
                ends_at: first_start + 2 * 3_600_000,
                capacity: 30,
                registration_deadline: first_start - 86_400_000,
                open_to: ["dz-court", "dz-procuratorate", "dz-psb", "dz-firm-1"]
                    .map(String::from)
                    .to_vec(),
                cohosts: Vec::new(),
            },
            rule,
            starts,
        };
        let (_, occurrences) =
            match create_series(db, &actor, unit, coordinator, &input, hours).await {
                Ok(x) => x,
                Err(Refused::Store(e)) => return Err(e),
                // The demo's own input is valid; anything else leaves this association out.
                Err(_) => continue,
            };
        for (event_id, flags) in occurrences {
            if flags.iter().any(|f| f.needs_approval()) {
                continue;
            }
            match super::publish(db, &actor, event_id, hours, now).await {
                Ok(_) | Err(Refused::Rule(_)) | Err(Refused::NotFound) => {}
                Err(Refused::Store(e)) => return Err(e),
            }
        }
        made += 1;
    }
    Ok(made)
}
