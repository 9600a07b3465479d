//! Lead routing over the API: the route preview matches the rules of `lead-routing.md` for the
//! examples of `interfaces.md`, and bad input is a clear 4xx.

mod common;
use common::*;

use serde_json::{json, Value};

fn preview(app: &TestApp, body: Value) -> Reply {
    send(
        "POST",
        &app.url("/api/v1/leads/route-preview"),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

#[test]
fn route_preview_follows_articles_7_and_8() {
    for db in databases("preview") {
        let app = TestApp::start(&db);
        let r = preview(
            &app,
            json!({"discoverer": "dz-justice", "subject": {"type": "judicial_personnel", "org": "yc-court"}}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["rule"], "R3");
        assert_eq!(v["basis"], "Art. 7(3)");
        assert_eq!(v["manual"], false);
        assert_eq!(v["routes"], json!([["dz-justice", "dz-court", "yc-court"]]));
        assert!(v["reason"].as_str().unwrap().contains("移交"));

        let v = preview(
            &app,
            json!({"discoverer": "dz-court", "subject": {"type": "lawyer"}}),
        )
        .json();
        assert_eq!(v["rule"], "R7");
        assert_eq!(
            v["routes"],
            json!([
                ["dz-court", "dz-justice"],
                ["dz-court", "dz-bar", "dz-justice"]
            ])
        );

        let v = preview(&app, json!({"discoverer": "dz-justice", "subject": {"type": "judicial_personnel", "org": "cq-court-1"}})).json();
        assert_eq!(
            (v["rule"].as_str(), v["routes"].clone()),
            (
                Some("R2"),
                json!([["dz-justice", "dz-court", "cq-court-1"]])
            )
        );

        let v = preview(&app, json!({"discoverer": "dz-bar", "subject": {"type": "judicial_personnel", "org": "cq-high-court"}})).json();
        assert_eq!(v["rule"], "R6");
        assert_eq!(v["manual"], true);
        assert_eq!(v["routes"], json!([]));
    }
}

#[test]
fn route_preview_rejects_unknown_codes_and_bad_bodies() {
    let db = &databases("preview-bad")[0];
    let app = TestApp::start(db);
    let r = preview(
        &app,
        json!({"discoverer": "xx-nowhere", "subject": {"type": "lawyer"}}),
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["error"].as_str().unwrap().contains("xx-nowhere"));
    let r = preview(
        &app,
        json!({"discoverer": "dz-justice", "subject": {"type": "judicial_personnel", "org": "nope"}}),
    );
    assert_eq!(r.status, 422);
    let r = preview(
        &app,
        json!({"discoverer": "dz-justice", "subject": {"type": "alien"}}),
    );
    assert_eq!(r.status, 422);
    let r = preview(&app, json!({"discoverer": "dz-justice"}));
    assert_eq!(r.status, 422);
}

#[test]
fn openapi_document_lists_every_implemented_endpoint() {
    let db = &databases("openapi")[0];
    let app = TestApp::start(db);
    let doc = get(&app.url("/api/v1/openapi.json"), &[]).json();
    assert_eq!(doc["openapi"], "3.0.3");
    for path in [
        "/auth/login",
        "/auth/logout",
        "/me",
        "/me/tokens",
        "/leads/route-preview",
        "/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}
