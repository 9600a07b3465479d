//! `/api/v1/leads…`: the routing preview of Articles 6–8 (public), reporting, the list, the
//! case file and its actions. A thin adapter: JSON bodies become the service's reports and
//! [`LeadCommand`]s. Anonymous callers get 401; everyone the rules do not allow gets 404,
//! never 403. A refusal's kind decides the status (see [`LeadRefusal`]).

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use domain::case::{allowed_actions, overdue, Action, LeadRefusal, Verification};
use domain::directory::Directory;
use domain::routing::{route_lead, Subject};
use serde::{Deserialize, Serialize};
use store::leads::AttachmentInfo;
use store::leads::{Case, LeadSummary};
use store::sessions::Caller;
use utoipa::ToSchema;

use super::attachments;
use super::service::{self, directory, handler, Handler, LeadCommand, LeadError, Report, Source};
use crate::api::catalogue::lead_field;
use crate::api::require_user;
use crate::api::ApiJson;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;

impl From<LeadError> for AppError {
    fn from(e: LeadError) -> Self {
        match e {
            LeadError::NotFound => AppError::NotFound,
            LeadError::Refused(r) => {
                let status = match &r {
                    LeadRefusal::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    LeadRefusal::Case(_) => StatusCode::CONFLICT,
                    LeadRefusal::Upload(u) if u.is_malformed() => StatusCode::BAD_REQUEST,
                    LeadRefusal::Upload(_) => StatusCode::UNPROCESSABLE_ENTITY,
                };
                AppError::of(status, "lead", &r, lead_field(&r))
            }
            LeadError::Store(e) => AppError::Store(e),
        }
    }
}

/// The caller as a lead handler: 401 when anonymous, 404 for anyone else (leads are not
/// acknowledged to exist for other roles).
pub fn require_handler<'a>(caller: &'a Caller, dir: &Directory) -> Result<Handler<'a>, AppError> {
    require_user(caller)?;
    handler(caller, dir).ok_or(AppError::NotFound)
}

#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[schema(as = Subject)]
pub enum SubjectBody {
    JudicialPersonnel { org: String },
    Lawyer {},
}

#[derive(Deserialize, ToSchema)]
pub struct PreviewBody {
    discoverer: String,
    subject: SubjectBody,
}

#[derive(Serialize, ToSchema)]
#[schema(as = RoutePreview)]
pub struct PreviewReply {
    #[schema(value_type = domain::routing::RuleId)]
    rule: &'static str,
    basis: &'static str,
    basis_zh: &'static str,
    manual: bool,
    routes: Vec<Vec<String>>,
    reason: String,
    reason_en: String,
    /// The units of the routes that do not take part in the portal (no lead handlers): the
    /// lead goes to them by letter, and their reply is recorded as `external_reply`.
    outside_portal: Vec<String>,
}

/// `POST /api/v1/leads/route-preview` (no sign-in): which rule applies and the route(s).
#[utoipa::path(post, path = "/leads/route-preview",
    summary = "Which rule of Articles 6–8 applies to a lead, and its route(s)", security(()),
    request_body = PreviewBody,
    responses((status = 200, description = "Route preview", body = PreviewReply),
    (status = 400, description = "Malformed request"),
    (status = 422, description = "Unknown unit code or invalid subject")))]
pub async fn route_preview(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PreviewBody>,
) -> Result<Json<PreviewReply>, AppError> {
    let dir = directory(&state).await?;
    let subject = match &body.subject {
        SubjectBody::JudicialPersonnel { org } => Subject::JudicialPersonnel { org },
        SubjectBody::Lawyer {} => Subject::Lawyer,
    };
    let plan = route_lead(&dir, &body.discoverer, &subject)
        .map_err(|e| AppError::of(StatusCode::UNPROCESSABLE_ENTITY, "lead.route", &e, None))?;
    let outside = store::leads::units_outside_portal(&state.db).await?;
    let outside_portal = outside
        .into_iter()
        .filter(|u| plan.routes.iter().flatten().any(|r| r == u))
        .collect();
    Ok(Json(PreviewReply {
        outside_portal,
        rule: plan.rule.as_str(),
        basis: plan.rule.basis(),
        basis_zh: plan.rule.basis_zh(),
        manual: plan.manual,
        routes: plan.routes,
        reason: plan.reason_zh,
        reason_en: plan.reason_en,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: i64,
    reference: String,
    rule: String,
    manual: bool,
    warnings: Vec<String>,
    /// The lead about the other side, when the report named both.
    #[serde(skip_serializing_if = "Option::is_none")]
    counterpart: Option<CreatedCounterpart>,
}

/// The second lead of a two-sided report.
#[derive(Serialize, ToSchema)]
pub struct CreatedCounterpart {
    id: i64,
    reference: String,
}

/// `POST /api/v1/leads`: a lead handler reports a lead for their unit.
#[utoipa::path(post, path = "/leads",
    summary = "Report a lead for the caller's unit (the discoverer)", request_body = Report,
    responses((status = 200, description = "Created", body = Created),
    (status = 400, description = "Malformed request"),
    (status = 404, description = "Not a lead handler"),
    (status = 422, description = "Invalid report")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(report): ApiJson<Report>,
) -> Result<Json<Created>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let done = service::report(&state, &caller, &h, &dir, &report, Source::Api).await?;
    Ok(Json(Created {
        id: done.id,
        reference: done.reference,
        rule: done.lead.rule,
        manual: done.lead.manual,
        warnings: done.lead.warnings,
        counterpart: done
            .counterpart
            .map(|(id, reference)| CreatedCounterpart { id, reference }),
    }))
}

/// The most leads the API lists.
const LIST_LIMIT: i64 = 500;

/// `GET /api/v1/leads`: the leads the caller's unit may see, newest first.
#[utoipa::path(get, path = "/leads", summary = "Leads the caller's unit may see (lead handlers)",
    responses((status = 200, description = "Lead summaries", body = Vec<LeadSummary>),
    (status = 404, description = "Not a lead handler")))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Vec<LeadSummary>>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let listing = service::list(&state, &caller, &h, LIST_LIMIT, 0).await?;
    Ok(Json(listing.leads))
}

/// A case file with what the caller may do and what is overdue.
#[derive(Serialize)]
pub struct CaseReply {
    #[serde(flatten)]
    case: Case,
    allowed_actions: Vec<Action>,
    overdue: Vec<domain::case::Overdue>,
    deadlines: domain::case::Deadlines,
    /// Per unit the lead reached after the discoverer: `findings`, `reason` (why it did not
    /// verify) or `missing`. Closing needs none missing (Art. 8 ¶2).
    verification: Vec<VerificationRow>,
    /// The joint office routes a lead about its own staff (R10): a conflict of interest.
    routing_conflict: bool,
}

/// How one receiving unit stands on verification.
#[derive(Serialize)]
pub struct VerificationRow {
    unit: String,
    status: &'static str,
    /// False for an organ outside the portal (its letter's reply is recorded for it).
    in_portal: bool,
}

fn case_reply(state: &AppState, dir: &Directory, case: Case, h: &Handler<'_>) -> CaseReply {
    let facts = case.facts();
    CaseReply {
        allowed_actions: allowed_actions(&facts, &h.unit, h.joint_office),
        overdue: overdue(&facts, store::now_ms(), state.deadlines),
        deadlines: state.deadlines,
        verification: facts
            .receivers()
            .into_iter()
            .map(|unit| VerificationRow {
                status: match facts.verification(&unit) {
                    Verification::Findings => "findings",
                    Verification::Reason => "reason",
                    Verification::Missing => "missing",
                },
                in_portal: facts.in_portal(&unit),
                unit,
            })
            .collect(),
        routing_conflict: service::routing_conflict(dir, &facts),
        case,
    }
}

/// A lead id in a path; anything else names nothing (404).
fn lead_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `GET /api/v1/leads/{id}`: 404 to anyone the rules do not allow.
#[utoipa::path(get, path = "/leads/{id}",
    summary = "A case file; 404 to anyone the rules do not allow",
    params(("id" = i64, Path, description = "The lead's id")),
    responses((status = 200, description = "Case file with allowed actions and overdue deadlines", body = Object)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<CaseReply>, AppError> {
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let case = service::view(&state, &caller, &h, lead_id(&id)?).await?;
    Ok(Json(case_reply(&state, &dir, case, &h)))
}

/// An action on a case.
#[derive(Deserialize, ToSchema)]
pub struct ActionBody {
    #[schema(value_type = ActionName, inline)]
    action: String,
    #[serde(default)]
    text: String,
    /// For `outcome` and `external_reply`: the Article 13 outcomes (each body only its own).
    #[serde(default)]
    #[schema(value_type = Vec<domain::case::Outcome>)]
    outcomes: Vec<String>,
    /// For `route` (the joint office): the receivers in order: organs, justice bureaus or
    /// associations.
    #[serde(default)]
    route: Vec<String>,
    /// For an outcome with `criminal_referral`: the authority it went to.
    #[serde(default)]
    #[schema(max_length = 200)]
    referred_to: String,
    /// For `external_reply`: the code of the organ outside the portal that replied.
    #[serde(default)]
    from: String,
    /// For `external_reply`: the date the letter was received.
    #[serde(default)]
    #[schema(format = Date)]
    received_on: String,
    /// For `external_reply`: the letter's number.
    #[serde(default)]
    #[schema(max_length = 64)]
    reference: String,
}

/// The actions on a case (the tags of `domain::case::Action`), as the document names them.
pub struct ActionName;

impl utoipa::PartialSchema for ActionName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::api::openapi::string_enum(&[
            "route",
            "acknowledge",
            "pass_on",
            "findings",
            "not_verified",
            "outcome",
            "external_reply",
            "feedback",
            "close",
            "reopen",
            "message",
        ])
    }
}

impl ToSchema for ActionName {}

/// `POST /api/v1/leads/{id}/actions`: the case file after the action.
#[utoipa::path(post, path = "/leads/{id}/actions",
    summary = "Acknowledge, pass on, record findings (or why not verified) and this body's own Article 13 outcome, record the reply of an organ outside the portal (external_reply), feed back, close (every receiver verified), reopen, message, or (joint office) route a manual case",
    params(("id" = i64, Path, description = "The lead's id")), request_body = ActionBody,
    responses((status = 200, description = "The updated case file", body = Object),
    (status = 409, description = "Not allowed now"), (status = 422, description = "Invalid input, or an outcome Article 13 does not give to the recording body")))]
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Json<CaseReply>, AppError> {
    let id = lead_id(&id)?;
    let dir = directory(&state).await?;
    let h = require_handler(&caller, &dir)?;
    let command = LeadCommand {
        action: body.action,
        text: body.text,
        outcomes: body.outcomes,
        route: body.route,
        referred_to: body.referred_to,
        from: body.from,
        received_on: body.received_on,
        reference: body.reference,
    };
    let case = service::run(&state, &caller, &h, id, command).await?;
    Ok(Json(case_reply(&state, &dir, case, &h)))
}

/// The multipart body of an upload: the file in the field [`attachments::FILE_FIELD`]. Axum's
/// `Multipart` reads it field by field (never as a struct), so the schema is written out here.
pub struct UploadForm;

impl utoipa::PartialSchema for UploadForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .description(Some("The multipart body of an upload."))
            .property(
                attachments::FILE_FIELD,
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
            )
            .required(attachments::FILE_FIELD)
            .into()
    }
}

impl ToSchema for UploadForm {}

/// `POST /api/v1/leads/{id}/attachments` (multipart field `file`), beside the body limit.
#[utoipa::path(post, path = "/leads/{id}/attachments",
    summary = "Attach a file to a lead (multipart field `file`; PDF, PNG, JPEG, TXT, DOCX, XLSX; 10 MiB per file, 30 MiB per lead)",
    params(("id" = i64, Path, description = "The lead's id")), request_body(content = UploadForm,
    content_type = "multipart/form-data"),
    responses((status = 200, description = "Stored", body = AttachmentInfo),
    (status = 413, description = "Too large"),
    (status = 422, description = "Type or size refused")))]
pub async fn upload(
    state: State<AppState>,
    caller: Extension<Caller>,
    id: Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Json<AttachmentInfo>, AppError> {
    attachments::api_upload(state, caller, id, mp).await
}

/// `GET /api/v1/leads/{id}/attachments/{att}`: the file, as on the case page.
#[utoipa::path(get, path = "/leads/{id}/attachments/{att}",
    summary = "Download an attachment (404 to anyone who may not see the lead)",
    params(("id" = i64, Path, description = "The lead's id"),
    ("att" = i64, Path, description = "The attachment's id")),
    responses((status = 200, description = "The file")))]
pub async fn download(
    state: State<AppState>,
    caller: Extension<Caller>,
    ids: Path<(String, String)>,
) -> Result<Response, AppError> {
    attachments::download(state, caller, ids).await
}
