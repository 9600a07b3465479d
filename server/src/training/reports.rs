//! Training reports: `/training-admin/reports` (page) and `/training-admin/reports.csv`, and
//! the training figures of the Article 9 dashboard ([`dashboard_training`]).
//!
//! Who sees which units is `domain::training_report::visible_units`: the system administrator
//! every unit; a training administrator its unit, or, for a municipal unit at the top of its
//! system, every unit of its kind (and a justice bureau or lawyers' association also the law
//! firms). Someone who may see several units gets per-unit rows with region subtotals and a
//! total, and can narrow the view to a district (`?region=`) or a unit (`?unit=`). Anyone else
//! gets the (audited) 404 page. The figures come from a fixed number of aggregate queries
//! (`store::training_reports`).

use std::collections::BTreeMap;

use app::pages::training::{Bi, TrainingView};
use app::pages::training_reports::{Chart, OverdueRow, ReportView, UnitRow};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::directory::{Directory, Unit};
use domain::training_report::{
    cumulative, date_of_day, day_of, show_percent, visible_units, Counts, Viewer,
};
use store::attempts::{self, Assignment};
use store::training_reports as reports;
use store::users::Role;
use store::StoreError;

use super::labels::{course_title, date};
use crate::error::AppError;
use crate::page::{value, view, Page, PageError};
use crate::state::AppState;

/// Most overdue people listed on the page (the count says how many there are).
const OVERDUE_SHOWN: i64 = 500;

/// The units the caller may see reports of (never empty). Anonymous → sign in; someone who
/// may see none → the audited 404, or the 404 page for a training administrator of no unit.
async fn report_units(state: &AppState, page: &Page) -> Result<Vec<Unit>, PageError> {
    let dir = store::units::load_directory(&state.db).await?;
    let viewer = match page.caller.user() {
        Some(u) if u.must_change_password => None,
        Some(u) if u.has(Role::Admin) => Some(Viewer::SystemAdmin),
        Some(u) if u.has(Role::TrainingAdmin) => u.unit_code.as_deref().map(Viewer::TrainingAdmin),
        _ => None,
    };
    let units = viewer.map(|v| visible_units(&dir, v)).unwrap_or_default();
    if units.is_empty() {
        page.role(Role::TrainingAdmin)?;
        return Err(PageError::NotFound);
    }
    Ok(units)
}

fn unit_name(u: &Unit) -> Bi {
    Bi::new(&u.name_zh, &u.name_en)
}

/// What the query selects among the visible units.
struct Selection {
    all: Vec<Unit>,
    units: Vec<Unit>,
    region: String,
    unit: String,
}

fn selection(all: Vec<Unit>, query: &[(String, String)]) -> Selection {
    let param = |k: &str| value(query, k).trim().to_string();
    let (region, unit) = (param("region"), param("unit"));
    let units: Vec<Unit> = if all.iter().any(|u| u.code == unit) {
        all.iter().filter(|u| u.code == unit).cloned().collect()
    } else if all.iter().any(|u| u.region == region) {
        all.iter().filter(|u| u.region == region).cloned().collect()
    } else {
        all.clone()
    };
    Selection {
        region: if units.len() < all.len() && units.iter().all(|u| u.region == region) {
            region
        } else {
            String::new()
        },
        unit: if units.len() == 1 && units[0].code == unit {
            unit
        } else {
            String::new()
        },
        all,
        units,
    }
}

fn codes(units: &[Unit]) -> Vec<String> {
    units.iter().map(|u| u.code.clone()).collect()
}

/// The figures per (unit, course) and their sums per unit and per course.
struct Figures {
    cells: BTreeMap<(String, String), Counts>,
}

impl Figures {
    fn unit(&self, code: &str) -> Counts {
        self.cells
            .iter()
            .filter(|((u, _), _)| u == code)
            .map(|(_, c)| *c)
            .sum()
    }

    fn course(&self, id: &str) -> Counts {
        self.cells
            .iter()
            .filter(|((_, c), _)| c == id)
            .map(|(_, c)| *c)
            .sum()
    }

    fn total(&self) -> Counts {
        self.cells.values().copied().sum()
    }
}

async fn figures(state: &AppState, units: &[Unit], now: i64) -> Result<Figures, StoreError> {
    Ok(Figures {
        cells: reports::counts(&state.db, &state.courses, &codes(units), now).await?,
    })
}

/// Per-unit rows with a subtotal after each region when the units span several regions.
fn unit_rows(units: &[Unit], f: &Figures) -> Vec<UnitRow> {
    let regions: Vec<&str> = {
        let mut r: Vec<&str> = units.iter().map(|u| u.region.as_str()).collect();
        r.dedup();
        r
    };
    let mut rows = Vec::new();
    for region in &regions {
        let mine: Vec<&Unit> = units.iter().filter(|u| u.region == *region).collect();
        for u in &mine {
            rows.push(UnitRow {
                code: u.code.clone(),
                name: unit_name(u),
                counts: f.unit(&u.code),
                subtotal: false,
            });
        }
        if regions.len() > 1 {
            let name = domain::directory::region(region)
                .map(|r| {
                    Bi::new(
                        format!("{}小计", r.name_zh),
                        format!("{} subtotal", r.name_en),
                    )
                })
                .unwrap_or_else(|| Bi::new(*region, *region));
            rows.push(UnitRow {
                code: format!("region:{region}"),
                name,
                counts: mine.iter().map(|u| f.unit(&u.code)).sum(),
                subtotal: true,
            });
        }
    }
    rows
}

async fn chart(
    state: &AppState,
    units: &[Unit],
    course: &str,
    assignment: Option<&Assignment>,
    f: &Figures,
    now: i64,
) -> Result<Chart, StoreError> {
    let today = day_of(now);
    let title = course_title(state, course);
    let (title, per_day, target, start) = match assignment {
        Some(a) => {
            let (people, per_day) =
                reports::assignment_completions_per_day(&state.db, a.id).await?;
            let title = course_title(state, &a.course_id);
            let due = date(a.due_at);
            (
                Bi::new(
                    format!("{} · 截止 {due}", title.zh),
                    format!("{} · due {due}", title.en),
                ),
                per_day,
                Some(people),
                Some(day_of(a.created_at)),
            )
        }
        None => {
            let per_day = reports::completions_per_day(&state.db, &codes(units), course).await?;
            let assigned = f.course(course).assigned;
            (title, per_day, (assigned > 0).then_some(assigned), None)
        }
    };
    let first = per_day.first().map(|p| p.0);
    let from = match (start, first) {
        (Some(s), Some(f)) => s.min(f),
        (Some(s), None) => s,
        (None, Some(f)) => f,
        (None, None) => today,
    }
    .min(today);
    let series = cumulative(&per_day, from, today);
    Ok(Chart {
        title,
        weekly: series.weekly,
        points: series
            .points
            .into_iter()
            .map(|(d, n)| (date_of_day(d), n))
            .collect(),
        target,
    })
}

fn region_options(units: &[Unit]) -> Vec<(String, Bi)> {
    let mut out: Vec<(String, Bi)> = Vec::new();
    for u in units {
        if !out.iter().any(|(c, _)| *c == u.region) {
            let name = domain::directory::region(&u.region)
                .map(|r| Bi::new(r.name_zh, r.name_en))
                .unwrap_or_else(|| Bi::new(&u.region, &u.region));
            out.push((u.region.clone(), name));
        }
    }
    out
}

fn scope_text(s: &Selection) -> Bi {
    match s.units.as_slice() {
        [one] => unit_name(one),
        many if many.len() <= 6 => Bi::new(
            format!(
                "{} 个单位：{}",
                many.len(),
                many.iter()
                    .map(|u| u.name_zh.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "{} units: {}",
                many.len(),
                many.iter()
                    .map(|u| u.name_en.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        many => {
            let regions = region_options(many);
            Bi::new(
                format!(
                    "{} 个单位，分布于{}",
                    many.len(),
                    regions
                        .iter()
                        .map(|(_, r)| r.zh.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "{} units in {}",
                    many.len(),
                    regions
                        .iter()
                        .map(|(_, r)| r.en.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
    }
}

/// `GET /training-admin/reports`.
pub async fn page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let all = report_units(&state, &page).await?;
    let report = build(&state, &page, all).await?;
    Ok(view(TrainingView::Reports(report)).into_response())
}

async fn build(state: &AppState, page: &Page, all: Vec<Unit>) -> Result<ReportView, StoreError> {
    let query = &page.query();
    let now = store::now_ms();
    let sel = selection(all, query);
    let param = |k: &str| value(query, k).trim().to_string();
    let f = figures(state, &sel.units, now).await?;
    // Assignments can be charted when one unit is selected.
    let assignments = match sel.units.as_slice() {
        [one] => attempts::unit_assignments(&state.db, &one.code).await?,
        _ => Vec::new(),
    };
    let assignment = param("assignment")
        .parse::<i64>()
        .ok()
        .and_then(|id| assignments.iter().find(|a| a.id == id));
    let catalogue = &state.courses.courses;
    let course = {
        let asked = param("course");
        if catalogue.iter().any(|lc| lc.course.id == asked) {
            asked
        } else {
            catalogue
                .iter()
                .map(|lc| &lc.course.id)
                .find(|id| f.course(id).assigned > 0)
                .or(catalogue.first().map(|lc| &lc.course.id))
                .cloned()
                .unwrap_or_default()
        }
    };
    let chart = chart(state, &sel.units, &course, assignment, &f, now).await?;
    let (overdue, overdue_total) =
        reports::overdue_people(&state.db, &codes(&sel.units), now, OVERDUE_SHOWN).await?;
    let unit_of = |code: &str| {
        sel.all
            .iter()
            .find(|u| u.code == code)
            .map(unit_name)
            .unwrap_or_else(|| Bi::new(code, code))
    };
    store::audit::record(
        &state.db,
        &page.caller.actor(),
        store::audit::Event {
            action: "training.report_viewed",
            object_type: Some("training_report"),
            object_id: None,
            detail: Some(format!("units={}", codes(&sel.units).join(","))),
        },
    )
    .await?;
    let mut csv_query = Vec::new();
    if !sel.region.is_empty() {
        csv_query.push(("region", sel.region.clone()));
    }
    if !sel.unit.is_empty() {
        csv_query.push(("unit", sel.unit.clone()));
    }
    let csv_href = match serde_urlencoded::to_string(&csv_query) {
        Ok(q) if !q.is_empty() => format!("/training-admin/reports.csv?{q}"),
        _ => "/training-admin/reports.csv".into(),
    };
    Ok(ReportView {
        scope: scope_text(&sel),
        regions: region_options(&sel.all),
        units: sel
            .all
            .iter()
            .map(|u| (u.code.clone(), unit_name(u)))
            .collect(),
        courses: catalogue
            .iter()
            .map(|lc| (lc.course.id.clone(), course_title(state, &lc.course.id)))
            .collect(),
        course,
        assignments: assignments
            .iter()
            .map(|a| {
                let t = course_title(state, &a.course_id);
                let due = date(a.due_at);
                (
                    a.id.to_string(),
                    Bi::new(
                        format!("#{} {} · 截止 {due}", a.id, t.zh),
                        format!("#{} {} · due {due}", a.id, t.en),
                    ),
                )
            })
            .collect(),
        assignment: assignment.map(|a| a.id.to_string()).unwrap_or_default(),
        by_unit: if sel.units.len() > 1 {
            unit_rows(&sel.units, &f)
        } else {
            Vec::new()
        },
        total: f.total(),
        by_course: catalogue
            .iter()
            .map(|lc| {
                let id = &lc.course.id;
                (id.clone(), course_title(state, id), f.course(id))
            })
            .collect(),
        overdue: overdue
            .into_iter()
            .map(|o| OverdueRow {
                unit: unit_of(&o.unit_code),
                name: o.display_name,
                login: o.login,
                course: course_title(state, &o.course_id),
                due: date(o.due_at),
            })
            .collect(),
        overdue_total,
        chart,
        region: sel.region,
        unit: sel.unit,
        csv_href,
    })
}

/// `GET /training-admin/reports.csv`: one row per unit and course with figures, then one per
/// unit and a total; UTF-8 with BOM so Excel reads the Chinese text.
pub async fn csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let all = report_units(&state, &page).await?;
    let sel = selection(all, &page.query());
    let f = figures(&state, &sel.units, store::now_ms()).await?;
    let mut sheet = crate::csv_sheet::Sheet::default();
    sheet.row([
        "单位代码",
        "单位",
        "课程",
        "应完成人数",
        "已完成",
        "已逾期",
        "完成率",
        "测验次数",
        "通过次数",
        "通过率",
        "持有效证书",
    ]);
    let mut row = |code: &str, unit: &str, course: &str, c: &Counts| {
        sheet.row([
            code,
            unit,
            course,
            &c.assigned.to_string(),
            &c.completed.to_string(),
            &c.overdue.to_string(),
            &show_percent(c.completion_rate()),
            &c.attempts.to_string(),
            &c.passed.to_string(),
            &show_percent(c.pass_rate()),
            &c.holders.to_string(),
        ]);
    };
    for u in &sel.units {
        for lc in &state.courses.courses {
            let c = &lc.course;
            if let Some(counts) = f.cells.get(&(u.code.clone(), c.id.clone())) {
                row(&u.code, &u.name_zh, &c.title_zh, counts);
            }
        }
        row(&u.code, &u.name_zh, "全部课程", &f.unit(&u.code));
    }
    row("", "合计", "全部课程", &f.total());
    Ok(sheet.into_response("training-figures.csv"))
}

/// The training figures of the Article 9 dashboard, as its JSON export carries them: those of
/// the units the caller may see (the joint office: the home district's units).
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
#[schema(as = TrainingFigures)]
pub struct DashboardTrainingJson {
    /// The units counted (see `domain::training_report::dashboard_units`).
    pub units: Vec<String>,
    pub total: Counts,
    /// Share of submitted attempts passed, in percent (`null` without attempts).
    pub pass_rate: Option<u64>,
    pub by_unit: BTreeMap<String, Counts>,
}

/// Training figures for the Article 9 dashboard of a lead handler of `unit` (the joint office:
/// every unit of the home district), for the page and for the exports.
pub async fn dashboard_training(
    state: &AppState,
    dir: &Directory,
    unit: &str,
    joint_office: bool,
) -> Result<
    (
        app::pages::training_reports::DashboardTraining,
        DashboardTrainingJson,
    ),
    AppError,
> {
    let units = domain::training_report::dashboard_units(dir, unit, joint_office);
    let f = figures(state, &units, store::now_ms()).await?;
    let by_unit: BTreeMap<String, Counts> = units
        .iter()
        .map(|u| (u.code.clone(), f.unit(&u.code)))
        .collect();
    let rows = units
        .iter()
        .filter_map(|u| {
            let c = by_unit.get(&u.code).copied()?;
            (c != Counts::default()).then(|| (u.code.clone(), unit_name(u), c))
        })
        .collect();
    let total = f.total();
    Ok((
        app::pages::training_reports::DashboardTraining { total, rows },
        DashboardTrainingJson {
            units: codes(&units),
            total,
            pass_rate: total.pass_rate(),
            by_unit,
        },
    ))
}
