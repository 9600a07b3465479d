//! Exchange events (Art. 12): scheduling by the associations' coordinators, registration with
//! a waitlist, check-in and attendance, co-host invitations, the public register, calendars
//! and notifications.
//!
//! - [`service`]: the use cases (who may do what, validation, every change as a command);
//! - [`pages`], [`form`], [`register`], [`venues`], [`notifications`]: the HTML adapter;
//! - [`api`]: the JSON adapter, each handler annotated with its route and OpenAPI description;
//! - [`ics`]: the RFC 5545 calendars; [`labels`]: how an event reads on a page.
//!
//! The adapters call the service, never each other. Places are counted under a lock in
//! `store::events` (registration and its waitlist live there).

pub mod api;
pub mod api_wire;
pub mod form;
pub mod ics;
pub mod ics_series;
pub mod labels;
pub mod notifications;
pub mod pages;
pub mod register;
pub mod series;
pub mod series_api;
pub mod series_pages;
pub mod service;
pub mod venues;

use axum::routing::{get, post};

use utoipa_axum::routes;

use crate::mount::Mount;

/// The event pages, forms, calendars and API.
pub fn routes() -> Mount {
    Mount::new()
        .page("/events", get(pages::list))
        .page("/events/new", get(form::new_form).post(form::create))
        .page("/events/mine", get(pages::mine))
        .page(
            "/events/series/new",
            get(series_pages::new_form).post(series_pages::create),
        )
        .page("/events/series/{id}", get(series_pages::detail))
        .form("/events/series/{id}/action", post(series_pages::action))
        .page("/exchanges/plan", get(series_pages::plan))
        .page("/exchanges/plan.csv", get(series_pages::plan_csv))
        .form("/events/feed", post(pages::feed))
        .page("/events.ics", get(ics::public_ics))
        .page("/calendar/{file}", get(ics::private_ics))
        .page("/events/{id}", get(pages::detail))
        .page("/events/{id}/edit", get(form::edit_form).post(form::update))
        .form("/events/{id}/action", post(pages::action))
        .page("/notifications", get(notifications::notifications))
        .form(
            "/notifications/read",
            post(notifications::notifications_read),
        )
        .page("/exchanges", get(register::register))
        .page("/exchanges.csv", get(register::register_csv))
        .page(
            "/admin/venues",
            get(venues::venues_page).post(venues::add_venue),
        )
        .form("/admin/venues/{id}", post(venues::update_venue))
        .api(routes!(api::list, api::create))
        .api(routes!(api::show, api::update))
        .api(routes!(api::publish))
        .api(routes!(api::approval))
        .api(routes!(api::cancel))
        .api(routes!(api::held))
        .api(routes!(api::summary))
        .api(routes!(api::registrations, api::register, api::unregister))
        .api(routes!(api::checkin))
        .api(routes!(api::attendance))
        .api(routes!(api::invitation))
        .api(routes!(api::remind))
        .api(routes!(api::notifications))
        .api(routes!(api::notifications_read))
        .api(routes!(api::exchanges))
        .api(routes!(series_api::create))
        .api(routes!(series_api::show, series_api::update))
        .api(routes!(series_api::publish))
        .api(routes!(series_api::cancel))
        .api(routes!(series_api::register_all))
        .api(routes!(series_api::plan))
}
