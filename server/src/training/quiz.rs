//! The quiz pages: `/quizzes/{quiz}` and `/quizzes/{quiz}/practice` (start pages: a POST
//! button starts an attempt, an open one is offered to continue), their start forms,
//! `/attempts/{id}` (the form of an open attempt, which saves or submits; after submission the
//! review) and `/quizzes/{quiz}/stats` (per-question statistics for training administrators).
//!
//! Only the caller's own attempts are ever shown (anyone else's is the 404 page). Forms post
//! and redirect, so everything works without WebAssembly.

use app::pages::training::{
    Bi, OpenAttempt, QuizForm, QuizQuestion, ReviewItem, ReviewPage, StartPage, StatRow,
    TrainingView,
};
use app::refusals::StartNotice;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corpus::courses::LoadedCourse;
use domain::item_analysis::ItemFlag;
use domain::training::{AttemptRefusal, QuestionKind};
use store::attempts::{self, Answers, Attempt, Mode, Next, StartRefused};

use super::labels::{bi, cite_links, course_href, start_href, worded};
use super::service::{self, Answering, StartAttempt, TrainingError};
use crate::error::AppError;
use crate::page::{redirect, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use crate::time::format_beijing;
use axum::http::StatusCode;

/// The start page of `mode` (`GET /quizzes/{quiz}` and `GET /quizzes/{quiz}/practice`): reads
/// only, so following or prefetching the link never starts or uses up an attempt.
async fn start_page(
    state: &AppState,
    page: &Page,
    quiz_id: &str,
    mode: Mode,
) -> Result<Response, PageError> {
    let lc = state.courses.by_quiz(quiz_id).ok_or(PageError::NotFound)?;
    let user = page.user()?;
    let c = &lc.course;
    let now = store::now_ms();
    let (plan, tries) =
        match attempts::plan_for(&state.db, &state.courses, quiz_id, mode, user.id, now).await {
            Ok(x) => x,
            Err(StartRefused::Store(e)) => return Err(e.into()),
            Err(_) => return Err(PageError::NotFound),
        };
    let open_view = |a: &Attempt, expired: bool| OpenAttempt {
        href: format!("/attempts/{}", a.id),
        deadline: a.deadline(c).map(format_beijing),
        expired,
    };
    let (action, open, refused) = match &plan.next {
        Next::Resume(a) => (None, Some(open_view(a, false)), None),
        Next::Start => (
            Some(format!("{}/start", start_href(c, mode))),
            plan.expired.first().map(|a| open_view(a, true)),
            None,
        ),
        Next::Refused(refusal) => (
            None,
            plan.expired.first().map(|a| open_view(a, true)),
            Some(worded(&StartNotice {
                refusal: *refusal,
                time: format_beijing,
            })),
        ),
    };
    let start = StartPage {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        practice: mode == Mode::Practice,
        action,
        open,
        refused,
        draw: c.quiz.draw,
        pass_mark: c.quiz.pass_mark,
        max_attempts: c.quiz.max_attempts,
        cooldown_minutes: c.quiz.cooldown_minutes,
        time_limit_minutes: c.quiz.time_limit_minutes,
        attempts_used: tries.iter().filter(|a| !a.practice).count(),
        mistakes: attempts::mistakes(c, &tries).len(),
    };
    Ok(view(TrainingView::Start(start)).into_response())
}

/// `GET /quizzes/{quiz}`: the start page of the final quiz.
pub async fn quiz(
    State(state): State<AppState>,
    page: Page,
    Path(quiz_id): Path<String>,
) -> Result<Response, PageError> {
    start_page(&state, &page, &quiz_id, Mode::Exam).await
}

/// `GET /quizzes/{quiz}/practice`: the start page of "practise my mistakes".
pub async fn practice(
    State(state): State<AppState>,
    page: Page,
    Path(quiz_id): Path<String>,
) -> Result<Response, PageError> {
    start_page(&state, &page, &quiz_id, Mode::Practice).await
}

/// Starts (or resumes) an attempt of `mode` and goes to its form; a refusal goes back to the
/// start page, which says why.
async fn begin(
    state: &AppState,
    page: &Page,
    quiz_id: &str,
    mode: Mode,
) -> Result<Response, PageError> {
    let lc = state.courses.by_quiz(quiz_id).ok_or(PageError::NotFound)?;
    let back = start_href(&lc.course, mode);
    if page.caller.user().is_none() {
        // Back to the start page after signing in, not to this form's address.
        return Ok(redirect(&format!(
            "/login?next={}",
            app::layout::encode_component(&back)
        )));
    }
    let command = StartAttempt {
        quiz: quiz_id,
        mode,
    };
    match service::start(state, &page.caller, command).await {
        Ok(started) => Ok(redirect(&format!("/attempts/{}", started.attempt.id))),
        Err(TrainingError::Start(_)) => Ok(redirect(&back)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /quizzes/{quiz}/start`: starts the final quiz (or resumes the open attempt).
pub async fn quiz_start(
    State(state): State<AppState>,
    page: Page,
    Path(quiz_id): Path<String>,
) -> Result<Response, PageError> {
    begin(&state, &page, &quiz_id, Mode::Exam).await
}

/// `POST /quizzes/{quiz}/practice/start`: starts "practise my mistakes" (or resumes it).
pub async fn practice_start(
    State(state): State<AppState>,
    page: Page,
    Path(quiz_id): Path<String>,
) -> Result<Response, PageError> {
    begin(&state, &page, &quiz_id, Mode::Practice).await
}

/// `GET /quizzes/{quiz}/stats`: per-question statistics for training administrators (share
/// answering right, most chosen wrong option, Moodle's facility and discrimination indexes
/// with the questions to review flagged). Anyone else gets the 404 page.
pub async fn stats(
    State(state): State<AppState>,
    page: Page,
    Path(quiz_id): Path<String>,
) -> Result<Response, PageError> {
    let user = page.user()?;
    let lc = state.courses.by_quiz(&quiz_id).ok_or(PageError::NotFound)?;
    if !service::sees_stats(user) {
        return Err(PageError::NotFound);
    }
    let answers = attempts::submitted_answers(&state.db, &quiz_id).await?;
    let c = &lc.course;
    let items = domain::item_analysis::analyse(c, &answers);
    let rows = domain::training::question_stats(c, &answers)
        .into_iter()
        .zip(items)
        .filter_map(|(s, item)| {
            let q = c.question(&s.question_id)?;
            let index = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
            Some(StatRow {
                facility: index(item.facility),
                discrimination: index(item.discrimination),
                flags: item
                    .flags
                    .iter()
                    .map(|f| match f {
                        ItemFlag::NearlyAllRight => bi("几乎人人答对", "nearly everyone right"),
                        ItemFlag::DoesNotDiscriminate => bi("区分度低", "does not discriminate"),
                    })
                    .collect(),
                id: s.question_id.clone(),
                prompt: bi(&q.prompt_zh, &q.prompt_en),
                answered: s.answered,
                share: (s.correct * 100)
                    .checked_div(s.answered)
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "—".into()),
                top_wrong: s
                    .top_wrong
                    .and_then(|(id, n)| q.option(&id).map(|o| (bi(&o.text_zh, &o.text_en), n))),
            })
        })
        .collect();
    Ok(view(TrainingView::Stats {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        rows,
    })
    .into_response())
}

/// `GET /attempts/{id}`: the review of the caller's submitted attempt; an open one is its
/// form.
pub async fn attempt(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let user = page.user()?;
    let attempt = attempts::load(&state.db, id, user.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let lc = state
        .courses
        .by_quiz(&attempt.quiz_id)
        .ok_or(PageError::NotFound)?;
    if attempt.submitted_at.is_none() {
        let query = page.query();
        let flag = |name: &str| query.iter().any(|(k, v)| k == name && v == "1");
        let expired = attempt
            .deadline(&lc.course)
            .is_some_and(|d| store::now_ms() > d);
        let notice = if expired || flag("late") {
            Some(bi(
                "已超过时限：提交后只计算限时内保存的答案。",
                "The time limit has passed: submitting scores the answers saved in time.",
            ))
        } else {
            flag("saved").then(|| bi("答案已保存。", "Your answers have been saved."))
        };
        let form = quiz_form(lc, &attempt, notice);
        return Ok(view(TrainingView::Quiz(form)).into_response());
    }
    let certificate = attempts::certificates_of(&state.db, user.id)
        .await?
        .get(&lc.course.id)
        .filter(|_| attempt.passed && !attempt.practice)
        .map(|(code, ..)| code.clone());
    let review = review_page(lc, &attempt, certificate);
    Ok(view(TrainingView::Review(review)).into_response())
}

fn quiz_form(lc: &LoadedCourse, attempt: &Attempt, notice: Option<Bi>) -> QuizForm {
    let c = &lc.course;
    let questions = service::drawn(c, attempt)
        .map(|(q, options)| QuizQuestion {
            id: q.id.clone(),
            multiple: q.kind == QuestionKind::Multiple,
            scenario: q
                .scenario_zh
                .as_ref()
                .map(|zh| bi(zh, q.scenario_en.as_deref().unwrap_or(zh))),
            prompt: bi(&q.prompt_zh, &q.prompt_en),
            options: options
                .iter()
                .map(|(o, token)| (token.to_string(), bi(&o.text_zh, &o.text_en)))
                .collect(),
            chosen: attempt
                .answers
                .get(&q.id)
                .into_iter()
                .flatten()
                .filter_map(|o| attempt.token_of(&q.id, o).map(String::from))
                .collect(),
        })
        .collect();
    QuizForm {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        action: format!("/attempts/{}", attempt.id),
        questions,
        deadline: attempt.deadline(c).map(format_beijing),
        pass_mark: c.quiz.pass_mark,
        notice,
        practice: attempt.practice,
    }
}

fn review_page(lc: &LoadedCourse, attempt: &Attempt, certificate: Option<String>) -> ReviewPage {
    let c = &lc.course;
    let items = service::reviewed(c, attempt)
        .map(|r| {
            let q = r.question;
            let texts = |ids: Vec<&str>| -> Vec<Bi> {
                ids.into_iter()
                    .filter_map(|id| q.option(id))
                    .map(|o| bi(&o.text_zh, &o.text_en))
                    .collect()
            };
            ReviewItem {
                prompt: bi(&q.prompt_zh, &q.prompt_en),
                correct: r.correct,
                points: format!("{:.2}", r.points),
                chosen: texts(r.chosen.iter().map(String::as_str).collect()),
                right: texts(q.correct_ids()),
                explanation: bi(&q.explanation_zh, &q.explanation_en),
                cites: cite_links(&q.cites),
            }
        })
        .collect();
    ReviewPage {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        score: format!(
            "{:.1} / {:.0}",
            attempt.score.unwrap_or(0.0),
            attempt.max_score.unwrap_or(0.0)
        ),
        passed: attempt.passed,
        late: attempt
            .deadline(c)
            .zip(attempt.submitted_at)
            .is_some_and(|(d, s)| s >= d),
        certificate,
        items,
    }
}

/// `POST /attempts/{id}`: the quiz form. `do=save` keeps the answers and shows the form again;
/// `do=submit` scores the attempt and shows the review. A submitted attempt shows its review.
pub async fn attempt_post(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    page.user()?;
    let mut answers = Answers::new();
    let mut save = false;
    for (k, v) in pairs {
        if k == "do" {
            save = v == "save";
        } else {
            answers.entry(k).or_default().push(v);
        }
    }
    let command = Answering {
        attempt: id,
        answers,
        whole_form: true,
    };
    let result = if save {
        service::save(&state, &page.caller, command).await
    } else {
        service::submit(&state, &page.caller, command)
            .await
            .map(|_| ())
    };
    Ok(match result {
        Ok(()) if save => redirect(&format!("/attempts/{id}?saved=1")),
        Err(TrainingError::Attempt(AttemptRefusal::PastTimeLimit)) => {
            redirect(&format!("/attempts/{id}?late=1"))
        }
        Ok(()) | Err(TrainingError::Attempt(AttemptRefusal::AlreadySubmitted)) => {
            redirect(&format!("/attempts/{id}"))
        }
        // Only a tampered form names what the attempt does not have.
        Err(TrainingError::Attempt(refusal)) => AppError::of(
            StatusCode::UNPROCESSABLE_ENTITY,
            "training.attempt",
            &refusal,
            None,
        )
        .into_response(),
        Err(e) => return Err(e.into()),
    })
}
