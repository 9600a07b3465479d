//! The home page: visitors see what each section offers; each demo person sees their own work,
//! read from the same data as the sections' pages.

use crate::support::work::seed_work;
use crate::support::*;

/// The text of the list with element id `id` on a page (empty when the list is missing).
fn list(body: &str, id: &str) -> String {
    body.split(&format!(r#"id="{id}""#))
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .map(text_of)
        .unwrap_or_default()
}

#[test]
fn visitors_see_what_each_section_offers() {
    let db = &databases("home-public")[0];
    let app = TestApp::demo(db);
    let home = app.anon().page("/");
    assert_eq!(home.status, 200);
    let cards = text_of(home.body.split(r#"id="sections""#).nth(1).unwrap());
    for want in [
        "法规",
        "《暂行规定》原文",
        "培训",
        "证书可公开核验",
        "交流活动",
        "第十二条",
        "线索通报",
        "不登录反映问题",
    ] {
        assert!(cards.contains(want), "{want}: {cards}");
    }
    assert!(!home.body.contains(r#"id="my-work""#));
}

#[test]
fn each_person_sees_their_own_work() {
    for db in databases("home-work") {
        let app = TestApp::demo(&db);
        let s = seed_work(&app);
        let page = |login: &str| {
            let r = app.session(login).page("/");
            assert_eq!(r.status, 200, "{login}");
            assert!(r.body.contains(r#"id="my-work""#), "{login}");
            r.body
        };
        // A member: the required course (overdue since 2020) and the event registered for.
        let judge = page("judge-zhang");
        let courses = list(&judge, "required-courses");
        assert!(
            courses.contains("2020-01-31") && courses.contains("已逾期") && courses.contains("0/6"),
            "{courses}"
        );
        let events = list(&judge, "my-events");
        assert!(
            events.contains("法官与律师工作交流座谈会") && events.contains("已报名"),
            "{events}"
        );
        assert!(
            !judge.contains(r#"id="waiting-leads""#),
            "members handle no leads"
        );
        // The court's lead handler: the lead waits for its acknowledgement, with the deadline.
        let court = page("dz-court-officer");
        let waiting = list(&court, "waiting-leads");
        assert!(
            waiting.contains(&s.lead_reference) && waiting.contains("签收期限"),
            "{waiting}"
        );
        assert!(court.contains(&format!("/leads/{}", s.lead)));
        // Another district's court is not on the route yet: nothing waits for it.
        let yc = page("yc-court-officer");
        assert!(!yc.contains(&s.lead_reference), "not yet reached");
        // The joint office: the manual case to route and the new tip.
        let office = page("dz-justice-officer");
        assert!(list(&office, "manual-leads").contains("需人工确定接收单位的线索"));
        assert!(office.contains(&format!("/leads/{}", s.manual_lead)));
        assert!(office.contains(&format!("/leads/tips/{}", s.tip)));
        // The training administrator: the people overdue.
        let trainer = page("dz-court-training");
        let overdue = list(&trainer, "overdue-people");
        assert!(
            overdue.contains("张法官") && overdue.contains("2020-01-31"),
            "{overdue}"
        );
        // The coordinator: the draft that needs an approval.
        let coord = page("dz-judges-coordinator");
        let to_handle = list(&coord, "events-to-handle");
        assert!(to_handle.contains("周末读书会"), "{to_handle}");
        assert!(coord.contains(&format!("/events/{}", s.draft_event)));
        assert!(
            !to_handle.contains("法官与律师工作交流座谈会"),
            "approved and in 2030"
        );
        // The page title names the page first.
        assert!(judge.contains("<title>我的工作 · 大足区司法人员与律师交往规范平台</title>"));
    }
}
