//! `GET /`: the public front page, or the signed-in person's work worded in their language.

use app::i18n::Lang;
use app::pages::home::{HomeView, WorkItem, WorkList};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::directory::Directory;
use domain::work::DueAction;
use store::events::EventRecord;

use super::service::{self, LeadDue, MyWork, SHOWN};
use crate::events::labels::{registration_label, unit_name};
use crate::page::{view, Page, PageError};
use crate::state::AppState;
use crate::time::format_beijing;
use crate::training::labels::date;
use crate::training::service::Standing;

/// `GET /`.
pub async fn home(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let Some(user) = page.caller.user() else {
        // The public page needs no data: the app renders it without a HomeView.
        return Ok(view(()).into_response());
    };
    let dir = store::units::load_directory(&state.db).await?;
    let now = store::now_ms();
    let Some(work) = service::my_work(&state, &page.caller, &dir, now).await? else {
        return Ok(view(()).into_response());
    };
    let lang = page.lang;
    let home = HomeView {
        name: user.display_name.clone(),
        unit: user
            .unit_code
            .as_deref()
            .map(|u| unit_name(&dir, lang, u))
            .unwrap_or_default(),
        lists: lists(&state, &dir, lang, work),
    };
    Ok(view(home).into_response())
}

/// Beijing time without seconds.
fn when(ms: i64) -> String {
    format_beijing(ms)
}

fn list(
    id: &'static str,
    heading: &str,
    empty: &str,
    items: Vec<WorkItem>,
    more: Option<(&str, &str)>,
) -> WorkList {
    WorkList {
        id,
        heading: heading.to_string(),
        empty: empty.to_string(),
        items: items.into_iter().take(SHOWN).collect(),
        more: more.map(|(h, t)| (h.to_string(), t.to_string())),
    }
}

fn event_item(lang: Lang, e: &EventRecord, detail: String) -> WorkItem {
    WorkItem {
        href: format!("/events/{}", e.id),
        title: e.title.clone(),
        detail: format!("{}{}{detail}", when(e.starts_at), lang.pick(" · ", " · ")),
        late: false,
    }
}

fn lists(state: &AppState, dir: &Directory, lang: Lang, w: MyWork) -> Vec<WorkList> {
    let p = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = Vec::new();
    if let Some(l) = &w.leads {
        let waiting = l.waiting.iter().map(|d| lead_item(dir, lang, d)).collect();
        out.push(list(
            "waiting-leads",
            p("等待本单位办理的线索", "Cases waiting for your unit"),
            p(
                "没有等待本单位办理的线索。",
                "No case is waiting for your unit.",
            ),
            waiting,
            Some(("/leads", p("全部线索", "All leads"))),
        ));
        if l.joint_office {
            let manual = l
                .manual
                .iter()
                .map(|m| WorkItem {
                    href: format!("/leads/{}", m.id),
                    title: format!("{} · {}", m.reference, m.summary),
                    detail: format!(
                        "{}{}",
                        p("待人工确定接收单位，登记于 ", "To route by hand; reported "),
                        when(m.created_at)
                    ),
                    late: false,
                })
                .collect();
            out.push(list(
                "manual-leads",
                p("待人工确定接收单位的线索", "Manual cases to route"),
                p("没有待人工确定接收单位的线索。", "No manual case to route."),
                manual,
                None,
            ));
            let tips = l
                .new_tips
                .iter()
                .map(|t| WorkItem {
                    href: format!("/leads/tips/{}", t.id),
                    title: format!("{} #{}", p("群众反映", "Tip"), t.id),
                    detail: format!("{}{}", p("收到于 ", "Received "), when(t.created_at)),
                    late: false,
                })
                .collect();
            out.push(list(
                "new-tips",
                p("新的群众反映", "New public tips"),
                p("没有新的群众反映。", "No new tips."),
                tips,
                Some(("/leads/tips", p("群众反映受理", "Public tips"))),
            ));
        }
    }
    if let Some(c) = &w.coordinator {
        let mut items: Vec<WorkItem> = c
            .to_approve
            .iter()
            .map(|e| {
                event_item(
                    lang,
                    e,
                    p("发布前须登记审批", "Needs an approval before publishing").into(),
                )
            })
            .collect();
        items.extend(c.check_in.iter().map(|e| {
            event_item(
                lang,
                e,
                p("签到与出席登记", "Check-in and attendance").into(),
            )
        }));
        out.push(list(
            "events-to-handle",
            p("待审批或签到的活动", "Events needing approval or check-in"),
            p(
                "没有待审批或签到的活动。",
                "No event needs approval or check-in.",
            ),
            items,
            Some(("/events/mine", p("我主办的活动", "Events I host"))),
        ));
        let invitations = c
            .invitations
            .iter()
            .map(|e| {
                event_item(
                    lang,
                    e,
                    format!(
                        "{}{}",
                        p("联合主办邀请：", "Co-hosting invitation from "),
                        unit_name(dir, lang, &e.host_unit)
                    ),
                )
            })
            .collect();
        out.push(list(
            "invitations",
            p("待答复的联合主办邀请", "Invitations to answer"),
            p("没有待答复的邀请。", "No invitation to answer."),
            invitations,
            None,
        ));
    }
    if let Some((people, total)) = &w.overdue {
        let items = people
            .iter()
            .map(|o| WorkItem {
                href: "/training-admin/reports".into(),
                title: format!(
                    "{} · {}",
                    o.display_name,
                    unit_name(dir, lang, &o.unit_code)
                ),
                detail: format!(
                    "{} · {}{}",
                    crate::training::labels::course_title(state, &o.course_id).get(lang),
                    p("应于 ", "due "),
                    date(o.due_at)
                ),
                late: true,
            })
            .collect();
        let heading = match lang {
            Lang::Zh => format!("培训逾期人员（共 {total} 人次）"),
            Lang::En => format!("People overdue with training ({total} in all)"),
        };
        let mut l = list(
            "overdue-people",
            "",
            p("没有逾期未完成培训的人员。", "Nobody is overdue."),
            items,
            Some(("/training-admin/reports", p("培训统计", "Training reports"))),
        );
        l.heading = heading;
        out.push(l);
    }
    let courses = w
        .courses
        .iter()
        .map(|c| {
            let title = crate::training::labels::course_title(state, &c.course_id)
                .get(lang)
                .to_string();
            let standing = match c.standing {
                Standing::Done => p("已取得证书", "Certificate held"),
                Standing::Overdue => p("已逾期", "Overdue"),
                Standing::Pending => p("进行中", "To do"),
            };
            WorkItem {
                href: format!("/training/{}", c.course_id),
                title,
                detail: format!(
                    "{standing} · {}{} · {}{}/{}",
                    p("截止 ", "due "),
                    date(c.due_at),
                    p("已学课时 ", "lessons "),
                    c.lessons_done,
                    c.lessons
                ),
                late: c.standing == Standing::Overdue,
            }
        })
        .collect();
    out.push(list(
        "required-courses",
        p("必修课程", "Required courses"),
        p(
            "目前没有指派给您的必修课程。",
            "No course is assigned to you now.",
        ),
        courses,
        Some(("/training", p("全部课程", "All courses"))),
    ));
    let events = w
        .events
        .iter()
        .map(|(e, r)| event_item(lang, e, registration_label(lang, &r.status)))
        .collect();
    out.push(list(
        "my-events",
        p("已报名的交流活动", "Events you registered for"),
        p(
            "没有即将举办的已报名活动。",
            "No upcoming event you registered for.",
        ),
        events,
        Some(("/events", p("查看活动日程", "See the calendar"))),
    ));
    out
}

fn lead_item(dir: &Directory, lang: Lang, d: &LeadDue) -> WorkItem {
    let l = &d.lead;
    let deadline = d.next.map(|n| {
        let what = match n.action {
            DueAction::Acknowledge => lang.pick("签收", "acknowledge"),
            DueAction::PassOn => lang.pick("移交", "pass on"),
            DueAction::Feedback => lang.pick("反馈", "feed back"),
            DueAction::Findings => lang.pick("核查处理", "verify and decide"),
        };
        match lang {
            Lang::Zh => format!("{what}期限 {}", when(n.at)),
            Lang::En => format!("{what} by {}", when(n.at)),
        }
    });
    let late = if d.late {
        lang.pick("（已逾期）", " (overdue)")
    } else {
        ""
    };
    WorkItem {
        href: format!("/leads/{}", l.id),
        title: format!("{} · {}", l.reference, l.summary),
        detail: format!(
            "{} · {}{late}",
            l.subject_org
                .as_deref()
                .map(|o| unit_name(dir, lang, o))
                .unwrap_or_else(|| l.subject_name.clone()),
            deadline.unwrap_or_default()
        ),
        late: d.late,
    }
}
