//! The report form (`/leads/new`): a lead handler reports a lead for their unit, with the
//! routing preview before submitting, a draft kept per reporter, and (the joint office) a
//! public tip taken up as a lead (`?tip=ID`). A refused report comes back with everything
//! typed and the reason.

use app::forms::FormErrors;
use app::i18n::Lang;
use app::pages::leads::{report_field, PreviewView, ReportFormView, ReportValues};
use app::refusals::Localize;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::case::{ConductKind, Duty};
use domain::directory::{Directory, UnitKind};
use domain::routing::RoutePlan;

use super::pages::{gate, unit_choices, unit_name};
use super::service::{self, Handler, LeadError, Report, ReportSubject, Source};
use crate::page::{redirect, value, view, FormPairs, Page, PageError};
use crate::state::AppState;
use crate::time::format_beijing;

fn form_view(dir: &Directory, lang: Lang, unit: &str, values: ReportValues) -> ReportFormView {
    let labelled =
        |code: &str, (zh, en): (&str, &str)| (code.to_string(), lang.pick(zh, en).to_string());
    ReportFormView {
        unit_name: unit_name(dir, lang, unit),
        organs: unit_choices(dir, lang, |u| {
            u.kind.is_judicial_organ() || u.kind == UnitKind::JusticeBureau
        }),
        firms: unit_choices(dir, lang, |u| u.kind == UnitKind::LawFirm),
        values,
        preview: None,
        errors: Default::default(),
        duties: Duty::ALL
            .iter()
            .map(|d| labelled(d.as_str(), d.labels()))
            .collect(),
        conduct_kinds: ConductKind::ALL
            .iter()
            .map(|k| labelled(k.as_str(), k.labels()))
            .collect(),
        from_tip: None,
        draft_saved: None,
    }
}

/// A refusal as the form shows it: beside its field and in the summary.
fn refused(lang: Lang, r: domain::case::LeadRefusal) -> FormErrors {
    FormErrors::one(report_field(&r), r.text(lang))
}

/// The preview of `plan`; a unit outside the portal is marked: the lead goes to it by letter.
fn preview_view(dir: &Directory, lang: Lang, plan: &RoutePlan, outside: &[String]) -> PreviewView {
    let name = |u: &String| {
        let n = unit_name(dir, lang, u);
        if outside.contains(u) {
            format!(
                "{n}{}",
                lang.pick("（平台外，函件移送）", " (outside the portal: by letter)")
            )
        } else {
            n
        }
    };
    PreviewView {
        rule: plan.rule.as_str().into(),
        basis: lang.pick(plan.rule.basis_zh(), plan.rule.basis()).into(),
        manual: plan.manual,
        reason: lang.pick(&plan.reason_zh, &plan.reason_en).to_string(),
        routes: plan
            .routes
            .iter()
            .map(|r| r.iter().map(name).collect())
            .collect(),
    }
}

/// The open public tip `tip` for the handler (the joint office); the 404 page otherwise.
async fn open_tip(
    state: &AppState,
    h: &Handler<'_>,
    tip: i64,
) -> Result<store::tips::Tip, PageError> {
    service::open_tip(state, h, tip)
        .await?
        .ok_or(PageError::NotFound)
}

/// `GET /leads/new` (`?tip=ID` takes up a public tip): the form, with the reporter's draft
/// when there is one.
pub async fn form(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let (dir, h) = gate(&state, &page).await?;
    let mut form = form_view(&dir, page.lang, &h.unit, ReportValues::default());
    match page.query_value("tip").parse::<i64>().ok() {
        Some(tip) => {
            form.values.details = open_tip(&state, &h, tip).await?.body;
            form.from_tip = Some(tip);
        }
        None => {
            if let Some((at, body)) = service::load_draft(&state, &h).await? {
                if let Ok(values) = serde_json::from_str::<ReportValues>(&body) {
                    form.values = values;
                    form.draft_saved = Some(format_beijing(at));
                }
            }
        }
    }
    Ok(view(form).into_response())
}

/// What the form typed.
fn values_of(pairs: &[(String, String)]) -> ReportValues {
    let v = |k: &str| value(pairs, k);
    ReportValues {
        subject_type: v("subject_type"),
        name: v("name"),
        org: v("org"),
        duty: v("duty"),
        licence_no: v("licence_no"),
        firm: v("firm"),
        region: v("region"),
        summary: v("summary"),
        details: v("details"),
        occurred_on: v("occurred_on"),
        place: v("place"),
        conduct_kind: v("conduct_kind"),
        route: v("route"),
        both_sides: v("both_sides") == "1",
        counterpart_name: v("counterpart_name"),
    }
}

/// The report the form's values make.
fn report_of(v: &ReportValues) -> Report {
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
        // Both sides: the other side is described by the form's other set of fields.
        counterpart: v.both_sides.then(|| {
            let lawyer = v.subject_type != "lawyer";
            ReportSubject {
                kind: if lawyer {
                    "lawyer"
                } else {
                    "judicial_personnel"
                }
                .into(),
                name: v.counterpart_name.clone(),
                org: (!lawyer).then(|| opt(&v.org)).flatten(),
                duty: (!lawyer).then(|| opt(&v.duty)).flatten(),
                licence_no: lawyer.then(|| opt(&v.licence_no)).flatten(),
                firm: lawyer.then(|| opt(&v.firm)).flatten(),
                region: lawyer.then(|| opt(&v.region)).flatten(),
            }
        }),
    }
}

/// `POST /leads/new`: `intent=draft` saves the form as a draft, `intent=preview` shows the
/// route, `intent=submit` records the lead. Unless the lead is recorded, the form comes back
/// with everything typed, the route and any reason for refusing.
pub async fn submit(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let (dir, h) = gate(&state, &page).await?;
    let lang = page.lang;
    let values = values_of(&pairs);
    let report = report_of(&values);
    let intent = value(&pairs, "intent");
    if intent == "draft" {
        let json = serde_json::to_string(&values).unwrap_or_default();
        service::save_draft(&state, &h, &json).await?;
    }
    let mut form = form_view(&dir, lang, &h.unit, values);
    form.draft_saved = (intent == "draft").then(|| format_beijing(store::now_ms()));
    let tip = value(&pairs, "tip").parse::<i64>().ok();
    if let Some(tip) = tip {
        open_tip(&state, &h, tip).await?;
        form.from_tip = Some(tip);
    }
    match service::preview(&dir, &h.unit, &report.subject) {
        Ok(plan) => {
            let outside = store::leads::units_outside_portal(&state.db).await?;
            form.preview = Some(preview_view(&dir, lang, &plan, &outside))
        }
        Err(r) => form.errors = refused(lang, r.into()),
    }
    if intent != "submit" || form.preview.is_none() {
        return Ok(view(form).into_response());
    }
    let source = Source::Form { tip };
    match service::report(&state, &page.caller, &h, &dir, &report, source).await {
        Ok(done) => Ok(redirect(&format!("/leads/{}?status=created", done.id))),
        Err(LeadError::Refused(r)) => {
            form.errors = refused(lang, r);
            Ok(view(form).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
