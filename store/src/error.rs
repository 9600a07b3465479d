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
