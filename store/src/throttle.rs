//! Throttling of guesses: sign-ins per account and client, per client alone, and other keyed
//! counters (receipt guesses, tips, check-in codes).
//!
//! A sign-in attempt is counted *before* the password is checked, in one write, so parallel
//! guesses cannot all pass a check that only later failures would have closed: of any number
//! of simultaneous guesses for one account from one client, at most [`ACCOUNT_FAILURES`] are
//! evaluated. The per-(account, client) lock always expires, so an attacker can slow an account
//! down but never lock it for good, and a lock earned from one address does not affect the
//! owner signing in from another. The per-client counter only slows every further attempt from
//! that client down ([`ADDRESS_DELAY`]): people behind the same proxy or office NAT are never
//! locked out by a stranger among them. Keys are stored as SHA-256 (no login or address in
//! the table), and expired rows are purged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::lock::Lock;
use crate::{now_ms, Db, StoreError};

/// Attempts per account and client in a window before a lock.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failures per client in a window after which each of its attempts is slowed down.
pub const ADDRESS_FAILURES: i64 = 30;
/// How much slower each attempt of such a client is.
pub const ADDRESS_DELAY: Duration = Duration::from_millis(1000);
/// The longest login that is looked up or counted at all.
pub const LOGIN_MAX_CHARS: usize = 64;
/// Window and lock length.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOCK_MS: i64 = 15 * 60 * 1000;

/// How a counter's key is stored: SHA-256 of what it counts.
fn stored(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn account_key(login: &str, client: &str) -> String {
    stored(&format!("acct:{}|{client}", login.to_lowercase()))
}

fn address_key(client: &str) -> String {
    stored(&format!("addr:{client}"))
}

/// Whether a sign-in attempt may go on to the password check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password; `slow` when the client has failed often (wait [`ADDRESS_DELAY`]).
    Go { slow: bool },
    /// Locked: milliseconds to wait.
    Locked(i64),
}

/// Adds one to the counter `key` (starting a new window when the old one has passed) and
/// returns its count and lock, inside `tx`. Writes first, so SQLite takes the write lock and
/// PostgreSQL the row lock before reading: concurrent attempts count one after another.
async fn bump(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    now: i64,
) -> Result<(i64, i64), StoreError> {
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(now - WINDOW_MS)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query("SELECT failures, locked_until FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
    Ok((row.try_get("failures")?, row.try_get("locked_until")?))
}

async fn lock(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE login_throttle SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3",
    )
    .bind(now + LOCK_MS)
    .bind(now)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts a sign-in attempt for `login` from `client` before its password is checked.
pub async fn begin_sign_in(db: &Db, login: &str, client: &str) -> Result<Attempt, StoreError> {
    purge_now_and_then(db).await?;
    let now = now_ms();
    let (account, address) = (account_key(login, client), address_key(client));
    let mut tx = db.pool.begin().await?;
    let (attempts, locked_until) = bump(&mut tx, &account, now).await?;
    let verdict = if locked_until > now {
        Attempt::Locked(locked_until - now)
    } else if attempts > ACCOUNT_FAILURES {
        lock(&mut tx, &account, now).await?;
        Attempt::Locked(LOCK_MS)
    } else {
        let (failures, _) = bump(&mut tx, &address, now).await?;
        Attempt::Go {
            slow: failures > ADDRESS_FAILURES,
        }
    };
    tx.commit().await?;
    Ok(verdict)
}

/// After a wrong password: locks the account for this client when this attempt used up the
/// allowance; returns the lock in milliseconds if so.
pub async fn end_failure(db: &Db, login: &str, client: &str) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let account = account_key(login, client);
    let mut tx = db.pool.begin().await?;
    // Write first (a no-op update), for the same lock order as `bump`.
    crate::lock::lock(&mut tx, Lock::LoginThrottle(&account)).await?;
    let row = sqlx::query("SELECT failures, locked_until FROM login_throttle WHERE key = $1")
        .bind(&account)
        .fetch_optional(&mut *tx)
        .await?;
    let outcome = match row {
        Some(r) => {
            let (attempts, until): (i64, i64) =
                (r.try_get("failures")?, r.try_get("locked_until")?);
            if until > now {
                Some(until - now)
            } else if attempts >= ACCOUNT_FAILURES {
                lock(&mut tx, &account, now).await?;
                Some(LOCK_MS)
            } else {
                None
            }
        }
        None => None,
    };
    tx.commit().await?;
    Ok(outcome)
}

/// After a right password: clears the account's counter for this client and takes the
/// attempt off the client's count (it was not a failure).
pub async fn end_success(db: &Db, login: &str, client: &str) -> Result<(), StoreError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(account_key(login, client))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = $1",
    )
    .bind(address_key(client))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Milliseconds until `key` may try again, or `None`.
pub async fn key_locked_for(db: &Db, key: &str) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let until: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE key = $1")
            .bind(stored(key))
            .fetch_optional(&db.pool)
            .await?;
    Ok(until.filter(|u| *u > now).map(|u| u - now))
}

/// Counts one against `key` (a receipt guess, a tip, a wrong check-in code); returns the lock
/// when this one reaches `limit` within the window.
pub async fn key_failure(db: &Db, key: &str, limit: i64) -> Result<Option<i64>, StoreError> {
    purge_now_and_then(db).await?;
    let now = now_ms();
    let key = stored(key);
    let mut tx = db.pool.begin().await?;
    let (count, _) = bump(&mut tx, &key, now).await?;
    let locked = if count >= limit {
        lock(&mut tx, &key, now).await?;
        Some(LOCK_MS)
    } else {
        None
    };
    tx.commit().await?;
    Ok(locked)
}

/// Deletes the rows whose window and lock have both passed (they would count from zero
/// anyway); returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64, StoreError> {
    let now = now_ms();
    let done =
        sqlx::query("DELETE FROM login_throttle WHERE locked_until < $1 AND window_start < $2")
            .bind(now)
            .bind(now - WINDOW_MS)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected())
}

/// Purges once every [`PURGE_EVERY`] counts, so the table holds only live counters without a
/// background task.
async fn purge_now_and_then(db: &Db) -> Result<(), StoreError> {
    static COUNTS: AtomicU64 = AtomicU64::new(0);
    if COUNTS
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(PURGE_EVERY)
    {
        purge_expired(db).await?;
    }
    Ok(())
}

const PURGE_EVERY: u64 = 200;
