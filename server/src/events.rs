//! Exchange event pages (Art. 12): `/events` (list and month view), `/events/new` and
//! `/events/{id}/edit` (coordinators of an association), `/events/{id}` (details, registration,
//! check-in and the host's panel; actions post to `/events/{id}/action`), `/events/mine`
//! (registrations, hosted events, invitations, exchange hours and the private calendar feed),
//! `/notifications`, the public register `/exchanges` (+ CSV), the calendars `/events.ics` and
//! `/calendar/{token}.ics`, and the venue list `/admin/venues`.
//!
//! Who may do what is decided here, once, for the pages and the JSON API alike
//! ([`EventAccess`]): a draft is seen only by its host's and invited co-hosts' coordinators (and
//! the administrator); everyone else gets the 404 page. Declarations and the check-in code are
//! for the host's coordinators only.

use app::i18n::Lang;
use app::pages::events::{
    CohostRow, DayCell, EventCard, EventDetail, EventFormValues, EventFormView, EventListView,
    EventsView, ManagePanel, MineView, MonthGrid, MyRegistration, NotificationRow, RegisterRow,
    RegisterView, RegistrantRow, VenuesView,
};
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use domain::directory::{Directory, UnitKind};
use domain::events::{self as rules, EventKind, EventStatus, Flag};
use store::events::{self, Approval, Declaration, EventInput, EventRecord, Refused, VenueChoice};
use store::sessions::Caller;
use store::users::{Role, User};

use crate::error::AppError;
use crate::pages::{not_found, query_pairs, redirect, render_with, request_lang, PageId};
use crate::state::AppState;
use crate::time::format_beijing;

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("utc"))
}

/// Parses a Beijing local time as typed in a form (`2026-12-01T09:00`) or an RFC 3339 time.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|n| beijing().from_local_datetime(&n).single())
        .map(|t| t.timestamp_millis())
}

/// A time as a form value (`2026-12-01T09:00`, Beijing).
fn form_time(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A time as RFC 3339 with `+08:00`, for the API.
pub fn rfc3339(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// `2026-12-01 09:00–11:00` (or both dates when the event spans days).
fn when(starts: i64, ends: i64) -> String {
    let a = format_beijing(starts);
    let b = format_beijing(ends);
    let (da, ta) = a.split_once(' ').unwrap_or((&a, ""));
    let (db, tb) = b.split_once(' ').unwrap_or((&b, ""));
    if da == db {
        format!("{da} {}–{}", &ta[..ta.len().min(5)], &tb[..tb.len().min(5)])
    } else {
        format!(
            "{da} {} – {db} {}",
            &ta[..ta.len().min(5)],
            &tb[..tb.len().min(5)]
        )
    }
}

fn unit_name(dir: &Directory, lang: Lang, code: &str) -> String {
    dir.get(code)
        .map(|u| lang.pick(&u.name_zh, &u.name_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn status_label(lang: Lang, s: EventStatus) -> String {
    lang.pick(s.label_zh(), s.label_en()).to_string()
}

fn registration_label(lang: Lang, s: &str) -> String {
    match s {
        "registered" => lang.pick("已报名", "Registered"),
        "waitlisted" => lang.pick("候补中", "On the waitlist"),
        "cancelled" => lang.pick("已取消报名", "Cancelled"),
        other => other,
    }
    .to_string()
}

fn flag_label(lang: Lang, f: Flag) -> String {
    lang.pick(f.label_zh(), f.label_en()).to_string()
}

/// Host and accepted co-hosts, as a published event lists them.
fn hosts_text(dir: &Directory, lang: Lang, ev: &EventRecord) -> String {
    std::iter::once(ev.host_unit.clone())
        .chain(ev.accepted_cohosts())
        .map(|c| unit_name(dir, lang, &c))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

fn card(dir: &Directory, lang: Lang, ev: &EventRecord, mine: Option<&str>) -> EventCard {
    let mut places = format!("{}/{}", ev.registered, ev.capacity);
    if ev.waitlisted > 0 {
        places.push_str(&format!(
            "{}{}",
            lang.pick("，候补 ", ", waitlist "),
            ev.waitlisted
        ));
    }
    EventCard {
        id: ev.id,
        title: ev.title.clone(),
        kind: lang
            .pick(ev.kind.label_zh(), ev.kind.label_en())
            .to_string(),
        status: status_label(lang, ev.status),
        status_code: ev.status.as_str().to_string(),
        when: when(ev.starts_at, ev.ends_at),
        venue: ev.venue.clone(),
        hosts: hosts_text(dir, lang, ev),
        places,
        mine: mine.map(|m| registration_label(lang, m)),
    }
}

async fn directory(state: &AppState) -> Result<Directory, AppError> {
    Ok(store::units::load_directory(&state.db).await?)
}

/// What the caller may do with events and with one event.
pub struct EventAccess<'a> {
    pub user: Option<&'a User>,
    /// The caller's association when the caller is one of its coordinators.
    pub coordinator_of: Option<String>,
}

impl<'a> EventAccess<'a> {
    pub fn of(caller: &'a Caller, dir: &Directory) -> EventAccess<'a> {
        let user = caller.user().filter(|u| !u.must_change_password);
        let coordinator_of = user
            .filter(|u| u.has(Role::Coordinator))
            .and_then(|u| u.unit_code.clone())
            .filter(|c| dir.get(c).is_some_and(|u| u.kind.is_association()));
        EventAccess {
            user,
            coordinator_of,
        }
    }

    fn admin(&self) -> bool {
        self.user.is_some_and(|u| u.has(Role::Admin))
    }

    /// Coordinators of the host unit (and the administrator) manage the event.
    pub fn manages(&self, ev: &EventRecord) -> bool {
        self.admin() || self.coordinator_of.as_deref() == Some(ev.host_unit.as_str())
    }

    /// The caller's association when it is invited to co-host `ev`.
    fn cohost_unit(&self, ev: &EventRecord) -> Option<&str> {
        let unit = self.coordinator_of.as_deref()?;
        ev.cohosts.iter().any(|c| c.unit == unit).then_some(unit)
    }

    /// Published (ever) events are public; drafts only for hosts and invited co-hosts.
    pub fn sees(&self, ev: &EventRecord) -> bool {
        ev.published_at.is_some() || self.manages(ev) || self.cohost_unit(ev).is_some()
    }
}

fn refused(e: Refused) -> AppError {
    match e {
        Refused::NotFound => AppError::NotFound,
        Refused::Rule(m) => AppError::Conflict(m),
        Refused::Store(e) => AppError::Store(e),
    }
}

/// The free-text checks every text field gets.
fn clean_text(s: &str, max: usize, what_zh: &str, what_en: &str) -> Result<String, String> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(format!(
            "{what_zh}最多 {max} 字 / {what_en}: at most {max} characters"
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!(
            "{what_zh}含有控制字符 / {what_en}: contains control characters"
        ));
    }
    Ok(t.to_string())
}

/// Raw event fields, from a form or the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct EventFields {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub agenda: String,
    /// A listed venue's id (form) …
    #[serde(default)]
    pub venue_id: Option<i64>,
    /// … or its name or another place.
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub registration_deadline: String,
    #[serde(default)]
    pub open_to: Vec<String>,
    #[serde(default)]
    pub cohosts: Vec<String>,
}

/// Validates event fields for `host`; the error is for the coordinator, in zh and en.
pub fn check_fields(
    f: &EventFields,
    host: &str,
    dir: &Directory,
    now: i64,
    creating: bool,
) -> Result<EventInput, String> {
    let title = clean_text(&f.title, 100, "活动名称", "title")?;
    if title.is_empty() {
        return Err("请填写活动名称 / enter a title".into());
    }
    let kind = EventKind::parse(f.kind.trim())
        .ok_or("请选择活动类型（symposium、seminar、joint_training、other）/ choose a kind (symposium, seminar, joint_training, other)")?;
    let agenda = clean_text(&f.agenda, 5000, "议程", "agenda")?;
    let venue_text = clean_text(&f.venue, 200, "地点", "venue")?;
    let venue = match f.venue_id {
        Some(id) => VenueChoice::Listed(id),
        None if !venue_text.is_empty() => VenueChoice::Other(venue_text),
        None => return Err("请选择或填写地点 / choose or enter a venue".into()),
    };
    let starts_at = parse_time(&f.starts_at)
        .ok_or("开始时间格式不正确 / the start time is not a valid time")?;
    let ends_at =
        parse_time(&f.ends_at).ok_or("结束时间格式不正确 / the end time is not a valid time")?;
    let deadline = parse_time(&f.registration_deadline)
        .ok_or("报名截止时间格式不正确 / the registration deadline is not a valid time")?;
    if ends_at <= starts_at {
        return Err("结束时间须晚于开始时间 / the event must end after it starts".into());
    }
    if ends_at - starts_at > 7 * 24 * 3_600_000 {
        return Err("活动不能超过 7 天 / an event cannot last more than 7 days".into());
    }
    if creating && starts_at <= now {
        return Err("开始时间须在将来 / the start time must be in the future".into());
    }
    if deadline > starts_at {
        return Err(
            "报名截止时间不能晚于开始时间 / registration must close before the event starts".into(),
        );
    }
    let capacity = f
        .capacity
        .filter(|c| (1..=10_000).contains(c))
        .ok_or("名额须为 1 至 10000 / places must be between 1 and 10000")?;
    let mut open_to: Vec<String> = f.open_to.iter().map(|s| s.trim().to_string()).collect();
    open_to.sort();
    open_to.dedup();
    if open_to.is_empty() {
        return Err("请至少选择一个可报名单位 / choose at least one unit that may register".into());
    }
    if let Some(bad) = open_to.iter().find(|c| dir.get(c).is_none()) {
        return Err(format!("未知单位代码 / unknown unit code: {bad}"));
    }
    let mut cohosts: Vec<String> = f.cohosts.iter().map(|s| s.trim().to_string()).collect();
    cohosts.sort();
    cohosts.dedup();
    for c in &cohosts {
        match dir.get(c) {
            Some(u) if u.kind.is_association() && c != host => {}
            _ => {
                return Err(format!(
                    "共同主办方须为其他协会 / a co-host must be another association: {c}"
                ))
            }
        }
    }
    Ok(EventInput {
        title,
        kind,
        agenda,
        venue,
        starts_at,
        ends_at,
        capacity,
        registration_deadline: deadline,
        open_to,
        cohosts,
    })
}

/// Anonymous callers go to sign in.
fn sign_in(req: &Request) -> Response {
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/events".into());
    redirect(&format!(
        "/login?next={}",
        app::layout::encode_component(&next)
    ))
}

async fn read_pairs(req: Request) -> (Request, Vec<(String, String)>) {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .unwrap_or_default();
    let pairs = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    (Request::from_parts(parts, axum::body::Body::empty()), pairs)
}

fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn fields_from_pairs(pairs: &[(String, String)]) -> EventFields {
    let all = |k: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    EventFields {
        title: field(pairs, "title"),
        kind: field(pairs, "kind"),
        agenda: field(pairs, "agenda"),
        venue_id: field(pairs, "venue").parse().ok(),
        venue: field(pairs, "venue_other"),
        starts_at: field(pairs, "starts_at"),
        ends_at: field(pairs, "ends_at"),
        capacity: field(pairs, "capacity").trim().parse().ok(),
        registration_deadline: field(pairs, "deadline"),
        open_to: all("open_to"),
        cohosts: all("cohost"),
    }
}

fn values_from_pairs(pairs: &[(String, String)]) -> EventFormValues {
    let f = fields_from_pairs(pairs);
    EventFormValues {
        title: f.title,
        kind: f.kind,
        agenda: f.agenda,
        venue_id: field(pairs, "venue"),
        venue_other: f.venue,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        capacity: field(pairs, "capacity"),
        deadline: f.registration_deadline,
        open_to: f.open_to,
        cohosts: f.cohosts,
    }
}

async fn form_view(
    state: &AppState,
    dir: &Directory,
    lang: Lang,
    host: &str,
    id: Option<i64>,
    values: EventFormValues,
    error: Option<String>,
) -> Result<EventFormView, AppError> {
    let venues = events::list_venues(&state.db)
        .await?
        .into_iter()
        .filter(|v| v.active)
        .map(|v| (v.id, v.name))
        .collect();
    let units = dir
        .units()
        .iter()
        .filter(|u| u.kind != UnitKind::LawFirm || u.region == "dz")
        .map(|u| {
            (
                u.code.clone(),
                lang.pick(&u.name_zh, &u.name_en).to_string(),
            )
        })
        .collect();
    let associations = dir
        .units()
        .iter()
        .filter(|u| u.kind.is_association() && u.code != host)
        .map(|u| {
            (
                u.code.clone(),
                lang.pick(&u.name_zh, &u.name_en).to_string(),
            )
        })
        .collect();
    let kinds = EventKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                lang.pick(k.label_zh(), k.label_en()).to_string(),
            )
        })
        .collect();
    Ok(EventFormView {
        id,
        values,
        venues,
        units,
        associations,
        kinds,
        error,
    })
}

/// The event form again, with what was typed and why it was refused (422).
async fn form_again(
    state: &AppState,
    req: Request,
    dir: &Directory,
    host: &str,
    id: Option<i64>,
    pairs: &[(String, String)],
    error: String,
) -> Response {
    let lang = request_lang(&req);
    match form_view(
        state,
        dir,
        lang,
        host,
        id,
        values_from_pairs(pairs),
        Some(error),
    )
    .await
    {
        Ok(v) => {
            let mut res = render_with(state, req, EventsView::Form(Box::new(v))).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => e.into_response(),
    }
}

/// The coordinator gate for the create and edit pages: anonymous → sign in; others → 404.
async fn coordinator_gate(
    state: &AppState,
    caller: &Caller,
    req: Request,
) -> Result<(Directory, String, Request), Response> {
    let dir = directory(state)
        .await
        .map_err(IntoResponse::into_response)?;
    if caller.user().is_none() {
        return Err(sign_in(&req));
    }
    match EventAccess::of(caller, &dir).coordinator_of {
        Some(unit) => Ok((dir, unit, req)),
        None => Err(deny(state, caller, req).await),
    }
}

/// The audited 404 for a signed-in caller without the right.
async fn deny(state: &AppState, caller: &Caller, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if let Err(e) = store::audit::record(
        &state.db,
        &caller.actor(),
        store::audit::Event {
            action: "authz.denied",
            object_type: Some("page"),
            object_id: Some(path),
            detail: None,
        },
    )
    .await
    {
        return AppError::from(e).into_response();
    }
    not_found(state, req).await
}

/// `GET /events`: upcoming published events, or `?view=month&month=YYYY-MM`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let lang = request_lang(&req);
    let q = query_pairs(&req);
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let access = EventAccess::of(&caller, &dir);
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
    let month = if field(&q, "view") == "month" {
        let today = beijing()
            .timestamp_millis_opt(now)
            .single()
            .map(|t| t.date_naive())
            .unwrap_or_default();
        let (y, m) = field(&q, "month")
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
            .filter(|(y, m)| (2000..=2100).contains(y) && (1..=12).contains(m))
            .unwrap_or((today.year(), today.month()));
        match month_grid(&state, lang, y, m).await {
            Ok(g) => Some(g),
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    let upcoming = match events::list_public(&state.db, now, false).await {
        Ok(v) => v,
        Err(e) => return AppError::from(e).into_response(),
    };
    let view = EventListView {
        events: upcoming
            .iter()
            .map(|e| card(&dir, lang, e, my_status(e.id).as_deref()))
            .collect(),
        month,
        can_create: access.coordinator_of.is_some(),
        signed_in: access.user.is_some(),
    };
    render_with(&state, req, EventsView::List(Box::new(view))).await
}

async fn month_grid(state: &AppState, lang: Lang, y: i32, m: u32) -> Result<MonthGrid, AppError> {
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or(AppError::NotFound)?;
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let next_first = NaiveDate::from_ymd_opt(ny, nm, 1).ok_or(AppError::NotFound)?;
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

/// `GET /events/new`.
pub async fn new_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (dir, host, req) = match coordinator_gate(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = request_lang(&req);
    let values = EventFormValues {
        kind: "symposium".into(),
        capacity: "30".into(),
        open_to: vec![host.clone()],
        ..Default::default()
    };
    match form_view(&state, &dir, lang, &host, None, values, None).await {
        Ok(v) => render_with(&state, req, EventsView::Form(Box::new(v))).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /events/new`: creates a draft and shows it with its flags.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    let (dir, host, req) = match coordinator_gate(&state, &caller, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let user_id = caller.user().map(|u| u.id).unwrap_or_default();
    let fields = fields_from_pairs(&pairs);
    let result = match check_fields(&fields, &host, &dir, store::now_ms(), true) {
        Ok(input) => events::create_event(
            &state.db,
            &caller.actor(),
            &host,
            user_id,
            &input,
            &state.config.working_hours,
        )
        .await
        .map_err(refused),
        Err(m) => Err(AppError::Unprocessable(m)),
    };
    match result {
        Ok((id, _)) => redirect(&format!("/events/{id}?status=created")),
        Err(AppError::Unprocessable(m) | AppError::Conflict(m)) => {
            form_again(&state, req, &dir, &host, None, &pairs, m).await
        }
        Err(e) => e.into_response(),
    }
}

async fn load_managed(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: Request,
) -> Result<(Directory, EventRecord, Request), Response> {
    let dir = directory(state)
        .await
        .map_err(IntoResponse::into_response)?;
    if caller.user().is_none() {
        return Err(sign_in(&req));
    }
    let ev = match events::find(&state.db, id).await {
        Ok(Some(ev)) => ev,
        Ok(None) => return Err(not_found(state, req).await),
        Err(e) => return Err(AppError::from(e).into_response()),
    };
    if !EventAccess::of(caller, &dir).manages(&ev) {
        return Err(deny(state, caller, req).await);
    }
    Ok((dir, ev, req))
}

fn values_of(ev: &EventRecord) -> EventFormValues {
    EventFormValues {
        title: ev.title.clone(),
        kind: ev.kind.as_str().to_string(),
        agenda: ev.agenda.clone(),
        venue_id: if ev.venue_id.is_some() {
            ev.venue_id.map(|v| v.to_string()).unwrap_or_default()
        } else {
            String::new()
        },
        venue_other: if ev.venue_id.is_none() {
            ev.venue.clone()
        } else {
            String::new()
        },
        starts_at: form_time(ev.starts_at),
        ends_at: form_time(ev.ends_at),
        capacity: ev.capacity.to_string(),
        deadline: form_time(ev.registration_deadline),
        open_to: ev.open_to.clone(),
        cohosts: ev.cohosts.iter().map(|c| c.unit.clone()).collect(),
    }
}

/// `GET /events/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageId(id): PageId,
    req: Request,
) -> Response {
    let (dir, ev, req) = match load_managed(&state, &caller, id, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = request_lang(&req);
    match form_view(
        &state,
        &dir,
        lang,
        &ev.host_unit,
        Some(id),
        values_of(&ev),
        None,
    )
    .await
    {
        Ok(v) => render_with(&state, req, EventsView::Form(Box::new(v))).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /events/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageId(id): PageId,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    let (dir, ev, req) = match load_managed(&state, &caller, id, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let fields = fields_from_pairs(&pairs);
    let result = match check_fields(&fields, &ev.host_unit, &dir, store::now_ms(), false) {
        Ok(input) => events::update_event(
            &state.db,
            &caller.actor(),
            id,
            &input,
            &state.config.working_hours,
        )
        .await
        .map_err(refused),
        Err(m) => Err(AppError::Unprocessable(m)),
    };
    match result {
        Ok(_) => redirect(&format!("/events/{id}?status=saved")),
        Err(AppError::Unprocessable(m) | AppError::Conflict(m)) => {
            form_again(&state, req, &dir, &ev.host_unit, Some(id), &pairs, m).await
        }
        Err(e) => e.into_response(),
    }
}

fn status_message(lang: Lang, code: &str) -> Option<String> {
    Some(
        match code {
            "created" => lang.pick("活动草稿已保存。", "The draft is saved."),
            "saved" => lang.pick("修改已保存。", "Your changes are saved."),
            "published" => lang.pick("活动已发布。", "The event is published."),
            "approval" => lang.pick("审批记录已保存。", "The approval is recorded."),
            "registered" => lang.pick("报名成功。", "You are registered."),
            "waitlisted" => lang.pick(
                "名额已满，您已进入候补名单；有名额空出时将按顺序递补并通知您。",
                "The event is full: you are on the waitlist and will be told if a place frees up.",
            ),
            "unregistered" => lang.pick("已取消报名。", "Your registration is cancelled."),
            "checked_in" => lang.pick("签到成功。", "You are checked in."),
            "cancelled" => lang.pick(
                "活动已取消，已通知报名人员。",
                "The event is cancelled and everyone registered has been told.",
            ),
            "held" => lang.pick("活动已标记为已举办。", "The event is marked as held."),
            "summary" => lang.pick("纪要已保存。", "The summary is saved."),
            "closed" => lang.pick(
                "活动已归档，已进入公开登记。",
                "The event is closed and in the public register.",
            ),
            "accepted" => lang.pick("已接受邀请。", "Invitation accepted."),
            "declined" => lang.pick("已谢绝邀请。", "Invitation declined."),
            "reminded" => lang.pick("已发送提醒。", "Reminder sent."),
            "attendance" => lang.pick("出席情况已更新。", "Attendance updated."),
            _ => return None,
        }
        .to_string(),
    )
}

async fn detail_view(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    lang: Lang,
    ev: &EventRecord,
    message: Option<String>,
    error: Option<String>,
) -> Result<EventDetail, AppError> {
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
        .map(|r| {
            let m = r.message();
            match lang {
                Lang::Zh => m.split(" / ").next().unwrap_or(m).to_string(),
                Lang::En => m.split(" / ").nth(1).unwrap_or(m).to_string(),
            }
        }),
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
        agenda_html: store::library::markdown_html(&ev.agenda),
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
    Extension(caller): Extension<Caller>,
    PageId(id): PageId,
    req: Request,
) -> Response {
    let lang = request_lang(&req);
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let ev = match events::find(&state.db, id).await {
        Ok(Some(ev)) if EventAccess::of(&caller, &dir).sees(&ev) => ev,
        Ok(_) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    let message = status_message(lang, &field(&query_pairs(&req), "status"));
    match detail_view(&state, &caller, &dir, lang, &ev, message, None).await {
        Ok(v) => render_with(&state, req, EventsView::Detail(Box::new(v))).await,
        Err(e) => e.into_response(),
    }
}

/// One action on an event, by the caller; the status code for the page on success.
pub async fn run_action(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    ev: &EventRecord,
    action: &str,
    pairs: &[(String, String)],
) -> Result<&'static str, AppError> {
    let access = EventAccess::of(caller, dir);
    let user = access.user.ok_or(AppError::NotFound)?;
    let actor = caller.actor();
    let now = store::now_ms();
    let manages = access.manages(ev);
    let db = &state.db;
    let not_manager = || AppError::NotFound;
    match action {
        "register" => {
            let note = clean_text(&field(pairs, "case_note"), 500, "说明", "note")
                .map_err(AppError::Unprocessable)?;
            let declaration = Declaration {
                has_case: field(pairs, "has_case") == "1" || field(pairs, "has_case") == "true",
                note: (!note.is_empty()).then_some(note),
            };
            let placed = events::register(
                db,
                &actor,
                ev.id,
                user.id,
                user.unit_code.as_deref(),
                &declaration,
                now,
            )
            .await
            .map_err(refused)?;
            Ok(match placed {
                rules::Placement::Registered => "registered",
                rules::Placement::Waitlisted => "waitlisted",
            })
        }
        "unregister" => {
            events::cancel_registration(db, &actor, ev.id, user.id)
                .await
                .map_err(refused)?;
            Ok("unregistered")
        }
        "checkin" => {
            events::check_in(db, &actor, ev.id, user.id, &field(pairs, "code"), now)
                .await
                .map_err(refused)?;
            Ok("checked_in")
        }
        "accept" | "decline" => {
            let unit = access.cohost_unit(ev).ok_or(AppError::NotFound)?;
            events::answer_invitation(db, &actor, ev.id, unit, user.id, action == "accept")
                .await
                .map_err(refused)?;
            Ok(if action == "accept" {
                "accepted"
            } else {
                "declined"
            })
        }
        "publish" if manages => {
            events::publish(db, &actor, ev.id, &state.config.working_hours, now)
                .await
                .map_err(refused)?;
            Ok("published")
        }
        "approval" if manages => {
            let by = clean_text(&field(pairs, "approved_by"), 100, "审批人", "approved by")
                .map_err(AppError::Unprocessable)?;
            let reference = clean_text(&field(pairs, "reference"), 100, "文号", "reference")
                .map_err(AppError::Unprocessable)?;
            let date = field(pairs, "approved_on");
            if by.is_empty() || reference.is_empty() {
                return Err(AppError::Unprocessable(
                    "请填写审批人和文号 / enter who approved it and the reference".into(),
                ));
            }
            let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| {
                    AppError::Unprocessable(
                        "审批日期格式应为 年-月-日 / the approval date must be yyyy-mm-dd".into(),
                    )
                })?
                .to_string();
            events::record_approval(
                db,
                &actor,
                ev.id,
                &Approval {
                    by,
                    reference,
                    date,
                },
            )
            .await
            .map_err(refused)?;
            Ok("approval")
        }
        "cancel" if manages => {
            let reason = clean_text(&field(pairs, "reason"), 300, "取消原因", "reason")
                .map_err(AppError::Unprocessable)?;
            if reason.is_empty() {
                return Err(AppError::Unprocessable(
                    "请填写取消原因 / enter the reason for cancelling".into(),
                ));
            }
            events::cancel_event(db, &actor, ev.id, &reason)
                .await
                .map_err(refused)?;
            Ok("cancelled")
        }
        "held" if manages => {
            events::mark_held(db, &actor, ev.id, now)
                .await
                .map_err(refused)?;
            Ok("held")
        }
        "summary" | "close" if manages => {
            let summary = clean_text(&field(pairs, "summary"), 2000, "纪要", "summary")
                .map_err(AppError::Unprocessable)?;
            if summary.is_empty() {
                return Err(AppError::Unprocessable(
                    "请填写纪要 / enter the summary".into(),
                ));
            }
            events::save_summary(db, &actor, ev.id, &summary, action == "close")
                .await
                .map_err(refused)?;
            Ok(if action == "close" {
                "closed"
            } else {
                "summary"
            })
        }
        "remind" if manages => {
            events::remind_invitation(db, &actor, ev.id, field(pairs, "unit").trim())
                .await
                .map_err(refused)?;
            Ok("reminded")
        }
        "attendance" if manages => {
            let user_id: i64 = field(pairs, "user")
                .parse()
                .map_err(|_| AppError::Unprocessable("请选择人员 / choose a person".into()))?;
            events::mark_attendance(db, &actor, ev.id, user_id, field(pairs, "attended") == "1")
                .await
                .map_err(refused)?;
            Ok("attendance")
        }
        "publish" | "approval" | "cancel" | "held" | "summary" | "close" | "remind"
        | "attendance" => Err(not_manager()),
        _ => Err(AppError::BadRequest("未知操作 / unknown action".into())),
    }
}

/// `POST /events/{id}/action`.
pub async fn action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageId(id): PageId,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    if caller.user().is_none() {
        return sign_in(&req);
    }
    let lang = request_lang(&req);
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let ev = match events::find(&state.db, id).await {
        Ok(Some(ev)) if EventAccess::of(&caller, &dir).sees(&ev) => ev,
        Ok(_) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    match run_action(&state, &caller, &dir, &ev, &field(&pairs, "action"), &pairs).await {
        Ok(code) => redirect(&format!("/events/{id}?status={code}")),
        Err(AppError::NotFound) => deny(&state, &caller, req).await,
        Err(AppError::Conflict(m) | AppError::Unprocessable(m) | AppError::BadRequest(m)) => {
            // Show the page again with the reason; the event as it now stands.
            let ev = match events::find(&state.db, id).await {
                Ok(Some(ev)) => ev,
                Ok(None) => return not_found(&state, req).await,
                Err(e) => return AppError::from(e).into_response(),
            };
            let text = match lang {
                Lang::Zh => m.split(" / ").next().unwrap_or(&m).to_string(),
                Lang::En => m.split(" / ").nth(1).unwrap_or(&m).to_string(),
            };
            match detail_view(&state, &caller, &dir, lang, &ev, None, Some(text)).await {
                Ok(v) => {
                    let (mut parts, _) = req.into_parts();
                    parts.method = axum::http::Method::GET;
                    let req = Request::from_parts(parts, axum::body::Body::empty());
                    let mut res = render_with(&state, req, EventsView::Detail(Box::new(v))).await;
                    *res.status_mut() = StatusCode::CONFLICT;
                    res
                }
                Err(e) => e.into_response(),
            }
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /events/mine`.
pub async fn mine(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    mine_page(state, caller, req, None).await
}

async fn mine_page(
    state: AppState,
    caller: Caller,
    req: Request,
    new_feed_url: Option<String>,
) -> Response {
    let Some(user) = caller.user().filter(|u| !u.must_change_password) else {
        return sign_in(&req);
    };
    let lang = request_lang(&req);
    let build = async {
        let dir = directory(&state).await?;
        let access = EventAccess::of(&caller, &dir);
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
        Ok::<_, AppError>(MineView {
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
    match build.await {
        Ok(v) => {
            let (mut parts, _) = req.into_parts();
            parts.uri = axum::http::Uri::from_static("/events/mine");
            parts.method = axum::http::Method::GET;
            render_with(
                &state,
                Request::from_parts(parts, axum::body::Body::empty()),
                EventsView::Mine(Box::new(v)),
            )
            .await
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /events/feed`: makes a new private feed address (shown once) or turns it off.
pub async fn feed(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    let Some(user) = caller.user().filter(|u| !u.must_change_password) else {
        return sign_in(&req);
    };
    if field(&pairs, "action") == "revoke" {
        return match events::revoke_feed(&state.db, &caller.actor(), user.id).await {
            Ok(_) => redirect("/events/mine"),
            Err(e) => AppError::from(e).into_response(),
        };
    }
    let secret = match events::create_feed(&state.db, &caller.actor(), user.id).await {
        Ok(s) => s,
        Err(e) => return AppError::from(e).into_response(),
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost")
        .to_string();
    let url = format!("webcal://{host}/calendar/{}.ics", secret.0);
    mine_page(state, caller, req, Some(url)).await
}

/// `GET /notifications`: the latest notifications (reading them does not mark them read).
pub async fn notifications(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    let lang = request_lang(&req);
    match events::list_notifications(&state.db, user.id, 100).await {
        Ok(list) => {
            let rows = list
                .into_iter()
                .map(|n| NotificationRow {
                    text: lang.pick(&n.text_zh, &n.text_en).to_string(),
                    link: n.link,
                    at: format_beijing(n.created_at),
                    read: n.read,
                })
                .collect();
            render_with(&state, req, EventsView::Notifications(rows)).await
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /notifications/read`.
pub async fn notifications_read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let Some(user) = caller.user() else {
        return sign_in(&req);
    };
    match events::mark_all_read(&state.db, user.id).await {
        Ok(_) => redirect("/notifications"),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// Puts the signed-in user's unread count into page requests, for the bell in the header.
pub async fn attach_unread(
    State(state): State<AppState>,
    mut req: Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    let page = req.method() == axum::http::Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.ends_with(".ics")
        && !path.ends_with(".csv")
        && path != "/healthz";
    if page {
        let user = req
            .extensions()
            .get::<Caller>()
            .and_then(|c| c.user())
            .map(|u| u.id);
        if let Some(id) = user {
            if let Ok(n) = events::unread_count(&state.db, id).await {
                req.extensions_mut().insert(app::layout::Unread(n));
            }
        }
    }
    next.run(req).await
}

struct RegisterFilter {
    association: Option<String>,
    year: Option<i32>,
}

fn register_filter(req: &Request, dir: &Directory) -> RegisterFilter {
    let q = query_pairs(req);
    RegisterFilter {
        association: Some(field(&q, "association"))
            .filter(|a| dir.get(a).is_some_and(|u| u.kind.is_association())),
        year: field(&q, "year")
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
pub async fn register(State(state): State<AppState>, req: Request) -> Response {
    let lang = request_lang(&req);
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let filter = register_filter(&req, &dir);
    let entries = match events::public_register(
        &state.db,
        filter.association.as_deref(),
        filter.year,
    )
    .await
    {
        Ok(e) => e,
        Err(e) => return AppError::from(e).into_response(),
    };
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
    let view = RegisterView {
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
    };
    render_with(&state, req, EventsView::Register(Box::new(view))).await
}

/// A CSV cell that a spreadsheet will not run as a formula.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `GET /exchanges.csv`: the register, UTF-8 with BOM for Excel.
pub async fn register_csv(State(state): State<AppState>, req: Request) -> Response {
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let filter = register_filter(&req, &dir);
    let entries = match events::public_register(
        &state.db,
        filter.association.as_deref(),
        filter.year,
    )
    .await
    {
        Ok(e) => e,
        Err(e) => return AppError::from(e).into_response(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
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
    let mut ok = w.write_record(&header_row).is_ok();
    for x in &entries {
        let total: i64 = x.participants.values().sum();
        let mut row = vec![
            format_beijing(x.event.starts_at)
                .get(..10)
                .unwrap_or("")
                .to_string(),
            csv_cell(&x.event.title),
            x.event.kind.label_zh().to_string(),
            hosts_text(&dir, Lang::Zh, &x.event),
            csv_cell(&x.event.venue),
            csv_cell(&topics(&x.event.agenda)),
            total.to_string(),
        ];
        row.extend(UnitKind::ALL.iter().map(|k| {
            x.participants
                .get(k.as_str())
                .copied()
                .unwrap_or(0)
                .to_string()
        }));
        row.push(csv_cell(x.event.summary.as_deref().unwrap_or("")));
        ok &= w.write_record(&row).is_ok();
    }
    let bytes = match w.into_inner() {
        Ok(b) if ok => b,
        _ => return AppError::BadRequest("export failed".into()).into_response(),
    };
    crate::pages::excel_csv(bytes, "exchange-register.csv")
}

fn ics_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// `GET /events.ics`: every published event (and those cancelled after publishing) from 90 days
/// ago, as an RFC 5545 calendar.
pub async fn public_ics(State(state): State<AppState>) -> Response {
    let dir = match directory(&state).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let from = store::now_ms() - 90 * 86_400_000;
    match events::list_public(&state.db, from, true).await {
        Ok(list) => ics_response(crate::calendar::calendar(
            "大足区司法交流活动 / Dazu judicial exchange events",
            &list,
            &dir,
        )),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `GET /calendar/{token}.ics`: a user's private feed (their registrations and their
/// association's events). A wrong or revoked token is a 404.
pub async fn private_ics(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return AppError::NotFound.into_response();
    };
    if token.len() != 48 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return AppError::NotFound.into_response();
    }
    let run = async {
        let user_id = events::feed_user(&state.db, token)
            .await?
            .ok_or(AppError::NotFound)?;
        let user = store::users::find_user(&state.db, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let dir = directory(&state).await?;
        let list = events::feed_events(&state.db, user.id, user.unit_code.as_deref()).await?;
        Ok::<_, AppError>(crate::calendar::calendar(
            &format!("{} · 交流活动 / exchange events", user.display_name),
            &list,
            &dir,
        ))
    };
    match run.await {
        Ok(body) => ics_response(body),
        Err(e) => e.into_response(),
    }
}

/// `GET /admin/venues` (administrators).
pub async fn venues_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (_, req) = match crate::pages::require_role(&state, &caller, Role::Admin, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = request_lang(&req);
    let message = match field(&query_pairs(&req), "status").as_str() {
        "added" => Some(lang.pick("场所已添加。", "Venue added.").to_string()),
        "exists" => Some(
            lang.pick("该场所已存在。", "That venue already exists.")
                .to_string(),
        ),
        "saved" => Some(lang.pick("已保存。", "Saved.").to_string()),
        _ => None,
    };
    match events::list_venues(&state.db).await {
        Ok(v) => {
            let view = VenuesView {
                venues: v
                    .into_iter()
                    .map(|v| (v.id, v.name, v.official, v.active))
                    .collect(),
                message,
            };
            render_with(&state, req, EventsView::Venues(view)).await
        }
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /admin/venues`: adds a venue.
pub async fn add_venue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    if let Err(r) = crate::pages::require_role(&state, &caller, Role::Admin, req).await {
        return r;
    }
    let name = match clean_text(&field(&pairs, "name"), 200, "名称", "name") {
        Ok(n) if !n.is_empty() => n,
        Ok(_) => {
            return AppError::Unprocessable("请填写名称 / enter a name".into()).into_response()
        }
        Err(m) => return AppError::Unprocessable(m).into_response(),
    };
    match events::add_venue(
        &state.db,
        &caller.actor(),
        &name,
        field(&pairs, "official") == "1",
    )
    .await
    {
        Ok(true) => redirect("/admin/venues?status=added"),
        Ok(false) => redirect("/admin/venues?status=exists"),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /admin/venues/{id}`: retires or restores a venue.
pub async fn update_venue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    PageId(id): PageId,
    req: Request,
) -> Response {
    let (req, pairs) = read_pairs(req).await;
    let req = match crate::pages::require_role(&state, &caller, Role::Admin, req).await {
        Ok((_, req)) => req,
        Err(r) => return r,
    };
    match events::set_venue_active(
        &state.db,
        &caller.actor(),
        id,
        field(&pairs, "active") == "1",
    )
    .await
    {
        Ok(true) => redirect("/admin/venues?status=saved"),
        Ok(false) => not_found(&state, req).await,
        Err(e) => AppError::from(e).into_response(),
    }
}
