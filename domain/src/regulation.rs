//! The regulation as a document: notice, issuers, articles, items and print line, parsed from
//! the original text file exactly as received.
//!
//! The source is a conversion of the printed notice. Legal text must be served verbatim, so the
//! parser keeps every character of the notice and the articles and removes only what the
//! conversion added: page numbers ("— 4 —"), the "[bookmark: _GoBack]" marker, blank lines,
//! trailing spaces, the letter-spacing and the stray ")" of the red-header lines. Each rule is
//! listed in [`CLEANUP_NOTES_ZH`] / [`CLEANUP_NOTES_EN`] so the page can say what was done.

use serde::{Deserialize, Serialize};

/// What the clean-up removed, in Chinese, shown on the page.
pub const CLEANUP_NOTES_ZH: &[&str] = &[
    "删除了文件转换产生的页码（“— 4 —”“— 5 —”）和书签标记“[bookmark: _GoBack]”；",
    "删除了空行和行尾空格（含第八条第一款末尾的全角空格）；",
    "文头发文机关名称中的字间空格和首行多余的“)”符号系排版和转换痕迹，已删除；“文件”二字在转换中被移至首行，现按文头格式显示于发文机关之后；",
    "正文、条文和标点均未改动。",
];

/// What the clean-up removed, in English.
pub const CLEANUP_NOTES_EN: &[&str] = &[
    "Page numbers (“— 4 —”, “— 5 —”) and the “[bookmark: _GoBack]” marker left by the file conversion were removed;",
    "blank lines and trailing spaces (including the full-width spaces after the first paragraph of Article 8) were removed;",
    "the letter-spacing in the issuers' names of the letterhead and a stray “)” on the first line are layout and conversion debris and were removed; the word “文件” (document), which the conversion moved to the first line, is shown after the issuers as in the letterhead;",
    "no word or punctuation mark of the notice or the articles was changed.",
];

/// One block of an article: a paragraph, or a numbered item such as "（一）".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Item number for "（一）…" lines; `None` for a paragraph.
    pub item: Option<u32>,
    /// The text, verbatim. For an item it includes the "（一）" marker.
    pub text: String,
}

/// One article of the regulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// 1-based article number.
    pub n: u32,
    /// The heading as written, e.g. "第七条".
    pub heading: String,
    /// Paragraphs and items in order; the first paragraph starts after the heading.
    pub blocks: Vec<Block>,
    /// True when the source text breaks off mid-sentence (Article 15).
    pub truncated: bool,
}

/// The whole notice with the regulation it issues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The four issuing units, as in the letterhead.
    pub issuers: Vec<String>,
    /// The letterhead word after the issuers ("文件").
    pub letterhead_word: String,
    /// 大足司发〔2021〕6号.
    pub doc_number: String,
    /// 关于印发《…》的通知.
    pub notice_title: String,
    /// The addressees line.
    pub addressees: String,
    /// The notice's body paragraphs.
    pub notice_body: Vec<String>,
    /// The line naming the issuers and the regulation's title.
    pub regulation_title: String,
    pub articles: Vec<Article>,
    /// The print office (重庆市大足区司法局办公室).
    pub print_office: String,
    /// The print date as written (2021年6月11日).
    pub print_date: String,
}

/// The unofficial English translation of the notice and articles.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub unofficial_note: String,
    pub doc_number: String,
    pub issuers: Vec<String>,
    pub notice_title: String,
    pub addressees: String,
    pub notice_body: String,
    pub regulation_title: String,
    pub print_line: String,
    pub article15_note: String,
    #[serde(rename = "article")]
    pub articles: Vec<TranslatedArticle>,
}

/// One translated article, block for block like the Chinese.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslatedArticle {
    pub n: u32,
    #[serde(rename = "block")]
    pub blocks: Vec<TranslatedBlock>,
}

/// A translated paragraph or item.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslatedBlock {
    pub item: Option<u32>,
    pub text: String,
}

/// Why the source could not be parsed; names the line.
#[derive(Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Parses a Chinese numeral from 一 to 九十九.
pub fn parse_cn_number(s: &str) -> Option<u32> {
    let digit = |c: char| CN_DIGITS.iter().position(|d| *d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|d| *d > 0),
        ['十', u] => digit(*u).filter(|d| *d > 0).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|d| *d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|d| *d > 1)? * 10 + digit(*u).filter(|d| *d > 0)?),
        _ => None,
    }
}

/// Formats 1..=99 as a Chinese numeral (inverse of [`parse_cn_number`]).
pub fn cn_number(n: u32) -> String {
    let d = |n: u32| CN_DIGITS[n as usize];
    match n {
        1..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n - 10)),
        _ if n.is_multiple_of(10) => format!("{}十", d(n / 10)),
        _ => format!("{}十{}", d(n / 10), d(n % 10)),
    }
}

/// Splits "第七条 text" into (7, "第七条", "text").
fn article_heading(line: &str) -> Option<(u32, &str, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let n = parse_cn_number(&rest[..end])?;
    let heading_len = '第'.len_utf8() + end + '条'.len_utf8();
    Some((n, &line[..heading_len], line[heading_len..].trim_start()))
}

/// Recognises "（一）…" item lines.
fn item_number(line: &str) -> Option<u32> {
    let rest = line.strip_prefix('（')?;
    let end = rest.find('）')?;
    parse_cn_number(&rest[..end])
}

/// Recognises the print line "office<spaces>2021年6月11日印发".
fn print_line(line: &str) -> Option<(String, String)> {
    let body = line.strip_suffix("印发")?;
    let split = body.rfind(|c: char| c.is_whitespace())?;
    let (office, date) = (body[..split].trim(), body[split..].trim());
    let is_date = date.ends_with('日') && date.contains('年') && date.contains('月');
    (is_date && !office.is_empty()).then(|| (office.to_string(), date.to_string()))
}

fn is_debris(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("[bookmark:")
        || (t.starts_with('—')
            && t.ends_with('—')
            && t.trim_matches(|c: char| c == '—' || c.is_whitespace())
                .chars()
                .all(|c| c.is_ascii_digit()))
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['。', '；', '：', '”'])
}

/// Parses the original notice into a [`Document`], applying only the documented clean-up.
pub fn parse_document(source: &str) -> Result<Document, ParseError> {
    let lines: Vec<(usize, String)> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| !is_debris(l))
        .map(|(i, l)| {
            (
                i + 1,
                l.trim_matches(|c: char| c.is_whitespace()).to_string(),
            )
        })
        .collect();
    let err = |line: usize, message: &str| ParseError {
        line,
        message: message.to_string(),
    };
    let mut it = lines.iter().peekable();

    // Letterhead: issuer lines (letter-spaced in print) up to the document number.
    let mut issuers = Vec::new();
    let mut letterhead_word = String::new();
    let mut doc_number = None;
    for (no, line) in it.by_ref() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains("〔") && compact.ends_with('号') {
            doc_number = Some(compact);
            break;
        }
        let compact = compact.trim_start_matches(')').to_string();
        if compact == "文件" {
            letterhead_word = compact;
        } else if compact.starts_with("重庆市") {
            issuers.push(compact);
        } else {
            return Err(err(*no, "unexpected line in the letterhead"));
        }
    }
    let doc_number = doc_number.ok_or_else(|| err(0, "no document number found"))?;
    let (_, notice_title) = it.next().ok_or_else(|| err(0, "missing notice title"))?;
    let (no, addressees) = it.next().ok_or_else(|| err(0, "missing addressees"))?;
    if !addressees.ends_with('：') {
        return Err(err(*no, "addressees line must end with '：'"));
    }
    let mut notice_body = Vec::new();
    let mut regulation_title = None;
    for (_, line) in it.by_ref() {
        if line.ends_with('》') {
            regulation_title = Some(line.clone());
            break;
        }
        notice_body.push(line.clone());
    }
    let regulation_title = regulation_title.ok_or_else(|| err(0, "missing regulation title"))?;

    let mut articles: Vec<Article> = Vec::new();
    let mut print = None;
    for (no, line) in it {
        if let Some((office, date)) = print_line(line) {
            print = Some((office, date));
            continue;
        }
        if print.is_some() {
            return Err(err(*no, "text after the print line"));
        }
        if let Some((n, heading, text)) = article_heading(line) {
            if n as usize != articles.len() + 1 {
                return Err(err(*no, "articles out of order"));
            }
            articles.push(Article {
                n,
                heading: heading.to_string(),
                blocks: vec![Block {
                    item: None,
                    text: text.to_string(),
                }],
                truncated: false,
            });
        } else {
            let article = articles
                .last_mut()
                .ok_or_else(|| err(*no, "text before the first article"))?;
            article.blocks.push(Block {
                item: item_number(line),
                text: line.clone(),
            });
        }
    }
    for a in &mut articles {
        a.truncated = a.blocks.last().is_some_and(|b| !ends_sentence(&b.text));
    }
    let (print_office, print_date) = print.ok_or_else(|| err(0, "missing print line"))?;
    Ok(Document {
        issuers,
        letterhead_word,
        doc_number,
        notice_title: notice_title.clone(),
        addressees: addressees.clone(),
        notice_body,
        regulation_title,
        articles,
        print_office,
        print_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = include_str!("../../content/regulations/dazu-2021-6/source.txt");

    #[test]
    fn numerals_round_trip() {
        for n in 1..=99 {
            assert_eq!(parse_cn_number(&cn_number(n)), Some(n), "{n}");
        }
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("二十一", 21),
        ] {
            assert_eq!(parse_cn_number(s), Some(n));
        }
        for bad in ["", "零", "一十", "十十", "abc"] {
            assert_eq!(parse_cn_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn source_parses_into_fifteen_articles() {
        let doc = parse_document(SOURCE).unwrap();
        assert_eq!(doc.articles.len(), 15);
        assert_eq!(doc.doc_number, "大足司发〔2021〕6号");
        assert_eq!(
            doc.issuers,
            [
                "重庆市大足区人民法院",
                "重庆市大足区人民检察院",
                "重庆市大足区公安局",
                "重庆市大足区司法局"
            ]
        );
        assert_eq!(doc.letterhead_word, "文件");
        assert_eq!(doc.print_office, "重庆市大足区司法局办公室");
        assert_eq!(doc.print_date, "2021年6月11日");
        assert!(doc.notice_title.starts_with("关于印发《建立共同防范监管"));
        assert!(doc.regulation_title.ends_with("暂行规定》"));
        assert_eq!(doc.notice_body.len(), 1);
    }

    #[test]
    fn article_structure_matches_the_source() {
        let doc = parse_document(SOURCE).unwrap();
        let a7 = &doc.articles[6];
        assert_eq!(a7.heading, "第七条");
        let items: Vec<Option<u32>> = a7.blocks.iter().map(|b| b.item).collect();
        assert_eq!(items, [None, Some(1), Some(2), Some(3)]);
        let a8 = &doc.articles[7];
        assert_eq!(a8.blocks.len(), 2);
        assert!(a8.blocks[0]
            .text
            .ends_with("由律师协会向司法行政部门报告。"));
        assert!(a8.blocks[1].text.starts_with("收到司法人员或律师"));
        let a15 = &doc.articles[14];
        assert_eq!(a15.blocks[0].text, "本规定自印发之日起");
        assert!(a15.truncated);
        assert!(doc.articles[..14].iter().all(|a| !a.truncated));
    }

    #[test]
    fn every_article_line_is_verbatim_from_the_source() {
        let doc = parse_document(SOURCE).unwrap();
        let source_lines: Vec<&str> = SOURCE.lines().map(|l| l.trim_end()).collect();
        for a in &doc.articles {
            // The heading is separated by a space or a no-break space: layout, not text.
            let line = source_lines
                .iter()
                .find(|l| l.starts_with(&a.heading))
                .unwrap();
            assert_eq!(line[a.heading.len()..].trim_start(), a.blocks[0].text);
            for b in &a.blocks[1..] {
                assert!(source_lines.contains(&b.text.as_str()), "{}", b.text);
            }
        }
        for p in &doc.notice_body {
            assert!(source_lines.contains(&p.as_str()));
        }
    }

    #[test]
    fn debris_is_recognised() {
        for d in ["", "   ", "[bookmark: _GoBack]", "— 4 —", "— 12 —"] {
            assert!(is_debris(d), "{d:?}");
        }
        for t in ["第一条 为规范", "—— 说明", "本规定自印发之日起"] {
            assert!(!is_debris(t), "{t:?}");
        }
        assert_eq!(
            print_line("重庆市大足区司法局办公室                 2021年6月11日印发"),
            Some(("重庆市大足区司法局办公室".into(), "2021年6月11日".into()))
        );
        assert_eq!(print_line("第十五条 本规定自印发之日起"), None);
    }

    #[test]
    fn malformed_sources_name_the_line() {
        let e = parse_document("垃圾\n").unwrap_err();
        assert_eq!(e.line, 1);
        let broken = SOURCE.replace("第三条", "第九十条");
        assert!(parse_document(&broken)
            .unwrap_err()
            .message
            .contains("order"));
    }
}
