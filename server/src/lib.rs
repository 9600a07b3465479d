//! The portal's axum server: configuration, shared state, the router that joins the Leptos
//! pages, server functions, the JSON API and static files.

pub mod api;
pub mod auth;
pub mod commands;
pub mod config;
pub mod error;
pub mod routes;
pub mod state;

pub use routes::router;
pub use state::AppState;
