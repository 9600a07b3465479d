//! Administration: the data behind `/admin/*` pages and their form handlers (users, units,
//! CSV import, audit trail). Every handler requires the administrator role; every change is
//! written to the audit trail in the same transaction.

use std::collections::HashSet;

use app::pages::admin::{
    AdminUnitRow, AdminUnitsView, AdminUserRow, AdminUsersView, AuditRow, AuditView, ImportView,
};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use store::audit::{self, Event};
use store::import::{apply_import, validate_import, ImportPreview};
use store::sessions::Caller;
use store::users::{NewUser, Role, UserUpdate};

use crate::error::AppError;
use crate::pages::{query_pairs, redirect, render_with, require_role};
use crate::state::AppState;

fn unit_rows(units: Vec<domain::directory::Unit>) -> Vec<AdminUnitRow> {
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

macro_rules! gate {
    ($state:expr, $caller:expr, $req:expr) => {
        match require_role(&$state, &$caller, Role::Admin, $req).await {
            Ok(ok) => ok,
            Err(res) => return res,
        }
    };
}

/// `GET /admin/users`.
pub async fn users_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let loaded = async {
        Ok::<_, store::StoreError>((
            store::users::list_users(&state.db).await?,
            store::units::list_units(&state.db).await?,
        ))
    }
    .await;
    let (users, units) = match loaded {
        Ok(v) => v,
        Err(e) => return AppError::from(e).into_response(),
    };
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
    render_with(
        &state,
        req,
        AdminUsersView {
            users,
            units: unit_rows(units),
        },
    )
    .await
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

async fn unit_exists(state: &AppState, code: &Option<String>) -> Result<bool, AppError> {
    match code.as_deref().filter(|c| !c.is_empty()) {
        None => Ok(true),
        Some(c) => Ok(store::units::list_units(&state.db)
            .await?
            .iter()
            .any(|u| u.code == c)),
    }
}

fn valid_name(name: &str) -> bool {
    let n = name.trim().chars().count();
    n > 0 && n <= 64 && !name.chars().any(char::is_control)
}

/// `POST /admin/users`: creates a user with a temporary password to be changed at first sign-in.
pub async fn create_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let Ok(Form(form)) = Form::<UserForm>::from_request(req, &state).await else {
        return redirect("/admin/users?error=form");
    };
    let login = form.login.clone().unwrap_or_default().trim().to_string();
    let unit = form.unit_code.clone().filter(|c| !c.is_empty());
    if !store::users::valid_login(&login) {
        return redirect("/admin/users?error=login");
    }
    if !valid_name(&form.display_name) {
        return redirect("/admin/users?error=name");
    }
    match unit_exists(&state, &unit).await {
        Ok(true) => {}
        Ok(false) => return redirect("/admin/users?error=unit"),
        Err(e) => return e.into_response(),
    }
    let password = form.temp_password.clone().unwrap_or_default();
    if store::passwords::check_new_password(&password).is_err() {
        return redirect("/admin/users?error=password");
    }
    let new = NewUser {
        login: login.clone(),
        display_name: form.display_name.trim().to_string(),
        unit_code: unit,
        roles: form.roles(),
        must_change_password: true,
    };
    let result = async {
        if store::users::all_logins(&state.db)
            .await?
            .contains(&login.to_lowercase())
        {
            return Ok(None);
        }
        let hash = store::passwords::hash_password(password).await?;
        let mut tx = state.db.pool.begin().await?;
        let id = store::users::insert_user(&mut tx, &new, Some(&hash)).await?;
        let roles: Vec<&str> = new.roles.iter().map(|r| r.as_str()).collect();
        audit::append(
            &mut tx,
            &caller.actor(),
            Event {
                action: "admin.user_created",
                object_type: Some("user"),
                object_id: Some(id.to_string()),
                detail: Some(format!(
                    "login={login}; unit={}; roles={}",
                    new.unit_code.clone().unwrap_or_default(),
                    roles.join(";")
                )),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, store::StoreError>(Some(id))
    }
    .await;
    match result {
        Ok(Some(_)) => redirect("/admin/users?status=created"),
        Ok(None) => redirect("/admin/users?error=login"),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /admin/users/{id}`: name, unit, roles, disabled.
pub async fn update_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (me, req) = gate!(state, caller, req);
    let Ok(Form(form)) = Form::<UserForm>::from_request(req, &state).await else {
        return redirect("/admin/users?error=form");
    };
    let unit = form.unit_code.clone().filter(|c| !c.is_empty());
    let update = UserUpdate {
        display_name: form.display_name.trim().to_string(),
        unit_code: unit.clone(),
        roles: form.roles(),
        disabled: form.disabled.is_some(),
    };
    if !valid_name(&update.display_name) {
        return redirect("/admin/users?error=name");
    }
    if id == me.id && (update.disabled || !update.roles.contains(&Role::Admin)) {
        return redirect("/admin/users?error=self");
    }
    match unit_exists(&state, &unit).await {
        Ok(true) => {}
        Ok(false) => return redirect("/admin/users?error=unit"),
        Err(e) => return e.into_response(),
    }
    let result = async {
        let mut tx = state.db.pool.begin().await?;
        if !store::users::update_user(&mut tx, id, &update).await? {
            return Ok(false);
        }
        let roles: Vec<&str> = update.roles.iter().map(|r| r.as_str()).collect();
        audit::append(
            &mut tx,
            &caller.actor(),
            Event {
                action: "admin.user_updated",
                object_type: Some("user"),
                object_id: Some(id.to_string()),
                detail: Some(format!(
                    "unit={}; roles={}; disabled={}",
                    update.unit_code.clone().unwrap_or_default(),
                    roles.join(";"),
                    update.disabled
                )),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, store::StoreError>(true)
    }
    .await;
    match result {
        Ok(true) => redirect("/admin/users?status=saved"),
        Ok(false) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct ResetForm {
    temp_password: String,
}

/// `POST /admin/users/{id}/reset-password`: a temporary password that must be changed at next
/// sign-in; the user's sessions and tokens end.
pub async fn reset_password(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let Ok(Form(form)) = Form::<ResetForm>::from_request(req, &state).await else {
        return redirect("/admin/users?error=form");
    };
    if store::passwords::check_new_password(&form.temp_password).is_err() {
        return redirect("/admin/users?error=password");
    }
    let result = async {
        if store::users::find_user(&state.db, id).await?.is_none() {
            return Ok(false);
        }
        let hash = store::passwords::hash_password(form.temp_password).await?;
        let mut tx = state.db.pool.begin().await?;
        store::users::set_password_hash(&mut tx, id, &hash, true).await?;
        store::sessions::revoke_all(&mut tx, id, None).await?;
        audit::append(
            &mut tx,
            &caller.actor(),
            Event {
                action: "admin.password_reset",
                object_type: Some("user"),
                object_id: Some(id.to_string()),
                detail: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, store::StoreError>(true)
    }
    .await;
    match result {
        Ok(true) => redirect("/admin/users?status=reset"),
        Ok(false) => AppError::NotFound.into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `GET /admin/units`.
pub async fn units_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    match store::units::list_units(&state.db).await {
        Ok(units) => {
            render_with(
                &state,
                req,
                AdminUnitsView {
                    units: unit_rows(units),
                },
            )
            .await
        }
        Err(e) => AppError::from(e).into_response(),
    }
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
    Extension(caller): Extension<Caller>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let Ok(Form(form)) = Form::<UnitForm>::from_request(req, &state).await else {
        return redirect("/admin/units?error=form");
    };
    let (zh, en) = (form.name_zh.trim(), form.name_en.trim());
    let ok_len = |s: &str, max: usize| {
        !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
    };
    if !ok_len(zh, 100) || !ok_len(en, 150) {
        return redirect("/admin/units?error=name");
    }
    let parent = form.parent_code.filter(|p| !p.is_empty() && *p != code);
    let result = async {
        if parent.is_some() && !unit_exists(&state, &parent).await.unwrap_or(false) {
            return Ok(None);
        }
        let mut tx = state.db.pool.begin().await?;
        if !store::units::update_unit(&mut tx, &code, zh, en, parent.as_deref()).await? {
            return Ok(Some(false));
        }
        audit::append(
            &mut tx,
            &caller.actor(),
            Event {
                action: "admin.unit_updated",
                object_type: Some("unit"),
                object_id: Some(code.clone()),
                detail: Some(format!(
                    "name_zh={zh}; name_en={en}; parent={}",
                    parent.clone().unwrap_or_default()
                )),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, store::StoreError>(Some(true))
    }
    .await;
    match result {
        Ok(Some(true)) => redirect("/admin/units?status=saved"),
        Ok(Some(false)) => AppError::NotFound.into_response(),
        Ok(None) => redirect("/admin/units?error=unit"),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `GET /admin/import`.
pub async fn import_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    render_with(&state, req, ImportView::default()).await
}

fn import_view(csv: String, preview: &ImportPreview) -> ImportView {
    ImportView {
        csv,
        rows: preview
            .rows
            .iter()
            .map(|r| {
                let roles: Vec<&str> = r.user.roles.iter().map(|x| x.as_str()).collect();
                (
                    r.line,
                    r.user.login.clone(),
                    r.user.display_name.clone(),
                    r.user.unit_code.clone().unwrap_or_default(),
                    roles.join(";"),
                )
            })
            .collect(),
        errors: preview.errors.clone(),
        submitted: true,
    }
}

/// `POST /admin/import`: a multipart upload or a pasted CSV shows the preview; the preview's
/// confirm button (`confirm=1`) imports, all or nothing.
pub async fn import_submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let (parts, body) = req.into_parts();
    let is_multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let render_req = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let req = Request::from_parts(parts, body);
    let (mut csv, mut confirm) = (String::new(), false);
    if is_multipart {
        let Ok(mut mp) = Multipart::from_request(req, &state).await else {
            return redirect("/admin/import?error=form");
        };
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or_default().to_string();
            let Ok(bytes) = field.bytes().await else {
                return redirect("/admin/import?error=form");
            };
            let Ok(text) = String::from_utf8(bytes.to_vec()) else {
                return render_with(
                    &state,
                    render_req,
                    ImportView {
                        errors: vec![(1, "文件不是 UTF-8 编码 / the file is not UTF-8".into())],
                        submitted: true,
                        ..Default::default()
                    },
                )
                .await;
            };
            match name.as_str() {
                "file" if !text.trim().is_empty() => csv = text,
                "csv" if csv.is_empty() => csv = text,
                "confirm" => confirm = text == "1",
                _ => {}
            }
        }
    } else {
        let Ok(Form(pairs)) = Form::<Vec<(String, String)>>::from_request(req, &state).await else {
            return redirect("/admin/import?error=form");
        };
        for (k, v) in pairs {
            match k.as_str() {
                "csv" => csv = v,
                "confirm" => confirm = v == "1",
                _ => {}
            }
        }
    }
    let loaded = async {
        Ok::<_, store::StoreError>((
            store::units::list_units(&state.db).await?,
            store::users::all_logins(&state.db).await?,
        ))
    }
    .await;
    let (units, logins) = match loaded {
        Ok(v) => v,
        Err(e) => return AppError::from(e).into_response(),
    };
    let units: HashSet<String> = units.into_iter().map(|u| u.code).collect();
    let logins: HashSet<String> = logins.into_iter().collect();
    let preview = validate_import(&csv, &units, &logins);
    if confirm && preview.is_valid() {
        return match apply_import(&state.db, &preview, &caller.actor()).await {
            Ok(_) => redirect("/admin/users?status=imported"),
            Err(e) => AppError::from(e).into_response(),
        };
    }
    render_with(&state, render_req, import_view(csv, &preview)).await
}

/// `GET /admin/audit?action=&actor=&object=&before=`.
pub async fn audit_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = gate!(state, caller, req);
    let q = query_pairs(&req);
    let get = |k: &str| {
        q.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().chars().take(64).collect::<String>())
            .filter(|v| !v.is_empty())
    };
    const PAGE: i64 = 100;
    let filter = audit::Filter {
        action: get("action"),
        actor_login: get("actor"),
        object_id: get("object"),
        before_seq: get("before").and_then(|b| b.parse().ok()),
        limit: PAGE,
    };
    let loaded = async {
        Ok::<_, store::StoreError>((
            audit::list(&state.db, &filter).await?,
            audit::verify_chain(&state.db, None).await?,
        ))
    }
    .await;
    let (entries, verdict) = match loaded {
        Ok(v) => v,
        Err(e) => return AppError::from(e).into_response(),
    };
    let chain = match verdict {
        audit::Verdict::Intact { entries, head } => {
            format!("哈希链完整 / chain intact: {entries} · {}", &head[..16])
        }
        audit::Verdict::Broken { seq, reason } => {
            format!("哈希链断裂 / chain BROKEN at {seq}: {reason}")
        }
    };
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: crate::time::format_beijing(e.at),
            actor: e.actor_login.unwrap_or_default(),
            unit: e.actor_unit.unwrap_or_default(),
            action: e.action,
            object: match (e.object_type, e.object_id) {
                (Some(t), Some(i)) => format!("{t}:{i}"),
                (Some(t), None) => t,
                _ => String::new(),
            },
            detail: e.detail.unwrap_or_default(),
            client_addr: e.client_addr.unwrap_or_default(),
        })
        .collect();
    render_with(
        &state,
        req,
        AuditView {
            entries: rows,
            action: filter.action.unwrap_or_default(),
            actor: filter.actor_login.unwrap_or_default(),
            object: filter.object_id.unwrap_or_default(),
            older,
            chain,
        },
    )
    .await
}
