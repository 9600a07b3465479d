//! Operations (issue 9): `server backup` while the portal serves, `server restore` into a fresh
//! database, and the restored copy holding every lead, attempt and registration with an intact
//! audit chain; a restore never overwrites a database that holds data.

use crate::support::*;

use serde_json::json;

const COUNTS: [&str; 6] = [
    "SELECT COUNT(*) FROM leads",
    "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL",
    "SELECT COUNT(*) FROM event_registrations",
    "SELECT COUNT(*) FROM audit_log",
    "SELECT COUNT(*) FROM users",
    "SELECT COUNT(*) FROM certificates",
];

fn counts(url: &str) -> Vec<i64> {
    block_on(async {
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
        let app = TestApp::demo(&db);
        let office = app.user("dz-justice-officer");
        let lead = office.api(
            "POST",
            "/api/v1/leads",
            json!({
                "subject": {"type": "judicial_personnel", "name": "赵某", "org": "yc-court", "duty": "adjudication"},
                "summary": "律师宴请承办法官", "details": "据反映，某律师在饭店宴请承办法官。", "occurred_on": "2026-11-01"
            }),
        );
        assert_eq!(lead.status, 200, "{}", lead.body);
        let judge = app.user("judge-zhang");
        let attempt = judge.api(
            "POST",
            "/api/v1/quizzes/regulation-guide-quiz/attempts",
            json!({}),
        );
        assert_eq!(attempt.status, 200, "{}", attempt.body);
        let id = attempt.json()["attempt_id"].as_i64().unwrap();
        let submit = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": {}}),
        );
        assert_eq!(submit.status, 200, "{}", submit.body);
        let coord = app.user("dz-judges-coordinator");
        let ev = coord.api(
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
            coord
                .api("POST", &format!("/api/v1/events/{ev}/publish"), json!({}))
                .status,
            200
        );
        assert_eq!(
            judge
                .api(
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
        let restored = TestApp::demo(&target);
        let office = restored.user("dz-justice-officer");
        let lead_id = lead.json()["id"].as_i64().unwrap();
        let r = office.page(&format!("/api/v1/leads/{lead_id}"));
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
