//! `portal-bench generate`: fills an empty database with a large, realistic data set for the
//! benchmark. The demo directory, accounts and venues are seeded first (as `PORTAL_DEMO=1`
//! would), so the demo accounts keep working; then users across the whole directory, quiz
//! attempts with lesson progress and certificates, training assignments, leads with their
//! hand-overs and case-file entries, and exchange events with registrations.
//!
//! Rows go in with multi-row INSERTs in large transactions on one connection, ids chosen here,
//! and memory stays bounded: users and their training records are generated a chunk at a time.
//! The bulk rows have no audit entries (the audit chain holds only what the demo seeding and
//! real requests write, and stays valid). Generated users share the demo accounts' password
//! hash, so they sign in with the demo password.
//!
//! One file per part: `insert.rs` (bulk rows), `people.rs` (users and roles), `training.rs`
//! (attempts, certificates, lessons, assignments), `leads.rs`, `events.rs`.

use std::process::ExitCode;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::SeedableRng;
use store::{Backend, Db, StoreError};

use crate::Config;

mod events;
mod insert;
mod leads;
mod people;
mod training;

/// Logins of generated users: this prefix and a six-digit number.
pub const LOGIN_PREFIX: &str = "bench-";

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub users: u64,
    pub attempts: u64,
    pub leads: u64,
    pub events: u64,
    /// Percent of the users left without any attempt.
    pub fresh_percent: u64,
}

impl Sizes {
    /// The generated users from this index on have no attempts.
    fn fresh_from(&self) -> u64 {
        self.users - self.users * self.fresh_percent.min(100) / 100
    }
}

const DAY: i64 = 86_400_000;
const MINUTE: i64 = 60_000;

/// `portal-bench generate`.
pub async fn run(config: &Config, sizes: Sizes, seed: u64) -> ExitCode {
    match generate(config, sizes, seed).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal-bench: generate failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn generate(config: &Config, sizes: Sizes, seed: u64) -> Result<(), String> {
    let started = Instant::now();
    let catalogue = corpus::courses::load(&config.content_dir).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_url())
        .await
        .map_err(|e| e.to_string())?;
    let s = |e: StoreError| e.to_string();
    store::audit::prepare(&db, &config.audit_key_file)
        .await
        .map_err(s)?;
    store::units::seed_directory(&db).await.map_err(s)?;
    store::users::seed_demo_accounts(&db).await.map_err(s)?;
    store::events::seed_demo_venues(&db).await.map_err(s)?;
    let demo = store::users::demo_accounts().len() as i64;
    let users: i64 = scalar(&db, "SELECT COUNT(*) FROM users").await?;
    let attempts: i64 = scalar(&db, "SELECT COUNT(*) FROM quiz_attempts").await?;
    let leads: i64 = scalar(&db, "SELECT COUNT(*) FROM leads").await?;
    if users > demo || attempts > 0 || leads > 0 {
        return Err(format!(
            "the database is not empty ({users} users, {attempts} attempts, {leads} leads): \
             generate into a fresh one"
        ));
    }
    let venues: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM venues ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = store::now_ms();

    let (people, users, training) =
        people::gen_users(&db, &mut rng, &catalogue, sizes, now, started).await?;
    let mut tally = Tally {
        users,
        attempts: training.attempts.rows,
        certificates: training.certificates.rows,
        lessons: training.progress.rows,
        ..Tally::default()
    };
    let after_users = started.elapsed().as_secs_f64();

    let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
    tally.assignments = training::gen_assignments(&mut tx, &people, &catalogue, now)
        .await
        .map_err(s)?;

    // Leads with their hand-overs and case-file entries.
    let dir = store::units::load_directory(&db).await.map_err(s)?;
    let (lead_rows, step_rows, entry_rows) =
        leads::gen_leads(&mut tx, &mut rng, &dir, &people, sizes.leads, now)
            .await
            .map_err(s)?;
    tally.leads = lead_rows;
    tally.steps = step_rows;
    tally.entries = entry_rows;

    // Exchange events with registrations and attendance.
    let (ev, regs) = events::gen_events(&mut tx, &mut rng, &people, &venues, sizes.events, now)
        .await
        .map_err(s)?;
    tally.events = ev;
    tally.registrations = regs;
    tx.commit().await.map_err(|e| e.to_string())?;

    if db.backend == Backend::Postgres {
        // Ids were chosen here: move the identity sequences past them.
        for table in [
            "users",
            "quiz_attempts",
            "certificates",
            "training_assignments",
            "leads",
            "lead_steps",
            "lead_entries",
            "events",
            "event_registrations",
        ] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        }
        sqlx::query("ANALYZE")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    } else {
        sqlx::query("ANALYZE")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated in {secs:.1} s (users and training records {after_users:.1} s): {} users ({} without attempts), {} attempts, {} certificates, {} lessons completed, {} assignments, {} leads, {} hand-overs, {} case-file entries, {} events, {} registrations; generated users (logins {LOGIN_PREFIX}000001…) sign in with the demo password",
        tally.users,
        sizes.users - sizes.fresh_from(),
        tally.attempts,
        tally.certificates,
        tally.lessons,
        tally.assignments,
        tally.leads,
        tally.steps,
        tally.entries,
        tally.events,
        tally.registrations
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    users: u64,
    attempts: u64,
    certificates: u64,
    lessons: u64,
    assignments: u64,
    leads: u64,
    steps: u64,
    entries: u64,
    events: u64,
    registrations: u64,
}

async fn scalar(db: &Db, sql: &str) -> Result<i64, String> {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())
}
