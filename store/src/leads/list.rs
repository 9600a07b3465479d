//! What a unit may see: its inbox, a page at a time, the open cases (for the dashboard's
//! overdue count), and other leads about the same subject. Hand-overs, entries and parties are
//! loaded for a whole page in a few queries, never per lead.

use std::collections::HashMap;

use domain::case::{CaseFacts, Step};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{
    case_from_row, entry_from_row, facts_of, parties_of, step_from_row, Case, ENTRY_COLUMNS,
    LEAD_COLUMNS,
};
use crate::{Db, StoreError};

/// A row of an inbox.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadSummary {
    pub id: i64,
    pub reference: String,
    pub discoverer: String,
    pub created_at: i64,
    pub status: String,
    pub rule: String,
    pub subject_name: String,
    pub subject_org: Option<String>,
    pub summary: String,
    /// Units whose acknowledgement is awaited.
    pub awaiting: Vec<String>,
    pub steps: Vec<Step>,
    pub route: Option<Vec<String>>,
    pub feedback_complete: bool,
    /// When the discoverer first had the feedback.
    pub feedback_at: Option<i64>,
    /// The facts the case rules work on (deadlines, what is awaited).
    #[serde(skip)]
    pub facts: CaseFacts,
}

/// The visibility condition on `leads` for `$1` = joint office (0/1) and `$2` = the unit.
const VISIBLE: &str = "($1 = 1 OR discoverer_unit = $2 OR id IN (SELECT lead_id FROM lead_steps WHERE receiver_unit = $2))";

/// The leads `unit` may see, newest first (at most `limit`), with their hand-overs loaded in
/// one more query.
pub async fn list_visible(
    db: &Db,
    unit: &str,
    joint_office: bool,
    limit: i64,
) -> Result<Vec<LeadSummary>, StoreError> {
    list_visible_page(db, unit, joint_office, limit, 0).await
}

/// [`list_visible`] from the `offset`-th lead on (newest first), for paged inboxes.
pub async fn list_visible_page(
    db: &Db,
    unit: &str,
    joint_office: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<LeadSummary>, StoreError> {
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM leads WHERE {VISIBLE} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    );
    let rows = sqlx::query(&sql)
        .bind(joint_office as i64)
        .bind(unit)
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(&db.pool)
        .await?;
    let mut cases: Vec<Case> = rows.iter().map(case_from_row).collect::<Result<_, _>>()?;
    fill_cases(db, &mut cases).await?;
    Ok(cases.into_iter().map(summary_of).collect())
}

/// The facts of every open (not closed) case `unit` may see, however many: a closed case is
/// never overdue, so these are all the dashboard needs to count overdue cases.
pub async fn open_case_facts(
    db: &Db,
    unit: &str,
    joint_office: bool,
) -> Result<Vec<CaseFacts>, StoreError> {
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM leads WHERE {VISIBLE} AND status <> 'closed' ORDER BY id"
    );
    let rows = sqlx::query(&sql)
        .bind(joint_office as i64)
        .bind(unit)
        .fetch_all(&db.pool)
        .await?;
    let mut cases: Vec<Case> = rows.iter().map(case_from_row).collect::<Result<_, _>>()?;
    fill_cases(db, &mut cases).await?;
    Ok(cases.iter().map(Case::facts).collect())
}

/// Loads the hand-overs, the entries the rules read (not their texts) and the parties of
/// `cases`, a chunk of ids per query.
async fn fill_cases(db: &Db, cases: &mut [Case]) -> Result<(), StoreError> {
    if cases.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = cases.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    for chunk in ids.chunks(500) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let step_sql = format!("SELECT lead_id, hop, sender_unit, receiver_unit, sent_at, acknowledged_at, passed_on_at FROM lead_steps WHERE lead_id IN ({}) ORDER BY lead_id, hop", ph.join(","));
        let mut q = sqlx::query(&step_sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&db.pool).await? {
            let (lead, step) = step_from_row(&r)?;
            if let Some(i) = index.get(&lead) {
                cases[*i].steps.push(step);
            }
        }
        let entry_sql = format!("SELECT {ENTRY_COLUMNS} FROM lead_entries WHERE lead_id IN ({}) AND kind IN ('findings', 'not_verified', 'outcome', 'external_reply', 'feedback') ORDER BY at, id", ph.join(","));
        let mut q = sqlx::query(&entry_sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&db.pool).await? {
            let lead: i64 = r.try_get("lead_id")?;
            if let Some(i) = index.get(&lead) {
                let mut e = entry_from_row(&r)?;
                // The texts are not needed for a list.
                e.body.clear();
                cases[*i].entries.push(e);
            }
        }
    }
    let units = crate::units::parties(db).await?;
    for c in cases.iter_mut() {
        c.parties = parties_of(&c.route, &units);
    }
    Ok(())
}

fn summary_of(c: Case) -> LeadSummary {
    let facts = facts_of(&c, &c.entries);
    let feedback_complete = facts.feedback_complete();
    // When the discoverer first had it: the feedback, or for internal handling the outcome.
    let feedback_kind = if facts.final_receiver() == Some(c.discoverer.as_str()) {
        "outcome"
    } else {
        "feedback"
    };
    let feedback_at = feedback_complete
        .then(|| {
            c.entries
                .iter()
                .filter(|e| {
                    e.kind == feedback_kind
                        || (e.kind == "external_reply" && e.unit == c.discoverer)
                })
                .map(|e| e.at)
                .min()
        })
        .flatten();
    LeadSummary {
        id: c.id,
        reference: c.reference,
        discoverer: c.discoverer,
        created_at: c.created_at,
        status: c.status,
        rule: c.rule,
        subject_name: c.subject.name,
        subject_org: c.subject.org,
        summary: c.summary,
        awaiting: c
            .steps
            .iter()
            .filter(|s| s.acknowledged_at.is_none() && facts.in_portal(&s.receiver))
            .map(|s| s.receiver.clone())
            .collect(),
        steps: c.steps,
        route: c.route,
        feedback_complete,
        feedback_at,
        facts,
    }
}

/// Other leads about the same subject (same licence number, or same name and unit), and the
/// lead about the other side of the same contact, that `unit` may also see.
pub async fn linked_leads(
    db: &Db,
    case: &Case,
    unit: &str,
    joint_office: bool,
) -> Result<Vec<(i64, String)>, StoreError> {
    // `VISIBLE` is `domain::case::visible_to` in SQL (the joint office, the discoverer, or a
    // unit a hand-over reached), so the other leads are filtered in one query.
    let rows = sqlx::query(&format!(
        "SELECT id, reference FROM leads WHERE {VISIBLE} AND id <> $3 AND ((subject_licence IS NOT NULL AND subject_licence <> '' AND subject_licence = $4) \
         OR (subject_name = $5 AND COALESCE(subject_org, '') = COALESCE($6, '') AND COALESCE(subject_firm, '') = COALESCE($7, '')) \
         OR linked_lead = $3) ORDER BY id LIMIT 50",
    ))
    .bind(joint_office as i64)
    .bind(unit)
    .bind(case.id)
    .bind(&case.subject.licence_no)
    .bind(&case.subject.name)
    .bind(&case.subject.org)
    .bind(&case.subject.firm)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("reference")?)))
        .collect()
}
