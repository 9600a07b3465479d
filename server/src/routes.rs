//! The router: every feature's [`Mount`] (pages, API, uploads), the Leptos routes that are
//! left, health, the language switch, static files, and the layers of the request path.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::mount::Mount;
use crate::state::AppState;

/// The maximum request body, for every route but uploads (server functions also enforce their
/// own).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Every feature's routes: pages and forms, API, uploads.
pub fn features() -> Mount {
    Mount::new()
        .page("/healthz", get(healthz))
        .page("/lang/{code}", get(switch_lang))
        .merge(crate::library::routes())
        .merge(crate::identity::routes())
        .merge(crate::administration::routes())
        .merge(crate::training::routes())
        .merge(crate::events::routes())
        .merge(crate::tips::routes())
        .merge(crate::dashboard::routes())
        .merge(crate::leads::routes())
        .merge(crate::home::routes())
}

/// Builds the whole application router over `state`.
pub fn router(state: AppState) -> Router {
    let features = features();
    // Leptos routes every page of the app except those the features answer themselves.
    let routes = generate_route_list_with_exclusions(app::App, Some(features.paths()));
    let context = crate::page::base_context(&state);
    // Attachment uploads are the only requests allowed past the global body limit.
    let uploads = features
        .uploads
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::leads::attachments::UPLOAD_BODY_LIMIT,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            crate::leads::attachments::UPLOAD_BODY_LIMIT,
        ));
    // The features' API routes and the OpenAPI document generated from their annotations.
    let api = crate::api::openapi::router(features.api, features.upload_docs)
        .fallback(|| async { AppError::NotFound });
    let pages = features
        .pages
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::page::finish,
        ))
        .nest(crate::mount::API_PREFIX, api)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT));
    let mut app = Router::new().merge(uploads).merge(pages);
    if crate::bench::ceiling::enabled() {
        app = app.merge(crate::bench::ceiling::routes());
    }
    app.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::page_cache::serve,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::assets::serve,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::identity::caller::resolve_caller,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::identity::caller::refuse_cross_site,
    ))
    .layer(axum::middleware::from_fn_with_state(
        crate::page_cache::Anonymous {
            pages: state.pages.clone(),
            session_cookie: crate::identity::caller::cookie_name(state.config.secure_cookies),
        },
        crate::page_cache::serve_anonymous,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.config.secure_cookies,
        crate::security::security_headers,
    ))
    // Quality 4, not the default: for brotli the default is 11, the slowest and most
    // memory-hungry setting (a large hash table per response), meant for files compressed
    // once; at 4 a page is a few percent larger and compressed many times faster. The /pkg
    // assets are compressed at 11 once, at build time (`server precompress`).
    .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4)))
    .layer(axum::middleware::from_fn(crate::api::json_errors))
    .layer(TraceLayer::new_for_http())
    .layer(axum::middleware::from_fn(crate::edge::refuse_odd_requests))
    .with_state(state)
}

/// `GET /healthz`: 200 once the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// `GET /lang/{zh|en}?next=/path`: remembers the language in a cookie and goes back.
async fn switch_lang(Path(code): Path<String>, Query(q): Query<LangQuery>) -> Response {
    let Some(lang) = app::i18n::Lang::parse(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    // Only same-site paths of safe characters, so the switch is no open redirect.
    let next = domain::web::safe_next(q.next.as_deref());
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, next), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}
