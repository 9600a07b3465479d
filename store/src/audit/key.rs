//! The key of the audit chain. Each entry's hash is an HMAC-SHA256 under a secret key that
//! lives in a file outside the database (`PORTAL_AUDIT_KEY_FILE`), so someone who can write to
//! the database can no longer edit a row and recompute the later hashes: without the key the
//! recomputed chain does not verify.
//!
//! The key is installed once per process ([`prepare`]); every writer and verifier of that
//! process uses it. One process serves one trail with one key, and several processes on one
//! PostgreSQL database must read the same key file.

use std::path::Path;
use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Entry, GENESIS};
use crate::lock::{lock_and_read, LockRead};
use crate::{Db, StoreError};

/// The secret of the chain: 32 random bytes, stored as 64 hex digits in the key file.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

static KEY: OnceLock<AuditKey> = OnceLock::new();

/// The key this process writes and verifies with; an error until [`prepare`] has run, so that
/// no entry is ever written unkeyed.
pub(super) fn current() -> Result<&'static AuditKey, StoreError> {
    KEY.get().ok_or_else(|| {
        StoreError::AuditKey("no audit key is loaded (PORTAL_AUDIT_KEY_FILE)".into())
    })
}

/// Installs `key` for this process; the same key again is fine, another one is refused (one
/// process, one trail, one key).
fn install(key: AuditKey) -> Result<(), StoreError> {
    let installed = KEY.get_or_init(|| key.clone());
    if *installed == key {
        Ok(())
    } else {
        Err(StoreError::AuditKey(
            "another audit key is already in use in this process".into(),
        ))
    }
}

/// The fields of an entry as hashed: each followed by a unit separator, with a marker for an
/// absent actor so that `None` and `""` differ.
fn hashed_fields(e: &Entry) -> [String; 11] {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    [
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
    ]
}

/// The entry's hash under `key`: HMAC-SHA256 over its fields and the previous hash.
pub fn keyed_hash(key: &AuditKey, e: &Entry) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).expect("HMAC takes any key size");
    for field in hashed_fields(e) {
        mac.update(field.as_bytes());
        mac.update(&[0x1f]);
    }
    hex::encode(mac.finalize().into_bytes())
}

/// The unkeyed SHA-256 hash the chain used before it was keyed: what anyone with database
/// access can compute. Verification uses it only to name a forgery, and [`prepare`] to check
/// an unkeyed trail once before keying it.
pub fn plain_hash(e: &Entry) -> String {
    let mut h = Sha256::new();
    for field in hashed_fields(e) {
        h.update(field.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Reads the key file: 64 hex digits (surrounding whitespace ignored).
fn read_key(path: &Path) -> Result<AuditKey, StoreError> {
    crate::keyfile::read(path)
        .map(AuditKey)
        .map_err(StoreError::AuditKey)
}

/// Writes a new random key to `path` readable by the owner only ([`crate::keyfile::create`]).
fn create_key(path: &Path) -> Result<AuditKey, StoreError> {
    crate::keyfile::create(path)
        .map(AuditKey)
        .map_err(StoreError::AuditKey)
}

/// Loads the key from `path` and installs it for this process. When the file does not exist
/// it is created, with a log line saying where: on an empty trail at once; on a trail written
/// before the chain was keyed only after that trail verifies with the unkeyed hash, and then
/// it is re-hashed under the new key in one transaction (the log gives the old and new head).
/// A missing file in front of a keyed trail is refused: a new key would make every entry fail.
pub async fn prepare(db: &Db, path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return install(read_key(path)?);
    }
    let entries = super::list_all(db).await?;
    if !entries.is_empty() && !is_plain_chain(&entries) {
        return Err(StoreError::AuditKey(format!(
            "{} does not exist but the audit trail was written with a key: restore the key file \
             (PORTAL_AUDIT_KEY_FILE) that this database was written with",
            path.display()
        )));
    }
    let key = create_key(path)?;
    tracing::warn!(
        path = %path.display(),
        "created a new audit key file: keep it with the server's data and out of database \
         backups; without it the audit trail cannot be verified"
    );
    install(key.clone())?;
    if !entries.is_empty() {
        let (old, new) = rekey(db, &key, entries).await?;
        tracing::warn!(old_head = %old, new_head = %new, "the unkeyed audit trail verified and is now keyed: anchors exported before are replaced by the new head");
    }
    Ok(())
}

/// Whether `entries` (in order) form an intact unkeyed chain.
fn is_plain_chain(entries: &[Entry]) -> bool {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        if e.seq != i as i64 + 1 || e.prev_hash != prev || plain_hash(e) != e.hash {
            return false;
        }
        prev = e.hash.clone();
    }
    true
}

/// Re-hashes the whole (verified) trail under `key`; (old head, new head).
async fn rekey(
    db: &Db,
    key: &AuditKey,
    entries: Vec<Entry>,
) -> Result<(String, String), StoreError> {
    let mut tx = db.pool.begin().await?;
    // Writing the head first takes the write lock (SQLite) or the row lock (PostgreSQL).
    // No head row is the same error `fetch_one` gives.
    let old = lock_and_read(&mut tx, LockRead::AuditHeadHash)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let mut prev = GENESIS.to_string();
    for mut e in entries {
        e.prev_hash = prev;
        e.hash = keyed_hash(key, &e);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(e.seq)
            .execute(&mut *tx)
            .await?;
        prev = e.hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((old, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(detail: &str) -> Entry {
        Entry {
            seq: 1,
            at: 1,
            actor_id: None,
            actor_login: None,
            actor_unit: None,
            action: "a".into(),
            object_type: None,
            object_id: None,
            detail: Some(detail.into()),
            client_addr: None,
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn keyed_hash_depends_on_the_key_and_differs_from_plain_sha256() {
        let (a, b) = (AuditKey([1; 32]), AuditKey([2; 32]));
        let e = entry("x");
        assert_ne!(keyed_hash(&a, &e), keyed_hash(&b, &e));
        assert_ne!(keyed_hash(&a, &e), plain_hash(&e));
        assert_ne!(keyed_hash(&a, &e), keyed_hash(&a, &entry("y")));
        assert_eq!(keyed_hash(&a, &e), keyed_hash(&a, &entry("x")));
    }

    #[test]
    fn key_files_are_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("audit-key-test-{}", std::process::id()));
        let path = dir.join("sub/audit.key");
        let _ = std::fs::remove_dir_all(&dir);
        let created = create_key(&path).unwrap();
        assert_eq!(read_key(&path).unwrap(), created);
        // A second creation keeps the first key.
        assert_eq!(create_key(&path).unwrap(), created);
        std::fs::write(&path, "not a key").unwrap();
        assert!(read_key(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
