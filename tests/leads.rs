//! Lead routing over the API: the route preview matches the rules of `lead-routing.md` for the
//! examples of `interfaces.md`, and bad input is a clear 4xx.

use crate::support::*;

use serde_json::{json, Value};

fn preview(app: &TestApp, body: Value) -> Reply {
    app.anon().api("POST", "/api/v1/leads/route-preview", body)
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
        "/leads",
        "/leads/{id}",
        "/leads/{id}/actions",
        "/tips",
        "/tips/{receipt}",
        "/tips/{receipt}/messages",
        "/tips/status",
        "/leads/{id}/attachments",
        "/leads/{id}/attachments/{att}",
        "/dashboard",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}

/// Every demo account signed in over the API, by login.
pub(crate) struct Tokens(Vec<(&'static str, Client)>);

impl Tokens {
    pub(crate) fn new(app: &TestApp) -> Tokens {
        Tokens(
            store::users::demo_accounts()
                .into_iter()
                .map(|(login, ..)| (login, app.user(login)))
                .collect(),
        )
    }
    pub(crate) fn of(&self, login: &str) -> &Client {
        &self.0.iter().find(|(l, _)| *l == login).unwrap().1
    }
}

pub(crate) fn act(t: &Tokens, who: &str, id: i64, action: Value) -> Reply {
    t.of(who)
        .api("POST", &format!("/api/v1/leads/{id}/actions"), action)
}

/// Which handlers see lead `id` right now (200) and which get 404.
fn seen_by(app: &TestApp, t: &Tokens, id: i64) -> Vec<&'static str> {
    let handlers = [
        "dz-justice-officer",
        "dz-court-officer",
        "dz-procuratorate-officer",
        "dz-psb-officer",
        "dz-bar-officer",
        "yc-court-officer",
        "cq-court-1-officer",
    ];
    let mut seen = Vec::new();
    for h in handlers {
        let r = t.of(h).api("GET", &format!("/api/v1/leads/{id}"), None);
        match r.status {
            200 => seen.push(h),
            404 => assert!(r.json()["error"].is_string()),
            s => panic!("{h}: {s}"),
        }
        let listed = t.of(h).api("GET", "/api/v1/leads", None).json();
        let in_list = listed.as_array().unwrap().iter().any(|l| l["id"] == id);
        assert_eq!(in_list, r.status == 200, "{h}: list and detail agree");
    }
    // Other roles never see leads, whatever their unit.
    for other in [
        "admin",
        "dz-court-training",
        "judge-zhang",
        "lawyer-chen",
        "dz-bar-coordinator",
    ] {
        assert_eq!(
            t.of(other)
                .api("GET", &format!("/api/v1/leads/{id}"), None)
                .status,
            404,
            "{other}"
        );
    }
    assert_eq!(
        app.anon()
            .api("GET", &format!("/api/v1/leads/{id}"), None)
            .status,
        401
    );
    seen
}

#[test]
fn an_r3_lead_walks_every_step_to_feedback_and_closing() {
    for db in databases("lead-r3") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let report = json!({
            "subject": {"type": "judicial_personnel", "name": "赵某", "org": "yc-court", "duty": "adjudication"},
            "summary": "律师宴请承办法官", "details": "据反映，某律师于2026年10月在饭店宴请承办法官。",
            "occurred_on": "2026-10-20", "conduct_kind": "accepting_benefits"
        });
        let r = t
            .of("dz-justice-officer")
            .api("POST", "/api/v1/leads", report);
        assert_eq!(r.status, 200, "{}", r.body);
        let created = r.json();
        assert_eq!(created["rule"], "R3");
        assert!(created["reference"].as_str().unwrap().starts_with("DZ-20"));
        let id = created["id"].as_i64().unwrap();
        assert_eq!(
            seen_by(&app, &t, id),
            ["dz-justice-officer", "dz-court-officer"],
            "{}",
            db.label
        );
        // The intermediate organ acknowledges and passes it on; only then does 永川 see it.
        assert_eq!(
            act(&t, "dz-court-officer", id, json!({"action": "pass_on"})).status,
            409,
            "acknowledge first"
        );
        assert_eq!(
            act(&t, "dz-court-officer", id, json!({"action": "acknowledge"})).status,
            200
        );
        assert_eq!(
            seen_by(&app, &t, id),
            ["dz-justice-officer", "dz-court-officer"]
        );
        let r = act(&t, "dz-court-officer", id, json!({"action": "pass_on"}));
        assert_eq!(r.status, 200);
        let steps = r.json()["steps"].clone();
        assert_eq!(steps[1]["sender"], "dz-court");
        assert_eq!(steps[1]["receiver"], "yc-court");
        assert_eq!(
            seen_by(&app, &t, id),
            ["dz-justice-officer", "dz-court-officer", "yc-court-officer"]
        );
        assert_eq!(
            act(
                &t,
                "dz-court-officer",
                id,
                json!({"action": "findings", "text": "已转交，初步核对当事法官身份属实。"})
            )
            .status,
            200
        );
        // The final receiver verifies and records the outcome; the discoverer cannot close
        // before the feedback is on file.
        assert_eq!(
            act(
                &t,
                "yc-court-officer",
                id,
                json!({"action": "outcome", "text": "x", "outcomes": ["discipline"]})
            )
            .status,
            409
        );
        assert_eq!(
            act(&t, "yc-court-officer", id, json!({"action": "acknowledge"})).status,
            200
        );
        assert_eq!(
            act(
                &t,
                "yc-court-officer",
                id,
                json!({"action": "findings", "text": "经调查核实，反映问题基本属实。"})
            )
            .status,
            200
        );
        assert_eq!(
            act(
                &t,
                "yc-court-officer",
                id,
                json!({"action": "outcome", "text": "给予诫勉处理。", "outcomes": []})
            )
            .status,
            409,
            "an outcome is required"
        );
        assert_eq!(act(&t, "yc-court-officer", id, json!({"action": "outcome", "text": "给予诫勉处理。", "outcomes": ["discipline", "bogus"]})).status, 422);
        assert_eq!(
            act(
                &t,
                "yc-court-officer",
                id,
                json!({"action": "outcome", "text": "给予诫勉处理。", "outcomes": ["discipline"]})
            )
            .status,
            200
        );
        assert_eq!(
            act(&t, "dz-justice-officer", id, json!({"action": "close"})).status,
            409,
            "no feedback yet"
        );
        assert_eq!(
            act(
                &t,
                "yc-court-officer",
                id,
                json!({"action": "feedback", "text": "核查情况及处理结果：属实，已给予诫勉处理。"})
            )
            .status,
            200
        );
        assert_eq!(
            act(&t, "dz-court-officer", id, json!({"action": "close"})).status,
            409,
            "only the discoverer or the joint office closes"
        );
        let closed = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "close", "text": "已收到反馈，结案。"}),
        );
        assert_eq!(closed.status, 200);
        assert_eq!(closed.json()["status"], "closed");
        // A closed case can be reopened with a reason; outcome and feedback are then due again.
        assert_eq!(
            act(&t, "dz-justice-officer", id, json!({"action": "reopen"})).status,
            409
        );
        let reopened = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "reopen", "text": "发现新情况。"}),
        )
        .json();
        assert_eq!(reopened["status"], "open");
        assert!(!reopened["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "close"));
        // Every view and change is in the audit trail.
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        let reference = created["reference"].as_str().unwrap().to_string();
        let entries = app
            .block_on(store::audit::list(
                &s,
                &store::audit::Filter {
                    object_id: Some(reference),
                    limit: 500,
                    ..Default::default()
                },
            ))
            .unwrap();
        let count = |a: &str| entries.iter().filter(|e| e.action == a).count();
        assert_eq!(count("lead.created"), 1);
        assert_eq!(
            count("lead.viewed"),
            2 + 2 + 3,
            "each successful view audited once"
        );
        assert_eq!(count("lead.acknowledge"), 2);
        assert_eq!(count("lead.pass_on"), 1);
        assert_eq!(count("lead.close"), 1);
        assert!(matches!(
            app.block_on(store::audit::verify_chain(&s, None)).unwrap(),
            store::audit::Verdict::Intact { .. }
        ));
    }
}

#[test]
fn an_r7b_lead_about_a_lawyer_goes_through_the_bar_association() {
    for db in databases("lead-r7") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let report = json!({
            "subject": {"type": "lawyer", "name": "钱某", "licence_no": "15001202010000001", "firm": "dz-firm-1", "region": "大足区"},
            "summary": "律师请托法官", "details": "某律师多次私下联系承办法官打听案情。", "route": 1
        });
        let created = t
            .of("dz-court-officer")
            .api("POST", "/api/v1/leads", report.clone())
            .json();
        assert_eq!(created["rule"], "R7");
        assert_eq!(created["warnings"], json!([]));
        let id = created["id"].as_i64().unwrap();
        let case = t
            .of("dz-court-officer")
            .api("GET", &format!("/api/v1/leads/{id}"), None)
            .json();
        assert_eq!(case["route"], json!(["dz-court", "dz-bar", "dz-justice"]));
        // The joint office sees it from the start; the bar association once it is sent there.
        assert_eq!(
            seen_by(&app, &t, id),
            ["dz-justice-officer", "dz-court-officer", "dz-bar-officer"]
        );
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "acknowledge"})
            )
            .status,
            409,
            "not its turn yet"
        );
        assert_eq!(
            act(&t, "dz-bar-officer", id, json!({"action": "acknowledge"})).status,
            200
        );
        assert_eq!(
            act(
                &t,
                "dz-bar-officer",
                id,
                json!({"action": "findings", "text": "律师协会初步核查。"})
            )
            .status,
            200
        );
        assert_eq!(
            act(&t, "dz-bar-officer", id, json!({"action": "pass_on"})).status,
            200
        );
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "acknowledge"})
            )
            .status,
            200
        );
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "findings", "text": "经核实属实。"})
            )
            .status,
            200
        );
        assert_eq!(act(&t, "dz-justice-officer", id, json!({"action": "outcome", "text": "依法给予行政处罚。", "outcomes": ["administrative_penalty"]})).status, 200);
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "feedback", "text": "已依法处理，特此反馈。"})
            )
            .status,
            200
        );
        let closed = act(&t, "dz-court-officer", id, json!({"action": "close"}));
        assert_eq!(closed.json()["status"], "closed", "{}", closed.body);
        // A second lead about the same licence number is linked for those who see both.
        let again = t
            .of("dz-court-officer")
            .api("POST", "/api/v1/leads", report)
            .json();
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        let case = app.block_on(async {
            let mut c = s.pool.acquire().await.unwrap();
            store::leads::load_case(&mut c, again["id"].as_i64().unwrap())
                .await
                .unwrap()
                .unwrap()
        });
        let linked = app
            .block_on(store::leads::linked_leads(&s, &case, "dz-court", false))
            .unwrap();
        assert_eq!(linked.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![id]);
        assert!(app
            .block_on(store::leads::linked_leads(&s, &case, "dz-psb", false))
            .unwrap()
            .is_empty());
    }
}

#[test]
fn manual_leads_wait_for_the_joint_office() {
    for db in databases("lead-manual") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let report = json!({"subject": {"type": "judicial_personnel", "name": "孙某", "org": "cq-high-court", "duty": "adjudication"}, "summary": "线索", "details": "情况说明。"});
        let created = t
            .of("dz-bar-officer")
            .api("POST", "/api/v1/leads", report)
            .json();
        assert_eq!(created["rule"], "R6");
        assert_eq!(created["manual"], true);
        let id = created["id"].as_i64().unwrap();
        let case = t
            .of("dz-bar-officer")
            .api("GET", &format!("/api/v1/leads/{id}"), None)
            .json();
        assert_eq!(case["status"], "manual");
        assert!(case["routing_reason"].as_str().unwrap().contains("人工"));
        assert_eq!(
            seen_by(&app, &t, id),
            ["dz-justice-officer", "dz-bar-officer"]
        );
        assert_eq!(
            act(
                &t,
                "dz-bar-officer",
                id,
                json!({"action": "route", "route": ["cq-high-court"], "text": "x"})
            )
            .status,
            409,
            "only the joint office routes"
        );
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "route", "route": ["cq-high-court"]})
            )
            .status,
            409,
            "a reason is required"
        );
        assert_eq!(
            act(
                &t,
                "dz-justice-officer",
                id,
                json!({"action": "route", "route": ["nowhere"], "text": "x"})
            )
            .status,
            409
        );
        let routed = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "route", "route": ["dz-court", "cq-court-1"], "text": "经研究，先通报大足区人民法院，由其报送市一中院。"}),
        );
        assert_eq!(routed.status, 200, "{}", routed.body);
        assert_eq!(
            routed.json()["route"],
            json!(["dz-bar", "dz-court", "cq-court-1"])
        );
        assert!(seen_by(&app, &t, id).contains(&"dz-court-officer"));
    }
}

#[test]
fn bad_reports_get_clear_errors_and_warnings() {
    let db = &databases("lead-bad")[0];
    let app = TestApp::demo(db);
    let t = Tokens::new(&app);
    let post = |who: &str, body: Value| t.of(who).api("POST", "/api/v1/leads", body);
    let ok_subject = json!({"type": "judicial_personnel", "name": "甲", "org": "dz-court", "duty": "adjudication"});
    for (body, status) in [
        (
            json!({"subject": ok_subject, "summary": "", "details": "d"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s", "details": "d", "occurred_on": "2026-13-45"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s", "details": "d", "occurred_on": "2999-01-01"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s", "details": "d", "conduct_kind": "murder"}),
            422,
        ),
        (
            json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "xx"}, "summary": "s", "details": "d"}),
            422,
        ),
        (
            json!({"subject": {"type": "lawyer", "name": "甲"}, "summary": "s", "details": "d"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s".repeat(201), "details": "d"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s\u{0007}", "details": "d"}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s", "details": "d", "route": 3}),
            422,
        ),
        (
            json!({"subject": ok_subject, "summary": "s", "details": "d", "route": 0}),
            200,
        ),
    ] {
        let r = post("dz-justice-officer", body.clone());
        assert_eq!(r.status, status, "{body}: {}", r.body);
    }
    // R7 with an out-of-range route index.
    let lawyer = json!({"type": "lawyer", "name": "乙", "licence_no": "1", "firm": "yc-firm-1", "region": "永川区"});
    assert_eq!(
        post(
            "dz-court-officer",
            json!({"subject": lawyer, "summary": "s", "details": "d", "route": 2})
        )
        .status,
        422
    );
    let r = post(
        "dz-court-officer",
        json!({"subject": lawyer, "summary": "s", "details": "d"}),
    )
    .json();
    assert!(
        r["warnings"][0].as_str().unwrap().contains("第三条"),
        "Article 3 warning: {r}"
    );
    let r = post("dz-justice-officer", json!({"subject": {"type": "judicial_personnel", "name": "丙", "org": "dz-court", "duty": "clerk"}, "summary": "s", "details": "d"})).json();
    assert!(r["warnings"][0].as_str().unwrap().contains("第十四条"));
    // Members cannot report.
    assert_eq!(
        post(
            "judge-zhang",
            json!({"subject": ok_subject, "summary": "s", "details": "d"})
        )
        .status,
        404
    );
}

#[test]
fn lead_pages_report_preview_and_handle_a_case() {
    for db in databases("lead-pages") {
        let app = TestApp::demo(&db);
        let justice = app.session("dz-justice-officer");
        let form = justice.page("/leads/new");
        assert_eq!(form.status, 200);
        assert!(form.body.contains("重庆市大足区司法局") && form.body.contains("preview-route"));
        let fields = "subject_type=judicial_personnel&name=%E8%B5%B5%E6%9F%90&org=yc-court&duty=adjudication&summary=%E5%AE%B4%E8%AF%B7&details=%E8%AF%A6%E6%83%85&occurred_on=2026-10-01";
        // Preview: the route in plain Chinese, nothing recorded yet.
        let preview = justice.form("/leads/new", format!("{fields}&intent=preview"));
        assert_eq!(preview.status, 200);
        assert!(
            preview
                .body
                .contains("先通报重庆市大足区人民法院，再由其移交重庆市永川区人民法院"),
            "{}",
            db.label
        );
        assert!(preview.body.contains("R3"));
        assert!(
            preview.body.contains(r#"value="赵某""#),
            "typed values are kept"
        );
        // A bad submission comes back with the values and the reason.
        let bad = justice.form("/leads/new", "subject_type=judicial_personnel&name=%E8%B5%B5%E6%9F%90&org=yc-court&summary=&details=x&intent=submit");
        assert_eq!(bad.status, 200);
        assert!(bad.body.contains("error-summary") && bad.body.contains(r#"value="赵某""#));
        // The summary links to the field, and the field shows its error beside it.
        assert!(
            bad.body.contains(r##"href="#summary""##)
                && bad.body.contains(r#"id="summary-error""#)
                && bad
                    .body
                    .contains(r#"aria-describedby="summary-hint summary-error""#),
            "{}",
            bad.body
        );
        // Submit.
        let done = justice.form("/leads/new", format!("{fields}&intent=submit"));
        assert_eq!(done.status, 303, "{}", done.body);
        let loc = done.header("location").unwrap().to_string();
        assert!(loc.ends_with("?status=created"), "{loc}");
        let case_path = loc.split('?').next().unwrap().to_string();
        let page = justice.page(&case_path);
        assert!(page.body.contains("DZ-") && page.body.contains("R3"));
        assert!(page
            .body
            .contains("重庆市大足区司法局 → 重庆市大足区人民法院 → 重庆市永川区人民法院"));
        // Units not on the route (yet), and other roles, get the 404 page.
        for other in [
            "yc-court-officer",
            "dz-procuratorate-officer",
            "judge-zhang",
            "admin",
        ] {
            let r = app.session(other).page(&case_path);
            assert_eq!(r.status, 404, "{other}");
            assert!(!r.body.contains("赵某"));
        }
        assert_eq!(
            get(&app.url(&case_path), &[]).status,
            303,
            "anonymous: sign in"
        );
        // The receiving unit sees it in its inbox and acknowledges.
        let court = app.session("dz-court-officer");
        let inbox = court.page("/leads");
        assert!(inbox.body.contains("my-turn") && inbox.body.contains("DZ-"));
        let page = court.page(&case_path);
        assert!(page.body.contains("do-acknowledge"));
        let r = court.form(&format!("{case_path}/action"), "action=acknowledge");
        assert_eq!(
            r.header("location"),
            Some(format!("{case_path}?status=done").as_str())
        );
        let page = court.page(&case_path);
        assert!(page.body.contains("do-pass-on") && page.body.contains("重庆市永川区人民法院"));
        // An empty findings text is refused with a reason, not a crash.
        let r = court.form(&format!("{case_path}/action"), "action=findings&text=");
        let back = r.header("location").unwrap().to_string();
        assert!(back.contains("?error="), "{back}");
        let page = court.page(&back);
        // The reason is in the summary, linked to the findings text, and beside that text.
        assert!(
            page.body.contains(r##"href="#text-findings""##)
                && page.body.contains(r#"id="text-findings-error""#),
            "{}",
            page.body
        );
        // Members see an explanation instead of an inbox.
        let member = app.session("judge-zhang").page("/leads");
        assert_eq!(member.status, 200);
        assert!(member.body.contains("线索专员") && !member.body.contains("DZ-"));
    }
}

#[test]
fn the_dashboard_counts_what_each_unit_may_see_and_exports_it() {
    for db in databases("dashboard") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let r3 = json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "yc-court", "duty": "adjudication"}, "summary": "s", "details": "d"});
        let r7 = json!({"subject": {"type": "lawyer", "name": "乙", "licence_no": "1", "firm": "dz-firm-1"}, "summary": "s", "details": "d"});
        let a = t
            .of("dz-justice-officer")
            .api("POST", "/api/v1/leads", r3)
            .json()["id"]
            .as_i64()
            .unwrap();
        t.of("dz-court-officer").api("POST", "/api/v1/leads", r7);
        act(&t, "dz-court-officer", a, json!({"action": "acknowledge"}));
        let figures = |who: &str| t.of(who).api("GET", "/api/v1/dashboard", None).json();
        let jo = figures("dz-justice-officer");
        assert_eq!(jo["total"], 2, "{}: {jo}", db.label);
        assert_eq!(jo["by_rule"], json!({"R3": 1, "R7": 1}));
        assert_eq!(figures("dz-court-officer")["total"], 2);
        assert_eq!(figures("dz-psb-officer")["total"], 0);
        assert_eq!(
            figures("dz-bar-officer")["total"],
            0,
            "R7 went the default route, not through the bar"
        );
        assert!(jo["median_hours_to_acknowledge"].as_f64().unwrap() < 1.0);
        assert_eq!(
            t.of("judge-zhang")
                .api("GET", "/api/v1/dashboard", None)
                .status,
            404
        );
        let cookie = app.session("dz-justice-officer");
        let page = cookie.page("/leads/dashboard");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<svg") && page.body.contains(r#"id="fig-total">2<"#));
        let csv = cookie.send("GET", "/leads/dashboard.csv", &[], b"");
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(csv.body.starts_with('\u{feff}'), "BOM for Excel");
        assert!(
            csv_plain(&csv.body).contains("figure,key,value")
                && csv_plain(&csv.body).contains("rule,R3,1")
                && csv.body.contains("重庆市大足区人民法院")
        );
    }
}

#[test]
fn attachments_respect_types_limits_and_confidentiality() {
    for db in databases("attachments") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let report = json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "yc-court", "duty": "adjudication"}, "summary": "s", "details": "d"});
        let id = t
            .of("dz-justice-officer")
            .api("POST", "/api/v1/leads", report)
            .json()["id"]
            .as_i64()
            .unwrap();
        let upload = |who: &str, name: &str, bytes: &[u8]| {
            let (ct, body) = multipart(name, bytes);
            t.of(who).send(
                "POST",
                &format!("/api/v1/leads/{id}/attachments"),
                &[("Content-Type", &ct)],
                &body,
            )
        };
        let pdf = b"%PDF-1.4\n% test evidence\n".to_vec();
        let r = upload("dz-justice-officer", "../证据材料.pdf", &pdf);
        assert_eq!(r.status, 200, "{}", r.body);
        let info = r.json();
        assert_eq!(info["display_name"], "证据材料.pdf");
        assert_eq!(info["content_type"], "application/pdf");
        let att = info["id"].as_i64().unwrap();
        // Refused types and sizes, with reasons.
        for (name, bytes) in [
            ("x.html", b"<html><script>alert(1)</script>".to_vec()),
            ("x.exe", b"MZ\x90\x00".to_vec()),
            ("x.svg", b"<svg onload=alert(1)>".to_vec()),
        ] {
            let r = upload("dz-justice-officer", name, &bytes);
            assert_eq!(r.status, 422, "{name}");
            assert!(r.json()["error"].as_str().unwrap().contains("PDF"));
        }
        let mut big = b"%PDF-".to_vec();
        big.resize(10 * 1024 * 1024 + 1, b'x');
        let r = upload("dz-justice-officer", "big.pdf", &big);
        assert!(
            r.status == 413 || r.status == 422,
            "too large: {}",
            r.status
        );
        // Units not on the route get 404 for upload and download.
        assert_eq!(upload("dz-psb-officer", "a.pdf", &pdf).status, 404);
        let path = format!("/api/v1/leads/{id}/attachments/{att}");
        assert_eq!(t.of("dz-psb-officer").api("GET", &path, None).status, 404);
        assert_eq!(
            t.of("yc-court-officer").api("GET", &path, None).status,
            404,
            "not reached yet"
        );
        assert_eq!(t.of("admin").api("GET", &path, None).status, 404);
        let dl = t.of("dz-court-officer").api("GET", &path, None);
        assert_eq!(dl.status, 200);
        assert_eq!(dl.header("content-type"), Some("application/pdf"));
        assert!(dl
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment;"));
        assert_eq!(dl.body.as_bytes(), &pdf[..]);
        assert_eq!(
            t.of("dz-court-officer")
                .api(
                    "GET",
                    &format!("/api/v1/leads/{id}/attachments/999999"),
                    None
                )
                .status,
            404
        );
        // Downloads are audited.
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        let n = app
            .block_on(store::audit::list(
                &s,
                &store::audit::Filter {
                    action: Some("lead.attachment_downloaded".into()),
                    limit: 10,
                    ..Default::default()
                },
            ))
            .unwrap()
            .len();
        assert_eq!(n, 1);
        // The per-lead total (30 MiB) is enforced.
        let mut chunk = b"%PDF-".to_vec();
        chunk.resize(10_400_000, b'x');
        for name in ["a.pdf", "b.pdf", "c.pdf"] {
            assert_eq!(
                upload("dz-justice-officer", name, &chunk).status,
                200,
                "{name}"
            );
        }
        let mut small = b"%PDF-".to_vec();
        small.resize(300_000, b'x');
        assert_eq!(
            upload("dz-justice-officer", "d.pdf", &small).status,
            422,
            "30 MiB per lead"
        );
    }
}

#[test]
fn overdue_hand_overs_are_flagged_in_the_case_and_the_inbox() {
    for db in databases("overdue") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let report = json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "yc-court", "duty": "adjudication"}, "summary": "s", "details": "d"});
        let id = t
            .of("dz-justice-officer")
            .api("POST", "/api/v1/leads", report)
            .json()["id"]
            .as_i64()
            .unwrap();
        let case = t
            .of("dz-justice-officer")
            .api("GET", &format!("/api/v1/leads/{id}"), None)
            .json();
        assert_eq!(case["overdue"], json!([]));
        assert_eq!(case["deadlines"]["acknowledge_days"], 3);
        // Four days pass without an acknowledgement.
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        app.block_on(async {
            sqlx::query("UPDATE lead_steps SET sent_at = sent_at - 345600000")
                .execute(&s.pool)
                .await
                .unwrap()
        });
        let case = t
            .of("dz-justice-officer")
            .api("GET", &format!("/api/v1/leads/{id}"), None)
            .json();
        assert_eq!(case["overdue"][0]["what"], "acknowledge");
        assert_eq!(case["overdue"][0]["unit"], "dz-court");
        let cookie = app.session("dz-court-officer");
        let inbox = cookie.page("/leads");
        assert!(inbox.body.contains(r#"class="overdue""#) && inbox.body.contains("逾期未签收"));
        assert_eq!(
            t.of("dz-justice-officer")
                .api("GET", "/api/v1/dashboard", None)
                .json()["overdue_cases"],
            1
        );
    }
}

#[test]
fn report_drafts_are_saved_and_restored() {
    let db = &databases("drafts")[0];
    let app = TestApp::demo(db);
    let cookie = app.session("dz-bar-officer");
    let form = |body: &str| cookie.form("/leads/new", body);
    let saved = form("subject_type=judicial_personnel&name=%E5%8D%8A%E6%88%90%E5%93%81&summary=%E8%8D%89%E7%A8%BF&intent=draft");
    assert!(saved.body.contains("draft-notice"));
    let again = cookie.page("/leads/new");
    assert!(
        again.body.contains(r#"value="半成品""#) && again.body.contains("draft-notice"),
        "draft restored"
    );
    let done = form("subject_type=judicial_personnel&name=%E5%8D%8A%E6%88%90%E5%93%81&org=dz-court&duty=adjudication&summary=s&details=d&intent=submit");
    assert_eq!(done.status, 303);
    let fresh = cookie.page("/leads/new");
    assert!(
        !fresh.body.contains("半成品"),
        "the draft is gone once the lead is recorded"
    );
}

#[test]
fn the_api_preview_matches_the_routing_rules_for_every_directory_code() {
    let db = &databases("preview-all")[0];
    let app = TestApp::start(db);
    let dir = domain::directory::Directory::new(
        domain::directory::seed_units(),
        domain::directory::HOME_REGION,
    );
    let codes: Vec<String> = dir.units().iter().map(|u| u.code.clone()).collect();
    let mut checked = 0;
    for d in &codes {
        let mut subjects: Vec<(Value, domain::routing::Subject)> = codes
            .iter()
            .map(|o| {
                (
                    json!({"type": "judicial_personnel", "org": o}),
                    domain::routing::Subject::JudicialPersonnel { org: o },
                )
            })
            .collect();
        subjects.push((json!({"type": "lawyer"}), domain::routing::Subject::Lawyer));
        for (body, subject) in subjects {
            let want = domain::routing::route_lead(&dir, d, &subject).unwrap();
            let got = preview(&app, json!({"discoverer": d, "subject": body})).json();
            assert_eq!(got["rule"], want.rule.as_str(), "{d} {body}");
            assert_eq!(got["basis"], want.rule.basis());
            assert_eq!(got["manual"], want.manual);
            assert_eq!(got["routes"], json!(want.routes));
            assert_eq!(got["reason"], want.reason_zh);
            checked += 1;
        }
    }
    assert_eq!(checked, 31 * 32);
}

#[test]
fn case_page_errors_are_message_codes_not_echoed_text() {
    for db in databases("lead-error-codes") {
        let app = TestApp::demo(&db);
        let report = json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "yc-court", "duty": "adjudication"}, "summary": "s", "details": "d"});
        let officer = app.user("dz-justice-officer");
        let id = officer.api("POST", "/api/v1/leads", report).json()["id"]
            .as_i64()
            .unwrap();
        let page = app.session("dz-justice-officer");
        // A link with attacker text in `?error=` shows none of it.
        let lure = "%E8%AF%B7%E8%87%B4%E7%94%B5%20400-evil%20%E9%A2%86%E5%8F%96evil.example";
        let r = page.page(&format!("/leads/{id}?error={lure}"));
        assert_eq!(r.status, 200);
        let words: String = text_of(&r.body);
        assert!(
            !words.contains("evil") && !words.contains("请致电"),
            "{words}"
        );
        assert!(!r.body.contains("action-error"));
        // A refused action comes back with a code, worded by the page.
        let r = page.form(&format!("/leads/{id}/action"), "action=evil.example&text=x");
        let loc = r.header("location").unwrap().to_string();
        assert!(loc.contains("?error=") && !loc.contains("evil"), "{loc}");
        let shown = page.page(&loc);
        assert!(shown.body.contains("action-error") && shown.body.contains("未知操作"));
    }
}
