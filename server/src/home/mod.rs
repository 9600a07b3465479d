//! The home page `/`: for anonymous visitors the public front page; after sign-in a person's
//! own work, gathered from the same store queries as the sections' pages ([`service`]) and
//! worded for the page ([`pages`]).

pub mod pages;
pub mod service;

use axum::routing::get;

use crate::mount::Mount;

/// The home page.
pub fn routes() -> Mount {
    Mount::new().page("/", get(pages::home))
}
