//! The information-sharing platform's dashboard (Art. 9): lead figures over the leads the
//! caller's unit may see, training and exchange figures; a page, a CSV and JSON over one
//! [`service`].

pub mod api;
pub mod pages;
pub mod service;

use axum::routing::get;

use utoipa_axum::routes;

use crate::mount::Mount;

/// The dashboard page, its CSV and its JSON.
pub fn routes() -> Mount {
    Mount::new()
        .page("/leads/dashboard", get(pages::page))
        .page("/leads/dashboard.csv", get(pages::csv))
        .api(routes!(api::json))
}
