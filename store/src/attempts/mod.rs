//! Quiz attempts, lesson progress, certificates and course assignments.
//!
//! An attempt stores the questions drawn for it, their option order and the answers saved so
//! far, so a reload or a lost connection resumes it. Scoring happens here, on the server, from
//! the catalogue loaded at start; the right answers never leave the server before submission.
//! Submission is a transaction that first claims the attempt (`submitted_at IS NULL`), so a
//! second submission, however close in time, changes nothing.
//!
//! - [`start`]: what starting an attempt would do ([`plan`]), and starting one;
//! - [`answers`]: saving answers, submitting and scoring, the per-question statistics;
//! - [`progress`]: lessons completed and certificates;
//! - [`assignments`]: the courses a unit assigns, and to whom.
//!
//! Refusals are typed (`domain::training`); their words are `app::refusals`'.

mod answers;
mod assignments;
mod progress;
mod start;

use std::collections::BTreeMap;

use domain::training::{AnswerProblem, Course, StartRefusal};
use sqlx::Row;

use crate::{Db, StoreError};

pub use answers::{save_answers, submit, submitted_answers};
pub(crate) use assignments::learners;
pub use assignments::{
    assign, assignment, assignment_learners, delete_assignment, district_lawyers, required_courses,
    set_due, unit_assignments, unit_members, Assignment, LearnerRow, Member, Target,
};
pub use progress::{
    add_months, certificates_of, complete_lesson, completed_lessons, find_certificate, new_code,
    Certificate,
};
pub use start::{mistakes, plan, plan_for, start, Mode, Next, Plan};

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
    /// Per drawn question, the attempt's opaque token of each option of `option_orders` (same
    /// shape): the only option ids the client ever sees. Empty for attempts started before
    /// tokens existed, whose tokens are their content ids.
    pub option_tokens: Vec<Vec<String>>,
    pub answers: Answers,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub passed: bool,
    /// A "practise my mistakes" attempt: no limit, no cool-down, no certificate.
    pub practice: bool,
}

impl Attempt {
    /// The tokens of the options of drawn question `i`, in the order shown.
    pub fn tokens(&self, i: usize) -> &[String] {
        match self.option_tokens.get(i) {
            Some(t) if !t.is_empty() => t,
            _ => self.option_orders.get(i).map(Vec::as_slice).unwrap_or(&[]),
        }
    }

    /// The token of option `option_id` of drawn question `question_id`.
    pub fn token_of(&self, question_id: &str, option_id: &str) -> Option<&str> {
        let i = self.question_ids.iter().position(|q| q == question_id)?;
        let j = self
            .option_orders
            .get(i)?
            .iter()
            .position(|o| o == option_id)?;
        self.tokens(i).get(j).map(String::as_str)
    }

    /// Content ids → tokens, for showing the saved answers back to the learner.
    pub fn answers_as_tokens(&self, answers: &Answers) -> Answers {
        answers
            .iter()
            .map(|(qid, chosen)| {
                let tokens = chosen
                    .iter()
                    .filter_map(|o| self.token_of(qid, o).map(String::from))
                    .collect();
                (qid.clone(), tokens)
            })
            .collect()
    }

    /// Tokens → content ids: the answers as the learner sent them (question id → chosen
    /// tokens), checked against this attempt. A question not drawn, more choices than
    /// options, or a token that is not one of this attempt's tokens for that question (another
    /// attempt's, another question's, a content id) is refused.
    pub fn answers_from_tokens(&self, sent: &Answers) -> Result<Answers, AnswerProblem> {
        let mut out = Answers::new();
        for (qid, chosen) in sent {
            let Some(i) = self.question_ids.iter().position(|q| q == qid) else {
                return Err(AnswerProblem::NotInAttempt(qid.chars().take(64).collect()));
            };
            let tokens = self.tokens(i);
            let ids = self.option_orders.get(i).map(Vec::as_slice).unwrap_or(&[]);
            if chosen.len() > tokens.len() {
                return Err(AnswerProblem::TooManyOptions(qid.clone()));
            }
            let mut mapped = Vec::with_capacity(chosen.len());
            for token in chosen {
                match tokens
                    .iter()
                    .position(|t| t == token)
                    .and_then(|j| ids.get(j))
                {
                    Some(id) => mapped.push(id.clone()),
                    None => {
                        return Err(AnswerProblem::NoSuchOption {
                            question: qid.clone(),
                            option: token.chars().take(16).collect(),
                        })
                    }
                }
            }
            out.insert(qid.clone(), mapped);
        }
        Ok(out)
    }

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
#[derive(Debug)]
pub enum StartRefused {
    UnknownQuiz,
    /// Nothing can start now, and why.
    Refused(StartRefusal),
    Store(StoreError),
}

impl From<StartRefusal> for StartRefused {
    fn from(r: StartRefusal) -> Self {
        StartRefused::Refused(r)
    }
}

impl From<StoreError> for StartRefused {
    fn from(e: StoreError) -> Self {
        StartRefused::Store(e)
    }
}

impl From<sqlx::Error> for StartRefused {
    fn from(e: sqlx::Error) -> Self {
        StartRefused::Store(e.into())
    }
}

/// Why answers were not saved or a submission was not scored.
#[derive(Debug)]
pub enum SubmitRefused {
    /// No such attempt, or not the caller's.
    NotFound,
    AlreadySubmitted,
    /// An answer names a question or option that is not in the attempt.
    Invalid(AnswerProblem),
    Store(StoreError),
}

impl From<StoreError> for SubmitRefused {
    fn from(e: StoreError) -> Self {
        SubmitRefused::Store(e)
    }
}

impl From<sqlx::Error> for SubmitRefused {
    fn from(e: sqlx::Error) -> Self {
        SubmitRefused::Store(e.into())
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

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("quiz attempt: {what}"))
}

pub(crate) fn row_to_attempt(r: &sqlx::any::AnyRow) -> Result<Attempt, StoreError> {
    let qids: String = r.try_get("question_ids")?;
    let orders: String = r.try_get("option_orders")?;
    let tokens: String = r.try_get("option_tokens")?;
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
        option_tokens: serde_json::from_str(&tokens).map_err(|_| corrupt("option tokens"))?,
        answers: serde_json::from_str(&answers).map_err(|_| corrupt("answers"))?,
        score: r.try_get("score")?,
        max_score: r.try_get("max_score")?,
        passed: passed != 0,
        practice: mode == "practice",
    })
}

pub(crate) const COLUMNS: &str = "id, quiz_id, user_id, started_at, submitted_at, question_ids, option_orders, option_tokens, answers, score, max_score, passed, mode";

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
