//! The regulation library pages: one page per article (text, translation, citation, what cites
//! it), the side-by-side view, the glossary, the summary of the 2015 provisions and search.
//!
//! The data comes from `corpus::library::Library`, which the server loads at start and provides
//! as context. The store is a server-only dependency, so the page bodies are compiled into the
//! server build only; the browser build gets nothing of this module but the copy-citation island.

use domain::search::DocLang;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_router::hooks::use_params_map;

use crate::i18n::Lang;

mod search;

pub use search::*;

/// Copies the citation of an article. The citation is always shown as text in `<code>`; the
/// buttons appear only once the island runs (without WebAssembly there is nothing to click).
#[island]
pub fn CopyCitation(lang: Lang, zh: String, en: String) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    let (status, set_status) = signal(String::new());
    Effect::new(move |_| set_ready.set(true));
    let copy = move |text: String| {
        let done = move |ok: bool| {
            set_status.set(
                if ok {
                    lang.pick("已复制。", "Copied.")
                } else {
                    lang.pick(
                        "无法访问剪贴板，请选中上面的文字手动复制。",
                        "The clipboard is not available; select the text above and copy it.",
                    )
                }
                .to_string(),
            )
        };
        write_clipboard(&text, done);
    };
    let (zh_text, en_text) = (zh.clone(), en.clone());
    view! {
        <section class="citation" aria-labelledby="citation-title">
            <h2 id="citation-title">{lang.pick("引用本条", "Cite this article")}</h2>
            <p class="citation-row">
                <code id="citation-zh" lang="zh-CN">{zh}</code>
                " "
                <button type="button" class="copy" id="copy-citation-zh" hidden=move || !ready.get()
                    on:click=move |_| copy(zh_text.clone())>
                    {lang.pick("复制中文引用", "Copy the Chinese citation")}
                </button>
            </p>
            <p class="citation-row">
                <code id="citation-en" lang="en">{en}</code>
                " "
                <button type="button" class="copy" id="copy-citation-en" hidden=move || !ready.get()
                    on:click=move |_| copy(en_text.clone())>
                    {lang.pick("复制英文引用", "Copy the English citation")}
                </button>
            </p>
            <p class="copy-status" id="copy-status" role="status" aria-live="polite">{move || status.get()}</p>
        </section>
    }
}

/// Writes `text` to the clipboard with `navigator.clipboard.writeText`, then calls `done`.
/// Called through `Reflect` so the browser build needs no extra web-sys features.
#[cfg(feature = "hydrate")]
fn write_clipboard(text: &str, done: impl Fn(bool) + Clone + 'static) {
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::js_sys::{Function, Reflect};
    let attempt = || -> Result<(), JsValue> {
        let nav = Reflect::get(&window(), &"navigator".into())?;
        let clipboard = Reflect::get(&nav, &"clipboard".into())?;
        if clipboard.is_undefined() || clipboard.is_null() {
            return Err(JsValue::NULL);
        }
        let write: Function = Reflect::get(&clipboard, &"writeText".into())?.dyn_into()?;
        let promise = write.call1(&clipboard, &JsValue::from_str(text))?;
        let then: Function = Reflect::get(&promise, &"then".into())?.dyn_into()?;
        let ok = {
            let done = done.clone();
            Closure::once_into_js(move |_: JsValue| done(true))
        };
        let failed = {
            let done = done.clone();
            Closure::once_into_js(move |_: JsValue| done(false))
        };
        then.call2(&promise, &ok, &failed)?;
        Ok(())
    };
    if attempt().is_err() {
        done(false);
    }
}

/// The server never runs click handlers.
#[cfg(not(feature = "hydrate"))]
fn write_clipboard(_text: &str, _done: impl Fn(bool) + Clone + 'static) {}

/// `/regulations/dazu-2021-6/art-{n}`: one article with its translation, citation and what
/// cites it; any other name is the 404 page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let slug = use_params_map()
            .get_untracked()
            .get("article")
            .unwrap_or_default();
        ssr::article_page(&slug)
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// `/regulations/dazu-2021-6/compare`: Chinese and English side by side, article by article.
#[component]
pub fn ComparePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        ssr::compare_page()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// `/glossary`: the terms of the regulation, each with an anchor and the articles it rests on.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        ssr::glossary_page()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// `/regulations/provisions-2015`: the summary of the reported content of the 2015 provisions.
#[component]
pub fn ProvisionsPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        ssr::provisions_page()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// Where links in article text point: the page showing the whole regulation (anchors on the
/// same page) or a page of one article (links to other article pages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkBase {
    /// The regulation page or the side-by-side view: `#art-7-1`.
    SamePage,
    /// An article page: `/regulations/dazu-2021-6/art-7#art-7-1`.
    ArticlePages,
}

/// The text of block `block` of article `n` with its internal references (and, in Chinese,
/// glossary terms) as links; the text itself is the original, verbatim. For the regulation
/// pages, which may use this in place of the plain text.
pub fn linked_block(text_lang: DocLang, n: u32, block: usize, base: LinkBase) -> AnyView {
    #[cfg(feature = "ssr")]
    {
        ssr::linked_block(text_lang, n, block, base)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (text_lang, n, block, base);
        ().into_any()
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use corpus::library::{
        article_path, Library, LinkTarget, Span, COMPARE_PATH, GLOSSARY_PATH, PROVISIONS_PATH,
        REGULATION_EN_PATH, REGULATION_PATH,
    };
    use domain::regulation::{cn_number, Document, Translation};
    use domain::routing::RuleId;
    use domain::search::DocLang;
    use leptos::prelude::*;
    use leptos_meta::Title;

    use super::{search_form, CopyCitation, LinkBase};
    use crate::i18n::{current_lang, Lang};
    use crate::pages::NotFound;

    /// The loaded content, or `None` when the server did not provide it.
    fn data() -> Option<(Arc<Library>, Arc<Document>, Arc<Translation>)> {
        Some((use_context()?, use_context()?, use_context()?))
    }

    fn href(target: &LinkTarget, base: LinkBase) -> String {
        match (target, base) {
            (LinkTarget::Article { n, item: None }, LinkBase::SamePage) => format!("#art-{n}"),
            (LinkTarget::Article { n, item: Some(m) }, LinkBase::SamePage) => {
                format!("#art-{n}-{m}")
            }
            (LinkTarget::Article { n, item: None }, LinkBase::ArticlePages) => article_path(*n),
            (LinkTarget::Article { n, item: Some(m) }, LinkBase::ArticlePages) => {
                format!("{}#art-{n}-{m}", article_path(*n))
            }
            (LinkTarget::Provisions, _) => PROVISIONS_PATH.to_string(),
            (LinkTarget::Glossary(id), _) => format!("{GLOSSARY_PATH}#{id}"),
        }
    }

    fn spans_view(spans: &[Span], base: LinkBase) -> AnyView {
        spans
            .iter()
            .map(|s| match s {
                Span::Text(t) => t.clone().into_any(),
                Span::Link { text, target } => {
                    let class = match target {
                        LinkTarget::Glossary(_) => "gloss",
                        _ => "xref",
                    };
                    view! { <a class=class href=href(target, base)>{text.clone()}</a> }.into_any()
                }
            })
            .collect_view()
            .into_any()
    }

    pub fn linked_block(text_lang: DocLang, n: u32, block: usize, base: LinkBase) -> AnyView {
        let Some(lib) = use_context::<Arc<Library>>() else {
            return ().into_any();
        };
        let linked = match text_lang {
            DocLang::Zh => &lib.linked_zh,
            DocLang::En => &lib.linked_en,
        };
        match linked
            .get(n.saturating_sub(1) as usize)
            .and_then(|a| a.get(block))
        {
            Some(spans) => spans_view(spans, base),
            None => ().into_any(),
        }
    }

    /// The Chinese article as on the regulation page: `art-N` and `art-N-M` anchors.
    fn zh_article(
        lib: &Library,
        doc: &Document,
        n: u32,
        base: LinkBase,
        lang: Lang,
    ) -> impl IntoView {
        let a = &doc.articles[(n - 1) as usize];
        let linked = &lib.linked_zh[(n - 1) as usize];
        let blocks = a
            .blocks
            .iter()
            .zip(linked)
            .enumerate()
            .map(|(i, (b, spans))| {
                let id = b.item.map(|m| format!("art-{n}-{m}"));
                let heading = (i == 0)
                    .then(|| view! { <strong class="art-no">{a.heading.clone()}</strong> " " });
                view! { <p id=id class:item=b.item.is_some()>{heading}{spans_view(spans, base)}</p> }
            })
            .collect_view();
        let truncated = a.truncated.then(|| {
            view! { <p class="editor-note" role="note" lang=lang.html_code()>{lang.t().truncated_note}</p> }
        });
        view! {
            <section class="article" id=format!("art-{n}") lang="zh-CN" aria-label=a.heading.clone()>
                {blocks}
                {truncated}
            </section>
        }
    }

    /// The English article; `id_prefix` keeps its anchors apart from the Chinese ones.
    fn en_article(
        lib: &Library,
        en: &Translation,
        n: u32,
        base: LinkBase,
        id_prefix: Option<&str>,
    ) -> impl IntoView {
        let a = &en.articles[(n - 1) as usize];
        let linked = &lib.linked_en[(n - 1) as usize];
        let blocks = a
            .blocks
            .iter()
            .zip(linked)
            .enumerate()
            .map(|(i, (b, spans))| {
                let id = id_prefix.and_then(|p| b.item.map(|m| format!("{p}art-{n}-{m}")));
                let heading = (i == 0)
                    .then(|| view! { <strong class="art-no">{format!("Article {n}")}</strong> " " });
                let marker = b.item.map(|m| format!("({m}) "));
                view! { <p id=id class:item=b.item.is_some()>{heading}{marker}{spans_view(spans, base)}</p> }
            })
            .collect_view();
        let note = (n == 15).then(|| {
            view! { <p class="editor-note" role="note">{en.article15_note.clone()}</p> }
        });
        view! {
            <section class="article-en" id=id_prefix.map(|p| format!("{p}art-{n}")) lang="en">
                {blocks}
                {note}
            </section>
        }
    }

    /// One line per rule: what it is about, in a few words.
    fn rule_summary(rule: RuleId, lang: Lang) -> &'static str {
        use RuleId::*;
        match rule {
            R1 => lang.pick(
                "司法行政部门发现本级司法机关人员的线索：直接通报该司法机关",
                "Justice bureau, personnel of a home judicial organ: notify that organ directly",
            ),
            R2 => lang.pick(
                "司法行政部门发现市级司法机关人员的线索：先通报同级相关司法机关，再由其报送",
                "Justice bureau, personnel of a municipal organ: notify the home organ, which forwards the lead",
            ),
            R3 => lang.pick(
                "司法行政部门发现其他区（县）司法机关人员的线索：先通报同级司法机关，再由其移交",
                "Justice bureau, personnel of another district's organ: notify the home organ, which transfers the lead",
            ),
            R4 => lang.pick(
                "律师协会发现本级司法机关人员的线索：直接通报该司法机关",
                "Lawyers' association, personnel of a home judicial organ: notify that organ directly",
            ),
            R5 => lang.pick(
                "律师协会发现其他区（县）司法机关人员的线索：先通报同级司法机关，再由其移交",
                "Lawyers' association, personnel of another district's organ: notify the home organ, which transfers the lead",
            ),
            R6 => lang.pick(
                "律师协会发现市级司法机关人员的线索：规定未明确，人工确定接收单位",
                "Lawyers' association, personnel of a municipal organ: the regulation does not say; receivers chosen by hand",
            ),
            R7 => lang.pick(
                "本级司法机关发现律师的线索：通报司法行政部门，或通报律师协会，由其报告司法行政部门",
                "Home judicial organ, a lawyer: notify the justice bureau, or the lawyers' association, which reports to it",
            ),
            R8 => lang.pick(
                "发现本单位人员的线索：本单位自行调查处理",
                "Personnel of the discovering unit itself: handled within the unit",
            ),
            R9 => lang.pick(
                "司法行政部门或律师协会发现律师的线索：自行调查处理",
                "Justice bureau or lawyers' association, a lawyer: handled by the discoverer",
            ),
            R10 => lang.pick(
                "其他情形：规定未明确，人工确定接收单位",
                "Anything else: the regulation does not say; receivers chosen by hand",
            ),
        }
    }

    fn cited_by(lib: &Library, n: u32, lang: Lang) -> impl IntoView {
        let by = lib.cited_by(n);
        let none = || view! { <p class="muted">{lang.pick("暂无。", "None.")}</p> };
        let rules = if by.rules.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="cited-rules" id="cited-rules">
                    {by.rules.iter().map(|r| view! {
                        <li>
                            <strong>{r.as_str()}</strong>
                            " · " <span lang="zh-CN">{r.basis_zh()}</span>
                            " (" <span lang="en">{r.basis()}</span> ") — "
                            {rule_summary(*r, lang)}
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        };
        let lessons = if by.lessons.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="cited-lessons" id="cited-lessons">
                    {by.lessons.iter().map(|(c, l)| view! {
                        <li>
                            <span class="muted">{lang.pick(&c.title_zh, &c.title_en).to_string()}</span>
                            " · "
                            <a href=l.href.clone() data-lesson=l.id.clone()>{lang.pick(&l.title_zh, &l.title_en).to_string()}</a>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        };
        let questions = if by.questions.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="cited-questions" id="cited-questions">
                    {by.questions.iter().map(|(c, ids)| {
                        let count = match lang {
                            Lang::Zh => format!("{} 道题", ids.len()),
                            Lang::En if ids.len() == 1 => "1 question".to_string(),
                            Lang::En => format!("{} questions", ids.len()),
                        };
                        view! {
                            <li>
                                {lang.pick(&c.title_zh, &c.title_en).to_string()} " · " {count} " ("
                                {ids.iter().map(|id| view! { <code>{id.to_string()}</code> " " }).collect_view()}
                                ")"
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        };
        view! {
            <section class="cited-by" id="cited-by">
                <h2>{lang.pick("引用本条的内容", "What cites this article")}</h2>
                <h3>{lang.pick("线索通报规则", "Lead-routing rules")}</h3>
                {rules}
                <h3>{lang.pick("培训课程", "Training lessons")}</h3>
                {lessons}
                <h3>{lang.pick("测验题", "Quiz questions")}</h3>
                {questions}
            </section>
        }
    }

    /// "art-7" → 7, for articles that exist.
    fn article_number(slug: &str, doc: &Document) -> Option<u32> {
        let n = slug.strip_prefix("art-")?;
        if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = n.parse().ok()?;
        doc.articles.iter().any(|a| a.n == n).then_some(n)
    }

    pub fn article_page(slug: &str) -> AnyView {
        let lang = current_lang();
        let Some((lib, doc, en)) = data() else {
            return view! { <NotFound/> }.into_any();
        };
        let Some(n) = article_number(slug, &doc) else {
            return view! { <NotFound/> }.into_any();
        };
        let last = doc.articles.len() as u32;
        let heading = doc.articles[(n - 1) as usize].heading.clone();
        let title = match lang {
            Lang::Zh => format!("{heading} · {}", lib.citation_title_zh),
            Lang::En => format!("Article {n} · Interim Provisions"),
        };
        let pager = view! {
            <nav class="pager" aria-label=lang.pick("条文导航", "Articles")>
                {(n > 1).then(|| view! {
                    <a rel="prev" id="prev-article" href=article_path(n - 1)>
                        {format!("{}{}", lang.pick("← 上一条：", "← Previous: "), match lang {
                            Lang::Zh => format!("第{}条", cn_number(n - 1)),
                            Lang::En => format!("Article {}", n - 1),
                        })}
                    </a>
                })}
                {(n < last).then(|| view! {
                    <a rel="next" id="next-article" href=article_path(n + 1)>
                        {format!("{}{}", lang.pick("下一条：", "Next: "), match lang {
                            Lang::Zh => format!("第{}条 →", cn_number(n + 1)),
                            Lang::En => format!("Article {} →", n + 1),
                        })}
                    </a>
                })}
            </nav>
        };
        view! {
            <Title text=title/>
            <nav class="breadcrumb" aria-label=lang.pick("位置", "You are here")>
                <a href=REGULATION_PATH>{lib.citation_title_zh.clone()}</a>
                " › " <span>{lang.pick(&heading, &format!("Article {n}")).to_string()}</span>
            </nav>
            <article class="regulation article-page">
                <h1 lang="zh-CN">{heading.clone()} <span class="h1-en" lang="en">{format!("Article {n}")}</span></h1>
                <p class="doc-number">{doc.doc_number.clone()} " · " {format!("{}印发", doc.print_date)}</p>
                {zh_article(&lib, &doc, n, LinkBase::ArticlePages, lang)}
                <h2 lang=lang.html_code()>{lang.t().read_translation}</h2>
                <p class="unofficial" role="note" lang="en">{en.unofficial_note.clone()}</p>
                {en_article(&lib, &en, n, LinkBase::ArticlePages, Some("en-"))}
                <p class="see-also" lang=lang.html_code()>
                    <a href=format!("{REGULATION_PATH}#art-{n}")>{lang.pick("在全文中查看", "In the full text")}</a>
                    " · "
                    <a href=format!("{REGULATION_EN_PATH}#art-{n}")>{lang.pick("英文译本全文", "Full English translation")}</a>
                    " · "
                    <a href=format!("{COMPARE_PATH}#art-{n}")>{lang.pick("中英对照", "Side by side")}</a>
                </p>
                <CopyCitation lang=lang zh=lib.citation_zh(n) en=lib.citation_en(n)/>
                {cited_by(&lib, n, lang)}
                {pager}
            </article>
        }
        .into_any()
    }

    pub fn compare_page() -> AnyView {
        let lang = current_lang();
        let Some((lib, doc, en)) = data() else {
            return view! { <NotFound/> }.into_any();
        };
        let rows = doc
            .articles
            .iter()
            .map(|a| {
                view! {
                    <div class="compare-row">
                        {zh_article(&lib, &doc, a.n, LinkBase::SamePage, lang)}
                        {en_article(&lib, &en, a.n, LinkBase::SamePage, None)}
                    </div>
                }
            })
            .collect_view();
        view! {
            <Title text=lang.pick("中英对照 · 《暂行规定》", "Side by side · Interim Provisions")/>
            <article class="regulation compare-page">
                <h1>{lang.pick("《暂行规定》中英对照", "The Interim Provisions side by side")}</h1>
                <p class="doc-number">{doc.doc_number.clone()}</p>
                <p class="unofficial" role="note" lang="en">{en.unofficial_note.clone()}</p>
                <p class="alt-lang">
                    <a href=REGULATION_PATH>{lang.t().read_original}</a>
                    " · "
                    <a href=REGULATION_EN_PATH>{lang.t().read_translation}</a>
                </p>
                <div class="compare">{rows}</div>
            </article>
        }
        .into_any()
    }

    pub fn glossary_page() -> AnyView {
        let lang = current_lang();
        let Some(lib) = use_context::<Arc<Library>>() else {
            return view! { <NotFound/> }.into_any();
        };
        let title = lang.pick("术语表", "Glossary");
        let toc = lib
            .glossary
            .iter()
            .map(|t| {
                view! { <li><a href=format!("#{}", t.id)>{lang.pick(&t.zh, &t.en).to_string()}</a></li> }
            })
            .collect_view();
        let terms = lib
            .glossary
            .iter()
            .map(|t| {
                let sources = t
                    .cites()
                    .into_iter()
                    .map(|c| {
                        let label = match lang {
                            Lang::Zh => c.label_zh(),
                            Lang::En => c.label_en(),
                        };
                        view! { <a href=c.href()>{label}</a> " " }
                    })
                    .collect_view();
                view! {
                    <div class="term" id=t.id.clone()>
                        <dt>
                            <span lang="zh-CN">{t.zh.clone()}</span>
                            " · "
                            <span lang="en">{t.en.clone()}</span>
                        </dt>
                        <dd>
                            <p lang=lang.html_code()>{lang.pick(&t.definition_zh, &t.definition_en).to_string()}</p>
                            <p class="term-sources">{lang.pick("依据：", "Sources: ")}{sources}</p>
                        </dd>
                    </div>
                }
            })
            .collect_view();
        view! {
            <Title text=title/>
            <h1>{title}</h1>
            <p>{lang.pick(
                "本表解释《暂行规定》中的常用术语，释义依据规定原文和2015年规定的公开报道内容，并注明出处。条文中出现的术语链接到本表。",
                "The terms used in the Interim Provisions, explained from the text of the regulation and from what has been reported of the 2015 provisions, with the sources named. Terms in the article text link here.",
            )}</p>
            {search_form(lang, String::new())}
            <nav class="toc-box" aria-label=lang.t().toc><ol class="toc">{toc}</ol></nav>
            <dl class="glossary">{terms}</dl>
        }
        .into_any()
    }

    pub fn provisions_page() -> AnyView {
        let lang = current_lang();
        let Some(lib) = use_context::<Arc<Library>>() else {
            return view! { <NotFound/> }.into_any();
        };
        let p = &lib.provisions;
        let title = lang.pick(&p.title_zh, &p.title_en).to_string();
        let toc = p
            .sections
            .iter()
            .map(|s| {
                view! { <li><a href=format!("#{}", s.id)>{lang.pick(&s.heading_zh, &s.heading_en).to_string()}</a></li> }
            })
            .collect_view();
        let sections = p
            .sections
            .iter()
            .map(|s| {
                // Rendered from Markdown and sanitised with ammonia when the content was loaded.
                let html = lang.pick(&s.html_zh, &s.html_en).to_string();
                view! {
                    <section class="prov-section" id=s.id.clone()>
                        <h2>{lang.pick(&s.heading_zh, &s.heading_en).to_string()}</h2>
                        <div class="md" inner_html=html></div>
                    </section>
                }
            })
            .collect_view();
        let sources = p
            .sources
            .iter()
            .map(|s| {
                view! { <li><cite>{s.title.clone()}</cite> " · " <span class="url">{s.url.clone()}</span> " · " <time>{s.date.clone()}</time></li> }
            })
            .collect_view();
        view! {
            <Title text=lang.pick("2015年规定摘要", "Summary of the 2015 provisions")/>
            <article class="provisions" lang=lang.html_code()>
                <h1>{title}</h1>
                <div class="disclaimer" role="note" id="disclaimer">
                    <p><strong>{lang.pick("本页是公开报道内容的摘要，不是正式文本。", "This page is a summary of reported content, not the official text.")}</strong></p>
                    <p>{lang.pick(&p.disclaimer_zh, &p.disclaimer_en).to_string()}</p>
                </div>
                <nav class="toc-box" aria-label=lang.t().toc><ol class="toc">{toc}</ol></nav>
                {sections}
                <section class="prov-section" id="sources">
                    <h2>{lang.pick("资料来源", "Sources")}</h2>
                    <ul class="sources">{sources}</ul>
                </section>
                <p class="see-also">
                    <a href=format!("{REGULATION_PATH}#art-1")>{lang.pick("《暂行规定》第一条", "Article 1 of the Interim Provisions")}</a>
                    " · "
                    <a href=format!("{REGULATION_PATH}#art-4")>{lang.pick("《暂行规定》第四条", "Article 4 of the Interim Provisions")}</a>
                    " · "
                    <a href=GLOSSARY_PATH>{lang.pick("术语表", "Glossary")}</a>
                </p>
            </article>
        }
        .into_any()
    }
}
