//! Private calendar feeds: a revocable token per user (only its hash is stored), and the events
//! the feed lists.

use rand::Rng;

use super::{query_events, BindValue, EventRecord};
use crate::audit::{self, Actor, Event as AuditEvent};
use crate::sessions::{hash_secret, Secret};
use crate::{now_ms, Db, StoreError};

/// Creates (or replaces, revoking the old one) a user's private calendar feed token.
pub async fn create_feed(db: &Db, actor: &Actor, user_id: i64) -> Result<Secret, StoreError> {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill(&mut bytes);
    let token = hex::encode(bytes);
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(hash_secret(&token))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "calendar_feed.created",
            object_type: Some("user"),
            object_id: Some(user_id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Secret(token))
}

/// Revokes a user's feed token.
pub async fn revoke_feed(db: &Db, actor: &Actor, user_id: i64) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let n = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n > 0 {
        audit::append(
            &mut tx,
            actor,
            AuditEvent {
                action: "calendar_feed.revoked",
                object_type: Some("user"),
                object_id: Some(user_id.to_string()),
                detail: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

/// Whether a user has a feed, and since when.
pub async fn feed_created_at(db: &Db, user_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The user a feed token belongs to (enabled accounts only).
pub async fn feed_user(db: &Db, token: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.disabled = 0",
    )
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?)
}

/// Events for a user's private feed: those registered or waited for (cancelled events
/// included, so the calendar shows them cancelled), plus those the user's unit hosts.
pub async fn feed_events(
    db: &Db,
    user_id: i64,
    unit: Option<&str>,
) -> Result<Vec<EventRecord>, StoreError> {
    query_events(
        db,
        "(e.id IN (SELECT event_id FROM event_registrations WHERE user_id = $1 AND status IN ('registered', 'waitlisted')) \
          OR (e.host_unit = $2 AND e.published_at IS NOT NULL)) ORDER BY e.starts_at LIMIT 1000",
        vec![
            BindValue::Int(user_id),
            BindValue::Text(unit.unwrap_or("").to_string()),
        ],
    )
    .await
}
