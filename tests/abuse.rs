//! Abuse resistance (issue 16): the client address behind a trusted reverse proxy, sign-in
//! throttling that slows guessers without locking out their neighbours, attempts counted
//! before the password check, bounded login length, hashed and purged throttle rows, the
//! forced password change, safe `next=`, throttled tips with keyed receipts and coarse times,
//! and `no-store` on personal answers. SQLite and PostgreSQL.

use std::sync::{Arc, Barrier};

use crate::events::{event_in_2030, publish_and_hold};
use crate::support::*;

use serde_json::json;

const PW: &str = DEMO_PASSWORD;

/// A sign-in over the API as if from `forwarded` behind the proxy (no header when empty).
fn login_from(app: &TestApp, forwarded: &str, login: &str, password: &str) -> Reply {
    let mut headers = vec![("Content-Type", "application/json")];
    if !forwarded.is_empty() {
        headers.push(("X-Forwarded-For", forwarded));
    }
    let body = json!({"login": login, "password": password}).to_string();
    app.anon()
        .send("POST", "/api/v1/auth/login", &headers, body.as_bytes())
}

/// A tip over the API as if from `forwarded` behind the proxy.
fn tip_from(app: &TestApp, forwarded: &str, text: &str) -> Reply {
    let body = json!({ "text": text }).to_string();
    app.anon().send(
        "POST",
        "/api/v1/tips",
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", forwarded),
        ],
        body.as_bytes(),
    )
}

#[test]
fn strangers_behind_the_same_proxy_cannot_lock_anyone_out() {
    for db in databases("abuse-proxy") {
        let app = TestApp::builder(&db)
            .demo()
            .trusted_proxies("127.0.0.1/32")
            .start();
        // 35 failed sign-ins with made-up logins from one forwarded address.
        for i in 0..35 {
            let r = login_from(&app, "203.0.113.7", &format!("nobody-{i}"), "guess");
            assert_eq!(r.status, 401, "{i}: {}", r.body);
        }
        // Another client behind the same proxy signs in at once.
        assert_eq!(login_from(&app, "198.51.100.9", "admin", PW).status, 200);
        // Even a neighbour at the guesser's own address gets in: slowed down, not locked out.
        let started = std::time::Instant::now();
        assert_eq!(login_from(&app, "203.0.113.7", "admin", PW).status, 200);
        assert!(started.elapsed() >= std::time::Duration::from_millis(900));
        // The audit names the forwarded client, not the proxy.
        let addrs: Vec<String> = app.block_on(async {
            sqlx::query_scalar::<_, String>(
                "SELECT client_addr FROM audit_log WHERE action = 'auth.token_issued' ORDER BY seq",
            )
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
        });
        assert_eq!(addrs, ["198.51.100.9", "203.0.113.7"], "{}", db.label);
        // The per-(account, address) lock stays: five wrong passwords lock this client only.
        for _ in 0..4 {
            assert_eq!(
                login_from(&app, "192.0.2.1", "prosecutor-li", "wrong").status,
                401
            );
        }
        assert_eq!(
            login_from(&app, "192.0.2.1", "prosecutor-li", "wrong").status,
            429
        );
        assert_eq!(
            login_from(&app, "192.0.2.1", "prosecutor-li", PW).status,
            429
        );
        assert_eq!(
            login_from(&app, "192.0.2.2", "prosecutor-li", PW).status,
            200
        );
    }
}

#[test]
fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    for db in databases("abuse-untrusted") {
        // No trusted proxy: the header is the client's own words and changes nothing.
        let app = TestApp::demo(&db);
        for i in 0..5 {
            let r = login_from(&app, &format!("192.0.2.{i}"), "officer-wang", "wrong");
            assert_eq!(r.status, if i < 4 { 401 } else { 429 }, "{i}");
        }
    }
}

#[test]
fn parallel_guesses_are_counted_before_any_password_is_checked() {
    for db in databases("abuse-parallel") {
        let app = TestApp::builder(&db)
            .demo()
            .trusted_proxies("127.0.0.1/32")
            .start();
        let n = 60;
        let barrier = Arc::new(Barrier::new(n));
        let base = app.base.clone();
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, base) = (barrier.clone(), base.clone());
                std::thread::spawn(move || {
                    let body = json!({"login": "prosecutor-li", "password": format!("guess-{i}")});
                    barrier.wait();
                    send(
                        "POST",
                        &format!("{base}/api/v1/auth/login"),
                        &[
                            ("Content-Type", "application/json"),
                            ("X-Forwarded-For", "203.0.113.50"),
                        ],
                        body.to_string().as_bytes(),
                    )
                    .status
                })
            })
            .collect();
        let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let evaluated = statuses.iter().filter(|s| **s == 401).count();
        assert!(
            evaluated <= 6,
            "{evaluated} guesses evaluated: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| matches!(s, 401 | 429 | 503)),
            "{statuses:?}"
        );
        let audited = app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sign_in_failed'",
            &[],
        );
        assert!(audited <= 6, "{audited} failures audited");
        // The owner, from elsewhere, is not affected.
        assert_eq!(
            login_from(&app, "198.51.100.1", "prosecutor-li", PW).status,
            200
        );
    }
}

#[test]
fn overlong_logins_are_refused_before_anything_is_counted() {
    for db in databases("abuse-long-login") {
        let app = TestApp::demo(&db);
        let huge = "x".repeat(1024 * 1024);
        for login in [huge.as_str(), &"长".repeat(65)] {
            let r = login_from(&app, "", login, PW);
            assert_eq!(r.status, 422, "{}", &r.body[..r.body.len().min(200)]);
            assert!(r.json()["error"].as_str().unwrap().contains("64"));
        }
        let form = app
            .anon()
            .form("/login", &[("login", huge.as_str()), ("password", PW)][..]);
        assert_eq!(form.status, 303);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM login_throttle", &[]), 0);
        assert_eq!(login_from(&app, "", &"x".repeat(64), PW).status, 401);
    }
}

#[test]
fn throttle_rows_hold_no_login_or_address_and_are_purged() {
    for db in databases("abuse-purge") {
        let app = TestApp::demo(&db);
        for _ in 0..2 {
            assert_eq!(login_from(&app, "", "prosecutor-li", "wrong").status, 401);
        }
        let keys: Vec<String> = app.block_on(async {
            sqlx::query_scalar::<_, String>("SELECT key FROM login_throttle")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap()
        });
        assert_eq!(keys.len(), 2, "account and address");
        for k in &keys {
            assert!(
                k.len() == 64 && k.chars().all(|c| c.is_ascii_hexdigit()),
                "{k}"
            );
        }
        // Live rows stay; rows whose window and lock have passed go.
        let db2 = app.state.db.clone();
        assert_eq!(
            app.block_on(store::throttle::purge_expired(&db2)).unwrap(),
            0
        );
        app.exec(
            "UPDATE login_throttle SET window_start = $1, locked_until = 0",
            &[1],
        );
        assert_eq!(
            app.block_on(store::throttle::purge_expired(&db2)).unwrap(),
            2
        );
        assert_eq!(app.scalar("SELECT COUNT(*) FROM login_throttle", &[]), 0);
    }
}

#[test]
fn a_password_reset_must_be_changed_before_anything_else() {
    for db in databases("abuse-must-change") {
        let app = TestApp::demo(&db);
        let page = app.session("dz-justice-officer");
        let api = app.user("dz-justice-officer");
        // The administrator resets the password: the flag is set while sessions live on.
        let id = app.user_id("dz-justice-officer");
        app.exec(
            "UPDATE users SET must_change_password = 1 WHERE id = $1",
            &[id],
        );
        for path in [
            "/leads",
            "/leads/tips",
            "/leads/dashboard",
            "/events/mine",
            "/",
        ] {
            let r = page.page(path);
            assert_eq!(r.status, 303, "{path}");
            assert_eq!(
                r.header("location"),
                Some("/account?must_change=1"),
                "{path}"
            );
        }
        for path in ["/api/v1/leads", "/api/v1/dashboard", "/api/v1/events"] {
            let r = api.api("GET", path, None);
            assert_eq!(r.status, 403, "{path}: {}", r.body);
            assert!(r.json()["error"].as_str().unwrap().contains("password"));
        }
        assert_eq!(page.page("/account").status, 200);
        assert_eq!(api.api("GET", "/api/v1/me", None).status, 200);
        // Changing it lifts the restriction.
        let r = page.form(
            "/account/password",
            &[
                ("current", PW),
                ("new", "a new long passphrase"),
                ("confirm", "a new long passphrase"),
            ][..],
        );
        assert_eq!(r.header("location"), Some("/account?status=changed"));
        assert_eq!(page.page("/leads").status, 200);
    }
}

#[test]
fn next_never_leads_off_the_site() {
    for db in databases("abuse-next") {
        let app = TestApp::demo(&db);
        let hostile = [
            "/%09/evil.example",
            "//evil.example",
            "/%5Cevil.example",
            "/%0A/evil.example",
            "https://evil.example",
            "/%2F%2Fevil.example",
            "%2F%2Fevil.example",
        ];
        for next in hostile {
            let r = app.anon().page(&format!("/lang/en?next={next}"));
            assert_eq!(r.status, 303);
            assert_eq!(r.header("location"), Some("/"), "/lang next={next}");
            let r = app.anon().form(
                "/login",
                format!("login=judge-zhang&password={PW}&next={next}"),
            );
            assert_eq!(r.header("location"), Some("/"), "/login next={next}");
        }
        let r = app.anon().page("/lang/en?next=/events%3Fview%3Dmonth");
        assert_eq!(r.header("location"), Some("/events?view=month"));
        let r = app.anon().form(
            "/login",
            format!("login=judge-zhang&password={PW}&next=/training"),
        );
        assert_eq!(r.header("location"), Some("/training"));
    }
}

#[test]
fn tips_are_throttled_per_forwarded_address() {
    for db in databases("abuse-tips") {
        let app = TestApp::builder(&db)
            .demo()
            .trusted_proxies("127.0.0.1/32")
            .start();
        let text = "我看到某法官与律师周五晚上在饭店吃饭，律师买单。";
        let statuses: Vec<u16> = (0..40)
            .map(|_| tip_from(&app, "203.0.113.7", text).status)
            .collect();
        let accepted = statuses.iter().filter(|s| **s == 200).count();
        assert!((1..=10).contains(&accepted), "{statuses:?}");
        assert_eq!(
            statuses.iter().filter(|s| **s == 429).count(),
            40 - accepted
        );
        // Another address files freely; IPv6 clients count by their /64.
        assert_eq!(tip_from(&app, "198.51.100.9", text).status, 200);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM tips", &[]),
            accepted as i64 + 1
        );
        for i in 0..10 {
            tip_from(&app, &format!("2001:db8:1:2::{i}"), text);
        }
        assert_eq!(tip_from(&app, "2001:db8:1:2:ffff::1", text).status, 429);
        assert_eq!(tip_from(&app, "2001:db8:1:3::1", text).status, 200);
        // Junk floods the queue: it is paged, and can show the oldest open tips first.
        for i in 1..=60 {
            app.block_on(async {
                sqlx::query("INSERT INTO tips (receipt_hash, created_at, body, status) VALUES ($1, $2, '较早的反映内容，十个字以上。', 'new')")
                    .bind(format!("old-{i}"))
                    .bind(i * 60_000)
                    .execute(&app.state.db.pool)
                    .await
                    .unwrap()
            });
        }
        let office = app.session("dz-justice-officer");
        let first = app.scalar("SELECT id FROM tips ORDER BY created_at, id LIMIT 1", &[]);
        let oldest = office.page("/leads/tips?order=oldest");
        assert_eq!(oldest.status, 200);
        let row = |id: i64| format!("href=\"/leads/tips/{id}\"");
        assert!(oldest.body.contains(&row(first)), "oldest first");
        let newest = office.page("/leads/tips");
        assert!(!newest.body.contains(&row(first)), "not on the first page");
        assert!(newest.body.contains("rel=\"next\""));
        let last_page = office.page("/leads/tips?page=2");
        assert!(last_page.body.contains(&row(first)));
        assert!(last_page.body.contains("rel=\"prev\""));
    }
}

#[test]
fn tips_ignore_credentials_and_keep_only_the_minute() {
    for db in databases("abuse-tip-times") {
        let app = TestApp::demo(&db);
        let judge = app.session("judge-zhang");
        // The session was last seen 90 seconds ago: a signed-in request would touch it now.
        let seen = store::now_ms() - 90_000;
        app.exec("UPDATE sessions SET last_seen_at = $1", &[seen]);
        let r = judge.api(
            "POST",
            "/api/v1/tips",
            json!({"text": "我看到某法官与律师周五晚上在饭店吃饭，律师买单。"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
        let form = judge.form(
            "/tips",
            &[("text", "另一条反映：某律师向检察官赠送购物卡。")][..],
        );
        assert_eq!(form.status, 200);
        let r = judge.api(
            "POST",
            &format!("/api/v1/tips/{receipt}/messages"),
            json!({"text": "时间是2026年10月9日晚上七点左右。"}),
        );
        assert_eq!(r.status, 200);
        assert_eq!(
            app.scalar("SELECT MAX(last_seen_at) FROM sessions", &[]),
            seen,
            "no session touched"
        );
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM tips WHERE created_at % 60000 <> 0",
                &[]
            ),
            0
        );
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM tip_messages WHERE at % 60000 <> 0",
                &[]
            ),
            0
        );
        // The page still knows who is signed in elsewhere.
        assert_eq!(judge.page("/account").status, 200);
    }
}

#[test]
fn receipts_are_keyed_with_a_secret_outside_the_database() {
    for db in databases("abuse-receipts") {
        let app = TestApp::demo(&db);
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": "我看到某法官与律师周五晚上在饭店吃饭，律师买单。"}),
        );
        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
        let stored: String = app.block_on(async {
            sqlx::query_scalar::<_, String>("SELECT receipt_hash FROM tips")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
        });
        assert_ne!(
            stored,
            store::sessions::hash_secret(&receipt),
            "not plain SHA-256"
        );
        assert!(app.state.config.tip_key_file.exists());
        // The receipt in the body; the old path keeps working.
        let by_body = app
            .anon()
            .api("POST", "/api/v1/tips/status", json!({ "receipt": receipt }));
        assert_eq!(by_body.status, 200, "{}", by_body.body);
        assert_eq!(by_body.json()["status"], "new");
        assert_eq!(
            app.anon()
                .api(
                    "POST",
                    "/api/v1/tips/status",
                    json!({"receipt": "0000000000000000"})
                )
                .status,
            404
        );
        assert_eq!(
            app.anon()
                .api("GET", &format!("/api/v1/tips/{receipt}"), None)
                .status,
            200
        );
        // A receipt stored before keys still works, and is re-stored keyed.
        let old = "1234567812345678";
        let legacy = store::sessions::hash_secret(old);
        app.block_on(async {
            sqlx::query("INSERT INTO tips (receipt_hash, created_at, body, status) VALUES ($1, 0, '旧的反映内容，十个字以上。', 'new')")
                .bind(&legacy)
                .execute(&app.state.db.pool)
                .await
                .unwrap()
        });
        let r = app
            .anon()
            .api("POST", "/api/v1/tips/status", json!({ "receipt": old }));
        assert_eq!(r.status, 200);
        let still_plain: i64 = app.block_on(async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tips WHERE receipt_hash = $1")
                .bind(&legacy)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
        });
        assert_eq!(still_plain, 0);
        assert_eq!(
            app.anon()
                .api("POST", "/api/v1/tips/status", json!({ "receipt": old }))
                .status,
            200
        );
    }
}

#[test]
fn personal_answers_are_never_stored_by_caches() {
    for db in databases("abuse-no-store") {
        let app = TestApp::demo(&db);
        let page = app.session("dz-justice-officer");
        let api = app.user("dz-justice-officer");
        for (who, path) in [
            (&page, "/leads"),
            (&page, "/leads/dashboard.csv"),
            (&page, "/account"),
            (&page, "/regulations/dazu-2021-6"),
            (&api, "/api/v1/me"),
            (&api, "/api/v1/leads"),
        ] {
            let r = if path.starts_with("/api/") {
                who.api("GET", path, None)
            } else {
                who.page(path)
            };
            assert_eq!(r.status, 200, "{path}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        }
        let r = app.anon().api("GET", "/api/v1/tips/0000000000000000", None);
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
}

#[test]
fn every_csv_export_escapes_every_text_cell() {
    for db in databases("abuse-csv") {
        let app = TestApp::demo(&db);
        // An administrator may rename units; a name can look like a formula.
        let formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        app.block_on(async {
            sqlx::query("UPDATE units SET name_zh = $1 WHERE code = 'dz-court'")
                .bind(formula)
                .execute(&app.state.db.pool)
                .await
                .unwrap()
        });
        let training = app.session("dz-court-training");
        let csv = training.page("/training-admin/reports.csv");
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(csv.body.contains("'=HYPERLINK"), "{}", csv.body);
        for line in csv.body.lines() {
            assert!(
                !line
                    .split(',')
                    .any(|cell| cell.trim_matches('"').starts_with('=')),
                "{line}"
            );
        }
    }
}

/// A spreadsheet whose list separator is `;` (common in Chinese and European settings) splits
/// cells at `;` and at line breaks: neither a `;` in a title nor a line of a summary may start
/// a formula there, nor with `,` (issue 25).
#[test]
fn csv_exports_start_no_formula_with_either_list_separator() {
    for db in databases("abuse-csv-locales") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let title = "x;=1+1;@SUM(1)";
        let mut body = event_in_2030(title, 4);
        body["rule"] = json!({"frequency": "weekly", "count": 2});
        let r = coord.api("POST", "/api/v1/event-series", body);
        assert_eq!(r.status, 200, "{}", r.body);
        let series = r.json()["id"].as_i64().unwrap();
        let r = coord.api(
            "POST",
            &format!("/api/v1/event-series/{series}/publish"),
            json!({}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let r = coord.api("POST", "/api/v1/events", event_in_2030("座谈;-2+3", 5));
        let event = r.json()["id"].as_i64().unwrap();
        publish_and_hold(&app, &coord, event);
        let summary = "第一段纪要\n=1+1;@SUM(1)\n-2\r\n+3,=4";
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{event}/summary"),
            json!({"summary": summary, "close": true}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        for path in [
            "/exchanges/plan.csv?association=dz-judges-assoc&year=2030",
            "/exchanges.csv",
        ] {
            let csv = get(&app.url(path), &[]);
            assert_eq!(csv.status, 200, "{path}");
            let rows = csv_rows(&csv.body, b',');
            let cells: Vec<&String> = rows.iter().flatten().collect();
            assert!(
                cells.iter().any(|c| c.starts_with("x;'=1+1;'@SUM(1)"))
                    || cells
                        .iter()
                        .any(|c| c.contains("第一段纪要\n'=1+1;'@SUM(1)\n'-2")),
                "{}: {path}: the text is kept, neutralised: {}",
                db.label,
                csv.body
            );
            for sep in [b',', b';'] {
                for row in csv_rows(&csv.body, sep) {
                    for cell in row {
                        let start = cell.trim_start_matches(['"', ' ']);
                        assert!(
                            !start.starts_with(['=', '+', '-', '@']),
                            "{}: {path}: a reader with {:?} sees a formula cell {cell:?}",
                            db.label,
                            sep as char
                        );
                    }
                }
            }
        }
    }
}
