//! The server's configuration, parsed once from the command line and the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Command line of the `server` binary.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "大足区司法人员与律师交往规范平台 / Dazu judicial–lawyer conduct portal"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the binary does; serving is the default.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Create a system administrator; the password is read from PORTAL_ADMIN_PASSWORD or stdin.
    CreateAdmin {
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
    /// Write brotli and gzip copies of the built `/pkg` assets next to them (part of the build:
    /// the server then serves them precompressed under hashed names).
    Precompress,
    /// Regulation versions: what changed, and which content needs review.
    Regulation {
        #[command(subcommand)]
        command: RegulationCommand,
    },
    /// Write a consistent backup of the database to a new file (SQLite: an online copy;
    /// PostgreSQL: `pg_dump --format=custom`).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into the (empty) database of `DATABASE_URL`, check it and its audit
    /// chain (SQLite: the file is checked and moved into place; PostgreSQL: `pg_restore`).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

/// `server regulation …`
#[derive(Debug, Subcommand)]
pub enum RegulationCommand {
    /// List the versions.
    Versions,
    /// Show, article by article, what changed between two versions (default: the last two).
    /// Full-width/half-width and whitespace variants are not changes.
    Diff {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// List the lessons and questions written against an older version that cite an article
    /// changed since.
    Review,
    /// Benchmark the full-text search over the loaded content: prints p50/p99/max per query.
    BenchSearch {
        /// Repetitions of each sample query.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
}

/// `server audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and report the first entry that does not match.
    Verify {
        /// A chain hash exported earlier: the chain must still contain it.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Print the latest chain hash, to keep elsewhere as an anchor.
    Head,
}

/// Settings shared by every command.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,
    /// Folder with the built site (wasm, js, css).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Database URL: `sqlite://path` or `postgres://…`. Without it, an SQLite file under ./data/.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder with the regulation and course content.
    #[arg(long, env = "PORTAL_CONTENT_DIR", default_value = "content")]
    pub content_dir: PathBuf,
    /// Load the demo directory and demo accounts into an empty database.
    #[arg(long, env = "PORTAL_DEMO", value_parser = parse_flag, default_value = "0", action = clap::ArgAction::Set)]
    pub demo: bool,
    /// Served over HTTPS (behind a TLS proxy): `__Host-` cookies with `Secure`, and HSTS.
    #[arg(long, env = "PORTAL_SECURE_COOKIES", value_parser = parse_flag, default_value = "0", action = clap::ArgAction::Set)]
    pub secure_cookies: bool,
    /// Local policy: days for a receiving unit to acknowledge (签收) a hand-over.
    #[arg(long, env = "PORTAL_DEADLINE_ACKNOWLEDGE_DAYS", default_value_t = 3)]
    pub acknowledge_days: i64,
    /// Local policy: days for an intermediate unit to pass a lead on.
    #[arg(long, env = "PORTAL_DEADLINE_PASS_ON_DAYS", default_value_t = 5)]
    pub pass_on_days: i64,
    /// Local policy: days from dispatch until the discoverer must have the feedback.
    #[arg(long, env = "PORTAL_DEADLINE_FEEDBACK_DAYS", default_value_t = 30)]
    pub feedback_days: i64,
    /// Local policy: days for the joint office to route a manual case, from its recording.
    #[arg(long, env = "PORTAL_DEADLINE_ROUTE_DAYS", default_value_t = 5)]
    pub route_days: i64,
    /// Local policy: days for an internal case (R8, R9) to have its findings and outcome,
    /// from its recording.
    #[arg(long, env = "PORTAL_DEADLINE_INTERNAL_DAYS", default_value_t = 30)]
    pub internal_days: i64,
    /// Working hours of Monday to Friday (Beijing time) for the exchange events' compliance
    /// hints: an event outside them needs an approval record before it is published.
    #[arg(long, env = "PORTAL_WORKING_HOURS", value_parser = parse_hours, default_value = "08:30-12:00,14:00-18:00")]
    pub working_hours: domain::events::WorkingHours,
    /// Reverse proxies (addresses or CIDRs, separated by commas) whose `X-Forwarded-For` is
    /// believed: from them the client is the right-most address that is not a trusted proxy.
    /// Empty: the header is ignored and the TCP peer is the client.
    #[arg(long, env = "PORTAL_TRUSTED_PROXIES", value_parser = parse_proxies, default_value = "")]
    pub trusted_proxies: domain::web::TrustedProxies,
    /// The public origin (`https://portal.example.cn`) of every absolute link and of the
    /// cross-site check; never taken from a request's `Host`. Required behind a proxy
    /// (`PORTAL_TRUSTED_PROXIES` or `PORTAL_SECURE_COOKIES` set); otherwise the listen address.
    #[arg(long, env = "PORTAL_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<domain::web::PublicOrigin>,
    /// File holding the secret key (pepper) of tip receipts, outside the database; created
    /// with a random key at first start when absent.
    #[arg(
        long,
        env = "PORTAL_TIP_KEY_FILE",
        default_value = "data/tip-receipt.key"
    )]
    pub tip_key_file: PathBuf,
    /// The secret key of the audit chain (HMAC-SHA256), kept outside the database: created at
    /// the first start when missing. Every process on one database needs the same file.
    #[arg(long, env = "PORTAL_AUDIT_KEY_FILE", default_value = "data/audit.key")]
    pub audit_key_file: PathBuf,
    /// Seconds between two log lines with the audit chain's head (an anchor for an external log).
    #[arg(long, env = "PORTAL_AUDIT_HEAD_LOG_SECS", default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    pub audit_head_log_secs: u64,
    /// Seconds a connection may take to send a request's headers (also how long a kept-alive
    /// connection waits for its next request): a client trickling headers is cut off.
    #[arg(long, env = "PORTAL_HEADER_READ_TIMEOUT_SECS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,
    /// Seconds a connection may go without a byte read or written before it is closed.
    #[arg(long, env = "PORTAL_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,
    /// Seconds a unit's figures on `/training-admin` are shared between views (a change to
    /// its assignments made on this server shows at once; a certificate earned, within this).
    #[arg(long, env = "PORTAL_TRAINING_FIGURES_SECS", default_value_t = 30)]
    pub training_figures_secs: u64,
}

impl Config {
    /// The public origin in effect: `PORTAL_PUBLIC_URL`, or the listen address when the
    /// server is not behind a proxy. Behind one (trusted proxies or secure cookies set) the
    /// listen address is not what browsers see, so the URL is required.
    pub fn public_origin(&self) -> Result<domain::web::PublicOrigin, String> {
        match &self.public_url {
            Some(origin) => Ok(origin.clone()),
            None if !self.trusted_proxies.0.is_empty() || self.secure_cookies => Err(
                "PORTAL_PUBLIC_URL is required when PORTAL_TRUSTED_PROXIES or PORTAL_SECURE_COOKIES is set: set it to the address people open (https://portal.example.cn)".into(),
            ),
            None => Ok(domain::web::PublicOrigin::of_listen_addr(self.site_addr)),
        }
    }

    /// The connection timeouts (`PORTAL_HEADER_READ_TIMEOUT_SECS`, `PORTAL_IDLE_TIMEOUT_SECS`).
    pub fn timeouts(&self) -> crate::edge::Timeouts {
        crate::edge::Timeouts {
            header_read: std::time::Duration::from_secs(self.header_read_timeout_secs),
            idle: std::time::Duration::from_secs(self.idle_timeout_secs),
        }
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "sqlite://data/portal.db".into())
    }
}

fn parse_proxies(s: &str) -> Result<domain::web::TrustedProxies, String> {
    domain::web::TrustedProxies::parse(s)
}

fn parse_public_url(s: &str) -> Result<domain::web::PublicOrigin, String> {
    domain::web::PublicOrigin::parse(s)
}

fn parse_hours(s: &str) -> Result<domain::events::WorkingHours, String> {
    domain::events::WorkingHours::parse_periods(s)
}

/// Accepts 1/0, true/false, yes/no, on/off.
fn parse_flag(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!("expected 1 or 0, got {other:?}")),
    }
}
