//! The living demo (issue 17): with `PORTAL_DEMO=1` the server seeds, on top of the demo
//! accounts and venues, a portal that looks used: upcoming and past exchange events, leads at
//! every stage of the case life across R1–R10, public tips with replies, and training
//! progress. Everything goes through the store and service functions of real use, so each
//! change writes its audit entry and `server audit verify` passes.
//!
//! Only a database without other content gets it (not a portal in use, nor the benchmark's
//! data set of `portal-bench generate`). Seeding is deterministic and relative to one instant, `now` (the caller's clock: the
//! server passes `store::now_ms()`, tests pin it): times are "so many days before or after
//! today", in Beijing time. Each step runs once per database: it first claims its marker row
//! (`meta` key `demo.<step>`), so a restart (or a second server on the same database) seeds
//! nothing twice. A crash in the middle of a step leaves that step partly seeded, never twice.
//!
//! Adding to the demo: write a module with `pub async fn seed(demo: &Demo<'_>)` and add one
//! [`Step`] to [`STEPS`] (the single hook point). `portal-bench generate` remains the tool for
//! the large data set.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use store::sessions::{Authenticated, Caller, Kind};
use store::users::User;
use store::StoreError;

use crate::state::AppState;
use crate::time::beijing;

mod events;
mod leads;
mod tips;
mod training;

/// A step of the living demo: its marker name and what it seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Events,
    Leads,
    Tips,
    Training,
    Series,
}

/// The steps, in order. New demo content (event series, leads answered outside the portal,
/// more accounts' training) is one more entry here and one more arm in [`Step::run`].
pub const STEPS: &[Step] = &[
    Step::Events,
    Step::Leads,
    Step::Tips,
    Step::Training,
    Step::Series,
];

impl Step {
    /// The marker's name: `meta` key `demo.<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Events => "events",
            Step::Leads => "leads",
            Step::Tips => "tips",
            Step::Training => "training",
            Step::Series => "series",
        }
    }

    async fn run(self, demo: &Demo<'_>) -> Result<(), DemoError> {
        match self {
            Step::Events => events::seed(demo).await,
            Step::Leads => leads::seed(demo).await,
            Step::Tips => tips::seed(demo).await,
            Step::Training => training::seed(demo).await,
            Step::Series => {
                let state = demo.state;
                store::events::seed_demo_series(&state.db, &state.config.working_hours, demo.now)
                    .await?;
                Ok(())
            }
        }
    }
}

/// Why seeding stopped: a store error, or a use case that refused (a demo that no longer fits
/// the rules, which the tests catch).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("demo step {step}: {what}")]
    Refused { step: &'static str, what: String },
}

impl DemoError {
    /// A refusal of `step`, described by its debug form (seeding is not user-facing).
    pub fn refused(step: &'static str, what: impl std::fmt::Debug) -> DemoError {
        DemoError::Refused {
            step,
            what: format!("{what:?}"),
        }
    }
}

/// What the steps share: the state, the instant the demo is relative to, and the demo people.
pub struct Demo<'a> {
    pub state: &'a AppState,
    /// The demo's "now" (Unix ms).
    pub now: i64,
    /// Today in Beijing.
    pub today: NaiveDate,
    users: BTreeMap<String, User>,
}

/// Milliseconds in a day and an hour, for times relative to `now`.
pub const DAY: i64 = 86_400_000;
pub const HOUR: i64 = 3_600_000;

impl<'a> Demo<'a> {
    /// The demo account `login` (seeded with the accounts).
    pub fn user(&self, login: &str) -> Result<&User, DemoError> {
        self.users
            .get(login)
            .ok_or_else(|| DemoError::refused("accounts", format!("no demo account {login}")))
    }

    /// Whether the demo account `login` exists (steps skip content of absent accounts).
    pub fn has(&self, login: &str) -> bool {
        self.users.contains_key(login)
    }

    /// The demo accounts, by login.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// `login` as a signed-in caller, so the use cases check and audit as for a real request.
    pub fn caller(&self, login: &str) -> Result<Caller, DemoError> {
        Ok(Caller {
            auth: Some(Authenticated {
                user: self.user(login)?.clone(),
                token_hash: String::new(),
                kind: Kind::Session,
                unread: 0,
            }),
            client_addr: "demo-seed".into(),
            client_key: "demo-seed".into(),
        })
    }

    /// A visitor who is not signed in (public tips), counted under the seed's own address.
    pub fn visitor(&self) -> Caller {
        Caller {
            auth: None,
            client_addr: "demo-seed".into(),
            client_key: "demo-seed".into(),
        }
    }

    /// The Beijing date of the instant `ms`.
    pub fn date_of(&self, ms: i64) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&beijing())
            .date_naive()
    }

    /// `days` from today (negative: before) at `hh:mm` Beijing time, as Unix ms.
    pub fn at(&self, days: i64, hh: u32, mm: u32) -> i64 {
        local_ms(self.today + Duration::days(days), hh, mm)
    }

    /// The first working day (Monday to Friday) at least `days` from today, at `hh:mm`.
    pub fn weekday_at(&self, days: i64, hh: u32, mm: u32) -> i64 {
        let mut d = self.today + Duration::days(days);
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d += Duration::days(if days < 0 { -1 } else { 1 });
        }
        local_ms(d, hh, mm)
    }
}

fn local_ms(d: NaiveDate, hh: u32, mm: u32) -> i64 {
    d.and_hms_opt(hh, mm, 0)
        .and_then(|t| beijing().from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or_default()
}

/// Claims the marker of `step`; false when it was claimed before (already seeded).
async fn claim(state: &AppState, step: Step) -> Result<bool, StoreError> {
    let done =
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(format!("demo.{}", step.name()))
            .bind("seeded")
            .execute(&state.db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the database holds content the demo did not seed (a portal in use, or the
/// benchmark's data set): then the living demo stays out of it.
async fn foreign_content(state: &AppState) -> Result<bool, StoreError> {
    let markers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meta WHERE key LIKE 'demo.%'")
        .fetch_one(&state.db.pool)
        .await?;
    if markers > 0 {
        return Ok(false);
    }
    let content: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM leads) + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM tips) + (SELECT COUNT(*) FROM quiz_attempts)",
    )
    .fetch_one(&state.db.pool)
    .await?;
    Ok(content > 0)
}

/// The enabled demo accounts (`store::users::demo_accounts`) present in the database.
async fn demo_users(state: &AppState) -> Result<BTreeMap<String, User>, StoreError> {
    let mut users = BTreeMap::new();
    for (login, ..) in store::users::demo_accounts() {
        if let Some(c) = store::users::find_credentials(&state.db, login).await? {
            if !c.user.disabled {
                users.insert(login.to_string(), c.user);
            }
        }
    }
    Ok(users)
}

/// Seeds the steps not seeded before, relative to `now`; returns the names of those seeded.
/// Needs the demo accounts (`store::users::seed_demo_accounts`); without them, or on a
/// database that already holds other content, it seeds nothing.
pub async fn seed(state: &AppState, now: i64) -> Result<Vec<&'static str>, DemoError> {
    let users = demo_users(state).await?;
    if !users.contains_key("dz-justice-officer") || foreign_content(state).await? {
        return Ok(Vec::new());
    }
    let today = chrono::DateTime::from_timestamp_millis(now)
        .map(|t| t.with_timezone(&beijing()).date_naive())
        .unwrap_or_default();
    let demo = Demo {
        state,
        now,
        today,
        users,
    };
    let mut seeded = Vec::new();
    for step in STEPS {
        if claim(state, *step).await? {
            step.run(&demo).await?;
            seeded.push(step.name());
        }
    }
    if !seeded.is_empty() {
        tracing::info!(steps = ?seeded, "living demo seeded");
    }
    Ok(seeded)
}
