//! The lead pages: inbox, report form with routing preview, case file and its action forms.
//! Each handler checks the caller as a lead handler (others get the 404 page for anything
//! about a lead) and renders with the data as context.

use app::i18n::Lang;
use app::pages::leads::{
    ActionForm, CaseView, EntryRow, InboxRow, InboxView, PreviewView, ReportFormView, ReportValues,
    StepRow, UnitChoice,
};
use axum::extract::{FromRequest, Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::case::{allowed_actions, overdue, Action, ConductKind, Duty, Outcome};
use domain::directory::{Directory, UnitKind};
use store::sessions::Caller;

use crate::api::leads::run_action;
use crate::error::AppError;
use crate::leads::{build_lead, preview, require_handler, Report, ReportSubject};
use crate::pages::{not_found, redirect, render_with, request_lang};
use crate::state::AppState;
use crate::time::format_beijing;

fn path_of(req: &Request) -> String {
    req.uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/leads".into())
}

fn unit_name(dir: &Directory, lang: Lang, code: &str) -> String {
    dir.get(code)
        .map(|u| lang.pick(&u.name_zh, &u.name_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Handler gate for pages: anonymous → sign in; signed in without the role → `None`.
async fn gate<'a>(
    state: &AppState,
    caller: &'a Caller,
    next: String,
) -> Result<(Directory, Option<crate::leads::Handler<'a>>), Response> {
    if caller.user().is_none() {
        return Err(redirect(&format!(
            "/login?next={}",
            app::layout::encode_component(&next)
        )));
    }
    let dir = store::units::load_directory(&state.db)
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    let handler = require_handler(caller, &dir).ok();
    Ok((dir, handler))
}

/// Leads per inbox page.
const INBOX_PAGE: i64 = 50;

/// `GET /leads` (`?page=N` for older leads).
pub async fn inbox(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (dir, handler) = match gate(&state, &caller, path_of(&req)).await {
        Ok(g) => g,
        Err(r) => return r,
    };
    let lang = request_lang(&req);
    let Some(h) = handler else {
        return render_with(&state, req, InboxView::default()).await;
    };
    // Newest first, a page at a time; one more than a page tells whether older ones follow.
    let page: i64 = crate::pages::query_pairs(&req)
        .iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1);
    let mut leads = match store::leads::list_visible_page(
        &state.db,
        &h.unit,
        h.joint_office,
        INBOX_PAGE + 1,
        (page - 1) * INBOX_PAGE,
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let older = leads.len() as i64 > INBOX_PAGE;
    leads.truncate(INBOX_PAGE as usize);
    if let Err(e) = store::audit::record(
        &state.db,
        &caller.actor(),
        store::audit::Event {
            action: "lead.list_viewed",
            object_type: Some("leads"),
            object_id: None,
            detail: Some(format!("{} leads", leads.len())),
        },
    )
    .await
    {
        return AppError::from(e).into_response();
    }
    let now = store::now_ms();
    let rows = leads
        .into_iter()
        .map(|l| {
            let facts = domain::case::CaseFacts {
                discoverer: l.discoverer.clone(),
                route: l.route.clone(),
                steps: l.steps.clone(),
                outcome_recorded: l.feedback_complete,
                feedback_sent: l.feedback_complete,
                closed: l.status == "closed",
                ..Default::default()
            };
            let late = overdue(&facts, now, state.deadlines);
            let waiting_for = if l.status == "manual" {
                unit_name(&dir, lang, "dz-justice")
            } else {
                l.awaiting
                    .iter()
                    .map(|u| unit_name(&dir, lang, u))
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
                        .map(|o| format!("（{}）", unit_name(&dir, lang, &o)))
                        .unwrap_or_default()
                ),
                summary: l.summary,
                created: format_beijing(l.created_at),
                waiting_for,
                my_turn: l.awaiting.contains(&h.unit) || (l.status == "manual" && h.joint_office),
                overdue: late
                    .iter()
                    .map(|o| overdue_text(&dir, lang, &o.what, &o.unit))
                    .collect(),
            }
        })
        .collect();
    let view = InboxView {
        handler: true,
        unit_name: unit_name(&dir, lang, &h.unit),
        joint_office: h.joint_office,
        rows,
        page: page as u32,
        older,
    };
    render_with(&state, req, view).await
}

fn overdue_text(dir: &Directory, lang: Lang, what: &str, unit: &str) -> String {
    let name = unit_name(dir, lang, unit);
    match (lang, what) {
        (Lang::Zh, "acknowledge") => format!("{name}逾期未签收"),
        (Lang::Zh, "pass_on") => format!("{name}逾期未移交"),
        (Lang::Zh, _) => format!("{name}逾期未反馈"),
        (Lang::En, "acknowledge") => format!("{name}: acknowledgement overdue"),
        (Lang::En, "pass_on") => format!("{name}: passing on overdue"),
        (Lang::En, _) => format!("{name}: feedback overdue"),
    }
}

fn form_view(dir: &Directory, lang: Lang, unit: &str, values: ReportValues) -> ReportFormView {
    let choose = |pred: &dyn Fn(&domain::directory::Unit) -> bool| {
        dir.units()
            .iter()
            .filter(|u| pred(u))
            .map(|u| UnitChoice {
                code: u.code.clone(),
                name: lang.pick(&u.name_zh, &u.name_en).to_string(),
            })
            .collect::<Vec<_>>()
    };
    ReportFormView {
        unit_name: unit_name(dir, lang, unit),
        organs: choose(&|u| u.kind.is_judicial_organ() || u.kind == UnitKind::JusticeBureau),
        firms: choose(&|u| u.kind == UnitKind::LawFirm),
        values,
        preview: None,
        error: None,
        duties: Duty::ALL
            .iter()
            .map(|d| {
                (
                    d.as_str().to_string(),
                    lang.pick(d.labels().0, d.labels().1).to_string(),
                )
            })
            .collect(),
        conduct_kinds: ConductKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    lang.pick(k.labels().0, k.labels().1).to_string(),
                )
            })
            .collect(),
        from_tip: None,
        draft_saved: None,
    }
}

/// `GET /leads/new`.
pub async fn report_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (dir, handler) = match gate(&state, &caller, path_of(&req)).await {
        Ok(g) => g,
        Err(r) => return r,
    };
    let Some(h) = handler else {
        return not_found(&state, req).await;
    };
    let lang = request_lang(&req);
    let mut view = form_view(&dir, lang, &h.unit, ReportValues::default());
    let tip_id = crate::pages::query_pairs(&req)
        .into_iter()
        .find(|(k, _)| k == "tip")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    if tip_id.is_none() {
        match store::leads::load_draft(&state.db, h.user.id).await {
            Ok(Some((at, body))) => {
                if let Ok(values) = serde_json::from_str::<ReportValues>(&body) {
                    view.values = values;
                    view.draft_saved = Some(format_beijing(at));
                }
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    if let Some(tip_id) = tip_id {
        match open_tip_for(&state, &h, tip_id).await {
            Ok(Some(tip)) => {
                view.values.details = tip.body;
                view.from_tip = Some(tip_id);
            }
            Ok(None) => return not_found(&state, req).await,
            Err(e) => return e.into_response(),
        }
    }
    render_with(&state, req, view).await
}

/// An open public tip, for the joint office only (a tip becomes a lead of the home justice
/// bureau); `None` for anyone else or a tip already closed or converted.
async fn open_tip_for(
    state: &AppState,
    h: &crate::leads::Handler<'_>,
    tip_id: i64,
) -> Result<Option<store::tips::Tip>, AppError> {
    if !h.joint_office {
        return Ok(None);
    }
    Ok(store::tips::find(&state.db, tip_id)
        .await?
        .filter(|t| t.status == "new" || t.status == "answered"))
}

fn to_report(v: &ReportValues) -> Report {
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    Report {
        subject: ReportSubject {
            kind: if v.subject_type == "lawyer" {
                "lawyer".into()
            } else {
                "judicial_personnel".into()
            },
            name: v.name.clone(),
            org: opt(&v.org),
            duty: opt(&v.duty),
            licence_no: opt(&v.licence_no),
            firm: opt(&v.firm),
            region: opt(&v.region),
        },
        summary: v.summary.clone(),
        details: v.details.clone(),
        occurred_on: opt(&v.occurred_on),
        place: opt(&v.place),
        conduct_kind: opt(&v.conduct_kind),
        route: v.route.parse().ok(),
    }
}

fn error_text(e: &AppError) -> String {
    match e {
        AppError::BadRequest(m) | AppError::Unprocessable(m) | AppError::Conflict(m) => m.clone(),
        _ => "操作失败，请重试 / that did not work, please try again".into(),
    }
}

/// `POST /leads/new`: `intent=preview` shows the route; `intent=submit` records the lead. On an
/// error the form comes back with everything the user typed.
pub async fn report_submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    req: Request,
) -> Response {
    let (dir, handler) = match gate(&state, &caller, path_of(&req)).await {
        Ok(g) => g,
        Err(r) => return r,
    };
    let Some(h) = handler else {
        return not_found(&state, req).await;
    };
    let lang = request_lang(&req);
    let (parts, body) = req.into_parts();
    let render_req = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let Ok(Form(pairs)) =
        Form::<Vec<(String, String)>>::from_request(Request::from_parts(parts, body), &state).await
    else {
        return redirect("/leads/new");
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let values = ReportValues {
        subject_type: get("subject_type"),
        name: get("name"),
        org: get("org"),
        duty: get("duty"),
        licence_no: get("licence_no"),
        firm: get("firm"),
        region: get("region"),
        summary: get("summary"),
        details: get("details"),
        occurred_on: get("occurred_on"),
        place: get("place"),
        conduct_kind: get("conduct_kind"),
        route: get("route"),
    };
    let report = to_report(&values);
    let saving_draft = get("intent") == "draft";
    if saving_draft {
        let json = serde_json::to_string(&values).unwrap_or_default();
        if let Err(e) = store::leads::save_draft(&state.db, h.user.id, &json).await {
            return AppError::from(e).into_response();
        }
    }
    let mut view = form_view(&dir, lang, &h.unit, values);
    view.draft_saved = saving_draft.then(|| format_beijing(store::now_ms()));
    let tip_id = get("tip").parse::<i64>().ok();
    if let Some(tip_id) = tip_id {
        match open_tip_for(&state, &h, tip_id).await {
            Ok(Some(_)) => view.from_tip = Some(tip_id),
            Ok(None) => return not_found(&state, render_req).await,
            Err(e) => return e.into_response(),
        }
    }
    match preview(&dir, &h.unit, &report.subject) {
        Ok(plan) => {
            view.preview = Some(PreviewView {
                rule: plan.rule.as_str().into(),
                basis: lang.pick(plan.rule.basis_zh(), plan.rule.basis()).into(),
                manual: plan.manual,
                reason: lang.pick(&plan.reason_zh, &plan.reason_en).to_string(),
                routes: plan
                    .routes
                    .iter()
                    .map(|r| r.iter().map(|u| unit_name(&dir, lang, u)).collect())
                    .collect(),
            })
        }
        Err(e) => view.error = Some(error_text(&e)),
    }
    if get("intent") != "submit" || view.preview.is_none() {
        return render_with(&state, render_req, view).await;
    }
    let lead = match build_lead(&dir, &h, &report) {
        Ok((lead, _)) => lead,
        Err(e) => {
            view.error = Some(error_text(&e));
            return render_with(&state, render_req, view).await;
        }
    };
    let created = async {
        let (id, _) = store::leads::create_lead(&state.db, &lead, &caller.actor()).await?;
        store::leads::delete_draft(&state.db, h.user.id).await?;
        if let Some(tip_id) = tip_id {
            store::tips::mark_converted(&state.db, tip_id, id, &caller.actor()).await?;
        }
        Ok::<_, store::StoreError>(id)
    }
    .await;
    match created {
        Ok(id) => redirect(&format!("/leads/{id}?status=created")),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `GET /leads/{id}`: the case file, or the 404 page for anyone the rules do not allow.
pub async fn case_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (dir, handler) = match gate(&state, &caller, path_of(&req)).await {
        Ok(g) => g,
        Err(r) => return r,
    };
    let (Some(h), Ok(id)) = (handler, id.parse::<i64>()) else {
        return not_found(&state, req).await;
    };
    let lang = request_lang(&req);
    let case = match store::leads::view_case(
        &state.db,
        id,
        &h.unit,
        h.joint_office,
        &caller.actor(),
    )
    .await
    {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(&state, req).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    let linked = match store::leads::linked_leads(&state.db, &case, &h.unit, h.joint_office).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let attachments = match store::leads::list_attachments(&state.db, id).await {
        Ok(a) => a,
        Err(e) => return AppError::from(e).into_response(),
    };
    let facts = case.facts();
    let name = |c: &str| unit_name(&dir, lang, c);
    let actions = allowed_actions(&facts, &h.unit, h.joint_office)
        .into_iter()
        .map(|a| match a {
            Action::Acknowledge => ActionForm::Acknowledge,
            Action::PassOn { to } => ActionForm::PassOn(name(&to)),
            Action::Findings => ActionForm::Findings,
            Action::Outcome => ActionForm::Outcome(
                Outcome::ALL
                    .iter()
                    .map(|o| {
                        (
                            o.as_str().to_string(),
                            lang.pick(o.labels().0, o.labels().1).to_string(),
                        )
                    })
                    .collect(),
            ),
            Action::Feedback => ActionForm::Feedback,
            Action::Close => ActionForm::Close,
            Action::Reopen => ActionForm::Reopen,
            Action::Message => ActionForm::Message,
            Action::Route => ActionForm::Route(
                dir.units()
                    .iter()
                    .filter(|u| u.kind != UnitKind::LawFirm && u.code != case.discoverer)
                    .map(|u| UnitChoice {
                        code: u.code.clone(),
                        name: lang.pick(&u.name_zh, &u.name_en).to_string(),
                    })
                    .collect(),
            ),
        })
        .collect();
    let label = |zh: &str, en: &str| lang.pick(zh, en).to_string();
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
    let rule = domain::routing::RuleId::parse(&case.rule);
    let d = state.deadlines;
    let view = CaseView {
        id,
        reference: case.reference.clone(),
        status: case.status.clone(),
        rule: case.rule.clone(),
        basis: rule.map(|r| lang.pick(r.basis_zh(), r.basis()).to_string()).unwrap_or_default(),
        routing_reason: case.routing_reason.clone(),
        route: case.route.clone().unwrap_or_default().iter().map(|u| name(u)).collect(),
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
                acknowledged: s.acknowledged_at.map(format_beijing).unwrap_or_else(|| "—".into()),
                passed_on: s.passed_on_at.map(format_beijing).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        entries: case
            .entries
            .iter()
            .map(|e| EntryRow {
                kind: kind_label(&e.kind),
                unit: name(&e.unit),
                author: e.author_name.clone(),
                at: format_beijing(e.at),
                body: e.body.clone(),
                outcomes: e.outcomes.iter().filter_map(|o| Outcome::parse(o)).map(|o| lang.pick(o.labels().0, o.labels().1).to_string()).collect(),
            })
            .collect(),
        actions,
        overdue: overdue(&facts, store::now_ms(), d).iter().map(|o| overdue_text(&dir, lang, &o.what, &o.unit)).collect(),
        deadlines_note: match lang {
            Lang::Zh => format!("办理时限为本地工作规则（非《暂行规定》内容）：签收 {} 日、移交 {} 日、反馈 {} 日，自通报之日起计算。", d.acknowledge_days, d.pass_on_days, d.feedback_days),
            Lang::En => format!("Deadlines are local policy, not part of the regulation: acknowledge within {} days, pass on within {} days, feedback within {} days, counted from dispatch.", d.acknowledge_days, d.pass_on_days, d.feedback_days),
        },
        linked,
        attachments: attachments
            .iter()
            .map(|a| app::pages::leads::AttachmentRow {
                id: a.id,
                name: a.display_name.clone(),
                size: format!("{:.1} KB", a.size as f64 / 1024.0),
                unit: name(&a.unit),
                at: format_beijing(a.at),
            })
            .collect(),
        can_upload: case.status != "closed",
    };
    render_with(&state, req, view).await
}

/// `POST /leads/{id}/action`: one action from the case page, then back to the case.
pub async fn case_action(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if caller.user().is_none() {
        return redirect("/login");
    }
    let Ok(id) = id.parse::<i64>() else {
        return not_found(&state, req).await;
    };
    let (parts, body) = req.into_parts();
    let render_req = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let Ok(Form(pairs)) =
        Form::<Vec<(String, String)>>::from_request(Request::from_parts(parts, body), &state).await
    else {
        return redirect(&format!("/leads/{id}"));
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    match run_action(
        &state,
        &caller,
        id,
        &get("action"),
        &get("text"),
        &all("outcome"),
        all("route"),
    )
    .await
    {
        Ok(_) => redirect(&format!("/leads/{id}?status=done")),
        Err(AppError::NotFound) => not_found(&state, render_req).await,
        Err(e @ (AppError::Conflict(_) | AppError::Unprocessable(_) | AppError::BadRequest(_))) => {
            redirect(&format!(
                "/leads/{id}?error={}",
                app::layout::encode_component(&error_text(&e))
            ))
        }
        Err(e) => e.into_response(),
    }
}
