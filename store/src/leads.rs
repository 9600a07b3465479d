//! Leads and their case files: creation with the routed first hand-over, loading a case with
//! the facts the rules of `domain::case` need (including which units of the route take part in
//! the portal), the case actions ([`actions`]), what a unit may see ([`list`]), the Article 9
//! counts ([`figures`]) and report drafts. Every change runs in one transaction that first
//! locks the lead, re-checks the allowed actions on fresh facts, and writes its audit entry.

use std::collections::HashMap;

use domain::case::{visible_to, CaseFacts, CaseSubject, Outcome, OutcomeOnFile, Party, Step};
use domain::directory::UnitKind;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::audit::{self, Actor, Event};
use crate::{now_ms, Db, StoreError};

mod actions;
mod attachments;
mod figures;
mod list;

pub(crate) use actions::lock_visible;
pub use actions::{
    apply_action, apply_action_at, record_external_reply, ActionError, ActionRequest, Author,
    ExternalReply,
};
pub use attachments::{
    add_attachment, download_attachment, list_attachments, AttachmentInfo, UploadError,
};
pub use figures::{lead_figures, FigureInputs};
pub use list::{linked_leads, list_visible, list_visible_page, LeadSummary};

/// The subject of a lead, as reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectRecord {
    /// `judicial_personnel` or `lawyer`.
    pub kind: String,
    pub name: String,
    pub org: Option<String>,
    pub duty: Option<String>,
    pub licence_no: Option<String>,
    pub firm: Option<String>,
    pub region: Option<String>,
}

/// A new lead, validated by the caller.
#[derive(Clone, Debug)]
pub struct NewLead {
    pub discoverer: String,
    pub created_by: i64,
    pub subject: SubjectRecord,
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    pub conduct_kind: Option<String>,
    pub summary: String,
    pub details: String,
    pub rule: String,
    pub manual: bool,
    pub routing_reason: String,
    /// The chosen route, discoverer first; `None` for a manual case.
    pub route: Option<Vec<String>>,
    pub warnings: Vec<String>,
}

/// One entry of a case file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    /// findings, not_verified, outcome, external_reply, feedback, message, route, close,
    /// reopen (`…_superseded` after a reopening)
    pub kind: String,
    /// The unit that recorded it.
    pub unit: String,
    pub author_name: String,
    pub at: i64,
    pub body: String,
    pub outcomes: Vec<String>,
    /// For an `external_reply`: the organ outside the portal whose letter this is.
    pub source_unit: Option<String>,
    /// For an `external_reply`: when the letter was received (`YYYY-MM-DD`).
    pub received_on: Option<String>,
    /// For an `external_reply`: the letter's number.
    pub letter_reference: Option<String>,
    /// For a criminal referral: the authority it went to.
    pub referred_to: Option<String>,
}

impl Entry {
    /// The body this entry speaks for: the letter's organ, else the recording unit.
    pub fn body_unit(&self) -> &str {
        self.source_unit.as_deref().unwrap_or(&self.unit)
    }
}

/// A whole case file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub reference: String,
    pub discoverer: String,
    pub created_at: i64,
    pub status: String,
    pub rule: String,
    pub manual: bool,
    pub routing_reason: String,
    pub route: Option<Vec<String>>,
    pub subject: SubjectRecord,
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    pub conduct_kind: Option<String>,
    pub summary: String,
    pub details: String,
    pub warnings: Vec<String>,
    pub closed_at: Option<i64>,
    pub steps: Vec<Step>,
    pub entries: Vec<Entry>,
    /// The units of the route: kind, and whether each takes part in the portal.
    pub parties: Vec<Party>,
    /// The lead about the other side of the same contact, if the report named both.
    pub linked_lead: Option<i64>,
}

/// The facts of a case from its entries (shared by the case file and the lists).
pub(crate) fn facts_of(c: &Case, entries: &[Entry]) -> CaseFacts {
    let of = |kind: &'static str| entries.iter().filter(move |e| e.kind == kind);
    CaseFacts {
        discoverer: c.discoverer.clone(),
        route: c.route.clone(),
        steps: c.steps.clone(),
        parties: c.parties.clone(),
        subject: if c.subject.kind == "lawyer" {
            CaseSubject::Lawyer
        } else {
            CaseSubject::JudicialPersonnel {
                org: c.subject.org.clone(),
            }
        },
        created_at: c.created_at,
        findings_by: of("findings")
            .chain(of("external_reply"))
            .map(|e| e.body_unit().to_string())
            .collect(),
        not_verified_by: of("not_verified").map(|e| e.unit.clone()).collect(),
        outcomes: of("outcome")
            .chain(of("external_reply"))
            .filter(|e| !e.outcomes.is_empty())
            .map(|e| OutcomeOnFile {
                body: e.body_unit().to_string(),
                recorded_by: e.unit.clone(),
                outcomes: e
                    .outcomes
                    .iter()
                    .filter_map(|o| Outcome::parse(o))
                    .collect(),
            })
            .collect(),
        feedback_sent: of("feedback").next().is_some(),
        closed: c.status == "closed",
    }
}

impl Case {
    /// The facts the case rules work on.
    pub fn facts(&self) -> CaseFacts {
        facts_of(self, &self.entries)
    }
}

/// Every unit's kind and whether it takes part in the portal (has an active lead handler).
pub(crate) async fn unit_parties(
    conn: &mut AnyConnection,
) -> Result<HashMap<String, Party>, StoreError> {
    let rows = sqlx::query(
        // The few lead handlers first (index `user_roles_role`), grouped by unit, then joined
        // to the units: a count per unit over its users scanned every user (156 ms at 100,000).
        "SELECT u.code, u.kind, COALESCE(h.n, 0) AS handlers FROM units u LEFT JOIN \
         (SELECT us.unit_code, COUNT(*) AS n FROM user_roles r JOIN users us ON us.id = r.user_id \
          WHERE r.role = 'lead_handler' AND us.disabled = 0 GROUP BY us.unit_code) h ON h.unit_code = u.code",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            let kind: String = r.try_get("kind")?;
            let kind = UnitKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind}")))?;
            let handlers: i64 = r.try_get("handlers")?;
            Ok((
                code.clone(),
                Party {
                    code,
                    kind,
                    in_portal: handlers > 0,
                },
            ))
        })
        .collect()
}

/// The codes of the units that do not take part in the portal (no active lead handler): a
/// hand-over to one of them goes by letter, as the route preview says.
pub async fn units_outside_portal(db: &Db) -> Result<Vec<String>, StoreError> {
    let mut out: Vec<String> = crate::units::parties(db)
        .await?
        .values()
        .filter(|p| !p.in_portal)
        .map(|p| p.code.clone())
        .collect();
    out.sort();
    Ok(out)
}

/// The parties of `route` from [`unit_parties`].
pub(crate) fn parties_of(
    route: &Option<Vec<String>>,
    units: &HashMap<String, Party>,
) -> Vec<Party> {
    route
        .iter()
        .flatten()
        .filter_map(|u| units.get(u).cloned())
        .collect()
}

pub(crate) const LEAD_COLUMNS: &str = "id, linked_lead, reference, discoverer_unit, created_at, status, rule, manual, routing_reason, route, subject_type, subject_name, subject_org, subject_duty, subject_licence, subject_firm, subject_region, occurred_on, place, conduct_kind, summary, details, warnings, closed_at";

fn json_list(text: Option<String>) -> Result<Option<Vec<String>>, StoreError> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("list column: {e}")))
    })
    .transpose()
}

fn case_from_row(r: &sqlx::any::AnyRow) -> Result<Case, StoreError> {
    Ok(Case {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        discoverer: r.try_get("discoverer_unit")?,
        created_at: r.try_get("created_at")?,
        status: r.try_get("status")?,
        rule: r.try_get("rule")?,
        manual: r.try_get::<i64, _>("manual")? != 0,
        routing_reason: r.try_get("routing_reason")?,
        route: json_list(r.try_get("route")?)?,
        subject: SubjectRecord {
            kind: r.try_get("subject_type")?,
            name: r.try_get("subject_name")?,
            org: r.try_get("subject_org")?,
            duty: r.try_get("subject_duty")?,
            licence_no: r.try_get("subject_licence")?,
            firm: r.try_get("subject_firm")?,
            region: r.try_get("subject_region")?,
        },
        occurred_on: r.try_get("occurred_on")?,
        place: r.try_get("place")?,
        conduct_kind: r.try_get("conduct_kind")?,
        summary: r.try_get("summary")?,
        details: r.try_get("details")?,
        warnings: json_list(Some(r.try_get("warnings")?))?.unwrap_or_default(),
        closed_at: r.try_get("closed_at")?,
        steps: Vec::new(),
        entries: Vec::new(),
        parties: Vec::new(),
        linked_lead: r.try_get("linked_lead")?,
    })
}

fn step_from_row(r: &sqlx::any::AnyRow) -> Result<(i64, Step), StoreError> {
    Ok((
        r.try_get("lead_id")?,
        Step {
            hop: r.try_get("hop")?,
            sender: r.try_get("sender_unit")?,
            receiver: r.try_get("receiver_unit")?,
            sent_at: r.try_get("sent_at")?,
            acknowledged_at: r.try_get("acknowledged_at")?,
            passed_on_at: r.try_get("passed_on_at")?,
        },
    ))
}

pub(crate) const ENTRY_COLUMNS: &str = "lead_id, id, kind, unit, author_name, at, body, outcomes, source_unit, received_on, letter_reference, referred_to";

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry, StoreError> {
    Ok(Entry {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        unit: r.try_get("unit")?,
        author_name: r.try_get("author_name")?,
        at: r.try_get("at")?,
        body: r.try_get("body")?,
        outcomes: json_list(r.try_get("outcomes")?)?.unwrap_or_default(),
        source_unit: r.try_get("source_unit")?,
        received_on: r.try_get("received_on")?,
        letter_reference: r.try_get("letter_reference")?,
        referred_to: r.try_get("referred_to")?,
    })
}

/// Loads a case file on `conn` (a pool connection or the open transaction).
pub async fn load_case(conn: &mut AnyConnection, id: i64) -> Result<Option<Case>, StoreError> {
    let Some(row) = sqlx::query(&format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut case = case_from_row(&row)?;
    let steps = sqlx::query("SELECT lead_id, hop, sender_unit, receiver_unit, sent_at, acknowledged_at, passed_on_at FROM lead_steps WHERE lead_id = $1 ORDER BY hop")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    case.steps = steps
        .iter()
        .map(|r| step_from_row(r).map(|(_, s)| s))
        .collect::<Result<_, _>>()?;
    let entries = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM lead_entries WHERE lead_id = $1 ORDER BY at, id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    case.entries = entries
        .iter()
        .map(entry_from_row)
        .collect::<Result<_, StoreError>>()?;
    let units = unit_parties(conn).await?;
    case.parties = parties_of(&case.route, &units);
    Ok(Some(case))
}

/// The case if `unit` may see it (else `None`, the same as a missing case), with the view
/// audited.
pub async fn view_case(
    db: &Db,
    id: i64,
    unit: &str,
    joint_office: bool,
    actor: &Actor,
) -> Result<Option<Case>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    let Some(case) = load_case(&mut conn, id).await? else {
        return Ok(None);
    };
    drop(conn);
    if !visible_to(&case.facts(), unit, joint_office) {
        return Ok(None);
    }
    audit::record(
        db,
        actor,
        Event {
            action: "lead.viewed",
            object_type: Some("lead"),
            object_id: Some(case.reference.clone()),
            detail: None,
        },
    )
    .await?;
    Ok(Some(case))
}

/// Creates a lead: reference number, the case file, the first hand-over of the route, and the
/// audit entry, in one transaction. Returns (id, reference).
pub async fn create_lead(
    db: &Db,
    new: &NewLead,
    actor: &Actor,
) -> Result<(i64, String), StoreError> {
    create_lead_at(db, new, actor, now_ms()).await
}

/// [`create_lead`] as of `now` (the demo seeding writes case histories relative to today;
/// the audit entry still carries the time it was written).
pub async fn create_lead_at(
    db: &Db,
    new: &NewLead,
    actor: &Actor,
    now: i64,
) -> Result<(i64, String), StoreError> {
    let mut tx = db.pool.begin().await?;
    let created = insert_lead(&mut tx, new, actor, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates the two leads of one contact reported from both sides (the judicial officer and
/// the lawyer), each routed by its own rule, linked to each other, in one transaction.
/// Returns each one's (id, reference).
pub async fn create_linked_leads(
    db: &Db,
    first: &NewLead,
    second: &NewLead,
    actor: &Actor,
) -> Result<[(i64, String); 2], StoreError> {
    let mut tx = db.pool.begin().await?;
    let now = now_ms();
    let a = insert_lead(&mut tx, first, actor, now).await?;
    let b = insert_lead(&mut tx, second, actor, now).await?;
    for (this, other) in [(&a, &b), (&b, &a)] {
        sqlx::query("UPDATE leads SET linked_lead = $1 WHERE id = $2")
            .bind(other.0)
            .bind(this.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok([a, b])
}

/// Writes a new lead in `tx`: its reference, case file, first hand-over and audit entry.
async fn insert_lead(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    new: &NewLead,
    actor: &Actor,
    now: i64,
) -> Result<(i64, String), StoreError> {
    let year: i64 = chrono::DateTime::from_timestamp_millis(now)
        .map(|t| {
            chrono::Datelike::year(
                &t.with_timezone(
                    &chrono::FixedOffset::east_opt(8 * 3600)
                        .unwrap_or(chrono::FixedOffset::east_opt(0).expect("utc")),
                ),
            )
        })
        .unwrap_or(2026) as i64;
    let n: i64 = sqlx::query_scalar("INSERT INTO lead_counters (year, next) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET next = lead_counters.next + 1 RETURNING next")
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
    let reference = format!("DZ-{year}-{n:05}");
    let status = if new.route.is_some() {
        "open"
    } else {
        "manual"
    };
    let route = new
        .route
        .as_ref()
        .map(|r| serde_json::to_string(r).unwrap_or_default());
    let warnings = serde_json::to_string(&new.warnings).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO leads (reference, discoverer_unit, created_by, created_at, status, rule, manual, routing_reason, route, subject_type, subject_name, subject_org, subject_duty, subject_licence, subject_firm, subject_region, occurred_on, place, conduct_kind, summary, details, warnings) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
    )
    .bind(&reference)
    .bind(&new.discoverer)
    .bind(new.created_by)
    .bind(now)
    .bind(status)
    .bind(&new.rule)
    .bind(new.manual as i64)
    .bind(&new.routing_reason)
    .bind(route)
    .bind(&new.subject.kind)
    .bind(&new.subject.name)
    .bind(&new.subject.org)
    .bind(&new.subject.duty)
    .bind(&new.subject.licence_no)
    .bind(&new.subject.firm)
    .bind(&new.subject.region)
    .bind(&new.occurred_on)
    .bind(&new.place)
    .bind(&new.conduct_kind)
    .bind(&new.summary)
    .bind(&new.details)
    .bind(warnings)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(route) = &new.route {
        if route.len() > 1 {
            insert_step(tx, id, 1, &route[0], &route[1], now).await?;
        }
    }
    audit::append(
        tx,
        actor,
        Event {
            action: "lead.created",
            object_type: Some("lead"),
            object_id: Some(reference.clone()),
            detail: Some(format!(
                "rule={}; route={}",
                new.rule,
                new.route
                    .as_ref()
                    .map(|r| r.join(">"))
                    .unwrap_or_else(|| "manual".into())
            )),
        },
    )
    .await?;
    Ok((id, reference))
}

pub(crate) async fn insert_step(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    lead: i64,
    hop: i64,
    from: &str,
    to: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO lead_steps (lead_id, hop, sender_unit, receiver_unit, sent_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(lead)
        .bind(hop)
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Saves the user's report-form draft (one per user), as JSON.
pub async fn save_draft(db: &Db, user_id: i64, body: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO lead_drafts (user_id, saved_at, body) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET saved_at = $2, body = $3")
        .bind(user_id)
        .bind(now_ms())
        .bind(body)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The user's saved draft, if any: (saved at, JSON).
pub async fn load_draft(db: &Db, user_id: i64) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT saved_at, body FROM lead_drafts WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("saved_at")?, r.try_get("body")?)))
        .transpose()
}

/// Deletes the user's draft (after the lead is recorded).
pub async fn delete_draft(db: &Db, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM lead_drafts WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
