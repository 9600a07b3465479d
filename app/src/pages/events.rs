//! Exchange events (Art. 12): the event list and month view, an event's page (registration,
//! check-in, and the host coordinator's panel), the create/edit form, "my events",
//! notifications and the public register of held exchanges.
//!
//! The server loads and formats everything in the reader's language and provides it as an
//! [`EventsView`]; these components only lay it out. Every form posts to the server.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::forms::{
    textarea_text, ErrorSummary, Fieldset, FormErrors, Select, TextArea, TextInput,
};
use crate::i18n::current_lang;

/// An event as listed.
#[derive(Clone, Debug, Default)]
pub struct EventCard {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub status_code: String,
    pub when: String,
    pub venue: String,
    pub hosts: String,
    pub places: String,
    /// The reader's own registration status, if any.
    pub mine: Option<String>,
}

/// A registrant as the host coordinator sees them.
#[derive(Clone, Debug)]
pub struct RegistrantRow {
    pub user_id: i64,
    pub name: String,
    pub unit: String,
    pub status: String,
    pub registered: bool,
    pub declaration: String,
    pub attended: bool,
}

/// A co-host as the host coordinator sees it.
#[derive(Clone, Debug)]
pub struct CohostRow {
    pub unit: String,
    pub name: String,
    pub status: String,
    pub pending: bool,
}

/// The host coordinator's panel on an event page.
#[derive(Clone, Debug, Default)]
pub struct ManagePanel {
    pub checkin_code: String,
    pub registrants: Vec<RegistrantRow>,
    pub cohosts: Vec<CohostRow>,
    pub can_edit: bool,
    pub can_publish: bool,
    pub needs_approval: bool,
    pub can_cancel: bool,
    pub can_mark_held: bool,
    pub can_summarise: bool,
    pub can_mark_attendance: bool,
    pub summary: String,
    pub declarations: usize,
}

/// The reader's own registration on an event page.
#[derive(Clone, Debug)]
pub struct MyRegistration {
    pub status: String,
    pub registered: bool,
    pub waitlisted: bool,
    pub attended: bool,
}

/// Data of `/events/{id}`.
#[derive(Clone, Debug, Default)]
pub struct EventDetail {
    pub card: EventCard,
    pub agenda_html: String,
    pub open_to: Vec<String>,
    pub cancel_reason: Option<String>,
    pub summary: Option<String>,
    pub flags: Vec<String>,
    pub approval: Option<String>,
    pub deadline: String,
    pub signed_in: bool,
    /// `None` when the reader may register now; otherwise why not.
    pub register_blocked: Option<String>,
    pub mine: Option<MyRegistration>,
    pub checkin_open: bool,
    pub manage: Option<ManagePanel>,
    /// The reader's association has a pending invitation to co-host.
    pub invitation_for: Option<String>,
    pub message: Option<String>,
    pub error: Option<String>,
    /// The series this event is an occurrence of.
    pub series: Option<i64>,
}

/// Values of the event form, as typed.
#[derive(Clone, Debug, Default)]
pub struct EventFormValues {
    pub title: String,
    pub kind: String,
    pub agenda: String,
    pub venue_id: String,
    pub venue_other: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: String,
    pub deadline: String,
    pub open_to: Vec<String>,
    pub cohosts: Vec<String>,
}

/// Data of `/events/new` and `/events/{id}/edit`.
#[derive(Clone, Debug, Default)]
pub struct EventFormView {
    pub id: Option<i64>,
    pub values: EventFormValues,
    pub venues: Vec<(i64, String)>,
    pub units: Vec<(String, String)>,
    pub associations: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    /// What was refused, by field (see [`event_field`]).
    pub errors: FormErrors,
    /// The rule when the form makes a series (`/events/series/new`).
    pub series: Option<crate::pages::series::RuleFormValues>,
}

/// The field of the event form that a refusal is about, for the error summary's link.
pub fn event_field(r: &domain::events::EventRefusal) -> &'static str {
    use domain::events::{EventField as F, EventRefusal as R};
    let field = |f: &F| match f {
        F::Title => "title",
        F::Agenda => "agenda",
        F::Venue | F::VenueName => "venue-other",
        F::StartsAt => "starts-at",
        F::EndsAt => "ends-at",
        F::RegistrationDeadline => "deadline",
        _ => "title",
    };
    match r {
        R::TooLong { field: f, .. }
        | R::ControlCharacters(f)
        | R::DirectionControls(f)
        | R::BadTime(f) => field(f),
        R::KindMissing => "kind",
        R::VenueMissing | R::VenueNameMissing | R::VenueNotListed | R::VenueRetired => "venue",
        R::EndsBeforeStart | R::LongerThanAWeek => "ends-at",
        R::StartInPast => "starts-at",
        R::DeadlineAfterStart => "deadline",
        R::CapacityOutOfRange | R::CapacityBelowRegistered(_) => "capacity",
        R::OpenToMissing | R::UnknownUnit(_) => "open-to",
        R::BadCohost(_) => "cohosts-field",
        _ => "title",
    }
}

/// A day cell of the month view.
#[derive(Clone, Debug, Default)]
pub struct DayCell {
    pub day: u32,
    pub events: Vec<(i64, String, String)>,
}

/// The month view.
#[derive(Clone, Debug, Default)]
pub struct MonthGrid {
    pub label: String,
    pub prev: String,
    pub next: String,
    /// Weeks from Monday; `None` for days outside the month.
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

/// Data of `/events`.
#[derive(Clone, Debug, Default)]
pub struct EventListView {
    pub events: Vec<EventCard>,
    pub month: Option<MonthGrid>,
    pub can_create: bool,
    pub signed_in: bool,
}

/// Data of `/events/mine`.
#[derive(Clone, Debug, Default)]
pub struct MineView {
    pub registrations: Vec<EventCard>,
    pub hosted: Vec<EventCard>,
    pub invitations: Vec<EventCard>,
    pub is_coordinator: bool,
    pub feed_since: Option<String>,
    /// Shown once, right after a feed address is created.
    pub new_feed_url: Option<String>,
    pub hours: String,
    pub attended: Vec<(i64, String, String, String)>,
}

/// A notification as listed.
#[derive(Clone, Debug)]
pub struct NotificationRow {
    pub text: String,
    pub link: String,
    pub at: String,
    pub read: bool,
}

/// A held exchange in the public register.
#[derive(Clone, Debug)]
pub struct RegisterRow {
    pub date: String,
    pub title: String,
    pub kind: String,
    pub hosts: String,
    pub venue: String,
    pub topics: String,
    pub participants: String,
    pub summary: String,
}

/// Data of `/exchanges`.
#[derive(Clone, Debug, Default)]
pub struct RegisterView {
    pub rows: Vec<RegisterRow>,
    pub associations: Vec<(String, String)>,
    pub years: Vec<i32>,
    pub association: String,
    pub year: String,
    pub csv_href: String,
    /// Per association, planned against held in `plan_year`.
    pub plan: Vec<crate::pages::series::PlanSummaryRow>,
    pub plan_year: i32,
}

/// Data of `/admin/venues`.
#[derive(Clone, Debug, Default)]
pub struct VenuesView {
    pub venues: Vec<(i64, String, bool, bool)>,
    pub message: Option<String>,
}

/// What an events page shows.
#[derive(Clone, Debug, Default)]
pub enum EventsView {
    #[default]
    Empty,
    List(Box<EventListView>),
    Detail(Box<EventDetail>),
    Form(Box<EventFormView>),
    Mine(Box<MineView>),
    Notifications(Vec<NotificationRow>),
    Register(Box<RegisterView>),
    Venues(VenuesView),
    Series(Box<crate::pages::series::SeriesDetail>),
    Plan(Box<crate::pages::series::PlanView>),
}

fn subnav(can_create: bool, signed_in: bool) -> impl IntoView {
    let lang = current_lang();
    view! {
        <nav class="subnav" aria-label=lang.pick("交流活动", "Exchange events")>
            <a href="/events">{lang.pick("活动列表", "List")}</a>
            " · "<a href="/events?view=month">{lang.pick("月历", "Month")}</a>
            {signed_in.then(|| view! { " · "<a href="/events/mine" id="my-events-link">{lang.pick("我的活动", "My events")}</a> })}
            {can_create.then(|| view! { " · "<a href="/events/new" id="new-event-link">{lang.pick("发起活动", "New event")}</a> })}
            {can_create.then(|| view! { " · "<a href="/events/series/new" id="new-series-link">{lang.pick("发起系列活动", "New series")}</a> })}
            " · "<a href="/exchanges/plan">{lang.pick("年度交流计划", "Yearly plans")}</a>
            " · "<a href="/exchanges">{lang.pick("交流活动公开登记", "Public register")}</a>
            " · "<a href="/events.ics">{lang.pick("订阅日历（iCalendar）", "Calendar feed (iCalendar)")}</a>
        </nav>
    }
}

fn cards(events: &[EventCard], empty: &'static str, id: &'static str) -> impl IntoView {
    let lang = current_lang();
    if events.is_empty() {
        return view! { <p class="muted" id=id>{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap"><table class="data" id=id>
            <thead><tr>
                <th>{lang.pick("活动", "Event")}</th><th>{lang.pick("时间", "When")}</th>
                <th>{lang.pick("地点", "Venue")}</th><th>{lang.pick("主办", "Hosts")}</th>
                <th>{lang.pick("名额", "Places")}</th><th>{lang.pick("状态", "Status")}</th>
            </tr></thead>
            <tbody>{events.iter().map(|e| view! {
                <tr data-event=e.id.to_string()>
                    <td><a href=format!("/events/{}", e.id)><bdi>{e.title.clone()}</bdi></a>" "<span class="tag">{e.kind.clone()}</span></td>
                    <td>{e.when.clone()}</td>
                    <td>{e.venue.clone()}</td>
                    <td>{e.hosts.clone()}</td>
                    <td>{e.places.clone()}</td>
                    <td>{e.status.clone()}{e.mine.clone().map(|m| view! { <br/><strong class="my-status">{m}</strong> })}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// Every events page: the server decides which view to show.
#[component]
pub fn EventsPage() -> impl IntoView {
    let data = use_context::<EventsView>().unwrap_or_default();
    match data {
        EventsView::Empty => view! { <crate::pages::NotFound/> }.into_any(),
        EventsView::List(v) => list_page(*v).into_any(),
        EventsView::Detail(v) => detail_page(*v).into_any(),
        EventsView::Form(v) => form_page(*v).into_any(),
        EventsView::Mine(v) => mine_page(*v).into_any(),
        EventsView::Notifications(v) => notifications_page(v).into_any(),
        EventsView::Register(v) => register_page(*v).into_any(),
        EventsView::Venues(v) => venues_page(v).into_any(),
        EventsView::Series(v) => crate::pages::series::series_page(*v).into_any(),
        EventsView::Plan(v) => crate::pages::series::plan_page(*v).into_any(),
    }
}

fn list_page(v: EventListView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("交流活动", "Exchange events");
    let intro = lang.pick(
        "依据《暂行规定》第十二条，法官协会、检察官协会、警察协会与律师协会建立常态化工作交流渠道。以下为已发布的交流活动；登录后可报名。",
        "Under Article 12 the judges', prosecutors' and police associations and the lawyers' association keep a regular channel of work exchange. These are the published exchange events; sign in to register.",
    );
    let body = match v.month {
        Some(m) => month_view(m).into_any(),
        None => cards(
            &v.events,
            lang.pick("暂无即将举办的活动。", "No upcoming events."),
            "event-list",
        )
        .into_any(),
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{intro}</p>
        {subnav(v.can_create, v.signed_in)}
        {body}
    }
}

fn month_view(m: MonthGrid) -> impl IntoView {
    let lang = current_lang();
    let days = if lang == crate::i18n::Lang::Zh {
        ["一", "二", "三", "四", "五", "六", "日"]
    } else {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    };
    view! {
        <h2 id="month-label">{m.label.clone()}</h2>
        <p class="pager"><a href=m.prev.clone() rel="prev">{lang.pick("上个月", "Previous month")}</a>" · "<a href=m.next.clone() rel="next">{lang.pick("下个月", "Next month")}</a></p>
        <div class="table-wrap"><table class="data month" id="month-grid">
            <thead><tr>{days.iter().map(|d| view! { <th>{*d}</th> }).collect_view()}</tr></thead>
            <tbody>{m.weeks.iter().map(|w| view! {
                <tr>{w.iter().map(|c| match c {
                    Some(c) => view! {
                        <td><span class="muted">{c.day}</span>
                            {c.events.iter().map(|(id, t, time)| view! { <div><a href=format!("/events/{id}")>{time.clone()}" "{t.clone()}</a></div> }).collect_view()}
                        </td>
                    }.into_any(),
                    None => view! { <td></td> }.into_any(),
                }).collect_view()}</tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}

fn detail_page(d: EventDetail) -> impl IntoView {
    let lang = current_lang();
    let id = d.card.id;
    let action = format!("/events/{id}/action");
    let title = lang.pick("交流活动", "Exchange event");
    let manage = d.manage.clone();
    view! {
        <Title text=title/>
        <p class="breadcrumb"><a href="/events">{lang.pick("交流活动", "Exchange events")}</a></p>
        <h1 id="event-title" dir="auto">{d.card.title.clone()}</h1>
        {subnav(false, d.signed_in)}
        {d.message.clone().map(|m| view! { <p class="ok" role="status" id="event-message">{m}</p> })}
        {d.error.clone().map(|e| view! { <p class="alert" role="alert" id="event-error">{e}</p> })}
        <dl class="doc-meta" id="event-facts">
            <dt>{lang.pick("类型", "Kind")}</dt><dd>{d.card.kind.clone()}</dd>
            <dt>{lang.pick("状态", "Status")}</dt><dd id="event-status">{d.card.status.clone()}</dd>
            <dt>{lang.pick("时间", "When")}</dt><dd>{d.card.when.clone()}</dd>
            <dt>{lang.pick("地点", "Venue")}</dt><dd id="event-venue">{d.card.venue.clone()}</dd>
            <dt>{lang.pick("主办", "Hosts")}</dt><dd id="event-hosts">{d.card.hosts.clone()}</dd>
            <dt>{lang.pick("面向单位", "Open to")}</dt><dd>{d.open_to.join("、")}</dd>
            <dt>{lang.pick("名额", "Places")}</dt><dd id="event-places">{d.card.places.clone()}</dd>
            <dt>{lang.pick("报名截止", "Registration closes")}</dt><dd>{d.deadline.clone()}</dd>
            {d.series.map(|s| view! {
                <dt>{lang.pick("系列", "Series")}</dt>
                <dd><a href=format!("/events/series/{s}") id="event-series">{lang.pick("本活动是系列活动中的一次：查看各次活动", "One occurrence of a series: see every occurrence")}</a></dd>
            })}
        </dl>
        {d.cancel_reason.clone().map(|r| view! { <p class="alert" id="cancel-reason">{lang.pick("已取消：", "Cancelled: ")}{r}</p> })}
        <h2>{lang.pick("议程与议题", "Agenda and topics")}</h2>
        <div class="md" id="event-agenda" inner_html=d.agenda_html.clone()></div>
        {d.summary.clone().map(|s| view! { <h2>{lang.pick("活动纪要", "Summary")}</h2><p class="pre" id="event-summary">{s}</p> })}
        {registration_box(&d, &action)}
        {d.invitation_for.clone().map(|unit| view! {
            <section class="preview" id="invitation">
                <h2>{lang.pick("共同主办邀请", "Invitation to co-host")}</h2>
                <form method="post" action=action.clone() class="buttons">
                    <input type="hidden" name="unit" value=unit.clone()/>
                    <button type="submit" name="action" value="accept" id="accept-invitation">{lang.pick("接受", "Accept")}</button>
                    <button type="submit" name="action" value="decline" id="decline-invitation">{lang.pick("谢绝", "Decline")}</button>
                </form>
            </section>
        })}
        {manage.map(|m| manage_panel(&d, m, &action).into_any())}
    }
}

fn registration_box(d: &EventDetail, action: &str) -> impl IntoView {
    let lang = current_lang();
    if !d.signed_in {
        return view! {
            <p id="register-sign-in"><a href=format!("/login?next=/events/{}", d.card.id)>{lang.pick("登录后报名", "Sign in to register")}</a></p>
        }
        .into_any();
    }
    let mine = d.mine.clone();
    let action = action.to_string();
    view! {
        <section class="preview" id="registration">
            <h2>{lang.pick("报名", "Registration")}</h2>
            {mine.clone().map(|m| view! { <p id="my-registration">{lang.pick("您的报名状态：", "Your registration: ")}<strong>{m.status.clone()}</strong>
                {m.attended.then(|| view! { " · "{lang.pick("已签到", "Attended")} })}</p> })}
            {match (&mine, &d.register_blocked) {
                (Some(m), _) if m.registered || m.waitlisted => view! {
                    <form method="post" action=action.clone()>
                        <button type="submit" name="action" value="unregister" id="unregister">{lang.pick("取消报名", "Cancel my registration")}</button>
                    </form>
                }.into_any(),
                (_, Some(why)) => view! { <p class="muted" id="register-blocked">{why.clone()}</p> }.into_any(),
                (_, None) => view! {
                    <form method="post" action=action.clone() class="form" id="register-form">
                        <fieldset>
                            <legend>{lang.pick("案件关系申报", "Declaration of case relationships")}</legend>
                            <p class="hint">{lang.pick("请如实申报您目前是否与对方单位（或对方律师）承办的案件存在关系，如代理、承办或审查同一案件。申报仅主办方联络员可见。", "Declare whether you currently have a case relationship with the other side's units or lawyers, such as acting in, handling or reviewing the same case. Only the hosts' coordinators see the declaration.")}</p>
                            <label class="check"><input type="radio" name="has_case" value="0" checked=true/>{lang.pick("无案件关系", "No case relationship")}</label>
                            <label class="check"><input type="radio" name="has_case" value="1" id="has-case-yes"/>{lang.pick("存在案件关系", "I have a case relationship")}</label>
                            <label for="case-note">{lang.pick("说明（可选，最多 500 字）", "Note (optional, up to 500 characters)")}</label>
                            <textarea id="case-note" name="case_note" rows="2" maxlength="500"></textarea>
                        </fieldset>
                        <button type="submit" name="action" value="register" id="register">{lang.pick("报名", "Register")}</button>
                    </form>
                }.into_any(),
            }}
            {(d.checkin_open && mine.as_ref().is_some_and(|m| m.registered && !m.attended)).then(|| view! {
                <form method="post" action=action.clone() class="form" id="checkin-form">
                    <label for="checkin-code">{lang.pick("现场签到码", "Check-in code shown at the venue")}</label>
                    <input id="checkin-code" name="code" inputmode="numeric" maxlength="6" required/>
                    <button type="submit" name="action" value="checkin" id="checkin">{lang.pick("签到", "Check in")}</button>
                </form>
            })}
        </section>
    }
    .into_any()
}

fn manage_panel(d: &EventDetail, m: ManagePanel, action: &str) -> impl IntoView {
    let lang = current_lang();
    let id = d.card.id;
    let action = action.to_string();
    let flags = d.flags.clone();
    view! {
        <section class="preview" id="manage">
            <h2>{lang.pick("主办方管理", "Host's panel")}</h2>
            {(!flags.is_empty()).then(|| view! {
                <ul class="alert" id="event-flags">{flags.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
            })}
            {d.approval.clone().map(|a| view! { <p id="event-approval">{lang.pick("审批记录：", "Approval: ")}{a}</p> })}
            <p class="buttons">
                {m.can_edit.then(|| view! { <a class="button" href=format!("/events/{id}/edit") id="edit-event">{lang.pick("修改", "Edit")}</a> })}
            </p>
            {m.needs_approval.then(|| view! {
                <form method="post" action=action.clone() class="form" id="approval-form">
                    <h3>{lang.pick("登记审批情况", "Record the approval")}</h3>
                    <label for="approved-by">{lang.pick("审批人（职务、姓名）", "Approved by (post and name)")}</label>
                    <input id="approved-by" name="approved_by" maxlength="100" required/>
                    <label for="approval-ref">{lang.pick("审批文号或登记号", "Reference")}</label>
                    <input id="approval-ref" name="reference" maxlength="100" required/>
                    <label for="approval-date">{lang.pick("审批日期", "Date of approval")}</label>
                    <input id="approval-date" name="approved_on" type="date" required/>
                    <button type="submit" name="action" value="approval" id="record-approval">{lang.pick("保存审批记录", "Save the approval")}</button>
                </form>
            })}
            {m.can_publish.then(|| view! {
                <form method="post" action=action.clone()>
                    <button type="submit" name="action" value="publish" id="publish">{lang.pick("发布", "Publish")}</button>
                </form>
            })}
            {(!m.cohosts.is_empty()).then(|| view! {
                <h3>{lang.pick("共同主办", "Co-hosts")}</h3>
                <ul id="cohosts">{m.cohosts.iter().map(|c| view! {
                    <li><bdi>{c.name.clone()}</bdi>" · "{c.status.clone()}
                        {c.pending.then(|| view! {
                            <form method="post" action=action.clone() class="inline">
                                <input type="hidden" name="unit" value=c.unit.clone()/>
                                <button type="submit" name="action" value="remind">{lang.pick("提醒", "Remind")}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}</ul>
            })}
            <h3>{lang.pick("签到码", "Check-in code")}</h3>
            <p><strong class="receipt" id="checkin-code-shown">{m.checkin_code.clone()}</strong>" "
                <span class="hint">{lang.pick("请在活动现场展示，参加人员凭此签到。", "Show it at the venue; participants check in with it.")}</span></p>
            <h3>{lang.pick("报名名单", "Registrations")}</h3>
            <p class="muted">{lang.pick("申报存在案件关系：", "Declared case relationships: ")}{m.declarations}</p>
            <div class="table-wrap"><table class="data" id="registrants">
                <thead><tr><th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("单位", "Unit")}</th><th>{lang.pick("状态", "Status")}</th><th>{lang.pick("案件关系申报", "Declaration")}</th><th>{lang.pick("出席", "Attended")}</th></tr></thead>
                <tbody>{m.registrants.iter().map(|r| view! {
                    <tr>
                        <td><bdi>{r.name.clone()}</bdi></td><td>{r.unit.clone()}</td><td>{r.status.clone()}</td><td><bdi>{r.declaration.clone()}</bdi></td>
                        <td>{if r.attended { lang.pick("是", "Yes") } else { lang.pick("否", "No") }}
                            {(m.can_mark_attendance && r.registered).then(|| view! {
                                <form method="post" action=action.clone() class="inline">
                                    <input type="hidden" name="user" value=r.user_id.to_string()/>
                                    <input type="hidden" name="attended" value=if r.attended { "0" } else { "1" }/>
                                    <button type="submit" name="action" value="attendance">{if r.attended { lang.pick("撤销", "Undo") } else { lang.pick("登记出席", "Mark attended") }}</button>
                                </form>
                            })}
                        </td>
                    </tr>
                }).collect_view()}</tbody>
            </table></div>
            {m.can_mark_held.then(|| view! {
                <form method="post" action=action.clone()>
                    <button type="submit" name="action" value="held" id="mark-held">{lang.pick("标记为已举办", "Mark as held")}</button>
                </form>
            })}
            {m.can_summarise.then(|| view! {
                <form method="post" action=action.clone() class="form" id="summary-form">
                    <label for="summary">{lang.pick("活动纪要（公开，不写姓名，最多 2000 字）", "Summary (public, no names, up to 2000 characters)")}</label>
                    <textarea id="summary" name="summary" rows="5" maxlength="2000" required>{textarea_text(&m.summary)}</textarea>
                    <p class="buttons">
                        <button type="submit" name="action" value="summary">{lang.pick("保存纪要", "Save the summary")}</button>
                        <button type="submit" name="action" value="close" id="close-event">{lang.pick("保存并归档", "Save and close")}</button>
                    </p>
                </form>
            })}
            {m.can_cancel.then(|| view! {
                <form method="post" action=action.clone() class="form" id="cancel-form">
                    <label for="cancel-reason-input">{lang.pick("取消原因（将通知所有报名人员）", "Reason for cancelling (everyone registered is told)")}</label>
                    <input id="cancel-reason-input" name="reason" maxlength="300" required/>
                    <button type="submit" name="action" value="cancel" id="cancel-event">{lang.pick("取消活动", "Cancel the event")}</button>
                </form>
            })}
        </section>
    }
}

fn form_page(f: EventFormView) -> impl IntoView {
    let lang = current_lang();
    let title = if f.id.is_some() {
        lang.pick("修改活动", "Edit event")
    } else if f.series.is_some() {
        lang.pick("发起系列交流活动", "New event series")
    } else {
        lang.pick("发起交流活动", "New exchange event")
    };
    let action = match (f.id, &f.series) {
        (Some(id), _) => format!("/events/{id}/edit"),
        (None, Some(_)) => "/events/series/new".to_string(),
        (None, None) => "/events/new".to_string(),
    };
    let v = f.values.clone();
    let venue_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        lang.pick("其他地点（在下方填写）", "Another place (enter below)")
            .to_string(),
    ))
    .chain(f.venues.iter().map(|(id, n)| (id.to_string(), n.clone())))
    .collect();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <ErrorSummary errors=f.errors.clone()/>
        <form method="post" action=action class="form" id="event-form">
            <Fieldset legend=lang.pick("活动", "The event")>
                <TextInput id="title" label=lang.pick("活动名称", "Title") value=v.title.clone() maxlength=100 required=true/>
                <Select id="kind" label=lang.pick("活动类型", "Kind") options=f.kinds.clone() selected=v.kind.clone()/>
                <TextArea id="agenda" label=lang.pick("议程与议题", "Agenda and topics") hint=lang.pick("支持 Markdown，如以“- ”开头列出议题。", "Markdown: start a line with “- ” to list a topic.")
                    value=v.agenda.clone() rows=6 maxlength=5000/>
            </Fieldset>
            <Fieldset legend=lang.pick("地点", "Place")>
                <Select id="venue" label=lang.pick("官方场所", "Official venue")
                    hint=lang.pick("在官方场所以外举办的活动，发布前须登记审批。", "An event away from an official venue needs an approval on record before publishing.")
                    options=venue_options selected=v.venue_id.clone()/>
                <TextInput id="venue-other" name="venue_other" label=lang.pick("其他地点", "Other place") value=v.venue_other.clone() maxlength=200/>
            </Fieldset>
            <Fieldset legend=lang.pick("时间与名额", "Time and places") hint=lang.pick("均为北京时间。工作时间以外举办的活动，发布前须登记审批。", "Beijing time. An event outside working hours needs an approval on record before publishing.")>
                <TextInput id="starts-at" name="starts_at" kind="datetime-local" label=lang.pick("开始时间", "Starts") value=v.starts_at.clone() required=true width="w-medium"/>
                <TextInput id="ends-at" name="ends_at" kind="datetime-local" label=lang.pick("结束时间", "Ends") value=v.ends_at.clone() required=true width="w-medium"/>
                <TextInput id="capacity" kind="number" label=lang.pick("名额", "Places") hint=lang.pick("1–10000 人；报满后进入候补。", "1–10000; later registrations join the waitlist.")
                    value=v.capacity.clone() required=true width="w-short"/>
                <TextInput id="deadline" kind="datetime-local" label=lang.pick("报名截止时间", "Registration closes") value=v.deadline.clone() required=true width="w-medium"/>
            </Fieldset>
            <fieldset id="open-to" class="fieldset">
                <legend class="fieldset-legend">{lang.pick("可报名单位", "Units whose members may register")}</legend>
                {f.units.iter().map(|(c, n)| view! {
                    <label class="check"><input type="checkbox" name="open_to" value=c.clone() checked=v.open_to.contains(c)/>{n.clone()}</label>
                }).collect_view()}
            </fieldset>
            <fieldset id="cohosts-field" class="fieldset">
                <legend class="fieldset-legend">{lang.pick("邀请共同主办的协会", "Associations invited to co-host")}</legend>
                {f.associations.iter().map(|(c, n)| view! {
                    <label class="check"><input type="checkbox" name="cohost" value=c.clone() checked=v.cohosts.contains(c)/>{n.clone()}</label>
                }).collect_view()}
            </fieldset>
            {f.series.as_ref().map(crate::pages::series::rule_fieldset)}
            <button type="submit" id="save-event">{lang.pick("保存", "Save")}</button>
        </form>
    }
}

fn mine_page(m: MineView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("我的活动", "My events");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {subnav(m.is_coordinator, true)}
        <h2>{lang.pick("我报名的活动", "Events I registered for")}</h2>
        {cards(&m.registrations, lang.pick("您还没有报名任何活动。", "You have not registered for any event."), "my-registrations")}
        {m.is_coordinator.then(|| view! {
            <h2>{lang.pick("本协会主办或受邀的活动", "Events my association hosts or is invited to")}</h2>
            {cards(&m.hosted, lang.pick("暂无。", "None."), "hosted-events")}
            <h2>{lang.pick("待答复的共同主办邀请", "Invitations awaiting an answer")}</h2>
            {cards(&m.invitations, lang.pick("暂无。", "None."), "pending-invitations")}
        })}
        <h2>{lang.pick("交流活动学时", "Exchange hours")}</h2>
        <p id="exchange-hours">{m.hours.clone()}</p>
        {(!m.attended.is_empty()).then(|| view! {
            <ul id="attended-events">{m.attended.iter().map(|(id, t, d, h)| view! { <li><a href=format!("/events/{id}")>{t.clone()}</a>" · "{d.clone()}" · "{h.clone()}</li> }).collect_view()}</ul>
        })}
        <h2>{lang.pick("个人日历订阅", "Personal calendar feed")}</h2>
        <p class="hint">{lang.pick("订阅地址含有私人令牌，可加入手机或电脑日历（webcal://）。如地址泄露，请重新生成，旧地址即失效。", "The feed address holds a private token; add it to your phone or desktop calendar (webcal://). If it leaks, make a new one and the old address stops working.")}</p>
        {m.new_feed_url.clone().map(|u| view! { <p class="receipt" id="feed-url">{u}</p><p class="hint">{lang.pick("此地址只显示一次，请现在复制。", "This address is shown only once; copy it now.")}</p> })}
        {m.feed_since.clone().map(|s| view! { <p id="feed-since">{lang.pick("当前订阅地址创建于 ", "Current feed created ")}{s}</p> })}
        <form method="post" action="/events/feed" class="buttons">
            <button type="submit" name="action" value="create" id="create-feed">{if m.feed_since.is_some() { lang.pick("重新生成订阅地址", "Make a new feed address") } else { lang.pick("生成订阅地址", "Make a feed address") }}</button>
            {m.feed_since.is_some().then(|| view! { <button type="submit" name="action" value="revoke" id="revoke-feed">{lang.pick("停用订阅地址", "Turn the feed off")}</button> })}
        </form>
    }
}

fn notifications_page(rows: Vec<NotificationRow>) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("通知", "Notifications");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <form method="post" action="/notifications/read"><button type="submit" id="mark-read">{lang.pick("全部标为已读", "Mark all as read")}</button></form>
        {if rows.is_empty() {
            view! { <p class="muted">{lang.pick("暂无通知。", "No notifications.")}</p> }.into_any()
        } else {
            view! {
                <ol class="entries" id="notifications">{rows.iter().map(|n| view! {
                    <li class=if n.read { "read" } else { "unread" }>
                        <p class="entry-head">{n.at.clone()}{(!n.read).then(|| view! { " · "<strong>{lang.pick("未读", "Unread")}</strong> })}</p>
                        <p><a href=n.link.clone()><bdi>{n.text.clone()}</bdi></a></p>
                    </li>
                }).collect_view()}</ol>
            }.into_any()
        }}
    }
}

fn register_page(r: RegisterView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("交流活动公开登记", "Public register of exchanges");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{lang.pick("依据《暂行规定》第十二条开展的正常工作交流均在此公开登记：主办方、类型、议题、日期、地点、参加人数（按单位类别统计，不含姓名）及活动纪要。", "Every work exchange held under Article 12 is recorded here in public: hosts, kind, topics, date, venue, the number of participants by kind of unit (no names) and a summary.")}</p>
        <form method="get" action="/exchanges" class="filters" id="register-filters">
            <label for="assoc">{lang.pick("协会", "Association")}</label>
            <select id="assoc" name="association">
                <option value="">{lang.pick("全部", "All")}</option>
                {r.associations.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == r.association>{n.clone()}</option> }).collect_view()}
            </select>
            <label for="year">{lang.pick("年份", "Year")}</label>
            <select id="year" name="year">
                <option value="">{lang.pick("全部", "All")}</option>
                {r.years.iter().map(|y| view! { <option value=y.to_string() selected=y.to_string() == r.year>{y.to_string()}</option> }).collect_view()}
            </select>
            <button type="submit">{lang.pick("筛选", "Filter")}</button>
            " "<a href=r.csv_href.clone() id="register-csv">{lang.pick("导出 CSV", "Export CSV")}</a>
        </form>
        {crate::pages::series::plan_summary(&r.plan, r.plan_year)}
        {if r.rows.is_empty() {
            view! { <p class="muted" id="register-empty">{lang.pick("暂无登记。", "Nothing recorded yet.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="data" id="register">
                    <thead><tr>
                        <th>{lang.pick("日期", "Date")}</th><th>{lang.pick("活动", "Event")}</th><th>{lang.pick("主办", "Hosts")}</th>
                        <th>{lang.pick("地点", "Venue")}</th><th>{lang.pick("议题", "Topics")}</th><th>{lang.pick("参加人数", "Participants")}</th><th>{lang.pick("纪要", "Summary")}</th>
                    </tr></thead>
                    <tbody>{r.rows.iter().map(|x| view! {
                        <tr><td>{x.date.clone()}</td><td><bdi>{x.title.clone()}</bdi>" "<span class="tag">{x.kind.clone()}</span></td><td>{x.hosts.clone()}</td>
                            <td>{x.venue.clone()}</td><td>{x.topics.clone()}</td><td>{x.participants.clone()}</td><td class="pre">{x.summary.clone()}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
    }
}

fn venues_page(v: VenuesView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("活动场所", "Venues");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {v.message.clone().map(|m| view! { <p class="ok" role="status">{m}</p> })}
        <table class="data" id="venues">
            <thead><tr><th>{lang.pick("名称", "Name")}</th><th>{lang.pick("官方场所", "Official")}</th><th>{lang.pick("状态", "State")}</th><th></th></tr></thead>
            <tbody>{v.venues.iter().map(|(id, n, official, active)| view! {
                <tr><td>{n.clone()}</td><td>{if *official { lang.pick("是", "Yes") } else { lang.pick("否", "No") }}</td>
                    <td>{if *active { lang.pick("启用", "In use") } else { lang.pick("停用", "Retired") }}</td>
                    <td><form method="post" action=format!("/admin/venues/{id}")>
                        <input type="hidden" name="active" value=if *active { "0" } else { "1" }/>
                        <button type="submit">{if *active { lang.pick("停用", "Retire") } else { lang.pick("启用", "Restore") }}</button>
                    </form></td></tr>
            }).collect_view()}</tbody>
        </table>
        <form method="post" action="/admin/venues" class="form" id="venue-form">
            <label for="venue-name">{lang.pick("新场所名称", "New venue")}</label>
            <input id="venue-name" name="name" maxlength="200" required/>
            <label class="check"><input type="checkbox" name="official" value="1" checked=true/>{lang.pick("官方场所（工作场所）", "Official venue (a workplace)")}</label>
            <button type="submit">{lang.pick("添加", "Add")}</button>
        </form>
    }
}
