//! The codes a lead carries: Article 14's duties, the kinds of conduct of the 2015 provisions,
//! and Article 13's outcomes, each with its stable code and (zh, en) labels.

use serde::{Deserialize, Serialize};

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
