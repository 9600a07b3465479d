//! Case actions: every change locks the lead, re-checks the allowed actions and the rules of
//! `domain::case` (Article 13's outcomes, verification before closing, manual receivers) on
//! fresh facts, writes its entry and its audit record, in one transaction.

use domain::case::{
    allowed_actions, check_close, check_outcomes, may_receive, visible_to, Action, CaseRefusal,
    InputRefusal, LeadRefusal, Outcome,
};
use domain::directory::UnitKind;

use super::{insert_step, load_case, Case};
use crate::audit::{self, Actor, Event};
use crate::lock::{lock, Lock};
use crate::{now_ms, Db, StoreError};

/// What a unit asks to do, with its text.
#[derive(Clone, Debug)]
pub struct ActionRequest {
    pub action: Action,
    pub text: String,
    pub outcomes: Vec<Outcome>,
    /// For [`Action::Route`]: the receivers chosen by the joint office, in order.
    pub route: Vec<String>,
    /// For a criminal referral (an outcome or an external reply): the authority it went to.
    pub referred_to: String,
    /// For [`Action::ExternalReply`]: the letter.
    pub letter: Option<ExternalReply>,
}

/// A reply received outside the portal from an organ that does not take part in it.
#[derive(Clone, Debug, Default)]
pub struct ExternalReply {
    /// The replying organ's code.
    pub from: String,
    /// `YYYY-MM-DD`, checked by the caller.
    pub received_on: String,
    /// The letter's number.
    pub reference: String,
}

/// Why an action was refused.
#[derive(Debug)]
pub enum ActionError {
    /// The lead does not exist or the unit may not see it.
    NotFound,
    /// Refused by the case rules, and why.
    Refused(LeadRefusal),
    Store(StoreError),
}

impl From<CaseRefusal> for ActionError {
    fn from(r: CaseRefusal) -> Self {
        ActionError::Refused(r.into())
    }
}

impl From<InputRefusal> for ActionError {
    fn from(r: InputRefusal) -> Self {
        ActionError::Refused(r.into())
    }
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
pub(crate) async fn lock_visible(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    author: &Author<'_>,
) -> Result<Option<Case>, StoreError> {
    if !lock(tx, Lock::Lead(id)).await? {
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

/// [`apply_action`] as of `now` (the demo seeding writes case histories relative to today; the
/// audit entry still carries the time it was written).
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
        return Err(CaseRefusal::NotAvailable.into());
    }
    let mut detail = String::new();
    // The entry to write: kind, body, and for a letter the organ it speaks for.
    let mut source: Option<&ExternalReply> = None;
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
                return Err(CaseRefusal::NoNextReceiver.into());
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
            if !facts.in_portal(to) {
                detail.push_str("; by letter");
            }
            None
        }
        Action::Findings => Some(("findings", req.text.clone())),
        Action::NotVerified => Some(("not_verified", req.text.clone())),
        Action::Outcome => {
            if req.outcomes.is_empty() {
                return Err(CaseRefusal::OutcomeMissing.into());
            }
            check_outcomes(&facts, author.unit, &req.outcomes, &req.referred_to)
                .map_err(InputRefusal::Outcome)?;
            Some(("outcome", req.text.clone()))
        }
        Action::ExternalReply { .. } => {
            let letter = req
                .letter
                .as_ref()
                .ok_or(CaseRefusal::NotOutsidePortal(String::new()))?;
            let may = allowed
                .iter()
                .any(|a| matches!(a, Action::ExternalReply { from } if *from == letter.from));
            if !may {
                return Err(CaseRefusal::NotOutsidePortal(letter.from.clone()).into());
            }
            check_outcomes(&facts, &letter.from, &req.outcomes, &req.referred_to)
                .map_err(InputRefusal::Outcome)?;
            detail = format!("from={}; letter={}", letter.from, letter.reference);
            source = Some(letter);
            Some(("external_reply", req.text.clone()))
        }
        Action::Feedback => Some(("feedback", req.text.clone())),
        Action::Message => Some(("message", req.text.clone())),
        Action::Close => {
            check_close(&facts)?;
            sqlx::query("UPDATE leads SET status = 'closed', closed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            Some(("close", req.text.clone()))
        }
        Action::Reopen => {
            if req.text.trim().is_empty() {
                return Err(CaseRefusal::ReopenReasonMissing.into());
            }
            sqlx::query("UPDATE leads SET status = 'open', closed_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // The outcomes, letters and feedback must be given again after a reopening.
            sqlx::query("UPDATE lead_entries SET kind = kind || '_superseded' WHERE lead_id = $1 AND kind IN ('outcome', 'feedback', 'external_reply')").bind(id).execute(&mut *tx).await?;
            Some(("reopen", req.text.clone()))
        }
        Action::Route => {
            let route = check_route(&mut tx, &case, req).await?;
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
            return Err(CaseRefusal::TextMissing.into());
        }
        let outcomes = (kind == "outcome" || kind == "external_reply").then(|| {
            serde_json::to_string(&req.outcomes.iter().map(|o| o.as_str()).collect::<Vec<_>>())
                .unwrap_or_default()
        });
        let referred_to = req
            .outcomes
            .contains(&Outcome::CriminalReferral)
            .then(|| req.referred_to.trim().to_string());
        sqlx::query("INSERT INTO lead_entries (lead_id, kind, unit, author_id, author_name, at, body, outcomes, source_unit, received_on, letter_reference, referred_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(id)
            .bind(kind)
            .bind(author.unit)
            .bind(author.user_id)
            .bind(author.name)
            .bind(now)
            .bind(body)
            .bind(outcomes)
            .bind(source.map(|l| l.from.clone()))
            .bind(source.map(|l| l.received_on.clone()))
            .bind(source.map(|l| l.reference.clone()))
            .bind(referred_to)
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

/// The route a joint office's manual routing asks for, discoverer first: at least one receiver,
/// a reason, each unit once, every receiver an organ, justice bureau or association of the
/// directory (never a law firm).
async fn check_route(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    case: &Case,
    req: &ActionRequest,
) -> Result<Vec<String>, ActionError> {
    let mut route = vec![case.discoverer.clone()];
    route.extend(req.route.iter().filter(|u| **u != case.discoverer).cloned());
    if route.len() < 2 || req.text.trim().is_empty() {
        return Err(CaseRefusal::RouteIncomplete.into());
    }
    let known: Vec<(String, String)> = sqlx::query_as("SELECT code, kind FROM units")
        .fetch_all(&mut **tx)
        .await?;
    for u in &route[1..] {
        let Some((_, kind)) = known.iter().find(|(c, _)| c == u) else {
            return Err(CaseRefusal::UnknownUnit(u.clone()).into());
        };
        if !UnitKind::parse(kind).is_some_and(may_receive) {
            return Err(CaseRefusal::NotAReceiver(u.clone()).into());
        }
    }
    let mut dedup = route.clone();
    dedup.sort();
    dedup.dedup();
    if dedup.len() != route.len() {
        return Err(CaseRefusal::UnitTwice.into());
    }
    Ok(route)
}

/// Records a reply received outside the portal from `letter.from` on lead `id`, as the case
/// page and the API do (`external_reply`): its findings `text` and its `outcomes`. For seeding
/// and tools; the date is the caller's to check.
pub async fn record_external_reply(
    db: &Db,
    id: i64,
    author: &Author<'_>,
    letter: ExternalReply,
    text: &str,
    outcomes: Vec<Outcome>,
) -> Result<Case, ActionError> {
    let req = ActionRequest {
        action: Action::ExternalReply {
            from: letter.from.clone(),
        },
        text: text.to_string(),
        outcomes,
        route: Vec::new(),
        referred_to: String::new(),
        letter: Some(letter),
    };
    apply_action(db, id, author, &req).await
}
