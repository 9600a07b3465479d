//! Full-text search over the portal's reading material: the regulation (Chinese and English),
//! the glossary, the summary of the 2015 provisions and the course lessons.
//!
//! The material is small (a few hundred paragraphs), so the index is a pure in-memory structure
//! built once at start: no search engine, no database, nothing to keep in sync. Chinese has no
//! spaces between words, so the index is over character bigrams (and single characters for
//! one-character queries) of a normalised text in which full-width and half-width forms, letter
//! case and the usual punctuation variants are folded together. Bigrams only pick candidates;
//! every candidate is then checked for the whole term, so a hit always contains the query
//! exactly (after normalisation). Whitespace separates query terms, and every term must match
//! (AND), so each added word narrows the results.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Queries are cut to this many characters before anything else is done with them.
pub const MAX_QUERY_CHARS: usize = 200;

/// How many characters of context a snippet shows before the first match.
const SNIPPET_BEFORE: usize = 30;
/// How many characters a snippet shows in all.
const SNIPPET_LEN: usize = 110;

/// What a searchable document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DocKind {
    /// An article of the regulation.
    Article,
    /// A glossary entry.
    Glossary,
    /// A section of the summary of the 2015 provisions.
    Provisions,
    /// A course lesson.
    Lesson,
}

/// The language a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocLang {
    Zh,
    En,
}

/// One searchable document, as given to [`Index::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub kind: DocKind,
    pub lang: DocLang,
    /// Shown as the hit's heading; also searched (matches here rank higher).
    pub title: String,
    /// Where the hit leads, anchor included (e.g. `/regulations/dazu-2021-6#art-7`).
    pub href: String,
    /// The plain text that is searched and quoted in snippets.
    pub text: String,
}

/// A piece of a snippet or title: plain text, or text that matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    /// True for a part that matched a query term (shown in `<mark>`).
    pub mark: bool,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Position of the document in the list given to [`Index::new`].
    pub doc: usize,
    pub kind: DocKind,
    pub lang: DocLang,
    pub href: String,
    /// The title with the matches marked.
    pub title: Vec<Segment>,
    /// A passage of the text around the first match, matches marked.
    pub snippet: Vec<Segment>,
    /// Higher is better.
    pub score: u32,
}

/// A parsed query: normalised terms, all of which must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Normalised terms, in the order typed, without duplicates.
    pub terms: Vec<String>,
    /// True when the query was longer than [`MAX_QUERY_CHARS`] and was cut.
    pub truncated: bool,
}

/// Why a query cannot be run; each gets its own helpful page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryProblem {
    /// Nothing was typed (or only spaces).
    Empty,
    /// Only punctuation, symbols or control characters were typed.
    NothingSearchable,
}

/// Folds one character: `None` drops it, `Some(' ')` makes it a separator.
///
/// Full-width ASCII becomes half-width, letters become lower case, Chinese punctuation becomes
/// its ASCII counterpart (so "（一）、（三）" and "(一),(三)" compare equal), whitespace and control
/// characters separate, zero-width characters vanish.
pub fn fold_char(c: char) -> Option<char> {
    let c = match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => return None,
        c if c.is_whitespace() || c.is_control() => ' ',
        // Full-width ASCII block.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '。' | '｡' | '…' => '.',
        '、' | '､' | '﹐' | '﹑' => ',',
        '“' | '”' | '„' | '‟' | '「' | '」' | '『' | '』' | '〝' | '〞' | '″' => {
            '"'
        }
        '‘' | '’' | '‚' | '‛' | '′' => '\'',
        '《' | '〈' | '‹' | '«' => '<',
        '》' | '〉' | '›' | '»' => '>',
        '【' | '〔' | '〖' => '[',
        '】' | '〕' | '〗' => ']',
        '—' | '–' | '―' | '‐' | '‑' | '‒' | '−' => '-',
        '〜' => '~',
        '・' | '･' | '•' => '·',
        c => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => Some(l),
        _ => Some(c),
    }
}

/// Text after [`fold_char`], with runs of separators collapsed to one space, and for every
/// folded character the byte range it came from, so matches can be cut out of the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded {
    pub chars: Vec<char>,
    /// Byte range in the original text of each character of `chars`.
    pub spans: Vec<(usize, usize)>,
}

/// Folds a whole text (see [`fold_char`]).
pub fn fold(text: &str) -> Folded {
    let mut chars = Vec::with_capacity(text.len() / 2);
    let mut spans = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.char_indices() {
        let Some(f) = fold_char(c) else { continue };
        if f == ' ' && chars.last().is_none_or(|l| *l == ' ') {
            continue;
        }
        chars.push(f);
        spans.push((i, i + c.len_utf8()));
    }
    if chars.last() == Some(&' ') {
        chars.pop();
        spans.pop();
    }
    Folded { chars, spans }
}

/// Folds a text to a string (for tests and for callers comparing texts).
pub fn normalize(text: &str) -> String {
    fold(text).chars.into_iter().collect()
}

/// Punctuation that is dropped from both ends of a query term, so "协会。" finds "协会" and
/// "association," finds "association". Brackets stay: "(三)" is meaningful in the regulation.
fn is_edge_punct(c: char) -> bool {
    !c.is_alphanumeric() && !matches!(c, '(' | ')' | '[' | ']')
}

/// Parses what the user typed: cut to [`MAX_QUERY_CHARS`] characters, fold, split on
/// whitespace, trim edge punctuation, drop empty and duplicate terms.
pub fn parse_query(raw: &str) -> Result<Query, QueryProblem> {
    let truncated = raw.chars().count() > MAX_QUERY_CHARS;
    let cut: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let folded = normalize(&cut);
    if folded.is_empty() {
        return Err(QueryProblem::Empty);
    }
    let mut terms: Vec<String> = Vec::new();
    for word in folded.split(' ') {
        let term = word.trim_matches(is_edge_punct);
        if term.chars().any(char::is_alphanumeric) && !terms.iter().any(|t| t == term) {
            terms.push(term.to_string());
        }
    }
    if terms.is_empty() {
        return Err(QueryProblem::NothingSearchable);
    }
    Ok(Query { terms, truncated })
}

/// Chinese, Japanese and Korean characters, which are words (or parts of words) on their own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Letters and digits of alphabetic scripts: a term starting with one must start a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Start positions of `term` in `hay`. A term that begins with a letter or digit of an
/// alphabetic script matches only at the start of a word ("lead" finds "leads", not "misleading").
fn find_all(hay: &[char], term: &[char]) -> Vec<usize> {
    if term.is_empty() || term.len() > hay.len() {
        return Vec::new();
    }
    let word_start = is_word_char(term[0]);
    let mut out = Vec::new();
    let mut i = 0;
    while i + term.len() <= hay.len() {
        if hay[i..i + term.len()] == *term && !(word_start && i > 0 && is_word_char(hay[i - 1])) {
            out.push(i);
            i += term.len();
        } else {
            i += 1;
        }
    }
    out
}

struct Entry {
    doc: Doc,
    title: Folded,
    text: Folded,
}

/// The search index: the documents, folded, with posting lists of characters and bigrams.
pub struct Index {
    entries: Vec<Entry>,
    unigrams: HashMap<char, Vec<u32>>,
    bigrams: HashMap<(char, char), Vec<u32>>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("docs", &self.entries.len())
            .field("bigrams", &self.bigrams.len())
            .finish()
    }
}

fn push_posting<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, key: K, id: u32) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&id) {
        list.push(id);
    }
}

/// Intersection of two sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

impl Index {
    /// Builds the index over `docs`; hits refer to documents by their position here.
    pub fn new(docs: Vec<Doc>) -> Index {
        let mut unigrams = HashMap::new();
        let mut bigrams = HashMap::new();
        let entries: Vec<Entry> = docs
            .into_iter()
            .map(|doc| Entry {
                title: fold(&doc.title),
                text: fold(&doc.text),
                doc,
            })
            .collect();
        for (id, e) in entries.iter().enumerate() {
            let id = id as u32;
            for chars in [&e.title.chars, &e.text.chars] {
                for &c in chars.iter() {
                    push_posting(&mut unigrams, c, id);
                }
                for w in chars.windows(2) {
                    push_posting(&mut bigrams, (w[0], w[1]), id);
                }
            }
        }
        Index {
            entries,
            unigrams,
            bigrams,
        }
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no documents.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The document at `i`.
    pub fn doc(&self, i: usize) -> Option<&Doc> {
        self.entries.get(i).map(|e| &e.doc)
    }

    /// Documents that contain every character pair of `term` (a superset of the real matches).
    fn candidates(&self, term: &[char]) -> Vec<u32> {
        let empty = Vec::new();
        match term {
            [] => empty,
            [c] => self.unigrams.get(c).cloned().unwrap_or_default(),
            _ => {
                let mut lists: Vec<&Vec<u32>> = term
                    .windows(2)
                    .map(|w| self.bigrams.get(&(w[0], w[1])).unwrap_or(&empty))
                    .collect();
                lists.sort_by_key(|l| l.len());
                let mut acc = lists[0].clone();
                for l in &lists[1..] {
                    if acc.is_empty() {
                        break;
                    }
                    acc = intersect(&acc, l);
                }
                acc
            }
        }
    }

    /// Runs `query`: the documents containing every term, best first.
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        let terms: Vec<Vec<char>> = query.terms.iter().map(|t| t.chars().collect()).collect();
        let Some(first) = terms.first() else {
            return Vec::new();
        };
        let mut ids = self.candidates(first);
        for t in &terms[1..] {
            ids = intersect(&ids, &self.candidates(t));
        }
        let mut hits: Vec<Hit> = ids
            .into_iter()
            .filter_map(|id| self.score(id as usize, &terms))
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then(a.doc.cmp(&b.doc))
        });
        hits
    }

    /// Checks document `id` against every term and builds its hit, or `None` if a term is missing.
    fn score(&self, id: usize, terms: &[Vec<char>]) -> Option<Hit> {
        let e = &self.entries[id];
        let mut relevance = 0;
        let (mut title_ranges, mut text_ranges) = (Vec::new(), Vec::new());
        for t in terms {
            let in_title = find_all(&e.title.chars, t);
            let in_text = find_all(&e.text.chars, t);
            if in_title.is_empty() && in_text.is_empty() {
                return None;
            }
            // A title that is the term itself (a glossary entry) counts most; repeated
            // occurrences in the text count, but only up to three so long lessons do not win
            // by length alone.
            if !in_title.is_empty() {
                relevance += if e.title.chars == *t { 16 } else { 8 };
            }
            if !in_text.is_empty() {
                relevance += 4 + 2 * in_text.len().min(3) as u32;
            }
            title_ranges.extend(in_title.into_iter().map(|s| (s, s + t.len())));
            text_ranges.extend(in_text.into_iter().map(|s| (s, s + t.len())));
        }
        let title = segments(
            &e.doc.title,
            &e.title,
            0,
            e.title.chars.len(),
            &merge(title_ranges),
        );
        let snippet = snippet(&e.doc.text, &e.text, &merge(text_ranges));
        // The regulation is what people come for; explanations follow it.
        let weight = match e.doc.kind {
            DocKind::Article => 4,
            DocKind::Glossary => 3,
            DocKind::Provisions => 2,
            DocKind::Lesson => 1,
        };
        Some(Hit {
            doc: id,
            kind: e.doc.kind,
            lang: e.doc.lang,
            href: e.doc.href.clone(),
            title,
            snippet,
            score: relevance * weight,
        })
    }
}

/// Sorts ranges and joins overlapping or touching ones.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The passage around the first match (or the start of the text), with "…" where it was cut.
fn snippet(original: &str, folded: &Folded, ranges: &[(usize, usize)]) -> Vec<Segment> {
    let n = folded.chars.len();
    if n == 0 {
        return Vec::new();
    }
    let start = ranges
        .first()
        .map(|r| r.0.saturating_sub(SNIPPET_BEFORE))
        .unwrap_or(0);
    let end = (start + SNIPPET_LEN).min(n);
    let start = end.saturating_sub(SNIPPET_LEN).min(start);
    let mut out = segments(original, folded, start, end, ranges);
    if start > 0 {
        out.insert(
            0,
            Segment {
                text: "…".into(),
                mark: false,
            },
        );
    }
    if end < n {
        out.push(Segment {
            text: "…".into(),
            mark: false,
        });
    }
    out
}

/// Cuts folded positions `start..end` out of `original`, marking `ranges` (folded positions).
fn segments(
    original: &str,
    folded: &Folded,
    start: usize,
    end: usize,
    ranges: &[(usize, usize)],
) -> Vec<Segment> {
    if start >= end {
        return Vec::new();
    }
    // Byte offset in `original` where folded position `i` begins (or the window ends).
    let at = |i: usize| -> usize {
        if i >= end {
            folded.spans[end - 1].1
        } else {
            folded.spans[i].0
        }
    };
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize, mark: bool| {
        let text = original[from..to].trim_matches(['\n', '\r']);
        if !text.is_empty() {
            out.push(Segment {
                text: text.replace(['\n', '\r'], " "),
                mark,
            });
        }
    };
    let mut pos = start;
    for &(s, e) in ranges {
        let (s, e) = (s.max(start), e.min(end));
        if s >= e {
            continue;
        }
        if pos < s {
            push(at(pos), at(s), false);
        }
        push(at(s), at(e), true);
        pos = e;
    }
    if pos < end {
        push(at(pos), at(end), false);
    }
    out
}

/// The hit's snippet as plain text (marks dropped), e.g. for logs and tests.
pub fn plain(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_table() {
        let rows: &[(&str, &str)] = &[
            ("律师协会", "律师协会"),
            ("ＡＢＣ１２３", "abc123"),
            ("Feedback", "feedback"),
            ("第七条第（一）、（三）项", "第七条第(一),(三)项"),
            ("“亲”“清”关系", "\"亲\"\"清\"关系"),
            ("《若干规定》", "<若干规定>"),
            ("大足司发〔2021〕6号", "大足司发[2021]6号"),
            ("本规定。", "本规定."),
            ("a\u{3000}\u{3000}b", "a b"),
            ("  lead \t\n notify  ", "lead notify"),
            ("x\u{0}\u{1}\u{7f}y", "x y"),
            ("zero\u{200B}width", "zerowidth"),
            ("lawyers’ association", "lawyers' association"),
            ("", ""),
        ];
        for (input, want) in rows {
            assert_eq!(normalize(input), *want, "{input:?}");
        }
    }

    #[test]
    fn folded_spans_point_into_the_original() {
        let text = "第七条　第（一）项";
        let f = fold(text);
        assert_eq!(f.chars.len(), f.spans.len());
        for (c, (s, e)) in f.chars.iter().zip(&f.spans) {
            let orig = &text[*s..*e];
            assert_eq!(orig.chars().count(), 1);
            assert_eq!(fold_char(orig.chars().next().unwrap()), Some(*c));
        }
    }

    #[test]
    fn query_table() {
        let ok: &[(&str, &[&str], bool)] = &[
            ("律师协会", &["律师协会"], false),
            ("  律师协会   线索 ", &["律师协会", "线索"], false),
            ("律师协会　线索", &["律师协会", "线索"], false),
            ("ＦＥＥＤＢＡＣＫ", &["feedback"], false),
            (
                "association, feedback.",
                &["association", "feedback"],
                false,
            ),
            ("“亲”", &["亲"], false),
            ("第（一）项", &["第(一)项"], false),
            ("（三）", &["(三)"], false),
            ("线索 线索 ＬＥＡＤ lead", &["线索", "lead"], false),
            ("a\u{1}b", &["a", "b"], false),
            ("罚", &["罚"], false),
        ];
        for (raw, terms, truncated) in ok {
            let q = parse_query(raw).unwrap_or_else(|e| panic!("{raw:?}: {e:?}"));
            assert_eq!(q.terms, *terms, "{raw:?}");
            assert_eq!(q.truncated, *truncated, "{raw:?}");
        }
        let bad: &[(&str, QueryProblem)] = &[
            ("", QueryProblem::Empty),
            ("   \t\n", QueryProblem::Empty),
            ("\u{3000}", QueryProblem::Empty),
            ("\u{0}\u{1}\u{1b}", QueryProblem::Empty),
            ("，。！？、……", QueryProblem::NothingSearchable),
            ("!!! ??? ...", QueryProblem::NothingSearchable),
            ("《》（）", QueryProblem::NothingSearchable),
            ("-- ' \" ;", QueryProblem::NothingSearchable),
        ];
        for (raw, problem) in bad {
            assert_eq!(parse_query(raw), Err(*problem), "{raw:?}");
        }
    }

    #[test]
    fn long_queries_are_cut() {
        let long = "律".repeat(2_000);
        let q = parse_query(&long).unwrap();
        assert!(q.truncated);
        assert_eq!(q.terms[0].chars().count(), MAX_QUERY_CHARS);
        let words = "lead ".repeat(400);
        let q = parse_query(&words).unwrap();
        assert!(q.truncated);
        assert_eq!(q.terms, ["lead"]);
        let exact = "a".repeat(MAX_QUERY_CHARS);
        assert!(!parse_query(&exact).unwrap().truncated);
    }

    fn doc(kind: DocKind, lang: DocLang, title: &str, href: &str, text: &str) -> Doc {
        Doc {
            kind,
            lang,
            title: title.into(),
            href: href.into(),
            text: text.into(),
        }
    }

    fn sample() -> Index {
        use DocKind::*;
        use DocLang::*;
        Index::new(vec![
            doc(Article, Zh, "第六条", "/r#art-6", "司法机关、司法行政部门和律师协会应当按照法定职责分工负责，应当及时相互通报情况。"),
            doc(Article, Zh, "第八条", "/r#art-8", "律师协会发现司法人员存在与律师不正当接触交往行为线索的，参照第七条第（一）、（三）项规定执行。"),
            doc(Article, Zh, "第十二条", "/r#art-12", "通过法官协会、检察官协会、警察协会与律师协会，建立工作交流机制。"),
            doc(Article, Zh, "第十三条", "/r#art-13", "进行行政处罚、行业处分。涉嫌犯罪的，依法移送问题线索。"),
            doc(Article, En, "Article 8", "/r/en#art-8", "Where a lawyers' association discovers a lead, it shall proceed by reference to items (1) and (3) of Article 7, and give feedback."),
            doc(Article, En, "Article 9", "/r/en#art-9", "Misleading information is not a lead; leads are verified."),
            doc(Glossary, Zh, "线索", "/glossary#lead", "指发现的情况。"),
            doc(Lesson, Zh, "律师协会的通报", "/training/x/y", "律师协会按第八条通报线索。"),
        ])
    }

    fn hrefs(index: &Index, q: &str) -> Vec<String> {
        let mut v: Vec<String> = index
            .search(&parse_query(q).unwrap())
            .into_iter()
            .map(|h| h.href)
            .collect();
        v.sort();
        v
    }

    #[test]
    fn search_table() {
        let index = sample();
        let rows: &[(&str, &[&str])] = &[
            // Chinese without spaces, via bigrams; "律师协会" is not "法官协会".
            (
                "律师协会",
                &["/r#art-12", "/r#art-6", "/r#art-8", "/training/x/y"],
            ),
            // Two characters.
            (
                "线索",
                &["/glossary#lead", "/r#art-13", "/r#art-8", "/training/x/y"],
            ),
            // One character, via the unigram lists.
            ("罚", &["/r#art-13"]),
            // AND: a second word narrows.
            ("律师协会 线索", &["/r#art-8", "/training/x/y"]),
            ("律师协会 线索 第八条", &["/r#art-8", "/training/x/y"]),
            ("律师协会 处罚", &[]),
            // Half-width brackets and comma find the full-width text.
            ("第七条第(一),(三)项", &["/r#art-8"]),
            // Full-width Latin finds the English text, case-insensitively.
            ("ＦＥＥＤＢＡＣＫ", &["/r/en#art-8"]),
            // English words match at word starts only: "lead" is not in "misleading".
            ("lead", &["/r/en#art-8", "/r/en#art-9"]),
            ("leading", &[]),
            ("association feedback", &["/r/en#art-8"]),
            ("no-such-word", &[]),
            ("律师协会会长", &[]),
        ];
        for (q, want) in rows {
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(hrefs(&index, q), want, "{q:?}");
        }
    }

    #[test]
    fn hits_are_ranked_and_marked() {
        let index = sample();
        let hits = index.search(&parse_query("线索").unwrap());
        // The glossary entry has the term as its title, so it comes first.
        assert_eq!(hits[0].href, "/glossary#lead");
        assert_eq!(
            hits[0].title,
            [Segment {
                text: "线索".into(),
                mark: true
            }]
        );
        let art8 = hits.iter().find(|h| h.href == "/r#art-8").unwrap();
        assert!(art8.snippet.iter().any(|s| s.mark && s.text == "线索"));
        assert!(plain(&art8.snippet).contains("不正当接触交往行为线索的"));
        // Marks keep the original characters, not the folded ones.
        let hits = index.search(&parse_query("第七条第(一),(三)项").unwrap());
        let marked: Vec<&str> = hits[0]
            .snippet
            .iter()
            .filter(|s| s.mark)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["第七条第（一）、（三）项"]);
        let hits = index.search(&parse_query("FEEDBACK").unwrap());
        assert!(hits[0]
            .snippet
            .iter()
            .any(|s| s.mark && s.text == "feedback"));
    }

    #[test]
    fn ranking_puts_the_regulation_before_explanations() {
        let index = sample();
        let order = |q: &str| -> Vec<String> {
            index
                .search(&parse_query(q).unwrap())
                .into_iter()
                .map(|h| h.href)
                .collect()
        };
        // Each article names the association once (ties keep the documents' order); the
        // lesson has it in its title and text but comes after the articles.
        assert_eq!(
            order("律师协会"),
            ["/r#art-6", "/r#art-8", "/r#art-12", "/training/x/y"]
        );
        // More occurrences rank higher among articles.
        assert_eq!(order("协会")[0], "/r#art-12");
        // A glossary entry titled with the query comes first.
        assert_eq!(order("线索")[0], "/glossary#lead");
        let hits = index.search(&parse_query("线索").unwrap());
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn snippets_are_cut_around_the_match() {
        let long = format!("{}律师协会{}", "甲".repeat(200), "乙".repeat(200));
        let index = Index::new(vec![doc(DocKind::Lesson, DocLang::Zh, "t", "/x", &long)]);
        let hits = index.search(&parse_query("律师协会").unwrap());
        let s = &hits[0].snippet;
        assert_eq!(s.first().unwrap().text, "…");
        assert_eq!(s.last().unwrap().text, "…");
        let text = plain(s);
        assert!(text.chars().count() <= SNIPPET_LEN + 2, "{text}");
        assert!(text.contains(&format!("{}律师协会乙", "甲".repeat(SNIPPET_BEFORE))));
    }

    #[test]
    fn title_only_matches_quote_the_start_of_the_text() {
        let index = Index::new(vec![doc(
            DocKind::Glossary,
            DocLang::En,
            "lead",
            "/g#lead",
            "Information found in the course of duties.",
        )]);
        let hits = index.search(&parse_query("lead").unwrap());
        assert_eq!(
            plain(&hits[0].snippet),
            "Information found in the course of duties."
        );
        assert!(hits[0].snippet.iter().all(|s| !s.mark));
    }

    #[test]
    fn the_shipped_regulation_is_searchable() {
        let doc_ = crate::regulation::parse_document(include_str!(
            "../../content/regulations/dazu-2021-6/source.txt"
        ))
        .unwrap();
        let docs = doc_
            .articles
            .iter()
            .map(|a| Doc {
                kind: DocKind::Article,
                lang: DocLang::Zh,
                title: a.heading.clone(),
                href: format!("#art-{}", a.n),
                text: a
                    .blocks
                    .iter()
                    .map(|b| b.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect();
        let index = Index::new(docs);
        let found = |q: &str| -> Vec<String> {
            let mut v: Vec<String> = index
                .search(&parse_query(q).unwrap())
                .into_iter()
                .map(|h| h.href)
                .collect();
            v.sort_by_key(|h| h[5..].parse::<u32>().unwrap_or(0));
            v
        };
        // Written from the source text by hand.
        assert_eq!(
            found("律师协会"),
            ["#art-6", "#art-8", "#art-11", "#art-12", "#art-13"]
        );
        assert_eq!(found("移交"), ["#art-7"]);
        assert_eq!(found("数据平台"), ["#art-9"]);
        assert_eq!(found("律师协会 线索"), ["#art-8", "#art-13"]);
    }
}
