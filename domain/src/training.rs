//! Training courses (Articles 10–11): the shape of a course as its content files describe it,
//! the rules a course must satisfy before the portal serves it, and quiz scoring.
//!
//! Kept pure (no file system, no clock) so that the validator and the scoring can be
//! table-tested and so that a wrong answer key or a citation of an article that does not exist
//! is caught the same way in tests and at start. The loader (`corpus::courses`) reads the files
//! and turns a [`Problem`] into an error naming the file and the line.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// The kinds of question a bank may hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One right option among several.
    Single,
    /// One or more right options; see [`Question::partial_credit`].
    Multiple,
    /// Two options, one right.
    TrueFalse,
    /// A short case, then one right option.
    Scenario,
}

impl QuestionKind {
    /// The name used in the content files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Scenario => "scenario",
        }
    }
}

/// An option of a question. `correct` never leaves the server before submission.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub id: String,
    pub text_zh: String,
    pub text_en: String,
    pub correct: bool,
}

/// A question of a course's bank.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub scenario_zh: Option<String>,
    #[serde(default)]
    pub scenario_en: Option<String>,
    pub prompt_zh: String,
    pub prompt_en: String,
    pub explanation_zh: String,
    pub explanation_en: String,
    /// What the explanation rests on (`dazu-2021-6/art-7-3`, `provisions-2015`).
    pub cites: Vec<String>,
    /// Multiple choice only: proportional credit instead of all-or-nothing.
    #[serde(default)]
    pub partial_credit: bool,
    #[serde(rename = "option", default)]
    pub options: Vec<AnswerOption>,
}

impl Question {
    /// Ids of the right options, in file order.
    pub fn correct_ids(&self) -> Vec<&str> {
        self.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect()
    }

    /// The option `id`, if the question has it.
    pub fn option(&self, id: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.id == id)
    }
}

/// A course's quiz settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub id: String,
    /// Questions drawn from the bank per attempt.
    pub draw: u32,
    /// Share of the points needed to pass, in percent.
    pub pass_mark: u32,
    pub max_attempts: u32,
    /// Minutes to wait after a submitted attempt before the next one.
    pub cooldown_minutes: u32,
    #[serde(default)]
    pub time_limit_minutes: Option<u32>,
}

/// A lesson: a Markdown file per language.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    /// Path relative to the course folder.
    pub file_zh: String,
    pub file_en: String,
    #[serde(default)]
    pub cites: Vec<String>,
    #[serde(default)]
    pub minutes: u32,
}

/// A course as `course.toml` describes it, with the bank of `questions.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    #[serde(default)]
    pub audience: Vec<String>,
    /// How long a certificate is valid.
    pub validity_months: u32,
    #[serde(default)]
    pub regulation_version: Option<String>,
    pub quiz: Quiz,
    #[serde(rename = "lesson", default)]
    pub lessons: Vec<Lesson>,
    /// Filled from `questions.toml`.
    #[serde(skip)]
    pub questions: Vec<Question>,
}

impl Course {
    /// The question `id` of this course's bank.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// Which file of a course a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    Course,
    Questions,
}

/// A content problem: the course (index into the slice validated), the file, where to look
/// (`needle`, searched after `anchor` when given) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub course: usize,
    pub file: File,
    pub anchor: Option<String>,
    pub needle: String,
    pub message: String,
}

/// True for the citations the content may use: `dazu-2021-6/art-N` (N in 1..=15),
/// `dazu-2021-6/art-7-M` (the items of Article 7, M in 1..=3), `provisions-2015`, and the parts
/// of the document that are not articles: `dazu-2021-6/notice` (the notice of issue) and
/// `dazu-2021-6/print-line` (who printed and distributed it, and when).
pub fn valid_cite(s: &str) -> bool {
    if matches!(
        s,
        "provisions-2015" | "dazu-2021-6/notice" | "dazu-2021-6/print-line"
    ) {
        return true;
    }
    let Some(rest) = s.strip_prefix("dazu-2021-6/art-") else {
        return false;
    };
    let num = |p: &str| -> Option<u32> {
        if p.is_empty() || p.starts_with('0') || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    match rest.split_once('-') {
        None => num(rest).is_some_and(|n| (1..=15).contains(&n)),
        Some((n, m)) => num(n) == Some(7) && num(m).is_some_and(|m| (1..=3).contains(&m)),
    }
}

/// Ids become URL segments: lower-case ASCII letters, digits and hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks one question on its own; the message names the question.
pub fn check_question(q: &Question) -> Result<(), String> {
    let id = &q.id;
    if !valid_id(id) {
        return Err(format!("invalid question id {id:?}"));
    }
    if q.options.len() < 2 {
        return Err(format!("question {id:?} needs at least two options"));
    }
    let mut seen = HashSet::new();
    for o in &q.options {
        if !valid_id(&o.id) || !seen.insert(o.id.as_str()) {
            return Err(format!(
                "question {id:?}: option id {:?} is invalid or repeated",
                o.id
            ));
        }
        if o.text_zh.trim().is_empty() || o.text_en.trim().is_empty() {
            return Err(format!("question {id:?}: option {:?} has no text", o.id));
        }
    }
    let n = q.options.iter().filter(|o| o.correct).count();
    match q.kind {
        QuestionKind::Multiple if n == 0 => {
            return Err(format!(
                "question {id:?} (multiple) has no correct option; it needs at least one"
            ))
        }
        QuestionKind::Multiple => {}
        k if n != 1 => {
            return Err(format!(
                "question {id:?} ({}) has {n} correct options; it needs exactly one",
                k.as_str()
            ))
        }
        _ => {}
    }
    if q.kind == QuestionKind::TrueFalse && q.options.len() != 2 {
        return Err(format!(
            "question {id:?} (true_false) has {} options; it needs exactly two",
            q.options.len()
        ));
    }
    let has = |s: &Option<String>| s.as_deref().is_some_and(|t| !t.trim().is_empty());
    if q.kind == QuestionKind::Scenario && !(has(&q.scenario_zh) && has(&q.scenario_en)) {
        return Err(format!(
            "question {id:?} (scenario) needs scenario_zh and scenario_en"
        ));
    }
    if q.partial_credit && q.kind != QuestionKind::Multiple {
        return Err(format!(
            "question {id:?}: partial_credit is for multiple-choice questions only"
        ));
    }
    if q.prompt_zh.trim().is_empty() || q.explanation_zh.trim().is_empty() {
        return Err(format!("question {id:?} needs a prompt and an explanation"));
    }
    if q.cites.is_empty() {
        return Err(format!("question {id:?} cites nothing"));
    }
    Ok(())
}

/// Validates every course and the uniqueness of ids across all of them (course, quiz, lesson
/// and question ids share one space, since they appear in URLs and in stored progress).
pub fn validate(courses: &[Course]) -> Result<(), Problem> {
    let mut ids: HashSet<String> = HashSet::new();
    for (ci, c) in courses.iter().enumerate() {
        let problem = |file, anchor: Option<&str>, needle: &str, message: String| Problem {
            course: ci,
            file,
            anchor: anchor.map(quoted),
            needle: needle.to_string(),
            message,
        };
        let mut unique = |id: &str, file, what: &str| {
            if !valid_id(id) {
                return Err(problem(
                    file,
                    None,
                    &quoted(id),
                    format!("invalid {what} id {id:?}"),
                ));
            }
            if !ids.insert(id.to_string()) {
                return Err(problem(
                    file,
                    None,
                    &quoted(id),
                    format!("duplicate id {id:?}"),
                ));
            }
            Ok(())
        };
        unique(&c.id, File::Course, "course")?;
        unique(&c.quiz.id, File::Course, "quiz")?;
        for l in &c.lessons {
            unique(&l.id, File::Course, "lesson")?;
        }
        for q in &c.questions {
            unique(&q.id, File::Questions, "question")?;
        }
        if c.lessons.is_empty() {
            return Err(problem(
                File::Course,
                None,
                "id",
                "the course has no lesson".into(),
            ));
        }
        if c.validity_months == 0 {
            return Err(problem(
                File::Course,
                None,
                "validity_months",
                "validity_months must be at least 1".into(),
            ));
        }
        for l in &c.lessons {
            for s in &l.cites {
                if !valid_cite(s) {
                    return Err(problem(
                        File::Course,
                        Some(&l.id),
                        &quoted(s),
                        format!("lesson {:?} cites {s:?}, which does not exist", l.id),
                    ));
                }
            }
        }
        let quiz = &c.quiz;
        let bank = c.questions.len();
        if quiz.draw == 0 || quiz.draw as usize > bank {
            return Err(problem(
                File::Course,
                Some(&quiz.id),
                "draw",
                format!("quiz draws {} questions from a bank of {bank}", quiz.draw),
            ));
        }
        if !(1..=100).contains(&quiz.pass_mark) {
            return Err(problem(
                File::Course,
                Some(&quiz.id),
                "pass_mark",
                "pass_mark must be between 1 and 100".into(),
            ));
        }
        if quiz.max_attempts == 0 {
            return Err(problem(
                File::Course,
                Some(&quiz.id),
                "max_attempts",
                "max_attempts must be at least 1".into(),
            ));
        }
        if quiz.time_limit_minutes == Some(0) {
            return Err(problem(
                File::Course,
                Some(&quiz.id),
                "time_limit_minutes",
                "time_limit_minutes must be at least 1 when given".into(),
            ));
        }
        for q in &c.questions {
            for s in &q.cites {
                if !valid_cite(s) {
                    return Err(problem(
                        File::Questions,
                        Some(&q.id),
                        &quoted(s),
                        format!("question {:?} cites {s:?}, which does not exist", q.id),
                    ));
                }
            }
            check_question(q).map_err(|m| problem(File::Questions, None, &quoted(&q.id), m))?;
        }
        if let Some((id, k, n)) = crate::quiz_integrity::lopsided_key(&c.questions) {
            let first = c.questions.iter().find(|q| {
                q.correct_ids().contains(&id.as_str()) && q.kind != QuestionKind::Multiple
            });
            return Err(problem(
                File::Questions,
                first.map(|q| q.id.as_str()),
                &quoted(&id),
                format!(
                    "option {id:?} is the right one in {k} of the {n} single-choice and scenario questions, more than {} %: re-letter the options",
                    crate::quiz_integrity::MAX_KEY_SHARE
                ),
            ));
        }
    }
    Ok(())
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// Points of one question for the options `chosen` (ids; repeats count once, unknown ids count
/// as wrong choices). Every question is worth 1.0.
///
/// Single, true/false and scenario questions, and multiple choice without partial credit, are
/// all-or-nothing: exactly the right options. Multiple choice with partial credit earns
/// `max(0, (right chosen − wrong chosen) / right total)`.
pub fn score_question(q: &Question, chosen: &[String]) -> f64 {
    let chosen: HashSet<&str> = chosen.iter().map(String::as_str).collect();
    let right: HashSet<&str> = q.correct_ids().into_iter().collect();
    if right.is_empty() {
        return 0.0;
    }
    let hits = chosen.intersection(&right).count();
    let misses = chosen.len() - hits;
    if q.kind == QuestionKind::Multiple && q.partial_credit {
        let v = (hits as f64 - misses as f64) / right.len() as f64;
        v.max(0.0)
    } else if hits == right.len() && misses == 0 {
        1.0
    } else {
        0.0
    }
}

/// Whether `score` out of `max` reaches `pass_mark` percent.
pub fn passed(score: f64, max: f64, pass_mark: u32) -> bool {
    max > 0.0 && score * 100.0 + 1e-9 >= f64::from(pass_mark) * max
}

/// A learner's answers: question id → chosen option ids.
pub type ChosenOptions = std::collections::BTreeMap<String, Vec<String>>;

/// How one question fared, for content authors.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionStats {
    pub question_id: String,
    /// Submitted attempts that drew the question.
    pub answered: u32,
    /// Of those, fully right.
    pub correct: u32,
    /// The wrong option chosen most often, and how often (ties: the first in the file).
    pub top_wrong: Option<(String, u32)>,
}

/// Per-question statistics of `course` over submitted attempts, each given as its drawn
/// question ids and its answers; in bank order.
pub fn question_stats(
    course: &Course,
    attempts: &[(Vec<String>, ChosenOptions)],
) -> Vec<QuestionStats> {
    course
        .questions
        .iter()
        .map(|q| {
            let (mut answered, mut correct) = (0, 0);
            let mut wrong: Vec<u32> = vec![0; q.options.len()];
            for (drawn, answers) in attempts {
                if !drawn.contains(&q.id) {
                    continue;
                }
                answered += 1;
                let chosen = answers.get(&q.id).cloned().unwrap_or_default();
                if score_question(q, &chosen) >= 1.0 - 1e-9 {
                    correct += 1;
                }
                for (i, o) in q.options.iter().enumerate() {
                    if !o.correct && chosen.contains(&o.id) {
                        wrong[i] += 1;
                    }
                }
            }
            let top_wrong = wrong
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .fold(None::<(usize, u32)>, |best, (i, &n)| match best {
                    Some((_, m)) if m >= n => best,
                    _ => Some((i, n)),
                })
                .map(|(i, n)| (q.options[i].id.clone(), n));
            QuestionStats {
                question_id: q.id.clone(),
                answered,
                correct,
                top_wrong,
            }
        })
        .collect()
}

/// Why no quiz attempt can start now (decided by `store::attempts::plan`). Worded at the edge
/// (`app::refusals`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartRefusal {
    /// Every exam attempt is used (the limit).
    NoAttemptsLeft(u32),
    /// Cooling down after the last exam attempt, until this time (Unix ms).
    CoolingDown(i64),
    /// Practice only: no question answered wrongly.
    NoMistakes,
}

/// An answer that names what the attempt does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A question that is not part of the attempt (its id, at most 64 characters of it).
    NotInAttempt(String),
    /// More options chosen for the question than it has.
    TooManyOptions(String),
    /// An option token that is not one of this attempt's tokens for the question (another
    /// attempt's, another question's, a content id; at most 16 characters of it).
    NoSuchOption { question: String, option: String },
}

/// Why an attempt did not take answers or a submission. The variant decides the HTTP status
/// at the edge: [`AttemptRefusal::is_invalid_input`] ones are 422, the rest 409.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptRefusal {
    /// Submitted already: a second submission changes nothing.
    AlreadySubmitted,
    /// Past the time limit: the answers were not saved.
    PastTimeLimit,
    /// The answers name what the attempt does not have.
    Invalid(AnswerProblem),
}

impl AttemptRefusal {
    /// Whether the refusal is about what was sent (422) rather than the attempt's state (409).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, AttemptRefusal::Invalid(_))
    }
}

/// Why a course assignment was refused: always about what was typed (422).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentRefusal {
    /// No course of the catalogue chosen.
    CourseMissing,
    /// Someone chosen who is not an enabled member of the unit (nor, for the district justice
    /// bureau and lawyers' association, a lawyer of the district's firms).
    OutsideUnit,
    /// Lawyers (all of the district, or a firm) chosen by a unit that does not train them:
    /// under Article 11 only the district justice bureau and lawyers' association do.
    LawyersNotYours,
    /// A law firm that is not registered in the district.
    NoSuchFirm,
    /// "Selected people" with nobody selected.
    NobodySelected,
    /// Neither the unit, a role nor selected people.
    TargetMissing,
    /// The due date is not a date (`yyyy-mm-dd`).
    DueDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, correct: &[bool], partial: bool) -> Question {
        fixtures::question("q1", kind, correct, partial)
    }

    fn v(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scoring_table() {
        use QuestionKind::*;
        let single = q(Single, &[false, true, false, false], false);
        let scenario = q(Scenario, &[true, false, false, false], false);
        let tf = q(TrueFalse, &[false, true], false);
        let multi = q(Multiple, &[true, true, true, false], false);
        let partial = q(Multiple, &[true, true, true, false], true);
        let cases: &[(&Question, &[&str], f64)] = &[
            (&single, &["b"], 1.0),
            (&single, &["a"], 0.0),
            (&single, &["a", "b"], 0.0),
            (&single, &[], 0.0),
            (&single, &["b", "b"], 1.0),
            (&scenario, &["a"], 1.0),
            (&scenario, &["zz"], 0.0),
            (&tf, &["b"], 1.0),
            (&tf, &["a"], 0.0),
            (&multi, &["a", "b", "c"], 1.0),
            (&multi, &["a", "b"], 0.0),
            (&multi, &["a", "b", "c", "d"], 0.0),
            (&partial, &["a", "b", "c"], 1.0),
            (&partial, &["a", "b"], 2.0 / 3.0),
            (&partial, &["a", "b", "c", "d"], 2.0 / 3.0),
            (&partial, &["a", "d"], 0.0),
            (&partial, &["d"], 0.0),
            (&partial, &[], 0.0),
            (&partial, &["a", "x"], 0.0),
        ];
        for (question, chosen, want) in cases {
            let got = score_question(question, &v(chosen));
            assert!(
                (got - want).abs() < 1e-9,
                "{:?} {chosen:?}: got {got}, want {want}",
                question.kind
            );
        }
    }

    #[test]
    fn stats_count_right_answers_and_the_most_chosen_wrong_option() {
        let mut single = q(QuestionKind::Single, &[false, true, false, false], false);
        single.id = "s".into();
        let mut other = q(QuestionKind::TrueFalse, &[true, false], false);
        other.id = "t".into();
        let course = fixtures::course(vec![single, other], 1, 80);
        let a = |drawn: &[&str], s: &[&str]| {
            (v(drawn), [("s".to_string(), v(s))].into_iter().collect())
        };
        let attempts = vec![
            a(&["s"], &["b"]),
            a(&["s"], &["c"]),
            a(&["s", "t"], &["d"]),
            a(&["s"], &["c"]),
            a(&["t"], &[]),
        ];
        let st = question_stats(&course, &attempts);
        assert_eq!(
            st[0],
            QuestionStats {
                question_id: "s".into(),
                answered: 4,
                correct: 1,
                top_wrong: Some(("c".into(), 2)),
            }
        );
        assert_eq!(
            (st[1].answered, st[1].correct, st[1].top_wrong.clone()),
            (2, 0, None)
        );
    }

    #[test]
    fn pass_mark_is_inclusive() {
        assert!(passed(8.0, 10.0, 80));
        assert!(!passed(7.999, 10.0, 80));
        assert!(passed(10.0, 10.0, 100));
        assert!(!passed(0.0, 0.0, 1));
        assert!(passed(7.0 + 2.0 / 3.0 + 1.0 / 3.0, 10.0, 80));
    }

    #[test]
    fn citations() {
        for ok in [
            "dazu-2021-6/art-1",
            "dazu-2021-6/art-15",
            "dazu-2021-6/art-7-1",
            "dazu-2021-6/art-7-3",
            "provisions-2015",
            "dazu-2021-6/notice",
            "dazu-2021-6/print-line",
        ] {
            assert!(valid_cite(ok), "{ok}");
        }
        for bad in [
            "dazu-2021-6/art-0",
            "dazu-2021-6/art-16",
            "dazu-2021-6/art-7-4",
            "dazu-2021-6/art-8-1",
            "dazu-2021-6/art-07",
            "dazu-2021-6/art-",
            "dazu-2021-6/art-7-",
            "provisions-2016",
            "art-7",
        ] {
            assert!(!valid_cite(bad), "{bad}");
        }
    }

    #[test]
    fn question_rules() {
        use QuestionKind::*;
        assert!(check_question(&q(Single, &[true, false], false)).is_ok());
        assert!(check_question(&q(Single, &[true, true], false))
            .unwrap_err()
            .contains("exactly one"));
        assert!(check_question(&q(Scenario, &[false, false], false)).is_err());
        assert!(check_question(&q(Multiple, &[false, false, false], true))
            .unwrap_err()
            .contains("no correct option"));
        assert!(check_question(&q(TrueFalse, &[true, false, false], false))
            .unwrap_err()
            .contains("exactly two"));
        assert!(check_question(&q(Single, &[true, false], true)).is_err());
        let mut s = q(Scenario, &[true, false], false);
        s.scenario_zh = None;
        assert!(check_question(&s).is_err());
    }
}

/// Courses and questions for the table tests of the training modules.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A question whose options are `a`, `b`, … with `correct` saying which are right.
    pub fn question(id: &str, kind: QuestionKind, correct: &[bool], partial: bool) -> Question {
        Question {
            id: id.into(),
            kind,
            scenario_zh: Some("案情".into()),
            scenario_en: Some("Case".into()),
            prompt_zh: "问".into(),
            prompt_en: "Q".into(),
            explanation_zh: "释".into(),
            explanation_en: "E".into(),
            cites: vec!["dazu-2021-6/art-7".into()],
            partial_credit: partial,
            options: correct
                .iter()
                .enumerate()
                .map(|(i, &c)| AnswerOption {
                    id: ((b'a' + i as u8) as char).to_string(),
                    text_zh: "选项".into(),
                    text_en: "Option".into(),
                    correct: c,
                })
                .collect(),
        }
    }

    /// A course of `questions` whose quiz draws `draw` and passes at `pass_mark` %.
    pub fn course(questions: Vec<Question>, draw: u32, pass_mark: u32) -> Course {
        Course {
            id: "c".into(),
            title_zh: String::new(),
            title_en: String::new(),
            summary_zh: String::new(),
            summary_en: String::new(),
            audience: vec![],
            validity_months: 24,
            regulation_version: None,
            quiz: Quiz {
                id: "c-quiz".into(),
                draw,
                pass_mark,
                max_attempts: 3,
                cooldown_minutes: 0,
                time_limit_minutes: None,
            },
            lessons: vec![],
            questions,
        }
    }
}
