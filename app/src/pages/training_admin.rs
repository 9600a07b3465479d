//! The training administrator's page (`/training-admin`, Articles 10–11): assignments with
//! their counts, the assignment form (own unit, or the district's lawyers for the justice
//! bureau and the lawyers' association), and the paged list of people not yet done. Split from
//! `training.rs`, which renders the learner's pages.

use leptos::prelude::*;
use leptos_meta::Title;

use super::training::Bi;
use crate::forms::{Choices, ErrorSummary, FormErrors, Select, TextInput};
use crate::i18n::Lang;

/// An assignment on the administrator's page, with its counts.
#[derive(Clone, Debug)]
pub struct AssignmentRow {
    pub id: i64,
    pub course: Bi,
    pub target: Bi,
    pub due: String,
    /// People it applies to, and of those done / overdue / done but due for renewal.
    pub assigned: usize,
    pub done: usize,
    pub overdue: usize,
    pub renewal: usize,
}

/// A person not yet done with an assignment (or due for renewal), on the paged list.
#[derive(Clone, Debug)]
pub struct PendingRow {
    pub name: String,
    pub login: String,
    pub course: Bi,
    pub due: String,
    /// "pending", "overdue" or "renewal".
    pub status: &'static str,
}

/// One page of the people not yet done, with the name searched for.
#[derive(Clone, Debug)]
pub struct PendingPage {
    pub rows: Vec<PendingRow>,
    /// Matching rows in all.
    pub total: usize,
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub query: String,
}

/// Data of `/training-admin`.
#[derive(Clone, Debug)]
pub struct AdminView {
    pub unit: String,
    pub courses: Vec<(String, Bi)>,
    /// The people offered for "selected people" (matching `picker_query`, at most a page).
    pub members: Vec<(i64, String)>,
    /// How many people may be selected in all, and the name searched for.
    pub members_total: usize,
    pub picker_query: String,
    pub roles: Vec<(String, Bi)>,
    pub assignments: Vec<AssignmentRow>,
    pub pending: PendingPage,
    /// What the assignment form got wrong, by field (see [`assignment_field`]).
    pub errors: FormErrors,
    /// What the last form did.
    pub status: Option<Bi>,
    /// Exchange hours attended (Art. 12 events), the most first, at most a page: (name, login,
    /// hours); everyone's are in the CSV.
    pub exchange_hours: Vec<(String, String, f64)>,
    /// When the counts and lists were read (Beijing time), and how old they may be at most.
    pub figures_at: String,
    pub figures_max_age: u64,
}

/// The field of the assignment form that a refusal is about, for the error summary's link.
pub fn assignment_field(r: &domain::training::AssignmentRefusal) -> &'static str {
    use domain::training::AssignmentRefusal as R;
    match r {
        R::CourseMissing => "assign-course",
        R::OutsideUnit | R::NobodySelected | R::LawyersNotYours => "selected-people",
        R::NoSuchFirm => "assign-target",
        R::TargetMissing => "assign-target",
        R::DueDate => "assign-due",
    }
}

pub(super) fn status_label(lang: Lang, s: &str) -> &'static str {
    match s {
        "done" => lang.pick("已完成", "Completed"),
        "overdue" => lang.pick("已逾期", "Overdue"),
        "renewal" => lang.pick("需更新（条文已修改）", "Renewal due (article changed)"),
        _ => lang.pick("未完成", "Not yet completed"),
    }
}

/// The paged list of people not yet done, with its name search and page links.
fn pending_view(lang: Lang, p: PendingPage) -> impl IntoView {
    let link = |page: usize| {
        let q = crate::layout::encode_component(&p.query);
        format!("/training-admin?q={q}&page={page}#pending")
    };
    let prev = (p.page > 1).then(|| link(p.page - 1));
    let next = (p.page < p.pages).then(|| link(p.page + 1));
    view! {
        <h3 id="pending">{lang.pick("尚未完成的人员", "People not yet done")}</h3>
        <form method="get" action="/training-admin" class="form inline" id="pending-search">
            <label for="pending-q">{lang.pick("按姓名或账号查找", "Search by name or login")}</label>
            <input type="search" id="pending-q" name="q" value=p.query.clone()/>
            <button type="submit">{lang.pick("查找", "Search")}</button>
        </form>
        <p class="meta" id="pending-total" data-total=p.total>{match lang {
            Lang::Zh => format!("共 {} 条，第 {} / {} 页", p.total, p.page, p.pages.max(1)),
            Lang::En => format!("{} in all, page {} of {}", p.total, p.page, p.pages.max(1)),
        }}</p>
        <table class="data assignment" id="pending-table">
            <thead><tr><th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("课程", "Course")}</th><th>{lang.pick("截止日期", "Due")}</th><th>{lang.pick("状态", "Status")}</th></tr></thead>
            <tbody>
                {p.rows.into_iter().map(|r| view! {
                    <tr data-login=r.login class=r.status><td>{r.name}</td><td>{r.course.get(lang)}</td><td>{r.due}</td><td>{status_label(lang, r.status)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label=lang.pick("分页", "Pages")>
            {prev.map(|h| view! { <a href=h id="pending-prev" rel="prev">{lang.pick("上一页", "Previous")}</a> })}
            " "
            {next.map(|h| view! { <a href=h id="pending-next" rel="next">{lang.pick("下一页", "Next")}</a> })}
        </nav>
    }
}

pub(super) fn admin(lang: Lang, a: AdminView) -> impl IntoView {
    let title = lang.pick("培训任务与完成情况", "Course assignments and completion");
    let course_options: Vec<(String, String)> = a
        .courses
        .iter()
        .map(|(id, t)| (id.clone(), t.get(lang)))
        .collect();
    let target_options: Vec<(String, String)> = std::iter::once((
        "unit".to_string(),
        lang.pick("本单位全体人员", "Everyone in the unit")
            .to_string(),
    ))
    .chain(a.roles.iter().map(|(code, t)| (code.clone(), t.get(lang))))
    .chain([(
        "people".to_string(),
        lang.pick("下列选定人员", "The people selected below")
            .to_string(),
    )])
    .collect();
    let people: Vec<(String, String)> = a
        .members
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p class="meta">{a.unit.clone()}</p>
        {(!a.errors.is_empty()).then(|| view! { <div id="assign-error"><ErrorSummary errors=a.errors.clone()/></div> })}
        {a.status.map(|m| view! { <p class="ok" role="status" id="admin-status">{m.get(lang)}</p> })}
        <h2>{lang.pick("布置课程", "Assign a course")}</h2>
        <form method="post" action="/training-admin" class="form" id="assign-form">
            <Select id="assign-course" name="course" label=lang.pick("课程", "Course")
                options=course_options
                error=a.errors.get("assign-course").unwrap_or_default()/>
            <Select id="assign-target" name="target" label=lang.pick("对象", "For")
                options=target_options
                error=a.errors.get("assign-target").unwrap_or_default()/>
            <Choices id="selected-people" name="person" multiple=true legend=lang.pick("选定人员", "Selected people")
                hint=match lang {
                    Lang::Zh => format!("对象为“下列选定人员”时勾选。显示 {} 人，共 {} 人；其他人员请按姓名搜索。", a.members.len(), a.members_total),
                    Lang::En => format!("When the course is for the people selected here. Showing {} of {}; search by name for others.", a.members.len(), a.members_total),
                }
                items=people
                error=a.errors.get("selected-people").unwrap_or_default()/>
            <TextInput id="assign-due" name="due" kind="date" label=lang.pick("截止日期", "Due date") required=true width="w-short"
                error=a.errors.get("assign-due").unwrap_or_default()/>
            <button type="submit" id="assign-submit">{lang.pick("布置", "Assign")}</button>
        </form>
        <form method="get" action="/training-admin" class="form inline" id="picker-search">
            <label for="picker-who">{lang.pick("按姓名查找可选人员", "Find people to select by name")}</label>
            <input type="search" id="picker-who" name="who" value=a.picker_query.clone()/>
            <button type="submit">{lang.pick("查找", "Find")}</button>
        </form>
        <h2>{lang.pick("完成情况", "Completion")}</h2>
        <p class="hint" id="figures-at">{match lang {
            Lang::Zh => format!("统计于 {}。此后新取得的证书最迟 {} 秒后计入；在本页所做的修改立即显示。", a.figures_at, a.figures_max_age),
            Lang::En => format!("Figures as of {}. Certificates earned since then show within {} seconds; changes made on this page show at once.", a.figures_at, a.figures_max_age),
        }}</p>
        <p><a href="/training-admin/report.csv" id="report-csv">{lang.pick("导出 CSV（全部人员，Excel 可直接打开）", "Export CSV (everyone; opens in Excel)")}</a>
            " · "<a href="/training-admin/reports" id="reports-link">{lang.pick("统计报表（通过率、逾期人员、完成进度图）", "Reports (pass rates, overdue people, completion chart)")}</a></p>
        {a.assignments.into_iter().map(|asg| view! {
            <h3 id=format!("assignment-{}", asg.id)>{format!("{} · {} · {}{}", asg.course.get(lang), asg.target.get(lang), lang.pick("截止 ", "due "), asg.due)}</h3>
            <p class="counts" id=format!("counts-{}", asg.id) data-assigned=asg.assigned data-done=asg.done data-overdue=asg.overdue data-renewal=asg.renewal>{match lang {
                Lang::Zh => format!("共 {} 人 · 已完成 {} · 已逾期 {} · 需更新 {}", asg.assigned, asg.done, asg.overdue, asg.renewal),
                Lang::En => format!("{} people · {} completed · {} overdue · {} renewal due", asg.assigned, asg.done, asg.overdue, asg.renewal),
            }}</p>
            <div class="buttons">
                <form method="post" action=format!("/training-admin/assignments/{}/due", asg.id) class="form inline">
                    <label for=format!("due-{}", asg.id)>{lang.pick("截止日期", "Due date")}</label>
                    <input type="date" id=format!("due-{}", asg.id) name="due" value=asg.due.clone() required/>
                    <button type="submit">{lang.pick("修改截止日期", "Change the due date")}</button>
                </form>
                <form method="post" action=format!("/training-admin/assignments/{}/delete", asg.id) class="form inline">
                    <button type="submit" class="danger">{lang.pick("删除此任务", "Delete this assignment")}</button>
                </form>
            </div>
        }).collect_view()}
        {pending_view(lang, a.pending)}
        <h2>{lang.pick("交流活动学时（第十二条）", "Exchange hours (Art. 12)")}</h2>
        <p class="hint">{lang.pick("出席交流活动（签到或由主办方登记）计入培训记录，按活动时长计算。", "Attending an exchange event (checked in, or marked by the hosts) counts on the training record by the event's length.")}</p>
        <table class="data" id="exchange-hours-table">
            <thead><tr><th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("学时", "Hours")}</th></tr></thead>
            <tbody>
                {a.exchange_hours.into_iter().map(|(name, login, h)| view! {
                    <tr data-login=login><td>{name}</td><td class="num">{h.to_string()}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
