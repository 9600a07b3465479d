//! Starting an attempt: what a start would do now ([`plan`], for the start page and inside the
//! start's transaction alike), and the start itself (a random draw, shuffled options).

use domain::training::{score_question, Course, StartRefusal};
use rand::seq::SliceRandom;
use rand::Rng;

use super::answers::finish;
use super::{corrupt, list, row_to_attempt, Answers, Attempt, StartRefused, COLUMNS};
use crate::audit::{self, Actor, Event};
use crate::lock::{lock, Lock};
use crate::{Db, StoreError};
use corpus::courses::Catalogue;
use std::sync::Arc;

/// Takes the user's row lock first (a write: row lock on PostgreSQL, write lock on SQLite), so
/// two tabs cannot both start an attempt, then lists the user's attempts at `quiz_id`, newest
/// first.
async fn lock_and_list(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    quiz_id: &str,
) -> Result<Vec<Attempt>, StoreError> {
    lock(tx, Lock::User(user_id)).await?;
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
    Refused(StartRefusal),
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
            Next::Refused(StartRefusal::NoMistakes)
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
                Next::Refused(StartRefusal::NoAttemptsLeft(quiz.max_attempts))
            } else if let Some(until) = until.filter(|u| now < *u) {
                Next::Refused(StartRefusal::CoolingDown(until))
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
    catalogue: &Arc<Catalogue>,
    quiz_id: &str,
    mode: Mode,
    actor: &Actor,
    user_id: i64,
    now: i64,
) -> Result<(Attempt, bool), StartRefused> {
    if catalogue.by_quiz(quiz_id).is_none() {
        return Err(StartRefused::UnknownQuiz);
    }
    let (catalogue, quiz_id, actor) = (catalogue.clone(), quiz_id.to_string(), actor.clone());
    // A refusal is an answer, not a failure: the expired attempts scored on the way are kept.
    let started: Result<(Attempt, bool), StartRefusal> = db
        .write(move |tx| {
            Box::pin(async move {
                let course = &catalogue
                    .by_quiz(&quiz_id)
                    .ok_or_else(|| corrupt("quiz no longer in the catalogue"))?
                    .course;
                start_in(tx, course, &quiz_id, mode, &actor, user_id, now).await
            })
        })
        .await?;
    Ok(started?)
}

/// The start inside its transaction: takes the user's row lock, scores expired attempts, then
/// resumes, refuses or draws a new attempt.
async fn start_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    course: &Course,
    quiz_id: &str,
    mode: Mode,
    actor: &Actor,
    user_id: i64,
    now: i64,
) -> Result<Result<(Attempt, bool), StartRefusal>, StoreError> {
    let attempts = lock_and_list(tx, user_id, quiz_id).await?;
    let plan = plan(course, mode, &attempts, now);
    for open in &plan.expired {
        if let Some(d) = open.deadline(course) {
            // Expired: scored with what was saved, as submitted at the deadline.
            finish(tx, course, open, None, d, actor).await?;
        }
    }
    match plan.next {
        Next::Resume(open) => return Ok(Ok((open, true))),
        Next::Refused(r) => return Ok(Err(r)),
        Next::Start => {}
    }
    let (question_ids, option_orders, option_tokens) = {
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
        let (ids, orders) = shuffled(&drawn, &mut rng);
        let tokens = new_tokens(&orders, &mut rng);
        (ids, orders, tokens)
    };
    let attempt = insert(
        tx,
        quiz_id,
        user_id,
        now,
        Drawn {
            question_ids,
            option_orders,
            option_tokens,
        },
        mode == Mode::Practice,
        actor,
    )
    .await?;
    Ok(Ok((attempt, false)))
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

/// Letters and digits of option tokens (lower case: they travel in form values and JSON keys).
const TOKEN_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A fresh random token for every option of every drawn question (`orders`' shape): 12
/// characters of 36, about 62 bits, so a token says nothing about the option and cannot be
/// guessed; unique within the attempt.
fn new_tokens(orders: &[Vec<String>], rng: &mut impl Rng) -> Vec<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    orders
        .iter()
        .map(|order| {
            order
                .iter()
                .map(|_| loop {
                    let t: String = (0..12)
                        .map(|_| TOKEN_ALPHABET[rng.gen_range(0..TOKEN_ALPHABET.len())] as char)
                        .collect();
                    if seen.insert(t.clone()) {
                        break t;
                    }
                })
                .collect()
        })
        .collect()
}

/// What a new attempt draws: the questions, their option orders and the options' tokens.
struct Drawn {
    question_ids: Vec<String>,
    option_orders: Vec<Vec<String>>,
    option_tokens: Vec<Vec<String>>,
}

async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    quiz_id: &str,
    user_id: i64,
    now: i64,
    drawn: Drawn,
    practice: bool,
    actor: &Actor,
) -> Result<Attempt, StoreError> {
    let Drawn {
        question_ids,
        option_orders,
        option_tokens,
    } = drawn;
    let qjson = serde_json::to_string(&question_ids).map_err(|_| corrupt("ids"))?;
    let ojson = serde_json::to_string(&option_orders).map_err(|_| corrupt("orders"))?;
    let tjson = serde_json::to_string(&option_tokens).map_err(|_| corrupt("tokens"))?;
    let mode = if practice { "practice" } else { "exam" };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quiz_attempts (quiz_id, user_id, started_at, question_ids, option_orders, option_tokens, answers, passed, mode) VALUES ($1, $2, $3, $4, $5, $6, '{}', 0, $7) RETURNING id",
    )
    .bind(quiz_id)
    .bind(user_id)
    .bind(now)
    .bind(qjson)
    .bind(ojson)
    .bind(tjson)
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
        option_tokens,
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
