//! The figures of `/training-admin` for one unit (each assignment with its learners and where
//! they stand, the members, their exchange hours), computed at most once per max age
//! (`PORTAL_TRAINING_FIGURES_SECS`, 30 s by default) and shared by every view of the page in
//! that time.
//!
//! Why: at a 4,400-person court these take about 130 ms of queries (every learner's latest
//! certificate, every member's attended events). Ten administrators' views at once used to run
//! them ten times on the one core; now one computation serves them all, and the page itself
//! (counts, one page of the people not yet done) is cut from the snapshot in memory.
//!
//! Staleness is bounded and said on the page: a change made on this server to the unit's
//! assignments drops the unit's snapshot at once ([`Snapshots::forget`], called by the
//! service), so administrators see their own changes; a certificate earned since, or a change
//! made on another server, shows within the max age. The CSV export and the API compute afresh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use store::StoreError;
use tokio::sync::OnceCell;

use super::service::{unit_progress, UnitProgress};
use crate::state::AppState;

/// One unit's figures as of `taken_at`.
pub struct Snapshot {
    pub progress: UnitProgress,
    /// Exchange hours of every member (user id → hours).
    pub hours: std::collections::BTreeMap<i64, f64>,
    /// When the figures were read (ms since the epoch).
    pub taken_at: i64,
}

struct Slot {
    started: Instant,
    cell: Arc<OnceCell<Arc<Snapshot>>>,
}

/// The snapshots of every unit whose page was viewed lately.
#[derive(Default)]
pub struct Snapshots {
    slots: Mutex<HashMap<String, Slot>>,
}

impl Snapshots {
    /// The unit's figures: the shared ones if younger than the configured max age, else
    /// computed now (once, however many ask at the same moment: the others wait for it).
    pub async fn get(&self, state: &AppState, unit: &str) -> Result<Arc<Snapshot>, StoreError> {
        let max_age = Duration::from_secs(state.config.training_figures_secs);
        let cell = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            // Expired snapshots of other units go too, so memory follows recent use.
            slots.retain(|_, s| s.started.elapsed() < max_age);
            slots
                .entry(unit.to_string())
                .or_insert_with(|| Slot {
                    started: Instant::now(),
                    cell: Arc::new(OnceCell::new()),
                })
                .cell
                .clone()
        };
        // A failed computation leaves the cell empty: the next view tries again.
        cell.get_or_try_init(|| compute(state, unit))
            .await
            .map(Arc::clone)
    }

    /// Drops the unit's figures (its assignments changed here), so the next view reads afresh.
    pub fn forget(&self, unit: &str) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.remove(unit);
    }
}

async fn compute(state: &AppState, unit: &str) -> Result<Arc<Snapshot>, StoreError> {
    let taken_at = store::now_ms();
    let progress = unit_progress(state, unit).await?;
    let ids: Vec<i64> = progress.members.iter().map(|m| m.id).collect();
    let hours = store::events::attended_hours(&state.db, &ids).await?;
    Ok(Arc::new(Snapshot {
        progress,
        hours,
        taken_at,
    }))
}
