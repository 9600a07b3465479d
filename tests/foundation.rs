//! The foundation: health, the shell in both languages, the language switch, 404s, the unit
//! directory, compression, body limits and start-up failures. Every test runs on SQLite and,
//! when configured, PostgreSQL.

use crate::support::*;

#[test]
fn healthz_answers_once_the_database_does() {
    for db in databases("health") {
        let app = TestApp::start(&db);
        let r = get(&app.url("/healthz"), &[]);
        assert_eq!(r.status, 200, "{}", db.label);
        assert_eq!(r.body, "ok");
    }
}

#[test]
fn home_page_is_chinese_by_default_and_english_on_request() {
    for db in databases("shell") {
        let app = TestApp::start(&db);
        let zh = get(&app.url("/"), &[]);
        assert_eq!(zh.status, 200);
        assert!(
            zh.body.contains(r#"<html lang="zh-CN""#),
            "{}",
            &zh.body[..200.min(zh.body.len())]
        );
        assert!(zh.body.contains("大足区司法人员与律师交往规范平台"));
        for label in ["法规", "培训", "交流活动", "线索通报"] {
            assert!(zh.body.contains(label), "nav {label}");
        }
        assert!(zh.body.contains(r#"href="/lang/en?next=/""#));
        let en = get(&app.url("/"), &[("Cookie", "lang=en")]);
        assert!(en.body.contains(r#"<html lang="en""#));
        assert!(en.body.contains("Dazu Judicial–Lawyer Conduct Portal"));
        assert!(en.body.contains(">Regulations<"));
        assert!(en.body.contains(r#"href="/lang/zh?next=/""#));
    }
}

#[test]
fn language_switch_sets_a_cookie_and_returns_to_the_page() {
    let db = &databases("lang")[0];
    let app = TestApp::start(db);
    let r = get(
        &app.url("/lang/en?next=/regulations/dazu-2021-6%23art-7"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/regulations/dazu-2021-6#art-7"));
    let cookie = r.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("lang=en;") && cookie.contains("Path=/"),
        "{cookie}"
    );
    // Never an open redirect.
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let r = get(
            &app.url(&format!(
                "/lang/zh?next={}",
                evil.replace('/', "%2F").replace('\\', "%5C")
            )),
            &[],
        );
        assert_eq!(r.header("location"), Some("/"), "{evil}");
    }
    assert_eq!(get(&app.url("/lang/fr"), &[]).status, 404);
}

#[test]
fn unknown_paths_get_the_404_page() {
    for db in databases("notfound") {
        let app = TestApp::start(&db);
        for path in ["/no-such-page", "/regulations/unknown", "/pkg/none.js"] {
            let r = get(&app.url(path), &[]);
            assert_eq!(r.status, 404, "{path}");
        }
        let r = get(&app.url("/no-such-page"), &[]);
        assert!(r.body.contains("页面不存在"), "{}", r.body);
        let r = get(&app.url("/no-such-page"), &[("Cookie", "lang=en")]);
        assert!(r.body.contains("Page not found"));
    }
}

#[test]
fn the_directory_is_seeded_once_and_queryable() {
    for db in databases("directory") {
        let app = TestApp::start(&db);
        let units = app.block_on(async {
            let store = store::Db::open(&db.url).await.unwrap();
            // A second start must not seed again.
            assert_eq!(store::units::seed_directory(&store).await.unwrap(), 0);
            store::units::load_directory(&store).await.unwrap()
        });
        assert_eq!(units.units().len(), 31, "{}", db.label);
        let yc = units.get("yc-procuratorate").unwrap();
        assert_eq!(yc.name_zh, "重庆市永川区人民检察院");
        assert_eq!(yc.kind, domain::directory::UnitKind::Procuratorate);
        assert_eq!(yc.level, domain::directory::Level::District);
        assert_eq!(
            units.get("cq-court-1").unwrap().parent.as_deref(),
            Some("cq-high-court")
        );
        assert_eq!(
            units
                .home_unit(domain::directory::UnitKind::JusticeBureau)
                .unwrap()
                .code,
            "dz-justice"
        );
    }
}

#[test]
fn responses_are_compressed_and_carry_security_headers() {
    let db = &databases("gzip")[0];
    let app = TestApp::start(db);
    let r = send(
        "GET",
        &app.url("/regulations/dazu-2021-6"),
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let r = get(&app.url("/"), &[]);
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.header("referrer-policy").is_some());
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert!(
        r.header("strict-transport-security").is_none(),
        "no HSTS without TLS"
    );
    // A fresh nonce per response, carried by the hydration script and nothing else inline.
    let csp = r.header("content-security-policy").unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    assert!(r
        .body
        .contains(&format!(r#"<script type="module" nonce="{nonce}">"#)));
    let scripts = r.body.matches("<script").count();
    assert_eq!(
        scripts,
        r.body.matches(&format!(r#"nonce="{nonce}""#)).count(),
        "every script carries the nonce"
    );
    let again = get(&app.url("/"), &[]);
    assert_ne!(
        again.header("content-security-policy").unwrap(),
        csp,
        "nonces are not reused"
    );
}

#[test]
fn oversized_bodies_are_refused_before_they_are_read() {
    use std::io::{Read, Write};
    let db = &databases("limit")[0];
    let app = TestApp::start(db);
    // Announce a 3 MiB body and send none of it: the limit answers from the header alone.
    let mut s = std::net::TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    s.write_all(b"POST /lang/en HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 3145728\r\nConnection: close\r\n\r\n").unwrap();
    let mut head = [0u8; 64];
    let n = s.read(&mut head).unwrap();
    let line = String::from_utf8_lossy(&head[..n]);
    assert!(line.starts_with("HTTP/1.1 413"), "{line}");
}

#[test]
fn a_database_that_cannot_be_opened_stops_the_server_with_one_clear_line() {
    let bad_dir = scratch_dir("baddb").join("file-not-dir");
    std::fs::write(&bad_dir, b"x").unwrap();
    for (url, expect) in [
        (
            format!("sqlite://{}/portal.db", bad_dir.display()),
            bad_dir.display().to_string(),
        ),
        (
            "mysql://localhost/x".to_string(),
            "DATABASE_URL must start with".to_string(),
        ),
    ] {
        let out = server_bin()
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("PORTAL_CONTENT_DIR", root().join("content"))
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.starts_with("server: cannot start"))
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(line.contains(&expect), "{line}");
    }
}

#[test]
fn broken_content_stops_the_server_naming_the_file_and_line() {
    let dir = scratch_dir("badcontent");
    let reg = dir.join("regulations/dazu-2021-6");
    std::fs::create_dir_all(&reg).unwrap();
    std::fs::copy(
        root().join("content/regulations/dazu-2021-6/source.txt"),
        reg.join("source.txt"),
    )
    .unwrap();
    std::fs::write(
        reg.join("en.toml"),
        "unofficial_note = \"x\"\ndoc_number = = 3\n",
    )
    .unwrap();
    let out = server_bin()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite", dir.display()),
        )
        .env("PORTAL_CONTENT_DIR", &dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("en.toml:2"), "{stderr}");
}
