//! The account and unit pages of administrators (`/admin/users`, `/admin/units`) and their
//! forms, which answer with a redirect carrying `?status=` or `?error=`.

use app::pages::admin::{AdminUnitRow, AdminUnitsView, AdminUserRow, AdminUsersView};
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use store::users::{NewUser, Role, UserUpdate};

use super::service::{self, AdminError};
use crate::error::AppError;
use crate::page::{redirect, view, Page, PageError, PageId};
use crate::state::AppState;

pub(super) fn unit_rows(units: Vec<domain::directory::Unit>) -> Vec<AdminUnitRow> {
    units
        .into_iter()
        .map(|u| AdminUnitRow {
            code: u.code,
            name_zh: u.name_zh,
            name_en: u.name_en,
            kind: u.kind.as_str().into(),
            level: u.level.as_str().into(),
            region: u.region,
            parent: u.parent,
        })
        .collect()
}

/// `GET /admin/users`.
pub async fn users_page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let users = store::users::list_users(&state.db).await?;
    let units = store::units::list_units(&state.db).await?;
    let users = users
        .into_iter()
        .map(|u| AdminUserRow {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            unit_code: u.unit_code,
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            disabled: u.disabled,
            must_change_password: u.must_change_password,
        })
        .collect();
    let units = unit_rows(units);
    Ok(view(AdminUsersView { users, units }).into_response())
}

/// Fields of the user forms. Roles come as `role_<code>=on` checkboxes.
#[derive(serde::Deserialize)]
pub struct UserForm {
    login: Option<String>,
    display_name: String,
    unit_code: Option<String>,
    temp_password: Option<String>,
    disabled: Option<String>,
    role_admin: Option<String>,
    role_training_admin: Option<String>,
    role_lead_handler: Option<String>,
    role_coordinator: Option<String>,
    role_member: Option<String>,
}

impl UserForm {
    fn roles(&self) -> Vec<Role> {
        [
            (&self.role_admin, Role::Admin),
            (&self.role_training_admin, Role::TrainingAdmin),
            (&self.role_lead_handler, Role::LeadHandler),
            (&self.role_coordinator, Role::Coordinator),
            (&self.role_member, Role::Member),
        ]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, r)| r)
        .collect()
    }
}

/// Where a user form goes back to.
fn back_to_users(result: Result<(), AdminError>, done: &str) -> Response {
    match result {
        Ok(()) => redirect(&format!("/admin/users?status={done}")),
        Err(AdminError::Refused(r)) => redirect(&format!("/admin/users?error={}", r.code())),
        Err(AdminError::NotFound) => AppError::NotFound.into_response(),
        Err(AdminError::Store(e)) => AppError::from(e).into_response(),
    }
}

/// `POST /admin/users`: creates a user with a temporary password to be changed at first sign-in.
pub async fn create_user(
    State(state): State<AppState>,
    page: Page,
    form: Result<Form<UserForm>, FormRejection>,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let Ok(Form(form)) = form else {
        return Ok(redirect("/admin/users?error=form"));
    };
    let new = NewUser {
        login: form.login.clone().unwrap_or_default().trim().to_string(),
        display_name: form.display_name.trim().to_string(),
        unit_code: form.unit_code.clone().filter(|c| !c.is_empty()),
        roles: form.roles(),
        must_change_password: true,
    };
    let password = form.temp_password.clone().unwrap_or_default();
    let result = service::create_user(&state, &page.caller, new, password).await;
    Ok(back_to_users(result.map(|_| ()), "created"))
}

/// `POST /admin/users/{id}`: name, unit, roles, disabled.
pub async fn update_user(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    form: Result<Form<UserForm>, FormRejection>,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let Ok(Form(form)) = form else {
        return Ok(redirect("/admin/users?error=form"));
    };
    let update = UserUpdate {
        display_name: form.display_name.trim().to_string(),
        unit_code: form.unit_code.clone().filter(|c| !c.is_empty()),
        roles: form.roles(),
        disabled: form.disabled.is_some(),
    };
    let result = service::update_user(&state, &page.caller, id, &update).await;
    Ok(back_to_users(result, "saved"))
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    temp_password: String,
}

/// `POST /admin/users/{id}/reset-password`: a temporary password that must be changed at next
/// sign-in; the user's sessions and tokens end.
pub async fn reset_password(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    form: Result<Form<ResetForm>, FormRejection>,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let Ok(Form(form)) = form else {
        return Ok(redirect("/admin/users?error=form"));
    };
    let result = service::reset_password(&state, &page.caller, id, form.temp_password).await;
    Ok(back_to_users(result, "reset"))
}

/// `GET /admin/units`.
pub async fn units_page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let units = unit_rows(store::units::list_units(&state.db).await?);
    Ok(view(AdminUnitsView { units }).into_response())
}

#[derive(serde::Deserialize)]
pub struct UnitForm {
    name_zh: String,
    name_en: String,
    parent_code: Option<String>,
}

/// `POST /admin/units/{code}`: names and parent.
pub async fn update_unit(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    form: Result<Form<UnitForm>, FormRejection>,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let Ok(Form(form)) = form else {
        return Ok(redirect("/admin/units?error=form"));
    };
    let result = service::update_unit(
        &state,
        &page.caller,
        &code,
        &form.name_zh,
        &form.name_en,
        form.parent_code,
    )
    .await;
    Ok(match result {
        Ok(()) => redirect("/admin/units?status=saved"),
        Err(AdminError::Refused(r)) => redirect(&format!("/admin/units?error={}", r.code())),
        Err(AdminError::NotFound) => AppError::NotFound.into_response(),
        Err(AdminError::Store(e)) => AppError::from(e).into_response(),
    })
}

/// `GET /admin`: the administrator's start page.
pub async fn admin_home(page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    Ok(view(()).into_response())
}
