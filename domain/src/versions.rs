//! Versions of the regulation: which articles changed between two versions (ignoring
//! full-width/half-width and whitespace variants, which are typesetting, not law), a character
//! diff of each changed article, and which citing content needs review as a result.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::regulation::Document;

/// Folds a text for comparison: full-width ASCII forms to half-width, the ideographic space
/// and every other whitespace removed.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The whole text of an article (heading excluded), blocks joined by newlines.
fn article_text(doc: &Document, n: u32) -> Option<String> {
    doc.articles.iter().find(|a| a.n == n).map(|a| {
        a.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// How an article differs between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// A piece of a character diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    Same(String),
    Deleted(String),
    Inserted(String),
}

/// One changed article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleChange {
    pub n: u32,
    pub kind: ChangeKind,
    pub segments: Vec<Segment>,
}

/// The articles that differ between `old` and `new`, in article order.
pub fn diff_documents(old: &Document, new: &Document) -> Vec<ArticleChange> {
    let numbers: BTreeSet<u32> = old
        .articles
        .iter()
        .chain(&new.articles)
        .map(|a| a.n)
        .collect();
    numbers
        .into_iter()
        .filter_map(|n| match (article_text(old, n), article_text(new, n)) {
            (Some(a), Some(b)) if fold(&a) == fold(&b) => None,
            (Some(a), Some(b)) => Some(ArticleChange {
                n,
                kind: ChangeKind::Changed,
                segments: char_diff(&a, &b),
            }),
            (None, Some(b)) => Some(ArticleChange {
                n,
                kind: ChangeKind::Added,
                segments: vec![Segment::Inserted(b)],
            }),
            (Some(a), None) => Some(ArticleChange {
                n,
                kind: ChangeKind::Removed,
                segments: vec![Segment::Deleted(a)],
            }),
            (None, None) => None,
        })
        .collect()
}

fn char_diff(a: &str, b: &str) -> Vec<Segment> {
    let diff = TextDiff::from_chars(a, b);
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let s = change.value();
        match (change.tag(), out.last_mut()) {
            (ChangeTag::Equal, Some(Segment::Same(t)))
            | (ChangeTag::Delete, Some(Segment::Deleted(t)))
            | (ChangeTag::Insert, Some(Segment::Inserted(t))) => t.push_str(s),
            (ChangeTag::Equal, _) => out.push(Segment::Same(s.to_string())),
            (ChangeTag::Delete, _) => out.push(Segment::Deleted(s.to_string())),
            (ChangeTag::Insert, _) => out.push(Segment::Inserted(s.to_string())),
        }
    }
    out
}

/// Something that cites articles, written against a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citing {
    pub id: String,
    pub version: String,
    pub articles: Vec<u32>,
}

/// The citing items that need review: written against another version than `latest`, and
/// citing an article that `changed` (the articles changed between their version and latest).
pub fn needs_review<'a>(
    items: &'a [Citing],
    latest: &str,
    changed: impl Fn(&str) -> Vec<u32>,
) -> Vec<&'a Citing> {
    items
        .iter()
        .filter(|c| {
            c.version != latest && changed(&c.version).iter().any(|n| c.articles.contains(n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regulation::parse_document;

    const SOURCE: &str = include_str!("../../content/regulations/dazu-2021-6/source.txt");

    #[test]
    fn folding_ignores_width_and_spaces() {
        assert_eq!(fold("第七条（一）ＡＢＣ　１２ 3"), "第七条(一)ABC123");
        assert_eq!(fold("a\tb\nc"), "abc");
    }

    #[test]
    fn only_the_changed_article_is_flagged() {
        let old = parse_document(SOURCE).unwrap();
        let edited = SOURCE
            .replace(
                "探索建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
                "建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
            )
            // Typesetting variants in Article 12: full-width letters and extra spaces.
            .replace("通过法官协会、检察官协会", "通过法官协会、　检察官协会");
        let new = parse_document(&edited).unwrap();
        let changes = diff_documents(&old, &new);
        assert_eq!(changes.iter().map(|c| c.n).collect::<Vec<_>>(), vec![9]);
        assert_eq!(changes[0].kind, ChangeKind::Changed);
        assert!(changes[0]
            .segments
            .contains(&Segment::Deleted("探索".into())));
        assert!(diff_documents(&old, &old).is_empty());
    }

    #[test]
    fn review_is_needed_only_for_older_content_citing_changed_articles() {
        let items = vec![
            Citing {
                id: "lesson-a".into(),
                version: "v1".into(),
                articles: vec![7, 9],
            },
            Citing {
                id: "lesson-b".into(),
                version: "v1".into(),
                articles: vec![3],
            },
            Citing {
                id: "lesson-c".into(),
                version: "v2".into(),
                articles: vec![9],
            },
        ];
        let changed = |v: &str| if v == "v1" { vec![9] } else { vec![] };
        let ids: Vec<&str> = needs_review(&items, "v2", changed)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, vec!["lesson-a"]);
    }
}
