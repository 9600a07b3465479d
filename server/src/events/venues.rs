//! The list of venues (`/admin/venues`, administrators): official venues count for the
//! compliance check of the 2015 provisions; a retired venue stays on its past events.

use app::pages::events::{EventsView, VenuesView};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::events::{EventField, EventRefusal};
use store::events;
use store::users::Role;

use super::service::clean_name;
use crate::error::AppError;
use crate::page::{redirect, value, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;

/// `GET /admin/venues` (administrators).
pub async fn venues_page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let lang = page.lang;
    let message = match page.query_value("status").as_str() {
        "added" => Some(lang.pick("场所已添加。", "Venue added.").to_string()),
        "exists" => Some(
            lang.pick("该场所已存在。", "That venue already exists.")
                .to_string(),
        ),
        "saved" => Some(lang.pick("已保存。", "Saved.").to_string()),
        _ => None,
    };
    let venues = events::list_venues(&state.db).await?;
    let list = VenuesView {
        venues: venues
            .into_iter()
            .map(|v| (v.id, v.name, v.official, v.active))
            .collect(),
        message,
    };
    Ok(view(EventsView::Venues(list)).into_response())
}

/// `POST /admin/venues`: adds a venue.
pub async fn add_venue(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let name = match clean_name(&value(&pairs, "name"), 200, EventField::VenueName) {
        Ok(n) if !n.is_empty() => n,
        Ok(_) => return Ok(refused(EventRefusal::VenueNameMissing)),
        Err(r) => return Ok(refused(r)),
    };
    let official = value(&pairs, "official") == "1";
    match events::add_venue(&state.db, &page.caller.actor(), &name, official).await? {
        true => Ok(redirect("/admin/venues?status=added")),
        false => Ok(redirect("/admin/venues?status=exists")),
    }
}

fn refused(r: EventRefusal) -> Response {
    AppError::of(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "event",
        &r,
        crate::api::catalogue::event_field(&r),
    )
    .into_response()
}

/// `POST /admin/venues/{id}`: retires or restores a venue.
pub async fn update_venue(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let active = value(&pairs, "active") == "1";
    match events::set_venue_active(&state.db, &page.caller.actor(), id, active).await? {
        true => Ok(redirect("/admin/venues?status=saved")),
        false => Err(PageError::NotFound),
    }
}
