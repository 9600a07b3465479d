//! Lead pages: the inbox of a unit's lead handlers, the report form with its routing preview,
//! and the case file with the actions the unit may take now. The server checks the caller,
//! loads the data and provides it as context; forms post to server handlers (post/redirect/get).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::forms::{
    Choices, ErrorSummary, Field, Fieldset, FormErrors, Select, TextArea, TextInput,
};
use crate::i18n::{current_lang, Lang};

/// A row of the inbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InboxRow {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub rule: String,
    pub subject: String,
    pub summary: String,
    pub created: String,
    pub waiting_for: String,
    pub overdue: Vec<String>,
    pub my_turn: bool,
}

/// Data of `/leads`.
#[derive(Clone, Debug, Default)]
pub struct InboxView {
    /// False for signed-in users who do not handle leads.
    pub handler: bool,
    pub unit_name: String,
    pub joint_office: bool,
    pub rows: Vec<InboxRow>,
    /// The page shown (1 = newest).
    pub page: u32,
    /// Whether older leads follow on the next page.
    pub older: bool,
}

/// A unit choice in the form.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnitChoice {
    pub code: String,
    pub name: String,
}

/// The values of the report form, kept when the form is shown again.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ReportValues {
    pub subject_type: String,
    pub name: String,
    pub org: String,
    pub duty: String,
    pub licence_no: String,
    pub firm: String,
    pub region: String,
    pub summary: String,
    pub details: String,
    pub occurred_on: String,
    pub place: String,
    pub conduct_kind: String,
    pub route: String,
    /// The report names both sides of the contact: a second, linked lead is recorded.
    #[serde(default)]
    pub both_sides: bool,
    /// The name of the other side.
    #[serde(default)]
    pub counterpart_name: String,
}

/// The routing preview shown before submitting.
#[derive(Clone, Debug)]
pub struct PreviewView {
    pub rule: String,
    pub basis: String,
    pub manual: bool,
    pub reason: String,
    /// Each allowed route as unit names.
    pub routes: Vec<Vec<String>>,
}

/// Data of `/leads/new`.
#[derive(Clone, Debug, Default)]
pub struct ReportFormView {
    pub unit_name: String,
    pub organs: Vec<UnitChoice>,
    pub firms: Vec<UnitChoice>,
    pub values: ReportValues,
    pub preview: Option<PreviewView>,
    /// What was refused, by field (see [`report_field`]).
    pub errors: FormErrors,
    pub duties: Vec<(String, String)>,
    pub conduct_kinds: Vec<(String, String)>,
    /// The public tip this report takes up, if any.
    pub from_tip: Option<i64>,
    /// When the draft shown was saved, if the form comes from a draft.
    pub draft_saved: Option<String>,
}

/// One hand-over on the case page.
#[derive(Clone, Debug)]
pub struct StepRow {
    pub hop: i64,
    pub from: String,
    pub to: String,
    pub sent: String,
    pub acknowledged: String,
    pub passed_on: String,
}

/// One case-file entry.
#[derive(Clone, Debug)]
pub struct EntryRow {
    pub kind: String,
    pub unit: String,
    pub author: String,
    pub at: String,
    pub body: String,
    pub outcomes: Vec<String>,
    /// For a reply received outside the portal: the letter's number and date.
    pub letter: Option<String>,
    /// For a criminal referral: the authority it went to.
    pub referred_to: Option<String>,
}

/// How one unit the lead reached stands on verification (Art. 8 ¶2).
#[derive(Clone, Debug)]
pub struct VerificationRow {
    pub unit: String,
    pub status: String,
    pub missing: bool,
    /// An organ outside the portal: its letter's reply is recorded for it.
    pub outside: bool,
}

/// An action form the unit may use now.
#[derive(Clone, Debug)]
pub enum ActionForm {
    Acknowledge,
    PassOn(String),
    Findings,
    NotVerified,
    Outcome(Vec<(String, String)>),
    /// Record the reply of the organ `code` (named `name`) outside the portal.
    ExternalReply {
        code: String,
        name: String,
        outcomes: Vec<(String, String)>,
    },
    Feedback,
    Close,
    Reopen,
    Message,
    Route(Vec<UnitChoice>),
}

/// Data of `/leads/{id}`.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub rule: String,
    pub basis: String,
    pub routing_reason: String,
    pub route: Vec<String>,
    pub discoverer: String,
    pub subject: Vec<(String, String)>,
    pub facts: Vec<(String, String)>,
    pub summary: String,
    pub details: String,
    pub warnings: Vec<String>,
    pub steps: Vec<StepRow>,
    pub entries: Vec<EntryRow>,
    pub actions: Vec<ActionForm>,
    pub overdue: Vec<String>,
    pub deadlines_note: String,
    pub linked: Vec<(i64, String)>,
    pub attachments: Vec<AttachmentRow>,
    pub can_upload: bool,
    pub verification: Vec<VerificationRow>,
    /// The conflict-of-interest warning of a lead about the joint office's own staff.
    pub conflict: Option<String>,
}

/// An attachment on the case page.
#[derive(Clone, Debug)]
pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub unit: String,
    pub at: String,
}

/// Status label.
pub fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "manual" => lang.pick(
            "待联合办公室人工确定接收单位",
            "Awaiting manual routing by the joint office",
        ),
        "open" => lang.pick("办理中", "In progress"),
        "closed" => lang.pick("已办结", "Closed"),
        other => other,
    }
    .to_string()
}

fn flash(lang: Lang) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let ok = q.get("status").map(|s| match s.as_str() {
        "created" => lang.pick(
            "线索已登记并按规定通报。",
            "The lead was recorded and notified as the rules require.",
        ),
        _ => lang.pick("已完成。", "Done."),
    });
    // A message code (never text from the address): unknown codes show nothing.
    let err = q
        .get("error")
        .and_then(|code| crate::refusals::leads::flash_text(&code, lang));
    // A refused action with a text: the reason beside that text and in the summary above.
    let field = q
        .get("action")
        .filter(|a| TEXT_ACTIONS.contains(&a.as_str()))
        .map(|a| format!("text-{a}"));
    let (summary, alert) = match (err, field) {
        (Some(e), Some(f)) => (FormErrors::one(f, e), None),
        (e, _) => (FormErrors::default(), e),
    };
    provide_context(summary);
    view! {
        {ok.map(|m| view! { <p class="ok" role="status">{m}</p> })}
        <ErrorSummary/>
        {alert.map(|m| view! { <p class="alert" role="alert" id="action-error">{m}</p> })}
    }
}

/// The case actions whose form has a text (`text-{action}`).
pub const TEXT_ACTIONS: [&str; 8] = [
    "findings",
    "not_verified",
    "outcome",
    "feedback",
    "close",
    "reopen",
    "message",
    "route",
];

/// `/leads`: the unit's inbox.
#[component]
pub fn LeadsInboxPage() -> impl IntoView {
    let lang = current_lang();
    let data = use_context::<InboxView>().unwrap_or_default();
    let title = lang.pick("线索通报", "Leads");
    if !data.handler {
        return view! {
            <Title text=title/>
            <h1>{title}</h1>
            <p>{lang.pick("线索通报、移交与反馈由各单位线索专员办理。如需反映司法人员与律师不正当接触交往问题，请联系本单位线索专员。",
                          "Leads are reported, transferred and fed back by each unit's lead handlers. To report improper contact between judicial personnel and lawyers, contact your unit's lead handler.")}</p>
        }
        .into_any();
    }
    let rows = data
        .rows
        .iter()
        .map(|r| {
            let class = if !r.overdue.is_empty() {
                "overdue"
            } else if r.my_turn {
                "my-turn"
            } else {
                ""
            };
            view! {
                <tr class=class>
                    <td><a href=format!("/leads/{}", r.id)>{r.reference.clone()}</a></td>
                    <td>{status_label(lang, &r.status)}</td>
                    <td>{r.rule.clone()}</td>
                    <td><bdi>{r.subject.clone()}</bdi></td>
                    <td><bdi>{r.summary.clone()}</bdi></td>
                    <td>{r.waiting_for.clone()}</td>
                    <td>{r.overdue.join("；")}</td>
                    <td>{r.created.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{data.unit_name.clone()}{data.joint_office.then(|| lang.pick("（联合办公室：可查看全部线索并人工确定接收单位）", " (joint office: sees every lead and routes manual cases)"))}</p>
        <p><a class="button" href="/leads/new" id="new-lead">{lang.pick("登记新线索", "Report a lead")}</a>
            " " <a class="button" href="/leads/dashboard" id="dashboard-link">{lang.pick("数据平台", "Dashboard")}</a>
            {data.joint_office.then(|| view! { " " <a class="button" href="/leads/tips" id="tip-queue-link">{lang.pick("群众反映受理", "Public tips")}</a> })}</p>
        {flash(lang)}
        {if data.rows.is_empty() {
            view! { <p id="inbox-empty">{lang.pick("暂无线索。", "No leads.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data" id="inbox">
                        <thead><tr>
                            <th>{lang.pick("编号", "Reference")}</th><th>{lang.pick("状态", "Status")}</th><th>{lang.pick("规则", "Rule")}</th>
                            <th>{lang.pick("被反映人", "Subject")}</th><th>{lang.pick("摘要", "Summary")}</th><th>{lang.pick("待办单位", "Waiting for")}</th>
                            <th>{lang.pick("逾期", "Overdue")}</th><th>{lang.pick("登记时间", "Reported")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(data.page > 1 || data.older).then(|| view! {
            <nav class="pager" aria-label=lang.pick("翻页", "Pages")>
                {(data.page > 1).then(|| view! { <a href=format!("/leads?page={}", data.page - 1) id="inbox-newer">{lang.pick("← 较新的线索", "← Newer leads")}</a> })}
                " " {format!("{} {}", lang.pick("第", "Page"), data.page)}{lang.pick(" 页", "")} " "
                {data.older.then(|| view! { <a href=format!("/leads?page={}", data.page + 1) id="inbox-older">{lang.pick("较早的线索 →", "Older leads →")}</a> })}
            </nav>
        })}
    }
    .into_any()
}

fn options(list: &[UnitChoice], selected: &str) -> impl IntoView {
    list.iter()
        .map(|u| {
            let sel = u.code == selected;
            view! { <option value=u.code.clone() selected=sel>{u.name.clone()}</option> }
        })
        .collect_view()
}

/// Units as the choices of a [`Select`].
fn choices(list: &[UnitChoice]) -> Vec<(String, String)> {
    list.iter()
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect()
}

/// The field of the report form that a refusal is about, for the error summary's link.
pub fn report_field(r: &domain::case::LeadRefusal) -> &'static str {
    use domain::case::{InputRefusal as I, LeadField as F, LeadRefusal};
    let field = |f: &F| match f {
        F::Name => "name",
        F::Summary => "summary",
        F::Details | F::Text => "details",
        F::Place => "place",
        F::LicenceNo => "licence_no",
        F::Region => "region",
        F::Firm => "firm",
        // Fields of the case actions, not of this form.
        F::LetterReference | F::ReferredTo | F::ReceivedOn | F::ReplyFrom => "name",
    };
    match r {
        LeadRefusal::Input(i) => match i {
            I::Required(f)
            | I::TooLong { field: f, .. }
            | I::ControlCharacters(f)
            | I::DirectionControls(f) => field(f),
            I::OrganMissing | I::Route(_) => "org",
            I::SubjectType => "subject_type",
            I::BadDate | I::FutureDate => "occurred_on",
            I::UnknownConduct(_) => "conduct_kind",
            I::LicenceMissing => "licence_no",
            I::RouteChoice { .. } => "route",
            I::TwoSides => "counterpart_name",
            I::UnknownAction | I::UnknownOutcome(_) | I::ReceivedOnInvalid | I::Outcome(_) => {
                "name"
            }
        },
        LeadRefusal::Case(_) | LeadRefusal::Upload(_) => "name",
    }
}

/// `/leads/new`: the report form; "预览移送路径" shows the route before submitting.
#[component]
pub fn LeadReportPage() -> impl IntoView {
    let lang = current_lang();
    let data = use_context::<ReportFormView>().unwrap_or_default();
    let v = data.values.clone();
    provide_context(data.errors.clone());
    let title = lang.pick("登记线索", "Report a lead");
    let preview = data.preview.clone().map(|p| {
        let chosen = if v.route.is_empty() { "0".to_string() } else { v.route.clone() };
        let routes: Vec<(String, String)> = p
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| (i.to_string(), r.join(" → ")))
            .collect();
        view! {
            <section class="preview" id="route-preview" aria-live="polite">
                <h2>{lang.pick("移送路径预览", "Routing preview")}</h2>
                <p><strong>{p.rule.clone()}</strong>" · "{p.basis.clone()}</p>
                <p id="route-reason">{p.reason.clone()}</p>
                {p.manual.then(|| view! { <p class="alert">{lang.pick("本规定对此情形未作规定：线索登记后由联合办公室（大足区司法局）人工确定接收单位。", "The regulation does not say where this lead goes: once recorded, the joint office (Dazu District Justice Bureau) chooses the receivers by hand.")}</p> })}
                {(p.routes.len() > 1).then(|| view! {
                    <Choices id="route" name="route" legend=lang.pick("请选择通报路径（第八条）", "Choose the route (Article 8)")
                        items=routes checked=vec![chosen]/>
                })}
            </section>
        }
    });
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{lang.pick("发现线索的单位：", "Discovering unit: ")}{data.unit_name.clone()}</p>
        <ErrorSummary/>
        {data.draft_saved.clone().map(|t| view! { <p class="ok" role="status" id="draft-notice">{lang.pick("草稿保存于 ", "Draft saved at ")}{t}</p> })}
        <form method="post" action="/leads/new" class="form report" id="report-form">
            {data.from_tip.map(|t| view! { <input type="hidden" name="tip" value=t.to_string()/> })}
            <Fieldset legend=lang.pick("被反映人", "Subject")>
                <Select id="subject_type" label=lang.pick("身份", "Who") selected=v.subject_type.clone()
                    options=vec![
                        ("judicial_personnel".into(), lang.pick("司法人员", "Judicial personnel").into()),
                        ("lawyer".into(), lang.pick("律师", "Lawyer").into()),
                    ]/>
                <TextInput id="name" label=lang.pick("姓名", "Name") value=v.name.clone() maxlength=64 width="w-medium"/>
            </Fieldset>
            <Fieldset legend=lang.pick("司法人员", "Judicial personnel") hint=lang.pick("被反映人是司法人员时填写。", "When the subject is judicial personnel.")>
                <Select id="org" label=lang.pick("所在单位", "Organ") options=choices(&data.organs) selected=v.org.clone() blank=true/>
                <Select id="duty" label=lang.pick("职责", "Duty") hint=lang.pick("第十四条所列的司法人员职责。", "The duties of judicial personnel listed in Article 14.")
                    options=data.duties.clone() selected=v.duty.clone() blank=true/>
            </Fieldset>
            <Fieldset legend=lang.pick("律师", "Lawyer") hint=lang.pick("被反映人是律师时填写。", "When the subject is a lawyer.")>
                <TextInput id="licence_no" label=lang.pick("执业证号", "Licence number") value=v.licence_no.clone() maxlength=64 width="w-medium"/>
                <Select id="firm" label=lang.pick("律师事务所", "Law firm") options=choices(&data.firms) selected=v.firm.clone() blank=true/>
                <TextInput id="region" label=lang.pick("执业登记地区", "Registration region") value=v.region.clone() maxlength=64 width="w-medium"/>
            </Fieldset>
            <Fieldset legend=lang.pick("同时反映对方", "Both sides") hint=lang.pick("司法人员和律师各登记一条线索，各按其规则通报，相互关联；上方两组信息中另一组即为对方。", "One lead about the judicial officer and one about the lawyer, each routed by its own rule, linked to each other; the other set of fields above describes the other side.")>
                <label class="check" for="both_sides">
                    <input type="checkbox" id="both_sides" name="both_sides" value="1" checked=v.both_sides/>
                    {lang.pick("同时反映对方", "Report both sides")}
                </label>
                <TextInput id="counterpart_name" label=lang.pick("对方姓名", "The other side's name") value=v.counterpart_name.clone() maxlength=64 width="w-medium"/>
            </Fieldset>
            <Fieldset legend=lang.pick("反映的情况", "What happened")>
                <TextInput id="occurred_on" kind="date" label=lang.pick("发生日期", "Date") value=v.occurred_on.clone() width="w-short"/>
                <TextInput id="place" label=lang.pick("地点", "Place") value=v.place.clone() maxlength=200/>
                <Select id="conduct_kind" label=lang.pick("行为类型", "Kind of conduct") options=data.conduct_kinds.clone() selected=v.conduct_kind.clone() blank=true/>
                <TextInput id="summary" label=lang.pick("摘要", "Summary") hint=lang.pick("一句话概括，显示在线索列表中。", "One line; shown in the list of leads.") value=v.summary.clone() maxlength=200/>
                <TextArea id="details" label=lang.pick("详细情况", "Details") value=v.details.clone() rows=6 maxlength=10000/>
            </Fieldset>
            {preview}
            <div class="buttons">
                <button type="submit" name="intent" value="preview" id="preview-route">{lang.pick("预览移送路径", "Preview the route")}</button>
                <button type="submit" name="intent" value="draft" id="save-draft">{lang.pick("保存草稿", "Save draft")}</button>
                <button type="submit" name="intent" value="submit" id="submit-lead">{lang.pick("登记并通报", "Record and notify")}</button>
            </div>
        </form>
    }
}

fn action_form(lang: Lang, id: i64, form: ActionForm) -> impl IntoView {
    let action = format!("/leads/{id}/action");
    let text = |name: &'static str, label: &'static str, required: bool| {
        view! {
            <TextArea id=format!("text-{name}") name="text" label=label rows=3 maxlength=10000 required=required/>
        }
    };
    match form {
        ActionForm::Acknowledge => view! {
            <form method="post" action=action class="form inline"><input type="hidden" name="action" value="acknowledge"/>
                <button type="submit" id="do-acknowledge">{lang.pick("签收", "Acknowledge receipt")}</button></form>
        }.into_any(),
        ActionForm::PassOn(to) => view! {
            <form method="post" action=action class="form inline"><input type="hidden" name="action" value="pass_on"/>
                <button type="submit" id="do-pass-on">{format!("{}{to}", lang.pick("移交/报送至 ", "Pass on to "))}</button></form>
        }.into_any(),
        ActionForm::Findings => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="findings"/>
                {text("findings", lang.pick("调查核实情况", "Verification findings"), true)}
                <button type="submit" id="do-findings">{lang.pick("记录核实情况", "Record findings")}</button></form>
        }.into_any(),
        ActionForm::NotVerified => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="not_verified"/>
                {text("not_verified", lang.pick("未调查核实的理由（如：无管辖权，已移交）", "Why this unit does not verify (e.g. passed on for jurisdiction)"), true)}
                <button type="submit" id="do-not-verified">{lang.pick("记录未核实的理由", "Record the reason")}</button></form>
        }.into_any(),
        ActionForm::Outcome(choices) => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="outcome"/>
                {outcome_fields(lang, "outcome", choices)}
                {text("outcome", lang.pick("处理依据和说明", "Basis and explanation"), true)}
                <button type="submit" id="do-outcome">{lang.pick("记录本单位的处理结果", "Record this body's outcome")}</button></form>
        }.into_any(),
        ActionForm::ExternalReply { code, name, outcomes } => {
            let slug = code.clone();
            view! {
            <form method="post" action=action class="form external-reply" id=format!("external-reply-{slug}")>
                <input type="hidden" name="action" value="external_reply"/>
                <input type="hidden" name="from" value=code/>
                <p class="hint">{format!("{}{name}{}", lang.pick("登记平台外单位", "Record the reply of "), lang.pick("的来函回复：其调查核实情况和处理结果计入本案卷。", ", an organ outside the portal: its findings and outcome go on this case file."))}</p>
                <label>{lang.pick("收函日期", "Received on")}<input type="date" name="received_on" required/></label>
                <label>{lang.pick("来函文号", "Letter number")}<input name="reference" maxlength="64" required/></label>
                {outcome_fields(lang, &format!("reply-{slug}"), outcomes)}
                {text("external_reply", lang.pick("来函所述调查核实情况", "The findings the letter reports"), true)}
                <p class="hint">{lang.pick("来函原件可在上方“附件”处上传。", "The letter itself can be uploaded under Attachments above.")}</p>
                <button type="submit" class="do-external-reply">{lang.pick("登记来函回复", "Record the reply")}</button></form>
            }.into_any()
        }
        ActionForm::Feedback => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="feedback"/>
                {text("feedback", lang.pick("反馈给发现线索的单位（调查核实情况及查处结果）", "Feedback to the discovering unit (findings and result)"), true)}
                <button type="submit" id="do-feedback">{lang.pick("反馈", "Send feedback")}</button></form>
        }.into_any(),
        ActionForm::Close => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="close"/>
                {text("close", lang.pick("办结说明（可选）", "Closing note (optional)"), false)}
                <button type="submit" id="do-close">{lang.pick("办结", "Close the case")}</button></form>
        }.into_any(),
        ActionForm::Reopen => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="reopen"/>
                {text("reopen", lang.pick("重新打开的理由", "Reason for reopening"), true)}
                <button type="submit" id="do-reopen">{lang.pick("重新打开", "Reopen")}</button></form>
        }.into_any(),
        ActionForm::Message => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="message"/>
                {text("message", lang.pick("留言（路径上的单位可见）", "Message (seen by the units on the route)"), true)}
                <button type="submit" id="do-message">{lang.pick("发送留言", "Send message")}</button></form>
        }.into_any(),
        ActionForm::Route(units) => view! {
            <form method="post" action=action class="form"><input type="hidden" name="action" value="route"/>
                <Field id="route-units" label=lang.pick("接收单位", "Receivers")
                    hint=lang.pick("按顺序选择，可多选。", "In order; choose one or more.")>
                    <select id="route-units" name="route" multiple size="8" aria-describedby="route-units-hint">{options(&units, "")}</select>
                </Field>
                {text("route", lang.pick("人工确定的理由", "Reason for this routing"), true)}
                <button type="submit" id="do-route">{lang.pick("确定接收单位并通报", "Route and notify")}</button></form>
        }.into_any(),
    }
}

/// Article 13's outcomes as checkboxes, and the authority of a criminal referral.
fn outcome_fields(lang: Lang, prefix: &str, choices: Vec<(String, String)>) -> impl IntoView {
    view! {
        <Choices id=prefix.to_string() name="outcome" legend=lang.pick("处理结果（第十三条：各机关只记录本机关作出的处理）", "Outcome (Article 13: each body records only its own)")
            items=choices multiple=true/>
        <TextInput id=format!("{prefix}-referred-to") name="referred_to" label=lang.pick("移送的机关", "Authority referred to")
            hint=lang.pick("移送问题线索时填写。", "For a referral of a suspected crime.") maxlength=200/>
    }
}

/// `/leads/{id}`: the case file.
#[component]
pub fn LeadCasePage() -> impl IntoView {
    let lang = current_lang();
    let c = expect_context::<CaseView>();
    let title = format!("{} {}", lang.pick("线索", "Lead"), c.reference);
    let id = c.id;
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {flash(lang)}
        <dl class="doc-meta">
            <dt>{lang.pick("状态", "Status")}</dt><dd id="case-status">{status_label(lang, &c.status)}</dd>
            <dt>{lang.pick("发现线索的单位", "Discovering unit")}</dt><dd>{c.discoverer.clone()}</dd>
            <dt>{lang.pick("适用规则", "Rule")}</dt><dd>{format!("{} · {}", c.rule, c.basis)}</dd>
            <dt>{lang.pick("移送路径", "Route")}</dt><dd id="case-route">{if c.route.is_empty() { "—".to_string() } else { c.route.join(" → ") }}</dd>
            <dt>{lang.pick("路径说明", "Why")}</dt><dd>{c.routing_reason.clone()}</dd>
        </dl>
        {(!c.warnings.is_empty()).then(|| view! { <div class="alert" role="note">{c.warnings.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}</div> })}
        {c.conflict.clone().map(|w| view! { <div class="alert" role="note" id="case-conflict"><p>{w}</p></div> })}
        {(!c.overdue.is_empty()).then(|| view! { <div class="alert overdue" role="alert" id="case-overdue">{c.overdue.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}</div> })}
        <p class="hint">{c.deadlines_note.clone()}</p>
        <h2>{lang.pick("被反映人", "Subject")}</h2>
        <dl class="doc-meta">{c.subject.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd><bdi>{v.clone()}</bdi></dd> }).collect_view()}</dl>
        <h2>{lang.pick("反映的情况", "What happened")}</h2>
        <dl class="doc-meta">{c.facts.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd><bdi>{v.clone()}</bdi></dd> }).collect_view()}</dl>
        <p dir="auto"><strong>{c.summary.clone()}</strong></p>
        <p class="pre" dir="auto">{c.details.clone()}</p>
        {(!c.linked.is_empty()).then(|| view! {
            <p>{lang.pick("同一被反映人的其他线索：", "Other leads about the same subject: ")}
                {c.linked.iter().map(|(i, r)| view! { <a href=format!("/leads/{i}")>{r.clone()}</a>" " }).collect_view()}</p>
        })}
        <h2>{lang.pick("通报移交记录", "Hand-overs")}</h2>
        <div class="table-wrap"><table class="data" id="steps">
            <thead><tr><th>"#"</th><th>{lang.pick("通报单位", "From")}</th><th>{lang.pick("接收单位", "To")}</th><th>{lang.pick("通报时间", "Sent")}</th><th>{lang.pick("签收时间", "Acknowledged")}</th><th>{lang.pick("移交时间", "Passed on")}</th></tr></thead>
            <tbody>{c.steps.iter().map(|s| view! { <tr><td>{s.hop}</td><td>{s.from.clone()}</td><td>{s.to.clone()}</td><td>{s.sent.clone()}</td><td>{s.acknowledged.clone()}</td><td>{s.passed_on.clone()}</td></tr> }).collect_view()}</tbody>
        </table></div>
        {(!c.verification.is_empty()).then(|| view! {
            <h2>{lang.pick("各接收单位调查核实情况（第八条第二款）", "Verification by each receiving unit (Art. 8 para. 2)")}</h2>
            <div class="table-wrap"><table class="data" id="verification">
                <thead><tr><th>{lang.pick("单位", "Unit")}</th><th>{lang.pick("核实", "Verification")}</th></tr></thead>
                <tbody>{c.verification.iter().map(|v| view! {
                    <tr class=if v.missing { "missing" } else { "" }>
                        <td>{v.unit.clone()}{v.outside.then(|| lang.pick("（平台外）", " (outside the portal)"))}</td>
                        <td>{v.status.clone()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table></div>
        })}
        <h2>{lang.pick("案卷记录", "Case file")}</h2>
        <ol class="entries" id="entries">
            {c.entries.iter().map(|e| view! {
                <li class=format!("entry entry-{}", e.kind)>
                    <p class="entry-head"><strong>{e.kind.clone()}</strong>" · "{e.unit.clone()}" · "{e.author.clone()}" · "{e.at.clone()}</p>
                    {e.letter.clone().map(|l| view! { <p class="letter">{l}</p> })}
                    {(!e.outcomes.is_empty()).then(|| view! { <p>{e.outcomes.join("；")}</p> })}
                    {e.referred_to.clone().map(|r| view! { <p>{lang.pick("移送至：", "Referred to: ")}{r}</p> })}
                    <p class="pre" dir="auto">{e.body.clone()}</p>
                </li>
            }).collect_view()}
        </ol>
        <h2>{lang.pick("附件", "Attachments")}</h2>
        <ul id="attachments">
            {c.attachments.iter().map(|a| view! {
                <li><a href=format!("/leads/{id}/attachments/{}", a.id)><bdi>{a.name.clone()}</bdi></a>" · "{a.size.clone()}" · "{a.unit.clone()}" · "{a.at.clone()}</li>
            }).collect_view()}
        </ul>
        {c.can_upload.then(|| view! {
            <form method="post" action=format!("/leads/{id}/attachments") enctype="multipart/form-data" class="form inline-upload">
                <Field id="file" label=lang.pick("上传附件", "Upload a file")
                    hint=lang.pick("PDF、PNG、JPEG、TXT、DOCX、XLSX，单个不超过 10 MB，每条线索合计不超过 30 MB。", "PDF, PNG, JPEG, TXT, DOCX, XLSX; at most 10 MB each, 30 MB per lead.")>
                    <input type="file" id="file" name="file" required aria-describedby="file-hint"/>
                </Field>
                <button type="submit" id="do-upload">{lang.pick("上传", "Upload")}</button>
            </form>
        })}
        <h2>{lang.pick("可办理的事项", "What you can do")}</h2>
        <div class="actions" id="actions">
            {c.actions.into_iter().map(|a| action_form(lang, id, a)).collect_view()}
        </div>
        <p><a href="/leads">{lang.pick("返回线索列表", "Back to the leads")}</a></p>
    }
}
