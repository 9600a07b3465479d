//! Crash safety (issue 9): the real server binary takes quiz submissions, event registrations
//! and lead hand-overs from concurrent clients while it is killed with SIGKILL at random moments
//! (20 times) and restarted. Afterwards every write the server acknowledged is in the database,
//! nothing is half-written (a hand-over without its audit entry, a registration over capacity),
//! SQLite passes `PRAGMA integrity_check`, and `server audit verify` passes. On SQLite, and on
//! PostgreSQL with the server process killed.

use crate::support::*;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

const KILLS: usize = 20;
const CAPACITY: i64 = 15;

/// A request that may fail because the server is gone: `None` then.
fn try_call(base: &str, auth: &str, method: &str, path: &str, body: Value) -> Option<(u16, Value)> {
    let r = agent()
        .request(method, &format!("{base}{path}"))
        .set("Content-Type", "application/json")
        .set("Authorization", auth)
        .send_string(&body.to_string());
    match r {
        Ok(r) => Some((r.status(), r.into_json().unwrap_or(Value::Null))),
        Err(ureq::Error::Status(s, r)) => Some((s, r.into_json().unwrap_or(Value::Null))),
        Err(_) => None,
    }
}

/// What the server acknowledged.
#[derive(Default)]
struct Acked {
    submitted: Vec<i64>,
    registered: Vec<i64>,
    leads: Vec<(i64, String)>,
    passed_on: Vec<String>,
}

fn run_on(db: &TestDb) {
    let mut server = ServerProcess::start(&db.url, free_port());
    let base = server.base.clone();
    // 1,000 members with API tokens, written straight into the database.
    let members = add_members(&db.url, "crash", 1000);
    let coord = Client::sign_in(&base, "dz-judges-coordinator")
        .credential()
        .to_string();
    let (s, ev) = try_call(&base, &coord, "POST", "/api/v1/events", json!({
        "title": "容量测试", "kind": "seminar", "starts_at": "2030-03-05T09:00:00+08:00",
        "ends_at": "2030-03-05T11:00:00+08:00", "venue": "大足区人民法院第一会议室", "capacity": CAPACITY,
        "registration_deadline": "2030-03-04T17:00:00+08:00", "open_to": ["dz-court"]
    })).unwrap();
    assert_eq!(s, 200, "{ev}");
    let event = ev["id"].as_i64().unwrap();
    assert_eq!(
        try_call(
            &base,
            &coord,
            "POST",
            &format!("/api/v1/events/{event}/publish"),
            json!({})
        )
        .unwrap()
        .0,
        200
    );
    let office = Client::sign_in(&base, "dz-justice-officer")
        .credential()
        .to_string();
    let court = Client::sign_in(&base, "dz-court-officer")
        .credential()
        .to_string();

    let acked = Arc::new(Mutex::new(Acked::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let current = Arc::new(Mutex::new(base.clone()));
    let members = Arc::new(members);
    let mut writers = Vec::new();
    // Quiz submissions: each member starts and submits one attempt.
    for part in 0..2 {
        let (acked, stop, current, members) = (
            acked.clone(),
            stop.clone(),
            current.clone(),
            members.clone(),
        );
        writers.push(std::thread::spawn(move || {
            let mut i = part;
            while !stop.load(Ordering::SeqCst) && i < members.len() {
                let base = current.lock().unwrap().clone();
                let auth = &members[i].1;
                let Some((200, a)) = try_call(
                    &base,
                    auth,
                    "POST",
                    "/api/v1/quizzes/regulation-guide-quiz/attempts",
                    json!({}),
                ) else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let id = a["attempt_id"].as_i64().unwrap();
                if let Some((200, _)) = try_call(
                    &base,
                    auth,
                    "POST",
                    &format!("/api/v1/attempts/{id}/submit"),
                    json!({"answers": {}}),
                ) {
                    acked.lock().unwrap().submitted.push(id);
                }
                i += 2;
            }
        }));
    }
    // Registrations.
    {
        let (acked, stop, current, members) = (
            acked.clone(),
            stop.clone(),
            current.clone(),
            members.clone(),
        );
        writers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < members.len() {
                let base = current.lock().unwrap().clone();
                let (uid, auth) = &members[i];
                match try_call(
                    &base,
                    auth,
                    "POST",
                    &format!("/api/v1/events/{event}/registrations"),
                    json!({}),
                ) {
                    Some((200, _)) => {
                        acked.lock().unwrap().registered.push(*uid);
                        i += 1;
                        // Spread the registrations over all the kills.
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    Some((s, v)) => panic!("registration refused: {s} {v}"),
                    None => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }));
    }
    // Leads: reported by the joint office, acknowledged and passed on by the court.
    {
        let (acked, stop, current) = (acked.clone(), stop.clone(), current.clone());
        writers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let base = current.lock().unwrap().clone();
                let Some((200, l)) = try_call(&base, &office, "POST", "/api/v1/leads", json!({
                    "subject": {"type": "judicial_personnel", "name": "赵某", "org": "yc-court", "duty": "adjudication"},
                    "summary": "律师宴请承办法官", "details": "据反映，某律师在饭店宴请承办法官。", "occurred_on": "2026-11-01"
                })) else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let (id, reference) = (l["id"].as_i64().unwrap(), l["reference"].as_str().unwrap().to_string());
                acked.lock().unwrap().leads.push((id, reference.clone()));
                if try_call(&base, &court, "POST", &format!("/api/v1/leads/{id}/actions"), json!({"action": "acknowledge"})).map(|r| r.0) != Some(200) {
                    continue;
                }
                if let Some((200, _)) = try_call(&base, &court, "POST", &format!("/api/v1/leads/{id}/actions"), json!({"action": "pass_on"})) {
                    acked.lock().unwrap().passed_on.push(reference);
                }
            }
        }));
    }

    // Kill at random moments, restart on the same port (on another should it have been taken
    // meanwhile: the writers follow `current`).
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for _ in 0..KILLS {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(150 + (seed >> 33) % 450));
        let port = server.port();
        server.kill();
        server = ServerProcess::start(&db.url, port);
        *current.lock().unwrap() = server.base.clone();
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().expect("writer");
    }
    server.kill();

    let acked = acked.lock().unwrap();
    assert!(
        acked.submitted.len() > 10 && acked.registered.len() > 10 && acked.leads.len() > 5,
        "{}: too little got through: {} submissions, {} registrations, {} leads",
        db.label,
        acked.submitted.len(),
        acked.registered.len(),
        acked.leads.len()
    );
    block_on(async {
        let pool = store::Db::open(&db.url).await.unwrap();
        let p = &pool.pool;
        for id in &acked.submitted {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM quiz_attempts WHERE id = $1 AND submitted_at IS NOT NULL",
            )
            .bind(*id)
            .fetch_one(p)
            .await
            .unwrap();
            assert_eq!(n, 1, "{}: acknowledged submission {id} lost", db.label);
            let a: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.submitted' AND object_id = $1",
            )
            .bind(id.to_string())
            .fetch_one(p)
            .await
            .unwrap();
            assert_eq!(a, 1, "submission {id} without its audit entry");
        }
        let unaudited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM quiz_attempts q WHERE q.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'quiz.submitted' AND a.object_id = CAST(q.id AS TEXT))",
        ).fetch_one(p).await.unwrap();
        assert_eq!(unaudited, 0, "half-written submissions");
        for uid in &acked.registered {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND user_id = $2 AND status IN ('registered', 'waitlisted')")
                .bind(event).bind(*uid).fetch_one(p).await.unwrap();
            assert_eq!(
                n, 1,
                "{}: acknowledged registration of {uid} lost",
                db.label
            );
        }
        let registered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'registered'")
            .bind(event).fetch_one(p).await.unwrap();
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'")
            .bind(event).fetch_one(p).await.unwrap();
        assert!(registered <= CAPACITY, "over capacity: {registered}");
        assert!(
            waiting == 0 || registered == CAPACITY,
            "waiting while places are free"
        );
        // This event's only: the binary's living demo has registrations of its own.
        let reg_audit: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'event.registered' AND object_id = $1",
        )
        .bind(event.to_string())
        .fetch_one(p)
        .await
        .unwrap();
        assert_eq!(
            reg_audit,
            registered + waiting,
            "registrations and their audit entries"
        );
        for (id, reference) in &acked.leads {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE id = $1")
                .bind(*id)
                .fetch_one(p)
                .await
                .unwrap();
            assert_eq!(n, 1, "{}: acknowledged lead {reference} lost", db.label);
        }
        for reference in &acked.passed_on {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lead_steps s JOIN leads l ON l.id = s.lead_id WHERE l.reference = $1 AND s.hop = 2")
                .bind(reference).fetch_one(p).await.unwrap();
            assert_eq!(n, 1, "acknowledged hand-over of {reference} lost");
        }
        // Nothing half-written: every lead has its creation entry, every second hop its pass-on.
        let orphans: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'lead.created' AND a.object_id = l.reference)",
        ).fetch_one(p).await.unwrap();
        assert_eq!(orphans, 0, "leads without their audit entry");
        let orphan_hops: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM lead_steps s JOIN leads l ON l.id = s.lead_id WHERE s.hop = 2 AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'lead.pass_on' AND a.object_id = l.reference)",
        ).fetch_one(p).await.unwrap();
        assert_eq!(orphan_hops, 0, "hand-overs without their audit entry");
        pool.pool.close().await;
    });
    if db.label == "sqlite" {
        let file = store::backup::sqlite_file(&db.url);
        let verdict = block_on(store::backup::sqlite_integrity(&file)).unwrap();
        assert_eq!(verdict, "ok");
    }
    let out = server_bin()
        .args(["audit", "verify"])
        .current_dir(root())
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    eprintln!(
        "{}: {} kills; acknowledged {} submissions, {} registrations, {} leads, {} hand-overs; all present",
        db.label, KILLS, acked.submitted.len(), acked.registered.len(), acked.leads.len(), acked.passed_on.len()
    );
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    for db in databases("crash") {
        run_on(&db);
    }
}
