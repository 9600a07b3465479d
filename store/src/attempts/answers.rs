//! Answers: saving them as the learner goes, submitting (claim, score, certificate) and the
//! per-question statistics.

use domain::training::{passed, score_question, Course};

use super::progress::{add_months, new_code};
use super::{corrupt, load, Answers, Attempt, Outcome, SubmitRefused};
use crate::audit::{self, Actor, Event};
use crate::{Db, StoreError};
use corpus::courses::Catalogue;
use sqlx::Row;
use std::sync::Arc;

/// Saves answers of an open attempt within its time limit (they replace the saved ones for the
/// questions they name). `answers` name options by the attempt's tokens; they are stored as
/// content ids. `Ok(false)`: not open (submitted or past the limit).
pub async fn save_answers(
    db: &Db,
    catalogue: &Arc<Catalogue>,
    attempt: &Attempt,
    answers: &Answers,
    now: i64,
) -> Result<bool, SubmitRefused> {
    let course = &catalogue
        .by_quiz(&attempt.quiz_id)
        .ok_or(SubmitRefused::NotFound)?
        .course;
    let answers = attempt
        .answers_from_tokens(answers)
        .map_err(SubmitRefused::Invalid)?;
    if attempt.deadline(course).is_some_and(|d| now > d) {
        return Ok(false);
    }
    let mut merged = attempt.answers.clone();
    merged.extend(answers);
    let json = serde_json::to_string(&merged).map_err(|_| corrupt("answers"))?;
    let (id, user_id) = (attempt.id, attempt.user_id);
    let n = db
        .write(move |tx| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE quiz_attempts SET answers = $1 WHERE id = $2 AND user_id = $3 AND submitted_at IS NULL",
                )
                .bind(json)
                .bind(id)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
                Ok(done.rows_affected())
            })
        })
        .await?;
    Ok(n == 1)
}

/// Submits attempt `id` of `user_id` with `answers` (by the attempt's tokens, merged over the
/// saved ones). After the time limit plus grace, only the saved answers count. Passing issues
/// a certificate.
pub async fn submit(
    db: &Db,
    catalogue: &Arc<Catalogue>,
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
    let answers = &attempt
        .answers_from_tokens(answers)
        .map_err(SubmitRefused::Invalid)?;
    let course = &catalogue
        .by_quiz(&attempt.quiz_id)
        .ok_or(SubmitRefused::NotFound)?
        .course;
    let late = attempt.deadline(course).is_some_and(|d| now > d);
    let answers = (!late).then(|| answers.clone());
    let (catalogue, actor) = (catalogue.clone(), actor.clone());
    let outcome = db
        .write(move |tx| {
            Box::pin(async move {
                let course = &catalogue
                    .by_quiz(&attempt.quiz_id)
                    .ok_or_else(|| corrupt("quiz no longer in the catalogue"))?
                    .course;
                finish(tx, course, &attempt, answers.as_ref(), now, &actor).await
            })
        })
        .await?;
    match outcome {
        Some(mut o) => {
            o.late = late;
            Ok(o)
        }
        None => Err(SubmitRefused::AlreadySubmitted),
    }
}

/// Claims, scores and closes `attempt` inside `tx`; `None` when it was already submitted.
/// `answers` (if any) are merged over the saved ones, re-read after the claim.
pub(super) async fn finish(
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
            "INSERT INTO certificates (code, user_id, course_id, attempt_id, issued_at, expires_at, regulation_version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&code)
        .bind(attempt.user_id)
        .bind(&course.id)
        .bind(attempt.id)
        .bind(at)
        .bind(expires_at)
        .bind(course.regulation_version.as_deref())
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
