//! Operations (issue 9): `server backup` while the portal serves, `server restore` into a fresh
//! database, and the restored copy holding every lead, attempt and registration with an intact
//! audit chain; a restore never overwrites a database that holds data.

use crate::support::*;

use serde_json::{json, Value};

fn login(app: &TestApp, who: &str) -> String {
    let r = send(
        "POST",
        &app.url("/api/v1/auth/login"),
        &[("Content-Type", "application/json")],
        json!({"login": who, "password": DEMO_PASSWORD})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    format!("Bearer {}", r.json()["token"].as_str().unwrap())
}

fn call(app: &TestApp, auth: &str, method: &str, path: &str, body: Value) -> Reply {
    send(
        method,
        &app.url(path),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", auth),
        ],
        body.to_string().as_bytes(),
    )
}

/// Runs the server binary with `args` on `url`; (success, stdout + stderr).
pub fn server_cmd(url: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
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

const COUNTS: [&str; 6] = [
    "SELECT COUNT(*) FROM leads",
    "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL",
    "SELECT COUNT(*) FROM event_registrations",
    "SELECT COUNT(*) FROM audit_log",
    "SELECT COUNT(*) FROM users",
    "SELECT COUNT(*) FROM certificates",
];

fn counts(url: &str) -> Vec<i64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = store::Db::open(url).await.unwrap();
        let mut out = Vec::new();
        for q in COUNTS {
            out.push(
                sqlx::query_scalar::<_, i64>(q)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap(),
            );
        }
        db.pool.close().await;
        out
    })
}

#[test]
fn backup_and_restore_keep_everything() {
    for db in databases("ops-backup") {
        let app = demo_app(&db);
        let office = login(&app, "dz-justice-officer");
        let lead = call(
            &app,
            &office,
            "POST",
            "/api/v1/leads",
            json!({
                "subject": {"type": "judicial_personnel", "name": "赵某", "org": "yc-court", "duty": "adjudication"},
                "summary": "律师宴请承办法官", "details": "据反映，某律师在饭店宴请承办法官。", "occurred_on": "2026-11-01"
            }),
        );
        assert_eq!(lead.status, 200, "{}", lead.body);
        let judge = login(&app, "judge-zhang");
        let attempt = call(
            &app,
            &judge,
            "POST",
            "/api/v1/quizzes/regulation-guide-quiz/attempts",
            json!({}),
        );
        assert_eq!(attempt.status, 200, "{}", attempt.body);
        let id = attempt.json()["attempt_id"].as_i64().unwrap();
        let submit = call(
            &app,
            &judge,
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": {}}),
        );
        assert_eq!(submit.status, 200, "{}", submit.body);
        let coord = login(&app, "dz-judges-coordinator");
        let ev = call(
            &app,
            &coord,
            "POST",
            "/api/v1/events",
            json!({
                "title": "座谈会", "kind": "symposium", "starts_at": "2030-03-05T09:00:00+08:00",
                "ends_at": "2030-03-05T11:00:00+08:00", "venue": "大足区人民法院第一会议室", "capacity": 5,
                "registration_deadline": "2030-03-04T17:00:00+08:00", "open_to": ["dz-court"]
            }),
        );
        let ev = ev.json()["id"].as_i64().unwrap();
        assert_eq!(
            call(
                &app,
                &coord,
                "POST",
                &format!("/api/v1/events/{ev}/publish"),
                json!({})
            )
            .status,
            200
        );
        assert_eq!(
            call(
                &app,
                &judge,
                "POST",
                &format!("/api/v1/events/{ev}/registrations"),
                json!({})
            )
            .status,
            200
        );
        let before = counts(&db.url);
        assert!(before.iter().take(3).all(|&n| n >= 1), "{before:?}");

        // The backup is taken while the server is running.
        let file = scratch_dir("backup").join("portal.backup");
        let file_s = file.to_string_lossy().to_string();
        let (ok, out) = server_cmd(&db.url, &["backup", "--out", &file_s]);
        assert!(ok, "{}: {out}", db.label);
        assert!(file.metadata().unwrap().len() > 0);
        let (ok, out) = server_cmd(&db.url, &["backup", "--out", &file_s]);
        assert!(!ok && out.contains("exists already"), "{out}");

        let target = fresh_like(&db, "ops-restore");
        let (ok, out) = server_cmd(&target.url, &["restore", "--from", &file_s]);
        assert!(ok, "{}: {out}", db.label);
        assert!(out.contains("audit chain intact"), "{out}");
        assert_eq!(counts(&target.url), before, "{}", db.label);
        let (ok, out) = server_cmd(&target.url, &["audit", "verify"]);
        assert!(ok, "{out}");
        // A second restore would overwrite data: refused.
        let (ok, out) = server_cmd(&target.url, &["restore", "--from", &file_s]);
        assert!(!ok && out.contains("restore into a new"), "{out}");
        // The restored portal serves the lead to its handler.
        let restored = demo_app(&target);
        let office = login(&restored, "dz-justice-officer");
        let lead_id = lead.json()["id"].as_i64().unwrap();
        let r = get(
            &restored.url(&format!("/api/v1/leads/{lead_id}")),
            &[("Authorization", office.as_str())],
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("律师宴请承办法官"));
        // A damaged backup is refused.
        if db.label == "sqlite" {
            let bad = scratch_dir("bad").join("bad.backup");
            let mut bytes = std::fs::read(&file).unwrap();
            let n = bytes.len();
            for b in &mut bytes[n / 2..n / 2 + 4096] {
                *b = 0x5a;
            }
            std::fs::write(&bad, bytes).unwrap();
            let fresh = fresh_like(&db, "ops-bad");
            let (ok, out) = server_cmd(&fresh.url, &["restore", "--from", &bad.to_string_lossy()]);
            assert!(!ok, "{out}");
        }
    }
}
