//! Throttling of failed sign-ins, per account and client address and per address alone.
//! Locks always expire, so an attacker can slow an account down but never lock it for good,
//! and a lock earned from one address does not affect the owner signing in from another.

use sqlx::Row;

use crate::{now_ms, Db, StoreError};

/// Failures allowed in a window before a lock.
pub const ACCOUNT_FAILURES: i64 = 5;
pub const ADDRESS_FAILURES: i64 = 30;
/// Window and lock length.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOCK_MS: i64 = 15 * 60 * 1000;

fn keys(login: &str, addr: &str) -> [(String, i64); 2] {
    [
        (
            format!("acct:{}|{addr}", login.to_lowercase()),
            ACCOUNT_FAILURES,
        ),
        (format!("addr:{addr}"), ADDRESS_FAILURES),
    ]
}

/// Milliseconds until sign-in may be tried again, or `None` when it may be tried now.
pub async fn locked_for(db: &Db, login: &str, addr: &str) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let mut wait = None;
    for (key, _) in keys(login, addr) {
        let row = sqlx::query("SELECT locked_until FROM login_throttle WHERE key = $1")
            .bind(&key)
            .fetch_optional(&db.pool)
            .await?;
        if let Some(r) = row {
            let until: i64 = r.try_get("locked_until")?;
            if until > now {
                wait = Some(wait.unwrap_or(0).max(until - now));
            }
        }
    }
    Ok(wait)
}

/// Counts a failed attempt; returns the lock in milliseconds if this failure caused one.
pub async fn record_failure(db: &Db, login: &str, addr: &str) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let mut lock = None;
    let mut tx = db.pool.begin().await?;
    for (key, limit) in keys(login, addr) {
        // Write first (upsert), then read: keeps SQLite from upgrading a read lock.
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
               window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END",
        )
        .bind(&key)
        .bind(now)
        .bind(now - WINDOW_MS)
        .execute(&mut *tx)
        .await?;
        let failures: i64 =
            sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
                .bind(&key)
                .fetch_one(&mut *tx)
                .await?;
        if failures >= limit {
            sqlx::query("UPDATE login_throttle SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3")
                .bind(now + LOCK_MS)
                .bind(now)
                .bind(&key)
                .execute(&mut *tx)
                .await?;
            lock = Some(LOCK_MS);
        }
    }
    tx.commit().await?;
    Ok(lock)
}

/// Clears the account's counter after a successful sign-in.
pub async fn record_success(db: &Db, login: &str, addr: &str) -> Result<(), StoreError> {
    let [(key, _), _] = keys(login, addr);
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Milliseconds until `key` may try again, or `None`.
pub async fn key_locked_for(db: &Db, key: &str) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let until: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
    Ok(until.filter(|u| *u > now).map(|u| u - now))
}

/// Counts a failure against `key` (for example receipt guesses from one address); returns the
/// lock when this failure reaches `limit` within the window.
pub async fn key_failure(db: &Db, key: &str, limit: i64) -> Result<Option<i64>, StoreError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(now - WINDOW_MS)
    .execute(&mut *tx)
    .await?;
    let failures: i64 = sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
    let lock = if failures >= limit {
        sqlx::query("UPDATE login_throttle SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3").bind(now + LOCK_MS).bind(now).bind(key).execute(&mut *tx).await?;
        Some(LOCK_MS)
    } else {
        None
    };
    tx.commit().await?;
    Ok(lock)
}
