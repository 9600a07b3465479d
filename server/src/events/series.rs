//! The use cases of event series (Art. 12 regular exchanges, issue 19), for the pages and the
//! API alike. A series is a rule plus its occurrences, which are ordinary events: publishing a
//! series publishes each draft occurrence that may be published (one that needs an approval
//! waits for it, the others go ahead), cancelling it cancels every upcoming occurrence, and
//! "register for all upcoming" registers for each open occurrence on its own. One occurrence
//! is changed through the event's own commands ([`super::service::run`]).

use domain::directory::Directory;
use domain::events::{EventRefusal, EventStatus, Flag};
use domain::series::{self, Rule};
use store::events::{self, EventRecord, SeriesInput, SeriesRecord};
use store::sessions::Caller;

use super::service::{
    self, check_fields, Done, EventAccess, EventCommand, EventError, EventFields,
};
use crate::state::AppState;

/// The rule as typed (form or API). The day comes from the first start (weekly on its weekday,
/// monthly on its day of the month or its n-th weekday, quarterly on its day of the month);
/// give `count` or `until`.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = RuleIn)]
pub struct RuleFields {
    /// `weekly`, `monthly_by_date`, `monthly_by_weekday` or `quarterly`.
    #[serde(default)]
    #[schema(value_type = domain::series::Frequency)]
    pub frequency: String,
    /// Every n weeks, months or quarters (1 to 12; default 1).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 12)]
    pub interval: Option<u32>,
    /// Number of occurrences (1 to 52) …
    #[serde(default)]
    #[schema(minimum = 1, maximum = 52)]
    pub count: Option<u32>,
    /// … or the last day, YYYY-MM-DD (Beijing).
    #[serde(default)]
    #[schema(format = Date)]
    pub until: Option<String>,
}

/// Raw series fields: an event's (for the first occurrence: each occurrence lasts as long and
/// its registration closes as long before its start) plus the rule.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = SeriesIn)]
pub struct SeriesFields {
    #[serde(flatten)]
    pub event: EventFields,
    #[serde(default)]
    pub rule: RuleFields,
}

/// Checks the rule against the first start and lists the occurrences' starts.
pub fn check_rule(rule: &RuleFields, first_start: i64) -> Result<(Rule, Vec<i64>), EventRefusal> {
    let rule = series::check_rule(
        &rule.frequency,
        rule.interval,
        rule.count,
        rule.until.as_deref(),
    )?;
    let starts = series::occurrences(&rule, first_start)?;
    Ok((rule, starts))
}

/// A series and the occurrences the caller may see, in rule order.
pub struct SeriesView {
    pub series: SeriesRecord,
    pub occurrences: Vec<EventRecord>,
    pub manager: bool,
}

/// Creates a series hosted by the caller's association: the series and its draft occurrences,
/// each with its compliance flags.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    fields: &SeriesFields,
) -> Result<(i64, Vec<(i64, Vec<Flag>)>), EventError> {
    let access = EventAccess::of(caller, dir);
    let (Some(user), Some(host)) = (access.user, access.coordinator_of.as_deref()) else {
        return Err(EventError::NotFound);
    };
    let first = check_fields(&fields.event, host, dir, store::now_ms(), true)?;
    let (rule, starts) = check_rule(&fields.rule, first.starts_at)?;
    let input = SeriesInput {
        first,
        rule,
        starts,
    };
    Ok(events::create_series(
        &state.db,
        &caller.actor(),
        host,
        user.id,
        &input,
        &state.config.working_hours,
    )
    .await?)
}

/// The series if the caller may see it: its hosts always, anyone else once an occurrence was
/// published (and then only the published occurrences).
pub async fn find_visible(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<SeriesView, EventError> {
    let series = events::find_series(&state.db, id)
        .await?
        .ok_or(EventError::NotFound)?;
    let access = EventAccess::of(caller, dir);
    let all = events::occurrences_of(&state.db, &[id]).await?;
    let manager = all.first().is_some_and(|ev| access.manages(ev));
    let occurrences: Vec<EventRecord> = all.into_iter().filter(|ev| access.sees(ev)).collect();
    if occurrences.is_empty() {
        return Err(EventError::NotFound);
    }
    Ok(SeriesView {
        series,
        occurrences,
        manager,
    })
}

/// The series if the caller manages it.
pub async fn find_managed(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<SeriesView, EventError> {
    let view = find_visible(state, caller, dir, id).await?;
    if !view.manager {
        return Err(EventError::NotFound);
    }
    Ok(view)
}

/// What a command on the whole series did to each occurrence it touched.
pub type Outcomes = Vec<(i64, Result<Done, EventRefusal>)>;

/// Runs `command` on each occurrence of `view` that `applies` to, collecting per occurrence
/// what was done or refused (a store failure stops and is returned).
async fn run_each(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    view: &SeriesView,
    applies: impl Fn(&EventRecord) -> bool,
    command: EventCommand,
) -> Result<Outcomes, EventError> {
    let mut out = Vec::new();
    for ev in view.occurrences.iter().filter(|ev| applies(ev)) {
        match service::run(state, caller, dir, ev, command.clone()).await {
            Ok(done) => out.push((ev.id, Ok(done))),
            Err(EventError::Refused(r)) => out.push((ev.id, Err(r))),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Edits every occurrence not yet started (drafts and published) as the event form would, each
/// keeping its own times (any in `edit` are ignored); registrants of a published occurrence whose venue changes are told.
/// The series' own title, kind, agenda and venue (its calendar entry) follow.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
    edit: &EventFields,
) -> Result<Outcomes, EventError> {
    let view = find_managed(state, caller, dir, id).await?;
    let now = store::now_ms();
    let mut out = Vec::new();
    for ev in view.occurrences.iter().filter(|ev| {
        ev.starts_at > now && matches!(ev.status, EventStatus::Draft | EventStatus::Published)
    }) {
        // The times stay the occurrence's own, whatever the body says.
        let fields = EventFields {
            starts_at: crate::time::rfc3339(ev.starts_at),
            ends_at: crate::time::rfc3339(ev.ends_at),
            registration_deadline: crate::time::rfc3339(ev.registration_deadline),
            ..edit.clone()
        };
        match service::update(state, caller, dir, ev, &fields).await {
            Ok(_) => out.push((ev.id, Ok(Done::Saved))),
            Err(EventError::Refused(r)) => out.push((ev.id, Err(r))),
            Err(e) => return Err(e),
        }
    }
    // The calendar entry follows the first occurrence that took the edit.
    if let Some((first, _)) = out.iter().find(|(_, r)| r.is_ok()) {
        if let Some(ev) = events::find(&state.db, *first).await? {
            events::update_series_entry(&state.db, &caller.actor(), id, &ev).await?;
        }
    }
    Ok(out)
}

/// The occurrences each whole-series act works on (the series page offers an act only when one
/// of them is there).
pub fn publishable(ev: &EventRecord) -> bool {
    ev.status == EventStatus::Draft
}

/// Not started yet and still cancellable (drafts and published).
pub fn cancellable(ev: &EventRecord, now: i64) -> bool {
    ev.starts_at > now && ev.status.can_become(EventStatus::Cancelled)
}

/// Published and not started yet.
pub fn open_for_registration(ev: &EventRecord, now: i64) -> bool {
    ev.status == EventStatus::Published && ev.starts_at > now
}

/// Publishes every draft occurrence that may be published; the others say why not.
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<Outcomes, EventError> {
    let view = find_managed(state, caller, dir, id).await?;
    run_each(
        state,
        caller,
        dir,
        &view,
        publishable,
        EventCommand::Publish,
    )
    .await
}

/// Cancels every occurrence not yet started (drafts and published), telling registrants.
pub async fn cancel(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
    reason: &str,
) -> Result<Outcomes, EventError> {
    let view = find_managed(state, caller, dir, id).await?;
    let now = store::now_ms();
    run_each(
        state,
        caller,
        dir,
        &view,
        |ev| cancellable(ev, now),
        EventCommand::Cancel {
            reason: reason.to_string(),
        },
    )
    .await
}

/// Registers the caller for every upcoming published occurrence, each on its own (a full one
/// puts the caller on its waitlist; a closed one says why).
pub async fn register_all(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    id: i64,
) -> Result<Outcomes, EventError> {
    let view = find_visible(state, caller, dir, id).await?;
    let now = store::now_ms();
    run_each(
        state,
        caller,
        dir,
        &view,
        |ev| open_for_registration(ev, now),
        EventCommand::Register {
            has_case: false,
            note: String::new(),
        },
    )
    .await
}
