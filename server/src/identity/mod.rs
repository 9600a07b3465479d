//! Identity: who is asking ([`caller`], the middleware of the request path), signing in and
//! out, the account page with the password form and API tokens ([`service`], with [`pages`]
//! and [`api`] as its two adapters).

pub mod api;
pub mod caller;
pub mod pages;
pub mod service;

use axum::routing::{get, post};

use utoipa_axum::routes;

use crate::mount::Mount;

/// Sign-in, the account page and API tokens.
pub fn routes() -> Mount {
    Mount::new()
        .form("/login", post(pages::sign_in_form))
        .form("/logout", post(pages::sign_out_form))
        .form("/account/password", post(pages::change_password_form))
        .page("/account", get(pages::account))
        .form("/account/tokens/{id}/revoke", post(pages::revoke_token))
        .api(routes!(api::login))
        .api(routes!(api::logout))
        .api(routes!(api::me))
        .api(routes!(api::list_tokens))
        .api(routes!(api::revoke_token))
}
