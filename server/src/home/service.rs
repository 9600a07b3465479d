//! What a signed-in person has to do, by role, each list read with one or two queries (no
//! query per item): required courses with their progress, events registered for; for lead
//! handlers the cases waiting for their unit with the next deadline; for training
//! administrators the people overdue; for coordinators invitations to answer and events
//! needing approval or check-in; for the joint office manual cases and new tips.

use domain::directory::Directory;
use domain::events::{publish_blocker, EventStatus};
use domain::training_report::{visible_units, Viewer};
use domain::work::{next_deadline, NextDeadline};
use store::events::{EventRecord, Registration};
use store::leads::LeadSummary;
use store::sessions::Caller;
use store::users::Role;
use store::StoreError;

use crate::events::service::EventAccess;
use crate::state::AppState;
use crate::training::service::Standing;

/// How many items a list shows at most; the section's page has the rest.
pub const SHOWN: usize = 8;

/// A required course and where the person stands with it.
pub struct CourseDue {
    pub course_id: String,
    pub due_at: i64,
    pub lessons_done: usize,
    pub lessons: usize,
    pub standing: Standing,
}

/// A lead waiting for the person's unit.
pub struct LeadDue {
    pub lead: LeadSummary,
    pub next: Option<NextDeadline>,
    /// A deadline has passed.
    pub late: bool,
}

/// Lists of the lead handler's unit.
pub struct LeadWork {
    pub unit: String,
    pub joint_office: bool,
    pub waiting: Vec<LeadDue>,
    /// The joint office: manual cases to route.
    pub manual: Vec<LeadSummary>,
    /// The joint office: public tips nobody answered yet.
    pub new_tips: Vec<store::tips::Tip>,
}

/// Lists of an association's coordinator.
pub struct CoordinatorWork {
    pub invitations: Vec<EventRecord>,
    /// Drafts that need an approval before publishing.
    pub to_approve: Vec<EventRecord>,
    /// Published events under way or about to start: time to check people in.
    pub check_in: Vec<EventRecord>,
}

/// A signed-in person's work.
pub struct MyWork {
    pub courses: Vec<CourseDue>,
    pub events: Vec<(EventRecord, Registration)>,
    pub leads: Option<LeadWork>,
    pub coordinator: Option<CoordinatorWork>,
    /// Training administrators: overdue people (at most [`SHOWN`]) and how many in all.
    pub overdue: Option<(Vec<store::training_reports::Overdue>, u64)>,
}

const HOUR_MS: i64 = 3600 * 1000;

/// The work of the signed-in `caller` at `now`; `None` for anonymous callers.
pub async fn my_work(
    state: &AppState,
    caller: &Caller,
    dir: &Directory,
    now: i64,
) -> Result<Option<MyWork>, StoreError> {
    let Some(user) = caller.user() else {
        return Ok(None);
    };
    let db = &state.db;
    let (required, done, certs, mine) = tokio::try_join!(
        store::attempts::required_courses(db, user.id),
        store::attempts::completed_lessons(db, user.id),
        store::attempts::certificates_of(db, user.id),
        store::events::list_mine(db, user.id),
    )?;
    let mut courses: Vec<CourseDue> = required
        .iter()
        .filter_map(|(id, &due_at)| {
            let lc = state.courses.course(id)?;
            let lessons = &lc.course.lessons;
            Some(CourseDue {
                course_id: id.clone(),
                due_at,
                lessons_done: lessons.iter().filter(|l| done.contains(&l.id)).count(),
                lessons: lessons.len(),
                standing: Standing::of(certs.get(id).map(|c| c.2), due_at, now),
            })
        })
        .collect();
    courses.sort_by_key(|c| (c.standing == Standing::Done, c.due_at));
    let mut events: Vec<(EventRecord, Registration)> = mine
        .into_iter()
        .filter(|(e, r)| {
            e.ends_at > now && e.status == EventStatus::Published && r.status != "cancelled"
        })
        .collect();
    events.sort_by_key(|(e, _)| e.starts_at);
    let leads = match crate::leads::service::handler(caller, dir) {
        Some(h) => Some(lead_work(state, caller, &h, now).await?),
        None => None,
    };
    let access = EventAccess::of(caller, dir);
    let coordinator = match &access.coordinator_of {
        Some(unit) => Some(coordinator_work(state, unit, now).await?),
        None => None,
    };
    let overdue = match (&user.unit_code, user.has(Role::TrainingAdmin)) {
        (Some(unit), true) => {
            let codes: Vec<String> = visible_units(dir, Viewer::TrainingAdmin(unit))
                .into_iter()
                .map(|u| u.code)
                .collect();
            Some(store::training_reports::overdue_people(db, &codes, now, SHOWN as i64).await?)
        }
        _ => None,
    };
    Ok(Some(MyWork {
        courses,
        events,
        leads,
        coordinator,
        overdue,
    }))
}

/// Leads waiting for the handler's unit, soonest deadline first; the listing is audited as the
/// inbox's is.
async fn lead_work(
    state: &AppState,
    caller: &Caller,
    h: &crate::leads::service::Handler<'_>,
    now: i64,
) -> Result<LeadWork, StoreError> {
    let listing = crate::leads::service::list(state, caller, h, 200, 0).await?;
    let mut waiting = Vec::new();
    let mut manual = Vec::new();
    for l in listing.leads {
        if l.status == "manual" {
            if h.joint_office {
                manual.push(l);
            }
            continue;
        }
        let next = next_deadline(&l.facts, &h.unit, state.deadlines);
        if next.is_none() {
            continue;
        }
        let late = next.is_some_and(|n| n.at < now);
        waiting.push(LeadDue {
            lead: l,
            next,
            late,
        });
    }
    waiting.sort_by_key(|d| d.next.map(|n| n.at).unwrap_or(i64::MAX));
    let new_tips = if h.joint_office {
        store::tips::list(&state.db, store::tips::QueueOrder::NewestFirst, 0, 200)
            .await?
            .into_iter()
            .filter(|t| t.status == "new")
            .collect()
    } else {
        Vec::new()
    };
    Ok(LeadWork {
        unit: h.unit.clone(),
        joint_office: h.joint_office,
        waiting,
        manual,
        new_tips,
    })
}

async fn coordinator_work(
    state: &AppState,
    unit: &str,
    now: i64,
) -> Result<CoordinatorWork, StoreError> {
    let (hosted, invitations) = tokio::try_join!(
        store::events::list_for_unit(&state.db, unit),
        store::events::pending_invitations(&state.db, unit),
    )?;
    let to_approve = hosted
        .iter()
        .filter(|e| {
            e.status == EventStatus::Draft
                && publish_blocker(&e.flags, e.approval.is_some()).is_some()
        })
        .cloned()
        .collect();
    // From a day before the start to a day after the end: check-in and the attendance list.
    let check_in = hosted
        .into_iter()
        .filter(|e| {
            e.status == EventStatus::Published
                && e.starts_at - 24 * HOUR_MS <= now
                && now <= e.ends_at + 24 * HOUR_MS
        })
        .collect();
    Ok(CoordinatorWork {
        invitations,
        to_approve,
        check_in,
    })
}
