//! One error type for handlers: logs the cause, answers with a safe message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error a handler returns. Internal causes are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or invalid: the message is for the client, in zh and en.
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but not acceptable (unknown code, failed validation).
    #[error("{0}")]
    Unprocessable(String),
    /// Not possible in the current state (the message says why).
    #[error("{0}")]
    Conflict(String),
    /// Not signed in, or wrong credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but must do something else first (change the password).
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts.
    #[error("{0}")]
    TooManyRequests(String),
    /// Too busy right now (every password check slot is taken): try again shortly.
    #[error("busy")]
    Busy,
    /// Not there, or not for this caller (the two are deliberately indistinguishable).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            AppError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, m.clone()),
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m.clone()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
            AppError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, m.clone()),
            AppError::NotFound => (StatusCode::NOT_FOUND, "未找到 / not found".to_string()),
            AppError::Store(store::StoreError::Busy) | AppError::Busy => {
                let mut res = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(serde_json::json!({
                        "error": "服务器繁忙，请稍后再试 / too busy, please try again in a moment"
                    })),
                )
                    .into_response();
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("2"),
                );
                return res;
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误，请稍后再试 / internal error, please try again later"
                        .to_string(),
                )
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}
