//! Shared test harness: a real server on 127.0.0.1 over a fresh database per test (an SQLite
//! file always; a new PostgreSQL database when `PORTAL_TEST_PG` names a server), and a small
//! blocking HTTP client.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use server::config::Config;
use server::AppState;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fresh, unique scratch folder.
pub fn scratch_dir(tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("portal-test-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// One database to run a test against.
#[derive(Clone, Debug)]
pub struct TestDb {
    pub label: &'static str,
    pub url: String,
}

/// A fresh SQLite database, plus a fresh PostgreSQL database when one is configured.
/// With `PORTAL_REQUIRE_PG=1` a missing PostgreSQL server fails the test instead of skipping it.
pub fn databases(tag: &str) -> Vec<TestDb> {
    let mut v = vec![TestDb {
        label: "sqlite",
        url: format!("sqlite://{}/portal.db", scratch_dir(tag).display()),
    }];
    match std::env::var("PORTAL_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
    {
        Some(base) => v.push(TestDb {
            label: "postgres",
            url: fresh_pg_database(&base, tag),
        }),
        None if std::env::var("PORTAL_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("PORTAL_REQUIRE_PG=1 but PORTAL_TEST_PG is not set")
        }
        None => eprintln!("note: PORTAL_TEST_PG not set, {tag} runs on SQLite only"),
    }
    v
}

/// Another fresh, empty database on the same backend as `db`.
pub fn fresh_like(db: &TestDb, tag: &str) -> TestDb {
    match db.label {
        "postgres" => TestDb {
            label: "postgres",
            url: fresh_pg_database(
                &std::env::var("PORTAL_TEST_PG").expect("PORTAL_TEST_PG"),
                tag,
            ),
        },
        _ => TestDb {
            label: "sqlite",
            url: format!("sqlite://{}/portal.db", scratch_dir(tag).display()),
        },
    }
}

fn fresh_pg_database(base: &str, tag: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!(
        "t_{}_{}_{}_{}",
        tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            .to_lowercase(),
        std::process::id(),
        n,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(base)
            .await
            .expect("connect to PORTAL_TEST_PG");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
    });
    let (prefix, _) = base.rsplit_once('/').expect("database URL with a path");
    format!("{prefix}/{name}")
}

/// Config for a test server on `db`.
pub fn config(db: &TestDb) -> Config {
    Config {
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root: std::env::var("PORTAL_SITE_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root().join("target/site")),
        database_url: Some(db.url.clone()),
        content_dir: root().join("content"),
        demo: false,
        secure_cookies: false,
        acknowledge_days: 3,
        pass_on_days: 5,
        feedback_days: 30,
        working_hours: Default::default(),
    }
}

/// A running server. It lives on its own thread and runtime until the process ends.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub db: TestDb,
    /// One runtime for the test's own database calls, so a pool opened in one call stays
    /// usable in the next.
    rt: tokio::runtime::Runtime,
}

impl TestApp {
    /// Starts a server with `config`.
    pub fn start_with(db: &TestDb, config: Config) -> TestApp {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let state = AppState::build(config).await.expect("server state");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                tx.send((addr, state.clone())).unwrap();
                let app = server::router(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>();
                axum::serve(listener, app).await.unwrap();
            });
        });
        let (addr, state) = rx.recv().expect("server started");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            state,
            db: db.clone(),
            rt,
        }
    }

    /// Starts a server on a fresh `db`.
    pub fn start(db: &TestDb) -> TestApp {
        Self::start_with(db, config(db))
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs `f` on the test's runtime (for direct store calls from a sync test).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

/// A response reduced to what tests look at.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A client that never follows redirects, so tests see them.
pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(std::time::Duration::from_secs(30))
        .build()
}

fn reply(result: Result<ureq::Response, ureq::Error>) -> Reply {
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let headers = resp
        .headers_names()
        .into_iter()
        .flat_map(|n| {
            resp.all(&n)
                .into_iter()
                .map(move |v| (n.clone(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let body = resp.into_string().unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

/// GET `url` with extra headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    reply(req.call())
}

/// Sends `body` with `method` and extra headers.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut req = agent().request(method, url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    reply(req.send_bytes(body))
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-pass-2021";

/// A server with the demo directory and accounts on a fresh `db`.
pub fn demo_app(db: &TestDb) -> TestApp {
    let mut cfg = config(db);
    cfg.demo = true;
    TestApp::start_with(db, cfg)
}

/// Signs in through the page form and returns the session cookie (`name=value`).
pub fn login_cookie(app: &TestApp, login: &str, password: &str) -> String {
    let body = format!("login={login}&password={password}");
    let r = send(
        "POST",
        &app.url("/login"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 303, "{login}");
    r.header("set-cookie")
        .unwrap_or_else(|| panic!("{login} did not sign in: {:?}", r.header("location")))
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The session cookie of a demo account.
pub fn demo_cookie(app: &TestApp, login: &str) -> String {
    login_cookie(app, login, DEMO_PASSWORD)
}

/// Escapes text the way the server's HTML renderer does, to look for it in a page.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
pub mod browser;
