//! The words for the refusals of training: starting a quiz attempt, answering it, assigning
//! courses.
//!
//! A refusal to start is said two ways: tersely by the JSON API ([`StartError`], a cool-down as
//! the minutes still to wait) and in sentences by the quiz's start page ([`StartNotice`], a
//! cool-down with the time it ends).

use domain::training::{AnswerProblem, AssignmentRefusal, AttemptRefusal, StartRefusal};

use super::{pick, Localize};
use crate::i18n::Lang;

/// A refusal to start an attempt as the JSON API says it at `now` (Unix ms): a cool-down as the
/// whole minutes still to wait, rounded up.
pub struct StartError {
    pub refusal: StartRefusal,
    pub now: i64,
}

impl Localize for StartError {
    fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self.refusal {
            StartRefusal::NoAttemptsLeft(n) => {
                if zh {
                    format!("{n} 次测验机会已用完")
                } else {
                    format!("all {n} attempts have been used")
                }
            }
            StartRefusal::CoolingDown(until) => {
                let m = (until - self.now + 59_999).max(0) / 60_000;
                if zh {
                    format!("请 {m} 分钟后再测")
                } else {
                    format!("wait {m} minutes before the next attempt")
                }
            }
            StartRefusal::NoMistakes => pick(
                lang,
                "没有需要练习的错题",
                "there are no mistakes to practise",
            ),
        }
    }
}

/// A refusal to start an attempt as the quiz's start page explains it: a cool-down with the
/// time it ends, as `time` writes a time (the server's Beijing time).
pub struct StartNotice {
    pub refusal: StartRefusal,
    pub time: fn(i64) -> String,
}

impl Localize for StartNotice {
    fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self.refusal {
            StartRefusal::NoAttemptsLeft(n) => {
                if zh {
                    format!("{n} 次测验机会已用完。")
                } else {
                    format!("All {n} attempts have been used.")
                }
            }
            StartRefusal::CoolingDown(until) => {
                let at = (self.time)(until);
                if zh {
                    format!("两次测验之间须间隔一段时间，请于 {at} 后再测。")
                } else {
                    format!("Attempts must be spaced out: try again after {at}.")
                }
            }
            StartRefusal::NoMistakes => pick(
                lang,
                "目前没有需要练习的错题。",
                "There are no mistakes to practise right now.",
            ),
        }
    }
}

impl Localize for AnswerProblem {
    fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            AnswerProblem::NotInAttempt(q) => {
                if zh {
                    "题目不在本次测验中".to_string()
                } else {
                    format!("question {q:?} is not part of this attempt")
                }
            }
            AnswerProblem::TooManyOptions(q) => {
                if zh {
                    format!("题目 {q} 选项过多")
                } else {
                    format!("too many options for {q}")
                }
            }
            AnswerProblem::NoSuchOption { question, option } => {
                if zh {
                    format!("选项 {option} 不是本次测验中题目 {question} 的选项（每次测验的选项编号都不同，请使用本次测验给出的编号）")
                } else {
                    format!("{option:?} is not an option of question {question} in this attempt (option ids differ in every attempt: use the ones this attempt gave)")
                }
            }
        }
    }
}

impl Localize for AttemptRefusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            AttemptRefusal::AlreadySubmitted => pick(
                lang,
                "本次测验已提交",
                "this attempt has already been submitted",
            ),
            AttemptRefusal::PastTimeLimit => pick(
                lang,
                "已超过时限，答案未保存",
                "past the time limit: answers not saved",
            ),
            AttemptRefusal::Invalid(problem) => problem.text(lang),
        }
    }
}

impl Localize for AssignmentRefusal {
    fn text(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            AssignmentRefusal::CourseMissing => ("请选择课程", "choose a course"),
            AssignmentRefusal::OutsideUnit => (
                "只能选择本单位人员（区司法局、区律师协会还可选择本区律师事务所的律师）",
                "only people of your unit can be selected (and, for the district justice bureau and lawyers' association, lawyers of the district's law firms)",
            ),
            AssignmentRefusal::LawyersNotYours => (
                "只有区司法局和区律师协会可以向律师布置课程（《暂行规定》第十一条）",
                "only the district justice bureau and lawyers' association assign courses to lawyers (Article 11)",
            ),
            AssignmentRefusal::NoSuchFirm => (
                "请选择在本区登记的律师事务所",
                "choose a law firm registered in the district",
            ),
            AssignmentRefusal::NobodySelected => ("请至少选择一人", "select at least one person"),
            AssignmentRefusal::TargetMissing => ("请选择对象", "choose who the course is for"),
            AssignmentRefusal::DueDate => (
                "请填写截止日期（年-月-日）",
                "enter a due date (yyyy-mm-dd)",
            ),
        };
        pick(lang, zh, en)
    }

    /// As always given: after the full-width bracket of the due date's Chinese, no space
    /// before the slash.
    fn both(&self) -> String {
        let gap = match self {
            AssignmentRefusal::DueDate => "/ ",
            _ => " / ",
        };
        format!("{}{gap}{}", self.text(Lang::Zh), self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API's `zh / en` form is what it was before refusals were typed.
    #[test]
    fn both_languages_as_the_api_gives_them() {
        let cases: Vec<(Box<dyn Localize>, &str)> = vec![
            (
                Box::new(StartError {
                    refusal: StartRefusal::NoAttemptsLeft(3),
                    now: 0,
                }),
                "3 次测验机会已用完 / all 3 attempts have been used",
            ),
            (
                Box::new(StartError {
                    refusal: StartRefusal::CoolingDown(10 * 60_000 + 1),
                    now: 0,
                }),
                "请 11 分钟后再测 / wait 11 minutes before the next attempt",
            ),
            (
                Box::new(StartError {
                    refusal: StartRefusal::NoMistakes,
                    now: 0,
                }),
                "没有需要练习的错题 / there are no mistakes to practise",
            ),
            (
                Box::new(AttemptRefusal::AlreadySubmitted),
                "本次测验已提交 / this attempt has already been submitted",
            ),
            (
                Box::new(AttemptRefusal::PastTimeLimit),
                "已超过时限，答案未保存 / past the time limit: answers not saved",
            ),
            (
                Box::new(AttemptRefusal::Invalid(AnswerProblem::NotInAttempt(
                    "q-9".into(),
                ))),
                "题目不在本次测验中 / question \"q-9\" is not part of this attempt",
            ),
            (
                Box::new(AnswerProblem::NoSuchOption {
                    question: "q1".into(),
                    option: "zz".into(),
                }),
                "选项 zz 不是本次测验中题目 q1 的选项（每次测验的选项编号都不同，请使用本次测验给出的编号） / \"zz\" is not an option of question q1 in this attempt (option ids differ in every attempt: use the ones this attempt gave)",
            ),
            (
                Box::new(AnswerProblem::TooManyOptions("q1".into())),
                "题目 q1 选项过多 / too many options for q1",
            ),
            (
                Box::new(AssignmentRefusal::CourseMissing),
                "请选择课程 / choose a course",
            ),
            (
                Box::new(AssignmentRefusal::DueDate),
                "请填写截止日期（年-月-日）/ enter a due date (yyyy-mm-dd)",
            ),
        ];
        for (refusal, want) in cases {
            assert_eq!(refusal.both(), want);
        }
    }

    /// The start page's sentences, with the end of a cool-down as the server writes it.
    #[test]
    fn the_start_page_explains_in_sentences() {
        let notice = StartNotice {
            refusal: StartRefusal::CoolingDown(0),
            time: |_| "2026-11-27 09:30:05".to_string(),
        };
        assert_eq!(
            notice.text(Lang::En),
            "Attempts must be spaced out: try again after 2026-11-27 09:30:05."
        );
        assert_eq!(
            notice.text(Lang::Zh),
            "两次测验之间须间隔一段时间，请于 2026-11-27 09:30:05 后再测。"
        );
    }
}
