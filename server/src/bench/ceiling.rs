//! `GET /bench/ceiling/regulation` (only with `PORTAL_BENCH=1`): the bytes of the SSR
//! regulation page, rendered once and then served from memory through the same middleware
//! (tracing, compression, security headers with a fresh nonce, caller resolution). Requests per
//! second of this route are the machine's ceiling for that page; the SSR route is measured
//! against it.

use std::sync::Arc;

use app::request::CspNonce;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::OnceCell;

use crate::state::AppState;

/// The page the ceiling stands in for.
pub const PAGE: &str = "/regulations/dazu-2021-6";

/// Whether `PORTAL_BENCH` asks for the benchmark routes.
pub fn enabled() -> bool {
    std::env::var("PORTAL_BENCH")
        .map(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
        .unwrap_or(false)
}

/// The rendered page: its content type, its bytes, and where the nonce it was rendered with
/// stands in them.
struct Cached {
    content_type: HeaderValue,
    body: Bytes,
    nonce_at: Vec<usize>,
    nonce_len: usize,
}

/// The ceiling route, to be merged inside the shared layers.
pub fn routes() -> Router<AppState> {
    let cell: Arc<OnceCell<Cached>> = Arc::new(OnceCell::new());
    Router::new().route(
        "/bench/ceiling/regulation",
        get(move |State(state): State<AppState>, req: Request| {
            let cell = cell.clone();
            async move { serve(state, cell, req).await }
        }),
    )
}

async fn serve(state: AppState, cell: Arc<OnceCell<Cached>>, req: Request) -> Response {
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let cached = cell
        .get_or_try_init(|| async {
            let (mut parts, body) = req.into_parts();
            parts.uri = Uri::from_static(PAGE);
            let res = crate::page::render(&state, Request::from_parts(parts, body), || ()).await;
            let content_type = res
                .headers()
                .get(header::CONTENT_TYPE)
                .cloned()
                .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
            let body = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024)
                .await
                .map_err(|_| ())?;
            Ok::<_, ()>(Cached {
                nonce_at: crate::page_cache::positions(&body, nonce.as_bytes()),
                nonce_len: nonce.len(),
                content_type,
                body,
            })
        })
        .await;
    let Ok(cached) = cached else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "render failed").into_response();
    };
    // The page carries the nonce of the response's CSP: put this response's nonce in.
    let body = if cached.nonce_at.is_empty() {
        cached.body.clone()
    } else {
        let mut out = Vec::with_capacity(cached.body.len() + 64);
        let mut from = 0;
        for &at in &cached.nonce_at {
            out.extend_from_slice(&cached.body[from..at]);
            out.extend_from_slice(nonce.as_bytes());
            from = at + cached.nonce_len;
        }
        out.extend_from_slice(&cached.body[from..]);
        Bytes::from(out)
    };
    let mut res = Response::new(Body::from(body));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, cached.content_type.clone());
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_every_occurrence() {
        assert_eq!(
            crate::page_cache::positions(b"a nonce-x and nonce-x.", b"x"),
            vec![8, 20]
        );
        assert!(crate::page_cache::positions(b"abc", b"").is_empty());
    }
}
