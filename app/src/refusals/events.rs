//! The words for the refusals of exchange events.

use domain::events::{EventField, EventRefusal, RegistrationRefused};

use super::{pick, Localize};
use crate::i18n::Lang;

impl Localize for EventField {
    fn text(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            EventField::Title => ("活动名称", "title"),
            EventField::Agenda => ("议程", "agenda"),
            EventField::Venue => ("地点", "venue"),
            EventField::VenueName => ("名称", "name"),
            EventField::StartsAt => ("开始时间", "start time"),
            EventField::EndsAt => ("结束时间", "end time"),
            EventField::RegistrationDeadline => ("报名截止时间", "registration deadline"),
            EventField::CaseNote => ("说明", "note"),
            EventField::ApprovedBy => ("审批人", "approved by"),
            EventField::Reference => ("文号", "reference"),
            EventField::Reason => ("取消原因", "reason"),
            EventField::Summary => ("纪要", "summary"),
        };
        pick(lang, zh, en)
    }
}

impl Localize for RegistrationRefused {
    fn text(&self, lang: Lang) -> String {
        match self {
            RegistrationRefused::NotOpen => pick(
                lang,
                "该活动未开放报名",
                "this event is not open for registration",
            ),
            RegistrationRefused::DeadlinePassed => {
                pick(lang, "报名已截止", "registration has closed")
            }
            RegistrationRefused::UnitNotInvited => pick(
                lang,
                "本活动不面向您所在单位",
                "this event is not open to your unit",
            ),
        }
    }
}

impl Localize for EventRefusal {
    fn text(&self, lang: Lang) -> String {
        use EventRefusal as R;
        let zh = lang == Lang::Zh;
        match self {
            R::TooLong { field, max } => {
                if zh {
                    format!("{}最多 {max} 字", field.text(lang))
                } else {
                    format!("{}: at most {max} characters", field.text(lang))
                }
            }
            R::ControlCharacters(field) => {
                if zh {
                    format!("{}含有控制字符", field.text(lang))
                } else {
                    format!("{}: contains control characters", field.text(lang))
                }
            }
            R::DirectionControls(field) => {
                if zh {
                    format!("{}含有文字方向控制字符（如 U+202E），会使其显示为其他内容", field.text(lang))
                } else {
                    format!(
                        "{}: holds a text-direction control (such as U+202E) that makes it display as something else",
                        field.text(lang)
                    )
                }
            }
            R::TitleMissing => pick(lang, "请填写活动名称", "enter a title"),
            R::KindMissing => pick(
                lang,
                "请选择活动类型（symposium、seminar、joint_training、other）",
                "choose a kind (symposium, seminar, joint_training, other)",
            ),
            R::VenueMissing => pick(lang, "请选择或填写地点", "choose or enter a venue"),
            R::BadTime(EventField::StartsAt) => pick(
                lang,
                "开始时间格式不正确",
                "the start time is not a valid time",
            ),
            R::BadTime(EventField::EndsAt) => pick(
                lang,
                "结束时间格式不正确",
                "the end time is not a valid time",
            ),
            R::BadTime(field) => {
                if zh {
                    format!("{}格式不正确", field.text(lang))
                } else {
                    format!("the {} is not a valid time", field.text(lang))
                }
            }
            R::EndsBeforeStart => pick(
                lang,
                "结束时间须晚于开始时间",
                "the event must end after it starts",
            ),
            R::LongerThanAWeek => pick(
                lang,
                "活动不能超过 7 天",
                "an event cannot last more than 7 days",
            ),
            R::StartInPast => pick(
                lang,
                "开始时间须在将来",
                "the start time must be in the future",
            ),
            R::DeadlineAfterStart => pick(
                lang,
                "报名截止时间不能晚于开始时间",
                "registration must close before the event starts",
            ),
            R::CapacityOutOfRange => pick(
                lang,
                "名额须为 1 至 10000",
                "places must be between 1 and 10000",
            ),
            R::OpenToMissing => pick(
                lang,
                "请至少选择一个可报名单位",
                "choose at least one unit that may register",
            ),
            R::UnknownUnit(code) => {
                if zh {
                    format!("未知单位代码：{code}")
                } else {
                    format!("unknown unit code: {code}")
                }
            }
            R::BadCohost(code) => {
                if zh {
                    format!("共同主办方须为其他协会：{code}")
                } else {
                    format!("a co-host must be another association: {code}")
                }
            }
            R::ApprovalIncomplete => pick(
                lang,
                "请填写审批人和文号",
                "enter who approved it and the reference",
            ),
            R::ApprovalDate => pick(
                lang,
                "审批日期格式应为 年-月-日",
                "the approval date must be yyyy-mm-dd",
            ),
            R::ApprovalAfterStart => pick(
                lang,
                "审批应在活动开始前作出：审批日期不能晚于活动当天",
                "the approval must be given before the event starts: it cannot be dated after the day of the event",
            ),
            R::RuleMissing => pick(
                lang,
                "请选择重复方式（每周、每月按日期、每月按星期、每季度）",
                "choose how the series repeats (weekly, monthly by date, monthly by weekday, quarterly)",
            ),
            R::RuleInterval => pick(lang, "间隔应为 1 至 12", "the interval must be 1 to 12"),
            R::RuleEnd => pick(
                lang,
                "请填写次数（1 至 52）或结束日期（年-月-日），二者选一",
                "give either a number of occurrences (1 to 52) or an end date (yyyy-mm-dd), not both",
            ),
            R::RuleUntilBeforeStart => pick(
                lang,
                "结束日期早于第一次活动",
                "the end date is before the first occurrence",
            ),
            R::TooManyOccurrences => pick(
                lang,
                "一个系列最多 52 次活动",
                "a series may have at most 52 occurrences",
            ),
            R::ReasonMissing => pick(lang, "请填写取消原因", "enter the reason for cancelling"),
            R::SummaryMissing => pick(lang, "请填写纪要", "enter the summary"),
            R::PersonMissing => pick(lang, "请选择人员", "choose a person"),
            R::VenueNameMissing => pick(lang, "请填写名称", "enter a name"),
            R::VenueNotListed => pick(lang, "请选择有效的场所", "choose a listed venue"),
            R::VenueRetired => pick(lang, "该场所已停用", "that venue is no longer in use"),
            R::NotEditable => pick(
                lang,
                "该活动已不能修改",
                "this event can no longer be edited",
            ),
            R::CapacityBelowRegistered(n) => {
                if zh {
                    format!("名额不能少于已报名人数（{n}）")
                } else {
                    format!("capacity cannot be below the number registered ({n})")
                }
            }
            R::NotADraft => pick(lang, "只有草稿可以发布", "only a draft can be published"),
            R::StartPassed => pick(
                lang,
                "活动开始时间已过",
                "the event's start time has passed",
            ),
            R::NeedsApproval(flag) => pick(lang, flag.label_zh(), flag.label_en()),
            R::NotCancellable => pick(lang, "该活动不能取消", "this event cannot be cancelled"),
            R::NotPublished => pick(
                lang,
                "只有已发布的活动可以标记为已举办",
                "only a published event can be marked as held",
            ),
            R::NotStarted => pick(lang, "活动尚未开始", "the event has not started yet"),
            R::NotHeld => pick(
                lang,
                "活动举办后才能填写纪要",
                "the summary is written after the event is held",
            ),
            R::InvitationClosed => pick(
                lang,
                "该活动已不能修改",
                "this event can no longer be changed",
            ),
            R::NoPendingInvitation => {
                pick(lang, "没有待答复的邀请", "there is no pending invitation")
            }
            R::Registration(r) => r.text(lang),
            R::UnregisterClosed => pick(
                lang,
                "该活动已不能取消报名",
                "registrations for this event can no longer be cancelled",
            ),
            R::NotRegistered => pick(
                lang,
                "您没有报名该活动",
                "you are not registered for this event",
            ),
            R::CheckinClosed => pick(
                lang,
                "该活动不能签到",
                "check-in is not open for this event",
            ),
            R::CheckinWindow => pick(
                lang,
                "签到时间为活动开始前 1 小时至结束后 1 小时",
                "check-in is open from an hour before the start to an hour after the end",
            ),
            R::WrongCheckinCode => pick(lang, "签到码不正确", "the check-in code is wrong"),
            R::CheckinTries(m) if lang == Lang::Zh => {
                format!("签到码错误次数过多，请 {m} 分钟后再试")
            }
            R::CheckinTries(m) => {
                format!("too many wrong check-in codes; try again in {m} minutes")
            }
            R::NoPlace => pick(
                lang,
                "您没有该活动的名额",
                "you do not hold a place at this event",
            ),
            R::AttendanceClosed => pick(
                lang,
                "该活动不能登记出席",
                "attendance cannot be recorded for this event",
            ),
            R::PersonHasNoPlace => pick(
                lang,
                "此人没有该活动的名额",
                "this person does not hold a place",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API's `zh / en` form is what it was before refusals were typed.
    #[test]
    fn both_languages_as_the_api_gives_them() {
        let cases: Vec<(Box<dyn Localize>, &str)> =
            vec![
            (
                Box::new(EventRefusal::Registration(RegistrationRefused::DeadlinePassed)),
                "报名已截止 / registration has closed",
            ),
            (
                Box::new(EventRefusal::TooLong {
                    field: EventField::Title,
                    max: 100,
                }),
                "活动名称最多 100 字 / title: at most 100 characters",
            ),
            (
                Box::new(EventRefusal::CapacityBelowRegistered(3)),
                "名额不能少于已报名人数（3） / capacity cannot be below the number registered (3)",
            ),
            (
                Box::new(EventRefusal::BadTime(EventField::RegistrationDeadline)),
                "报名截止时间格式不正确 / the registration deadline is not a valid time",
            ),
        ];
        for (refusal, want) in cases {
            assert_eq!(refusal.both(), want);
        }
    }
}
