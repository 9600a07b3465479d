//! Backups. SQLite: `VACUUM INTO`, a consistent online copy taken while the portal serves, and
//! a restore that checks the copy (`PRAGMA integrity_check`) before putting it in place.
//! PostgreSQL: `pg_dump --format=custom` and `pg_restore` into an empty database (the standard
//! tools; the server runs them so that one command works for both backends).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::Connection;

use crate::{Backend, Db, StoreError};

fn open_err(target: &Path, cause: impl ToString) -> StoreError {
    StoreError::Open {
        target: target.display().to_string(),
        cause: cause.to_string(),
    }
}

/// The SQLite file of an `sqlite:` URL.
pub fn sqlite_file(url: &str) -> PathBuf {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

/// Takes a consistent copy of a live SQLite database into `out` (which must not exist).
pub async fn sqlite_backup(db: &Db, out: &Path) -> Result<(), StoreError> {
    if db.backend != Backend::Sqlite {
        return Err(open_err(out, "not an SQLite database"));
    }
    if out.exists() {
        return Err(open_err(out, "the backup file exists already"));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(out.to_string_lossy().to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Runs `PRAGMA integrity_check` on an SQLite file opened read-only; `Ok` with the verdict
/// (`ok` when sound).
pub async fn sqlite_integrity(file: &Path) -> Result<String, StoreError> {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))
        .map_err(|e| open_err(file, e))?
        .read_only(true);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| open_err(file, e))?;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await.ok();
    Ok(rows.join("; "))
}

/// Whether an SQLite file holds portal tables already.
pub async fn sqlite_has_tables(file: &Path) -> Result<bool, StoreError> {
    if !file.exists() || std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) == 0 {
        return Ok(false);
    }
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))
        .map_err(|e| open_err(file, e))?
        .read_only(true);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| open_err(file, e))?;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await.ok();
    Ok(n > 0)
}

/// Restores an SQLite backup into `target`: checks the copy, then moves it into place in one
/// rename, so a crash midway leaves either nothing or the whole copy.
pub async fn sqlite_restore(backup: &Path, target: &Path) -> Result<(), StoreError> {
    let verdict = sqlite_integrity(backup).await?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt(format!(
            "{} fails its integrity check: {verdict}",
            backup.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| open_err(dir, e))?;
    }
    let tmp = target.with_extension("restoring");
    std::fs::copy(backup, &tmp).map_err(|e| open_err(&tmp, e))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| open_err(&tmp, e))?;
    // Journal files of an earlier database at the target would be applied to the copy.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::rename(&tmp, target).map_err(|e| open_err(target, e))?;
    Ok(())
}

/// Whether a PostgreSQL database holds portal tables already.
pub async fn postgres_has_tables(url: &str) -> Result<bool, StoreError> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(|e| open_err(Path::new(&crate::db::redact(url)), e))?;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'users'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await.ok();
    Ok(n > 0)
}
