//! One error type for handlers: logs the cause, answers with a safe message and a stable code.
//!
//! Every JSON error body is `{"error": "中文 / English", "code": "area.reason"}`, plus `"field"`
//! where one field is at fault (`crate::api::codes` lists every code and how a typed refusal's
//! code is derived from its variant). Codes never tell apart what the portal hides on purpose:
//! a lead one may not see and one that does not exist are both `not_found`.

use std::fmt::Debug;

use app::refusals::Localize;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::api::codes;

/// An error a handler returns. Internal causes are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A 4xx refusal with its code and message.
    #[error("{}", .0.message)]
    Refused(Refusal),
    /// Too busy right now (every password check slot is taken): try again shortly.
    #[error("busy")]
    Busy,
    /// Not there, or not for this caller (the two are deliberately indistinguishable).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// What a refused request is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    /// Stable, for programs to branch on (`crate::api::codes`).
    pub code: String,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// For people, `中文 / English`.
    pub message: String,
}

/// The JSON error body, as the OpenAPI document's `Error` schema describes it.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// For people: `中文 / English`.
    pub error: String,
    /// For programs: a stable code (`GET /api/v1/openapi.json` lists them all).
    #[schema(value_type = String)]
    pub code: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    /// A refusal with a code named here (one of [`codes::GENERIC`]).
    pub fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Refused(Refusal {
            status,
            code: code.to_string(),
            field: None,
            message: message.into(),
        })
    }

    /// A typed refusal's answer: its words, and its code derived from its variant under `area`
    /// ([`codes::derive`]); `field` names the field at fault.
    pub fn of<R: Localize + Debug>(
        status: StatusCode,
        area: &str,
        refusal: &R,
        field: Option<String>,
    ) -> AppError {
        AppError::Refused(Refusal {
            status,
            code: codes::derive(area, &format!("{refusal:?}"), field.as_deref()),
            field,
            message: refusal.both(),
        })
    }

    /// 400 with `code`.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        Self::refused(StatusCode::BAD_REQUEST, code, message)
    }

    /// 422 with `code`.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> AppError {
        Self::refused(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 401: not signed in.
    pub fn sign_in_first() -> AppError {
        Self::refused(
            StatusCode::UNAUTHORIZED,
            codes::AUTH_REQUIRED,
            "请先登录 / sign in first",
        )
    }

    /// The status and body this error answers with.
    pub fn body(&self) -> (StatusCode, ErrorBody) {
        let plain = |status, code: &str, message: &str| {
            (
                status,
                ErrorBody {
                    error: message.to_string(),
                    code: code.to_string(),
                    field: None,
                },
            )
        };
        match self {
            AppError::Refused(r) => (
                r.status,
                ErrorBody {
                    error: r.message.clone(),
                    code: r.code.clone(),
                    field: r.field.clone(),
                },
            ),
            AppError::NotFound => plain(
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                "未找到 / not found",
            ),
            AppError::Store(e) if e.is_unavailable() => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::STORAGE_UNAVAILABLE,
                "数据库暂时无法访问，请稍后再试 / the database is briefly unavailable, please try again in a moment",
            ),
            AppError::Store(store::StoreError::Busy) | AppError::Busy => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::BUSY,
                "服务器繁忙，请稍后再试 / too busy, please try again in a moment",
            ),
            AppError::Store(_) => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                codes::INTERNAL,
                "服务器内部错误，请稍后再试 / internal error, please try again later",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Store(e) = &self {
            if e.is_unavailable() {
                tracing::warn!(error = %e, "database unavailable");
            } else if !matches!(e, store::StoreError::Busy) {
                tracing::error!(error = %e, "storage error");
            }
        }
        let (status, body) = self.body();
        let mut res = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from_static("2"),
            );
        }
        res
    }
}
