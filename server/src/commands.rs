//! The binary's maintenance commands: creating the first administrator, checking the audit
//! chain, backing up and restoring. Each prints one clear line and returns the process exit status.

use std::io::BufRead;
use std::process::ExitCode;

use store::audit::{self, Verdict};
use store::users::{NewUser, Role};
use store::{Db, StoreError};

use crate::config::Config;

async fn open(config: &Config) -> Result<Db, ExitCode> {
    match Db::open(&config.database_url()).await {
        Ok(db) => match prepare_database(&db, config).await {
            Ok(_) => Ok(db),
            Err(e) => {
                eprintln!("server: {e}");
                Err(ExitCode::FAILURE)
            }
        },
        Err(e) => {
            eprintln!("server: cannot open the database: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// Loads (or creates) the audit key, then seeds the directory.
async fn prepare_database(db: &Db, config: &Config) -> Result<(), StoreError> {
    audit::prepare(db, &config.audit_key_file).await?;
    store::units::seed_directory(db).await.map(|_| ())
}

/// `server create-admin --login L [--name N]`, password from `PORTAL_ADMIN_PASSWORD` or stdin.
pub async fn create_admin(config: &Config, login: &str, name: &str) -> ExitCode {
    let db = match open(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let password = match std::env::var("PORTAL_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password for {login} (one line on stdin):");
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line).is_err() {
                eprintln!("server: could not read the password");
                return ExitCode::FAILURE;
            }
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Err(msg) = store::passwords::check_new_password(&password) {
        eprintln!("server: {}", app::refusals::Localize::both(&msg));
        return ExitCode::FAILURE;
    }
    let login = login.trim();
    if login.is_empty()
        || login.len() > 64
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        eprintln!("server: the login must be 1–64 letters, digits, '-', '_' or '.'");
        return ExitCode::FAILURE;
    }
    let result = async {
        let hash = store::passwords::hash_password(password).await?;
        let mut tx = db.pool.begin().await?;
        let new = NewUser {
            login: login.into(),
            display_name: name.into(),
            unit_code: None,
            roles: vec![Role::Admin],
            must_change_password: false,
        };
        let id = store::users::insert_user(&mut tx, &new, Some(&hash)).await?;
        let actor = audit::Actor {
            login: Some("server create-admin".into()),
            ..Default::default()
        };
        audit::append(
            &mut tx,
            &actor,
            audit::Event {
                action: "admin.user_created",
                object_type: Some("user"),
                object_id: Some(id.to_string()),
                detail: Some(format!("login={login}; roles=admin")),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<i64, store::StoreError>(id)
    }
    .await;
    match result {
        Ok(id) => {
            println!("created administrator {login} (id {id})");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("server: could not create {login} (does the login exist already?): {e}");
            ExitCode::FAILURE
        }
    }
}

/// `server audit verify [--anchor HASH]`.
pub async fn audit_verify(config: &Config, anchor: Option<&str>) -> ExitCode {
    let db = match open(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match audit::verify_chain(&db, anchor).await {
        Ok(Verdict::Intact { entries, head }) => {
            println!("audit chain intact: {entries} entries, head {head}");
            ExitCode::SUCCESS
        }
        Ok(Verdict::Broken { seq, reason }) => {
            println!("audit chain BROKEN at entry {seq}: {reason}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `server audit head`: the latest chain hash, to store elsewhere as an anchor.
pub async fn audit_head(config: &Config) -> ExitCode {
    let db = match open(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match audit::verify_chain(&db, None).await {
        Ok(Verdict::Intact { entries, head }) => {
            println!("{head} {entries}");
            ExitCode::SUCCESS
        }
        Ok(Verdict::Broken { seq, reason }) => {
            eprintln!(
                "server: the chain is broken at entry {seq} ({reason}); not exporting a head"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `server regulation versions|diff|review`: reads the content only, no database.
pub fn regulation(config: &Config, command: crate::config::RegulationCommand) -> ExitCode {
    use crate::config::RegulationCommand;
    use domain::versions::{diff_documents, needs_review, ChangeKind, Citing, Segment};
    let content = match corpus::content::load(&config.content_dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("server: content is invalid: {e}");
            return ExitCode::FAILURE;
        }
    };
    let versions = content.versions.clone();
    let find = |id: &str| versions.iter().find(|v| v.id == id);
    match command {
        RegulationCommand::Versions => {
            for v in versions.iter() {
                println!(
                    "{}\tprinted {}\t{} articles\t{}",
                    v.id,
                    v.printed,
                    v.document.articles.len(),
                    v.note_zh
                );
            }
            ExitCode::SUCCESS
        }
        RegulationCommand::Diff { from, to } => {
            let n = versions.len();
            let to = to.unwrap_or_else(|| versions[n - 1].id.clone());
            let from = from.unwrap_or_else(|| versions[n.saturating_sub(2)].id.clone());
            let (Some(a), Some(b)) = (find(&from), find(&to)) else {
                eprintln!(
                    "server: unknown version (known: {})",
                    versions
                        .iter()
                        .map(|v| v.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return ExitCode::FAILURE;
            };
            let changes = diff_documents(&a.document, &b.document);
            if changes.is_empty() {
                println!("{from} → {to}: no article changed");
            }
            for c in changes {
                let kind = match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    ChangeKind::Changed => "changed",
                };
                let text: String = c
                    .segments
                    .iter()
                    .map(|s| match s {
                        Segment::Same(t) => t.clone(),
                        Segment::Deleted(t) => format!("[-{t}-]"),
                        Segment::Inserted(t) => format!("{{+{t}+}}"),
                    })
                    .collect();
                // One line per article: paragraph breaks are shown as ¶.
                let text = text.replace('\n', " ¶ ");
                println!(
                    "art-{}\t{kind}\t第{}条\t{text}",
                    c.n,
                    domain::regulation::cn_number(c.n)
                );
            }
            ExitCode::SUCCESS
        }
        RegulationCommand::BenchSearch { rounds } => {
            let library = match corpus::library::load(&config.content_dir, &content) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("server: content is invalid: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let queries = [
                "线索",
                "律师协会",
                "司法行政部门",
                "同级相关司法机关",
                "第七条",
                "律师协会 线索",
                "feedback",
                "lawyers' association",
                "亲清",
                "Ｆｅｅｄｂａｃｋ",
                "不存在的词语组合",
            ];
            println!(
                "query\thits\tp50_us\tp99_us\tmax_us\t({rounds} rounds, {} documents)",
                library.index.len()
            );
            let mut worst = 0u128;
            for q in queries {
                let mut times = Vec::with_capacity(rounds.max(1));
                let mut hits = 0;
                for _ in 0..rounds.max(1) {
                    let start = std::time::Instant::now();
                    hits = library.search(q).map(|r| r.hits.len()).unwrap_or(0);
                    times.push(start.elapsed().as_micros());
                }
                times.sort_unstable();
                let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
                worst = worst.max(*times.last().unwrap_or(&0));
                println!(
                    "{q}\t{hits}\t{}\t{}\t{}",
                    pct(0.5),
                    pct(0.99),
                    times.last().unwrap_or(&0)
                );
            }
            println!("slowest single query: {worst} us (target: well under 50 ms = 50000 us)");
            ExitCode::SUCCESS
        }
        RegulationCommand::Review => {
            let library = match corpus::library::load(&config.content_dir, &content) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("server: content is invalid: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let latest = versions[versions.len() - 1].clone();
            let mut items = Vec::new();
            items.push(Citing {
                id: "lead-routing rules R1–R10".into(),
                version: domain::routing::WRITTEN_AGAINST.into(),
                articles: domain::routing::RULE_ARTICLES.to_vec(),
            });
            for course in &library.courses {
                let version = course
                    .regulation_version
                    .strip_prefix("dazu-2021-6@")
                    .unwrap_or(&course.regulation_version)
                    .to_string();
                for l in &course.lessons {
                    items.push(Citing {
                        id: format!("lesson {}", l.id),
                        version: version.clone(),
                        articles: l.cites.iter().filter_map(|c| c.article()).collect(),
                    });
                }
                for q in &course.questions {
                    items.push(Citing {
                        id: format!("question {}", q.id),
                        version: version.clone(),
                        articles: q.cites.iter().filter_map(|c| c.article()).collect(),
                    });
                }
            }
            let changed = |v: &str| {
                find(v)
                    .map(|old| {
                        diff_documents(&old.document, &latest.document)
                            .iter()
                            .map(|c| c.n)
                            .collect()
                    })
                    .unwrap_or_else(|| (1..=latest.document.articles.len() as u32).collect())
            };
            let review = needs_review(&items, &latest.id, changed);
            if review.is_empty() {
                println!("nothing needs review against version {}", latest.id);
            }
            for c in review {
                println!(
                    "needs review\t{}\twritten against {}\tcites {:?}",
                    c.id, c.version, c.articles
                );
            }
            ExitCode::SUCCESS
        }
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Runs a PostgreSQL client tool; its own error output goes to stderr.
fn run_tool(tool: &str, args: &[&str]) -> Result<(), String> {
    match std::process::Command::new(tool).args(args).status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{tool} failed ({s})")),
        Err(e) => Err(format!(
            "cannot run {tool} (is the PostgreSQL client installed?): {e}"
        )),
    }
}

/// `server backup --out FILE`.
pub async fn backup(config: &Config, out: &std::path::Path) -> ExitCode {
    let url = config.database_url();
    if out.exists() {
        eprintln!(
            "server: {} exists already; choose a new file",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    if is_postgres(&url) {
        let file = out.to_string_lossy();
        return match run_tool(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--file",
                &file,
                "--dbname",
                &url,
            ],
        ) {
            Ok(()) => {
                println!("backup written to {file} (pg_dump custom format)");
                ExitCode::SUCCESS
            }
            Err(e) => {
                let _ = std::fs::remove_file(out);
                eprintln!("server: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let db = match open(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let head = match audit::verify_chain(&db, None).await {
        Ok(Verdict::Intact { entries, head }) => format!("{entries} audit entries, head {head}"),
        Ok(Verdict::Broken { seq, reason }) => {
            eprintln!("server: warning: the audit chain is broken at entry {seq}: {reason}");
            "audit chain broken".into()
        }
        Err(e) => {
            eprintln!("server: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = store::backup::sqlite_backup(&db, out).await {
        eprintln!("server: backup failed: {e}");
        return ExitCode::FAILURE;
    }
    match store::backup::sqlite_integrity(out).await {
        Ok(v) if v == "ok" => {
            println!("backup written to {} ({head})", out.display());
            ExitCode::SUCCESS
        }
        Ok(v) => {
            eprintln!("server: the backup fails its integrity check: {v}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `server restore --from FILE` into the empty database of `DATABASE_URL`.
pub async fn restore(config: &Config, from: &std::path::Path) -> ExitCode {
    let url = config.database_url();
    if !from.is_file() {
        eprintln!("server: no backup file at {}", from.display());
        return ExitCode::FAILURE;
    }
    let restored = if is_postgres(&url) {
        match store::backup::postgres_has_tables(&url).await {
            Ok(false) => {}
            Ok(true) => {
                eprintln!("server: the target database is not empty; restore into a new database");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("server: {e}");
                return ExitCode::FAILURE;
            }
        }
        let file = from.to_string_lossy();
        run_tool(
            "pg_restore",
            &["--no-owner", "--exit-on-error", "--dbname", &url, &file],
        )
    } else {
        let target = store::backup::sqlite_file(&url);
        match store::backup::sqlite_has_tables(&target).await {
            Ok(false) => {}
            Ok(true) => {
                eprintln!(
                    "server: {} holds a database already; restore into a new file",
                    target.display()
                );
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("server: {e}");
                return ExitCode::FAILURE;
            }
        }
        store::backup::sqlite_restore(from, &target)
            .await
            .map_err(|e| e.to_string())
    };
    if let Err(e) = restored {
        eprintln!("server: restore failed: {e}");
        return ExitCode::FAILURE;
    }
    // Opening migrates a backup taken by an older version; then the chain is checked.
    let db = match open(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match audit::verify_chain(&db, None).await {
        Ok(Verdict::Intact { entries, head }) => {
            println!(
                "restored from {}: audit chain intact, {entries} entries, head {head}",
                from.display()
            );
            ExitCode::SUCCESS
        }
        Ok(Verdict::Broken { seq, reason }) => {
            eprintln!("server: restored, but the audit chain is BROKEN at entry {seq}: {reason}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}
