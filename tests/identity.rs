//! Identity and trust: demo accounts, sign-in without user enumeration, throttling, session
//! cookies and rotation, expiry, API tokens and revocation, CSRF refusal, password change, the
//! administrator command and the tamper-evident audit chain. SQLite and PostgreSQL.

use crate::support::*;

use serde_json::json;
use store::audit::{verify_chain, Verdict};

const PW: &str = DEMO_PASSWORD;

fn api_login(app: &TestApp, login: &str, password: &str) -> Reply {
    app.anon().api(
        "POST",
        "/api/v1/auth/login",
        json!({"login": login, "password": password}),
    )
}

fn form_login(app: &TestApp, login: &str, password: &str) -> Reply {
    app.anon().form(
        "/login",
        format!("login={login}&password={password}&next=%2Fregulations%2Fdazu-2021-6"),
    )
}

fn session_cookie(r: &Reply) -> String {
    let c = r.header("set-cookie").expect("set-cookie");
    c.split(';').next().unwrap().to_string()
}

#[test]
fn every_demo_account_signs_in_and_sees_itself() {
    for db in databases("demo") {
        let app = TestApp::demo(&db);
        for (login, _, unit, roles) in store::users::demo_accounts() {
            let r = api_login(&app, login, PW);
            assert_eq!(r.status, 200, "{login} on {}: {}", db.label, r.body);
            let token = r.json()["token"].as_str().unwrap().to_string();
            let me = get(
                &app.url("/api/v1/me"),
                &[("Authorization", &format!("Bearer {token}"))],
            )
            .json();
            assert_eq!(me["login"], login);
            assert_eq!(me["unit_code"].as_str(), unit);
            assert_eq!(me["roles"].as_array().unwrap().len(), roles.len());
            assert!(me.get("password_hash").is_none());
        }
    }
}

#[test]
fn without_demo_no_account_has_a_known_password() {
    let db = &databases("nodemo")[0];
    let app = TestApp::start(db);
    for (login, ..) in store::users::demo_accounts() {
        assert_eq!(api_login(&app, login, PW).status, 401);
    }
}

#[test]
fn sign_in_does_not_reveal_whether_a_login_exists() {
    for db in databases("enum") {
        let app = TestApp::demo(&db);
        let unknown = api_login(&app, "nobody-here", "wrong-password-1");
        let wrong = api_login(&app, "judge-zhang", "wrong-password-1");
        assert_eq!(unknown.status, 401);
        assert_eq!(wrong.status, 401);
        assert_eq!(unknown.body, wrong.body);
        let page_unknown = form_login(&app, "nobody-here", "x");
        let page_wrong = form_login(&app, "judge-zhang", "x");
        assert_eq!(
            page_unknown.header("location"),
            page_wrong.header("location")
        );
        assert!(page_wrong
            .header("location")
            .unwrap()
            .starts_with("/login?error=invalid"));
    }
}

#[test]
fn repeated_failures_are_throttled_with_a_clear_wait() {
    for db in databases("throttle") {
        let app = TestApp::demo(&db);
        for _ in 0..4 {
            assert_eq!(
                api_login(&app, "prosecutor-li", "not-the-password").status,
                401
            );
        }
        let fifth = api_login(&app, "prosecutor-li", "not-the-password");
        assert_eq!(fifth.status, 429, "{}", fifth.body);
        assert!(fifth.json()["error"].as_str().unwrap().contains("15 分钟"));
        // While locked, even the right password waits; the lock names the minutes.
        let right = api_login(&app, "prosecutor-li", PW);
        assert_eq!(right.status, 429);
        assert!(right.json()["error"].as_str().unwrap().contains("minutes"));
        // Another account from the same address is not affected.
        assert_eq!(api_login(&app, "officer-wang", PW).status, 200);
        // The lock expires: age it and the account signs in again.
        app.block_on(async {
            let s = store::Db::open(&db.url).await.unwrap();
            sqlx::query("UPDATE login_throttle SET locked_until = 0")
                .execute(&s.pool)
                .await
                .unwrap();
        });
        assert_eq!(api_login(&app, "prosecutor-li", PW).status, 200);
    }
}

#[test]
fn browser_sessions_rotate_expire_and_end_at_sign_out() {
    for db in databases("session") {
        let app = TestApp::demo(&db);
        let r = form_login(&app, "judge-zhang", PW);
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), Some("/regulations/dazu-2021-6"));
        let set = r.header("set-cookie").unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"),
            "{set}"
        );
        let c1 = session_cookie(&r);
        let c2 = session_cookie(&form_login(&app, "judge-zhang", PW));
        assert_ne!(c1, c2, "a new session id at every sign-in");
        let me = get(&app.url("/api/v1/me"), &[("Cookie", &c1)]);
        assert_eq!(me.json()["login"], "judge-zhang");
        let page = get(&app.url("/"), &[("Cookie", &c1)]);
        assert!(page.body.contains("张法官"), "header shows the user");
        // Sign out ends that session only.
        let out = send("POST", &app.url("/logout"), &[("Cookie", &c1)], b"");
        assert_eq!(out.status, 303);
        assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
        assert_eq!(get(&app.url("/api/v1/me"), &[("Cookie", &c1)]).status, 401);
        assert_eq!(get(&app.url("/api/v1/me"), &[("Cookie", &c2)]).status, 200);
        // Idle too long: the session is gone.
        app.block_on(async {
            let s = store::Db::open(&db.url).await.unwrap();
            sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 10800000")
                .execute(&s.pool)
                .await
                .unwrap();
        });
        assert_eq!(get(&app.url("/api/v1/me"), &[("Cookie", &c2)]).status, 401);
    }
}

#[test]
fn api_tokens_can_be_listed_and_revoked() {
    for db in databases("tokens") {
        let app = TestApp::demo(&db);
        let t1 = api_login(&app, "lawyer-chen", PW).json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let t2 = api_login(&app, "lawyer-chen", PW).json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let auth1 = format!("Bearer {t1}");
        let list = get(&app.url("/api/v1/me/tokens"), &[("Authorization", &auth1)]).json();
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert!(!list.to_string().contains(&t1), "secrets are never listed");
        // Revoke t2 from t1's listing.
        let id2 = &store::sessions::hash_secret(&t2)[..12];
        let r = send(
            "POST",
            &app.url(&format!("/api/v1/me/tokens/{id2}/revoke")),
            &[("Authorization", &auth1)],
            b"",
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            get(
                &app.url("/api/v1/me"),
                &[("Authorization", &format!("Bearer {t2}"))]
            )
            .status,
            401
        );
        // Another user's token id is "not found".
        let other = api_login(&app, "judge-zhang", PW).json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let other_id = &store::sessions::hash_secret(&other)[..12];
        assert_eq!(
            send(
                "POST",
                &app.url(&format!("/api/v1/me/tokens/{other_id}/revoke")),
                &[("Authorization", &auth1)],
                b""
            )
            .status,
            404
        );
        // Logging out with a token revokes it.
        assert_eq!(
            send(
                "POST",
                &app.url("/api/v1/auth/logout"),
                &[("Authorization", &auth1)],
                b""
            )
            .status,
            200
        );
        assert_eq!(
            get(&app.url("/api/v1/me"), &[("Authorization", &auth1)]).status,
            401
        );
        assert_eq!(
            get(
                &app.url("/api/v1/me"),
                &[("Authorization", "Bearer nonsense")]
            )
            .status,
            401
        );
    }
}

#[test]
fn cross_site_writes_are_refused() {
    let db = &databases("csrf")[0];
    let app = TestApp::demo(db);
    let cookie = session_cookie(&form_login(&app, "judge-zhang", PW));
    for headers in [
        vec![
            ("Cookie", cookie.as_str()),
            ("Origin", "http://evil.example"),
        ],
        vec![
            ("Cookie", cookie.as_str()),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        vec![("Cookie", cookie.as_str()), ("Sec-Fetch-Site", "same-site")],
    ] {
        let r = send("POST", &app.url("/logout"), &headers, b"");
        assert_eq!(r.status, 403, "{headers:?}");
        assert!(r.json()["error"].as_str().unwrap().contains("cross-site"));
    }
    assert_eq!(
        get(&app.url("/api/v1/me"), &[("Cookie", &cookie)]).status,
        200,
        "session survived"
    );
    let host = app.base.trim_start_matches("http://").to_string();
    let same = send(
        "POST",
        &app.url("/logout"),
        &[
            ("Cookie", &cookie),
            ("Origin", &app.base),
            ("Host", &host),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        b"",
    );
    assert_eq!(same.status, 303);
}

#[test]
fn malformed_api_requests_get_json_errors() {
    let db = &databases("badjson")[0];
    let app = TestApp::start(db);
    let url = app.url("/api/v1/auth/login");
    for (ct, body, status) in [
        ("application/json", &b"{not json"[..], 400),
        ("text/plain", &b"{}"[..], 400),
        (
            "application/json",
            &b"{\"login\": 5, \"password\": \"x\"}"[..],
            422,
        ),
        ("application/json", &b"\xff\xfe"[..], 400),
    ] {
        let r = send("POST", &url, &[("Content-Type", ct)], body);
        assert_eq!(r.status, status, "{ct} {:?}: {}", body, r.body);
        assert!(r.json()["error"].as_str().is_some());
    }
    assert_eq!(get(&app.url("/api/v1/nothing-here"), &[]).status, 404);
}

#[test]
fn password_change_ends_other_sessions() {
    for db in databases("pwchange") {
        let app = TestApp::demo(&db);
        let a = session_cookie(&form_login(&app, "officer-wang", PW));
        let b = session_cookie(&form_login(&app, "officer-wang", PW));
        let form = |current: &str, new: &str, confirm: &str| {
            let body = format!("current={current}&new={new}&confirm={confirm}");
            send(
                "POST",
                &app.url("/account/password"),
                &[
                    ("Cookie", &a),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                body.as_bytes(),
            )
        };
        assert_eq!(
            form("wrong-pass-1", "a brand new secret", "a brand new secret").header("location"),
            Some("/account?error=current")
        );
        assert_eq!(
            form(PW, "12345678", "12345678").header("location"),
            Some("/account?error=common")
        );
        assert_eq!(
            form(PW, "short", "short").header("location"),
            Some("/account?error=short")
        );
        assert_eq!(
            form(PW, "a brand new secret", "another one here").header("location"),
            Some("/account?error=mismatch")
        );
        assert_eq!(
            form(PW, "a brand new secret", "a brand new secret").header("location"),
            Some("/account?status=changed")
        );
        assert_eq!(
            get(&app.url("/api/v1/me"), &[("Cookie", &a)]).status,
            200,
            "the changing session stays"
        );
        assert_eq!(
            get(&app.url("/api/v1/me"), &[("Cookie", &b)]).status,
            401,
            "other sessions end"
        );
        assert_eq!(api_login(&app, "officer-wang", PW).status, 401);
        assert_eq!(
            api_login(&app, "officer-wang", "a brand new secret").status,
            200
        );
    }
}

#[test]
fn create_admin_command_makes_a_working_administrator() {
    let db = &databases("createadmin")[0];
    let run = |pw: &str| {
        server_bin()
            .args(["create-admin", "--login", "root-admin"])
            .env("DATABASE_URL", &db.url)
            .env("PORTAL_CONTENT_DIR", root().join("content"))
            .env("PORTAL_ADMIN_PASSWORD", pw)
            .output()
            .unwrap()
    };
    let weak = run("12345678");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));
    let ok = run("a long admin password");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let app = TestApp::start(db);
    let r = api_login(&app, "root-admin", "a long admin password");
    assert_eq!(r.status, 200);
    let me = get(
        &app.url("/api/v1/me"),
        &[(
            "Authorization",
            &format!("Bearer {}", r.json()["token"].as_str().unwrap()),
        )],
    )
    .json();
    assert_eq!(me["roles"], json!(["admin"]));
}

fn audited_app(db: &TestDb) -> (TestApp, store::Db) {
    let app = TestApp::demo(db);
    api_login(&app, "judge-zhang", PW);
    api_login(&app, "judge-zhang", "wrong-password-1");
    api_login(&app, "nobody", "wrong-password-1");
    api_login(&app, "lawyer-chen", PW);
    let store = app.block_on(store::Db::open(&db.url)).unwrap();
    (app, store)
}

#[test]
fn audit_chain_is_intact_and_records_sign_ins_without_secrets() {
    for db in databases("audit") {
        let (app, s) = audited_app(&db);
        let verdict = app.block_on(verify_chain(&s, None)).unwrap();
        let Verdict::Intact { entries, head } = verdict else {
            panic!("{verdict:?}")
        };
        assert!(entries >= 5, "{entries}");
        let all = app
            .block_on(store::audit::list(
                &s,
                &store::audit::Filter {
                    limit: 100,
                    ..Default::default()
                },
            ))
            .unwrap();
        let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"auth.token_issued") && actions.contains(&"auth.sign_in_failed"),
            "{actions:?}"
        );
        let text = format!("{all:?}");
        assert!(
            !text.contains(PW) && !text.contains("wrong-password-1"),
            "no passwords in the trail"
        );
        // The exported head anchors the chain.
        assert_eq!(
            app.block_on(verify_chain(&s, Some(&head))).unwrap(),
            Verdict::Intact {
                entries,
                head: head.clone()
            }
        );
    }
}

#[test]
fn audit_tampering_is_detected_edit_delete_reorder_truncate() {
    for db in databases("tamper") {
        type Tamper = fn() -> Vec<&'static str>;
        let cases: [(&str, Tamper, i64); 3] = [
            (
                "edit",
                || vec!["UPDATE audit_log SET detail = 'forged' WHERE seq = 2"],
                2,
            ),
            ("delete", || vec!["DELETE FROM audit_log WHERE seq = 3"], 3),
            (
                "reorder",
                || {
                    vec![
                        "UPDATE audit_log SET seq = 1000 WHERE seq = 2",
                        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                        "UPDATE audit_log SET seq = 3 WHERE seq = 1000",
                    ]
                },
                2,
            ),
        ];
        for (name, sqls, first_bad) in cases {
            let fresh = fresh_like(&db, name);
            let (app, s) = audited_app(&fresh);
            app.block_on(async {
                for sql in sqls() {
                    sqlx::query(sql).execute(&s.pool).await.unwrap();
                }
            });
            match app.block_on(verify_chain(&s, None)).unwrap() {
                Verdict::Broken { seq, .. } => assert_eq!(seq, first_bad, "{name} on {}", db.label),
                v => panic!("{name} not detected on {}: {v:?}", db.label),
            }
        }
        // A truncated tail (head rewritten too) is caught against an exported anchor.
        let fresh = fresh_like(&db, "truncate");
        let (app, s) = audited_app(&fresh);
        let Verdict::Intact { entries, head } = app.block_on(verify_chain(&s, None)).unwrap()
        else {
            panic!()
        };
        app.block_on(async {
            let prev: String = sqlx::query_scalar("SELECT prev_hash FROM audit_log WHERE seq = $1")
                .bind(entries)
                .fetch_one(&s.pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM audit_log WHERE seq = $1")
                .bind(entries)
                .execute(&s.pool)
                .await
                .unwrap();
            sqlx::query("UPDATE audit_head SET seq = seq - 1, hash = $1")
                .bind(prev)
                .execute(&s.pool)
                .await
                .unwrap();
        });
        assert!(
            matches!(
                app.block_on(verify_chain(&s, None)).unwrap(),
                Verdict::Intact { .. }
            ),
            "without an anchor a clean cut looks whole"
        );
        assert!(
            matches!(
                app.block_on(verify_chain(&s, Some(&head))).unwrap(),
                Verdict::Broken { .. }
            ),
            "the anchor catches it"
        );
        // And the command says so.
        let out = server_bin()
            .args(["audit", "verify", "--anchor", &head])
            .env("DATABASE_URL", &fresh.url)
            .env("PORTAL_CONTENT_DIR", root().join("content"))
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("BROKEN"));
    }
}

#[test]
fn tokens_are_listed_and_revoked_from_the_account_page() {
    let db = &databases("account-tokens")[0];
    let app = TestApp::demo(db);
    let token = api_login(&app, "dz-bar-officer", PW).json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = session_cookie(&form_login(&app, "dz-bar-officer", PW));
    let page = get(&app.url("/account"), &[("Cookie", &cookie)]);
    let id = &store::sessions::hash_secret(&token)[..12];
    assert!(page.body.contains(id), "token listed by id");
    assert!(!page.body.contains(&token), "never the secret");
    let r = send(
        "POST",
        &app.url(&format!("/account/tokens/{id}/revoke")),
        &[("Cookie", &cookie)],
        b"",
    );
    assert_eq!(r.header("location"), Some("/account?status=revoked"));
    assert_eq!(
        get(
            &app.url("/api/v1/me"),
            &[("Authorization", &format!("Bearer {token}"))]
        )
        .status,
        401
    );
    assert_eq!(
        send(
            "POST",
            &app.url(&format!("/account/tokens/{id}/revoke")),
            &[("Cookie", &cookie)],
            b""
        )
        .status,
        404
    );
}
