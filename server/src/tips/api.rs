//! `/api/v1/tips…` (no sign-in): leave a tip, read its status with the receipt, add
//! information. A thin adapter over [`super::service`].

use app::refusals::Localize;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::sessions::Caller;

use super::service::{self, TipError};
use crate::api::ApiJson;
use crate::error::AppError;
use crate::state::AppState;

impl From<TipError> for AppError {
    fn from(e: TipError) -> Self {
        use domain::tips::TipRefused;
        match e {
            TipError::NotFound => AppError::NotFound,
            TipError::Refused(r @ TipRefused::Throttled(_)) => AppError::TooManyRequests(r.both()),
            TipError::Refused(r @ TipRefused::Closed) => AppError::Conflict(r.both()),
            TipError::Refused(r) => AppError::Unprocessable(r.both()),
            TipError::Store(e) => AppError::Store(e),
        }
    }
}

#[derive(Deserialize)]
pub struct TipBody {
    text: String,
}

#[derive(Serialize)]
pub struct ReceiptReply {
    receipt: String,
}

/// `POST /api/v1/tips` (no sign-in) → `{"receipt"}`.
pub async fn api_create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TipBody>,
) -> Result<Json<ReceiptReply>, AppError> {
    let receipt = service::submit(&state, &body.text).await?;
    Ok(Json(ReceiptReply { receipt }))
}

/// The status of a tip as the API shows it to the receipt holder.
#[derive(Serialize)]
pub struct TipStatusReply {
    status: String,
    created_at: i64,
    messages: Vec<store::tips::TipMessage>,
}

/// `GET /api/v1/tips/{receipt}`: status and replies; a wrong receipt is a 404.
pub async fn api_status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
) -> Result<Json<TipStatusReply>, AppError> {
    let tip = service::lookup(&state, &caller, &receipt).await?;
    Ok(Json(TipStatusReply {
        status: tip.status,
        created_at: tip.created_at,
        messages: tip.messages,
    }))
}

/// `POST /api/v1/tips/{receipt}/messages`: the reporter adds information.
pub async fn api_message(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
    ApiJson(body): ApiJson<TipBody>,
) -> Result<Json<serde_json::Value>, AppError> {
    let tip = service::lookup(&state, &caller, &receipt).await?;
    service::add_reporter_message(&state, &tip, &body.text).await?;
    Ok(Json(serde_json::json!({"sent": true})))
}
