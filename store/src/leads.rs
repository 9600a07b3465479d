//! Leads and their case files: creation with the routed first hand-over, the hand-overs,
//! entries (findings, outcomes, feedback, messages, routing, closing, reopening), listing what a
//! unit may see, and linking leads about the same subject. Every change runs in one transaction
//! that first locks the lead, re-checks the allowed actions on fresh facts, and writes its audit
//! entry.

use domain::case::{allowed_actions, visible_to, Action, CaseFacts, CaseRefusal, Outcome, Step};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::audit::{self, Actor, Event};
use crate::{now_ms, Db, StoreError};

mod attachments;

pub use attachments::{
    add_attachment, download_attachment, list_attachments, AttachmentInfo, UploadError,
};

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    /// findings, outcome, feedback, message, route, close, reopen
    pub kind: String,
    pub unit: String,
    pub author_name: String,
    pub at: i64,
    pub body: String,
    pub outcomes: Vec<String>,
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
}

impl Case {
    /// The facts the case rules work on.
    pub fn facts(&self) -> CaseFacts {
        CaseFacts {
            discoverer: self.discoverer.clone(),
            route: self.route.clone(),
            steps: self.steps.clone(),
            findings_by: self
                .entries
                .iter()
                .filter(|e| e.kind == "findings")
                .map(|e| e.unit.clone())
                .collect(),
            outcome_recorded: self.entries.iter().any(|e| e.kind == "outcome"),
            feedback_sent: self.entries.iter().any(|e| e.kind == "feedback"),
            closed: self.status == "closed",
        }
    }
}

const LEAD_COLUMNS: &str = "id, reference, discoverer_unit, created_at, status, rule, manual, routing_reason, route, subject_type, subject_name, subject_org, subject_duty, subject_licence, subject_firm, subject_region, occurred_on, place, conduct_kind, summary, details, warnings, closed_at";

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
    let entries = sqlx::query("SELECT id, kind, unit, author_name, at, body, outcomes FROM lead_entries WHERE lead_id = $1 ORDER BY at, id").bind(id).fetch_all(&mut *conn).await?;
    case.entries = entries
        .iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                unit: r.try_get("unit")?,
                author_name: r.try_get("author_name")?,
                at: r.try_get("at")?,
                body: r.try_get("body")?,
                outcomes: json_list(r.try_get("outcomes")?)?.unwrap_or_default(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
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
    let mut tx = db.pool.begin().await?;
    let n: i64 = sqlx::query_scalar("INSERT INTO lead_counters (year, next) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET next = lead_counters.next + 1 RETURNING next")
        .bind(year)
        .fetch_one(&mut *tx)
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
    .fetch_one(&mut *tx)
    .await?;
    if let Some(route) = &new.route {
        if route.len() > 1 {
            insert_step(&mut tx, id, 1, &route[0], &route[1], now).await?;
        }
    }
    audit::append(
        &mut tx,
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
    tx.commit().await?;
    Ok((id, reference))
}

async fn insert_step(
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

/// What a unit asks to do, with its text.
#[derive(Clone, Debug)]
pub struct ActionRequest {
    pub action: Action,
    pub text: String,
    pub outcomes: Vec<Outcome>,
    /// For [`Action::Route`]: the receivers chosen by the joint office, in order.
    pub route: Vec<String>,
}

/// Why an action was refused.
#[derive(Debug)]
pub enum ActionError {
    /// The lead does not exist or the unit may not see it.
    NotFound,
    /// Not allowed now, and why.
    NotAllowed(CaseRefusal),
    Store(StoreError),
}

impl From<StoreError> for ActionError {
    fn from(e: StoreError) -> Self {
        ActionError::Store(e)
    }
}

impl From<sqlx::Error> for ActionError {
    fn from(e: sqlx::Error) -> Self {
        ActionError::Store(e.into())
    }
}

/// The author of an action: user and unit.
pub struct Author<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub unit: &'a str,
    pub joint_office: bool,
    pub actor: &'a Actor,
}

/// Locks lead `id` in `tx` and loads it, if `author`'s unit may see it (`None` when it is
/// missing or not theirs). The write comes first: it locks the lead row (PostgreSQL) or takes
/// the write lock (SQLite), so the facts read next hold until the commit.
async fn lock_visible(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    author: &Author<'_>,
) -> Result<Option<Case>, StoreError> {
    let locked = sqlx::query("UPDATE leads SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if locked.rows_affected() == 0 {
        return Ok(None);
    }
    Ok(load_case(tx, id)
        .await?
        .filter(|c| visible_to(&c.facts(), author.unit, author.joint_office)))
}

fn same_action(a: &Action, b: &Action) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Applies an action for `author`, if the case rules allow it now.
pub async fn apply_action(
    db: &Db,
    id: i64,
    author: &Author<'_>,
    req: &ActionRequest,
) -> Result<Case, ActionError> {
    apply_action_at(db, id, author, req, now_ms()).await
}

/// [`apply_action`] as of `now` (for the demo seeding, as [`create_lead_at`]).
pub async fn apply_action_at(
    db: &Db,
    id: i64,
    author: &Author<'_>,
    req: &ActionRequest,
    now: i64,
) -> Result<Case, ActionError> {
    let mut tx = db.pool.begin().await?;
    let case = lock_visible(&mut tx, id, author)
        .await?
        .ok_or(ActionError::NotFound)?;
    let facts = case.facts();
    let allowed = allowed_actions(&facts, author.unit, author.joint_office);
    if !allowed.iter().any(|a| same_action(a, &req.action)) {
        return Err(ActionError::NotAllowed(CaseRefusal::NotAvailable));
    }
    let entry = |kind: &'static str| (kind, req.text.clone());
    let mut detail = String::new();
    let record: Option<(&str, String)> = match &req.action {
        Action::Acknowledge => {
            sqlx::query("UPDATE lead_steps SET acknowledged_at = $1, acknowledged_by = $2 WHERE lead_id = $3 AND receiver_unit = $4 AND acknowledged_at IS NULL")
                .bind(now)
                .bind(author.user_id)
                .bind(id)
                .bind(author.unit)
                .execute(&mut *tx)
                .await?;
            None
        }
        Action::PassOn { .. } => {
            // Exactly the next hop of the route, never a unit of the caller's choosing.
            let Some(Action::PassOn { to }) =
                allowed.iter().find(|a| matches!(a, Action::PassOn { .. }))
            else {
                return Err(ActionError::NotAllowed(CaseRefusal::NoNextReceiver));
            };
            let step = case
                .steps
                .iter()
                .find(|s| s.receiver == author.unit && s.passed_on_at.is_none())
                .ok_or(ActionError::NotFound)?;
            sqlx::query("UPDATE lead_steps SET passed_on_at = $1 WHERE lead_id = $2 AND hop = $3")
                .bind(now)
                .bind(id)
                .bind(step.hop)
                .execute(&mut *tx)
                .await?;
            insert_step(&mut tx, id, step.hop + 1, author.unit, to, now).await?;
            detail = format!("to={to}");
            None
        }
        Action::Findings => Some(entry("findings")),
        Action::Outcome => {
            if req.outcomes.is_empty() {
                return Err(ActionError::NotAllowed(CaseRefusal::OutcomeMissing));
            }
            Some(entry("outcome"))
        }
        Action::Feedback => Some(entry("feedback")),
        Action::Message => Some(entry("message")),
        Action::Close => {
            sqlx::query("UPDATE leads SET status = 'closed', closed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            Some(entry("close"))
        }
        Action::Reopen => {
            if req.text.trim().is_empty() {
                return Err(ActionError::NotAllowed(CaseRefusal::ReopenReasonMissing));
            }
            sqlx::query("UPDATE leads SET status = 'open', closed_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // The outcome and feedback must be given again after a reopening.
            sqlx::query("UPDATE lead_entries SET kind = kind || '_superseded' WHERE lead_id = $1 AND kind IN ('outcome', 'feedback')").bind(id).execute(&mut *tx).await?;
            Some(entry("reopen"))
        }
        Action::Route => {
            let mut route = vec![case.discoverer.clone()];
            route.extend(req.route.iter().filter(|u| **u != case.discoverer).cloned());
            if route.len() < 2 || req.text.trim().is_empty() {
                return Err(ActionError::NotAllowed(CaseRefusal::RouteIncomplete));
            }
            let known: Vec<String> = sqlx::query_scalar("SELECT code FROM units")
                .fetch_all(&mut *tx)
                .await?;
            if let Some(bad) = route.iter().find(|u| !known.contains(u)) {
                return Err(ActionError::NotAllowed(CaseRefusal::UnknownUnit(
                    bad.clone(),
                )));
            }
            let mut dedup = route.clone();
            dedup.sort();
            dedup.dedup();
            if dedup.len() != route.len() {
                return Err(ActionError::NotAllowed(CaseRefusal::UnitTwice));
            }
            sqlx::query("UPDATE leads SET route = $1, status = 'open' WHERE id = $2")
                .bind(serde_json::to_string(&route).unwrap_or_default())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_step(&mut tx, id, 1, &route[0], &route[1], now).await?;
            detail = format!("route={}", route.join(">"));
            Some(("route", format!("{}\n{}", route.join(" → "), req.text)))
        }
    };
    if let Some((kind, body)) = record {
        if kind != "close" && kind != "route" && body.trim().is_empty() {
            return Err(ActionError::NotAllowed(CaseRefusal::TextMissing));
        }
        let outcomes = (kind == "outcome").then(|| {
            serde_json::to_string(&req.outcomes.iter().map(|o| o.as_str()).collect::<Vec<_>>())
                .unwrap_or_default()
        });
        sqlx::query("INSERT INTO lead_entries (lead_id, kind, unit, author_id, author_name, at, body, outcomes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id)
            .bind(kind)
            .bind(author.unit)
            .bind(author.user_id)
            .bind(author.name)
            .bind(now)
            .bind(body)
            .bind(outcomes)
            .execute(&mut *tx)
            .await?;
    }
    let action_name = serde_json::to_value(&req.action)
        .ok()
        .and_then(|v| v["action"].as_str().map(String::from))
        .unwrap_or_default();
    audit::append(
        &mut tx,
        author.actor,
        Event {
            action: &format!("lead.{action_name}"),
            object_type: Some("lead"),
            object_id: Some(case.reference.clone()),
            detail: (!detail.is_empty()).then_some(detail),
        },
    )
    .await?;
    let updated = load_case(&mut tx, id).await?.ok_or(ActionError::NotFound)?;
    tx.commit().await?;
    Ok(updated)
}

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
}

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
        "SELECT {LEAD_COLUMNS} FROM leads WHERE $1 = 1 OR discoverer_unit = $2 OR id IN (SELECT lead_id FROM lead_steps WHERE receiver_unit = $2) ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    );
    let rows = sqlx::query(&sql)
        .bind(joint_office as i64)
        .bind(unit)
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(&db.pool)
        .await?;
    let mut cases: Vec<Case> = rows.iter().map(case_from_row).collect::<Result<_, _>>()?;
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let ph: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let step_sql = format!("SELECT lead_id, hop, sender_unit, receiver_unit, sent_at, acknowledged_at, passed_on_at FROM lead_steps WHERE lead_id IN ({}) ORDER BY lead_id, hop", ph.join(","));
    let mut q = sqlx::query(&step_sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let steps = q.fetch_all(&db.pool).await?;
    let entry_sql = format!("SELECT lead_id, kind, unit, at FROM lead_entries WHERE lead_id IN ({}) AND kind IN ('findings', 'outcome', 'feedback') ORDER BY at", ph.join(","));
    let mut q = sqlx::query(&entry_sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let entries = q.fetch_all(&db.pool).await?;
    let index: std::collections::HashMap<i64, usize> =
        cases.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    for r in &steps {
        let (lead, step) = step_from_row(r)?;
        if let Some(c) = index.get(&lead).map(|i| &mut cases[*i]) {
            c.steps.push(step);
        }
    }
    for r in &entries {
        let lead: i64 = r.try_get("lead_id")?;
        if let Some(c) = index.get(&lead).map(|i| &mut cases[*i]) {
            c.entries.push(Entry {
                id: 0,
                kind: r.try_get("kind")?,
                unit: r.try_get("unit")?,
                author_name: String::new(),
                at: r.try_get("at")?,
                body: String::new(),
                outcomes: Vec::new(),
            });
        }
    }
    Ok(cases
        .into_iter()
        .map(|c| {
            let facts = c.facts();
            let internal = c.route.as_ref().is_some_and(|r| r.len() == 1);
            let feedback_kind = if internal { "outcome" } else { "feedback" };
            let feedback_at = facts
                .feedback_complete()
                .then(|| {
                    c.entries
                        .iter()
                        .filter(|e| e.kind == feedback_kind)
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
                    .filter(|s| s.acknowledged_at.is_none())
                    .map(|s| s.receiver.clone())
                    .collect(),
                steps: c.steps,
                route: c.route,
                feedback_complete: facts.feedback_complete(),
                feedback_at,
            }
        })
        .collect())
}

/// Other leads about the same subject (same licence number, or same name and unit) that
/// `unit` may also see.
pub async fn linked_leads(
    db: &Db,
    case: &Case,
    unit: &str,
    joint_office: bool,
) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, reference FROM leads WHERE id <> $1 AND ((subject_licence IS NOT NULL AND subject_licence <> '' AND subject_licence = $2) \
         OR (subject_name = $3 AND COALESCE(subject_org, '') = COALESCE($4, '') AND COALESCE(subject_firm, '') = COALESCE($5, ''))) ORDER BY id LIMIT 50",
    )
    .bind(case.id)
    .bind(&case.subject.licence_no)
    .bind(&case.subject.name)
    .bind(&case.subject.org)
    .bind(&case.subject.firm)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    let mut conn = db.pool.acquire().await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        if let Some(other) = load_case(&mut conn, id).await? {
            if visible_to(&other.facts(), unit, joint_office) {
                out.push((id, other.reference));
            }
        }
    }
    Ok(out)
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
