//! The content pages rendered once and spliced per request (`server/src/page_cache.rs`): a
//! language or a content change never serves stale text, nothing of one person's header reaches
//! another, and each response carries its own nonce. SQLite and PostgreSQL.

use crate::support::*;

const PAGE: &str = "/regulations/dazu-2021-6";

/// The nonce of the response's CSP.
fn csp_nonce(r: &Reply) -> String {
    let csp = r.header("content-security-policy").unwrap_or_default();
    csp.split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn cached_pages_follow_the_language_and_carry_their_own_nonce() {
    for db in databases("cache-lang") {
        let app = TestApp::demo(&db);
        let anon = app.anon();
        let zh = anon.page(PAGE);
        let zh_again = anon.page(PAGE);
        assert_eq!(zh.status, 200);
        assert!(
            !app.state.pages.is_empty(),
            "{}: served from the cache",
            db.label
        );
        assert!(zh.body.contains("lang=\"zh-CN\""), "{}", db.label);
        // The same bytes apart from the nonce, which differs per response and is the CSP's.
        let (n1, n2) = (csp_nonce(&zh), csp_nonce(&zh_again));
        assert!(!n1.is_empty() && n1 != n2, "{}", db.label);
        assert!(
            zh.body.contains(&n1) && zh_again.body.contains(&n2),
            "{}",
            db.label
        );
        assert_eq!(zh.body.replace(&n1, "N"), zh_again.body.replace(&n2, "N"));
        // English, then Chinese again: each language its own text.
        let en = get(&app.url(PAGE), &[("Cookie", "lang=en")]);
        assert!(en.body.contains("lang=\"en\""), "{}", db.label);
        assert_ne!(
            en.body.replace(&csp_nonce(&en), "N"),
            zh.body.replace(&n1, "N")
        );
        let zh_third = anon.page(PAGE);
        assert_eq!(
            zh_third.body.replace(&csp_nonce(&zh_third), "N"),
            zh.body.replace(&n1, "N"),
            "{}",
            db.label
        );
        // An article, the glossary and the 2015 provisions go through the cache as well.
        let before = app.state.pages.len();
        for path in [
            "/regulations/dazu-2021-6/art-3",
            "/glossary",
            "/regulations/provisions-2015",
        ] {
            assert_eq!(anon.page(path).status, 200, "{path}");
        }
        assert_eq!(app.state.pages.len(), before + 3, "{}", db.label);
        // A page that is not there is answered as before and not kept.
        assert_eq!(anon.page("/regulations/dazu-2021-6/art-999").status, 404);
        assert_eq!(app.state.pages.len(), before + 3, "{}", db.label);
    }
}

#[test]
fn nothing_of_one_persons_header_reaches_another() {
    for db in databases("cache-header") {
        let app = TestApp::demo(&db);
        let judge = app.session("judge-zhang");
        let officer = app.session("dz-court-officer");
        let anon = app.anon();
        // The judge fills the cache; the others must not see the judge.
        let judge_page = judge.page(PAGE);
        let officer_page = officer.page(PAGE);
        let anon_page = anon.page(PAGE);
        assert!(!app.state.pages.is_empty(), "{}", db.label);
        let name = |login: &str| {
            store::users::demo_accounts()
                .into_iter()
                .find(|a| a.0 == login)
                .map(|a| a.1.to_string())
                .unwrap()
        };
        let (judge_name, officer_name) = (name("judge-zhang"), name("dz-court-officer"));
        assert!(judge_page.body.contains(&judge_name), "{}", db.label);
        assert!(!judge_page.body.contains("id=\"sign-in-link\""));
        assert!(officer_page.body.contains(&officer_name), "{}", db.label);
        assert!(!officer_page.body.contains(&judge_name), "{}", db.label);
        assert!(!anon_page.body.contains(&judge_name), "{}", db.label);
        assert!(!anon_page.body.contains(&officer_name), "{}", db.label);
        assert!(
            anon_page.body.contains("id=\"sign-in-link\""),
            "{}",
            db.label
        );
        assert!(!anon_page.body.contains("id=\"bell\""), "{}", db.label);
        // The bell counts each person's own notifications.
        assert!(judge_page.body.contains("id=\"bell\""), "{}", db.label);
        // A signed-in page is never stored by caches; the anonymous one (served before the
        // caller is resolved) carries its own nonce in the page and the policy alike.
        assert_eq!(judge_page.header("cache-control"), Some("no-store"));
        let nonce_of = |r: &Reply| {
            let csp = r
                .header("content-security-policy")
                .unwrap_or("")
                .to_string();
            csp.split("'nonce-")
                .nth(1)
                .and_then(|n| n.split('\'').next())
                .map(str::to_string)
        };
        for _ in 0..2 {
            let again = anon.page(PAGE);
            assert_eq!(again.header("cache-control"), None, "{}", db.label);
            let nonce = nonce_of(&again).expect("a nonce in the policy");
            assert!(
                again.body.contains(&format!("nonce=\"{nonce}\"")),
                "{}",
                db.label
            );
            assert!(again.body.contains("id=\"sign-in-link\""));
        }
        // A session cookie that is no longer valid: the anonymous page, but marked no-store
        // as every answer to presented credentials is.
        let stale = get(
            &app.url(PAGE),
            &[("cookie", "portal_session=not-a-session")],
        );
        assert_eq!(stale.status, 200);
        assert!(stale.body.contains("id=\"sign-in-link\""), "{}", db.label);
        assert_eq!(
            stale.header("cache-control"),
            Some("no-store"),
            "{}",
            db.label
        );
    }
}

#[test]
fn a_changed_content_is_never_served_stale() {
    let db = &databases("cache-content")[0];
    let dir = std::env::temp_dir().join(format!("portal-cache-content-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("content"), &dir);
    let glossary = dir.join("glossary.toml");
    let text = std::fs::read_to_string(&glossary).unwrap();
    let first = TestApp::builder(db).content_dir(dir.clone()).start();
    let before = first.anon().page("/glossary");
    assert!(!before.body.contains("CACHE-PROBE"));
    // New content (a new start on the same database): its own pages, the running server keeps
    // serving what it loaded.
    std::fs::write(
        &glossary,
        text.replacen(
            "en = \"judicial personnel\"",
            "en = \"judicial personnel CACHE-PROBE\"",
            1,
        ),
    )
    .unwrap();
    let second = TestApp::builder(db).content_dir(dir.clone()).start();
    let en = [("Cookie", "lang=en")];
    assert!(get(&second.url("/glossary"), &en)
        .body
        .contains("CACHE-PROBE"));
    assert!(!get(&first.url("/glossary"), &en)
        .body
        .contains("CACHE-PROBE"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn assets_have_hashed_names_are_precompressed_and_immutable() {
    let db = &databases("assets")[0];
    let site = std::env::temp_dir().join(format!("portal-assets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    for (ext, text) in [
        ("css", "body{color:#123}"),
        ("js", "export default 1;"),
        ("wasm", "\0asm"),
    ] {
        std::fs::write(site.join(format!("pkg/portal.{ext}")), text.repeat(200)).unwrap();
    }
    // The build step.
    let out = server_bin()
        .arg("precompress")
        .env("LEPTOS_SITE_ROOT", &site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = TestApp::builder(db).site_root(site.clone()).start();
    let page = app.anon().page(PAGE);
    let css = page
        .body
        .split("href=\"/pkg/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(
        css.starts_with("portal.") && css.ends_with(".css") && css.len() > 20,
        "{css}"
    );
    let stem = css.trim_end_matches(".css");
    assert!(
        page.body.contains(&format!("/pkg/{stem}.js")),
        "the scripts use the same stem"
    );
    for (accept, encoding, file) in [
        ("br", Some("br"), "portal.css.br"),
        ("gzip", Some("gzip"), "portal.css.gz"),
        ("identity", None, "portal.css"),
    ] {
        let r = get_bytes(
            &app.url(&format!("/pkg/{css}")),
            &[("Accept-Encoding", accept)],
        );
        assert_eq!(r.0, 200);
        assert_eq!(
            r.1.get("content-encoding").map(String::as_str),
            encoding,
            "{accept}"
        );
        assert!(r.1["cache-control"].contains("immutable"), "{accept}");
        assert_eq!(
            r.2,
            std::fs::read(site.join("pkg").join(file)).unwrap(),
            "{accept}"
        );
    }
    // The unhashed names still answer (pages cached by browsers before a deploy).
    assert_eq!(get(&app.url("/pkg/portal.css"), &[]).status, 200);
    let _ = std::fs::remove_dir_all(&site);
}

/// Status, headers (lower-case names) and the body as sent, without decoding.
fn get_bytes(
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, std::collections::HashMap<String, String>, Vec<u8>) {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let r = req.call().unwrap();
    let heads = r
        .headers_names()
        .into_iter()
        .map(|n| {
            (
                n.to_lowercase(),
                r.header(&n).unwrap_or_default().to_string(),
            )
        })
        .collect();
    let status = r.status();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut body).unwrap();
    (status, heads, body)
}
