//! The joint office's intake of public tips (`/leads/tips`): the queue, one tip with its
//! messages (each view audited), answering and closing. Anyone else gets the 404 page.

use app::pages::tips::{TipDetailView, TipQueueView, TipRow};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::tips;

use super::pages::message_rows;
use super::service::{self, OfficeCommand};
use crate::page::{redirect, view, Page, PageError, PageForm, PageId};
use crate::state::AppState;
use crate::time::format_beijing;

/// The joint office's display name; anyone else is refused (sign in, or the 404 page).
async fn joint_office(state: &AppState, page: &Page) -> Result<String, PageError> {
    page.user()?;
    let dir = store::units::load_directory(&state.db).await?;
    match crate::leads::service::handler(&page.caller, &dir) {
        Some(h) if h.joint_office => Ok(h.user.display_name.clone()),
        _ => Err(PageError::NotFound),
    }
}

/// Tips per page of the queue.
const QUEUE_PAGE: i64 = 50;

/// `GET /leads/tips?order=oldest&page=N`: one page of the queue, open tips first, newest or
/// oldest first.
pub async fn queue(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    joint_office(&state, &page).await?;
    let oldest_first = page.query_value("order") == "oldest";
    let order = if oldest_first {
        tips::QueueOrder::OldestOpenFirst
    } else {
        tips::QueueOrder::NewestFirst
    };
    let number = page
        .query_value("page")
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    // One more than a page tells whether another page follows.
    let mut list = tips::list(&state.db, order, (number - 1) * QUEUE_PAGE, QUEUE_PAGE + 1).await?;
    let more = list.len() as i64 > QUEUE_PAGE;
    list.truncate(QUEUE_PAGE as usize);
    let tips = list
        .into_iter()
        .map(|t| TipRow {
            id: t.id,
            status: t.status,
            created: format_beijing(t.created_at),
            excerpt: t.body.chars().take(60).collect(),
            lead: t.lead_id.map(|l| (l, format!("#{l}"))),
        })
        .collect();
    Ok(view(TipQueueView {
        tips,
        oldest_first,
        page: number,
        more,
    })
    .into_response())
}

/// `GET /leads/tips/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    page: Page,
    id: Result<PageId, PageError>,
) -> Result<Response, PageError> {
    joint_office(&state, &page).await?;
    let PageId(id) = id?;
    let tip = tips::find(&state.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    let viewed = store::audit::Event {
        action: "tip.viewed",
        object_type: Some("tip"),
        object_id: Some(id.to_string()),
        detail: None,
    };
    store::audit::record(&state.db, &page.caller.actor(), viewed).await?;
    let detail = TipDetailView {
        id,
        status: tip.status.clone(),
        created: format_beijing(tip.created_at),
        body: tip.body.clone(),
        messages: message_rows(&tip),
        open: tip.status == "new" || tip.status == "answered",
        lead: tip.lead_id.map(|l| (l, format!("#{l}"))),
    };
    Ok(view(detail).into_response())
}

#[derive(Deserialize)]
pub struct OfficeForm {
    action: String,
    #[serde(default)]
    text: String,
}

/// `POST /leads/tips/{id}/action`: answer or close; back to the tip either way.
pub async fn office_action(
    State(state): State<AppState>,
    page: Page,
    id: Result<PageId, PageError>,
    form: Result<PageForm<OfficeForm>, Response>,
) -> Result<Response, PageError> {
    let name = joint_office(&state, &page).await?;
    let PageId(id) = id?;
    let back = redirect(&format!("/leads/tips/{id}"));
    let Ok(PageForm(form)) = form else {
        return Ok(back);
    };
    let command = match form.action.as_str() {
        "answer" => OfficeCommand::Answer { text: form.text },
        "close" => OfficeCommand::Close,
        _ => return Ok(back),
    };
    match service::run_office(&state, &page.caller, &name, id, command).await {
        Ok(()) | Err(service::TipError::Refused(_) | service::TipError::NotFound) => Ok(back),
        Err(service::TipError::Store(e)) => Err(e.into()),
    }
}
