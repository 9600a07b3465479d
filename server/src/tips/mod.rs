//! Public tips: anyone may report improper contact without an account ([`pages`], [`api`]),
//! and the joint office takes them in ([`office`]) and may turn one into a lead. The use cases
//! are in [`service`].

pub mod api;
pub mod office;
pub mod pages;
pub mod service;

use axum::routing::{get, post};

use utoipa_axum::routes;

use crate::mount::Mount;

/// Public tips and the joint office's intake of them.
pub fn routes() -> Mount {
    Mount::new()
        .page("/tips", get(pages::page).post(pages::submit))
        .form("/tips/status", post(pages::status))
        .form("/tips/reply", post(pages::reply))
        .page("/leads/tips", get(office::queue))
        .page("/leads/tips/{id}", get(office::detail))
        .form("/leads/tips/{id}/action", post(office::office_action))
        .api(routes!(api::api_create))
        .api(routes!(api::api_status_by_body))
        .api(routes!(api::api_status))
        .api(routes!(api::api_message))
}
