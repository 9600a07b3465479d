//! The API's contract (issue 26, first part): every 4xx body carries a stable code (and the
//! field at fault), codes do not tell apart what the portal hides, unknown JSON fields are
//! refused by name, and the OpenAPI document and the list of codes are snapshots, so any
//! change to the contract shows in review.

use crate::events::event_in_2030;
use crate::support::*;

use serde_json::{json, Value};

fn error_of(r: &Reply) -> (u16, Value) {
    assert!(
        r.header("content-type").is_some_and(|c| c.contains("json")),
        "{} {}",
        r.status,
        r.body
    );
    (r.status, r.json())
}

#[test]
fn every_api_refusal_carries_a_stable_code() {
    for db in databases("api-codes") {
        let app = TestApp::demo(&db);
        let office = app.user("dz-justice-officer");
        let court = app.user("dz-court-officer");
        let coord = app.user("dz-judges-coordinator");
        let check = |r: Reply, status: u16, code: &str, field: Option<&str>| {
            let (s, body) = error_of(&r);
            assert_eq!(
                (s, body["code"].as_str()),
                (status, Some(code)),
                "{}: {body}",
                db.label
            );
            assert_eq!(body["field"].as_str(), field, "{body}");
            let message = body["error"].as_str().unwrap_or_default();
            assert!(message.contains(" / "), "zh and en: {message}");
        };
        // A lead nobody may see and one that does not exist answer the same.
        let lead = office.api(
            "POST",
            "/api/v1/leads",
            json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "dz-court", "duty": "adjudication"}, "summary": "代码", "details": "d"}),
        );
        assert_eq!(lead.status, 200, "{}", lead.body);
        let id = lead.json()["id"].as_i64().unwrap();
        let hidden = app
            .user("yc-court-officer")
            .api("GET", &format!("/api/v1/leads/{id}"), None);
        let missing = court.api("GET", "/api/v1/leads/999999", None);
        assert_eq!(
            (hidden.status, &hidden.body),
            (missing.status, &missing.body)
        );
        check(missing, 404, "not_found", None);
        // A wrong password and an unknown login answer the same.
        let login = |l: &str| {
            app.anon().api(
                "POST",
                "/api/v1/auth/login",
                json!({"login": l, "password": "not the password"}),
            )
        };
        let (wrong, unknown) = (login("judge-zhang"), login("nobody-here"));
        assert_eq!(wrong.body, unknown.body);
        check(wrong, 401, "auth.invalid", None);
        check(
            app.anon().api("GET", "/api/v1/me", None),
            401,
            "auth.required",
            None,
        );
        // The field at fault, named.
        check(
            office.api(
                "POST",
                "/api/v1/leads",
                json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "dz-court", "duty": "adjudication"}, "summary": "", "details": "d"}),
            ),
            422,
            "lead.input.required",
            Some("summary"),
        );
        check(
            coord.api("POST", "/api/v1/events", event_in_2030(&"x".repeat(101), 5)),
            422,
            "event.too_long",
            Some("title"),
        );
        check(
            app.anon()
                .api("POST", "/api/v1/tips", json!({"text": "太短"})),
            422,
            "tip.too_short",
            None,
        );
        // Malformed requests.
        check(
            send(
                "POST",
                &app.url("/api/v1/tips"),
                &[("Content-Type", "application/json")],
                b"{\"text\": ",
            ),
            400,
            "request.malformed_json",
            None,
        );
        check(
            send(
                "POST",
                &app.url("/api/v1/tips"),
                &[("Content-Type", "text/plain")],
                b"x",
            ),
            400,
            "request.not_json",
            None,
        );
        check(
            send(
                "POST",
                &app.url("/api/v1/tips"),
                &[
                    ("Content-Type", "application/json"),
                    ("Origin", "http://evil.example"),
                ],
                b"{}",
            ),
            403,
            "request.cross_site",
            None,
        );
        // What the layers below the API answer carries a code too.
        // A 3 MiB body announced and not sent: the limit answers from the header alone.
        let answer = raw_http(
            &app.base,
            b"POST /api/v1/tips HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3145728\r\nConnection: close\r\n\r\n",
            10,
        );
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(
            answer.contains("\"code\":\"request.too_large\""),
            "{answer}"
        );
        let r = send("DELETE", &app.url("/api/v1/tips"), &[], b"");
        assert!(
            r.header("allow").is_some_and(|a| a.contains("POST")),
            "{:?}",
            r.headers
        );
        check(r, 405, "request.method_not_allowed", None);
        // Every code met here is one the document lists.
        let doc = app.anon().api("GET", "/api/v1/openapi.json", None).json();
        let listed = doc["components"]["schemas"]["Error"]["properties"]["code"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for code in [
            "not_found",
            "auth.invalid",
            "lead.input.required",
            "event.too_long",
            "tip.too_short",
            "request.unknown_field",
            "event.registration.deadline_passed",
        ] {
            assert!(listed.contains(code), "{code} in the document");
        }
    }
}

#[test]
fn unknown_json_fields_are_refused_by_name() {
    for db in databases("api-unknown-fields") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        // "freq" for "frequency": refused by name, not read as a rule left out.
        let r = coord.api("POST", "/api/v1/event-series", {
            let mut body = event_in_2030("季度座谈", 5);
            body["rule"] = json!({"freq": "weekly", "count": 2});
            body
        });
        let (status, body) = error_of(&r);
        assert_eq!(status, 422, "{}: {body}", db.label);
        assert_eq!(body["code"], "request.unknown_field");
        assert_eq!(body["field"], "rule.freq");
        assert!(body["error"].as_str().unwrap().contains("rule.freq"));
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": "有人反映如下情况，请核实处理。", "reporter": "张三"}),
        );
        let (status, body) = error_of(&r);
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("reporter")),
            "{body}"
        );
        // Nothing was stored by the refused requests.
        assert_eq!(
            coord
                .api("GET", "/api/v1/events", None)
                .json()
                .as_array()
                .map(Vec::len),
            Some(0)
        );
        // The same request with the right names is accepted.
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": "有人反映如下情况，请核实处理。"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

/// The OpenAPI document and the list of error codes, as snapshots under `tests/snapshots`: a
/// change to either shows in review (`cargo insta review`, or `INSTA_UPDATE=always`).
#[test]
fn the_contract_is_a_snapshot() {
    let db = &databases("api-snapshot")[0];
    let app = TestApp::demo(db);
    let doc = app.anon().api("GET", "/api/v1/openapi.json", None).json();
    insta::assert_json_snapshot!("openapi", doc);
    let codes: Vec<String> = server::api::codes::all().into_iter().collect();
    insta::assert_snapshot!("error_codes", codes.join("\n"));
}

/// The two route lists agree: every path a feature mounts is a Leptos route (the page the
/// feature answers itself) or one of the answers that are not pages; every Leptos route is
/// mounted by a feature or is one of the library pages Leptos renders alone.
#[test]
fn the_mounted_pages_and_the_leptos_routes_agree() {
    /// Mounted answers that are not pages of the app (files, feeds, redirects, health).
    const NOT_PAGES: &[&str] = &[
        "/healthz",
        "/lang/{code}",
        "/calendar/{file}",
        "/events.ics",
        "/exchanges.csv",
        "/exchanges/plan.csv",
        "/leads/dashboard.csv",
        "/training-admin/report.csv",
        "/training-admin/reports.csv",
        "/leads/{id}/attachments/{att}",
        "/leads/{id}/attachments",
    ];
    let leptos: std::collections::BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    let mounted: std::collections::BTreeSet<String> =
        server::routes::features().paths().into_iter().collect();
    let stray: Vec<&String> = mounted
        .iter()
        .filter(|p| !leptos.contains(*p) && !NOT_PAGES.contains(&p.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "mounted, neither a Leptos route nor listed: {stray:?}\nleptos: {leptos:?}"
    );
    // The library's reading pages and the sign-in page, rendered by Leptos with the loaded
    // corpus as context (the sign-in form's POST is mounted beside it).
    const LEPTOS_ONLY: &[&str] = &[
        "/glossary",
        "/login",
        "/regulations/dazu-2021-6",
        "/regulations/dazu-2021-6/compare",
        "/regulations/dazu-2021-6/en",
        "/regulations/dazu-2021-6/{article}",
        "/regulations/provisions-2015",
    ];
    let alone: Vec<&str> = leptos
        .iter()
        .filter(|p| !mounted.contains(*p))
        .map(String::as_str)
        .collect();
    assert_eq!(alone, LEPTOS_ONLY, "Leptos routes no feature mounts");
    for p in NOT_PAGES {
        assert!(mounted.contains(*p), "{p} is listed but not mounted");
    }
}
