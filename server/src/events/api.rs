//! `/api/v1/events…`, `/api/v1/notifications…` and `/api/v1/exchanges`: the event contract of
//! interfaces.md plus the rest of the life cycle. A thin adapter: JSON bodies become the
//! service's [`EventCommand`]s, and who may do what is the service's ([`EventAccess`]): a draft
//! is a 404 to anyone but its hosts, declarations and the check-in code are for the host's
//! coordinators only.

use app::refusals::Localize;
use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::events::{self, EventRecord};
use store::sessions::Caller;

use super::service::{
    self, directory, find_visible, EventAccess, EventCommand, EventError, EventFields,
};
use crate::api::{require_user, ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;
use crate::time::rfc3339;

impl From<EventError> for AppError {
    fn from(e: EventError) -> Self {
        match e {
            EventError::NotFound => AppError::NotFound,
            EventError::Refused(r) if r.is_invalid_input() => AppError::Unprocessable(r.both()),
            EventError::Refused(r) => AppError::Conflict(r.both()),
            EventError::Store(e) => AppError::Store(e),
        }
    }
}

/// An event as the API shows it.
#[derive(Serialize)]
pub struct EventOut {
    id: i64,
    uid: String,
    sequence: i64,
    title: String,
    kind: String,
    status: String,
    agenda: String,
    venue: String,
    starts_at: String,
    ends_at: String,
    registration_deadline: String,
    capacity: i64,
    registered: i64,
    waitlisted: i64,
    host: String,
    /// Host first, then the co-hosts that accepted.
    hosts: Vec<String>,
    open_to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    /// For the host's coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitations: Option<Vec<Value>>,
}

fn event_out(ev: &EventRecord, manager: bool) -> EventOut {
    EventOut {
        id: ev.id,
        uid: ev.uid.clone(),
        sequence: ev.sequence,
        title: ev.title.clone(),
        kind: ev.kind.as_str().to_string(),
        status: ev.status.as_str().to_string(),
        agenda: ev.agenda.clone(),
        venue: ev.venue.clone(),
        starts_at: rfc3339(ev.starts_at),
        ends_at: rfc3339(ev.ends_at),
        registration_deadline: rfc3339(ev.registration_deadline),
        capacity: ev.capacity,
        registered: ev.registered,
        waitlisted: ev.waitlisted,
        host: ev.host_unit.clone(),
        hosts: std::iter::once(ev.host_unit.clone())
            .chain(ev.accepted_cohosts())
            .collect(),
        open_to: ev.open_to.clone(),
        cancel_reason: ev.cancel_reason.clone(),
        summary: ev.summary.clone(),
        flags: manager.then(|| ev.flags.iter().map(|f| f.as_str().to_string()).collect()),
        invitations: manager.then(|| {
            ev.cohosts
                .iter()
                .map(|c| json!({"unit": c.unit, "status": c.status}))
                .collect()
        }),
    }
}

/// `POST /api/v1/events` (a coordinator of an association): creates a draft.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(fields): ApiJson<EventFields>,
) -> Result<Json<Value>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let (id, flags) = service::create(&state, &caller, &dir, &fields).await?;
    Ok(Json(json!({
        "id": id,
        "status": "draft",
        "flags": flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "needs_approval": flags.iter().any(|f| f.needs_approval()),
    })))
}

/// `PUT /api/v1/events/{id}` (the host's coordinators): edits a draft or published event.
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(fields): ApiJson<EventFields>,
) -> Result<Json<Value>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    let flags = service::update(&state, &caller, &dir, &ev, &fields).await?;
    Ok(Json(json!({
        "id": id,
        "flags": flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/events` (public): published events that have not ended.
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<EventOut>>, AppError> {
    let list = events::list_public(&state.db, store::now_ms(), false).await?;
    Ok(Json(list.iter().map(|e| event_out(e, false)).collect()))
}

/// `GET /api/v1/events/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    let manager = EventAccess::of(&caller, &dir).manages(&ev);
    let mut out = serde_json::to_value(event_out(&ev, manager))
        .map_err(|_| AppError::BadRequest("encoding failed".into()))?;
    if let Some(u) = caller.user() {
        let reg = events::registration(&state.db, id, u.id).await?;
        out["my_registration"] = match reg.filter(|r| r.status != "cancelled") {
            Some(r) => json!({"status": r.status, "attended": r.attended}),
            None => Value::Null,
        };
    }
    Ok(Json(out))
}

/// Runs `command` on event `id` for the caller; the event as it then stands.
async fn act(
    state: &AppState,
    caller: &Caller,
    id: i64,
    command: EventCommand,
) -> Result<(EventRecord, service::Done), AppError> {
    require_user(caller)?;
    let dir = directory(state).await?;
    let ev = find_visible(state, caller, &dir, id).await?;
    let done = service::run(state, caller, &dir, &ev, command).await?;
    let ev = events::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((ev, done))
}

/// `POST /api/v1/events/{id}/publish`: refused (409, with the reason) while a compliance flag
/// waits for an approval record.
pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let (ev, _) = act(&state, &caller, id, EventCommand::Publish).await?;
    Ok(Json(json!({
        "id": id,
        "status": ev.status.as_str(),
        "flags": ev.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
pub struct ApprovalIn {
    approved_by: String,
    reference: String,
    approved_on: String,
}

/// `POST /api/v1/events/{id}/approval`: records who approved a flagged event.
pub async fn approval(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApprovalIn>,
) -> Result<Json<Value>, AppError> {
    let command = EventCommand::RecordApproval {
        by: body.approved_by,
        reference: body.reference,
        date: body.approved_on,
    };
    act(&state, &caller, id, command).await?;
    Ok(Json(json!({"id": id, "approval": "recorded"})))
}

#[derive(Deserialize)]
pub struct ReasonIn {
    reason: String,
}

/// `POST /api/v1/events/{id}/cancel`: cancels with a reason; registrants are notified.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<Json<Value>, AppError> {
    let command = EventCommand::Cancel {
        reason: body.reason,
    };
    let (ev, _) = act(&state, &caller, id, command).await?;
    Ok(Json(json!({"id": id, "status": ev.status.as_str()})))
}

/// `POST /api/v1/events/{id}/held`: marks a published event as held.
pub async fn held(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let (ev, _) = act(&state, &caller, id, EventCommand::MarkHeld).await?;
    Ok(Json(json!({"id": id, "status": ev.status.as_str()})))
}

#[derive(Deserialize)]
pub struct SummaryIn {
    summary: String,
    #[serde(default)]
    close: bool,
}

/// `POST /api/v1/events/{id}/summary`: the public summary of a held event; `close` closes it.
pub async fn summary(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SummaryIn>,
) -> Result<Json<Value>, AppError> {
    let command = EventCommand::Summarise {
        summary: body.summary,
        close: body.close,
    };
    let (ev, _) = act(&state, &caller, id, command).await?;
    Ok(Json(json!({"id": id, "status": ev.status.as_str()})))
}

#[derive(Deserialize, Default)]
pub struct RegisterIn {
    #[serde(default)]
    has_case: bool,
    #[serde(default)]
    case_note: Option<String>,
}

/// `POST /api/v1/events/{id}/registrations` (signed in): `{"status": "registered" |
/// "waitlisted"}`. The body (a case-relationship declaration) is optional.
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, AppError> {
    let decl: RegisterIn = if body.iter().all(u8::is_ascii_whitespace) {
        RegisterIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::Unprocessable(format!(
                "字段缺失或类型错误 / missing or mistyped field: {e}"
            ))
        })?
    };
    let command = EventCommand::Register {
        has_case: decl.has_case,
        note: decl.case_note.unwrap_or_default(),
    };
    let (_, done) = act(&state, &caller, id, command).await?;
    Ok(Json(json!({"status": done.code()})))
}

/// `DELETE /api/v1/events/{id}/registrations`: cancels the caller's registration; the first on
/// the waitlist moves up.
pub async fn unregister(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    act(&state, &caller, id, EventCommand::Unregister).await?;
    Ok(Json(json!({"status": "cancelled"})))
}

/// `GET /api/v1/events/{id}/registrations` (the host's coordinators): everyone registered or
/// waiting, with declarations and attendance.
pub async fn registrations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    if !EventAccess::of(&caller, &dir).manages(&ev) {
        return Err(AppError::NotFound);
    }
    let regs = events::registrants(&state.db, id).await?;
    Ok(Json(json!({
        "registered": ev.registered,
        "waitlisted": ev.waitlisted,
        "registrations": regs.iter().map(|r| json!({
            "user_id": r.user_id, "name": r.display_name, "unit": r.unit, "status": r.status,
            "has_case": r.has_case, "case_note": r.case_note, "attended": r.attended,
        })).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
pub struct CheckinIn {
    code: String,
}

/// `POST /api/v1/events/{id}/checkin`: a registered member checks in with the venue's code.
pub async fn checkin(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CheckinIn>,
) -> Result<Json<Value>, AppError> {
    act(
        &state,
        &caller,
        id,
        EventCommand::CheckIn { code: body.code },
    )
    .await?;
    Ok(Json(json!({"attended": true})))
}

#[derive(Deserialize)]
pub struct AttendanceIn {
    user_id: i64,
    attended: bool,
}

/// `POST /api/v1/events/{id}/attendance` (the host's coordinators).
pub async fn attendance(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AttendanceIn>,
) -> Result<Json<Value>, AppError> {
    let command = EventCommand::MarkAttendance {
        user: Some(body.user_id),
        attended: body.attended,
    };
    act(&state, &caller, id, command).await?;
    Ok(Json(
        json!({"user_id": body.user_id, "attended": body.attended}),
    ))
}

#[derive(Deserialize)]
pub struct InvitationIn {
    accept: bool,
}

/// `POST /api/v1/events/{id}/invitation` (a coordinator of an invited association).
pub async fn invitation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<InvitationIn>,
) -> Result<Json<Value>, AppError> {
    let command = EventCommand::AnswerInvitation {
        accept: body.accept,
    };
    let (_, done) = act(&state, &caller, id, command).await?;
    Ok(Json(json!({"invitation": done.code()})))
}

#[derive(Deserialize)]
pub struct RemindIn {
    unit: String,
}

/// `POST /api/v1/events/{id}/invitations/remind` (the host's coordinators).
pub async fn remind(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RemindIn>,
) -> Result<Json<Value>, AppError> {
    act(
        &state,
        &caller,
        id,
        EventCommand::Remind { unit: body.unit },
    )
    .await?;
    Ok(Json(json!({"reminded": true})))
}

/// `GET /api/v1/notifications` (signed in): the latest 100, newest first.
pub async fn notifications(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, AppError> {
    let user = require_user(&caller)?;
    let list = events::list_notifications(&state.db, user.id, 100).await?;
    let unread = events::unread_count(&state.db, user.id).await?;
    Ok(Json(json!({
        "unread": unread,
        "notifications": list.iter().map(|n| json!({
            "id": n.id, "kind": n.kind, "text_zh": n.text_zh, "text_en": n.text_en,
            "link": n.link, "created_at": n.created_at, "read": n.read,
        })).collect::<Vec<_>>(),
    })))
}

/// `POST /api/v1/notifications/read`: marks them all read.
pub async fn notifications_read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, AppError> {
    let user = require_user(&caller)?;
    let n = events::mark_all_read(&state.db, user.id).await?;
    Ok(Json(json!({"marked": n})))
}

#[derive(Deserialize)]
pub struct RegisterQuery {
    association: Option<String>,
    year: Option<String>,
}

/// `GET /api/v1/exchanges` (public): the register of held exchanges, no names.
pub async fn exchanges(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<RegisterQuery>,
) -> Result<Json<Value>, AppError> {
    let entries = events::public_register(
        &state.db,
        q.association.as_deref().filter(|a| !a.is_empty()),
        q.year
            .as_deref()
            .and_then(|y| y.parse().ok())
            .filter(|y| (2000..=2100).contains(y)),
    )
    .await?;
    Ok(Json(json!(entries
        .iter()
        .map(|x| json!({
            "id": x.event.id,
            "title": x.event.title,
            "kind": x.event.kind.as_str(),
            "hosts": std::iter::once(x.event.host_unit.clone()).chain(x.event.accepted_cohosts()).collect::<Vec<_>>(),
            "venue": x.event.venue,
            "starts_at": rfc3339(x.event.starts_at),
            "ends_at": rfc3339(x.event.ends_at),
            "agenda": x.event.agenda,
            "participants": x.participants,
            "summary": x.event.summary,
        }))
        .collect::<Vec<_>>())))
}
