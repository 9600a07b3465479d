//! The use cases of administration: creating and changing accounts, resetting a password,
//! renaming units. Each checks its input, writes, and audits in the same transaction. No HTTP
//! types: a refusal is an [`AdminRefused`] whose code the page shows.

use store::audit::{self, Event};
use store::sessions::Caller;
use store::users::{NewUser, Role, UserUpdate};
use store::StoreError;

use crate::state::AppState;

/// Why an administrator's change was refused (the code goes into the page's `?error=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminRefused {
    /// The login is malformed or taken.
    Login,
    Name,
    Unit,
    Password,
    /// An administrator may not disable themself or drop their own administrator role.
    OwnAccount,
}

impl AdminRefused {
    pub fn code(self) -> &'static str {
        match self {
            AdminRefused::Login => "login",
            AdminRefused::Name => "name",
            AdminRefused::Unit => "unit",
            AdminRefused::Password => "password",
            AdminRefused::OwnAccount => "self",
        }
    }
}

/// Why an administrator's change did not happen.
#[derive(Debug)]
pub enum AdminError {
    Refused(AdminRefused),
    NotFound,
    Store(StoreError),
}

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> Self {
        AdminError::Store(e)
    }
}

impl From<sqlx::Error> for AdminError {
    fn from(e: sqlx::Error) -> Self {
        AdminError::Store(e.into())
    }
}

impl From<AdminRefused> for AdminError {
    fn from(r: AdminRefused) -> Self {
        AdminError::Refused(r)
    }
}

fn valid_name(name: &str) -> bool {
    domain::identity::valid_display_name(name)
}

/// Whether the unit code (empty or absent: no unit) is in the directory.
async fn unit_exists(state: &AppState, code: Option<&str>) -> Result<bool, StoreError> {
    match code.filter(|c| !c.is_empty()) {
        None => Ok(true),
        Some(c) => Ok(store::units::list_units(&state.db)
            .await?
            .iter()
            .any(|u| u.code == c)),
    }
}

/// Creates a user whose temporary password must be changed at first sign-in.
pub async fn create_user(
    state: &AppState,
    caller: &Caller,
    new: NewUser,
    password: String,
) -> Result<i64, AdminError> {
    if !store::users::valid_login(&new.login) {
        return Err(AdminRefused::Login.into());
    }
    if !valid_name(&new.display_name) {
        return Err(AdminRefused::Name.into());
    }
    if !unit_exists(state, new.unit_code.as_deref()).await? {
        return Err(AdminRefused::Unit.into());
    }
    if store::passwords::check_new_password(&password).is_err() {
        return Err(AdminRefused::Password.into());
    }
    if store::users::all_logins(&state.db)
        .await?
        .contains(&new.login.to_lowercase())
    {
        return Err(AdminRefused::Login.into());
    }
    let hash = store::passwords::hash_password(password).await?;
    let mut tx = state.db.pool.begin().await?;
    let id = store::users::insert_user(&mut tx, &new, Some(&hash)).await?;
    let roles: Vec<&str> = new.roles.iter().map(|r| r.as_str()).collect();
    let detail = format!(
        "login={}; unit={}; roles={}",
        new.login,
        new.unit_code.clone().unwrap_or_default(),
        roles.join(";")
    );
    let created = Event {
        action: "admin.user_created",
        object_type: Some("user"),
        object_id: Some(id.to_string()),
        detail: Some(detail),
    };
    audit::append(&mut tx, &caller.actor(), created).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a user's name, unit, roles and whether the account is disabled.
pub async fn update_user(
    state: &AppState,
    caller: &Caller,
    id: i64,
    update: &UserUpdate,
) -> Result<(), AdminError> {
    if !valid_name(&update.display_name) {
        return Err(AdminRefused::Name.into());
    }
    let me = caller.user().map(|u| u.id);
    if me == Some(id) && (update.disabled || !update.roles.contains(&Role::Admin)) {
        return Err(AdminRefused::OwnAccount.into());
    }
    if !unit_exists(state, update.unit_code.as_deref()).await? {
        return Err(AdminRefused::Unit.into());
    }
    let mut tx = state.db.pool.begin().await?;
    if !store::users::update_user(&mut tx, id, update).await? {
        return Err(AdminError::NotFound);
    }
    let roles: Vec<&str> = update.roles.iter().map(|r| r.as_str()).collect();
    let detail = format!(
        "unit={}; roles={}; disabled={}",
        update.unit_code.clone().unwrap_or_default(),
        roles.join(";"),
        update.disabled
    );
    let updated = Event {
        action: "admin.user_updated",
        object_type: Some("user"),
        object_id: Some(id.to_string()),
        detail: Some(detail),
    };
    audit::append(&mut tx, &caller.actor(), updated).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a temporary password that must be changed at next sign-in; the user's sessions and
/// tokens end.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    id: i64,
    password: String,
) -> Result<(), AdminError> {
    if store::passwords::check_new_password(&password).is_err() {
        return Err(AdminRefused::Password.into());
    }
    if store::users::find_user(&state.db, id).await?.is_none() {
        return Err(AdminError::NotFound);
    }
    let hash = store::passwords::hash_password(password).await?;
    let mut tx = state.db.pool.begin().await?;
    store::users::set_password_hash(&mut tx, id, &hash, true).await?;
    store::sessions::revoke_all(&mut tx, id, None).await?;
    let reset = Event {
        action: "admin.password_reset",
        object_type: Some("user"),
        object_id: Some(id.to_string()),
        detail: None,
    };
    audit::append(&mut tx, &caller.actor(), reset).await?;
    tx.commit().await?;
    Ok(())
}

/// Renames a unit and sets its parent.
pub async fn update_unit(
    state: &AppState,
    caller: &Caller,
    code: &str,
    name_zh: &str,
    name_en: &str,
    parent: Option<String>,
) -> Result<(), AdminError> {
    let (zh, en) = (name_zh.trim(), name_en.trim());
    let ok_len = |s: &str, max: usize| {
        !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
    };
    if !ok_len(zh, 100) || !ok_len(en, 150) {
        return Err(AdminRefused::Name.into());
    }
    let parent = parent.filter(|p| !p.is_empty() && p != code);
    if parent.is_some() && !unit_exists(state, parent.as_deref()).await.unwrap_or(false) {
        return Err(AdminRefused::Unit.into());
    }
    let mut tx = state.db.pool.begin().await?;
    if !store::units::update_unit(&mut tx, code, zh, en, parent.as_deref()).await? {
        return Err(AdminError::NotFound);
    }
    let detail = format!(
        "name_zh={zh}; name_en={en}; parent={}",
        parent.clone().unwrap_or_default()
    );
    let updated = Event {
        action: "admin.unit_updated",
        object_type: Some("unit"),
        object_id: Some(code.to_string()),
        detail: Some(detail),
    };
    audit::append(&mut tx, &caller.actor(), updated).await?;
    tx.commit().await?;
    Ok(())
}
