//! `/api/v1/courses`, `/api/v1/quizzes/{id}/attempts`, `/api/v1/attempts/{id}/…`: the course
//! and quiz contract of interfaces.md. A thin adapter: JSON bodies become the service's
//! commands ([`StartAttempt`], [`Answering`]), and refusals are worded by `app::refusals`
//! (`中文 / English`), the variant deciding the status.
//!
//! An attempt's questions are built from the catalogue field by field (id, kind, prompt,
//! scenario, option id and text), so the right answers and the explanations cannot slip into a
//! response before submission. The review after submission carries them.

use app::refusals::{Localize, StartError};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use domain::training::{Course, StartRefusal};
use serde::{Deserialize, Serialize};
use store::attempts::{Answers, Attempt, Mode};
use store::sessions::Caller;
use utoipa::ToSchema;

use super::service::{self, Answering, StartAttempt, TrainingError};
use crate::api::codes;
use crate::api::require_user;
use crate::api::{ApiJson, ApiPath};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;

impl From<TrainingError> for AppError {
    fn from(e: TrainingError) -> Self {
        match e {
            TrainingError::NotFound => AppError::NotFound,
            TrainingError::Start(refusal) => {
                let words = StartError {
                    refusal,
                    now: store::now_ms(),
                };
                let status = match refusal {
                    StartRefusal::CoolingDown(_) => StatusCode::TOO_MANY_REQUESTS,
                    _ => StatusCode::CONFLICT,
                };
                AppError::Refused(crate::error::Refusal {
                    status,
                    code: codes::derive("training.start", &format!("{refusal:?}"), None),
                    field: None,
                    message: words.both(),
                })
            }
            TrainingError::Attempt(r) => {
                let status = if r.is_invalid_input() {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::CONFLICT
                };
                AppError::of(status, "training.attempt", &r, None)
            }
            TrainingError::Assignment(r) => AppError::of(
                StatusCode::UNPROCESSABLE_ENTITY,
                "training.assignment",
                &r,
                None,
            ),
            TrainingError::Store(e) => AppError::Store(e),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuizSummary {
    id: String,
    questions: u32,
    pass_mark: u32,
    max_attempts: u32,
    cooldown_minutes: u32,
    time_limit_minutes: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CourseSummary {
    id: String,
    title_zh: String,
    title_en: String,
    lessons: usize,
    validity_months: u32,
    quiz: QuizSummary,
}

/// `GET /api/v1/courses` (public): every course with its quiz.
#[utoipa::path(get, path = "/courses",
    summary = "List the training courses with their quiz (id, questions drawn per attempt, pass mark)",
    security(()), responses((status = 200, description = "Courses", body = Vec<CourseSummary>)))]
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

#[derive(Serialize, ToSchema)]
pub struct OptionOut {
    /// This attempt's token for the option: random, different in every attempt; answers name
    /// options by it.
    id: String,
    text: String,
    text_en: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionOut {
    id: String,
    #[schema(value_type = domain::training::QuestionKind)]
    kind: &'static str,
    prompt: String,
    prompt_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario_en: Option<String>,
    options: Vec<OptionOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptOut {
    attempt_id: i64,
    resumed: bool,
    started_at: i64,
    /// When answers stop counting (Unix ms), if the quiz has a time limit.
    deadline: Option<i64>,
    questions: Vec<QuestionOut>,
    /// Answers saved so far (the learner's own choices, as this attempt's option tokens).
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    answers: Answers,
}

/// The questions of `attempt` as the learner sees them: no right answers, no explanations.
fn questions_out(course: &Course, attempt: &Attempt) -> Vec<QuestionOut> {
    service::drawn(course, attempt)
        .map(|(q, options)| QuestionOut {
            id: q.id.clone(),
            kind: q.kind.as_str(),
            prompt: q.prompt_zh.clone(),
            prompt_en: q.prompt_en.clone(),
            scenario: q.scenario_zh.clone(),
            scenario_en: q.scenario_en.clone(),
            options: options
                .iter()
                .map(|(o, token)| OptionOut {
                    id: token.to_string(),
                    text: o.text_zh.clone(),
                    text_en: o.text_en.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Starts or resumes an attempt of `mode` for the caller, as the API shows it.
async fn begin(
    state: &AppState,
    caller: &Caller,
    quiz: &str,
    mode: Mode,
) -> Result<Json<AttemptOut>, AppError> {
    require_user(caller)?;
    let started = service::start(state, caller, StartAttempt { quiz, mode }).await?;
    let (course, attempt) = (started.course, started.attempt);
    Ok(Json(AttemptOut {
        attempt_id: attempt.id,
        resumed: started.resumed,
        started_at: attempt.started_at,
        deadline: attempt.deadline(course),
        questions: questions_out(course, &attempt),
        answers: attempt.answers_as_tokens(&attempt.answers),
    }))
}

/// `POST /api/v1/quizzes/{id}/attempts` (signed in): resumes the open attempt or starts one.
#[utoipa::path(post, path = "/quizzes/{id}/attempts",
    summary = "Start an attempt (or resume the open one): a random draw with shuffled options, never the right answers",
    params(("id" = String, Path, description = "The quiz's id")),
    responses((status = 200, description = "The attempt", body = AttemptOut),
    (status = 404, description = "No such quiz"), (status = 409, description = "All attempts used"),
    (status = 429, description = "Cool-down between attempts")))]
pub async fn start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
) -> Result<Json<AttemptOut>, AppError> {
    begin(&state, &caller, &quiz_id, Mode::Exam).await
}

/// `POST /api/v1/quizzes/{id}/practice` (signed in): "practise my mistakes", drawn from the
/// questions the learner last answered wrongly; no limit, no certificate. 409 with no mistakes.
#[utoipa::path(post, path = "/quizzes/{id}/practice",
    summary = "Practise my mistakes: an attempt drawn from the questions the caller last answered wrongly (no limit, no certificate)",
    params(("id" = String, Path, description = "The quiz's id")),
    responses((status = 200, description = "The practice attempt, shaped like /quizzes/{id}/attempts", body = AttemptOut),
    (status = 404, description = "No such quiz"),
    (status = 409, description = "No mistakes to practise")))]
pub async fn practice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
) -> Result<Json<AttemptOut>, AppError> {
    begin(&state, &caller, &quiz_id, Mode::Practice).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    /// Question id → the chosen options, by this attempt's tokens (`options[].id`).
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    answers: Answers,
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    saved: bool,
}

/// `POST /api/v1/attempts/{id}/answers`: saves answers as the learner goes.
#[utoipa::path(post, path = "/attempts/{attempt_id}/answers",
    summary = "Save answers of an open attempt as the learner goes",
    params(("attempt_id" = i64, Path, description = "The attempt's id")),
    request_body = AnswersBody, responses((status = 200, description = "Saved", body = Saved),
    (status = 404, description = "No such attempt of the caller"),
    (status = 409, description = "Submitted or past the time limit"),
    (status = 422, description = "Unknown question or option")))]
pub async fn save(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswersBody>,
) -> Result<Json<Saved>, AppError> {
    require_user(&caller)?;
    service::save(&state, &caller, answering(id, body)).await?;
    Ok(Json(Saved { saved: true }))
}

/// The answers of a body for attempt `id`: a question they do not name keeps its saved answer.
fn answering(id: i64, body: AnswersBody) -> Answering {
    Answering {
        attempt: id,
        answers: body.answers,
        whole_form: false,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewOut {
    question_id: String,
    correct: bool,
    points: f64,
    /// The options chosen, by this attempt's tokens.
    chosen: Vec<String>,
    /// The right options, by this attempt's tokens.
    correct_options: Vec<String>,
    explanation: String,
    explanation_en: String,
    citations: Vec<String>,
}

#[derive(Serialize, ToSchema)]
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
fn review_out(course: &Course, attempt: &Attempt) -> Vec<ReviewOut> {
    service::reviewed(course, attempt)
        .map(|r| {
            let q = r.question;
            let tokens = |ids: &mut dyn Iterator<Item = &str>| -> Vec<String> {
                ids.filter_map(|o| attempt.token_of(&q.id, o).map(String::from))
                    .collect()
            };
            ReviewOut {
                question_id: q.id.clone(),
                correct: r.correct,
                points: r.points,
                chosen: tokens(&mut r.chosen.iter().map(String::as_str)),
                correct_options: tokens(&mut q.correct_ids().into_iter()),
                explanation: q.explanation_zh.clone(),
                explanation_en: q.explanation_en.clone(),
                citations: q.cites.clone(),
            }
        })
        .collect()
}

/// `POST /api/v1/attempts/{id}/submit`: scores the attempt once; a second submit is a 409.
#[utoipa::path(post, path = "/attempts/{attempt_id}/submit",
    summary = "Submit an attempt: server-side score and review; a second submit is a 409 and changes nothing",
    params(("attempt_id" = i64, Path, description = "The attempt's id")),
    request_body = AnswersBody,
    responses((status = 200, description = "Score and review", body = SubmitOut),
    (status = 404, description = "No such attempt of the caller"),
    (status = 409, description = "Already submitted"),
    (status = 422, description = "Unknown question or option")))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswersBody>,
) -> Result<Json<SubmitOut>, AppError> {
    require_user(&caller)?;
    let submitted = service::submit(&state, &caller, answering(id, body)).await?;
    let o = submitted.outcome;
    Ok(Json(SubmitOut {
        attempt_id: o.attempt.id,
        score: o.score,
        max_score: o.max_score,
        passed: o.passed,
        late: o.late,
        review: review_out(submitted.course, &o.attempt),
        certificate: o.certificate,
    }))
}
