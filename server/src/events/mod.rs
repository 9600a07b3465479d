//! Exchange events (Art. 12): scheduling by the associations' coordinators, registration with
//! a waitlist, check-in and attendance, co-host invitations, the public register, calendars
//! and notifications.
//!
//! - [`service`]: the use cases (who may do what, validation, every change as a command);
//! - [`pages`], [`form`], [`register`], [`venues`], [`notifications`]: the HTML adapter;
//! - [`api`] (and [`api_doc`], its OpenAPI description): the JSON adapter;
//! - [`ics`]: the RFC 5545 calendars; [`labels`]: how an event reads on a page.
//!
//! The adapters call the service, never each other. Places are counted under a lock in
//! `store::events` (registration and its waitlist live there).

pub mod api;
pub mod api_doc;
pub mod form;
pub mod ics;
pub mod labels;
pub mod notifications;
pub mod pages;
pub mod register;
pub mod service;
pub mod venues;

use axum::routing::{get, post};

use crate::mount::Mount;

/// The event pages, forms, calendars and API.
pub fn routes() -> Mount {
    Mount::new()
        .page("/events", get(pages::list))
        .page("/events/new", get(form::new_form).post(form::create))
        .page("/events/mine", get(pages::mine))
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
        .api("/events", get(api::list).post(api::create))
        .api("/events/{id}", get(api::show).put(api::update))
        .api("/events/{id}/publish", post(api::publish))
        .api("/events/{id}/approval", post(api::approval))
        .api("/events/{id}/cancel", post(api::cancel))
        .api("/events/{id}/held", post(api::held))
        .api("/events/{id}/summary", post(api::summary))
        .api(
            "/events/{id}/registrations",
            get(api::registrations)
                .post(api::register)
                .delete(api::unregister),
        )
        .api("/events/{id}/checkin", post(api::checkin))
        .api("/events/{id}/attendance", post(api::attendance))
        .api("/events/{id}/invitation", post(api::invitation))
        .api("/events/{id}/invitations/remind", post(api::remind))
        .api("/notifications", get(api::notifications))
        .api("/notifications/read", post(api::notifications_read))
        .api("/exchanges", get(api::exchanges))
}
