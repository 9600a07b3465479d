//! The event pages: the list and month view (`/events`), one event with registration,
//! check-in and the host's panel (`/events/{id}`, actions post to `/events/{id}/action`), and
//! "my events" with the private calendar feed (`/events/mine`, `/events/feed`). Forms become
//! [`EventCommand`]s for the service; nothing here decides who may do what.

use app::i18n::Lang;
use app::pages::events::{
    CohostRow, DayCell, EventDetail, EventListView, EventsView, ManagePanel, MineView, MonthGrid,
    MyRegistration, RegistrantRow,
};
use app::refusals::Localize;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, TimeZone};
use domain::directory::Directory;
use domain::events::{self as rules, EventStatus};
use store::events::{self, EventRecord};
use store::sessions::Caller;
use store::StoreError;

use super::labels::{card, flag_label, registration_label, status_message, unit_name};
use super::service::{self, directory, find_visible, EventAccess, EventCommand, EventError};
use crate::error::AppError;
use crate::page::{redirect, value, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use crate::time::{beijing, format_beijing};

impl From<EventError> for PageError {
    fn from(e: EventError) -> Self {
        match e {
            EventError::NotFound | EventError::Refused(_) => PageError::NotFound,
            EventError::Store(e) => PageError::Internal(e),
        }
    }
}

/// `GET /events`: upcoming published events, or `?view=month&month=YYYY-MM`.
pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let lang = page.lang;
    let dir = directory(&state).await?;
    let access = EventAccess::of(&page.caller, &dir);
    let mine = match access.user {
        Some(u) => events::list_mine(&state.db, u.id).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let my_status = |id: i64| {
        mine.iter()
            .find(|(e, _)| e.id == id)
            .map(|(_, r)| r.status.clone())
    };
    let now = store::now_ms();
    let month = if page.query_value("view") == "month" {
        let today = beijing()
            .timestamp_millis_opt(now)
            .single()
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let (y, m) = page
            .query_value("month")
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
            .filter(|(y, m)| (2000..=2100).contains(y) && (1..=12).contains(m))
            .unwrap_or((today.year(), today.month()));
        Some(month_grid(&state, lang, y, m).await?)
    } else {
        None
    };
    let upcoming = events::list_public(&state.db, now, false).await?;
    let list = EventListView {
        events: upcoming
            .iter()
            .map(|e| card(&dir, lang, e, my_status(e.id).as_deref()))
            .collect(),
        month,
        can_create: access.coordinator_of.is_some(),
        signed_in: access.user.is_some(),
    };
    Ok(view(EventsView::List(Box::new(list))).into_response())
}

async fn month_grid(state: &AppState, lang: Lang, y: i32, m: u32) -> Result<MonthGrid, PageError> {
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or(PageError::NotFound)?;
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let next_first = NaiveDate::from_ymd_opt(ny, nm, 1).ok_or(PageError::NotFound)?;
    let to_ms = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|n| n.and_utc().timestamp_millis() - rules::BEIJING_OFFSET_MS)
            .unwrap_or(0)
    };
    let evs = events::list_in_range(&state.db, to_ms(first), to_ms(next_first)).await?;
    let days = (next_first - first).num_days() as u32;
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<Option<DayCell>> = vec![None; lead];
    for d in 1..=days {
        let start = to_ms(first) + i64::from(d - 1) * 86_400_000;
        let end = start + 86_400_000;
        let list = evs
            .iter()
            .filter(|e| e.starts_at < end && e.ends_at > start)
            .map(|e| {
                let t = format_beijing(e.starts_at);
                let hm = t.split(' ').nth(1).unwrap_or("").get(..5).unwrap_or("");
                let title = if e.status == EventStatus::Cancelled {
                    format!("{}{}", lang.pick("［已取消］", "[cancelled] "), e.title)
                } else {
                    e.title.clone()
                };
                (e.id, title, hm.to_string())
            })
            .collect();
        cells.push(Some(DayCell {
            day: d,
            events: list,
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    Ok(MonthGrid {
        label: match lang {
            Lang::Zh => format!("{y}年{m}月"),
            Lang::En => first.format("%B %Y").to_string(),
        },
        prev: format!("/events?view=month&month={py}-{pm:02}"),
        next: format!("/events?view=month&month={ny}-{nm:02}"),
        weeks: cells.chunks(7).map(|c| c.to_vec()).collect(),
    })
}

async fn detail_view(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    lang: Lang,
    ev: &EventRecord,
    message: Option<String>,
    error: Option<String>,
) -> Result<EventDetail, StoreError> {
    let access = EventAccess::of(caller, dir);
    let now = store::now_ms();
    let mine = match access.user {
        Some(u) => events::registration(&state.db, ev.id, u.id).await?,
        None => None,
    };
    let active_mine = mine.as_ref().filter(|r| r.status != "cancelled");
    let register_blocked = match access.user {
        Some(u) => rules::may_register(
            ev.status,
            now,
            ev.registration_deadline,
            ev.starts_at,
            &ev.open_to,
            u.unit_code.as_deref(),
        )
        .err()
        .map(|r| r.text(lang)),
        None => None,
    };
    let manage = if access.manages(ev) {
        let regs = events::registrants(&state.db, ev.id).await?;
        let open = matches!(ev.status, EventStatus::Draft | EventStatus::Published);
        Some(ManagePanel {
            checkin_code: ev.checkin_code.clone(),
            declarations: regs.iter().filter(|r| r.has_case).count(),
            registrants: regs
                .iter()
                .map(|r| RegistrantRow {
                    user_id: r.user_id,
                    name: r.display_name.clone(),
                    unit: r
                        .unit
                        .as_deref()
                        .map(|u| unit_name(dir, lang, u))
                        .unwrap_or_default(),
                    status: registration_label(lang, &r.status),
                    registered: r.status == "registered",
                    declaration: if r.has_case {
                        format!(
                            "{}{}",
                            lang.pick("存在案件关系", "Has a case relationship"),
                            r.case_note
                                .as_deref()
                                .filter(|n| !n.is_empty())
                                .map(|n| format!("：{n}"))
                                .unwrap_or_default()
                        )
                    } else {
                        lang.pick("无", "None").to_string()
                    },
                    attended: r.attended,
                })
                .collect(),
            cohosts: ev
                .cohosts
                .iter()
                .map(|c| CohostRow {
                    unit: c.unit.clone(),
                    name: unit_name(dir, lang, &c.unit),
                    status: match c.status.as_str() {
                        "accepted" => lang.pick("已接受", "Accepted"),
                        "declined" => lang.pick("已谢绝", "Declined"),
                        _ => lang.pick("待答复", "Awaiting an answer"),
                    }
                    .to_string(),
                    pending: c.status == "pending" && open,
                })
                .collect(),
            can_edit: open,
            can_publish: ev.status == EventStatus::Draft,
            needs_approval: open
                && ev.approval.is_none()
                && ev.flags.iter().any(|f| f.needs_approval()),
            can_cancel: ev.status.can_become(EventStatus::Cancelled),
            can_mark_held: ev.status == EventStatus::Published && now >= ev.starts_at,
            can_summarise: ev.status == EventStatus::Held,
            can_mark_attendance: matches!(ev.status, EventStatus::Published | EventStatus::Held)
                && now >= ev.starts_at - events::CHECKIN_WINDOW_MS,
            summary: ev.summary.clone().unwrap_or_default(),
        })
    } else {
        None
    };
    let invitation_for = access.cohost_unit(ev).filter(|u| {
        ev.cohosts
            .iter()
            .any(|c| c.unit == *u && c.status == "pending")
            && matches!(ev.status, EventStatus::Draft | EventStatus::Published)
    });
    Ok(EventDetail {
        card: card(dir, lang, ev, active_mine.map(|r| r.status.as_str())),
        series: ev.series_id,
        agenda_html: corpus::library::user_markdown_html(&ev.agenda),
        open_to: ev.open_to.iter().map(|c| unit_name(dir, lang, c)).collect(),
        cancel_reason: ev.cancel_reason.clone(),
        summary: ev.summary.clone().filter(|s| !s.is_empty()),
        flags: if manage.is_some() {
            ev.flags.iter().map(|f| flag_label(lang, *f)).collect()
        } else {
            Vec::new()
        },
        approval: ev
            .approval
            .as_ref()
            .filter(|_| manage.is_some())
            .map(|a| format!("{} · {} · {}", a.by, a.reference, a.date)),
        deadline: format_beijing(ev.registration_deadline)
            .get(..16)
            .unwrap_or("")
            .to_string(),
        signed_in: access.user.is_some(),
        register_blocked,
        mine: active_mine.map(|r| MyRegistration {
            status: registration_label(lang, &r.status),
            registered: r.status == "registered",
            waitlisted: r.status == "waitlisted",
            attended: r.attended,
        }),
        checkin_open: matches!(ev.status, EventStatus::Published | EventStatus::Held)
            && now >= ev.starts_at - events::CHECKIN_WINDOW_MS
            && now <= ev.ends_at + events::CHECKIN_WINDOW_MS,
        manage,
        invitation_for: invitation_for.map(String::from),
        message,
        error,
    })
}

/// `GET /events/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &page.caller, &dir, id).await?;
    let message = status_message(page.lang, &page.query_value("status"));
    let v = detail_view(&state, &page.caller, &dir, page.lang, &ev, message, None).await?;
    Ok(view(EventsView::Detail(Box::new(v))).into_response())
}

/// The command an action form asks for; `None` for an unknown action.
fn command_of(pairs: &[(String, String)]) -> Option<EventCommand> {
    let v = |k: &str| value(pairs, k);
    Some(match v("action").as_str() {
        "register" => EventCommand::Register {
            has_case: matches!(v("has_case").as_str(), "1" | "true"),
            note: v("case_note"),
        },
        "unregister" => EventCommand::Unregister,
        "checkin" => EventCommand::CheckIn { code: v("code") },
        "accept" => EventCommand::AnswerInvitation { accept: true },
        "decline" => EventCommand::AnswerInvitation { accept: false },
        "publish" => EventCommand::Publish,
        "approval" => EventCommand::RecordApproval {
            by: v("approved_by"),
            reference: v("reference"),
            date: v("approved_on"),
        },
        "cancel" => EventCommand::Cancel {
            reason: v("reason"),
        },
        "held" => EventCommand::MarkHeld,
        "summary" | "close" => EventCommand::Summarise {
            summary: v("summary"),
            close: v("action") == "close",
        },
        "remind" => EventCommand::Remind { unit: v("unit") },
        "attendance" => EventCommand::MarkAttendance {
            user: v("user").parse().ok(),
            attended: v("attended") == "1",
        },
        _ => return None,
    })
}

/// `POST /events/{id}/action`: runs the command and goes back to the event; a refusal shows
/// the event again with the reason (409); someone who may not act gets the audited 404.
pub async fn action(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    page.user()?;
    let dir = directory(&state).await?;
    let ev = find_visible(&state, &page.caller, &dir, id).await?;
    let Some(command) = command_of(&pairs) else {
        return Ok(AppError::bad_request(
            crate::api::codes::INVALID_REQUEST,
            "未知操作 / unknown action",
        )
        .into_response());
    };
    match service::run(&state, &page.caller, &dir, &ev, command).await {
        Ok(done) => Ok(redirect(&format!("/events/{id}?status={}", done.code()))),
        Err(EventError::NotFound) => Err(PageError::Denied),
        Err(EventError::Refused(refusal)) => {
            // The page again with the reason, and the event as it now stands.
            let ev = events::find(&state.db, id)
                .await?
                .ok_or(PageError::NotFound)?;
            let text = refusal.text(page.lang);
            let v =
                detail_view(&state, &page.caller, &dir, page.lang, &ev, None, Some(text)).await?;
            Ok(view(EventsView::Detail(Box::new(v)))
                .status(StatusCode::CONFLICT)
                .at(format!("/events/{id}"))
                .into_response())
        }
        Err(EventError::Store(e)) => Err(e.into()),
    }
}

/// `GET /events/mine`.
pub async fn mine(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    mine_page(&state, &page, None).await
}

async fn mine_page(
    state: &AppState,
    page: &Page,
    new_feed_url: Option<String>,
) -> Result<Response, PageError> {
    let caller = &page.caller;
    let user = page.user()?;
    if user.must_change_password {
        return Err(PageError::SignIn);
    }
    let lang = page.lang;
    let build = async {
        let dir = directory(state).await?;
        let access = EventAccess::of(caller, &dir);
        let regs = events::list_mine(&state.db, user.id).await?;
        let (hosted, invitations) = match &access.coordinator_of {
            Some(unit) => (
                events::list_for_unit(&state.db, unit).await?,
                events::pending_invitations(&state.db, unit).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let attended = events::attended_events(&state.db, user.id).await?;
        // fold from +0.0: an empty float sum is -0.0, shown as "-0".
        let total = attended.iter().fold(0.0_f64, |t, a| t + a.3);
        let feed = events::feed_created_at(&state.db, user.id).await?;
        Ok::<_, StoreError>(MineView {
            registrations: regs
                .iter()
                .map(|(e, r)| card(&dir, lang, e, Some(&r.status)))
                .collect(),
            hosted: hosted.iter().map(|e| card(&dir, lang, e, None)).collect(),
            invitations: invitations
                .iter()
                .map(|e| card(&dir, lang, e, None))
                .collect(),
            is_coordinator: access.coordinator_of.is_some(),
            feed_since: feed.map(format_beijing),
            new_feed_url,
            hours: match lang {
                Lang::Zh => format!("已出席交流活动 {} 次，计 {total} 学时", attended.len()),
                Lang::En => format!("{} exchange events attended, {total} hours", attended.len()),
            },
            attended: attended
                .iter()
                .map(|(id, t, s, h)| {
                    (
                        *id,
                        t.clone(),
                        format_beijing(*s).get(..10).unwrap_or("").to_string(),
                        format!("{h} {}", lang.pick("学时", "h")),
                    )
                })
                .collect(),
        })
    };
    let mine = build.await?;
    Ok(view(EventsView::Mine(Box::new(mine)))
        .at("/events/mine")
        .into_response())
}

/// `POST /events/feed`: makes a new private feed address (shown once) or turns it off.
pub async fn feed(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let user = page.user()?;
    if user.must_change_password {
        return Err(PageError::SignIn);
    }
    if value(&pairs, "action") == "revoke" {
        events::revoke_feed(&state.db, &page.caller.actor(), user.id).await?;
        return Ok(redirect("/events/mine"));
    }
    let secret = events::create_feed(&state.db, &page.caller.actor(), user.id).await?;
    // At the configured public origin, never the request's `Host` (issue 25).
    let url = state
        .public_origin
        .webcal(&format!("/calendar/{}.ics", secret.0));
    mine_page(&state, &page, Some(url)).await
}
