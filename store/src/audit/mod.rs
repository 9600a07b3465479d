//! The tamper-evident audit trail. Every entry carries the hash of the previous entry and an
//! HMAC-SHA256 of its own fields under a key kept outside the database ([`key`]), and is
//! written in the same transaction as the action it records. Editing, deleting, reordering or
//! recomputing rows without the key breaks the chain, which [`verify_chain`] reports.
//!
//! Entries that record only a view (a case file opened, a denial) have no transaction of their
//! own: [`record`] hands them to one writer task ([`writer`]) that commits every entry waiting at
//! that moment in one transaction and then answers each caller, so concurrent views share one
//! commit instead of queueing behind each other's writes.

pub mod key;
mod verify;
mod writer;

use sqlx::{Any, Row, Transaction};

pub use key::{keyed_hash, plain_hash, prepare, AuditKey};
pub use verify::{verify_chain, verify_since_checkpoint, Checkpoint, Verdict};
pub(crate) use writer::Shared;
pub use writer::{start_writer, writer_stats, WriterStats};

use crate::{now_ms, Db, StoreError};

/// Hash of the (empty) chain before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something, as the audit trail records it.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub login: Option<String>,
    pub unit: Option<String>,
    pub client_addr: Option<String>,
}

/// One thing to record. Never put a password or a token in `detail`.
#[derive(Clone, Debug, Default)]
pub struct Event<'a> {
    pub action: &'a str,
    pub object_type: Option<&'a str>,
    pub object_id: Option<String>,
    pub detail: Option<String>,
}

/// A stored entry.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_login: Option<String>,
    pub actor_unit: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Appends an entry inside `tx`, the transaction of the action itself.
pub async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<i64, StoreError> {
    let key = key::current()?;
    // Taking the head row first serialises writers (row lock on PostgreSQL, write lock on SQLite).
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = row.try_get("seq")?;
    let prev_hash: String = row.try_get("hash")?;
    let mut e = Entry {
        seq,
        at: now_ms(),
        actor_id: actor.user_id,
        actor_login: actor.login.clone(),
        actor_unit: actor.unit.clone(),
        action: event.action.to_string(),
        object_type: event.object_type.map(String::from),
        object_id: event.object_id,
        detail: event.detail,
        client_addr: actor.client_addr.clone(),
        prev_hash,
        hash: String::new(),
    };
    e.hash = keyed_hash(key, &e);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_unit, action, object_type, object_id, detail, client_addr, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(e.seq)
    .bind(e.at)
    .bind(e.actor_id)
    .bind(&e.actor_login)
    .bind(&e.actor_unit)
    .bind(&e.action)
    .bind(&e.object_type)
    .bind(&e.object_id)
    .bind(&e.detail)
    .bind(&e.client_addr)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&e.hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

/// Records a standalone event and returns once it is committed: through the writer task when
/// it runs (batched with the entries of concurrent requests), else in its own transaction.
pub async fn record(db: &Db, actor: &Actor, event: Event<'_>) -> Result<i64, StoreError> {
    writer::submit(db, actor, event).await
}

/// Records `event` in its own transaction (what the writer falls back to).
async fn record_alone(db: &Db, actor: &Actor, event: Event<'_>) -> Result<i64, StoreError> {
    let mut tx = db.pool.begin().await?;
    let seq = append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(seq)
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry, sqlx::Error> {
    Ok(Entry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_login: r.try_get("actor_login")?,
        actor_unit: r.try_get("actor_unit")?,
        action: r.try_get("action")?,
        object_type: r.try_get("object_type")?,
        object_id: r.try_get("object_id")?,
        detail: r.try_get("detail")?,
        client_addr: r.try_get("client_addr")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor_id, actor_login, actor_unit, action, object_type, object_id, detail, client_addr, prev_hash, hash";

/// Filters for browsing the trail.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub actor_login: Option<String>,
    pub object_id: Option<String>,
    /// Only entries with `seq` below this (for paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// The newest entries matching `filter`, newest first.
pub async fn list(db: &Db, filter: &Filter) -> Result<Vec<Entry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log \
         WHERE ($1 IS NULL OR action = $1) AND ($2 IS NULL OR actor_login = $2) AND ($3 IS NULL OR object_id = $3) \
           AND ($4 IS NULL OR seq < $4) \
         ORDER BY seq DESC LIMIT $5"
    ))
    .bind(&filter.action)
    .bind(&filter.actor_login)
    .bind(&filter.object_id)
    .bind(filter.before_seq)
    .bind(filter.limit.clamp(1, 500))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| entry_from_row(r).map_err(StoreError::from))
        .collect()
}

/// The whole trail in order (for keying a trail written before the key existed).
async fn list_all(db: &Db) -> Result<Vec<Entry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| entry_from_row(r).map_err(StoreError::from))
        .collect()
}
