//! The audit writer (on SQLite the group writer) and the keyed chain: concurrent standalone
//! entries share transactions and each is committed before its request is answered; a chain
//! edited and recomputed with plain SHA-256 (all that someone with only database access can
//! do) is reported by `server audit verify` and by `/admin/audit`. SQLite and PostgreSQL.

use crate::support::*;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use store::audit::{self, Verdict};
use store::group_commit::group_stats;

/// How many entries of `action` the trail holds.
fn count(app: &TestApp, action: &str) -> i64 {
    let db = app.state.db.clone();
    let action = action.to_string();
    app.block_on(async move {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&db.pool)
            .await
            .unwrap()
    })
}

#[test]
fn concurrent_views_are_audited_in_shared_transactions_before_each_answer() {
    for db in databases("audit-batch") {
        let app = TestApp::demo(&db);
        // Through HTTP: every denied view is committed when its 404 arrives. A thread that
        // has its answer counts the entries: at least as many as answers received so far.
        let judge = app.session("judge-zhang");
        let answered = Arc::new(AtomicUsize::new(0));
        std::thread::scope(|s| {
            for i in 0..16 {
                let (judge, answered, app) = (&judge, answered.clone(), &app);
                s.spawn(move || {
                    let r = judge.page(&format!("/admin/audit?try={i}"));
                    assert_eq!(r.status, 404, "{}", db.label);
                    let so_far = answered.fetch_add(1, Ordering::SeqCst) + 1;
                    let stored = count(app, "authz.denied");
                    assert!(
                        stored >= so_far as i64,
                        "{}: {so_far} answers but {stored} entries",
                        db.label
                    );
                });
            }
        });
        assert_eq!(count(&app, "authz.denied"), 16, "{}", db.label);
        // Straight to the writer: a burst of entries goes in fewer transactions than entries.
        let store = app.state.db.clone();
        let before = (audit::writer_stats(&store), group_stats(&store));
        let seqs = app.block_on(async {
            let writes = (0..100).map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let event = audit::Event {
                        action: "test.burst",
                        object_id: Some(i.to_string()),
                        ..Default::default()
                    };
                    audit::record(&store, &audit::Actor::default(), event).await
                })
            });
            let mut seqs = Vec::new();
            for w in writes.collect::<Vec<_>>() {
                seqs.push(w.await.unwrap().unwrap());
            }
            seqs
        });
        let after = (audit::writer_stats(&store), group_stats(&store));
        let mut sorted = seqs.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 100, "every entry its own place in the chain");
        // On SQLite the group writer takes the entries (one writer for the one write lock).
        let (transactions, entries) = if store.backend == store::Backend::Sqlite {
            assert_eq!(after.0, before.0, "{}: no audit writer task", db.label);
            (
                after.1.groups - before.1.groups,
                after.1.writes - before.1.writes,
            )
        } else {
            (
                after.0.batches - before.0.batches,
                after.0.entries - before.0.entries,
            )
        };
        assert_eq!(entries, 100, "{}", db.label);
        assert!(
            transactions < 100,
            "{}: 100 entries in {transactions} transactions",
            db.label
        );
        assert!(matches!(
            app.block_on(audit::verify_chain(&store, None)).unwrap(),
            Verdict::Intact { .. }
        ));
    }
}

/// Edits entry 2 and recomputes every later hash and the head with plain SHA-256, as someone
/// with database access but without the key would.
fn rewrite_chain_without_the_key(app: &TestApp) {
    let db = app.state.db.clone();
    app.block_on(async move {
        let mut all = audit::list(
            &db,
            &audit::Filter {
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        all.reverse();
        let mut prev = audit::GENESIS.to_string();
        for mut e in all {
            if e.seq == 2 {
                e.detail = Some("forged".into());
            }
            e.prev_hash = prev;
            if e.seq >= 2 {
                e.hash = audit::plain_hash(&e);
                sqlx::query(
                    "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                )
                .bind(&e.detail)
                .bind(&e.prev_hash)
                .bind(&e.hash)
                .bind(e.seq)
                .execute(&db.pool)
                .await
                .unwrap();
            }
            prev = e.hash;
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(&db.pool)
            .await
            .unwrap();
    });
}

#[test]
fn a_chain_recomputed_with_plain_sha256_is_reported() {
    for db in databases("audit-rekey") {
        let app = TestApp::demo(&db);
        let admin = app.session("admin");
        let page = admin.page("/admin/audit");
        assert!(page.body.contains("chain intact"), "{}", db.label);
        rewrite_chain_without_the_key(&app);
        // The command walks the whole chain with the key.
        let (ok, out) = server_cmd(&db.url, &["audit", "verify"]);
        assert!(!ok, "{}: {out}", db.label);
        assert!(
            out.contains("BROKEN at entry 2") && out.contains("without the audit key"),
            "{}: {out}",
            db.label
        );
        // The page checks incrementally from where it last found the chain intact: the entry
        // it ended at was re-hashed, so the rewrite shows there.
        let page = admin.page("/admin/audit");
        assert!(page.body.contains("chain BROKEN"), "{}", db.label);
        // A server started afresh walks the whole chain on its first view.
        drop(admin);
        drop(app);
        let again = TestApp::demo(&db);
        let page = again.session("admin").page("/admin/audit");
        assert!(
            page.body.contains("chain BROKEN at 2") && page.body.contains("without the audit key"),
            "{}",
            db.label
        );
    }
}

#[test]
fn the_key_file_is_required_once_the_trail_is_keyed() {
    let db = &databases("audit-keyfile")[0];
    drop(TestApp::demo(db));
    let elsewhere = std::env::temp_dir().join(format!(
        "portal-test-{}/missing-{}.key",
        std::process::id(),
        rand_suffix()
    ));
    let out = server_bin()
        .args(["audit", "verify"])
        .current_dir(root())
        .env("DATABASE_URL", &db.url)
        .env("PORTAL_AUDIT_KEY_FILE", &elsewhere)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("restore the key file"), "{text}");
    assert!(!elsewhere.exists(), "no new key in front of a keyed trail");
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

#[test]
fn the_server_logs_the_chain_head_at_its_interval_and_creates_its_key() {
    let db = &databases("audit-headlog")[0];
    let dir = std::env::temp_dir().join(format!("portal-test-{}/headlog", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let key = dir.join("audit.key");
    let port = free_port();
    let mut child = server_bin()
        .current_dir(root())
        .env("DATABASE_URL", &db.url)
        .env("PORTAL_DEMO", "1")
        .env("PORTAL_AUDIT_KEY_FILE", &key)
        .env("PORTAL_AUDIT_HEAD_LOG_SECS", "1")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("created a new audit key file"),
        "the first start says where the key went: {log}"
    );
    assert!(key.exists());
    let heads = log.matches("audit chain head").count();
    assert!(heads >= 2, "a head at start and every second: {log}");
    let _ = std::fs::remove_dir_all(&dir);
}
