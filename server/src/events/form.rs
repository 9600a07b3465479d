//! The event form of coordinators: `/events/new` (a draft of their association) and
//! `/events/{id}/edit`. A refused form comes back with what was typed and why (422).

use app::forms::FormErrors;
use app::i18n::Lang;
use app::pages::events::{event_field, EventFormValues, EventFormView, EventsView};
use app::refusals::Localize;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::directory::{Directory, UnitKind};
use domain::events::EventKind;
use store::events::{self, EventRecord};
use store::StoreError;

use super::service::{self, directory, find_managed, EventAccess, EventError, EventFields};
use crate::page::{redirect, value, values, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use crate::time::form_time;

/// The event fields of a form.
pub(super) fn fields_of(pairs: &[(String, String)]) -> EventFields {
    EventFields {
        title: value(pairs, "title"),
        kind: value(pairs, "kind"),
        agenda: value(pairs, "agenda"),
        venue_id: value(pairs, "venue").parse().ok(),
        venue: value(pairs, "venue_other"),
        starts_at: value(pairs, "starts_at"),
        ends_at: value(pairs, "ends_at"),
        capacity: value(pairs, "capacity").trim().parse().ok(),
        registration_deadline: value(pairs, "deadline"),
        open_to: values(pairs, "open_to"),
        cohosts: values(pairs, "cohost"),
    }
}

/// What was typed, to show again.
pub(super) fn typed(pairs: &[(String, String)]) -> EventFormValues {
    let f = fields_of(pairs);
    EventFormValues {
        title: f.title,
        kind: f.kind,
        agenda: f.agenda,
        venue_id: value(pairs, "venue"),
        venue_other: f.venue,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        capacity: value(pairs, "capacity"),
        deadline: f.registration_deadline,
        open_to: f.open_to,
        cohosts: f.cohosts,
    }
}

pub(super) async fn form_view(
    state: &AppState,
    dir: &Directory,
    lang: Lang,
    host: &str,
    id: Option<i64>,
    values: EventFormValues,
    errors: FormErrors,
) -> Result<EventFormView, StoreError> {
    let venues = events::list_venues(&state.db)
        .await?
        .into_iter()
        .filter(|v| v.active)
        .map(|v| (v.id, v.name))
        .collect();
    let units = dir
        .units()
        .iter()
        .filter(|u| u.kind != UnitKind::LawFirm || u.region == "dz")
        .map(|u| {
            (
                u.code.clone(),
                lang.pick(&u.name_zh, &u.name_en).to_string(),
            )
        })
        .collect();
    let associations = dir
        .units()
        .iter()
        .filter(|u| u.kind.is_association() && u.code != host)
        .map(|u| {
            (
                u.code.clone(),
                lang.pick(&u.name_zh, &u.name_en).to_string(),
            )
        })
        .collect();
    let kinds = EventKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                lang.pick(k.label_zh(), k.label_en()).to_string(),
            )
        })
        .collect();
    Ok(EventFormView {
        id,
        values,
        venues,
        units,
        associations,
        kinds,
        errors,
        series: None,
    })
}

fn values_of(ev: &EventRecord) -> EventFormValues {
    EventFormValues {
        title: ev.title.clone(),
        kind: ev.kind.as_str().to_string(),
        agenda: ev.agenda.clone(),
        venue_id: if ev.venue_id.is_some() {
            ev.venue_id.map(|v| v.to_string()).unwrap_or_default()
        } else {
            String::new()
        },
        venue_other: if ev.venue_id.is_none() {
            ev.venue.clone()
        } else {
            String::new()
        },
        starts_at: form_time(ev.starts_at),
        ends_at: form_time(ev.ends_at),
        capacity: ev.capacity.to_string(),
        deadline: form_time(ev.registration_deadline),
        open_to: ev.open_to.clone(),
        cohosts: ev.cohosts.iter().map(|c| c.unit.clone()).collect(),
    }
}

/// The coordinator's association: anonymous → sign in; anyone else → the audited 404.
pub(super) fn host_of(page: &Page, dir: &Directory) -> Result<String, PageError> {
    page.user()?;
    EventAccess::of(&page.caller, dir)
        .coordinator_of
        .ok_or(PageError::Denied)
}

/// The event the caller manages: anonymous → sign in; none such → 404; not theirs → audited
/// 404.
async fn managed(
    state: &AppState,
    page: &Page,
    dir: &Directory,
    id: i64,
) -> Result<EventRecord, PageError> {
    page.user()?;
    match find_managed(state, &page.caller, dir, id).await {
        Ok(ev) => Ok(ev),
        Err(EventError::Store(e)) => Err(e.into()),
        Err(_) => match events::find(&state.db, id).await? {
            Some(_) => Err(PageError::Denied),
            None => Err(PageError::NotFound),
        },
    }
}

/// The form again with what was typed and why it was refused.
async fn refused(
    state: &AppState,
    page: &Page,
    dir: &Directory,
    host: &str,
    id: Option<i64>,
    pairs: &[(String, String)],
    error: EventError,
) -> Result<Response, PageError> {
    let errors = match error {
        EventError::Refused(r) => FormErrors::one(event_field(&r), r.text(page.lang)),
        EventError::NotFound => return Err(PageError::Denied),
        EventError::Store(e) => return Err(e.into()),
    };
    let form = form_view(state, dir, page.lang, host, id, typed(pairs), errors).await?;
    Err(PageError::Invalid(
        view(EventsView::Form(Box::new(form))).status(StatusCode::UNPROCESSABLE_ENTITY),
    ))
}

/// `GET /events/new`.
pub async fn new_form(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let host = host_of(&page, &dir)?;
    let values = EventFormValues {
        kind: "symposium".into(),
        capacity: "30".into(),
        open_to: vec![host.clone()],
        ..Default::default()
    };
    let form = form_view(
        &state,
        &dir,
        page.lang,
        &host,
        None,
        values,
        FormErrors::default(),
    )
    .await?;
    Ok(view(EventsView::Form(Box::new(form))).into_response())
}

/// `POST /events/new`: creates a draft and shows it with its flags.
pub async fn create(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let host = host_of(&page, &dir)?;
    match service::create(&state, &page.caller, &dir, &fields_of(&pairs)).await {
        Ok((id, _)) => Ok(redirect(&format!("/events/{id}?status=created"))),
        Err(e) => refused(&state, &page, &dir, &host, None, &pairs, e).await,
    }
}

/// `GET /events/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let ev = managed(&state, &page, &dir, id).await?;
    let form = form_view(
        &state,
        &dir,
        page.lang,
        &ev.host_unit,
        Some(id),
        values_of(&ev),
        FormErrors::default(),
    )
    .await?;
    Ok(view(EventsView::Form(Box::new(form))).into_response())
}

/// `POST /events/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let dir = directory(&state).await?;
    let ev = managed(&state, &page, &dir, id).await?;
    match service::update(&state, &page.caller, &dir, &ev, &fields_of(&pairs)).await {
        Ok(_) => Ok(redirect(&format!("/events/{id}?status=saved"))),
        Err(e) => refused(&state, &page, &dir, &ev.host_unit, Some(id), &pairs, e).await,
    }
}
