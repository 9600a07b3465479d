//! Article 11 (issue 14): the district justice bureau and lawyers' association assign courses
//! to lawyers (every lawyer of the district's law firms, one firm, or chosen lawyers); the
//! lawyers see them as required (API and `/training`); both administrators see the lawyers'
//! completion on `/training-admin`, its CSV and the reports; every other unit still assigns
//! inside its own unit only.

use crate::support::browser::{available, Browser};
use crate::support::*;

use serde_json::{json, Value};

const COURSE: &str = "lawyer-discipline";

fn assign(c: &Client, body: Value) -> Reply {
    c.api("POST", "/api/v1/assignments", body)
}

/// The caller's required courses, by course id → status.
fn required(c: &Client) -> Vec<(String, String)> {
    let r = c.api("GET", "/api/v1/assignments", None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["course_id"].as_str().unwrap().to_string(),
                x["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_bureau_and_the_association_assign_courses_to_the_district_lawyers() {
    for db in databases("art11-assign") {
        let app = TestApp::demo(&db);
        let member = || vec![store::users::Role::Member];
        app.add_user("lawyer-zhou", "周律师", "dz-firm-2", member());
        app.add_user("lawyer-yc", "永川律师", "yc-firm-1", member());
        let bar = app.user("dz-bar-training");
        let justice = app.user("dz-justice-training");
        let chen = app.user("lawyer-chen");
        let zhou = app.user("lawyer-zhou");
        let yc = app.user("lawyer-yc");
        assert!(required(&chen).is_empty());
        // Every lawyer of a law firm registered in the district: both Dazu firms, not Yongchuan.
        let r = assign(
            &bar,
            json!({"course_id": COURSE, "target": "district_lawyers", "due": "2099-12-31"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let a = r.json();
        assert_eq!(a["target"], "district_lawyers");
        assert_eq!(a["unit"], "dz-bar");
        assert_eq!(a["assigned"], 2, "{a}");
        assert_eq!(
            required(&chen),
            vec![(COURSE.to_string(), "pending".into())]
        );
        assert_eq!(
            required(&zhou),
            vec![(COURSE.to_string(), "pending".into())]
        );
        assert!(required(&yc).is_empty());
        let page = app.session("lawyer-chen").page("/training");
        assert!(
            page.body.contains("id=\"required-courses\""),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("href=\"/training/{COURSE}\"")));
        // One firm, and chosen lawyers, by the justice bureau.
        let r = assign(
            &justice,
            json!({"course_id": "regulation-guide", "target": "firm:dz-firm-2", "due": "2099-06-30"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["assigned"], 1);
        let chen_id = app.user_id("lawyer-chen");
        let r = assign(
            &justice,
            json!({"course_id": "proper-boundaries", "target": "people", "people": [chen_id], "due": "2020-01-31"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["people"][0]["login"], "lawyer-chen");
        let mut mine = required(&chen);
        mine.sort();
        assert_eq!(
            mine,
            vec![
                (COURSE.to_string(), "pending".to_string()),
                ("proper-boundaries".to_string(), "overdue".to_string()),
            ]
        );
        assert_eq!(required(&zhou).len(), 2);
        // A firm outside the district is refused.
        let r = assign(
            &justice,
            json!({"course_id": COURSE, "target": "firm:yc-firm-1", "due": "2099-06-30"}),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("law firm registered in the district"));
        // Lawyer Chen completes course 04: both administrators see it.
        app.pass_quiz(&chen, &format!("{COURSE}-quiz"));
        assert_eq!(required(&chen)[0], (COURSE.to_string(), "done".into()));
        let listed = bar.api("GET", "/api/v1/assignments", None).json();
        let a = &listed["assignments"][0];
        assert_eq!(
            (a["assigned"].clone(), a["completed"].clone()),
            (json!(2), json!(1))
        );
        let admin = app.session("dz-bar-training").page("/training-admin");
        assert!(
            admin.body.contains("data-assigned=\"2\" data-done=\"1\""),
            "{}",
            admin.body
        );
        assert!(!admin.body.contains("data-login=\"lawyer-chen\""));
        assert!(admin
            .body
            .contains("data-login=\"lawyer-zhou\" class=\"pending\""));
        let csv = bar.page("/training-admin/report.csv");
        assert!(
            csv_plain(&csv.body).contains("陈律师,lawyer-chen,"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("已完成"));
        // The reports count the lawyers under their firm, for both administrators.
        // Chen: course 04 done, course 02 overdue; Zhou: courses 04 and 01 pending.
        for who in ["dz-bar-training", "dz-justice-training"] {
            let r = app.session(who).page("/training-admin/reports");
            assert_eq!(r.status, 200, "{who}");
            let firm1 = ["2", "1", "1", "50%", "1", "1", "100%", "1"];
            let firm2 = ["2", "0", "0", "0%", "0", "0", "—", "0"];
            assert_eq!(
                report_row(&r.body, "data-unit=\"dz-firm-1\""),
                cells(&firm1),
                "{who}"
            );
            assert_eq!(
                report_row(&r.body, "data-unit=\"dz-firm-2\""),
                cells(&firm2),
                "{who}"
            );
        }
        let csv = justice.page("/training-admin/reports.csv");
        assert!(csv.body.contains("dz-firm-1"), "{}", csv.body);
        // The Yongchuan lawyer stays out of it.
        assert!(required(&yc).is_empty());
    }
}

#[test]
fn other_units_assign_only_inside_their_own_unit() {
    for db in databases("art11-others") {
        let app = TestApp::demo(&db);
        let court = app.user("dz-court-training");
        let chen_id = app.user_id("lawyer-chen");
        for (body, words) in [
            (
                json!({"course_id": COURSE, "target": "district_lawyers", "due": "2099-12-31"}),
                "Article 11",
            ),
            (
                json!({"course_id": COURSE, "target": "firm:dz-firm-1", "due": "2099-12-31"}),
                "Article 11",
            ),
            (
                json!({"course_id": COURSE, "target": "people", "people": [chen_id], "due": "2099-12-31"}),
                "only people of your unit",
            ),
        ] {
            let r = assign(&court, body.clone());
            assert_eq!(r.status, 422, "{body}: {}", r.body);
            let msg = r.json()["error"].as_str().unwrap().to_string();
            assert!(msg.contains(words) && msg.contains(" / "), "{msg}");
        }
        // The same through the form: refused with the reason, nothing assigned.
        let r = app.session("dz-court-training").form(
            "/training-admin",
            "course=lawyer-discipline&target=district_lawyers&due=2099-12-31",
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("id=\"assign-error\""));
        // The court's form offers no lawyer targets at all; the bar association's does.
        let page = app
            .session("dz-court-training")
            .page("/training-admin")
            .body;
        assert!(!page.contains("value=\"district_lawyers\""));
        assert!(!page.contains("value=\"firm:"));
        let page = app.session("dz-bar-training").page("/training-admin").body;
        assert!(page.contains("value=\"district_lawyers\""));
        assert!(page.contains("value=\"firm:dz-firm-1\""));
        assert!(!page.contains("value=\"firm:yc-firm-1\""));
        // Inside its unit the court assigns as before.
        let r = assign(
            &court,
            json!({"course_id": COURSE, "target": "unit", "due": "2099-12-31"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        assert!(required(&app.user("lawyer-chen")).is_empty());
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM training_assignments", &[]),
            1
        );
    }
}

/// Issue 14's browser check: `dz-bar-training` assigns course 04 to the district's lawyers on
/// `/training-admin`, and `lawyer-chen` sees it required on `/training`.
#[test]
fn browser_the_bar_association_assigns_course_04_to_the_district_lawyers() {
    if !available() {
        return;
    }
    let db = &databases("art11-browser")[0];
    let app = TestApp::demo(db);
    let b = Browser::start();
    b.sign_in(&app.url("/login"), "dz-bar-training");
    b.goto(&app.url("/training-admin"));
    b.script(&format!(
        "document.querySelector('#assign-course').value = '{COURSE}';\
         document.querySelector('#assign-target').value = 'district_lawyers';\
         document.querySelector('#assign-due').value = '2099-12-31';"
    ));
    b.click(&b.find("#assign-submit"));
    b.wait_until(10, "assigned", |b| b.current_url().contains("created=1"));
    assert!(b.text(&b.find("#admin-status")).contains("已布置"));
    b.sign_out();
    b.sign_in(&app.url("/login"), "lawyer-chen");
    b.goto(&app.url("/training"));
    let list = b.find("#required-courses");
    let text = b.text(&list);
    assert!(text.contains("未完成"), "{text}");
    assert!(b
        .script(&format!(
            "return !!document.querySelector('#required-courses a[href=\"/training/{COURSE}\"]')"
        ))
        .as_bool()
        .unwrap());
    assert_eq!(required(&app.user("lawyer-chen")).len(), 1);
}

/// Issue 18: `/training-admin` stays small on a large unit. 120 more members of the court,
/// all assigned a course: the page shows the counts, 50 people not yet done per page with
/// links to the next and previous pages, a search by name, and the CSV has everyone.
#[test]
fn the_admin_page_pages_the_people_not_yet_done() {
    for db in databases("admin-paging") {
        let app = TestApp::demo(&db);
        add_members(&db.url, "paged", 120);
        let trainer = app.user("dz-court-training");
        let r = assign(
            &trainer,
            json!({"course_id": COURSE, "target": "unit", "due": "2099-12-31"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let assigned = r.json()["assigned"].as_i64().unwrap();
        assert!(assigned >= 120, "{assigned}");
        let session = app.session("dz-court-training");
        let rows = |body: &str| {
            let at = body.find("id=\"pending-table\"").unwrap();
            let table = &body[at..at + body[at..].find("</table>").unwrap()];
            table.matches("<tr data-login=").count()
        };
        let first = session.page("/training-admin").body;
        assert!(
            first.contains(&format!("data-assigned=\"{assigned}\"")),
            "{first}"
        );
        assert!(first.contains(&format!("data-total=\"{assigned}\"")));
        assert_eq!(rows(&first), 50);
        assert!(first.contains("id=\"pending-next\"") && !first.contains("id=\"pending-prev\""));
        let pages = (assigned as usize).div_ceil(50);
        let last = session.page(&format!("/training-admin?page={pages}")).body;
        assert_eq!(rows(&last), assigned as usize - (pages - 1) * 50);
        assert!(last.contains("id=\"pending-prev\"") && !last.contains("id=\"pending-next\""));
        // Past the end: the last page.
        let beyond = session.page("/training-admin?page=999").body;
        assert_eq!(rows(&beyond), rows(&last));
        // Search by login or name.
        let found = session.page("/training-admin?q=judge-zhang").body;
        assert_eq!(rows(&found), 1);
        assert!(found.contains("data-total=\"1\"") && found.contains("data-login=\"judge-zhang\""));
        let by_name = session
            .page("/training-admin?q=%E5%BC%A0%E6%B3%95%E5%AE%98")
            .body; // 张法官
        assert_eq!(rows(&by_name), 1);
        let none = session.page("/training-admin?q=nobody-at-all").body;
        assert_eq!(rows(&none), 0);
        // The people picker is paged too, with its own search.
        assert!(first.matches("name=\"person\"").count() <= 50);
        // The CSV has everyone.
        let csv = trainer.page("/training-admin/report.csv").body;
        assert_eq!(csv.lines().count(), assigned as usize + 1);
    }
}
