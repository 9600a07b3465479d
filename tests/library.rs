//! The regulation library: article pages (text, translation, citation, neighbours, what cites
//! them), the side-by-side view, the glossary, the 2015 provisions summary, internal reference
//! links, and search. Expected search results are written here by hand from the source text.

use crate::support::*;

use std::collections::{BTreeSet, HashMap, HashSet};

use domain::regulation::parse_document;

/// The values of every `attr="…"` in `page`, HTML entities decoded.
fn attr_values(page: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("closing quote");
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

fn ids(page: &str) -> HashSet<String> {
    attr_values(page, "id").into_iter().collect()
}

/// The part of `page` from the element with `id` to the end of that element's tag name's
/// first closing tag (enough for the flat sections these pages use).
fn element<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let start = page[..at].rfind('<').unwrap();
    let tag: String = page[start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let end = page[at..]
        .find(&format!("</{tag}>"))
        .map(|e| at + e + tag.len() + 3)
        .unwrap();
    &page[start..end]
}

fn page(app: &TestApp, path: &str) -> String {
    let r = get(&app.url(path), &[]);
    assert_eq!(r.status, 200, "{path}");
    r.body
}

fn page_en(app: &TestApp, path: &str) -> String {
    let r = get(&app.url(path), &[("Cookie", "lang=en")]);
    assert_eq!(r.status, 200, "{path}");
    r.body
}

fn source_doc() -> domain::regulation::Document {
    let text =
        std::fs::read_to_string(root().join("content/regulations/dazu-2021-6/source.txt")).unwrap();
    parse_document(&text).unwrap()
}

#[test]
fn every_article_and_item_anchor_exists_on_every_page() {
    let db = &databases("library-anchors")[0];
    let app = TestApp::start(db);
    let doc = source_doc();
    let zh = ids(&page(&app, "/regulations/dazu-2021-6"));
    let en = ids(&page(&app, "/regulations/dazu-2021-6/en"));
    let compare = ids(&page(&app, "/regulations/dazu-2021-6/compare"));
    assert_eq!(doc.articles.len(), 15);
    let mut items = 0;
    for a in &doc.articles {
        let n = a.n;
        let own = ids(&page(&app, &format!("/regulations/dazu-2021-6/art-{n}")));
        let mut anchors = vec![format!("art-{n}")];
        for b in &a.blocks {
            if let Some(m) = b.item {
                anchors.push(format!("art-{n}-{m}"));
                items += 1;
            }
        }
        for id in &anchors {
            for (name, set) in [
                ("zh", &zh),
                ("en", &en),
                ("compare", &compare),
                ("article page", &own),
            ] {
                assert!(set.contains(id), "#{id} missing on the {name} page");
            }
        }
        // The translation on the article page has its own anchors, never the same ids.
        for id in &anchors {
            assert!(own.contains(&format!("en-{id}")), "en-{id}");
        }
    }
    assert_eq!(items, 3, "Article 7 has items (1) to (3)");
}

#[test]
fn article_pages_show_text_translation_citation_and_neighbours() {
    let db = &databases("library-article")[0];
    let app = TestApp::start(db);
    let doc = source_doc();
    let content = corpus::content::load(&root().join("content")).unwrap();
    let en = &content.regulation_en;
    for a in &doc.articles {
        let n = a.n;
        let body = page(&app, &format!("/regulations/dazu-2021-6/art-{n}"));
        let zh_text = text_of(element(&body, &format!("art-{n}")));
        for b in &a.blocks {
            assert!(
                zh_text.contains(&b.text),
                "article {n}: {} not verbatim in {zh_text}",
                b.text
            );
        }
        let en_section = text_of(element(&body, &format!("en-art-{n}")));
        for b in &en.articles[(n - 1) as usize].blocks {
            assert!(en_section.contains(&b.text), "article {n} translation");
        }
        // Citation text, shown without WebAssembly in <code>.
        let cn = domain::regulation::cn_number(n);
        let citation_zh = format!(
            "<code id=\"citation-zh\" lang=\"zh-CN\">《建立共同防范监管司法人员与律师不正当接触交往行为机制的暂行规定》第{cn}条</code>"
        );
        assert!(body.contains(&citation_zh), "article {n}: {citation_zh}");
        let citation_en = text_of(element(&body, "citation-en"));
        assert_eq!(
            citation_en,
            format!(
                "Article {n} of the Interim Provisions on Establishing a Mechanism for Jointly \
                 Preventing and Supervising Improper Contact and Dealings between Judicial \
                 Personnel and Lawyers"
            )
        );
        // The copy buttons wait for the island: hidden in the server's HTML.
        assert!(body.contains("id=\"copy-citation-zh\""));
        assert!(element(&body, "copy-citation-zh").contains(" hidden"));
        // Neighbours.
        let prev = format!("href=\"/regulations/dazu-2021-6/art-{}\"", n - 1);
        let next = format!("href=\"/regulations/dazu-2021-6/art-{}\"", n + 1);
        assert_eq!(body.contains("id=\"prev-article\""), n > 1, "prev of {n}");
        assert_eq!(body.contains("id=\"next-article\""), n < 15, "next of {n}");
        if n > 1 {
            assert!(element(&body, "prev-article").contains(&prev));
        }
        if n < 15 {
            assert!(element(&body, "next-article").contains(&next));
        }
    }
    // Article 15 keeps the editor's note.
    let a15 = page(&app, "/regulations/dazu-2021-6/art-15");
    assert!(a15.contains("编者注：原件第十五条"));
    let a15_text = text_of(element(&a15, "art-15"));
    assert!(
        a15_text.starts_with("第十五条 本规定自印发之日起编者注"),
        "{a15_text}"
    );
}

#[test]
fn article_pages_list_the_rules_lessons_and_questions_citing_them() {
    let db = &databases("library-cited")[0];
    let app = TestApp::start(db);
    // Rules whose basis names the article, written from domain::routing's bases.
    let rules: &[(u32, &[&str])] = &[
        (6, &["R10"]),
        (7, &["R1", "R2", "R3", "R4", "R5"]),
        (8, &["R4", "R5", "R6", "R7"]),
        (10, &["R8"]),
        (11, &["R9"]),
        (13, &["R9"]),
        (1, &[]),
        (14, &[]),
    ];
    for (n, want) in rules {
        let body = page(&app, &format!("/regulations/dazu-2021-6/art-{n}"));
        let found: Vec<String> = if want.is_empty() {
            assert!(!body.contains("id=\"cited-rules\""), "article {n}");
            Vec::new()
        } else {
            let list = element(&body, "cited-rules");
            ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10"]
                .iter()
                .filter(|r| list.contains(&format!("<strong>{r}</strong>")))
                .map(|r| r.to_string())
                .collect()
        };
        assert_eq!(found, *want, "article {n}");
    }
    let a7 = page(&app, "/regulations/dazu-2021-6/art-7");
    assert!(a7.contains("第七条第（一）项"));
    let lessons = element(&a7, "cited-lessons");
    for id in ["rg-03-justice-bureau-routing", "lr-02-justice-bureau"] {
        assert!(lessons.contains(&format!("data-lesson=\"{id}\"")), "{id}");
    }
    assert!(!lessons.contains("data-lesson=\"rg-01-purpose-scope\""));
    let questions = element(&a7, "cited-questions");
    assert!(questions.contains("<code>"), "{questions}");
    // English interface.
    let a8 = page_en(&app, "/regulations/dazu-2021-6/art-8");
    assert!(a8.contains("What cites this article"));
    assert!(a8.contains("Art. 8 ¶1 with 7(1)"));
}

#[test]
fn unknown_articles_are_the_404_page() {
    let db = &databases("library-404")[0];
    let app = TestApp::start(db);
    for path in [
        "/regulations/dazu-2021-6/art-0",
        "/regulations/dazu-2021-6/art-16",
        "/regulations/dazu-2021-6/art-07",
        "/regulations/dazu-2021-6/art-",
        "/regulations/dazu-2021-6/art-x",
        "/regulations/dazu-2021-6/art-99999999999999999999",
        "/regulations/dazu-2021-6/article-7",
    ] {
        let r = get(&app.url(path), &[]);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("页面不存在"), "{path}");
    }
    // The fixed pages under the same prefix still win.
    assert!(page(&app, "/regulations/dazu-2021-6/en").contains("Unofficial translation"));
    assert!(page(&app, "/regulations/dazu-2021-6/compare").contains("compare-row"));
}

#[test]
fn internal_reference_links_resolve() {
    let db = &databases("library-links")[0];
    let app = TestApp::start(db);
    // Article 8: 第七条第（一）、（三）项 → items (1) and (3) of Article 7, text unchanged.
    let a8 = page(&app, "/regulations/dazu-2021-6/art-8");
    for (href, text) in [
        ("/regulations/dazu-2021-6/art-7", "第七条"),
        ("/regulations/dazu-2021-6/art-7#art-7-1", "（一）"),
        ("/regulations/dazu-2021-6/art-7#art-7-3", "（三）"),
    ] {
        let link = format!("<a href=\"{href}\" class=\"xref\">{text}</a>");
        assert!(a8.contains(&link), "{link}");
    }
    assert!(text_of(&a8).contains("参照第七条第（一）、（三）项规定执行"));
    // The English translation of Article 8 links the same items.
    assert!(
        a8.contains("<a href=\"/regulations/dazu-2021-6/art-7#art-7-1\" class=\"xref\">(1)</a>")
    );
    // On the side-by-side page the same links stay on the page.
    let compare = page(&app, "/regulations/dazu-2021-6/compare");
    assert!(compare.contains("<a href=\"#art-7-1\" class=\"xref\">（一）</a>"));
    assert!(compare.contains("<a href=\"#art-7-3\" class=\"xref\">（三）</a>"));
    // Articles 1 and 4: the national provisions' title links to the summary.
    for (n, title) in [
        (1, "《最高人民法院、最高人民检察院、公安部、国家安全部、司法部关于进一步规范司法人员与当事人、律师、特殊关系人、中介组织接触交往行为的若干规定》"),
        (4, "《关于进一步规范司法人员与当事人、律师、特殊关系人、中介组织接触交往行为的若干规定》"),
    ] {
        let body = page(&app, &format!("/regulations/dazu-2021-6/art-{n}"));
        let link = format!("<a href=\"/regulations/provisions-2015\" class=\"xref\">{title}</a>");
        assert!(body.contains(&link), "article {n}");
    }
    // Glossary terms link to their entry, once per article.
    let a6 = element(&a8, "art-8");
    assert_eq!(
        a6.matches("href=\"/glossary#lawyers-association\"").count(),
        1
    );

    // Every internal link of the library pages leads to a page that has the anchor.
    let mut start: Vec<String> = (1..=15)
        .map(|n| format!("/regulations/dazu-2021-6/art-{n}"))
        .collect();
    start.extend(
        [
            "/regulations/dazu-2021-6/compare",
            "/glossary",
            "/regulations/provisions-2015",
        ]
        .map(String::from),
    );
    let mut pages: HashMap<String, HashSet<String>> = HashMap::new();
    let mut checked = 0;
    for from in &start {
        let body = page(&app, from);
        let main = &body[body.find("<main").unwrap()..body.find("</main>").unwrap()];
        for href in attr_values(main, "href") {
            let (path, frag) = match href.split_once('#') {
                Some(("", f)) => (from.clone(), Some(f.to_string())),
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            // Lessons belong to the training pages; search links are checked below.
            if !(path.starts_with("/regulations") || path.starts_with("/glossary")) {
                continue;
            }
            let anchors = pages
                .entry(path.clone())
                .or_insert_with(|| ids(&page(&app, &path)));
            if let Some(f) = frag {
                assert!(anchors.contains(&f), "{from}: {href} has no #{f}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// Article numbers of the Chinese and English article hits on a search page.
fn article_hits(body: &str) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let (mut zh, mut en) = (BTreeSet::new(), BTreeSet::new());
    for href in attr_values(body, "href") {
        if let Some(n) = href.strip_prefix("/regulations/dazu-2021-6#art-") {
            zh.insert(n.parse().unwrap());
        } else if let Some(n) = href.strip_prefix("/regulations/dazu-2021-6/en#art-") {
            en.insert(n.parse().unwrap());
        }
    }
    (zh, en)
}

fn search(app: &TestApp, q: &str) -> String {
    page(
        app,
        &format!("/search?q={}", app::layout::encode_component(q)),
    )
}

#[test]
fn search_finds_exactly_the_articles_containing_the_terms() {
    let db = &databases("library-search")[0];
    let app = TestApp::start(db);
    // (query, Chinese articles, English articles), read off the source text and en.toml.
    let rows: &[(&str, &[u32], &[u32])] = &[
        ("律师协会", &[6, 8, 11, 12, 13], &[]),
        // Two characters.
        ("线索", &[7, 8, 13], &[]),
        ("通报", &[6, 7, 8], &[]),
        ("惩治", &[2, 6, 9], &[]),
        ("职业道德", &[5, 10, 11], &[]),
        ("移交", &[7], &[]),
        // One character.
        ("罚", &[13], &[]),
        // Half-width brackets and comma find the full-width text of Article 8.
        ("第七条第(一),(三)项", &[8], &[]),
        // Full-width Latin letters find the translation, case folded.
        ("ＦＥＥＤＢＡＣＫ", &[], &[8]),
        // English against the translation; word starts only.
        ("association", &[], &[6, 8, 11, 12, 13]),
        ("verify", &[], &[8]),
        ("lawyers' association", &[], &[6, 8, 11, 12, 13]),
        // Two words narrow the results.
        ("律师协会 线索", &[8, 13], &[]),
        ("司法机关 数据平台", &[9], &[]),
        ("律师协会　惩治", &[6], &[]),
        ("association feedback", &[], &[8]),
        ("律师协会 不存在的词", &[], &[]),
    ];
    for (q, zh, en) in rows {
        let body = search(&app, q);
        assert!(
            !body.contains("显示前"),
            "{q}: more hits than the page lists"
        );
        let (found_zh, found_en) = article_hits(&body);
        assert_eq!(
            found_zh,
            zh.iter().copied().collect::<BTreeSet<u32>>(),
            "{q}: Chinese articles"
        );
        assert_eq!(
            found_en,
            en.iter().copied().collect::<BTreeSet<u32>>(),
            "{q}: English articles"
        );
    }
}

#[test]
fn search_hits_mark_the_match_and_link_to_existing_anchors() {
    let db = &databases("library-hits")[0];
    let app = TestApp::start(db);
    let body = search(&app, "线索");
    assert!(body.contains("<mark>线索</mark>"));
    let results = element(&body, "results");
    let mut kinds = HashSet::new();
    let mut pages: HashMap<String, HashSet<String>> = HashMap::new();
    for href in attr_values(results, "href") {
        let (path, frag) = href.split_once('#').unwrap_or((&href, ""));
        kinds.insert(path.split('/').nth(1).unwrap_or("").to_string());
        if path.starts_with("/training/") {
            continue; // Lesson pages belong to the training feature.
        }
        let anchors = pages
            .entry(path.to_string())
            .or_insert_with(|| ids(&page(&app, path)));
        assert!(frag.is_empty() || anchors.contains(frag), "{href}");
    }
    for k in ["regulations", "glossary", "training"] {
        assert!(kinds.contains(k), "no {k} hit for 线索: {kinds:?}");
    }
    // Full-width query, highlighted as written in the text.
    let body = search(&app, "第七条第(一),(三)项");
    assert!(
        body.contains("<mark>第七条第（一）、（三）项</mark>"),
        "{body}"
    );
    // The English interface labels the hits in English.
    let r = get(&app.url("/search?q=feedback"), &[("Cookie", "lang=en")]);
    assert!(r.body.contains("Interim Provisions"));
    assert!(r.body.contains("<mark>feedback</mark>"));
    // The query is kept in the box.
    assert!(body.contains("value=\"第七条第(一),(三)项\""));
}

#[test]
fn odd_queries_get_a_helpful_page() {
    let db = &databases("library-odd")[0];
    let app = TestApp::start(db);
    let long = "律".repeat(2_000);
    let long_words = "lead ".repeat(400);
    let cases: &[(&str, &str)] = &[
        ("/search", "search-empty"),
        ("/search?q=", "search-empty"),
        ("/search?q=%20%20%20", "search-empty"),
        ("/search?q=%E3%80%80", "search-empty"),
        ("/search?q=%00%01%07%1B", "search-empty"),
        (
            "/search?q=%EF%BC%8C%E3%80%82%EF%BC%81%EF%BC%9F%E2%80%A6",
            "search-nothing",
        ),
        ("/search?q=!!!%20???%20...", "search-nothing"),
        ("/search?q=%FF%FE", "search-nothing"),
        ("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "search-none"),
        ("/search?q=zzzzqqq", "search-none"),
        ("/search?q=%%%", "search-nothing"),
        ("/search?q=zzqq&q=lead", "search-none"),
        ("/search?q=%3C/title%3E%3Cb%3Ex%3C/b%3E", "search-none"),
    ];
    for (path, id) in cases {
        let r = get(&app.url(path), &[]);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.body.contains(&format!("id=\"{id}\"")),
            "{path}: want #{id}"
        );
        assert!(r.body.contains("id=\"search-help\""), "{path}");
        assert!(!r.body.contains("<script>alert"), "{path}");
        assert!(!r.body.contains("<b>x</b>"), "{path}");
    }
    // 2,000 characters: cut to 200, said so, and still answered.
    for q in [&long, &long_words] {
        let body = search(&app, q);
        assert!(body.contains("id=\"query-truncated\""));
        assert!(!body.contains(&"律".repeat(201)));
    }
    assert!(search(&app, &long_words).contains("id=\"results\""));
    let odd = format!("{}{}", "，".repeat(1_000), "\u{1}".repeat(1_000));
    let body = search(&app, &odd);
    assert!(body.contains("id=\"search-nothing\"") && body.contains("id=\"query-truncated\""));
    // English page.
    let r = get(&app.url("/search?q=%01"), &[("Cookie", "lang=en")]);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Type what you are looking for."));
}

#[test]
fn provisions_and_glossary_pages_in_both_languages() {
    let db = &databases("library-pages")[0];
    let app = TestApp::start(db);
    let zh = page(&app, "/regulations/provisions-2015");
    assert!(zh.contains("id=\"disclaimer\""));
    assert!(zh.contains("不是正式文本"));
    for id in [
        "definitions",
        "prohibited-contact",
        "time-and-place",
        "consequences",
        "three-provisions",
        "dazu-regulation",
        "sources",
    ] {
        assert!(zh.contains(&format!("id=\"{id}\"")), "#{id}");
    }
    assert!(
        zh.contains("<strong>司法人员</strong>"),
        "Markdown rendered"
    );
    assert!(zh.contains("yn.kmcourt.gov.cn/article/detail/2020/05/id/5182590.shtml"));
    let en = page_en(&app, "/regulations/provisions-2015");
    assert!(en.contains("not the official text"));
    assert!(en.contains("Six prohibited kinds of contact"));

    let g = page(&app, "/glossary");
    let content = corpus::content::load(&root().join("content")).unwrap();
    let library = corpus::library::load(&root().join("content"), &content).unwrap();
    assert!(library.glossary.len() >= 8);
    for t in &library.glossary {
        let entry = element(&g, &t.id);
        assert!(entry.contains(&html_escape(&t.zh)), "{}", t.id);
        assert!(text_of(entry).contains(&t.definition_zh), "{}", t.id);
    }
    // Sources link to the article pages (items included).
    assert!(g.contains("href=\"/regulations/dazu-2021-6/art-14\""));
    assert!(g.contains("href=\"/regulations/dazu-2021-6/art-7#art-7-3\""));
    let g_en = page_en(&app, "/glossary");
    assert!(g_en.contains("Glossary"));
    assert!(text_of(&g_en).contains("Under Article 14 of the Dazu regulation"));
}

#[test]
fn a_new_version_flags_only_the_changed_article_and_the_content_citing_it() {
    let dir = scratch_dir("versions");
    copy_dir(&root().join("content"), &dir);
    let reg = dir.join("regulations/dazu-2021-6");
    let original = std::fs::read_to_string(reg.join("source.txt")).unwrap();
    // Article 9 changes in substance; Article 12 only in typesetting (an ideographic space and
    // full-width letters), which is not a change.
    let revised = original
        .replace(
            "探索建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
            "建立规范司法人员与律师不正当接触交往行为信息互通数据平台",
        )
        .replace("通过法官协会、检察官协会", "通过法官协会、　检察官协会");
    assert_ne!(revised, original);
    std::fs::write(reg.join("source-2026.txt"), revised).unwrap();
    let mut versions = std::fs::read_to_string(reg.join("versions.toml")).unwrap();
    versions.push_str("\n[[version]]\nid = \"2026-12-01\"\nprinted = \"2026-12-01\"\nsource = \"source-2026.txt\"\nnote_zh = \"测试修订稿\"\nnote_en = \"test revision\"\n");
    std::fs::write(reg.join("versions.toml"), versions).unwrap();
    let run = |args: &[&str]| {
        let out = server_bin()
            .args(args)
            .env("PORTAL_CONTENT_DIR", &dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let diff = run(&[
        "regulation",
        "diff",
        "--from",
        "2021-06-11",
        "--to",
        "2026-12-01",
    ]);
    let lines: Vec<&str> = diff.lines().collect();
    assert_eq!(lines.len(), 1, "{diff}");
    assert!(
        lines[0].starts_with("art-9\tchanged\t第九条") && lines[0].contains("[-探索-]"),
        "{diff}"
    );
    // Everything written against 2021-06-11 that cites Article 9 needs review, nothing else.
    let review = run(&["regulation", "review"]);
    let items: Vec<&str> = review.lines().collect();
    assert!(
        !items.is_empty()
            && items
                .iter()
                .all(|l| l.starts_with("needs review") && l.contains('9')),
        "{review}"
    );
    assert!(items.iter().any(|l| l.contains("lesson ")));
    assert!(
        !review.contains("lead-routing rules"),
        "the rules do not apply Article 9: {review}"
    );
    // A later version that also changes Article 7 puts the routing rules up for review.
    let third = std::fs::read_to_string(reg.join("source-2026.txt"))
        .unwrap()
        .replace("应当按照以下方式通报", "应当按照下列方式通报");
    std::fs::write(reg.join("source-2027.txt"), third).unwrap();
    let mut versions = std::fs::read_to_string(reg.join("versions.toml")).unwrap();
    versions.push_str("\n[[version]]\nid = \"2027-01-01\"\nprinted = \"2027-01-01\"\nsource = \"source-2027.txt\"\n");
    std::fs::write(reg.join("versions.toml"), versions).unwrap();
    let diff = run(&["regulation", "diff"]);
    assert_eq!(
        diff.lines()
            .map(|l| l.split('\t').next().unwrap())
            .collect::<Vec<_>>(),
        vec!["art-7"],
        "{diff}"
    );
    let review = run(&["regulation", "review"]);
    assert!(
        review.contains("needs review\tlead-routing rules R1–R10"),
        "{review}"
    );
    // The server serves the latest version.
    let db = TestDb {
        label: "sqlite",
        url: format!("sqlite://{}/p.db", dir.display()),
    };
    let app = TestApp::builder(&db).content_dir(dir).start();
    let page = get(&app.url("/regulations/dazu-2021-6"), &[]).body;
    assert!(page.contains("司法机关与司法行政部门建立规范") && !page.contains("探索建立"));
    assert!(
        page.contains("应当按照下列方式"),
        "the latest version is served"
    );
}
