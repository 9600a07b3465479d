//! Opening, configuring and migrating the database.
//!
//! Both backends run through sqlx's `Any` driver with runtime queries in portable SQL: `$N`
//! placeholders (SQLite accepts them too), integers as BIGINT, times as Unix milliseconds and
//! flags as 0/1 integers. Only the migrations differ per backend (`migrations/sqlite`,
//! `migrations/postgres`), because DDL is where the dialects really disagree.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database the portal runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The shared database handle: a connection pool plus the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The audit writer's queue and verification checkpoint, shared by every clone.
    pub(crate) audit: std::sync::Arc<crate::audit::Shared>,
    /// The group writer's queue (see [`crate::group_commit`]), shared by every clone.
    pub(crate) group: std::sync::Arc<crate::group_commit::Shared>,
    /// The unit directory as last read, with its version (see [`crate::units::load_directory`]).
    pub(crate) directory:
        std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<crate::units::Kept>>>>,
}

impl Db {
    /// Opens `url` (`sqlite://path` or `postgres://…`), creating an SQLite file and its folder
    /// when missing, and applies every pending migration. Errors name the target and the cause.
    pub async fn open(url: &str) -> Result<Db, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Open {
                target: url.to_string(),
                cause: "DATABASE_URL must start with sqlite: or postgres://".into(),
            });
        };
        let target = redact(url);
        let open_err = |cause: String| StoreError::Open {
            target: target.clone(),
            cause,
        };
        let url = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url);
                if let Some(dir) = Path::new(&path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| open_err(format!("cannot create {}: {e}", dir.display())))?;
                }
                // mode=rwc creates the file; the pragmas below are per connection.
                format!("sqlite://{path}?mode=rwc")
            }
            Backend::Postgres => url.to_string(),
        };
        let options =
            sqlx::any::AnyConnectOptions::from_str(&url).map_err(|e| open_err(e.to_string()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // An SQLite connection is a thread in this process, not a socket that can break:
            // pinging it before every statement only cost a round trip (7 % of the CPU of a
            // deadline day).
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL for concurrent readers, FULL so an acknowledged commit survives a
                        // power cut, foreign keys enforced, and writers wait instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| open_err(format!("migration failed: {e}")))?;
        Ok(Db {
            pool,
            backend,
            audit: crate::audit::Shared::new(),
            group: crate::group_commit::Shared::new(),
            directory: Default::default(),
        })
    }

    /// The same pool without the shared audit state (for the audit writer itself).
    pub(crate) fn detached(&self) -> Db {
        Db {
            pool: self.pool.clone(),
            backend: self.backend,
            audit: crate::audit::Shared::new(),
            group: self.group.clone(),
            directory: self.directory.clone(),
        }
    }

    /// Answers when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// The file path of an `sqlite:` URL (`sqlite://data/x.db`, `sqlite:data/x.db`, query dropped).
fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default().to_string()
}

/// The URL without a password, for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        for (url, path) in [
            ("sqlite://data/portal.db", "data/portal.db"),
            ("sqlite:data/portal.db", "data/portal.db"),
            ("sqlite:///tmp/x.db?mode=rwc", "/tmp/x.db"),
        ] {
            assert_eq!(sqlite_path(url), path);
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
