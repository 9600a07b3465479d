//! `/api/v1/leads…`: the routing preview of Articles 6–8 (public), reporting, the list, the
//! case file and its actions. A thin adapter: JSON bodies become the service's reports and
//! [`LeadCommand`]s. Anonymous callers get 401; everyone the rules do not allow gets 404,
//! never 403. A refusal's kind decides the status (see [`LeadRefusal`]).

use app::refusals::Localize;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use domain::case::{allowed_actions, overdue, Action, LeadRefusal};
use domain::directory::Directory;
use domain::routing::{route_lead, Subject};
use serde::{Deserialize, Serialize};
use store::leads::{Case, LeadSummary};
use store::sessions::Caller;

use super::service::{self, directory, handler, Handler, LeadCommand, LeadError, Report, Source};
use crate::api::require_user;
use crate::api::ApiJson;
use crate::error::AppError;
use crate::state::AppState;

impl From<LeadError> for AppError {
    fn from(e: LeadError) -> Self {
        match e {
            LeadError::NotFound => AppError::NotFound,
            LeadError::Refused(r) => match &r {
                LeadRefusal::Input(_) => AppError::Unprocessable(r.both()),
                LeadRefusal::Case(_) => AppError::Conflict(r.both()),
                LeadRefusal::Upload(u) if u.is_malformed() => AppError::BadRequest(r.both()),
                LeadRefusal::Upload(_) => AppError::Unprocessable(r.both()),
            },
            LeadError::Store(e) => AppError::Store(e),
        }
    }
}

/// The caller as a lead handler: 401 when anonymous, 404 for anyone else (leads are not
/// acknowledged to exist for other roles).
pub fn require_handler<'a>(caller: &'a Caller, dir: &Directory) -> Result<Handler<'a>, AppError> {
    require_user(caller)?;
    handler(caller, dir).ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SubjectBody {
    JudicialPersonnel { org: String },
    Lawyer {},
}

#[derive(Deserialize)]
pub struct PreviewBody {
    discoverer: String,
    subject: SubjectBody,
}

#[derive(Serialize)]
pub struct PreviewReply {
    rule: &'static str,
    basis: &'static str,
    basis_zh: &'static str,
    manual: bool,
    routes: Vec<Vec<String>>,
    reason: String,
    reason_en: String,
}

/// `POST /api/v1/leads/route-preview` (no sign-in): which rule applies and the route(s).
pub async fn route_preview(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PreviewBody>,
) -> Result<Json<PreviewReply>, AppError> {
    let dir = directory(&state).await?;
    let subject = match &body.subject {
        SubjectBody::JudicialPersonnel { org } => Subject::JudicialPersonnel { org },
        SubjectBody::Lawyer {} => Subject::Lawyer,
    };
    let plan = route_lead(&dir, &body.discoverer, &subject)
        .map_err(|e| AppError::Unprocessable(e.both()))?;
    Ok(Json(PreviewReply {
        rule: plan.rule.as_str(),
        basis: plan.rule.basis(),
        basis_zh: plan.rule.basis_zh(),
        manual: plan.manual,
        routes: plan.routes,
        reason: plan.reason_zh,
        reason_en: plan.reason_en,
    }))
}

#[derive(Serialize)]
pub struct Created {
    id: i64,
    reference: String,
    rule: String,
    manual: bool,
    warnings: Vec<String>,
}

/// `POST /api/v1/leads`: a lead handler reports a lead for their unit.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(report): ApiJson<Report>,
) -> Result<Json<Created>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let done = service::report(&state, &caller, &h, &dir, &report, Source::Api).await?;
    Ok(Json(Created {
        id: done.id,
        reference: done.reference,
        rule: done.lead.rule,
        manual: done.lead.manual,
        warnings: done.lead.warnings,
    }))
}

/// The most leads the API lists.
const LIST_LIMIT: i64 = 500;

/// `GET /api/v1/leads`: the leads the caller's unit may see, newest first.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<LeadSummary>>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let listing = service::list(&state, &caller, &h, LIST_LIMIT, 0).await?;
    Ok(Json(listing.leads))
}

/// A case file with what the caller may do and what is overdue.
#[derive(Serialize)]
pub struct CaseReply {
    #[serde(flatten)]
    case: Case,
    allowed_actions: Vec<Action>,
    overdue: Vec<domain::case::Overdue>,
    deadlines: domain::case::Deadlines,
}

fn case_reply(state: &AppState, case: Case, h: &Handler<'_>) -> CaseReply {
    let facts = case.facts();
    CaseReply {
        allowed_actions: allowed_actions(&facts, &h.unit, h.joint_office),
        overdue: overdue(&facts, store::now_ms(), state.deadlines),
        deadlines: state.deadlines,
        case,
    }
}

/// A lead id in a path; anything else names nothing (404).
fn lead_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `GET /api/v1/leads/{id}`: 404 to anyone the rules do not allow.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<CaseReply>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let case = service::view(&state, &caller, &h, lead_id(&id)?).await?;
    Ok(Json(case_reply(&state, case, &h)))
}

/// An action on a case.
#[derive(Deserialize)]
pub struct ActionBody {
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcomes: Vec<String>,
    #[serde(default)]
    route: Vec<String>,
}

/// `POST /api/v1/leads/{id}/actions`: the case file after the action.
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Json<CaseReply>, AppError> {
    let id = lead_id(&id)?;
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let command = LeadCommand {
        action: body.action,
        text: body.text,
        outcomes: body.outcomes,
        route: body.route,
    };
    let case = service::run(&state, &caller, &h, id, command).await?;
    Ok(Json(case_reply(&state, case, &h)))
}
