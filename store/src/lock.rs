//! Locking a row with a no-op write ("`UPDATE t SET c = c WHERE …`") before reading it.
//!
//! A read-then-write transaction is only safe if no concurrent writer can slip in between the
//! read and the write. The portal gets that the same way on both databases, with one portable
//! statement, by writing first:
//!
//! - On PostgreSQL the no-op `UPDATE` takes the row's write lock, held until the transaction
//!   ends; a second transaction doing the same waits for the first to commit, then reads the
//!   committed row. (`SELECT … FOR UPDATE` would do the same but does not exist on SQLite.)
//! - On SQLite a transaction begins deferred, so a plain read would take only a shared lock
//!   and two transactions could both read before either writes. Any write takes the database's
//!   write lock at once, so the writers run one after another.
//!
//! [`Lock`] names each lockable row, each with its own fixed SQL text, and [`lock`] runs it. The
//! two uses that also read a column of the locked row in the same statement (`RETURNING`) go
//! through [`LockRead`] and [`lock_and_read`].

use sqlx::AnyConnection;

use crate::StoreError;

/// A row to lock with a no-op write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock<'a> {
    /// The `meta` row holding the schema version: a lock for work that has no row of its own
    /// (seeding, imports, training assignments).
    Schema,
    /// A user's row, by user id.
    User(i64),
    /// An event's row, by event id.
    Event(i64),
    /// A lead's row, by lead id.
    Lead(i64),
    /// A sign-in throttle row, by its key.
    LoginThrottle(&'a str),
}

impl Lock<'_> {
    /// The statement that locks this row.
    pub fn sql(&self) -> &'static str {
        match self {
            Lock::Schema => "UPDATE meta SET value = value WHERE key = 'schema'",
            Lock::User(_) => "UPDATE users SET disabled = disabled WHERE id = $1",
            Lock::Event(_) => "UPDATE events SET sequence = sequence WHERE id = $1",
            Lock::Lead(_) => "UPDATE leads SET status = status WHERE id = $1",
            Lock::LoginThrottle(_) => {
                "UPDATE login_throttle SET failures = failures WHERE key = $1"
            }
        }
    }
}

/// Locks `what` in the transaction `conn` belongs to. Returns whether a row was locked (`false`:
/// no such row; on SQLite the write lock is taken either way).
pub async fn lock(conn: &mut AnyConnection, what: Lock<'_>) -> Result<bool, StoreError> {
    let q = sqlx::query(what.sql());
    let q = match what {
        Lock::Schema => q,
        Lock::User(id) | Lock::Event(id) | Lock::Lead(id) => q.bind(id),
        Lock::LoginThrottle(key) => q.bind(key),
    };
    Ok(q.execute(conn).await?.rows_affected() > 0)
}

/// A row to lock with a no-op write that also returns one text column of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockRead {
    /// A tip's row, by tip id; returns its status.
    TipStatus(i64),
    /// The audit chain's head row; returns the head hash.
    AuditHeadHash,
}

impl LockRead {
    /// The statement that locks this row and returns the column.
    pub fn sql(&self) -> &'static str {
        match self {
            LockRead::TipStatus(_) => {
                "UPDATE tips SET status = status WHERE id = $1 RETURNING status"
            }
            LockRead::AuditHeadHash => {
                "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING hash"
            }
        }
    }
}

/// Locks `what` in the transaction `conn` belongs to and returns its column, or `None` when
/// there is no such row.
pub async fn lock_and_read(
    conn: &mut AnyConnection,
    what: LockRead,
) -> Result<Option<String>, StoreError> {
    let q = sqlx::query_scalar(what.sql());
    let q = match what {
        LockRead::TipStatus(id) => q.bind(id),
        LockRead::AuditHeadHash => q,
    };
    Ok(q.fetch_optional(conn).await?)
}
