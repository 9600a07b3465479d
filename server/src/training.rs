//! Training pages: `/training` (catalogue), `/training/{course}` (progress and "continue where I
//! left off"), `/training/{course}/{lesson}` (the lesson, and its completion form),
//! `/quizzes/{quiz}` and `/quizzes/{quiz}/practice` (start pages: a POST button starts an
//! attempt, an open one is offered to continue), `/attempts/{id}` (the form of an open attempt,
//! which saves or submits; after submission the review) and the public `/verify/{code}`.
//!
//! Course content is public reading; progress, quizzes and reviews need a signed-in user and
//! only ever show the caller's own attempts (anyone else's is the 404 page). Forms post and
//! redirect, so everything works without WebAssembly.

use app::pages::training::{
    AdminView, AssignmentRow, Bi, CertBadge, CertificatePrint, CiteLink, CourseCard, CourseDetail,
    LessonDetail, LessonRow, OpenAttempt, ProgressRow, QuizForm, QuizInfo, QuizQuestion, Required,
    ReviewItem, ReviewPage, StartPage, TrainingView, Verified,
};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use corpus::courses::LoadedCourse;
use corpus::library::{lesson_href, Cite};
use domain::training::{score_question, Course, QuestionKind};
use store::attempts::{self, Answers, Attempt, Mode, Next, Refusal, StartRefused, SubmitRefused};
use store::sessions::Caller;

use crate::error::AppError;
use crate::pages::{not_found, redirect, render_with};
use crate::state::AppState;
use crate::time::format_beijing;

fn bi(zh: &str, en: &str) -> Bi {
    Bi::new(zh, en)
}

fn cite_links(cites: &[String]) -> Vec<CiteLink> {
    cites
        .iter()
        .filter_map(|s| Cite::parse(s))
        .map(|c| CiteLink {
            href: c.href(),
            label: bi(&c.label_zh(), &c.label_en()),
        })
        .collect()
}

/// The date part of a Beijing time.
pub(crate) fn date(ms: i64) -> String {
    let s = format_beijing(ms);
    s.split(' ').next().unwrap_or(&s).to_string()
}

fn badge(cert: Option<&(String, i64, i64)>, now: i64) -> Option<CertBadge> {
    cert.map(|(code, _, expires)| CertBadge {
        code: code.clone(),
        valid_until: date(*expires),
        valid: now < *expires,
    })
}

fn sign_in(req: &Request) -> Response {
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/training".into());
    redirect(&format!(
        "/login?next={}",
        app::layout::encode_component(&next)
    ))
}

fn course_href(c: &Course) -> String {
    format!("/training/{}", c.id)
}

fn quiz_href(c: &Course) -> String {
    format!("/quizzes/{}", c.quiz.id)
}

/// `GET /training`.
pub async fn catalogue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let now = store::now_ms();
    let (done, certs, required) = match caller.user() {
        Some(u) => match tokio::try_join!(
            attempts::completed_lessons(&state.db, u.id),
            attempts::certificates_of(&state.db, u.id),
            async {
                match &u.unit_code {
                    Some(unit) => attempts::required_courses(&state.db, u.id, unit, &u.roles).await,
                    None => Ok(Default::default()),
                }
            }
        ) {
            Ok(x) => x,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => Default::default(),
    };
    let cards = state
        .courses
        .courses
        .iter()
        .map(|lc| {
            let c = &lc.course;
            CourseCard {
                id: c.id.clone(),
                title: bi(&c.title_zh, &c.title_en),
                summary: bi(&c.summary_zh, &c.summary_en),
                lessons: c.lessons.len(),
                done: c.lessons.iter().filter(|l| done.contains(&l.id)).count(),
                minutes: c.lessons.iter().map(|l| l.minutes).sum(),
                questions: c.quiz.draw,
                pass_mark: c.quiz.pass_mark,
                certificate: badge(certs.get(&c.id), now),
                required: required.get(&c.id).map(|&due| {
                    let done = certs.get(&c.id).is_some_and(|(_, _, exp)| *exp > now);
                    Required {
                        due: date(due),
                        overdue: !done && now > due,
                        done,
                    }
                }),
            }
        })
        .collect();
    render_with(&state, req, TrainingView::Catalogue(cards)).await
}

/// `GET /training/{course}`.
pub async fn course(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(course_id): Path<String>,
    req: Request,
) -> Response {
    let Some(lc) = state.courses.course(&course_id) else {
        return not_found(&state, req).await;
    };
    let c = &lc.course;
    let now = store::now_ms();
    let (done, certs, tries) = match caller.user() {
        Some(u) => match tokio::try_join!(
            attempts::completed_lessons(&state.db, u.id),
            attempts::certificates_of(&state.db, u.id),
            attempts::list(&state.db, u.id, &c.quiz.id)
        ) {
            Ok(x) => x,
            Err(e) => return AppError::from(e).into_response(),
        },
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
    let signed_in = caller.user().is_some();
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
    let view = CourseDetail {
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
            stats_href: caller
                .user()
                .is_some_and(|u| {
                    u.has(store::users::Role::TrainingAdmin) || u.has(store::users::Role::Admin)
                })
                .then(|| format!("{}/stats", quiz_href(c))),
            results,
        },
        certificate: badge(certs.get(&c.id), now),
        review: corpus::courses::articles_to_review(c, &state.content.versions),
    };
    render_with(&state, req, TrainingView::Course(view)).await
}

fn find_lesson<'a>(
    state: &'a AppState,
    course_id: &str,
    lesson_id: &str,
) -> Option<(&'a LoadedCourse, usize)> {
    let lc = state.courses.course(course_id)?;
    let i = lc.course.lessons.iter().position(|l| l.id == lesson_id)?;
    Some((lc, i))
}

/// `GET /training/{course}/{lesson}`.
pub async fn lesson(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((course_id, lesson_id)): Path<(String, String)>,
    req: Request,
) -> Response {
    let Some((lc, i)) = find_lesson(&state, &course_id, &lesson_id) else {
        return not_found(&state, req).await;
    };
    let c = &lc.course;
    let l = &c.lessons[i];
    let done = match caller.user() {
        Some(u) => match attempts::completed_lessons(&state.db, u.id).await {
            Ok(d) => d.contains(&l.id),
            Err(e) => return AppError::from(e).into_response(),
        },
        None => false,
    };
    let link = |j: usize| {
        c.lessons
            .get(j)
            .map(|o| (lesson_href(&c.id, &o.id), bi(&o.title_zh, &o.title_en)))
    };
    let body = &lc.bodies[i];
    let view = LessonDetail {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        title: bi(&l.title_zh, &l.title_en),
        html: bi(&body.html_zh, &body.html_en),
        cites: cite_links(&l.cites),
        minutes: l.minutes,
        done,
        signed_in: caller.user().is_some(),
        action: lesson_href(&c.id, &l.id),
        prev: i.checked_sub(1).and_then(link),
        next: link(i + 1),
    };
    render_with(&state, req, TrainingView::Lesson(view)).await
}

/// `POST /training/{course}/{lesson}`: marks the lesson completed, then goes on to the next
/// lesson (or back to the course after the last).
pub async fn complete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((course_id, lesson_id)): Path<(String, String)>,
    req: Request,
) -> Response {
    let Some((lc, i)) = find_lesson(&state, &course_id, &lesson_id) else {
        return not_found(&state, req).await;
    };
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let c = &lc.course;
    if let Err(e) =
        attempts::complete_lesson(&state.db, user.id, &c.lessons[i].id, store::now_ms()).await
    {
        return AppError::from(e).into_response();
    }
    match c.lessons.get(i + 1) {
        Some(next) => redirect(&lesson_href(&c.id, &next.id)),
        None => redirect(&course_href(c)),
    }
}

/// `GET /verify/{code}` (public): holder, course, dates and validity of a certificate.
pub async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let code = code.trim().to_ascii_uppercase();
    let found = if code.len() == 12 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        match attempts::find_certificate(&state.db, &code).await {
            Ok(c) => c,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    let now = store::now_ms();
    let verified = found.map(|c| {
        let course = state
            .courses
            .course(&c.course_id)
            .map(|lc| bi(&lc.course.title_zh, &lc.course.title_en))
            .unwrap_or_else(|| bi(&c.course_id, &c.course_id));
        Verified {
            code: c.code,
            holder: c.holder,
            course,
            issued: date(c.issued_at),
            valid_until: date(c.expires_at),
            valid: now < c.expires_at,
        }
    });
    let status = if verified.is_some() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::NOT_FOUND
    };
    let mut res = render_with(&state, req, TrainingView::Verify(verified)).await;
    *res.status_mut() = status;
    res
}

/// The absolute `/verify/{code}` URL when the request names a plausible host, else the path.
fn verify_url(state: &AppState, req: &Request, code: &str) -> String {
    let path = format!("/verify/{code}");
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 253
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
        });
    match host {
        Some(h) => {
            let scheme = if state.config.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{h}{path}")
        }
        None => path,
    }
}

/// `GET /certificates/{code}/print`: the holder's own certificate as an A4 page (anyone else,
/// even signed in, gets the 404 page; the public check is `/verify/{code}`).
pub async fn certificate_print(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let code = code.trim().to_ascii_uppercase();
    let found = if code.len() == 12 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        match attempts::find_certificate(&state.db, &code).await {
            Ok(c) => c,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    let Some(c) = found.filter(|c| c.user_id == user.id) else {
        return not_found(&state, req).await;
    };
    let unit = match &user.unit_code {
        Some(code) => match store::units::load_directory(&state.db).await {
            Ok(dir) => dir.get(code).map(|u| bi(&u.name_zh, &u.name_en)),
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let course = state
        .courses
        .course(&c.course_id)
        .map(|lc| bi(&lc.course.title_zh, &lc.course.title_en))
        .unwrap_or_else(|| bi(&c.course_id, &c.course_id));
    let view = CertificatePrint {
        verify_url: verify_url(&state, &req, &c.code),
        valid: store::now_ms() < c.expires_at,
        code: c.code,
        holder: c.holder,
        unit,
        course,
        issued: date(c.issued_at),
        valid_until: date(c.expires_at),
    };
    render_with(&state, req, TrainingView::Certificate(view)).await
}

fn quiz_form(lc: &LoadedCourse, attempt: &Attempt, notice: Option<Bi>) -> QuizForm {
    let c = &lc.course;
    let questions = attempt
        .question_ids
        .iter()
        .zip(&attempt.option_orders)
        .filter_map(|(qid, order)| {
            let q = c.question(qid)?;
            Some(QuizQuestion {
                id: q.id.clone(),
                multiple: q.kind == QuestionKind::Multiple,
                scenario: q
                    .scenario_zh
                    .as_ref()
                    .map(|zh| bi(zh, q.scenario_en.as_deref().unwrap_or(zh))),
                prompt: bi(&q.prompt_zh, &q.prompt_en),
                options: order
                    .iter()
                    .filter_map(|oid| q.option(oid))
                    .map(|o| (o.id.clone(), bi(&o.text_zh, &o.text_en)))
                    .collect(),
                chosen: attempt.answers.get(qid).cloned().unwrap_or_default(),
            })
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

fn refusal_text(r: Refusal) -> Bi {
    match r {
        Refusal::NoAttemptsLeft(n) => Bi::new(
            format!("{n} 次测验机会已用完。"),
            format!("All {n} attempts have been used."),
        ),
        Refusal::CoolingDown(until) => Bi::new(
            format!(
                "两次测验之间须间隔一段时间，请于 {} 后再测。",
                format_beijing(until)
            ),
            format!(
                "Attempts must be spaced out: try again after {}.",
                format_beijing(until)
            ),
        ),
        Refusal::NoMistakes => bi(
            "目前没有需要练习的错题。",
            "There are no mistakes to practise right now.",
        ),
    }
}

fn start_href(course: &Course, mode: Mode) -> String {
    match mode {
        Mode::Exam => quiz_href(course),
        Mode::Practice => format!("{}/practice", quiz_href(course)),
    }
}

/// The start page of `mode` (`GET /quizzes/{quiz}` and `GET /quizzes/{quiz}/practice`): reads
/// only, so following or prefetching the link never starts or uses up an attempt.
async fn start_page(
    state: &AppState,
    caller: &Caller,
    quiz_id: &str,
    mode: Mode,
    req: Request,
) -> Response {
    let Some(lc) = state.courses.by_quiz(quiz_id) else {
        return not_found(state, req).await;
    };
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let c = &lc.course;
    let now = store::now_ms();
    let (plan, tries) =
        match attempts::plan_for(&state.db, &state.courses, quiz_id, mode, user.id, now).await {
            Ok(x) => x,
            Err(StartRefused::Store(e)) => return AppError::from(e).into_response(),
            Err(_) => return not_found(state, req).await,
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
        Next::Refused(r) => (
            None,
            plan.expired.first().map(|a| open_view(a, true)),
            Some(refusal_text(*r)),
        ),
    };
    let view = StartPage {
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
    render_with(state, req, TrainingView::Start(view)).await
}

/// `GET /quizzes/{quiz}`: the start page of the final quiz.
pub async fn quiz(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
    req: Request,
) -> Response {
    start_page(&state, &caller, &quiz_id, Mode::Exam, req).await
}

/// `GET /quizzes/{quiz}/practice`: the start page of "practise my mistakes".
pub async fn practice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
    req: Request,
) -> Response {
    start_page(&state, &caller, &quiz_id, Mode::Practice, req).await
}

/// Starts (or resumes) an attempt of `mode` and goes to its form; a refusal goes back to the
/// start page, which says why.
async fn begin(
    state: &AppState,
    caller: &Caller,
    quiz_id: &str,
    mode: Mode,
    req: Request,
) -> Response {
    let Some(lc) = state.courses.by_quiz(quiz_id) else {
        return not_found(state, req).await;
    };
    let Some(user) = caller.user() else {
        return redirect(&format!(
            "/login?next={}",
            app::layout::encode_component(&start_href(&lc.course, mode))
        ));
    };
    let started = attempts::start(
        &state.db,
        &state.courses,
        quiz_id,
        mode,
        &caller.actor(),
        user.id,
        store::now_ms(),
    )
    .await;
    match started {
        Ok((attempt, _)) => redirect(&format!("/attempts/{}", attempt.id)),
        Err(StartRefused::Store(e)) => AppError::from(e).into_response(),
        Err(StartRefused::UnknownQuiz) => not_found(state, req).await,
        Err(_) => redirect(&start_href(&lc.course, mode)),
    }
}

/// `POST /quizzes/{quiz}/start`: starts the final quiz (or resumes the open attempt).
pub async fn quiz_start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
    req: Request,
) -> Response {
    begin(&state, &caller, &quiz_id, Mode::Exam, req).await
}

/// `POST /quizzes/{quiz}/practice/start`: starts "practise my mistakes" (or resumes it).
pub async fn practice_start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
    req: Request,
) -> Response {
    begin(&state, &caller, &quiz_id, Mode::Practice, req).await
}

/// `GET /quizzes/{quiz}/stats`: per-question statistics for training administrators (share
/// answering right, most chosen wrong option). Anyone else gets the 404 page.
pub async fn stats(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(quiz_id): Path<String>,
    req: Request,
) -> Response {
    use store::users::Role;
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let Some(lc) = state.courses.by_quiz(&quiz_id) else {
        return not_found(&state, req).await;
    };
    if !(user.has(Role::TrainingAdmin) || user.has(Role::Admin)) {
        return not_found(&state, req).await;
    }
    let answers = match attempts::submitted_answers(&state.db, &quiz_id).await {
        Ok(a) => a,
        Err(e) => return AppError::from(e).into_response(),
    };
    let c = &lc.course;
    let rows = domain::training::question_stats(c, &answers)
        .into_iter()
        .filter_map(|s| {
            let q = c.question(&s.question_id)?;
            Some(app::pages::training::StatRow {
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
    let view = TrainingView::Stats {
        course_href: course_href(c),
        course_title: bi(&c.title_zh, &c.title_en),
        rows,
    };
    render_with(&state, req, view).await
}

/// `GET /attempts/{id}`: the review of the caller's submitted attempt; an open one goes back
/// to its quiz.
pub async fn attempt(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let attempt = match attempts::load(&state.db, id, user.id).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    let Some(lc) = state.courses.by_quiz(&attempt.quiz_id) else {
        return not_found(&state, req).await;
    };
    if attempt.submitted_at.is_none() {
        let query = crate::pages::query_pairs(&req);
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
        let view = quiz_form(lc, &attempt, notice);
        return render_with(&state, req, TrainingView::Quiz(view)).await;
    }
    let certificate = match attempts::certificates_of(&state.db, user.id).await {
        Ok(c) => c
            .get(&lc.course.id)
            .filter(|_| attempt.passed && !attempt.practice)
            .map(|(code, ..)| code.clone()),
        Err(e) => return AppError::from(e).into_response(),
    };
    let view = review_page(lc, &attempt, certificate);
    render_with(&state, req, TrainingView::Review(view)).await
}

fn review_page(lc: &LoadedCourse, attempt: &Attempt, certificate: Option<String>) -> ReviewPage {
    let c = &lc.course;
    let items = attempt
        .question_ids
        .iter()
        .filter_map(|qid| {
            let q = c.question(qid)?;
            let chosen = attempt.answers.get(qid).cloned().unwrap_or_default();
            let points = score_question(q, &chosen);
            let texts = |ids: &[&str]| -> Vec<Bi> {
                ids.iter()
                    .filter_map(|id| q.option(id))
                    .map(|o| bi(&o.text_zh, &o.text_en))
                    .collect()
            };
            let chosen_refs: Vec<&str> = chosen.iter().map(String::as_str).collect();
            Some(ReviewItem {
                prompt: bi(&q.prompt_zh, &q.prompt_en),
                correct: points >= 1.0 - 1e-9,
                points: format!("{points:.2}"),
                chosen: texts(&chosen_refs),
                right: texts(&q.correct_ids()),
                explanation: bi(&q.explanation_zh, &q.explanation_en),
                cites: cite_links(&q.cites),
            })
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
/// `do=submit` scores the attempt and shows the review.
pub async fn attempt_post(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let Some(user) = caller.user().cloned() else {
        return sign_in(&req);
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, 256 * 1024).await {
        Ok(b) => b,
        Err(_) => return AppError::BadRequest("请求无效 / invalid request".into()).into_response(),
    };
    let req = Request::from_parts(parts, axum::body::Body::empty());
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let mut answers = Answers::new();
    let mut action = "submit";
    for (k, v) in &pairs {
        if k == "do" {
            action = if v == "save" { "save" } else { "submit" };
        } else {
            answers.entry(k.clone()).or_default().push(v.clone());
        }
    }
    let attempt = match attempts::load(&state.db, id, user.id).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    // A form sends nothing for an unanswered question: record it as unanswered.
    for qid in &attempt.question_ids {
        answers.entry(qid.clone()).or_default();
    }
    if attempt.submitted_at.is_some() {
        return redirect(&format!("/attempts/{id}"));
    }
    let now = store::now_ms();
    if action == "save" {
        return match attempts::save_answers(&state.db, &state.courses, &attempt, &answers, now)
            .await
        {
            Ok(true) => redirect(&format!("/attempts/{id}?saved=1")),
            Ok(false) => redirect(&format!("/attempts/{id}?late=1")),
            Err(e) => crate::api::training::submit_error(e).into_response(),
        };
    }
    match attempts::submit(
        &state.db,
        &state.courses,
        id,
        user.id,
        &answers,
        &caller.actor(),
        now,
    )
    .await
    {
        Ok(_) | Err(SubmitRefused::AlreadySubmitted) => redirect(&format!("/attempts/{id}")),
        Err(SubmitRefused::NotFound) => not_found(&state, req).await,
        Err(e) => crate::api::training::submit_error(e).into_response(),
    }
}

/// The unit of a training administrator; otherwise sign-in, or the (audited) 404 page.
async fn training_admin(
    state: &AppState,
    caller: &Caller,
    req: Request,
) -> Result<(store::users::User, String, Request), Response> {
    let (user, req) =
        crate::pages::require_role(state, caller, store::users::Role::TrainingAdmin, req).await?;
    match user.unit_code.clone() {
        Some(unit) => Ok((user, unit, req)),
        None => Err(not_found(state, req).await),
    }
}

fn target_label(t: &attempts::Target, members: &[attempts::Member]) -> Bi {
    use attempts::Target;
    match t {
        Target::Unit => bi("本单位全体人员", "Everyone in the unit"),
        Target::Role(r) => {
            let (zh, en) = role_label(*r);
            Bi::new(format!("角色：{zh}"), format!("Role: {en}"))
        }
        Target::People(ids) => {
            let names: Vec<String> = members
                .iter()
                .filter(|m| ids.contains(&m.id))
                .map(|m| m.display_name.clone())
                .collect();
            Bi::new(names.join("、"), names.join(", "))
        }
    }
}

fn role_label(r: store::users::Role) -> (&'static str, &'static str) {
    use store::users::Role;
    match r {
        Role::Admin => ("系统管理员", "System administrators"),
        Role::TrainingAdmin => ("培训管理员", "Training administrators"),
        Role::LeadHandler => ("线索办理人员", "Lead handlers"),
        Role::Coordinator => ("交流活动协调人", "Event coordinators"),
        Role::Member => ("一般人员", "Members"),
    }
}

/// One learner's state for an assignment: ("done" | "pending" | "overdue", detail).
fn progress(
    certs: &std::collections::BTreeMap<(i64, String), (i64, i64)>,
    user_id: i64,
    course_id: &str,
    due_at: i64,
    now: i64,
) -> (&'static str, String) {
    match certs.get(&(user_id, course_id.to_string())) {
        Some((issued, expires)) if *expires > now => ("done", date(*issued)),
        _ if now > due_at => ("overdue", String::new()),
        _ => ("pending", String::new()),
    }
}

/// Every (assignment, learner, state) of `unit`.
pub(crate) async fn unit_progress(
    state: &AppState,
    unit: &str,
) -> Result<
    (
        Vec<attempts::Member>,
        Vec<(
            attempts::Assignment,
            Vec<(attempts::Member, &'static str, String)>,
        )>,
    ),
    AppError,
> {
    let members = attempts::unit_members(&state.db, unit).await?;
    let assignments = attempts::unit_assignments(&state.db, unit).await?;
    let certs = attempts::unit_certificates(&state.db, unit).await?;
    let now = store::now_ms();
    let out = assignments
        .into_iter()
        .map(|a| {
            let rows = members
                .iter()
                .filter(|m| a.applies_to(m.id, &m.roles))
                .map(|m| {
                    let (s, d) = progress(&certs, m.id, &a.course_id, a.due_at, now);
                    (m.clone(), s, d)
                })
                .collect();
            (a, rows)
        })
        .collect();
    Ok((members, out))
}

async fn admin_view(
    state: &AppState,
    unit: &str,
    error: Option<String>,
    status: Option<Bi>,
) -> Result<AdminView, AppError> {
    let (members, progress) = unit_progress(state, unit).await?;
    let dir = store::units::load_directory(&state.db).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let hours = store::events::attended_hours(&state.db, &ids).await?;
    let course_title = |id: &str| {
        state
            .courses
            .course(id)
            .map(|lc| bi(&lc.course.title_zh, &lc.course.title_en))
            .unwrap_or_else(|| bi(id, id))
    };
    Ok(AdminView {
        unit: dir
            .get(unit)
            .map(|u| u.name_zh.clone())
            .unwrap_or_else(|| unit.to_string()),
        courses: state
            .courses
            .courses
            .iter()
            .map(|lc| (lc.course.id.clone(), course_title(&lc.course.id)))
            .collect(),
        members: members
            .iter()
            .map(|m| (m.id, m.display_name.clone()))
            .collect(),
        roles: store::users::Role::ALL
            .iter()
            .map(|r| {
                let (zh, en) = role_label(*r);
                (
                    format!("role:{}", r.as_str()),
                    Bi::new(format!("角色：{zh}"), format!("Role: {en}")),
                )
            })
            .collect(),
        assignments: progress
            .into_iter()
            .map(|(a, rows)| AssignmentRow {
                id: a.id,
                course: course_title(&a.course_id),
                target: target_label(&a.target, &members),
                due: date(a.due_at),
                rows: rows
                    .into_iter()
                    .map(|(m, status, detail)| ProgressRow {
                        name: m.display_name,
                        login: m.login,
                        status,
                        detail,
                    })
                    .collect(),
            })
            .collect(),
        error,
        status,
        exchange_hours: members
            .iter()
            .map(|m| {
                (
                    m.display_name.clone(),
                    m.login.clone(),
                    hours.get(&m.id).copied().unwrap_or(0.0),
                )
            })
            .collect(),
    })
}

/// `GET /training-admin`: the unit's assignments and who has completed them.
pub async fn admin_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, unit, req) = match training_admin(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let query = crate::pages::query_pairs(&req);
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let status = match (param("created"), param("status")) {
        (Some("1"), _) => Some(bi("已布置。", "Assigned.")),
        (_, Some("due-changed")) => Some(bi("截止日期已修改。", "The due date has been changed.")),
        (_, Some("deleted")) => Some(bi("培训任务已删除。", "The assignment has been deleted.")),
        _ => None,
    };
    let error = match param("error") {
        Some("due") => Some(BAD_DUE.to_string()),
        _ => None,
    };
    match admin_view(&state, &unit, error, status).await {
        Ok(v) => render_with(&state, req, TrainingView::Admin(v)).await,
        Err(e) => e.into_response(),
    }
}

const BAD_DUE: &str = "请填写截止日期（年-月-日）/ enter a due date (yyyy-mm-dd)";

/// A new assignment, checked: the course exists, the people are enabled members of the unit,
/// the target is known and the due date is a date.
pub struct NewAssignment {
    pub course: String,
    pub target: attempts::Target,
    pub due_at: i64,
}

/// Checks an assignment as the form or the API gives it (`target`: `unit`, `role:<role>` or
/// `people`). The error is for the user, in zh and en.
pub fn check_assignment(
    state: &AppState,
    members: &[attempts::Member],
    course: &str,
    target: &str,
    people: &[i64],
    due: &str,
) -> Result<NewAssignment, String> {
    if state.courses.course(course).is_none() {
        return Err("请选择课程 / choose a course".into());
    }
    if people.iter().any(|p| !members.iter().any(|m| m.id == *p)) {
        return Err("只能选择本单位人员 / only people of your unit can be selected".into());
    }
    let target = match target {
        "unit" => attempts::Target::Unit,
        "people" if !people.is_empty() => {
            let mut ids = people.to_vec();
            ids.sort_unstable();
            ids.dedup();
            attempts::Target::People(ids)
        }
        "people" => return Err("请至少选择一人 / select at least one person".into()),
        t => t
            .strip_prefix("role:")
            .and_then(store::users::Role::parse)
            .map(attempts::Target::Role)
            .ok_or("请选择对象 / choose who the course is for")?,
    };
    let due_at = due_date(due).ok_or(BAD_DUE)?;
    Ok(NewAssignment {
        course: course.to_string(),
        target,
        due_at,
    })
}

/// End of the day `yyyy-mm-dd` in Beijing, as Unix ms.
pub fn due_date(s: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let t = d.and_hms_opt(23, 59, 59)?;
    Some(t.and_utc().timestamp_millis() - 8 * 3_600_000)
}

/// `POST /training-admin`: assigns a course to the unit, a role or selected people.
pub async fn admin_assign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let req = Request::from_parts(parts, axum::body::Body::empty());
    let (user, unit, req) = match training_admin(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let field = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let members = match attempts::unit_members(&state.db, &unit).await {
        Ok(m) => m,
        Err(e) => return AppError::from(e).into_response(),
    };
    let people: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "person")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let checked = check_assignment(
        &state,
        &members,
        &field("course"),
        &field("target"),
        &people,
        &field("due"),
    );
    match checked {
        Ok(a) => {
            match attempts::assign(
                &state.db,
                &caller.actor(),
                &unit,
                &a.course,
                &a.target,
                a.due_at,
                user.id,
                store::now_ms(),
            )
            .await
            {
                Ok(_) => redirect("/training-admin?created=1"),
                Err(e) => AppError::from(e).into_response(),
            }
        }
        Err(error) => match admin_view(&state, &unit, Some(error), None).await {
            Ok(v) => {
                let mut res = render_with(&state, req, TrainingView::Admin(v)).await;
                *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                res
            }
            Err(e) => e.into_response(),
        },
    }
}

/// The form fields of a posted admin form, and the training administrator's unit.
async fn admin_form(
    state: &AppState,
    caller: &Caller,
    req: Request,
) -> Result<(String, Vec<(String, String)>, Request), Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let req = Request::from_parts(parts, axum::body::Body::empty());
    let (_, unit, req) = training_admin(state, caller, req).await?;
    Ok((
        unit,
        serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        req,
    ))
}

/// `POST /training-admin/assignments/{id}/due`: moves the due date of an assignment of the
/// administrator's unit (anyone else's: the 404 page).
pub async fn admin_set_due(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (unit, pairs, req) = match admin_form(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let due = pairs
        .iter()
        .find(|(k, _)| k == "due")
        .and_then(|(_, v)| due_date(v));
    let Some(due) = due else {
        return redirect("/training-admin?error=due");
    };
    match attempts::set_due(&state.db, &caller.actor(), &unit, id, due).await {
        Ok(true) => redirect("/training-admin?status=due-changed"),
        Ok(false) => not_found(&state, req).await,
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /training-admin/assignments/{id}/delete`: deletes an assignment of the
/// administrator's unit (anyone else's: the 404 page).
pub async fn admin_delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (unit, _, req) = match admin_form(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match attempts::delete_assignment(&state.db, &caller.actor(), &unit, id).await {
        Ok(true) => redirect("/training-admin?status=deleted"),
        Ok(false) => not_found(&state, req).await,
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `GET /training-admin/report.csv`: completion per person and assignment, UTF-8 with BOM so
/// that Excel opens the Chinese text correctly.
pub async fn admin_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, unit, _) = match training_admin(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (members, progress) = match unit_progress(&state, &unit).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let hours = match store::events::attended_hours(&state.db, &ids).await {
        Ok(h) => h,
        Err(e) => return AppError::from(e).into_response(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut ok = w
        .write_record([
            "姓名",
            "账号",
            "课程",
            "截止日期",
            "状态",
            "完成日期",
            "交流活动学时",
        ])
        .is_ok();
    for (a, rows) in &progress {
        let title = state
            .courses
            .course(&a.course_id)
            .map(|lc| lc.course.title_zh.clone())
            .unwrap_or_else(|| a.course_id.clone());
        for (m, status, detail) in rows {
            let s = match *status {
                "done" => "已完成",
                "overdue" => "已逾期",
                _ => "未完成",
            };
            ok &= w
                .write_record([
                    m.display_name.as_str(),
                    &m.login,
                    &title,
                    &date(a.due_at),
                    s,
                    detail,
                    &hours.get(&m.id).copied().unwrap_or(0.0).to_string(),
                ])
                .is_ok();
        }
    }
    let bytes = match w.into_inner() {
        Ok(b) if ok => b,
        _ => return AppError::BadRequest("export failed".into()).into_response(),
    };
    crate::pages::excel_csv(bytes, "training-report.csv")
}
