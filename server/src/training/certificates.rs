//! Certificates: the public check `/verify/{code}` (holder, course, dates, validity) and the
//! holder's own A4 print view `/certificates/{code}/print`.

use app::pages::training::{CertificatePrint, TrainingView, Verified};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::labels::{bi, course_title, date, renewal_due};
use super::service;
use crate::page::{view, Page, PageError};
use crate::state::AppState;

/// `GET /verify/{code}` (public): holder, course, dates and validity of a certificate; 404
/// with the same page when there is none.
pub async fn verify(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let now = store::now_ms();
    let verified = service::certificate(&state, &code)
        .await?
        .map(|c| Verified {
            renewal: state
                .courses
                .course(&c.course_id)
                .is_some_and(|lc| renewal_due(&state, &lc.course, c.regulation_version.as_deref())),
            course: course_title(&state, &c.course_id),
            code: c.code,
            holder: c.holder,
            issued: date(c.issued_at),
            valid_until: date(c.expires_at),
            valid: now < c.expires_at,
        });
    let status = if verified.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok(view(TrainingView::Verify(verified))
        .status(status)
        .into_response())
}

/// The absolute `/verify/{code}` URL, at the configured public origin (never the request's
/// `Host`, which the client writes).
fn verify_url(state: &AppState, code: &str) -> String {
    state.public_origin.url(&format!("/verify/{code}"))
}

/// `GET /certificates/{code}/print`: the holder's own certificate as an A4 page (anyone else,
/// even signed in, gets the 404 page; the public check is `/verify/{code}`).
pub async fn certificate_print(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let user = page.user()?;
    let c = service::own_certificate(&state, &page.caller, &code).await?;
    let unit = match &user.unit_code {
        Some(code) => store::units::load_directory(&state.db)
            .await?
            .get(code)
            .map(|u| bi(&u.name_zh, &u.name_en)),
        None => None,
    };
    let print = CertificatePrint {
        verify_url: verify_url(&state, &c.code),
        valid: store::now_ms() < c.expires_at,
        course: course_title(&state, &c.course_id),
        code: c.code,
        holder: c.holder,
        unit,
        issued: date(c.issued_at),
        valid_until: date(c.expires_at),
    };
    Ok(view(TrainingView::Certificate(print)).into_response())
}
