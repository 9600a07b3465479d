//! Demo training progress (Art. 10–11): lessons completed, an exam failed and retaken, exams
//! passed with their certificates, a course under way; and the court's training administrator's
//! assignments: one due next month, one overdue. Through the attempt, lesson and assignment
//! functions of the store as the quiz pages use them, each at its time relative to today.

use store::attempts::{self, Answers, Mode, Target};

use super::{Demo, DemoError, DAY, HOUR};
use domain::training::Course;

const STEP: &str = "training";

/// Who learns what: the course (index in the catalogue), the lessons done (how many of the
/// course's, in order), and the exams (true: every answer right; false: every answer wrong),
/// starting `days` from today.
struct Learner {
    login: &'static str,
    course: usize,
    lessons: usize,
    exams: &'static [bool],
    days: i64,
}

const LEARNERS: [Learner; 6] = [
    Learner {
        login: "judge-zhang",
        course: 0,
        lessons: usize::MAX,
        exams: &[false, true],
        days: -25,
    },
    Learner {
        login: "judge-zhang",
        course: 1,
        lessons: 2,
        exams: &[],
        days: -3,
    },
    Learner {
        login: "prosecutor-li",
        course: 0,
        lessons: usize::MAX,
        exams: &[true],
        days: -14,
    },
    Learner {
        login: "lawyer-chen",
        course: 1,
        lessons: usize::MAX,
        exams: &[true],
        days: -8,
    },
    Learner {
        login: "officer-wang",
        course: 0,
        lessons: 1,
        exams: &[],
        days: -1,
    },
    Learner {
        login: "dz-court-officer",
        course: 0,
        lessons: 2,
        exams: &[],
        days: -40,
    },
];

/// Every drawn question answered right, or every one with a wrong option.
fn answers(course: &Course, question_ids: &[String], right: bool) -> Answers {
    question_ids
        .iter()
        .filter_map(|id| {
            let q = course.question(id)?;
            let chosen: Vec<String> = if right {
                q.correct_ids().into_iter().map(String::from).collect()
            } else {
                q.options
                    .iter()
                    .find(|o| !o.correct)
                    .map(|o| vec![o.id.clone()])
                    .unwrap_or_default()
            };
            Some((id.clone(), chosen))
        })
        .collect()
}

async fn learn(demo: &Demo<'_>, l: &Learner) -> Result<(), DemoError> {
    let state = demo.state;
    let Some(lc) = state.courses.courses.get(l.course) else {
        return Ok(());
    };
    let course = &lc.course;
    let user = demo.user(l.login)?;
    let actor = demo.caller(l.login)?.actor();
    let start = demo.at(l.days, 10, 0);
    for (i, lesson) in course.lessons.iter().take(l.lessons).enumerate() {
        let at = start + i as i64 * HOUR;
        attempts::complete_lesson(&state.db, user.id, &lesson.id, at).await?;
    }
    for (i, right) in l.exams.iter().enumerate() {
        // A day apart: well past the cool-down after a failed attempt.
        let at = start + (i as i64 + 1) * DAY;
        let (attempt, _) = attempts::start(
            &state.db,
            &state.courses,
            &course.quiz.id,
            Mode::Exam,
            &actor,
            user.id,
            at,
        )
        .await
        .map_err(|e| DemoError::refused(STEP, e))?;
        // Answered as a learner would: with this attempt's option tokens.
        let answers = attempt.answers_as_tokens(&answers(course, &attempt.question_ids, *right));
        attempts::submit(
            &state.db,
            &state.courses,
            attempt.id,
            user.id,
            &answers,
            &actor,
            at + 12 * 60_000,
        )
        .await
        .map_err(|e| DemoError::refused(STEP, e))?;
    }
    Ok(())
}

pub async fn seed(demo: &Demo<'_>) -> Result<(), DemoError> {
    for l in &LEARNERS {
        if demo.has(l.login) {
            learn(demo, l).await?;
        }
    }
    let admin = "dz-court-training";
    let courses = &demo.state.courses.courses;
    if !demo.has(admin) || courses.len() < 2 {
        return Ok(());
    }
    let user = demo.user(admin)?;
    let actor = demo.caller(admin)?.actor();
    let unit = user.unit_code.clone().unwrap_or_default();
    // The whole court, due next month.
    attempts::assign(
        &demo.state.db,
        &actor,
        &unit,
        &courses[0].course.id,
        &Target::Unit,
        demo.at(30, 23, 59),
        user.id,
        demo.now - 30 * DAY,
    )
    .await?;
    // Two people, due four days ago: overdue for both.
    let people: Vec<i64> = ["judge-zhang", "dz-court-officer"]
        .iter()
        .filter_map(|l| demo.user(l).ok().map(|u| u.id))
        .collect();
    attempts::assign(
        &demo.state.db,
        &actor,
        &unit,
        &courses[1].course.id,
        &Target::People(people),
        demo.at(-4, 23, 59),
        user.id,
        demo.now - 20 * DAY,
    )
    .await?;
    Ok(())
}
