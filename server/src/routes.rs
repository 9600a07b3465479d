//! The router: Leptos pages and server functions, health, language switch, static files.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::admin;
use crate::state::AppState;

/// The maximum request body, for every route (server functions also enforce their own).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Builds the whole application router over `state`.
pub fn router(state: AppState) -> Router {
    // Pages whose data the server loads itself are routed to their own handlers below.
    let loaded: Vec<String> = [
        "/account",
        "/admin",
        "/admin/users",
        "/admin/units",
        "/admin/import",
        "/admin/audit",
        "/leads",
        "/leads/new",
        "/leads/{id}",
        "/leads/tips",
        "/leads/dashboard",
        "/leads/tips/{id}",
        "/tips",
        "/search",
        "/training",
        "/training/{course}",
        "/training/{course}/{lesson}",
        "/quizzes/{quiz}",
        "/quizzes/{quiz}/practice",
        "/quizzes/{quiz}/stats",
        "/training-admin",
        "/training-admin/reports",
        "/attempts/{attempt}",
        "/verify/{code}",
        "/events",
        "/events/new",
        "/events/mine",
        "/events/{id}",
        "/events/{id}/edit",
        "/notifications",
        "/exchanges",
        "/admin/venues",
        "/certificates/{code}/print",
    ]
    .map(String::from)
    .to_vec();
    let routes = generate_route_list_with_exclusions(app::App, Some(loaded));
    let context = crate::pages::base_context(&state);
    // Attachment uploads are the only requests allowed past the global body limit.
    let uploads = Router::new()
        .route(
            "/leads/{id}/attachments",
            axum::routing::post(crate::attachments::page_upload),
        )
        .route(
            "/api/v1/leads/{id}/attachments",
            axum::routing::post(crate::attachments::api_upload),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::attachments::UPLOAD_BODY_LIMIT,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            crate::attachments::UPLOAD_BODY_LIMIT,
        ));
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(switch_lang))
        .route("/search", get(crate::library::search))
        .route("/training", get(crate::training::catalogue))
        .route("/training/{course}", get(crate::training::course))
        .route(
            "/training/{course}/{lesson}",
            get(crate::training::lesson).post(crate::training::complete),
        )
        .route("/quizzes/{quiz}", get(crate::training::quiz))
        .route(
            "/quizzes/{quiz}/start",
            axum::routing::post(crate::training::quiz_start),
        )
        .route("/quizzes/{quiz}/practice", get(crate::training::practice))
        .route(
            "/quizzes/{quiz}/practice/start",
            axum::routing::post(crate::training::practice_start),
        )
        .route("/quizzes/{quiz}/stats", get(crate::training::stats))
        .route(
            "/training-admin",
            get(crate::training::admin_page).post(crate::training::admin_assign),
        )
        .route(
            "/training-admin/assignments/{id}/due",
            axum::routing::post(crate::training::admin_set_due),
        )
        .route(
            "/training-admin/assignments/{id}/delete",
            axum::routing::post(crate::training::admin_delete),
        )
        .route(
            "/training-admin/report.csv",
            get(crate::training::admin_csv),
        )
        .route(
            "/training-admin/reports",
            get(crate::training_reports::page),
        )
        .route(
            "/training-admin/reports.csv",
            get(crate::training_reports::csv),
        )
        .route(
            "/attempts/{attempt}",
            get(crate::training::attempt).post(crate::training::attempt_post),
        )
        .route("/verify/{code}", get(crate::training::verify))
        .route("/events", get(crate::events::list))
        .route(
            "/events/new",
            get(crate::events::new_form).post(crate::events::create),
        )
        .route("/events/mine", get(crate::events::mine))
        .route("/events/feed", axum::routing::post(crate::events::feed))
        .route("/events.ics", get(crate::events::public_ics))
        .route("/calendar/{file}", get(crate::events::private_ics))
        .route("/events/{id}", get(crate::events::detail))
        .route(
            "/events/{id}/edit",
            get(crate::events::edit_form).post(crate::events::update),
        )
        .route(
            "/events/{id}/action",
            axum::routing::post(crate::events::action),
        )
        .route("/notifications", get(crate::events::notifications))
        .route(
            "/notifications/read",
            axum::routing::post(crate::events::notifications_read),
        )
        .route("/exchanges", get(crate::events::register))
        .route("/exchanges.csv", get(crate::events::register_csv))
        .route(
            "/admin/venues",
            get(crate::events::venues_page).post(crate::events::add_venue),
        )
        .route(
            "/admin/venues/{id}",
            axum::routing::post(crate::events::update_venue),
        )
        .route(
            "/certificates/{code}/print",
            get(crate::training::certificate_print),
        )
        .route("/login", axum::routing::post(crate::auth::sign_in_form))
        .route("/logout", axum::routing::post(crate::auth::sign_out_form))
        .route(
            "/account/password",
            axum::routing::post(crate::auth::change_password_form),
        )
        .route("/account", get(crate::pages::account))
        .route(
            "/account/tokens/{id}/revoke",
            axum::routing::post(crate::pages::revoke_token),
        )
        .route("/tips", get(crate::tips::page).post(crate::tips::submit))
        .route("/tips/status", axum::routing::post(crate::tips::status))
        .route("/tips/reply", axum::routing::post(crate::tips::reply))
        .route("/leads/dashboard", get(crate::dashboard::page))
        .route("/leads/dashboard.csv", get(crate::dashboard::csv))
        .route("/leads/tips", get(crate::tips::queue))
        .route("/leads/tips/{id}", get(crate::tips::detail))
        .route(
            "/leads/tips/{id}/action",
            axum::routing::post(crate::tips::office_action),
        )
        .route("/leads", get(crate::lead_pages::inbox))
        .route(
            "/leads/new",
            get(crate::lead_pages::report_form).post(crate::lead_pages::report_submit),
        )
        .route("/leads/{id}", get(crate::lead_pages::case_page))
        .route(
            "/leads/{id}/action",
            axum::routing::post(crate::lead_pages::case_action),
        )
        .route(
            "/leads/{id}/attachments/{att}",
            get(crate::attachments::download),
        )
        .route("/admin", get(crate::pages::admin_home))
        .route(
            "/admin/users",
            get(admin::users_page).post(admin::create_user),
        )
        .route("/admin/users/{id}", axum::routing::post(admin::update_user))
        .route(
            "/admin/users/{id}/reset-password",
            axum::routing::post(admin::reset_password),
        )
        .route("/admin/units", get(admin::units_page))
        .route(
            "/admin/units/{code}",
            axum::routing::post(admin::update_unit),
        )
        .route(
            "/admin/import",
            get(admin::import_page).post(admin::import_submit),
        )
        .route("/admin/audit", get(admin::audit_page))
        .nest("/api/v1", crate::api::routes())
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
        crate::events::attach_unread,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::auth::resolve_caller,
    ))
    .layer(axum::middleware::from_fn(crate::auth::refuse_cross_site))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::security::security_headers,
    ))
    .layer(CompressionLayer::new())
    .layer(TraceLayer::new_for_http())
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
    // Only same-site paths, so the switch cannot be used as an open redirect.
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".into());
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
