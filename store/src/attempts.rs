//! Quiz attempts, lesson progress and certificates.
//!
//! An attempt stores the questions drawn for it, their option order and the answers saved so
//! far, so a reload or a lost connection resumes it. Scoring happens here, on the server, from
//! the catalogue loaded at start; the right answers never leave the server before submission.
//! Submission is a transaction that first claims the attempt (`submitted_at IS NULL`), so a
//! second submission, however close in time, changes nothing.

use std::collections::{BTreeMap, HashSet};

use domain::training::{passed, score_question, Course};
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::Row;

use crate::audit::{self, Actor, Event};
use crate::{Db, StoreError};
use corpus::courses::Catalogue;

/// Late submissions within this grace after the time limit still count as on time.
pub const GRACE_MS: i64 = 60_000;

/// Answers by question id: the chosen option ids.
pub type Answers = BTreeMap<String, Vec<String>>;

/// A stored attempt.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub id: i64,
    pub quiz_id: String,
    pub user_id: i64,
    pub started_at: i64,
    pub submitted_at: Option<i64>,
    /// The drawn questions, in the order shown.
    pub question_ids: Vec<String>,
    /// Per drawn question, its option ids in the order shown.
    pub option_orders: Vec<Vec<String>>,
    pub answers: Answers,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub passed: bool,
    /// A "practise my mistakes" attempt: no limit, no cool-down, no certificate.
    pub practice: bool,
}

impl Attempt {
    /// When answers stop counting (time limit plus grace), if the quiz has a limit.
    pub fn deadline(&self, course: &Course) -> Option<i64> {
        if self.practice {
            return None;
        }
        course
            .quiz
            .time_limit_minutes
            .map(|m| self.started_at + i64::from(m) * 60_000 + GRACE_MS)
    }
}

/// Why no attempt was started.
#[derive(Debug, thiserror::Error)]
pub enum StartRefused {
    #[error("no such quiz")]
    UnknownQuiz,
    #[error("all {0} attempts used")]
    NoAttemptsLeft(u32),
    #[error("cooling down until {0}")]
    CoolingDown(i64),
    #[error("no mistakes to practise")]
    NoMistakes,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Refusal> for StartRefused {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NoAttemptsLeft(n) => StartRefused::NoAttemptsLeft(n),
            Refusal::CoolingDown(t) => StartRefused::CoolingDown(t),
            Refusal::NoMistakes => StartRefused::NoMistakes,
        }
    }
}

/// Why a submission was not scored.
#[derive(Debug, thiserror::Error)]
pub enum SubmitRefused {
    /// No such attempt, or not the caller's.
    #[error("not found")]
    NotFound,
    #[error("already submitted")]
    AlreadySubmitted,
    /// An answer names a question or option that is not in the attempt.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SubmitRefused {
    fn from(e: sqlx::Error) -> Self {
        SubmitRefused::Store(e.into())
    }
}

impl From<sqlx::Error> for StartRefused {
    fn from(e: sqlx::Error) -> Self {
        StartRefused::Store(e.into())
    }
}

/// A scored attempt.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub attempt: Attempt,
    pub score: f64,
    pub max_score: f64,
    pub passed: bool,
    /// The verification code, when this submission passed.
    pub certificate: Option<String>,
    /// Submitted after the time limit: only the answers saved in time were scored.
    pub late: bool,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("quiz attempt: {what}"))
}

fn row_to_attempt(r: &sqlx::any::AnyRow) -> Result<Attempt, StoreError> {
    let qids: String = r.try_get("question_ids")?;
    let orders: String = r.try_get("option_orders")?;
    let answers: String = r.try_get("answers")?;
    let passed: i64 = r.try_get("passed")?;
    let mode: String = r.try_get("mode")?;
    Ok(Attempt {
        id: r.try_get("id")?,
        quiz_id: r.try_get("quiz_id")?,
        user_id: r.try_get("user_id")?,
        started_at: r.try_get("started_at")?,
        submitted_at: r.try_get("submitted_at")?,
        question_ids: serde_json::from_str(&qids).map_err(|_| corrupt("question ids"))?,
        option_orders: serde_json::from_str(&orders).map_err(|_| corrupt("option orders"))?,
        answers: serde_json::from_str(&answers).map_err(|_| corrupt("answers"))?,
        score: r.try_get("score")?,
        max_score: r.try_get("max_score")?,
        passed: passed != 0,
        practice: mode == "practice",
    })
}

const COLUMNS: &str = "id, quiz_id, user_id, started_at, submitted_at, question_ids, option_orders, answers, score, max_score, passed, mode";

/// The attempt `id` if it belongs to `user_id`.
pub async fn load(db: &Db, id: i64, user_id: i64) -> Result<Option<Attempt>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(row_to_attempt).transpose()
}

/// The user's attempts at `quiz_id`, newest first.
pub async fn list(db: &Db, user_id: i64, quiz_id: &str) -> Result<Vec<Attempt>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE user_id = $1 AND quiz_id = $2 ORDER BY started_at DESC, id DESC"
    ))
    .bind(user_id)
    .bind(quiz_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(row_to_attempt).collect()
}

/// Takes the user's row lock first (a write: row lock on PostgreSQL, write lock on SQLite), so
/// two tabs cannot both start an attempt, then lists the user's attempts at `quiz_id`, newest
/// first.
async fn lock_and_list(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    quiz_id: &str,
) -> Result<Vec<Attempt>, StoreError> {
    sqlx::query("UPDATE users SET disabled = disabled WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM quiz_attempts WHERE user_id = $1 AND quiz_id = $2 ORDER BY started_at DESC, id DESC"))
        .bind(user_id)
        .bind(quiz_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(row_to_attempt).collect()
}

/// Which kind of attempt: an exam (counts towards the limit, earns a certificate) or
/// "practise my mistakes" (no limit, no cool-down, no certificate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Exam,
    Practice,
}

impl Mode {
    fn matches(self, a: &Attempt) -> bool {
        a.practice == (self == Mode::Practice)
    }
}

/// What starting an attempt of a mode would do now, decided from the learner's attempts at
/// the quiz alone (no clock but `now`, no database), so the start page can show it without
/// starting anything and the start itself decides the same way inside its transaction.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Open exam attempts past their time limit: a start first scores them with the answers
    /// saved in time, as submitted at their deadline.
    pub expired: Vec<Attempt>,
    pub next: Next,
}

/// The outcome of a start, see [`Plan`].
#[derive(Clone, Debug)]
pub enum Next {
    /// An open attempt of the mode, within its time limit: continue it.
    Resume(Attempt),
    /// A new attempt may start.
    Start,
    /// Nothing can start now.
    Refused(Refusal),
}

/// Why no attempt can start now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Every exam attempt is used (the limit).
    NoAttemptsLeft(u32),
    /// Cooling down after the last exam attempt, until this time (Unix ms).
    CoolingDown(i64),
    /// Practice only: no question answered wrongly.
    NoMistakes,
}

/// Decides what starting an attempt of `mode` would do at `now`, over the learner's attempts
/// at the course's quiz (any order, both modes).
pub fn plan(course: &Course, mode: Mode, attempts: &[Attempt], now: i64) -> Plan {
    let mine: Vec<&Attempt> = attempts.iter().filter(|a| mode.matches(a)).collect();
    let mut expired = Vec::new();
    let mut resume = None;
    for open in mine.iter().filter(|a| a.submitted_at.is_none()) {
        match open.deadline(course) {
            Some(d) if now > d => expired.push((*open).clone()),
            _ => resume = resume.or(Some((*open).clone())),
        }
    }
    let next = match (resume, mode) {
        (Some(open), _) => Next::Resume(open),
        (None, Mode::Practice) if mistakes(course, attempts).is_empty() => {
            Next::Refused(Refusal::NoMistakes)
        }
        (None, Mode::Practice) => Next::Start,
        (None, Mode::Exam) => {
            let quiz = &course.quiz;
            // An expired open attempt counts as submitted at its deadline.
            let last = mine
                .iter()
                .filter_map(|a| a.submitted_at.or_else(|| a.deadline(course)))
                .max();
            let until = last.map(|at| at + i64::from(quiz.cooldown_minutes) * 60_000);
            if mine.len() >= quiz.max_attempts as usize {
                Next::Refused(Refusal::NoAttemptsLeft(quiz.max_attempts))
            } else if let Some(until) = until.filter(|u| now < *u) {
                Next::Refused(Refusal::CoolingDown(until))
            } else {
                Next::Start
            }
        }
    };
    Plan { expired, next }
}

/// What the start page of a quiz shows: the plan, and the learner's attempts (newest first).
pub async fn plan_for(
    db: &Db,
    catalogue: &Catalogue,
    quiz_id: &str,
    mode: Mode,
    user_id: i64,
    now: i64,
) -> Result<(Plan, Vec<Attempt>), StartRefused> {
    let course = &catalogue
        .by_quiz(quiz_id)
        .ok_or(StartRefused::UnknownQuiz)?
        .course;
    let attempts = list(db, user_id, quiz_id).await?;
    Ok((plan(course, mode, &attempts, now), attempts))
}

/// Resumes the user's open attempt of `mode` at `quiz_id` (within its time limit), or starts a
/// new one: for an exam a random draw from the bank, within the attempt limit and after the
/// cool-down (open exam attempts past their time limit are first scored with the answers saved
/// in time); for practice a draw from the learner's mistakes. Options are shuffled. Returns the
/// attempt and whether it was resumed.
pub async fn start(
    db: &Db,
    catalogue: &Catalogue,
    quiz_id: &str,
    mode: Mode,
    actor: &Actor,
    user_id: i64,
    now: i64,
) -> Result<(Attempt, bool), StartRefused> {
    let course = &catalogue
        .by_quiz(quiz_id)
        .ok_or(StartRefused::UnknownQuiz)?
        .course;
    let mut tx = db.pool.begin().await?;
    let attempts = lock_and_list(&mut tx, user_id, quiz_id).await?;
    let plan = plan(course, mode, &attempts, now);
    for open in &plan.expired {
        if let Some(d) = open.deadline(course) {
            // Expired: scored with what was saved, as submitted at the deadline.
            finish(&mut tx, course, open, None, d, actor).await?;
        }
    }
    match plan.next {
        Next::Resume(open) => {
            tx.commit().await?;
            return Ok((open, true));
        }
        Next::Refused(r) => {
            tx.commit().await?;
            return Err(r.into());
        }
        Next::Start => {}
    }
    let (question_ids, option_orders) = {
        let mut rng = rand::thread_rng();
        let pool: Vec<&domain::training::Question> = match mode {
            Mode::Exam => course.questions.iter().collect(),
            Mode::Practice => mistakes(course, &attempts)
                .iter()
                .filter_map(|id| course.question(id))
                .collect(),
        };
        let drawn: Vec<_> = pool
            .choose_multiple(&mut rng, course.quiz.draw as usize)
            .copied()
            .collect();
        shuffled(&drawn, &mut rng)
    };
    let attempt = insert(
        &mut tx,
        quiz_id,
        user_id,
        now,
        question_ids,
        option_orders,
        mode == Mode::Practice,
        actor,
    )
    .await?;
    tx.commit().await?;
    Ok((attempt, false))
}

/// The drawn questions' ids and their option orders, shuffled.
fn shuffled(
    drawn: &[&domain::training::Question],
    rng: &mut impl Rng,
) -> (Vec<String>, Vec<Vec<String>>) {
    let ids: Vec<String> = drawn.iter().map(|q| q.id.clone()).collect();
    let orders: Vec<Vec<String>> = drawn
        .iter()
        .map(|q| {
            let mut o: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
            // True/false keeps its natural order; everything else is shuffled.
            if q.kind != domain::training::QuestionKind::TrueFalse {
                o.shuffle(rng);
            }
            o
        })
        .collect();
    (ids, orders)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    quiz_id: &str,
    user_id: i64,
    now: i64,
    question_ids: Vec<String>,
    option_orders: Vec<Vec<String>>,
    practice: bool,
    actor: &Actor,
) -> Result<Attempt, StoreError> {
    let qjson = serde_json::to_string(&question_ids).map_err(|_| corrupt("ids"))?;
    let ojson = serde_json::to_string(&option_orders).map_err(|_| corrupt("orders"))?;
    let mode = if practice { "practice" } else { "exam" };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quiz_attempts (quiz_id, user_id, started_at, question_ids, option_orders, answers, passed, mode) VALUES ($1, $2, $3, $4, $5, '{}', 0, $6) RETURNING id",
    )
    .bind(quiz_id)
    .bind(user_id)
    .bind(now)
    .bind(qjson)
    .bind(ojson)
    .bind(mode)
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        tx,
        actor,
        Event {
            action: "quiz.attempt_started",
            object_type: Some("quiz_attempt"),
            object_id: Some(id.to_string()),
            detail: Some(format!("quiz={quiz_id}; mode={mode}")),
        },
    )
    .await?;
    Ok(Attempt {
        id,
        quiz_id: quiz_id.to_string(),
        user_id,
        started_at: now,
        submitted_at: None,
        question_ids,
        option_orders,
        answers: Answers::new(),
        score: None,
        max_score: None,
        passed: false,
        practice,
    })
}

/// The questions of `course` whose latest answer by the learner, over all submitted attempts,
/// was not fully right.
pub fn mistakes(course: &Course, attempts: &[Attempt]) -> Vec<String> {
    let mut done: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .collect();
    done.sort_by_key(|a| (a.submitted_at, a.id));
    let mut wrong: Vec<String> = Vec::new();
    for a in done {
        for qid in &a.question_ids {
            let Some(q) = course.question(qid) else {
                continue;
            };
            let chosen = a.answers.get(qid).cloned().unwrap_or_default();
            wrong.retain(|w| w != qid);
            if score_question(q, &chosen) < 1.0 - 1e-9 {
                wrong.push(qid.clone());
            }
        }
    }
    wrong
}

/// Checks that `answers` only name questions of the attempt and their options.
pub fn check_answers(attempt: &Attempt, answers: &Answers) -> Result<(), String> {
    for (qid, chosen) in answers {
        let Some(i) = attempt.question_ids.iter().position(|q| q == qid) else {
            return Err(format!(
                "题目不在本次测验中 / question {:?} is not part of this attempt",
                qid.chars().take(64).collect::<String>()
            ));
        };
        let options = &attempt.option_orders[i.min(attempt.option_orders.len().saturating_sub(1))];
        if chosen.len() > options.len() {
            return Err(format!("题目 {qid} 选项过多 / too many options for {qid}"));
        }
        if let Some(bad) = chosen.iter().find(|o| !options.contains(o)) {
            return Err(format!(
                "题目 {qid} 没有选项 {} / question {qid} has no option {:?}",
                bad.chars().take(16).collect::<String>(),
                bad.chars().take(16).collect::<String>()
            ));
        }
    }
    Ok(())
}

/// Saves answers of an open attempt within its time limit (they replace the saved ones for the
/// questions they name). `Ok(false)`: not open (submitted or past the limit).
pub async fn save_answers(
    db: &Db,
    catalogue: &Catalogue,
    attempt: &Attempt,
    answers: &Answers,
    now: i64,
) -> Result<bool, SubmitRefused> {
    let course = &catalogue
        .by_quiz(&attempt.quiz_id)
        .ok_or(SubmitRefused::NotFound)?
        .course;
    check_answers(attempt, answers).map_err(SubmitRefused::Invalid)?;
    if attempt.deadline(course).is_some_and(|d| now > d) {
        return Ok(false);
    }
    let mut merged = attempt.answers.clone();
    merged.extend(answers.clone());
    let json = serde_json::to_string(&merged).map_err(|_| corrupt("answers"))?;
    let n = sqlx::query(
        "UPDATE quiz_attempts SET answers = $1 WHERE id = $2 AND user_id = $3 AND submitted_at IS NULL",
    )
    .bind(json)
    .bind(attempt.id)
    .bind(attempt.user_id)
    .execute(&db.pool)
    .await
    .map_err(StoreError::from)?
    .rows_affected();
    Ok(n == 1)
}

/// Submits attempt `id` of `user_id` with `answers` (merged over the saved ones). After the time
/// limit plus grace, only the saved answers count. Passing issues a certificate.
pub async fn submit(
    db: &Db,
    catalogue: &Catalogue,
    id: i64,
    user_id: i64,
    answers: &Answers,
    actor: &Actor,
    now: i64,
) -> Result<Outcome, SubmitRefused> {
    let attempt = load(db, id, user_id)
        .await?
        .ok_or(SubmitRefused::NotFound)?;
    if attempt.submitted_at.is_some() {
        return Err(SubmitRefused::AlreadySubmitted);
    }
    check_answers(&attempt, answers).map_err(SubmitRefused::Invalid)?;
    let course = &catalogue
        .by_quiz(&attempt.quiz_id)
        .ok_or(SubmitRefused::NotFound)?
        .course;
    let mut tx = db.pool.begin().await?;
    let late = attempt.deadline(course).is_some_and(|d| now > d);
    let outcome = finish(
        &mut tx,
        course,
        &attempt,
        (!late).then_some(answers),
        now,
        actor,
    )
    .await?;
    match outcome {
        Some(mut o) => {
            tx.commit().await?;
            o.late = late;
            Ok(o)
        }
        None => Err(SubmitRefused::AlreadySubmitted),
    }
}

/// Claims, scores and closes `attempt` inside `tx`; `None` when it was already submitted.
/// `answers` (if any) are merged over the saved ones, re-read after the claim.
async fn finish(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    course: &Course,
    attempt: &Attempt,
    answers: Option<&Answers>,
    at: i64,
    actor: &Actor,
) -> Result<Option<Outcome>, StoreError> {
    let claimed = sqlx::query(
        "UPDATE quiz_attempts SET submitted_at = $1 WHERE id = $2 AND submitted_at IS NULL",
    )
    .bind(at)
    .bind(attempt.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(None);
    }
    let saved: String = sqlx::query_scalar("SELECT answers FROM quiz_attempts WHERE id = $1")
        .bind(attempt.id)
        .fetch_one(&mut **tx)
        .await?;
    let mut merged: Answers = serde_json::from_str(&saved).map_err(|_| corrupt("answers"))?;
    if let Some(a) = answers {
        merged.extend(a.clone());
    }
    let mut score = 0.0;
    for qid in &attempt.question_ids {
        let q = course
            .question(qid)
            .ok_or_else(|| corrupt("question no longer in the bank"))?;
        let chosen = merged.get(qid).cloned().unwrap_or_default();
        score += score_question(q, &chosen);
    }
    let max_score = attempt.question_ids.len() as f64;
    let ok = passed(score, max_score, course.quiz.pass_mark);
    let json = serde_json::to_string(&merged).map_err(|_| corrupt("answers"))?;
    sqlx::query(
        "UPDATE quiz_attempts SET answers = $1, score = $2, max_score = $3, passed = $4 WHERE id = $5",
    )
    .bind(json)
    .bind(score)
    .bind(max_score)
    .bind(ok as i64)
    .bind(attempt.id)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        actor,
        Event {
            action: if attempt.practice {
                "quiz.practice_submitted"
            } else {
                "quiz.submitted"
            },
            object_type: Some("quiz_attempt"),
            object_id: Some(attempt.id.to_string()),
            detail: Some(format!(
                "quiz={}; score={score:.2}/{max_score}; passed={ok}",
                attempt.quiz_id
            )),
        },
    )
    .await?;
    let certificate = if ok && !attempt.practice {
        let code = new_code();
        let expires_at = add_months(at, course.validity_months);
        sqlx::query(
            "INSERT INTO certificates (code, user_id, course_id, attempt_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&code)
        .bind(attempt.user_id)
        .bind(&course.id)
        .bind(attempt.id)
        .bind(at)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
        audit::append(
            tx,
            actor,
            Event {
                action: "certificate.issued",
                object_type: Some("certificate"),
                object_id: Some(code.clone()),
                detail: Some(format!("course={}; attempt={}", course.id, attempt.id)),
            },
        )
        .await?;
        Some(code)
    } else {
        None
    };
    let mut done = attempt.clone();
    done.submitted_at = Some(at);
    done.answers = merged;
    done.score = Some(score);
    done.max_score = Some(max_score);
    done.passed = ok;
    Ok(Some(Outcome {
        attempt: done,
        score,
        max_score,
        passed: ok,
        certificate,
        late: false,
    }))
}

/// Drawn question ids and answers of every submitted exam attempt at `quiz_id` (for the
/// per-question statistics).
pub async fn submitted_answers(
    db: &Db,
    quiz_id: &str,
) -> Result<Vec<(Vec<String>, Answers)>, StoreError> {
    let rows = sqlx::query(
        "SELECT question_ids, answers FROM quiz_attempts WHERE quiz_id = $1 AND mode = 'exam' AND submitted_at IS NOT NULL",
    )
    .bind(quiz_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let q: String = r.try_get("question_ids")?;
            let a: String = r.try_get("answers")?;
            Ok((
                serde_json::from_str(&q).map_err(|_| corrupt("question ids"))?,
                serde_json::from_str(&a).map_err(|_| corrupt("answers"))?,
            ))
        })
        .collect()
}

/// Letters and digits that cannot be mistaken for one another when read aloud or retyped.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random 12-character verification code.
pub fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// `at` plus `months` calendar months (Beijing dates do not matter at this precision).
pub fn add_months(at: i64, months: u32) -> i64 {
    chrono::DateTime::from_timestamp_millis(at)
        .and_then(|t| t.checked_add_months(chrono::Months::new(months)))
        .map(|t| t.timestamp_millis())
        .unwrap_or(at + i64::from(months) * 30 * 86_400_000)
}

/// A certificate as `/verify/{code}` shows it.
#[derive(Clone, Debug)]
pub struct Certificate {
    pub code: String,
    pub user_id: i64,
    pub holder: String,
    pub course_id: String,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// The certificate with `code` (exact, upper-case), if any.
pub async fn find_certificate(db: &Db, code: &str) -> Result<Option<Certificate>, StoreError> {
    let row = sqlx::query(
        "SELECT c.code, c.user_id, u.display_name, c.course_id, c.issued_at, c.expires_at FROM certificates c JOIN users u ON u.id = c.user_id WHERE c.code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(Certificate {
            code: r.try_get("code")?,
            user_id: r.try_get("user_id")?,
            holder: r.try_get("display_name")?,
            course_id: r.try_get("course_id")?,
            issued_at: r.try_get("issued_at")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}

/// The user's newest certificate per course: course id → (code, issued, expires).
pub async fn certificates_of(
    db: &Db,
    user_id: i64,
) -> Result<BTreeMap<String, (String, i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, course_id, issued_at, expires_at FROM certificates WHERE user_id = $1 ORDER BY issued_at ASC, id ASC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        out.insert(
            r.try_get::<String, _>("course_id")?,
            (
                r.try_get("code")?,
                r.try_get("issued_at")?,
                r.try_get("expires_at")?,
            ),
        );
    }
    Ok(out)
}

/// Records that the user finished a lesson (once; later calls keep the first time).
pub async fn complete_lesson(
    db: &Db,
    user_id: i64,
    lesson_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO lesson_progress (user_id, lesson_id, completed_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, lesson_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The lessons the user has finished.
pub async fn completed_lessons(db: &Db, user_id: i64) -> Result<HashSet<String>, StoreError> {
    let rows = sqlx::query("SELECT lesson_id FROM lesson_progress WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            r.try_get::<String, _>("lesson_id")
                .map_err(StoreError::from)
        })
        .collect()
}

/// Who an assignment is for, within its unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Everyone in the unit.
    Unit,
    /// The unit's holders of a role.
    Role(crate::users::Role),
    /// Selected people (user ids; all in the unit).
    People(Vec<i64>),
}

impl Target {
    fn code(&self) -> String {
        match self {
            Target::Unit => "unit".into(),
            Target::Role(r) => format!("role:{}", r.as_str()),
            Target::People(_) => "people".into(),
        }
    }

    fn parse(code: &str, people: Vec<i64>) -> Option<Target> {
        match code {
            "unit" => Some(Target::Unit),
            "people" => Some(Target::People(people)),
            _ => code
                .strip_prefix("role:")
                .and_then(crate::users::Role::parse)
                .map(Target::Role),
        }
    }
}

/// A stored assignment.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub id: i64,
    pub unit_code: String,
    pub course_id: String,
    pub target: Target,
    pub due_at: i64,
    pub created_at: i64,
}

/// A member of a unit, as assignments see them.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<crate::users::Role>,
}

/// The enabled members of `unit`, by display name.
pub async fn unit_members(db: &Db, unit: &str) -> Result<Vec<Member>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.login, u.display_name, r.role FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.unit_code = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<Member> = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let role: Option<String> = r.try_get("role")?;
        if out.last().is_none_or(|m| m.id != id) {
            out.push(Member {
                id,
                login: r.try_get("login")?,
                display_name: r.try_get("display_name")?,
                roles: Vec::new(),
            });
        }
        if let (Some(m), Some(role)) = (
            out.last_mut(),
            role.as_deref().and_then(crate::users::Role::parse),
        ) {
            m.roles.push(role);
        }
    }
    Ok(out)
}

/// Records an assignment (audited). People must be members of `unit` (checked by the caller).
#[allow(clippy::too_many_arguments)]
pub async fn assign(
    db: &Db,
    actor: &Actor,
    unit: &str,
    course_id: &str,
    target: &Target,
    due_at: i64,
    created_by: i64,
    now: i64,
) -> Result<i64, StoreError> {
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO training_assignments (unit_code, course_id, target, due_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit)
    .bind(course_id)
    .bind(target.code())
    .bind(due_at)
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if let Target::People(ids) = target {
        for u in ids {
            sqlx::query("INSERT INTO training_assignees (assignment_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await?;
        }
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "training.assigned",
            object_type: Some("training_assignment"),
            object_id: Some(id.to_string()),
            detail: Some(format!(
                "unit={unit}; course={course_id}; target={}; due={due_at}",
                target.code()
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The assignments of `unit`, by due date (two queries: the assignments, then the people of
/// all its "selected people" assignments).
pub async fn unit_assignments(db: &Db, unit: &str) -> Result<Vec<Assignment>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, unit_code, course_id, target, due_at, created_at FROM training_assignments WHERE unit_code = $1 ORDER BY due_at, id",
    )
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    let mut people: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT x.assignment_id, x.user_id FROM training_assignees x JOIN training_assignments ta ON ta.id = x.assignment_id WHERE ta.unit_code = $1 ORDER BY x.assignment_id, x.user_id",
    )
    .bind(unit)
    .fetch_all(&db.pool)
    .await?
    {
        people
            .entry(r.try_get("assignment_id")?)
            .or_default()
            .push(r.try_get("user_id")?);
    }
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let code: String = r.try_get("target")?;
            Ok(Assignment {
                id,
                unit_code: r.try_get("unit_code")?,
                course_id: r.try_get("course_id")?,
                target: Target::parse(&code, people.remove(&id).unwrap_or_default())
                    .ok_or_else(|| corrupt("assignment target"))?,
                due_at: r.try_get("due_at")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Moves the due date of assignment `id` of `unit` (audited). `Ok(false)`: no such assignment
/// in that unit.
pub async fn set_due(
    db: &Db,
    actor: &Actor,
    unit: &str,
    id: i64,
    due_at: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    // A write first, so SQLite takes the write lock before the read.
    sqlx::query("UPDATE meta SET value = value WHERE key = 'schema'")
        .execute(&mut *tx)
        .await?;
    let old: Option<i64> = sqlx::query_scalar(
        "SELECT due_at FROM training_assignments WHERE id = $1 AND unit_code = $2",
    )
    .bind(id)
    .bind(unit)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else {
        tx.commit().await?;
        return Ok(false);
    };
    sqlx::query("UPDATE training_assignments SET due_at = $1 WHERE id = $2")
        .bind(due_at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "training.assignment_due_changed",
            object_type: Some("training_assignment"),
            object_id: Some(id.to_string()),
            detail: Some(format!("unit={unit}; due={old} -> {due_at}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes assignment `id` of `unit` and its list of people (audited, with what it was).
/// `Ok(false)`: no such assignment in that unit.
pub async fn delete_assignment(
    db: &Db,
    actor: &Actor,
    unit: &str,
    id: i64,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE meta SET value = value WHERE key = 'schema'")
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(
        "SELECT course_id, target, due_at FROM training_assignments WHERE id = $1 AND unit_code = $2",
    )
    .bind(id)
    .bind(unit)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.commit().await?;
        return Ok(false);
    };
    let (course, target, due): (String, String, i64) = (
        row.try_get("course_id")?,
        row.try_get("target")?,
        row.try_get("due_at")?,
    );
    sqlx::query("DELETE FROM training_assignees WHERE assignment_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM training_assignments WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "training.assignment_deleted",
            object_type: Some("training_assignment"),
            object_id: Some(id.to_string()),
            detail: Some(format!(
                "unit={unit}; course={course}; target={target}; due={due}"
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Assignment `id`, with its people.
pub async fn assignment(db: &Db, id: i64) -> Result<Option<Assignment>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT id, unit_code, course_id, target, due_at, created_at FROM training_assignments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let people: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM training_assignees WHERE assignment_id = $1 ORDER BY user_id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let code: String = r.try_get("target")?;
    Ok(Some(Assignment {
        id,
        unit_code: r.try_get("unit_code")?,
        course_id: r.try_get("course_id")?,
        target: Target::parse(&code, people).ok_or_else(|| corrupt("assignment target"))?,
        due_at: r.try_get("due_at")?,
        created_at: r.try_get("created_at")?,
    }))
}

impl Assignment {
    /// Whether the assignment applies to `member` (of the assignment's unit).
    pub fn applies_to(&self, member_id: i64, roles: &[crate::users::Role]) -> bool {
        match &self.target {
            Target::Unit => true,
            Target::Role(r) => roles.contains(r),
            Target::People(ids) => ids.contains(&member_id),
        }
    }
}

/// The courses required of `user` (of `unit`): course id → the earliest due date.
pub async fn required_courses(
    db: &Db,
    user_id: i64,
    unit: &str,
    roles: &[crate::users::Role],
) -> Result<BTreeMap<String, i64>, StoreError> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for a in unit_assignments(db, unit).await? {
        if a.applies_to(user_id, roles) {
            let due = out.entry(a.course_id.clone()).or_insert(a.due_at);
            *due = (*due).min(a.due_at);
        }
    }
    Ok(out)
}

/// Every certificate of the members of `unit`: (user id, course id) → newest expiry.
pub async fn unit_certificates(
    db: &Db,
    unit: &str,
) -> Result<BTreeMap<(i64, String), (i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.user_id, c.course_id, c.issued_at, c.expires_at FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.unit_code = $1 ORDER BY c.issued_at, c.id",
    )
    .bind(unit)
    .fetch_all(&db.pool)
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        out.insert(
            (
                r.try_get::<i64, _>("user_id")?,
                r.try_get::<String, _>("course_id")?,
            ),
            (
                r.try_get::<i64, _>("issued_at")?,
                r.try_get::<i64, _>("expires_at")?,
            ),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_twelve_unambiguous_characters() {
        let a = new_code();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(a, new_code());
    }

    #[test]
    fn months_are_calendar_months() {
        // 2026-01-31 + 1 month = 2026-02-28.
        let jan31 = 1_769_817_600_000; // 2026-01-31T00:00:00Z
        let feb28 = 1_772_236_800_000; // 2026-02-28T00:00:00Z
        assert_eq!(add_months(jan31, 1), feb28);
    }
}
