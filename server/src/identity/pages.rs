//! The identity pages: the sign-in and sign-out forms (`/login`, `/logout`, answered with a
//! redirect so they work without WebAssembly), the account page with the password form and the
//! caller's API tokens.

use app::pages::account::{AccountView, TokenRow};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::identity::SignInRefused;
use serde::Deserialize;
use store::sessions::{self, Caller, Kind};

use super::caller::cookie_name;
use super::service::{self, safe_next, sign_in, sign_out, PasswordChangeError, SignInError};
use crate::error::AppError;
use crate::page::{redirect, view, Page, PageError};
use crate::state::AppState;
use crate::time::format_beijing;

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    next: Option<String>,
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut res = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response();
    if let Some(c) = cookie.and_then(|c| c.parse().ok()) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// `POST /login` from the page form: sets the session cookie and goes on, or back to the form
/// with the reason.
pub async fn sign_in_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next);
    match sign_in(
        &state.db,
        &form.login,
        &form.password,
        &caller.client_addr,
        Kind::Session,
    )
    .await
    {
        Ok((user, secret)) => {
            let secure = state.config.secure_cookies;
            let cookie = format!(
                "{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                cookie_name(secure),
                secret.0,
                sessions::SESSION_ABSOLUTE_MS / 1000,
                if secure { "; Secure" } else { "" }
            );
            let to = if user.must_change_password {
                "/account?must_change=1".to_string()
            } else {
                next
            };
            see_other(&to, Some(cookie))
        }
        Err(SignInError::Refused(SignInRefused::Throttled(m))) => see_other(
            &format!(
                "/login?error=throttled&wait={m}&next={}",
                app::layout::encode_component(&next)
            ),
            None,
        ),
        Err(SignInError::Store(e)) => AppError::from(e).into_response(),
        Err(SignInError::Refused(SignInRefused::Invalid)) => see_other(
            &format!(
                "/login?error=invalid&next={}",
                app::layout::encode_component(&next)
            ),
            None,
        ),
    }
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn sign_out_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    if let Some(auth) = &caller.auth {
        if let Err(e) = sign_out(&state.db, &caller, &auth.token_hash).await {
            return AppError::from(e).into_response();
        }
    }
    let secure = state.config.secure_cookies;
    let clear = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    );
    see_other("/", Some(clear))
}

/// The password-change form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password`: see [`service::change_password`]; back to the account page with
/// the outcome.
pub async fn change_password_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PasswordForm>,
) -> Response {
    if caller.auth.is_none() {
        return see_other("/login?next=/account", None);
    }
    let back = |code: &str| see_other(&format!("/account?error={code}"), None);
    match service::change_password(&state.db, &caller, &form.current, &form.new, &form.confirm)
        .await
    {
        Ok(()) => see_other("/account?status=changed", None),
        Err(PasswordChangeError::Mismatch) => back("mismatch"),
        Err(PasswordChangeError::Refused(r)) => back(r.code()),
        Err(PasswordChangeError::WrongCurrent) => back("current"),
        Err(PasswordChangeError::Store(e)) => AppError::from(e).into_response(),
    }
}

/// `GET /account`: signed-in users only.
pub async fn account(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let user = page.user()?;
    let tokens = sessions::list_tokens(&state.db, user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            label: t.label.unwrap_or_default(),
            created: format_beijing(t.created_at),
            expires: format_beijing(t.expires_at),
        })
        .collect();
    Ok(view(AccountView { tokens }).into_response())
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    page: Page,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let user = page.user()?;
    match service::revoke_token(&state.db, &page.caller, user, &id).await? {
        true => Ok(redirect("/account?status=revoked")),
        false => Ok(AppError::NotFound.into_response()),
    }
}
