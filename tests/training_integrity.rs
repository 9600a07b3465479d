//! Quiz integrity (issue 14): options reach the learner as per-attempt random tokens, mapped
//! back on the server; a token of another attempt or question, or a content id, is refused in
//! both languages and changes nothing; no fixed answer pattern passes an attempt; every
//! shipped quiz keeps a guesser's chance of passing at or below 1 %.

use crate::support::*;

use serde_json::{json, Value};
use store::attempts::Answers;

const LEARNERS: [&str; 6] = [
    "judge-zhang",
    "prosecutor-li",
    "officer-wang",
    "lawyer-chen",
    "dz-court-officer",
    "dz-psb-officer",
];

fn start(c: &Client, quiz: &str) -> Value {
    let r = c.api("POST", &format!("/api/v1/quizzes/{quiz}/attempts"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn post_answers(c: &Client, id: i64, what: &str, answers: &Value) -> Reply {
    c.api(
        "POST",
        &format!("/api/v1/attempts/{id}/{what}"),
        json!({ "answers": answers }),
    )
}

/// The option ids an attempt reply shows for each question.
fn shown(attempt: &Value) -> Vec<(String, Vec<String>)> {
    attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let ids = q["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_string())
                .collect();
            (q["id"].as_str().unwrap().to_string(), ids)
        })
        .collect()
}

#[test]
fn options_are_per_attempt_tokens_mapped_back_on_the_server() {
    for db in databases("integrity-tokens") {
        let app = TestApp::demo(&db);
        let quiz = "regulation-guide-quiz";
        let course = &app.state.courses.by_quiz(quiz).unwrap().course;
        let (judge, li) = (app.user("judge-zhang"), app.user("prosecutor-li"));
        let a = start(&judge, quiz);
        let b = start(&li, quiz);
        let (aid, bid) = (
            a["attempt_id"].as_i64().unwrap(),
            b["attempt_id"].as_i64().unwrap(),
        );
        let (sa, sb) = (app.attempt(aid), app.attempt(bid));
        // No option id shown is a content id; tokens are long and unique in the attempt.
        let mut seen = std::collections::HashSet::new();
        for (qid, ids) in shown(&a) {
            let q = course.question(&qid).unwrap();
            for id in &ids {
                assert!(
                    q.option(id).is_none(),
                    "{}: content id {id} shown",
                    db.label
                );
                assert!(id.len() >= 12 && seen.insert(id.clone()), "{id}");
            }
        }
        // The same option has different tokens in two attempts.
        let common: Vec<&String> = sa
            .question_ids
            .iter()
            .filter(|q| sb.question_ids.contains(q))
            .collect();
        assert!(
            !common.is_empty(),
            "two draws of 10 from 21 share a question"
        );
        for qid in &common {
            for o in &course.question(qid).unwrap().options {
                let (ta, tb) = (sa.token_of(qid, &o.id), sb.token_of(qid, &o.id));
                assert!(ta.is_some() && tb.is_some());
                assert_ne!(ta, tb, "{qid}/{}", o.id);
            }
        }
        // A saved token is stored as the content id and shown back as the same token.
        let qid = common[0].as_str();
        let right = course.question(qid).unwrap().correct_ids();
        let mine: Answers = [(
            qid.to_string(),
            right.iter().map(|s| s.to_string()).collect(),
        )]
        .into_iter()
        .collect();
        let tokens = app.tokens_of(aid, &mine);
        let r = post_answers(&judge, aid, "answers", &tokens);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(app.attempt(aid).answers[qid], mine[qid]);
        let again = start(&judge, quiz);
        assert_eq!(again["answers"][qid], tokens[qid]);
        // Foreign tokens: another attempt's, another question's, a content id. Each is a
        // 422 in both languages and changes nothing.
        let other_question = sa.question_ids.iter().find(|q| *q != qid).unwrap();
        let foreign: Vec<Value> = vec![
            app.tokens_of(bid, &mine),
            json!({ qid: [sa.token_of(other_question, &course.question(other_question).unwrap().options[0].id).unwrap()] }),
            json!({ qid: [right[0]] }),
        ];
        for bad in &foreign {
            for what in ["answers", "submit"] {
                let r = post_answers(&judge, aid, what, bad);
                assert_eq!(r.status, 422, "{what} {bad}: {}", r.body);
                let msg = r.json()["error"].as_str().unwrap().to_string();
                assert!(
                    msg.contains("本次测验") && msg.contains("in this attempt"),
                    "{msg}"
                );
            }
        }
        let stored = app.attempt(aid);
        assert!(stored.submitted_at.is_none());
        assert_eq!(stored.answers, mine);
        // The same through the form: a foreign token is refused, the attempt stays open.
        let form = app.session("judge-zhang");
        let page = form.page(&format!("/attempts/{aid}"));
        for (q, ids) in shown(&a) {
            for id in ids {
                assert!(page.body.contains(&format!("value=\"{id}\"")), "{q}: {id}");
            }
        }
        let foreign_token = sb.token_of(qid, right[0]).unwrap();
        let r = form.form(
            &format!("/attempts/{aid}"),
            format!("{qid}={foreign_token}&do=submit").as_str(),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(app.attempt(aid).submitted_at.is_none());
        // The right tokens pass, and the review names options by the same tokens.
        let r = post_answers(&judge, aid, "submit", &app.right_tokens(aid));
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["passed"], true);
        let review = v["review"].as_array().unwrap();
        let (q0, ids0) = &shown(&a)[0];
        let item = review.iter().find(|i| i["question_id"] == *q0).unwrap();
        for t in item["correct_options"].as_array().unwrap() {
            assert!(ids0.contains(&t.as_str().unwrap().to_string()), "{t}");
        }
        assert_eq!(item["chosen"], item["correct_options"]);
    }
}

/// The blind strategy of issue 14 (the alphabetically first option id, `f` for true/false,
/// the first three ids for multiple choice) and other fixed id patterns, by six people at
/// the four quizzes: every one is refused (options are tokens), nothing is scored, no
/// certificate. Fixed display positions are random choices over shuffled options: their
/// exact chances are the guess bound below.
#[test]
fn blind_fixed_patterns_pass_nothing() {
    use domain::training::QuestionKind;
    for db in databases("integrity-blind") {
        let app = TestApp::demo(&db);
        let quizzes: Vec<String> = app
            .state
            .courses
            .courses
            .iter()
            .map(|c| c.course.quiz.id.clone())
            .collect();
        let mut tried = 0;
        for login in LEARNERS {
            let c = app.user(login);
            for quiz in &quizzes {
                let course = &app.state.courses.by_quiz(quiz).unwrap().course;
                let a = start(&c, quiz);
                let id = a["attempt_id"].as_i64().unwrap();
                let patterns: [fn(&domain::training::Question) -> Vec<String>; 3] = [
                    // The strategy.
                    |q| match q.kind {
                        QuestionKind::TrueFalse => vec!["f".into()],
                        QuestionKind::Multiple => {
                            let mut ids: Vec<String> =
                                q.options.iter().map(|o| o.id.clone()).collect();
                            ids.sort();
                            ids.truncate(3);
                            ids
                        }
                        _ => {
                            let mut ids: Vec<String> =
                                q.options.iter().map(|o| o.id.clone()).collect();
                            ids.sort();
                            ids.truncate(1);
                            ids
                        }
                    },
                    |q| {
                        vec![if q.kind == QuestionKind::TrueFalse {
                            "t"
                        } else {
                            "b"
                        }
                        .into()]
                    },
                    |_| vec!["c".into()],
                ];
                for pattern in patterns {
                    let answers: serde_json::Map<String, Value> = shown(&a)
                        .into_iter()
                        .map(|(qid, _)| {
                            let q = course.question(&qid).unwrap();
                            (qid, json!(pattern(q)))
                        })
                        .collect();
                    let r = post_answers(&c, id, "submit", &Value::Object(answers));
                    assert_eq!(r.status, 422, "{login} {quiz}: {}", r.body);
                    tried += 1;
                }
                assert!(app.attempt(id).submitted_at.is_none());
            }
        }
        assert_eq!(tried, 6 * 4 * 3);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM certificates", &[]), 0);
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL",
                &[]
            ),
            0
        );
    }
}

/// For each quiz and its draw rules, the exact chance that a guesser passes one attempt
/// (random choices, and every fixed display-position pattern): at most 1 %. Printed with
/// `--nocapture`.
#[test]
fn a_guesser_passes_a_quiz_at_most_once_in_a_hundred() {
    use domain::quiz_integrity::pass_chances;
    for db in databases("integrity-guess") {
        let app = TestApp::start(&db);
        for lc in &app.state.courses.courses {
            let c = &lc.course;
            let chances = pass_chances(c);
            let (worst, p) = chances
                .iter()
                .copied()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap();
            println!(
                "{} ({}): draw {} of {}, pass mark {} %: random guess {:.4} %, worst fixed pattern {worst:?} {:.4} %",
                c.quiz.id,
                db.label,
                c.quiz.draw,
                c.questions.len(),
                c.quiz.pass_mark,
                chances[0].1 * 100.0,
                p * 100.0
            );
            assert!(
                p <= 0.01,
                "{}: {worst:?} passes {:.3} %",
                c.quiz.id,
                p * 100.0
            );
        }
    }
}

/// Issue 14, section 3: with a revised regulation (a temporary content folder) that changes
/// Article 9, a certificate of course 01 (which cites it) issued against the earlier version
/// shows renewal due on `/verify`, on the holder's training page and on the administrator's
/// page and CSV; a certificate of course 04 (which does not cite it) stays valid.
#[test]
fn a_changed_cited_article_makes_certificates_due_for_renewal() {
    for db in databases("integrity-renewal") {
        let dir = revised_content(&format!("integrity-renewal-files-{}", db.label));
        let app = TestApp::builder(&db).content_dir(dir).demo().start();
        let pass = |login: &str, course_id: &str| -> String {
            let v = app.pass_quiz(&app.user(login), &format!("{course_id}-quiz"));
            v["certificate"].as_str().unwrap().to_string()
        };
        let due = pass("judge-zhang", "regulation-guide");
        let valid = pass("lawyer-chen", "lawyer-discipline");
        // The certificate records the version the course was written against.
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM certificates WHERE regulation_version = 'dazu-2021-6@2021-06-11'",
                &[]
            ),
            2
        );
        let v = get(&app.url(&format!("/verify/{due}")), &[]);
        assert_eq!(v.status, 200);
        assert!(
            v.body.contains("id=\"cert-status\" class=\"due\""),
            "{}",
            v.body
        );
        assert!(v.body.contains("需更新"));
        let v = get(&app.url(&format!("/verify/{valid}")), &[]);
        assert!(
            v.body.contains("id=\"cert-status\" class=\"ok\""),
            "{}",
            v.body
        );
        // The holder's training page offers the updated course.
        let page = app
            .session("judge-zhang")
            .page("/training/regulation-guide");
        assert!(
            page.body.contains("class=\"cert due renewal\""),
            "{}",
            page.body
        );
        assert!(page.body.contains("需更新"));
        let page = app.session("lawyer-chen").page("/training");
        assert!(page.body.contains("class=\"cert ok\""));
        // The administrator's page and CSV.
        let trainer = app.user("dz-court-training");
        let r = trainer.api(
            "POST",
            "/api/v1/assignments",
            json!({"course_id": "regulation-guide", "target": "unit", "due": "2099-12-31"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let admin = app
            .session("dz-court-training")
            .page("/training-admin")
            .body;
        assert!(
            admin.contains("data-login=\"judge-zhang\" class=\"renewal\""),
            "{admin}"
        );
        let csv = trainer.page("/training-admin/report.csv").body;
        assert!(
            csv_plain(&csv).contains("张法官,judge-zhang,") && csv.contains("需更新"),
            "{csv}"
        );
    }
}

/// Item analysis on the statistics page (Moodle's facility and discrimination indexes): with
/// 40 submitted attempts at all 21 questions of course 01, where the stronger half answers
/// everything right and the weaker half gets only rg-q01 right, rg-q01 is right for everyone
/// (facility 1.00, flagged) and every other question discriminates perfectly (1.00).
#[test]
fn item_analysis_flags_questions_everyone_gets_right() {
    for db in databases("integrity-items") {
        let app = TestApp::demo(&db);
        let quiz = "regulation-guide-quiz";
        let course = app.state.courses.by_quiz(quiz).unwrap().course.clone();
        let uid = app.user_id("judge-zhang");
        let pool = app.state.db.clone();
        app.block_on(async move {
            let ids: Vec<String> = course.questions.iter().map(|q| q.id.clone()).collect();
            for i in 0..40 {
                let answers: Answers = course
                    .questions
                    .iter()
                    .map(|q| {
                        let right = i % 2 == 0 || q.id == "rg-q01";
                        let chosen = if right {
                            q.correct_ids().into_iter().map(String::from).collect()
                        } else {
                            vec![q.options.iter().find(|o| !o.correct).unwrap().id.clone()]
                        };
                        (q.id.clone(), chosen)
                    })
                    .collect();
                sqlx::query("INSERT INTO quiz_attempts (quiz_id, user_id, started_at, submitted_at, question_ids, option_orders, answers, passed, mode) VALUES ($1, $2, 1, 2, $3, '[]', $4, 0, 'exam')")
                    .bind(quiz)
                    .bind(uid)
                    .bind(serde_json::to_string(&ids).unwrap())
                    .bind(serde_json::to_string(&answers).unwrap())
                    .execute(&pool.pool)
                    .await
                    .unwrap();
            }
        });
        let page = app
            .session("dz-court-training")
            .page(&format!("/quizzes/{quiz}/stats"));
        assert_eq!(page.status, 200);
        let row = |qid: &str| {
            let at = page.body.find(&format!("id=\"stat-{qid}\"")).unwrap();
            page.body[at..at + page.body[at..].find("</tr>").unwrap()].to_string()
        };
        let easy = row("rg-q01");
        assert!(easy.contains("class=\"flagged\""), "{easy}");
        assert!(
            easy.contains("<td class=\"num facility\">1.00</td>"),
            "{easy}"
        );
        assert!(
            easy.contains("<td class=\"num discrimination\">—</td>"),
            "{easy}"
        );
        assert!(easy.contains("几乎人人答对"), "{easy}");
        let other = row("rg-q02");
        assert!(
            other.contains("<td class=\"num facility\">0.50</td>"),
            "{other}"
        );
        assert!(
            other.contains("<td class=\"num discrimination\">1.00</td>"),
            "{other}"
        );
        assert!(!other.contains("flagged"), "{other}");
    }
}
