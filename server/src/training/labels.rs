//! How training reads on a page and in an export: both languages of a text, dates, course
//! titles and the links between the training pages.

use app::i18n::Lang;
use app::pages::training::{Bi, CertBadge, CiteLink};
use app::refusals::Localize;
use corpus::library::Cite;
use domain::training::Course;
use store::attempts::Mode;

use crate::state::AppState;
use crate::time::format_beijing;

/// A text in both languages.
pub fn bi(zh: &str, en: &str) -> Bi {
    Bi::new(zh, en)
}

/// Something worded in both languages, for a view that shows the reader's.
pub fn worded(words: &impl Localize) -> Bi {
    Bi::new(words.text(Lang::Zh), words.text(Lang::En))
}

/// The date part of a Beijing time (`yyyy-mm-dd`).
pub fn date(ms: i64) -> String {
    let s = format_beijing(ms);
    s.split(' ').next().unwrap_or(&s).to_string()
}

/// The title of course `id` (the id itself for a course no longer in the catalogue).
pub fn course_title(state: &AppState, id: &str) -> Bi {
    state
        .courses
        .course(id)
        .map(|lc| bi(&lc.course.title_zh, &lc.course.title_en))
        .unwrap_or_else(|| bi(id, id))
}

pub fn course_href(c: &Course) -> String {
    format!("/training/{}", c.id)
}

pub fn quiz_href(c: &Course) -> String {
    format!("/quizzes/{}", c.quiz.id)
}

/// The start page of an attempt of `mode`.
pub fn start_href(c: &Course, mode: Mode) -> String {
    match mode {
        Mode::Exam => quiz_href(c),
        Mode::Practice => format!("{}/practice", quiz_href(c)),
    }
}

/// Links to what a lesson or an explanation cites.
pub fn cite_links(cites: &[String]) -> Vec<CiteLink> {
    cites
        .iter()
        .filter_map(|s| Cite::parse(s))
        .map(|c| CiteLink {
            href: c.href(),
            label: bi(&c.label_zh(), &c.label_en()),
        })
        .collect()
}

/// The badge of a certificate (code, issued, expires) held at `now`.
pub fn badge(
    state: &AppState,
    course: &Course,
    cert: Option<&(String, i64, i64, Option<String>)>,
    now: i64,
) -> Option<CertBadge> {
    cert.map(|(code, _, expires, version)| CertBadge {
        code: code.clone(),
        valid_until: date(*expires),
        valid: now < *expires,
        renewal: renewal_due(state, course, version.as_deref()),
    })
}

/// Whether a certificate of `course` issued against regulation `version` is due for renewal:
/// a later version of the regulation changes an article the course cites.
pub fn renewal_due(state: &AppState, course: &Course, version: Option<&str>) -> bool {
    corpus::courses::renewal_due(course, &state.content.versions, version)
}
