//! Who is asking: resolving the session cookie or bearer token once per request, refusing
//! cross-site writes, and the sign-in / sign-out flows shared by the pages and the API.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use store::audit::{self, Event};
use store::passwords::{verify_password, Verified};
use store::sessions::{self, Caller, Kind, Secret};
use store::users::User;
use store::{throttle, Db};

use crate::error::AppError;
use crate::state::AppState;

/// Name of the session cookie (with the `__Host-` prefix when served over HTTPS).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

/// The value of cookie `name` in `headers`.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Middleware: resolves the caller and stores it in the request extensions.
pub async fn resolve_caller(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let client_addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let headers = req.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|s| s.trim().to_string());
    let auth = match bearer {
        Some(token) => sessions::authenticate(&state.db, &token, Kind::Api).await,
        None => match cookie_value(headers, cookie_name(state.config.secure_cookies)) {
            Some(secret) => sessions::authenticate(&state.db, &secret, Kind::Session).await,
            None => Ok(None),
        },
    };
    let auth = match auth {
        Ok(a) => a,
        Err(e) => return AppError::from(e).into_response(),
    };
    req.extensions_mut().insert(Caller { auth, client_addr });
    next.run(req).await
}

/// Middleware: refuses state-changing requests that a browser says came from another site.
/// Clients that send neither `Sec-Fetch-Site` nor `Origin` (scripts, other agencies' systems)
/// are not browsers and cannot carry a victim's cookie, so they pass.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = req.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross = match fetch_site {
            Some(site) => !matches!(site, "same-origin" | "none"),
            None => match (
                headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
                headers.get(header::HOST).and_then(|v| v.to_str().ok()),
            ) {
                (Some(origin), Some(host)) => {
                    origin.split_once("://").map(|(_, h)| h) != Some(host)
                }
                (Some(_), None) => true,
                _ => false,
            },
        };
        if cross {
            return (
                StatusCode::FORBIDDEN,
                axum::Json(
                    serde_json::json!({"error": "跨站请求被拒绝 / cross-site request refused"}),
                ),
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Why a sign-in failed.
pub enum SignInError {
    /// Wrong login or password (never says which).
    Invalid,
    /// Too many failures: minutes to wait.
    Throttled(i64),
    Store(store::StoreError),
}

impl From<store::StoreError> for SignInError {
    fn from(e: store::StoreError) -> Self {
        SignInError::Store(e)
    }
}

impl SignInError {
    /// The message for the client, in both languages.
    pub fn message(&self) -> String {
        match self {
            SignInError::Invalid => "账号或密码错误 / Wrong login or password".into(),
            SignInError::Throttled(m) => format!(
                "尝试次数过多，请 {m} 分钟后再试 / Too many attempts; try again in {m} minutes"
            ),
            SignInError::Store(_) => {
                "服务器内部错误，请稍后再试 / internal error, please try again later".into()
            }
        }
    }
}

/// Checks a login and password with throttling, creates a session or token, and audits both
/// outcomes. Unknown logins cost the same as wrong passwords.
pub async fn sign_in(
    db: &Db,
    login: &str,
    password: &str,
    client_addr: &str,
    kind: Kind,
) -> Result<(User, Secret), SignInError> {
    let login = login.trim();
    let minutes = |ms: i64| (ms + 59_999) / 60_000;
    if let Some(wait) = throttle::locked_for(db, login, client_addr).await? {
        return Err(SignInError::Throttled(minutes(wait)));
    }
    let creds = store::users::find_credentials(db, login).await?;
    let usable = creds.as_ref().is_some_and(|c| !c.user.disabled);
    let hash = creds
        .as_ref()
        .filter(|_| usable)
        .and_then(|c| c.hash.clone());
    let verdict = verify_password(password.to_string(), hash).await;
    let actor = audit::Actor {
        login: Some(login.chars().take(64).collect()),
        client_addr: Some(client_addr.into()),
        ..Default::default()
    };
    let (Some(creds), true, Verified::Yes | Verified::YesRehash) = (creds, usable, &verdict) else {
        audit::record(
            db,
            &actor,
            Event {
                action: "auth.sign_in_failed",
                ..Default::default()
            },
        )
        .await?;
        return match throttle::record_failure(db, login, client_addr).await? {
            Some(lock) => Err(SignInError::Throttled(minutes(lock))),
            None => Err(SignInError::Invalid),
        };
    };
    throttle::record_success(db, login, client_addr).await?;
    let rehash = if verdict == Verified::YesRehash {
        Some(store::passwords::hash_password(password.to_string()).await?)
    } else {
        None
    };
    let mut tx = db.pool.begin().await.map_err(store::StoreError::from)?;
    if let Some(h) = &rehash {
        store::users::set_password_hash(&mut tx, creds.user.id, h, creds.user.must_change_password)
            .await?;
    }
    let secret = sessions::create(
        &mut tx,
        creds.user.id,
        kind,
        (kind == Kind::Api).then_some("api login"),
    )
    .await?;
    let actor = audit::Actor {
        user_id: Some(creds.user.id),
        unit: creds.user.unit_code.clone(),
        ..actor
    };
    let action = if kind == Kind::Api {
        "auth.token_issued"
    } else {
        "auth.sign_in"
    };
    audit::append(
        &mut tx,
        &actor,
        Event {
            action,
            object_type: Some("user"),
            object_id: Some(creds.user.id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    Ok((creds.user, secret))
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    next: Option<String>,
}

/// Only same-site paths are followed after sign-in.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".into())
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
        Err(SignInError::Throttled(m)) => see_other(
            &format!(
                "/login?error=throttled&wait={m}&next={}",
                app::layout::encode_component(&next)
            ),
            None,
        ),
        Err(SignInError::Store(e)) => AppError::from(e).into_response(),
        Err(SignInError::Invalid) => see_other(
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

/// Revokes one session or token and audits it.
pub async fn sign_out(db: &Db, caller: &Caller, token_hash: &str) -> Result<(), store::StoreError> {
    let mut tx = db.pool.begin().await?;
    sessions::revoke_in(&mut tx, token_hash).await?;
    audit::append(
        &mut tx,
        &caller.actor(),
        Event {
            action: "auth.sign_out",
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The password-change form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password`: checks the current password, stores the new one, ends every
/// other session and token of the user, and audits the change.
pub async fn change_password_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(auth) = caller.auth.clone() else {
        return see_other("/login?next=/account", None);
    };
    let back = |code: &str| see_other(&format!("/account?error={code}"), None);
    if form.new != form.confirm {
        return back("mismatch");
    }
    if let Err(msg) = store::passwords::check_new_password(&form.new) {
        return back(if msg.contains("至少") {
            "short"
        } else if msg.contains("最多") {
            "long"
        } else {
            "common"
        });
    }
    let result = async {
        let creds = store::users::find_credentials(&state.db, &auth.user.login).await?;
        let hash = creds.and_then(|c| c.hash);
        if verify_password(form.current.clone(), hash).await == Verified::No {
            return Ok(false);
        }
        let new_hash = store::passwords::hash_password(form.new.clone()).await?;
        let mut tx = state.db.pool.begin().await?;
        store::users::set_password_hash(&mut tx, auth.user.id, &new_hash, false).await?;
        sessions::revoke_all(&mut tx, auth.user.id, Some(&auth.token_hash)).await?;
        audit::append(
            &mut tx,
            &caller.actor(),
            Event {
                action: "auth.password_changed",
                object_type: Some("user"),
                object_id: Some(auth.user.id.to_string()),
                detail: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<bool, store::StoreError>(true)
    }
    .await;
    match result {
        Ok(true) => see_other("/account?status=changed", None),
        Ok(false) => back("current"),
        Err(e) => AppError::from(e).into_response(),
    }
}
