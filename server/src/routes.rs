//! The router: every feature's [`Mount`] (pages, API, uploads), the Leptos routes that are
//! left, health, the language switch, static files, and the layers of the request path.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::admin;
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
        .merge(library())
        .merge(identity())
        .merge(administration())
        .merge(training())
        .merge(crate::events::routes())
        .merge(tips())
        .merge(dashboard())
        .merge(crate::leads::routes())
}

/// Builds the whole application router over `state`.
pub fn router(state: AppState) -> Router {
    let features = features();
    // Leptos routes every page of the app except those the features answer themselves.
    let routes = generate_route_list_with_exclusions(app::App, Some(features.paths()));
    let context = crate::pages::base_context(&state);
    // Attachment uploads are the only requests allowed past the global body limit.
    let uploads = features
        .uploads
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::leads::attachments::UPLOAD_BODY_LIMIT,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            crate::leads::attachments::UPLOAD_BODY_LIMIT,
        ));
    let api = Router::new()
        .route("/openapi.json", get(crate::api::openapi::document))
        .merge(features.api)
        .fallback(|| async { AppError::NotFound });
    let pages = features
        .pages
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::page::finish,
        ))
        .nest("/api/v1", api)
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
        crate::events::notifications::attach_unread,
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

/// The regulation library's own route (the reading pages are Leptos routes).
fn library() -> Mount {
    Mount::new().page("/search", get(crate::library::search))
}

/// Sign-in, the account page and API tokens.
fn identity() -> Mount {
    use crate::api::auth;
    Mount::new()
        .form("/login", post(crate::auth::sign_in_form))
        .form("/logout", post(crate::auth::sign_out_form))
        .form("/account/password", post(crate::auth::change_password_form))
        .page("/account", get(crate::pages::account))
        .form(
            "/account/tokens/{id}/revoke",
            post(crate::pages::revoke_token),
        )
        .api("/auth/login", post(auth::login))
        .api("/auth/logout", post(auth::logout))
        .api("/me", get(auth::me))
        .api("/me/tokens", get(auth::list_tokens))
        .api("/me/tokens/{id}/revoke", post(auth::revoke_token))
}

/// Accounts, units, the CSV import and the audit trail.
fn administration() -> Mount {
    Mount::new()
        .page("/admin", get(crate::pages::admin_home))
        .page(
            "/admin/users",
            get(admin::users_page).post(admin::create_user),
        )
        .form("/admin/users/{id}", post(admin::update_user))
        .form(
            "/admin/users/{id}/reset-password",
            post(admin::reset_password),
        )
        .page("/admin/units", get(admin::units_page))
        .form("/admin/units/{code}", post(admin::update_unit))
        .page(
            "/admin/import",
            get(admin::import_page).post(admin::import_submit),
        )
        .page("/admin/audit", get(admin::audit_page))
}

/// Courses, quizzes, certificates, assignments and training reports (Art. 10–11).
fn training() -> Mount {
    use crate::api::{assignments, training as api};
    use crate::training::*;
    Mount::new()
        .page("/training", get(catalogue))
        .page("/training/{course}", get(course))
        .page("/training/{course}/{lesson}", get(lesson).post(complete))
        .page("/quizzes/{quiz}", get(quiz))
        .form("/quizzes/{quiz}/start", post(quiz_start))
        .page("/quizzes/{quiz}/practice", get(practice))
        .form("/quizzes/{quiz}/practice/start", post(practice_start))
        .page("/quizzes/{quiz}/stats", get(stats))
        .page("/training-admin", get(admin_page).post(admin_assign))
        .form("/training-admin/assignments/{id}/due", post(admin_set_due))
        .form(
            "/training-admin/assignments/{id}/delete",
            post(admin_delete),
        )
        .page("/training-admin/report.csv", get(admin_csv))
        .page(
            "/training-admin/reports",
            get(crate::training_reports::page),
        )
        .page(
            "/training-admin/reports.csv",
            get(crate::training_reports::csv),
        )
        .page("/attempts/{attempt}", get(attempt).post(attempt_post))
        .page("/verify/{code}", get(verify))
        .page("/certificates/{code}/print", get(certificate_print))
        .api("/courses", get(api::courses))
        .api("/quizzes/{id}/attempts", post(api::start))
        .api("/quizzes/{id}/practice", post(api::practice))
        .api("/attempts/{id}/answers", post(api::save))
        .api("/attempts/{id}/submit", post(api::submit))
        .api(
            "/assignments",
            get(assignments::list).post(assignments::create),
        )
        .api(
            "/assignments/{id}",
            patch(assignments::update).delete(assignments::delete),
        )
}

/// Public tips and the joint office's intake of them.
fn tips() -> Mount {
    use crate::tips::*;
    Mount::new()
        .page("/tips", get(page).post(submit))
        .form("/tips/status", post(status))
        .form("/tips/reply", post(reply))
        .page("/leads/tips", get(queue))
        .page("/leads/tips/{id}", get(detail))
        .form("/leads/tips/{id}/action", post(office_action))
        .api("/tips", post(api_create))
        .api("/tips/{receipt}", get(api_status))
        .api("/tips/{receipt}/messages", post(api_message))
}

/// The information-sharing dashboard of Art. 9.
fn dashboard() -> Mount {
    Mount::new()
        .page("/leads/dashboard", get(crate::dashboard::page))
        .page("/leads/dashboard.csv", get(crate::dashboard::csv))
        .api("/dashboard", get(crate::dashboard::json))
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
