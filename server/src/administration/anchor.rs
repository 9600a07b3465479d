//! The audit chain's head in the server log. At a fixed interval (`PORTAL_AUDIT_HEAD_LOG_SECS`)
//! the server walks the whole chain and logs its head, so that a log kept outside the database
//! holds anchors: a trail later cut short, or rewritten even with the key, no longer contains
//! the hashes the log recorded. A broken chain is logged as an error instead.

use std::time::Duration;

use store::audit::{self, Verdict};
use store::Db;

/// Logs the head now and then every `every`, until the runtime stops.
pub fn spawn_head_log(db: Db, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            log_head(&db).await;
        }
    });
}

async fn log_head(db: &Db) {
    match audit::verify_chain(db, None).await {
        Ok(Verdict::Intact { entries, head }) => {
            tracing::info!(target: "audit_anchor", entries, head = %head, "audit chain head");
        }
        Ok(Verdict::Broken { seq, reason }) => {
            tracing::error!(target: "audit_anchor", seq, reason = %reason, "audit chain BROKEN");
        }
        Err(e) => tracing::warn!(target: "audit_anchor", error = %e, "audit chain not checked"),
    }
}
