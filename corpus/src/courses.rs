//! The training catalogue, loaded strictly from `content/courses/*/` at start: `course.toml`,
//! `questions.toml` and the lesson Markdown files. Everything is validated by
//! [`domain::training::validate`] and any problem (malformed TOML, a wrong answer key, a citation
//! of an article that does not exist, a duplicate id, a missing lesson file, a quiz that draws
//! more questions than its bank holds) stops the server with the file and the line named.
//!
//! Lessons are rendered from Markdown and sanitised once here, so that requests only copy HTML.

use std::path::{Path, PathBuf};

use domain::training::{self, Course, File, Problem};

use crate::content::{parse_toml, ContentError};
use crate::library::markdown_html;

/// A lesson's sanitised HTML in both languages.
#[derive(Clone, Debug)]
pub struct LessonBody {
    pub html_zh: String,
    pub html_en: String,
}

/// A course with its lessons rendered.
#[derive(Clone, Debug)]
pub struct LoadedCourse {
    pub course: Course,
    /// One per lesson, in the order of `course.lessons`.
    pub bodies: Vec<LessonBody>,
}

/// Every course, in folder order.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub courses: Vec<LoadedCourse>,
}

impl Catalogue {
    /// The course `id`.
    pub fn course(&self, id: &str) -> Option<&LoadedCourse> {
        self.courses.iter().find(|c| c.course.id == id)
    }

    /// The course whose quiz is `quiz_id`.
    pub fn by_quiz(&self, quiz_id: &str) -> Option<&LoadedCourse> {
        self.courses.iter().find(|c| c.course.quiz.id == quiz_id)
    }
}

/// The articles the course cites (lessons and questions) that changed between the regulation
/// version the course was written against and the latest one: the course needs review when
/// this is not empty. An unknown version counts as "everything changed".
pub fn articles_to_review(course: &Course, versions: &[crate::content::Version]) -> Vec<u32> {
    changed_cited(course, versions, course.regulation_version.as_deref())
}

/// Whether a certificate of `course` issued against regulation version `version` (as recorded
/// at issue, `dazu-2021-6@<id>`; `None` for certificates issued before versions were recorded,
/// which count as issued against the version the course is written against) is due for
/// renewal: a later version changes an article the course cites.
pub fn renewal_due(
    course: &Course,
    versions: &[crate::content::Version],
    version: Option<&str>,
) -> bool {
    !changed_cited(
        course,
        versions,
        version.or(course.regulation_version.as_deref()),
    )
    .is_empty()
}

/// The articles `course` cites that changed between version `from` (`dazu-2021-6@<id>` or
/// `<id>`; `None`: the latest) and the latest version.
fn changed_cited(
    course: &Course,
    versions: &[crate::content::Version],
    from: Option<&str>,
) -> Vec<u32> {
    let Some(latest) = versions.last() else {
        return Vec::new();
    };
    let written = from
        .map(|v| v.strip_prefix("dazu-2021-6@").unwrap_or(v))
        .unwrap_or(latest.id.as_str());
    if written == latest.id {
        return Vec::new();
    }
    let changed: Vec<u32> = match versions.iter().find(|v| v.id == written) {
        Some(old) => domain::versions::diff_documents(&old.document, &latest.document)
            .iter()
            .map(|c| c.n)
            .collect(),
        None => latest.document.articles.iter().map(|a| a.n).collect(),
    };
    let mut cited: Vec<u32> = course
        .lessons
        .iter()
        .flat_map(|l| l.cites.iter())
        .chain(course.questions.iter().flat_map(|q| q.cites.iter()))
        .filter_map(|c| crate::library::Cite::parse(c).and_then(|c| c.article()))
        .filter(|n| changed.contains(n))
        .collect();
    cited.sort_unstable();
    cited.dedup();
    cited
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    #[serde(rename = "question", default)]
    questions: Vec<training::Question>,
}

fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path).map_err(|e| error(path, None, e.to_string()))
}

fn error(path: &Path, line: Option<usize>, message: String) -> ContentError {
    ContentError {
        file: path.into(),
        line,
        message,
    }
}

/// The line (1-based) of `needle` in `text`, searched after `anchor` when it is found.
fn line_of(text: &str, anchor: Option<&str>, needle: &str) -> Option<usize> {
    let from = anchor.and_then(|a| text.find(a)).unwrap_or(0);
    let at = text[from..]
        .find(needle)
        .map(|i| from + i)
        .or_else(|| anchor.and_then(|a| text.find(a)))?;
    Some(text[..at].matches('\n').count() + 1)
}

/// A lesson file path must stay inside its course folder.
fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty()
        && path.is_relative()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Loads and validates `content_dir/courses/*/`. A folder without `course.toml` is ignored.
pub fn load(content_dir: &Path) -> Result<Catalogue, ContentError> {
    let dir = content_dir.join("courses");
    let entries = std::fs::read_dir(&dir).map_err(|e| error(&dir, None, e.to_string()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("course.toml").is_file())
        .collect();
    dirs.sort();
    // (course folder, course.toml text, questions.toml text)
    let mut texts = Vec::new();
    let mut courses = Vec::new();
    for d in &dirs {
        let cpath = d.join("course.toml");
        let ctext = read(&cpath)?;
        let mut course: Course = parse_toml(&cpath, &ctext)?;
        let qpath = d.join("questions.toml");
        let qtext = read(&qpath)?;
        course.questions = parse_toml::<QuestionsFile>(&qpath, &qtext)?.questions;
        courses.push(course);
        texts.push((d.clone(), ctext, qtext));
    }
    if let Err(p) = training::validate(&courses) {
        return Err(problem_error(&texts, p));
    }
    let mut loaded = Vec::new();
    for (course, (d, ctext, _)) in courses.into_iter().zip(&texts) {
        let cpath = d.join("course.toml");
        let mut bodies = Vec::new();
        for l in &course.lessons {
            let mut html = Vec::new();
            for f in [&l.file_zh, &l.file_en] {
                let at = line_of(ctext, Some(&format!("\"{}\"", l.id)), &format!("\"{f}\""));
                if !safe_relative(f) {
                    return Err(error(
                        &cpath,
                        at,
                        format!(
                            "lesson {:?}: file {f:?} must be a path inside the course folder",
                            l.id
                        ),
                    ));
                }
                let md = std::fs::read_to_string(d.join(f)).map_err(|e| {
                    error(
                        &cpath,
                        at,
                        format!("lesson {:?}: cannot read {f:?}: {e}", l.id),
                    )
                })?;
                if md.trim().is_empty() {
                    return Err(error(
                        &cpath,
                        at,
                        format!("lesson {:?}: {f:?} is empty", l.id),
                    ));
                }
                html.push(markdown_html(&md));
            }
            let html_en = html.pop().unwrap_or_default();
            let html_zh = html.pop().unwrap_or_default();
            bodies.push(LessonBody { html_zh, html_en });
        }
        loaded.push(LoadedCourse { course, bodies });
    }
    Ok(Catalogue { courses: loaded })
}

fn problem_error(texts: &[(PathBuf, String, String)], p: Problem) -> ContentError {
    let Some((d, ctext, qtext)) = texts.get(p.course) else {
        return error(Path::new("courses"), None, p.message);
    };
    let (path, text) = match p.file {
        File::Course => (d.join("course.toml"), ctext),
        File::Questions => (d.join("questions.toml"), qtext),
    };
    let line = line_of(text, p.anchor.as_deref(), &p.needle);
    error(&path, line, p.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = r#"id = "c1"
title_zh = "课程"
title_en = "Course"
summary_zh = "简介"
summary_en = "Summary"
validity_months = 24

[quiz]
id = "c1-quiz"
draw = 2
pass_mark = 80
max_attempts = 3
cooldown_minutes = 10
time_limit_minutes = 20

[[lesson]]
id = "c1-l1"
title_zh = "第一课"
title_en = "Lesson 1"
file_zh = "l1.zh.md"
file_en = "l1.en.md"
cites = ["dazu-2021-6/art-7-1"]
"#;

    const QUESTIONS: &str = r#"[[question]]
id = "c1-q1"
kind = "single"
prompt_zh = "问"
prompt_en = "Q"
explanation_zh = "释"
explanation_en = "E"
cites = ["dazu-2021-6/art-1"]
[[question.option]]
id = "a"
text_zh = "甲"
text_en = "A"
correct = true
[[question.option]]
id = "b"
text_zh = "乙"
text_en = "B"
correct = false

[[question]]
id = "c1-q2"
kind = "true_false"
prompt_zh = "问"
prompt_en = "Q"
explanation_zh = "释"
explanation_en = "E"
cites = ["provisions-2015"]
[[question.option]]
id = "t"
text_zh = "正确"
text_en = "True"
correct = false
[[question.option]]
id = "f"
text_zh = "错误"
text_en = "False"
correct = true
"#;

    /// Writes a content dir with one or two courses; returns it.
    fn write(tag: &str, courses: &[(&str, &str, &str)]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("courses-test-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (name, course, questions) in courses {
            let d = root.join("courses").join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("course.toml"), course).unwrap();
            std::fs::write(d.join("questions.toml"), questions).unwrap();
            std::fs::write(
                d.join("l1.zh.md"),
                "## 标题\n\n正文<script>alert(1)</script>",
            )
            .unwrap();
            std::fs::write(d.join("l1.en.md"), "## Title\n\nText").unwrap();
        }
        root
    }

    fn fails(tag: &str, course: &str, questions: &str) -> ContentError {
        load(&write(tag, &[("c1", course, questions)])).unwrap_err()
    }

    #[test]
    fn shipped_courses_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let cat = load(&dir).unwrap();
        assert_eq!(cat.courses.len(), 4);
        for c in &cat.courses {
            assert!(c.course.lessons.len() >= 4, "{}", c.course.id);
            assert!(c.course.questions.len() >= 15, "{}", c.course.id);
            assert!(c.bodies.iter().all(|b| !b.html_zh.is_empty()));
        }
    }

    #[test]
    fn a_good_course_loads_and_is_sanitised() {
        let cat = load(&write("good", &[("c1", COURSE, QUESTIONS)])).unwrap();
        let b = &cat.courses[0].bodies[0];
        assert!(b.html_zh.contains("<h2>标题</h2>"));
        assert!(!b.html_zh.contains("<script"));
        assert!(cat.by_quiz("c1-quiz").is_some());
    }

    #[test]
    fn malformed_toml_names_file_and_line() {
        let e = fails(
            "malformed",
            COURSE,
            &QUESTIONS.replace("kind = \"single\"", "kind = = 1"),
        );
        assert!(e.file.ends_with("c1/questions.toml"), "{e}");
        assert_eq!(e.line, Some(3), "{e}");
        let e = fails(
            "unknown-kind",
            COURSE,
            &QUESTIONS.replace("\"single\"", "\"essay\""),
        );
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn wrong_number_of_correct_options() {
        let q = QUESTIONS.replacen("correct = false", "correct = true", 1);
        let e = fails("two-right", COURSE, &q);
        assert!(e.file.ends_with("questions.toml"));
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("exactly one"), "{e}");
        let q = QUESTIONS.replacen("correct = true", "correct = false", 1);
        let e = fails("none-right", COURSE, &q);
        assert!(e.message.contains("c1-q1"), "{e}");
    }

    /// A bank whose single-choice answers are mostly the same letter stops the server, naming
    /// the file and the first question keyed to that letter.
    #[test]
    fn a_lopsided_answer_key_names_the_file() {
        let single = |id: &str| {
            let q1 = QUESTIONS.split("\n\n[[question]]").next().unwrap();
            q1.replace("c1-q1", id)
        };
        let bank = [single("c1-q1"), single("c1-q3"), single("c1-q4")].join("\n\n");
        let e = fails("lopsided", COURSE, &bank);
        assert!(e.file.ends_with("c1/questions.toml"), "{e}");
        assert_eq!(e.line, Some(10), "{e}");
        assert!(
            e.message.contains("\"a\" is the right one in 3 of the 3"),
            "{e}"
        );
        // With the right text under b in one question, two of three are still too many.
        let relettered = single("c1-q4")
            .replace("id = \"a\"", "id = \"x\"")
            .replace("id = \"b\"", "id = \"a\"")
            .replace("id = \"x\"", "id = \"b\"");
        let bank = [single("c1-q1"), relettered, single("c1-q5")].join("\n\n");
        let e = fails("lopsided-2", COURSE, &bank);
        assert!(e.message.contains("2 of the 3"), "{e}");
    }

    #[test]
    fn bad_citations() {
        for (bad, line) in [
            ("dazu-2021-6/art-16", 8),
            ("dazu-2021-6/art-7-4", 8),
            ("dazu-2021-6/art-8-1", 8),
            ("provisions-2016", 8),
        ] {
            let e = fails(
                "cite",
                COURSE,
                &QUESTIONS.replace("dazu-2021-6/art-1\"", &format!("{bad}\"")),
            );
            assert!(e.file.ends_with("questions.toml"), "{e}");
            assert_eq!(e.line, Some(line), "{bad}: {e}");
            assert!(e.message.contains(bad), "{e}");
        }
        let e = fails(
            "lesson-cite",
            &COURSE.replace("art-7-1", "art-99"),
            QUESTIONS,
        );
        assert!(e.file.ends_with("course.toml"), "{e}");
        assert_eq!(e.line, Some(22), "{e}");
    }

    #[test]
    fn duplicate_ids_across_courses() {
        let other = COURSE
            .replace("id = \"c1\"", "id = \"c2\"")
            .replace("c1-quiz", "c2-quiz")
            .replace("c1-l1", "c2-l1");
        let root = write(
            "dup",
            &[("c1", COURSE, QUESTIONS), ("c2", &other, QUESTIONS)],
        );
        let e = load(&root).unwrap_err();
        assert!(e.file.ends_with("c2/questions.toml"), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("duplicate id \"c1-q1\""), "{e}");
    }

    #[test]
    fn missing_lesson_file() {
        let e = fails(
            "missing",
            &COURSE.replace("l1.en.md", "nope.en.md"),
            QUESTIONS,
        );
        assert!(e.file.ends_with("course.toml"), "{e}");
        assert_eq!(e.line, Some(21), "{e}");
        assert!(e.message.contains("nope.en.md"), "{e}");
        let e = fails(
            "escape",
            &COURSE.replace("l1.en.md", "../../etc/passwd"),
            QUESTIONS,
        );
        assert!(e.message.contains("inside the course folder"), "{e}");
    }

    #[test]
    fn draw_larger_than_bank() {
        let e = fails("draw", &COURSE.replace("draw = 2", "draw = 3"), QUESTIONS);
        assert!(e.file.ends_with("course.toml"), "{e}");
        assert_eq!(e.line, Some(10), "{e}");
        assert!(e.message.contains("bank of 2"), "{e}");
    }
}
