//! `/api/v1/assignments`: the signed-in member's required courses, and for a training
//! administrator the assignments of their unit with completion counts; creating, moving the
//! due date of and deleting the unit's assignments: the service's [`AssignmentCommand`]s, as
//! the `/training-admin` forms run them. An assignment of another unit is a 404, as on the
//! pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::attempts::{self, Target};
use store::sessions::Caller;
use store::users::User;
use utoipa::ToSchema;

use super::labels::{course_title, date};
use super::service::{self, administered_unit, unit_progress, AssignmentCommand, Standing};
use crate::api::require_user;
use crate::api::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RequiredOut {
    course_id: String,
    title_zh: String,
    title_en: String,
    due_at: i64,
    /// The due date (Beijing), `yyyy-mm-dd`.
    #[schema(format = Date)]
    due: String,
    /// `done`, `pending` or `overdue`.
    status: Standing,
    /// The verification code of the valid certificate, when done.
    certificate: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    id: i64,
    login: String,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentOut {
    id: i64,
    unit: String,
    course_id: String,
    /// `unit`, `role:<role>`, `people`, or (Art. 11) `district_lawyers` or `firm:<unit code>`.
    target: String,
    /// The people of a `people` target.
    people: Vec<PersonOut>,
    /// Unix ms, end of the due day in Beijing.
    due_at: i64,
    #[schema(format = Date)]
    due: String,
    created_at: i64,
    /// People it applies to now (wherever they are: lawyers for Art. 11), and of those
    /// completed / overdue.
    assigned: usize,
    completed: usize,
    overdue: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ListOut {
    unit: Option<String>,
    required: Vec<RequiredOut>,
    /// Training administrators only: the unit's assignments.
    #[serde(skip_serializing_if = "Option::is_none")]
    assignments: Option<Vec<AssignmentOut>>,
}

/// The caller's unit, if they are its training administrator; otherwise 401 or 404.
fn trainer(caller: &Caller) -> Result<(&User, String), AppError> {
    require_user(caller)?;
    administered_unit(caller)
        .map(|(user, unit)| (user, unit.to_string()))
        .ok_or(AppError::NotFound)
}

/// The unit's assignments with their counts (three queries however many there are).
async fn unit_assignments(state: &AppState, unit: &str) -> Result<Vec<AssignmentOut>, AppError> {
    let progress = unit_progress(state, unit).await?;
    Ok(progress
        .assignments
        .iter()
        .map(|(a, learners)| {
            let n = |s: Standing| learners.iter().filter(|l| l.standing == s).count();
            // The enabled people of a `people` target are its learners.
            let people = match &a.target {
                Target::People(_) => learners
                    .iter()
                    .map(|l| PersonOut {
                        id: l.member.id,
                        login: l.member.login.clone(),
                        name: l.member.display_name.clone(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            AssignmentOut {
                id: a.id,
                unit: a.unit_code.clone(),
                course_id: a.course_id.clone(),
                target: a.target.code(),
                people,
                due_at: a.due_at,
                due: date(a.due_at),
                created_at: a.created_at,
                assigned: learners.len(),
                completed: n(Standing::Done),
                overdue: n(Standing::Overdue),
            }
        })
        .collect())
}

async fn one(state: &AppState, unit: &str, id: i64) -> Result<AssignmentOut, AppError> {
    unit_assignments(state, unit)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

/// `GET /api/v1/assignments` (signed in).
#[utoipa::path(get, path = "/assignments",
    summary = "The caller's required courses with due dates and status; for a unit's training administrator also the unit's assignments with completion counts",
    responses((status = 200, description = "Required courses and assignments", body = ListOut)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ListOut>, AppError> {
    let user = require_user(&caller)?;
    let now = store::now_ms();
    let (due, certs) = tokio::try_join!(
        attempts::required_courses(&state.db, user.id),
        attempts::certificates_of(&state.db, user.id)
    )?;
    let required = due
        .into_iter()
        .map(|(course_id, due_at)| {
            let cert = certs.get(&course_id);
            let standing = Standing::of(cert.map(|c| c.2), due_at, now);
            let title = course_title(&state, &course_id);
            RequiredOut {
                status: standing,
                certificate: cert
                    .filter(|_| standing == Standing::Done)
                    .map(|(code, ..)| code.clone()),
                due: date(due_at),
                course_id,
                title_zh: title.zh,
                title_en: title.en,
                due_at,
            }
        })
        .collect();
    let assignments = match administered_unit(&caller) {
        Some((_, unit)) => Some(unit_assignments(&state, unit).await?),
        None => None,
    };
    Ok(Json(ListOut {
        unit: user.unit_code.clone(),
        required,
        assignments,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    course_id: String,
    /// `unit`, `role:<role>` (admin, training_admin, lead_handler, coordinator, member) or
    /// `people`; for the training administrators of the district justice bureau and lawyers'
    /// association (Art. 11) also `district_lawyers` (every lawyer of a law firm registered in
    /// the district) or `firm:<unit code>` (one firm's lawyers).
    target: String,
    /// User ids of the unit (or, Art. 11, district lawyers), for target `people`.
    #[serde(default)]
    people: Vec<i64>,
    /// `yyyy-mm-dd` (due at the end of that day, Beijing time).
    #[schema(format = Date)]
    due: String,
}

/// `POST /api/v1/assignments` (a training administrator): assigns a course in their unit.
#[utoipa::path(post, path = "/assignments",
    summary = "Assign a course to the caller's unit, a role in it or selected people, or (Art. 11, district justice bureau and lawyers' association) to the district's lawyers or one firm's, with a due date (training administrators)",
    request_body = CreateBody,
    responses((status = 201, description = "Created", body = AssignmentOut),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Not a training administrator"),
    (status = 422, description = "Unknown course, person outside the unit, unknown target, lawyers chosen by a unit that does not train them, or bad date")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response, AppError> {
    let (_, unit) = trainer(&caller)?;
    let command = AssignmentCommand::Create {
        course: body.course_id,
        target: body.target,
        people: body.people,
        due: body.due,
    };
    let id = service::run_assignment(&state, &caller, command).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &unit, id).await?)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// The new due date, `yyyy-mm-dd`.
    #[schema(format = Date)]
    due: String,
}

/// `PATCH /api/v1/assignments/{id}`: moves the due date.
#[utoipa::path(patch, path = "/assignments/{id}",
    summary = "Move the due date of an assignment of the caller's unit",
    params(("id" = i64, Path, description = "The assignment's id")), request_body = PatchBody,
    responses((status = 200, description = "Updated", body = AssignmentOut),
    (status = 404, description = "No such assignment in the caller's unit"),
    (status = 422, description = "Bad date")))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PatchBody>,
) -> Result<Json<AssignmentOut>, AppError> {
    let (_, unit) = trainer(&caller)?;
    let command = AssignmentCommand::SetDue { id, due: body.due };
    service::run_assignment(&state, &caller, command).await?;
    Ok(Json(one(&state, &unit, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    deleted: i64,
}

/// `DELETE /api/v1/assignments/{id}`.
#[utoipa::path(delete, path = "/assignments/{id}",
    summary = "Delete an assignment of the caller's unit",
    params(("id" = i64, Path, description = "The assignment's id")),
    responses((status = 200, description = "Deleted", body = Deleted),
    (status = 404, description = "No such assignment in the caller's unit")))]
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Deleted>, AppError> {
    trainer(&caller)?;
    service::run_assignment(&state, &caller, AssignmentCommand::Delete { id }).await?;
    Ok(Json(Deleted { deleted: id }))
}
