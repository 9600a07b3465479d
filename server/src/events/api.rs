//! `/api/v1/events…`, `/api/v1/notifications…` and `/api/v1/exchanges`: the event contract of
//! interfaces.md plus the rest of the life cycle. A thin adapter: JSON bodies become the
//! service's [`EventCommand`]s, and who may do what is the service's ([`EventAccess`]): a draft
//! is a 404 to anyone but its hosts, declarations and the check-in code are for the host's
//! coordinators only.

use axum::extract::State;
use axum::{Extension, Json};
use domain::events::EventStatus;
use serde::Deserialize;
use store::events::{self, EventRecord, Notification, RegisterEntry, Registrant};
use store::sessions::Caller;
use utoipa::{IntoParams, ToSchema};

use super::service::{
    self, directory, find_visible, Done, EventAccess, EventCommand, EventError, EventFields,
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

pub use super::api_wire::*;

/// A command's [`Done`] that no handler here expects: a bug, answered as an internal error.
fn unexpected(done: Done) -> AppError {
    // Logged with the cause and answered as the one internal error, like a storage fault.
    AppError::Store(store::StoreError::Corrupt(format!(
        "unexpected outcome of an event command: {done:?}"
    )))
}

fn event_out(ev: &EventRecord, manager: bool) -> EventOut {
    EventOut {
        id: ev.id,
        uid: ev.uid.clone(),
        sequence: ev.sequence,
        title: ev.title.clone(),
        kind: ev.kind,
        status: ev.status,
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
        flags: manager.then(|| ev.flags.clone()),
        invitations: manager.then(|| {
            ev.cohosts
                .iter()
                .map(|c| Invitation {
                    unit: c.unit.clone(),
                    status: c.status.clone(),
                })
                .collect()
        }),
        series: ev.series_id,
    }
}

/// `POST /api/v1/events` (a coordinator of an association): creates a draft.
#[utoipa::path(post, path = "/events",
    summary = "Create a draft event (a coordinator of an association; the host is the caller's association)",
    request_body = EventFields, responses((status = 200, description = "Created", body = EventCreated),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Not a coordinator"),
    (status = 422, description = "Invalid fields")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(fields): ApiJson<EventFields>,
) -> Result<Json<EventCreated>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let (id, flags) = service::create(&state, &caller, &dir, &fields).await?;
    Ok(Json(EventCreated {
        id,
        status: EventStatus::Draft,
        needs_approval: flags.iter().any(|f| f.needs_approval()),
        flags,
    }))
}

/// `PUT /api/v1/events/{id}` (the host's coordinators): edits a draft or published event.
#[utoipa::path(put, path = "/events/{id}",
    summary = "Edit a draft or published event (the host's coordinators); registrants are told of a new time or venue",
    params(("id" = i64, Path, description = "The event's id.")), request_body = EventFields,
    responses((status = 200, description = "Saved", body = EventSaved),
    (status = 409, description = "Not editable"), (status = 422, description = "Invalid fields")))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(fields): ApiJson<EventFields>,
) -> Result<Json<EventSaved>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    let flags = service::update(&state, &caller, &dir, &ev, &fields).await?;
    Ok(Json(EventSaved { id, flags }))
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
    params(("id" = i64, Path, description = "The event's id.")), responses((status = 200, description = "Event", body = EventShown)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventShown>, AppError> {
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    let manager = EventAccess::of(&caller, &dir).manages(&ev);
    let my_registration = match caller.user() {
        Some(u) => Some(
            events::registration(&state.db, id, u.id)
                .await?
                .filter(|r| r.status != "cancelled")
                .map(|r| MyRegistration {
                    status: r.status,
                    attended: r.attended,
                }),
        ),
        None => None,
    };
    Ok(Json(EventShown {
        event: event_out(&ev, manager),
        my_registration,
    }))
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
    params(("id" = i64, Path, description = "The event's id.")), responses((status = 200, description = "Published", body = EventState),
    (status = 409, description = "Refused, with the reason")))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventState>, AppError> {
    let (ev, _) = act(&state, &caller, id, EventCommand::Publish).await?;
    Ok(Json(EventState {
        id,
        status: ev.status,
        flags: Some(ev.flags),
    }))
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
    summary = "Record the approval of a flagged event", params(("id" = i64, Path, description = "The event's id.")), request_body = ApprovalIn,
    responses((status = 200, description = "Recorded", body = ApprovalRecorded),
    (status = 409, description = "Not editable"), (status = 422, description = "Invalid fields")))]
pub async fn approval(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApprovalIn>,
) -> Result<Json<ApprovalRecorded>, AppError> {
    let command = EventCommand::RecordApproval {
        by: body.approved_by,
        reference: body.reference,
        date: body.approved_on,
    };
    act(&state, &caller, id, command).await?;
    Ok(Json(ApprovalRecorded {
        id,
        approval: Recorded::Recorded,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonIn {
    #[schema(max_length = 300)]
    reason: String,
}

/// `POST /api/v1/events/{id}/cancel`: cancels with a reason; registrants are notified.
#[utoipa::path(post, path = "/events/{id}/cancel",
    summary = "Cancel with a reason; everyone registered is notified", params(("id" = i64, Path, description = "The event's id.")),
    request_body = ReasonIn, responses((status = 200, description = "Cancelled", body = EventState),
    (status = 409, description = "Cannot be cancelled"),
    (status = 422, description = "Invalid reason")))]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<Json<EventState>, AppError> {
    let command = EventCommand::Cancel {
        reason: body.reason,
    };
    let (ev, _) = act(&state, &caller, id, command).await?;
    Ok(Json(EventState {
        id,
        status: ev.status,
        flags: None,
    }))
}

/// `POST /api/v1/events/{id}/held`: marks a published event as held.
#[utoipa::path(post, path = "/events/{id}/held",
    summary = "Mark a published event as held (after it starts)", params(("id" = i64, Path, description = "The event's id.")),
    responses((status = 200, description = "Held", body = EventState),
    (status = 409, description = "Not yet")))]
pub async fn held(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventState>, AppError> {
    let (ev, _) = act(&state, &caller, id, EventCommand::MarkHeld).await?;
    Ok(Json(EventState {
        id,
        status: ev.status,
        flags: None,
    }))
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
    summary = "The public summary of a held event; close=true closes it", params(("id" = i64, Path, description = "The event's id.")),
    request_body = SummaryIn, responses((status = 200, description = "Saved", body = EventState),
    (status = 409, description = "Not held"), (status = 422, description = "Invalid summary")))]
pub async fn summary(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SummaryIn>,
) -> Result<Json<EventState>, AppError> {
    let command = EventCommand::Summarise {
        summary: body.summary,
        close: body.close,
    };
    let (ev, _) = act(&state, &caller, id, command).await?;
    Ok(Json(EventState {
        id,
        status: ev.status,
        flags: None,
    }))
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
    summary = "Register the caller: a place while there is one, else the waitlist", params(("id" = i64, Path, description = "The event's id.")),
    request_body = Option<RegisterIn>,
    responses((status = 200, description = "Placed", body = Placed),
    (status = 409, description = "Closed, not open to the caller's unit, or not published"),
    (status = 422, description = "Invalid declaration")))]
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    body: axum::body::Bytes,
) -> Result<Json<Placed>, AppError> {
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
    let status = match done {
        Done::Registered => Placement::Registered,
        Done::Waitlisted => Placement::Waitlisted,
        other => return Err(unexpected(other)),
    };
    Ok(Json(Placed { status }))
}

/// `DELETE /api/v1/events/{id}/registrations`: cancels the caller's registration; the first on
/// the waitlist moves up.
#[utoipa::path(delete, path = "/events/{id}/registrations",
    summary = "Cancel the caller's registration; the waitlist moves up in order", params(("id" = i64, Path, description = "The event's id.")),
    responses((status = 200, description = "Cancelled", body = Unregistered),
    (status = 409, description = "Not registered")))]
pub async fn unregister(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Unregistered>, AppError> {
    act(&state, &caller, id, EventCommand::Unregister).await?;
    Ok(Json(Unregistered {
        status: RegistrationCancelled::Cancelled,
    }))
}

/// `GET /api/v1/events/{id}/registrations` (the host's coordinators): everyone registered or
/// waiting, with declarations and attendance.
#[utoipa::path(get, path = "/events/{id}/registrations",
    summary = "Registrations with declarations (the host's coordinators)", params(("id" = i64, Path, description = "The event's id.")),
    responses((status = 200, description = "Registrations", body = RegistrationsOut)))]
pub async fn registrations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RegistrationsOut>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &caller, &dir, id).await?;
    if !EventAccess::of(&caller, &dir).manages(&ev) {
        return Err(AppError::NotFound);
    }
    let regs = events::registrants(&state.db, id).await?;
    Ok(Json(RegistrationsOut {
        registered: ev.registered,
        waitlisted: ev.waitlisted,
        registrations: regs.into_iter().map(registrant_out).collect(),
    }))
}

fn registrant_out(r: Registrant) -> RegistrantOut {
    RegistrantOut {
        user_id: r.user_id,
        name: r.display_name,
        unit: r.unit,
        status: r.status,
        has_case: r.has_case,
        case_note: r.case_note,
        attended: r.attended,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CheckinIn {
    code: String,
}

/// `POST /api/v1/events/{id}/checkin`: a registered member checks in with the venue's code.
#[utoipa::path(post, path = "/events/{id}/checkin",
    summary = "Check in with the code shown at the venue", params(("id" = i64, Path, description = "The event's id.")),
    request_body = CheckinIn, responses((status = 200, description = "Checked in", body = CheckedIn),
    (status = 409, description = "Wrong code, outside the window, or no place")))]
pub async fn checkin(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CheckinIn>,
) -> Result<Json<CheckedIn>, AppError> {
    act(
        &state,
        &caller,
        id,
        EventCommand::CheckIn { code: body.code },
    )
    .await?;
    Ok(Json(CheckedIn { attended: true }))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceIn {
    user_id: i64,
    attended: bool,
}

/// `POST /api/v1/events/{id}/attendance` (the host's coordinators).
#[utoipa::path(post, path = "/events/{id}/attendance",
    summary = "Mark a registered member's attendance (the host's coordinators)", params(("id" = i64, Path, description = "The event's id.")),
    request_body = AttendanceIn, responses((status = 200, description = "Marked", body = AttendanceMarked),
    (status = 409, description = "No place or not open")))]
pub async fn attendance(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AttendanceIn>,
) -> Result<Json<AttendanceMarked>, AppError> {
    let command = EventCommand::MarkAttendance {
        user: Some(body.user_id),
        attended: body.attended,
    };
    act(&state, &caller, id, command).await?;
    Ok(Json(AttendanceMarked {
        user_id: body.user_id,
        attended: body.attended,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct InvitationIn {
    accept: bool,
}

/// `POST /api/v1/events/{id}/invitation` (a coordinator of an invited association).
#[utoipa::path(post, path = "/events/{id}/invitation",
    summary = "Accept or decline the invitation to co-host (a coordinator of the invited association)",
    params(("id" = i64, Path, description = "The event's id.")), request_body = InvitationIn,
    responses((status = 200, description = "Answered", body = InvitationAnswered),
    (status = 409, description = "No pending invitation")))]
pub async fn invitation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<InvitationIn>,
) -> Result<Json<InvitationAnswered>, AppError> {
    let command = EventCommand::AnswerInvitation {
        accept: body.accept,
    };
    let (_, done) = act(&state, &caller, id, command).await?;
    let invitation = match done {
        Done::Accepted => InvitationAnswer::Accepted,
        Done::Declined => InvitationAnswer::Declined,
        other => return Err(unexpected(other)),
    };
    Ok(Json(InvitationAnswered { invitation }))
}

#[derive(Deserialize, ToSchema)]
pub struct RemindIn {
    unit: String,
}

/// `POST /api/v1/events/{id}/invitations/remind` (the host's coordinators).
#[utoipa::path(post, path = "/events/{id}/invitations/remind",
    summary = "Remind an invited association (the host's coordinators)", params(("id" = i64, Path, description = "The event's id.")),
    request_body = RemindIn, responses((status = 200, description = "Reminded", body = Reminded),
    (status = 409, description = "No pending invitation")))]
pub async fn remind(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RemindIn>,
) -> Result<Json<Reminded>, AppError> {
    act(
        &state,
        &caller,
        id,
        EventCommand::Remind { unit: body.unit },
    )
    .await?;
    Ok(Json(Reminded { reminded: true }))
}

/// `GET /api/v1/notifications` (signed in): the latest 100, newest first.
#[utoipa::path(get, path = "/notifications",
    summary = "The caller's latest notifications and unread count",
    responses((status = 200, description = "Notifications", body = NotificationsOut)))]
pub async fn notifications(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<NotificationsOut>, AppError> {
    let user = require_user(&caller)?;
    let list = events::list_notifications(&state.db, user.id, 100).await?;
    let unread = events::unread_count(&state.db, user.id).await?;
    Ok(Json(NotificationsOut {
        unread,
        notifications: list.into_iter().map(notification_out).collect(),
    }))
}

fn notification_out(n: Notification) -> NotificationOut {
    NotificationOut {
        id: n.id,
        kind: n.kind,
        text_zh: n.text_zh,
        text_en: n.text_en,
        link: n.link,
        created_at: n.created_at,
        read: n.read,
    }
}

/// `POST /api/v1/notifications/read`: marks them all read.
#[utoipa::path(post, path = "/notifications/read", summary = "Mark all notifications read",
    responses((status = 200, description = "Marked", body = Marked)))]
pub async fn notifications_read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Marked>, AppError> {
    let user = require_user(&caller)?;
    let marked = events::mark_all_read(&state.db, user.id).await?;
    Ok(Json(Marked { marked }))
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
    responses((status = 200, description = "Register", body = Vec<ExchangeOut>)))]
pub async fn exchanges(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<RegisterQuery>,
) -> Result<Json<Vec<ExchangeOut>>, AppError> {
    let entries = events::public_register(
        &state.db,
        q.association.as_deref().filter(|a| !a.is_empty()),
        q.year
            .as_deref()
            .and_then(|y| y.parse().ok())
            .filter(|y| (2000..=2100).contains(y)),
    )
    .await?;
    Ok(Json(entries.into_iter().map(exchange_out).collect()))
}

fn exchange_out(x: RegisterEntry) -> ExchangeOut {
    let ev = x.event;
    ExchangeOut {
        id: ev.id,
        title: ev.title.clone(),
        kind: ev.kind,
        hosts: std::iter::once(ev.host_unit.clone())
            .chain(ev.accepted_cohosts())
            .collect(),
        venue: ev.venue,
        starts_at: rfc3339(ev.starts_at),
        ends_at: rfc3339(ev.ends_at),
        agenda: ev.agenda,
        participants: x.participants,
        summary: ev.summary,
    }
}
