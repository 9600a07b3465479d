//! Issue 15: cases that can always finish. An organ outside the portal answers by letter
//! (`external_reply`), every receiver verifies or says why not, Article 13 gives each body its
//! own outcomes, manual and internal cases have a clock, manual routing takes only organs and
//! associations and warns of the joint office's conflict, and the dashboard counts every lead.

use serde_json::{json, Value};

use crate::leads::{act, Tokens};
use crate::support::*;

/// Reports a lead as `who` and returns its id.
fn report(t: &Tokens, who: &str, body: Value) -> i64 {
    let r = t.of(who).api("POST", "/api/v1/leads", body);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// A lead of the justice bureau about a judge of 荣昌 (`rc-court`, no lead handlers): R3.
fn rc_court_lead() -> Value {
    json!({
        "subject": {"type": "judicial_personnel", "name": "周某", "org": "rc-court", "duty": "adjudication"},
        "summary": "律师宴请荣昌法官", "details": "据反映，某律师宴请荣昌区法院承办法官。"
    })
}

fn case(t: &Tokens, who: &str, id: i64) -> Value {
    t.of(who)
        .api("GET", &format!("/api/v1/leads/{id}"), None)
        .json()
}

fn reply(from: &str, received_on: &str, reference: &str, outcomes: Value) -> Value {
    json!({"action": "external_reply", "from": from, "received_on": received_on,
           "reference": reference, "text": "经荣昌区法院调查核实，反映问题属实。", "outcomes": outcomes})
}

#[test]
fn an_r3_case_to_an_organ_outside_the_portal_finishes_by_its_reply() {
    for db in databases("lead-outside") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let preview = app.anon().api(
            "POST",
            "/api/v1/leads/route-preview",
            json!({"discoverer": "dz-justice", "subject": {"type": "judicial_personnel", "org": "rc-court"}}),
        );
        assert_eq!(preview.json()["outside_portal"], json!(["rc-court"]));
        let id = report(&t, "dz-justice-officer", rc_court_lead());
        let c = case(&t, "dz-justice-officer", id);
        assert_eq!(c["rule"], "R3");
        assert_eq!(c["route"], json!(["dz-justice", "dz-court", "rc-court"]));
        let rc = c["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "rc-court")
            .unwrap()
            .clone();
        assert_eq!(rc["in_portal"], false, "{}: {c}", db.label);
        assert_eq!(
            act(&t, "dz-court-officer", id, json!({"action": "acknowledge"})).status,
            200
        );
        let passed = act(&t, "dz-court-officer", id, json!({"action": "pass_on"}));
        assert_eq!(passed.status, 200);
        assert_eq!(passed.json()["steps"][1]["receiver"], "rc-court");
        let allowed = passed.json()["allowed_actions"].clone();
        assert!(
            allowed
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["action"] == "external_reply" && a["from"] == "rc-court"),
            "{allowed}"
        );
        // Only the unit that sent the letter, or the joint office, records the reply.
        assert_eq!(
            act(
                &t,
                "dz-procuratorate-officer",
                id,
                reply(
                    "rc-court",
                    "2026-11-20",
                    "荣法函〔2026〕8号",
                    json!(["discipline"])
                )
            )
            .status,
            404
        );
        assert_eq!(
            act(
                &t,
                "dz-court-officer",
                id,
                reply("yc-court", "2026-11-20", "永法函1号", json!([]))
            )
            .status,
            409,
            "yc-court is not an organ this lead went to by letter"
        );
        for (bad, why) in [
            (
                reply("rc-court", "2026-11-20", "", json!(["discipline"])),
                "letter number",
            ),
            (
                reply("rc-court", "20.11.2026", "荣法函8号", json!(["discipline"])),
                "date",
            ),
            (
                reply("rc-court", "2999-01-01", "荣法函8号", json!(["discipline"])),
                "future",
            ),
            (
                reply(
                    "rc-court",
                    "2026-11-20",
                    "荣法函8号",
                    json!(["industry_sanction"]),
                ),
                "a court's letter cannot impose an industry sanction",
            ),
        ] {
            let r = act(&t, "dz-court-officer", id, bad);
            assert_eq!(r.status, 422, "{why}: {}", r.body);
            assert!(
                r.json()["error"].as_str().unwrap().contains(" / "),
                "zh / en"
            );
        }
        let replied = act(
            &t,
            "dz-court-officer",
            id,
            reply(
                "rc-court",
                "2026-11-20",
                "荣法函〔2026〕8号",
                json!(["discipline"]),
            ),
        );
        assert_eq!(replied.status, 200, "{}", replied.body);
        let entry = replied.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "external_reply")
            .unwrap()
            .clone();
        assert_eq!(entry["source_unit"], "rc-court");
        assert_eq!(entry["unit"], "dz-court");
        assert_eq!(entry["letter_reference"], "荣法函〔2026〕8号");
        assert_eq!(entry["received_on"], "2026-11-20");
        assert_eq!(entry["outcomes"], json!(["discipline"]));
        // Feedback, then closing: which waits for dz-court to verify or say why not.
        assert_eq!(
            act(&t, "dz-justice-officer", id, json!({"action": "close"})).status,
            409,
            "no feedback yet"
        );
        assert_eq!(
            act(
                &t,
                "dz-court-officer",
                id,
                json!({"action": "feedback", "text": "荣昌区法院来函：属实，已依纪依规处理。"})
            )
            .status,
            200
        );
        let early = act(&t, "dz-justice-officer", id, json!({"action": "close"}));
        assert_eq!(early.status, 409);
        assert!(
            early.json()["error"].as_str().unwrap().contains("dz-court"),
            "{}",
            early.body
        );
        let c = case(&t, "dz-justice-officer", id);
        assert_eq!(
            c["verification"],
            json!([{"unit": "dz-court", "status": "missing", "in_portal": true},
                   {"unit": "rc-court", "status": "findings", "in_portal": false}])
        );
        assert_eq!(
            act(&t, "dz-court-officer", id, json!({"action": "not_verified", "text": "无管辖权，已依第七条第（三）项移交荣昌区法院。"})).status,
            200
        );
        let closed = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "close", "text": "已收到反馈，结案。"}),
        );
        assert_eq!(closed.status, 200, "{}", closed.body);
        assert_eq!(closed.json()["status"], "closed");
        assert_eq!(closed.json()["overdue"], json!([]));
    }
}

#[test]
fn article_13_outcomes_are_each_bodys_own() {
    for db in databases("lead-art13") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        // R1: the justice bureau's lead about a judge of the district court.
        let id = report(
            &t,
            "dz-justice-officer",
            json!({"subject": {"type": "judicial_personnel", "name": "吴某", "org": "dz-court", "duty": "adjudication"},
                   "summary": "s", "details": "d"}),
        );
        act(&t, "dz-court-officer", id, json!({"action": "acknowledge"}));
        act(
            &t,
            "dz-court-officer",
            id,
            json!({"action": "findings", "text": "属实。"}),
        );
        let outcome = |outcomes: Value| {
            act(
                &t,
                "dz-court-officer",
                id,
                json!({"action": "outcome", "text": "处理说明", "outcomes": outcomes}),
            )
        };
        let sanction = outcome(json!(["industry_sanction"]));
        assert_eq!(
            sanction.status, 422,
            "a court cannot impose an industry sanction"
        );
        assert_eq!(
            sanction.json()["error"],
            "行业处分只能由律师协会对律师作出（第十三条） / an industry sanction can only be imposed on a lawyer, by a lawyers' association (Article 13)"
        );
        assert_eq!(
            outcome(json!(["not_substantiated", "discipline"])).status,
            422
        );
        assert_eq!(
            outcome(json!(["criminal_referral"])).status,
            422,
            "authority missing"
        );
        assert_eq!(outcome(json!(["discipline"])).status, 200);
        // The same refusal on the case page, in the reader's language.
        let page = app.session("dz-court-officer");
        let r = page.form(
            &format!("/leads/{id}/action"),
            "action=outcome&outcome=industry_sanction&text=x",
        );
        let to = r.header("location").unwrap().to_string();
        assert!(to.contains("?error="), "{to}");
        let shown = page.page(&to);
        assert!(shown.body.contains("行业处分只能由律师协会对律师作出"));

        // R7(b): the bar association and the justice bureau each record their own outcome.
        let lawyer = report(
            &t,
            "dz-court-officer",
            json!({"subject": {"type": "lawyer", "name": "郑某", "licence_no": "15001202010000009", "firm": "dz-firm-1"},
                   "summary": "s", "details": "d", "route": 1}),
        );
        act(
            &t,
            "dz-bar-officer",
            lawyer,
            json!({"action": "acknowledge"}),
        );
        act(
            &t,
            "dz-bar-officer",
            lawyer,
            json!({"action": "findings", "text": "律协核查属实。"}),
        );
        assert_eq!(
            act(
                &t,
                "dz-bar-officer",
                lawyer,
                json!({"action": "outcome", "text": "x", "outcomes": ["administrative_penalty"]})
            )
            .status,
            422
        );
        assert_eq!(
            act(&t, "dz-bar-officer", lawyer, json!({"action": "outcome", "text": "给予通报批评。", "outcomes": ["industry_sanction"]})).status,
            200
        );
        act(&t, "dz-bar-officer", lawyer, json!({"action": "pass_on"}));
        act(
            &t,
            "dz-justice-officer",
            lawyer,
            json!({"action": "acknowledge"}),
        );
        act(
            &t,
            "dz-justice-officer",
            lawyer,
            json!({"action": "findings", "text": "属实。"}),
        );
        let penalty = act(
            &t,
            "dz-justice-officer",
            lawyer,
            json!({"action": "outcome", "text": "给予警告。", "outcomes": ["administrative_penalty", "criminal_referral"], "referred_to": "大足区公安局"}),
        );
        assert_eq!(penalty.status, 200, "{}", penalty.body);
        let outcomes: Vec<(String, Value, Value)> = penalty.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "outcome")
            .map(|e| {
                (
                    e["unit"].as_str().unwrap().to_string(),
                    e["outcomes"].clone(),
                    e["referred_to"].clone(),
                )
            })
            .collect();
        assert_eq!(
            outcomes,
            vec![
                (
                    "dz-bar".to_string(),
                    json!(["industry_sanction"]),
                    Value::Null
                ),
                (
                    "dz-justice".to_string(),
                    json!(["administrative_penalty", "criminal_referral"]),
                    json!("大足区公安局")
                ),
            ]
        );
    }
}

/// Moves lead `id`'s clock back `days`: its recording and its hand-overs.
fn age(app: &TestApp, db: &TestDb, id: i64, days: i64) {
    let s = app.block_on(store::Db::open(&db.url)).unwrap();
    let ms = days * 86_400_000;
    app.block_on(async {
        sqlx::query("UPDATE leads SET created_at = created_at - $1 WHERE id = $2")
            .bind(ms)
            .bind(id)
            .execute(&s.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE lead_steps SET sent_at = sent_at - $1 WHERE lead_id = $2")
            .bind(ms)
            .bind(id)
            .execute(&s.pool)
            .await
            .unwrap();
    });
}

#[test]
fn manual_and_internal_cases_become_overdue() {
    for db in databases("lead-clock") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        // R6: the bar association's lead about a municipal judge waits for the joint office.
        let manual = report(
            &t,
            "dz-bar-officer",
            json!({"subject": {"type": "judicial_personnel", "name": "孙某", "org": "cq-high-court", "duty": "adjudication"}, "summary": "s", "details": "d"}),
        );
        // R8: the court's lead about its own judge is handled internally.
        let internal = report(
            &t,
            "dz-court-officer",
            json!({"subject": {"type": "judicial_personnel", "name": "王某", "org": "dz-court", "duty": "enforcement"}, "summary": "s", "details": "d"}),
        );
        assert_eq!(case(&t, "dz-justice-officer", manual)["overdue"], json!([]));
        assert_eq!(case(&t, "dz-court-officer", internal)["overdue"], json!([]));
        assert_eq!(
            case(&t, "dz-court-officer", internal)["deadlines"]["internal_days"],
            30
        );
        age(&app, &db, manual, 6);
        age(&app, &db, internal, 31);
        let m = case(&t, "dz-justice-officer", manual);
        assert_eq!(m["overdue"][0]["what"], "route", "{}: {m}", db.label);
        let i = case(&t, "dz-court-officer", internal);
        assert_eq!(i["overdue"][0]["what"], "internal");
        assert_eq!(i["overdue"][0]["unit"], "dz-court");
        let inbox = app.session("dz-justice-officer").page("/leads");
        assert!(inbox.body.contains("联合办公室逾期未确定接收单位"));
        let page = app
            .session("dz-court-officer")
            .page(&format!("/leads/{internal}"));
        assert!(page.body.contains("case-overdue") && page.body.contains("逾期未完成核实和处理"));
        assert!(
            page.body.contains("非《暂行规定》内容"),
            "labelled local policy"
        );
        assert_eq!(
            t.of("dz-justice-officer")
                .api("GET", "/api/v1/dashboard", None)
                .json()["overdue_cases"],
            2
        );
        // Finished internal handling stops its clock.
        act(
            &t,
            "dz-court-officer",
            internal,
            json!({"action": "findings", "text": "核实。"}),
        );
        act(
            &t,
            "dz-court-officer",
            internal,
            json!({"action": "outcome", "text": "诫勉。", "outcomes": ["discipline"]}),
        );
        assert_eq!(case(&t, "dz-court-officer", internal)["overdue"], json!([]));
    }
}

#[test]
fn manual_routing_takes_organs_only_and_warns_of_the_joint_offices_conflict() {
    for db in databases("lead-r10") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        // R10: the court's lead about an officer of the justice bureau, the joint office itself.
        let id = report(
            &t,
            "dz-court-officer",
            json!({"subject": {"type": "judicial_personnel", "name": "冯某", "org": "dz-justice", "duty": "supervision"}, "summary": "s", "details": "d"}),
        );
        let c = case(&t, "dz-justice-officer", id);
        assert_eq!(c["status"], "manual");
        assert_eq!(c["routing_conflict"], true, "{}", db.label);
        let r = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "route", "route": ["dz-firm-1"], "text": "x"}),
        );
        assert_eq!(r.status, 409);
        assert!(r.json()["error"].as_str().unwrap().contains("dz-firm-1"));
        let page = app
            .session("dz-justice-officer")
            .page(&format!("/leads/{id}"));
        assert!(page.body.contains(r#"id="case-conflict""#));
        assert!(
            !page.body.contains(r#"<option value="dz-firm-1""#),
            "law firms are not offered"
        );
        let routed = act(
            &t,
            "dz-justice-officer",
            id,
            json!({"action": "route", "route": ["cq-justice"], "text": "报市司法局处理。"}),
        );
        assert_eq!(routed.status, 200, "{}", routed.body);
        let by = routed.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "route")
            .unwrap()["author_name"]
            .clone();
        assert_eq!(by, "大足区司法局联合办公室", "who routed it is on file");
        assert_eq!(
            t.of("dz-justice-officer")
                .api("GET", "/api/v1/dashboard", None)
                .json()["routing_conflicts"],
            1
        );
    }
}

#[test]
fn the_dashboard_counts_more_than_a_thousand_leads() {
    for db in databases("dashboard-1005") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        app.block_on(async {
            let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'dz-court-officer'")
                .fetch_one(&s.pool)
                .await
                .unwrap();
            let mut tx = s.pool.begin().await.unwrap();
            for n in 0..1005i64 {
                sqlx::query("INSERT INTO leads (reference, discoverer_unit, created_by, created_at, status, rule, manual, routing_reason, route, subject_type, subject_name, subject_org, summary, details, warnings) VALUES ($1, 'dz-court', $2, $3, $4, 'R8', 0, 'r', '[\"dz-court\"]', 'judicial_personnel', 'x', 'dz-court', 's', 'd', '[]')")
                    .bind(format!("T-{n:05}"))
                    .bind(user)
                    .bind(1_780_000_000_000 + n)
                    .bind(if n % 5 == 0 { "closed" } else { "open" })
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        });
        for who in ["dz-justice-officer", "dz-court-officer"] {
            let f = t.of(who).api("GET", "/api/v1/dashboard", None).json();
            assert_eq!(f["total"], 1005, "{}: {who}", db.label);
            assert_eq!(f["by_status"], json!({"closed": 201, "open": 804}));
            assert_eq!(f["by_month"], json!({"2026-05": 1005}));
        }
        assert_eq!(
            t.of("dz-psb-officer")
                .api("GET", "/api/v1/dashboard", None)
                .json()["total"],
            0
        );
    }
}

#[test]
fn the_rc_court_case_finishes_on_the_case_page_in_a_browser() {
    use crate::support::browser::{available, Browser};
    if !available() {
        return;
    }
    let db = &databases("browser-outside")[0];
    let app = TestApp::demo(db);
    let t = Tokens::new(&app);
    let id = report(&t, "dz-justice-officer", rc_court_lead());
    let case_url = app.url(&format!("/leads/{id}"));
    let b = Browser::start();
    // Each form posts and comes back to the case with `?status=done`; starting from the plain
    // address tells the arrival apart from the page before.
    let done = |b: &Browser, what: &str| {
        b.wait_until(10, what, |b| b.current_url().contains("status=done"));
        b.goto(&case_url);
    };
    b.sign_in(&app.url("/login"), "dz-court-officer");
    b.goto(&case_url);
    assert!(b
        .text(&b.find("#case-route"))
        .contains("重庆市荣昌区人民法院（平台外，函件移送）"));
    b.click(&b.find("#do-acknowledge"));
    done(&b, "acknowledged");
    b.type_text(
        &b.find("#text-not_verified"),
        "无管辖权，已移交荣昌区法院。",
    );
    b.click(&b.find("#do-not-verified"));
    done(&b, "reason recorded");
    b.click(&b.find("#do-pass-on"));
    done(&b, "passed on by letter");
    // The reply arrives by letter; the court records it on the case page.
    let form = "#external-reply-rc-court";
    b.script(&format!(
        "document.querySelector(\"{form} input[name='received_on']\").value = '2026-11-20'; return true"
    ));
    b.type_text(
        &b.find(&format!("{form} input[name='reference']")),
        "荣法函〔2026〕8号",
    );
    b.click(&b.find(&format!("{form} input[value='discipline']")));
    b.type_text(
        &b.find(&format!("{form} textarea[name='text']")),
        "经调查核实，反映问题属实，已依纪依规处理。",
    );
    b.click(&b.find(&format!("{form} button")));
    done(&b, "reply recorded");
    let entries = b.text(&b.find("#entries"));
    assert!(
        entries.contains("荣法函〔2026〕8号") && entries.contains("由所属机关依纪依规处理"),
        "{entries}"
    );
    b.type_text(
        &b.find("#text-feedback"),
        "荣昌区法院来函：属实，已依纪依规处理。",
    );
    b.click(&b.find("#do-feedback"));
    done(&b, "fed back");
    b.sign_out();
    b.sign_in(&app.url("/login"), "dz-justice-officer");
    b.goto(&case_url);
    let verification = b.text(&b.find("#verification"));
    assert!(!verification.contains("尚未记录"), "{verification}");
    b.click(&b.find("#do-close"));
    done(&b, "closed");
    assert_eq!(b.text(&b.find("#case-status")), "已办结");
}

#[test]
fn a_report_about_both_sides_creates_two_linked_leads() {
    for db in databases("lead-two-sides") {
        let app = TestApp::demo(&db);
        let t = Tokens::new(&app);
        // The justice bureau names the judge (R1: to the court) and the lawyer (R9: its own).
        let r = t.of("dz-justice-officer").api(
            "POST",
            "/api/v1/leads",
            json!({
                "subject": {"type": "judicial_personnel", "name": "陈某", "org": "dz-court", "duty": "adjudication"},
                "counterpart": {"type": "lawyer", "name": "林某", "licence_no": "15001202010000077", "firm": "dz-firm-1"},
                "summary": "律师宴请法官", "details": "双方在饭店见面。"
            }),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let created = r.json();
        let (judge, lawyer) = (
            created["id"].as_i64().unwrap(),
            created["counterpart"]["id"].as_i64().unwrap(),
        );
        assert_eq!(created["rule"], "R1");
        let l = case(&t, "dz-justice-officer", lawyer);
        assert_eq!(
            (l["rule"].as_str(), l["linked_lead"].as_i64()),
            (Some("R9"), Some(judge))
        );
        assert_eq!(case(&t, "dz-justice-officer", judge)["linked_lead"], lawyer);
        // The joint office sees both, linked; the court sees only the judge's lead.
        let jo = app
            .session("dz-justice-officer")
            .page(&format!("/leads/{judge}"));
        assert!(
            jo.body.contains(&format!("/leads/{lawyer}")),
            "{}",
            db.label
        );
        let court = app
            .session("dz-court-officer")
            .page(&format!("/leads/{judge}"));
        assert_eq!(court.status, 200);
        assert!(!court.body.contains(&format!("/leads/{lawyer}\"")));
        assert_eq!(
            t.of("dz-court-officer")
                .api("GET", &format!("/api/v1/leads/{lawyer}"), None)
                .status,
            404
        );
        // Two judges are not two sides.
        let same = t.of("dz-justice-officer").api(
            "POST",
            "/api/v1/leads",
            json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "dz-court"},
                   "counterpart": {"type": "judicial_personnel", "name": "乙", "org": "dz-court"},
                   "summary": "s", "details": "d"}),
        );
        assert_eq!(same.status, 422);
        // The form does the same with its checkbox.
        let form = app.session("dz-court-officer").form(
            "/leads/new",
            "subject_type=lawyer&name=%E6%9E%97%E6%9F%90&licence_no=1500&firm=dz-firm-1&org=yc-court&duty=adjudication&both_sides=1&counterpart_name=%E8%B5%B5%E6%9F%90&summary=s&details=d&route=1&intent=submit",
        );
        assert_eq!(form.status, 303, "{}", form.body);
        let id: i64 = form.header("location").unwrap()[7..]
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let c = case(&t, "dz-court-officer", id);
        assert_eq!(
            c["route"],
            json!(["dz-court", "dz-bar", "dz-justice"]),
            "R7(b) chosen"
        );
        let other = case(&t, "dz-court-officer", c["linked_lead"].as_i64().unwrap());
        assert_eq!(
            other["rule"], "R10",
            "a court's lead about another district's judge is manual"
        );
        assert_eq!(other["subject"]["name"], "赵某");
    }
}
