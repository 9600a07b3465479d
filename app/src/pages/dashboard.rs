//! The information-sharing dashboard (Article 9): figures over the leads the unit may see,
//! drawn as server-rendered SVG bar charts and tables, with CSV and JSON exports.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::current_lang;

/// Data of `/leads/dashboard`.
#[derive(Clone, Debug, Default)]
pub struct DashboardView {
    pub scope: String,
    pub total: usize,
    pub overdue: usize,
    /// Leads about the joint office's own staff, routed by the joint office itself.
    pub conflicts: usize,
    pub median_ack: String,
    pub median_feedback: String,
    pub by_status: Vec<(String, usize)>,
    pub by_rule: Vec<(String, usize)>,
    pub by_discoverer: Vec<(String, usize)>,
    pub by_month: Vec<(String, usize)>,
    pub deadlines_note: String,
    /// Training figures of the units the viewer may see.
    pub training: crate::pages::training_reports::DashboardTraining,
    /// Exchange events (Art. 12): label and count.
    pub exchanges: Vec<(String, usize)>,
    /// Per association, planned against held in `plan_year` (yearly exchange plans).
    pub plans: Vec<crate::pages::series::PlanSummaryRow>,
    pub plan_year: i32,
}

/// A horizontal bar chart as inline SVG (no script, no style attribute: CSP-safe).
#[component]
pub fn BarChart(id: &'static str, title: String, rows: Vec<(String, usize)>) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let height = 24 * rows.len().max(1) + 8;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let y = 4 + i * 24;
            let w = (*n as f64 / max as f64 * 300.0).round() as usize;
            view! {
                <g>
                    <text x="0" y=y + 16 font-size="13">{label.clone()}</text>
                    <rect x="220" y=y + 3 width=w.max(1) height="16" fill="#a4161a"></rect>
                    <text x=228 + w y=y + 16 font-size="13">{n.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 580 {height}") width="100%" role="img" aria-label=title>{bars}</svg>
        </figure>
    }
}

fn table(rows: &[(String, usize)], head: &str) -> impl IntoView {
    view! {
        <table class="data">
            <thead><tr><th>{head.to_string()}</th><th>"#"</th></tr></thead>
            <tbody>{rows.iter().map(|(k, v)| view! { <tr><td>{k.clone()}</td><td>{*v}</td></tr> }).collect_view()}</tbody>
        </table>
    }
}

/// `/leads/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = current_lang();
    let d = expect_context::<DashboardView>();
    let title = lang.pick("信息互通数据平台", "Information-sharing dashboard");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{lang.pick("依据《暂行规定》第九条。统计范围：", "Under Article 9 of the Interim Provisions. Scope: ")}{d.scope.clone()}</p>
        <p>
            <a class="button" href="/leads/dashboard.csv" id="export-csv">{lang.pick("导出 CSV", "Export CSV")}</a>" "
            <a class="button" href="/api/v1/dashboard" id="export-json">{lang.pick("导出 JSON", "Export JSON")}</a>
        </p>
        <dl class="doc-meta" id="figures">
            <dt>{lang.pick("线索总数", "Leads")}</dt><dd id="fig-total">{d.total}</dd>
            <dt>{lang.pick("逾期案件", "Overdue cases")}</dt><dd id="fig-overdue">{d.overdue}</dd>
            <dt>{lang.pick("涉及联合办公室本单位人员的线索（利益冲突提示）", "Leads about the joint office's own staff (conflict warning)")}</dt><dd id="fig-conflicts">{d.conflicts}</dd>
            <dt>{lang.pick("签收用时中位数", "Median time to acknowledge")}</dt><dd>{d.median_ack.clone()}</dd>
            <dt>{lang.pick("反馈用时中位数", "Median time to feedback")}</dt><dd>{d.median_feedback.clone()}</dd>
        </dl>
        <p class="hint">{d.deadlines_note.clone()}</p>
        <div class="charts">
            <BarChart id="chart-status" title=lang.pick("按办理状态", "By status").to_string() rows=d.by_status.clone()/>
            <BarChart id="chart-rule" title=lang.pick("按适用规则", "By rule").to_string() rows=d.by_rule.clone()/>
            <BarChart id="chart-unit" title=lang.pick("按发现线索的单位", "By discovering unit").to_string() rows=d.by_discoverer.clone()/>
            <BarChart id="chart-month" title=lang.pick("按月份（登记）", "By month (reported)").to_string() rows=d.by_month.clone()/>
        </div>
        <details><summary>{lang.pick("数据表", "Tables")}</summary>
            {table(&d.by_status, lang.pick("状态", "Status"))}
            {table(&d.by_rule, lang.pick("规则", "Rule"))}
            {table(&d.by_discoverer, lang.pick("单位", "Unit"))}
            {table(&d.by_month, lang.pick("月份", "Month"))}
        </details>
        {crate::pages::training_reports::dashboard_section(lang, &d.training)}
        <h2>{lang.pick("交流活动（第十二条）", "Exchange events (Art. 12)")}</h2>
        <div class="charts"><BarChart id="chart-exchanges" title=lang.pick("交流活动", "Exchange events").to_string() rows=d.exchanges.clone()/></div>
        {crate::pages::series::plan_summary(&d.plans, d.plan_year)}
        <p><a href="/exchanges">{lang.pick("交流活动公开登记", "Public register of exchanges")}</a></p>
    }
}
