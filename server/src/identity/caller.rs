//! Who is asking: the middleware that resolves the session cookie or bearer token once per
//! request into a `Caller`, and the one that refuses cross-site writes.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::sessions::{self, Caller, Kind};

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

/// Routes that never look at credentials: the public tips. Whoever files a tip or reads one by
/// its receipt stays anonymous, and no session is touched at that moment.
fn ignores_credentials(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/tips") || under("/api/v1/tips")
}

/// What a caller whose password must be changed (after an administrator reset it) may still
/// reach: the account page and its password form, signing out, and the site's assets.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/account" | "/account/password" | "/logout" | "/api/v1/auth/logout" | "/api/v1/me"
    ) || path.starts_with("/pkg/")
        || path.starts_with("/lang/")
}

/// Routes whose answer depends on a secret in the path or body rather than a cookie: the JSON
/// API, the private calendar feeds and the tips looked up by receipt.
fn personal_without_cookie(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/calendar/") || ignores_credentials(path)
}

/// The client's address: the TCP peer, or behind a trusted reverse proxy the right-most
/// untrusted `X-Forwarded-For` entry.
fn client_ip(state: &AppState, req: &Request) -> Option<IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(state.config.trusted_proxies.client_addr(peer, &forwarded))
}

/// Middleware: resolves the caller and stores it in the request extensions; a caller who must
/// change their password reaches only the account page (pages are sent there, the API answers
/// 403); every answer that depends on a credential is marked `Cache-Control: no-store`.
pub async fn resolve_caller(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let ip = client_ip(&state, &req);
    let (client_addr, client_key) = match ip {
        Some(ip) => (ip.to_string(), domain::web::client_key(ip)),
        None => ("unknown".to_string(), "unknown".to_string()),
    };
    let path = req.uri().path().to_string();
    let headers = req.headers();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|s| s.trim().to_string());
    let cookie = cookie_value(headers, cookie_name(state.config.secure_cookies));
    let presented = bearer.is_some() || cookie.is_some();
    let auth = match (ignores_credentials(&path), bearer, cookie) {
        (true, _, _) => Ok(None),
        (false, Some(token), _) => sessions::authenticate(&state.db, &token, Kind::Api).await,
        (false, None, Some(secret)) => {
            sessions::authenticate(&state.db, &secret, Kind::Session).await
        }
        (false, None, None) => Ok(None),
    };
    let auth = match auth {
        Ok(a) => a,
        Err(e) => return AppError::from(e).into_response(),
    };
    let must_change = auth.as_ref().is_some_and(|a| a.user.must_change_password);
    let mut res = if must_change && !allowed_before_password_change(&path) {
        password_change_first(&path)
    } else {
        // The bell in the header: counted by the sign-in query a moment ago.
        if let Some(a) = &auth {
            req.extensions_mut().insert(app::layout::Unread(a.unread));
        }
        req.extensions_mut().insert(Caller {
            auth,
            client_addr,
            client_key,
        });
        next.run(req).await
    };
    if presented || personal_without_cookie(&path) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    res
}

/// The answer to anything but the account page while the password must be changed.
fn password_change_first(path: &str) -> Response {
    if path.starts_with("/api/") {
        return AppError::refused(
            StatusCode::FORBIDDEN,
            crate::api::codes::AUTH_PASSWORD_CHANGE,
            "请先在账户页修改密码 / change your password on the account page first",
        )
        .into_response();
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/account?must_change=1")],
    )
        .into_response()
}

/// Middleware: refuses state-changing requests that a browser says came from another site.
/// Clients that send neither `Sec-Fetch-Site` nor `Origin` (scripts, other agencies' systems)
/// are not browsers and cannot carry a victim's cookie, so they pass. `Origin` is compared
/// with the configured public origin, not with `Host`, which the client writes.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = req.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross = match fetch_site {
            Some(site) => !matches!(site, "same-origin" | "none"),
            None => match headers.get(header::ORIGIN) {
                Some(origin) => !origin
                    .to_str()
                    .is_ok_and(|o| state.public_origin.is_origin(o)),
                None => false,
            },
        };
        if cross {
            return AppError::refused(
                StatusCode::FORBIDDEN,
                crate::api::codes::CROSS_SITE,
                "跨站请求被拒绝 / cross-site request refused",
            )
            .into_response();
        }
    }
    next.run(req).await
}
