//! Scale-out (issue 8): two server processes on one PostgreSQL database. A sign-in on one is
//! honoured by the other (sessions and tokens live in the database), and simultaneous
//! registrations and double submissions spread over both keep the capacity and
//! submit-once guarantees. PostgreSQL only (several SQLite servers on one file is not a
//! supported deployment).

use crate::support::*;

use std::sync::{Arc, Barrier};

use serde_json::{json, Value};

fn call(base: &str, auth: &str, method: &str, path: &str, body: Value) -> Reply {
    Client::authorized(base, auth).api(method, path, body)
}

#[test]
fn two_servers_share_sessions_and_keep_the_guarantees() {
    let Some(db) = databases("scaleout")
        .into_iter()
        .find(|d| d.label == "postgres")
    else {
        eprintln!("note: no PostgreSQL, scale-out not tested");
        return;
    };
    let a = ServerProcess::start(&db.url, free_port());
    let b = ServerProcess::start(&db.url, free_port());
    // A token from one server works on the other; so does a browser session.
    let r = call(
        &a.base,
        "",
        "POST",
        "/api/v1/auth/login",
        json!({"login": "judge-zhang", "password": DEMO_PASSWORD}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let token = format!("Bearer {}", r.json()["token"].as_str().unwrap());
    let me = call(&b.base, &token, "GET", "/api/v1/me", json!({}));
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["login"], "judge-zhang");
    let form = send(
        "POST",
        &format!("{}/login", b.base),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("login=dz-justice-officer&password={DEMO_PASSWORD}").as_bytes(),
    );
    let cookie = form
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let inbox = get(&format!("{}/leads", a.base), &[("Cookie", cookie.as_str())]);
    assert_eq!(inbox.status, 200);
    assert!(
        inbox.body.contains("id=\"current-user\""),
        "signed in on the other server"
    );
    // Signing out on one ends the session on both.
    let out = call(&b.base, &token, "POST", "/api/v1/auth/logout", json!({}));
    assert_eq!(out.status / 100, 2);
    assert_eq!(
        call(&a.base, &token, "GET", "/api/v1/me", json!({})).status,
        401
    );

    // 60 members, each with a token, register at once through both servers for 10 places.
    let tokens: Vec<String> = add_members(&db.url, "scale", 60)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let coord = call(
        &a.base,
        "",
        "POST",
        "/api/v1/auth/login",
        json!({"login": "dz-judges-coordinator", "password": DEMO_PASSWORD}),
    );
    let coord = format!("Bearer {}", coord.json()["token"].as_str().unwrap());
    let ev = call(
        &a.base,
        &coord,
        "POST",
        "/api/v1/events",
        json!({
            "title": "两台服务器", "kind": "seminar", "starts_at": "2030-03-05T09:00:00+08:00",
            "ends_at": "2030-03-05T11:00:00+08:00", "venue": "大足区人民法院第一会议室", "capacity": 10,
            "registration_deadline": "2030-03-04T17:00:00+08:00", "open_to": ["dz-court"]
        }),
    );
    let event = ev.json()["id"].as_i64().unwrap();
    assert_eq!(
        call(
            &b.base,
            &coord,
            "POST",
            &format!("/api/v1/events/{event}/publish"),
            json!({})
        )
        .status,
        200
    );
    let barrier = Arc::new(Barrier::new(tokens.len()));
    let handles: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let base = if i % 2 == 0 {
                a.base.clone()
            } else {
                b.base.clone()
            };
            let (t, barrier) = (t.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                call(
                    &base,
                    &t,
                    "POST",
                    &format!("/api/v1/events/{event}/registrations"),
                    json!({}),
                )
            })
        })
        .collect();
    let replies: Vec<Reply> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(replies.iter().all(|r| r.status == 200));
    let registered = replies
        .iter()
        .filter(|r| r.json()["status"] == "registered")
        .count();
    assert_eq!(registered, 10);
    assert_eq!(replies.len() - registered, 50);

    // Each member starts an attempt on one server and submits it on both at once.
    let attempts: Vec<(String, i64)> = tokens
        .iter()
        .take(30)
        .enumerate()
        .map(|(i, t)| {
            let base = if i % 2 == 0 { &a.base } else { &b.base };
            let r = call(
                base,
                t,
                "POST",
                "/api/v1/quizzes/regulation-guide-quiz/attempts",
                json!({}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            (t.clone(), r.json()["attempt_id"].as_i64().unwrap())
        })
        .collect();
    let barrier = Arc::new(Barrier::new(attempts.len() * 2));
    let handles: Vec<_> = attempts
        .iter()
        .flat_map(|(t, id)| {
            [
                (t.clone(), *id, a.base.clone()),
                (t.clone(), *id, b.base.clone()),
            ]
        })
        .map(|(t, id, base)| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                call(
                    &base,
                    &t,
                    "POST",
                    &format!("/api/v1/attempts/{id}/submit"),
                    json!({"answers": {}}),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        30,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        30,
        "{statuses:?}"
    );
    let url = db.url.clone();
    let (submitted, audited) = block_on(async move {
        let pool = store::Db::open(&url).await.unwrap();
        // The members' attempts only: the binary's living demo has attempts of its own.
        let s: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM quiz_attempts q JOIN users u ON u.id = q.user_id WHERE q.submitted_at IS NOT NULL AND u.login LIKE 'scale-%'",
        )
        .fetch_one(&pool.pool)
        .await
        .unwrap();
        let a: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.submitted' AND actor_login LIKE 'scale-%'",
        )
        .fetch_one(&pool.pool)
        .await
        .unwrap();
        (s, a)
    });
    assert_eq!((submitted, audited), (30, 30));
}
