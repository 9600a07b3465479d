//! Administration and the authorisation matrix: every page and API route so far against each
//! demo role and an anonymous visitor, user management, the all-or-nothing CSV import, and
//! audited denials. SQLite and PostgreSQL.

use crate::support::*;

use serde_json::json;

/// Expected outcome of a request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    Ok,
    /// Redirect to the sign-in page.
    Login,
    /// Redirect elsewhere (a form's result).
    Redirect,
    NotFound,
    Unauthorized,
}

fn classify(r: &Reply) -> Want {
    match r.status {
        200 => Want::Ok,
        303 if r
            .header("location")
            .is_some_and(|l| l.starts_with("/login")) =>
        {
            Want::Login
        }
        303 => Want::Redirect,
        404 => Want::NotFound,
        401 => Want::Unauthorized,
        s => panic!("unexpected status {s}: {}", r.body),
    }
}

#[test]
fn authorisation_matrix() {
    use Want::*;
    // Columns: anonymous, admin, dz-justice-officer (joint office), dz-court-training,
    // dz-judges-coordinator, judge-zhang (member).
    let who = [
        "",
        "admin",
        "dz-justice-officer",
        "dz-court-training",
        "dz-judges-coordinator",
        "judge-zhang",
    ];
    let table: &[(&str, &str, &str, [Want; 6])] = &[
        ("GET", "/", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/regulations/dazu-2021-6",
            "",
            [Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "GET",
            "/regulations/dazu-2021-6/en",
            "",
            [Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        ("GET", "/login", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/account", "", [Login, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/admin",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/admin/users",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/admin/units",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/admin/import",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/admin/audit",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/admin/users",
            "login=x1&display_name=X&temp_password=a+long+password&role_member=on",
            [Login, Redirect, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/admin/users/1",
            "display_name=X&role_admin=on",
            [Login, Redirect, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/admin/users/13/reset-password",
            "temp_password=a+long+password",
            [Login, Redirect, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/admin/units/dz-court",
            "name_zh=重庆市大足区人民法院&name_en=Dazu+Court",
            [Login, Redirect, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/admin/import",
            "csv=x",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        ("GET", "/api/v1/me", "", [Unauthorized, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/api/v1/me/tokens",
            "",
            [Unauthorized, Ok, Ok, Ok, Ok, Ok],
        ),
        ("GET", "/api/v1/openapi.json", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/search?q=%E7%BA%BF%E7%B4%A2",
            "",
            [Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        ("GET", "/glossary", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/events", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/events.ics", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/exchanges", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/exchanges.csv", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/events/new",
            "",
            [Login, NotFound, NotFound, NotFound, Ok, NotFound],
        ),
        ("GET", "/events/mine", "", [Login, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/notifications", "", [Login, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/admin/venues",
            "",
            [Login, Ok, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/api/v1/notifications",
            "",
            [Unauthorized, Ok, Ok, Ok, Ok, Ok],
        ),
        (
            "GET",
            "/regulations/dazu-2021-6/art-7",
            "",
            [Ok, Ok, Ok, Ok, Ok, Ok],
        ),
        ("GET", "/tips", "", [Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/leads", "", [Login, Ok, Ok, Ok, Ok, Ok]),
        (
            "GET",
            "/leads/new",
            "",
            [Login, NotFound, Ok, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/leads/dashboard",
            "",
            [Login, NotFound, Ok, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/leads/tips",
            "",
            [Login, NotFound, Ok, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/leads/1",
            "",
            [Login, NotFound, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "POST",
            "/leads/1/action",
            "action=acknowledge",
            [Login, NotFound, NotFound, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/api/v1/leads",
            "",
            [Unauthorized, NotFound, Ok, NotFound, NotFound, NotFound],
        ),
        (
            "GET",
            "/api/v1/leads/1",
            "",
            [
                Unauthorized,
                NotFound,
                NotFound,
                NotFound,
                NotFound,
                NotFound,
            ],
        ),
        (
            "GET",
            "/api/v1/dashboard",
            "",
            [Unauthorized, NotFound, Ok, NotFound, NotFound, NotFound],
        ),
    ];
    for db in databases("matrix") {
        let app = TestApp::demo(&db);
        let clients: Vec<Client> = who
            .iter()
            .map(|w| {
                if w.is_empty() {
                    app.anon()
                } else {
                    app.session(w)
                }
            })
            .collect();
        for (method, path, body, wants) in table {
            for (i, want) in wants.iter().enumerate() {
                let r = if *method == "GET" {
                    clients[i].page(path)
                } else {
                    clients[i].form(path, *body)
                };
                assert_eq!(
                    classify(&r),
                    *want,
                    "{method} {path} as {:?} on {}",
                    who[i],
                    db.label
                );
            }
        }
        // The route preview is public; its JSON body is checked in tests/leads.rs.
        for c in &clients {
            let r = c.api(
                "POST",
                "/api/v1/leads/route-preview",
                json!({"discoverer": "dz-justice", "subject": {"type": "lawyer"}}),
            );
            assert_eq!(r.status, 200);
        }
        // Denials are audited.
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        let denied = app
            .block_on(store::audit::list(
                &s,
                &store::audit::Filter {
                    action: Some("authz.denied".into()),
                    limit: 500,
                    ..Default::default()
                },
            ))
            .unwrap();
        assert!(denied
            .iter()
            .any(|e| e.actor_login.as_deref() == Some("judge-zhang")
                && e.object_id.as_deref() == Some("/admin/users")));
    }
}

#[test]
fn administrators_manage_users_and_resets_force_a_change() {
    for db in databases("usermgmt") {
        let app = TestApp::demo(&db);
        let admin = app.session("admin");
        let r = admin.form("/admin/users", "login=clerk-zhou&display_name=周书记员&unit_code=dz-court&temp_password=first+temp+pass&role_member=on&role_lead_handler=on");
        assert_eq!(r.header("location"), Some("/admin/users?status=created"));
        for (body, err) in [
            (
                "login=clerk-zhou&display_name=Again&temp_password=first+temp+pass",
                "login",
            ),
            (
                "login=bad login&display_name=X&temp_password=first+temp+pass",
                "login",
            ),
            (
                "login=ok1&display_name=&temp_password=first+temp+pass",
                "name",
            ),
            (
                "login=ok2&display_name=X&unit_code=nowhere&temp_password=first+temp+pass",
                "unit",
            ),
            (
                "login=ok3&display_name=X&temp_password=12345678",
                "password",
            ),
        ] {
            let r = admin.form("/admin/users", body);
            assert_eq!(
                r.header("location"),
                Some(format!("/admin/users?error={err}").as_str()),
                "{body}"
            );
        }
        // The new user must change the temporary password first.
        let r = app
            .anon()
            .form("/login", "login=clerk-zhou&password=first+temp+pass");
        assert_eq!(r.header("location"), Some("/account?must_change=1"));
        let clerk = r
            .header("set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            classify(&get(&app.url("/admin/users"), &[("Cookie", &clerk)])),
            Want::Redirect
        );
        let page = admin.page("/admin/users");
        assert!(page.body.contains("周书记员") && page.body.contains("clerk-zhou"));
        // Disable: sessions end and sign-in fails.
        let id = app.block_on(async {
            store::users::find_credentials(&store::Db::open(&db.url).await.unwrap(), "clerk-zhou")
                .await
                .unwrap()
                .unwrap()
                .user
                .id
        });
        let r = admin.form(
            &format!("/admin/users/{id}"),
            "display_name=周书记员&unit_code=dz-court&role_member=on&disabled=on",
        );
        assert_eq!(r.header("location"), Some("/admin/users?status=saved"));
        assert_eq!(
            get(&app.url("/api/v1/me"), &[("Cookie", &clerk)]).status,
            401
        );
        // An administrator cannot lock themselves out.
        let admin_id = app.block_on(async {
            store::users::find_credentials(&store::Db::open(&db.url).await.unwrap(), "admin")
                .await
                .unwrap()
                .unwrap()
                .user
                .id
        });
        assert_eq!(
            admin
                .form(
                    &format!("/admin/users/{admin_id}"),
                    "display_name=A&role_member=on"
                )
                .header("location"),
            Some("/admin/users?error=self")
        );
        // Reset a member's password: the old one stops working and the new one forces a change.
        let judge = app.block_on(async {
            store::users::find_credentials(&store::Db::open(&db.url).await.unwrap(), "judge-zhang")
                .await
                .unwrap()
                .unwrap()
                .user
                .id
        });
        assert_eq!(
            admin
                .form(
                    &format!("/admin/users/{judge}/reset-password"),
                    "temp_password=reset+by+admin+1"
                )
                .header("location"),
            Some("/admin/users?status=reset")
        );
        let r = app
            .anon()
            .form("/login", "login=judge-zhang&password=demo-pass-2021");
        assert!(r
            .header("location")
            .unwrap()
            .starts_with("/login?error=invalid"));
        let r = app
            .anon()
            .form("/login", "login=judge-zhang&password=reset+by+admin+1");
        assert_eq!(r.header("location"), Some("/account?must_change=1"));
        // Units: names can change, codes cannot be invented.
        assert_eq!(
            admin
                .form(
                    "/admin/units/dz-court",
                    "name_zh=大足区法院&name_en=Dazu+Court&parent_code="
                )
                .header("location"),
            Some("/admin/units?status=saved")
        );
        assert_eq!(
            admin
                .form("/admin/units/xx-none", "name_zh=甲&name_en=A")
                .status,
            404
        );
        let units = admin.page("/admin/units");
        assert!(units.body.contains("大足区法院"));
        // Every change is in the trail.
        let audit = admin.page("/admin/audit?action=admin.user_created");
        assert!(audit.body.contains("login=clerk-zhou"), "{}", db.label);
        assert!(audit.body.contains("chain intact"));
    }
}

#[test]
fn csv_import_is_all_or_nothing_with_row_errors() {
    for db in databases("import") {
        let app = TestApp::demo(&db);
        let admin = app.session("admin");
        let header = "login,display_name,unit_code,roles,initial_password";
        let bad = format!("{header}\nnew-a,甲,dz-court,member,a long password\nnew-b,乙,xx-unit,member,a long password\njudge-zhang,丙,dz-court,member,a long password\n");
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        let r = admin.form("/admin/import", format!("csv={}&confirm=1", enc(&bad)));
        assert_eq!(r.status, 200, "a bad file is shown again, not imported");
        assert!(
            r.body.contains("未知单位代码 xx-unit") && r.body.contains("已存在"),
            "row errors shown"
        );
        let logins = app.block_on(async {
            store::users::all_logins(&store::Db::open(&db.url).await.unwrap())
                .await
                .unwrap()
        });
        assert!(
            !logins.contains(&"new-a".to_string()),
            "nothing written on {}",
            db.label
        );
        // A valid file: preview first, then the confirm imports every row.
        let good = format!("\u{feff}{header}\nnew-a,甲,dz-court,member,a long password\nnew-b,乙,dz-bar,member;coordinator,another long one\n");
        let preview = admin.form("/admin/import", format!("csv={}", enc(&good)));
        assert!(preview.body.contains("import-confirm") && preview.body.contains("new-b"));
        let logins = app.block_on(async {
            store::users::all_logins(&store::Db::open(&db.url).await.unwrap())
                .await
                .unwrap()
        });
        assert!(
            !logins.contains(&"new-a".to_string()),
            "preview writes nothing"
        );
        let done = admin.form("/admin/import", format!("csv={}&confirm=1", enc(&good)));
        assert_eq!(
            done.header("location"),
            Some("/admin/users?status=imported")
        );
        let r = app
            .anon()
            .form("/login", "login=new-b&password=another+long+one");
        assert_eq!(r.header("location"), Some("/account?must_change=1"));
        // Multipart upload of a file works the same way.
        let boundary = "XBOUNDARYX";
        let file = format!("{header}\nnew-c,丁,dz-psb,,yet another password\n");
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n");
        let r = admin.send(
            "POST",
            "/admin/import",
            &[(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            )],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200);
        assert!(r.body.contains("new-c") && r.body.contains("import-confirm"));
    }
}
