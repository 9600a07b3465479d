//! Routes declared once. Each feature's `routes()` returns a [`Mount`]: its pages and forms, its
//! JSON API (nested under `/api/v1` by the main router) and its uploads (which get their own
//! body limit). The Mount records every page path it routes, and the main router hands that
//! list to Leptos as the routes it must not route itself, so the list cannot drift from the
//! handlers. An API route's path and method are those of its handler's `#[utoipa::path]`
//! annotation (`.api(routes!(api::list, api::create))`), which also describes it in the OpenAPI
//! document, so route and document cannot drift either.

use axum::routing::MethodRouter;
use axum::Router;
use utoipa::openapi::{Components, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::state::AppState;

/// Where the main router nests the API.
pub const API_PREFIX: &str = "/api/v1";

/// A feature's routes.
#[derive(Default)]
pub struct Mount {
    pub(crate) pages: Router<AppState>,
    pub(crate) api: OpenApiRouter<AppState>,
    pub(crate) uploads: Router<AppState>,
    /// The OpenAPI description of the API's upload routes (which live in `uploads`).
    pub(crate) upload_docs: OpenApi,
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

    /// API routes (`routes!(…)` of handlers annotated with `#[utoipa::path]`), their paths
    /// relative to `/api/v1`.
    pub fn api(mut self, routes: UtoipaMethodRouter<AppState>) -> Mount {
        self.api = self.api.routes(routes);
        self
    }

    /// An API upload route (`routes!(…)`, relative to `/api/v1` like [`Mount::api`]), allowed
    /// past the global body limit like [`Mount::upload`].
    pub fn api_upload(mut self, routes: UtoipaMethodRouter<AppState>) -> Mount {
        let (schemas, paths, route) = routes;
        for path in paths.paths.keys() {
            let full = format!("{API_PREFIX}{path}");
            self.uploads = self.uploads.route(&full, route.clone());
        }
        let mut components = Components::new();
        components.schemas.extend(schemas);
        let mut doc = OpenApi::default();
        doc.paths = paths;
        doc.components = Some(components);
        self.upload_docs.merge(doc);
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
        self.upload_docs.merge(other.upload_docs);
        self.paths.extend(other.paths);
        self
    }

    /// Every path this mount routes, for the Leptos route exclusions.
    pub fn paths(&self) -> Vec<String> {
        self.paths.iter().map(|p| p.to_string()).collect()
    }
}
