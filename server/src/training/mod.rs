//! Training (Art. 10–11): courses and their lessons, quizzes with attempts that never show the
//! right answers before submission, reviews and certificates, the assignments of a unit's
//! training administrator, and reports over the units a viewer may see.
//!
//! - [`service`]: the use cases (starting an attempt, saving and submitting answers, completing
//!   a lesson, assignments, certificates) as typed commands with typed errors;
//! - [`pages`] (catalogue, course, lesson), [`quiz`] (start pages, the attempt form and its
//!   review, statistics), [`certificates`] (verify, print), [`admin`] (assignments page and
//!   CSV), [`reports`] (reports, their CSV and the dashboard's training figures): the HTML
//!   adapter, with [`labels`] for how training reads on a page;
//! - [`api`] (courses and quizzes) and [`api_assignments`]: the JSON adapter, each handler
//!   annotated with its route and OpenAPI description.
//!
//! The adapters call the service, never each other. Attempts, progress, certificates and
//! assignments are stored by `store::attempts`; the report figures are the aggregate queries
//! of `store::training_reports`.

pub mod admin;
pub mod api;
pub mod api_assignments;
pub mod certificates;
pub mod labels;
pub mod pages;
pub mod quiz;
pub mod reports;
pub mod service;
pub mod snapshot;

use axum::routing::{get, post};

use utoipa_axum::routes;

use crate::mount::Mount;

/// Courses, quizzes, certificates, assignments and training reports.
pub fn routes() -> Mount {
    Mount::new()
        .page("/training", get(pages::catalogue))
        .page("/training/{course}", get(pages::course))
        .page(
            "/training/{course}/{lesson}",
            get(pages::lesson).post(pages::complete),
        )
        .page("/quizzes/{quiz}", get(quiz::quiz))
        .form("/quizzes/{quiz}/start", post(quiz::quiz_start))
        .page("/quizzes/{quiz}/practice", get(quiz::practice))
        .form("/quizzes/{quiz}/practice/start", post(quiz::practice_start))
        .page("/quizzes/{quiz}/stats", get(quiz::stats))
        .page(
            "/training-admin",
            get(admin::admin_page).post(admin::admin_assign),
        )
        .form(
            "/training-admin/assignments/{id}/due",
            post(admin::admin_set_due),
        )
        .form(
            "/training-admin/assignments/{id}/delete",
            post(admin::admin_delete),
        )
        .page("/training-admin/report.csv", get(admin::admin_csv))
        .page("/training-admin/reports", get(reports::page))
        .page("/training-admin/reports.csv", get(reports::csv))
        .page(
            "/attempts/{attempt}",
            get(quiz::attempt).post(quiz::attempt_post),
        )
        .page("/verify/{code}", get(certificates::verify))
        .page(
            "/certificates/{code}/print",
            get(certificates::certificate_print),
        )
        .api(routes!(api::courses))
        .api(routes!(api::start))
        .api(routes!(api::practice))
        .api(routes!(api::save))
        .api(routes!(api::submit))
        .api(routes!(api_assignments::list, api_assignments::create))
        .api(routes!(api_assignments::update, api_assignments::delete))
}
