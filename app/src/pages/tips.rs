//! Public tips (`/tips`) and the joint office's intake queue (`/leads/tips`).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::forms::{described_by, ErrorSummary, Field, FormErrors, TextArea};
use crate::i18n::{current_lang, Lang};

/// A tip message as shown.
#[derive(Clone, Debug)]
pub struct TipMessageRow {
    pub from_office: bool,
    pub author: String,
    pub at: String,
    pub body: String,
}

/// What the public tips page shows.
#[derive(Clone, Debug, Default)]
pub enum TipPublicView {
    /// The empty form (or the form again with an error and the text kept).
    #[default]
    Form,
    FormError {
        error: String,
        text: String,
    },
    /// The receipt, shown once.
    Created {
        receipt: String,
    },
    /// The status of a tip, for its receipt holder.
    Status {
        receipt: String,
        status: String,
        created: String,
        body: String,
        messages: Vec<TipMessageRow>,
        can_reply: bool,
    },
    /// A wrong receipt, or too many guesses.
    Lookup {
        error: String,
    },
}

/// A tip in the intake queue.
#[derive(Clone, Debug)]
pub struct TipRow {
    pub id: i64,
    pub status: String,
    pub created: String,
    pub excerpt: String,
    pub lead: Option<(i64, String)>,
}

/// Data of `/leads/tips`.
#[derive(Clone, Debug)]
pub struct TipQueueView {
    pub tips: Vec<TipRow>,
    /// Oldest open tips first (`?order=oldest`) rather than newest first.
    pub oldest_first: bool,
    /// The page shown, from 1, and whether another follows.
    pub page: i64,
    pub more: bool,
}

/// Data of `/leads/tips/{id}`.
#[derive(Clone, Debug)]
pub struct TipDetailView {
    pub id: i64,
    pub status: String,
    pub created: String,
    pub body: String,
    pub messages: Vec<TipMessageRow>,
    pub open: bool,
    pub lead: Option<(i64, String)>,
}

/// Label of a tip status.
pub fn tip_status(lang: Lang, s: &str) -> String {
    match s {
        "new" => lang.pick("已收到，待处理", "Received, not yet handled"),
        "answered" => lang.pick("已答复", "Answered"),
        "closed" => lang.pick("已办结", "Closed"),
        "converted" => lang.pick("已转为正式线索办理", "Taken up as a formal lead"),
        other => other,
    }
    .to_string()
}

fn messages_list(lang: Lang, messages: &[TipMessageRow]) -> impl IntoView {
    view! {
        <ol class="entries" id="tip-messages">
            {messages.iter().map(|m| view! {
                <li>
                    <p class="entry-head">{if m.from_office { lang.pick("联合办公室", "Joint office").to_string() } else { lang.pick("反映人", "Reporter").to_string() }}
                        " · "{m.author.clone()}" · "{m.at.clone()}</p>
                    <p class="pre" dir="auto">{m.body.clone()}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/tips`: anyone may report suspected improper contact, and later check with the receipt.
#[component]
pub fn TipsPage() -> impl IntoView {
    let lang = current_lang();
    let data = use_context::<TipPublicView>().unwrap_or_default();
    let title = lang.pick("反映问题", "Report a concern");
    let intro = lang.pick(
        "任何人均可不登录反映司法人员与律师不正当接触交往问题。提交后将显示一个 16 位查询码，仅显示一次，请妥善保存，凭此查询办理情况并补充说明。本平台不记录您的网络地址。",
        "Anyone can report suspected improper contact between judicial personnel and lawyers without an account. After you submit, a 16-digit receipt is shown once: keep it to check the progress and add information. The portal does not record your network address.",
    );
    let form = |error: Option<String>, text: String| {
        let errors = error
            .map(|e| FormErrors::one("tip-text", e))
            .unwrap_or_default();
        view! {
            <ErrorSummary errors=errors.clone()/>
            <form method="post" action="/tips" class="form" id="tip-form">
                <TextArea id="tip-text" name="text" label=lang.pick("反映内容", "What happened")
                    hint=lang.pick("10–5000 字：何时、何地、涉及哪些人、发生了什么。", "10–5000 characters: when, where, who was involved and what happened.")
                    error=errors.get("tip-text").unwrap_or_default() value=text rows=8 maxlength=5000 required=true/>
                <button type="submit" id="tip-submit">{lang.pick("提交", "Submit")}</button>
            </form>
        }
    };
    let lookup = |error: Option<String>| {
        let describe = described_by("receipt", true, error.is_some());
        view! {
            <h2>{lang.pick("查询办理情况", "Check progress")}</h2>
            <ErrorSummary errors=error.clone().map(|e| FormErrors::one("receipt", e)).unwrap_or_default()/>
            <form method="post" action="/tips/status" class="form narrow">
                <Field id="receipt" label=lang.pick("查询码", "Receipt") hint=lang.pick("提交时显示的 16 位数字。", "The 16 digits shown when you submitted.")
                    error=error.unwrap_or_default()>
                    <input id="receipt" name="receipt" inputmode="numeric" autocomplete="off" maxlength="24" required aria-describedby=describe/>
                </Field>
                <button type="submit" id="tip-lookup">{lang.pick("查询", "Check")}</button>
            </form>
        }
    };
    let body = match data {
        TipPublicView::Form => view! { {form(None, String::new())} {lookup(None)} }.into_any(),
        TipPublicView::FormError { error, text } => view! { {form(Some(error), text)} {lookup(None)} }.into_any(),
        TipPublicView::Created { receipt } => view! {
            <div class="ok" role="status">
                <p>{lang.pick("已收到您反映的情况。您的查询码是：", "We have received your report. Your receipt is:")}</p>
                <p class="receipt" id="tip-receipt">{receipt}</p>
                <p>{lang.pick("查询码只显示这一次，本平台无法找回，请立即记下。", "The receipt is shown only this once and cannot be recovered: write it down now.")}</p>
            </div>
            {lookup(None)}
        }
        .into_any(),
        TipPublicView::Status { receipt, status, created, body, messages, can_reply } => view! {
            <dl class="doc-meta">
                <dt>{lang.pick("状态", "Status")}</dt><dd id="tip-status">{status}</dd>
                <dt>{lang.pick("提交时间", "Submitted")}</dt><dd>{created}</dd>
            </dl>
            <p class="pre" dir="auto">{body}</p>
            {messages_list(lang, &messages)}
            {can_reply.then(|| view! {
                <form method="post" action="/tips/reply" class="form">
                    <input type="hidden" name="receipt" value=receipt.clone()/>
                    <TextArea id="reply" name="text" label=lang.pick("补充说明", "Add information") rows=4 maxlength=5000 required=true/>
                    <button type="submit" id="tip-reply">{lang.pick("发送", "Send")}</button>
                </form>
            })}
        }
        .into_any(),
        TipPublicView::Lookup { error } => lookup(Some(error)).into_any(),
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{intro}</p>
        {body}
    }
}

/// `/leads/tips`: the joint office's intake queue.
#[component]
pub fn TipQueuePage() -> impl IntoView {
    let lang = current_lang();
    let data = expect_context::<TipQueueView>();
    let title = lang.pick("群众反映受理", "Public tips");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p><a href="/leads">{lang.pick("返回线索列表", "Back to the leads")}</a></p>
        <p id="tip-order">{lang.pick("排序：", "Order: ")}
            {if data.oldest_first {
                view! { <a href="/leads/tips">{lang.pick("最新在前", "Newest first")}</a>" · "<strong>{lang.pick("待处理的最早在前", "Oldest open first")}</strong> }.into_any()
            } else {
                view! { <strong>{lang.pick("最新在前", "Newest first")}</strong>" · "<a href="/leads/tips?order=oldest">{lang.pick("待处理的最早在前", "Oldest open first")}</a> }.into_any()
            }}
        </p>
        <table class="data" id="tip-queue">
            <thead><tr><th>"#"</th><th>{lang.pick("状态", "Status")}</th><th>{lang.pick("提交时间", "Submitted")}</th><th>{lang.pick("内容", "Content")}</th><th>{lang.pick("线索", "Lead")}</th></tr></thead>
            <tbody>
                {data.tips.iter().map(|t| view! {
                    <tr>
                        <td><a href=format!("/leads/tips/{}", t.id)>{t.id}</a></td>
                        <td>{tip_status(lang, &t.status)}</td><td>{t.created.clone()}</td><td><bdi>{t.excerpt.clone()}</bdi></td>
                        <td>{t.lead.clone().map(|(i, r)| view! { <a href=format!("/leads/{i}")>{r}</a> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {tip_pager(lang, &data)}
    }
}

/// Previous and next links of the tip queue, keeping its order.
fn tip_pager(lang: Lang, data: &TipQueueView) -> impl IntoView {
    let order = if data.oldest_first {
        "order=oldest&"
    } else {
        ""
    };
    let link = |page: i64| format!("/leads/tips?{order}page={page}");
    let prev = (data.page > 1).then(|| view! { <a rel="prev" href=link(data.page - 1)>{lang.pick("上一页", "Previous")}</a>" " });
    let next = data.more.then(
        || view! { <a rel="next" href=link(data.page + 1)>{lang.pick("下一页", "Next")}</a> },
    );
    view! { <nav class="pager" id="tip-pager" aria-label=lang.pick("分页", "Pages")>{prev}{next}</nav> }
}

/// `/leads/tips/{id}`: read, answer, close or convert a tip.
#[component]
pub fn TipDetailPage() -> impl IntoView {
    let lang = current_lang();
    let t = expect_context::<TipDetailView>();
    let title = format!("{} #{}", lang.pick("群众反映", "Tip"), t.id);
    let action = format!("/leads/tips/{}/action", t.id);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <dl class="doc-meta">
            <dt>{lang.pick("状态", "Status")}</dt><dd id="tip-status">{tip_status(lang, &t.status)}</dd>
            <dt>{lang.pick("提交时间", "Submitted")}</dt><dd>{t.created.clone()}</dd>
        </dl>
        <p class="pre" dir="auto" id="tip-body">{t.body.clone()}</p>
        {messages_list(lang, &t.messages)}
        {t.lead.clone().map(|(i, r)| view! { <p>{lang.pick("已转为线索：", "Taken up as lead: ")}<a href=format!("/leads/{i}")>{r}</a></p> })}
        {t.open.then(|| view! {
            <form method="post" action=action.clone() class="form">
                <input type="hidden" name="action" value="answer"/>
                <TextArea id="answer" name="text" label=lang.pick("答复反映人", "Answer the reporter") rows=4 maxlength=5000 required=true/>
                <button type="submit" id="tip-answer">{lang.pick("答复", "Answer")}</button>
            </form>
            <form method="post" action=action.clone() class="form inline">
                <input type="hidden" name="action" value="close"/>
                <button type="submit" id="tip-close">{lang.pick("办结", "Close")}</button>
            </form>
            <a class="button" id="tip-convert" href=format!("/leads/new?tip={}", t.id)>{lang.pick("转为大足区司法局的正式线索", "Take up as a formal lead of the Dazu Justice Bureau")}</a>
        })}
    }
}
