//! The audit writer: one task that writes the standalone entries ([`super::record`]: a case
//! file viewed, a denial, a report opened). A request hands its entry over and waits; the task
//! takes every entry waiting at that moment (up to [`BATCH`]), appends them in one transaction,
//! commits, and only then answers each request, so "audited before the response is sent" holds
//! and a SIGKILL loses no entry whose request was answered. Under SQLite's single writer, ten
//! concurrent views cost one write transaction and one fsync instead of ten in a row.
//!
//! Without the task (command-line tools, a runtime that has stopped) an entry is written in its
//! own transaction, as before. Should a batch fail, each of its entries is retried alone so that
//! one bad entry cannot fail the others.
//!
//! On SQLite this task does not run: the entries go to the group writer
//! ([`crate::group_commit`]), which batches the same way, so that one task holds SQLite's one
//! write lock instead of two taking turns through the busy handler's back-off sleeps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::{mpsc, oneshot};

use super::{append, record_alone, Actor, Checkpoint, Event};
use crate::{Backend, Db, StoreError};

/// Most entries committed in one transaction.
const BATCH: usize = 256;

/// An entry owned, so that it can cross to a writer task (this one, or the group writer).
struct Pending {
    actor: Actor,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    detail: Option<String>,
}

impl Pending {
    fn of(actor: &Actor, event: &Event<'_>) -> Pending {
        Pending {
            actor: actor.clone(),
            action: event.action.to_string(),
            object_type: event.object_type.map(String::from),
            object_id: event.object_id.clone(),
            detail: event.detail.clone(),
        }
    }

    fn event(&self) -> Event<'_> {
        Event {
            action: &self.action,
            object_type: self.object_type.as_deref(),
            object_id: self.object_id.clone(),
            detail: self.detail.clone(),
        }
    }
}

/// An entry waiting for this writer, and its caller.
struct Job {
    entry: Pending,
    done: oneshot::Sender<Result<i64, StoreError>>,
}

/// The audit state a [`Db`] handle and its clones share: the writer's queue, once started, and
/// how far `/admin/audit` found the chain intact.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    queue: OnceLock<mpsc::Sender<Job>>,
    checkpoint: Mutex<Option<Checkpoint>>,
    stats: Arc<Counts>,
}

/// What the writer has committed so far.
#[derive(Debug, Default)]
struct Counts {
    batches: AtomicU64,
    entries: AtomicU64,
}

/// Transactions the writer committed and the entries in them (for tests and diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriterStats {
    pub batches: u64,
    pub entries: u64,
}

/// What the writer of `db` has committed since it started.
pub fn writer_stats(db: &Db) -> WriterStats {
    WriterStats {
        batches: db.audit.stats.batches.load(Ordering::Relaxed),
        entries: db.audit.stats.entries.load(Ordering::Relaxed),
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.entry.action)
    }
}

impl Shared {
    pub(crate) fn new() -> Arc<Shared> {
        Arc::new(Shared::default())
    }

    pub(super) fn checkpoint(&self) -> Option<Checkpoint> {
        self.checkpoint.lock().ok().and_then(|c| c.clone())
    }

    pub(super) fn set_checkpoint(&self, checkpoint: Checkpoint) {
        if let Ok(mut c) = self.checkpoint.lock() {
            // Never move back: a concurrent, older walk may finish last.
            if c.as_ref().is_none_or(|old| old.seq <= checkpoint.seq) {
                *c = Some(checkpoint);
            }
        }
    }
}

/// Starts the writer task on the current runtime for `db` and its clones (once; later calls
/// do nothing). The task ends when the runtime stops.
pub fn start_writer(db: &Db) {
    if db.backend == Backend::Sqlite {
        return;
    }
    let (tx, rx) = mpsc::channel(4 * BATCH);
    if db.audit.queue.set(tx).is_ok() {
        // The task holds the pool, not the shared state, so that it never keeps its own queue
        // open.
        tokio::spawn(run(db.detached(), rx, db.audit.stats.clone()));
    }
}

/// Hands the entry to the writer and waits for its commit; alone when there is no writer.
pub(super) async fn submit(db: &Db, actor: &Actor, event: Event<'_>) -> Result<i64, StoreError> {
    if db.backend == Backend::Sqlite {
        let entry = Pending::of(actor, &event);
        return db
            .write(move |tx| Box::pin(async move { append(tx, &entry.actor, entry.event()).await }))
            .await;
    }
    let Some(queue) = db.audit.queue.get() else {
        return record_alone(db, actor, event).await;
    };
    let (done, answer) = oneshot::channel();
    let job = Job {
        entry: Pending::of(actor, &event),
        done,
    };
    if queue.send(job).await.is_err() {
        return record_alone(db, actor, event).await;
    }
    match answer.await {
        Ok(result) => result,
        // The task went away with the entry (its runtime stopped): nothing was acknowledged,
        // so writing it alone now is neither lost nor doubled.
        Err(_) => record_alone(db, actor, event).await,
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>, counts: Arc<Counts>) {
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        match write_batch(&db, &batch).await {
            Ok(seqs) => {
                counts.batches.fetch_add(1, Ordering::Relaxed);
                counts
                    .entries
                    .fetch_add(seqs.len() as u64, Ordering::Relaxed);
                for (job, seq) in batch.drain(..).zip(seqs) {
                    let _ = job.done.send(Ok(seq));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, entries = batch.len(), "audit batch failed; writing its entries one by one");
                for job in batch.drain(..) {
                    let result = record_alone(&db, &job.entry.actor, job.entry.event()).await;
                    let _ = job.done.send(result);
                }
            }
        }
    }
}

/// Appends every job's entry in one transaction; their sequence numbers, in order.
async fn write_batch(db: &Db, batch: &[Job]) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.pool.begin().await?;
    let mut seqs = Vec::with_capacity(batch.len());
    for job in batch {
        seqs.push(append(&mut tx, &job.entry.actor, job.entry.event()).await?);
    }
    tx.commit().await?;
    Ok(seqs)
}
