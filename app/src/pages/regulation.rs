//! The regulation pages: the Chinese original (verbatim after the documented clean-up) and the
//! unofficial English translation, with the same `art-N` and `art-N-M` anchors.

use std::sync::Arc;

use domain::regulation::{cn_number, Document, Translation};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{current_lang, Lang};
use crate::islands::TocToggle;
use crate::pages::library::LinkBase;
use domain::search::DocLang;

/// Table of contents: one link per article, collapsible.
fn toc(lang: Lang, entries: Vec<(u32, String)>) -> impl IntoView {
    view! {
        <TocToggle lang=lang>
            <ol class="toc">
                {entries
                    .into_iter()
                    .map(|(n, label)| view! { <li><a href=format!("#art-{n}")>{label}</a></li> })
                    .collect_view()}
            </ol>
        </TocToggle>
    }
}

/// `/regulations/dazu-2021-6`: the notice and the fifteen articles in Chinese.
#[component]
pub fn RegulationPage() -> impl IntoView {
    let lang = current_lang();
    let t = lang.t();
    let doc = expect_context::<Arc<Document>>();
    let short_title = doc
        .regulation_title
        .rsplit_once('《')
        .map(|(_, t)| format!("《{t}"))
        .unwrap_or_else(|| doc.regulation_title.clone());
    let entries = doc
        .articles
        .iter()
        .map(|a| {
            let first: String = a.blocks[0].text.chars().take(18).collect();
            (a.n, format!("{} {first}…", a.heading))
        })
        .collect();
    let notes = match lang {
        Lang::Zh => domain::regulation::CLEANUP_NOTES_ZH,
        Lang::En => domain::regulation::CLEANUP_NOTES_EN,
    };
    let articles = doc
        .articles
        .iter()
        .map(|a| {
            let n = a.n;
            let blocks = a
                .blocks
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let id = b.item.map(|m| format!("art-{n}-{m}"));
                    let heading = (i == 0)
                        .then(|| view! { <strong class="art-no">{a.heading.clone()}</strong> " " });
                    let text =
                        crate::pages::library::linked_block(DocLang::Zh, n, i, LinkBase::SamePage);
                    view! { <p id=id class:item=b.item.is_some()>{heading}{text}</p> }
                })
                .collect_view();
            let truncated = a
                .truncated
                .then(|| view! { <p class="editor-note" role="note">{t.truncated_note}</p> });
            view! {
                <section class="article" id=format!("art-{n}") aria-label=a.heading.clone()>
                    {blocks}
                    {truncated}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=short_title.clone()/>
        <article class="regulation" lang="zh-CN">
            <header class="doc-head">
                <p class="letterhead">
                    {doc.issuers.iter().map(|i| view! { <span>{i.clone()}</span> }).collect_view()}
                    <span class="letterhead-word">{doc.letterhead_word.clone()}</span>
                </p>
                <p class="doc-number">{doc.doc_number.clone()}</p>
                <h1>{doc.notice_title.clone()}</h1>
            </header>
            <dl class="doc-meta" lang=lang.html_code()>
                <dt>{t.doc_number}</dt><dd>{doc.doc_number.clone()}</dd>
                <dt>{t.doc_issuers}</dt><dd>{doc.issuers.join("、")}</dd>
                <dt>{t.doc_print_date}</dt><dd>{doc.print_date.clone()}</dd>
                <dt>{t.doc_status}</dt><dd>{t.doc_status_value}</dd>
            </dl>
            <p class="alt-lang" lang=lang.html_code()>
                <a href="/regulations/dazu-2021-6/en" hreflang="en">{t.read_translation}</a>
            </p>
            <section class="notice" id="notice" aria-label=t.notice>
                <p>{doc.addressees.clone()}</p>
                {doc.notice_body.iter().map(|p| view! { <p class="indent">{p.clone()}</p> }).collect_view()}
            </section>
            <h2 class="reg-title">{doc.regulation_title.clone()}</h2>
            <div lang=lang.html_code()>{toc(lang, entries)}</div>
            {articles}
            <p class="print-line" id="print-line">
                <span>{doc.print_office.clone()}</span>
                <span>{format!("{}印发", doc.print_date)}</span>
            </p>
        </article>
        <aside class="cleanup" lang=lang.html_code()>
            <h2>{t.cleanup_title}</h2>
            <ul>{notes.iter().map(|n| view! { <li>{*n}</li> }).collect_view()}</ul>
        </aside>
    }
}

/// `/regulations/dazu-2021-6/en`: the unofficial English translation.
#[component]
pub fn RegulationEnPage() -> impl IntoView {
    let lang = current_lang();
    let t = lang.t();
    let en = expect_context::<Arc<Translation>>();
    let entries = en
        .articles
        .iter()
        .map(|a| {
            let first: String = a.blocks[0].text.chars().take(48).collect();
            (a.n, format!("Article {} {first}…", a.n))
        })
        .collect();
    let articles = en
        .articles
        .iter()
        .map(|a| {
            let n = a.n;
            let blocks = a
                .blocks
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let id = b.item.map(|m| format!("art-{n}-{m}"));
                    let heading = (i == 0).then(|| view! { <strong class="art-no">{format!("Article {n}")}</strong> " " });
                    let marker = b.item.map(|m| format!("({m}) "));
                    view! { <p id=id class:item=b.item.is_some()>{heading}{marker}{crate::pages::library::linked_block(DocLang::En, n, i, LinkBase::SamePage)}</p> }
                })
                .collect_view();
            let note = (n == 15).then(|| view! { <p class="editor-note" role="note">{en.article15_note.clone()}</p> });
            view! {
                <section class="article" id=format!("art-{n}") aria-label=format!("Article {n} / 第{}条", cn_number(n))>
                    {blocks}
                    {note}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text="Interim Provisions (unofficial English translation)"/>
        <article class="regulation" lang="en">
            <p class="unofficial" role="note">{en.unofficial_note.clone()}</p>
            <header class="doc-head">
                <p class="letterhead">{en.issuers.iter().map(|i| view! { <span>{i.clone()}</span> }).collect_view()}</p>
                <p class="doc-number">{en.doc_number.clone()}</p>
                <h1>{en.notice_title.clone()}</h1>
            </header>
            <p class="alt-lang" lang=lang.html_code()>
                <a href="/regulations/dazu-2021-6" hreflang="zh-CN">{t.read_original}</a>
            </p>
            <section class="notice">
                <p>{en.addressees.clone()}</p>
                <p>{en.notice_body.clone()}</p>
            </section>
            <h2 class="reg-title">{en.regulation_title.clone()}</h2>
            <div lang=lang.html_code()>{toc(lang, entries)}</div>
            {articles}
            <p class="print-line">{en.print_line.clone()}</p>
        </article>
    }
}
