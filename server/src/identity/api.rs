//! `/api/v1/auth/*` and `/api/v1/me*`: tokens for other systems and scripts. A thin adapter
//! over [`super::service`].

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::sessions::{self, Caller, Kind};
use store::users::User;
use utoipa::ToSchema;

use domain::identity::SignInRefused;

use super::service::{self, sign_in, SignInError};
use crate::api::{require_user, ApiJson};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    login: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenReply {
    token: String,
}

/// What revoking answers: `{"revoked": true}`.
#[derive(Serialize, ToSchema)]
pub struct Revoked {
    revoked: bool,
}

/// `POST /api/v1/auth/login` → `{"token"}`.
#[utoipa::path(post, path = "/auth/login", summary = "Sign in and receive a bearer token",
    security(()), request_body = LoginBody,
    responses((status = 200, description = "Token", body = TokenReply),
    (status = 400, description = "Malformed request"),
    (status = 401, description = "Wrong login or password"),
    (status = 422, description = "Missing or mistyped field, or a login over 64 characters"),
    (status = 429, description = "Too many attempts"),
    (status = 503, description = "Too busy checking passwords; try again shortly")))]
pub async fn login(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<TokenReply>, AppError> {
    match sign_in(&state.db, &body.login, &body.password, &caller, Kind::Api).await {
        Ok((_, secret)) => Ok(Json(TokenReply { token: secret.0 })),
        Err(SignInError::Store(e)) => Err(e.into()),
        Err(SignInError::Refused(r)) => {
            let status = match r {
                SignInRefused::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                SignInRefused::Invalid => StatusCode::UNAUTHORIZED,
                SignInRefused::LoginTooLong => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Err(AppError::of(status, "auth", &r, None))
        }
    }
}

/// `POST /api/v1/auth/logout`: revokes the token (or session) used for this request.
#[utoipa::path(post, path = "/auth/logout",
    summary = "Revoke the token or session used for this request",
    responses((status = 200, description = "Revoked", body = Revoked)))]
pub async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Revoked>, AppError> {
    let auth = caller.auth.as_ref().ok_or_else(AppError::sign_in_first)?;
    service::sign_out(&state.db, &caller, &auth.token_hash).await?;
    Ok(Json(Revoked { revoked: true }))
}

/// `GET /api/v1/me`.
#[utoipa::path(get, path = "/me", summary = "The signed-in user",
    responses((status = 200, description = "User", body = User)))]
pub async fn me(Extension(caller): Extension<Caller>) -> Result<Json<User>, AppError> {
    Ok(Json(require_user(&caller)?.clone()))
}

/// `GET /api/v1/me/tokens`.
#[utoipa::path(get, path = "/me/tokens", summary = "The caller's live API tokens",
    responses((status = 200, description = "Tokens", body = Vec<sessions::TokenInfo>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<sessions::TokenInfo>>, AppError> {
    let user = require_user(&caller)?;
    Ok(Json(sessions::list_tokens(&state.db, user.id).await?))
}

/// `POST /api/v1/me/tokens/{id}/revoke`.
#[utoipa::path(post, path = "/me/tokens/{id}/revoke",
    summary = "Revoke one of the caller's API tokens",
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 200, description = "Revoked", body = Revoked),
    (status = 404, description = "No such token")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Revoked>, AppError> {
    let user = require_user(&caller)?;
    if !service::revoke_token(&state.db, &caller, user, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Json(Revoked { revoked: true }))
}
