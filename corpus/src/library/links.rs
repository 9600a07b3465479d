//! Linking the regulation text: references to the 2015 provisions and glossary terms
//! placed in the paragraphs, as spans the pages render.

use super::*;

pub(super) const NATIONAL_TITLE_ART1: &str = "《最高人民法院、最高人民检察院、公安部、国家安全部、司法部关于进一步规范司法人员与当事人、律师、特殊关系人、中介组织接触交往行为的若干规定》";
pub(super) const NATIONAL_TITLE_ART4: &str =
    "《关于进一步规范司法人员与当事人、律师、特殊关系人、中介组织接触交往行为的若干规定》";

/// The internal references of the Chinese text. Each must be found verbatim at load.
pub(super) const REFERENCES_ZH: &[Reference] = &[
    Reference {
        article: 1,
        phrase: NATIONAL_TITLE_ART1,
        parts: &[(NATIONAL_TITLE_ART1, Target::Provisions)],
    },
    Reference {
        article: 4,
        phrase: NATIONAL_TITLE_ART4,
        parts: &[(NATIONAL_TITLE_ART4, Target::Provisions)],
    },
    Reference {
        article: 8,
        phrase: "第七条第（一）、（三）项",
        parts: &[
            ("第七条", Target::Article(7)),
            ("（一）", Target::Item(7, 1)),
            ("（三）", Target::Item(7, 3)),
        ],
    },
];

pub(super) const NATIONAL_TITLE_EN_ART1: &str = "Several Provisions of the Supreme People's Court, the Supreme People's Procuratorate, the Ministry of Public Security, the Ministry of State Security and the Ministry of Justice on Further Regulating Contact and Dealings between Judicial Personnel and Parties, Lawyers, Persons with a Special Relationship and Intermediary Organisations";
pub(super) const NATIONAL_TITLE_EN_ART4: &str = "Several Provisions on Further Regulating Contact and Dealings between Judicial Personnel and Parties, Lawyers, Persons with a Special Relationship and Intermediary Organisations";

/// The same references in the translation. The translation may be reworded, so a phrase that is
/// not found is simply not linked (the library test checks that they are).
pub(super) const REFERENCES_EN: &[Reference] = &[
    Reference {
        article: 1,
        phrase: NATIONAL_TITLE_EN_ART1,
        parts: &[(NATIONAL_TITLE_EN_ART1, Target::Provisions)],
    },
    Reference {
        article: 4,
        phrase: NATIONAL_TITLE_EN_ART4,
        parts: &[(NATIONAL_TITLE_EN_ART4, Target::Provisions)],
    },
    Reference {
        article: 8,
        phrase: "items (1) and (3) of Article 7",
        parts: &[
            ("(1)", Target::Item(7, 1)),
            ("(3)", Target::Item(7, 3)),
            ("Article 7", Target::Article(7)),
        ],
    },
];

/// Byte ranges of one block that become links.
type Links = Vec<(usize, usize, LinkTarget)>;

/// Finds `r` in the blocks of its article; adds its parts to `links`. False if not found.
pub(super) fn place_reference(blocks: &[&str], links: &mut [Links], r: &Reference) -> bool {
    for (bi, text) in blocks.iter().enumerate() {
        let Some(at) = text.find(r.phrase) else {
            continue;
        };
        let mut from = at;
        let mut found = Vec::new();
        for (part, target) in r.parts {
            let Some(p) = text[from..at + r.phrase.len()].find(part) else {
                return false;
            };
            let s = from + p;
            found.push((s, s + part.len(), LinkTarget::from(*target)));
            from = s + part.len();
        }
        links[bi].extend(found);
        return true;
    }
    false
}

/// Links the first occurrence of each glossary term in an article (Chinese only), where it
/// does not overlap a link already placed. Longer terms go first so a term is not cut by a
/// shorter one inside it.
pub(super) fn place_terms(blocks: &[&str], links: &mut [Links], glossary: &[Term]) {
    let mut terms: Vec<&Term> = glossary.iter().collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.zh.chars().count()));
    for t in terms {
        'blocks: for (bi, text) in blocks.iter().enumerate() {
            for (s, _) in text.match_indices(t.zh.as_str()) {
                let e = s + t.zh.len();
                if links[bi].iter().all(|(ls, le, _)| e <= *ls || s >= *le) {
                    links[bi].push((s, e, LinkTarget::Glossary(t.id.clone())));
                    break 'blocks;
                }
            }
        }
    }
}

/// Cuts a block into spans at the link ranges (which do not overlap).
pub(super) fn spans(text: &str, mut links: Links) -> Vec<Span> {
    links.sort_by_key(|l| l.0);
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, target) in links {
        if s > pos {
            out.push(Span::Text(text[pos..s].to_string()));
        }
        out.push(Span::Link {
            text: text[s..e].to_string(),
            target,
        });
        pos = e;
    }
    if pos < text.len() {
        out.push(Span::Text(text[pos..].to_string()));
    }
    out
}

/// Splits every article of the Chinese text into spans. A reference that is not found is an
/// error: the original never changes, so it means the table above is wrong.
pub(super) fn link_zh(doc: &Document, glossary: &[Term]) -> Result<Vec<Vec<Vec<Span>>>, String> {
    let mut out = Vec::new();
    for a in &doc.articles {
        let blocks: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
        let mut links: Vec<Links> = vec![Vec::new(); blocks.len()];
        for r in REFERENCES_ZH.iter().filter(|r| r.article == a.n) {
            if !place_reference(&blocks, &mut links, r) {
                return Err(format!(
                    "reference {:?} not found in article {}",
                    r.phrase, a.n
                ));
            }
        }
        place_terms(&blocks, &mut links, glossary);
        out.push(blocks.iter().zip(links).map(|(t, l)| spans(t, l)).collect());
    }
    Ok(out)
}

/// Splits every article of the translation into spans (references only).
pub(super) fn link_en(en: &Translation) -> Vec<Vec<Vec<Span>>> {
    en.articles
        .iter()
        .map(|a| {
            let blocks: Vec<&str> = a.blocks.iter().map(|b| b.text.as_str()).collect();
            let mut links: Vec<Links> = vec![Vec::new(); blocks.len()];
            for r in REFERENCES_EN.iter().filter(|r| r.article == a.n) {
                place_reference(&blocks, &mut links, r);
            }
            blocks.iter().zip(links).map(|(t, l)| spans(t, l)).collect()
        })
        .collect()
}
