//! The portal's storage layer. One module per domain noun (`units`, later `users`, `leads`,
//! `courses`, `events`), all on one [`Db`] handle that runs the same portable SQL on SQLite and
//! PostgreSQL through sqlx's `Any` driver.

pub mod attempts;
pub mod audit;
pub mod backup;
pub mod db;
pub mod error;
pub mod events;
pub mod group_commit;
pub mod import;
pub mod keyfile;
pub mod leads;
pub mod lock;
pub mod passwords;
pub mod sessions;
pub mod throttle;
pub mod tips;
pub mod training_reports;
pub mod units;
pub mod users;

pub use db::{Backend, Db};
pub use error::StoreError;

/// Milliseconds since the Unix epoch, the portal's one time representation in the database.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
