//! The public tips pages (`/tips`): anyone may leave a tip without signing in, gets a receipt
//! once, and with it reads the replies and adds information. Every form renders `/tips`.

use app::i18n::Lang;
use app::pages::tips::{tip_status, TipMessageRow, TipPublicView};
use app::refusals::Localize;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::tips::Tip;

use super::service::{self, TipError};
use crate::page::{view, Page, PageError, PageForm};
use crate::state::AppState;
use crate::time::format_beijing;

pub(super) fn message_rows(tip: &Tip) -> Vec<TipMessageRow> {
    tip.messages
        .iter()
        .map(|m| TipMessageRow {
            from_office: m.from_office,
            author: m.author_name.clone(),
            at: format_beijing(m.at),
            body: m.body.clone(),
        })
        .collect()
}

/// The public page at `/tips`, whatever the form posted to.
fn tips_page(data: TipPublicView) -> Response {
    view(data).at("/tips").into_response()
}

/// `GET /tips`.
pub async fn page() -> Response {
    tips_page(TipPublicView::Form)
}

#[derive(Deserialize)]
pub struct TipForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    receipt: String,
}

/// `POST /tips`: records the tip and shows the receipt once.
pub async fn submit(
    State(state): State<AppState>,
    page: Page,
    PageForm(form): PageForm<TipForm>,
) -> Result<Response, PageError> {
    match service::submit(&state, &page.caller, &form.text).await {
        Ok(receipt) => Ok(tips_page(TipPublicView::Created { receipt })),
        Err(TipError::Refused(r)) => Ok(tips_page(TipPublicView::FormError {
            error: r.text(page.lang),
            text: form.text,
        })),
        Err(TipError::NotFound) => Err(PageError::NotFound),
        Err(TipError::Store(e)) => Err(e.into()),
    }
}

/// What the receipt holder sees: the tip and its messages, or why not.
fn status_view(receipt: &str, lang: Lang, found: Result<Tip, TipError>) -> TipPublicView {
    match found {
        Ok(tip) => TipPublicView::Status {
            receipt: receipt.to_string(),
            status: tip_status(lang, &tip.status),
            created: format_beijing(tip.created_at),
            body: tip.body.clone(),
            messages: message_rows(&tip),
            can_reply: tip.status == "new" || tip.status == "answered",
        },
        Err(TipError::Refused(r)) => TipPublicView::Lookup {
            error: r.text(lang),
        },
        Err(TipError::NotFound) => TipPublicView::Lookup {
            error: lang
                .pick("查询码不正确。", "That receipt is not right.")
                .into(),
        },
        Err(TipError::Store(e)) => {
            tracing::error!(error = %e, "tip lookup failed");
            TipPublicView::Lookup {
                error: lang
                    .pick(
                        "暂时无法查询，请稍后再试。",
                        "Cannot check now; please try again later.",
                    )
                    .into(),
            }
        }
    }
}

/// `POST /tips/status`: the status for a receipt.
pub async fn status(
    State(state): State<AppState>,
    page: Page,
    PageForm(form): PageForm<TipForm>,
) -> Response {
    let found = service::lookup(&state, &page.caller, &form.receipt).await;
    tips_page(status_view(&form.receipt, page.lang, found))
}

/// `POST /tips/reply`: the reporter adds information.
pub async fn reply(
    State(state): State<AppState>,
    page: Page,
    PageForm(form): PageForm<TipForm>,
) -> Result<Response, PageError> {
    if let Ok(tip) = service::lookup(&state, &page.caller, &form.receipt).await {
        match service::add_reporter_message(&state, &tip, &form.text).await {
            // A closed tip takes no more messages; the status below says it is closed.
            Ok(()) | Err(TipError::Refused(domain::tips::TipRefused::Closed)) => {}
            Err(TipError::Refused(r)) => {
                return Ok(tips_page(TipPublicView::Lookup {
                    error: r.text(page.lang),
                }))
            }
            Err(TipError::NotFound) => {}
            Err(TipError::Store(e)) => return Err(e.into()),
        }
    }
    let found = service::lookup(&state, &page.caller, &form.receipt).await;
    Ok(tips_page(status_view(&form.receipt, page.lang, found)))
}
