//! `/api/v1/event-series…` and `/api/v1/exchanges/plan`: the JSON adapter of event series
//! (issue 19). A series is created with the fields of an event (its first occurrence) plus
//! `rule`; its occurrences are ordinary events (`/api/v1/events/{id}`, with `series` set), so
//! one occurrence is published, moved or cancelled there.

use app::refusals::Localize;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use domain::events::{EventKind, EventStatus, Flag};
use domain::series::{self, Frequency, SeriesEnd};
use serde::{Deserialize, Serialize};
use store::events::{EventRecord, PlanCount};
use store::sessions::Caller;
use utoipa::{IntoParams, ToSchema};

use super::series::{self as service, Outcomes, SeriesFields, SeriesView};
use super::service::directory;
use crate::api::{require_user, ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;
use crate::time::rfc3339;

/// One occurrence in a series' answer.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceOut {
    /// The occurrence's event id (`/events/{id}`).
    id: i64,
    #[schema(format = DateTime)]
    starts_at: String,
    #[schema(format = DateTime)]
    ends_at: String,
    status: EventStatus,
    /// For the hosts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<Vec<Flag>>,
    /// Whether a flag still waits for an approval record; for the hosts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    needs_approval: Option<bool>,
}

/// A new series: its id and its occurrences' event ids, in order.
#[derive(Serialize, ToSchema)]
pub struct SeriesCreated {
    id: i64,
    events: Vec<i64>,
    occurrences: Vec<OccurrenceOut>,
}

/// A series with its rule and occurrences.
#[derive(Serialize, ToSchema)]
pub struct SeriesOut {
    id: i64,
    uid: String,
    title: String,
    kind: EventKind,
    host: String,
    venue: String,
    rule: RuleOut,
    /// The RFC 5545 RRULE (with DTSTART in Asia/Shanghai).
    rrule: String,
    occurrences: Vec<OccurrenceOut>,
}

/// A series' recurrence rule as stored: exactly one of `count` and `until` is set, the other
/// is null.
#[derive(Serialize, ToSchema)]
pub struct RuleOut {
    frequency: Frequency,
    /// Every n weeks, months or quarters.
    interval: u32,
    /// Number of occurrences …
    count: Option<u32>,
    /// … or the last day, YYYY-MM-DD (Beijing).
    #[schema(format = Date)]
    until: Option<String>,
}

/// What a whole-series command did per occurrence: `done` ones and `refused` ones with why.
#[derive(Serialize, ToSchema)]
pub struct SeriesOutcome {
    /// The series.
    id: i64,
    done: Vec<OccurrenceDone>,
    refused: Vec<OccurrenceRefused>,
}

/// An occurrence the command was done on.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceDone {
    /// The occurrence's event id.
    id: i64,
    /// What was done (e.g. `saved`, `published`, `cancelled`, `registered`, `waitlisted`).
    status: String,
}

/// An occurrence the command was refused on.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceRefused {
    /// The occurrence's event id.
    id: i64,
    /// Why, `中文 / English`.
    reason: String,
}

fn occurrence(ev: &EventRecord, manager: bool) -> OccurrenceOut {
    OccurrenceOut {
        id: ev.id,
        starts_at: rfc3339(ev.starts_at),
        ends_at: rfc3339(ev.ends_at),
        status: ev.status,
        flags: manager.then(|| ev.flags.clone()),
        needs_approval: manager
            .then(|| ev.approval.is_none() && ev.flags.iter().any(|f| f.needs_approval())),
    }
}

fn rule_out(view: &SeriesView) -> RuleOut {
    let r = &view.series.rule;
    let (count, until) = match r.end {
        SeriesEnd::Count(n) => (Some(n), None),
        SeriesEnd::Until(d) => (None, Some(d.to_string())),
    };
    RuleOut {
        frequency: r.frequency,
        interval: r.interval,
        count,
        until,
    }
}

fn outcome(id: i64, outcomes: &Outcomes) -> SeriesOutcome {
    let mut done = Vec::new();
    let mut refused = Vec::new();
    for (event, result) in outcomes {
        match result {
            Ok(d) => done.push(OccurrenceDone {
                id: *event,
                status: d.code().to_string(),
            }),
            Err(r) => refused.push(OccurrenceRefused {
                id: *event,
                reason: r.both(),
            }),
        }
    }
    SeriesOutcome { id, done, refused }
}

/// `POST /api/v1/event-series` (a coordinator of an association): a series of draft events.
#[utoipa::path(post, path = "/event-series",
    summary = "Create a series of draft events from a recurrence rule (a coordinator of an association)",
    request_body = SeriesFields,
    responses((status = 200, description = "Created", body = SeriesCreated),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Not a coordinator"),
    (status = 422, description = "Invalid fields or rule")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(fields): ApiJson<SeriesFields>,
) -> Result<Json<SeriesCreated>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let (id, made) = service::create(&state, &caller, &dir, &fields).await?;
    let view = service::find_managed(&state, &caller, &dir, id).await?;
    Ok(Json(SeriesCreated {
        id,
        events: made.iter().map(|m| m.0).collect(),
        occurrences: view
            .occurrences
            .iter()
            .map(|ev| occurrence(ev, true))
            .collect(),
    }))
}

/// `GET /api/v1/event-series/{id}`: the rule and the occurrences the caller may see.
#[utoipa::path(get, path = "/event-series/{id}",
    summary = "A series, its rule and its occurrences (drafts only for its hosts)",
    params(("id" = i64, Path, description = "The series' id.")), responses((status = 200, description = "Series", body = SeriesOut)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SeriesOut>, AppError> {
    let dir = directory(&state).await?;
    let view = service::find_visible(&state, &caller, &dir, id).await?;
    let s = &view.series;
    Ok(Json(SeriesOut {
        id: s.id,
        uid: s.uid.clone(),
        title: s.title.clone(),
        kind: s.kind,
        host: s.host_unit.clone(),
        venue: s.venue.clone(),
        rule: rule_out(&view),
        rrule: series::rrule(&s.rule, s.first_start),
        occurrences: view
            .occurrences
            .iter()
            .map(|ev| occurrence(ev, view.manager))
            .collect(),
    }))
}

/// `PUT /api/v1/event-series/{id}`: edits every occurrence not yet started.
#[utoipa::path(put, path = "/event-series/{id}",
    summary = "Edit every occurrence not yet started (title, kind, agenda, venue, places, units); times stay",
    params(("id" = i64, Path, description = "The series' id.")), request_body(content = super::service::EventFields,
    description = "An event's fields; any times given are ignored (each occurrence keeps its own)"),
    responses((status = 200, description = "Per occurrence", body = SeriesOutcome)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<super::service::EventFields>,
) -> Result<Json<SeriesOutcome>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let outcomes = service::edit(&state, &caller, &dir, id, &body).await?;
    Ok(Json(outcome(id, &outcomes)))
}

/// `POST /api/v1/event-series/{id}/publish`: publishes each draft occurrence that may be
/// published; one that needs an approval is listed under `refused` with the reason.
#[utoipa::path(post, path = "/event-series/{id}/publish",
    summary = "Publish the series' draft occurrences; those waiting for an approval are refused one by one",
    params(("id" = i64, Path, description = "The series' id.")), responses((status = 200, description = "Per occurrence", body = SeriesOutcome)))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SeriesOutcome>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let outcomes = service::publish(&state, &caller, &dir, id).await?;
    Ok(Json(outcome(id, &outcomes)))
}

#[derive(Deserialize, ToSchema)]
pub struct SeriesReasonIn {
    #[schema(max_length = 300)]
    reason: String,
}

/// `POST /api/v1/event-series/{id}/cancel`: cancels every occurrence not yet started.
#[utoipa::path(post, path = "/event-series/{id}/cancel",
    summary = "Cancel every occurrence not yet started; registrants are notified",
    params(("id" = i64, Path, description = "The series' id.")), request_body = SeriesReasonIn,
    responses((status = 200, description = "Per occurrence", body = SeriesOutcome)))]
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SeriesReasonIn>,
) -> Result<Json<SeriesOutcome>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let outcomes = service::cancel(&state, &caller, &dir, id, &body.reason).await?;
    Ok(Json(outcome(id, &outcomes)))
}

/// `POST /api/v1/event-series/{id}/registrations`: registers the caller for every upcoming
/// published occurrence, each on its own.
#[utoipa::path(post, path = "/event-series/{id}/registrations",
    summary = "Register the caller for all upcoming occurrences (each separately)",
    params(("id" = i64, Path, description = "The series' id.")), responses((status = 200, description = "Per occurrence", body = SeriesOutcome)))]
pub async fn register_all(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SeriesOutcome>, AppError> {
    require_user(&caller)?;
    let dir = directory(&state).await?;
    let outcomes = service::register_all(&state, &caller, &dir, id).await?;
    Ok(Json(outcome(id, &outcomes)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The year (Beijing time); this year by default (or when not a year 2000–2100).
    year: Option<String>,
}

/// `GET /api/v1/exchanges/plan` (public): per association, exchanges planned and held in a year.
#[utoipa::path(get, path = "/exchanges/plan",
    summary = "Per association, exchanges planned (published) and held in a year",
    security(()), params(PlanQuery),
    responses((status = 200, description = "Plan figures", body = Vec<PlanCount>)))]
pub async fn plan(
    State(state): State<AppState>,
    Query(q): Query<PlanQuery>,
) -> Result<Json<Vec<PlanCount>>, AppError> {
    let year = q
        .year
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| domain::events::local_date(store::now_ms()).year);
    Ok(Json(store::events::plan_counts(&state.db, year).await?))
}
