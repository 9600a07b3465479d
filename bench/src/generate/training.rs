//! Training records: quiz attempts with drawn questions, shuffled options and real scores,
//! certificates, lesson progress, and every unit's training assignments.

use std::collections::BTreeMap;

use domain::training::{passed, score_question, Course, QuestionKind};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::AnyConnection;
use store::StoreError;

use super::insert::{t, Inserter, V};
use super::people::UnitPeople;
use super::{DAY, MINUTE};

/// Attempts, certificates and lesson progress of generated people.
pub(super) struct Training {
    pub(super) attempts: Inserter,
    pub(super) certificates: Inserter,
    pub(super) progress: Inserter,
    next_attempt: i64,
    next_certificate: i64,
    /// Attempts still owed to reach the requested total.
    pub(super) debt: i64,
    lessons: Vec<Vec<String>>,
}

impl Training {
    pub(super) fn new(catalogue: &corpus::courses::Catalogue) -> Training {
        Training {
            attempts: Inserter::new(
                "quiz_attempts",
                &[
                    "id",
                    "quiz_id",
                    "user_id",
                    "started_at",
                    "submitted_at",
                    "question_ids",
                    "option_orders",
                    "answers",
                    "score",
                    "max_score",
                    "passed",
                    "mode",
                ],
            ),
            certificates: Inserter::new(
                "certificates",
                &[
                    "id",
                    "code",
                    "user_id",
                    "course_id",
                    "attempt_id",
                    "issued_at",
                    "expires_at",
                ],
            ),
            progress: Inserter::new("lesson_progress", &["user_id", "lesson_id", "completed_at"]),
            next_attempt: 1,
            next_certificate: 1,
            debt: 0,
            lessons: catalogue
                .courses
                .iter()
                .map(|c| c.course.lessons.iter().map(|l| l.id.clone()).collect())
                .collect(),
        }
    }

    /// About `k` attempts of one person over the courses: up to the quiz's limit of exam
    /// attempts per course (the last one usually passing, with its certificate), the rest
    /// practice. Returns how many were written.
    pub(super) fn person(
        &mut self,
        rng: &mut StdRng,
        user: i64,
        k: usize,
        now: i64,
        catalogue: &corpus::courses::Catalogue,
    ) -> usize {
        let n_courses = catalogue.courses.len();
        if k == 0 || n_courses == 0 {
            return 0;
        }
        let mut per_course = vec![0usize; n_courses];
        let start = rng.gen_range(0..n_courses);
        for j in 0..k {
            per_course[(start + j) % n_courses] += 1;
        }
        let mut made = 0;
        for (ci, &n) in per_course.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let course = &catalogue.courses[ci].course;
            let quiz = &course.quiz;
            let mut at = now - rng.gen_range(2..1_000) * DAY - rng.gen_range(0..600) * MINUTE;
            for lesson in &self.lessons[ci] {
                self.progress.push([
                    V::I(user),
                    t(lesson.clone()),
                    V::I(at - rng.gen_range(1..3) * DAY),
                ]);
            }
            let exams = n.min(quiz.max_attempts as usize);
            let practice = n - exams;
            let last_passes = rng.gen_bool(0.85);
            for j in 0..n {
                let is_exam = j < exams;
                let pass = is_exam && j + 1 == exams && last_passes;
                let right = if pass {
                    rng.gen_range(8..=10)
                } else {
                    rng.gen_range(3..=7)
                };
                let started = at;
                let submitted = started + rng.gen_range(4..18) * MINUTE;
                let (q, o, a, score, max) = draw(course, rng, right);
                let ok = passed(score, max, quiz.pass_mark) && is_exam;
                let id = self.next_attempt;
                self.next_attempt += 1;
                self.attempts.push([
                    V::I(id),
                    t(quiz.id.clone()),
                    V::I(user),
                    V::I(started),
                    V::I(submitted),
                    t(q),
                    t(o),
                    t(a),
                    V::F(score),
                    V::F(max),
                    V::I(ok as i64),
                    t(if is_exam { "exam" } else { "practice" }),
                ]);
                if ok {
                    let cid = self.next_certificate;
                    self.next_certificate += 1;
                    self.certificates.push([
                        V::I(cid),
                        t(store::attempts::new_code()),
                        V::I(user),
                        t(course.id.clone()),
                        V::I(id),
                        V::I(submitted),
                        V::I(store::attempts::add_months(
                            submitted,
                            course.validity_months,
                        )),
                    ]);
                }
                made += 1;
                // The cool-down, and usually more.
                at = submitted
                    + i64::from(quiz.cooldown_minutes) * MINUTE
                    + rng.gen_range(0..3 * 24 * 60) * MINUTE;
                if practice > 0 && at > now {
                    at = now - MINUTE;
                }
            }
        }
        made
    }
}

/// A drawn attempt answered with `right` questions fully right: (question ids, option orders,
/// answers as JSON, score, max score).
fn draw(course: &Course, rng: &mut StdRng, right: usize) -> (String, String, String, f64, f64) {
    let drawn: Vec<&domain::training::Question> = course
        .questions
        .choose_multiple(rng, course.quiz.draw as usize)
        .collect();
    let mut ids = Vec::with_capacity(drawn.len());
    let mut orders = Vec::with_capacity(drawn.len());
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut score = 0.0;
    for (i, q) in drawn.iter().enumerate() {
        ids.push(q.id.clone());
        let mut order: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
        if q.kind != QuestionKind::TrueFalse {
            order.shuffle(rng);
        }
        orders.push(order);
        let chosen: Vec<String> = if i < right {
            q.correct_ids().into_iter().map(String::from).collect()
        } else {
            q.options
                .iter()
                .find(|o| !o.correct)
                .map(|o| vec![o.id.clone()])
                .unwrap_or_default()
        };
        score += score_question(q, &chosen);
        answers.insert(q.id.clone(), chosen);
    }
    let max = drawn.len() as f64;
    (
        serde_json::to_string(&ids).unwrap_or_default(),
        serde_json::to_string(&orders).unwrap_or_default(),
        serde_json::to_string(&answers).unwrap_or_default(),
        score,
        max,
    )
}

/// Training assignments: every unit requires the regulation guide of everyone (due a month
/// ago), the boundaries course of everyone (due in a week) and lead routing of its lead
/// handlers (due in two weeks). Returns how many were written.
pub(super) async fn gen_assignments(
    conn: &mut AnyConnection,
    people: &BTreeMap<String, UnitPeople>,
    catalogue: &corpus::courses::Catalogue,
    now: i64,
) -> Result<u64, StoreError> {
    let mut assign = Inserter::new(
        "training_assignments",
        &[
            "id",
            "unit_code",
            "course_id",
            "target",
            "due_at",
            "created_by",
            "created_at",
        ],
    );
    let course_ids: Vec<String> = catalogue
        .courses
        .iter()
        .map(|c| c.course.id.clone())
        .collect();
    let mut aid = 0;
    for (unit, p) in people {
        let Some(&by) = p.training_admins.first() else {
            continue;
        };
        let plan = [
            (0usize, "unit", -30 * DAY),
            (1, "unit", 7 * DAY),
            (2, "role:lead_handler", 14 * DAY),
        ];
        for (c, target, due) in plan {
            let Some(course) = course_ids.get(c) else {
                continue;
            };
            aid += 1;
            assign.push([
                V::I(aid),
                t(unit.clone()),
                t(course.clone()),
                t(target),
                V::I(now + due),
                V::I(by),
                V::I(now - 60 * DAY),
            ]);
        }
    }
    assign.flush(conn).await?;
    Ok(assign.rows)
}
