//! Routes declared once. Each feature's `routes()` returns a [`Mount`]: its pages and forms, its
//! JSON API (nested under `/api/v1` by the main router) and its uploads (which get their own
//! body limit). The Mount records every page path it routes, and the main router hands that
//! list to Leptos as the routes it must not route itself, so the list cannot drift from the
//! handlers.

use axum::routing::MethodRouter;
use axum::Router;

use crate::state::AppState;

/// A feature's routes.
#[derive(Default)]
pub struct Mount {
    pub(crate) pages: Router<AppState>,
    pub(crate) api: Router<AppState>,
    pub(crate) uploads: Router<AppState>,
    pub(crate) paths: Vec<&'static str>,
}

impl Mount {
    pub fn new() -> Mount {
        Mount::default()
    }

    /// A route whose GET this server answers (a page, a CSV, a feed), perhaps with other
    /// methods: Leptos must not route its path.
    pub fn page(mut self, path: &'static str, route: MethodRouter<AppState>) -> Mount {
        self.paths.push(path);
        self.pages = self.pages.route(path, route);
        self
    }

    /// A route without GET (a form post). It may share its path with a page that Leptos
    /// renders (`POST /login` beside the sign-in page): axum joins the two method routers.
    pub fn form(mut self, path: &'static str, route: MethodRouter<AppState>) -> Mount {
        self.pages = self.pages.route(path, route);
        self
    }

    /// An API route, relative to `/api/v1`.
    pub fn api(mut self, path: &'static str, route: MethodRouter<AppState>) -> Mount {
        self.api = self.api.route(path, route);
        self
    }

    /// An upload route (pages or API, full path), allowed past the global body limit.
    pub fn upload(mut self, path: &'static str, route: MethodRouter<AppState>) -> Mount {
        self.paths.push(path);
        self.uploads = self.uploads.route(path, route);
        self
    }

    /// Joins another feature's routes.
    pub fn merge(mut self, other: Mount) -> Mount {
        self.pages = self.pages.merge(other.pages);
        self.api = self.api.merge(other.api);
        self.uploads = self.uploads.merge(other.uploads);
        self.paths.extend(other.paths);
        self
    }

    /// Every path this mount routes, for the Leptos route exclusions.
    pub fn paths(&self) -> Vec<String> {
        self.paths.iter().map(|p| p.to_string()).collect()
    }
}
