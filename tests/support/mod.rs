//! The shared test harness of `tests/all.rs`: fresh databases (an SQLite file always; a new
//! PostgreSQL database when `PORTAL_TEST_PG` names a server), [`TestApp`] (a real server on
//! 127.0.0.1, in this process, stopped when dropped) with [`Client`]s that sign in as demo
//! accounts, a small blocking HTTP client, the server binary as a child process, and helpers
//! for the HTML the server renders.
//!
//! Every test runs in a thread of one process, so nothing here touches the environment, the
//! current directory or a fixed port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server::config::Config;
use server::AppState;

pub mod browser;
pub mod wire;
pub mod work;

pub use wire::*;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-pass-2021";

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

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `f` to completion on a runtime of its own (for store calls outside a [`TestApp`]).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Waits until `ready` holds for the process `child` that was just started: true then, false
/// when the process ended first (as it does when its port was taken meanwhile). Kills it and
/// panics after `secs`.
pub fn wait_ready(child: &mut Child, secs: u64, what: &str, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A port that was free a moment ago (a child process binding it retries on a conflict).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------------
// Databases

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

/// A fresh, empty database on the PostgreSQL server at `base` (a server of the test's own).
pub fn fresh_like_at(base: &str, tag: &str) -> TestDb {
    TestDb {
        label: "postgres",
        url: fresh_pg_database(base, tag),
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
    block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(base)
            .await
            .expect("connect to PORTAL_TEST_PG");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let _ = conn.close().await;
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
        route_days: 5,
        internal_days: 30,
        working_hours: Default::default(),
        trusted_proxies: Default::default(),
        public_url: None,
        tip_key_file: scratch_dir("tip-key").join("tip-receipt.key"),
        audit_key_file: audit_key_file(),
        audit_head_log_secs: 900,
        header_read_timeout_secs: 20,
        idle_timeout_secs: 60,
        // Tests read their own writes; `training_snapshot` tests the sharing itself.
        training_figures_secs: 0,
    }
}

/// The audit key file of every server of this test process, in-process or child: one process
/// installs one key, and a child tool must verify what the in-process servers wrote.
pub fn audit_key_file() -> PathBuf {
    std::env::temp_dir().join(format!("portal-test-{}/audit.key", std::process::id()))
}

// ---------------------------------------------------------------------------------------------
// The server in this process

/// How long a stopping server may take to finish its requests and close its pool.
const GRACE: Duration = Duration::from_secs(5);

/// A running server on its own thread and runtime. Dropping it stops the server and closes its
/// database pool, so a test run of one process does not pile up servers and connections.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// One runtime for the test's own database calls, so a pool opened in one call stays
    /// usable in the next.
    rt: tokio::runtime::Runtime,
    /// Dropping it tells the server to stop.
    stop: Option<tokio::sync::watch::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How a [`TestApp`] starts: `TestApp::builder(&db).demo().content_dir(dir).start()`.
pub struct Builder {
    config: Config,
    /// Seed the living demo relative to this instant before listening (as `main` does).
    living_demo: Option<i64>,
    /// Set `PORTAL_PUBLIC_URL` to the address the server listens on (behind a test "proxy").
    public_url_at_listen_addr: bool,
}

impl Builder {
    /// With the demo accounts and venues (`PORTAL_DEMO`).
    pub fn demo(mut self) -> Builder {
        self.config.demo = true;
        self
    }

    /// With the living demo (issue 17) seeded relative to `now`, as the server binary does
    /// with `PORTAL_DEMO=1`; implies [`Builder::demo`].
    pub fn living_demo(mut self, now: i64) -> Builder {
        self.config.demo = true;
        self.living_demo = Some(now);
        self
    }

    /// The built site (`/pkg` assets) from `dir`.
    pub fn site_root(mut self, dir: PathBuf) -> Builder {
        self.config.site_root = dir;
        self
    }

    /// Content from `dir` instead of the shipped `content/`.
    pub fn content_dir(mut self, dir: PathBuf) -> Builder {
        self.config.content_dir = dir;
        self
    }

    /// Behind reverse proxies at `list` (`PORTAL_TRUSTED_PROXIES`). A server behind a proxy
    /// needs `PORTAL_PUBLIC_URL`: the tests' "proxy" is the server's own address, so
    /// [`Builder::start`] sets it to that address unless [`Builder::public_url`] gave one.
    pub fn trusted_proxies(mut self, list: &str) -> Builder {
        self.config.trusted_proxies = domain::web::TrustedProxies::parse(list).unwrap();
        self.public_url_at_listen_addr = self.config.public_url.is_none();
        self
    }

    /// Absolute links and the cross-site check at `url` (`PORTAL_PUBLIC_URL`).
    pub fn public_url(mut self, url: &str) -> Builder {
        self.config.public_url = Some(domain::web::PublicOrigin::parse(url).unwrap());
        self.public_url_at_listen_addr = false;
        self
    }

    /// `/training-admin` shares a unit's figures for `secs` (`PORTAL_TRAINING_FIGURES_SECS`;
    /// 0 in tests unless set here).
    pub fn training_figures_secs(mut self, secs: u64) -> Builder {
        self.config.training_figures_secs = secs;
        self
    }

    /// Starts the server and waits until it listens.
    pub fn start(self) -> TestApp {
        let Builder {
            mut config,
            living_demo,
            public_url_at_listen_addr,
        } = self;
        let (tx, rx) = mpsc::channel();
        let (stop, stopped) = tokio::sync::watch::channel(());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                // Bound first, so that the state knows its listen address (the public origin
                // of absolute links when `PORTAL_PUBLIC_URL` is not set).
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                config.site_addr = addr;
                if public_url_at_listen_addr {
                    config.public_url = Some(domain::web::PublicOrigin::of_listen_addr(addr));
                }
                let state = match AppState::build(config).await {
                    Ok(state) => state,
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                        return;
                    }
                };
                if let Some(now) = living_demo {
                    if let Err(e) = server::demo::seed(&state, now).await {
                        let _ = tx.send(Err(format!("living demo: {e}")));
                        return;
                    }
                }
                tx.send(Ok((addr, state.clone()))).unwrap();
                let app = server::router(state.clone());
                let (mut drain, mut deadline) = (stopped.clone(), stopped);
                // The server binary's own connection loop, with its timeouts.
                let serving =
                    server::edge::serve(listener, app, state.config.timeouts(), async move {
                        let _ = drain.changed().await;
                    });
                tokio::select! {
                    r = serving => r.unwrap(),
                    _ = async {
                        let _ = deadline.changed().await;
                        tokio::time::sleep(GRACE).await;
                    } => {}
                }
                let _ = tokio::time::timeout(GRACE, state.db.pool.close()).await;
            });
        });
        let (addr, state) = match rx.recv() {
            Ok(Ok(started)) => started,
            Ok(Err(e)) => panic!("server state: {e}"),
            Err(_) => panic!("the server thread ended before it listened"),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            state,
            rt,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl TestApp {
    /// A server on `db` to configure before it starts.
    pub fn builder(db: &TestDb) -> Builder {
        Builder {
            config: config(db),
            living_demo: None,
            public_url_at_listen_addr: false,
        }
    }

    /// A server on `db` without demo data.
    pub fn start(db: &TestDb) -> TestApp {
        Self::builder(db).start()
    }

    /// A server on `db` with the demo directory, accounts and venues.
    pub fn demo(db: &TestDb) -> TestApp {
        Self::builder(db).demo().start()
    }

    /// A server on `db` with the living demo (events, leads, tips, training) seeded relative
    /// to the real clock, as `PORTAL_DEMO=1` gives in normal start-up.
    pub fn living_demo(db: &TestDb) -> TestApp {
        Self::builder(db)
            .living_demo(chrono::Utc::now().timestamp_millis())
            .start()
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs `f` on the test's runtime (for direct store calls from a sync test).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// A visitor who is not signed in.
    pub fn anon(&self) -> Client {
        Client {
            base: self.base.clone(),
            auth: None,
        }
    }

    /// A demo account signed in over the API: its requests carry the bearer token.
    pub fn user(&self, login: &str) -> Client {
        Client::sign_in(&self.base, login)
    }

    /// A demo account signed in through the page form: its requests carry the session cookie.
    pub fn session(&self, login: &str) -> Client {
        let r = while_busy(|| {
            self.anon().form(
                "/login",
                &[("login", login), ("password", DEMO_PASSWORD)][..],
            )
        });
        assert_eq!(r.status, 303, "{login}");
        let cookie = r
            .header("set-cookie")
            .unwrap_or_else(|| panic!("{login} did not sign in: {:?}", r.header("location")))
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Client {
            base: self.base.clone(),
            auth: Some(("Cookie", cookie)),
        }
    }

    /// Runs `sql` with `binds` against the server's database (to move times back instead of
    /// waiting).
    pub fn exec(&self, sql: &str, binds: &[i64]) {
        let db = self.state.db.clone();
        self.block_on(async move {
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(*b);
            }
            q.execute(&db.pool).await.unwrap();
        });
    }

    /// The one number `sql` with `binds` selects.
    pub fn scalar(&self, sql: &str, binds: &[i64]) -> i64 {
        let db = self.state.db.clone();
        self.block_on(async move {
            let mut q = sqlx::query_scalar::<_, i64>(sql);
            for b in binds {
                q = q.bind(*b);
            }
            q.fetch_one(&db.pool).await.unwrap()
        })
    }

    /// The stored quiz attempt `id`, whoever's it is.
    pub fn attempt(&self, id: i64) -> store::attempts::Attempt {
        let user = self.scalar("SELECT user_id FROM quiz_attempts WHERE id = $1", &[id]);
        let db = self.state.db.clone();
        self.block_on(async move { store::attempts::load(&db, id, user).await.unwrap() })
            .expect("the attempt")
    }

    /// Answers by content option ids (question id → option ids) as attempt `id`'s option
    /// tokens, the only option ids the attempt's learner sees and sends.
    pub fn tokens_of(&self, id: i64, content: &store::attempts::Answers) -> serde_json::Value {
        let a = self.attempt(id);
        serde_json::to_value(a.answers_as_tokens(content)).unwrap()
    }

    /// The right answers to every question of attempt `id`, as its tokens.
    pub fn right_tokens(&self, id: i64) -> serde_json::Value {
        let a = self.attempt(id);
        let course = &self.state.courses.by_quiz(&a.quiz_id).unwrap().course;
        let right: store::attempts::Answers = a
            .question_ids
            .iter()
            .map(|q| {
                let ids = course.question(q).unwrap().correct_ids();
                (q.clone(), ids.into_iter().map(String::from).collect())
            })
            .collect();
        self.tokens_of(id, &right)
    }

    /// Starts an attempt at `quiz` for `c` over the API and submits the right answers: the
    /// submission's reply (passed, with a certificate).
    pub fn pass_quiz(&self, c: &Client, quiz: &str) -> serde_json::Value {
        let r = c.api("POST", &format!("/api/v1/quizzes/{quiz}/attempts"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        let id = r.json()["attempt_id"].as_i64().unwrap();
        let body = serde_json::json!({ "answers": self.right_tokens(id) });
        let r = c.api("POST", &format!("/api/v1/attempts/{id}/submit"), body);
        assert_eq!(r.json()["passed"], true, "{}", r.body);
        r.json()
    }

    /// Adds the account `login` (the demo password) to `unit` with `roles`.
    pub fn add_user(&self, login: &str, name: &str, unit: &str, roles: Vec<store::users::Role>) {
        let db = self.state.db.clone();
        let new = store::users::NewUser {
            login: login.into(),
            display_name: name.into(),
            unit_code: Some(unit.into()),
            roles,
            must_change_password: false,
        };
        self.block_on(async move {
            let hash = store::passwords::hash_password(DEMO_PASSWORD.to_string())
                .await
                .unwrap();
            let mut tx = db.pool.begin().await.unwrap();
            store::users::insert_user(&mut tx, &new, Some(&hash))
                .await
                .unwrap();
            tx.commit().await.unwrap();
        });
    }

    /// The id of the account `login`.
    pub fn user_id(&self, login: &str) -> i64 {
        let db = self.state.db.clone();
        self.block_on(async move {
            sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
                .bind(login)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        })
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A copy of the shipped content (in a scratch folder named by `tag`) with a revised
/// regulation version `2026-12-01` whose only change is to Article 9 (the data platform is no
/// longer "explored" but established).
pub fn revised_content(tag: &str) -> PathBuf {
    let dir = scratch_dir(tag);
    copy_dir(&root().join("content"), &dir);
    let reg = dir.join("regulations/dazu-2021-6");
    let original = std::fs::read_to_string(reg.join("source.txt")).unwrap();
    let revised = original.replace(
        "探索建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
        "建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
    );
    assert_ne!(revised, original);
    std::fs::write(reg.join("source-2026.txt"), revised).unwrap();
    let mut versions = std::fs::read_to_string(reg.join("versions.toml")).unwrap();
    versions.push_str("\n[[version]]\nid = \"2026-12-01\"\nprinted = \"2026-12-01\"\nsource = \"source-2026.txt\"\nnote_zh = \"测试修订稿\"\nnote_en = \"test revision\"\n");
    std::fs::write(reg.join("versions.toml"), versions).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------------
// HTTP

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
        .timeout(Duration::from_secs(30))
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

/// A form body: already encoded (`"a=1&b=%E4%B8%80"`) or name–value pairs to encode.
pub trait FormBody {
    fn encode(self) -> String;
}

impl FormBody for &str {
    fn encode(self) -> String {
        self.to_string()
    }
}

impl FormBody for String {
    fn encode(self) -> String {
        self
    }
}

impl FormBody for &String {
    fn encode(self) -> String {
        self.clone()
    }
}

impl FormBody for &[(&str, &str)] {
    fn encode(self) -> String {
        serde_urlencoded::to_string(self).unwrap()
    }
}

/// Requests to one server as one caller: anonymous, a bearer token or a session cookie.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    auth: Option<(&'static str, String)>,
}

impl Client {
    /// The credentials header this client sends (`Authorization` or `Cookie`), if any.
    pub fn auth_header(&self) -> Option<(&'static str, &str)> {
        self.auth.as_ref().map(|(k, v)| (*k, v.as_str()))
    }

    /// A caller of the server at `base` (`http://host:port`) with this `Authorization` value
    /// (`Bearer …`), or anonymous when it is empty.
    pub fn authorized(base: &str, authorization: &str) -> Client {
        Client {
            base: base.to_string(),
            auth: (!authorization.is_empty()).then(|| ("Authorization", authorization.to_string())),
        }
    }

    /// A demo account signed in over the API of the server at `base`: its requests carry the
    /// bearer token.
    pub fn sign_in(base: &str, login: &str) -> Client {
        let r = while_busy(|| {
            Client::authorized(base, "").api(
                "POST",
                "/api/v1/auth/login",
                json!({"login": login, "password": DEMO_PASSWORD}),
            )
        });
        assert_eq!(r.status, 200, "{login}: {}", r.body);
        Client::authorized(
            base,
            &format!("Bearer {}", r.json()["token"].as_str().unwrap()),
        )
    }

    /// The value of the credential header (`Bearer …` or `session=…`); empty when anonymous.
    pub fn credential(&self) -> &str {
        self.auth.as_ref().map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Sends `body` to `path` with the caller's credential and `headers`.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut h = headers.to_vec();
        if let Some((k, v)) = &self.auth {
            h.push((k, v.as_str()));
        }
        send(method, &format!("{}{path}", self.base), &h, body)
    }

    /// A JSON API call with `json` as the body: a `Value`, or `None` for no body.
    pub fn api(&self, method: &str, path: &str, json: impl Into<Option<Value>>) -> Reply {
        let body = json.into().map(|v| v.to_string()).unwrap_or_default();
        self.send(
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    /// GET a page (or any resource).
    pub fn page(&self, path: &str) -> Reply {
        let mut h = Vec::new();
        if let Some((k, v)) = &self.auth {
            h.push((*k, v.as_str()));
        }
        get(&format!("{}{path}", self.base), &h)
    }

    /// POST a form.
    pub fn form(&self, path: &str, body: impl FormBody) -> Reply {
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.encode().as_bytes(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The server binary

/// The server binary, to run a command or serve as a child process.
pub fn server_bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env("PORTAL_AUDIT_KEY_FILE", audit_key_file());
    // Never the default `data/tip-receipt.key` below the crate folder the tests run in.
    command.env(
        "PORTAL_TIP_KEY_FILE",
        std::env::temp_dir().join(format!(
            "portal-test-{}/tip-receipt.key",
            std::process::id()
        )),
    );
    command
}

/// Runs the server binary with `args` on `url` from the workspace root; (success, stdout +
/// stderr).
pub fn server_cmd(url: &str, args: &[&str]) -> (bool, String) {
    let out = server_bin()
        .args(args)
        .current_dir(root())
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run server binary");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The server binary serving the demo data on `url`, killed when dropped.
pub struct ServerProcess {
    pub child: Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts it on `port` and waits until it is healthy. Should the port have been taken in
    /// the meantime (by another test of this process), it starts on another one: `base` says
    /// where it listens.
    pub fn start(url: &str, port: u16) -> ServerProcess {
        Self::start_with(url, port, &[])
    }

    /// [`ServerProcess::start`] with more environment variables.
    pub fn start_with(url: &str, port: u16, env: &[(&str, &str)]) -> ServerProcess {
        let mut port = port;
        for _ in 0..5 {
            let mut child = server_bin()
                .current_dir(root())
                .envs(env.iter().copied())
                .env("DATABASE_URL", url)
                .env("PORTAL_DEMO", "1")
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start server");
            let base = format!("http://127.0.0.1:{port}");
            let healthy = || {
                agent()
                    .get(&format!("{base}/healthz"))
                    .call()
                    .map(|r| r.status())
                    .unwrap_or(0)
                    == 200
            };
            if wait_ready(&mut child, 60, "the server", healthy) {
                return ServerProcess { child, base };
            }
            port = free_port();
        }
        panic!("the server exited at start five times");
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Kills it with SIGKILL.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Adds `n` members of `dz-court` (logins `{prefix}-0` …) with an API token each, straight
/// into the database at `url`; (user id, `Bearer …`) per member.
pub fn add_members(url: &str, prefix: &str, n: usize) -> Vec<(i64, String)> {
    block_on(async {
        let pool = store::Db::open(url).await.unwrap();
        let mut tx = pool.pool.begin().await.unwrap();
        let mut out = Vec::new();
        for i in 0..n {
            let uid = store::users::insert_user(
                &mut tx,
                &store::users::NewUser {
                    login: format!("{prefix}-{i}"),
                    display_name: format!("人员{i}"),
                    unit_code: Some("dz-court".into()),
                    roles: vec![store::users::Role::Member],
                    must_change_password: false,
                },
                None,
            )
            .await
            .unwrap();
            let s = store::sessions::create(&mut tx, uid, store::sessions::Kind::Api, None)
                .await
                .unwrap();
            out.push((uid, format!("Bearer {}", s.0)));
        }
        tx.commit().await.unwrap();
        pool.pool.close().await;
        out
    })
}

// ---------------------------------------------------------------------------------------------
// HTML

/// The numeric cells of the report table row carrying `attr` (`data-course="…"`).
pub fn report_row(body: &str, attr: &str) -> Vec<String> {
    let at = body.find(attr).unwrap_or_else(|| panic!("no row {attr}"));
    let row = &body[at..at + body[at..].find("</tr>").unwrap()];
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|c| c[..c.find("</td>").unwrap()].to_string())
        .collect()
}

/// Owned strings, to compare with [`report_row`].
pub fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Escapes text the way the server's HTML renderer does, to look for it in a page.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Decodes the entities the server's HTML renderer writes.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of `html`: tags removed, entities decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// The path (`/calendar/<token>.ics`) of the private feed address a page shows once
/// (`id="feed-url"`, a `webcal://` address).
pub fn feed_path(page: &str) -> String {
    let shown = page.find("id=\"feed-url\"").expect("feed address shown");
    let start = shown + page[shown..].find("webcal://").expect("webcal address");
    let addr = &page[start..];
    let addr = &addr[..addr.find('<').expect("end of the address")];
    addr[addr.find("/calendar/").expect("feed path")..].to_string()
}

/// One VEVENT's properties as the `ical` crate parses them: (name, params, value).
pub type Props = Vec<(String, Vec<(String, Vec<String>)>, String)>;

/// The VEVENTs of a calendar, parsed with the `ical` crate (an independent parser; values stay
/// escaped as written).
pub fn vevents(text: &str) -> Vec<Props> {
    let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let mut out = Vec::new();
    for cal in reader {
        let cal = cal.expect("valid iCalendar");
        for ev in cal.events {
            out.push(
                ev.properties
                    .into_iter()
                    .map(|p| {
                        (
                            p.name,
                            p.params.unwrap_or_default(),
                            p.value.unwrap_or_default(),
                        )
                    })
                    .collect(),
            );
        }
    }
    out
}

/// Repeats a sign-in while the server answers 503 (every password-hashing slot of the test
/// process taken, e.g. by `abuse::parallel_guesses_…` flooding its own server at the same
/// moment), as a client is told to: a few tries, a moment apart.
fn while_busy(mut send: impl FnMut() -> Reply) -> Reply {
    let mut r = send();
    for _ in 0..3 {
        if r.status != 503 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        r = send();
    }
    r
}
