//! Demo exchange events (Art. 12): for every association with a coordinator account, an
//! upcoming published event; a nearly full one with a waitlist; an after-hours one waiting for
//! its approval record; and past ones that were held, with attendance (a check-in and marks by
//! the coordinator), one closed with its public summary (the public register) and one still
//! waiting for its summary.

use domain::events::EventKind;
use store::events::{self, Declaration, EventInput, Refused, VenueChoice, DEMO_VENUES};
use store::users::Role;

use super::{Demo, DemoError, DAY, HOUR};

const STEP: &str = "events";

fn refused(e: Refused) -> DemoError {
    match e {
        Refused::Store(e) => DemoError::Store(e),
        other => DemoError::refused(STEP, other),
    }
}

/// An event to create: host coordinator, words, time, size and who may come.
struct Plan<'a> {
    coordinator: &'a str,
    title: &'a str,
    kind: EventKind,
    agenda: &'a str,
    venue: &'a str,
    starts_at: i64,
    hours: i64,
    capacity: i64,
    open_to: Vec<String>,
    /// Associations invited to co-host.
    cohosts: Vec<String>,
}

/// Titles of the associations' upcoming symposiums, one each in turn.
const TITLES: [&str; 4] = [
    "规范司法人员与律师接触交往座谈会",
    "司法人员与律师良性互动交流座谈会",
    "律师执业权利保障工作交流会",
    "正常职业交往关系建设座谈会",
];

const BAR: &str = "dz-bar";
const BAR_COORDINATOR: &str = "dz-bar-coordinator";

/// The lawyers' association as co-host, when its coordinator is there to answer.
fn bar_cohost(demo: &Demo<'_>) -> Vec<String> {
    if demo.has(BAR_COORDINATOR) {
        vec![BAR.into()]
    } else {
        Vec::new()
    }
}

/// Members who may come to the demo events: every demo account with a unit holding the member
/// role, by login.
fn members<'d>(demo: &'d Demo<'_>) -> Vec<&'d store::users::User> {
    demo.users()
        .filter(|u| u.unit_code.is_some() && u.has(Role::Member) && !u.has(Role::Coordinator))
        .collect()
}

fn units_of(users: &[&store::users::User]) -> Vec<String> {
    let mut units: Vec<String> = users.iter().filter_map(|u| u.unit_code.clone()).collect();
    units.sort();
    units.dedup();
    units
}

/// Creates the event as a draft (its compliance flags computed as for a coordinator's form).
async fn create(demo: &Demo<'_>, plan: &Plan<'_>) -> Result<i64, DemoError> {
    let coordinator = demo.user(plan.coordinator)?;
    let host = coordinator
        .unit_code
        .clone()
        .ok_or_else(|| DemoError::refused(STEP, "coordinator without a unit"))?;
    let input = EventInput {
        title: plan.title.into(),
        kind: plan.kind,
        agenda: plan.agenda.into(),
        venue: VenueChoice::Other(plan.venue.into()),
        starts_at: plan.starts_at,
        ends_at: plan.starts_at + plan.hours * HOUR,
        capacity: plan.capacity,
        registration_deadline: plan.starts_at - DAY,
        open_to: plan.open_to.clone(),
        cohosts: plan.cohosts.clone(),
    };
    let actor = demo.caller(plan.coordinator)?.actor();
    let (id, _) = events::create_event(
        &demo.state.db,
        &actor,
        &host,
        coordinator.id,
        &input,
        &demo.state.config.working_hours,
    )
    .await
    .map_err(refused)?;
    Ok(id)
}

async fn publish(demo: &Demo<'_>, coordinator: &str, id: i64, at: i64) -> Result<(), DemoError> {
    let actor = demo.caller(coordinator)?.actor();
    events::publish(
        &demo.state.db,
        &actor,
        id,
        &demo.state.config.working_hours,
        at,
    )
    .await
    .map_err(refused)?;
    Ok(())
}

/// Registers `people` in order at `at`: places first, then the waitlist.
async fn register_all(
    demo: &Demo<'_>,
    id: i64,
    people: &[&store::users::User],
    at: i64,
) -> Result<(), DemoError> {
    for (i, u) in people.iter().enumerate() {
        let actor = demo.caller(&u.login)?.actor();
        // One declares a case in hand, as the registration form asks (Art. 12).
        let declaration = Declaration {
            has_case: i == 1,
            note: (i == 1)
                .then(|| "本人承办的一起案件中，对方当事人的代理律师可能参加本次活动。".into()),
        };
        events::register(
            &demo.state.db,
            &actor,
            id,
            u.id,
            u.unit_code.as_deref(),
            &declaration,
            at + i as i64 * HOUR,
        )
        .await
        .map_err(refused)?;
    }
    Ok(())
}

pub async fn seed(demo: &Demo<'_>) -> Result<(), DemoError> {
    let people = members(demo);
    let everyone = units_of(&people);
    let [court_room, bureau_room] = DEMO_VENUES;
    let mut coordinators: Vec<&store::users::User> = demo
        .users()
        .filter(|u| u.has(Role::Coordinator) && u.unit_code.is_some())
        .collect();
    coordinators.sort_by(|a, b| a.login.cmp(&b.login));

    // One upcoming, published event per association with a coordinator, a week or more ahead.
    for (i, c) in coordinators.iter().enumerate() {
        let plan = Plan {
            coordinator: &c.login,
            title: TITLES[i % TITLES.len()],
            kind: EventKind::Symposium,
            agenda: "一、学习《建立共同防范监管司法人员与律师不正当接触交往行为机制的暂行规定》（大足司发〔2021〕6号）；二、交流执业中遇到的问题；三、听取律师对司法机关的意见建议。",
            venue: if i % 2 == 0 { court_room } else { bureau_room },
            starts_at: demo.weekday_at(7 + 3 * i as i64, 9, 30),
            hours: 2,
            capacity: 30,
            open_to: everyone.clone(),
            cohosts: Vec::new(),
        };
        let id = create(demo, &plan).await?;
        publish(demo, &c.login, id, demo.now - 2 * DAY).await?;
        register_all(demo, id, &people[..people.len().min(3)], demo.now - DAY).await?;
    }

    if demo.has("dz-judges-coordinator") {
        // Nearly full: four places, six people: four registered, two waiting.
        let plan = Plan {
            coordinator: "dz-judges-coordinator",
            title: "庭审中律师权利保障业务研讨",
            kind: EventKind::Seminar,
            agenda: "围绕阅卷、会见、发问、质证中的常见分歧开展业务研讨，法官与律师分别发言。",
            venue: court_room,
            starts_at: demo.weekday_at(10, 14, 30),
            hours: 2,
            capacity: 4,
            open_to: everyone.clone(),
            // The lawyers' association is invited to co-host and has not answered yet.
            cohosts: bar_cohost(demo),
        };
        let id = create(demo, &plan).await?;
        publish(demo, plan.coordinator, id, demo.now - 3 * DAY).await?;
        register_all(demo, id, &people[..people.len().min(6)], demo.now - 2 * DAY).await?;

        // Past and held: registrations, a check-in with the code, the coordinator's marks, the
        // public summary, closed: the public register's entry.
        past_event(demo, court_room, &people, &everyone).await?;
    }

    if demo.has(BAR_COORDINATOR) {
        // After hours (an evening): it cannot be published until the approval is recorded.
        let plan = Plan {
            coordinator: BAR_COORDINATOR,
            title: "青年律师与青年法官联合培训（晚间场）",
            kind: EventKind::JointTraining,
            agenda: "由资深法官讲授庭审礼仪与诉讼文书规范，青年律师分组练习。",
            venue: bureau_room,
            starts_at: demo.weekday_at(14, 19, 0),
            hours: 2,
            capacity: 40,
            open_to: everyone.clone(),
            cohosts: Vec::new(),
        };
        create(demo, &plan).await?;

        // Held last week; the summary is still to be written.
        let plan = Plan {
            coordinator: BAR_COORDINATOR,
            title: "律师执业纪律交流会",
            kind: EventKind::Symposium,
            agenda: "通报近期律师执业纪律情况，交流律师与司法人员正常接触交往的边界。",
            venue: bureau_room,
            starts_at: demo.weekday_at(-6, 9, 0),
            hours: 2,
            capacity: 20,
            open_to: everyone.clone(),
            cohosts: Vec::new(),
        };
        let id = create(demo, &plan).await?;
        publish(demo, plan.coordinator, id, plan.starts_at - 10 * DAY).await?;
        register_all(
            demo,
            id,
            &people[..people.len().min(3)],
            plan.starts_at - 5 * DAY,
        )
        .await?;
        let actor = demo.caller(plan.coordinator)?.actor();
        events::mark_held(&demo.state.db, &actor, id, plan.starts_at + 3 * HOUR)
            .await
            .map_err(refused)?;
    }
    Ok(())
}

/// The judges' association's symposium of three weeks ago, held and closed with its summary.
async fn past_event(
    demo: &Demo<'_>,
    venue: &str,
    people: &[&store::users::User],
    everyone: &[String],
) -> Result<(), DemoError> {
    let plan = Plan {
        coordinator: "dz-judges-coordinator",
        title: "法官与律师同堂培训：规范接触交往",
        kind: EventKind::JointTraining,
        agenda:
            "依照《暂行规定》第十二条建立的常态化工作交流机制，法官、检察官与律师共同参加培训。",
        venue,
        starts_at: demo.weekday_at(-21, 9, 30),
        hours: 2,
        capacity: 20,
        open_to: everyone.to_vec(),
        cohosts: bar_cohost(demo),
    };
    let id = create(demo, &plan).await?;
    if demo.has(BAR_COORDINATOR) {
        // Co-hosted: the lawyers' association accepted.
        let bar = demo.user(BAR_COORDINATOR)?;
        let actor = demo.caller(BAR_COORDINATOR)?.actor();
        events::answer_invitation(&demo.state.db, &actor, id, BAR, bar.id, true)
            .await
            .map_err(refused)?;
    }
    publish(demo, plan.coordinator, id, plan.starts_at - 14 * DAY).await?;
    let came = &people[..people.len().min(5)];
    register_all(demo, id, came, plan.starts_at - 7 * DAY).await?;
    let db = &demo.state.db;
    let code = events::find(db, id)
        .await?
        .map(|e| e.checkin_code)
        .ok_or_else(|| DemoError::refused(STEP, "past event vanished"))?;
    // The first checks in at the door; the coordinator marks the others who came, all but one.
    if let Some(first) = came.first() {
        let actor = demo.caller(&first.login)?.actor();
        events::check_in(
            db,
            &actor,
            id,
            first.id,
            &code,
            plan.starts_at - 10 * 60_000,
        )
        .await
        .map_err(refused)?;
    }
    let actor = demo.caller(plan.coordinator)?.actor();
    for u in came.iter().skip(1).take(came.len().saturating_sub(2)) {
        events::mark_attendance(db, &actor, id, u.id, true)
            .await
            .map_err(refused)?;
    }
    events::mark_held(db, &actor, id, plan.starts_at + 3 * HOUR)
        .await
        .map_err(refused)?;
    events::save_summary(
        db,
        &actor,
        id,
        "本次同堂培训是依照《暂行规定》第十二条开展的工作交流，参加人员交流了案件办理中正常接触交往的方式与边界。",
        true,
    )
    .await
    .map_err(refused)?;
    Ok(())
}
