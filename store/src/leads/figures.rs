//! The Article 9 counts over every lead a unit may see, by aggregate SQL (no list, no cap):
//! totals by status, rule, discovering unit and month (Beijing time), the manual cases about
//! the joint office's own staff, and the durations the medians are taken over. Overdue cases
//! are decided by `domain::case` over the open cases ([`super::list::open_case_facts`]).

use std::collections::BTreeMap;

use domain::case::CaseFacts;
use domain::dashboard::LeadCounts;
use sqlx::Row;

use crate::{Backend, Db, StoreError};

/// Everything `domain::dashboard::figures` needs, read from the database.
pub struct FigureInputs {
    pub counts: LeadCounts,
    pub open_cases: Vec<CaseFacts>,
    /// Milliseconds from each hand-over to its acknowledgement.
    pub ack_ms: Vec<i64>,
    /// Milliseconds from each case's first hand-over to its first feedback.
    pub feedback_ms: Vec<i64>,
}

/// The visibility condition on `leads l`, for `$1` = joint office (0/1) and `$2` = the unit.
const VISIBLE: &str = "($1 = 1 OR l.discoverer_unit = $2 OR l.id IN (SELECT lead_id FROM lead_steps WHERE receiver_unit = $2))";

/// The figures' inputs for `unit` (the joint office sees every lead). `joint_office_unit` is
/// the home justice bureau, for the conflict count.
pub async fn lead_figures(
    db: &Db,
    unit: &str,
    joint_office: bool,
    joint_office_unit: &str,
) -> Result<FigureInputs, StoreError> {
    let jo = joint_office as i64;
    // `YYYY-MM` of created_at in UTC+8: date functions are where the dialects differ.
    let month = match db.backend {
        Backend::Sqlite => "strftime('%Y-%m', (l.created_at + 28800000) / 1000, 'unixepoch')",
        Backend::Postgres => {
            "to_char(to_timestamp((l.created_at + 28800000) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')"
        }
    };
    let mut counts = LeadCounts::default();
    for (column, map) in [
        ("l.status", &mut counts.by_status),
        ("l.rule", &mut counts.by_rule),
        ("l.discoverer_unit", &mut counts.by_discoverer),
        (month, &mut counts.by_month),
    ] {
        *map = group_count(db, column, jo, unit).await?;
    }
    counts.total = counts.by_status.values().sum();
    let conflicts: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM leads l WHERE {VISIBLE} AND l.subject_type = 'judicial_personnel' AND l.subject_org = $3 AND l.discoverer_unit <> $3"
    ))
    .bind(jo)
    .bind(unit)
    .bind(joint_office_unit)
    .fetch_one(&db.pool)
    .await?;
    counts.routing_conflicts = conflicts as usize;
    let ack_ms: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT s.acknowledged_at - s.sent_at FROM lead_steps s JOIN leads l ON l.id = s.lead_id WHERE {VISIBLE} AND s.acknowledged_at IS NOT NULL"
    ))
    .bind(jo)
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    let feedback_ms: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT MIN(e.at) - MIN(s.sent_at) FROM leads l JOIN lead_steps s ON s.lead_id = l.id AND s.hop = 1 \
         JOIN lead_entries e ON e.lead_id = l.id AND e.kind = 'feedback' WHERE {VISIBLE} GROUP BY l.id"
    ))
    .bind(jo)
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    let open_cases = super::list::open_case_facts(db, unit, joint_office).await?;
    Ok(FigureInputs {
        counts,
        open_cases,
        ack_ms,
        feedback_ms,
    })
}

/// `column` → number of visible leads, by `GROUP BY`.
async fn group_count(
    db: &Db,
    column: &str,
    jo: i64,
    unit: &str,
) -> Result<BTreeMap<String, usize>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {column} AS k, COUNT(*) AS n FROM leads l WHERE {VISIBLE} GROUP BY {column}"
    ))
    .bind(jo)
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("k")?,
                r.try_get::<i64, _>("n")? as usize,
            ))
        })
        .collect()
}
