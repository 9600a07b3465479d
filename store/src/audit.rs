//! The tamper-evident audit trail. Every entry carries the SHA-256 of the previous entry and of
//! its own fields, and is written in the same transaction as the action it records. Editing,
//! deleting or reordering rows breaks the chain, which [`verify_chain`] reports.

use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

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

fn entry_hash(e: &Entry) -> String {
    let mut h = Sha256::new();
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    // Unit separator between fields, and a marker for "absent" so None and "" differ.
    for field in [
        e.seq.to_string(),
        e.at.to_string(),
        e.actor_id
            .map(|i| i.to_string())
            .unwrap_or_else(|| "\u{0}".into()),
        opt(&e.actor_login),
        opt(&e.actor_unit),
        e.action.clone(),
        opt(&e.object_type),
        opt(&e.object_id),
        opt(&e.detail),
        opt(&e.client_addr),
        e.prev_hash.clone(),
    ] {
        h.update(field.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends an entry inside `tx`, the transaction of the action itself.
pub async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<i64, StoreError> {
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
    e.hash = entry_hash(&e);
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

/// Records a standalone event in its own transaction.
pub async fn record(db: &Db, actor: &Actor, event: Event<'_>) -> Result<i64, StoreError> {
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

/// The result of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry links to the one before and the head; `entries` were checked.
    Intact { entries: i64, head: String },
    /// The first entry (by position) that does not match, and why.
    Broken { seq: i64, reason: String },
}

/// Walks the whole chain in order and reports the first entry that does not match. With
/// `anchor`, the chain must also contain an entry with that hash (a truncated tail is caught).
pub async fn verify_chain(db: &Db, anchor: Option<&str>) -> Result<Verdict, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"
    ))
    .fetch_all(&db.pool)
    .await?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut anchor_found = anchor.is_none();
    for r in &rows {
        let e = entry_from_row(r)?;
        if e.seq != expected_seq {
            return Ok(Verdict::Broken {
                seq: expected_seq,
                reason: format!("entry {expected_seq} is missing (next is {})", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Ok(Verdict::Broken {
                seq: e.seq,
                reason: "does not link to the entry before it".into(),
            });
        }
        if entry_hash(&e) != e.hash {
            return Ok(Verdict::Broken {
                seq: e.seq,
                reason: "content does not match its hash (edited)".into(),
            });
        }
        if anchor == Some(e.hash.as_str()) {
            anchor_found = true;
        }
        prev = e.hash;
        expected_seq += 1;
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let (head_seq, head_hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: format!(
                "the chain ends at entry {} but the head says {head_seq}",
                expected_seq - 1
            ),
        });
    }
    if !anchor_found {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: "the anchored hash is not in the chain (truncated)".into(),
        });
    }
    Ok(Verdict::Intact {
        entries: expected_seq - 1,
        head: prev,
    })
}
