//! Who is asking: the middleware that resolves the session cookie or bearer token once per
//! request into a `Caller`, and the one that refuses cross-site writes.

use std::net::SocketAddr;

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
