//! `/api/v1/events…`, `/api/v1/notifications…` and `/api/v1/exchanges`: the event contract of
//! interfaces.md plus the rest of the life cycle. Permissions are the pages' own
//! ([`crate::events::EventAccess`], [`crate::events::run_action`]): a draft is a 404 to anyone
//! but its hosts, declarations and the check-in code are for the host's coordinators only.

use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::events::{self, EventRecord};
use store::sessions::Caller;

use super::auth::require_user;
use super::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::events::{check_fields, rfc3339, run_action, EventAccess, EventFields};
use crate::state::AppState;

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

async fn directory(state: &AppState) -> Result<domain::directory::Directory, AppError> {
    Ok(store::units::load_directory(&state.db).await?)
}

/// The event if the caller may see it; otherwise 404.
async fn visible(
    state: &AppState,
    caller: &Caller,
    dir: &domain::directory::Directory,
    id: i64,
) -> Result<EventRecord, AppError> {
    match events::find(&state.db, id).await? {
        Some(ev) if EventAccess::of(caller, dir).sees(&ev) => Ok(ev),
        _ => Err(AppError::NotFound),
    }
}

/// `POST /api/v1/events` (a coordinator of an association): creates a draft.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(fields): ApiJson<EventFields>,
) -> Result<Json<Value>, AppError> {
    let user = require_user(&caller)?;
    let dir = directory(&state).await?;
    let host = EventAccess::of(&caller, &dir)
        .coordinator_of
        .ok_or(AppError::NotFound)?;
    let input = check_fields(&fields, &host, &dir, store::now_ms(), true)
        .map_err(AppError::Unprocessable)?;
    let (id, flags) = events::create_event(
        &state.db,
        &caller.actor(),
        &host,
        user.id,
        &input,
        &state.config.working_hours,
    )
    .await
    .map_err(|e| match e {
        events::Refused::Rule(m) => AppError::Unprocessable(m),
        events::Refused::NotFound => AppError::NotFound,
        events::Refused::Store(e) => AppError::Store(e),
    })?;
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
    let ev = visible(&state, &caller, &dir, id).await?;
    if !EventAccess::of(&caller, &dir).manages(&ev) {
        return Err(AppError::NotFound);
    }
    let input = check_fields(&fields, &ev.host_unit, &dir, store::now_ms(), false)
        .map_err(AppError::Unprocessable)?;
    let flags = events::update_event(
        &state.db,
        &caller.actor(),
        id,
        &input,
        &state.config.working_hours,
    )
    .await
    .map_err(|e| match e {
        events::Refused::Rule(m) => AppError::Conflict(m),
        events::Refused::NotFound => AppError::NotFound,
        events::Refused::Store(e) => AppError::Store(e),
    })?;
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
    let ev = visible(&state, &caller, &dir, id).await?;
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

async fn act(
    state: &AppState,
    caller: &Caller,
    id: i64,
    action: &str,
    pairs: Vec<(String, String)>,
) -> Result<(EventRecord, &'static str), AppError> {
    require_user(caller)?;
    let dir = directory(state).await?;
    let ev = visible(state, caller, &dir, id).await?;
    let code = run_action(state, caller, &dir, &ev, action, &pairs).await?;
    let ev = events::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((ev, code))
}

/// `POST /api/v1/events/{id}/publish`: refused (409, with the reason) while a compliance flag
/// waits for an approval record.
pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let (ev, _) = act(&state, &caller, id, "publish", Vec::new()).await?;
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
    let pairs = vec![
        ("approved_by".to_string(), body.approved_by),
        ("reference".to_string(), body.reference),
        ("approved_on".to_string(), body.approved_on),
    ];
    act(&state, &caller, id, "approval", pairs).await?;
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
    let (ev, _) = act(
        &state,
        &caller,
        id,
        "cancel",
        vec![("reason".into(), body.reason)],
    )
    .await?;
    Ok(Json(json!({"id": id, "status": ev.status.as_str()})))
}

/// `POST /api/v1/events/{id}/held`: marks a published event as held.
pub async fn held(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    let (ev, _) = act(&state, &caller, id, "held", Vec::new()).await?;
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
    let action = if body.close { "close" } else { "summary" };
    let (ev, _) = act(
        &state,
        &caller,
        id,
        action,
        vec![("summary".into(), body.summary)],
    )
    .await?;
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
    let pairs = vec![
        (
            "has_case".to_string(),
            if decl.has_case { "1" } else { "0" }.to_string(),
        ),
        ("case_note".to_string(), decl.case_note.unwrap_or_default()),
    ];
    let (_, code) = act(&state, &caller, id, "register", pairs).await?;
    Ok(Json(json!({"status": code})))
}

/// `DELETE /api/v1/events/{id}/registrations`: cancels the caller's registration; the first on
/// the waitlist moves up.
pub async fn unregister(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Value>, AppError> {
    act(&state, &caller, id, "unregister", Vec::new()).await?;
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
    let ev = visible(&state, &caller, &dir, id).await?;
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
        "checkin",
        vec![("code".into(), body.code)],
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
    let pairs = vec![
        ("user".to_string(), body.user_id.to_string()),
        (
            "attended".to_string(),
            if body.attended { "1" } else { "0" }.to_string(),
        ),
    ];
    act(&state, &caller, id, "attendance", pairs).await?;
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
    let action = if body.accept { "accept" } else { "decline" };
    let (_, code) = act(&state, &caller, id, action, Vec::new()).await?;
    Ok(Json(json!({"invitation": code})))
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
        "remind",
        vec![("unit".into(), body.unit)],
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

fn err(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
}

fn body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The event schemas for the OpenAPI document.
pub fn openapi_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "EventIn",
            json!({"type": "object", "required": ["title", "kind", "starts_at", "ends_at", "venue", "capacity", "registration_deadline", "open_to"], "properties": {
                "title": {"type": "string", "maxLength": 100},
                "kind": {"type": "string", "enum": ["symposium", "seminar", "joint_training", "other"]},
                "agenda": {"type": "string", "maxLength": 5000, "description": "Markdown; sanitised when shown"},
                "venue": {"type": "string", "description": "An official venue's name, or another place (flagged)"},
                "venue_id": {"type": "integer", "nullable": true},
                "starts_at": {"type": "string", "format": "date-time", "description": "RFC 3339, e.g. 2026-12-01T09:00:00+08:00"},
                "ends_at": {"type": "string", "format": "date-time"},
                "capacity": {"type": "integer", "minimum": 1, "maximum": 10000},
                "registration_deadline": {"type": "string", "format": "date-time"},
                "open_to": {"type": "array", "items": {"type": "string"}, "description": "Unit codes whose members may register"},
                "cohosts": {"type": "array", "items": {"type": "string"}, "description": "Association unit codes invited to co-host"}
            }}),
        ),
        (
            "Event",
            json!({"type": "object", "required": ["id", "uid", "sequence", "title", "kind", "status", "venue", "starts_at", "ends_at", "capacity", "registered", "waitlisted", "host", "hosts", "open_to"], "properties": {
                "id": {"type": "integer"}, "uid": {"type": "string"}, "sequence": {"type": "integer"},
                "title": {"type": "string"}, "kind": {"type": "string"},
                "status": {"type": "string", "enum": ["draft", "published", "held", "closed", "cancelled"]},
                "agenda": {"type": "string"}, "venue": {"type": "string"},
                "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                "registration_deadline": {"type": "string", "format": "date-time"},
                "capacity": {"type": "integer"}, "registered": {"type": "integer"}, "waitlisted": {"type": "integer"},
                "host": {"type": "string"}, "hosts": {"type": "array", "items": {"type": "string"}},
                "open_to": {"type": "array", "items": {"type": "string"}},
                "cancel_reason": {"type": "string"}, "summary": {"type": "string"},
                "flags": {"type": "array", "items": {"type": "string", "enum": ["outside_working_hours", "non_official_venue", "venue_overlap"]}},
                "invitations": {"type": "array", "items": {"type": "object"}},
                "my_registration": {"type": "object", "nullable": true}
            }}),
        ),
    ]
}

/// The event paths for the OpenAPI document.
pub fn openapi_paths() -> Vec<(&'static str, Value)> {
    let event = json!({"$ref": "#/components/schemas/Event"});
    let status_obj = json!({"type": "object", "properties": {"id": {"type": "integer"}, "status": {"type": "string"}}});
    vec![
        (
            "/events",
            json!({
                "get": {"summary": "Published exchange events that have not ended", "security": [],
                    "responses": {"200": ok("Events", json!({"type": "array", "items": event}))}},
                "post": {"summary": "Create a draft event (a coordinator of an association; the host is the caller's association)",
                    "requestBody": body(json!({"$ref": "#/components/schemas/EventIn"})),
                    "responses": {"200": ok("Created", json!({"type": "object", "required": ["id", "flags"], "properties": {"id": {"type": "integer"}, "status": {"type": "string"}, "flags": {"type": "array", "items": {"type": "string"}}, "needs_approval": {"type": "boolean"}}})),
                        "400": err("Malformed request"), "401": err("Not signed in"), "404": err("Not a coordinator"), "422": err("Invalid fields")}}
            }),
        ),
        (
            "/events/{id}",
            json!({
                "get": {"summary": "One event (drafts only for their hosts)", "parameters": id_param(),
                    "responses": {"200": ok("Event", event.clone()), "404": err("Not found")}},
                "put": {"summary": "Edit a draft or published event (the host's coordinators); registrants are told of a new time or venue", "parameters": id_param(),
                    "requestBody": body(json!({"$ref": "#/components/schemas/EventIn"})),
                    "responses": {"200": ok("Saved", json!({"type": "object", "properties": {"id": {"type": "integer"}, "flags": {"type": "array", "items": {"type": "string"}}}})),
                        "401": err("Not signed in"), "404": err("Not found"), "409": err("Not editable"), "422": err("Invalid fields")}}
            }),
        ),
        (
            "/events/{id}/publish",
            json!({"post": {"summary": "Publish a draft; refused while a compliance flag needs an approval record", "parameters": id_param(),
            "responses": {"200": ok("Published", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Refused, with the reason")}}}),
        ),
        (
            "/events/{id}/approval",
            json!({"post": {"summary": "Record the approval of a flagged event", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["approved_by", "reference", "approved_on"], "properties": {"approved_by": {"type": "string", "maxLength": 100}, "reference": {"type": "string", "maxLength": 100}, "approved_on": {"type": "string", "format": "date"}}})),
            "responses": {"200": ok("Recorded", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not editable"), "422": err("Invalid fields")}}}),
        ),
        (
            "/events/{id}/cancel",
            json!({"post": {"summary": "Cancel with a reason; everyone registered is notified", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 300}}})),
            "responses": {"200": ok("Cancelled", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Cannot be cancelled"), "422": err("Invalid reason")}}}),
        ),
        (
            "/events/{id}/held",
            json!({"post": {"summary": "Mark a published event as held (after it starts)", "parameters": id_param(),
            "responses": {"200": ok("Held", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not yet")}}}),
        ),
        (
            "/events/{id}/summary",
            json!({"post": {"summary": "The public summary of a held event; close=true closes it", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["summary"], "properties": {"summary": {"type": "string", "maxLength": 2000}, "close": {"type": "boolean"}}})),
            "responses": {"200": ok("Saved", status_obj), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not held"), "422": err("Invalid summary")}}}),
        ),
        (
            "/events/{id}/registrations",
            json!({
                "post": {"summary": "Register the caller: a place while there is one, else the waitlist", "parameters": id_param(),
                    "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"has_case": {"type": "boolean"}, "case_note": {"type": "string", "maxLength": 500}}}}}},
                    "responses": {"200": ok("Placed", json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["registered", "waitlisted"]}}})),
                        "401": err("Not signed in"), "404": err("Not found"), "409": err("Closed, not open to the caller's unit, or not published"), "422": err("Invalid declaration")}},
                "delete": {"summary": "Cancel the caller's registration; the waitlist moves up in order", "parameters": id_param(),
                    "responses": {"200": ok("Cancelled", json!({"type": "object", "properties": {"status": {"type": "string"}}})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not registered")}},
                "get": {"summary": "Registrations with declarations (the host's coordinators)", "parameters": id_param(),
                    "responses": {"200": ok("Registrations", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found")}}
            }),
        ),
        (
            "/events/{id}/checkin",
            json!({"post": {"summary": "Check in with the code shown at the venue", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}})),
            "responses": {"200": ok("Checked in", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Wrong code, outside the window, or no place")}}}),
        ),
        (
            "/events/{id}/attendance",
            json!({"post": {"summary": "Mark a registered member's attendance (the host's coordinators)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["user_id", "attended"], "properties": {"user_id": {"type": "integer"}, "attended": {"type": "boolean"}}})),
            "responses": {"200": ok("Marked", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No place or not open")}}}),
        ),
        (
            "/events/{id}/invitation",
            json!({"post": {"summary": "Accept or decline the invitation to co-host (a coordinator of the invited association)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["accept"], "properties": {"accept": {"type": "boolean"}}})),
            "responses": {"200": ok("Answered", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No pending invitation")}}}),
        ),
        (
            "/events/{id}/invitations/remind",
            json!({"post": {"summary": "Remind an invited association (the host's coordinators)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["unit"], "properties": {"unit": {"type": "string"}}})),
            "responses": {"200": ok("Reminded", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No pending invitation")}}}),
        ),
        (
            "/notifications",
            json!({"get": {"summary": "The caller's latest notifications and unread count",
            "responses": {"200": ok("Notifications", json!({"type": "object", "properties": {"unread": {"type": "integer"}, "notifications": {"type": "array", "items": {"type": "object"}}}})), "401": err("Not signed in")}}}),
        ),
        (
            "/notifications/read",
            json!({"post": {"summary": "Mark all notifications read",
            "responses": {"200": ok("Marked", json!({"type": "object", "properties": {"marked": {"type": "integer"}}})), "401": err("Not signed in")}}}),
        ),
        (
            "/exchanges",
            json!({"get": {"summary": "The public register of held exchanges (participants by kind of unit, no names)", "security": [],
            "parameters": [{"name": "association", "in": "query", "required": false, "schema": {"type": "string"}}, {"name": "year", "in": "query", "required": false, "schema": {"type": "string"}}],
            "responses": {"200": ok("Register", json!({"type": "array", "items": {"type": "object"}}))}}}),
        ),
    ]
}
