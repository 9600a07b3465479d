//! The reading pages: `/training` (the catalogue), `/training/{course}` (progress and
//! "continue where I left off") and `/training/{course}/{lesson}` (the lesson, and its
//! completion form, which posts to the same path).
//!
//! Course content is public reading; progress needs a signed-in user.

use app::pages::training::{
    CourseCard, CourseDetail, LessonDetail, LessonRow, QuizInfo, Required, TrainingView,
};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corpus::library::lesson_href;
use store::attempts;

use super::labels::{badge, bi, cite_links, course_href, date, quiz_href};
use super::service::{self, find_lesson, CompleteLesson, Standing, TrainingError};
use crate::page::{redirect, view, Page, PageError};
use crate::state::AppState;

impl From<TrainingError> for PageError {
    fn from(e: TrainingError) -> Self {
        match e {
            TrainingError::Store(e) => PageError::Internal(e),
            _ => PageError::NotFound,
        }
    }
}

/// `GET /training`.
pub async fn catalogue(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let now = store::now_ms();
    let (done, certs, required) = match page.caller.user() {
        Some(u) => tokio::try_join!(
            attempts::completed_lessons(&state.db, u.id),
            attempts::certificates_of(&state.db, u.id),
            attempts::required_courses(&state.db, u.id)
        )?,
        None => Default::default(),
    };
    let cards: Vec<CourseCard> = state
        .courses
        .courses
        .iter()
        .map(|lc| {
            let c = &lc.course;
            let cert = certs.get(&c.id);
            CourseCard {
                id: c.id.clone(),
                title: bi(&c.title_zh, &c.title_en),
                summary: bi(&c.summary_zh, &c.summary_en),
                lessons: c.lessons.len(),
                done: c.lessons.iter().filter(|l| done.contains(&l.id)).count(),
                minutes: c.lessons.iter().map(|l| l.minutes).sum(),
                questions: c.quiz.draw,
                pass_mark: c.quiz.pass_mark,
                certificate: badge(&state, c, cert, now),
                required: required.get(&c.id).map(|&due| {
                    let standing = Standing::of(cert.map(|c| c.2), due, now);
                    Required {
                        due: date(due),
                        overdue: standing == Standing::Overdue,
                        done: standing == Standing::Done,
                    }
                }),
            }
        })
        .collect();
    Ok(view(TrainingView::Catalogue(cards)).into_response())
}

/// `GET /training/{course}`.
pub async fn course(
    State(state): State<AppState>,
    page: Page,
    Path(course_id): Path<String>,
) -> Result<Response, PageError> {
    let lc = state
        .courses
        .course(&course_id)
        .ok_or(PageError::NotFound)?;
    let c = &lc.course;
    let now = store::now_ms();
    let user = page.caller.user();
    let (done, certs, tries) = match user {
        Some(u) => tokio::try_join!(
            attempts::completed_lessons(&state.db, u.id),
            attempts::certificates_of(&state.db, u.id),
            attempts::list(&state.db, u.id, &c.quiz.id)
        )?,
        None => Default::default(),
    };
    let lessons: Vec<LessonRow> = c
        .lessons
        .iter()
        .map(|l| LessonRow {
            href: lesson_href(&c.id, &l.id),
            title: bi(&l.title_zh, &l.title_en),
            minutes: l.minutes,
            done: done.contains(&l.id),
        })
        .collect();
    let signed_in = user.is_some();
    let continue_href = lessons
        .iter()
        .find(|l| !l.done)
        .map(|l| l.href.clone())
        .or_else(|| signed_in.then(|| quiz_href(c)));
    let results = tries
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .map(|a| {
            (
                format!("/attempts/{}", a.id),
                format!(
                    "{}{:.1} / {:.0}",
                    if a.practice { "✎ " } else { "" },
                    a.score.unwrap_or(0.0),
                    a.max_score.unwrap_or(0.0)
                ),
                a.passed,
            )
        })
        .collect();
    let detail = CourseDetail {
        title: bi(&c.title_zh, &c.title_en),
        summary: bi(&c.summary_zh, &c.summary_en),
        done: lessons.iter().filter(|l| l.done).count(),
        lessons,
        signed_in,
        continue_href,
        quiz: QuizInfo {
            href: quiz_href(c),
            draw: c.quiz.draw,
            pass_mark: c.quiz.pass_mark,
            max_attempts: c.quiz.max_attempts,
            cooldown_minutes: c.quiz.cooldown_minutes,
            time_limit_minutes: c.quiz.time_limit_minutes,
            attempts_used: tries.iter().filter(|a| !a.practice).count(),
            practice_href: (!attempts::mistakes(c, &tries).is_empty())
                .then(|| format!("{}/practice", quiz_href(c))),
            stats_href: user
                .is_some_and(service::sees_stats)
                .then(|| format!("{}/stats", quiz_href(c))),
            results,
        },
        certificate: badge(&state, c, certs.get(&c.id), now),
        review: corpus::courses::articles_to_review(c, &state.content.versions),
    };
    Ok(view(TrainingView::Course(detail)).into_response())
}

/// `GET /training/{course}/{lesson}`.
pub async fn lesson(
    State(state): State<AppState>,
    page: Page,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (lc, i) = find_lesson(&state, &course_id, &lesson_id).ok_or(PageError::NotFound)?;
    let c = &lc.course;
    let l = &c.lessons[i];
    let done = match page.caller.user() {
        Some(u) => attempts::completed_lessons(&state.db, u.id)
            .await?
            .contains(&l.id),
        None => false,
    };
    let link = |j: usize| {
        c.lessons
            .get(j)
            .map(|o| (lesson_href(&c.id, &o.id), bi(&o.title_zh, &o.title_en)))
    };
    let body = &lc.bodies[i];
    let detail = LessonDetail {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        title: bi(&l.title_zh, &l.title_en),
        html: bi(&body.html_zh, &body.html_en),
        cites: cite_links(&l.cites),
        minutes: l.minutes,
        done,
        signed_in: page.caller.user().is_some(),
        action: lesson_href(&c.id, &l.id),
        prev: i.checked_sub(1).and_then(link),
        next: link(i + 1),
    };
    Ok(view(TrainingView::Lesson(detail)).into_response())
}

/// `POST /training/{course}/{lesson}`: marks the lesson completed, then goes on to the next
/// lesson (or back to the course after the last).
pub async fn complete(
    State(state): State<AppState>,
    page: Page,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (lc, _) = find_lesson(&state, &course_id, &lesson_id).ok_or(PageError::NotFound)?;
    page.user()?;
    let command = CompleteLesson {
        course: &course_id,
        lesson: &lesson_id,
    };
    let c = &lc.course;
    Ok(
        match service::complete_lesson(&state, &page.caller, command).await? {
            Some(next) => redirect(&lesson_href(&c.id, &next.id)),
            None => redirect(&course_href(c)),
        },
    )
}
