//! The use cases of leads, for the pages and the API alike: who handles leads ([`handler`]),
//! what a valid report is and where it goes ([`preview`], [`build_lead`], [`report`]), the
//! inbox ([`list`]), the case file ([`view`], [`case_file`]), every case action as a
//! [`LeadCommand`] run by [`run`], and attachments ([`attach`], [`download`]). No HTTP types
//! here; refusals are typed ([`LeadRefusal`]) and worded at the edge.

use app::refusals::Localize;
use domain::case::{
    Action, ConductKind, Duty, InputRefusal, LeadField, LeadRefusal, LeadWarning, Outcome,
};
use domain::directory::{Directory, UnitKind};
use domain::files::UploadRefusal;
use domain::routing::{route_lead, RoutePlan, Subject};
use store::audit::Actor;
use store::leads::{
    self, ActionError, ActionRequest, AttachmentInfo, Author, Case, ExternalReply, LeadSummary,
    NewLead, SubjectRecord, UploadError,
};
use store::sessions::Caller;
use store::users::{Role, User};
use store::StoreError;

use crate::state::AppState;

/// Why a lead use case did not happen.
#[derive(Debug)]
pub enum LeadError {
    /// Not there, or not for this unit (the two look the same from outside).
    NotFound,
    /// Refused, with the typed reason.
    Refused(LeadRefusal),
    Store(StoreError),
}

impl From<StoreError> for LeadError {
    fn from(e: StoreError) -> Self {
        LeadError::Store(e)
    }
}

impl From<LeadRefusal> for LeadError {
    fn from(r: LeadRefusal) -> Self {
        LeadError::Refused(r)
    }
}

impl From<InputRefusal> for LeadError {
    fn from(r: InputRefusal) -> Self {
        LeadError::Refused(r.into())
    }
}

impl From<UploadRefusal> for LeadError {
    fn from(r: UploadRefusal) -> Self {
        LeadError::Refused(r.into())
    }
}

impl From<ActionError> for LeadError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::NotFound => LeadError::NotFound,
            ActionError::Refused(r) => LeadError::Refused(r),
            ActionError::Store(e) => LeadError::Store(e),
        }
    }
}

impl From<UploadError> for LeadError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::NotFound => LeadError::NotFound,
            UploadError::Refused(r) => LeadError::Refused(r.into()),
            UploadError::Store(e) => LeadError::Store(e),
        }
    }
}

/// A lead handler and their unit; the joint office is the home justice bureau's handlers.
pub struct Handler<'a> {
    pub user: &'a User,
    pub unit: String,
    pub joint_office: bool,
}

impl Handler<'_> {
    /// The handler as the author of a change.
    fn author<'b>(&'b self, actor: &'b Actor) -> Author<'b> {
        Author {
            user_id: self.user.id,
            name: &self.user.display_name,
            unit: &self.unit,
            joint_office: self.joint_office,
            actor,
        }
    }
}

/// The caller as a lead handler: a user of a unit holding the lead-handler role. Anyone else
/// is not told that leads exist.
pub fn handler<'a>(caller: &'a Caller, dir: &Directory) -> Option<Handler<'a>> {
    let user = caller.user()?;
    match (&user.unit_code, user.has(Role::LeadHandler)) {
        (Some(unit), true) => Some(Handler {
            user,
            unit: unit.clone(),
            joint_office: dir
                .home_unit(UnitKind::JusticeBureau)
                .is_some_and(|u| &u.code == unit),
        }),
        _ => None,
    }
}

/// The unit directory.
pub async fn directory(state: &AppState) -> Result<Directory, StoreError> {
    store::units::load_directory(&state.db).await
}

/// A report as submitted (API JSON or page form), before validation.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub subject: ReportSubject,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub summary: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub details: String,
    #[schema(format = Date)]
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    #[schema(value_type = Option<domain::case::ConductKind>)]
    pub conduct_kind: Option<String>,
    pub route: Option<usize>,
    /// The other side of the same contact (a lawyer for a judicial officer, or the reverse):
    /// the portal records a second lead about it, routed by its own rule, linked to the first.
    #[serde(default)]
    pub counterpart: Option<ReportSubject>,
}

/// Who a report is about.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = ReportSubjectIn)]
pub struct ReportSubject {
    #[serde(rename = "type")]
    #[schema(value_type = SubjectKind)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    pub org: Option<String>,
    #[schema(value_type = Option<domain::case::Duty>)]
    pub duty: Option<String>,
    pub licence_no: Option<String>,
    pub firm: Option<String>,
    pub region: Option<String>,
}

/// Whom a lead is about: the `type` of a report's subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    JudicialPersonnel,
    Lawyer,
}

impl SubjectKind {
    /// The kind a report's `type` names, if any.
    pub fn parse(s: &str) -> Option<SubjectKind> {
        match s {
            "judicial_personnel" => Some(SubjectKind::JudicialPersonnel),
            "lawyer" => Some(SubjectKind::Lawyer),
            _ => None,
        }
    }
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn check_text(
    field: LeadField,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), InputRefusal> {
    if required && value.trim().is_empty() {
        return Err(InputRefusal::Required(field));
    }
    if value.chars().count() > max {
        return Err(InputRefusal::TooLong { field, max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(InputRefusal::ControlCharacters(field));
    }
    Ok(())
}

/// The routing preview for a subject as the form or the API gives it.
pub fn preview(
    dir: &Directory,
    discoverer: &str,
    subject: &ReportSubject,
) -> Result<RoutePlan, InputRefusal> {
    let org = match SubjectKind::parse(&subject.kind) {
        Some(SubjectKind::JudicialPersonnel) => {
            Some(clean(&subject.org).ok_or(InputRefusal::OrganMissing)?)
        }
        Some(SubjectKind::Lawyer) => None,
        None => return Err(InputRefusal::SubjectType),
    };
    let s = match &org {
        Some(org) => Subject::JudicialPersonnel { org },
        None => Subject::Lawyer,
    };
    route_lead(dir, discoverer, &s).map_err(InputRefusal::Route)
}

/// Validates a report, routes it, and builds the new lead with its warnings.
pub fn build_lead(
    dir: &Directory,
    handler: &Handler<'_>,
    report: &Report,
) -> Result<NewLead, InputRefusal> {
    let s = &report.subject;
    check_text(LeadField::Name, &s.name, 64, true)?;
    if domain::text::has_direction_controls(&s.name) {
        return Err(InputRefusal::DirectionControls(LeadField::Name));
    }
    check_text(LeadField::Summary, &report.summary, 200, true)?;
    check_text(LeadField::Details, &report.details, 10_000, true)?;
    for (field, v, max) in [
        (LeadField::Place, &report.place, 200),
        (LeadField::LicenceNo, &s.licence_no, 64),
        (LeadField::Region, &s.region, 64),
        (LeadField::Firm, &s.firm, 100),
    ] {
        check_text(field, v.as_deref().unwrap_or(""), max, false)?;
    }
    if let Some(d) = clean(&report.occurred_on) {
        let date =
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| InputRefusal::BadDate)?;
        if date > chrono::Utc::now().date_naive() + chrono::Duration::days(1) {
            return Err(InputRefusal::FutureDate);
        }
    }
    let conduct = match clean(&report.conduct_kind) {
        Some(k) => Some(
            ConductKind::parse(&k)
                .ok_or(InputRefusal::UnknownConduct(k))?
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
            _ => warnings.push(LeadWarning::DutyNotInArticle14),
        }
        if let Some(u) = record.org.as_deref().and_then(|o| dir.get(o)) {
            if !u.kind.is_judicial_organ() && u.kind != UnitKind::JusticeBureau {
                warnings.push(LeadWarning::UnitNotInArticle14);
            }
        }
    } else {
        record.licence_no = clean(&s.licence_no);
        record.firm = clean(&s.firm);
        record.region = clean(&s.region);
        if record.licence_no.is_none() {
            return Err(InputRefusal::LicenceMissing);
        }
        let firm_home = record
            .firm
            .as_deref()
            .and_then(|f| dir.get(f))
            .is_some_and(|u| u.region == dir.home_region);
        let region_home = record.region.as_deref().is_some_and(|r| r.contains("大足"));
        if !firm_home && !region_home {
            warnings.push(LeadWarning::LawyerNotLocal);
        }
    }
    let route = if plan.manual {
        None
    } else {
        let last = plan.routes.len() - 1;
        let idx = report.route.unwrap_or(0);
        Some(
            plan.routes
                .get(idx)
                .cloned()
                .ok_or(InputRefusal::RouteChoice { last })?,
        )
    };
    let reason = if plan.manual {
        format!("{}\n{}", plan.reason_zh, plan.reason_en)
    } else {
        plan.reason_zh.clone()
    };
    Ok(NewLead {
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
        // The case file keeps its warnings in both languages.
        warnings: warnings.iter().map(|w| w.both()).collect(),
    })
}

/// Where a report comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    Api,
    /// The report form: the reporter's draft is discarded once the lead is recorded, and the
    /// public tip it takes up (checked with [`open_tip`]) is marked converted.
    Form {
        tip: Option<i64>,
    },
}

/// A recorded lead.
pub struct Reported {
    pub id: i64,
    pub reference: String,
    pub lead: NewLead,
    /// The lead about the other side of the contact, when the report named both: (id,
    /// reference).
    pub counterpart: Option<(i64, String)>,
}

/// The report about one side of a two-sided report: the same facts about `subject`; the
/// route choice applies to the side whose rule offers a choice (R7).
fn side_of(dir: &Directory, unit: &str, report: &Report, subject: &ReportSubject) -> Report {
    let choice = preview(dir, unit, subject).is_ok_and(|p| p.routes.len() > 1);
    Report {
        subject: subject.clone(),
        route: if choice { report.route } else { None },
        counterpart: None,
        ..report.clone()
    }
}

/// Validates, routes and records a report of the handler's unit.
pub async fn report(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    dir: &Directory,
    report: &Report,
    source: Source,
) -> Result<Reported, LeadError> {
    let actor = caller.actor();
    let (lead, id, reference, counterpart) = match &report.counterpart {
        None => {
            let lead = build_lead(dir, handler, report)?;
            let (id, reference) = leads::create_lead(&state.db, &lead, &actor).await?;
            (lead, id, reference, None)
        }
        Some(other) => {
            let sides = [report.subject.kind.as_str(), other.kind.as_str()];
            if !(sides.contains(&"lawyer") && sides.contains(&"judicial_personnel")) {
                return Err(InputRefusal::TwoSides.into());
            }
            let first = build_lead(
                dir,
                handler,
                &side_of(dir, &handler.unit, report, &report.subject),
            )?;
            let second = build_lead(dir, handler, &side_of(dir, &handler.unit, report, other))?;
            let [(id, reference), b] =
                leads::create_linked_leads(&state.db, &first, &second, &actor).await?;
            (first, id, reference, Some(b))
        }
    };
    if let Source::Form { tip } = source {
        leads::delete_draft(&state.db, handler.user.id).await?;
        if let Some(tip) = tip {
            store::tips::mark_converted(&state.db, tip, id, &actor).await?;
        }
    }
    Ok(Reported {
        id,
        reference,
        lead,
        counterpart,
    })
}

/// Saves the handler's report-form draft (JSON of the form's values).
pub async fn save_draft(
    state: &AppState,
    handler: &Handler<'_>,
    body: &str,
) -> Result<(), StoreError> {
    leads::save_draft(&state.db, handler.user.id, body).await
}

/// The handler's saved draft, if any: (saved at, JSON).
pub async fn load_draft(
    state: &AppState,
    handler: &Handler<'_>,
) -> Result<Option<(i64, String)>, StoreError> {
    leads::load_draft(&state.db, handler.user.id).await
}

/// An open public tip, for the joint office only (a tip becomes a lead of the home justice
/// bureau); `None` for anyone else or a tip already closed or converted.
pub async fn open_tip(
    state: &AppState,
    handler: &Handler<'_>,
    tip: i64,
) -> Result<Option<store::tips::Tip>, StoreError> {
    if !handler.joint_office {
        return Ok(None);
    }
    Ok(store::tips::find(&state.db, tip)
        .await?
        .filter(|t| t.status == "new" || t.status == "answered"))
}

/// A page of the leads the handler's unit may see, newest first.
pub struct Listing {
    pub leads: Vec<LeadSummary>,
    /// Whether older leads follow.
    pub older: bool,
}

/// The leads the handler's unit may see, `limit` from the `offset`-th on; the listing is
/// audited.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    limit: i64,
    offset: i64,
) -> Result<Listing, StoreError> {
    // One more than asked for tells whether older ones follow.
    let mut leads = leads::list_visible_page(
        &state.db,
        &handler.unit,
        handler.joint_office,
        limit + 1,
        offset,
    )
    .await?;
    let older = leads.len() as i64 > limit;
    leads.truncate(limit as usize);
    store::audit::record(
        &state.db,
        &caller.actor(),
        store::audit::Event {
            action: "lead.list_viewed",
            object_type: Some("leads"),
            object_id: None,
            detail: Some(format!("{} leads", leads.len())),
        },
    )
    .await?;
    Ok(Listing { leads, older })
}

/// The case file if the handler's unit may see it; the view is audited.
pub async fn view(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
) -> Result<Case, LeadError> {
    leads::view_case(
        &state.db,
        id,
        &handler.unit,
        handler.joint_office,
        &caller.actor(),
    )
    .await?
    .ok_or(LeadError::NotFound)
}

/// A case file with what the case page shows beside it.
pub struct CaseFile {
    pub case: Case,
    /// Other leads about the same subject that the unit may also see.
    pub linked: Vec<(i64, String)>,
    pub attachments: Vec<AttachmentInfo>,
}

/// [`view`] with the linked leads and the attachments.
pub async fn case_file(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
) -> Result<CaseFile, LeadError> {
    let case = view(state, caller, handler, id).await?;
    let linked = leads::linked_leads(&state.db, &case, &handler.unit, handler.joint_office).await?;
    let attachments = leads::list_attachments(&state.db, id).await?;
    Ok(CaseFile {
        case,
        linked,
        attachments,
    })
}

/// One action on a case, as a form or the API asks for it.
#[derive(Clone, Debug, Default)]
pub struct LeadCommand {
    /// The action's name: `acknowledge`, `pass_on`, `findings`, `not_verified`, `outcome`,
    /// `external_reply`, `feedback`, `close`, `reopen`, `message`, or `route` (the joint
    /// office, a manual case).
    pub action: String,
    pub text: String,
    /// For `outcome` and `external_reply`: the Article 13 outcomes by code.
    pub outcomes: Vec<String>,
    /// For `route`: the receivers, in order.
    pub route: Vec<String>,
    /// For a criminal referral: the authority it went to.
    pub referred_to: String,
    /// For `external_reply`: the replying organ's code, the date the letter was received
    /// (`YYYY-MM-DD`) and its number.
    pub from: String,
    pub received_on: String,
    pub reference: String,
}

/// Parses an action name as the API and the forms give it.
fn parse_action(name: &str) -> Option<Action> {
    Some(match name {
        "route" => Action::Route,
        "acknowledge" => Action::Acknowledge,
        "pass_on" => Action::PassOn { to: String::new() },
        "findings" => Action::Findings,
        "not_verified" => Action::NotVerified,
        "outcome" => Action::Outcome,
        "external_reply" => Action::ExternalReply {
            from: String::new(),
        },
        "feedback" => Action::Feedback,
        "close" => Action::Close,
        "reopen" => Action::Reopen,
        "message" => Action::Message,
        _ => return None,
    })
}

/// Runs `command` on lead `id` for the handler, if the case rules allow it now (checked in the
/// store on fresh facts); the case file as it then stands.
pub async fn run(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
    command: LeadCommand,
) -> Result<Case, LeadError> {
    run_at(state, caller, handler, id, command, store::now_ms()).await
}

/// [`run`] as of `now` (the demo seeding writes case histories relative to today).
pub async fn run_at(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
    command: LeadCommand,
    now: i64,
) -> Result<Case, LeadError> {
    let action = parse_action(&command.action).ok_or(InputRefusal::UnknownAction)?;
    if command.text.chars().count() > 10_000 {
        return Err(InputRefusal::TooLong {
            field: LeadField::Text,
            max: 10_000,
        }
        .into());
    }
    let outcomes = command
        .outcomes
        .iter()
        .map(|o| Outcome::parse(o).ok_or_else(|| InputRefusal::UnknownOutcome(o.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    check_text(LeadField::ReferredTo, &command.referred_to, 200, false)?;
    let letter = match &action {
        Action::ExternalReply { .. } => Some(letter_of(&command)?),
        _ => None,
    };
    let action = match (&action, &letter) {
        (Action::ExternalReply { .. }, Some(l)) => Action::ExternalReply {
            from: l.from.clone(),
        },
        _ => action,
    };
    let request = ActionRequest {
        action,
        text: command.text.trim().to_string(),
        outcomes,
        route: command.route,
        referred_to: command.referred_to.trim().to_string(),
        letter,
    };
    let actor = caller.actor();
    Ok(leads::apply_action_at(&state.db, id, &handler.author(&actor), &request, now).await?)
}

/// The letter of an `external_reply`: who replied, when it was received (a date, not in the
/// future), and its number.
fn letter_of(command: &LeadCommand) -> Result<ExternalReply, InputRefusal> {
    let from = command.from.trim();
    if from.is_empty() {
        return Err(InputRefusal::Required(LeadField::ReplyFrom));
    }
    let received = command.received_on.trim();
    if received.is_empty() {
        return Err(InputRefusal::Required(LeadField::ReceivedOn));
    }
    let date = chrono::NaiveDate::parse_from_str(received, "%Y-%m-%d")
        .map_err(|_| InputRefusal::ReceivedOnInvalid)?;
    // A day of slack for the time zones (Beijing is ahead of UTC).
    if date > chrono::Utc::now().date_naive() + chrono::Duration::days(1) {
        return Err(InputRefusal::ReceivedOnInvalid);
    }
    check_text(LeadField::LetterReference, &command.reference, 64, true)?;
    Ok(ExternalReply {
        from: from.chars().take(64).collect(),
        received_on: date.format("%Y-%m-%d").to_string(),
        reference: command.reference.trim().to_string(),
    })
}

/// Whether a case is about the joint office's own staff, which routes it itself (R10).
pub fn routing_conflict(dir: &Directory, facts: &domain::case::CaseFacts) -> bool {
    dir.home_unit(UnitKind::JusticeBureau)
        .is_some_and(|jo| domain::case::routing_conflict(facts, &jo.code))
}

/// Attaches a file to lead `id` for the handler.
pub async fn attach(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentInfo, LeadError> {
    let actor = caller.actor();
    Ok(leads::add_attachment(&state.db, id, &handler.author(&actor), file_name, bytes).await?)
}

/// Attachment `att` of lead `id` with its content, if the handler's unit may see the lead; the
/// download is audited.
pub async fn download(
    state: &AppState,
    caller: &Caller,
    handler: &Handler<'_>,
    id: i64,
    att: i64,
) -> Result<(AttachmentInfo, Vec<u8>), LeadError> {
    leads::download_attachment(
        &state.db,
        id,
        att,
        &handler.unit,
        handler.joint_office,
        &caller.actor(),
    )
    .await?
    .ok_or(LeadError::NotFound)
}
