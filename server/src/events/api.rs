//! `/api/v1/events…`, `/api/v1/notifications…` and `/api/v1/exchanges`: the event contract of
//! interfaces.md plus the rest of the life cycle. A thin adapter: JSON bodies become the
//! service's [`EventCommand`]s, and who may do what is the service's ([`EventAccess`]): a draft
//! is a 404 to anyone but its hosts, declarations and the check-in code are for the host's
//! coordinators only.

use axum::extract::State;
use axum::{Extension, Json};
use domain::events::{EventKind, EventStatus, Flag};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::events::{self, EventRecord};
use store::sessions::Caller;
use utoipa::{IntoParams, ToSchema};

use super::service::{
    self, directory, find_visible, EventAccess, EventCommand, EventError, EventFields,
};
use crate::api::catalogue::event_field;
use crate::api::codes;
use crate::api::{require_user, ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;
use crate::time::rfc3339;
use axum::http::StatusCode;

impl From<EventError> for AppError {
    fn from(e: EventError) -> Self {
        match e {
            EventError::NotFound => AppError::NotFound,
            EventError::Refused(r @ domain::events::EventRefusal::CheckinTries(_)) => {
                AppError::of(StatusCode::TOO_MANY_REQUESTS, "event", &r, event_field(&r))
            }
            EventError::Refused(r) => {
                let status = if r.is_invalid_input() {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::CONFLICT
                };
                AppError::of(status, "event", &r, event_field(&r))
            }
            EventError::Store(e) => AppError::Store(e),
        }
    }
}

/// An event as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Event)]
pub struct EventOut {
    id: i64,
    uid: String,
    sequence: i64,
    title: String,
    #[schema(value_type = EventKind)]
    kind: String,
    #[schema(value_type = EventStatus)]
    status: String,
    agenda: String,
    venue: String,
    #[schema(format = DateTime)]
    starts_at: String,
    #[schema(format = DateTime)]
    ends_at: String,
    #[schema(format = DateTime)]
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
    #[schema(value_type = Option<Vec<Flag>>)]
    flags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    invitations: Option<Vec<Value>>,
    /// The series this event is an occurrence of (`/event-series/{id}`), or null.
    series: Option<i64>,
}

/// The event of a path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // Describes the `ApiPath<i64>` of the handlers.
pub struct EventId {
    /// The event's id.
    id: i64,
}

/// One event as `GET /events/{id}` shows it: the caller's own registration beside it (`null`
/// when signed in without one, absent when anonymous).
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct EventShown {
    #[serde(flatten)]
    event: EventOut,
    #[schema(value_type = Option<Object>)]
    my_registration: Option<Value>,
}

/// The fields of an event, as the document describes them (`EventFields`, checked by the
/// service).
#[derive(ToSchema)]
#[allow(dead_code)] // Describes `EventFields` for the document.
pub struct EventIn {
    #[schema(max_length = 100)]
    title: String,
    kind: EventKind,
    /// Markdown; sanitised when shown.
    #[schema(max_length = 5000)]
    agenda: Option<String>,
    /// An official venue's name, or another place (flagged).
    venue: String,
    venue_id: Option<i64>,
    /// RFC 3339, e.g. 2026-12-01T09:00:00+08:00.
    #[schema(format = DateTime)]
    starts_at: String,
    #[schema(format = DateTime)]
    ends_at: String,
    #[schema(minimum = 1, maximum = 10000)]
    capacity: i64,
    #[schema(format = DateTime)]
    registration_deadline: String,
    /// Unit codes whose members may register.
    open_to: Vec<String>,
    /// Association unit codes invited to co-host.
    cohosts: Option<Vec<String>>,
}

/// A new draft.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct EventCreated {
    id: i64,
    #[schema(value_type = Option<EventStatus>)]
    status: Option<String>,
    flags: Vec<Flag>,
    needs_approval: Option<bool>,
}

/// An edited event and its compliance flags.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct EventSaved {
    id: Option<i64>,
    flags: Option<Vec<Flag>>,
}

/// An event's status after a change (publishing also gives its flags).
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handlers' JSON.
pub struct EventState {
    id: Option<i64>,
    status: Option<EventStatus>,
    flags: Option<Vec<Flag>>,
}

/// Where a registration put the caller.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes `Done::code` of a registration.
pub struct Placed {
    status: Placement,
}

/// A place, or the waitlist.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Describes `Done::code` of a registration.
pub enum Placement {
    Registered,
    Waitlisted,
}

/// A cancelled registration: `{"status": "cancelled"}`.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct Unregistered {
    status: Option<String>,
}

/// The caller's notifications.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct NotificationsOut {
    unread: Option<i64>,
    #[schema(value_type = Option<Vec<Object>>)]
    notifications: Option<Vec<Value>>,
}

/// How many notifications were marked read.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the handler's JSON.
pub struct Marked {
    marked: Option<u64>,
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
        series: ev.series_id,
    }
}

/// `POST /api/v1/events` (a coordinator of an association): creates a draft.
#[utoipa::path(post, path = "/events",
    summary = "Create a draft event (a coordinator of an association; the host is the caller's association)",
    request_body = EventIn, responses((status = 200, description = "Created", body = EventCreated),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Not a coordinator"),
    (status = 422, description = "Invalid fields")))]
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
#[utoipa::path(put, path = "/events/{id}",
    summary = "Edit a draft or published event (the host's coordinators); registrants are told of a new time or venue",
    params(EventId), request_body = EventIn,
    responses((status = 200, description = "Saved", body = EventSaved),
    (status = 409, description = "Not editable"), (status = 422, description = "Invalid fields")))]
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
#[utoipa::path(get, path = "/events", summary = "Published exchange events that have not ended",
    security(()), responses((status = 200, description = "Events", body = Vec<EventOut>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<EventOut>>, AppError> {
    let list = events::list_public(&state.db, store::now_ms(), false).await?;
    Ok(Json(list.iter().map(|e| event_out(e, false)).collect()))
}

/// `GET /api/v1/events/{id}`.
#[utoipa::path(get, path = "/events/{id}", summary = "One event (drafts only for their hosts)",
    params(EventId), responses((status = 200, description = "Event", body = EventShown)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    let manager = EventAccess::of(&caller, &dir).manages(&ev);
    let mut out = serde_json::to_value(event_out(&ev, manager))
        .map_err(|_| AppError::bad_request(codes::INTERNAL, "编码失败 / encoding failed"))?;
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
#[utoipa::path(post, path = "/events/{id}/publish",
    summary = "Publish a draft; refused while a compliance flag needs an approval record",
    params(EventId), responses((status = 200, description = "Published", body = EventState),
    (status = 409, description = "Refused, with the reason")))]
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

#[derive(Deserialize, ToSchema)]
pub struct ApprovalIn {
    #[schema(max_length = 100)]
    approved_by: String,
    #[schema(max_length = 100)]
    reference: String,
    #[schema(format = Date)]
    approved_on: String,
}

/// `POST /api/v1/events/{id}/approval`: records who approved a flagged event.
#[utoipa::path(post, path = "/events/{id}/approval",
    summary = "Record the approval of a flagged event", params(EventId), request_body = ApprovalIn,
    responses((status = 200, description = "Recorded", body = Object),
    (status = 409, description = "Not editable"), (status = 422, description = "Invalid fields")))]
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

#[derive(Deserialize, ToSchema)]
pub struct ReasonIn {
    #[schema(max_length = 300)]
    reason: String,
}

/// `POST /api/v1/events/{id}/cancel`: cancels with a reason; registrants are notified.
#[utoipa::path(post, path = "/events/{id}/cancel",
    summary = "Cancel with a reason; everyone registered is notified", params(EventId),
    request_body = ReasonIn, responses((status = 200, description = "Cancelled", body = EventState),
    (status = 409, description = "Cannot be cancelled"),
    (status = 422, description = "Invalid reason")))]
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
#[utoipa::path(post, path = "/events/{id}/held",
    summary = "Mark a published event as held (after it starts)", params(EventId),
    responses((status = 200, description = "Held", body = EventState),
    (status = 409, description = "Not yet")))]
pub async fn held(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let (ev, _) = act(&state, &caller, id, EventCommand::MarkHeld).await?;
    Ok(Json(json!({"id": id, "status": ev.status.as_str()})))
}

#[derive(Deserialize, ToSchema)]
pub struct SummaryIn {
    #[schema(max_length = 2000)]
    summary: String,
    #[serde(default)]
    close: bool,
}

/// `POST /api/v1/events/{id}/summary`: the public summary of a held event; `close` closes it.
#[utoipa::path(post, path = "/events/{id}/summary",
    summary = "The public summary of a held event; close=true closes it", params(EventId),
    request_body = SummaryIn, responses((status = 200, description = "Saved", body = EventState),
    (status = 409, description = "Not held"), (status = 422, description = "Invalid summary")))]
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

#[derive(Deserialize, Default, ToSchema)]
pub struct RegisterIn {
    #[serde(default)]
    has_case: bool,
    #[serde(default)]
    #[schema(max_length = 500)]
    case_note: Option<String>,
}

/// `POST /api/v1/events/{id}/registrations` (signed in): `{"status": "registered" |
/// "waitlisted"}`. The body (a case-relationship declaration) is optional.
#[utoipa::path(post, path = "/events/{id}/registrations",
    summary = "Register the caller: a place while there is one, else the waitlist", params(EventId),
    request_body = Option<RegisterIn>,
    responses((status = 200, description = "Placed", body = Placed),
    (status = 409, description = "Closed, not open to the caller's unit, or not published"),
    (status = 422, description = "Invalid declaration")))]
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, AppError> {
    let decl: RegisterIn = if body.iter().all(u8::is_ascii_whitespace) {
        RegisterIn::default()
    } else {
        let value = serde_json::from_slice(&body).map_err(|e| {
            AppError::bad_request(
                codes::MALFORMED_JSON,
                format!("JSON 格式错误 / malformed JSON: {e}"),
            )
        })?;
        crate::api::parse_body(value)?
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
#[utoipa::path(delete, path = "/events/{id}/registrations",
    summary = "Cancel the caller's registration; the waitlist moves up in order", params(EventId),
    responses((status = 200, description = "Cancelled", body = Unregistered),
    (status = 409, description = "Not registered")))]
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
#[utoipa::path(get, path = "/events/{id}/registrations",
    summary = "Registrations with declarations (the host's coordinators)", params(EventId),
    responses((status = 200, description = "Registrations", body = Object)))]
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

#[derive(Deserialize, ToSchema)]
pub struct CheckinIn {
    code: String,
}

/// `POST /api/v1/events/{id}/checkin`: a registered member checks in with the venue's code.
#[utoipa::path(post, path = "/events/{id}/checkin",
    summary = "Check in with the code shown at the venue", params(EventId),
    request_body = CheckinIn, responses((status = 200, description = "Checked in", body = Object),
    (status = 409, description = "Wrong code, outside the window, or no place")))]
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

#[derive(Deserialize, ToSchema)]
pub struct AttendanceIn {
    user_id: i64,
    attended: bool,
}

/// `POST /api/v1/events/{id}/attendance` (the host's coordinators).
#[utoipa::path(post, path = "/events/{id}/attendance",
    summary = "Mark a registered member's attendance (the host's coordinators)", params(EventId),
    request_body = AttendanceIn, responses((status = 200, description = "Marked", body = Object),
    (status = 409, description = "No place or not open")))]
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

#[derive(Deserialize, ToSchema)]
pub struct InvitationIn {
    accept: bool,
}

/// `POST /api/v1/events/{id}/invitation` (a coordinator of an invited association).
#[utoipa::path(post, path = "/events/{id}/invitation",
    summary = "Accept or decline the invitation to co-host (a coordinator of the invited association)",
    params(EventId), request_body = InvitationIn,
    responses((status = 200, description = "Answered", body = Object),
    (status = 409, description = "No pending invitation")))]
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

#[derive(Deserialize, ToSchema)]
pub struct RemindIn {
    unit: String,
}

/// `POST /api/v1/events/{id}/invitations/remind` (the host's coordinators).
#[utoipa::path(post, path = "/events/{id}/invitations/remind",
    summary = "Remind an invited association (the host's coordinators)", params(EventId),
    request_body = RemindIn, responses((status = 200, description = "Reminded", body = Object),
    (status = 409, description = "No pending invitation")))]
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
#[utoipa::path(get, path = "/notifications",
    summary = "The caller's latest notifications and unread count",
    responses((status = 200, description = "Notifications", body = NotificationsOut)))]
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
#[utoipa::path(post, path = "/notifications/read", summary = "Mark all notifications read",
    responses((status = 200, description = "Marked", body = Marked)))]
pub async fn notifications_read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, AppError> {
    let user = require_user(&caller)?;
    let n = events::mark_all_read(&state.db, user.id).await?;
    Ok(Json(json!({"marked": n})))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    association: Option<String>,
    year: Option<String>,
}

/// `GET /api/v1/exchanges` (public): the register of held exchanges, no names.
#[utoipa::path(get, path = "/exchanges",
    summary = "The public register of held exchanges (participants by kind of unit, no names)",
    security(()), params(RegisterQuery),
    responses((status = 200, description = "Register", body = Vec<Object>)))]
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
