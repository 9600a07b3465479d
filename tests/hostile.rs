//! Hostile input (issue 9): every user-writable text field (lead summary, details, names and
//! messages, tip text and replies, event and series title, agenda, venue, summary, cancel
//! reason and declarations, user display names, CSV import cells, search queries, quiz answers) gets script
//! injection, HTML and Markdown tricks (raw HTML, javascript: links, SVG, data: URLs), very long
//! values, control characters and invalid UTF-8. Each is stored or refused with a clear message
//! (never a 5xx), and nowhere shown as live markup. A headless browser then opens the pages that
//! show them and proves that no injected script ran.

use crate::events::{event_in_2030, publish_and_hold};
use crate::support::browser::{available, Browser};
use crate::support::*;

use serde_json::{json, Value};

/// Each sets `window.__xss` if it ever runs.
const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1><circle r=1></svg>",
    "[点此查看](javascript:window.__xss=1)",
    "<a href=\"javascript:window.__xss=1\">链接</a>",
    "<iframe src=\"data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==\"></iframe>",
    "\"><script>window.__xss=1</script><p x=\"",
    "<style>body{display:none}</style><object data=\"javascript:window.__xss=1\"></object>",
    "![x](javascript:window.__xss=1) <details open ontoggle=window.__xss=1>",
    "\u{202e}反转文本\u{202c} {{7*7}} ${7*7}",
    BREAKOUT,
];

/// Ends a text area early and sends the browser elsewhere (issue 25): the CSP stops scripts,
/// not a meta refresh, so a text area that prints its value raw lets this rewrite the page.
const BREAKOUT: &str =
    "</textarea><meta http-equiv=\"refresh\" content=\"0;url=/?breakout=1\"><b>已逃逸</b>";

/// How [`BREAKOUT`] reads inside a text area written safely.
const BREAKOUT_ESCAPED: &str = "&lt;/textarea&gt;&lt;meta http-equiv";

/// Markup that must never appear live in a page.
const LIVE: &[&str] = &[
    "<script>window.__xss",
    "<img src=x onerror",
    "<img src=\"x\" onerror",
    "<svg onload",
    "<a href=\"javascript:",
    "<img src=\"javascript:",
    "<iframe",
    "<object",
    "<details open ontoggle",
    "<style>body",
    "<meta http-equiv",
    "</textarea><meta",
];

fn assert_inert(page: &Reply, what: &str) {
    assert_ne!(page.status / 100, 5, "{what}: server error");
    for live in LIVE {
        assert!(
            !page.body.contains(live),
            "{what}: live markup {live:?} in the page"
        );
    }
}

fn ok_or_refused(r: &Reply, what: &str) {
    assert!(
        r.status < 500,
        "{what}: {} {}",
        r.status,
        &r.body[..r.body.len().min(300)]
    );
    if r.status >= 400 && r.header("content-type").is_some_and(|c| c.contains("json")) {
        let msg = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(msg.contains(" / "), "{what}: a message in zh and en: {msg}");
    }
}

/// Everything a hostile user can write, with each payload; returns ids to look at.
struct Planted {
    leads: Vec<i64>,
    events: Vec<i64>,
    tips: Vec<i64>,
    series: Vec<i64>,
}

fn plant(app: &TestApp) -> Planted {
    let office = app.user("dz-justice-officer");
    let coord = app.user("dz-judges-coordinator");
    let judge = app.user("judge-zhang");
    let admin = app.session("admin");
    let mut planted = Planted {
        leads: Vec::new(),
        events: Vec::new(),
        tips: Vec::new(),
        series: Vec::new(),
    };
    for (i, p) in PAYLOADS.iter().enumerate() {
        let r = office.api(
            "POST",
            "/api/v1/leads",
            json!({
                "subject": {"type": "judicial_personnel", "name": p, "org": "yc-court", "duty": "adjudication"},
                "summary": format!("摘要{i}{p}"), "details": format!("详情{p}"), "place": p, "occurred_on": "2026-11-01"
            }),
        );
        ok_or_refused(&r, "lead");
        if r.status == 200 {
            let id = r.json()["id"].as_i64().unwrap();
            planted.leads.push(id);
            let m = office.api(
                "POST",
                &format!("/api/v1/leads/{id}/actions"),
                json!({"action": "message", "text": p}),
            );
            ok_or_refused(&m, "lead message");
        }
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": format!("有人反映如下情况：{p}")}),
        );
        ok_or_refused(&r, "tip");
        if let Some(receipt) = r.json()["receipt"].as_str() {
            let m = app.anon().api(
                "POST",
                &format!("/api/v1/tips/{receipt}/messages"),
                json!({"text": format!("补充：{p}")}),
            );
            ok_or_refused(&m, "tip message");
        }
        let r = coord.api(
            "POST",
            "/api/v1/events",
            json!({
                "title": format!("活动{i}{p}").chars().take(100).collect::<String>(), "kind": "seminar",
                "starts_at": "2030-03-05T09:00:00+08:00", "ends_at": "2030-03-05T11:00:00+08:00",
                "venue": p, "capacity": 5, "registration_deadline": "2030-03-04T17:00:00+08:00",
                "open_to": ["dz-court"], "agenda": p
            }),
        );
        ok_or_refused(&r, "event");
        if r.status == 200 {
            let id = r.json()["id"].as_i64().unwrap();
            planted.events.push(id);
            coord.api(
                "POST",
                &format!("/api/v1/events/{id}/approval"),
                json!({"approved_by": p, "reference": p, "approved_on": "2026-11-20"}),
            );
            coord.api("POST", &format!("/api/v1/events/{id}/publish"), json!({}));
            let reg = judge.api(
                "POST",
                &format!("/api/v1/events/{id}/registrations"),
                json!({"has_case": true, "case_note": p}),
            );
            ok_or_refused(&reg, "declaration");
        }
        let r = coord.api(
            "POST",
            "/api/v1/event-series",
            json!({
                "title": format!("系列{i}{p}").chars().take(100).collect::<String>(), "kind": "seminar",
                "starts_at": "2030-04-02T09:00:00+08:00", "ends_at": "2030-04-02T11:00:00+08:00",
                "venue": p, "capacity": 5, "registration_deadline": "2030-04-01T17:00:00+08:00",
                "open_to": ["dz-court"], "agenda": p, "rule": {"frequency": "weekly", "count": 2}
            }),
        );
        ok_or_refused(&r, "series");
        if r.status == 200 {
            planted.series.push(r.json()["id"].as_i64().unwrap());
        }
        let login = format!("hostile-{i}");
        let user: &[(&str, &str)] = &[
            ("login", &login),
            ("display_name", p),
            ("unit_code", "dz-court"),
            ("temp_password", "a long temporary password"),
            ("role_member", "on"),
        ];
        let r = admin.form("/admin/users", user);
        ok_or_refused(&r, "display name");
        let search = get(
            &app.url(&format!("/search?q={}", app::layout::encode_component(p))),
            &[],
        );
        assert_inert(&search, "search");
    }
    // One event is held, and its public summary carries every payload.
    if let Some(&first) = planted.events.first() {
        app.exec(
            "UPDATE events SET starts_at = $1 WHERE id = $2",
            &[store::now_ms() - 60_000, first],
        );
        assert_eq!(
            coord
                .api("POST", &format!("/api/v1/events/{first}/held"), json!({}))
                .status,
            200
        );
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{first}/summary"),
            json!({"summary": PAYLOADS.concat(), "close": true}),
        );
        ok_or_refused(&r, "event summary");
    }
    let list: Vec<Value> = office
        .api("GET", "/api/v1/leads", json!({}))
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(list.len() >= planted.leads.len());
    let tips = office.page("/leads/tips");
    planted.tips = tip_ids(&tips.body);
    // A CSV import whose cells carry the payloads and a formula.
    let csv = format!(
        "login,display_name,unit_code,roles,initial_password\ncsv-a,\"{}\",dz-court,member,a long password\ncsv-b,=HYPERLINK(\"http://x\"),dz-court,member,a long password\n",
        PAYLOADS[1].replace('"', "\"\"")
    );
    let import: &[(&str, &str)] = &[("csv", &csv), ("confirm", "1")];
    let r = admin.form("/admin/import", import);
    ok_or_refused(&r, "csv import");
    assert_inert(&r, "csv import preview");
    planted
}

#[test]
fn hostile_text_is_stored_or_refused_and_never_live() {
    for db in databases("hostile") {
        let app = TestApp::demo(&db);
        let planted = plant(&app);
        assert!(
            !planted.leads.is_empty() && !planted.events.is_empty(),
            "{}",
            db.label
        );
        let office = app.user("dz-justice-officer");
        let coord = app.user("dz-judges-coordinator");
        let admin = app.session("admin");
        let pages: Vec<(String, Client)> = planted
            .leads
            .iter()
            .map(|id| (format!("/leads/{id}"), office.clone()))
            .chain(
                planted
                    .events
                    .iter()
                    .map(|id| (format!("/events/{id}"), coord.clone())),
            )
            .chain(
                planted
                    .tips
                    .iter()
                    .map(|id| (format!("/leads/tips/{id}"), office.clone())),
            )
            .chain(
                planted
                    .series
                    .iter()
                    .map(|id| (format!("/events/series/{id}"), coord.clone())),
            )
            // The text areas that show stored text: a tip taken up as a lead, an agenda edited.
            .chain(
                planted
                    .tips
                    .iter()
                    .map(|id| (format!("/leads/new?tip={id}"), office.clone())),
            )
            .chain(
                planted
                    .events
                    .iter()
                    .map(|id| (format!("/events/{id}/edit"), coord.clone())),
            )
            .chain([
                (
                    "/exchanges/plan?association=dz-judges-assoc&year=2030".to_string(),
                    app.anon(),
                ),
                ("/leads".to_string(), office.clone()),
                ("/leads/dashboard".to_string(), office.clone()),
                ("/events".to_string(), app.anon()),
                ("/exchanges".to_string(), app.anon()),
                ("/events/mine".to_string(), coord.clone()),
                ("/notifications".to_string(), coord.clone()),
            ])
            .collect();
        for (path, auth) in &pages {
            let r = auth.page(path);
            assert_eq!(r.status, 200, "{path}");
            assert_inert(&r, path);
        }
        let users = admin.page("/admin/users");
        assert_inert(&users, "/admin/users");
        assert!(
            users
                .body
                .contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"),
            "stored and shown as text"
        );
        // The agenda is Markdown: its links and raw HTML are cleaned, the text kept.
        let ev = get(&app.url(&format!("/events/{}", planted.events[3])), &[]);
        assert!(ev.body.contains("点此查看"), "link text kept");
        // Very long values and control characters are refused with a message, not stored.
        let long = "长".repeat(100_000);
        for (what, r) in [
            (
                "long lead",
                office.api(
                    "POST",
                    "/api/v1/leads",
                    json!({"subject": {"type": "lawyer", "name": "陈某"}, "summary": long, "details": "x"}),
                ),
            ),
            (
                "long tip",
                app.anon().api("POST", "/api/v1/tips", json!({"text": long})),
            ),
            (
                "control tip",
                app.anon().api(
                    "POST",
                    "/api/v1/tips",
                    json!({"text": "正常文字\u{0}\u{1b}[31m后面还有十个字符"}),
                ),
            ),
            (
                "control event",
                coord.api(
                    "POST",
                    "/api/v1/events",
                    json!({"title": "标题\u{7}", "kind": "seminar", "starts_at": "2030-03-05T09:00:00+08:00", "ends_at": "2030-03-05T11:00:00+08:00", "venue": "x", "capacity": 5, "registration_deadline": "2030-03-04T17:00:00+08:00", "open_to": ["dz-court"]}),
                ),
            ),
            (
                "long agenda",
                coord.api(
                    "POST",
                    "/api/v1/events",
                    json!({"title": "标题", "kind": "seminar", "starts_at": "2030-03-05T09:00:00+08:00", "ends_at": "2030-03-05T11:00:00+08:00", "venue": "x", "capacity": 5, "registration_deadline": "2030-03-04T17:00:00+08:00", "open_to": ["dz-court"], "agenda": long}),
                ),
            ),
        ] {
            assert!(
                matches!(r.status, 400 | 413 | 422),
                "{what}: {} {}",
                r.status,
                &r.body[..r.body.len().min(200)]
            );
            ok_or_refused(&r, what);
        }
        // Invalid UTF-8 in a JSON body is a clear 400.
        let mut bytes = br#"{"text": "abc"#.to_vec();
        bytes.extend([0xff, 0xfe, 0xfd]);
        bytes.extend(br#"defghijklmn"}"#);
        let r = send(
            "POST",
            &app.url("/api/v1/tips"),
            &[("Content-Type", "application/json")],
            &bytes,
        );
        assert_eq!(r.status, 400, "{}", r.body);
        ok_or_refused(&r, "invalid utf-8");
        // Quiz answers naming options that do not exist are refused.
        let judge = app.user("judge-zhang");
        let a = judge.api(
            "POST",
            "/api/v1/quizzes/regulation-guide-quiz/attempts",
            json!({}),
        );
        let id = a.json()["attempt_id"].as_i64().unwrap();
        let q = a.json()["questions"][0]["id"].as_str().unwrap().to_string();
        let r = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": {q: [PAYLOADS[0]]}}),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        ok_or_refused(&r, "quiz answer");
        let r = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": {PAYLOADS[1]: ["a"]}}),
        );
        assert_eq!(r.status, 422);
        // The CSV export keeps formulas from running in a spreadsheet.
        let csv = get(&app.url("/exchanges.csv"), &[]);
        assert_eq!(csv.status, 200);
    }
}

#[test]
fn no_injected_script_runs_in_the_browser() {
    if !available() {
        return;
    }
    let db = &databases("hostile-browser")[0];
    let app = TestApp::demo(db);
    let planted = plant(&app);
    let b = Browser::start();
    let check = |b: &Browser, path: &str| {
        b.goto(&app.url(path));
        // Give event handlers (onerror, onload, ontoggle) a moment to fire.
        std::thread::sleep(std::time::Duration::from_millis(150));
        let ran = b.script("return window.__xss === 1 || (window.frames.length > 0 && (() => { try { return window.frames[0].__xss === 1 } catch (e) { return false } })())");
        assert_eq!(ran, Value::Bool(false), "an injected script ran on {path}");
        let title = b.script("return document.title");
        assert!(title.is_string(), "{path} rendered");
    };
    // The probe sees a script that did run (control), so a clean result means something.
    b.goto(&app.url("/"));
    b.script("window.__xss = 1; return true");
    assert_eq!(b.script("return window.__xss === 1"), Value::Bool(true));
    b.sign_in(&app.url("/login"), "dz-justice-officer");
    for id in &planted.leads {
        check(&b, &format!("/leads/{id}"));
    }
    for id in planted.tips.iter().take(4) {
        check(&b, &format!("/leads/tips/{id}"));
    }
    check(&b, "/leads");
    for p in PAYLOADS.iter().take(4) {
        check(
            &b,
            &format!("/search?q={}", app::layout::encode_component(p)),
        );
    }
    b.sign_out();
    b.sign_in(&app.url("/login"), "dz-judges-coordinator");
    for id in &planted.events {
        check(&b, &format!("/events/{id}"));
    }
    for id in &planted.series {
        check(&b, &format!("/events/series/{id}"));
    }
    check(&b, "/events");
    check(&b, "/events/mine");
    check(&b, "/exchanges");
    b.sign_out();
    b.sign_in(&app.url("/login"), "admin");
    check(&b, "/admin/users");
    check(&b, "/admin/audit");
}

/// Every text area that shows stored text, each holding [`BREAKOUT`] (issue 25): a public tip
/// taken up as a lead by the joint office, a draft event's agenda in the edit form, and a held
/// event's summary on the host's panel. Returns (what, path, login) of the pages.
fn plant_text_areas(app: &TestApp) -> Vec<(&'static str, String, &'static str)> {
    let office = app.user("dz-justice-officer");
    let coord = app.user("dz-judges-coordinator");
    let r = app.anon().api(
        "POST",
        "/api/v1/tips",
        json!({"text": format!("有人反映如下情况：{BREAKOUT}")}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let tips = office.page("/leads/tips");
    let tip = tip_ids(&tips.body)[0];
    let event = |day: u32| {
        let mut body = event_in_2030("文本框测试", day);
        body["agenda"] = json!(BREAKOUT);
        let r = coord.api("POST", "/api/v1/events", body);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    };
    let draft = event(5);
    let held = event(12);
    publish_and_hold(app, &coord, held);
    let r = coord.api(
        "POST",
        &format!("/api/v1/events/{held}/summary"),
        json!({"summary": format!("纪要：{BREAKOUT}"), "close": false}),
    );
    assert_eq!(r.status, 200, "summary: {}", r.body);
    vec![
        (
            "tip taken up as a lead",
            format!("/leads/new?tip={tip}"),
            "dz-justice-officer",
        ),
        (
            "agenda in the edit form",
            format!("/events/{draft}/edit"),
            "dz-judges-coordinator",
        ),
        (
            "summary on the host's panel",
            format!("/events/{held}"),
            "dz-judges-coordinator",
        ),
    ]
}

/// A form posted with its fields: (what, login or "" for a visitor, path, fields).
type RefusedForm = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(&'static str, String)>,
);

/// The forms shown again after a refusal, each with [`BREAKOUT`] typed into its text area:
/// (what, login or "" for a visitor, path, fields).
fn refused_forms() -> Vec<RefusedForm> {
    vec![
        (
            "tip form after a refusal",
            "",
            "/tips",
            vec![("text", format!("{BREAKOUT}\u{7}"))],
        ),
        (
            "report form after a refusal",
            "dz-court-officer",
            "/leads/new",
            vec![("details", BREAKOUT.to_string()), ("action", "submit".into())],
        ),
        (
            "CSV import preview",
            "admin",
            "/admin/import",
            vec![(
                "csv",
                format!("login,display_name,unit_code,roles,initial_password\nx,\"{}\",dz-court,member,p\n", BREAKOUT.replace('"', "\"\"")),
            )],
        ),
    ]
}

#[test]
fn text_areas_keep_injected_markup_inside_them() {
    for db in databases("textarea") {
        let app = TestApp::demo(&db);
        for (what, path, login) in plant_text_areas(&app) {
            let r = app.session(login).page(&path);
            assert_eq!(r.status, 200, "{}: {what}", db.label);
            assert_inert(&r, what);
            assert!(
                r.body.contains(BREAKOUT_ESCAPED),
                "{}: {what}: the text is in its text area, escaped",
                db.label
            );
        }
        for (what, login, path, fields) in refused_forms() {
            let client = if login.is_empty() {
                app.anon()
            } else {
                app.session(login)
            };
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = client.form(path, &fields[..]);
            assert!(r.status < 500, "{what}: {}", r.status);
            assert_inert(&r, what);
            assert!(
                r.body.contains(BREAKOUT_ESCAPED),
                "{}: {what}: shown again, escaped",
                db.label
            );
        }
    }
}

/// In Chromium: no text area lets [`BREAKOUT`] navigate the page, neither with stored text nor
/// in a form shown again after a refusal.
#[test]
fn a_text_area_never_sends_the_browser_elsewhere() {
    if !available() {
        return;
    }
    let db = &databases("textarea-browser")[0];
    let app = TestApp::demo(db);
    let pages = plant_text_areas(&app);
    let b = Browser::start();
    let stays = |b: &Browser, what: &str| {
        // A meta refresh of 0 s navigates as soon as it is parsed; give it time to.
        std::thread::sleep(std::time::Duration::from_millis(700));
        let url = b.current_url();
        assert!(!url.contains("breakout"), "{what}: navigated to {url}");
        assert_eq!(
            b.script("return document.querySelectorAll('meta[http-equiv]').length"),
            json!(0),
            "{what}: a meta element came out of the text"
        );
        assert_eq!(
            b.script("return [...document.querySelectorAll('textarea')].some(t => t.value.includes('</textarea><meta http-equiv'))"),
            Value::Bool(true),
            "{what}: the text area holds the text as it was written"
        );
    };
    let mut signed_in = "";
    for (what, path, login) in &pages {
        if signed_in != *login {
            if !signed_in.is_empty() {
                b.sign_out();
            }
            b.sign_in(&app.url("/login"), login);
            signed_in = login;
        }
        b.goto(&app.url(path));
        stays(&b, what);
    }
    b.sign_out();
    // The public tip form, refused (a control character) and shown again with the text.
    b.goto(&app.url("/tips"));
    let typed = serde_json::to_string(&format!("{BREAKOUT}\u{7}")).unwrap();
    b.script(&format!(
        "const t = document.getElementById('tip-text'); t.value = {typed}; t.form.submit(); return true"
    ));
    b.wait_until(10, "the refused tip form", |b| {
        b.script("return !!document.getElementById('error-summary')") == true
    });
    stays(&b, "tip form after a refusal");
}
