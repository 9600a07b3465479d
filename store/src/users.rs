//! Accounts, their unit and roles, and the demo accounts of `interfaces.md`.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::lock::{lock, Lock};
use crate::passwords::{hash_password, PasswordHashString};
use crate::{now_ms, Db, StoreError};

/// A role a user holds. The joint office is the lead-handler role at the home justice bureau.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    TrainingAdmin,
    LeadHandler,
    Coordinator,
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::TrainingAdmin,
        Role::LeadHandler,
        Role::Coordinator,
        Role::Member,
    ];

    /// Stable code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TrainingAdmin => "training_admin",
            Role::LeadHandler => "lead_handler",
            Role::Coordinator => "coordinator",
            Role::Member => "member",
        }
    }

    /// Parses [`Role::as_str`].
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user as the rest of the portal sees it: no password material.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    pub disabled: bool,
}

impl User {
    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A user with the stored hash, for signing in only.
pub struct Credentials {
    pub user: User,
    pub hash: Option<PasswordHashString>,
}

/// What creating a user needs.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

async fn roles_of(db: &Db, ids: &[i64]) -> Result<Vec<(i64, Role)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY user_id, role",
        placeholders.join(",")
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id: i64 = r.try_get("user_id").ok()?;
            let role: String = r.try_get("role").ok()?;
            Some((id, Role::parse(&role)?))
        })
        .collect())
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: r.try_get("id")?,
        login: r.try_get("login")?,
        display_name: r.try_get("display_name")?,
        unit_code: r.try_get("unit_code")?,
        roles: Vec::new(),
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

const USER_COLUMNS: &str = "id, login, display_name, unit_code, must_change_password, disabled";

/// [`USER_COLUMNS`] of `users u` for a join, with `r.role` of a `LEFT JOIN user_roles r` (one
/// row per role, or one with no role).
pub(crate) const USER_ROLE_COLUMNS: &str =
    "u.id, u.login, u.display_name, u.unit_code, u.must_change_password, u.disabled, r.role";

/// One user from the rows of a query of [`USER_ROLE_COLUMNS`] (all rows of the same user).
pub(crate) fn user_from_role_rows(rows: &[sqlx::any::AnyRow]) -> Result<Option<User>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut user = user_from_row(first)?;
    for r in rows {
        let role: Option<String> = r.try_get("role")?;
        if let Some(role) = role.as_deref().and_then(Role::parse) {
            user.roles.push(role);
        }
    }
    user.roles.sort_by_key(|r| r.as_str());
    Ok(Some(user))
}

/// Fills in roles for `users` with one query.
async fn with_roles(db: &Db, mut users: Vec<User>) -> Result<Vec<User>, StoreError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let roles = roles_of(db, &ids).await?;
    for u in &mut users {
        u.roles = roles
            .iter()
            .filter(|(id, _)| *id == u.id)
            .map(|(_, r)| *r)
            .collect();
    }
    Ok(users)
}

/// The user with `id`.
pub async fn find_user(db: &Db, id: i64) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some(r) => Ok(with_roles(db, vec![user_from_row(&r)?]).await?.pop()),
        None => Ok(None),
    }
}

/// The user with `login` and the stored hash, for signing in.
pub async fn find_credentials(db: &Db, login: &str) -> Result<Option<Credentials>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE login = $1"
    ))
    .bind(login)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let hash: Option<String> = r.try_get("password_hash")?;
    let user = with_roles(db, vec![user_from_row(&r)?])
        .await?
        .pop()
        .ok_or_else(|| StoreError::Corrupt("user vanished".into()))?;
    Ok(Some(Credentials {
        user,
        hash: hash.map(PasswordHashString),
    }))
}

/// All users, ordered by login.
pub async fn list_users(db: &Db) -> Result<Vec<User>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"))
        .fetch_all(&db.pool)
        .await?;
    let users = rows
        .iter()
        .map(user_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    with_roles(db, users).await
}

/// Inserts a user inside `tx` with an optional password hash; returns the id.
pub async fn insert_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    new: &NewUser,
    hash: Option<&PasswordHashString>,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (login, display_name, unit_code, password_hash, must_change_password, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
    )
    .bind(&new.login)
    .bind(&new.display_name)
    .bind(&new.unit_code)
    .bind(hash.map(|h| h.0.clone()))
    .bind(new.must_change_password as i64)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    for role in &new.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// Stores a new password hash; `must_change` forces a change at next sign-in.
pub async fn set_password_hash(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    hash: &PasswordHashString,
    must_change: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(&hash.0)
        .bind(must_change as i64)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether any user exists.
pub async fn any_users(db: &Db) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// The demo password of `interfaces.md`.
pub const DEMO_PASSWORD: &str = "demo-pass-2021";

/// The demo accounts: login, display name, unit, roles.
pub fn demo_accounts() -> Vec<(&'static str, &'static str, Option<&'static str>, Vec<Role>)> {
    use Role::*;
    vec![
        ("admin", "系统管理员", None, vec![Admin]),
        (
            "dz-justice-officer",
            "大足区司法局联合办公室",
            Some("dz-justice"),
            vec![LeadHandler, Member],
        ),
        (
            "dz-court-officer",
            "大足区人民法院线索专员",
            Some("dz-court"),
            vec![LeadHandler, Member],
        ),
        (
            "dz-procuratorate-officer",
            "大足区人民检察院线索专员",
            Some("dz-procuratorate"),
            vec![LeadHandler, Member],
        ),
        (
            "dz-psb-officer",
            "大足区公安局线索专员",
            Some("dz-psb"),
            vec![LeadHandler, Member],
        ),
        (
            "dz-bar-officer",
            "大足区律师协会线索专员",
            Some("dz-bar"),
            vec![LeadHandler, Member],
        ),
        (
            "yc-court-officer",
            "永川区人民法院线索专员",
            Some("yc-court"),
            vec![LeadHandler, Member],
        ),
        (
            "cq-court-1-officer",
            "市一中院线索专员",
            Some("cq-court-1"),
            vec![LeadHandler, Member],
        ),
        (
            "dz-court-training",
            "大足区人民法院培训管理员",
            Some("dz-court"),
            vec![TrainingAdmin, Member],
        ),
        // Article 11: the justice bureau and the lawyers' association train the lawyers.
        (
            "dz-justice-training",
            "大足区司法局培训管理员",
            Some("dz-justice"),
            vec![TrainingAdmin, Member],
        ),
        (
            "dz-bar-training",
            "大足区律师协会培训管理员",
            Some("dz-bar"),
            vec![TrainingAdmin, Member],
        ),
        (
            "dz-judges-coordinator",
            "大足区法官协会联络员",
            Some("dz-judges-assoc"),
            vec![Coordinator, Member],
        ),
        (
            "dz-bar-coordinator",
            "大足区律师协会联络员",
            Some("dz-bar"),
            vec![Coordinator, Member],
        ),
        (
            "dz-prosecutors-coordinator",
            "大足区检察官协会联络员",
            Some("dz-prosecutors-assoc"),
            vec![Coordinator, Member],
        ),
        (
            "dz-police-coordinator",
            "大足区警察协会联络员",
            Some("dz-police-assoc"),
            vec![Coordinator, Member],
        ),
        ("judge-zhang", "张法官", Some("dz-court"), vec![Member]),
        (
            "prosecutor-li",
            "李检察官",
            Some("dz-procuratorate"),
            vec![Member],
        ),
        ("officer-wang", "王警官", Some("dz-psb"), vec![Member]),
        ("lawyer-chen", "陈律师", Some("dz-firm-1"), vec![Member]),
    ]
}

/// Creates the demo accounts on an empty user table. Returns how many were created.
pub async fn seed_demo_accounts(db: &Db) -> Result<usize, StoreError> {
    if any_users(db).await? {
        return Ok(0);
    }
    let accounts = demo_accounts();
    // One hash for all: the demo password is public anyway, and start-up stays fast.
    let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let mut tx = db.pool.begin().await?;
    lock(&mut tx, Lock::Schema).await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Ok(0);
    }
    for (login, name, unit, roles) in &accounts {
        let new = NewUser {
            login: login.to_string(),
            display_name: name.to_string(),
            unit_code: unit.map(String::from),
            roles: roles.clone(),
            must_change_password: false,
        };
        insert_user(&mut tx, &new, Some(&hash)).await?;
    }
    crate::audit::append(
        &mut tx,
        &crate::audit::Actor {
            login: Some("system".into()),
            ..Default::default()
        },
        crate::audit::Event {
            action: "demo.seed",
            object_type: Some("users"),
            object_id: None,
            detail: Some(format!("{} demo accounts", accounts.len())),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(accounts.len())
}

/// What an administrator may change on a user.
#[derive(Clone, Debug)]
pub struct UserUpdate {
    pub display_name: String,
    pub unit_code: Option<String>,
    pub roles: Vec<Role>,
    pub disabled: bool,
}

/// Applies `update` to user `id` inside `tx`; returns whether the user exists. Disabling ends
/// the user's sessions and tokens.
pub async fn update_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    update: &UserUpdate,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE users SET display_name = $1, unit_code = $2, disabled = $3 WHERE id = $4",
    )
    .bind(&update.display_name)
    .bind(&update.unit_code)
    .bind(update.disabled as i64)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for role in &update.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut **tx)
            .await?;
    }
    if update.disabled {
        crate::sessions::revoke_all(tx, id, None).await?;
    }
    Ok(true)
}

/// All logins in use (lower-cased), for validating imports.
pub async fn all_logins(db: &Db) -> Result<Vec<String>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT login FROM users")
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|l| l.to_lowercase()).collect())
}

/// Checks a login's shape: 1–64 ASCII letters, digits, '-', '_' or '.'.
pub fn valid_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
