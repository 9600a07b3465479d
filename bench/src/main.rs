//! `portal-bench`: the performance benchmark's tools (issue 8; run by `scripts/bench.sh`,
//! results in BENCHMARKS.md), kept out of the production `server` binary and its dependencies:
//! `generate` fills a fresh database with the large data set, `mix` drives a running server
//! with the deadline-day mix over hyper's HTTP/1 client. The route they are measured against,
//! `/bench/ceiling/regulation` (`PORTAL_BENCH=1`), is part of the server's router and stays there
//! (`server/src/bench/`).
//!
//! The tools read the database and the content the way the server does (`DATABASE_URL`,
//! `PORTAL_CONTENT_DIR`) but do not link it: only `store`, `corpus` and `domain`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod generate;
mod mix;

/// Command line of the `portal-bench` binary.
#[derive(Debug, Parser)]
#[command(
    name = "portal-bench",
    about = "The portal's performance benchmark tools (see BENCHMARKS.md and scripts/bench.sh)"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

/// What the tools need from the server's settings, read from the same options and variables.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Database URL: `sqlite://path` or `postgres://…`. Without it, an SQLite file under ./data/
    /// (the server's default).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder with the regulation and course content.
    #[arg(long, env = "PORTAL_CONTENT_DIR", default_value = "content")]
    pub content_dir: PathBuf,
    /// The audit chain's key file, as the server reads it (the demo seeding writes entries).
    #[arg(long, env = "PORTAL_AUDIT_KEY_FILE", default_value = "data/audit.key")]
    pub audit_key_file: PathBuf,
}

impl Config {
    /// The database URL in effect: the one given, else the server's default.
    pub fn database_url(&self) -> String {
        match self.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => url.to_string(),
            _ => "sqlite://data/portal.db".into(),
        }
    }
}

/// `portal-bench …`
#[derive(Debug, Subcommand)]
enum Command {
    /// Fill an empty database (demo accounts first) with a large generated data set.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        users: u64,
        #[arg(long, default_value_t = 1_000_000)]
        attempts: u64,
        #[arg(long, default_value_t = 10_000)]
        leads: u64,
        #[arg(long, default_value_t = 2_000)]
        events: u64,
        /// Share of the users, in percent, left without any attempt (the deadline-day mix
        /// signs them in).
        #[arg(long, default_value_t = 10)]
        fresh_percent: u64,
        /// Seed of the random generator (the same seed gives the same data).
        #[arg(long, default_value_t = 2021)]
        seed: u64,
    },
    /// Drive a running server with the deadline-day mix: open a lesson, start an attempt, save
    /// answers, submit, view the report. Needs DATABASE_URL of that server (sessions for the
    /// generated users are created there, and submissions are counted there at the end).
    Mix {
        /// Base URL of the server.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
        /// Concurrent clients, each with its own keep-alive connection.
        #[arg(long, default_value_t = 200)]
        clients: usize,
        /// Seconds to run (clients finish the step they are in).
        #[arg(long, default_value_t = 30)]
        duration: u64,
        /// Mean pause of a client between two steps, in milliseconds (uniform from 0 to twice
        /// this); 0 sends the next request as soon as the answer is in.
        #[arg(long, default_value_t = 0)]
        think_ms: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // Only warnings are logged (sqlx's slow statements), on stderr as the server logs them:
    // nothing these tools link logs at the info level.
    tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            users,
            attempts,
            leads,
            events,
            fresh_percent,
            seed,
        } => {
            let sizes = generate::Sizes {
                users,
                attempts,
                leads,
                events,
                fresh_percent,
            };
            generate::run(&cli.config, sizes, seed).await
        }
        Command::Mix {
            url,
            clients,
            duration,
            think_ms,
        } => mix::run(&cli.config, &url, clients, duration, think_ms).await,
    }
}
