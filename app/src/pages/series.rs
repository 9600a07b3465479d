//! Event series and yearly plans (Art. 12 常态化 regular exchanges, issue 19): the rule part of
//! the series form, a series' page (its occurrences with their compliance flags for the hosts,
//! "register for all upcoming" for members) and an association's yearly exchange plan
//! (年度交流计划) with planned against held. The server prepares everything in the reader's
//! language; these functions only lay it out.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::current_lang;

/// The rule part of the series form, as typed.
#[derive(Clone, Debug, Default)]
pub struct RuleFormValues {
    pub frequency: String,
    pub interval: String,
    pub count: String,
    pub until: String,
}

/// One occurrence on a series' page.
#[derive(Clone, Debug, Default)]
pub struct OccurrenceRow {
    pub id: i64,
    pub when: String,
    pub status: String,
    /// The compliance flags, worded (hosts only).
    pub flags: Vec<String>,
    pub needs_approval: bool,
}

/// Data of `/events/series/{id}`.
#[derive(Clone, Debug, Default)]
pub struct SeriesDetail {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub hosts: String,
    pub venue: String,
    pub rule: String,
    pub occurrences: Vec<OccurrenceRow>,
    pub manager: bool,
    pub can_publish: bool,
    pub can_cancel: bool,
    pub can_register_all: bool,
    pub message: Option<String>,
    pub error: Option<String>,
}

/// A line of a yearly plan: a series or a one-off event.
#[derive(Clone, Debug, Default)]
pub struct PlanRow {
    pub title: String,
    pub href: String,
    pub rule: String,
    pub planned: i64,
    pub held: i64,
    pub cancelled: i64,
}

/// Per association, planned and held in a year (the register and the dashboard).
#[derive(Clone, Debug, Default)]
pub struct PlanSummaryRow {
    pub association: String,
    pub href: String,
    pub planned: i64,
    pub held: i64,
}

/// Data of `/exchanges/plan`.
#[derive(Clone, Debug, Default)]
pub struct PlanView {
    pub associations: Vec<(String, String)>,
    pub association: String,
    pub association_name: String,
    pub years: Vec<i32>,
    pub year: i32,
    pub rows: Vec<PlanRow>,
    pub planned: i64,
    pub held: i64,
    pub attendance: Vec<(String, i64)>,
    pub summary: Vec<PlanSummaryRow>,
    pub csv_href: String,
}

/// The rule fieldset of the series form.
pub fn rule_fieldset(r: &RuleFormValues) -> impl IntoView {
    let lang = current_lang();
    let options = [
        (
            "quarterly",
            lang.pick("每季度（同一日期）", "Quarterly (same day of the month)"),
        ),
        (
            "monthly_by_date",
            lang.pick("每月（同一日期）", "Monthly (same day of the month)"),
        ),
        (
            "monthly_by_weekday",
            lang.pick(
                "每月（第几个星期几，第五个即最后一个）",
                "Monthly (same n-th weekday; a fifth is the last)",
            ),
        ),
        (
            "weekly",
            lang.pick("每周（同一星期几）", "Weekly (same weekday)"),
        ),
    ];
    view! {
        <fieldset id="rule-field">
            <legend>{lang.pick("重复规则（以第一次活动的开始时间为准）", "Recurrence (from the first occurrence's start)")}</legend>
            <label for="frequency">{lang.pick("重复方式", "Repeats")}</label>
            <select id="frequency" name="frequency">{options.into_iter().map(|(c, l)| view! {
                <option value=c selected=c == r.frequency>{l}</option>
            }).collect_view()}</select>
            <label for="interval">{lang.pick("间隔（每几周、几个月或几个季度）", "Every (weeks, months or quarters)")}</label>
            <input id="interval" name="interval" type="number" min="1" max="12" value=r.interval.clone()/>
            <label for="count">{lang.pick("次数（1–52）", "Occurrences (1–52)")}</label>
            <input id="count" name="count" type="number" min="1" max="52" value=r.count.clone()/>
            <label for="until">{lang.pick("或结束日期", "Or the last day")}</label>
            <input id="until" name="until" type="date" value=r.until.clone()/>
            <p class="hint">{lang.pick("每次活动都是一场独立的活动，分别报名、签到、统计出勤；不在工作时间或不在官方场所的那一次，须单独登记审批后才能发布。", "Each occurrence is an event of its own, with its own registration, check-in and attendance; one outside working hours or away from an official venue needs its own approval before it is published.")}</p>
        </fieldset>
    }
}

/// `/events/series/{id}`.
pub fn series_page(d: SeriesDetail) -> impl IntoView {
    let lang = current_lang();
    let action = format!("/events/series/{}/action", d.id);
    let title = lang.pick("系列交流活动", "Event series");
    let manager = d.manager;
    view! {
        <Title text=title/>
        <p class="breadcrumb"><a href="/events">{lang.pick("交流活动", "Exchange events")}</a></p>
        <h1 id="series-title" dir="auto">{d.title.clone()}</h1>
        {d.message.clone().map(|m| view! { <p class="ok" role="status" id="series-message">{m}</p> })}
        {d.error.clone().map(|e| view! { <p class="alert" role="alert" id="series-error">{e}</p> })}
        <dl class="doc-meta" id="series-facts">
            <dt>{lang.pick("类型", "Kind")}</dt><dd>{d.kind.clone()}</dd>
            <dt>{lang.pick("重复", "Repeats")}</dt><dd id="series-rule">{d.rule.clone()}</dd>
            <dt>{lang.pick("地点", "Venue")}</dt><dd>{d.venue.clone()}</dd>
            <dt>{lang.pick("主办", "Hosts")}</dt><dd>{d.hosts.clone()}</dd>
        </dl>
        <h2>{lang.pick("各次活动", "Occurrences")}</h2>
        <div class="table-wrap"><table class="data" id="occurrences">
            <thead><tr>
                <th>{lang.pick("时间", "When")}</th><th>{lang.pick("状态", "Status")}</th>
                {manager.then(|| view! { <th>{lang.pick("合规提示", "Compliance")}</th> })}
            </tr></thead>
            <tbody>{d.occurrences.iter().map(|o| view! {
                <tr data-event=o.id.to_string() class=if o.needs_approval { "needs-approval" } else { "" }>
                    <td><a href=format!("/events/{}", o.id)>{o.when.clone()}</a></td>
                    <td>{o.status.clone()}</td>
                    {manager.then(|| view! { <td>{if o.flags.is_empty() {
                        view! { <span class="muted">{lang.pick("无", "None")}</span> }.into_any()
                    } else {
                        view! { <ul class="flags">{o.flags.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}{o.needs_approval.then(|| view! { <p><a href=format!("/events/{}", o.id)>{lang.pick("登记审批情况", "Record the approval")}</a></p> })}</td> })}
                </tr>
            }).collect_view()}</tbody>
        </table></div>
        {d.can_register_all.then(|| view! {
            <form method="post" action=action.clone() class="buttons">
                <button type="submit" name="action" value="register_all" id="register-all">{lang.pick("报名以后各次活动", "Register for all upcoming occurrences")}</button>
            </form>
        })}
        {(manager && d.can_publish).then(|| view! {
            <form method="post" action=action.clone() class="buttons">
                <button type="submit" name="action" value="publish" id="publish-series">{lang.pick("发布系列（需审批的各次除外）", "Publish the series (except occurrences awaiting approval)")}</button>
            </form>
        })}
        {(manager && d.can_cancel).then(|| view! {
            <form method="post" action=action.clone() class="form" id="cancel-series-form">
                <label for="series-reason">{lang.pick("取消以后各次活动的原因", "Reason for cancelling all upcoming occurrences")}</label>
                <input id="series-reason" name="reason" maxlength="300" required/>
                <button type="submit" name="action" value="cancel" id="cancel-series">{lang.pick("取消以后各次", "Cancel all upcoming")}</button>
            </form>
        })}
    }
}

/// Planned against held per association (on the register and the dashboard).
pub fn plan_summary(rows: &[PlanSummaryRow], year: i32) -> impl IntoView {
    let lang = current_lang();
    view! {
        <div class="table-wrap"><table class="data" id="plan-summary">
            <caption>{format!("{year} ")}{lang.pick("年度交流计划：计划与已举办", "yearly exchange plans: planned and held")}</caption>
            <thead><tr><th>{lang.pick("协会", "Association")}</th><th>{lang.pick("计划", "Planned")}</th><th>{lang.pick("已举办", "Held")}</th></tr></thead>
            <tbody>{rows.iter().map(|r| view! {
                <tr><td><a href=r.href.clone()>{r.association.clone()}</a></td><td>{r.planned}</td><td>{r.held}</td></tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}

/// `/exchanges/plan`.
pub fn plan_page(p: PlanView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("年度交流计划", "Yearly exchange plan");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{lang.pick("依据《暂行规定》第十二条，各协会建立常态化工作交流渠道。此处按年度列出各协会发布的系列活动和单次活动，计划数与已举办数对照，出勤按单位类别统计（不含姓名）。", "Under Article 12 the associations keep a regular channel of work exchange. Here each association's published series and one-off events of a year are listed, planned against held, with attendance by kind of unit (no names).")}</p>
        <form method="get" action="/exchanges/plan" class="filters" id="plan-filters">
            <label for="plan-assoc">{lang.pick("协会", "Association")}</label>
            <select id="plan-assoc" name="association">
                <option value="">{lang.pick("全部协会", "All associations")}</option>
                {p.associations.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == p.association>{n.clone()}</option> }).collect_view()}
            </select>
            <label for="plan-year">{lang.pick("年份", "Year")}</label>
            <select id="plan-year" name="year">
                {p.years.iter().map(|y| view! { <option value=y.to_string() selected=*y == p.year>{y.to_string()}</option> }).collect_view()}
            </select>
            <button type="submit">{lang.pick("查看", "Show")}</button>
            " "<a href=p.csv_href.clone() id="plan-csv">{lang.pick("导出 CSV", "Export CSV")}</a>
        </form>
        {if p.association.is_empty() {
            plan_summary(&p.summary, p.year).into_any()
        } else {
            view! {
                <h2 id="plan-heading">{p.association_name.clone()}" · "{p.year.to_string()}</h2>
                <p id="plan-totals">{lang.pick("计划 ", "Planned ")}{p.planned}{lang.pick(" 场，已举办 ", ", held ")}{p.held}</p>
                {if p.rows.is_empty() {
                    view! { <p class="muted" id="plan-empty">{lang.pick("本年度暂无已发布的交流活动。", "No published exchanges this year.")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data" id="plan">
                            <thead><tr><th>{lang.pick("活动", "Exchange")}</th><th>{lang.pick("重复", "Repeats")}</th>
                                <th>{lang.pick("计划", "Planned")}</th><th>{lang.pick("已举办", "Held")}</th><th>{lang.pick("已取消", "Cancelled")}</th></tr></thead>
                            <tbody>{p.rows.iter().map(|r| view! {
                                <tr><td><a href=r.href.clone()><bdi>{r.title.clone()}</bdi></a></td><td>{r.rule.clone()}</td>
                                    <td>{r.planned}</td><td>{r.held}</td><td>{r.cancelled}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                <h3>{lang.pick("出勤（按单位类别）", "Attendance by kind of unit")}</h3>
                {if p.attendance.is_empty() {
                    view! { <p class="muted" id="plan-attendance">{lang.pick("暂无出勤记录。", "No attendance recorded yet.")}</p> }.into_any()
                } else {
                    view! { <ul id="plan-attendance">{p.attendance.iter().map(|(k, n)| view! { <li>{k.clone()}": "{*n}</li> }).collect_view()}</ul> }.into_any()
                }}
            }.into_any()
        }}
    }
}
