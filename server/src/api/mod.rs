//! The JSON API under `/api/v1`: JSON in, JSON out, errors as `{"error": "…"}` with a 4xx
//! status. Every route resolves the caller from the bearer token or the session cookie.

mod assignments;
mod auth;
pub mod events;
pub mod leads;
mod openapi;
pub mod training;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

/// The API routes, to be nested under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/me/tokens", get(auth::list_tokens))
        .route("/me/tokens/{id}/revoke", post(auth::revoke_token))
        .route("/dashboard", get(crate::dashboard::json))
        .route("/tips", post(crate::tips::api_create))
        .route("/tips/{receipt}", get(crate::tips::api_status))
        .route("/tips/{receipt}/messages", post(crate::tips::api_message))
        .route("/courses", get(training::courses))
        .route("/quizzes/{id}/attempts", post(training::start))
        .route("/quizzes/{id}/practice", post(training::practice))
        .route("/attempts/{id}/answers", post(training::save))
        .route("/attempts/{id}/submit", post(training::submit))
        .route("/events", get(events::list).post(events::create))
        .route("/events/{id}", get(events::show).put(events::update))
        .route("/events/{id}/publish", post(events::publish))
        .route("/events/{id}/approval", post(events::approval))
        .route("/events/{id}/cancel", post(events::cancel))
        .route("/events/{id}/held", post(events::held))
        .route("/events/{id}/summary", post(events::summary))
        .route(
            "/events/{id}/registrations",
            get(events::registrations)
                .post(events::register)
                .delete(events::unregister),
        )
        .route("/events/{id}/checkin", post(events::checkin))
        .route("/events/{id}/attendance", post(events::attendance))
        .route("/events/{id}/invitation", post(events::invitation))
        .route("/events/{id}/invitations/remind", post(events::remind))
        .route("/notifications", get(events::notifications))
        .route("/notifications/read", post(events::notifications_read))
        .route("/exchanges", get(events::exchanges))
        .route(
            "/assignments",
            get(assignments::list).post(assignments::create),
        )
        .route(
            "/assignments/{id}",
            axum::routing::patch(assignments::update).delete(assignments::delete),
        )
        .route("/leads/route-preview", post(leads::route_preview))
        .route("/leads", get(leads::list).post(leads::create))
        .route("/leads/{id}", get(leads::show))
        .route("/leads/{id}/actions", post(leads::act))
        .route(
            "/leads/{id}/attachments/{att}",
            get(crate::attachments::download),
        )
        .fallback(|| async { AppError::NotFound })
}

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
