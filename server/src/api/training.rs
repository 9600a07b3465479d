//! `/api/v1/courses`, `/api/v1/quizzes/{id}/attempts`, `/api/v1/attempts/{id}/…`: the course
//! and quiz contract of interfaces.md.
//!
//! An attempt's questions are built from the catalogue field by field (id, kind, prompt,
//! scenario, option id and text), so the right answers and the explanations cannot slip into a
//! response before submission. The review after submission carries them.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use domain::training::{score_question, Course};
use serde::{Deserialize, Serialize};
use store::attempts::{self, Answers, Attempt, Mode, StartRefused, SubmitRefused};
use store::sessions::Caller;

use super::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize)]
pub struct QuizSummary {
    id: String,
    questions: u32,
    pass_mark: u32,
    max_attempts: u32,
    cooldown_minutes: u32,
    time_limit_minutes: Option<u32>,
}

#[derive(Serialize)]
pub struct CourseSummary {
    id: String,
    title_zh: String,
    title_en: String,
    lessons: usize,
    validity_months: u32,
    quiz: QuizSummary,
}

/// `GET /api/v1/courses` (public): every course with its quiz.
pub async fn courses(State(state): State<AppState>) -> Json<Vec<CourseSummary>> {
    Json(
        state
            .courses
            .courses
            .iter()
            .map(|c| {
                let c = &c.course;
                CourseSummary {
                    id: c.id.clone(),
                    title_zh: c.title_zh.clone(),
                    title_en: c.title_en.clone(),
                    lessons: c.lessons.len(),
                    validity_months: c.validity_months,
                    quiz: QuizSummary {
                        id: c.quiz.id.clone(),
                        questions: c.quiz.draw,
                        pass_mark: c.quiz.pass_mark,
                        max_attempts: c.quiz.max_attempts,
                        cooldown_minutes: c.quiz.cooldown_minutes,
                        time_limit_minutes: c.quiz.time_limit_minutes,
                    },
                }
            })
            .collect(),
    )
}

#[derive(Serialize)]
pub struct OptionOut {
    id: String,
    text: String,
    text_en: String,
}

#[derive(Serialize)]
pub struct QuestionOut {
    id: String,
    kind: &'static str,
    prompt: String,
    prompt_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario_en: Option<String>,
    options: Vec<OptionOut>,
}

#[derive(Serialize)]
pub struct AttemptOut {
    attempt_id: i64,
    resumed: bool,
    started_at: i64,
    /// When answers stop counting (Unix ms), if the quiz has a time limit.
    deadline: Option<i64>,
    questions: Vec<QuestionOut>,
    /// Answers saved so far (the learner's own choices).
    answers: Answers,
}

/// The questions of `attempt` as the learner sees them: no right answers, no explanations.
pub fn questions_out(course: &Course, attempt: &Attempt) -> Vec<QuestionOut> {
    attempt
        .question_ids
        .iter()
        .zip(&attempt.option_orders)
        .filter_map(|(qid, order)| {
            let q = course.question(qid)?;
            Some(QuestionOut {
                id: q.id.clone(),
                kind: q.kind.as_str(),
                prompt: q.prompt_zh.clone(),
                prompt_en: q.prompt_en.clone(),
                scenario: q.scenario_zh.clone(),
                scenario_en: q.scenario_en.clone(),
                options: order
                    .iter()
                    .filter_map(|oid| q.option(oid))
                    .map(|o| OptionOut {
                        id: o.id.clone(),
                        text: o.text_zh.clone(),
                        text_en: o.text_en.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn signed_in(caller: &Caller) -> Result<i64, AppError> {
    caller
        .user()
        .map(|u| u.id)
        .ok_or_else(|| AppError::Unauthorized("请先登录 / sign in first".into()))
}

/// The refusal of a start as an API error.
pub fn start_error(e: StartRefused) -> AppError {
    match e {
        StartRefused::UnknownQuiz => AppError::NotFound,
        StartRefused::NoAttemptsLeft(n) => AppError::Conflict(format!(
            "{n} 次测验机会已用完 / all {n} attempts have been used"
        )),
        StartRefused::CoolingDown(until) => {
            let m = (until - store::now_ms() + 59_999).max(0) / 60_000;
            AppError::TooManyRequests(format!(
                "请 {m} 分钟后再测 / wait {m} minutes before the next attempt"
            ))
        }
        StartRefused::NoMistakes => {
            AppError::Conflict("没有需要练习的错题 / there are no mistakes to practise".into())
        }
        StartRefused::Store(e) => AppError::Store(e),
    }
}

/// The refusal of a submission or save as an API error.
pub fn submit_error(e: SubmitRefused) -> AppError {
    match e {
        SubmitRefused::NotFound => AppError::NotFound,
        SubmitRefused::AlreadySubmitted => {
            AppError::Conflict("本次测验已提交 / this attempt has already been submitted".into())
        }
        SubmitRefused::Invalid(m) => AppError::Unprocessable(m),
        SubmitRefused::Store(e) => AppError::Store(e),
    }
}

/// Starts or resumes an attempt of `mode` for the caller, as the API shows it.
async fn begin(
    state: &AppState,
    caller: &Caller,
    quiz_id: &str,
    mode: Mode,
) -> Result<Json<AttemptOut>, AppError> {
    let user_id = signed_in(caller)?;
    let course = &state
        .courses
        .by_quiz(quiz_id)
        .ok_or(AppError::NotFound)?
        .course;
    let (attempt, resumed) = attempts::start(
        &state.db,
        &state.courses,
        quiz_id,
        mode,
        &caller.actor(),
        user_id,
        store::now_ms(),
    )
    .await
    .map_err(start_error)?;
    Ok(Json(AttemptOut {
        attempt_id: attempt.id,
        resumed,
        started_at: attempt.started_at,
        deadline: attempt.deadline(course),
        questions: questions_out(course, &attempt),
        answers: attempt.answers,
    }))
}

/// `POST /api/v1/quizzes/{id}/attempts` (signed in): resumes the open attempt or starts one.
pub async fn start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
) -> Result<Json<AttemptOut>, AppError> {
    begin(&state, &caller, &quiz_id, Mode::Exam).await
}

/// `POST /api/v1/quizzes/{id}/practice` (signed in): "practise my mistakes", drawn from the
/// questions the learner last answered wrongly; no limit, no certificate. 409 with no mistakes.
pub async fn practice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
) -> Result<Json<AttemptOut>, AppError> {
    begin(&state, &caller, &quiz_id, Mode::Practice).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    answers: Answers,
}

#[derive(Serialize)]
pub struct Saved {
    saved: bool,
}

/// `POST /api/v1/attempts/{id}/answers`: saves answers as the learner goes.
pub async fn save(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswersBody>,
) -> Result<Json<Saved>, AppError> {
    let user_id = signed_in(&caller)?;
    let attempt = attempts::load(&state.db, id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if attempt.submitted_at.is_some() {
        return Err(submit_error(SubmitRefused::AlreadySubmitted));
    }
    let saved = attempts::save_answers(
        &state.db,
        &state.courses,
        &attempt,
        &body.answers,
        store::now_ms(),
    )
    .await
    .map_err(submit_error)?;
    if !saved {
        return Err(AppError::Conflict(
            "已超过时限，答案未保存 / past the time limit: answers not saved".into(),
        ));
    }
    Ok(Json(Saved { saved }))
}

#[derive(Serialize)]
pub struct ReviewOut {
    question_id: String,
    correct: bool,
    points: f64,
    chosen: Vec<String>,
    correct_options: Vec<String>,
    explanation: String,
    explanation_en: String,
    citations: Vec<String>,
}

#[derive(Serialize)]
pub struct SubmitOut {
    attempt_id: i64,
    score: f64,
    max_score: f64,
    passed: bool,
    late: bool,
    review: Vec<ReviewOut>,
    certificate: Option<String>,
}

/// The review of a submitted attempt: per question the right options and the explanation.
pub fn review_out(course: &Course, attempt: &Attempt) -> Vec<ReviewOut> {
    attempt
        .question_ids
        .iter()
        .filter_map(|qid| {
            let q = course.question(qid)?;
            let chosen = attempt.answers.get(qid).cloned().unwrap_or_default();
            let points = score_question(q, &chosen);
            Some(ReviewOut {
                question_id: q.id.clone(),
                correct: points >= 1.0 - 1e-9,
                points,
                chosen,
                correct_options: q.correct_ids().into_iter().map(String::from).collect(),
                explanation: q.explanation_zh.clone(),
                explanation_en: q.explanation_en.clone(),
                citations: q.cites.clone(),
            })
        })
        .collect()
}

/// `POST /api/v1/attempts/{id}/submit`: scores the attempt once; a second submit is a 409.
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswersBody>,
) -> Result<Json<SubmitOut>, AppError> {
    let user_id = signed_in(&caller)?;
    let o = attempts::submit(
        &state.db,
        &state.courses,
        id,
        user_id,
        &body.answers,
        &caller.actor(),
        store::now_ms(),
    )
    .await
    .map_err(submit_error)?;
    let course = &state
        .courses
        .by_quiz(&o.attempt.quiz_id)
        .ok_or(AppError::NotFound)?
        .course;
    Ok(Json(SubmitOut {
        attempt_id: o.attempt.id,
        score: o.score,
        max_score: o.max_score,
        passed: o.passed,
        late: o.late,
        review: review_out(course, &o.attempt),
        certificate: o.certificate,
    }))
}

fn error_response(description: &str) -> serde_json::Value {
    serde_json::json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The OpenAPI description of the training path `path` (listed in `openapi.rs`).
pub fn openapi_path(path: &str) -> serde_json::Value {
    let paths = serde_json::json!({
            "/courses": {"get": {"summary": "List the training courses with their quiz (id, questions drawn per attempt, pass mark)", "security": [],
                "responses": {"200": {"description": "Courses", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["id", "title_zh", "title_en", "lessons", "quiz"], "properties": {
                    "id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"}, "lessons": {"type": "integer"}, "validity_months": {"type": "integer"},
                    "quiz": {"type": "object", "required": ["id", "questions", "pass_mark"], "properties": {"id": {"type": "string"}, "questions": {"type": "integer"}, "pass_mark": {"type": "integer"}, "max_attempts": {"type": "integer"}, "cooldown_minutes": {"type": "integer"}, "time_limit_minutes": {"type": "integer", "nullable": true}}}
                }}}}}}}}},
            "/quizzes/{id}/attempts": {"post": {"summary": "Start an attempt (or resume the open one): a random draw with shuffled options, never the right answers", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The attempt", "content": {"application/json": {"schema": {"type": "object", "required": ["attempt_id", "questions"], "properties": {
                    "attempt_id": {"type": "integer"}, "resumed": {"type": "boolean"}, "started_at": {"type": "integer"}, "deadline": {"type": "integer", "nullable": true},
                    "answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    "questions": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "prompt", "options"], "properties": {
                        "id": {"type": "string"}, "kind": {"type": "string", "enum": ["single", "multiple", "true_false", "scenario"]}, "prompt": {"type": "string"}, "prompt_en": {"type": "string"},
                        "scenario": {"type": "string"}, "scenario_en": {"type": "string"},
                        "options": {"type": "array", "items": {"type": "object", "required": ["id", "text"], "properties": {"id": {"type": "string"}, "text": {"type": "string"}, "text_en": {"type": "string"}}}}
                    }}}
                }}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such quiz"), "409": error_response("All attempts used"), "429": error_response("Cool-down between attempts")}}},
            "/quizzes/{id}/practice": {"post": {"summary": "Practise my mistakes: an attempt drawn from the questions the caller last answered wrongly (no limit, no certificate)", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The practice attempt, shaped like /quizzes/{id}/attempts"}, "401": error_response("Not signed in"), "404": error_response("No such quiz"), "409": error_response("No mistakes to practise")}}},
            "/attempts/{attempt_id}/answers": {"post": {"summary": "Save answers of an open attempt as the learner goes", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "attempt_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}}},
                "responses": {"200": {"description": "Saved"}, "404": error_response("No such attempt of the caller"), "409": error_response("Submitted or past the time limit"), "422": error_response("Unknown question or option")}}},
            "/attempts/{attempt_id}/submit": {"post": {"summary": "Submit an attempt: server-side score and review; a second submit is a 409 and changes nothing", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "attempt_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}}},
                "responses": {"200": {"description": "Score and review", "content": {"application/json": {"schema": {"type": "object", "required": ["score", "max_score", "passed", "review"], "properties": {
                    "attempt_id": {"type": "integer"}, "score": {"type": "number"}, "max_score": {"type": "number"}, "passed": {"type": "boolean"}, "late": {"type": "boolean"},
                    "certificate": {"type": "string", "nullable": true},
                    "review": {"type": "array", "items": {"type": "object", "required": ["question_id", "correct", "correct_options", "explanation", "citations"], "properties": {
                        "question_id": {"type": "string"}, "correct": {"type": "boolean"}, "points": {"type": "number"}, "chosen": {"type": "array", "items": {"type": "string"}},
                        "correct_options": {"type": "array", "items": {"type": "string"}}, "explanation": {"type": "string"}, "explanation_en": {"type": "string"},
                        "citations": {"type": "array", "items": {"type": "string"}}
                    }}}
                }}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such attempt of the caller"), "409": error_response("Already submitted"), "422": error_response("Unknown question or option")}}}
    });
    paths.get(path).cloned().unwrap_or_default()
}
