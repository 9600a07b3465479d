//! Public tips: a report from anyone, answered through a 16-digit receipt that is shown once
//! and stored only as a hash. The joint office reads the intake queue, answers, closes, or turns
//! a tip into a formal lead.

use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Actor, Event};
use crate::sessions::hash_secret;
use crate::{now_ms, Db, StoreError};

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
pub async fn create_tip(db: &Db, body: &str) -> Result<(i64, Receipt), StoreError> {
    let receipt = new_receipt();
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO tips (receipt_hash, created_at, body, status) VALUES ($1, $2, $3, 'new') RETURNING id")
        .bind(hash_secret(&receipt))
        .bind(now_ms())
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

/// The tip with this receipt, if any.
pub async fn find_by_receipt(db: &Db, receipt: &str) -> Result<Option<Tip>, StoreError> {
    let Some(receipt) = normalise_receipt(receipt) else {
        return Ok(None);
    };
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM tips WHERE receipt_hash = $1")
        .bind(hash_secret(&receipt))
        .fetch_optional(&db.pool)
        .await?;
    match id {
        Some(id) => load(db, id).await,
        None => Ok(None),
    }
}

/// The tip with `id` (joint office).
pub async fn find(db: &Db, id: i64) -> Result<Option<Tip>, StoreError> {
    load(db, id).await
}

/// The intake queue: open tips first, newest first.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<Tip>, StoreError> {
    let rows = sqlx::query("SELECT id, created_at, body, status, lead_id FROM tips ORDER BY CASE WHEN status IN ('new', 'answered') THEN 0 ELSE 1 END, created_at DESC LIMIT $1")
        .bind(limit.clamp(1, 1000))
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
    let status: Option<String> =
        sqlx::query_scalar("UPDATE tips SET status = status WHERE id = $1 RETURNING status")
            .bind(tip_id)
            .fetch_optional(&mut *tx)
            .await?;
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
        .bind(now_ms())
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
