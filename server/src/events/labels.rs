//! How events read on a page: unit names, status labels, the card of the lists, and the
//! confirmation shown after an action's redirect.

use app::i18n::Lang;
use app::pages::events::EventCard;
use domain::directory::Directory;
use domain::events::{EventStatus, Flag};
use store::events::EventRecord;

use crate::time::when;

pub fn unit_name(dir: &Directory, lang: Lang, code: &str) -> String {
    dir.get(code)
        .map(|u| lang.pick(&u.name_zh, &u.name_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn status_label(lang: Lang, s: EventStatus) -> String {
    lang.pick(s.label_zh(), s.label_en()).to_string()
}

pub fn registration_label(lang: Lang, s: &str) -> String {
    match s {
        "registered" => lang.pick("已报名", "Registered"),
        "waitlisted" => lang.pick("候补中", "On the waitlist"),
        "cancelled" => lang.pick("已取消报名", "Cancelled"),
        other => other,
    }
    .to_string()
}

pub fn flag_label(lang: Lang, f: Flag) -> String {
    lang.pick(f.label_zh(), f.label_en()).to_string()
}

/// Host and accepted co-hosts, as a published event lists them.
pub fn hosts_text(dir: &Directory, lang: Lang, ev: &EventRecord) -> String {
    std::iter::once(ev.host_unit.clone())
        .chain(ev.accepted_cohosts())
        .map(|c| unit_name(dir, lang, &c))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// The card of an event in the lists.
pub fn card(dir: &Directory, lang: Lang, ev: &EventRecord, mine: Option<&str>) -> EventCard {
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

/// The confirmation for `?status=` after an action's redirect.
pub fn status_message(lang: Lang, code: &str) -> Option<String> {
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
