//! The listed venues: the demo's official venues, and administrators adding, retiring and
//! restoring them.

use sqlx::Row;

use super::Venue;
use crate::audit::{self, Actor, Event as AuditEvent};
use crate::{now_ms, Db, StoreError};

/// The official venues of the demo data (interfaces.md).
pub const DEMO_VENUES: [&str; 2] = ["大足区人民法院第一会议室", "大足区司法局会议室"];

/// Adds the demo venues when there are no venues yet.
pub async fn seed_demo_venues(db: &Db) -> Result<usize, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM venues")
        .fetch_one(&db.pool)
        .await?;
    if n > 0 {
        return Ok(0);
    }
    let mut tx = db.pool.begin().await?;
    for name in DEMO_VENUES {
        sqlx::query(
            "INSERT INTO venues (name, official, active, created_at) VALUES ($1, 1, 1, $2)",
        )
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(DEMO_VENUES.len())
}

/// All venues, active first, by name.
pub async fn list_venues(db: &Db) -> Result<Vec<Venue>, StoreError> {
    let rows =
        sqlx::query("SELECT id, name, official, active FROM venues ORDER BY active DESC, name")
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Venue {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                official: r.try_get::<i64, _>("official")? != 0,
                active: r.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

/// Adds a venue (administrators); `false` when the name exists.
pub async fn add_venue(
    db: &Db,
    actor: &Actor,
    name: &str,
    official: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO venues (name, official, active, created_at) VALUES ($1, $2, 1, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(i64::from(official))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: "venue.added",
            object_type: Some("venue"),
            object_id: Some(name.to_string()),
            detail: Some(format!("official={official}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Retires or restores a venue (administrators). Events keep their venue text.
pub async fn set_venue_active(
    db: &Db,
    actor: &Actor,
    id: i64,
    active: bool,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let n = sqlx::query("UPDATE venues SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        AuditEvent {
            action: if active {
                "venue.restored"
            } else {
                "venue.retired"
            },
            object_type: Some("venue"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
