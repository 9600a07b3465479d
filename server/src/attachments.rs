//! Lead attachments over HTTP: upload (multipart, larger body limit than the rest of the
//! portal) and download, for the units that may see the lead; everyone else gets 404. Every
//! upload and download is audited by the store.

use app::refusals::Localize;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use store::leads::{add_attachment, download_attachment, AttachmentInfo, Author, UploadError};
use store::sessions::Caller;

use crate::error::AppError;
use crate::leads::require_handler;
use crate::pages::redirect;
use crate::state::AppState;

/// Body limit of the upload routes: one file at the per-file limit plus form overhead.
pub const UPLOAD_BODY_LIMIT: usize = domain::files::MAX_FILE_BYTES + 256 * 1024;

async fn upload(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut mp: Multipart,
) -> Result<AttachmentInfo, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = require_handler(caller, &dir)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut file = None;
    loop {
        match mp.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("attachment").to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    AppError::BadRequest(
                        "附件过大或上传中断 / the file is too large or the upload broke off".into(),
                    )
                })?;
                file = Some((name, bytes));
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                return Err(AppError::BadRequest(
                    "上传内容无法读取或过大 / the upload could not be read or is too large".into(),
                ))
            }
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        AppError::Unprocessable("请选择文件（字段 file）/ choose a file (field \"file\")".into())
    })?;
    let actor = caller.actor();
    let author = Author {
        user_id: h.user.id,
        name: &h.user.display_name,
        unit: &h.unit,
        joint_office: h.joint_office,
        actor: &actor,
    };
    match add_attachment(&state.db, id, &author, &name, &bytes).await {
        Ok(info) => Ok(info),
        Err(UploadError::NotFound) => Err(AppError::NotFound),
        Err(UploadError::Refused(r)) => Err(AppError::Unprocessable(r.both())),
        Err(UploadError::Store(e)) => Err(e.into()),
    }
}

/// `POST /api/v1/leads/{id}/attachments` (multipart field `file`).
pub async fn api_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<AttachmentInfo>, AppError> {
    let mp = mp.map_err(|_| {
        AppError::BadRequest(
            "请求须为 multipart/form-data，文件字段名为 file / the body must be multipart/form-data with a field named file".into(),
        )
    })?;
    Ok(Json(upload(&state, &caller, &id, mp).await?))
}

/// `POST /leads/{id}/attachments` from the case page.
pub async fn page_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    match upload(&state, &caller, &id, mp).await {
        Ok(_) => redirect(&format!("/leads/{id}?status=done")),
        Err(AppError::Unprocessable(m) | AppError::BadRequest(m)) => redirect(&format!(
            "/leads/{id}?error={}",
            app::layout::encode_component(&m)
        )),
        Err(e) => e.into_response(),
    }
}

/// `GET /leads/{id}/attachments/{att}` and the API twin: the file, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((id, att)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let dir = store::units::load_directory(&state.db).await?;
    let h = require_handler(&caller, &dir)?;
    let (Ok(id), Ok(att)) = (id.parse::<i64>(), att.parse::<i64>()) else {
        return Err(AppError::NotFound);
    };
    let (info, bytes) =
        download_attachment(&state.db, id, att, &h.unit, h.joint_office, &caller.actor())
            .await?
            .ok_or(AppError::NotFound)?;
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
