//! The state every request handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use corpus::content::Content;
use leptos::config::LeptosOptions;
use store::Db;

use crate::config::Config;

/// Shared, cheaply cloned state of the running portal: one reference count, since every
/// middleware and handler extracts its own copy (a field-by-field clone was 3 % of the CPU of a
/// deadline day). Fields are read through `Deref`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    pub db: Db,
    pub content: Content,
    pub leptos: LeptosOptions,
    pub config: Arc<Config>,
    /// Local deadlines for lead hand-overs (policy, not regulation).
    pub deadlines: domain::case::Deadlines,
    /// Glossary, 2015 provisions summary, citations and the search index.
    pub library: std::sync::Arc<corpus::library::Library>,
    /// Training courses, validated at start.
    pub courses: std::sync::Arc<corpus::courses::Catalogue>,
    /// The tip receipts' secret key, read from `PORTAL_TIP_KEY_FILE` (never in the database).
    pub receipt_key: store::tips::ReceiptKey,
    /// Where people open the portal: absolute links and the cross-site check use it.
    pub public_origin: domain::web::PublicOrigin,
    /// Content pages rendered once per language, spliced per request.
    pub pages: Arc<crate::page_cache::PageCache>,
    /// `/pkg` assets under hashed names, precompressed.
    pub assets: Arc<crate::assets::Assets>,
    /// The training administrators' figures per unit, shared for half a minute.
    pub training_snapshots: Arc<crate::training::snapshot::Snapshots>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// Loads content, opens and migrates the database, seeds the directory (and the demo
    /// data when asked). Each failure says what could not be opened and why.
    pub async fn build(mut config: Config) -> Result<AppState, StartError> {
        let public_origin = config.public_origin().map_err(StartError::Config)?;
        if config.public_url.is_none() && config.site_addr.ip().is_unspecified() {
            tracing::warn!(
                origin = %public_origin.origin(),
                "PORTAL_PUBLIC_URL is not set and the server listens on every address: absolute links (certificates, calendar feeds) name {}; set PORTAL_PUBLIC_URL to the address people open",
                public_origin.origin()
            );
        }
        config.working_hours.calendar =
            corpus::workdays::load(&config.content_dir).map_err(StartError::Content)?;
        warn_missing_years(&config.working_hours.calendar, store::now_ms());
        let content = corpus::content::load(&config.content_dir).map_err(StartError::Content)?;
        let library =
            corpus::library::load(&config.content_dir, &content).map_err(StartError::Content)?;
        let courses = corpus::courses::load(&config.content_dir).map_err(StartError::Content)?;
        let receipt_key = store::keyfile::load_or_create(&config.tip_key_file, "tip receipt")
            .map(store::tips::ReceiptKey)
            .map_err(StartError::Key)?;
        let db = Db::open(&config.database_url())
            .await
            .map_err(StartError::Database)?;
        // The key first: the seeding below may already write audit entries.
        store::audit::prepare(&db, &config.audit_key_file)
            .await
            .map_err(StartError::Database)?;
        store::audit::start_writer(&db);
        store::group_commit::start_writer(&db);
        crate::administration::anchor::spawn_head_log(
            db.clone(),
            std::time::Duration::from_secs(config.audit_head_log_secs),
        );
        store::units::seed_directory(&db)
            .await
            .map_err(StartError::Database)?;
        if config.demo {
            let n = store::users::seed_demo_accounts(&db)
                .await
                .map_err(StartError::Database)?;
            if n > 0 {
                tracing::info!(accounts = n, "demo accounts created");
            }
            store::events::seed_demo_venues(&db)
                .await
                .map_err(StartError::Database)?;
        }
        // Reading (and hashing) the assets is file work: off the async threads.
        let site_root = config.site_root.clone();
        let assets = tokio::task::spawn_blocking(move || crate::assets::Assets::load(&site_root))
            .await
            .unwrap_or_default();
        let leptos = LeptosOptions::builder()
            .output_name(assets.stem.clone())
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.site_addr)
            .build();
        let deadlines = domain::case::Deadlines {
            acknowledge_days: config.acknowledge_days,
            pass_on_days: config.pass_on_days,
            feedback_days: config.feedback_days,
            route_days: config.route_days,
            internal_days: config.internal_days,
        };
        Ok(AppState(Arc::new(Shared {
            db,
            content,
            leptos,
            config: Arc::new(config),
            deadlines,
            library: Arc::new(library),
            courses: Arc::new(courses),
            receipt_key,
            public_origin,
            pages: Arc::new(crate::page_cache::PageCache::new()),
            assets: Arc::new(assets),
            training_snapshots: Arc::default(),
        })))
    }
}

impl AppState {
    /// The demo's event series, one per association (`PORTAL_DEMO=1`, run by `server` after
    /// [`AppState::build`]). Kept out of `build` so that the in-process test servers of the
    /// event tests start from an empty calendar; `tests/series.rs` calls it itself.
    pub async fn seed_demo_series(&self) -> Result<usize, store::StoreError> {
        if !self.config.demo {
            return Ok(0);
        }
        let n =
            store::events::seed_demo_series(&self.db, &self.config.working_hours, store::now_ms())
                .await?;
        if n > 0 {
            tracing::info!(series = n, "demo event series created");
        }
        Ok(n)
    }
}

/// Warns when this year or the next (Beijing time) has no working-day calendar file: the
/// compliance check then counts Monday to Friday only and misses holidays and make-up days.
fn warn_missing_years(calendar: &domain::workdays::WorkCalendar, now: i64) {
    let year = domain::events::local_date(now).year;
    for missing in calendar.missing(&[year, year + 1]) {
        tracing::warn!(
            year = missing,
            "no working-day calendar for {missing} (content/workdays/{missing}.toml): events that year are checked against Monday to Friday only, without public holidays or make-up working days; add the file from the State Council's notice"
        );
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("content is invalid: {0}")]
    Content(corpus::content::ContentError),
    #[error("{0}")]
    Database(store::StoreError),
    #[error("{0}")]
    Key(String),
    /// A setting that cannot work with the others.
    #[error("{0}")]
    Config(String),
}
