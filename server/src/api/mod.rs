//! The JSON API under `/api/v1`: JSON in, JSON out, errors as `{"error": "…"}` with a 4xx
//! status. Every route resolves the caller from the bearer token or the session cookie.

pub mod openapi;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A path parameter whose rejection (`/events/1.9`) is the API's JSON 404: a malformed id names
/// nothing.
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| AppError::NotFound)
    }
}

/// A JSON body whose rejections (wrong content type, malformed JSON, wrong types) become
/// clear JSON 4xx errors instead of axum's plain-text ones.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    AppError::BadRequest("请求须为 JSON（Content-Type: application/json）/ the body must be JSON (Content-Type: application/json)".into())
                }
                JsonRejection::JsonSyntaxError(e) => AppError::BadRequest(format!("JSON 格式错误 / malformed JSON: {}", e.body_text())),
                JsonRejection::JsonDataError(e) => AppError::Unprocessable(format!("字段缺失或类型错误 / missing or mistyped field: {}", e.body_text())),
                JsonRejection::BytesRejection(_) => AppError::BadRequest("请求体无法读取或过大 / the body could not be read or is too large".into()),
                _ => AppError::BadRequest("请求无效 / invalid request".into()),
            }),
        }
    }
}

/// The signed-in caller, or 401.
pub fn require_user(caller: &store::sessions::Caller) -> Result<&store::users::User, AppError> {
    caller
        .user()
        .ok_or_else(|| AppError::Unauthorized("请先登录 / sign in first".into()))
}
