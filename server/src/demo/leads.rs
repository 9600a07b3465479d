//! Demo leads (Art. 6–8, 13): reported by the demo lead handlers so that every routing rule
//! R1–R10 occurs, at every stage of the case life: just sent, acknowledged, passed on, with
//! findings, with an outcome, fed back, closed, reopened, a manual case waiting for the joint
//! office and one it routed by hand; some are past the local deadlines (acknowledge, pass on,
//! feedback). Reports go through the report validation and routing of real use
//! ([`build_lead`]) and actions through [`run_at`], each at its time relative to today.

use store::leads;

use super::{Demo, DemoError, DAY, HOUR};
use crate::leads::service::{self, build_lead, run_at, LeadCommand, Report, ReportSubject};

const STEP: &str = "leads";

/// One action on the case: `hours` after the report, by the lead handler `by`.
struct Act {
    hours: i64,
    by: &'static str,
    action: &'static str,
    text: &'static str,
    outcomes: &'static [&'static str],
    route: &'static [&'static str],
    /// For `external_reply`: the replying organ and its letter number (received on the day of
    /// the act).
    letter: Option<(&'static str, &'static str)>,
}

const fn act(hours: i64, by: &'static str, action: &'static str, text: &'static str) -> Act {
    Act {
        hours,
        by,
        action,
        text,
        outcomes: &[],
        route: &[],
        letter: None,
    }
}

/// A lead to report: by whom, about whom, when, and what happened since.
struct Spec {
    /// The rule the routing must pick; checked, so a change of the rules shows here.
    rule: &'static str,
    by: &'static str,
    /// (type, name, organ, duty) for judicial personnel; (type, name, firm, licence) for a
    /// lawyer.
    subject: [&'static str; 4],
    conduct: &'static str,
    summary: &'static str,
    details: &'static str,
    days_ago: i64,
    route: Option<usize>,
    acts: Vec<Act>,
}

const J: &str = "judicial_personnel";
const L: &str = "lawyer";
const JUSTICE: &str = "dz-justice-officer";
const COURT: &str = "dz-court-officer";
const PROC: &str = "dz-procuratorate-officer";
const PSB: &str = "dz-psb-officer";
const BAR: &str = "dz-bar-officer";
const YC_COURT: &str = "yc-court-officer";

fn specs() -> Vec<Spec> {
    vec![
        // R1, the whole life: acknowledged, findings, outcome, feedback, closed.
        Spec {
            rule: "R1",
            by: JUSTICE,
            subject: [J, "刘某某", "dz-court", "adjudication"],
            conduct: "accepting_benefits",
            summary: "承办法官接受代理律师宴请",
            details: "据反映，承办法官在案件审理期间接受一方代理律师安排的宴请。",
            days_ago: 40,
            route: None,
            acts: vec![
                act(4, COURT, "acknowledge", ""),
                act(5 * 24, COURT, "findings", "经调查核实，该法官确曾参加宴请，已责令其说明情况。"),
                Act {
                    outcomes: &["discipline"],
                    ..act(9 * 24, COURT, "outcome", "对其给予诫勉谈话处理，并调整案件承办人。")
                },
                act(10 * 24, COURT, "feedback", "核查结果及处理情况已反馈区司法局。"),
                act(11 * 24, JUSTICE, "close", "已收到反馈，结案。"),
            ],
        },
        // R2: passed on by the district court; the municipal court has not acknowledged
        // (past the acknowledgement deadline).
        Spec {
            rule: "R2",
            by: JUSTICE,
            subject: [J, "陈某", "cq-court-1", "enforcement"],
            conduct: "leaking_secrets",
            summary: "执行人员向律师透露查封计划",
            details: "律师在执行案件中提前获知查封时间，疑似由执行人员透露。",
            days_ago: 9,
            route: None,
            acts: vec![
                act(3, COURT, "acknowledge", ""),
                act(24, COURT, "pass_on", ""),
            ],
        },
        // R3: through the district court to the Yongchuan court, which recorded its findings.
        Spec {
            rule: "R3",
            by: JUSTICE,
            subject: [J, "周某某", "yc-court", "adjudication"],
            conduct: "introducing_cases",
            summary: "法官向当事人推荐特定律师",
            details: "当事人反映，立案后承办法官向其推荐某律师事务所律师代理案件。",
            days_ago: 12,
            route: None,
            acts: vec![
                act(2, COURT, "acknowledge", ""),
                act(24, COURT, "pass_on", ""),
                act(2 * 24, YC_COURT, "acknowledge", ""),
                act(6 * 24, YC_COURT, "findings", "已调取立案及诉讼材料，正在约谈相关人员。"),
            ],
        },
        // R4: reported yesterday, waiting for the procuratorate's acknowledgement.
        Spec {
            rule: "R4",
            by: BAR,
            subject: [J, "吴某", "dz-procuratorate", "procuratorial"],
            conduct: "borrowing_or_renting",
            summary: "检察人员向律师借用车辆",
            details: "会员律师反映，某检察人员多次借用其车辆用于私人事务。",
            days_ago: 1,
            route: None,
            acts: vec![],
        },
        // R5: acknowledged by the district procuratorate and not passed on (past the deadline).
        Spec {
            rule: "R5",
            by: BAR,
            subject: [J, "郑某某", "yc-procuratorate", "procuratorial"],
            conduct: "accepting_benefits",
            summary: "检察人员收受律师所送礼品",
            details: "律师协会接到反映，永川区某检察人员在审查起诉阶段收受律师所送礼品。",
            days_ago: 8,
            route: None,
            acts: vec![act(20, PROC, "acknowledge", "")],
        },
        // R6: the regulation names no route: waiting for the joint office to route it.
        Spec {
            rule: "R6",
            by: BAR,
            subject: [J, "孙某", "cq-court-1", "adjudication"],
            conduct: "other_improper",
            summary: "市一中院法官与律师频繁私下接触",
            details: "会员律师反映，市一中院某法官与对方代理律师在案件审理期间频繁私下会面。",
            days_ago: 2,
            route: None,
            acts: vec![],
        },
        // R7 (b): through the bar association to the justice bureau; the outcome is recorded
        // but the feedback is late.
        Spec {
            rule: "R7",
            by: COURT,
            subject: [L, "赵某某", "dz-firm-1", "15001201910000001"],
            conduct: "intermediary_fraud",
            summary: "律师以“打点关系”为名向当事人收取费用",
            details: "法院在审理中发现，律师以疏通法官关系为由向当事人额外收取费用。",
            days_ago: 35,
            route: Some(1),
            acts: vec![
                act(24, BAR, "acknowledge", ""),
                act(2 * 24, BAR, "pass_on", ""),
                act(3 * 24, JUSTICE, "acknowledge", ""),
                act(10 * 24, JUSTICE, "findings", "经核查，该律师确以疏通关系为名收取费用，证据已固定。"),
                Act {
                    outcomes: &["administrative_penalty"],
                    ..act(14 * 24, JUSTICE, "outcome", "拟给予停止执业三个月的行政处罚，并建议律师协会给予行业处分。")
                },
            ],
        },
        // R7 (a): straight to the justice bureau, acknowledged, with a message.
        Spec {
            rule: "R7",
            by: COURT,
            subject: [L, "钱某", "dz-firm-2", "15001201810000002"],
            conduct: "leaking_secrets",
            summary: "律师散布法官个人信息",
            details: "律师在网络群组中散布承办法官的家庭住址及联系方式。",
            days_ago: 3,
            route: Some(0),
            acts: vec![
                act(5, JUSTICE, "acknowledge", ""),
                act(24, COURT, "message", "相关网络截图已整理，如需可随时调取。"),
            ],
        },
        // R8: the public security bureau's own officer: internal handling, findings recorded.
        Spec {
            rule: "R8",
            by: PSB,
            subject: [J, "王某某", "dz-psb", "investigation"],
            conduct: "leaking_secrets",
            summary: "侦查人员向律师透露案情",
            details: "督察部门发现，侦查人员在侦查阶段向犯罪嫌疑人的辩护律师透露侦查进展。",
            days_ago: 6,
            route: None,
            acts: vec![act(2 * 24, PSB, "findings", "已对相关通话记录进行核查。")],
        },
        // R9: the justice bureau's own case about a lawyer, closed with an outcome.
        Spec {
            rule: "R9",
            by: JUSTICE,
            subject: [L, "冯某", "dz-firm-1", "15001201710000003"],
            conduct: "introducing_cases",
            summary: "律师通过司法人员介绍案源",
            details: "司法局在执业检查中发现，律师的多起案件系由某司法人员介绍而来。",
            days_ago: 20,
            route: None,
            acts: vec![
                act(3 * 24, JUSTICE, "findings", "核查执业档案和委托材料，情况属实。"),
                Act {
                    outcomes: &["administrative_penalty"],
                    ..act(7 * 24, JUSTICE, "outcome", "给予警告的行政处罚。")
                },
                act(8 * 24, JUSTICE, "close", ""),
            ],
        },
        // R10: a manual case the joint office routed by hand, now acknowledged.
        Spec {
            rule: "R10",
            by: COURT,
            subject: [J, "何某", "dz-procuratorate", "procuratorial"],
            conduct: "accepting_benefits",
            summary: "检察人员接受律师宴请（法院发现）",
            details: "法院在庭审后得知，公诉人曾与辩护律师共同出席宴请。",
            days_ago: 5,
            route: None,
            acts: vec![
                Act {
                    route: &["dz-procuratorate"],
                    ..act(6, JUSTICE, "route", "《暂行规定》未规定法院发现检察人员线索的移送路径，联合办公室决定直接移交区检察院核查。")
                },
                act(30, PROC, "acknowledge", ""),
            ],
        },
        // R1 reopened: closed once, reopened because new facts came in.
        Spec {
            rule: "R1",
            by: JUSTICE,
            subject: [J, "许某", "dz-psb", "supervision"],
            conduct: "borrowing_or_renting",
            summary: "监管民警向律师借款",
            details: "看守所监管民警向会见在押人员的律师借款。",
            days_ago: 28,
            route: None,
            acts: vec![
                act(3, PSB, "acknowledge", ""),
                act(4 * 24, PSB, "findings", "经核查，借款事实存在，已归还。"),
                Act {
                    outcomes: &["not_substantiated"],
                    ..act(6 * 24, PSB, "outcome", "借款已归还且未影响执法，不予处理。")
                },
                act(7 * 24, PSB, "feedback", "处理结果已反馈。"),
                act(8 * 24, JUSTICE, "close", ""),
                act(20 * 24, JUSTICE, "reopen", "又收到新的反映材料，显示借款金额远大于核查所认定的数额，重新核查。"),
            ],
        },
        // R3, finished through an organ outside the portal: dz-court passes it on to the
        // 荣昌区 court by letter, records that court's reply, feeds back; the joint office closes.
        Spec {
            rule: "R3",
            by: JUSTICE,
            subject: [J, "周某某", "rc-court", "adjudication"],
            conduct: "other_improper",
            summary: "外区法官在律师事务所与律师私下会见",
            details: "据律师反映，荣昌区法院一名法官多次在律师事务所与案件代理律师私下会见。",
            days_ago: 50,
            route: None,
            acts: vec![
                act(3, COURT, "acknowledge", ""),
                act(24, COURT, "not_verified", "被反映人系荣昌区法院法官，本院无管辖权，依第七条第（三）项移交荣昌区法院。"),
                act(25, COURT, "pass_on", ""),
                Act {
                    outcomes: &["discipline"],
                    letter: Some(("rc-court", "荣法函〔2026〕8号")),
                    ..act(20 * 24, COURT, "external_reply", "经荣昌区法院核查，反映属实，已对该法官依纪依规处理。")
                },
                act(21 * 24, COURT, "feedback", "荣昌区法院来函：反映属实，已依纪依规处理。"),
                act(22 * 24, JUSTICE, "close", ""),
            ],
        },
    ]
}

fn report_of(spec: &Spec, occurred_on: String) -> Report {
    let [kind, name, a, b] = spec.subject;
    let subject = if kind == J {
        ReportSubject {
            kind: kind.into(),
            name: name.into(),
            org: Some(a.into()),
            duty: Some(b.into()),
            ..Default::default()
        }
    } else {
        ReportSubject {
            kind: kind.into(),
            name: name.into(),
            firm: Some(a.into()),
            licence_no: Some(b.into()),
            region: Some("重庆市大足区".into()),
            ..Default::default()
        }
    };
    Report {
        subject,
        summary: spec.summary.into(),
        details: spec.details.into(),
        occurred_on: Some(occurred_on),
        place: Some("重庆市大足区".into()),
        conduct_kind: Some(spec.conduct.into()),
        route: spec.route,
        counterpart: None,
    }
}

pub async fn seed(demo: &Demo<'_>) -> Result<(), DemoError> {
    let state = demo.state;
    let dir = service::directory(state).await?;
    // Oldest first, so that reference numbers follow the order of reporting.
    let mut specs = specs();
    specs.sort_by_key(|s| std::cmp::Reverse(s.days_ago));
    for spec in specs {
        // Leads of absent accounts (a trimmed demo) are left out.
        if !demo.has(spec.by) || spec.acts.iter().any(|a| !demo.has(a.by)) {
            continue;
        }
        let caller = demo.caller(spec.by)?;
        let handler = service::handler(&caller, &dir)
            .ok_or_else(|| DemoError::refused(STEP, format!("{} handles no leads", spec.by)))?;
        let reported = demo.now - spec.days_ago * DAY + 2 * HOUR;
        let occurred = (demo.today - chrono::Duration::days(spec.days_ago + 3)).to_string();
        let lead = build_lead(&dir, &handler, &report_of(&spec, occurred))
            .map_err(|r| DemoError::refused(STEP, r))?;
        if lead.rule != spec.rule {
            return Err(DemoError::refused(
                STEP,
                format!(
                    "{} routed by {} instead of {}",
                    spec.summary, lead.rule, spec.rule
                ),
            ));
        }
        let (id, _) = leads::create_lead_at(&state.db, &lead, &caller.actor(), reported).await?;
        for a in &spec.acts {
            let caller = demo.caller(a.by)?;
            let handler = service::handler(&caller, &dir)
                .ok_or_else(|| DemoError::refused(STEP, format!("{} handles no leads", a.by)))?;
            let command = LeadCommand {
                action: a.action.into(),
                text: a.text.into(),
                outcomes: a.outcomes.iter().map(|o| o.to_string()).collect(),
                route: a.route.iter().map(|u| u.to_string()).collect(),
                referred_to: String::new(),
                from: a.letter.map(|(u, _)| u.to_string()).unwrap_or_default(),
                received_on: a
                    .letter
                    .map(|_| demo.date_of(reported + a.hours * HOUR).to_string())
                    .unwrap_or_default(),
                reference: a.letter.map(|(_, r)| r.to_string()).unwrap_or_default(),
            };
            run_at(
                state,
                &caller,
                &handler,
                id,
                command,
                reported + a.hours * HOUR,
            )
            .await
            .map_err(|e| DemoError::refused(STEP, (spec.summary, a.action, e)))?;
        }
    }
    Ok(())
}
