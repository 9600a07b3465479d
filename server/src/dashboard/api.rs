//! `GET /api/v1/dashboard`: the Article 9 figures as JSON.

use axum::extract::State;
use axum::{Extension, Json};
use domain::dashboard::Figures;
use store::sessions::Caller;
use utoipa::ToSchema;

use super::service::load;
use crate::api::require_user;
use crate::error::AppError;
use crate::state::AppState;

/// The JSON export: the lead figures, plus the training figures of the units the caller may see.
#[derive(serde::Serialize, ToSchema)]
pub struct DashboardJson {
    #[serde(flatten)]
    figures: Figures,
    training: crate::training::reports::DashboardTrainingJson,
    /// Exchange events (Art. 12), portal-wide public figures.
    exchanges: store::events::ExchangeFigures,
    /// Per association, exchanges planned (published) and held this year.
    plans: Vec<store::events::PlanCount>,
}

/// `GET /api/v1/dashboard`: the figures as JSON.
#[utoipa::path(get, path = "/dashboard",
    summary = "Article 9 figures over the leads the caller's unit may see",
    responses((status = 200, description = "Figures", body = DashboardJson),
    (status = 404, description = "Not a lead handler")))]
pub async fn json(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<DashboardJson>, AppError> {
    require_user(&caller)?;
    let d = load(&state, &caller).await?.ok_or(AppError::NotFound)?;
    Ok(Json(DashboardJson {
        figures: d.figures,
        training: d.training.1,
        exchanges: d.exchanges,
        plans: d.plans.1,
    }))
}
