//! Public tips: receipts shown once and stored hashed, status and messages by receipt, guess
//! throttling, no client address kept, and the joint office's intake (answer, close, convert to
//! a formal lead). SQLite and PostgreSQL.

use crate::support::*;

use serde_json::json;

fn new_tip(app: &TestApp, text: &str) -> Reply {
    app.anon()
        .api("POST", "/api/v1/tips", json!({ "text": text }))
}

#[test]
fn a_tip_gets_a_receipt_that_shows_its_status_and_replies() {
    for db in databases("tips") {
        let app = TestApp::demo(&db);
        assert_eq!(new_tip(&app, "太短").status, 422);
        assert_eq!(new_tip(&app, &"长".repeat(5001)).status, 422);
        let r = new_tip(&app, "我看到某法官与律师周五晚上在饭店吃饭，律师买单。");
        assert_eq!(r.status, 200, "{}", r.body);
        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
        assert!(receipt.len() == 16 && receipt.chars().all(|c| c.is_ascii_digit()));
        let status = get(&app.url(&format!("/api/v1/tips/{receipt}")), &[]);
        assert_eq!(status.status, 200);
        assert_eq!(status.json()["status"], "new");
        assert_eq!(
            get(&app.url("/api/v1/tips/0000000000000000"), &[]).status,
            404
        );
        assert_eq!(get(&app.url("/api/v1/tips/not-a-receipt"), &[]).status, 404);
        // Stored hashed, and without the reporter's address.
        let s = app.block_on(store::Db::open(&db.url)).unwrap();
        let (hash, body): (String, String) = app.block_on(async {
            sqlx::query_as::<_, (String, String)>("SELECT receipt_hash, body FROM tips")
                .fetch_one(&s.pool)
                .await
                .unwrap()
        });
        assert_ne!(hash, receipt);
        assert!(body.contains("饭店"));
        let entries = app
            .block_on(store::audit::list(
                &s,
                &store::audit::Filter {
                    action: Some("tip.created".into()),
                    limit: 10,
                    ..Default::default()
                },
            ))
            .unwrap();
        assert!(
            entries.iter().all(|e| e.client_addr.is_none()),
            "no address with the tip"
        );
        // The joint office answers; the reporter sees it and adds information.
        let office = app.session("dz-justice-officer");
        let queue = office.page("/leads/tips");
        assert_eq!(queue.status, 200);
        assert!(queue.body.contains("饭店"));
        let id: i64 = app.block_on(async {
            sqlx::query_scalar::<_, i64>("SELECT id FROM tips")
                .fetch_one(&s.pool)
                .await
                .unwrap()
        });
        for other in ["dz-court-officer", "judge-zhang", "admin"] {
            let c = app.session(other);
            assert_eq!(c.page("/leads/tips").status, 404, "{other}");
            assert_eq!(c.page(&format!("/leads/tips/{id}")).status, 404, "{other}");
        }
        assert_eq!(office.form(&format!("/leads/tips/{id}/action"), "action=answer&text=%E5%B7%B2%E6%94%B6%E5%88%B0%EF%BC%8C%E6%AD%A3%E5%9C%A8%E6%A0%B8%E5%AE%9E%E3%80%82%E8%AF%B7%E8%A1%A5%E5%85%85%E6%97%B6%E9%97%B4%E3%80%82").status, 303);
        let status = get(&app.url(&format!("/api/v1/tips/{receipt}")), &[]).json();
        assert_eq!(status["status"], "answered");
        assert_eq!(status["messages"][0]["from_office"], true);
        let r = app.anon().api(
            "POST",
            &format!("/api/v1/tips/{receipt}/messages"),
            json!({"text": "时间是2026年10月9日晚上七点左右。"}),
        );
        assert_eq!(r.status, 200);
        // The public page shows the same by receipt.
        let page = app
            .anon()
            .form("/tips/status", format!("receipt={receipt}"));
        assert!(page.body.contains("晚上七点") && page.body.contains("已答复"));
        // Convert into a formal lead of the justice bureau.
        let prefilled = office.page(&format!("/leads/new?tip={id}"));
        assert!(
            prefilled.body.contains("饭店")
                && prefilled
                    .body
                    .contains(&format!(r#"name="tip" value="{id}""#))
        );
        assert_eq!(
            app.session("dz-court-officer")
                .page(&format!("/leads/new?tip={id}"))
                .status,
            404
        );
        let lead = office.form("/leads/new", format!("tip={id}&subject_type=judicial_personnel&name=%E6%9F%90%E6%B3%95%E5%AE%98&org=dz-court&duty=adjudication&summary=%E7%BE%A4%E4%BC%97%E5%8F%8D%E6%98%A0&details=%E8%A7%81%E5%8F%8D%E6%98%A0&intent=submit"));
        assert_eq!(lead.status, 303, "{}", lead.body);
        assert_eq!(
            get(&app.url(&format!("/api/v1/tips/{receipt}")), &[]).json()["status"],
            "converted"
        );
        let r = app.anon().api(
            "POST",
            &format!("/api/v1/tips/{receipt}/messages"),
            json!({"text": "还有一些情况需要补充说明。"}),
        );
        assert_eq!(r.status, 409);
    }
}

#[test]
fn receipt_guessing_is_throttled() {
    let db = &databases("tip-guess")[0];
    let app = TestApp::demo(db);
    let receipt = new_tip(&app, "某律师经常请法院工作人员吃饭，情况可查。").json()["receipt"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 0..10 {
        let r = get(&app.url(&format!("/api/v1/tips/{:016}", i)), &[]);
        assert_eq!(r.status, 404, "guess {i}");
    }
    let r = get(&app.url(&format!("/api/v1/tips/{receipt}")), &[]);
    assert_eq!(
        r.status, 429,
        "locked after ten wrong guesses, even for a right one"
    );
    assert!(r.json()["error"].as_str().unwrap().contains("minutes"));
    let page = app
        .anon()
        .form("/tips/status", format!("receipt={receipt}"));
    assert!(page.body.contains("查询次数过多"));
}

#[test]
fn the_public_form_shows_the_receipt_once_and_keeps_text_on_errors() {
    let db = &databases("tip-page")[0];
    let app = TestApp::demo(db);
    let r = get(&app.url("/tips"), &[]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("tip-form"));
    let short = app.anon().form("/tips", "text=%E5%A4%AA%E7%9F%AD");
    assert!(short.body.contains("error-summary") && short.body.contains("太短"));
    let ok = app.anon().form("/tips", "text=%E6%9F%90%E5%BE%8B%E5%B8%88%E5%90%91%E6%B3%95%E5%AE%98%E8%B5%A0%E9%80%81%E7%A4%BC%E5%93%81%EF%BC%8C%E6%88%91%E4%BA%B2%E7%9C%BC%E6%89%80%E8%A7%81%E3%80%82");
    let after = ok
        .body
        .split(r#"id="tip-receipt""#)
        .nth(1)
        .expect("receipt shown");
    let receipt = after[after.find('>').unwrap() + 1..]
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(receipt.len(), 16);
    let status = get(&app.url(&format!("/api/v1/tips/{receipt}")), &[]);
    assert_eq!(status.status, 200);
}
