//! Leads (Art. 6–8, 13): reporting a lead with its routing preview, the hand-overs along the
//! route, the case file with its actions and attachments, and the inbox of each unit's lead
//! handlers.
//!
//! - [`service`]: the use cases (who handles leads, validating and routing a report, every
//!   case action as a command);
//! - [`pages`] (the inbox and the case file) and [`report`] (the report form): the HTML
//!   adapter;
//! - [`api`]: the JSON adapter;
//! - [`attachments`]: uploads and downloads, for the case page and the API.
//!
//! The adapters call the service, never each other. The routing rules are
//! `domain::routing`; who may see a case and take which action now is `domain::case`, checked
//! again by `store::leads` under a lock on fresh facts. Refusals are typed in `domain` and
//! worded in `app::refusals`.

pub mod api;
pub mod attachments;
pub mod pages;
pub mod report;
pub mod service;

use axum::routing::{get, post};

use utoipa_axum::routes;

use crate::mount::Mount;

/// The lead pages, forms, uploads and API.
pub fn routes() -> Mount {
    Mount::new()
        .page("/leads", get(pages::inbox))
        .page("/leads/new", get(report::form).post(report::submit))
        .page("/leads/{id}", get(pages::case))
        .form("/leads/{id}/action", post(pages::action))
        .page("/leads/{id}/attachments/{att}", get(attachments::download))
        .upload("/leads/{id}/attachments", post(attachments::page_upload))
        .api_upload(routes!(api::upload))
        .api(routes!(api::route_preview))
        .api(routes!(api::list, api::create))
        .api(routes!(api::show))
        .api(routes!(api::act))
        .api(routes!(api::download))
}
