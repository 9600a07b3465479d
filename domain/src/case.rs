//! The life of a lead after routing (lead-routing.md, "After routing"): who may see it, which
//! actions each unit may take at each moment, when feedback has reached the discoverer, and
//! which deadlines are overdue. Pure functions over the case facts, so every transition is
//! table-tested without a database.

use serde::{Deserialize, Serialize};

use crate::files::UploadRefusal;
use crate::routing::RouteError;

/// Article 14's duties of judicial personnel.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Adjudication,
    Enforcement,
    Procuratorial,
    Investigation,
    Supervision,
}

impl Duty {
    pub const ALL: [Duty; 5] = [
        Duty::Adjudication,
        Duty::Enforcement,
        Duty::Procuratorial,
        Duty::Investigation,
        Duty::Supervision,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Adjudication => "adjudication",
            Duty::Enforcement => "enforcement",
            Duty::Procuratorial => "procuratorial",
            Duty::Investigation => "investigation",
            Duty::Supervision => "supervision",
        }
    }

    /// Parses [`Duty::as_str`].
    pub fn parse(s: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// (zh, en) labels, in Article 14's words.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Duty::Adjudication => ("审判", "adjudication"),
            Duty::Enforcement => ("执行", "enforcement"),
            Duty::Procuratorial => ("检察", "procuratorial work"),
            Duty::Investigation => ("侦查", "investigation"),
            Duty::Supervision => ("监管", "custodial supervision"),
        }
    }
}

/// The six kinds of prohibited contact reported for the 2015 provisions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConductKind {
    LeakingSecrets,
    IntroducingCases,
    AcceptingBenefits,
    BorrowingOrRenting,
    IntermediaryFraud,
    OtherImproper,
}

impl ConductKind {
    pub const ALL: [ConductKind; 6] = [
        ConductKind::LeakingSecrets,
        ConductKind::IntroducingCases,
        ConductKind::AcceptingBenefits,
        ConductKind::BorrowingOrRenting,
        ConductKind::IntermediaryFraud,
        ConductKind::OtherImproper,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ConductKind::LeakingSecrets => "leaking_secrets",
            ConductKind::IntroducingCases => "introducing_cases",
            ConductKind::AcceptingBenefits => "accepting_benefits",
            ConductKind::BorrowingOrRenting => "borrowing_or_renting",
            ConductKind::IntermediaryFraud => "intermediary_fraud",
            ConductKind::OtherImproper => "other_improper",
        }
    }

    /// Parses [`ConductKind::as_str`].
    pub fn parse(s: &str) -> Option<ConductKind> {
        ConductKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// (zh, en) labels.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            ConductKind::LeakingSecrets => ("泄露办案工作秘密或其他依法依规不得泄露的情况", "Leaking case-handling secrets or other information that must not be disclosed"),
            ConductKind::IntroducingCases => ("介绍代理人、辩护人，介绍案件，或暗示更换律师", "Recommending lawyers, introducing cases, or hinting that a party replace its lawyer"),
            ConductKind::AcceptingBenefits => ("接受宴请、礼品或其他利益", "Accepting meals, gifts or other benefits"),
            ConductKind::BorrowingOrRenting => ("向其借款、租借房屋或借用交通工具、通讯工具等", "Borrowing money, renting housing, or borrowing vehicles, phones or other things"),
            ConductKind::IntermediaryFraud => ("在委托评估、拍卖等活动中徇私舞弊", "Favouritism or fraud in commissioned appraisal, auction and similar activities"),
            ConductKind::OtherImproper => ("其他不正当接触交往行为", "Other improper contact"),
        }
    }
}

/// Article 13 outcomes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotSubstantiated,
    Discipline,
    AdministrativePenalty,
    IndustrySanction,
    CriminalReferral,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::NotSubstantiated,
        Outcome::Discipline,
        Outcome::AdministrativePenalty,
        Outcome::IndustrySanction,
        Outcome::CriminalReferral,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotSubstantiated => "not_substantiated",
            Outcome::Discipline => "discipline",
            Outcome::AdministrativePenalty => "administrative_penalty",
            Outcome::IndustrySanction => "industry_sanction",
            Outcome::CriminalReferral => "criminal_referral",
        }
    }

    /// Parses [`Outcome::as_str`].
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// (zh, en) labels.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Outcome::NotSubstantiated => ("经核实不属实", "Not substantiated"),
            Outcome::Discipline => (
                "由所属机关依纪依规处理",
                "Discipline by the subject's own organ",
            ),
            Outcome::AdministrativePenalty => (
                "行政处罚（司法行政部门，律师）",
                "Administrative penalty (justice bureau, lawyers)",
            ),
            Outcome::IndustrySanction => (
                "行业处分（律师协会，律师）",
                "Industry sanction (lawyers' association, lawyers)",
            ),
            Outcome::CriminalReferral => (
                "涉嫌犯罪，依法移送问题线索",
                "Suspected crime referred to the competent authority",
            ),
        }
    }
}

/// One hand-over as recorded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub hop: i64,
    pub sender: String,
    pub receiver: String,
    pub sent_at: i64,
    pub acknowledged_at: Option<i64>,
    pub passed_on_at: Option<i64>,
}

/// What the rules need to know about a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub discoverer: String,
    /// The route in force (discoverer first); `None` while the joint office has not routed a
    /// manual case.
    pub route: Option<Vec<String>>,
    pub steps: Vec<Step>,
    /// Units that recorded verification findings.
    pub findings_by: Vec<String>,
    pub outcome_recorded: bool,
    pub feedback_sent: bool,
    pub closed: bool,
}

/// Something a unit can do on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The joint office chooses the receivers of a manual case.
    Route,
    /// 签收 the hand-over addressed to this unit.
    Acknowledge,
    /// Pass the lead on to exactly the next unit of the route.
    PassOn {
        to: String,
    },
    /// Record verification findings (调查核实).
    Findings,
    /// Record the Article 13 outcome(s) (final receiver).
    Outcome,
    /// Send the findings and outcome back to the discoverer.
    Feedback,
    Close,
    Reopen,
    Message,
}

impl CaseFacts {
    /// The unit that records the outcome: the last of the route.
    pub fn final_receiver(&self) -> Option<&str> {
        self.route
            .as_ref()
            .and_then(|r| r.last())
            .map(String::as_str)
    }

    /// Whether `unit` has the lead in hand: it is the discoverer, or a hand-over reached it.
    fn reached(&self, unit: &str) -> bool {
        unit == self.discoverer || self.steps.iter().any(|s| s.receiver == unit)
    }

    fn acknowledged_by(&self, unit: &str) -> bool {
        self.steps
            .iter()
            .any(|s| s.receiver == unit && s.acknowledged_at.is_some())
    }

    /// Whether the discoverer has the findings and outcome (for internal handling the
    /// discoverer is the final receiver, and feedback is the outcome itself).
    pub fn feedback_complete(&self) -> bool {
        self.outcome_recorded
            && (self.feedback_sent || self.final_receiver() == Some(self.discoverer.as_str()))
    }
}

/// Who may see a case: the discoverer, the units a hand-over has reached, the joint office.
pub fn visible_to(facts: &CaseFacts, unit: &str, joint_office: bool) -> bool {
    joint_office || facts.reached(unit)
}

/// The actions `unit` may take now. `joint_office` is true for the lead handlers of the home
/// justice bureau acting as the joint office.
pub fn allowed_actions(facts: &CaseFacts, unit: &str, joint_office: bool) -> Vec<Action> {
    let mut out = Vec::new();
    if !visible_to(facts, unit, joint_office) {
        return out;
    }
    let is_final = facts.final_receiver() == Some(unit);
    if facts.closed {
        if unit == facts.discoverer || joint_office || is_final {
            out.push(Action::Reopen);
        }
        out.push(Action::Message);
        return out;
    }
    let Some(route) = &facts.route else {
        if joint_office {
            out.push(Action::Route);
        }
        out.push(Action::Message);
        return out;
    };
    for s in facts.steps.iter().filter(|s| s.receiver == unit) {
        if s.acknowledged_at.is_none() {
            out.push(Action::Acknowledge);
        } else if s.passed_on_at.is_none() && !is_final {
            if let Some(next) = route.get(s.hop as usize + 1) {
                out.push(Action::PassOn { to: next.clone() });
            }
        }
    }
    let internal = route.len() == 1 && unit == facts.discoverer;
    let in_hand = internal || facts.acknowledged_by(unit);
    if in_hand {
        out.push(Action::Findings);
    }
    if in_hand && is_final && facts.findings_by.iter().any(|u| u == unit) {
        out.push(Action::Outcome);
    }
    if is_final && facts.outcome_recorded && !facts.feedback_sent && !internal {
        out.push(Action::Feedback);
    }
    if facts.feedback_complete() && (unit == facts.discoverer || joint_office) {
        out.push(Action::Close);
    }
    out.push(Action::Message);
    out
}

/// Local deadlines (not in the regulation), in days counted from dispatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub acknowledge_days: i64,
    pub pass_on_days: i64,
    pub feedback_days: i64,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            acknowledge_days: 3,
            pass_on_days: 5,
            feedback_days: 30,
        }
    }
}

/// A deadline that has passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// `acknowledge`, `pass_on` or `feedback`.
    pub what: String,
    /// The unit that is late.
    pub unit: String,
    /// When the clock started (ms).
    pub since: i64,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Every deadline of an open case that has passed at `now`.
pub fn overdue(facts: &CaseFacts, now: i64, d: Deadlines) -> Vec<Overdue> {
    let mut out = Vec::new();
    if facts.closed {
        return out;
    }
    let final_unit = facts.final_receiver().map(String::from);
    for s in &facts.steps {
        match s.acknowledged_at {
            None if now - s.sent_at > d.acknowledge_days * DAY_MS => out.push(Overdue {
                what: "acknowledge".into(),
                unit: s.receiver.clone(),
                since: s.sent_at,
            }),
            Some(_)
                if s.passed_on_at.is_none()
                    && Some(&s.receiver) != final_unit.as_ref()
                    && now - s.sent_at > d.pass_on_days * DAY_MS =>
            {
                out.push(Overdue {
                    what: "pass_on".into(),
                    unit: s.receiver.clone(),
                    since: s.sent_at,
                })
            }
            _ => {}
        }
    }
    if let (Some(first), Some(final_unit)) = (facts.steps.first(), final_unit) {
        if !facts.feedback_complete() && now - first.sent_at > d.feedback_days * DAY_MS {
            out.push(Overdue {
                what: "feedback".into(),
                unit: final_unit,
                since: first.sent_at,
            });
        }
    }
    out
}

/// A field of a lead report, or the text of a case action, as refusals name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadField {
    Name,
    Summary,
    Details,
    Place,
    LicenceNo,
    Region,
    Firm,
    /// The text of a case action.
    Text,
}

/// Why what was typed into a report or a case action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputRefusal {
    Required(LeadField),
    TooLong {
        field: LeadField,
        max: usize,
    },
    ControlCharacters(LeadField),
    /// Judicial personnel without the unit they work at.
    OrganMissing,
    /// A subject that is neither judicial personnel nor a lawyer.
    SubjectType,
    /// The discoverer or the subject's unit is not in the directory.
    Route(RouteError),
    /// The date of the conduct is not `YYYY-MM-DD`.
    BadDate,
    /// The date of the conduct is after today.
    FutureDate,
    UnknownConduct(String),
    /// A lawyer without a licence number.
    LicenceMissing,
    /// The route chosen is not one of the plan's `0..=last`.
    RouteChoice {
        last: usize,
    },
    UnknownAction,
    UnknownOutcome(String),
}

/// Why the case rules refuse an action now, on the case as it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseRefusal {
    /// Not among [`allowed_actions`] for this unit now.
    NotAvailable,
    /// Passing on with no next unit on the route.
    NoNextReceiver,
    OutcomeMissing,
    /// Reopening without a reason.
    ReopenReasonMissing,
    /// Manual routing without receivers or without a reason.
    RouteIncomplete,
    /// Manual routing to a unit not in the directory.
    UnknownUnit(String),
    /// Manual routing through the same unit twice.
    UnitTwice,
    /// An entry without its text.
    TextMissing,
}

/// Anything refused about a lead. The kind decides the HTTP status at the edge: what was
/// typed is a 422, the case's state a 409, an attachment a 422 (or a 400 when the upload
/// itself cannot be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeadRefusal {
    Input(InputRefusal),
    Case(CaseRefusal),
    Upload(UploadRefusal),
}

impl From<InputRefusal> for LeadRefusal {
    fn from(r: InputRefusal) -> Self {
        LeadRefusal::Input(r)
    }
}

impl From<CaseRefusal> for LeadRefusal {
    fn from(r: CaseRefusal) -> Self {
        LeadRefusal::Case(r)
    }
}

impl From<UploadRefusal> for LeadRefusal {
    fn from(r: UploadRefusal) -> Self {
        LeadRefusal::Upload(r)
    }
}

/// Something a report says that puts in doubt whether the regulation applies; the lead is
/// recorded all the same, with the warning on file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadWarning {
    /// The subject's duty is not one of Article 14's.
    DutyNotInArticle14,
    /// The subject's unit is not a court, procuratorate, public security or justice organ.
    UnitNotInArticle14,
    /// The lawyer seems neither registered nor practising in the home district (Article 3).
    LawyerNotLocal,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(hop: i64, from: &str, to: &str, acked: bool, passed: bool) -> Step {
        Step {
            hop,
            sender: from.into(),
            receiver: to.into(),
            sent_at: 0,
            acknowledged_at: acked.then_some(1),
            passed_on_at: passed.then_some(2),
        }
    }

    fn r3(steps: Vec<Step>) -> CaseFacts {
        CaseFacts {
            discoverer: "dz-justice".into(),
            route: Some(vec![
                "dz-justice".into(),
                "dz-court".into(),
                "yc-court".into(),
            ]),
            steps,
            ..Default::default()
        }
    }

    #[test]
    fn an_r3_case_moves_hop_by_hop() {
        use Action::*;
        let pass = |to: &str| PassOn { to: to.into() };
        // (facts, unit, joint office, expected actions)
        let cases: Vec<(CaseFacts, &str, bool, Vec<Action>)> = vec![
            (
                r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
                "dz-court",
                false,
                vec![Acknowledge, Message],
            ),
            (
                r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
                "yc-court",
                false,
                vec![],
            ),
            (
                r3(vec![step(1, "dz-justice", "dz-court", false, false)]),
                "dz-justice",
                false,
                vec![Message],
            ),
            (
                r3(vec![step(1, "dz-justice", "dz-court", true, false)]),
                "dz-court",
                false,
                vec![pass("yc-court"), Findings, Message],
            ),
            (
                r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", false, false),
                ]),
                "dz-court",
                false,
                vec![Findings, Message],
            ),
            (
                r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", false, false),
                ]),
                "yc-court",
                false,
                vec![Acknowledge, Message],
            ),
            (
                r3(vec![
                    step(1, "dz-justice", "dz-court", true, true),
                    step(2, "dz-court", "yc-court", true, false),
                ]),
                "yc-court",
                false,
                vec![Findings, Message],
            ),
            (
                CaseFacts {
                    findings_by: vec!["yc-court".into()],
                    ..r3(vec![
                        step(1, "dz-justice", "dz-court", true, true),
                        step(2, "dz-court", "yc-court", true, false),
                    ])
                },
                "yc-court",
                false,
                vec![Findings, Outcome, Message],
            ),
            (
                CaseFacts {
                    findings_by: vec!["yc-court".into()],
                    outcome_recorded: true,
                    ..r3(vec![
                        step(1, "dz-justice", "dz-court", true, true),
                        step(2, "dz-court", "yc-court", true, false),
                    ])
                },
                "yc-court",
                false,
                vec![Findings, Outcome, Feedback, Message],
            ),
            (
                CaseFacts {
                    findings_by: vec!["yc-court".into()],
                    outcome_recorded: true,
                    ..r3(vec![
                        step(1, "dz-justice", "dz-court", true, true),
                        step(2, "dz-court", "yc-court", true, false),
                    ])
                },
                "dz-justice",
                false,
                vec![Message],
            ),
            (
                CaseFacts {
                    findings_by: vec!["yc-court".into()],
                    outcome_recorded: true,
                    feedback_sent: true,
                    ..r3(vec![
                        step(1, "dz-justice", "dz-court", true, true),
                        step(2, "dz-court", "yc-court", true, false),
                    ])
                },
                "dz-justice",
                false,
                vec![Close, Message],
            ),
            (
                CaseFacts {
                    closed: true,
                    ..r3(vec![step(1, "dz-justice", "dz-court", true, true)])
                },
                "dz-justice",
                false,
                vec![Reopen, Message],
            ),
            (
                CaseFacts {
                    closed: true,
                    ..r3(vec![step(1, "dz-justice", "dz-court", true, true)])
                },
                "dz-court",
                false,
                vec![Message],
            ),
            (
                CaseFacts {
                    discoverer: "dz-bar".into(),
                    ..Default::default()
                },
                "dz-justice",
                true,
                vec![Route, Message],
            ),
            (
                CaseFacts {
                    discoverer: "dz-bar".into(),
                    ..Default::default()
                },
                "dz-bar",
                false,
                vec![Message],
            ),
            (
                CaseFacts {
                    discoverer: "dz-bar".into(),
                    ..Default::default()
                },
                "dz-court",
                false,
                vec![],
            ),
        ];
        for (i, (facts, unit, jo, want)) in cases.into_iter().enumerate() {
            assert_eq!(allowed_actions(&facts, unit, jo), want, "case {i}: {unit}");
        }
    }

    #[test]
    fn internal_handling_needs_no_separate_feedback() {
        let mut f = CaseFacts {
            discoverer: "dz-court".into(),
            route: Some(vec!["dz-court".into()]),
            ..Default::default()
        };
        assert_eq!(
            allowed_actions(&f, "dz-court", false),
            vec![Action::Findings, Action::Message]
        );
        f.findings_by.push("dz-court".into());
        assert_eq!(
            allowed_actions(&f, "dz-court", false),
            vec![Action::Findings, Action::Outcome, Action::Message]
        );
        f.outcome_recorded = true;
        assert!(f.feedback_complete());
        assert_eq!(
            allowed_actions(&f, "dz-court", false),
            vec![
                Action::Findings,
                Action::Outcome,
                Action::Close,
                Action::Message
            ]
        );
    }

    #[test]
    fn visibility_follows_the_route_as_it_is_walked() {
        let f = r3(vec![step(1, "dz-justice", "dz-court", false, false)]);
        assert!(visible_to(&f, "dz-justice", false));
        assert!(visible_to(&f, "dz-court", false));
        assert!(!visible_to(&f, "yc-court", false), "not yet reached");
        assert!(!visible_to(&f, "dz-procuratorate", false));
        assert!(
            visible_to(&f, "dz-procuratorate", true),
            "the joint office sees all"
        );
    }

    #[test]
    fn deadlines_flag_late_units() {
        let d = Deadlines::default();
        let f = r3(vec![step(1, "dz-justice", "dz-court", false, false)]);
        assert!(overdue(&f, 3 * DAY_MS, d).is_empty());
        let late = overdue(&f, 3 * DAY_MS + 1, d);
        assert_eq!(
            late,
            vec![Overdue {
                what: "acknowledge".into(),
                unit: "dz-court".into(),
                since: 0
            }]
        );
        let f = r3(vec![step(1, "dz-justice", "dz-court", true, false)]);
        assert_eq!(overdue(&f, 5 * DAY_MS + 1, d)[0].what, "pass_on");
        let all = overdue(&f, 31 * DAY_MS, d);
        assert!(all
            .iter()
            .any(|o| o.what == "feedback" && o.unit == "yc-court"));
        let closed = CaseFacts { closed: true, ..f };
        assert!(overdue(&closed, 99 * DAY_MS, d).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.as_str()), Some(d));
        }
        for k in ConductKind::ALL {
            assert_eq!(ConductKind::parse(k.as_str()), Some(k));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }
}
