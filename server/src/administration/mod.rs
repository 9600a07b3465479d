//! Administration (system administrators only): accounts, units, the CSV import of users and
//! the audit trail. Every change is written to the audit trail in its own transaction
//! ([`service`]); the pages ([`users`], [`import`], [`audit`]) answer anyone else with the
//! audited 404.

pub mod anchor;
pub mod audit;
pub mod import;
pub mod service;
pub mod users;

use axum::routing::{get, post};

use crate::mount::Mount;

/// Accounts, units, the CSV import and the audit trail.
pub fn routes() -> Mount {
    Mount::new()
        .page("/admin", get(users::admin_home))
        .page(
            "/admin/users",
            get(users::users_page).post(users::create_user),
        )
        .form("/admin/users/{id}", post(users::update_user))
        .form(
            "/admin/users/{id}/reset-password",
            post(users::reset_password),
        )
        .page("/admin/units", get(users::units_page))
        .form("/admin/units/{code}", post(users::update_unit))
        .page(
            "/admin/import",
            get(import::import_page).post(import::import_submit),
        )
        .page("/admin/audit", get(audit::audit_page))
}
