//! Course assignments: to a unit, a role in it or selected people of it, with a due date; and,
//! under Article 11, from the home justice bureau and lawyers' association to the lawyers of
//! their district's law firms, of one firm, or chosen lawyers.
//!
//! Who an assignment is for is resolved in SQL ([`LEARNERS`]) whenever it is read, so people
//! who join a unit or a firm later are included.

use std::collections::BTreeMap;

use sqlx::Row;

use super::corrupt;
use crate::audit::{self, Actor, Event};
use crate::lock::{lock, Lock};
use crate::{Db, StoreError};

/// Who an assignment is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Everyone in the unit.
    Unit,
    /// The unit's holders of a role.
    Role(crate::users::Role),
    /// Selected people (user ids): of the unit, or (Art. 11) lawyers of the district's firms.
    People(Vec<i64>),
    /// Art. 11: every lawyer of every law firm registered in the assigning unit's district.
    DistrictLawyers,
    /// Art. 11: the lawyers of one law firm of the district (its unit code).
    Firm(String),
}

impl Target {
    /// The code stored in `training_assignments.target` (and accepted by the API).
    pub fn code(&self) -> String {
        match self {
            Target::Unit => "unit".into(),
            Target::Role(r) => format!("role:{}", r.as_str()),
            Target::People(_) => "people".into(),
            Target::DistrictLawyers => "district_lawyers".into(),
            Target::Firm(f) => format!("firm:{f}"),
        }
    }

    fn parse(code: &str, people: Vec<i64>) -> Option<Target> {
        match code {
            "unit" => Some(Target::Unit),
            "people" => Some(Target::People(people)),
            "district_lawyers" => Some(Target::DistrictLawyers),
            _ => match code.strip_prefix("firm:") {
                Some(f) => Some(Target::Firm(f.to_string())),
                None => code
                    .strip_prefix("role:")
                    .and_then(crate::users::Role::parse)
                    .map(Target::Role),
            },
        }
    }
}

/// One row per (assignment, person it is for): `assignment_id, assigner, course_id, due_at,
/// user_id, unit_code` (the person's unit). `{filter}` restricts the rows (`ta.…` for the
/// assignment, `u.…` for the person) and is repeated in each branch:
/// - a unit or role target: the enabled members of the assigning unit (holding the role);
/// - selected people: the listed people, wherever they are (lawyers under Art. 11);
/// - Art. 11: the enabled users of one firm (`firm:<code>`) or of every district law firm of
///   the assigning unit's region (`district_lawyers`).
///
/// Three index-friendly branches rather than one join on an `OR`.
pub(crate) const LEARNERS: &str = "SELECT ta.id AS assignment_id, ta.unit_code AS assigner, ta.course_id, ta.due_at, u.id AS user_id, u.unit_code \
    FROM training_assignments ta JOIN users u ON u.unit_code = ta.unit_code AND u.disabled = 0 \
    WHERE {filter} AND (ta.target = 'unit' \
        OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND ta.target = 'role:' || r.role)) \
    UNION ALL \
    SELECT ta.id, ta.unit_code, ta.course_id, ta.due_at, u.id, u.unit_code \
    FROM training_assignments ta JOIN training_assignees x ON x.assignment_id = ta.id \
        JOIN users u ON u.id = x.user_id AND u.disabled = 0 \
    WHERE {filter} AND ta.target = 'people' \
    UNION ALL \
    SELECT ta.id, ta.unit_code, ta.course_id, ta.due_at, u.id, u.unit_code \
    FROM training_assignments ta JOIN units o ON o.code = ta.unit_code \
        JOIN units f ON f.kind = 'law_firm' AND (ta.target = 'firm:' || f.code \
            OR (ta.target = 'district_lawyers' AND f.level = 'district' AND f.region = o.region)) \
        JOIN users u ON u.unit_code = f.code AND u.disabled = 0 \
    WHERE {filter} AND (ta.target = 'district_lawyers' OR ta.target LIKE 'firm:%')";

/// [`LEARNERS`] restricted by `filter`.
pub(crate) fn learners(filter: &str) -> String {
    LEARNERS.replace("{filter}", filter)
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

/// The enabled users of the law firms registered in `region`'s district (Art. 11: whom the
/// district justice bureau and lawyers' association may assign courses to), by name; with
/// each one's firm.
pub async fn district_lawyers(db: &Db, region: &str) -> Result<Vec<(Member, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.login, u.display_name, u.unit_code FROM users u JOIN units f ON f.code = u.unit_code WHERE f.kind = 'law_firm' AND f.level = 'district' AND f.region = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(region)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                Member {
                    id: r.try_get("id")?,
                    login: r.try_get("login")?,
                    display_name: r.try_get("display_name")?,
                    roles: Vec::new(),
                },
                r.try_get("unit_code")?,
            ))
        })
        .collect()
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
    lock(&mut tx, Lock::Schema).await?;
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
    lock(&mut tx, Lock::Schema).await?;
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

/// A person an assignment of a unit is for, with their certificate of its course.
#[derive(Clone, Debug)]
pub struct LearnerRow {
    pub assignment_id: i64,
    pub user_id: i64,
    pub login: String,
    pub display_name: String,
    /// The person's unit (a law firm for Art. 11 assignments).
    pub unit_code: String,
    /// Issue and expiry time of the person's newest certificate of the course, if any.
    pub certificate: Option<(i64, i64)>,
    /// The regulation version recorded on that certificate.
    pub regulation_version: Option<String>,
}

/// Every (assignment of `unit`, person it is for), by assignment and name; one query.
pub async fn assignment_learners(db: &Db, unit: &str) -> Result<Vec<LearnerRow>, StoreError> {
    let sql = format!(
        "SELECT l.assignment_id, l.user_id, u.login, u.display_name, l.unit_code, \
            (SELECT MAX(c.issued_at) FROM certificates c WHERE c.user_id = l.user_id AND c.course_id = l.course_id) AS issued_at, \
            (SELECT MAX(c.expires_at) FROM certificates c WHERE c.user_id = l.user_id AND c.course_id = l.course_id) AS expires_at, \
            (SELECT c.regulation_version FROM certificates c WHERE c.user_id = l.user_id AND c.course_id = l.course_id ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) AS regulation_version \
         FROM ({}) l JOIN users u ON u.id = l.user_id \
         ORDER BY l.assignment_id, u.display_name, u.id",
        learners("ta.unit_code = $1")
    );
    let rows = sqlx::query(&sql).bind(unit).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let issued: Option<i64> = r.try_get("issued_at")?;
            let expires: Option<i64> = r.try_get("expires_at")?;
            Ok(LearnerRow {
                assignment_id: r.try_get("assignment_id")?,
                user_id: r.try_get("user_id")?,
                login: r.try_get("login")?,
                display_name: r.try_get("display_name")?,
                unit_code: r.try_get("unit_code")?,
                certificate: issued.zip(expires),
                regulation_version: r.try_get("regulation_version")?,
            })
        })
        .collect()
}

/// The courses required of `user_id`, by any unit (their own, or under Art. 11 the justice
/// bureau or lawyers' association of their firm's district): course id → the earliest due
/// date.
pub async fn required_courses(db: &Db, user_id: i64) -> Result<BTreeMap<String, i64>, StoreError> {
    let sql = format!(
        "SELECT l.course_id, MIN(l.due_at) AS due_at FROM ({}) l GROUP BY l.course_id",
        learners("u.id = $1")
    );
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("course_id")?, r.try_get("due_at")?)))
        .collect()
}
