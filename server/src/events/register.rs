//! The public register of held exchanges (`/exchanges`, and `/exchanges.csv` for Excel):
//! what was discussed, by whom and with how many people of each kind of unit, no names.

use app::i18n::Lang;
use app::pages::events::{EventsView, RegisterRow, RegisterView};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, TimeZone};
use domain::directory::{Directory, UnitKind};
use store::events;

use super::labels::hosts_text;
use super::service::directory;
use crate::page::{view, Page, PageError};
use crate::state::AppState;
use crate::time::{beijing, format_beijing};

struct RegisterFilter {
    association: Option<String>,
    year: Option<i32>,
}

fn register_filter(page: &Page, dir: &Directory) -> RegisterFilter {
    RegisterFilter {
        association: Some(page.query_value("association"))
            .filter(|a| dir.get(a).is_some_and(|u| u.kind.is_association())),
        year: page
            .query_value("year")
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y)),
    }
}

fn participants_text(
    dir: &Directory,
    lang: Lang,
    counts: &std::collections::BTreeMap<String, i64>,
) -> String {
    let _ = dir;
    if counts.is_empty() {
        return lang.pick("未登记", "not recorded").to_string();
    }
    let total: i64 = counts.values().sum();
    let parts = counts
        .iter()
        .map(|(k, n)| {
            let label = UnitKind::parse(k)
                .map(|u| lang.pick(u.label_zh(), u.label_en()).to_string())
                .unwrap_or_else(|| lang.pick("其他", "Other").to_string());
            format!("{label} {n}")
        })
        .collect::<Vec<_>>()
        .join(lang.pick("，", ", "));
    match lang {
        Lang::Zh => format!("共 {total} 人（{parts}）"),
        Lang::En => format!("{total} in all ({parts})"),
    }
}

fn topics(agenda: &str) -> String {
    let plain: String = agenda
        .lines()
        .map(|l| l.trim_start_matches(['#', '-', '*', ' ', '>']).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    let mut out: String = plain.chars().take(120).collect();
    if plain.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// `GET /exchanges`: the public register of held exchanges.
pub async fn register(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let lang = page.lang;
    let dir = directory(&state).await?;
    let filter = register_filter(&page, &dir);
    let entries =
        events::public_register(&state.db, filter.association.as_deref(), filter.year).await?;
    let this_year = beijing()
        .timestamp_millis_opt(store::now_ms())
        .single()
        .map(|t| t.year())
        .unwrap_or(2026);
    let mut csv_href = "/exchanges.csv".to_string();
    let mut q = Vec::new();
    if let Some(a) = &filter.association {
        q.push(format!("association={a}"));
    }
    if let Some(y) = filter.year {
        q.push(format!("year={y}"));
    }
    if !q.is_empty() {
        csv_href = format!("{csv_href}?{}", q.join("&"));
    }
    let register = RegisterView {
        rows: entries
            .iter()
            .map(|x| RegisterRow {
                date: format_beijing(x.event.starts_at)
                    .get(..10)
                    .unwrap_or("")
                    .to_string(),
                title: x.event.title.clone(),
                kind: lang
                    .pick(x.event.kind.label_zh(), x.event.kind.label_en())
                    .to_string(),
                hosts: hosts_text(&dir, lang, &x.event),
                venue: x.event.venue.clone(),
                topics: topics(&x.event.agenda),
                participants: participants_text(&dir, lang, &x.participants),
                summary: x.event.summary.clone().unwrap_or_default(),
            })
            .collect(),
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
        years: (2021..=this_year).rev().collect(),
        association: filter.association.clone().unwrap_or_default(),
        year: filter.year.map(|y| y.to_string()).unwrap_or_default(),
        csv_href,
        plan: super::series_pages::plan_summary(
            &state,
            &dir,
            lang,
            filter.year.unwrap_or(this_year),
        )
        .await?,
        plan_year: filter.year.unwrap_or(this_year),
    };
    Ok(view(EventsView::Register(Box::new(register))).into_response())
}

/// `GET /exchanges.csv`: the register, UTF-8 with BOM for Excel.
pub async fn register_csv(
    State(state): State<AppState>,
    page: Page,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let filter = register_filter(&page, &dir);
    let entries =
        events::public_register(&state.db, filter.association.as_deref(), filter.year).await?;
    let mut sheet = crate::csv_sheet::Sheet::default();
    let mut header_row = vec![
        "日期".to_string(),
        "活动名称".into(),
        "类型".into(),
        "主办".into(),
        "地点".into(),
        "议题".into(),
        "参加人数".into(),
    ];
    header_row.extend(
        UnitKind::ALL
            .iter()
            .map(|k| format!("其中{}", k.label_zh())),
    );
    header_row.push("纪要".into());
    sheet.row(&header_row);
    for x in &entries {
        let total: i64 = x.participants.values().sum();
        let mut row = vec![
            format_beijing(x.event.starts_at)
                .get(..10)
                .unwrap_or("")
                .to_string(),
            x.event.title.clone(),
            x.event.kind.label_zh().to_string(),
            hosts_text(&dir, Lang::Zh, &x.event),
            x.event.venue.clone(),
            topics(&x.event.agenda),
            total.to_string(),
        ];
        row.extend(UnitKind::ALL.iter().map(|k| {
            x.participants
                .get(k.as_str())
                .copied()
                .unwrap_or(0)
                .to_string()
        }));
        row.push(x.event.summary.clone().unwrap_or_default());
        sheet.row(&row);
    }
    Ok(sheet.into_response("exchange-register.csv"))
}
