//! Public tips: the `/tips` pages and `/api/v1/tips` for anyone, with receipt-guess throttling
//! by client address (the address is used for throttling only, never stored with the tip), and
//! the joint office's intake queue under `/leads/tips`.

use app::pages::tips::{
    tip_status, TipDetailView, TipMessageRow, TipPublicView, TipQueueView, TipRow,
};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use serde::{Deserialize, Serialize};
use store::sessions::Caller;
use store::tips::{self, Tip};

use crate::api::ApiJson;
use crate::error::AppError;
use crate::pages::{not_found, redirect, render_with};
use crate::state::AppState;
use crate::time::format_beijing;

/// Receipt guesses allowed per address in the throttle window.
const GUESS_LIMIT: i64 = 10;

fn check_tip_text(text: &str) -> Result<String, String> {
    let t = text.trim();
    let n = t.chars().count();
    if n < 10 {
        return Err("内容至少 10 个字 / please write at least 10 characters".into());
    }
    if n > 5000 {
        return Err("内容最多 5000 字 / at most 5000 characters".into());
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("内容含有控制字符 / the text contains control characters".into());
    }
    Ok(t.to_string())
}

/// Looks a receipt up with throttling: `Err` carries the message for a wrong receipt or a lock.
async fn lookup(state: &AppState, caller: &Caller, receipt: &str) -> Result<Tip, AppError> {
    let key = format!("tip:{}", caller.client_addr);
    if let Some(wait) = store::throttle::key_locked_for(&state.db, &key).await? {
        let m = (wait + 59_999) / 60_000;
        return Err(AppError::TooManyRequests(format!(
            "查询次数过多，请 {m} 分钟后再试 / too many attempts; try again in {m} minutes"
        )));
    }
    match tips::find_by_receipt(&state.db, receipt).await? {
        Some(t) => Ok(t),
        None => {
            store::throttle::key_failure(&state.db, &key, GUESS_LIMIT).await?;
            Err(AppError::NotFound)
        }
    }
}

fn message_rows(tip: &Tip) -> Vec<TipMessageRow> {
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

/// Renders the public tips page at `/tips` whatever the form posted to.
async fn render_tips(state: &AppState, req: Request, view: TipPublicView) -> Response {
    let (mut parts, _) = req.into_parts();
    parts.uri = Uri::from_static("/tips");
    render_with(
        state,
        Request::from_parts(parts, axum::body::Body::empty()),
        view,
    )
    .await
}

/// `GET /tips`.
pub async fn page(State(state): State<AppState>, req: Request) -> Response {
    render_with(&state, req, TipPublicView::Form).await
}

#[derive(Deserialize)]
pub struct TipForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    receipt: String,
}

async fn read_form(state: &AppState, req: Request) -> (Request, TipForm) {
    let (parts, body) = req.into_parts();
    let keep = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let form = Form::<TipForm>::from_request(Request::from_parts(parts, body), state)
        .await
        .map(|Form(f)| f)
        .unwrap_or(TipForm {
            text: String::new(),
            receipt: String::new(),
        });
    (keep, form)
}

/// `POST /tips`: records the tip and shows the receipt once.
pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (req, form) = read_form(&state, req).await;
    let text = match check_tip_text(&form.text) {
        Ok(t) => t,
        Err(error) => {
            return render_tips(
                &state,
                req,
                TipPublicView::FormError {
                    error,
                    text: form.text,
                },
            )
            .await
        }
    };
    match tips::create_tip(&state.db, &text).await {
        Ok((_, receipt)) => {
            render_tips(&state, req, TipPublicView::Created { receipt: receipt.0 }).await
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

async fn status_view(
    state: &AppState,
    caller: &Caller,
    receipt: &str,
    lang: app::i18n::Lang,
) -> TipPublicView {
    match lookup(state, caller, receipt).await {
        Ok(tip) => TipPublicView::Status {
            receipt: receipt.to_string(),
            status: tip_status(lang, &tip.status),
            created: format_beijing(tip.created_at),
            body: tip.body.clone(),
            messages: message_rows(&tip),
            can_reply: tip.status == "new" || tip.status == "answered",
        },
        Err(AppError::TooManyRequests(m)) => TipPublicView::Lookup { error: m },
        Err(AppError::NotFound) => TipPublicView::Lookup {
            error: lang
                .pick("查询码不正确。", "That receipt is not right.")
                .into(),
        },
        Err(e) => {
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
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let lang = crate::pages::request_lang(&req);
    let (req, form) = read_form(&state, req).await;
    let view = status_view(&state, &caller, &form.receipt, lang).await;
    render_tips(&state, req, view).await
}

/// `POST /tips/reply`: the reporter adds information.
pub async fn reply(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let lang = crate::pages::request_lang(&req);
    let (req, form) = read_form(&state, req).await;
    if let Ok(tip) = lookup(&state, &caller, &form.receipt).await {
        match check_tip_text(&form.text) {
            Ok(text) => {
                let anonymous = store::audit::Actor {
                    login: Some("public".into()),
                    ..Default::default()
                };
                if let Err(e) =
                    tips::add_message(&state.db, tip.id, false, "反映人", &text, &anonymous).await
                {
                    return AppError::from(e).into_response();
                }
            }
            Err(error) => return render_tips(&state, req, TipPublicView::Lookup { error }).await,
        }
    }
    let view = status_view(&state, &caller, &form.receipt, lang).await;
    render_tips(&state, req, view).await
}

#[derive(Deserialize)]
pub struct TipBody {
    text: String,
}

#[derive(Serialize)]
pub struct ReceiptReply {
    receipt: String,
}

/// `POST /api/v1/tips` (no sign-in) → `{"receipt"}`.
pub async fn api_create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TipBody>,
) -> Result<Json<ReceiptReply>, AppError> {
    let text = check_tip_text(&body.text).map_err(AppError::Unprocessable)?;
    let (_, receipt) = tips::create_tip(&state.db, &text).await?;
    Ok(Json(ReceiptReply { receipt: receipt.0 }))
}

/// The status of a tip as the API shows it to the receipt holder.
#[derive(Serialize)]
pub struct TipStatusReply {
    status: String,
    created_at: i64,
    messages: Vec<store::tips::TipMessage>,
}

/// `GET /api/v1/tips/{receipt}`: status and replies; a wrong receipt is a 404.
pub async fn api_status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
) -> Result<Json<TipStatusReply>, AppError> {
    let tip = lookup(&state, &caller, &receipt).await?;
    Ok(Json(TipStatusReply {
        status: tip.status,
        created_at: tip.created_at,
        messages: tip.messages,
    }))
}

/// `POST /api/v1/tips/{receipt}/messages`: the reporter adds information.
pub async fn api_message(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt): Path<String>,
    ApiJson(body): ApiJson<TipBody>,
) -> Result<Json<serde_json::Value>, AppError> {
    let tip = lookup(&state, &caller, &receipt).await?;
    let text = check_tip_text(&body.text).map_err(AppError::Unprocessable)?;
    let anonymous = store::audit::Actor {
        login: Some("public".into()),
        ..Default::default()
    };
    if !tips::add_message(&state.db, tip.id, false, "反映人", &text, &anonymous).await? {
        return Err(AppError::Conflict(
            "此反映已办结 / this tip is closed".into(),
        ));
    }
    Ok(Json(serde_json::json!({"sent": true})))
}

/// The joint office only: others get the 404 page.
async fn joint_office<'a>(
    state: &AppState,
    caller: &'a Caller,
) -> Result<crate::leads::Handler<'a>, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = crate::leads::require_handler(caller, &dir)?;
    if h.joint_office {
        Ok(h)
    } else {
        Err(AppError::NotFound)
    }
}

/// `GET /leads/tips`.
pub async fn queue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    if caller.user().is_none() {
        return redirect("/login?next=%2Fleads%2Ftips");
    }
    if joint_office(&state, &caller).await.is_err() {
        return not_found(&state, req).await;
    }
    let list = match tips::list(&state.db, 500).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
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
    render_with(&state, req, TipQueueView { tips }).await
}

/// `GET /leads/tips/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if caller.user().is_none() {
        return redirect("/login?next=%2Fleads%2Ftips");
    }
    let (Ok(_), Ok(id)) = (joint_office(&state, &caller).await, id.parse::<i64>()) else {
        return not_found(&state, req).await;
    };
    let tip = match tips::find(&state.db, id).await {
        Ok(Some(t)) => t,
        Ok(None) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    if let Err(e) = store::audit::record(
        &state.db,
        &caller.actor(),
        store::audit::Event {
            action: "tip.viewed",
            object_type: Some("tip"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await
    {
        return AppError::from(e).into_response();
    }
    let view = TipDetailView {
        id,
        status: tip.status.clone(),
        created: format_beijing(tip.created_at),
        body: tip.body.clone(),
        messages: message_rows(&tip),
        open: tip.status == "new" || tip.status == "answered",
        lead: tip.lead_id.map(|l| (l, format!("#{l}"))),
    };
    render_with(&state, req, view).await
}

#[derive(Deserialize)]
pub struct OfficeForm {
    action: String,
    #[serde(default)]
    text: String,
}

/// `POST /leads/tips/{id}/action`: answer or close.
pub async fn office_action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (Ok(h), Ok(id)) = (joint_office(&state, &caller).await, id.parse::<i64>()) else {
        return not_found(&state, req).await;
    };
    let name = h.user.display_name.clone();
    let Ok(Form(form)) = Form::<OfficeForm>::from_request(req, &state).await else {
        return redirect(&format!("/leads/tips/{id}"));
    };
    let result = match form.action.as_str() {
        "answer" => match check_tip_text(&form.text) {
            Ok(text) => tips::add_message(&state.db, id, true, &name, &text, &caller.actor()).await,
            Err(_) => Ok(false),
        },
        "close" => tips::close(&state.db, id, &caller.actor()).await,
        _ => Ok(false),
    };
    match result {
        Ok(_) => redirect(&format!("/leads/tips/{id}")),
        Err(e) => AppError::from(e).into_response(),
    }
}
