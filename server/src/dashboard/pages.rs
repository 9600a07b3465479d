//! The Article 9 dashboard page (`/leads/dashboard`) and its CSV export (UTF-8 with BOM, opens
//! in Excel).

use app::pages::dashboard::DashboardView;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use store::sessions::Caller;

use super::service::load;
use crate::error::AppError;
use crate::page::{view, Page, PageError};
use crate::state::AppState;

/// A failure of the service, for a page: storage failures are logged and hidden.
fn internal(e: AppError) -> PageError {
    match e {
        AppError::Store(e) => PageError::Internal(e),
        _ => PageError::NotFound,
    }
}

/// `GET /leads/dashboard`.
pub async fn page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.user()?;
    let lang = page.lang;
    let Some(d) = load(&state, &page.caller).await.map_err(internal)? else {
        return Err(PageError::NotFound);
    };
    let (f, dir, unit, jo) = (d.figures, d.dir, d.unit, d.joint_office);
    let name = |c: &str| {
        dir.get(c)
            .map(|u| lang.pick(&u.name_zh, &u.name_en).to_string())
            .unwrap_or_else(|| c.to_string())
    };
    let training = d.training.0;
    let status = |s: &str| app::pages::leads::status_label(lang, s);
    let ex = d.exchanges;
    let (plan_year, plan_counts) = d.plans;
    let plans = dir
        .units()
        .iter()
        .filter(|u| u.kind.is_association())
        .map(|u| {
            let c = plan_counts.iter().find(|c| c.association == u.code);
            app::pages::series::PlanSummaryRow {
                association: lang.pick(&u.name_zh, &u.name_en).to_string(),
                href: format!("/exchanges/plan?association={}&year={plan_year}", u.code),
                planned: c.map_or(0, |c| c.planned),
                held: c.map_or(0, |c| c.held),
            }
        })
        .collect();
    let dashboard = DashboardView {
        scope: if jo {
            lang.pick("全部线索（联合办公室）", "all leads (joint office)")
                .to_string()
        } else {
            format!(
                "{}{}",
                name(&unit),
                lang.pick("可查看的线索", ": the leads it may see")
            )
        },
        total: f.total,
        overdue: f.overdue_cases,
        conflicts: f.routing_conflicts,
        median_ack: f
            .median_hours_to_acknowledge
            .map(|h| format!("{h:.1} {}", lang.pick("小时", "hours")))
            .unwrap_or_else(|| "—".into()),
        median_feedback: f
            .median_days_to_feedback
            .map(|d| format!("{d:.1} {}", lang.pick("天", "days")))
            .unwrap_or_else(|| "—".into()),
        by_status: f.by_status.iter().map(|(k, v)| (status(k), *v)).collect(),
        by_rule: f.by_rule.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        by_discoverer: f.by_discoverer.iter().map(|(k, v)| (name(k), *v)).collect(),
        by_month: f.by_month.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        deadlines_note: lang
            .pick(
                "逾期按本地工作时限计算（非《暂行规定》内容）。",
                "Overdue is measured against local deadlines (policy, not part of the regulation).",
            )
            .into(),
        training,
        plans,
        plan_year,
        exchanges: vec![
            (
                lang.pick("已发布、待举办", "Published, upcoming")
                    .to_string(),
                ex.upcoming as usize,
            ),
            (lang.pick("已举办", "Held").to_string(), ex.held as usize),
            (
                lang.pick("出席人次", "Attendances").to_string(),
                ex.attendances as usize,
            ),
            (
                lang.pick("已取消", "Cancelled").to_string(),
                ex.cancelled as usize,
            ),
        ],
    };
    Ok(view(dashboard).into_response())
}

/// `GET /leads/dashboard.csv`: one row per figure, UTF-8 with a BOM so Excel reads Chinese.
pub async fn csv(State(state): State<AppState>, Extension(caller): Extension<Caller>) -> Response {
    if caller.user().is_none() {
        return AppError::sign_in_first().into_response();
    }
    let d = match load(&state, &caller).await {
        Ok(Some(d)) => d,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(e) => return e.into_response(),
    };
    let (f, dir, training) = (d.figures, d.dir, d.training.1);
    let mut rows: Vec<(String, String, String)> = vec![
        ("total".into(), String::new(), f.total.to_string()),
        (
            "overdue_cases".into(),
            String::new(),
            f.overdue_cases.to_string(),
        ),
        (
            "routing_conflicts".into(),
            String::new(),
            f.routing_conflicts.to_string(),
        ),
    ];
    rows.push((
        "median_hours_to_acknowledge".into(),
        String::new(),
        f.median_hours_to_acknowledge
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default(),
    ));
    rows.push((
        "median_days_to_feedback".into(),
        String::new(),
        f.median_days_to_feedback
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default(),
    ));
    for (k, v) in &f.by_status {
        rows.push(("status".into(), k.clone(), v.to_string()));
    }
    for (k, v) in &f.by_rule {
        rows.push(("rule".into(), k.clone(), v.to_string()));
    }
    for (k, v) in &f.by_discoverer {
        let label = dir
            .get(k)
            .map(|u| format!("{k} {}", u.name_zh))
            .unwrap_or_else(|| k.clone());
        rows.push(("discoverer".into(), label, v.to_string()));
    }
    for (k, v) in &f.by_month {
        rows.push(("month".into(), k.clone(), v.to_string()));
    }
    let t = &training.total;
    for (name, v) in [
        ("training_valid_certificates", t.holders),
        ("training_attempts", t.attempts),
        ("training_passed", t.passed),
        ("training_assigned", t.assigned),
        ("training_completed", t.completed),
        ("training_overdue", t.overdue),
    ] {
        rows.push((name.into(), String::new(), v.to_string()));
    }
    rows.push((
        "training_pass_rate".into(),
        String::new(),
        domain::training_report::show_percent(training.pass_rate),
    ));
    for (code, c) in training
        .by_unit
        .iter()
        .filter(|(_, c)| c.holders + c.attempts + c.overdue > 0)
    {
        let label = dir
            .get(code)
            .map(|u| format!("{code} {}", u.name_zh))
            .unwrap_or_else(|| code.clone());
        rows.push((
            "training_unit_valid_certificates".into(),
            label.clone(),
            c.holders.to_string(),
        ));
        rows.push(("training_unit_overdue".into(), label, c.overdue.to_string()));
    }
    let mut sheet = crate::csv_sheet::Sheet::default();
    sheet.row(["figure", "key", "value"]);
    for (a, b, c) in &rows {
        sheet.row([a, b, c]);
    }
    sheet.into_response("dashboard.csv")
}
