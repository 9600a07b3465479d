//! Course assignments: to a unit, a role in it or selected people of it, with a due date.

use std::collections::BTreeMap;

use sqlx::Row;

use super::corrupt;
use crate::audit::{self, Actor, Event};
use crate::{Db, StoreError};

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
