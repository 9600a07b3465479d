//! The portal's axum server: configuration, shared state, the router that joins the Leptos
//! pages, server functions, the JSON API and static files.

pub mod administration;
pub mod api;
pub mod assets;
pub mod bench;
pub mod commands;
pub mod config;
pub mod csv_sheet;
pub mod dashboard;
pub mod demo;
pub mod edge;
pub mod error;
pub mod events;
pub mod home;
pub mod identity;
pub mod leads;
pub mod library;
pub mod mount;
pub mod page;
pub mod page_cache;
pub mod routes;
pub mod security;
pub mod state;
pub mod time;
pub mod tips;
pub mod training;

pub use routes::router;
pub use state::AppState;
