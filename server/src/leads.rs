//! Lead reporting for the pages and the API: who may report and handle leads, validating a
//! report and routing it (Articles 6–8 via `domain::routing`), and the Article 3 / Article 14
//! warnings.

use domain::case::{ConductKind, Duty};
use domain::directory::{Directory, UnitKind};
use domain::routing::{route_lead, RouteError, RoutePlan, Subject};
use store::leads::{NewLead, SubjectRecord};
use store::sessions::Caller;
use store::users::{Role, User};

use crate::error::AppError;

/// A lead handler and their unit; the joint office is the home justice bureau's handlers.
pub struct Handler<'a> {
    pub user: &'a User,
    pub unit: String,
    pub joint_office: bool,
}

/// The caller as a lead handler: 401 when anonymous, 404 for anyone else (leads are not
/// acknowledged to exist for other roles).
pub fn require_handler<'a>(caller: &'a Caller, dir: &Directory) -> Result<Handler<'a>, AppError> {
    let user = caller
        .user()
        .ok_or_else(|| AppError::Unauthorized("请先登录 / sign in first".into()))?;
    match (&user.unit_code, user.has(Role::LeadHandler)) {
        (Some(unit), true) => {
            let joint_office = dir
                .home_unit(UnitKind::JusticeBureau)
                .is_some_and(|u| &u.code == unit);
            Ok(Handler {
                user,
                unit: unit.clone(),
                joint_office,
            })
        }
        _ => Err(AppError::NotFound),
    }
}

/// A report as submitted (API JSON or page form), before validation.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Report {
    pub subject: ReportSubject,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub details: String,
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    pub conduct_kind: Option<String>,
    pub route: Option<usize>,
}

/// The subject part of a report.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ReportSubject {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    pub org: Option<String>,
    pub duty: Option<String>,
    pub licence_no: Option<String>,
    pub firm: Option<String>,
    pub region: Option<String>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn check_text(label: &str, value: &str, max: usize, required: bool) -> Result<(), AppError> {
    let n = value.chars().count();
    if required && value.trim().is_empty() {
        return Err(AppError::Unprocessable(format!(
            "{label}不能为空 / {label} is required"
        )));
    }
    if n > max {
        return Err(AppError::Unprocessable(format!(
            "{label}最多 {max} 个字符 / {label} may have at most {max} characters"
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::Unprocessable(format!(
            "{label}含有控制字符 / {label} contains control characters"
        )));
    }
    Ok(())
}

/// The routing preview for a subject as the form or API gives it.
pub fn preview(
    dir: &Directory,
    discoverer: &str,
    subject: &ReportSubject,
) -> Result<RoutePlan, AppError> {
    let s = match subject.kind.as_str() {
        "judicial_personnel" => {
            let org = clean(&subject.org).ok_or_else(|| AppError::Unprocessable("请选择被反映人所在单位 / choose the subject's organ".into()))?;
            return route_lead(dir, discoverer, &Subject::JudicialPersonnel { org: &org }).map_err(route_error);
        }
        "lawyer" => Subject::Lawyer,
        _ => return Err(AppError::Unprocessable("subject.type 须为 judicial_personnel 或 lawyer / subject.type must be judicial_personnel or lawyer".into())),
    };
    route_lead(dir, discoverer, &s).map_err(route_error)
}

fn route_error(e: RouteError) -> AppError {
    match e {
        RouteError::UnknownUnit(code) => AppError::Unprocessable(format!(
            "未知单位代码 / unknown unit code: {}",
            code.chars().take(64).collect::<String>()
        )),
    }
}

/// Validates a report, routes it, and builds the new lead with its warnings.
pub fn build_lead(
    dir: &Directory,
    handler: &Handler<'_>,
    report: &Report,
) -> Result<(NewLead, RoutePlan), AppError> {
    let s = &report.subject;
    check_text("姓名 name", &s.name, 64, true)?;
    check_text("摘要 summary", &report.summary, 200, true)?;
    check_text("详细情况 details", &report.details, 10_000, true)?;
    for (label, v, max) in [
        ("地点 place", &report.place, 200),
        ("执业证号 licence_no", &s.licence_no, 64),
        ("地区 region", &s.region, 64),
        ("律所 firm", &s.firm, 100),
    ] {
        check_text(label, v.as_deref().unwrap_or(""), max, false)?;
    }
    if let Some(d) = clean(&report.occurred_on) {
        let date = chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
            AppError::Unprocessable(
                "发生日期须为 YYYY-MM-DD / occurred_on must be YYYY-MM-DD".into(),
            )
        })?;
        if date > chrono::Utc::now().date_naive() + chrono::Duration::days(1) {
            return Err(AppError::Unprocessable(
                "发生日期不能晚于今天 / occurred_on cannot be in the future".into(),
            ));
        }
    }
    let conduct = match clean(&report.conduct_kind) {
        Some(k) => Some(
            ConductKind::parse(&k)
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "未知的行为类型 / unknown conduct_kind: {}",
                        k.chars().take(40).collect::<String>()
                    ))
                })?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let plan = preview(dir, &handler.unit, s)?;
    let mut warnings = Vec::new();
    let mut record = SubjectRecord {
        kind: s.kind.clone(),
        name: s.name.trim().to_string(),
        ..Default::default()
    };
    if s.kind == "judicial_personnel" {
        record.org = clean(&s.org);
        match clean(&s.duty).as_deref().map(Duty::parse) {
            Some(Some(d)) => record.duty = Some(d.as_str().into()),
            _ => warnings.push("被反映人的职责不在第十四条所列审判、执行、检察、侦查、监管职责之内，本规定可能不适用 / the subject's duty is not one of Article 14's (adjudication, enforcement, procuratorial work, investigation, custodial supervision); the regulation may not apply".to_string()),
        }
        if let Some(u) = record.org.as_deref().and_then(|o| dir.get(o)) {
            if !u.kind.is_judicial_organ() && u.kind != UnitKind::JusticeBureau {
                warnings.push("被反映人所在单位不是法院、检察院、公安机关或司法行政机关（第十四条）/ the subject's unit is not a court, procuratorate, public security organ or judicial administrative organ (Article 14)".to_string());
            }
        }
    } else {
        record.licence_no = clean(&s.licence_no);
        record.firm = clean(&s.firm);
        record.region = clean(&s.region);
        if record.licence_no.is_none() {
            return Err(AppError::Unprocessable(
                "请填写律师执业证号 / licence_no is required for a lawyer".into(),
            ));
        }
        let firm_home = record
            .firm
            .as_deref()
            .and_then(|f| dir.get(f))
            .is_some_and(|u| u.region == dir.home_region);
        let region_home = record.region.as_deref().is_some_and(|r| r.contains("大足"));
        if !firm_home && !region_home {
            warnings.push("该律师似未在大足区登记注册，也未注明在大足区提供法律服务，第三条可能不适用 / the lawyer does not appear to be registered in, or practising in, Dazu District; Article 3 may not apply".to_string());
        }
    }
    let route = if plan.manual {
        None
    } else {
        let idx = report.route.unwrap_or(0);
        Some(plan.routes.get(idx).cloned().ok_or_else(|| {
            AppError::Unprocessable(format!(
                "route 须为 0 到 {} / route must be 0 to {}",
                plan.routes.len() - 1,
                plan.routes.len() - 1
            ))
        })?)
    };
    let reason = if plan.manual {
        format!("{}\n{}", plan.reason_zh, plan.reason_en)
    } else {
        plan.reason_zh.clone()
    };
    let lead = NewLead {
        discoverer: handler.unit.clone(),
        created_by: handler.user.id,
        subject: record,
        occurred_on: clean(&report.occurred_on),
        place: clean(&report.place),
        conduct_kind: conduct,
        summary: report.summary.trim().to_string(),
        details: report.details.trim().to_string(),
        rule: plan.rule.as_str().to_string(),
        manual: plan.manual,
        routing_reason: reason,
        route,
        warnings,
    };
    Ok((lead, plan))
}
