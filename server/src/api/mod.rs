//! The JSON API under `/api/v1`: JSON in, JSON out, errors as `{"error": "…", "code": "…"}`
//! (`crate::error`, `codes`) with a 4xx status. Every route resolves the caller from the bearer token or the session cookie.

pub mod catalogue;
pub mod codes;
pub mod openapi;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use axum::http::StatusCode;

use crate::error::{AppError, Refusal};

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
/// clear JSON 4xx errors instead of axum's plain-text ones, and in which a field the endpoint
/// does not know is refused (422 naming it) rather than silently ignored: `"freq"` for
/// `"frequency"` would otherwise read as a rule left out. Nested fields count too
/// (`rule.freq`).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rejection) => return Err(json_rejection(rejection)),
        };
        parse_body(value).map(ApiJson)
    }
}

/// `value` as `T`, refusing unknown fields.
pub fn parse_body<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    let mut unknown = Vec::new();
    let parsed: Result<T, _> =
        serde_ignored::deserialize(value, |path| unknown.push(path.to_string()));
    match parsed {
        Ok(_) if !unknown.is_empty() => {
            let field = unknown.join(", ");
            Err(AppError::Refused(Refusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: codes::UNKNOWN_FIELD.into(),
                message: format!("未知字段 / unknown field: {field}"),
                field: Some(field),
            }))
        }
        Ok(v) => Ok(v),
        Err(e) => Err(AppError::unprocessable(
            codes::INVALID_FIELD,
            format!("字段缺失或类型错误 / missing or mistyped field: {e}"),
        )),
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::bad_request(
            codes::NOT_JSON,
            "请求须为 JSON（Content-Type: application/json） / the body must be JSON (Content-Type: application/json)",
        ),
        JsonRejection::JsonSyntaxError(e) => AppError::bad_request(
            codes::MALFORMED_JSON,
            format!("JSON 格式错误 / malformed JSON: {}", e.body_text()),
        ),
        JsonRejection::JsonDataError(e) => AppError::unprocessable(
            codes::INVALID_FIELD,
            format!("字段缺失或类型错误 / missing or mistyped field: {}", e.body_text()),
        ),
        JsonRejection::BytesRejection(_) => AppError::bad_request(
            codes::UNREADABLE_BODY,
            "请求体无法读取或过大 / the body could not be read or is too large",
        ),
        _ => AppError::bad_request(codes::INVALID_REQUEST, "请求无效 / invalid request"),
    }
}

/// The signed-in caller, or 401.
pub fn require_user(caller: &store::sessions::Caller) -> Result<&store::users::User, AppError> {
    caller.user().ok_or_else(AppError::sign_in_first)
}

/// Middleware: the answers that layers below the API write in plain text (the body limit's
/// 413, the method router's empty 405) get the API's JSON error body with a code too, so
/// every 4xx under `/api/` carries one. The `Allow` header of a 405 is kept.
pub async fn json_errors(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let api = req.uri().path().starts_with(crate::mount::API_PREFIX);
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || json || !res.status().is_client_error() {
        return res;
    }
    let status = res.status();
    let refused = match status {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::refused(
            status,
            codes::TOO_LARGE,
            "请求体过大 / the body is too large",
        ),
        StatusCode::METHOD_NOT_ALLOWED => AppError::refused(
            status,
            codes::METHOD_NOT_ALLOWED,
            "此路径不接受该方法 / this path does not take that method",
        ),
        _ => AppError::refused(status, codes::INVALID_REQUEST, "请求无效 / invalid request"),
    };
    let mut answer = refused.into_response();
    if let Some(allow) = res.headers().get(http::header::ALLOW) {
        answer
            .headers_mut()
            .insert(http::header::ALLOW, allow.clone());
    }
    answer
}
