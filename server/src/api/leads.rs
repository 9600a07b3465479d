//! `/api/v1/leads/*`: the routing preview of Articles 6–8 (the lead case file follows).

use app::refusals::Localize;
use axum::extract::State;
use axum::Json;
use domain::routing::{route_lead, RouteError, Subject};
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::error::AppError;
use crate::state::AppState;

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
    let dir = store::units::load_directory(&state.db).await?;
    let subject = match &body.subject {
        SubjectBody::JudicialPersonnel { org } => Subject::JudicialPersonnel { org },
        SubjectBody::Lawyer {} => Subject::Lawyer,
    };
    let plan = route_lead(&dir, &body.discoverer, &subject).map_err(|e| match e {
        RouteError::UnknownUnit(code) => AppError::Unprocessable(format!(
            "未知单位代码 / unknown unit code: {}",
            code.chars().take(64).collect::<String>()
        )),
    })?;
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

use axum::extract::Path;
use axum::Extension;
use domain::case::{allowed_actions, overdue, Action, Outcome};
use store::leads::{apply_action, ActionError, ActionRequest, Author, Case, LeadSummary};
use store::sessions::Caller;

use crate::leads::{build_lead, require_handler, Report};

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
    let dir = store::units::load_directory(&state.db).await?;
    let handler = require_handler(&caller, &dir)?;
    let (lead, _) = build_lead(&dir, &handler, &report)?;
    let (id, reference) = store::leads::create_lead(&state.db, &lead, &caller.actor()).await?;
    Ok(Json(Created {
        id,
        reference,
        rule: lead.rule,
        manual: lead.manual,
        warnings: lead.warnings,
    }))
}

/// `GET /api/v1/leads`: the leads the caller's unit may see.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<LeadSummary>>, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = require_handler(&caller, &dir)?;
    let leads = store::leads::list_visible(&state.db, &h.unit, h.joint_office, 500).await?;
    store::audit::record(
        &state.db,
        &caller.actor(),
        store::audit::Event {
            action: "lead.list_viewed",
            object_type: Some("leads"),
            object_id: None,
            detail: Some(format!("{} leads", leads.len())),
        },
    )
    .await?;
    Ok(Json(leads))
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

fn case_reply(state: &AppState, case: Case, unit: &str, joint_office: bool) -> CaseReply {
    let facts = case.facts();
    CaseReply {
        allowed_actions: allowed_actions(&facts, unit, joint_office),
        overdue: overdue(&facts, store::now_ms(), state.deadlines),
        deadlines: state.deadlines,
        case,
    }
}

/// `GET /api/v1/leads/{id}`: 404 to anyone the rules do not allow.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<CaseReply>, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = require_handler(&caller, &dir)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let case = store::leads::view_case(&state.db, id, &h.unit, h.joint_office, &caller.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(case_reply(&state, case, &h.unit, h.joint_office)))
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

/// Parses an action name as the API and the forms give it.
pub fn parse_action(name: &str) -> Option<Action> {
    Some(match name {
        "route" => Action::Route,
        "acknowledge" => Action::Acknowledge,
        "pass_on" => Action::PassOn { to: String::new() },
        "findings" => Action::Findings,
        "outcome" => Action::Outcome,
        "feedback" => Action::Feedback,
        "close" => Action::Close,
        "reopen" => Action::Reopen,
        "message" => Action::Message,
        _ => return None,
    })
}

/// Runs an action for the caller; shared by the API and the case page.
pub async fn run_action(
    state: &AppState,
    caller: &Caller,
    id: i64,
    action: &str,
    text: &str,
    outcomes: &[String],
    route: Vec<String>,
) -> Result<(Case, String, bool), AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = require_handler(caller, &dir)?;
    let action = parse_action(action)
        .ok_or_else(|| AppError::Unprocessable("未知操作 / unknown action".into()))?;
    if text.chars().count() > 10_000 {
        return Err(AppError::Unprocessable(
            "内容最多 10000 个字符 / the text may have at most 10000 characters".into(),
        ));
    }
    let outcomes = outcomes
        .iter()
        .map(|o| {
            Outcome::parse(o).ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "未知处理结果 / unknown outcome: {}",
                    o.chars().take(40).collect::<String>()
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let actor = caller.actor();
    let author = Author {
        user_id: h.user.id,
        name: &h.user.display_name,
        unit: &h.unit,
        joint_office: h.joint_office,
        actor: &actor,
    };
    let req = ActionRequest {
        action,
        text: text.trim().to_string(),
        outcomes,
        route,
    };
    match apply_action(&state.db, id, &author, &req).await {
        Ok(case) => Ok((case, h.unit.clone(), h.joint_office)),
        Err(ActionError::NotFound) => Err(AppError::NotFound),
        Err(ActionError::NotAllowed(r)) => Err(AppError::Conflict(r.both())),
        Err(ActionError::Store(e)) => Err(e.into()),
    }
}

/// `POST /api/v1/leads/{id}/actions`.
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Json<CaseReply>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (case, unit, jo) = run_action(
        &state,
        &caller,
        id,
        &body.action,
        &body.text,
        &body.outcomes,
        body.route,
    )
    .await?;
    Ok(Json(case_reply(&state, case, &unit, jo)))
}
