//! The search page (`/search`): the form, the hits with highlighted segments, and help for
//! queries the index cannot answer.

use domain::search::{DocKind, DocLang, Hit, QueryProblem, Segment};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{current_lang, Lang};
use crate::layout::encode_component;

/// How many hits the search page lists.
pub const MAX_HITS_SHOWN: usize = 50;

/// Data of `/search`, prepared by the server.
#[derive(Clone, Debug, Default)]
pub struct SearchView {
    /// The query as typed (cut to the maximum length, control characters blanked), for the box.
    pub query: String,
    /// True when the query was longer than the maximum and was cut.
    pub truncated: bool,
    pub outcome: SearchOutcome,
}

/// What the search found, or why it did not run.
#[derive(Clone, Debug)]
pub enum SearchOutcome {
    /// The query could not be run; the page explains why.
    Problem(QueryProblem),
    /// The query ran.
    Results {
        /// The normalised terms that were searched for.
        terms: Vec<String>,
        /// The best hits, at most [`MAX_HITS_SHOWN`].
        hits: Vec<Hit>,
        /// How many documents matched in all.
        total: usize,
    },
}

impl Default for SearchOutcome {
    fn default() -> Self {
        SearchOutcome::Problem(QueryProblem::Empty)
    }
}

/// The search box shown on the library pages.
pub(super) fn search_form(lang: Lang, value: String) -> impl IntoView {
    view! {
        <form class="search-form" role="search" method="get" action="/search">
            <label for="search-q">{lang.pick("搜索法规、术语和课程", "Search the rules, glossary and lessons")}</label>
            <span class="search-row">
                <input id="search-q" type="search" name="q" value=value maxlength="200"
                    placeholder=lang.pick("例如：律师协会 线索", "e.g. lawyers' association")/>
                <button type="submit">{lang.pick("搜索", "Search")}</button>
            </span>
        </form>
    }
}

fn segments_view(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.mark {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

fn kind_label(lang: Lang, kind: DocKind) -> &'static str {
    match kind {
        DocKind::Article => lang.pick("《暂行规定》", "Interim Provisions"),
        DocKind::Glossary => lang.pick("术语表", "Glossary"),
        DocKind::Provisions => lang.pick("2015年规定摘要", "2015 provisions (summary)"),
        DocKind::Lesson => lang.pick("培训课程", "Training lesson"),
    }
}

fn doc_lang_label(lang: Lang, doc: DocLang) -> &'static str {
    match doc {
        DocLang::Zh => lang.pick("中文", "Chinese"),
        DocLang::En => lang.pick("英文", "English"),
    }
}

fn search_help(lang: Lang) -> impl IntoView {
    let examples = ["律师协会", "线索 通报", "第七条", "feedback"];
    view! {
        <div class="search-help" id="search-help">
            <p>{lang.pick(
                "可在《暂行规定》中文原文及英文译本、术语表、2015年规定摘要和培训课程中查找。中文词语直接输入，不需要空格；多个词语之间用空格分开时，只显示同时包含所有词语的结果。全角、半角字符和常见标点的不同写法视为相同。",
                "Search the Interim Provisions (the Chinese original and the English translation), the glossary, the summary of the 2015 provisions and the training lessons. Type Chinese words as they are, without spaces; separate several words with spaces to see only results that contain all of them. Full-width and half-width characters and the usual variants of punctuation are treated alike.",
            )}</p>
            <p>{lang.pick("例如：", "For example: ")}
                {examples
                    .into_iter()
                    .map(|e| view! { <a class="example" href=format!("/search?q={}", encode_component(e))>{e}</a> " " })
                    .collect_view()}
            </p>
        </div>
    }
}

/// `/search?q=…`: results with highlighted passages, or a page that explains what to type.
#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = current_lang();
    let data = use_context::<SearchView>().unwrap_or_default();
    // Never the query: leptos_meta writes the title unescaped.
    let title = lang.pick("搜索", "Search");
    let truncated = data.truncated.then(|| {
        view! {
            <p class="alert" role="status" id="query-truncated">{lang.pick(
                "查询超过200个字符，只使用了前200个字符。",
                "The query was longer than 200 characters; only the first 200 were used.",
            )}</p>
        }
    });
    let body = match data.outcome {
        SearchOutcome::Problem(QueryProblem::Empty) => view! {
            <p class="search-message" id="search-empty">{lang.pick("请输入要查找的词语。", "Type what you are looking for.")}</p>
            {search_help(lang)}
        }
        .into_any(),
        SearchOutcome::Problem(QueryProblem::NothingSearchable) => view! {
            <p class="search-message" id="search-nothing">{lang.pick(
                "查询中只有标点、符号或控制字符，没有可以查找的文字。请输入词语，例如“律师协会”。",
                "The query holds only punctuation, symbols or control characters, so there is nothing to look for. Type a word, for example “lawyers' association”.",
            )}</p>
            {search_help(lang)}
        }
        .into_any(),
        SearchOutcome::Results { hits, .. } if hits.is_empty() => {
            view! {
                <p class="search-message" id="search-none">{lang.pick(
                    "没有找到同时包含所有词语的内容。可以减少词语，或者换一种说法。",
                    "Nothing contains all of these words. Try fewer words or other wording.",
                )}</p>
                {search_help(lang)}
            }
            .into_any()
        }
        SearchOutcome::Results { hits, total, .. } => {
            let count = match lang {
                Lang::Zh if total > hits.len() => {
                    format!("找到 {total} 条结果，显示前 {} 条。", hits.len())
                }
                Lang::Zh => format!("找到 {total} 条结果。"),
                Lang::En if total > hits.len() => {
                    format!("{total} results; the first {} are shown.", hits.len())
                }
                Lang::En if total == 1 => "1 result.".to_string(),
                Lang::En => format!("{total} results."),
            };
            let items = hits
                .into_iter()
                .map(|h| {
                    let html_lang = match h.lang {
                        DocLang::Zh => "zh-CN",
                        DocLang::En => "en",
                    };
                    view! {
                        <li class="hit">
                            <p class="hit-meta">
                                <span class="hit-kind">{kind_label(lang, h.kind)}</span>
                                " · "
                                <span class="hit-lang">{doc_lang_label(lang, h.lang)}</span>
                            </p>
                            <a class="hit-link" href=h.href lang=html_lang>{segments_view(h.title)}</a>
                            <p class="snippet" lang=html_lang>{segments_view(h.snippet)}</p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="search-count" id="search-count" role="status">{count}</p>
                <ol class="results" id="results">{items}</ol>
            }
            .into_any()
        }
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {search_form(lang, data.query.clone())}
        {truncated}
        {body}
    }
}
