//! Rows in bulk: a generated value ([`V`]) and a buffered multi-row INSERT ([`Inserter`]).

use sqlx::AnyConnection;
use store::StoreError;

/// One value of a generated row. NULLs carry their type for PostgreSQL.
pub(super) enum V {
    I(i64),
    F(f64),
    T(String),
    NullI,
    NullT,
}

pub(super) fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

pub(super) fn ot(s: Option<impl Into<String>>) -> V {
    s.map(|s| V::T(s.into())).unwrap_or(V::NullT)
}

pub(super) fn oi(v: Option<i64>) -> V {
    v.map(V::I).unwrap_or(V::NullI)
}

/// A buffered multi-row INSERT into one table. Values are written as SQL literals (the
/// generator makes every one of them; text is quoted by doubling `'`): binding tens of
/// thousands of parameters per statement costs more than the insert itself.
pub(super) struct Inserter {
    head: String,
    cols: usize,
    sql: String,
    pending: usize,
    pub(super) rows: u64,
}

/// Rows per statement.
const ROWS_PER_STATEMENT: usize = 500;

impl Inserter {
    pub(super) fn new(table: &str, cols: &[&str]) -> Inserter {
        let head = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        Inserter {
            sql: head.clone(),
            head,
            cols: cols.len(),
            pending: 0,
            rows: 0,
        }
    }

    /// Buffers a row; [`Inserter::flush`] writes it.
    pub(super) fn push<const N: usize>(&mut self, row: [V; N]) {
        use std::fmt::Write;
        debug_assert_eq!(N, self.cols);
        if self.pending > 0 {
            self.sql.push(',');
        }
        self.sql.push('(');
        for (i, v) in row.into_iter().enumerate() {
            if i > 0 {
                self.sql.push(',');
            }
            let _ = match v {
                V::I(n) => write!(self.sql, "{n}"),
                V::F(f) => write!(self.sql, "{f:?}"),
                V::T(s) => {
                    self.sql.push('\'');
                    self.sql.push_str(&s.replace('\'', "''"));
                    self.sql.push('\'');
                    Ok(())
                }
                V::NullI => write!(self.sql, "CAST(NULL AS BIGINT)"),
                V::NullT => write!(self.sql, "CAST(NULL AS TEXT)"),
            };
        }
        self.sql.push(')');
        self.pending += 1;
        self.rows += 1;
    }

    /// Whether a full statement's worth of rows is waiting.
    pub(super) fn full(&self) -> bool {
        self.pending >= ROWS_PER_STATEMENT
    }

    /// Writes every buffered row.
    pub(super) async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.pending == 0 {
            return Ok(());
        }
        let sql = std::mem::replace(&mut self.sql, self.head.clone());
        self.pending = 0;
        sqlx::query(&sql)
            .persistent(false)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// Flushes `tables` (parents first, for the foreign keys) when any of them is full.
pub(super) async fn flush_when_full(
    conn: &mut AnyConnection,
    tables: &mut [&mut Inserter],
) -> Result<(), StoreError> {
    if tables.iter().any(|t| t.full()) {
        for t in tables.iter_mut() {
            t.flush(conn).await?;
        }
    }
    Ok(())
}
