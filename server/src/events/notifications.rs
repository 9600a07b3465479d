//! Notifications (`/notifications`, the header's bell): rows written in the transaction of
//! the change they announce; reading the page does not mark them read.

use app::pages::events::{EventsView, NotificationRow};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use store::events;

use crate::page::{redirect, view, Page, PageError};
use crate::state::AppState;
use crate::time::format_beijing;

/// `GET /notifications`: the latest notifications.
pub async fn notifications(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    let user = page.user()?;
    let lang = page.lang;
    let list = events::list_notifications(&state.db, user.id, 100).await?;
    let rows = list
        .into_iter()
        .map(|n| NotificationRow {
            text: lang.pick(&n.text_zh, &n.text_en).to_string(),
            link: n.link,
            at: format_beijing(n.created_at),
            read: n.read,
        })
        .collect();
    Ok(view(EventsView::Notifications(rows)).into_response())
}

/// `POST /notifications/read`.
pub async fn notifications_read(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    let user = page.user()?;
    events::mark_all_read(&state.db, user.id).await?;
    Ok(redirect("/notifications"))
}
