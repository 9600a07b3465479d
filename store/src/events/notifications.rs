//! In-app notifications as their user reads them: the unread count, the latest ones, marking
//! them read. They are written by [`super::notify`] in the transaction of the change.

use sqlx::Row;

use crate::{now_ms, Db, StoreError};

/// A notification as its user sees it.
#[derive(Clone, Debug)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub text_zh: String,
    pub text_en: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// How many unread notifications a user has.
pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?)
}

/// A user's latest notifications.
pub async fn list_notifications(
    db: &Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query("SELECT id, kind, text_zh, text_en, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
        .bind(user_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                text_zh: r.try_get("text_zh")?,
                text_en: r.try_get("text_en")?,
                link: r.try_get("link")?,
                created_at: r.try_get("created_at")?,
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
            })
        })
        .collect()
}

/// Marks all of a user's notifications read.
pub async fn mark_all_read(db: &Db, user_id: i64) -> Result<u64, StoreError> {
    Ok(
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now_ms())
            .bind(user_id)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
