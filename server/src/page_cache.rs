//! Read-mostly pages rendered once and spliced per request. The regulation page (zh and the
//! English translation), the side-by-side view, every article, the glossary and the 2015
//! provisions depend only on the loaded content and the language; only the header (who is
//! signed in, the notification count) and the CSP nonce differ between requests.
//!
//! On the first GET of such a page in a language (no query string), the page is rendered as an
//! anonymous visitor would get it, with a placeholder nonce, and the header is rendered alone
//! the same way; the header's bytes are found in the page, which leaves the part before it and
//! the part after it. Every later request gets those two parts around its own header (rendered
//! alone: [`app::request::render_header`]) and its own nonce in place of the placeholder; an
//! anonymous visitor gets the stored anonymous header. A page whose header cannot be found
//! exactly once, or that does not answer 200, is not cached and renders as before.
//!
//! The cache belongs to one [`crate::AppState`], whose content is loaded once at start and never
//! changes while it runs: a new content version means a new start and an empty cache. The key
//! is the path and the language, so a language is never served another's text.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use app::request::CspNonce;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use store::sessions::Caller;

use crate::state::AppState;

/// The largest page kept (the regulation page is about 18 KB).
const MAX_PAGE: usize = 1024 * 1024;

/// The pages of one server, by (path, language).
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<(String, &'static str), Arc<Template>>>,
    /// A nonce no request will ever carry, marking where the real one goes.
    placeholder: String,
}

impl PageCache {
    pub fn new() -> PageCache {
        PageCache {
            pages: RwLock::default(),
            placeholder: format!("{:032x}", rand::random::<u128>()),
        }
    }

    /// How many pages are held (for tests).
    pub fn len(&self) -> usize {
        self.pages.read().map(|p| p.len()).unwrap_or(0)
    }

    /// Whether no page is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A page split around its header, each part with the places of the nonce.
struct Template {
    content_type: HeaderValue,
    before: Part,
    anonymous_header: Part,
    after: Part,
}

struct Part {
    bytes: Bytes,
    nonce_at: Vec<usize>,
    hole: usize,
}

impl Part {
    fn new(bytes: &[u8], placeholder: &str) -> Part {
        Part {
            nonce_at: positions(bytes, placeholder.as_bytes()),
            bytes: Bytes::copy_from_slice(bytes),
            hole: placeholder.len(),
        }
    }

    /// The bytes with `nonce` in place of the placeholder.
    fn write(&self, nonce: &[u8], out: &mut Vec<u8>) {
        let mut from = 0;
        for &at in &self.nonce_at {
            out.extend_from_slice(&self.bytes[from..at]);
            out.extend_from_slice(nonce);
            from = at + self.hole;
        }
        out.extend_from_slice(&self.bytes[from..]);
    }
}

/// Whether `path` is one of the pages that depend on nothing but content and language.
fn cacheable(path: &str) -> bool {
    const EXACT: [&str; 5] = [
        "/regulations/dazu-2021-6",
        "/regulations/dazu-2021-6/en",
        "/regulations/dazu-2021-6/compare",
        "/regulations/provisions-2015",
        "/glossary",
    ];
    EXACT.contains(&path)
        || path
            .strip_prefix("/regulations/dazu-2021-6/")
            .is_some_and(|article| {
                !article.is_empty()
                    && article
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
}

/// Whether `req` asks for a page this cache may hold (GET, no query string, a content page).
fn plain_get(req: &Request) -> bool {
    req.method() == Method::GET && req.uri().query().is_none() && cacheable(req.uri().path())
}

/// The key of `req`'s page: its path and language.
fn key_of(req: &Request) -> (String, &'static str) {
    (
        req.uri().path().to_string(),
        crate::page::lang_of(req.headers()).code(),
    )
}

/// What [`serve_anonymous`] needs: the cache and the name of the session cookie. Narrower
/// than the whole `AppState`, which every layer clones for every request.
#[derive(Clone)]
pub struct Anonymous {
    pub pages: Arc<PageCache>,
    pub session_cookie: &'static str,
}

/// The outer middleware, just inside the security headers: a visitor who presents no
/// credentials (no session cookie, no `Authorization`) gets a page already in the cache
/// without passing the caller, notification and asset layers, which would find out only that
/// the visitor is anonymous. Everything else, and a page not cached yet, goes on to [`serve`].
pub async fn serve_anonymous(State(fast): State<Anonymous>, req: Request, next: Next) -> Response {
    if !plain_get(&req)
        || req.headers().contains_key(header::AUTHORIZATION)
        || crate::identity::caller::cookie_value(req.headers(), fast.session_cookie).is_some()
    {
        return next.run(req).await;
    }
    let found = fast
        .pages
        .pages
        .read()
        .ok()
        .and_then(|p| p.get(&key_of(&req)).cloned());
    match found {
        Some(template) => respond(&template, req),
        None => next.run(req).await,
    }
}

/// The middleware: serves a cacheable page from its template, filling the template first.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !plain_get(&req) {
        return next.run(req).await;
    }
    let key = key_of(&req);
    let cache = state.pages.clone();
    let found = cache.pages.read().ok().and_then(|p| p.get(&key).cloned());
    let template = match found {
        Some(t) => t,
        None => match fill(&state, anonymous_parts(&req, &cache.placeholder)).await {
            Some(t) => {
                if let Ok(mut pages) = cache.pages.write() {
                    pages.entry(key).or_insert_with(|| t.clone());
                }
                t
            }
            None => return next.run(req).await,
        },
    };
    respond(&template, req)
}

/// Renders the anonymous page and header with the placeholder nonce; `None` when the page is
/// not a plain 200 or its header is not found exactly once.
async fn fill(state: &AppState, parts: http::request::Parts) -> Option<Arc<Template>> {
    let placeholder = state.pages.placeholder.clone();
    let path = parts.uri.path().to_string();
    let page = crate::page::render(
        state,
        Request::from_parts(parts.clone(), Body::empty()),
        || (),
    )
    .await;
    if page.status() != StatusCode::OK {
        return None;
    }
    let content_type = page.headers().get(header::CONTENT_TYPE)?.clone();
    let body = axum::body::to_bytes(page.into_body(), MAX_PAGE)
        .await
        .ok()?;
    let header = app::request::render_header(parts);
    let at = positions(&body, header.as_bytes());
    let [at] = at[..] else {
        tracing::warn!(path = %path, found = at.len(), "page cache: the header is not found once in the page; rendering it every time");
        return None;
    };
    Some(Arc::new(Template {
        content_type,
        before: Part::new(&body[..at], &placeholder),
        anonymous_header: Part::new(header.as_bytes(), &placeholder),
        after: Part::new(&body[at + header.len()..], &placeholder),
    }))
}

/// The request as an anonymous visitor's: no caller, no notification count, the placeholder
/// nonce. Only what the header and page read is kept (path, cookies for the language).
fn anonymous_parts(req: &Request, placeholder: &str) -> http::request::Parts {
    let mut builder = Request::builder()
        .method(Method::GET)
        .uri(req.uri().clone())
        .version(req.version());
    for value in req.headers().get_all(header::COOKIE) {
        builder = builder.header(header::COOKIE, value.clone());
    }
    let (mut parts, _) = builder
        .body(())
        .unwrap_or_else(|_| Request::new(()))
        .into_parts();
    parts.extensions.insert(CspNonce(placeholder.to_string()));
    parts.extensions.insert(Caller::default());
    parts
}

/// The page for this request: before + its header + after, with its nonce.
fn respond(template: &Template, req: Request) -> Response {
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let signed_in = req
        .extensions()
        .get::<Caller>()
        .is_some_and(|c| c.user().is_some());
    let mut out = Vec::with_capacity(
        template.before.bytes.len()
            + template.anonymous_header.bytes.len()
            + template.after.bytes.len()
            + 512,
    );
    template.before.write(nonce.as_bytes(), &mut out);
    if signed_in {
        let (parts, _) = req.into_parts();
        let header = app::request::render_header(parts);
        out.extend_from_slice(header.as_bytes());
    } else {
        template.anonymous_header.write(nonce.as_bytes(), &mut out);
    }
    template.after.write(nonce.as_bytes(), &mut out);
    let mut res = Response::new(Body::from(out));
    res.headers_mut()
        .insert(header::CONTENT_TYPE, template.content_type.clone());
    res
}

/// Where `needle` starts in `haystack` (non-overlapping); none for an empty needle.
pub fn positions(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() || needle.len() > haystack.len() {
        return out;
    }
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.push(i);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_pages_are_cacheable() {
        for (path, yes) in [
            ("/regulations/dazu-2021-6", true),
            ("/regulations/dazu-2021-6/en", true),
            ("/regulations/dazu-2021-6/art-3", true),
            ("/regulations/provisions-2015", true),
            ("/glossary", true),
            ("/regulations/dazu-2021-6/", false),
            ("/regulations/dazu-2021-6/a/b", false),
            ("/leads", false),
            ("/search", false),
            ("/", false),
        ] {
            assert_eq!(cacheable(path), yes, "{path}");
        }
    }

    #[test]
    fn the_nonce_goes_where_the_placeholder_was() {
        let part = Part::new(b"a PH b PH", "PH");
        let mut out = Vec::new();
        part.write(b"xy", &mut out);
        assert_eq!(out, b"a xy b xy");
    }
}
