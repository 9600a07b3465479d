//! `/api/v1/tips…` (no sign-in): leave a tip, read its status with the receipt, add
//! information. A thin adapter over [`super::service`].

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::sessions::Caller;
use utoipa::ToSchema;

use super::service::{self, TipError};
use crate::api::ApiJson;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;

impl From<TipError> for AppError {
    fn from(e: TipError) -> Self {
        use domain::tips::TipRefused;
        match e {
            TipError::NotFound => AppError::NotFound,
            TipError::Refused(r) => {
                let status = match r {
                    TipRefused::Throttled(_) | TipRefused::TooManyTips(_) => {
                        StatusCode::TOO_MANY_REQUESTS
                    }
                    TipRefused::Closed => StatusCode::CONFLICT,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                AppError::of(status, "tip", &r, None)
            }
            TipError::Store(e) => AppError::Store(e),
        }
    }
}

/// Information a reporter adds to their tip.
#[derive(Deserialize, ToSchema)]
pub struct TipBody {
    text: String,
}

/// A new tip's body: its text, with the limits the service checks.
#[derive(Deserialize, ToSchema)]
pub struct NewTip {
    #[schema(min_length = 10, max_length = 5000)]
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptReply {
    #[schema(pattern = "^[0-9]{16}$")]
    receipt: String,
}

/// What adding information answers: `{"sent": true}`.
#[derive(Serialize, ToSchema)]
pub struct Sent {
    sent: bool,
}

/// `POST /api/v1/tips` (no sign-in) → `{"receipt"}`.
#[utoipa::path(post, path = "/tips",
    summary = "Report a concern without signing in; the 16-digit receipt is shown once",
    security(()), request_body = NewTip,
    responses((status = 200, description = "Receipt", body = ReceiptReply),
    (status = 400, description = "Malformed request"),
    (status = 422, description = "Invalid text"),
    (status = 429, description = "Too many tips from this address")))]
pub async fn api_create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<NewTip>,
) -> Result<Json<ReceiptReply>, AppError> {
    let receipt = service::submit(&state, &caller, &body.text).await?;
    Ok(Json(ReceiptReply { receipt }))
}

/// The status of a tip as the API shows it to the receipt holder.
#[derive(Serialize, ToSchema)]
pub struct TipStatusReply {
    status: String,
    created_at: i64,
    messages: Vec<store::tips::TipMessage>,
}

/// `GET /api/v1/tips/{receipt}`: status and replies; a wrong receipt is a 404.
#[utoipa::path(get, path = "/tips/{receipt}",
    summary = "Status and replies of a tip, by receipt (guesses are throttled)", security(()),
    params(("receipt" = String, Path, description = "The 16-digit receipt")),
    responses((status = 200, description = "Status", body = TipStatusReply),
    (status = 404, description = "Wrong receipt"),
    (status = 429, description = "Too many guesses")))]
pub async fn api_status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
) -> Result<Json<TipStatusReply>, AppError> {
    let tip = service::lookup(&state, &caller, &receipt).await?;
    Ok(Json(status_reply(tip)))
}

/// A receipt in a request body, so it appears in no path that proxies log.
#[derive(Deserialize, ToSchema)]
pub struct ReceiptBody {
    #[schema(pattern = "^[0-9]{16}$")]
    receipt: String,
}

/// `POST /api/v1/tips/status` with `{"receipt"}`: status and replies; a wrong receipt is a 404.
#[utoipa::path(post, path = "/tips/status",
    summary = "Status and replies of a tip, the receipt in the body (guesses are throttled)",
    security(()), request_body = ReceiptBody,
    responses((status = 200, description = "Status", body = TipStatusReply),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Wrong receipt"),
    (status = 422, description = "Missing or mistyped field"),
    (status = 429, description = "Too many guesses")))]
pub async fn api_status_by_body(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<ReceiptBody>,
) -> Result<Json<TipStatusReply>, AppError> {
    let tip = service::lookup(&state, &caller, &body.receipt).await?;
    Ok(Json(status_reply(tip)))
}

fn status_reply(tip: store::tips::Tip) -> TipStatusReply {
    TipStatusReply {
        status: tip.status,
        created_at: tip.created_at,
        messages: tip.messages,
    }
}

/// `POST /api/v1/tips/{receipt}/messages`: the reporter adds information.
#[utoipa::path(post, path = "/tips/{receipt}/messages", summary = "The reporter adds information",
    security(()), params(("receipt" = String, Path, description = "The 16-digit receipt")),
    request_body = TipBody, responses((status = 200, description = "Sent", body = Sent),
    (status = 404, description = "Wrong receipt"), (status = 409, description = "Tip closed"),
    (status = 422, description = "Invalid text"),
    (status = 429, description = "Too many guesses")))]
pub async fn api_message(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
    ApiJson(body): ApiJson<TipBody>,
) -> Result<Json<Sent>, AppError> {
    let tip = service::lookup(&state, &caller, &receipt).await?;
    service::add_reporter_message(&state, &tip, &body.text).await?;
    Ok(Json(Sent { sent: true }))
}
