//! The regulation library: the reading pages (the regulation verbatim, its unofficial
//! translation, articles, the glossary, the 2015 provisions) are Leptos routes rendered from the
//! loaded `corpus`; the server answers only [`search`] itself.

pub mod search;

use axum::routing::get;

use crate::mount::Mount;

/// The library's own route.
pub fn routes() -> Mount {
    Mount::new().page("/search", get(search::search))
}
