//! The use cases of exchange events, for the pages and the API alike: who may do what
//! ([`EventAccess`]), what a valid event is ([`check_fields`]), and every change as a typed
//! [`EventCommand`] run by [`run`]. No HTTP types here; refusals are typed
//! ([`EventRefusal`]) and worded at the edge.

use chrono::NaiveDate;
use domain::directory::Directory;
use domain::events::{EventField, EventKind, EventRefusal, Flag, Placement};
use store::events::{self, Approval, Declaration, EventInput, EventRecord, Refused, VenueChoice};
use store::sessions::Caller;
use store::users::{Role, User};
use store::StoreError;

use crate::state::AppState;
use crate::time::parse_time;

/// Why an event use case did not happen.
#[derive(Debug)]
pub enum EventError {
    /// Not there, or not for this caller (the two look the same from outside).
    NotFound,
    /// Refused, with the typed reason.
    Refused(EventRefusal),
    Store(StoreError),
}

impl From<Refused> for EventError {
    fn from(e: Refused) -> Self {
        match e {
            Refused::NotFound => EventError::NotFound,
            Refused::Rule(r) => EventError::Refused(r),
            Refused::Store(e) => EventError::Store(e),
        }
    }
}

impl From<StoreError> for EventError {
    fn from(e: StoreError) -> Self {
        EventError::Store(e)
    }
}

impl From<EventRefusal> for EventError {
    fn from(r: EventRefusal) -> Self {
        EventError::Refused(r)
    }
}

/// What the caller may do with events and with one event.
pub struct EventAccess<'a> {
    pub user: Option<&'a User>,
    /// The caller's association when the caller is one of its coordinators.
    pub coordinator_of: Option<String>,
}

impl<'a> EventAccess<'a> {
    pub fn of(caller: &'a Caller, dir: &Directory) -> EventAccess<'a> {
        let user = caller.user().filter(|u| !u.must_change_password);
        let coordinator_of = user
            .filter(|u| u.has(Role::Coordinator))
            .and_then(|u| u.unit_code.clone())
            .filter(|c| dir.get(c).is_some_and(|u| u.kind.is_association()));
        EventAccess {
            user,
            coordinator_of,
        }
    }

    fn admin(&self) -> bool {
        self.user.is_some_and(|u| u.has(Role::Admin))
    }

    /// Coordinators of the host unit (and the administrator) manage the event.
    pub fn manages(&self, ev: &EventRecord) -> bool {
        self.admin() || self.coordinator_of.as_deref() == Some(ev.host_unit.as_str())
    }

    /// The caller's association when it is invited to co-host `ev`.
    pub fn cohost_unit(&self, ev: &EventRecord) -> Option<&str> {
        let unit = self.coordinator_of.as_deref()?;
        ev.cohosts.iter().any(|c| c.unit == unit).then_some(unit)
    }

    /// Published (ever) events are public; drafts only for hosts and invited co-hosts.
    pub fn sees(&self, ev: &EventRecord) -> bool {
        ev.published_at.is_some() || self.manages(ev) || self.cohost_unit(ev).is_some()
    }
}

/// The unit directory.
pub async fn directory(state: &AppState) -> Result<Directory, StoreError> {
    store::units::load_directory(&state.db).await
}

/// The event if the caller may see it.
pub async fn find_visible(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<EventRecord, EventError> {
    find_where(state, id, |ev| EventAccess::of(caller, dir).sees(ev)).await
}

/// The event if the caller manages it.
pub async fn find_managed(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<EventRecord, EventError> {
    find_where(state, id, |ev| EventAccess::of(caller, dir).manages(ev)).await
}

async fn find_where(
    state: &AppState,
    id: i64,
    allowed: impl Fn(&EventRecord) -> bool,
) -> Result<EventRecord, EventError> {
    match events::find(&state.db, id).await? {
        Some(ev) if allowed(&ev) => Ok(ev),
        _ => Err(EventError::NotFound),
    }
}

/// The free-text checks every text field gets.
pub fn clean_text(s: &str, max: usize, field: EventField) -> Result<String, EventRefusal> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(EventRefusal::TooLong { field, max });
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(EventRefusal::ControlCharacters(field));
    }
    Ok(t.to_string())
}

/// [`clean_text`] for a name (a title, a venue), which also refuses text-direction controls.
pub fn clean_name(s: &str, max: usize, field: EventField) -> Result<String, EventRefusal> {
    let t = clean_text(s, max, field)?;
    if domain::text::has_direction_controls(&t) {
        return Err(EventRefusal::DirectionControls(field));
    }
    Ok(t)
}

/// Raw event fields, from a form or the API (checked by `check_fields`).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = EventIn)]
pub struct EventFields {
    #[serde(default)]
    #[schema(max_length = 100)]
    pub title: String,
    #[serde(default)]
    #[schema(value_type = domain::events::EventKind)]
    pub kind: String,
    /// Markdown; sanitised when shown.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub agenda: String,
    /// A listed venue's id (form) …
    #[serde(default)]
    pub venue_id: Option<i64>,
    /// … or its name, or another place (flagged).
    #[serde(default)]
    pub venue: String,
    /// RFC 3339, e.g. 2026-12-01T09:00:00+08:00.
    #[serde(default)]
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[serde(default)]
    #[schema(format = DateTime)]
    pub ends_at: String,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<i64>,
    #[serde(default)]
    #[schema(format = DateTime)]
    pub registration_deadline: String,
    /// Unit codes whose members may register.
    #[serde(default)]
    pub open_to: Vec<String>,
    /// Association unit codes invited to co-host.
    #[serde(default)]
    pub cohosts: Vec<String>,
}

/// Validates event fields for `host`.
pub fn check_fields(
    f: &EventFields,
    host: &str,
    dir: &Directory,
    now: i64,
    creating: bool,
) -> Result<EventInput, EventRefusal> {
    let title = clean_name(&f.title, 100, EventField::Title)?;
    if title.is_empty() {
        return Err(EventRefusal::TitleMissing);
    }
    let kind = EventKind::parse(f.kind.trim()).ok_or(EventRefusal::KindMissing)?;
    let agenda = clean_text(&f.agenda, 5000, EventField::Agenda)?;
    let venue_text = clean_name(&f.venue, 200, EventField::Venue)?;
    let venue = match f.venue_id {
        Some(id) => VenueChoice::Listed(id),
        None if !venue_text.is_empty() => VenueChoice::Other(venue_text),
        None => return Err(EventRefusal::VenueMissing),
    };
    let time = |s: &str, field| parse_time(s).ok_or(EventRefusal::BadTime(field));
    let starts_at = time(&f.starts_at, EventField::StartsAt)?;
    let ends_at = time(&f.ends_at, EventField::EndsAt)?;
    let deadline = time(&f.registration_deadline, EventField::RegistrationDeadline)?;
    if ends_at <= starts_at {
        return Err(EventRefusal::EndsBeforeStart);
    }
    if ends_at - starts_at > 7 * 24 * 3_600_000 {
        return Err(EventRefusal::LongerThanAWeek);
    }
    if creating && starts_at <= now {
        return Err(EventRefusal::StartInPast);
    }
    if deadline > starts_at {
        return Err(EventRefusal::DeadlineAfterStart);
    }
    let capacity = f
        .capacity
        .filter(|c| (1..=10_000).contains(c))
        .ok_or(EventRefusal::CapacityOutOfRange)?;
    let mut open_to: Vec<String> = f.open_to.iter().map(|s| s.trim().to_string()).collect();
    open_to.sort();
    open_to.dedup();
    if open_to.is_empty() {
        return Err(EventRefusal::OpenToMissing);
    }
    if let Some(bad) = open_to.iter().find(|c| dir.get(c).is_none()) {
        return Err(EventRefusal::UnknownUnit(bad.clone()));
    }
    let mut cohosts: Vec<String> = f.cohosts.iter().map(|s| s.trim().to_string()).collect();
    cohosts.sort();
    cohosts.dedup();
    for c in &cohosts {
        match dir.get(c) {
            Some(u) if u.kind.is_association() && c != host => {}
            _ => return Err(EventRefusal::BadCohost(c.clone())),
        }
    }
    Ok(EventInput {
        title,
        kind,
        agenda,
        venue,
        starts_at,
        ends_at,
        capacity,
        registration_deadline: deadline,
        open_to,
        cohosts,
    })
}

/// Creates a draft hosted by the caller's association.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    fields: &EventFields,
) -> Result<(i64, Vec<Flag>), EventError> {
    let access = EventAccess::of(caller, dir);
    let (Some(user), Some(host)) = (access.user, access.coordinator_of.as_deref()) else {
        return Err(EventError::NotFound);
    };
    let input = check_fields(fields, host, dir, store::now_ms(), true)?;
    Ok(events::create_event(
        &state.db,
        &caller.actor(),
        host,
        user.id,
        &input,
        &state.config.working_hours,
    )
    .await?)
}

/// Edits an event the caller manages.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    ev: &EventRecord,
    fields: &EventFields,
) -> Result<Vec<Flag>, EventError> {
    if !EventAccess::of(caller, dir).manages(ev) {
        return Err(EventError::NotFound);
    }
    let input = check_fields(fields, &ev.host_unit, dir, store::now_ms(), false)?;
    Ok(events::update_event(
        &state.db,
        &caller.actor(),
        ev.id,
        &input,
        &state.config.working_hours,
    )
    .await?)
}

/// One change to an event, as a form or the API asks for it.
#[derive(Clone, Debug)]
pub enum EventCommand {
    Register {
        has_case: bool,
        note: String,
    },
    Unregister,
    CheckIn {
        code: String,
    },
    AnswerInvitation {
        accept: bool,
    },
    Publish,
    RecordApproval {
        by: String,
        reference: String,
        date: String,
    },
    Cancel {
        reason: String,
    },
    MarkHeld,
    Summarise {
        summary: String,
        close: bool,
    },
    Remind {
        unit: String,
    },
    /// `user` is `None` when the form named nobody.
    MarkAttendance {
        user: Option<i64>,
        attended: bool,
    },
}

impl EventCommand {
    /// Whether only the event's managers may run it.
    fn for_managers(&self) -> bool {
        !matches!(
            self,
            EventCommand::Register { .. }
                | EventCommand::Unregister
                | EventCommand::CheckIn { .. }
                | EventCommand::AnswerInvitation { .. }
        )
    }
}

/// What a command did; `code()` is the status the page shows after its redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Registered,
    Waitlisted,
    Unregistered,
    CheckedIn,
    Accepted,
    Declined,
    Published,
    Approval,
    Cancelled,
    Held,
    Summary,
    Closed,
    Reminded,
    Attendance,
    /// An edit saved (one occurrence of a series edited as a whole).
    Saved,
}

impl Done {
    pub fn code(self) -> &'static str {
        match self {
            Done::Registered => "registered",
            Done::Waitlisted => "waitlisted",
            Done::Unregistered => "unregistered",
            Done::CheckedIn => "checked_in",
            Done::Accepted => "accepted",
            Done::Declined => "declined",
            Done::Published => "published",
            Done::Approval => "approval",
            Done::Cancelled => "cancelled",
            Done::Held => "held",
            Done::Summary => "summary",
            Done::Closed => "closed",
            Done::Reminded => "reminded",
            Done::Attendance => "attendance",
            Done::Saved => "saved",
        }
    }
}

/// Runs `command` on `ev` for the caller. Someone who may not run it gets `NotFound`.
pub async fn run(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    ev: &EventRecord,
    command: EventCommand,
) -> Result<Done, EventError> {
    let access = EventAccess::of(caller, dir);
    let user = access.user.ok_or(EventError::NotFound)?;
    if command.for_managers() && !access.manages(ev) {
        return Err(EventError::NotFound);
    }
    let actor = caller.actor();
    let now = store::now_ms();
    let db = &state.db;
    let id = ev.id;
    Ok(match command {
        EventCommand::Register { has_case, note } => {
            let note = clean_text(&note, 500, EventField::CaseNote)?;
            let declaration = Declaration {
                has_case,
                note: (!note.is_empty()).then_some(note),
            };
            let unit = user.unit_code.as_deref();
            match events::register(db, &actor, id, user.id, unit, &declaration, now).await? {
                Placement::Registered => Done::Registered,
                Placement::Waitlisted => Done::Waitlisted,
            }
        }
        EventCommand::Unregister => {
            events::cancel_registration(db, &actor, id, user.id).await?;
            Done::Unregistered
        }
        EventCommand::CheckIn { code } => {
            events::check_in(db, &actor, id, user.id, &code, now).await?;
            Done::CheckedIn
        }
        EventCommand::AnswerInvitation { accept } => {
            let unit = access.cohost_unit(ev).ok_or(EventError::NotFound)?;
            events::answer_invitation(db, &actor, id, unit, user.id, accept).await?;
            if accept {
                Done::Accepted
            } else {
                Done::Declined
            }
        }
        EventCommand::Publish => {
            events::publish(db, &actor, id, &state.config.working_hours, now).await?;
            Done::Published
        }
        EventCommand::RecordApproval {
            by,
            reference,
            date,
        } => {
            let by = clean_text(&by, 100, EventField::ApprovedBy)?;
            let reference = clean_text(&reference, 100, EventField::Reference)?;
            if by.is_empty() || reference.is_empty() {
                return Err(EventRefusal::ApprovalIncomplete.into());
            }
            let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| EventRefusal::ApprovalDate)?
                .to_string();
            // The 2015 provisions ask for approval beforehand: not dated after the start.
            let dated = domain::workdays::Date::parse(&date).ok_or(EventRefusal::ApprovalDate)?;
            if !domain::events::approval_in_time(dated, ev.starts_at) {
                return Err(EventRefusal::ApprovalAfterStart.into());
            }
            let approval = Approval {
                by,
                reference,
                date,
            };
            events::record_approval(db, &actor, id, &approval).await?;
            Done::Approval
        }
        EventCommand::Cancel { reason } => {
            let reason = clean_text(&reason, 300, EventField::Reason)?;
            if reason.is_empty() {
                return Err(EventRefusal::ReasonMissing.into());
            }
            events::cancel_event(db, &actor, id, &reason).await?;
            Done::Cancelled
        }
        EventCommand::MarkHeld => {
            events::mark_held(db, &actor, id, now).await?;
            Done::Held
        }
        EventCommand::Summarise { summary, close } => {
            let summary = clean_text(&summary, 2000, EventField::Summary)?;
            if summary.is_empty() {
                return Err(EventRefusal::SummaryMissing.into());
            }
            events::save_summary(db, &actor, id, &summary, close).await?;
            if close {
                Done::Closed
            } else {
                Done::Summary
            }
        }
        EventCommand::Remind { unit } => {
            events::remind_invitation(db, &actor, id, unit.trim()).await?;
            Done::Reminded
        }
        EventCommand::MarkAttendance { user, attended } => {
            let person = user.ok_or(EventRefusal::PersonMissing)?;
            events::mark_attendance(db, &actor, id, person, attended).await?;
            Done::Attendance
        }
    })
}
