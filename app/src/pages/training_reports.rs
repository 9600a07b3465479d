//! Training reports (`/training-admin/reports`): completion of assigned courses, attempts and
//! pass rates per course, per unit with totals for an administrator who may see several units,
//! overdue people, and a chart of completions over time drawn as SVG on the server (no
//! script, no style attribute: CSP-safe, like the Article 9 dashboard).

use domain::training_report::{show_percent, Counts};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::Lang;
use crate::pages::training::Bi;

/// A row of the per-unit table: a unit, or a region's subtotal.
#[derive(Clone, Debug)]
pub struct UnitRow {
    pub code: String,
    pub name: Bi,
    pub counts: Counts,
    pub subtotal: bool,
}

/// An overdue person.
#[derive(Clone, Debug)]
pub struct OverdueRow {
    pub unit: Bi,
    pub name: String,
    pub login: String,
    pub course: Bi,
    pub due: String,
}

/// The completion chart: cumulative completions at each point.
#[derive(Clone, Debug)]
pub struct Chart {
    pub title: Bi,
    pub weekly: bool,
    /// (date `yyyy-mm-dd`, completions on or before it).
    pub points: Vec<(String, u64)>,
    /// How many people should complete (an assignment's people).
    pub target: Option<u64>,
}

/// Data of `/training-admin/reports`.
#[derive(Clone, Debug)]
pub struct ReportView {
    /// What the figures cover.
    pub scope: Bi,
    /// Filters, when the viewer may see several units: (value, label).
    pub regions: Vec<(String, Bi)>,
    pub region: String,
    pub units: Vec<(String, Bi)>,
    pub unit: String,
    pub courses: Vec<(String, Bi)>,
    pub course: String,
    pub assignments: Vec<(String, Bi)>,
    pub assignment: String,
    /// Per unit (with region subtotals), when the selection has several units.
    pub by_unit: Vec<UnitRow>,
    pub total: Counts,
    pub by_course: Vec<(String, Bi, Counts)>,
    pub overdue: Vec<OverdueRow>,
    pub overdue_total: u64,
    pub chart: Chart,
    pub csv_href: String,
}

fn count_cells(c: &Counts) -> impl IntoView {
    view! {
        <td class="num">{c.assigned}</td>
        <td class="num">{c.completed}</td>
        <td class="num">{c.overdue}</td>
        <td class="num">{show_percent(c.completion_rate())}</td>
        <td class="num">{c.attempts}</td>
        <td class="num">{c.passed}</td>
        <td class="num">{show_percent(c.pass_rate())}</td>
        <td class="num">{c.holders}</td>
    }
}

fn count_heads(lang: Lang, first: &'static str) -> impl IntoView {
    view! {
        <tr>
            <th>{first}</th>
            <th>{lang.pick("应完成人数", "Assigned")}</th>
            <th>{lang.pick("已完成", "Completed")}</th>
            <th>{lang.pick("已逾期", "Overdue")}</th>
            <th>{lang.pick("完成率", "Completion")}</th>
            <th>{lang.pick("测验次数", "Attempts")}</th>
            <th>{lang.pick("通过次数", "Passed")}</th>
            <th>{lang.pick("通过率", "Pass rate")}</th>
            <th>{lang.pick("持有效证书", "Valid certificates")}</th>
        </tr>
    }
}

fn select(
    lang: Lang,
    id: &'static str,
    label: &'static str,
    all: Option<&'static str>,
    options: &[(String, Bi)],
    selected: &str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id name=id>
            {all.map(|a| view! { <option value="" selected=selected.is_empty()>{a}</option> })}
            {options.iter().map(|(v, t)| view! {
                <option value=v.clone() selected=v == selected>{t.get(lang)}</option>
            }).collect_view()}
        </select>
    }
}

/// The cumulative completion chart as inline SVG.
fn chart(lang: Lang, c: &Chart) -> impl IntoView {
    let (w, h, left, top, bottom) = (580.0, 220.0, 44.0, 12.0, 30.0);
    let plot_w = w - left - 16.0;
    let plot_h = h - top - bottom;
    let max = c
        .points
        .iter()
        .map(|p| p.1)
        .chain(c.target)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = c.points.len();
    let x = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: u64| top + plot_h * (1.0 - v as f64 / max);
    let line: Vec<String> = c
        .points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let title = c.title.get(lang);
    let caption = format!(
        "{title}{}",
        if c.weekly {
            lang.pick("（按周累计）", " (cumulative, by week)")
        } else {
            lang.pick("（按日累计）", " (cumulative, by day)")
        }
    );
    let first = c.points.first().map(|p| p.0.clone()).unwrap_or_default();
    let last = c.points.last().map(|p| p.0.clone()).unwrap_or_default();
    let last_value = c.points.last().map(|p| p.1).unwrap_or(0);
    let dots = (n <= 40).then(|| {
        c.points
            .iter()
            .enumerate()
            .map(|(i, (d, v))| {
                view! { <circle cx=format!("{:.1}", x(i)) cy=format!("{:.1}", y(*v)) r="3" fill="#a4161a"><title>{format!("{d}: {v}")}</title></circle> }
            })
            .collect_view()
    });
    let target = c.target.map(|t| {
        let ty = format!("{:.1}", y(t));
        view! {
            <line x1=left y1=ty.clone() x2=left + plot_w y2=ty.clone() stroke="#1e7b34" stroke-dasharray="5 4"></line>
            <text x=left + plot_w y=format!("{:.1}", y(t) - 4.0) font-size="12" text-anchor="end" fill="#1e7b34">
                {format!("{}{t}", lang.pick("应完成 ", "assigned "))}
            </text>
        }
    });
    view! {
        <figure class="chart" id="completion-chart" data-points=c.points.len().to_string() data-last=last_value.to_string()>
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {w} {h}") width="100%" role="img" aria-label=caption>
                <line x1=left y1=top x2=left y2=top + plot_h stroke="#6b7280"></line>
                <line x1=left y1=top + plot_h x2=left + plot_w y2=top + plot_h stroke="#6b7280"></line>
                <text x=left - 6.0 y=top + plot_h font-size="12" text-anchor="end">"0"</text>
                <text x=left - 6.0 y=top + 10.0 font-size="12" text-anchor="end">{(max as u64).to_string()}</text>
                <text x=left y=h - 8.0 font-size="12">{first}</text>
                <text x=left + plot_w y=h - 8.0 font-size="12" text-anchor="end">{last}</text>
                {target}
                <polyline points=line.join(" ") fill="none" stroke="#a4161a" stroke-width="2"></polyline>
                {dots}
            </svg>
        </figure>
        <details><summary>{lang.pick("图表数据", "Chart data")}</summary>
            <table class="data" id="completion-series">
                <thead><tr><th>{lang.pick("日期", "Date")}</th><th>{lang.pick("累计完成", "Completed so far")}</th></tr></thead>
                <tbody>{c.points.iter().map(|(d, v)| view! { <tr><td>{d.clone()}</td><td>{*v}</td></tr> }).collect_view()}</tbody>
            </table>
        </details>
    }
}

/// The report page.
pub fn reports(lang: Lang, r: ReportView) -> impl IntoView {
    let title = lang.pick("培训统计报表", "Training reports");
    let several = !r.by_unit.is_empty();
    view! {
        <Title text=title/>
        <p><a href="/training-admin">{lang.pick("培训任务与完成情况", "Course assignments and completion")}</a></p>
        <h1>{title}</h1>
        <p class="meta" id="report-scope">{r.scope.get(lang)}</p>
        <form method="get" action="/training-admin/reports" class="form filters" id="report-filters">
            {(r.regions.len() > 1).then(|| select(lang, "region", lang.pick("区域", "Region"), Some(lang.pick("全部", "All")), &r.regions, &r.region))}
            {(r.units.len() > 1).then(|| select(lang, "unit", lang.pick("单位", "Unit"), Some(lang.pick("全部", "All")), &r.units, &r.unit))}
            {select(lang, "course", lang.pick("图表课程", "Chart course"), None, &r.courses, &r.course)}
            {(!r.assignments.is_empty()).then(|| select(lang, "assignment", lang.pick("或培训任务", "or assignment"), Some("—"), &r.assignments, &r.assignment))}
            <button type="submit" id="report-apply">{lang.pick("查看", "Show")}</button>
        </form>
        <p><a href=r.csv_href.clone() id="reports-csv">{lang.pick("导出 CSV（Excel 可直接打开）", "Export CSV (opens in Excel)")}</a></p>
        {several.then(|| view! {
            <h2>{lang.pick("按单位", "By unit")}</h2>
            <div class="table-wrap"><table class="data report" id="by-unit">
                <thead>{count_heads(lang, lang.pick("单位", "Unit"))}</thead>
                <tbody>
                    {r.by_unit.iter().map(|u| view! {
                        <tr class=if u.subtotal { "subtotal" } else { "" } data-unit=u.code.clone()>
                            <td>{u.name.get(lang)}</td>{count_cells(&u.counts)}
                        </tr>
                    }).collect_view()}
                    <tr class="total" data-unit="total"><th>{lang.pick("合计", "Total")}</th>{count_cells(&r.total)}</tr>
                </tbody>
            </table></div>
        })}
        <h2>{lang.pick("按课程", "By course")}</h2>
        <div class="table-wrap"><table class="data report" id="by-course">
            <thead>{count_heads(lang, lang.pick("课程", "Course"))}</thead>
            <tbody>
                {r.by_course.iter().map(|(id, t, c)| view! {
                    <tr data-course=id.clone()><td>{t.get(lang)}</td>{count_cells(c)}</tr>
                }).collect_view()}
                <tr class="total" data-course="total"><th>{lang.pick("合计", "Total")}</th>{count_cells(&r.total)}</tr>
            </tbody>
        </table></div>
        <p class="hint">{lang.pick(
            "应完成人数按培训任务计（每人每门课程计一次）；已完成指持有该课程未过期的结业证书；通过率为已提交测验中通过的比例。",
            "Assigned counts each person once per course; completed means holding an unexpired certificate of the course; the pass rate is the share of submitted attempts that passed.",
        )}</p>
        <h2>{lang.pick("完成进度", "Completion over time")}</h2>
        {chart(lang, &r.chart)}
        <h2>{format!("{}（{}）", lang.pick("逾期未完成人员", "Overdue people"), r.overdue_total)}</h2>
        {if r.overdue.is_empty() {
            view! { <p id="overdue-none">{lang.pick("没有逾期未完成的人员。", "Nobody is overdue.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="data" id="overdue-people">
                    <thead><tr>
                        {several.then(|| view! { <th>{lang.pick("单位", "Unit")}</th> })}
                        <th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("账号", "Login")}</th>
                        <th>{lang.pick("课程", "Course")}</th><th>{lang.pick("截止日期", "Due")}</th>
                    </tr></thead>
                    <tbody>{r.overdue.iter().map(|o| view! {
                        <tr class="overdue" data-login=o.login.clone()>
                            {several.then(|| view! { <td>{o.unit.get(lang)}</td> })}
                            <td>{o.name.clone()}</td><td>{o.login.clone()}</td><td>{o.course.get(lang)}</td><td>{o.due.clone()}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table></div>
                {(r.overdue_total > r.overdue.len() as u64).then(|| view! {
                    <p class="hint">{format!("{} {} / {}", lang.pick("仅显示前", "Showing the first"), r.overdue.len(), r.overdue_total)}</p>
                })}
            }.into_any()
        }}
    }
}

/// Training figures on the Article 9 dashboard, over the units the viewer may see.
#[derive(Clone, Debug, Default)]
pub struct DashboardTraining {
    pub total: Counts,
    /// Per unit: (code, name, figures), units with something to count.
    pub rows: Vec<(String, Bi, Counts)>,
}

/// The training section of the Article 9 dashboard.
pub fn dashboard_section(lang: Lang, t: &DashboardTraining) -> impl IntoView {
    let bars: Vec<(String, usize)> = t
        .rows
        .iter()
        .map(|(_, name, c)| (name.get(lang), c.holders as usize))
        .collect();
    view! {
        <h2>{lang.pick("学习培训（第十条、第十一条）", "Training (Articles 10–11)")}</h2>
        <dl class="doc-meta" id="training-figures">
            <dt>{lang.pick("持有效结业证书（人次）", "Valid certificates (person-courses)")}</dt><dd id="fig-training-completions">{t.total.holders}</dd>
            <dt>{lang.pick("测验通过率", "Quiz pass rate")}</dt>
            <dd id="fig-training-pass-rate">{format!("{} ({}/{})", show_percent(t.total.pass_rate()), t.total.passed, t.total.attempts)}</dd>
            <dt>{lang.pick("逾期未完成的培训任务（人次）", "Overdue assignments (person-courses)")}</dt><dd id="fig-training-overdue">{t.total.overdue}</dd>
            <dt>{lang.pick("培训任务完成率", "Assignments completed")}</dt>
            <dd id="fig-training-completion">{format!("{} ({}/{})", show_percent(t.total.completion_rate()), t.total.completed, t.total.assigned)}</dd>
        </dl>
        {(!bars.is_empty()).then(|| view! {
            <div class="charts">
                <crate::pages::dashboard::BarChart id="chart-training" title=lang.pick("持有效结业证书，按单位", "Valid certificates by unit").to_string() rows=bars/>
            </div>
        })}
        <details><summary>{lang.pick("培训数据表", "Training table")}</summary>
            <table class="data report" id="training-by-unit">
                <thead><tr>
                    <th>{lang.pick("单位", "Unit")}</th><th>{lang.pick("持有效证书", "Valid certificates")}</th>
                    <th>{lang.pick("测验次数", "Attempts")}</th><th>{lang.pick("通过率", "Pass rate")}</th>
                    <th>{lang.pick("已逾期", "Overdue")}</th>
                </tr></thead>
                <tbody>{t.rows.iter().map(|(code, name, c)| view! {
                    <tr data-unit=code.clone()><td>{name.get(lang)}</td><td class="num">{c.holders}</td><td class="num">{c.attempts}</td>
                        <td class="num">{show_percent(c.pass_rate())}</td><td class="num">{c.overdue}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </details>
    }
}
