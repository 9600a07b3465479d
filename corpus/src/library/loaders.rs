//! Reading the library's files (glossary, 2015 provisions, course texts for search) strictly:
//! an error names the file and line.

use super::*;

pub(super) fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path).map_err(|e| error(path, None, e.to_string()))
}

pub(super) fn error(path: &Path, line: Option<usize>, message: String) -> ContentError {
    ContentError {
        file: path.into(),
        line,
        message,
    }
}

/// The line (1-based) of the first occurrence of `needle` in `text`.
pub(super) fn line_with(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|i| text[..i].matches('\n').count() + 1)
}

/// Ids become anchors and URL fragments: lower-case ASCII letters, digits and hyphens.
pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// True when the regulation has what `c` cites.
pub(super) fn cite_exists(doc: &Document, c: Cite) -> bool {
    match c {
        Cite::Provisions | Cite::Notice | Cite::PrintLine => true,
        Cite::Article { n, item } => doc
            .articles
            .iter()
            .any(|a| a.n == n && item.is_none_or(|m| a.blocks.iter().any(|b| b.item == Some(m)))),
    }
}

pub(super) fn load_glossary(path: &Path, doc: &Document) -> Result<Vec<Term>, ContentError> {
    let text = read(path)?;
    let file: GlossaryFile = parse_toml(path, &text)?;
    let mut seen = std::collections::HashSet::new();
    for t in &file.terms {
        let at = || line_with(&text, &format!("\"{}\"", t.id));
        if !valid_id(&t.id) {
            return Err(error(path, at(), format!("invalid term id {:?}", t.id)));
        }
        if !seen.insert(t.id.clone()) {
            return Err(error(path, at(), format!("duplicate term id {:?}", t.id)));
        }
        for s in &t.sources {
            let ok = Cite::parse(s).is_some_and(|c| cite_exists(doc, c));
            if !ok {
                return Err(error(
                    path,
                    line_with(&text, &format!("\"{s}\"")),
                    format!("term {:?} cites {s:?}, which does not exist", t.id),
                ));
            }
        }
    }
    Ok(file.terms)
}

pub(super) fn load_provisions(path: &Path) -> Result<Provisions, ContentError> {
    let text = read(path)?;
    let file: ProvisionsFile = parse_toml(path, &text)?;
    let mut seen = std::collections::HashSet::new();
    for s in &file.sections {
        if !valid_id(&s.id) || !seen.insert(s.id.clone()) {
            return Err(error(
                path,
                line_with(&text, &format!("\"{}\"", s.id)),
                format!("section id {:?} is invalid or repeated", s.id),
            ));
        }
    }
    Ok(Provisions {
        title_zh: file.title_zh,
        title_en: file.title_en,
        disclaimer_zh: file.disclaimer_zh,
        disclaimer_en: file.disclaimer_en,
        sections: file
            .sections
            .into_iter()
            .map(|s| ProvisionsSection {
                html_zh: markdown_html(&s.body_zh),
                html_en: markdown_html(&s.body_en),
                text_zh: markdown_text(&s.body_zh),
                text_en: markdown_text(&s.body_en),
                id: s.id,
                heading_zh: s.heading_zh,
                heading_en: s.heading_en,
            })
            .collect(),
        sources: file.sources,
    })
}

/// A course as loaded, with the plain text of its lessons for search.
pub(super) struct LoadedCourse {
    pub(super) course: Course,
    /// Per lesson: (Chinese text, English text), empty when a file is missing.
    pub(super) texts: Vec<(String, String)>,
}

/// Reads the course folders. Unknown citations and missing lesson files are left to the
/// training feature's own validation; here they are skipped (with a warning for files).
pub(super) fn load_courses(dir: &Path) -> Result<Vec<LoadedCourse>, ContentError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("course.toml").is_file())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let path = d.join("course.toml");
        let file: CourseFile = parse_toml(&path, &read(&path)?)?;
        let qpath = d.join("questions.toml");
        let questions = if qpath.is_file() {
            parse_toml::<QuestionsFile>(&qpath, &read(&qpath)?)?.questions
        } else {
            Vec::new()
        };
        let lesson_text = |f: &Option<String>| -> String {
            let Some(f) = f else { return String::new() };
            let p = d.join(f);
            match std::fs::read_to_string(&p) {
                Ok(md) => markdown_text(&md),
                Err(e) => {
                    tracing::warn!(file = %p.display(), error = %e, "lesson not indexed for search");
                    String::new()
                }
            }
        };
        let cites = |v: &[String]| v.iter().filter_map(|s| Cite::parse(s)).collect::<Vec<_>>();
        let texts = file
            .lessons
            .iter()
            .map(|l| (lesson_text(&l.file_zh), lesson_text(&l.file_en)))
            .collect();
        let course = Course {
            lessons: file
                .lessons
                .iter()
                .map(|l| Lesson {
                    id: l.id.clone(),
                    title_zh: l.title_zh.clone(),
                    title_en: l.title_en.clone(),
                    cites: cites(&l.cites),
                    href: lesson_href(&file.id, &l.id),
                })
                .collect(),
            questions: questions
                .iter()
                .map(|q| QuestionRef {
                    id: q.id.clone(),
                    cites: cites(&q.cites),
                })
                .collect(),
            id: file.id,
            title_zh: file.title_zh,
            title_en: file.title_en,
            regulation_version: file.regulation_version,
        };
        out.push(LoadedCourse { course, texts });
    }
    Ok(out)
}

/// The regulation's title as cited: the 《…》 of the notice title.
pub(super) fn title_in_brackets(notice_title: &str) -> Option<String> {
    let start = notice_title.find('《')?;
    let end = notice_title.rfind('》')?;
    (end > start).then(|| notice_title[start..end + '》'.len_utf8()].to_string())
}

/// Every searchable document.
pub(super) fn documents(
    content: &Content,
    glossary: &[Term],
    provisions: &Provisions,
    courses: &[LoadedCourse],
) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut add = |kind, lang, title: &str, href: String, text: String| {
        docs.push(Doc {
            kind,
            lang,
            title: title.to_string(),
            href,
            text,
        })
    };
    for a in &content.regulation.articles {
        let text = a
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let href = format!("{REGULATION_PATH}#art-{}", a.n);
        add(DocKind::Article, DocLang::Zh, &a.heading, href, text);
    }
    for a in &content.regulation_en.articles {
        let text = a
            .blocks
            .iter()
            .map(|b| match b.item {
                Some(m) => format!("({m}) {}", b.text),
                None => b.text.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let href = format!("{REGULATION_EN_PATH}#art-{}", a.n);
        add(
            DocKind::Article,
            DocLang::En,
            &format!("Article {}", a.n),
            href,
            text,
        );
    }
    for t in glossary {
        let href = format!("{GLOSSARY_PATH}#{}", t.id);
        add(
            DocKind::Glossary,
            DocLang::Zh,
            &t.zh,
            href.clone(),
            t.definition_zh.clone(),
        );
        add(
            DocKind::Glossary,
            DocLang::En,
            &t.en,
            href,
            t.definition_en.clone(),
        );
    }
    let p = provisions;
    add(
        DocKind::Provisions,
        DocLang::Zh,
        &p.title_zh,
        PROVISIONS_PATH.into(),
        p.disclaimer_zh.clone(),
    );
    add(
        DocKind::Provisions,
        DocLang::En,
        &p.title_en,
        PROVISIONS_PATH.into(),
        p.disclaimer_en.clone(),
    );
    for s in &p.sections {
        let href = format!("{PROVISIONS_PATH}#{}", s.id);
        add(
            DocKind::Provisions,
            DocLang::Zh,
            &s.heading_zh,
            href.clone(),
            s.text_zh.clone(),
        );
        add(
            DocKind::Provisions,
            DocLang::En,
            &s.heading_en,
            href,
            s.text_en.clone(),
        );
    }
    for c in courses {
        for (l, (zh, en)) in c.course.lessons.iter().zip(&c.texts) {
            if !zh.is_empty() {
                add(
                    DocKind::Lesson,
                    DocLang::Zh,
                    &l.title_zh,
                    l.href.clone(),
                    zh.clone(),
                );
            }
            if !en.is_empty() {
                add(
                    DocKind::Lesson,
                    DocLang::En,
                    &l.title_en,
                    l.href.clone(),
                    en.clone(),
                );
            }
        }
    }
    docs
}
