//! The CSV import of users (`/admin/import`): a file or pasted text shows a preview with every
//! row's problems; the preview's confirm button imports, all or nothing.

use std::collections::HashSet;

use app::i18n::Lang;
use app::pages::admin::ImportView;
use app::refusals::Localize;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use domain::identity::ImportProblem;
use store::import::{apply_import, validate_import, ImportPreview};
use store::users::Role;

use crate::page::{redirect, view, Page, PageError};
use crate::state::AppState;

/// `GET /admin/import`.
pub async fn import_page(page: Page) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    Ok(view(ImportView::default()).into_response())
}

fn import_view(lang: Lang, csv: String, preview: &ImportPreview) -> ImportView {
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
        errors: preview
            .errors
            .iter()
            .map(|(line, problem)| (*line, problem.text(lang)))
            .collect(),
        submitted: true,
    }
}

/// `POST /admin/import`: a multipart upload or a pasted CSV shows the preview; the preview's
/// confirm button (`confirm=1`) imports, all or nothing.
pub async fn import_submit(
    State(state): State<AppState>,
    page: Page,
    req: Request,
) -> Result<Response, PageError> {
    page.role(Role::Admin)?;
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (mut csv, mut confirm) = (String::new(), false);
    if is_multipart {
        let Ok(mut mp) = Multipart::from_request(req, &state).await else {
            return Ok(redirect("/admin/import?error=form"));
        };
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or_default().to_string();
            let Ok(bytes) = field.bytes().await else {
                return Ok(redirect("/admin/import?error=form"));
            };
            let Ok(text) = String::from_utf8(bytes.to_vec()) else {
                let not_utf8 = ImportView {
                    errors: vec![(1, ImportProblem::NotUtf8.text(page.lang))],
                    submitted: true,
                    ..Default::default()
                };
                return Ok(view(not_utf8).into_response());
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
            return Ok(redirect("/admin/import?error=form"));
        };
        for (k, v) in pairs {
            match k.as_str() {
                "csv" => csv = v,
                "confirm" => confirm = v == "1",
                _ => {}
            }
        }
    }
    let units = store::units::list_units(&state.db).await?;
    let logins = store::users::all_logins(&state.db).await?;
    let units: HashSet<String> = units.into_iter().map(|u| u.code).collect();
    let logins: HashSet<String> = logins.into_iter().collect();
    let preview = validate_import(&csv, &units, &logins);
    if confirm && preview.is_valid() {
        apply_import(&state.db, &preview, &page.caller.actor()).await?;
        return Ok(redirect("/admin/users?status=imported"));
    }
    Ok(view(import_view(page.lang, csv, &preview)).into_response())
}
