//! Pages whose data the server loads before rendering: the handler checks who is asking,
//! loads what the page shows, and renders the Leptos app with that data as context. Nothing is
//! serialised to the browser beyond the HTML.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use store::audit::{self, Event};
use store::sessions::Caller;
use store::users::{Role, User};

use crate::state::AppState;

/// Context every page gets: the database handle and the loaded content.
pub fn base_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let (db, reg, reg_en) = (
        state.db.clone(),
        state.content.regulation.clone(),
        state.content.regulation_en.clone(),
    );
    let library = state.library.clone();
    let courses = state.courses.clone();
    move || {
        provide_context(db.clone());
        provide_context(reg.clone());
        provide_context(reg_en.clone());
        provide_context(library.clone());
        provide_context(courses.clone());
    }
}

/// Renders the app for `req` with `data` provided as context.
pub async fn render_with<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    req: Request,
    data: T,
) -> Response {
    let base = base_context(state);
    let options = state.leptos.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            base();
            provide_context(data.clone());
        },
        move || app::shell(options.clone()),
    );
    handler(req).await
}

/// The 404 page, for anything a caller may not see (never a 403, so nothing leaks).
pub async fn not_found(state: &AppState, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    parts.uri = Uri::from_static("/__not-found");
    let mut res = render_with(state, Request::from_parts(parts, body), ()).await;
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

/// The signed-in user holding `role`; otherwise a redirect to sign in (anonymous) or the 404
/// page (signed in without the role, audited as a denial).
pub async fn require_role(
    state: &AppState,
    caller: &Caller,
    role: Role,
    req: Request,
) -> Result<(User, Request), Response> {
    match caller.user() {
        Some(u) if u.has(role) && !u.must_change_password => Ok((u.clone(), req)),
        Some(u) if u.must_change_password => Err(redirect("/account?must_change=1")),
        Some(_) => {
            let path = req.uri().path().to_string();
            if let Err(e) = audit::record(
                &state.db,
                &caller.actor(),
                Event {
                    action: "authz.denied",
                    object_type: Some("page"),
                    object_id: Some(path),
                    detail: None,
                },
            )
            .await
            {
                return Err(crate::error::AppError::from(e).into_response());
            }
            Err(not_found(state, req).await)
        }
        None => {
            let next = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into());
            Err(redirect(&format!(
                "/login?next={}",
                app::layout::encode_component(&next)
            )))
        }
    }
}

pub use crate::page::PageId;

/// A CSV download that Excel opens with its Chinese text intact (UTF-8 with a BOM).
pub fn excel_csv(bytes: Vec<u8>, filename: &str) -> Response {
    let mut body = vec![0xEF, 0xBB, 0xBF];
    body.extend(bytes);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A 303 redirect.
pub fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap_or_default()
}

/// The interface language chosen by the `lang` cookie (Chinese by default).
pub fn request_lang(req: &Request) -> app::i18n::Lang {
    crate::identity::caller::cookie_value(req.headers(), "lang")
        .and_then(|v| app::i18n::Lang::parse(&v))
        .unwrap_or_default()
}

/// Query parameters of `req` as pairs.
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.uri()
        .query()
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default())
        .unwrap_or_default()
}
