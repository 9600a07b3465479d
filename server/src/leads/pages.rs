//! The lead pages: the inbox (`/leads`) and the case file with its action forms
//! (`/leads/{id}`, actions post to `/leads/{id}/action`); the report form is in
//! [`super::report`]. Anonymous callers are sent to sign in, signed-in callers who do not
//! handle leads get the audited 404 (the inbox explains instead), and a lead the unit may not
//! see is the 404 page. Forms become [`LeadCommand`]s for the service; nothing here decides
//! who may do what.

use app::i18n::Lang;
use app::pages::leads::{
    ActionForm, AttachmentRow, CaseView, EntryRow, InboxRow, InboxView, StepRow, UnitChoice,
    VerificationRow,
};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::case::{
    allowed_actions, overdue, Action, CaseRefusal, ConductKind, Duty, LeadRefusal, Outcome,
    Verification,
};
use domain::directory::Directory;
use domain::routing::RuleId;
use store::leads::LeadSummary;

use super::service::{self, directory, handler, CaseFile, Handler, LeadCommand, LeadError};
use crate::page::{redirect, value, values, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use crate::time::format_beijing;

impl From<LeadError> for PageError {
    fn from(e: LeadError) -> Self {
        match e {
            LeadError::NotFound | LeadError::Refused(_) => PageError::NotFound,
            LeadError::Store(e) => PageError::Internal(e),
        }
    }
}

/// The caller as a lead handler, with the directory: anonymous → sign in; signed in without
/// the role → the audited 404.
pub(super) async fn gate<'a>(
    state: &AppState,
    page: &'a Page,
) -> Result<(Directory, Handler<'a>), PageError> {
    page.user()?;
    let dir = directory(state).await?;
    let h = handler(&page.caller, &dir).ok_or(PageError::Denied)?;
    Ok((dir, h))
}

/// A unit's name in `lang`, or its code when the directory does not know it.
pub(super) fn unit_name(dir: &Directory, lang: Lang, code: &str) -> String {
    dir.get(code)
        .map(|u| lang.pick(&u.name_zh, &u.name_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Units as choices of a form.
pub(super) fn unit_choices(
    dir: &Directory,
    lang: Lang,
    keep: impl Fn(&domain::directory::Unit) -> bool,
) -> Vec<UnitChoice> {
    dir.units()
        .iter()
        .filter(|u| keep(u))
        .map(|u| UnitChoice {
            code: u.code.clone(),
            name: lang.pick(&u.name_zh, &u.name_en).to_string(),
        })
        .collect()
}

fn overdue_text(dir: &Directory, lang: Lang, what: &str, unit: &str) -> String {
    let name = unit_name(dir, lang, unit);
    match (lang, what) {
        (Lang::Zh, "acknowledge") => format!("{name}逾期未签收"),
        (Lang::Zh, "pass_on") => format!("{name}逾期未移交"),
        (Lang::Zh, "route") => "联合办公室逾期未确定接收单位".into(),
        (Lang::Zh, "internal") => format!("{name}逾期未完成核实和处理"),
        (Lang::Zh, _) => format!("{name}逾期未反馈"),
        (Lang::En, "acknowledge") => format!("{name}: acknowledgement overdue"),
        (Lang::En, "pass_on") => format!("{name}: passing on overdue"),
        (Lang::En, "route") => "The joint office: manual routing overdue".into(),
        (Lang::En, "internal") => format!("{name}: findings and outcome overdue"),
        (Lang::En, _) => format!("{name}: feedback overdue"),
    }
}

/// Leads per inbox page.
const INBOX_PAGE: i64 = 50;

/// `GET /leads` (`?page=N` for older leads). Signed-in callers who do not handle leads see
/// an explanation instead.
pub async fn inbox(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.user()?;
    let dir = directory(&state).await?;
    let lang = page.lang;
    let Some(h) = handler(&page.caller, &dir) else {
        return Ok(view(InboxView::default()).into_response());
    };
    // Newest first, a page at a time.
    let n: i64 = page
        .query_value("page")
        .parse()
        .ok()
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1);
    let listing = service::list(&state, &page.caller, &h, INBOX_PAGE, (n - 1) * INBOX_PAGE).await?;
    let now = store::now_ms();
    let rows = listing
        .leads
        .into_iter()
        .map(|l| inbox_row(&state, &dir, lang, &h, now, l))
        .collect();
    Ok(view(InboxView {
        handler: true,
        unit_name: unit_name(&dir, lang, &h.unit),
        joint_office: h.joint_office,
        rows,
        page: n as u32,
        older: listing.older,
    })
    .into_response())
}

fn inbox_row(
    state: &AppState,
    dir: &Directory,
    lang: Lang,
    h: &Handler<'_>,
    now: i64,
    l: LeadSummary,
) -> InboxRow {
    let late = overdue(&l.facts, now, state.deadlines);
    let waiting_for = if l.status == "manual" {
        unit_name(dir, lang, "dz-justice")
    } else {
        l.awaiting
            .iter()
            .map(|u| unit_name(dir, lang, u))
            .collect::<Vec<_>>()
            .join("、")
    };
    InboxRow {
        id: l.id,
        reference: l.reference,
        status: l.status.clone(),
        rule: l.rule,
        subject: format!(
            "{}{}",
            l.subject_name,
            l.subject_org
                .map(|o| format!("（{}）", unit_name(dir, lang, &o)))
                .unwrap_or_default()
        ),
        summary: l.summary,
        created: format_beijing(l.created_at),
        waiting_for,
        my_turn: l.awaiting.contains(&h.unit) || (l.status == "manual" && h.joint_office),
        overdue: late
            .iter()
            .map(|o| overdue_text(dir, lang, &o.what, &o.unit))
            .collect(),
    }
}

/// `GET /leads/{id}`: the case file, or the 404 page for anyone the rules do not allow.
pub async fn case(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let (dir, h) = gate(&state, &page).await?;
    let file = service::case_file(&state, &page.caller, &h, id).await?;
    Ok(view(case_view(&state, &dir, page.lang, &h, file)).into_response())
}

/// The forms of the actions the unit may take now.
fn action_forms(
    dir: &Directory,
    lang: Lang,
    actions: Vec<Action>,
    discoverer: &str,
) -> Vec<ActionForm> {
    actions
        .into_iter()
        .map(|a| match a {
            Action::Acknowledge => ActionForm::Acknowledge,
            Action::PassOn { to } => ActionForm::PassOn(unit_name(dir, lang, &to)),
            Action::Findings => ActionForm::Findings,
            Action::NotVerified => ActionForm::NotVerified,
            Action::Outcome => ActionForm::Outcome(outcome_choices(lang)),
            Action::ExternalReply { from } => ActionForm::ExternalReply {
                code: from.clone(),
                name: unit_name(dir, lang, &from),
                outcomes: outcome_choices(lang),
            },
            Action::Feedback => ActionForm::Feedback,
            Action::Close => ActionForm::Close,
            Action::Reopen => ActionForm::Reopen,
            Action::Message => ActionForm::Message,
            Action::Route => ActionForm::Route(unit_choices(dir, lang, |u| {
                domain::case::may_receive(u.kind) && u.code != discoverer
            })),
        })
        .collect()
}

/// Article 13's outcomes as checkbox choices.
fn outcome_choices(lang: Lang) -> Vec<(String, String)> {
    Outcome::ALL
        .iter()
        .map(|o| {
            (
                o.as_str().to_string(),
                lang.pick(o.labels().0, o.labels().1).to_string(),
            )
        })
        .collect()
}

fn case_view(
    state: &AppState,
    dir: &Directory,
    lang: Lang,
    h: &Handler<'_>,
    file: CaseFile,
) -> CaseView {
    let CaseFile {
        case,
        linked,
        attachments,
    } = file;
    let facts = case.facts();
    let name = |c: &str| unit_name(dir, lang, c);
    let label = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let actions = allowed_actions(&facts, &h.unit, h.joint_office);
    let mut subject = vec![
        (
            label("身份", "Who"),
            if case.subject.kind == "lawyer" {
                label("律师", "Lawyer")
            } else {
                label("司法人员", "Judicial personnel")
            },
        ),
        (label("姓名", "Name"), case.subject.name.clone()),
    ];
    if let Some(o) = &case.subject.org {
        subject.push((label("所在单位", "Organ"), name(o)));
    }
    if let Some(d) = case.subject.duty.as_deref().and_then(Duty::parse) {
        subject.push((
            label("职责", "Duty"),
            lang.pick(d.labels().0, d.labels().1).to_string(),
        ));
    }
    for (zh, en, v) in [
        ("执业证号", "Licence number", &case.subject.licence_no),
        ("登记地区", "Region", &case.subject.region),
    ] {
        if let Some(v) = v {
            subject.push((label(zh, en), v.clone()));
        }
    }
    if let Some(f) = &case.subject.firm {
        subject.push((label("律师事务所", "Law firm"), name(f)));
    }
    let mut facts_rows = Vec::new();
    if let Some(d) = &case.occurred_on {
        facts_rows.push((label("发生日期", "Date"), d.clone()));
    }
    if let Some(p) = &case.place {
        facts_rows.push((label("地点", "Place"), p.clone()));
    }
    if let Some(k) = case.conduct_kind.as_deref().and_then(ConductKind::parse) {
        facts_rows.push((
            label("行为类型", "Kind of conduct"),
            lang.pick(k.labels().0, k.labels().1).to_string(),
        ));
    }
    facts_rows.push((
        label("登记时间", "Reported"),
        format_beijing(case.created_at),
    ));
    let kind_label = |k: &str| -> String {
        match k {
            "findings" => label("调查核实情况", "Findings"),
            "not_verified" => label("未核实的理由", "Why not verified"),
            "external_reply" => label("平台外单位来函回复", "Reply received outside the portal"),
            "outcome" => label("处理结果", "Outcome"),
            "feedback" => label("反馈", "Feedback"),
            "message" => label("留言", "Message"),
            "route" => label("人工确定接收单位", "Manual routing"),
            "close" => label("办结", "Closed"),
            "reopen" => label("重新打开", "Reopened"),
            k if k.ends_with("_superseded") => label("（重新打开前的记录）", "(before reopening)"),
            other => other.to_string(),
        }
    };
    let rule = RuleId::parse(&case.rule);
    let d = state.deadlines;
    CaseView {
        id: case.id,
        reference: case.reference.clone(),
        status: case.status.clone(),
        rule: case.rule.clone(),
        basis: rule
            .map(|r| lang.pick(r.basis_zh(), r.basis()).to_string())
            .unwrap_or_default(),
        routing_reason: case.routing_reason.clone(),
        route: case
            .route
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|u| {
                if facts.in_portal(u) {
                    name(u)
                } else {
                    format!("{}{}", name(u), label("（平台外，函件移送）", " (outside the portal: by letter)"))
                }
            })
            .collect(),
        verification: facts
            .receivers()
            .iter()
            .map(|u| VerificationRow {
                unit: name(u),
                status: match facts.verification(u) {
                    Verification::Findings => label("已记录核实情况", "findings on file"),
                    Verification::Reason => label("已说明未核实的理由", "reason for not verifying on file"),
                    Verification::Missing => label("尚未记录", "missing"),
                },
                missing: facts.verification(u) == Verification::Missing,
                outside: !facts.in_portal(u),
            })
            .collect(),
        conflict: service::routing_conflict(dir, &facts).then(|| {
            label(
                "利益冲突提示：被反映人属于联合办公室所在的司法局，本线索却由联合办公室人工确定接收单位。确定路径的人员记录在案卷中。",
                "Conflict of interest: the subject works at the justice bureau that hosts the joint office, which routes this lead by hand. Who routed it is recorded in the case file.",
            )
        }),
        discoverer: name(&case.discoverer),
        subject,
        facts: facts_rows,
        summary: case.summary.clone(),
        details: case.details.clone(),
        warnings: case.warnings.clone(),
        steps: case
            .steps
            .iter()
            .map(|s| StepRow {
                hop: s.hop,
                from: name(&s.sender),
                to: name(&s.receiver),
                sent: format_beijing(s.sent_at),
                acknowledged: s
                    .acknowledged_at
                    .map(format_beijing)
                    .unwrap_or_else(|| "—".into()),
                passed_on: s
                    .passed_on_at
                    .map(format_beijing)
                    .unwrap_or_else(|| "—".into()),
            })
            .collect(),
        entries: case
            .entries
            .iter()
            .map(|e| EntryRow {
                kind: kind_label(&e.kind),
                unit: match &e.source_unit {
                    Some(src) => format!("{}{}{}", name(src), label("（来函，由", " (letter, recorded by "), name(&e.unit)) + &label("登记）", ")"),
                    None => name(&e.unit),
                },
                letter: e.letter_reference.as_ref().map(|r| {
                    format!(
                        "{}{r} · {}{}",
                        label("来函文号：", "Letter no. "),
                        label("收函日期：", "received on "),
                        e.received_on.clone().unwrap_or_default()
                    )
                }),
                referred_to: e.referred_to.clone(),
                author: e.author_name.clone(),
                at: format_beijing(e.at),
                body: e.body.clone(),
                outcomes: e
                    .outcomes
                    .iter()
                    .filter_map(|o| Outcome::parse(o))
                    .map(|o| lang.pick(o.labels().0, o.labels().1).to_string())
                    .collect(),
            })
            .collect(),
        actions: action_forms(dir, lang, actions, &case.discoverer),
        overdue: overdue(&facts, store::now_ms(), d)
            .iter()
            .map(|o| overdue_text(dir, lang, &o.what, &o.unit))
            .collect(),
        deadlines_note: match lang {
            Lang::Zh => format!(
                "办理时限为本地工作规则（非《暂行规定》内容）：签收 {} 日、移交 {} 日、反馈 {} 日，自通报之日起计算；联合办公室人工确定接收单位 {} 日、本单位自行处理的线索完成核实和处理 {} 日，自登记之日起计算。",
                d.acknowledge_days, d.pass_on_days, d.feedback_days, d.route_days, d.internal_days
            ),
            Lang::En => format!(
                "Deadlines are local policy, not part of the regulation: acknowledge within {} days, pass on within {} days, feedback within {} days, counted from dispatch; the joint office routes a manual case within {} days, and a case handled internally has its findings and outcome within {} days, counted from recording.",
                d.acknowledge_days, d.pass_on_days, d.feedback_days, d.route_days, d.internal_days
            ),
        },
        linked,
        attachments: attachments
            .iter()
            .map(|a| AttachmentRow {
                id: a.id,
                name: a.display_name.clone(),
                size: format!("{:.1} KB", a.size as f64 / 1024.0),
                unit: name(&a.unit),
                at: format_beijing(a.at),
            })
            .collect(),
        can_upload: case.status != "closed",
    }
}

/// The command an action form asks for.
fn command_of(pairs: &[(String, String)]) -> LeadCommand {
    LeadCommand {
        action: value(pairs, "action"),
        text: value(pairs, "text"),
        outcomes: values(pairs, "outcome"),
        route: values(pairs, "route"),
        referred_to: value(pairs, "referred_to"),
        from: value(pairs, "from"),
        received_on: value(pairs, "received_on"),
        reference: value(pairs, "reference"),
    }
}

/// `POST /leads/{id}/action`: one action from the case page, then back to the case; a refusal
/// goes back with the reason in the reader's language.
pub async fn action(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    if page.caller.user().is_none() {
        // To sign in, without coming back to a form's address.
        return Err(PageError::Redirect("/login".into()));
    }
    let (_, h) = gate(&state, &page).await?;
    match service::run(&state, &page.caller, &h, id, command_of(&pairs)).await {
        Ok(_) => Ok(redirect(&format!("/leads/{id}?status=done"))),
        Err(LeadError::Refused(r)) => {
            // A refusal of what was typed names the action (one the page knows), so the
            // page shows the reason beside that action's text.
            let typed = matches!(
                r,
                LeadRefusal::Input(_)
                    | LeadRefusal::Case(
                        CaseRefusal::TextMissing
                            | CaseRefusal::ReopenReasonMissing
                            | CaseRefusal::RouteIncomplete
                            | CaseRefusal::OutcomeMissing
                    )
            );
            // Only a name the page knows goes back into the address, never typed text.
            let action = value(&pairs, "action");
            let typed = typed && app::pages::leads::TEXT_ACTIONS.contains(&action.as_str());
            Ok(redirect(&format!(
                "/leads/{id}?error={}{}",
                app::layout::encode_component(&app::refusals::leads::flash_code(&r)),
                if typed {
                    format!("&action={action}")
                } else {
                    String::new()
                }
            )))
        }
        Err(e) => Err(e.into()),
    }
}
