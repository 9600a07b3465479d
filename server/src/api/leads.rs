//! `/api/v1/leads/*`: the routing preview of Articles 6–8 (the lead case file follows).

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
