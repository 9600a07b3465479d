//! Group commit for the writes that come in bursts on SQLite: a quiz started, answers saved, a
//! quiz submitted, a lesson completed (the deadline-day load), and the standalone audit entries
//! of views ([`crate::audit::record`]), so that one task holds SQLite's one write lock.
//!
//! SQLite has one writer at a time, and with `synchronous = FULL` every commit waits for an
//! fsync of the WAL (about half a millisecond on the benchmark machine). Committed one by one,
//! those fsyncs, not the CPU, bound how many quizzes a deadline day can take. So one task
//! ([`start_writer`]) takes every write waiting at that moment (up to [`BATCH`]), runs each
//! inside its own savepoint of one `BEGIN IMMEDIATE` transaction, commits once, and only then
//! answers each caller: an answered write is committed (a SIGKILL loses none), and many writes
//! share one fsync.
//!
//! A write that fails (or panics) is rolled back to its savepoint, so it changes nothing and
//! the others in its group still commit. Should the group itself fail (begin, a savepoint or
//! the commit), every write in it is answered with the failure, and nothing of it was kept.
//!
//! On PostgreSQL, and where the task is not running (command-line tools), a write runs in its
//! own transaction in the caller's task, as before: PostgreSQL's row locks let writers work
//! side by side.
//!
//! A write runs on the writer's transaction and must not call [`Db::write`] itself (it would
//! wait for its own group).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use futures_util::FutureExt;
use sqlx::{Any, Transaction};
use tokio::sync::{mpsc, oneshot};

use crate::db::Backend;
use crate::{Db, StoreError};

/// Most writes committed in one transaction: bounds how long one group holds the write lock.
const BATCH: usize = 128;

/// A boxed future that may borrow the transaction it runs on.
pub type WriteFuture<'t, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 't>>;

/// What the writer does with a write once its group has committed (or failed): answers the
/// caller with the write's own result, or with the group's failure.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;

/// A write, with its result type erased, as the writer task runs it: whether to keep it
/// (release its savepoint) and how to answer its caller.
type Job = Box<
    dyn for<'t> FnOnce(
            &'t mut Transaction<'static, Any>,
        ) -> Pin<Box<dyn Future<Output = (bool, Answer)> + Send + 't>>
        + Send,
>;

/// The group-commit state a [`Db`] handle and its clones share.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    queue: OnceLock<mpsc::Sender<Job>>,
    groups: AtomicU64,
    writes: AtomicU64,
}

impl Shared {
    pub(crate) fn new() -> Arc<Shared> {
        Arc::new(Shared::default())
    }
}

/// Groups the writer has committed and the writes in them (for tests and diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupStats {
    pub groups: u64,
    pub writes: u64,
}

/// What the group writer of `db` has committed since it started.
pub fn group_stats(db: &Db) -> GroupStats {
    GroupStats {
        groups: db.group.groups.load(Ordering::Relaxed),
        writes: db.group.writes.load(Ordering::Relaxed),
    }
}

/// Starts the writer task on the current runtime for `db` and its clones (SQLite only; once;
/// later calls do nothing). The task ends when the runtime stops.
pub fn start_writer(db: &Db) {
    if db.backend != Backend::Sqlite {
        return;
    }
    let (tx, rx) = mpsc::channel(4 * BATCH);
    if db.group.queue.set(tx).is_ok() {
        // The task holds the pool, not the shared state, so that it never keeps its own queue
        // open.
        tokio::spawn(run(db.pool.clone(), rx, db.group.clone()));
    }
}

impl Db {
    /// Runs `work` in a write transaction and returns its result once that transaction has
    /// committed. `Err` from `work` rolls back everything it wrote. On SQLite with the writer
    /// running, `work` shares its transaction (and its fsync) with the writes waiting at the
    /// same moment, each in its own savepoint.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Transaction<'static, Any>) -> WriteFuture<'t, T> + Send + 'static,
    {
        let Some(queue) = self.group.queue.get() else {
            return write_alone(self, work).await;
        };
        let (done, answer) = oneshot::channel::<Result<T, StoreError>>();
        let job: Job = Box::new(move |tx| {
            Box::pin(async move {
                let result = work(tx).await;
                let keep = result.is_ok();
                let answer: Answer = Box::new(move |failed: Option<&str>| {
                    let _ = done.send(match failed {
                        Some(cause) if keep => Err(StoreError::Group(cause.to_string())),
                        _ => result,
                    });
                });
                (keep, answer)
            })
        });
        if queue.send(job).await.is_err() {
            return Err(StoreError::Group("the writer has stopped".into()));
        }
        // A closed channel: the job was dropped unrun (its group could not begin) or it
        // panicked; either way nothing of it was committed.
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::Group("the write was not run".into())))
    }
}

/// `work` in its own transaction, in the caller's task.
async fn write_alone<T, F>(db: &Db, work: F) -> Result<T, StoreError>
where
    F: for<'t> FnOnce(&'t mut Transaction<'static, Any>) -> WriteFuture<'t, T>,
{
    let mut tx = match db.backend {
        Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => db.pool.begin().await?,
    };
    let value = work(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

async fn run(pool: sqlx::AnyPool, mut rx: mpsc::Receiver<Job>, shared: Arc<Shared>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut answers = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let n = batch.len() as u64;
        let failed = match run_group(&pool, &mut batch, &mut answers).await {
            Ok(()) => {
                shared.groups.fetch_add(1, Ordering::Relaxed);
                shared.writes.fetch_add(n, Ordering::Relaxed);
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, writes = n, "group commit failed");
                Some(e.to_string())
            }
        };
        // Jobs left unrun are dropped here: their callers learn that nothing was written.
        batch.clear();
        for answer in answers.drain(..) {
            answer(failed.as_deref());
        }
    }
}

/// Runs the jobs of one group in one transaction, each in its own savepoint, and commits.
async fn run_group(
    pool: &sqlx::AnyPool,
    batch: &mut Vec<Job>,
    answers: &mut Vec<Answer>,
) -> Result<(), StoreError> {
    // IMMEDIATE: the write lock from the start, so no job's read can be overtaken by another
    // connection's commit before the job writes (which SQLite would refuse).
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for job in batch.drain(..) {
        sqlx::query("SAVEPOINT write").execute(&mut *tx).await?;
        let keep = match AssertUnwindSafe(job(&mut tx)).catch_unwind().await {
            Ok((keep, answer)) => {
                answers.push(answer);
                keep
            }
            Err(_) => {
                // The panic dropped the job's answer: its caller learns it was not written.
                tracing::error!("a write panicked inside its group; rolled back to its savepoint");
                false
            }
        };
        if !keep {
            sqlx::query("ROLLBACK TO write").execute(&mut *tx).await?;
        }
        sqlx::query("RELEASE write").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
