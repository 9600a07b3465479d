//! Browser flows in headless Chromium against a real server: the page hydrates and its
//! islands work; the language switch is remembered across pages.

use crate::support::browser::{available, Browser};
use crate::support::*;

#[test]
fn regulation_page_hydrates_and_the_contents_toggle_works() {
    if !available() {
        return;
    }
    let db = &databases("browser-hydrate")[0];
    let app = TestApp::start(db);
    let b = Browser::start();
    b.goto(&app.url("/regulations/dazu-2021-6"));
    let toggle = b.find("#toc-toggle");
    assert_eq!(b.attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    // Server-rendered HTML looks ready before the wasm arrives: click until the first change.
    b.wait_until(30, "hydration (toggle reacts)", |b| {
        b.click(&toggle);
        std::thread::sleep(std::time::Duration::from_millis(250));
        b.attr(&toggle, "aria-expanded").as_deref() == Some("false")
    });
    let list = b.find("#toc-list");
    assert!(b
        .attr(&list, "class")
        .unwrap_or_default()
        .contains("collapsed"));
    // Hydrated now: the next click has exactly one effect.
    b.click(&toggle);
    assert_eq!(b.attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    assert!(!b
        .attr(&list, "class")
        .unwrap_or_default()
        .contains("collapsed"));
    // The contents link jumps to the article anchor.
    let link = b.find("#toc-list a[href='#art-7']");
    b.click(&link);
    assert!(b.current_url().ends_with("#art-7"));
}

#[test]
fn language_switch_is_remembered_across_pages() {
    if !available() {
        return;
    }
    let db = &databases("browser-lang")[0];
    let app = TestApp::start(db);
    let b = Browser::start();
    b.goto(&app.url("/regulations/dazu-2021-6"));
    assert_eq!(b.script("return document.documentElement.lang"), "zh-CN");
    let switch = b.find("#lang-switch");
    b.click(&switch);
    b.wait_until(10, "English page", |b| {
        b.script("return document.documentElement.lang") == "en"
    });
    assert!(b.current_url().ends_with("/regulations/dazu-2021-6"));
    // Another page, still English: the choice is remembered.
    b.goto(&app.url("/training"));
    assert_eq!(b.script("return document.documentElement.lang"), "en");
    let nav = b.find("nav .nav");
    assert!(b.text(&nav).contains("Regulations"));
}

#[test]
fn sign_in_through_the_page_and_sign_out() {
    if !available() {
        return;
    }
    let db = &databases("browser-signin")[0];
    let app = TestApp::demo(db);
    let b = Browser::start();
    b.goto(&app.url("/regulations/dazu-2021-6"));
    let link = b.find("#sign-in-link");
    b.click(&link);
    b.wait_until(10, "sign-in page", |b| b.current_url().contains("/login"));
    // A wrong password first: the page says so and no session starts.
    b.type_text(&b.find("#login"), "judge-zhang");
    b.type_text(&b.find("#password"), "not-the-password");
    b.click(&b.find("#sign-in"));
    let err = b.find("#error-summary");
    assert!(b.text(&err).contains("账号或密码错误"));
    // The summary links to the login field, which shows the error beside it.
    assert!(b.text(&b.find("#login-error")).contains("账号或密码错误"));
    assert_eq!(
        b.attr(&b.find("#error-summary a"), "href").as_deref(),
        Some("#login")
    );
    b.type_text(&b.find("#login"), "judge-zhang");
    b.type_text(&b.find("#password"), "demo-pass-2021");
    b.click(&b.find("#sign-in"));
    b.wait_until(10, "back on the regulation", |b| {
        b.current_url().ends_with("/regulations/dazu-2021-6")
    });
    let who = b.find("#current-user");
    assert_eq!(b.text(&who), "张法官");
    b.click(&who);
    b.wait_until(10, "account page", |b| {
        b.current_url().ends_with("/account")
    });
    assert_eq!(b.text(&b.find("#account-login")), "judge-zhang");
    b.click(&b.find("#sign-out"));
    b.wait_until(10, "signed out", |b| {
        b.script("return !!document.querySelector('#sign-in-link')") == true
    });
    // The old session is gone: the account page sends us to sign in.
    b.goto(&app.url("/account"));
    assert!(b.current_url().contains("/login?next="));
}

#[test]
fn a_lead_is_reported_with_its_route_preview_and_acknowledged_by_the_receiver() {
    if !available() {
        return;
    }
    let db = &databases("browser-lead")[0];
    let app = TestApp::demo(db);
    let b = Browser::start();
    b.sign_in(&app.url("/login"), "dz-justice-officer");
    b.goto(&app.url("/leads/new"));
    b.type_text(&b.find("#name"), "赵某");
    b.click(&b.find("#org option[value='yc-court']"));
    b.click(&b.find("#duty option[value='adjudication']"));
    b.type_text(&b.find("#summary"), "律师宴请承办法官");
    b.type_text(&b.find("#details"), "据反映，某律师在饭店宴请承办法官。");
    b.click(&b.find("#preview-route"));
    let reason = b.find("#route-reason");
    assert!(b
        .text(&reason)
        .contains("先通报重庆市大足区人民法院，再由其移交重庆市永川区人民法院"));
    assert_eq!(
        b.attr(&b.find("#name"), "value").as_deref(),
        Some("赵某"),
        "the form keeps what was typed"
    );
    b.click(&b.find("#submit-lead"));
    b.wait_until(10, "case page", |b| {
        b.current_url().contains("status=created")
    });
    let case_url = b.current_url().split('?').next().unwrap().to_string();
    assert!(b
        .text(&b.find("#case-route"))
        .contains("重庆市永川区人民法院"));
    // The receiving unit signs in, finds it, and acknowledges it.
    // Let the sign-out navigation finish before starting another one.
    b.sign_out();
    b.sign_in(&app.url("/login"), "dz-court-officer");
    b.goto(&app.url("/leads"));
    let row = b.find("#inbox tr.my-turn a");
    b.click(&row);
    b.wait_until(10, "case page", |b| b.current_url() == case_url);
    b.click(&b.find("#do-acknowledge"));
    b.wait_until(10, "acknowledged", |b| {
        b.current_url().contains("status=done")
    });
    let steps = b.text(&b.find("#steps"));
    assert!(
        !steps.contains("—\t—")
            && b.script("return document.querySelector('#do-pass-on') !== null") == true,
        "{steps}"
    );
}

#[test]
fn search_finds_an_article_and_the_hit_is_highlighted() {
    if !available() {
        return;
    }
    let db = &databases("browser-search")[0];
    let app = TestApp::start(db);
    let b = Browser::start();
    b.goto(&app.url("/"));
    b.type_text(&b.find("#header-q"), "同级相关司法机关\n");
    b.wait_until(10, "search results", |b| {
        b.current_url().contains("/search?q=")
    });
    let first = b.find(".hit .hit-link");
    let href = b.attr(&first, "href").unwrap_or_default();
    assert!(
        href.ends_with("#art-7"),
        "the phrase is in Article 7 only: {href}"
    );
    b.click(&first);
    b.wait_until(10, "article anchor", |b| {
        b.current_url().ends_with("#art-7")
    });
    assert_eq!(
        b.script(
            "return document.querySelector(':target') && document.querySelector(':target').id"
        ),
        "art-7"
    );
    let bg = b.script("return getComputedStyle(document.querySelector(':target')).backgroundColor");
    assert_ne!(bg, "rgba(0, 0, 0, 0)", "the target article is highlighted");
}

#[test]
fn a_coordinator_publishes_an_event_and_a_member_registers() {
    if !available() {
        return;
    }
    let db = &databases("browser-events")[0];
    let app = TestApp::demo(db);
    // A Tuesday two weeks ahead, 09:00–11:00 Beijing time.
    let bj = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let mut day = (chrono::Utc::now().with_timezone(&bj) + chrono::Duration::weeks(2)).date_naive();
    while chrono::Datelike::weekday(&day) != chrono::Weekday::Tue {
        day += chrono::Duration::days(1);
    }
    let b = Browser::start();
    b.sign_in(&app.url("/login"), "dz-judges-coordinator");
    b.goto(&app.url("/events"));
    b.click(&b.find("#new-event-link"));
    b.wait_until(10, "event form", |b| {
        b.current_url().ends_with("/events/new")
    });
    b.type_text(&b.find("#title"), "法官与律师工作交流座谈会");
    b.type_text(&b.find("#agenda"), "- 通报第十二条交流机制运行情况");
    b.click(&b.find("#venue option:nth-child(2)"));
    // datetime-local inputs take their value from script in every locale.
    b.script(&format!(
        "document.querySelector('#starts-at').value='{day}T09:00';\
         document.querySelector('#ends-at').value='{day}T11:00';\
         document.querySelector('#deadline').value='{day}T08:00';\
         document.querySelector('#capacity').value='12';\
         document.querySelectorAll('#open-to input').forEach(i => {{ if (i.value === 'dz-firm-1') i.checked = true; }}); return true;"
    ));
    b.click(&b.find("#save-event"));
    b.wait_until(10, "draft saved", |b| {
        b.current_url().contains("status=created")
    });
    assert!(
        b.script("return document.querySelector('#event-flags') === null") == true,
        "no flags in hours at an official venue"
    );
    b.click(&b.find("#publish"));
    b.wait_until(10, "published", |b| {
        b.current_url().contains("status=published")
    });
    let event_url = b.current_url().split('?').next().unwrap().to_string();
    assert!(b.text(&b.find("#event-status")).contains("已发布"));
    b.sign_out();
    // A lawyer of an invited unit registers with a declaration and finds it in "my events".
    b.sign_in(&app.url("/login"), "lawyer-chen");
    b.goto(&event_url);
    b.click(&b.find("#has-case-yes"));
    b.type_text(&b.find("#case-note"), "代理一起民事案件");
    b.click(&b.find("#register"));
    b.wait_until(10, "registered", |b| {
        b.current_url().contains("status=registered")
    });
    assert!(b.text(&b.find("#my-registration")).contains("已报名"));
    b.click(&b.find("#my-events-link"));
    b.wait_until(10, "my events", |b| {
        b.current_url().ends_with("/events/mine")
    });
    let mine = b.text(&b.find("#my-registrations"));
    assert!(
        mine.contains("法官与律师工作交流座谈会") && mine.contains("已报名"),
        "{mine}"
    );
}

#[test]
fn judge_takes_a_lesson_and_the_quiz_and_gets_a_certificate() {
    if !available() {
        return;
    }
    let db = &databases("browser-training")[0];
    let app = TestApp::demo(db);
    // The right answers come from the course files, never from the page.
    let catalogue = corpus::courses::load(&root().join("content")).expect("course content");
    let course = &catalogue.course("regulation-guide").unwrap().course;
    let b = Browser::start();
    b.goto(&app.url("/login?next=%2Ftraining%2Fregulation-guide"));
    b.type_text(&b.find("#login"), "judge-zhang");
    b.type_text(&b.find("#password"), "demo-pass-2021");
    b.click(&b.find("#sign-in"));
    b.wait_until(10, "course page", |b| {
        b.current_url().ends_with("/training/regulation-guide")
    });
    assert!(b.text(&b.find("#course-progress")).contains("0/6"));
    // A lesson, marked complete: on to the next lesson, and the course counts it.
    b.click(&b.find("#lesson-list li:first-child a"));
    b.wait_until(10, "lesson page", |b| {
        b.current_url()
            .ends_with("/training/regulation-guide/rg-01-purpose-scope")
    });
    b.click(&b.find("#complete-lesson"));
    b.wait_until(10, "next lesson", |b| {
        b.current_url()
            .ends_with("/training/regulation-guide/rg-02-principles-cooperation")
    });
    b.goto(&app.url("/training/regulation-guide"));
    assert!(b.text(&b.find("#course-progress")).contains("1/6"));
    // The quiz: its link only shows the start page; the button starts the attempt.
    b.click(&b.find("#take-quiz"));
    b.wait_until(10, "start page", |b| {
        b.current_url().ends_with("/quizzes/regulation-guide-quiz")
    });
    b.click(&b.find("#start-quiz"));
    b.wait_until(10, "quiz form", |b| b.current_url().contains("/attempts/"));
    let drawn = b.script(
        "return [...new Set([...document.querySelectorAll('#quiz-form fieldset.question input')].map(i => i.name))]",
    );
    let drawn: Vec<String> = drawn
        .as_array()
        .expect("question ids")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(drawn.len(), 10);
    let url = b.current_url();
    let attempt_id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let attempt = app.attempt(attempt_id);
    for qid in &drawn {
        let q = course.question(qid).expect("a question of the bank");
        for oid in q.correct_ids() {
            // The form names options by the attempt's tokens, never by content ids.
            let token = attempt.token_of(qid, oid).unwrap();
            b.click(&b.find(&format!("#quiz-form input[name='{qid}'][value='{token}']")));
        }
    }
    b.click(&b.find("#quiz-submit"));
    b.wait_until(10, "review", |b| {
        b.script("return !!document.querySelector('#quiz-score')") == true
    });
    let score = b.find("#quiz-score");
    assert!(b.text(&score).contains("10.0 / 10"), "{}", b.text(&score));
    assert_eq!(b.attr(&score, "class").as_deref(), Some("ok"));
    assert_eq!(
        b.script("return document.querySelectorAll('#review li.right').length"),
        10
    );
    let code_link = b.find("#certificate-code");
    let code = b.text(&code_link);
    assert_eq!(code.len(), 12, "{code}");
    // The public check of the certificate.
    b.click(&code_link);
    b.wait_until(10, "verification page", |b| {
        b.current_url().ends_with(&format!("/verify/{code}"))
    });
    assert_eq!(b.text(&b.find("#cert-holder")), "张法官");
    assert_eq!(b.text(&b.find("#cert-status")), "有效");
    // And the holder's print view.
    b.goto(&app.url(&format!("/certificates/{code}/print")));
    assert_eq!(b.text(&b.find("#print-code")), code);
}
