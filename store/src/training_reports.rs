//! Training reports: completion of assigned courses, attempts and pass rates, overdue people
//! and completions over time, for a set of units, each computed by a fixed number of aggregate
//! queries however many units, people or assignments there are.
//!
//! Who a course is assigned to is resolved in SQL ([`ASSIGNED`] over `attempts::learners`): the
//! unit's enabled members for a unit target, its holders of the role for a role target, the
//! listed people, and under Article 11 the lawyers of a firm or of the district's firms; each
//! person and course once, with the earliest due date, counted under the person's unit. A person has completed a course
//! while holding a certificate of it that has not expired (as on the administrator's page).

use std::collections::BTreeMap;

use domain::training_report::Counts;
use sqlx::Row;

use crate::{Db, StoreError};
use corpus::courses::Catalogue;

/// One row per (unit, course, person) a course is assigned to, with the earliest due date;
/// the unit is the person's (a law firm's lawyers count under their firm, whoever assigned
/// the course). `{filter}` restricts the rows as in `attempts::learners`.
const ASSIGNED: &str = "SELECT l.unit_code, l.course_id, l.user_id, MIN(l.due_at) AS due_at \
    FROM ({learners}) l GROUP BY l.unit_code, l.course_id, l.user_id";

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn assigned(filter: &str) -> String {
    ASSIGNED.replace("{learners}", &crate::attempts::learners(filter))
}

fn count(r: &sqlx::any::AnyRow, col: &str) -> Result<u64, StoreError> {
    let n: Option<i64> = r.try_get(col)?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// The figures per (unit, course) of `units` at `now`. Units and courses without anything to
/// count are left out.
pub async fn counts(
    db: &Db,
    catalogue: &Catalogue,
    units: &[String],
    now: i64,
) -> Result<BTreeMap<(String, String), Counts>, StoreError> {
    let mut out: BTreeMap<(String, String), Counts> = BTreeMap::new();
    if units.is_empty() {
        return Ok(out);
    }
    let list = placeholders(2, units.len());
    // Completion of assigned courses.
    let sql = format!(
        "SELECT p.unit_code, p.course_id, COUNT(*) AS assigned, \
            CAST(SUM(CASE WHEN c.user_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS completed, \
            CAST(SUM(CASE WHEN c.user_id IS NULL AND p.due_at < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM ({}) p \
         LEFT JOIN (SELECT DISTINCT user_id, course_id FROM certificates WHERE expires_at > $1) c \
            ON c.user_id = p.user_id AND c.course_id = p.course_id \
         GROUP BY p.unit_code, p.course_id",
        assigned(&format!("u.unit_code IN ({list})"))
    );
    let mut q = sqlx::query(&sql).bind(now);
    for u in units {
        q = q.bind(u);
    }
    for r in q.fetch_all(&db.pool).await? {
        let key = (r.try_get("unit_code")?, r.try_get("course_id")?);
        let c = out.entry(key).or_default();
        c.assigned = count(&r, "assigned")?;
        c.completed = count(&r, "completed")?;
        c.overdue = count(&r, "overdue")?;
    }
    // Submitted exam attempts and passes, by the learner's unit.
    let sql = format!(
        "SELECT u.unit_code, a.quiz_id, COUNT(*) AS attempts, CAST(SUM(a.passed) AS BIGINT) AS passed \
         FROM quiz_attempts a JOIN users u ON u.id = a.user_id \
         WHERE a.mode = 'exam' AND a.submitted_at IS NOT NULL AND a.started_at <= $1 AND u.unit_code IN ({list}) \
         GROUP BY u.unit_code, a.quiz_id"
    );
    let mut q = sqlx::query(&sql).bind(now);
    for u in units {
        q = q.bind(u);
    }
    for r in q.fetch_all(&db.pool).await? {
        let quiz: String = r.try_get("quiz_id")?;
        let Some(lc) = catalogue.by_quiz(&quiz) else {
            continue;
        };
        let key = (r.try_get("unit_code")?, lc.course.id.clone());
        let c = out.entry(key).or_default();
        c.attempts = count(&r, "attempts")?;
        c.passed = count(&r, "passed")?;
    }
    // Holders of a valid certificate, assigned or not.
    let sql = format!(
        "SELECT u.unit_code, c.course_id, COUNT(DISTINCT c.user_id) AS holders \
         FROM certificates c JOIN users u ON u.id = c.user_id \
         WHERE c.expires_at > $1 AND u.unit_code IN ({list}) \
         GROUP BY u.unit_code, c.course_id"
    );
    let mut q = sqlx::query(&sql).bind(now);
    for u in units {
        q = q.bind(u);
    }
    for r in q.fetch_all(&db.pool).await? {
        let key = (r.try_get("unit_code")?, r.try_get("course_id")?);
        out.entry(key).or_default().holders = count(&r, "holders")?;
    }
    Ok(out)
}

/// A person past the due date of an assigned course without a valid certificate of it.
#[derive(Clone, Debug)]
pub struct Overdue {
    pub unit_code: String,
    pub user_id: i64,
    pub login: String,
    pub display_name: String,
    pub course_id: String,
    pub due_at: i64,
}

/// The overdue people of `units` at `now`, by unit, due date and name; at most `limit`, and
/// how many there are in all.
pub async fn overdue_people(
    db: &Db,
    units: &[String],
    now: i64,
    limit: i64,
) -> Result<(Vec<Overdue>, u64), StoreError> {
    if units.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let from = format!(
        "FROM ({}) p JOIN users u ON u.id = p.user_id \
         WHERE p.due_at < $1 AND NOT EXISTS (SELECT 1 FROM certificates c \
            WHERE c.user_id = p.user_id AND c.course_id = p.course_id AND c.expires_at > $1)",
        assigned(&format!(
            "u.unit_code IN ({})",
            placeholders(3, units.len())
        ))
    );
    let sql = format!(
        "SELECT p.unit_code, p.course_id, p.due_at, u.id, u.login, u.display_name, COUNT(*) OVER () AS total {from} \
         ORDER BY p.unit_code, p.due_at, u.display_name, u.id, p.course_id LIMIT $2"
    );
    let mut q = sqlx::query(&sql).bind(now).bind(limit);
    for u in units {
        q = q.bind(u);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let total = match rows.first() {
        Some(r) => count(r, "total")?,
        None => 0,
    };
    let people = rows
        .iter()
        .map(|r| {
            Ok(Overdue {
                unit_code: r.try_get("unit_code")?,
                user_id: r.try_get("id")?,
                login: r.try_get("login")?,
                display_name: r.try_get("display_name")?,
                course_id: r.try_get("course_id")?,
                due_at: r.try_get("due_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((people, total))
}

fn per_day(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<(i64, u64)>, StoreError> {
    rows.iter()
        .map(|r| Ok((r.try_get::<i64, _>("d")?, count(r, "n")?)))
        .collect()
}

/// `first_at` (Unix ms) → Beijing day number, as SQL.
const DAY: &str = "(f.first_at + 28800000) / 86400000";

/// Per Beijing day (see `domain::training_report::day_of`), how many members of `units` got
/// their first certificate of `course_id`.
pub async fn completions_per_day(
    db: &Db,
    units: &[String],
    course_id: &str,
) -> Result<Vec<(i64, u64)>, StoreError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {DAY} AS d, COUNT(*) AS n FROM (\
            SELECT c.user_id, MIN(c.issued_at) AS first_at FROM certificates c JOIN users u ON u.id = c.user_id \
            WHERE c.course_id = $1 AND u.unit_code IN ({}) GROUP BY c.user_id) f \
         GROUP BY {DAY} ORDER BY 1",
        placeholders(2, units.len())
    );
    let mut q = sqlx::query(&sql).bind(course_id);
    for u in units {
        q = q.bind(u);
    }
    per_day(q.fetch_all(&db.pool).await?)
}

/// For assignment `id`: how many people it is for, and per Beijing day how many of them got
/// their first certificate of its course.
pub async fn assignment_completions_per_day(
    db: &Db,
    id: i64,
) -> Result<(u64, Vec<(i64, u64)>), StoreError> {
    let people = assigned("ta.id = $1");
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({people}) p"))
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let sql = format!(
        "SELECT {DAY} AS d, COUNT(*) AS n FROM (\
            SELECT p.user_id, MIN(c.issued_at) AS first_at FROM ({people}) p \
            JOIN certificates c ON c.user_id = p.user_id AND c.course_id = p.course_id GROUP BY p.user_id) f \
         GROUP BY {DAY} ORDER BY 1"
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(&db.pool).await?;
    Ok((total.max(0) as u64, per_day(rows)?))
}
