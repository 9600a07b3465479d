//! Lead attachments over HTTP, for the case page and the API: upload (multipart field `file`,
//! a larger body limit than the rest of the portal) and download, for the units that may see
//! the lead; everyone else gets 404. The store audits every upload and download.
//!
//! The upload routes sit outside the pages' `page::finish` middleware (they have their own body
//! limit), so both answer a caller who is not a lead handler as the API does (401 or 404); the
//! page's upload sends a refusal back to the case page, in the reader's language.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::files::UploadRefusal;
use store::leads::AttachmentInfo;
use store::sessions::Caller;

use super::api::require_handler;
use super::service::{self, directory, Handler, LeadError};
use crate::error::AppError;
use crate::page::{redirect, Page};
use crate::state::AppState;

/// Body limit of the upload routes: one file at the per-file limit plus form overhead.
pub const UPLOAD_BODY_LIMIT: usize = domain::files::MAX_FILE_BYTES + 256 * 1024;

/// The multipart field an upload reads the file from (the page's form and the API alike; the
/// OpenAPI document's `UploadForm` names it too).
pub const FILE_FIELD: &str = "file";

/// The caller as a lead handler, and the lead (and attachment) ids of the path.
async fn gate<'a, const N: usize>(
    state: &AppState,
    caller: &'a Caller,
    ids: [&str; N],
) -> Result<(Handler<'a>, [i64; N]), AppError> {
    let dir = directory(state).await?;
    let h = require_handler(caller, &dir)?;
    let mut parsed = [0; N];
    for (n, id) in parsed.iter_mut().zip(ids) {
        *n = id.parse().map_err(|_| AppError::NotFound)?;
    }
    Ok((h, parsed))
}

/// Reads the file of a multipart body and attaches it to lead `id`.
async fn receive(
    state: &AppState,
    caller: &Caller,
    h: &Handler<'_>,
    id: i64,
    mut mp: Multipart,
) -> Result<AttachmentInfo, LeadError> {
    let mut file = None;
    loop {
        match mp.next_field().await {
            Ok(Some(field)) if field.name() == Some(FILE_FIELD) => {
                let name = field.file_name().unwrap_or("attachment").to_string();
                let bytes = field.bytes().await.map_err(|_| UploadRefusal::FileBroken)?;
                file = Some((name, bytes));
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Err(UploadRefusal::Unreadable.into()),
        }
    }
    let (name, bytes) = file.ok_or(UploadRefusal::NoFile)?;
    service::attach(state, caller, h, id, &name, &bytes).await
}

/// `POST /api/v1/leads/{id}/attachments` (multipart field `file`).
pub async fn api_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Json<AttachmentInfo>, AppError> {
    let mp = mp.map_err(|_| LeadError::from(UploadRefusal::NotMultipart))?;
    let (h, [id]) = gate(&state, &caller, [&id]).await?;
    Ok(Json(receive(&state, &caller, &h, id, mp).await?))
}

/// `POST /leads/{id}/attachments` from the case page, then back to the case.
pub async fn page_upload(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let (h, [id]) = gate(&state, &page.caller, [&id]).await?;
    match receive(&state, &page.caller, &h, id, mp).await {
        Ok(_) => Ok(redirect(&format!("/leads/{id}?status=done"))),
        Err(LeadError::Refused(r)) => Ok(redirect(&format!(
            "/leads/{id}?error={}",
            app::layout::encode_component(&app::refusals::leads::flash_code(&r))
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /leads/{id}/attachments/{att}` and the API twin: the file, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((id, att)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (h, [id, att]) = gate(&state, &caller, [&id, &att]).await?;
    let (info, bytes) = service::download(&state, &caller, &h, id, att).await?;
    let encoded = app::layout::encode_component(&info.display_name).replace('/', "%2F");
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
