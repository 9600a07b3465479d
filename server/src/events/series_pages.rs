//! The HTML adapter of event series and yearly plans (issue 19): `/events/series/new` (the
//! event form plus the rule), `/events/series/{id}` (occurrences with their flags; publish,
//! cancel, register for all upcoming), `/exchanges/plan` and `/exchanges/plan.csv` (each
//! association's yearly plan, planned against held).

use std::collections::BTreeMap;

use app::i18n::Lang;
use app::pages::events::EventsView;
use app::pages::series::{
    OccurrenceRow, PlanRow, PlanSummaryRow, PlanView, RuleFormValues, SeriesDetail,
};
use app::refusals::Localize;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::directory::{Directory, UnitKind};
use domain::events::EventStatus;
use domain::series::{Frequency, Rule, SeriesEnd};
use store::events::{self, EventRecord, SeriesRecord};

use super::form::{fields_of, form_view, host_of, typed};
use super::labels::{flag_label, hosts_text, status_label, unit_name};
use super::series::{self as service, Outcomes, RuleFields, SeriesFields};
use super::service::{directory, EventError};
use crate::error::AppError;
use crate::page::{redirect, value, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use crate::time::when;

fn rule_fields(pairs: &[(String, String)]) -> RuleFields {
    let until = value(pairs, "until");
    RuleFields {
        frequency: value(pairs, "frequency"),
        interval: value(pairs, "interval").trim().parse().ok(),
        count: value(pairs, "count").trim().parse().ok(),
        until: (!until.trim().is_empty()).then_some(until),
    }
}

fn rule_typed(pairs: &[(String, String)]) -> RuleFormValues {
    RuleFormValues {
        frequency: value(pairs, "frequency"),
        interval: value(pairs, "interval"),
        count: value(pairs, "count"),
        until: value(pairs, "until"),
    }
}

/// How a rule reads.
fn rule_text(lang: Lang, rule: &Rule) -> String {
    let n = rule.interval;
    let every = match (rule.frequency, lang) {
        (Frequency::Weekly, Lang::Zh) => format!("每 {n} 周一次"),
        (Frequency::Weekly, Lang::En) => format!("every {n} week(s)"),
        (Frequency::MonthlyByDate, Lang::Zh) => format!("每 {n} 个月一次（同一日期）"),
        (Frequency::MonthlyByDate, Lang::En) => format!("every {n} month(s), same date"),
        (Frequency::MonthlyByWeekday, Lang::Zh) => format!("每 {n} 个月一次（同一星期几）"),
        (Frequency::MonthlyByWeekday, Lang::En) => format!("every {n} month(s), same weekday"),
        (Frequency::Quarterly, Lang::Zh) => format!("每 {n} 个季度一次"),
        (Frequency::Quarterly, Lang::En) => format!("every {n} quarter(s)"),
    };
    let end = match (rule.end, lang) {
        (SeriesEnd::Count(c), Lang::Zh) => format!("共 {c} 次"),
        (SeriesEnd::Count(c), Lang::En) => format!("{c} times"),
        (SeriesEnd::Until(d), Lang::Zh) => format!("至 {d}"),
        (SeriesEnd::Until(d), Lang::En) => format!("until {d}"),
    };
    format!("{every}{}{end}", lang.pick("，", ", "))
}

/// `GET /events/series/new`.
pub async fn new_form(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let host = host_of(&page, &dir)?;
    let values = app::pages::events::EventFormValues {
        kind: "symposium".into(),
        capacity: "30".into(),
        open_to: vec![host.clone()],
        ..Default::default()
    };
    let mut form = form_view(
        &state,
        &dir,
        page.lang,
        &host,
        None,
        values,
        app::forms::FormErrors::default(),
    )
    .await?;
    form.series = Some(RuleFormValues {
        frequency: "quarterly".into(),
        interval: "1".into(),
        count: "4".into(),
        until: String::new(),
    });
    Ok(view(EventsView::Form(Box::new(form))).into_response())
}

/// `POST /events/series/new`: creates the series and shows it with each occurrence's flags.
pub async fn create(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let host = host_of(&page, &dir)?;
    let fields = SeriesFields {
        event: fields_of(&pairs),
        rule: rule_fields(&pairs),
    };
    let message = match service::create(&state, &page.caller, &dir, &fields).await {
        Ok((id, _)) => return Ok(redirect(&format!("/events/series/{id}?status=created"))),
        Err(EventError::Refused(r)) => {
            app::forms::FormErrors::one(app::pages::events::event_field(&r), r.text(page.lang))
        }
        Err(EventError::NotFound) => return Err(PageError::Denied),
        Err(EventError::Store(e)) => return Err(e.into()),
    };
    let mut form = form_view(&state, &dir, page.lang, &host, None, typed(&pairs), message).await?;
    form.series = Some(rule_typed(&pairs));
    Err(PageError::Invalid(
        view(EventsView::Form(Box::new(form))).status(StatusCode::UNPROCESSABLE_ENTITY),
    ))
}

fn series_message(lang: Lang, code: &str) -> Option<String> {
    Some(
        match code {
            "created" => lang.pick(
                "系列已保存为草稿。请查看各次活动的合规提示后发布。",
                "The series is saved as drafts. Check each occurrence's compliance hints, then publish.",
            ),
            "published" => lang.pick("系列已发布。", "The series is published."),
            "cancelled" => lang.pick(
                "以后各次活动已取消，已通知报名人员。",
                "All upcoming occurrences are cancelled and their registrants told.",
            ),
            "registered" => lang.pick("已报名以后各次活动。", "You are registered for all upcoming occurrences."),
            _ => return None,
        }
        .to_string(),
    )
}

fn detail_of(
    dir: &Directory,
    lang: Lang,
    view_: &service::SeriesView,
    signed_in: bool,
    message: Option<String>,
    error: Option<String>,
) -> SeriesDetail {
    let s = &view_.series;
    let now = store::now_ms();
    let occurrences = &view_.occurrences;
    SeriesDetail {
        id: s.id,
        title: s.title.clone(),
        kind: lang.pick(s.kind.label_zh(), s.kind.label_en()).to_string(),
        hosts: occurrences
            .first()
            .map(|ev| hosts_text(dir, lang, ev))
            .unwrap_or_else(|| unit_name(dir, lang, &s.host_unit)),
        venue: s.venue.clone(),
        rule: rule_text(lang, &s.rule),
        occurrences: occurrences
            .iter()
            .map(|ev| OccurrenceRow {
                id: ev.id,
                when: when(ev.starts_at, ev.ends_at),
                status: status_label(lang, ev.status),
                flags: if view_.manager {
                    ev.flags.iter().map(|f| flag_label(lang, *f)).collect()
                } else {
                    Vec::new()
                },
                needs_approval: view_.manager
                    && ev.status == EventStatus::Draft
                    && ev.approval.is_none()
                    && ev.flags.iter().any(|f| f.needs_approval()),
            })
            .collect(),
        manager: view_.manager,
        can_publish: occurrences.iter().any(service::publishable),
        can_cancel: occurrences.iter().any(|e| service::cancellable(e, now)),
        can_register_all: signed_in
            && occurrences
                .iter()
                .any(|e| service::open_for_registration(e, now)),
        message,
        error,
    }
}

/// `GET /events/series/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let found = match service::find_visible(&state, &page.caller, &dir, id).await {
        Ok(v) => v,
        Err(EventError::Store(e)) => return Err(e.into()),
        Err(_) => return Err(PageError::NotFound),
    };
    let message = series_message(page.lang, &page.query_value("status"));
    let d = detail_of(
        &dir,
        page.lang,
        &found,
        page.caller.user().is_some(),
        message,
        None,
    );
    Ok(view(EventsView::Series(Box::new(d))).into_response())
}

/// The refusals of a whole-series command, one line per occurrence.
fn refusals_text(lang: Lang, outcomes: &Outcomes, by_id: &BTreeMap<i64, &EventRecord>) -> String {
    outcomes
        .iter()
        .filter_map(|(id, r)| {
            let why = r.as_ref().err()?.text(lang);
            let at = by_id
                .get(id)
                .map(|ev| when(ev.starts_at, ev.ends_at))
                .unwrap_or_default();
            Some(format!("{at}: {why}"))
        })
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// `POST /events/series/{id}/action`: `publish`, `cancel` (with `reason`) or `register_all`.
pub async fn action(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    page.user()?;
    let dir = directory(&state).await?;
    let (outcomes, code) = match value(&pairs, "action").as_str() {
        "publish" => (
            service::publish(&state, &page.caller, &dir, id).await,
            "published",
        ),
        "cancel" => {
            let reason = value(&pairs, "reason");
            (
                service::cancel(&state, &page.caller, &dir, id, &reason).await,
                "cancelled",
            )
        }
        "register_all" => (
            service::register_all(&state, &page.caller, &dir, id).await,
            "registered",
        ),
        _ => {
            return Ok(AppError::bad_request(
                crate::api::codes::INVALID_REQUEST,
                "未知操作 / unknown action",
            )
            .into_response())
        }
    };
    let outcomes = match outcomes {
        Ok(o) => o,
        Err(EventError::Store(e)) => return Err(e.into()),
        Err(_) => return Err(PageError::Denied),
    };
    if outcomes.iter().all(|(_, r)| r.is_ok()) {
        return Ok(redirect(&format!("/events/series/{id}?status={code}")));
    }
    // Some occurrences were refused: the page again, saying which and why.
    let found = service::find_visible(&state, &page.caller, &dir, id)
        .await
        .map_err(|_| PageError::NotFound)?;
    let by_id: BTreeMap<i64, &EventRecord> = found.occurrences.iter().map(|e| (e.id, e)).collect();
    let error = refusals_text(page.lang, &outcomes, &by_id);
    let done = outcomes.iter().any(|(_, r)| r.is_ok());
    let message = done.then(|| series_message(page.lang, code)).flatten();
    let d = detail_of(&dir, page.lang, &found, true, message, Some(error));
    Ok(view(EventsView::Series(Box::new(d)))
        .status(StatusCode::CONFLICT)
        .at(format!("/events/series/{id}"))
        .into_response())
}

/// The association and year of a plan request (this year by default).
fn plan_filter(page: &Page, dir: &Directory) -> (Option<String>, i32) {
    let association = Some(page.query_value("association"))
        .filter(|a| dir.get(a).is_some_and(|u| u.kind.is_association()));
    let this_year = domain::events::local_date(store::now_ms()).year;
    let year = page
        .query_value("year")
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(this_year);
    (association, year)
}

/// Planned, held and cancelled of `events`.
fn tally(events: &[&EventRecord]) -> (i64, i64, i64) {
    let held = events
        .iter()
        .filter(|e| matches!(e.status, EventStatus::Held | EventStatus::Closed))
        .count();
    let cancelled = events
        .iter()
        .filter(|e| e.status == EventStatus::Cancelled)
        .count();
    (events.len() as i64, held as i64, cancelled as i64)
}

/// An association's plan for a year: one row per series, then one per one-off event.
async fn plan_rows(
    state: &AppState,
    lang: Lang,
    association: &str,
    year: i32,
) -> Result<(Vec<PlanRow>, Vec<EventRecord>), PageError> {
    let planned = events::plan_events(&state.db, association, year).await?;
    let mut by_series: BTreeMap<i64, Vec<&EventRecord>> = BTreeMap::new();
    for ev in &planned {
        if let Some(s) = ev.series_id {
            by_series.entry(s).or_default().push(ev);
        }
    }
    let ids: Vec<i64> = by_series.keys().copied().collect();
    let series: BTreeMap<i64, SeriesRecord> = events::find_series_many(&state.db, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut rows = Vec::new();
    for (id, evs) in &by_series {
        let (planned_n, held, cancelled) = tally(evs);
        let (title, rule) = match series.get(id) {
            Some(s) => (s.title.clone(), rule_text(lang, &s.rule)),
            None => (String::new(), String::new()),
        };
        rows.push(PlanRow {
            title,
            href: format!("/events/series/{id}"),
            rule,
            planned: planned_n,
            held,
            cancelled,
        });
    }
    for ev in planned.iter().filter(|e| e.series_id.is_none()) {
        let (planned_n, held, cancelled) = tally(&[ev]);
        rows.push(PlanRow {
            title: ev.title.clone(),
            href: format!("/events/{}", ev.id),
            rule: lang.pick("单次", "one-off").to_string(),
            planned: planned_n,
            held,
            cancelled,
        });
    }
    Ok((rows, planned))
}

/// Per association, planned and held in `year` (for the register, the dashboard and the plan
/// index).
pub async fn plan_summary(
    state: &AppState,
    dir: &Directory,
    lang: Lang,
    year: i32,
) -> Result<Vec<PlanSummaryRow>, store::StoreError> {
    let counts = events::plan_counts(&state.db, year).await?;
    Ok(dir
        .units()
        .iter()
        .filter(|u| u.kind.is_association())
        .map(|u| {
            let c = counts.iter().find(|c| c.association == u.code);
            PlanSummaryRow {
                association: lang.pick(&u.name_zh, &u.name_en).to_string(),
                href: format!("/exchanges/plan?association={}&year={year}", u.code),
                planned: c.map_or(0, |c| c.planned),
                held: c.map_or(0, |c| c.held),
            }
        })
        .collect())
}

/// `GET /exchanges/plan`: an association's yearly plan, or every association's figures.
pub async fn plan(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let lang = page.lang;
    let dir = directory(&state).await?;
    let (association, year) = plan_filter(&page, &dir);
    let this_year = domain::events::local_date(store::now_ms()).year;
    let mut plan = PlanView {
        associations: dir
            .units()
            .iter()
            .filter(|u| u.kind.is_association())
            .map(|u| {
                (
                    u.code.clone(),
                    lang.pick(&u.name_zh, &u.name_en).to_string(),
                )
            })
            .collect(),
        years: (2021..=this_year + 1).rev().collect(),
        year,
        summary: plan_summary(&state, &dir, lang, year).await?,
        ..Default::default()
    };
    plan.csv_href = match &association {
        Some(a) => format!("/exchanges/plan.csv?association={a}&year={year}"),
        None => format!("/exchanges/plan.csv?year={year}"),
    };
    if let Some(a) = association {
        let (rows, planned) = plan_rows(&state, lang, &a, year).await?;
        let all: Vec<&EventRecord> = planned.iter().collect();
        (plan.planned, plan.held, _) = tally(&all);
        let ids: Vec<i64> = planned.iter().map(|e| e.id).collect();
        plan.attendance = events::attendance_by_kind(&state.db, &ids)
            .await?
            .into_iter()
            .map(|(k, n)| {
                let label = UnitKind::parse(&k)
                    .map(|u| lang.pick(u.label_zh(), u.label_en()).to_string())
                    .unwrap_or_else(|| lang.pick("其他", "Other").to_string());
                (label, n)
            })
            .collect();
        plan.association_name = unit_name(&dir, lang, &a);
        plan.association = a;
        plan.rows = rows;
    }
    Ok(view(EventsView::Plan(Box::new(plan))).into_response())
}

/// `GET /exchanges/plan.csv`: the plan (or every association's figures), UTF-8 with BOM.
pub async fn plan_csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let (association, year) = plan_filter(&page, &dir);
    let mut sheet = crate::csv_sheet::Sheet::default();
    match association {
        Some(a) => {
            let (rows, _) = plan_rows(&state, Lang::Zh, &a, year).await?;
            let name = unit_name(&dir, Lang::Zh, &a);
            sheet.row([
                "协会",
                "年份",
                "交流活动",
                "重复",
                "计划",
                "已举办",
                "已取消",
            ]);
            for r in rows {
                sheet.row([
                    name.clone(),
                    year.to_string(),
                    r.title,
                    r.rule,
                    r.planned.to_string(),
                    r.held.to_string(),
                    r.cancelled.to_string(),
                ]);
            }
        }
        None => {
            sheet.row(["协会", "年份", "计划", "已举办"]);
            for r in plan_summary(&state, &dir, Lang::Zh, year).await? {
                sheet.row([
                    r.association,
                    year.to_string(),
                    r.planned.to_string(),
                    r.held.to_string(),
                ]);
            }
        }
    }
    Ok(sheet.into_response(&format!("exchange-plan-{year}.csv")))
}
