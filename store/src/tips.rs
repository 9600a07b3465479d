//! Public tips: a report from anyone, answered through a 16-digit receipt that is shown once
//! and stored only as an HMAC keyed with a secret kept outside the database (so a copy of the
//! database alone does not allow trying the 10^16 receipts). Times are kept to the minute. The
//! joint office reads the intake queue page by page, answers, closes, or turns a tip into a
//! formal lead.

use hmac::{Hmac, Mac};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::Row;

use crate::audit::{self, Actor, Event};
use crate::lock::{lock_and_read, LockRead};
use crate::sessions::hash_secret;
use crate::{now_ms, Db, StoreError};

/// The secret key (pepper) of receipts, read from a file outside the database. Its `Debug`
/// hides it.
#[derive(Clone)]
pub struct ReceiptKey(pub [u8; 32]);

impl std::fmt::Debug for ReceiptKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptKey(***)")
    }
}

impl ReceiptKey {
    /// HMAC-SHA256 of a normalised receipt, as stored.
    fn digest(&self, receipt: &str) -> String {
        // A 32-byte key is always a valid HMAC key.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(receipt.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A time kept to the minute: what the portal stores of when a tip or a reporter's message
/// came, so that it cannot be matched to a request log or a session's activity.
pub fn to_minute(ms: i64) -> i64 {
    ms - ms.rem_euclid(60_000)
}

/// A receipt as shown to the reporter (16 digits). Not `Serialize` by accident: the API builds
/// its reply explicitly.
pub struct Receipt(pub String);

/// A tip and its messages.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tip {
    pub id: i64,
    pub created_at: i64,
    pub body: String,
    /// new, answered, closed, converted
    pub status: String,
    pub lead_id: Option<i64>,
    pub messages: Vec<TipMessage>,
}

/// One message on a tip.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TipMessage {
    pub from_office: bool,
    pub author_name: String,
    pub at: i64,
    pub body: String,
}

fn new_receipt() -> String {
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// Whether `s` has the shape of a receipt (16 digits, spaces and dashes ignored).
pub fn normalise_receipt(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == 16 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Records a tip; the audit entry carries no address.
pub async fn create_tip(
    db: &Db,
    key: &ReceiptKey,
    body: &str,
) -> Result<(i64, Receipt), StoreError> {
    let receipt = new_receipt();
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO tips (receipt_hash, created_at, body, status) VALUES ($1, $2, $3, 'new') RETURNING id")
        .bind(key.digest(&receipt))
        .bind(to_minute(now_ms()))
        .bind(body)
        .fetch_one(&mut *tx)
        .await?;
    let anonymous = Actor {
        login: Some("public".into()),
        ..Default::default()
    };
    audit::append(
        &mut tx,
        &anonymous,
        Event {
            action: "tip.created",
            object_type: Some("tip"),
            object_id: Some(id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, Receipt(receipt)))
}

async fn load(db: &Db, id: i64) -> Result<Option<Tip>, StoreError> {
    let Some(r) =
        sqlx::query("SELECT id, created_at, body, status, lead_id FROM tips WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
    else {
        return Ok(None);
    };
    let messages = sqlx::query("SELECT from_office, author_name, at, body FROM tip_messages WHERE tip_id = $1 ORDER BY at, id")
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|m| {
            Ok(TipMessage { from_office: m.try_get::<i64, _>("from_office")? != 0, author_name: m.try_get("author_name")?, at: m.try_get("at")?, body: m.try_get("body")? })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(Tip {
        id: r.try_get("id")?,
        created_at: r.try_get("created_at")?,
        body: r.try_get("body")?,
        status: r.try_get("status")?,
        lead_id: r.try_get("lead_id")?,
        messages,
    }))
}

/// The tip with this receipt, if any. A receipt stored before receipts were keyed (plain
/// SHA-256) is found too, and its hash replaced by the keyed one on the way.
pub async fn find_by_receipt(
    db: &Db,
    key: &ReceiptKey,
    receipt: &str,
) -> Result<Option<Tip>, StoreError> {
    let Some(receipt) = normalise_receipt(receipt) else {
        return Ok(None);
    };
    let keyed = key.digest(&receipt);
    let legacy = hash_secret(&receipt);
    let row = sqlx::query("SELECT id, receipt_hash FROM tips WHERE receipt_hash IN ($1, $2)")
        .bind(&keyed)
        .bind(&legacy)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    if row.try_get::<String, _>("receipt_hash")? == legacy {
        sqlx::query("UPDATE tips SET receipt_hash = $1 WHERE id = $2")
            .bind(&keyed)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    load(db, id).await
}

/// The tip with `id` (joint office).
pub async fn find(db: &Db, id: i64) -> Result<Option<Tip>, StoreError> {
    load(db, id).await
}

/// The order of the intake queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueOrder {
    /// Open tips first, newest first.
    #[default]
    NewestFirst,
    /// Open tips first, oldest first: what has waited longest comes first, however many
    /// tips came after it.
    OldestOpenFirst,
}

/// One page of the intake queue: `limit` tips after skipping `offset`.
pub async fn list(
    db: &Db,
    order: QueueOrder,
    offset: i64,
    limit: i64,
) -> Result<Vec<Tip>, StoreError> {
    let by = match order {
        QueueOrder::NewestFirst => "created_at DESC, id DESC",
        QueueOrder::OldestOpenFirst => "created_at, id",
    };
    let sql = format!("SELECT id, created_at, body, status, lead_id FROM tips ORDER BY CASE WHEN status IN ('new', 'answered') THEN 0 ELSE 1 END, {by} LIMIT $1 OFFSET $2");
    let rows = sqlx::query(&sql)
        .bind(limit.clamp(1, 1000))
        .bind(offset.max(0))
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Tip {
                id: r.try_get("id")?,
                created_at: r.try_get("created_at")?,
                body: r.try_get("body")?,
                status: r.try_get("status")?,
                lead_id: r.try_get("lead_id")?,
                messages: Vec::new(),
            })
        })
        .collect()
}

/// Adds a message: from the reporter (by receipt) or from the joint office. A closed or
/// converted tip takes no more reporter messages. Returns false when not allowed.
pub async fn add_message(
    db: &Db,
    tip_id: i64,
    from_office: bool,
    author_name: &str,
    body: &str,
    actor: &Actor,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let status = lock_and_read(&mut tx, LockRead::TipStatus(tip_id)).await?;
    let Some(status) = status else {
        return Ok(false);
    };
    if !from_office && (status == "closed" || status == "converted") {
        return Ok(false);
    }
    sqlx::query("INSERT INTO tip_messages (tip_id, from_office, author_name, at, body) VALUES ($1, $2, $3, $4, $5)")
        .bind(tip_id)
        .bind(from_office as i64)
        .bind(author_name)
        .bind(to_minute(now_ms()))
        .bind(body)
        .execute(&mut *tx)
        .await?;
    if from_office && status == "new" {
        sqlx::query("UPDATE tips SET status = 'answered' WHERE id = $1")
            .bind(tip_id)
            .execute(&mut *tx)
            .await?;
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: if from_office {
                "tip.answered"
            } else {
                "tip.reporter_message"
            },
            object_type: Some("tip"),
            object_id: Some(tip_id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Closes a tip (joint office).
pub async fn close(db: &Db, tip_id: i64, actor: &Actor) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE tips SET status = 'closed' WHERE id = $1 AND status IN ('new', 'answered')",
    )
    .bind(tip_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "tip.closed",
            object_type: Some("tip"),
            object_id: Some(tip_id.to_string()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Links a tip to the lead made from it (joint office).
pub async fn mark_converted(
    db: &Db,
    tip_id: i64,
    lead_id: i64,
    actor: &Actor,
) -> Result<bool, StoreError> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query("UPDATE tips SET status = 'converted', lead_id = $1 WHERE id = $2 AND status IN ('new', 'answered')").bind(lead_id).bind(tip_id).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        actor,
        Event {
            action: "tip.converted",
            object_type: Some("tip"),
            object_id: Some(tip_id.to_string()),
            detail: Some(format!("lead={lead_id}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_sixteen_digits() {
        for _ in 0..100 {
            let r = new_receipt();
            assert_eq!(normalise_receipt(&r), Some(r));
        }
        assert_eq!(
            normalise_receipt("1234 5678-1234 5678"),
            Some("1234567812345678".into())
        );
        for bad in [
            "",
            "123",
            "12345678123456789",
            "abcdabcdabcdabcd",
            "１２３４５６７８１２３４５６７８",
        ] {
            assert_eq!(normalise_receipt(bad), None, "{bad}");
        }
    }
}
