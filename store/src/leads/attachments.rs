//! Attachments of a lead: stored in the database under a server-generated key, within the
//! per-file and per-lead limits and the type allow-list of `domain::files`; every upload and
//! download is audited.

use domain::case::visible_to;
use domain::files::{
    display_name, served_name, served_name_for, sniff, UploadRefusal, MAX_FILE_BYTES,
    MAX_LEAD_BYTES,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{load_case, lock_visible, Author};
use crate::audit::{self, Actor, Event};
use crate::{now_ms, Db, StoreError};

/// An attachment's description (never the content).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub unit: String,
    pub at: i64,
    pub display_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// Why an upload was refused.
#[derive(Debug)]
pub enum UploadError {
    NotFound,
    /// Refused, and why.
    Refused(UploadRefusal),
    Store(StoreError),
}

impl From<sqlx::Error> for UploadError {
    fn from(e: sqlx::Error) -> Self {
        UploadError::Store(e.into())
    }
}

impl From<StoreError> for UploadError {
    fn from(e: StoreError) -> Self {
        UploadError::Store(e)
    }
}

/// Stores an attachment for a unit that may see the (open) lead, within the per-file and
/// per-lead limits and the type allow-list, under a server-generated key.
pub async fn add_attachment(
    db: &Db,
    id: i64,
    author: &Author<'_>,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentInfo, UploadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(UploadError::Refused(UploadRefusal::FileTooLarge));
    }
    if domain::text::has_direction_controls(file_name) {
        return Err(UploadError::Refused(UploadRefusal::NameDirectionControls));
    }
    let kind =
        sniff(bytes, file_name).ok_or(UploadError::Refused(UploadRefusal::TypeNotAllowed))?;
    let mut tx = db.pool.begin().await?;
    let case = lock_visible(&mut tx, id, author)
        .await?
        .ok_or(UploadError::NotFound)?;
    if case.status == "closed" {
        return Err(UploadError::Refused(UploadRefusal::CaseClosed));
    }
    let total: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM lead_attachments WHERE lead_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if total as usize + bytes.len() > MAX_LEAD_BYTES {
        return Err(UploadError::Refused(UploadRefusal::LeadFull));
    }
    let mut key = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut key);
    let info = AttachmentInfo {
        id: 0,
        unit: author.unit.to_string(),
        at: now_ms(),
        display_name: served_name(&display_name(file_name), kind),
        content_type: kind.content_type.to_string(),
        size: bytes.len() as i64,
        sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
    };
    let att_id: i64 = sqlx::query_scalar(
        "INSERT INTO lead_attachments (storage_key, lead_id, unit, uploaded_by, at, display_name, content_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(hex::encode(key))
    .bind(id)
    .bind(&info.unit)
    .bind(author.user_id)
    .bind(info.at)
    .bind(&info.display_name)
    .bind(&info.content_type)
    .bind(info.size)
    .bind(&info.sha256)
    .bind(bytes.to_vec())
    .fetch_one(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        author.actor,
        Event {
            action: "lead.attachment_added",
            object_type: Some("lead"),
            object_id: Some(case.reference.clone()),
            detail: Some(format!(
                "attachment={att_id}; sha256={}; size={}",
                info.sha256, info.size
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AttachmentInfo { id: att_id, ..info })
}

/// The attachments of a lead (descriptions only).
pub async fn list_attachments(db: &Db, id: i64) -> Result<Vec<AttachmentInfo>, StoreError> {
    let rows = sqlx::query("SELECT id, unit, at, display_name, content_type, size, sha256 FROM lead_attachments WHERE lead_id = $1 ORDER BY id").bind(id).fetch_all(&db.pool).await?;
    rows.iter().map(info_from_row).collect()
}

/// An attachment's description. Its name is given the extension of its content here too, so
/// a file stored before that rule (issue 25) is not served under the uploader's extension.
fn info_from_row(r: &sqlx::any::AnyRow) -> Result<AttachmentInfo, StoreError> {
    let content_type: String = r.try_get("content_type")?;
    let stored: String = r.try_get("display_name")?;
    Ok(AttachmentInfo {
        id: r.try_get("id")?,
        unit: r.try_get("unit")?,
        at: r.try_get("at")?,
        display_name: served_name_for(&stored, &content_type),
        content_type,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
    })
}

/// An attachment's content for a unit that may see the lead (else `None`), with the download
/// audited.
pub async fn download_attachment(
    db: &Db,
    id: i64,
    att_id: i64,
    unit: &str,
    joint_office: bool,
    actor: &Actor,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    let Some(case) = load_case(&mut conn, id).await? else {
        return Ok(None);
    };
    if !visible_to(&case.facts(), unit, joint_office) {
        return Ok(None);
    }
    let Some(r) = sqlx::query("SELECT id, unit, at, display_name, content_type, size, sha256, content FROM lead_attachments WHERE id = $1 AND lead_id = $2")
        .bind(att_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    drop(conn);
    let info = info_from_row(&r)?;
    let content: Vec<u8> = r.try_get("content")?;
    audit::record(
        db,
        actor,
        Event {
            action: "lead.attachment_downloaded",
            object_type: Some("lead"),
            object_id: Some(case.reference),
            detail: Some(format!("attachment={att_id}")),
        },
    )
    .await?;
    Ok(Some((info, content)))
}
