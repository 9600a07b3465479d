//! The regulation pages: every article verbatim from the original file (after the documented
//! clean-up), the notice's metadata, the anchors, the Article 15 note and the English
//! translation with the same anchors.

use crate::support::*;

use domain::regulation::parse_document;

/// The original as shipped in `content/`, which must be the file in `shared/sources` byte for
/// byte whenever that folder is beside the checkout (it is in CI).
fn source() -> String {
    let shipped =
        std::fs::read_to_string(root().join("content/regulations/dazu-2021-6/source.txt")).unwrap();
    let original = root().join("../shared/sources/dazu-sifa-2021-6-original.txt");
    if let Ok(orig) = std::fs::read_to_string(&original) {
        assert_eq!(
            shipped, orig,
            "content/…/source.txt differs from shared/sources"
        );
    }
    shipped
}

#[test]
fn chinese_page_has_every_article_verbatim_with_anchors() {
    let doc = parse_document(&source()).unwrap();
    for db in databases("regulation") {
        let app = TestApp::start(&db);
        let r = get(&app.url("/regulations/dazu-2021-6"), &[]);
        assert_eq!(r.status, 200);
        let page = &r.body;
        for n in 1..=15 {
            assert!(page.contains(&format!(r#"id="art-{n}""#)), "art-{n}");
        }
        for m in 1..=3 {
            assert!(page.contains(&format!(r#"id="art-7-{m}""#)), "art-7-{m}");
        }
        assert_eq!(doc.articles.len(), 15);
        // Cross-reference and glossary links wrap parts of the text; the text itself is intact.
        let text = text_of(page);
        for a in &doc.articles {
            assert!(text.contains(&a.heading), "{}", a.heading);
            for b in &a.blocks {
                assert!(
                    text.contains(&b.text),
                    "article {} text missing: {}",
                    a.n,
                    b.text
                );
            }
        }
        for s in [
            "大足司发〔2021〕6号",
            "重庆市大足区人民法院",
            "重庆市大足区人民检察院",
            "重庆市大足区公安局",
            "重庆市大足区司法局",
            "2021年6月11日",
            "重庆市大足区司法局办公室",
        ] {
            assert!(page.contains(s), "{s}");
        }
        // No conversion debris in the document itself (the clean-up note names it).
        let start = page.find("<article").unwrap();
        let end = page.find("</article>").unwrap();
        let document = &page[start..end];
        for debris in ["bookmark", "— 4 —", "— 5 —", "重 庆 市", "\u{a0}"] {
            assert!(!document.contains(debris), "{debris:?}");
        }
        // Article 15 is shown as it stands, with the editorial note, not completed.
        let art15 = &page[page.find(r#"id="art-15""#).unwrap()..];
        let first_p = &art15[art15.find("<p").unwrap()..art15.find("</p>").unwrap()];
        assert_eq!(
            text_of(first_p).trim(),
            "第十五条 本规定自印发之日起",
            "Article 15 must end where the source ends"
        );
        assert!(page.contains("编者注：原件第十五条"));
        assert!(page.contains("文本整理说明"));
    }
}

#[test]
fn chinese_text_with_the_english_shell() {
    let db = &databases("regulation-en-shell")[0];
    let app = TestApp::start(db);
    let r = get(
        &app.url("/regulations/dazu-2021-6"),
        &[("Cookie", "lang=en")],
    );
    assert!(r.body.contains(r#"<html lang="en""#));
    assert!(r.body.contains(">Regulations<"));
    assert!(r.body.contains("Editor&#x27;s note") || r.body.contains("Editor's note"));
    assert!(r.body.contains("第七条"));
    let tag = &r.body[r.body.find("<article").unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    assert!(tag.contains(r#"lang="zh-CN""#), "{tag}");
}

#[test]
fn english_translation_has_the_same_anchors_and_is_marked_unofficial() {
    let db = &databases("regulation-en")[0];
    let app = TestApp::start(db);
    let r = get(&app.url("/regulations/dazu-2021-6/en"), &[]);
    assert_eq!(r.status, 200);
    for n in 1..=15 {
        assert!(r.body.contains(&format!(r#"id="art-{n}""#)), "art-{n}");
    }
    for m in 1..=3 {
        assert!(r.body.contains(&format!(r#"id="art-7-{m}""#)), "art-7-{m}");
    }
    assert!(r.body.contains("Unofficial translation"));
    assert!(r.body.contains("Article 15"));
}
