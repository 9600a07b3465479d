//! Walking the chain. [`verify_chain`] checks the whole trail from the first entry, reading it
//! in pages so that memory stays flat however long the trail grows; [`verify_since_checkpoint`]
//! (the `/admin/audit` page) remembers how far the trail was found intact and checks only the
//! entries written since, plus the remembered entry itself: a chain rewritten from an earlier
//! entry changes every later hash, the remembered one included, so a recomputed chain is still
//! caught on the next view. (An edit of an old row that leaves the later hashes alone is caught
//! by the full walk: `server audit verify`, and the server's periodic check.)

use sqlx::Row;

use super::key::{self, plain_hash};
use super::{entry_from_row, keyed_hash, ENTRY_COLUMNS, GENESIS};
use crate::{Db, StoreError};

/// Entries read per query while walking.
const PAGE: i64 = 2000;

/// The result of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry links to the one before and the head; `entries` were checked.
    Intact { entries: i64, head: String },
    /// The first entry (by position) that does not match, and why.
    Broken { seq: i64, reason: String },
}

/// How far the trail was found intact: the last entry checked and its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

impl Checkpoint {
    fn genesis() -> Checkpoint {
        Checkpoint {
            seq: 0,
            hash: GENESIS.into(),
        }
    }
}

/// Walks the whole chain in order and reports the first entry that does not match. With
/// `anchor`, the chain must also contain an entry with that hash (a truncated tail is caught).
pub async fn verify_chain(db: &Db, anchor: Option<&str>) -> Result<Verdict, StoreError> {
    let verdict = walk(db, Checkpoint::genesis(), anchor).await?;
    if let Verdict::Intact { entries, head } = &verdict {
        remember(
            db,
            Checkpoint {
                seq: *entries,
                hash: head.clone(),
            },
        );
    }
    Ok(verdict)
}

/// Checks the entries written since the last intact walk of this process (the whole chain the
/// first time), and that the entry the walk ended at still carries the hash it had.
pub async fn verify_since_checkpoint(db: &Db) -> Result<Verdict, StoreError> {
    let Some(from) = db.audit.checkpoint() else {
        return verify_chain(db, None).await;
    };
    if from.seq > 0 {
        let hash: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(from.seq)
            .fetch_optional(&db.pool)
            .await?;
        if hash.as_deref() != Some(from.hash.as_str()) {
            return Ok(Verdict::Broken {
                seq: from.seq,
                reason:
                    "an entry found intact earlier has changed or is gone (the chain was rewritten)"
                        .into(),
            });
        }
    }
    let verdict = walk(db, from, None).await?;
    if let Verdict::Intact { entries, head } = &verdict {
        remember(
            db,
            Checkpoint {
                seq: *entries,
                hash: head.clone(),
            },
        );
    }
    Ok(verdict)
}

fn remember(db: &Db, checkpoint: Checkpoint) {
    db.audit.set_checkpoint(checkpoint);
}

/// Walks the entries after `from` (which must be intact) up to the head. The head is read
/// first: an entry and the head move together in one transaction, so entries committed while
/// the walk runs lie beyond the head read and are left for the next walk.
async fn walk(db: &Db, from: Checkpoint, anchor: Option<&str>) -> Result<Verdict, StoreError> {
    let key = key::current()?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let (head_seq, head_hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
    let mut prev = from.hash;
    let mut expected_seq = from.seq + 1;
    let mut anchor_found = anchor.is_none() || anchor == Some(prev.as_str());
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        ))
        .bind(expected_seq)
        .bind(head_seq)
        .bind(PAGE)
        .fetch_all(&db.pool)
        .await?;
        let done = (rows.len() as i64) < PAGE;
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
            if keyed_hash(key, &e) != e.hash {
                let reason = if plain_hash(&e) == e.hash {
                    "hash recomputed without the audit key (plain SHA-256): the trail was rewritten"
                } else {
                    "content does not match its hash (edited)"
                };
                return Ok(Verdict::Broken {
                    seq: e.seq,
                    reason: reason.into(),
                });
            }
            if anchor == Some(e.hash.as_str()) {
                anchor_found = true;
            }
            prev = e.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
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
