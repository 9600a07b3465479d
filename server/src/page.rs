//! The shape every server-rendered page shares.
//!
//! A page handler takes a [`Page`] (who is asking, in which language, the query) and returns
//! `Result<impl IntoResponse, PageError>`. It never touches the request itself: a [`View`]
//! (the data to render) and the errors that need the request to answer (sign in, the 404 page,
//! the audited denial) are marked on the response, and the [`finish`] middleware, which kept
//! the request's parts, renders them. So the sign-in gate, the audited 404 and rendering are
//! written once, not in every handler.

use std::sync::Arc;

use app::i18n::Lang;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;
use store::audit::{self, Event};
use store::sessions::Caller;
use store::users::{Role, User};

use crate::error::AppError;
use crate::state::AppState;

/// Who is asking a page, in which language, and for what.
pub struct Page {
    pub caller: Caller,
    pub lang: Lang,
    pub uri: Uri,
    pub headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Page {
            caller: parts
                .extensions
                .get::<Caller>()
                .cloned()
                .unwrap_or_default(),
            lang: lang_of(&parts.headers),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
        })
    }
}

/// The language a page is rendered in: the `lang` cookie, as `app::i18n` reads it.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    crate::identity::caller::cookie_value(headers, "lang")
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

impl Page {
    /// The signed-in user; anonymous callers are sent to sign in.
    pub fn user(&self) -> Result<&User, PageError> {
        self.caller.user().ok_or(PageError::SignIn)
    }

    /// The signed-in user holding `role`: anonymous → sign in; a password that must be
    /// changed first → the account page; signed in without the role → the audited 404.
    pub fn role(&self, role: Role) -> Result<&User, PageError> {
        let user = self.user()?;
        if user.must_change_password {
            return Err(PageError::Redirect("/account?must_change=1".into()));
        }
        if !user.has(role) {
            return Err(PageError::Denied);
        }
        Ok(user)
    }

    /// The query parameters as pairs.
    pub fn query(&self) -> Vec<(String, String)> {
        self.uri
            .query()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default()
    }

    /// One query parameter (empty when absent).
    pub fn query_value(&self, name: &str) -> String {
        value(&self.query(), name)
    }
}

/// The first value of `name` among form or query pairs (empty when absent).
pub fn value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of `name` (checkbox groups).
pub fn values(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A form body as name/value pairs. A body that is not a form is a 400 with a clear message,
/// never silently an empty form.
pub struct FormPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = Response;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), 256 * 1024)
            .await
            .map_err(|_| bad_form())?;
        serde_urlencoded::from_bytes(&bytes)
            .map(FormPairs)
            .map_err(|_| bad_form())
    }
}

/// A form body deserialized into `T`.
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let FormPairs(pairs) = FormPairs::from_request(req, state).await?;
        let encoded = serde_urlencoded::to_string(&pairs).map_err(|_| bad_form())?;
        serde_urlencoded::from_str(&encoded)
            .map(PageForm)
            .map_err(|_| bad_form())
    }
}

fn bad_form() -> Response {
    AppError::bad_request(
        crate::api::codes::UNREADABLE_BODY,
        "表单无法读取 / the form could not be read",
    )
    .into_response()
}

/// A numeric id in a page's path; anything else (`/events/abc`) is the 404 page.
pub struct PageId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| PageId(id))
            .map_err(|_| PageError::NotFound)
    }
}

/// Why a page cannot be shown as asked.
pub enum PageError {
    /// Anonymous: sign in first, then come back here.
    SignIn,
    /// Not there (or not for this caller, who must not learn which): the 404 page.
    NotFound,
    /// Signed in without the right: audited as `authz.denied`, then the same 404 page.
    Denied,
    /// The form again, with what was typed and why it was refused (status in the view).
    Invalid(View),
    /// Somewhere else first (a password to change).
    Redirect(String),
    /// Storage failed: logged, never shown.
    Internal(store::StoreError),
}

impl From<store::StoreError> for PageError {
    fn from(e: store::StoreError) -> Self {
        PageError::Internal(e)
    }
}

impl From<sqlx::Error> for PageError {
    fn from(e: sqlx::Error) -> Self {
        PageError::Internal(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn => marked(Finish::SignIn),
            PageError::NotFound => marked(Finish::NotFound),
            PageError::Denied => marked(Finish::Denied),
            PageError::Invalid(view) => view.into_response(),
            PageError::Redirect(to) => redirect(&to),
            PageError::Internal(e) => AppError::Store(e).into_response(),
        }
    }
}

/// Data for the Leptos app to render, with the status and, when it differs from the request,
/// the path to render it at (a form post that shows a page).
#[derive(Clone)]
pub struct View {
    provide: Arc<dyn Fn() + Send + Sync>,
    status: StatusCode,
    at: Option<String>,
}

/// The page for `data`.
pub fn view<T: Clone + Send + Sync + 'static>(data: T) -> View {
    View {
        provide: Arc::new(move || provide_context(data.clone())),
        status: StatusCode::OK,
        at: None,
    }
}

impl View {
    /// Answers with `status` (422 for a refused form, 409 for a refused action).
    pub fn status(mut self, status: StatusCode) -> View {
        self.status = status;
        self
    }

    /// Renders as if `path` had been asked for with GET.
    pub fn at(mut self, path: impl Into<String>) -> View {
        self.at = Some(path.into());
        self
    }
}

impl IntoResponse for View {
    fn into_response(self) -> Response {
        marked(Finish::Render(self))
    }
}

/// What [`finish`] still has to do with a response.
#[derive(Clone)]
enum Finish {
    Render(View),
    SignIn,
    NotFound,
    Denied,
}

fn marked(finish: Finish) -> Response {
    let mut res = Response::new(Body::empty());
    res.extensions_mut().insert(finish);
    res
}

/// Middleware around the page routes: keeps the request's parts, and renders what the handler
/// marked (a [`View`], the sign-in redirect, the 404 page, the audited denial).
pub async fn finish(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let kept = (
        parts.uri.clone(),
        parts.headers.clone(),
        parts.extensions.clone(),
    );
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let Some(finish) = res.extensions_mut().remove::<Finish>() else {
        return res;
    };
    let (uri, headers, extensions) = kept;
    let mut req = Request::new(Body::empty());
    *req.method_mut() = Method::GET;
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    *req.extensions_mut() = extensions;
    match finish {
        Finish::Render(view) => {
            if let Some(at) = view.at.as_deref().and_then(|p| p.parse::<Uri>().ok()) {
                *req.uri_mut() = at;
            }
            let provide = view.provide.clone();
            let mut res = render(&state, req, move || provide()).await;
            if view.status != StatusCode::OK {
                *res.status_mut() = view.status;
            }
            res
        }
        Finish::SignIn => sign_in(req.uri()),
        Finish::NotFound => not_found(&state, req).await,
        Finish::Denied => {
            let caller = req
                .extensions()
                .get::<Caller>()
                .cloned()
                .unwrap_or_default();
            let path = req.uri().path().to_string();
            let denied = Event {
                action: "authz.denied",
                object_type: Some("page"),
                object_id: Some(path),
                detail: None,
            };
            if let Err(e) = audit::record(&state.db, &caller.actor(), denied).await {
                return AppError::from(e).into_response();
            }
            not_found(&state, req).await
        }
    }
}

/// Renders the app for `req`, with the base context and `provide` run before rendering.
pub async fn render(
    state: &AppState,
    req: Request,
    provide: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let base = base_context(state);
    let options = state.leptos.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            base();
            provide();
        },
        move || app::shell(options.clone()),
    );
    handler(req).await
}

/// The 404 page.
async fn not_found(state: &AppState, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    parts.uri = Uri::from_static("/__not-found");
    let mut res = render(state, Request::from_parts(parts, body), || ()).await;
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

/// To sign in, then back to `uri`.
fn sign_in(uri: &Uri) -> Response {
    let next = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    redirect(&format!(
        "/login?next={}",
        app::layout::encode_component(&next)
    ))
}

/// A 303 redirect (post/redirect/get).
pub fn redirect(to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, to.to_string())],
    )
        .into_response()
}

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
