//! What attendance counts for: exchange hours per person (training), the public register of
//! held exchanges (no names), and the exchange figures of the Art. 9 dashboard.

use std::collections::BTreeMap;

use domain::events as rules;
use sqlx::Row;

use super::{query_events, BindValue, EventRecord};
use crate::{Db, StoreError};

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
