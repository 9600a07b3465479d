//! Training (issue 5): the catalogue, attempts that never reveal the right answers before
//! submission, scoring of every question kind, a second submission refused without change,
//! attempt limits, cool-down and the time limit, certificates and their public verification,
//! lesson progress, and content errors that stop the server with the file and line.

use crate::support::*;

use serde_json::{json, Value};

const QUIZ: &str = "regulation-guide-quiz";

fn start(c: &Client) -> Reply {
    c.api("POST", &format!("/api/v1/quizzes/{QUIZ}/attempts"), None)
}

fn submit(c: &Client, id: i64, answers: Value) -> Reply {
    c.api(
        "POST",
        &format!("/api/v1/attempts/{id}/submit"),
        json!({ "answers": answers }),
    )
}

/// Every question of an attempt reply answered with `pick` (content option ids), as the
/// attempt's tokens.
fn answers_by(
    app: &TestApp,
    attempt: &Value,
    pick: impl Fn(&domain::training::Question) -> Vec<String>,
) -> Value {
    let course = &app.state.courses.by_quiz(QUIZ).unwrap().course;
    let content: store::attempts::Answers = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let id = q["id"].as_str().unwrap();
            (id.to_string(), pick(course.question(id).unwrap()))
        })
        .collect();
    app.tokens_of(attempt["attempt_id"].as_i64().unwrap(), &content)
}

/// The right answers to the questions of an attempt reply, from the loaded catalogue.
fn right_answers(app: &TestApp, attempt: &Value) -> Value {
    answers_by(app, attempt, |q| {
        q.correct_ids().into_iter().map(String::from).collect()
    })
}

/// Wrong answers: the first wrong option of each question.
fn wrong_answers(app: &TestApp, attempt: &Value) -> Value {
    answers_by(app, attempt, |q| {
        vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
    })
}

/// Moves every attempt eleven minutes back: past the ten-minute cool-down before the next.
fn past_cool_down(app: &TestApp) {
    app.exec(
        "UPDATE quiz_attempts SET submitted_at = submitted_at - 660000, started_at = started_at - 660000",
        &[],
    );
}

fn has_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| k == key || has_key(v, key)),
        Value::Array(a) => a.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

#[test]
fn catalogue_lists_four_courses() {
    for db in databases("training-catalogue") {
        let app = TestApp::start(&db);
        let r = get(&app.url("/api/v1/courses"), &[]);
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        let list = v.as_array().unwrap();
        assert_eq!(list.len(), 4, "{}", db.label);
        for c in list {
            assert!(c["lessons"].as_u64().unwrap() >= 4);
            assert_eq!(c["quiz"]["questions"], 10);
            assert_eq!(c["quiz"]["pass_mark"], 80);
            assert!(c["quiz"]["id"].as_str().unwrap().ends_with("-quiz"));
        }
        let html = get(&app.url("/training"), &[]);
        assert_eq!(html.status, 200);
        for c in list {
            assert!(
                html.body
                    .contains(&html_escape(c["title_zh"].as_str().unwrap())),
                "{}",
                c["id"]
            );
        }
        let doc = get(&app.url("/api/v1/openapi.json"), &[]).json();
        for p in [
            "/courses",
            "/quizzes/{id}/attempts",
            "/attempts/{attempt_id}/submit",
        ] {
            assert!(doc["paths"][p].is_object(), "{p}");
        }
        // Anonymous callers may read but not take a quiz.
        assert_eq!(start(&app.anon()).status, 401);
        assert_eq!(
            app.anon()
                .api("POST", "/api/v1/quizzes/nope/attempts", None)
                .status,
            401
        );
    }
}

#[test]
fn scoring_every_kind_with_shipped_questions() {
    use domain::training::{score_question, QuestionKind};
    let db = &databases("training-scoring")[0];
    let app = TestApp::start(db);
    let all: Vec<_> = app
        .state
        .courses
        .courses
        .iter()
        .flat_map(|c| c.course.questions.iter())
        .collect();
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for kind in [
        QuestionKind::Single,
        QuestionKind::TrueFalse,
        QuestionKind::Scenario,
        QuestionKind::Multiple,
    ] {
        let q = all.iter().find(|q| q.kind == kind).unwrap();
        let right = q.correct_ids();
        let wrong: Vec<&str> = q
            .options
            .iter()
            .filter(|o| !o.correct)
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(score_question(q, &ids(&right)), 1.0, "{kind:?}");
        assert_eq!(score_question(q, &ids(&wrong[..1])), 0.0, "{kind:?}");
        assert_eq!(score_question(q, &[]), 0.0, "{kind:?}");
        let mut both = right.clone();
        both.push(wrong[0]);
        let got = score_question(q, &ids(&both));
        if kind == QuestionKind::Multiple && q.partial_credit {
            let n = right.len() as f64;
            assert!((got - (n - 1.0) / n).abs() < 1e-9, "{got}");
            let part = score_question(q, &ids(&right[..right.len() - 1]));
            assert!((part - (n - 1.0) / n).abs() < 1e-9, "{part}");
        } else {
            assert_eq!(got, 0.0, "{kind:?}");
        }
    }
}

#[test]
fn attempts_never_reveal_answers_and_resume() {
    for db in databases("training-hidden") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let r = start(&judge);
        assert_eq!(r.status, 200, "{}", r.body);
        let a = r.json();
        let qs = a["questions"].as_array().unwrap();
        assert_eq!(qs.len(), 10);
        assert!(!has_key(&a, "correct"), "{}", r.body);
        assert!(!has_key(&a, "explanation"), "{}", r.body);
        let course = &app.state.courses.by_quiz(QUIZ).unwrap().course;
        let id = a["attempt_id"].as_i64().unwrap();
        // The start page offers the open attempt; its form is the attempt's page.
        let start_page = judge.page(&format!("/quizzes/{QUIZ}"));
        assert_eq!(start_page.status, 200);
        assert!(start_page
            .body
            .contains(&format!("id=\"continue-attempt\" href=\"/attempts/{id}\"")));
        let form = judge.page(&format!("/attempts/{id}"));
        assert_eq!(form.status, 200);
        assert!(form.body.contains(&format!("action=\"/attempts/{id}\"")));
        for q in qs {
            let q = course.question(q["id"].as_str().unwrap()).unwrap();
            for text in [&q.explanation_zh, &q.explanation_en] {
                assert!(!r.body.contains(text.as_str()));
                assert!(!form.body.contains(&html_escape(text)));
            }
            assert!(form.body.contains(&html_escape(&q.prompt_zh)));
        }
        assert!(!form.body.contains("correct"));
        // A reload resumes the same attempt, with the answers saved so far.
        let first = qs[0]["id"].as_str().unwrap();
        let opt = qs[0]["options"][0]["id"].as_str().unwrap();
        let s = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id}/answers"),
            json!({"answers": {first: [opt]}}),
        );
        assert_eq!(s.status, 200, "{}", s.body);
        let again = start(&judge).json();
        assert_eq!(again["attempt_id"], id);
        assert_eq!(again["resumed"], true);
        assert_eq!(again["answers"][first], json!([opt]));
        assert_eq!(again["questions"], a["questions"]);
        // Bad input is a JSON 4xx.
        let bad = submit(&judge, id, json!({"nope": ["a"]}));
        assert_eq!(bad.status, 422);
        assert!(bad.json()["error"].is_string());
        let bad = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": 5}),
        );
        assert_eq!(bad.status, 422);
        assert_eq!(
            judge
                .api("POST", "/api/v1/quizzes/nope/attempts", None)
                .status,
            404
        );
    }
}

#[test]
fn submit_once_certificate_and_verification() {
    for db in databases("training-submit") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let li = app.user("prosecutor-li");
        let a = start(&judge).json();
        let id = a["attempt_id"].as_i64().unwrap();
        // Someone else's attempt does not exist for them.
        let other = submit(&li, id, right_answers(&app, &a));
        assert_eq!(other.status, 404);
        assert_eq!(li.page(&format!("/attempts/{id}")).status, 404);

        let r = submit(&judge, id, right_answers(&app, &a));
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["score"], 10.0);
        assert_eq!(v["max_score"], 10.0);
        assert_eq!(v["passed"], true);
        let review = v["review"].as_array().unwrap();
        assert_eq!(review.len(), 10);
        assert!(review.iter().all(|q| q["correct"] == true
            && q["explanation"].is_string()
            && !q["correct_options"].as_array().unwrap().is_empty()
            && !q["citations"].as_array().unwrap().is_empty()));
        let code = v["certificate"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 12);

        // A second submission is a 409 and changes nothing.
        let again = submit(&judge, id, wrong_answers(&app, &a));
        assert_eq!(again.status, 409, "{}", again.body);
        let stored = {
            let db = app.state.db.clone();
            let uid: i64 = app.block_on(async move {
                sqlx::query_scalar("SELECT id FROM users WHERE login = 'judge-zhang'")
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
            });
            let db = app.state.db.clone();
            app.block_on(async move { store::attempts::load(&db, id, uid).await.unwrap().unwrap() })
        };
        assert_eq!(stored.score, Some(10.0));
        assert!(stored.passed);

        // The review page shows the right answers and links to the cited articles.
        let rp = judge.page(&format!("/attempts/{id}"));
        assert_eq!(rp.status, 200);
        assert!(rp.body.contains("/regulations/dazu-2021-6/art-"));
        assert!(rp.body.contains(&code));

        // Verification is public.
        let ver = get(&app.url(&format!("/verify/{code}")), &[]);
        assert_eq!(ver.status, 200);
        assert!(ver.body.contains("张法官"), "{}", ver.body);
        assert!(ver.body.contains(&html_escape("《暂行规定》逐条导读")));
        assert!(ver.body.contains("id=\"cert-status\" class=\"ok\""));
        assert_eq!(get(&app.url("/verify/AAAAAAAAAAAA"), &[]).status, 404);
        // After expiry it shows as expired, and the course is due again.
        app.exec(
            &format!("UPDATE certificates SET expires_at = 1000 WHERE code = '{code}'"),
            &[],
        );
        let ver = get(&app.url(&format!("/verify/{code}")), &[]);
        assert!(ver.body.contains("id=\"cert-status\" class=\"due\""));
    }
}

#[test]
fn attempt_limit_cooldown_and_time_limit() {
    for db in databases("training-limits") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        // Attempt 1: wrong answers, not passed.
        let a = start(&judge).json();
        let id1 = a["attempt_id"].as_i64().unwrap();
        let r = submit(&judge, id1, wrong_answers(&app, &a)).json();
        assert_eq!(r["passed"], false);
        assert_eq!(r["certificate"], Value::Null);
        // Cool-down: ten minutes before the next attempt.
        let cool = start(&judge);
        assert_eq!(cool.status, 429, "{}", cool.body);
        let cool_page = judge.page(&format!("/quizzes/{QUIZ}"));
        assert!(cool_page.body.contains("quiz-refused"));
        past_cool_down(&app);
        // Attempt 2: past its time limit, only the answers saved in time count.
        let b = start(&judge);
        assert_eq!(b.status, 200, "{}", b.body);
        let b = b.json();
        let id2 = b["attempt_id"].as_i64().unwrap();
        assert_ne!(id1, id2);
        let right = right_answers(&app, &b);
        let (q0, a0) = right.as_object().unwrap().iter().next().unwrap();
        let saved = judge.api(
            "POST",
            &format!("/api/v1/attempts/{id2}/answers"),
            json!({"answers": {q0.clone(): a0.clone()}}),
        );
        assert_eq!(saved.status, 200);
        app.exec(
            &format!("UPDATE quiz_attempts SET started_at = started_at - 1500000 WHERE id = {id2}"),
            &[],
        );
        let late = submit(&judge, id2, right).json();
        assert_eq!(late["late"], true);
        assert_eq!(late["score"], 1.0);
        assert_eq!(late["passed"], false);
        past_cool_down(&app);
        // Attempt 3, then the limit.
        let c = start(&judge).json();
        let id3 = c["attempt_id"].as_i64().unwrap();
        assert_eq!(submit(&judge, id3, json!({})).status, 200);
        past_cool_down(&app);
        let over = start(&judge);
        assert_eq!(over.status, 409, "{}", over.body);
        assert!(over.json()["error"].as_str().unwrap().contains('3'));
        // Another learner is unaffected.
        let li = app.user("prosecutor-li");
        assert_eq!(start(&li).status, 200);
    }
}

#[test]
fn lesson_completion_moves_progress() {
    for db in databases("training-progress") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let course = judge.page("/training/regulation-guide");
        assert_eq!(course.status, 200);
        assert!(course.body.contains("0/6"), "{}", course.body);
        assert!(course
            .body
            .contains("href=\"/training/regulation-guide/rg-01-purpose-scope\""));
        let lesson = judge.page("/training/regulation-guide/rg-01-purpose-scope");
        assert_eq!(lesson.status, 200);
        assert!(lesson.body.contains("<h2>"));
        assert!(lesson.body.contains("complete-lesson"));
        let done = judge.send(
            "POST",
            "/training/regulation-guide/rg-01-purpose-scope",
            &[],
            b"",
        );
        assert_eq!(done.status, 303);
        assert_eq!(
            done.header("location"),
            Some("/training/regulation-guide/rg-02-principles-cooperation")
        );
        let course = judge.page("/training/regulation-guide");
        assert!(course.body.contains("1/6"));
        assert!(course.body.contains(
            "id=\"continue\" href=\"/training/regulation-guide/rg-02-principles-cooperation\""
        ));
        let cat = judge.page("/training");
        assert!(cat.body.contains("1/6"));
        // Anonymous readers see the lesson but cannot record progress.
        let anon = get(
            &app.url("/training/regulation-guide/rg-01-purpose-scope"),
            &[],
        );
        assert_eq!(anon.status, 200);
        assert!(!anon.body.contains("complete-lesson"));
        let anon_post = send(
            "POST",
            &app.url("/training/regulation-guide/rg-01-purpose-scope"),
            &[],
            b"",
        );
        assert_eq!(anon_post.status, 303);
        assert!(anon_post.header("location").unwrap().starts_with("/login"));
        assert_eq!(get(&app.url("/training/nope"), &[]).status, 404);
        assert_eq!(
            get(&app.url("/training/regulation-guide/nope"), &[]).status,
            404
        );
    }
}

/// The right answers of an attempt as a form body.
fn form_answers(app: &TestApp, attempt_id: i64, uid: i64, right: bool) -> String {
    let db = app.state.db.clone();
    let a = app.block_on(async move {
        store::attempts::load(&db, attempt_id, uid)
            .await
            .unwrap()
            .unwrap()
    });
    let course = &app.state.courses.by_quiz(&a.quiz_id).unwrap().course;
    let mut body = Vec::new();
    for qid in &a.question_ids {
        let q = course.question(qid).unwrap();
        let chosen = if right {
            q.correct_ids()
        } else {
            vec![q.options.iter().find(|o| !o.correct).unwrap().id.as_str()]
        };
        for o in chosen {
            body.push(format!("{qid}={}", a.token_of(qid, o).unwrap()));
        }
    }
    body.join("&")
}

#[test]
fn quiz_start_page_starts_nothing_until_the_button_is_pressed() {
    for db in databases("training-start") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let uid = app.user_id("judge-zhang");
        let quiz_page = format!("/quizzes/{QUIZ}");
        let exams = "SELECT COUNT(*) FROM quiz_attempts WHERE mode = 'exam'";
        // Anonymous: sign in first, nothing started.
        let anon = get(&app.url(&quiz_page), &[]);
        assert_eq!(anon.status, 303);
        assert!(anon.header("location").unwrap().starts_with("/login?next="));
        // Following (or prefetching) the link twice starts nothing.
        for _ in 0..2 {
            let p = judge.page(&quiz_page);
            assert_eq!(p.status, 200, "{}", p.body);
            assert!(p
                .body
                .contains(&format!("method=\"post\" action=\"/quizzes/{QUIZ}/start\"")));
            assert!(p.body.contains("id=\"start-quiz\""));
            assert!(p.body.contains("0/3"), "{}", db.label);
            assert!(!p.body.contains("continue-attempt"));
        }
        assert_eq!(app.scalar(exams, &[]), 0, "{}", db.label);
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.attempt_started'",
                &[]
            ),
            0
        );
        // A cross-site post cannot start one either.
        let cross = judge.send(
            "POST",
            &format!("{quiz_page}/start"),
            &[("Sec-Fetch-Site", "cross-site")],
            b"",
        );
        assert_eq!(cross.status, 403);
        assert_eq!(app.scalar(exams, &[]), 0);
        // The button starts one and goes to its form; pressing it again resumes it.
        let started = judge.form(&format!("{quiz_page}/start"), "");
        assert_eq!(started.status, 303, "{}", started.body);
        let to = started.header("location").unwrap().to_string();
        let id: i64 = to.strip_prefix("/attempts/").unwrap().parse().unwrap();
        assert_eq!(app.scalar(exams, &[]), 1);
        let again = judge.form(&format!("{quiz_page}/start"), "");
        assert_eq!(again.header("location"), Some(to.as_str()));
        assert_eq!(app.scalar(exams, &[]), 1);
        let p = judge.page(&quiz_page);
        assert!(p
            .body
            .contains(&format!("id=\"continue-attempt\" href=\"/attempts/{id}\"")));
        assert!(!p.body.contains("start-form"));
        // The form saves as the learner goes, then submits.
        let f = judge.page(&to);
        assert_eq!(f.status, 200);
        assert!(f.body.contains(&format!("action=\"/attempts/{id}\"")));
        assert!(!f.body.contains("correct"));
        let wrong = form_answers(&app, id, uid, false);
        let saved = judge.form(&to, format!("{wrong}&do=save"));
        assert_eq!(saved.status, 303);
        assert_eq!(
            saved.header("location"),
            Some(format!("/attempts/{id}?saved=1").as_str())
        );
        assert!(judge
            .page(&format!("/attempts/{id}?saved=1"))
            .body
            .contains("checked"));
        let done = judge.form(&to, "do=submit");
        assert_eq!(done.status, 303);
        let review = judge.page(&to);
        assert!(review.body.contains("0.0 / 10"), "{}", review.body);
        // Cool-down: the start page says so and the button is gone; a post changes nothing.
        let p = judge.page(&quiz_page);
        assert!(p.body.contains("id=\"quiz-refused\""));
        assert!(!p.body.contains("start-form"));
        let refused = judge.form(&format!("{quiz_page}/start"), "");
        assert_eq!(refused.header("location"), Some(quiz_page.as_str()));
        assert_eq!(app.scalar(exams, &[]), 1);
        // Practice of the mistakes: the same start page and button.
        let pp = judge.page(&format!("{quiz_page}/practice"));
        assert!(pp
            .body
            .contains(&format!("action=\"/quizzes/{QUIZ}/practice/start\"")));
        assert!(pp.body.contains("待练习的错题 10"), "{}", pp.body);
        let ps = judge.form(&format!("{quiz_page}/practice/start"), "");
        assert_eq!(ps.status, 303);
        let pid: i64 = ps
            .header("location")
            .unwrap()
            .strip_prefix("/attempts/")
            .unwrap()
            .parse()
            .unwrap();
        assert_ne!(pid, id);
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM quiz_attempts WHERE mode = 'practice'",
                &[]
            ),
            1
        );
        assert_eq!(app.scalar(exams, &[]), 1);
        // A second exam attempt that runs past its time limit unsubmitted: the start page
        // links to it, and the next start scores it with the answers saved in time.
        past_cool_down(&app);
        let second = judge.form(&format!("{quiz_page}/start"), "");
        let id2: i64 = second
            .header("location")
            .unwrap()
            .strip_prefix("/attempts/")
            .unwrap()
            .parse()
            .unwrap();
        let right = form_answers(&app, id2, uid, true);
        assert_eq!(
            judge
                .form(&format!("/attempts/{id2}"), format!("{right}&do=save"))
                .status,
            303
        );
        app.exec(
            &format!("UPDATE quiz_attempts SET started_at = started_at - 3600000 WHERE id = {id2}"),
            &[],
        );
        let p = judge.page(&quiz_page);
        assert!(p.body.contains("id=\"attempt-expired\""), "{}", p.body);
        assert!(p.body.contains(&format!("href=\"/attempts/{id2}\"")));
        assert!(p.body.contains("id=\"start-quiz\""));
        let late_form = judge.page(&format!("/attempts/{id2}"));
        assert!(late_form.body.contains("quiz-form"));
        let third = judge.form(&format!("{quiz_page}/start"), "");
        assert_eq!(third.status, 303);
        assert_ne!(
            third.header("location"),
            Some(format!("/attempts/{id2}").as_str())
        );
        assert_eq!(app.scalar(exams, &[]), 3);
        let scored = judge.page(&format!("/attempts/{id2}"));
        assert!(scored.body.contains("10.0 / 10"), "{}", scored.body);
        assert!(scored.body.contains("certificate-issued"));
    }
}

#[test]
fn invalid_course_content_stops_the_server() {
    let db = &databases("training-content")[0];
    let dir = scratch_dir("training-content-files");
    copy_dir(&root().join("content"), &dir);
    let q = dir.join("courses/03-lead-routing/questions.toml");
    let text = std::fs::read_to_string(&q).unwrap();
    let broken = text.replacen("dazu-2021-6/art-7-1\"", "dazu-2021-6/art-16\"", 1);
    let line = broken[..broken.find("art-16").unwrap()]
        .matches('\n')
        .count()
        + 1;
    std::fs::write(&q, broken).unwrap();
    let mut cfg = config(db);
    cfg.content_dir = dir.clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = match rt.block_on(server::AppState::build(cfg)) {
        Ok(_) => panic!("the server started with a citation of Article 16"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains(&format!("03-lead-routing/questions.toml:{line}:")),
        "{err}"
    );
    assert!(err.contains("art-16"), "{err}");
}

#[test]
fn concurrent_submissions_are_neither_lost_nor_duplicated() {
    use store::attempts::{self, Answers, SubmitRefused};
    for db in databases("training-concurrent") {
        let app = TestApp::start(&db);
        let (pool_db, cat) = (app.state.db.clone(), app.state.courses.clone());
        // 50 learners × 4 quizzes = 200 attempts, each submitted twice at the same time.
        let results = app.block_on(async move {
            let now = store::now_ms();
            let mut users = Vec::new();
            for i in 0..50 {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (login, display_name, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(format!("learner-{i}"))
                .bind(format!("学员{i}"))
                .bind(now)
                .fetch_one(&pool_db.pool)
                .await
                .unwrap();
                users.push(id);
            }
            let mut started = Vec::new();
            for &u in &users {
                for lc in &cat.courses {
                    let actor = store::audit::Actor::default();
                    let (a, _) = attempts::start(&pool_db, &cat, &lc.course.quiz.id, attempts::Mode::Exam, &actor, u, now)
                        .await
                        .unwrap();
                    started.push(a);
                }
            }
            assert_eq!(started.len(), 200);
            let mut tasks = Vec::new();
            for (n, a) in started.iter().enumerate() {
                let course = &cat.by_quiz(&a.quiz_id).unwrap().course;
                let answers: Answers = a
                    .question_ids
                    .iter()
                    .map(|q| {
                        let q = course.question(q).unwrap();
                        let chosen = if n % 2 == 0 {
                            q.correct_ids()
                        } else {
                            vec![q.options.iter().find(|o| !o.correct).unwrap().id.as_str()]
                        };
                        let tokens = chosen.into_iter().map(|o| a.token_of(&q.id, o).unwrap().to_string()).collect();
                        (q.id.clone(), tokens)
                    })
                    .collect();
                for _ in 0..2 {
                    let (db, cat, answers, id, user) =
                        (pool_db.clone(), cat.clone(), answers.clone(), a.id, a.user_id);
                    tasks.push(tokio::spawn(async move {
                        let actor = store::audit::Actor::default();
                        attempts::submit(&db, &cat, id, user, &answers, &actor, store::now_ms())
                            .await
                            .map(|o| (o.passed, o.certificate.is_some()))
                    }));
                }
            }
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            let count = |sql: &'static str| {
                let db = pool_db.clone();
                async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool).await.unwrap() }
            };
            let submitted = count("SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL").await;
            let certs = count("SELECT COUNT(*) FROM certificates").await;
            let audited = count("SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.submitted'").await;
            (out, submitted, certs, audited)
        });
        let (out, submitted, certs, audited) = results;
        let ok: Vec<_> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
        let again = out
            .iter()
            .filter(|r| matches!(r, Err(SubmitRefused::AlreadySubmitted)))
            .count();
        let other: Vec<_> = out
            .iter()
            .filter(|r| !matches!(r, Ok(_) | Err(SubmitRefused::AlreadySubmitted)))
            .collect();
        assert!(other.is_empty(), "{}: {other:?}", db.label);
        assert_eq!(ok.len(), 200, "{}", db.label);
        assert_eq!(again, 200, "{}", db.label);
        assert_eq!(submitted, 200);
        assert_eq!(ok.iter().filter(|(passed, _)| *passed).count(), 100);
        assert_eq!(certs, 100);
        assert_eq!(ok.iter().filter(|(_, c)| *c).count(), 100);
        assert_eq!(audited, 200);
    }
}

#[test]
fn practise_my_mistakes() {
    for db in databases("training-practice") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let practise =
            |auth: &Client| auth.api("POST", &format!("/api/v1/quizzes/{QUIZ}/practice"), None);
        assert_eq!(practise(&judge).status, 409);
        let a = start(&judge).json();
        let id = a["attempt_id"].as_i64().unwrap();
        // Half right, half wrong.
        let right = right_answers(&app, &a);
        let wrong = wrong_answers(&app, &a);
        let mut mixed = serde_json::Map::new();
        let mut wrong_ids = Vec::new();
        for (i, q) in a["questions"].as_array().unwrap().iter().enumerate() {
            let qid = q["id"].as_str().unwrap();
            if i % 2 == 0 {
                mixed.insert(qid.into(), right[qid].clone());
            } else {
                mixed.insert(qid.into(), wrong[qid].clone());
                wrong_ids.push(qid.to_string());
            }
        }
        let r = submit(&judge, id, Value::Object(mixed)).json();
        assert_eq!(r["score"], 5.0);
        let course = judge.page("/training/regulation-guide");
        assert!(course.body.contains("id=\"practise\""));

        let p = practise(&judge);
        assert_eq!(p.status, 200, "{}", p.body);
        let pv = p.json();
        assert!(!has_key(&pv, "correct"));
        let mut got: Vec<String> = pv["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        wrong_ids.sort();
        assert_eq!(got, wrong_ids);
        // Resumed on reload, also as a page.
        let pid = pv["attempt_id"].as_i64().unwrap();
        assert_eq!(practise(&judge).json()["attempt_id"], pid);
        let start_page = judge.page(&format!("/quizzes/{QUIZ}/practice"));
        assert!(start_page
            .body
            .contains(&format!("id=\"continue-attempt\" href=\"/attempts/{pid}\"")));
        let form = judge.page(&format!("/attempts/{pid}"));
        assert!(form.body.contains(&format!("action=\"/attempts/{pid}\"")));
        // Practice during the exam cool-down, no certificate, and the mistakes are cleared.
        let done = submit(&judge, pid, right_answers(&app, &pv)).json();
        assert_eq!(done["passed"], true);
        assert_eq!(done["certificate"], Value::Null);
        assert_eq!(practise(&judge).status, 409);
        // Practice does not use up exam attempts.
        let course = judge.page("/training/regulation-guide");
        assert!(course.body.contains("1/3"), "{}", course.body);
    }
}

#[test]
fn a_changed_cited_article_marks_the_course_for_review() {
    let db = &databases("training-review")[0];
    let dir = revised_content("training-review-files");
    let app = TestApp::builder(db).content_dir(dir).start();
    // Course 1 cites Article 9; course 4 (lawyers) does not.
    let c1 = get(&app.url("/training/regulation-guide"), &[]);
    assert!(c1.body.contains("id=\"needs-review\""), "{}", c1.body);
    assert!(c1.body.contains("第9条"));
    let c4 = get(&app.url("/training/lawyer-discipline"), &[]);
    let cites_9 = app
        .state
        .courses
        .course("lawyer-discipline")
        .unwrap()
        .course
        .questions
        .iter()
        .flat_map(|q| q.cites.iter())
        .chain(
            app.state
                .courses
                .course("lawyer-discipline")
                .unwrap()
                .course
                .lessons
                .iter()
                .flat_map(|l| l.cites.iter()),
        )
        .any(|c| c == "dazu-2021-6/art-9");
    assert_eq!(c4.body.contains("id=\"needs-review\""), cites_9);
    // With the shipped content nothing needs review.
    let db2 = &databases("training-review-none")[0];
    let app2 = TestApp::start(db2);
    let c1 = get(&app2.url("/training/regulation-guide"), &[]);
    assert!(!c1.body.contains("needs-review"));
}

#[test]
fn question_statistics_for_training_administrators() {
    let db = &databases("training-stats")[0];
    let app = TestApp::demo(db);
    let judge = app.user("judge-zhang");
    let admin = app.user("dz-court-training");
    let a = start(&judge).json();
    let id = a["attempt_id"].as_i64().unwrap();
    let wrong = wrong_answers(&app, &a);
    assert_eq!(submit(&judge, id, wrong.clone()).status, 200);
    let path = format!("/quizzes/{QUIZ}/stats");
    assert_eq!(judge.page(&path).status, 404);
    assert_eq!(get(&app.url(&path), &[]).status, 303);
    let st = admin.page(&path);
    assert_eq!(st.status, 200, "{}", st.body);
    let course = &app.state.courses.by_quiz(QUIZ).unwrap().course;
    let qid = wrong.as_object().unwrap().keys().next().unwrap();
    let q = course.question(qid).unwrap();
    // Stored by content id (the learner sent the attempt's token).
    let chosen = &app.attempt(id).answers[qid];
    let text = &q.option(&chosen[0]).unwrap().text_zh;
    let row_start = st.body.find(&format!("id=\"stat-{qid}\"")).unwrap();
    let row = &st.body[row_start..row_start + st.body[row_start..].find("</tr>").unwrap()];
    assert!(row.contains("0%"), "{row}");
    assert!(
        row.contains(&format!("{}（1）", html_escape(text))),
        "{row}"
    );
}

/// The "my required courses" list of a catalogue page.
fn required_list(body: &str) -> &str {
    match body.find("id=\"required-courses\"") {
        Some(i) => &body[i..i + body[i..].find("</ul>").unwrap()],
        None => "",
    }
}

#[test]
fn assignments_due_dates_and_completion_report() {
    for db in databases("training-assign") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let trainer = app.user("dz-court-training");
        let officer = app.user("dz-court-officer");
        let li = app.user("prosecutor-li");
        let form = |c: &Client, body: &str| c.form("/training-admin", body);
        assert_eq!(judge.page("/training-admin").status, 404);
        assert_eq!(get(&app.url("/training-admin"), &[]).status, 303);
        assert_eq!(
            form(&judge, "course=regulation-guide&target=unit&due=2099-01-01").status,
            404
        );
        // The whole unit, already overdue; the judge alone, due later.
        let r = form(
            &trainer,
            "course=regulation-guide&target=unit&due=2020-01-31",
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let judge_id = app.user_id("judge-zhang");
        let r = form(
            &trainer,
            &format!("course=proper-boundaries&target=people&person={judge_id}&due=2099-12-31"),
        );
        assert_eq!(r.status, 303, "{}", r.body);
        // Bad input: the form again with the reason.
        for bad in [
            "course=nope&target=unit&due=2099-12-31".to_string(),
            "course=regulation-guide&target=unit&due=31.12.2099".to_string(),
            "course=regulation-guide&target=people&due=2099-12-31".to_string(),
            format!(
                "course=regulation-guide&target=people&person={}&due=2099-12-31",
                app.user_id("prosecutor-li")
            ),
        ] {
            let r = form(&trainer, &bad);
            assert_eq!(r.status, 422, "{bad}");
            assert!(r.body.contains("assign-error"), "{bad}");
        }
        // Learners see their required courses, overdue ones marked.
        let mine = judge.page("/training").body;
        let list = required_list(&mine);
        assert!(
            list.contains("class=\"overdue\"><a href=\"/training/regulation-guide\""),
            "{list}"
        );
        assert!(list.contains("class=\"pending\"><a href=\"/training/proper-boundaries\""));
        assert!(list.contains("2099-12-31"));
        let theirs = officer.page("/training").body;
        let list = required_list(&theirs);
        assert!(list.contains("/training/regulation-guide") && !list.contains("proper-boundaries"));
        assert_eq!(required_list(&li.page("/training").body), "");
        // The report follows completion.
        let report = trainer.page("/training-admin").body;
        let at = report.find("judge-zhang").unwrap_or(0);
        assert!(
            report.contains("data-login=\"judge-zhang\" class=\"overdue\""),
            "{}",
            &report[at.saturating_sub(200)..(at + 200).min(report.len())]
        );
        let a = start(&judge).json();
        let id = a["attempt_id"].as_i64().unwrap();
        assert_eq!(
            submit(&judge, id, right_answers(&app, &a)).json()["passed"],
            true
        );
        let list_after = judge.page("/training").body;
        assert!(required_list(&list_after)
            .contains("class=\"done\"><a href=\"/training/regulation-guide\""));
        // Done people leave the list of people not yet done; the counts show them.
        let report = trainer.page("/training-admin").body;
        assert!(
            !report.contains("data-login=\"judge-zhang\" class=\"overdue\""),
            "{report}"
        );
        assert!(report.contains("data-done=\"1\""), "{report}");
        assert!(report.contains("data-login=\"dz-court-officer\" class=\"overdue\""));
        assert!(report.contains("data-login=\"judge-zhang\" class=\"pending\""));
        // CSV for Excel: UTF-8 with BOM, Chinese text intact.
        let csv = trainer.page("/training-admin/report.csv");
        assert_eq!(csv.status, 200);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(csv_plain(&csv.body).contains("张法官,judge-zhang,《暂行规定》逐条导读"));
        assert!(csv.body.contains("已完成") && csv.body.contains("已逾期"));
        assert_eq!(judge.page("/training-admin/report.csv").status, 404);
    }
}

/// Starts an attempt at `quiz` through the API.
fn start_quiz(auth: &Client, quiz: &str) -> Value {
    let r = auth.api("POST", &format!("/api/v1/quizzes/{quiz}/attempts"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Takes `quiz` once with all answers right or all wrong; returns whether it passed.
fn take(app: &TestApp, auth: &Client, quiz: &str, right: bool) -> bool {
    let a = start_quiz(auth, quiz);
    let course = &app.state.courses.by_quiz(quiz).unwrap().course;
    let mut m = store::attempts::Answers::new();
    for q in a["questions"].as_array().unwrap() {
        let q = course.question(q["id"].as_str().unwrap()).unwrap();
        let chosen: Vec<String> = if right {
            q.correct_ids().into_iter().map(String::from).collect()
        } else {
            vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
        };
        m.insert(q.id.clone(), chosen);
    }
    let id = a["attempt_id"].as_i64().unwrap();
    let r = submit(auth, id, app.tokens_of(id, &m));
    assert_eq!(r.status, 200, "{}", r.body);
    // Past the cool-down for the next attempt.
    past_cool_down(app);
    r.json()["passed"] == true
}

const DAY_MS: i64 = 86_400_000;

/// dz-court (three members) with three assignments and attempts: the figures the reports
/// must show.
fn seed_court_training(app: &TestApp) {
    let trainer = app.user("dz-court-training");
    let judge = app.user("judge-zhang");
    let officer = app.user("dz-court-officer");
    let assign = |body: String| {
        let r = trainer.form("/training-admin", body);
        assert_eq!(r.status, 303, "{}", r.body);
    };
    assign("course=regulation-guide&target=unit&due=2020-01-31".into());
    assign(format!(
        "course=proper-boundaries&target=people&person={}&due=2099-12-31",
        app.user_id("judge-zhang")
    ));
    assign("course=lead-routing&target=role:lead_handler&due=2020-06-30".into());
    // The judge fails, then passes (certificate three days ago); the trainer passes (a day
    // ago); the officer fails once, and passes a course nobody assigned.
    assert!(!take(app, &judge, QUIZ, false));
    assert!(take(app, &judge, QUIZ, true));
    assert!(take(app, &trainer, QUIZ, true));
    assert!(!take(app, &officer, QUIZ, false));
    assert!(take(app, &officer, "lawyer-discipline-quiz", true));
    let (j, t) = (app.user_id("judge-zhang"), app.user_id("dz-court-training"));
    app.exec(
        &format!(
            "UPDATE certificates SET issued_at = issued_at - {} WHERE user_id = {j}",
            3 * DAY_MS
        ),
        &[],
    );
    app.exec(
        &format!("UPDATE certificates SET issued_at = issued_at - {DAY_MS} WHERE user_id = {t}"),
        &[],
    );
    // Elsewhere: a prosecutor passes (not in the court's figures).
    let li = app.user("prosecutor-li");
    assert!(take(app, &li, QUIZ, true));
}

#[test]
fn unit_reports_count_completion_attempts_and_overdue_people() {
    for db in databases("training-reports") {
        let app = TestApp::demo(&db);
        seed_court_training(&app);
        let trainer = app.user("dz-court-training");
        let judge = app.user("judge-zhang");
        let path = "/training-admin/reports";
        assert_eq!(get(&app.url(path), &[]).status, 303);
        assert_eq!(judge.page(path).status, 404);
        assert_eq!(judge.page("/training-admin/reports.csv").status, 404);
        let r = trainer.page(path);
        assert_eq!(r.status, 200, "{}", r.body);
        let b = &r.body;
        assert!(b.contains("重庆市大足区人民法院"));
        assert!(!b.contains("id=\"by-unit\""), "one unit: no per-unit table");
        // assigned, completed, overdue, completion, attempts, passed, pass rate, holders
        assert_eq!(
            report_row(b, "data-course=\"regulation-guide\""),
            cells(&["3", "2", "1", "67%", "4", "2", "50%", "2"]),
            "{}",
            db.label
        );
        assert_eq!(
            report_row(b, "data-course=\"proper-boundaries\""),
            cells(&["1", "0", "0", "0%", "0", "0", "—", "0"])
        );
        assert_eq!(
            report_row(b, "data-course=\"lead-routing\""),
            cells(&["1", "0", "1", "0%", "0", "0", "—", "0"])
        );
        assert_eq!(
            report_row(b, "data-course=\"lawyer-discipline\""),
            cells(&["0", "0", "0", "—", "1", "1", "100%", "1"])
        );
        assert_eq!(
            report_row(b, "data-course=\"total\""),
            cells(&["5", "2", "2", "40%", "5", "3", "60%", "3"])
        );
        // Overdue: the officer, twice; nobody else.
        let overdue = &b[b.find("id=\"overdue-people\"").unwrap()..];
        let overdue = &overdue[..overdue.find("</table>").unwrap()];
        assert_eq!(
            overdue.matches("data-login=\"dz-court-officer\"").count(),
            2
        );
        assert_eq!(overdue.matches("class=\"overdue\"").count(), 2);
        assert!(overdue.contains("2020-01-31") && overdue.contains("2020-06-30"));
        // The chart: regulation-guide by day, from the first certificate three days ago.
        assert!(
            b.contains("id=\"completion-chart\" data-points=\"4\" data-last=\"2\""),
            "{b}"
        );
        assert!(b.contains("<polyline"));
        let series = &b[b.find("id=\"completion-series\"").unwrap()..];
        let values: Vec<&str> = series
            .split("</td><td>")
            .skip(1)
            .take(4)
            .map(|c| &c[..c.find("</td>").unwrap()])
            .collect();
        assert_eq!(values, ["1", "1", "2", "2"]);
        assert!(b.contains("应完成 3"));
        // An assignment's chart: the judge's, nobody done yet.
        let aid = app.scalar(
            "SELECT id FROM training_assignments WHERE course_id = 'proper-boundaries'",
            &[],
        );
        let ar = trainer.page(&format!("{path}?assignment={aid}"));
        assert!(ar
            .body
            .contains("id=\"completion-chart\" data-points=\"1\" data-last=\"0\""));
        assert!(ar.body.contains("应完成 1"));
        // Another unit cannot be asked for.
        let other = trainer.page(&format!("{path}?unit=dz-procuratorate"));
        assert_eq!(
            report_row(&other.body, "data-course=\"total\""),
            cells(&["5", "2", "2", "40%", "5", "3", "60%", "3"])
        );
        // CSV for Excel.
        let csv = trainer.page("/training-admin/reports.csv");
        assert_eq!(csv.status, 200);
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv_plain(&csv.body)
                .contains("dz-court,重庆市大足区人民法院,《暂行规定》逐条导读,3,2,1,67%,4,2,50%,2"),
            "{}",
            csv.body
        );
        assert!(csv_plain(&csv.body).contains(",合计,全部课程,5,2,2,40%,5,3,60%,3"));
        assert!(!csv.body.contains("dz-procuratorate"));
        // An expired certificate no longer counts as completed.
        app.exec(
            &format!(
                "UPDATE certificates SET expires_at = 1000 WHERE user_id = {}",
                app.user_id("judge-zhang")
            ),
            &[],
        );
        let r = trainer.page(path);
        assert_eq!(
            report_row(&r.body, "data-course=\"regulation-guide\""),
            cells(&["3", "1", "2", "33%", "4", "2", "50%", "1"])
        );
    }
}

/// Adds an account with the demo password.
#[test]
fn aggregate_reports_over_the_units_an_administrator_may_see() {
    use store::users::Role;
    for db in databases("training-aggregate") {
        let app = TestApp::demo(&db);
        seed_court_training(&app);
        // The procuratorate: the whole unit, overdue; the prosecutor has passed.
        let db2 = app.state.db.clone();
        let admin_id = app.user_id("admin");
        app.block_on(async move {
            store::attempts::assign(
                &db2,
                &store::audit::Actor::default(),
                "dz-procuratorate",
                "regulation-guide",
                &store::attempts::Target::Unit,
                1_580_486_399_000,
                admin_id,
                store::now_ms(),
            )
            .await
            .unwrap()
        });
        // Another district's court.
        let yc = app.user("yc-court-officer");
        assert!(take(&app, &yc, QUIZ, true));
        app.add_user(
            "cq-high-court-training",
            "市高院培训管理员",
            "cq-high-court",
            vec![Role::TrainingAdmin, Role::Member],
        );
        let path = "/training-admin/reports";

        // The system administrator: every unit, region subtotals and a total.
        let admin = app.user("admin");
        let r = admin.page(path);
        assert_eq!(r.status, 200, "{}", r.body);
        let b = &r.body;
        assert!(b.contains("id=\"by-unit\""));
        let court = ["5", "2", "2", "40%", "5", "3", "60%", "3"];
        let procuratorate = ["2", "1", "1", "50%", "1", "1", "100%", "1"];
        let yc_court = ["0", "0", "0", "—", "1", "1", "100%", "1"];
        assert_eq!(
            report_row(b, "data-unit=\"dz-court\""),
            cells(&court),
            "{}",
            db.label
        );
        assert_eq!(
            report_row(b, "data-unit=\"dz-procuratorate\""),
            cells(&procuratorate)
        );
        assert_eq!(report_row(b, "data-unit=\"yc-court\""), cells(&yc_court));
        assert_eq!(
            report_row(b, "data-unit=\"dz-psb\""),
            cells(&["0", "0", "0", "—", "0", "0", "—", "0"])
        );
        assert_eq!(
            report_row(b, "data-unit=\"region:dz\""),
            cells(&["7", "3", "3", "43%", "6", "4", "67%", "4"])
        );
        assert_eq!(report_row(b, "data-unit=\"region:yc\""), cells(&yc_court));
        let total = ["7", "3", "3", "43%", "7", "5", "71%", "5"];
        assert_eq!(report_row(b, "data-unit=\"total\""), cells(&total));
        assert_eq!(report_row(b, "data-course=\"total\""), cells(&total));
        assert_eq!(
            report_row(b, "data-course=\"regulation-guide\""),
            cells(&["5", "3", "2", "60%", "6", "4", "67%", "4"])
        );
        let overdue = &b[b.find("id=\"overdue-people\"").unwrap()..];
        let overdue = &overdue[..overdue.find("</table>").unwrap()];
        assert_eq!(overdue.matches("class=\"overdue\"").count(), 3);
        assert!(overdue.contains("data-login=\"dz-procuratorate-officer\""));
        assert!(overdue.contains("重庆市大足区人民检察院"));
        // Narrowed to a district, then to a unit.
        let r = admin.page(&format!("{path}?region=yc"));
        assert!(r.body.contains("data-unit=\"yc-psb\""));
        assert!(!r.body.contains("data-unit=\"dz-court\""));
        assert!(!r.body.contains("data-unit=\"region:"));
        assert_eq!(report_row(&r.body, "data-unit=\"total\""), cells(&yc_court));
        let r = admin.page(&format!("{path}?unit=dz-procuratorate"));
        assert!(!r.body.contains("id=\"by-unit\""));
        assert_eq!(
            report_row(&r.body, "data-course=\"total\""),
            cells(&procuratorate)
        );
        let csv = admin.page("/training-admin/reports.csv?region=dz");
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv_plain(&csv.body)
                .contains("dz-procuratorate,重庆市大足区人民检察院,全部课程,2,1,1,50%,1,1,100%,1"),
            "{}",
            csv.body
        );
        assert!(csv_plain(&csv.body).contains(",合计,全部课程,7,3,3,43%,6,4,67%,4"));
        assert!(!csv.body.contains("yc-court"));

        // The high court's training administrator: every court, no other kind of unit.
        let high = app.user("cq-high-court-training");
        let r = high.page(path);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("data-unit=\"cq-court-1\""));
        assert!(r.body.contains("data-unit=\"tl-court\""));
        assert!(!r.body.contains("data-unit=\"dz-procuratorate\""));
        assert_eq!(report_row(&r.body, "data-unit=\"dz-court\""), cells(&court));
        assert_eq!(
            report_row(&r.body, "data-unit=\"total\""),
            cells(&["5", "2", "2", "40%", "6", "4", "67%", "4"])
        );
        let r = high.page(&format!("{path}?unit=dz-procuratorate"));
        assert!(
            r.body.contains("data-unit=\"dz-court\""),
            "not in scope: ignored"
        );
        // A district unit's administrator stays with the unit.
        let trainer = app.user("dz-court-training");
        let r = trainer.page(&format!("{path}?region=yc"));
        assert!(!r.body.contains("id=\"by-unit\""));
        assert_eq!(report_row(&r.body, "data-course=\"total\""), cells(&court));
    }
}

#[test]
fn assignments_api_and_edit_forms() {
    use store::users::Role;
    for db in databases("training-assign-api") {
        let app = TestApp::demo(&db);
        app.add_user(
            "dz-procuratorate-training",
            "检察院培训管理员",
            "dz-procuratorate",
            vec![Role::TrainingAdmin, Role::Member],
        );
        let trainer = app.user("dz-court-training");
        let other = app.user("dz-procuratorate-training");
        let judge = app.user("judge-zhang");
        let judge_id = app.user_id("judge-zhang");
        let api = "/api/v1/assignments";
        assert_eq!(app.anon().api("GET", api, None).status, 401);
        let create = |auth: &Client, body: Value| auth.api("POST", api, body);
        // Only a training administrator creates, and only for their unit.
        assert_eq!(
            create(
                &judge,
                json!({"course_id": "regulation-guide", "target": "unit", "due": "2099-01-01"})
            )
            .status,
            404
        );
        for bad in [
            json!({"course_id": "nope", "target": "unit", "due": "2099-01-01"}),
            json!({"course_id": "regulation-guide", "target": "unit", "due": "01.01.2099"}),
            json!({"course_id": "regulation-guide", "target": "people", "people": [], "due": "2099-01-01"}),
            json!({"course_id": "regulation-guide", "target": "people", "people": [app.user_id("prosecutor-li")], "due": "2099-01-01"}),
            json!({"course_id": "regulation-guide", "target": "role:nope", "due": "2099-01-01"}),
            json!({"course_id": "regulation-guide", "target": "unit", "due": "2099-01-01", "extra": 1}),
        ] {
            let r = create(&trainer, bad.clone());
            assert_eq!(r.status, 422, "{bad} {}", r.body);
            assert!(r.json()["error"].is_string());
        }
        let unit = create(
            &trainer,
            json!({"course_id": "regulation-guide", "target": "unit", "due": "2020-01-31"}),
        );
        assert_eq!(unit.status, 201, "{}", unit.body);
        let unit = unit.json();
        assert_eq!(unit["target"], "unit");
        assert_eq!(unit["due"], "2020-01-31");
        assert_eq!(unit["assigned"], 3);
        assert_eq!(unit["overdue"], 3);
        let unit_id = unit["id"].as_i64().unwrap();
        let people = create(&trainer, json!({"course_id": "proper-boundaries", "target": "people", "people": [judge_id], "due": "2099-12-31"})).json();
        assert_eq!(people["people"][0]["login"], "judge-zhang");
        assert_eq!(people["assigned"], 1);
        let role = create(&trainer, json!({"course_id": "lead-routing", "target": "role:lead_handler", "due": "2099-12-31"})).json();
        assert_eq!(role["target"], "role:lead_handler");
        assert_eq!(role["assigned"], 1);
        // The member sees their required courses; the administrator also the unit's.
        let mine = judge.api("GET", api, None).json();
        assert!(mine.get("assignments").is_none());
        let req = mine["required"].as_array().unwrap();
        assert_eq!(req.len(), 2);
        let status = |v: &Value, course: &str| {
            v["required"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["course_id"] == course)
                .map(|r| r["status"].as_str().unwrap().to_string())
        };
        assert_eq!(
            status(&mine, "regulation-guide").as_deref(),
            Some("overdue")
        );
        assert_eq!(
            status(&mine, "proper-boundaries").as_deref(),
            Some("pending")
        );
        let theirs = trainer.api("GET", api, None).json();
        assert_eq!(theirs["unit"], "dz-court");
        assert_eq!(theirs["assignments"].as_array().unwrap().len(), 3);
        assert_eq!(
            status(&theirs, "regulation-guide").as_deref(),
            Some("overdue")
        );
        let elsewhere = other.api("GET", api, None).json();
        assert_eq!(elsewhere["assignments"].as_array().unwrap().len(), 0);
        // Moving the due date: only in one's own unit.
        let patch =
            |auth: &Client, id: i64, body: Value| auth.api("PATCH", &format!("{api}/{id}"), body);
        assert_eq!(
            patch(&judge, unit_id, json!({"due": "2099-01-01"})).status,
            404
        );
        assert_eq!(
            patch(&other, unit_id, json!({"due": "2099-01-01"})).status,
            404
        );
        assert_eq!(
            patch(&trainer, unit_id, json!({"due": "someday"})).status,
            422
        );
        assert_eq!(
            patch(&trainer, 999_999, json!({"due": "2099-01-01"})).status,
            404
        );
        let moved = patch(&trainer, unit_id, json!({"due": "2099-01-01"}));
        assert_eq!(moved.status, 200, "{}", moved.body);
        assert_eq!(moved.json()["due"], "2099-01-01");
        assert_eq!(moved.json()["overdue"], 0);
        let mine = judge.api("GET", api, None).json();
        assert_eq!(
            status(&mine, "regulation-guide").as_deref(),
            Some("pending")
        );
        assert_eq!(
            app.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'training.assignment_due_changed' AND object_id = '{unit_id}'"), &[]),
            1
        );
        // Deleting: the same rule; the people list goes with it.
        let people_id = people["id"].as_i64().unwrap();
        let del = |auth: &Client, id: i64| auth.api("DELETE", &format!("{api}/{id}"), None);
        assert_eq!(del(&other, people_id).status, 404);
        assert_eq!(del(&judge, people_id).status, 404);
        let d = del(&trainer, people_id);
        assert_eq!(d.status, 200, "{}", d.body);
        assert_eq!(d.json()["deleted"], people_id);
        assert_eq!(del(&trainer, people_id).status, 404);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM training_assignees", &[]),
            0
        );
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'training.assignment_deleted'",
                &[]
            ),
            1
        );
        assert_eq!(
            judge.api("GET", api, None).json()["required"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // The OpenAPI document lists them.
        let doc = get(&app.url("/api/v1/openapi.json"), &[]).json();
        for m in ["get", "post"] {
            assert!(doc["paths"]["/assignments"][m].is_object(), "{m}");
        }
        for m in ["patch", "delete"] {
            assert!(doc["paths"]["/assignments/{id}"][m].is_object(), "{m}");
        }
        // The same on the administrator's page, as forms.
        let admin_page = trainer.page("/training-admin").body;
        assert!(admin_page.contains(&format!(
            "action=\"/training-admin/assignments/{unit_id}/due\""
        )));
        assert!(admin_page.contains(&format!(
            "action=\"/training-admin/assignments/{unit_id}/delete\""
        )));
        assert!(admin_page.contains("value=\"2099-01-01\""));
        let post = |auth: &Client, path: String, body: &str| auth.form(&path, body);
        let r = post(
            &trainer,
            format!("/training-admin/assignments/{unit_id}/due"),
            "due=2030-06-30",
        );
        assert_eq!(r.status, 303);
        assert_eq!(
            r.header("location"),
            Some("/training-admin?status=due-changed")
        );
        let shown = trainer.page("/training-admin?status=due-changed").body;
        assert!(shown.contains("id=\"admin-status\""));
        assert!(shown.contains("截止 2030-06-30"));
        let r = post(
            &trainer,
            format!("/training-admin/assignments/{unit_id}/due"),
            "due=June",
        );
        assert_eq!(r.header("location"), Some("/training-admin?error=due"));
        assert!(trainer
            .page("/training-admin?error=due")
            .body
            .contains("assign-error"));
        assert_eq!(
            post(
                &other,
                format!("/training-admin/assignments/{unit_id}/due"),
                "due=2031-01-01"
            )
            .status,
            404
        );
        assert_eq!(
            post(
                &judge,
                format!("/training-admin/assignments/{unit_id}/delete"),
                ""
            )
            .status,
            404
        );
        assert_eq!(
            post(
                &other,
                format!("/training-admin/assignments/{unit_id}/delete"),
                ""
            )
            .status,
            404
        );
        let r = post(
            &trainer,
            format!("/training-admin/assignments/{unit_id}/delete"),
            "",
        );
        assert_eq!(r.header("location"), Some("/training-admin?status=deleted"));
        assert_eq!(
            app.scalar(
                &format!("SELECT COUNT(*) FROM training_assignments WHERE id = {unit_id}"),
                &[]
            ),
            0
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('training.assignment_deleted', 'training.assignment_due_changed')", &[]),
            4
        );
    }
}

#[test]
fn certificate_print_view_for_the_holder_only() {
    for db in databases("training-print") {
        let app = TestApp::demo(&db);
        let judge = app.user("judge-zhang");
        let a = start(&judge).json();
        let id = a["attempt_id"].as_i64().unwrap();
        let v = submit(&judge, id, right_answers(&app, &a)).json();
        let code = v["certificate"].as_str().unwrap().to_string();
        let path = format!("/certificates/{code}/print");
        let p = judge.page(&path);
        assert_eq!(p.status, 200, "{}", p.body);
        let b = &p.body;
        assert!(b.contains("id=\"certificate-print\""));
        assert!(
            b.contains("id=\"print-holder\" class=\"cert-holder\">张法官</p>"),
            "{b}"
        );
        assert!(b.contains("重庆市大足区人民法院"));
        assert!(b.contains(&html_escape("《暂行规定》逐条导读")));
        assert!(b.contains(&format!("id=\"print-code\" class=\"cert-code\">{code}<")));
        let (issued, until) = {
            let db = app.state.db.clone();
            let c = code.clone();
            app.block_on(async move {
                let c = store::attempts::find_certificate(&db, &c)
                    .await
                    .unwrap()
                    .unwrap();
                (c.issued_at, c.expires_at)
            })
        };
        let day =
            |ms: i64| domain::training_report::date_of_day(domain::training_report::day_of(ms));
        assert!(b.contains(&format!("id=\"print-issued\">{}<", day(issued))));
        assert!(b.contains(&format!("id=\"print-valid-until\">{}<", day(until))));
        assert!(b.contains(&format!(
            "id=\"print-verify-url\">{}/verify/{code}<",
            app.base
        )));
        assert!(b.contains("id=\"print-status\">有效<"));
        // The title is fixed text, never the holder's name.
        let title = &b[b.find("<title>").unwrap()..b.find("</title>").unwrap()];
        assert!(
            title.contains("结业证书") && !title.contains("张法官"),
            "{title}"
        );
        // The holder finds it from the review and the course; the code is case-insensitive.
        assert!(judge
            .page(&format!("/attempts/{id}"))
            .body
            .contains(&format!("href=\"{path}\"")));
        assert!(judge
            .page("/training/regulation-guide")
            .body
            .contains(&format!("href=\"{path}\"")));
        assert_eq!(
            judge
                .page(&format!("/certificates/{}/print", code.to_lowercase()))
                .status,
            200
        );
        // Nobody else: not anonymous, not another learner, not the administrator.
        let anon = get(&app.url(&path), &[]);
        assert_eq!(anon.status, 303);
        assert!(anon.header("location").unwrap().starts_with("/login?next="));
        for who in ["prosecutor-li", "admin", "dz-court-training"] {
            let other = app.user(who);
            assert_eq!(other.page(&path).status, 404, "{who}");
        }
        assert_eq!(judge.page("/certificates/AAAAAAAAAAAA/print").status, 404);
        assert_eq!(judge.page("/certificates/nope/print").status, 404);
        // The public check links to nothing private.
        let ver = get(&app.url(&format!("/verify/{code}")), &[]);
        assert_eq!(ver.status, 200);
        assert!(!ver.body.contains("/certificates/"));
        assert!(!ver.body.contains("/attempts/"));
        // Expired: the print view says so.
        app.exec(
            &format!("UPDATE certificates SET expires_at = 1000 WHERE code = '{code}'"),
            &[],
        );
        assert!(judge
            .page(&path)
            .body
            .contains("id=\"print-status\">已过期<"));
    }
}

/// The text of the element with `id` (up to its closing tag).
fn by_id<'a>(body: &'a str, id: &str) -> &'a str {
    let at = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = at + body[at..].find('>').unwrap() + 1;
    &body[start..start + body[start..].find('<').unwrap()]
}

#[test]
fn the_article_9_dashboard_shows_training_figures_of_the_units_one_may_see() {
    for db in databases("training-dashboard") {
        let app = TestApp::demo(&db);
        seed_court_training(&app);
        // The court's lead handler: the court's figures.
        let officer = app.user("dz-court-officer");
        let p = officer.page("/leads/dashboard");
        assert_eq!(p.status, 200, "{}", p.body);
        assert_eq!(
            by_id(&p.body, "fig-training-completions"),
            "3",
            "{}",
            db.label
        );
        assert_eq!(by_id(&p.body, "fig-training-pass-rate"), "60% (3/5)");
        assert_eq!(by_id(&p.body, "fig-training-overdue"), "2");
        assert_eq!(by_id(&p.body, "fig-training-completion"), "40% (2/5)");
        assert!(p.body.contains("id=\"chart-training\""));
        assert!(!p.body.contains("data-unit=\"dz-procuratorate\""));
        let j = officer.api("GET", "/api/v1/dashboard", None).json();
        assert_eq!(j["training"]["units"], json!(["dz-court"]));
        assert_eq!(j["training"]["total"]["holders"], 3);
        assert_eq!(j["training"]["total"]["overdue"], 2);
        assert_eq!(j["training"]["pass_rate"], 60);
        assert!(
            j["total"].is_number(),
            "the lead figures stay where they were"
        );
        // The joint office: every unit of the district (the prosecutor's pass too).
        let jo = app.user("dz-justice-officer");
        let p = jo.page("/leads/dashboard");
        assert_eq!(by_id(&p.body, "fig-training-completions"), "4");
        assert_eq!(by_id(&p.body, "fig-training-pass-rate"), "67% (4/6)");
        assert_eq!(by_id(&p.body, "fig-training-overdue"), "2");
        assert!(p.body.contains("data-unit=\"dz-procuratorate\""));
        let j = jo.api("GET", "/api/v1/dashboard", None).json();
        assert_eq!(j["training"]["units"].as_array().unwrap().len(), 10);
        assert_eq!(j["training"]["by_unit"]["dz-procuratorate"]["passed"], 1);
        let csv = jo.page("/leads/dashboard.csv");
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv_plain(&csv.body).contains("training_valid_certificates,,4"),
            "{}",
            csv.body
        );
        assert!(csv_plain(&csv.body).contains("training_pass_rate,,67%"));
        assert!(
            csv_plain(&csv.body).contains("training_unit_overdue,dz-court 重庆市大足区人民法院,2")
        );
        // Another district's court: nothing yet.
        let yc = app.user("yc-court-officer");
        let p = yc.page("/leads/dashboard");
        assert_eq!(by_id(&p.body, "fig-training-completions"), "0");
        assert_eq!(by_id(&p.body, "fig-training-pass-rate"), "— (0/0)");
        // Not a lead handler: still the 404 page.
        let judge = app.user("judge-zhang");
        assert_eq!(judge.page("/leads/dashboard").status, 404);
    }
}
