//! The binary's maintenance commands: creating the first administrator and checking the audit
//! chain. Each prints one clear line and returns the process exit status.

use std::io::BufRead;
use std::process::ExitCode;

use store::audit::{self, Verdict};
use store::users::{NewUser, Role};
use store::Db;

use crate::config::Config;

async fn open(config: &Config) -> Result<Db, ExitCode> {
    match Db::open(&config.database_url()).await {
        Ok(db) => match store::units::seed_directory(&db).await {
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
        eprintln!("server: {msg}");
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
