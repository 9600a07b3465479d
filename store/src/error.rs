//! The storage error type. Callers log it and show users a safe message; database text never
//! reaches a client.

/// Anything that went wrong below the request handlers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot open database {target}: {cause}")]
    Open { target: String, cause: String },
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Every password-hashing slot is taken and the queue is full: try again shortly.
    #[error("too busy to check a password now")]
    Busy,
    /// The audit chain's key file cannot be read, created or used (the message names the file).
    #[error("audit key: {0}")]
    AuditKey(String),
    /// A write's group transaction failed or its writer stopped (the cause, for the log);
    /// nothing of the write was kept.
    #[error("group commit: {0}")]
    Group(String),
}

impl StoreError {
    /// Whether the database could not be reached, or dropped the connection, rather than
    /// refusing the statement: a restart or fail-over of PostgreSQL. The request may be
    /// tried again shortly (the pool replaces broken connections by itself); nothing of it was
    /// committed, since a transaction is committed only when its `COMMIT` is answered.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Sqlx(e) => sqlx_unavailable(e),
            _ => false,
        }
    }
}

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        // Connection exceptions (class 08), and the server shutting down or starting up
        // (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_databases_are_told_apart_from_refused_statements() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(StoreError::Sqlx(sqlx::Error::Io(io)).is_unavailable());
        assert!(StoreError::Sqlx(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(!StoreError::Sqlx(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::Corrupt("x".into()).is_unavailable());
        assert!(!StoreError::Busy.is_unavailable());
    }
}
