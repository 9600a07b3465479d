//! The regulation library: everything around the regulation text that helps people read and find
//! it. The glossary (`content/glossary.toml`), the summary of the 2015 national provisions
//! (`content/provisions-2015.toml`, Markdown rendered once and sanitised), which lessons and quiz
//! questions cite which article (`content/courses/*/course.toml` and `questions.toml`), the
//! article text split into verbatim spans where internal references become links, and the
//! search index over all of it.
//!
//! Loaded once at start, after [`crate::content::load`]; a problem in the library's own files
//! names the file and line and stops the server. The course files belong to the training
//! feature, so only the fields needed here are read and everything else in them is ignored.

use std::path::{Path, PathBuf};

use domain::regulation::{cn_number, parse_cn_number, Document, Translation};
use domain::routing::RuleId;
use domain::search::{self, Doc, DocKind, DocLang, Hit, Index, Query, QueryProblem};
use serde::Deserialize;

use crate::content::{parse_toml, Content, ContentError};

mod links;
mod loaders;
mod markdown;

use links::*;
use loaders::*;
pub use markdown::{markdown_html, markdown_text, user_markdown_html};

/// The regulation's page.
pub const REGULATION_PATH: &str = "/regulations/dazu-2021-6";
/// The English translation's page.
pub const REGULATION_EN_PATH: &str = "/regulations/dazu-2021-6/en";
/// The side-by-side page.
pub const COMPARE_PATH: &str = "/regulations/dazu-2021-6/compare";
/// The summary of the 2015 provisions.
pub const PROVISIONS_PATH: &str = "/regulations/provisions-2015";
/// The glossary.
pub const GLOSSARY_PATH: &str = "/glossary";
/// The search page.
pub const SEARCH_PATH: &str = "/search";

/// The page of one article (`/regulations/dazu-2021-6/art-7`).
pub fn article_path(n: u32) -> String {
    format!("{REGULATION_PATH}/art-{n}")
}

/// Where a lesson is read. The training pages own this URL; it is written in one place so it
/// can follow them.
pub fn lesson_href(course: &str, lesson: &str) -> String {
    format!("/training/{course}/{lesson}")
}

/// What a piece of content cites, as written in the content files: `dazu-2021-6/art-7`,
/// `dazu-2021-6/art-7-3` (item 3 of Article 7) or `provisions-2015`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cite {
    Article {
        n: u32,
        item: Option<u32>,
    },
    Provisions,
    /// The notice of issue that precedes the articles (`dazu-2021-6/notice`): who made and
    /// issued the regulation.
    Notice,
    /// The print line at the end (`dazu-2021-6/print-line`): who printed and distributed it,
    /// and when. Neither is an article.
    PrintLine,
}

impl Cite {
    /// Parses a citation; `None` for anything else.
    pub fn parse(s: &str) -> Option<Cite> {
        match s {
            "provisions-2015" => return Some(Cite::Provisions),
            "dazu-2021-6/notice" => return Some(Cite::Notice),
            "dazu-2021-6/print-line" => return Some(Cite::PrintLine),
            _ => {}
        }
        let rest = s.strip_prefix("dazu-2021-6/art-")?;
        let num = |p: &str| -> Option<u32> {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('0'))
                .then(|| p.parse().ok())
                .flatten()
        };
        match rest.split_once('-') {
            None => Some(Cite::Article {
                n: num(rest)?,
                item: None,
            }),
            Some((n, m)) => Some(Cite::Article {
                n: num(n)?,
                item: Some(num(m)?),
            }),
        }
    }

    /// The article cited, if any.
    pub fn article(self) -> Option<u32> {
        match self {
            Cite::Article { n, .. } => Some(n),
            Cite::Provisions | Cite::Notice | Cite::PrintLine => None,
        }
    }

    /// The link to what is cited: the article page (with the item's anchor) or the summary.
    pub fn href(self) -> String {
        match self {
            Cite::Article { n, item: None } => article_path(n),
            Cite::Article { n, item: Some(m) } => format!("{}#art-{n}-{m}", article_path(n)),
            Cite::Provisions => PROVISIONS_PATH.to_string(),
            Cite::Notice => format!("{REGULATION_PATH}#notice"),
            Cite::PrintLine => format!("{REGULATION_PATH}#print-line"),
        }
    }

    /// "第七条", "第七条第（三）项", "2015年规定（摘要）".
    pub fn label_zh(self) -> String {
        match self {
            Cite::Article { n, item: None } => format!("第{}条", cn_number(n)),
            Cite::Article { n, item: Some(m) } => {
                format!("第{}条第（{}）项", cn_number(n), cn_number(m))
            }
            Cite::Provisions => "2015年规定（摘要）".to_string(),
            Cite::Notice => "印发通知".to_string(),
            Cite::PrintLine => "版记（印发机关与日期）".to_string(),
        }
    }

    /// "Art. 7", "Art. 7(3)", "2015 provisions (summary)".
    pub fn label_en(self) -> String {
        match self {
            Cite::Article { n, item: None } => format!("Art. {n}"),
            Cite::Article { n, item: Some(m) } => format!("Art. {n}({m})"),
            Cite::Provisions => "2015 provisions (summary)".to_string(),
            Cite::Notice => "Notice of issue".to_string(),
            Cite::PrintLine => "Print line (printed and distributed by, date)".to_string(),
        }
    }
}

/// Where a link in the article text leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// An article, or an item of it.
    Article { n: u32, item: Option<u32> },
    /// The summary of the 2015 provisions.
    Provisions,
    /// A glossary entry, by id.
    Glossary(String),
}

/// A piece of an article block: verbatim text, or verbatim text wrapped in a link.
/// Concatenating the texts of a block's spans gives the block exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Link { text: String, target: LinkTarget },
}

impl Span {
    /// The span's text.
    pub fn text(&self) -> &str {
        match self {
            Span::Text(t) | Span::Link { text: t, .. } => t,
        }
    }
}

/// A glossary entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The anchor on the glossary page.
    pub id: String,
    pub zh: String,
    pub en: String,
    pub definition_zh: String,
    pub definition_en: String,
    /// What the definition rests on, as written in the file.
    pub sources: Vec<String>,
}

impl Term {
    /// The parsed sources (checked at load, so none is dropped).
    pub fn cites(&self) -> Vec<Cite> {
        self.sources.iter().filter_map(|s| Cite::parse(s)).collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(rename = "term")]
    terms: Vec<Term>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvisionsFile {
    title_zh: String,
    title_en: String,
    disclaimer_zh: String,
    disclaimer_en: String,
    #[serde(rename = "section")]
    sections: Vec<SectionFile>,
    #[serde(rename = "source")]
    sources: Vec<ProvisionsSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    id: String,
    heading_zh: String,
    heading_en: String,
    body_zh: String,
    body_en: String,
}

/// The summary of the 2015 provisions, ready to show.
#[derive(Clone, Debug)]
pub struct Provisions {
    pub title_zh: String,
    pub title_en: String,
    pub disclaimer_zh: String,
    pub disclaimer_en: String,
    pub sections: Vec<ProvisionsSection>,
    pub sources: Vec<ProvisionsSource>,
}

/// One section of the summary.
#[derive(Clone, Debug)]
pub struct ProvisionsSection {
    /// The anchor on the page.
    pub id: String,
    pub heading_zh: String,
    pub heading_en: String,
    /// The body rendered from Markdown and sanitised with ammonia: safe to insert as HTML.
    pub html_zh: String,
    pub html_en: String,
    /// The body as plain text, for search.
    pub text_zh: String,
    pub text_en: String,
}

/// A public source the summary rests on.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionsSource {
    pub title: String,
    /// As given in the notes, without a scheme.
    pub url: String,
    pub date: String,
}

/// What the library knows of a course: its title, and what its lessons and questions cite.
#[derive(Clone, Debug)]
pub struct Course {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    /// The regulation version the course was written against (`dazu-2021-6@<version id>`).
    pub regulation_version: String,
    pub lessons: Vec<Lesson>,
    pub questions: Vec<QuestionRef>,
}

/// A lesson: title, citations, where it is read.
#[derive(Clone, Debug)]
pub struct Lesson {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub cites: Vec<Cite>,
    pub href: String,
}

/// A quiz question, by id, with what it cites (the prompt is not shown outside a quiz).
#[derive(Clone, Debug)]
pub struct QuestionRef {
    pub id: String,
    pub cites: Vec<Cite>,
}

#[derive(Deserialize)]
struct CourseFile {
    id: String,
    title_zh: String,
    title_en: String,
    #[serde(default)]
    regulation_version: String,
    #[serde(default, rename = "lesson")]
    lessons: Vec<LessonFile>,
}

#[derive(Deserialize)]
struct LessonFile {
    id: String,
    title_zh: String,
    title_en: String,
    #[serde(default)]
    file_zh: Option<String>,
    #[serde(default)]
    file_en: Option<String>,
    #[serde(default)]
    cites: Vec<String>,
}

#[derive(Deserialize)]
struct QuestionsFile {
    #[serde(default, rename = "question")]
    questions: Vec<QuestionFile>,
}

#[derive(Deserialize)]
struct QuestionFile {
    id: String,
    #[serde(default)]
    cites: Vec<String>,
}

/// What cites one article.
#[derive(Clone, Debug, Default)]
pub struct CitedBy<'a> {
    /// Lead-routing rules whose basis names the article.
    pub rules: Vec<RuleId>,
    /// Lessons citing the article or one of its items, with their course.
    pub lessons: Vec<(&'a Course, &'a Lesson)>,
    /// Per course, the ids of the questions citing the article or one of its items.
    pub questions: Vec<(&'a Course, Vec<&'a str>)>,
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct SearchResult {
    pub query: Query,
    /// Every hit, best first.
    pub hits: Vec<Hit>,
}

/// The loaded library.
#[derive(Debug)]
pub struct Library {
    pub glossary: Vec<Term>,
    pub provisions: Provisions,
    pub courses: Vec<Course>,
    /// Per article (index `n - 1`), per block: the Chinese text as spans.
    pub linked_zh: Vec<Vec<Vec<Span>>>,
    /// The same for the English translation.
    pub linked_en: Vec<Vec<Vec<Span>>>,
    /// 《建立共同防范监管司法人员与律师不正当接触交往行为机制的暂行规定》
    pub citation_title_zh: String,
    /// Interim Provisions on Establishing a Mechanism …
    pub citation_title_en: String,
    pub index: Index,
}

impl Library {
    /// The Chinese citation of article `n`: 《…暂行规定》第七条.
    pub fn citation_zh(&self, n: u32) -> String {
        format!("{}第{}条", self.citation_title_zh, cn_number(n))
    }

    /// The English citation of article `n`: "Article 7 of the Interim Provisions on …".
    pub fn citation_en(&self, n: u32) -> String {
        format!("Article {n} of the {}", self.citation_title_en)
    }

    /// The glossary entry `id`.
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.glossary.iter().find(|t| t.id == id)
    }

    /// Everything that cites article `n`.
    pub fn cited_by(&self, n: u32) -> CitedBy<'_> {
        let cites_n = |cites: &[Cite]| cites.iter().any(|c| c.article() == Some(n));
        let mut out = CitedBy {
            rules: rules_citing(n),
            ..CitedBy::default()
        };
        for c in &self.courses {
            for l in &c.lessons {
                if cites_n(&l.cites) {
                    out.lessons.push((c, l));
                }
            }
            let qs: Vec<&str> = c
                .questions
                .iter()
                .filter(|q| cites_n(&q.cites))
                .map(|q| q.id.as_str())
                .collect();
            if !qs.is_empty() {
                out.questions.push((c, qs));
            }
        }
        out
    }

    /// Runs a query as typed by a user.
    pub fn search(&self, raw: &str) -> Result<SearchResult, QueryProblem> {
        let query = search::parse_query(raw)?;
        let hits = self.index.search(&query);
        Ok(SearchResult { query, hits })
    }
}

/// The lead-routing rules whose basis names article `n` (every "第X条" in `basis_zh`).
pub fn rules_citing(n: u32) -> Vec<RuleId> {
    RuleId::ALL
        .into_iter()
        .filter(|r| articles_named(r.basis_zh()).contains(&n))
        .collect()
}

/// The article numbers written as "第X条" in a Chinese citation.
fn articles_named(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('第') {
        let rest = &text[i + '第'.len_utf8()..];
        if let Some(end) = rest.find('条') {
            if let Some(n) = parse_cn_number(&rest[..end]) {
                out.push(n);
            }
        }
    }
    out
}

/// An internal reference in the article text: the exact phrase, and the parts of it (in order)
/// that become links.
struct Reference {
    article: u32,
    phrase: &'static str,
    parts: &'static [(&'static str, Target)],
}

#[derive(Clone, Copy)]
enum Target {
    Article(u32),
    Item(u32, u32),
    Provisions,
}

impl From<Target> for LinkTarget {
    fn from(t: Target) -> Self {
        match t {
            Target::Article(n) => LinkTarget::Article { n, item: None },
            Target::Item(n, m) => LinkTarget::Article { n, item: Some(m) },
            Target::Provisions => LinkTarget::Provisions,
        }
    }
}

/// Loads the library from `dir` (the content folder) over the already loaded regulation.
pub fn load(dir: &Path, content: &Content) -> Result<Library, ContentError> {
    let doc = &content.regulation;
    let glossary_path = dir.join("glossary.toml");
    let glossary = load_glossary(&glossary_path, doc)?;
    let provisions = load_provisions(&dir.join("provisions-2015.toml"))?;
    let courses = load_courses(&dir.join("courses"))?;
    let source_path = dir.join("regulations/dazu-2021-6/source.txt");
    let linked_zh = link_zh(doc, &glossary).map_err(|m| error(&source_path, None, m))?;
    let linked_en = link_en(&content.regulation_en);
    let citation_title_zh = title_in_brackets(&doc.notice_title).ok_or_else(|| {
        error(
            &source_path,
            None,
            "the notice title has no 《…》 to cite".into(),
        )
    })?;
    let en_title = &content.regulation_en.notice_title;
    let citation_title_en = en_title
        .strip_prefix("Notice on Issuing the ")
        .unwrap_or(en_title)
        .to_string();
    let index = Index::new(documents(content, &glossary, &provisions, &courses));
    Ok(Library {
        glossary,
        provisions,
        courses: courses.into_iter().map(|c| c.course).collect(),
        linked_zh,
        linked_en,
        citation_title_zh,
        citation_title_en,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
    }

    fn library() -> (Content, Library) {
        let content = crate::content::load(&content_dir()).unwrap();
        let lib = load(&content_dir(), &content).unwrap();
        (content, lib)
    }

    #[test]
    fn cites_parse() {
        let rows: &[(&str, Option<Cite>)] = &[
            (
                "dazu-2021-6/art-7",
                Some(Cite::Article { n: 7, item: None }),
            ),
            (
                "dazu-2021-6/art-7-3",
                Some(Cite::Article {
                    n: 7,
                    item: Some(3),
                }),
            ),
            (
                "dazu-2021-6/art-15",
                Some(Cite::Article { n: 15, item: None }),
            ),
            ("provisions-2015", Some(Cite::Provisions)),
            ("dazu-2021-6/art-", None),
            ("dazu-2021-6/art-07", None),
            ("dazu-2021-6/art-7-", None),
            ("dazu-2021-6/art-x", None),
            ("other/art-7", None),
            ("", None),
        ];
        for (s, want) in rows {
            assert_eq!(Cite::parse(s), *want, "{s:?}");
        }
        let c = Cite::parse("dazu-2021-6/art-7-3").unwrap();
        assert_eq!(c.href(), "/regulations/dazu-2021-6/art-7#art-7-3");
        assert_eq!(c.label_zh(), "第七条第（三）项");
        assert_eq!(c.label_en(), "Art. 7(3)");
    }

    #[test]
    fn rules_cite_the_articles_of_their_basis() {
        use RuleId::*;
        let rows: &[(u32, &[RuleId])] = &[
            (6, &[R10]),
            (7, &[R1, R2, R3, R4, R5]),
            (8, &[R4, R5, R6, R7]),
            (10, &[R8]),
            (11, &[R9]),
            (13, &[R9]),
            (1, &[]),
            (14, &[]),
        ];
        for (n, want) in rows {
            assert_eq!(rules_citing(*n), *want, "article {n}");
        }
    }

    #[test]
    fn shipped_library_loads() {
        let (_, lib) = library();
        assert!(lib.glossary.len() >= 8);
        assert_eq!(lib.provisions.sections.len(), 6);
        assert!(lib.courses.len() >= 4);
        assert_eq!(
            lib.citation_zh(7),
            "《建立共同防范监管司法人员与律师不正当接触交往行为机制的暂行规定》第七条"
        );
        assert!(lib
            .citation_en(7)
            .starts_with("Article 7 of the Interim Provisions on Establishing a Mechanism"));
        for s in &lib.provisions.sections {
            assert!(!s.html_zh.contains("<script"));
            assert!(s.html_zh.contains("<p>") || s.html_zh.contains("<li>"));
            assert!(!s.text_zh.contains("**"));
        }
        let by = lib.cited_by(7);
        assert!(by
            .lessons
            .iter()
            .any(|(_, l)| l.id == "rg-03-justice-bureau-routing"));
        assert!(!by.questions.is_empty());
    }

    #[test]
    fn spans_are_verbatim_and_link_the_references() {
        let (content, lib) = library();
        for (a, blocks) in content.regulation.articles.iter().zip(&lib.linked_zh) {
            for (b, spans) in a.blocks.iter().zip(blocks) {
                let joined: String = spans.iter().map(Span::text).collect();
                assert_eq!(joined, b.text, "article {}", a.n);
            }
        }
        for (a, blocks) in content.regulation_en.articles.iter().zip(&lib.linked_en) {
            for (b, spans) in a.blocks.iter().zip(blocks) {
                let joined: String = spans.iter().map(Span::text).collect();
                assert_eq!(joined, b.text, "article {}", a.n);
            }
        }
        let links = |spans: &[Span]| -> Vec<(String, LinkTarget)> {
            spans
                .iter()
                .filter_map(|s| match s {
                    Span::Link { text, target } if !matches!(target, LinkTarget::Glossary(_)) => {
                        Some((text.clone(), target.clone()))
                    }
                    _ => None,
                })
                .collect()
        };
        let item = |m| LinkTarget::Article {
            n: 7,
            item: Some(m),
        };
        assert_eq!(
            links(&lib.linked_zh[7][0]),
            [
                (
                    "第七条".to_string(),
                    LinkTarget::Article { n: 7, item: None }
                ),
                ("（一）".to_string(), item(1)),
                ("（三）".to_string(), item(3)),
            ]
        );
        assert_eq!(
            links(&lib.linked_zh[0][0]),
            [(NATIONAL_TITLE_ART1.to_string(), LinkTarget::Provisions)]
        );
        assert_eq!(
            links(&lib.linked_zh[3][0]),
            [(NATIONAL_TITLE_ART4.to_string(), LinkTarget::Provisions)]
        );
        assert_eq!(
            links(&lib.linked_en[7][0]),
            [
                ("(1)".to_string(), item(1)),
                ("(3)".to_string(), item(3)),
                (
                    "Article 7".to_string(),
                    LinkTarget::Article { n: 7, item: None }
                ),
            ]
        );
        assert_eq!(links(&lib.linked_en[0][0]).len(), 1);
        assert_eq!(links(&lib.linked_en[3][0]).len(), 1);
        // Glossary terms: the first occurrence per article only.
        let a8_terms: Vec<&str> = lib.linked_zh[7]
            .iter()
            .flatten()
            .filter_map(|s| match s {
                Span::Link {
                    target: LinkTarget::Glossary(id),
                    ..
                } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            a8_terms
                .iter()
                .filter(|id| **id == "lawyers-association")
                .count(),
            1
        );
        assert!(a8_terms.contains(&"feedback"));
    }

    #[test]
    fn markdown_is_sanitised() {
        let html = markdown_html("**a** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>a</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert_eq!(markdown_text("# T\n\n- **a**\n- b"), "T\na\nb");
    }

    #[test]
    fn user_markdown_shows_no_images() {
        for md in [
            "![x](/leads/7)",
            "<img src=\"/leads/7\">",
            "a <IMG SRC=/leads/7> b",
            "[![x](/leads/7)](/events)",
        ] {
            let html = user_markdown_html(md).to_lowercase();
            assert!(!html.contains("<img"), "{md}: {html}");
            assert!(!html.contains("/leads/7"), "{md}: {html}");
        }
        assert!(user_markdown_html("**议题**").contains("<strong>议题</strong>"));
    }

    #[test]
    fn bad_glossary_sources_name_the_line() {
        let (content, _) = library();
        let dir = std::env::temp_dir().join(format!("library-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("glossary.toml");
        std::fs::write(
            &path,
            "[[term]]\nid = \"x\"\nzh = \"甲\"\nen = \"a\"\ndefinition_zh = \"甲\"\ndefinition_en = \"a\"\nsources = [\"dazu-2021-6/art-16\"]\n",
        )
        .unwrap();
        let e = load_glossary(&path, &content.regulation).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("art-16"), "{e}");
        std::fs::write(
            &path,
            "[[term]]\nid = \"x\"\nzh = \"甲\"\nen = \"a\"\ndefinition_zh = \"甲\"\ndefinition_en = \"a\"\nsources = [\"dazu-2021-6/art-8-1\"]\n",
        )
        .unwrap();
        assert!(load_glossary(&path, &content.regulation).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn library_search_finds_every_kind() {
        let (_, lib) = library();
        let r = lib.search("线索").unwrap();
        for kind in [
            DocKind::Article,
            DocKind::Glossary,
            DocKind::Provisions,
            DocKind::Lesson,
        ] {
            assert!(r.hits.iter().any(|h| h.kind == kind), "{kind:?}");
        }
        let r = lib.search("中介组织").unwrap();
        assert!(r.hits.iter().any(|h| h.kind == DocKind::Provisions));
        assert_eq!(
            lib.search("，。").unwrap_err(),
            QueryProblem::NothingSearchable
        );
    }
}
