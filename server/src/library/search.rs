//! `/search`: a server-loaded page. The handler reads the query from the URI, runs it against
//! the in-memory index of the regulation library and renders the page with the results as
//! context, so the page works without WebAssembly and nothing but HTML reaches the browser.
//! Every query gets a page with status 200: an empty, over-long or meaningless query is
//! answered with an explanation, never an error.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use app::pages::library::{SearchOutcome, SearchView, MAX_HITS_SHOWN};
use corpus::library::Library;
use domain::search::MAX_QUERY_CHARS;

use crate::page::{view, Page};
use crate::state::AppState;

/// `GET /search?q=…`.
pub async fn search(State(state): State<AppState>, page: Page) -> Response {
    let results = search_view(&state.library, &page.query_value("q"));
    view(results).into_response()
}

/// Runs `raw` and prepares what the page shows.
pub fn search_view(library: &Library, raw: &str) -> SearchView {
    let truncated = raw.chars().count() > MAX_QUERY_CHARS;
    // Echoed into the search box: cut like the query itself, control characters blanked.
    let shown: String = raw
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let outcome = match library.search(raw) {
        Ok(result) => SearchOutcome::Results {
            total: result.hits.len(),
            hits: result.hits.into_iter().take(MAX_HITS_SHOWN).collect(),
            terms: result.query.terms,
        },
        Err(problem) => SearchOutcome::Problem(problem),
    };
    SearchView {
        query: shown.trim().to_string(),
        truncated,
        outcome,
    }
}
