//! Work for every demo role, written through the API as people would: a lead on its way from
//! the joint office to another district's court, a manual lead, a published event with a
//! registration, a draft event that needs an approval, a public tip, and an overdue course
//! assignment. Used by the home page tests and the screen checks.

use serde_json::json;

use super::TestApp;

/// What [`seed_work`] wrote.
pub struct Seeded {
    /// dz-justice → dz-court → yc-court; waiting for dz-court to acknowledge.
    pub lead: i64,
    pub lead_reference: String,
    /// Waiting for the joint office to route it.
    pub manual_lead: i64,
    /// Published, with judge-zhang registered.
    pub event: i64,
    /// A Saturday draft that needs an approval before publishing.
    pub draft_event: i64,
    pub tip: i64,
}

/// Writes the work; panics if any step is refused.
pub fn seed_work(app: &TestApp) -> Seeded {
    let ok = |r: super::Reply, what: &str| {
        assert!(
            r.status == 200 || r.status == 201,
            "{what}: {} {}",
            r.status,
            r.body
        );
        r.json()
    };
    let office = app.user("dz-justice-officer");
    let lead = ok(
        office.api(
            "POST",
            "/api/v1/leads",
            json!({
                "subject": {"type": "judicial_personnel", "name": "赵某", "org": "yc-court", "duty": "adjudication"},
                "summary": "律师宴请承办法官", "details": "据反映，某律师在饭店宴请承办法官。",
                "place": "大足区某饭店", "occurred_on": "2026-11-01"
            }),
        ),
        "lead",
    );
    let manual = ok(
        app.user("dz-bar-officer").api(
            "POST",
            "/api/v1/leads",
            json!({"subject": {"type": "judicial_personnel", "name": "孙某", "org": "cq-high-court", "duty": "adjudication"},
                   "summary": "需人工确定接收单位的线索", "details": "情况说明。"}),
        ),
        "manual lead",
    );
    let coord = app.user("dz-judges-coordinator");
    let event = |title: &str, day: &str| {
        ok(
            coord.api(
                "POST",
                "/api/v1/events",
                json!({
                    "title": title, "kind": "seminar",
                    "starts_at": format!("{day}T09:00:00+08:00"), "ends_at": format!("{day}T11:00:00+08:00"),
                    "venue": "大足区人民法院第一会议室", "capacity": 20,
                    "registration_deadline": format!("{day}T08:00:00+08:00"),
                    "open_to": ["dz-court", "dz-firm-1"], "agenda": "- 通报第十二条交流机制运行情况"
                }),
            ),
            "event",
        )["id"]
            .as_i64()
            .unwrap()
    };
    // 2030-03-05 is a Tuesday, 2030-03-09 a Saturday.
    let published = event("法官与律师工作交流座谈会", "2030-03-05");
    ok(
        coord.api(
            "POST",
            &format!("/api/v1/events/{published}/approval"),
            json!({"approved_by": "院领导", "reference": "审批-1", "approved_on": "2026-11-20"}),
        ),
        "approval",
    );
    ok(
        coord.api(
            "POST",
            &format!("/api/v1/events/{published}/publish"),
            json!({}),
        ),
        "publish",
    );
    ok(
        app.user("judge-zhang").api(
            "POST",
            &format!("/api/v1/events/{published}/registrations"),
            json!({"has_case": false}),
        ),
        "registration",
    );
    let draft_event = event("周末读书会", "2030-03-09");
    ok(
        app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": "有人反映某律师多次在下班后宴请法官。"}),
        ),
        "tip",
    );
    let tips = office.page("/leads/tips");
    let tip = tips
        .body
        .split("href=\"/leads/tips/")
        .nth(1)
        .and_then(|c| c.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("the tip in the office's queue");
    ok(
        app.user("dz-court-training").api(
            "POST",
            "/api/v1/assignments",
            json!({"course_id": "regulation-guide", "target": "unit", "due": "2020-01-31"}),
        ),
        "assignment",
    );
    Seeded {
        lead: lead["id"].as_i64().unwrap(),
        lead_reference: lead["reference"].as_str().unwrap_or_default().to_string(),
        manual_lead: manual["id"].as_i64().unwrap(),
        event: published,
        draft_event,
        tip,
    }
}
