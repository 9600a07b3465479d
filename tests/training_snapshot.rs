//! `/training-admin` at a large unit (issue 18): a unit's figures are read once and shared by
//! the views of the next `PORTAL_TRAINING_FIGURES_SECS`, the page says as of when, the
//! administrator's own change shows at once, and the CSV is always read afresh.

use crate::support::*;

/// The completion counts of the page's assignments: `data-done` values in page order.
fn done_counts(page: &str) -> Vec<String> {
    page.split("data-done=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The judge's row in the list of people not yet done.
const PENDING_JUDGE: &str = "data-login=\"judge-zhang\" class=\"pending\"";

#[test]
fn the_admin_page_shares_its_figures_and_shows_its_own_changes_at_once() {
    for db in databases("admin-snapshot") {
        let app = TestApp::builder(&db)
            .demo()
            .training_figures_secs(3600)
            .start();
        let trainer = app.user("dz-court-training");
        let r = trainer.form(
            "/training-admin",
            "course=regulation-guide&target=unit&due=2099-12-31",
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let page = trainer.page("/training-admin").body;
        assert!(page.contains("id=\"figures-at\""), "{page}");
        assert!(
            page.contains("3600"),
            "the page says how old its figures may be"
        );
        assert_eq!(done_counts(&page), vec!["0"], "{page}");
        // The judge passes: the shared figures do not know yet …
        app.pass_quiz(&app.user("judge-zhang"), "regulation-guide-quiz");
        let page = trainer.page("/training-admin").body;
        assert_eq!(done_counts(&page), vec!["0"]);
        assert!(page.contains(PENDING_JUDGE), "{page}");
        // … the CSV does (it is read afresh) …
        let csv = trainer.page("/training-admin/report.csv").body;
        let judge = csv
            .lines()
            .find(|l| l.contains("judge-zhang"))
            .unwrap_or("");
        assert!(judge.contains("已完成"), "{csv}");
        // … and the administrator's own change drops them: the next view reads again.
        let id = page
            .split("/training-admin/assignments/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("an assignment's form")
            .to_string();
        let r = trainer.form(
            &format!("/training-admin/assignments/{id}/due"),
            "due=2099-06-30",
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let page = trainer.page("/training-admin?status=due-changed").body;
        assert_eq!(done_counts(&page), vec!["1"], "{page}");
        assert!(!page.contains(PENDING_JUDGE), "{page}");
        // Another unit's page has figures of its own.
        let other = app.user("dz-justice-training").page("/training-admin");
        assert_eq!(other.status, 200);
        assert!(done_counts(&other.body).is_empty(), "{}", other.body);
    }
}
