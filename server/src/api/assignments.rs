//! `/api/v1/assignments`: the signed-in member's required courses, and for a training
//! administrator the assignments of their unit with completion counts; creating, moving the
//! due date of and deleting the unit's assignments, with the checks and audit entries of the
//! `/training-admin` forms. An assignment of another unit is a 404, as on the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::attempts;
use store::sessions::Caller;
use store::users::{Role, User};

use super::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;
use crate::training::{check_assignment, due_date, unit_progress};

#[derive(Serialize)]
pub struct RequiredOut {
    course_id: String,
    title_zh: String,
    title_en: String,
    due_at: i64,
    /// The due date (Beijing), `yyyy-mm-dd`.
    due: String,
    /// `done`, `pending` or `overdue`.
    status: &'static str,
    /// The verification code of the valid certificate, when done.
    certificate: Option<String>,
}

#[derive(Serialize)]
pub struct PersonOut {
    id: i64,
    login: String,
    name: String,
}

#[derive(Serialize)]
pub struct AssignmentOut {
    id: i64,
    unit: String,
    course_id: String,
    /// `unit`, `role:<role>` or `people`.
    target: String,
    /// The people of a `people` target.
    people: Vec<PersonOut>,
    due_at: i64,
    due: String,
    created_at: i64,
    /// People it applies to now, and of those completed / overdue.
    assigned: usize,
    completed: usize,
    overdue: usize,
}

#[derive(Serialize)]
pub struct ListOut {
    unit: Option<String>,
    required: Vec<RequiredOut>,
    /// Training administrators only: the unit's assignments.
    #[serde(skip_serializing_if = "Option::is_none")]
    assignments: Option<Vec<AssignmentOut>>,
}

fn signed_in(caller: &Caller) -> Result<&User, AppError> {
    caller
        .user()
        .ok_or_else(|| AppError::Unauthorized("请先登录 / sign in first".into()))
}

/// The caller's unit, if they are its training administrator; otherwise 401 or 404.
fn trainer(caller: &Caller) -> Result<(&User, String), AppError> {
    let user = signed_in(caller)?;
    match (&user.unit_code, user.has(Role::TrainingAdmin)) {
        (Some(unit), true) => Ok((user, unit.clone())),
        _ => Err(AppError::NotFound),
    }
}

fn target_code(t: &attempts::Target) -> String {
    match t {
        attempts::Target::Unit => "unit".into(),
        attempts::Target::Role(r) => format!("role:{}", r.as_str()),
        attempts::Target::People(_) => "people".into(),
    }
}

/// The unit's assignments with their counts (three queries however many there are).
async fn unit_assignments(state: &AppState, unit: &str) -> Result<Vec<AssignmentOut>, AppError> {
    let (members, progress) = unit_progress(state, unit).await?;
    Ok(progress
        .into_iter()
        .map(|(a, rows)| {
            let n = |s: &str| rows.iter().filter(|r| r.1 == s).count();
            let people = match &a.target {
                attempts::Target::People(ids) => members
                    .iter()
                    .filter(|m| ids.contains(&m.id))
                    .map(|m| PersonOut {
                        id: m.id,
                        login: m.login.clone(),
                        name: m.display_name.clone(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            AssignmentOut {
                id: a.id,
                unit: a.unit_code.clone(),
                course_id: a.course_id.clone(),
                target: target_code(&a.target),
                people,
                due_at: a.due_at,
                due: crate::training::date(a.due_at),
                created_at: a.created_at,
                assigned: rows.len(),
                completed: n("done"),
                overdue: n("overdue"),
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
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ListOut>, AppError> {
    let user = signed_in(&caller)?;
    let now = store::now_ms();
    let required = match &user.unit_code {
        Some(unit) => {
            let (due, certs) = tokio::try_join!(
                attempts::required_courses(&state.db, user.id, unit, &user.roles),
                attempts::certificates_of(&state.db, user.id)
            )?;
            due.into_iter()
                .map(|(course_id, due_at)| {
                    let cert = certs
                        .get(&course_id)
                        .filter(|(_, _, expires)| *expires > now)
                        .map(|(code, ..)| code.clone());
                    let (title_zh, title_en) = state
                        .courses
                        .course(&course_id)
                        .map(|lc| (lc.course.title_zh.clone(), lc.course.title_en.clone()))
                        .unwrap_or_else(|| (course_id.clone(), course_id.clone()));
                    RequiredOut {
                        status: match (&cert, now > due_at) {
                            (Some(_), _) => "done",
                            (None, true) => "overdue",
                            (None, false) => "pending",
                        },
                        certificate: cert,
                        due: crate::training::date(due_at),
                        course_id,
                        title_zh,
                        title_en,
                        due_at,
                    }
                })
                .collect()
        }
        None => Vec::new(),
    };
    let assignments = match trainer(&caller) {
        Ok((_, unit)) => Some(unit_assignments(&state, &unit).await?),
        Err(_) => None,
    };
    Ok(Json(ListOut {
        unit: user.unit_code.clone(),
        required,
        assignments,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    course_id: String,
    /// `unit`, `role:<role>` or `people`.
    target: String,
    #[serde(default)]
    people: Vec<i64>,
    /// `yyyy-mm-dd` (due at the end of that day, Beijing time).
    due: String,
}

/// `POST /api/v1/assignments` (a training administrator): assigns a course in their unit.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response, AppError> {
    let (user, unit) = trainer(&caller)?;
    let members = attempts::unit_members(&state.db, &unit).await?;
    let a = check_assignment(
        &state,
        &members,
        &body.course_id,
        &body.target,
        &body.people,
        &body.due,
    )
    .map_err(AppError::Unprocessable)?;
    let id = attempts::assign(
        &state.db,
        &caller.actor(),
        &unit,
        &a.course,
        &a.target,
        a.due_at,
        user.id,
        store::now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(one(&state, &unit, id).await?)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// The new due date, `yyyy-mm-dd`.
    due: String,
}

/// `PATCH /api/v1/assignments/{id}`: moves the due date.
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PatchBody>,
) -> Result<Json<AssignmentOut>, AppError> {
    let (_, unit) = trainer(&caller)?;
    let due = due_date(&body.due).ok_or_else(|| {
        AppError::Unprocessable("请填写截止日期（年-月-日）/ enter a due date (yyyy-mm-dd)".into())
    })?;
    if !attempts::set_due(&state.db, &caller.actor(), &unit, id, due).await? {
        return Err(AppError::NotFound);
    }
    Ok(Json(one(&state, &unit, id).await?))
}

#[derive(Serialize)]
pub struct Deleted {
    deleted: i64,
}

/// `DELETE /api/v1/assignments/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Deleted>, AppError> {
    let (_, unit) = trainer(&caller)?;
    if !attempts::delete_assignment(&state.db, &caller.actor(), &unit, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Json(Deleted { deleted: id }))
}

fn error_response(description: &str) -> serde_json::Value {
    serde_json::json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The OpenAPI description of the assignment paths (listed in `openapi.rs`).
pub fn openapi_path(path: &str) -> serde_json::Value {
    let assignment = serde_json::json!({"type": "object", "required": ["id", "unit", "course_id", "target", "due_at", "due"], "properties": {
        "id": {"type": "integer"}, "unit": {"type": "string"}, "course_id": {"type": "string"},
        "target": {"type": "string", "description": "unit, role:<role> or people"},
        "people": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "name": {"type": "string"}}}},
        "due_at": {"type": "integer", "description": "Unix ms, end of the due day in Beijing"}, "due": {"type": "string", "format": "date"},
        "created_at": {"type": "integer"}, "assigned": {"type": "integer"}, "completed": {"type": "integer"}, "overdue": {"type": "integer"}}});
    let id = serde_json::json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}]);
    let paths = serde_json::json!({
        "/assignments": {
            "get": {"summary": "The caller's required courses with due dates and status; for a unit's training administrator also the unit's assignments with completion counts",
                "responses": {"200": {"description": "Required courses and assignments", "content": {"application/json": {"schema": {"type": "object", "required": ["required"], "properties": {
                    "unit": {"type": "string", "nullable": true},
                    "required": {"type": "array", "items": {"type": "object", "properties": {
                        "course_id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"},
                        "due_at": {"type": "integer"}, "due": {"type": "string", "format": "date"},
                        "status": {"type": "string", "enum": ["done", "pending", "overdue"]}, "certificate": {"type": "string", "nullable": true}}}},
                    "assignments": {"type": "array", "items": assignment.clone()}}}}}},
                    "401": error_response("Not signed in")}},
            "post": {"summary": "Assign a course to the caller's unit, a role in it or selected people of it, with a due date (training administrators)",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["course_id", "target", "due"], "properties": {
                    "course_id": {"type": "string"}, "target": {"type": "string", "description": "unit, role:<role> (admin, training_admin, lead_handler, coordinator, member) or people"},
                    "people": {"type": "array", "items": {"type": "integer"}, "description": "user ids of the unit, for target people"},
                    "due": {"type": "string", "format": "date"}}}}}},
                "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": assignment.clone()}}},
                    "400": error_response("Malformed request"), "401": error_response("Not signed in"), "404": error_response("Not a training administrator"), "422": error_response("Unknown course, person outside the unit, unknown target or bad date")}}
        },
        "/assignments/{id}": {
            "patch": {"summary": "Move the due date of an assignment of the caller's unit", "parameters": id.clone(),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["due"], "properties": {"due": {"type": "string", "format": "date"}}}}}},
                "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": assignment}}},
                    "401": error_response("Not signed in"), "404": error_response("No such assignment in the caller's unit"), "422": error_response("Bad date")}},
            "delete": {"summary": "Delete an assignment of the caller's unit", "parameters": id,
                "responses": {"200": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object", "properties": {"deleted": {"type": "integer"}}}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such assignment in the caller's unit")}}
        }
    });
    paths.get(path).cloned().unwrap_or_default()
}
