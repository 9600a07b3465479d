//! Server-side access to the request being rendered and to the state the server provides as
//! context. Only compiled into the server build.

use http::request::Parts;
use leptos::prelude::*;

/// The value of cookie `name` on the current request.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Sets the status code of the response being rendered.
pub fn set_status(status: http::StatusCode) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
}

/// The per-request Content-Security-Policy nonce chosen by the server, stored in the request
/// extensions; the hydration script must carry it to run.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Makes the request's CSP nonce available to Leptos's script tags.
pub fn provide_csp_nonce() {
    if let Some(n) = use_context::<Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

/// Renders the site header alone for the request `parts`, exactly as it stands inside the
/// page: the per-request part that the server's page cache splices into a page rendered once
/// (who is signed in, the notification count, the links back to this path).
pub fn render_header(parts: Parts) -> String {
    use leptos::tachys::view::RenderHtml;
    use leptos_router::components::Router;
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let owner = Owner::new();
    owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&format!(
            "http://leptos.dev{path}"
        )));
        provide_context(parts);
        view! { <Router><crate::layout::Header/></Router> }.to_html()
    })
}
