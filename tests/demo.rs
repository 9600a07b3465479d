//! The living demo (issue 17): a fresh start with the demo seeds a portal that looks used
//! (upcoming events, the public register, leads across R1–R10 at every stage, tips, training),
//! the same content on two fresh databases and on both backends when the clock is pinned,
//! nothing twice on restart, and a verifiable audit chain.

use crate::support::*;

use serde_json::Value;
use sqlx::Row;

/// What the demo holds, without ids, creation times or random tokens: one line per row.
const CONTENT: &[&str] = &[
    "SELECT host_unit, title, kind, status, starts_at, ends_at, capacity, registration_deadline, flags, summary FROM events ORDER BY starts_at, title",
    "SELECT e.title, u.login, r.status, r.attended, r.has_case FROM event_registrations r JOIN events e ON e.id = r.event_id JOIN users u ON u.id = r.user_id ORDER BY e.title, u.login",
    "SELECT reference, discoverer_unit, created_at, status, rule, manual, route, subject_name, subject_org, summary, occurred_on, warnings, closed_at FROM leads ORDER BY reference",
    "SELECT l.reference, s.hop, s.sender_unit, s.receiver_unit, s.sent_at, s.acknowledged_at, s.passed_on_at FROM lead_steps s JOIN leads l ON l.id = s.lead_id ORDER BY l.reference, s.hop",
    "SELECT l.reference, e.kind, e.unit, e.author_name, e.at, e.body, e.outcomes FROM lead_entries e JOIN leads l ON l.id = e.lead_id ORDER BY l.reference, e.at, e.kind",
    "SELECT body, status FROM tips ORDER BY body",
    "SELECT t.body, m.from_office, m.author_name, m.body FROM tip_messages m JOIN tips t ON t.id = m.tip_id ORDER BY t.body, m.at, m.id",
    "SELECT u.login, p.lesson_id, p.completed_at FROM lesson_progress p JOIN users u ON u.id = p.user_id ORDER BY u.login, p.lesson_id",
    "SELECT u.login, a.quiz_id, a.started_at, a.submitted_at, a.score, a.max_score, a.passed, a.mode FROM quiz_attempts a JOIN users u ON u.id = a.user_id ORDER BY u.login, a.quiz_id, a.started_at",
    "SELECT u.login, c.course_id, c.issued_at, c.expires_at FROM certificates c JOIN users u ON u.id = c.user_id ORDER BY u.login, c.course_id",
    "SELECT a.unit_code, a.course_id, a.target, a.due_at, a.created_at FROM training_assignments a ORDER BY a.course_id",
    "SELECT action, object_type, actor_login FROM audit_log ORDER BY seq",
];

/// The demo's content as text lines, read with the server's own pool.
fn content(app: &TestApp) -> Vec<String> {
    let db = app.state.db.clone();
    app.block_on(async move {
        let mut out = Vec::new();
        for sql in CONTENT {
            for row in sqlx::query(sql).fetch_all(&db.pool).await.unwrap() {
                let cells: Vec<String> = (0..row.len())
                    .map(|i| {
                        row.try_get::<Option<String>, _>(i)
                            .map(|v| format!("{v:?}"))
                            .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| row.try_get::<Option<f64>, _>(i).map(|v| format!("{v:?}")))
                            .unwrap_or_else(|e| panic!("{sql}: column {i}: {e}"))
                    })
                    .collect();
                out.push(cells.join(" | "));
            }
        }
        out
    })
}

/// Fails on the first line where `a` and `b` differ (the whole content is long).
fn assert_same(a: &[String], b: &[String], what: &str) {
    if let Some((x, y)) = a.iter().zip(b).find(|(x, y)| x != y) {
        panic!("{what}:\n  {x}\n  {y}");
    }
    assert_eq!(a.len(), b.len(), "{what}: {} and {} rows", a.len(), b.len());
}

fn verify_chain(app: &TestApp) -> i64 {
    let db = app.state.db.clone();
    match app.block_on(async move { store::audit::verify_chain(&db, None).await.unwrap() }) {
        store::audit::Verdict::Intact { entries, .. } => entries,
        broken => panic!("audit chain broken: {broken:?}"),
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn a_fresh_demo_looks_used() {
    for db in databases("demo_used") {
        let app = TestApp::living_demo(&db);
        let anon = app.anon();

        // At least three upcoming events, one of them full with a waitlist.
        let events = anon.api("GET", "/api/v1/events", None).json();
        let events = events.as_array().expect("event list");
        assert!(
            events.len() >= 3,
            "{}: {} upcoming events",
            db.label,
            events.len()
        );
        let page = anon.page("/events");
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("暂无即将举办的活动"),
            "{}: empty event list",
            db.label
        );
        assert!(
            app.scalar(
                "SELECT COUNT(*) FROM event_registrations WHERE status = 'waitlisted'",
                &[]
            ) >= 1,
            "{}: nobody on a waitlist",
            db.label
        );
        assert!(
            app.scalar("SELECT COUNT(*) FROM events WHERE status = 'draft' AND flags LIKE '%outside_working_hours%' AND approval_by IS NULL", &[]) >= 1,
            "{}: no event waiting for its approval",
            db.label
        );

        // The public register: at least one held exchange, with attendance.
        let register = anon.api("GET", "/api/v1/exchanges", None).json();
        let register = register.as_array().expect("register");
        assert!(!register.is_empty(), "{}: empty register", db.label);
        assert!(
            register
                .iter()
                .any(|e| e["participants"].as_object().is_some_and(|p| p
                    .values()
                    .filter_map(Value::as_i64)
                    .sum::<i64>()
                    >= 2)),
            "{}: no attendance in the register: {register:?}",
            db.label
        );
        assert!(anon.page("/exchanges").body.contains("法官与律师同堂培训"));
        assert!(
            register
                .iter()
                .any(|e| e["hosts"].as_array().is_some_and(|h| h.len() == 2)),
            "{}: no co-hosted exchange",
            db.label
        );
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM event_cohosts WHERE status = 'pending'",
                &[]
            ),
            1,
            "{}: no invitation to answer",
            db.label
        );

        // The joint office's dashboard: ten leads and more, across states and every rule.
        let office = app.user("dz-justice-officer");
        let d = office.api("GET", "/api/v1/dashboard", None);
        assert_eq!(d.status, 200, "{}", d.body);
        let d = d.json();
        assert!(d["total"].as_u64().unwrap() >= 10, "{}: {d}", db.label);
        let states = strings(&d, "by_status");
        assert!(
            ["open", "closed", "manual"]
                .iter()
                .all(|s| states.contains(&s.to_string())),
            "{}: states {states:?}",
            db.label
        );
        let rules = strings(&d, "by_rule");
        for r in 1..=10 {
            assert!(
                rules.contains(&format!("R{r}")),
                "{}: no R{r} in {rules:?}",
                db.label
            );
        }
        assert!(
            d["overdue_cases"].as_u64().unwrap() >= 2,
            "{}: {d}",
            db.label
        );
        assert!(d["exchanges"]["upcoming"].as_i64().unwrap() >= 3);
        assert!(office.page("/leads/dashboard").body.contains("R10"));
        // One case finished through an organ outside the portal: its letter, then closed.
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM lead_entries e JOIN leads l ON l.id = e.lead_id WHERE e.kind = 'external_reply' AND e.source_unit = 'rc-court' AND l.status = 'closed'",
                &[]
            ),
            1,
            "{}",
            db.label
        );

        // A receiving unit sees its own cases only, and has some waiting.
        let court = app.user("dz-court-officer");
        let inbox = court.api("GET", "/api/v1/leads", None).json();
        let n = inbox
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| inbox["leads"].as_array().map(Vec::len).unwrap_or_default());
        assert!(
            n >= 3 && (n as u64) < d["total"].as_u64().unwrap(),
            "{}: court sees {n}",
            db.label
        );

        // Tips with replies, in the joint office's queue.
        assert_eq!(app.scalar("SELECT COUNT(*) FROM tips", &[]), 4);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM tips t JOIN leads l ON l.id = t.lead_id WHERE t.status = 'converted'", &[]),
            1,
            "{}: no tip taken up as a lead",
            db.label
        );
        assert!(
            app.scalar(
                "SELECT COUNT(*) FROM tip_messages WHERE from_office = 1",
                &[]
            ) >= 2
        );
        let tips = app.session("dz-justice-officer").page("/leads/tips");
        assert_eq!(tips.status, 200);
        assert!(
            tips.body.contains("answered") || tips.body.contains("已答复"),
            "{}",
            db.label
        );

        // Training: lessons, a failed and a passed exam, certificates, an overdue assignment.
        assert!(app.scalar("SELECT COUNT(*) FROM lesson_progress", &[]) >= 5);
        assert!(
            app.scalar(
                "SELECT COUNT(*) FROM quiz_attempts WHERE passed = 0 AND submitted_at IS NOT NULL",
                &[]
            ) >= 1
        );
        assert!(app.scalar("SELECT COUNT(*) FROM certificates", &[]) >= 3);
        let now = chrono::Utc::now().timestamp_millis();
        assert!(
            app.scalar(
                "SELECT COUNT(*) FROM training_assignments WHERE due_at < $1",
                &[now]
            ) >= 1
        );
        let status_of = |login: &str| -> Vec<String> {
            let r = app
                .user(login)
                .api("GET", "/api/v1/assignments", None)
                .json();
            r["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["status"].as_str().unwrap().to_string())
                .collect()
        };
        assert!(status_of("dz-court-officer").contains(&"overdue".to_string()));
        assert!(status_of("judge-zhang").contains(&"done".to_string()));

        assert!(verify_chain(&app) > 50, "{}: few audit entries", db.label);
    }
}

#[test]
fn the_demo_is_deterministic_idempotent_and_audited() {
    // One pinned instant for every database: the content must then be identical.
    let now = chrono::Utc::now().timestamp_millis();
    let mut seen: Vec<(&str, Vec<String>)> = Vec::new();
    for db in databases("demo_same") {
        let twin = fresh_like(&db, "demo_twin");
        let first = TestApp::builder(&db).living_demo(now).start();
        let a = content(&first);
        let entries = verify_chain(&first);
        drop(first);
        let b = content(&TestApp::builder(&twin).living_demo(now).start());
        assert_same(&a, &b, &format!("{}: two fresh databases differ", db.label));

        // A restart seeds nothing twice (the real clock this time) and the chain still holds.
        let again = TestApp::builder(&db)
            .living_demo(chrono::Utc::now().timestamp_millis())
            .start();
        assert_eq!(
            content(&again),
            a,
            "{}: a restart changed the demo",
            db.label
        );
        assert_eq!(verify_chain(&again), entries, "{}", db.label);
        let (ok, out) = server_cmd(&db.url, &["audit", "verify"]);
        assert!(ok, "{}: server audit verify: {out}", db.label);
        seen.push((db.label, a));
    }
    // SQLite and PostgreSQL hold the same demo.
    if let [(l1, a), (l2, b)] = &seen[..] {
        assert_same(a, b, &format!("{l1} and {l2} differ"));
    }
}

#[test]
fn a_portal_in_use_is_left_alone() {
    for db in databases("demo_in_use") {
        // A portal with the demo accounts that people already use (here: one public tip).
        let app = TestApp::demo(&db);
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            serde_json::json!({"text": "一条真实的反映，不属于演示数据。"}),
        );
        assert_eq!(r.status / 100, 2, "{}", r.body);
        drop(app);
        let app = TestApp::living_demo(&db);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM tips", &[]),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM events", &[]),
            0,
            "{}",
            db.label
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM leads", &[]),
            0,
            "{}",
            db.label
        );
    }
}

#[test]
fn the_server_binary_seeds_it_once_with_portal_demo() {
    for db in databases("demo_binary") {
        let count = |base: &str, path: &str| {
            get(&format!("{base}{path}"), &[])
                .json()
                .as_array()
                .map(Vec::len)
                .unwrap_or_default()
        };
        let mut server = ServerProcess::start(&db.url, free_port());
        let events = count(&server.base, "/api/v1/events");
        assert!(events >= 3, "{}: {events} upcoming events", db.label);
        assert!(
            count(&server.base, "/api/v1/exchanges") >= 1,
            "{}",
            db.label
        );
        server.kill();
        // Killed and started again: nothing seeded twice.
        let server = ServerProcess::start(&db.url, free_port());
        assert_eq!(
            count(&server.base, "/api/v1/events"),
            events,
            "{}",
            db.label
        );
        drop(server);
        let (ok, out) = server_cmd(&db.url, &["audit", "verify"]);
        assert!(ok, "{}: {out}", db.label);
    }
}
