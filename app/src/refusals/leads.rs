//! The words for the refusals and warnings of leads (reports, case actions, attachments and
//! routing).

use domain::case::{
    CaseRefusal, InputRefusal, LeadField, LeadRefusal, LeadWarning, OutcomeRefusal,
};
use domain::files::{UploadRefusal, MAX_FILE_BYTES, MAX_LEAD_BYTES};
use domain::routing::RouteError;

use super::{pick, Localize};
use crate::i18n::Lang;

/// At most `n` characters of a value the client sent, to echo it safely.
fn clip(value: &str, n: usize) -> String {
    value.chars().take(n).collect()
}

/// `zh` in Chinese, or `en: value` in English (the form of the refusals that name a value).
fn naming(lang: Lang, zh: &str, en: &str, value: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => format!("{en}: {value}"),
    }
}

impl Localize for LeadField {
    /// A report field reads the same in both languages, its Chinese name with the API's field
    /// name, so that either reader finds it on the form and in the JSON.
    fn text(&self, lang: Lang) -> String {
        match self {
            LeadField::Name => "姓名 name",
            LeadField::Summary => "摘要 summary",
            LeadField::Details => "详细情况 details",
            LeadField::Place => "地点 place",
            LeadField::LicenceNo => "执业证号 licence_no",
            LeadField::Region => "地区 region",
            LeadField::Firm => "律所 firm",
            LeadField::LetterReference => "来函文号 reference",
            LeadField::ReferredTo => "移送机关 referred_to",
            LeadField::ReceivedOn => "收函日期 received_on",
            LeadField::ReplyFrom => "来函单位 from",
            LeadField::Text => return pick(lang, "内容", "the text"),
        }
        .to_string()
    }
}

impl Localize for RouteError {
    fn text(&self, lang: Lang) -> String {
        match self {
            RouteError::UnknownUnit(code) => {
                naming(lang, "未知单位代码", "unknown unit code", &clip(code, 64))
            }
        }
    }
}

impl Localize for InputRefusal {
    fn text(&self, lang: Lang) -> String {
        use InputRefusal as R;
        let zh = lang == Lang::Zh;
        match self {
            R::Required(field) => {
                if zh {
                    format!("{}不能为空", field.text(lang))
                } else {
                    format!("{} is required", field.text(lang))
                }
            }
            R::TooLong { field, max } => {
                if zh {
                    format!("{}最多 {max} 个字符", field.text(lang))
                } else {
                    format!("{} may have at most {max} characters", field.text(lang))
                }
            }
            R::ControlCharacters(field) => {
                if zh {
                    format!("{}含有控制字符", field.text(lang))
                } else {
                    format!("{} contains control characters", field.text(lang))
                }
            }
            R::DirectionControls(field) => {
                if zh {
                    format!(
                        "{}含有文字方向控制字符（如 U+202E），会使其显示为其他内容",
                        field.text(lang)
                    )
                } else {
                    format!(
                        "{} holds a text-direction control (such as U+202E) that makes it display as something else",
                        field.text(lang)
                    )
                }
            }
            R::OrganMissing => pick(lang, "请选择被反映人所在单位", "choose the subject's organ"),
            R::SubjectType => pick(
                lang,
                "subject.type 须为 judicial_personnel 或 lawyer",
                "subject.type must be judicial_personnel or lawyer",
            ),
            R::Route(e) => e.text(lang),
            R::BadDate => pick(
                lang,
                "发生日期须为 YYYY-MM-DD",
                "occurred_on must be YYYY-MM-DD",
            ),
            R::FutureDate => pick(
                lang,
                "发生日期不能晚于今天",
                "occurred_on cannot be in the future",
            ),
            R::UnknownConduct(kind) => naming(
                lang,
                "未知的行为类型",
                "unknown conduct_kind",
                &clip(kind, 40),
            ),
            R::LicenceMissing => pick(
                lang,
                "请填写律师执业证号",
                "licence_no is required for a lawyer",
            ),
            R::RouteChoice { last } => {
                if zh {
                    format!("route 须为 0 到 {last}")
                } else {
                    format!("route must be 0 to {last}")
                }
            }
            R::UnknownAction => pick(lang, "未知操作", "unknown action"),
            R::UnknownOutcome(outcome) => {
                naming(lang, "未知处理结果", "unknown outcome", &clip(outcome, 40))
            }
            R::TwoSides => pick(
                lang,
                "同时反映双方时，须一方为司法人员、另一方为律师",
                "a report about both sides names one judicial officer and one lawyer",
            ),
            R::ReceivedOnInvalid => pick(
                lang,
                "收函日期须为 YYYY-MM-DD，且不能晚于今天",
                "received_on must be YYYY-MM-DD and not in the future",
            ),
            R::Outcome(r) => r.text(lang),
        }
    }
}

impl Localize for CaseRefusal {
    fn text(&self, lang: Lang) -> String {
        use CaseRefusal as R;
        match self {
            R::NotAvailable => pick(
                lang,
                "当前不能进行此操作",
                "this action is not available now",
            ),
            R::NoNextReceiver => pick(lang, "没有下一个接收单位", "no next receiver"),
            R::OutcomeMissing => pick(
                lang,
                "请至少选择一项处理结果",
                "choose at least one outcome",
            ),
            R::ReopenReasonMissing => pick(lang, "重新打开须说明理由", "reopening needs a reason"),
            R::RouteIncomplete => pick(
                lang,
                "请选择接收单位并说明理由",
                "choose the receivers and give the reason",
            ),
            R::UnknownUnit(code) => naming(lang, "未知单位代码", "unknown unit code", code),
            R::UnitTwice => pick(lang, "路径中单位重复", "a unit appears twice in the route"),
            R::TextMissing => pick(lang, "请填写内容", "the text is required"),
            R::NotAReceiver(code) => naming(
                lang,
                "接收单位只能是司法机关、司法行政部门或协会，不能是律师事务所",
                "receivers must be organs, justice bureaus or associations, not law firms",
                &clip(code, 64),
            ),
            R::VerificationMissing(units) => {
                let list = units.join(", ");
                match lang {
                    Lang::Zh => format!(
                        "以下接收单位尚未记录调查核实情况或未核实的理由，暂不能办结（第八条第二款）：{list}"
                    ),
                    Lang::En => format!(
                        "these receiving units have neither findings nor a reason for not verifying on file, so the case cannot be closed yet (Art. 8 para. 2): {list}"
                    ),
                }
            }
            R::NotOutsidePortal(code) => naming(
                lang,
                "只能登记本线索以函件移送的平台外单位的回复，且须由移送单位或联合办公室登记",
                "only a reply of an organ outside the portal that this lead was sent to by letter can be recorded, by the unit that sent it or the joint office",
                &clip(code, 64),
            ),
        }
    }
}

impl Localize for OutcomeRefusal {
    fn text(&self, lang: Lang) -> String {
        use OutcomeRefusal as R;
        match self {
            R::NotSubstantiatedCombined => pick(
                lang,
                "“经核实不属实”不能与处分、处罚或移送同时记录",
                "\"not substantiated\" cannot be combined with a sanction or a referral",
            ),
            R::DisciplineNotOwnOrgan => pick(
                lang,
                "依纪依规处理只能由被反映的司法人员所属机关作出（第十三条）",
                "discipline can only be imposed by the judicial officer's own organ (Article 13)",
            ),
            R::PenaltyNotJusticeBureau => pick(
                lang,
                "行政处罚只能由司法行政部门对律师作出（第十三条）",
                "an administrative penalty can only be imposed on a lawyer, by a justice bureau (Article 13)",
            ),
            R::SanctionNotBarAssociation => pick(
                lang,
                "行业处分只能由律师协会对律师作出（第十三条）",
                "an industry sanction can only be imposed on a lawyer, by a lawyers' association (Article 13)",
            ),
            R::ReferralAuthorityMissing => pick(
                lang,
                "移送问题线索须写明移送的机关",
                "a referral must name the authority it went to",
            ),
        }
    }
}

impl Localize for UploadRefusal {
    fn text(&self, lang: Lang) -> String {
        use UploadRefusal as R;
        let zh = lang == Lang::Zh;
        match self {
            R::FileTooLarge => {
                let mb = MAX_FILE_BYTES >> 20;
                if zh {
                    format!("单个附件不能超过 {mb} MB")
                } else {
                    format!("an attachment may not exceed {mb} MB")
                }
            }
            R::LeadFull => {
                let mb = MAX_LEAD_BYTES >> 20;
                if zh {
                    format!("每条线索的附件合计不能超过 {mb} MB")
                } else {
                    format!("a lead's attachments may not exceed {mb} MB in all")
                }
            }
            R::TypeNotAllowed => pick(
                lang,
                "只接受 PDF、PNG、JPEG、TXT、DOCX、XLSX 文件",
                "only PDF, PNG, JPEG, TXT, DOCX and XLSX files are accepted",
            ),
            R::NameDirectionControls => pick(
                lang,
                "文件名含有文字方向控制字符（如 U+202E），会使文件名显示为其他名称，请重命名后再上传",
                "the file name holds a text-direction control (such as U+202E) that makes it display as another name; rename the file and upload it again",
            ),
            R::CaseClosed => pick(
                lang,
                "已办结的线索不能添加附件",
                "a closed case takes no attachments",
            ),
            R::NoFile => pick(
                lang,
                "请选择文件（字段 file）",
                "choose a file (field \"file\")",
            ),
            R::FileBroken => pick(
                lang,
                "附件过大或上传中断",
                "the file is too large or the upload broke off",
            ),
            R::Unreadable => pick(
                lang,
                "上传内容无法读取或过大",
                "the upload could not be read or is too large",
            ),
            R::NotMultipart => pick(
                lang,
                "请求须为 multipart/form-data，文件字段名为 file",
                "the body must be multipart/form-data with a field named file",
            ),
        }
    }
}

impl Localize for LeadRefusal {
    fn text(&self, lang: Lang) -> String {
        match self {
            LeadRefusal::Input(r) => r.text(lang),
            LeadRefusal::Case(r) => r.text(lang),
            LeadRefusal::Upload(r) => r.text(lang),
        }
    }
}

/// The message code of a refusal on the case page's `?error=`: the refusal's name without any
/// text the client typed (an unknown unit or outcome is named, not echoed), so the address
/// carries no attacker text and the page words only refusals it knows ([`flash_text`]).
pub fn flash_code(r: &LeadRefusal) -> String {
    match r {
        LeadRefusal::Input(InputRefusal::TooLong { field, max }) => {
            format!("too-long.{field:?}.{max}")
        }
        LeadRefusal::Input(InputRefusal::RouteChoice { last }) => format!("route-choice.{last}"),
        other => format!("{:?}", blank(other)),
    }
}

/// The words for a message code of [`flash_code`]; `None` for a code the portal never writes.
pub fn flash_text(code: &str, lang: Lang) -> Option<String> {
    if let Some(rest) = code.strip_prefix("too-long.") {
        let (field, max) = rest.split_once('.')?;
        let field = *FIELDS.iter().find(|f| format!("{f:?}") == field)?;
        let max = max.parse().ok()?;
        return Some(InputRefusal::TooLong { field, max }.text(lang));
    }
    if let Some(last) = code.strip_prefix("route-choice.") {
        let last = last.parse().ok()?;
        return Some(InputRefusal::RouteChoice { last }.text(lang));
    }
    catalogue()
        .into_iter()
        .find(|r| format!("{r:?}") == code)
        .map(|r| r.text(lang).trim_end_matches(": ").to_string())
}

const FIELDS: [LeadField; 12] = [
    LeadField::Name,
    LeadField::Summary,
    LeadField::Details,
    LeadField::Place,
    LeadField::LicenceNo,
    LeadField::Region,
    LeadField::Firm,
    LeadField::Text,
    LeadField::LetterReference,
    LeadField::ReferredTo,
    LeadField::ReceivedOn,
    LeadField::ReplyFrom,
];

/// The refusal with what the client typed left out.
fn blank(r: &LeadRefusal) -> LeadRefusal {
    use InputRefusal as I;
    match r {
        LeadRefusal::Input(I::UnknownConduct(_)) => I::UnknownConduct(String::new()).into(),
        LeadRefusal::Input(I::UnknownOutcome(_)) => I::UnknownOutcome(String::new()).into(),
        LeadRefusal::Input(I::Route(_)) => I::Route(RouteError::UnknownUnit(String::new())).into(),
        LeadRefusal::Case(CaseRefusal::UnknownUnit(_)) => {
            CaseRefusal::UnknownUnit(String::new()).into()
        }
        LeadRefusal::Case(CaseRefusal::NotAReceiver(_)) => {
            CaseRefusal::NotAReceiver(String::new()).into()
        }
        // The units still to verify are on the case page itself.
        LeadRefusal::Case(CaseRefusal::VerificationMissing(_)) => {
            CaseRefusal::VerificationMissing(Vec::new()).into()
        }
        LeadRefusal::Case(CaseRefusal::NotOutsidePortal(_)) => {
            CaseRefusal::NotOutsidePortal(String::new()).into()
        }
        other => other.clone(),
    }
}

/// Every refusal a message code can name (blanked), but those with numbers.
pub fn catalogue() -> Vec<LeadRefusal> {
    use CaseRefusal as C;
    use InputRefusal as I;
    use UploadRefusal as U;
    let mut all: Vec<LeadRefusal> = FIELDS
        .iter()
        .flat_map(|f| {
            [
                I::Required(*f).into(),
                I::ControlCharacters(*f).into(),
                I::DirectionControls(*f).into(),
            ]
        })
        .collect();
    all.extend(
        [
            I::OrganMissing,
            I::SubjectType,
            I::Route(RouteError::UnknownUnit(String::new())),
            I::BadDate,
            I::FutureDate,
            I::UnknownConduct(String::new()),
            I::LicenceMissing,
            I::UnknownAction,
            I::UnknownOutcome(String::new()),
            I::TwoSides,
            I::ReceivedOnInvalid,
            I::Outcome(OutcomeRefusal::NotSubstantiatedCombined),
            I::Outcome(OutcomeRefusal::DisciplineNotOwnOrgan),
            I::Outcome(OutcomeRefusal::PenaltyNotJusticeBureau),
            I::Outcome(OutcomeRefusal::SanctionNotBarAssociation),
            I::Outcome(OutcomeRefusal::ReferralAuthorityMissing),
        ]
        .map(LeadRefusal::from),
    );
    all.extend(
        [
            C::NotAvailable,
            C::NoNextReceiver,
            C::OutcomeMissing,
            C::ReopenReasonMissing,
            C::RouteIncomplete,
            C::UnknownUnit(String::new()),
            C::UnitTwice,
            C::TextMissing,
            C::NotAReceiver(String::new()),
            C::VerificationMissing(Vec::new()),
            C::NotOutsidePortal(String::new()),
        ]
        .map(LeadRefusal::from),
    );
    all.extend(
        [
            U::FileTooLarge,
            U::LeadFull,
            U::TypeNotAllowed,
            U::CaseClosed,
            U::NoFile,
            U::FileBroken,
            U::Unreadable,
            U::NotMultipart,
            U::NameDirectionControls,
        ]
        .map(LeadRefusal::from),
    );
    all
}

impl Localize for LeadWarning {
    fn text(&self, lang: Lang) -> String {
        match self {
            LeadWarning::DutyNotInArticle14 => pick(
                lang,
                "被反映人的职责不在第十四条所列审判、执行、检察、侦查、监管职责之内，本规定可能不适用",
                "the subject's duty is not one of Article 14's (adjudication, enforcement, \
                 procuratorial work, investigation, custodial supervision); the regulation may \
                 not apply",
            ),
            LeadWarning::UnitNotInArticle14 => pick(
                lang,
                "被反映人所在单位不是法院、检察院、公安机关或司法行政机关（第十四条）",
                "the subject's unit is not a court, procuratorate, public security organ or \
                 judicial administrative organ (Article 14)",
            ),
            LeadWarning::LawyerNotLocal => pick(
                lang,
                "该律师似未在大足区登记注册，也未注明在大足区提供法律服务，第三条可能不适用",
                "the lawyer does not appear to be registered in, or practising in, Dazu \
                 District; Article 3 may not apply",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_codes_carry_no_client_text_and_come_back_as_words() {
        let typed = "<b>点击 evil.example 领取</b>".repeat(10);
        for r in [
            LeadRefusal::from(CaseRefusal::UnknownUnit(typed.clone())),
            InputRefusal::UnknownOutcome(typed.clone()).into(),
            InputRefusal::Route(RouteError::UnknownUnit(typed.clone())).into(),
            CaseRefusal::NotAvailable.into(),
            InputRefusal::TooLong {
                field: LeadField::Text,
                max: 5000,
            }
            .into(),
            InputRefusal::RouteChoice { last: 2 }.into(),
            UploadRefusal::TypeNotAllowed.into(),
            InputRefusal::Required(LeadField::Text).into(),
        ] {
            let code = flash_code(&r);
            assert!(!code.contains("evil") && code.len() < 60, "{code}");
            for lang in [Lang::Zh, Lang::En] {
                let words = flash_text(&code, lang).unwrap_or_else(|| panic!("{code}"));
                assert!(!words.contains("evil"), "{words}");
                if !matches!(
                    r,
                    LeadRefusal::Case(CaseRefusal::UnknownUnit(_))
                        | LeadRefusal::Input(
                            InputRefusal::UnknownOutcome(_) | InputRefusal::Route(_)
                        )
                ) {
                    assert_eq!(words, r.text(lang));
                }
            }
        }
        for junk in [
            "",
            "<script>",
            "too-long.Text.x",
            "too-long.Nope.5",
            "Case(Nope)",
        ] {
            assert_eq!(flash_text(junk, Lang::Zh), None, "{junk}");
        }
    }

    /// The API's `zh / en` form is what it was before refusals were typed.
    #[test]
    fn both_languages_as_the_api_gives_them() {
        let long = "x".repeat(100);
        let cases: Vec<(Box<dyn Localize>, String)> = vec![
            (
                Box::new(InputRefusal::Required(LeadField::Name)),
                "姓名 name不能为空 / 姓名 name is required".into(),
            ),
            (
                Box::new(InputRefusal::TooLong {
                    field: LeadField::Summary,
                    max: 200,
                }),
                "摘要 summary最多 200 个字符 / 摘要 summary may have at most 200 characters".into(),
            ),
            (
                Box::new(InputRefusal::TooLong {
                    field: LeadField::Text,
                    max: 10_000,
                }),
                "内容最多 10000 个字符 / the text may have at most 10000 characters".into(),
            ),
            (
                Box::new(InputRefusal::RouteChoice { last: 1 }),
                "route 须为 0 到 1 / route must be 0 to 1".into(),
            ),
            (
                Box::new(InputRefusal::UnknownConduct("murder".into())),
                "未知的行为类型 / unknown conduct_kind: murder".into(),
            ),
            (
                Box::new(RouteError::UnknownUnit(long.clone())),
                format!("未知单位代码 / unknown unit code: {}", &long[..64]),
            ),
            (
                Box::new(LeadRefusal::Case(CaseRefusal::NotAvailable)),
                "当前不能进行此操作 / this action is not available now".into(),
            ),
            (
                Box::new(CaseRefusal::UnknownUnit("nowhere".into())),
                "未知单位代码 / unknown unit code: nowhere".into(),
            ),
            (
                Box::new(InputRefusal::Outcome(OutcomeRefusal::SanctionNotBarAssociation)),
                "行业处分只能由律师协会对律师作出（第十三条） / an industry sanction can only be imposed on a lawyer, by a lawyers' association (Article 13)".into(),
            ),
            (
                Box::new(CaseRefusal::VerificationMissing(vec!["dz-court".into()])),
                "以下接收单位尚未记录调查核实情况或未核实的理由，暂不能办结（第八条第二款）：dz-court / these receiving units have neither findings nor a reason for not verifying on file, so the case cannot be closed yet (Art. 8 para. 2): dz-court".into(),
            ),
            (
                Box::new(UploadRefusal::TypeNotAllowed),
                "只接受 PDF、PNG、JPEG、TXT、DOCX、XLSX 文件 / only PDF, PNG, JPEG, TXT, DOCX and XLSX files are accepted".into(),
            ),
            (
                Box::new(UploadRefusal::LeadFull),
                "每条线索的附件合计不能超过 30 MB / a lead's attachments may not exceed 30 MB in all".into(),
            ),
            (
                Box::new(LeadWarning::LawyerNotLocal),
                "该律师似未在大足区登记注册，也未注明在大足区提供法律服务，第三条可能不适用 / the lawyer does not appear to be registered in, or practising in, Dazu District; Article 3 may not apply".into(),
            ),
        ];
        for (refusal, want) in cases {
            assert_eq!(refusal.both(), want);
        }
    }

    /// A page shows one language.
    #[test]
    fn pages_get_one_language() {
        let r = LeadRefusal::Case(CaseRefusal::TextMissing);
        assert_eq!(r.text(Lang::Zh), "请填写内容");
        assert_eq!(r.text(Lang::En), "the text is required");
    }
}
