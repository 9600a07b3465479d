//! The use cases of training, for the pages and the API alike: starting an attempt
//! ([`StartAttempt`]), saving and submitting answers ([`Answering`]), completing a lesson
//! ([`CompleteLesson`]), the assignments of a unit ([`AssignmentCommand`]) and looking up
//! certificates. No HTTP types here; refusals are typed (`domain::training`) and worded at the
//! edge (`app::refusals`).

use corpus::courses::LoadedCourse;
use domain::directory::{Level, Unit, UnitKind};
use domain::training::{
    score_question, AnswerOption, AssignmentRefusal, AttemptRefusal, Course, Lesson, Question,
    StartRefusal,
};
use store::attempts::{
    self, Answers, Assignment, Attempt, Certificate, Member, Mode, Outcome, StartRefused,
    SubmitRefused, Target,
};
use store::sessions::Caller;
use store::users::{Role, User};
use store::StoreError;

use crate::state::AppState;

/// Why a training use case did not happen.
#[derive(Debug)]
pub enum TrainingError {
    /// Not there, or not for this caller (the two look the same from outside).
    NotFound,
    /// No attempt can start now.
    Start(StartRefusal),
    /// The attempt did not take the answers.
    Attempt(AttemptRefusal),
    /// The assignment was not made or changed.
    Assignment(AssignmentRefusal),
    Store(StoreError),
}

impl From<StoreError> for TrainingError {
    fn from(e: StoreError) -> Self {
        TrainingError::Store(e)
    }
}

impl From<StartRefused> for TrainingError {
    fn from(e: StartRefused) -> Self {
        match e {
            StartRefused::UnknownQuiz => TrainingError::NotFound,
            StartRefused::Refused(r) => TrainingError::Start(r),
            StartRefused::Store(e) => TrainingError::Store(e),
        }
    }
}

impl From<SubmitRefused> for TrainingError {
    fn from(e: SubmitRefused) -> Self {
        match e {
            SubmitRefused::NotFound => TrainingError::NotFound,
            SubmitRefused::AlreadySubmitted => {
                TrainingError::Attempt(AttemptRefusal::AlreadySubmitted)
            }
            SubmitRefused::Invalid(p) => TrainingError::Attempt(AttemptRefusal::Invalid(p)),
            SubmitRefused::Store(e) => TrainingError::Store(e),
        }
    }
}

impl From<AssignmentRefusal> for TrainingError {
    fn from(r: AssignmentRefusal) -> Self {
        TrainingError::Assignment(r)
    }
}

/// The signed-in learner; anyone else finds nothing.
fn signed_in(caller: &Caller) -> Result<&User, TrainingError> {
    caller.user().ok_or(TrainingError::NotFound)
}

/// Whether the caller may see the per-question statistics of quizzes.
pub fn sees_stats(user: &User) -> bool {
    user.has(Role::TrainingAdmin) || user.has(Role::Admin)
}

// Quizzes.

/// Starts an attempt of `mode` at quiz `quiz`, or resumes the open one.
pub struct StartAttempt<'a> {
    pub quiz: &'a str,
    pub mode: Mode,
}

/// An attempt started or resumed, with its course.
pub struct Started<'a> {
    pub course: &'a Course,
    pub attempt: Attempt,
    pub resumed: bool,
}

/// Starts (or resumes) an attempt for the caller: within the attempt limit and after the
/// cool-down for an exam, drawn from the learner's mistakes for practice.
pub async fn start<'a>(
    state: &'a AppState,
    caller: &Caller,
    command: StartAttempt<'_>,
) -> Result<Started<'a>, TrainingError> {
    let user = signed_in(caller)?;
    let course = &state
        .courses
        .by_quiz(command.quiz)
        .ok_or(TrainingError::NotFound)?
        .course;
    let (attempt, resumed) = attempts::start(
        &state.db,
        &state.courses,
        command.quiz,
        command.mode,
        &caller.actor(),
        user.id,
        store::now_ms(),
    )
    .await?;
    Ok(Started {
        course,
        attempt,
        resumed,
    })
}

/// Answers to one of the caller's attempts, to save or to submit.
pub struct Answering {
    pub attempt: i64,
    pub answers: Answers,
    /// The answers are a whole form, which sends nothing for an unanswered question: a
    /// question they do not name is recorded as unanswered. Otherwise (the API) it keeps the
    /// answer saved before.
    pub whole_form: bool,
}

/// The caller's attempt, still open, and the answers to record for it.
async fn open_attempt(
    state: &AppState,
    user: &User,
    command: Answering,
) -> Result<(Attempt, Answers), TrainingError> {
    let attempt = attempts::load(&state.db, command.attempt, user.id)
        .await?
        .ok_or(TrainingError::NotFound)?;
    if attempt.submitted_at.is_some() {
        return Err(TrainingError::Attempt(AttemptRefusal::AlreadySubmitted));
    }
    let mut answers = command.answers;
    if command.whole_form {
        for qid in &attempt.question_ids {
            answers.entry(qid.clone()).or_default();
        }
    }
    Ok((attempt, answers))
}

/// Saves answers as the learner goes; past the time limit they are refused.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    command: Answering,
) -> Result<(), TrainingError> {
    let user = signed_in(caller)?;
    let (attempt, answers) = open_attempt(state, user, command).await?;
    let saved = attempts::save_answers(
        &state.db,
        &state.courses,
        &attempt,
        &answers,
        store::now_ms(),
    )
    .await?;
    if !saved {
        return Err(TrainingError::Attempt(AttemptRefusal::PastTimeLimit));
    }
    Ok(())
}

/// A scored attempt, with its course.
pub struct Submitted<'a> {
    pub course: &'a Course,
    pub outcome: Outcome,
}

/// Submits the attempt: scored once (a second submission is refused and changes nothing);
/// passing an exam issues a certificate.
pub async fn submit<'a>(
    state: &'a AppState,
    caller: &Caller,
    command: Answering,
) -> Result<Submitted<'a>, TrainingError> {
    let user = signed_in(caller)?;
    let id = command.attempt;
    let answers = if command.whole_form {
        open_attempt(state, user, command).await?.1
    } else {
        command.answers
    };
    let outcome = attempts::submit(
        &state.db,
        &state.courses,
        id,
        user.id,
        &answers,
        &caller.actor(),
        store::now_ms(),
    )
    .await?;
    let course = &state
        .courses
        .by_quiz(&outcome.attempt.quiz_id)
        .ok_or(TrainingError::NotFound)?
        .course;
    Ok(Submitted { course, outcome })
}

/// The questions of an attempt as its learner sees them: in the order drawn, each with its
/// options in the order shown and the attempt's token for each (the only option id the
/// learner sees), and nothing that says which are right.
pub fn drawn<'a>(
    course: &'a Course,
    attempt: &'a Attempt,
) -> impl Iterator<Item = (&'a Question, Vec<(&'a AnswerOption, &'a str)>)> + 'a {
    attempt
        .question_ids
        .iter()
        .zip(&attempt.option_orders)
        .enumerate()
        .filter_map(|(i, (qid, order))| {
            let q = course.question(qid)?;
            let tokens = attempt.tokens(i);
            let options = order
                .iter()
                .zip(tokens)
                .filter_map(|(oid, token)| Some((q.option(oid)?, token.as_str())))
                .collect();
            Some((q, options))
        })
}

/// A question of a submitted attempt: what the learner chose and the points it earned.
pub struct Reviewed<'a> {
    pub question: &'a Question,
    pub chosen: Vec<String>,
    pub points: f64,
    pub correct: bool,
}

/// The questions of a submitted attempt, in the order drawn, scored.
pub fn reviewed<'a>(
    course: &'a Course,
    attempt: &'a Attempt,
) -> impl Iterator<Item = Reviewed<'a>> + 'a {
    attempt.question_ids.iter().filter_map(|qid| {
        let question = course.question(qid)?;
        let chosen = attempt.answers.get(qid).cloned().unwrap_or_default();
        let points = score_question(question, &chosen);
        Some(Reviewed {
            question,
            chosen,
            points,
            correct: points >= 1.0 - 1e-9,
        })
    })
}

// Lessons.

/// Marks lesson `lesson` of course `course` completed.
pub struct CompleteLesson<'a> {
    pub course: &'a str,
    pub lesson: &'a str,
}

/// The course of a lesson and the lesson's place in it.
pub fn find_lesson<'a>(
    state: &'a AppState,
    course_id: &str,
    lesson_id: &str,
) -> Option<(&'a LoadedCourse, usize)> {
    let lc = state.courses.course(course_id)?;
    let i = lc.course.lessons.iter().position(|l| l.id == lesson_id)?;
    Some((lc, i))
}

/// Records the lesson completed for the caller (the first time counts); the next lesson of
/// the course, `None` after the last.
pub async fn complete_lesson<'a>(
    state: &'a AppState,
    caller: &Caller,
    command: CompleteLesson<'_>,
) -> Result<Option<&'a Lesson>, TrainingError> {
    let user = signed_in(caller)?;
    let (lc, i) =
        find_lesson(state, command.course, command.lesson).ok_or(TrainingError::NotFound)?;
    let lessons = &lc.course.lessons;
    attempts::complete_lesson(&state.db, user.id, &lessons[i].id, store::now_ms()).await?;
    Ok(lessons.get(i + 1))
}

// Certificates.

/// The certificate with the verification code `code` (any case, spaces around it), if any.
pub async fn certificate(state: &AppState, code: &str) -> Result<Option<Certificate>, StoreError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    attempts::find_certificate(&state.db, &code).await
}

/// The caller's own certificate with the code `code`; anyone else's is not found.
pub async fn own_certificate(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Certificate, TrainingError> {
    let user = signed_in(caller)?;
    certificate(state, code)
        .await?
        .filter(|c| c.user_id == user.id)
        .ok_or(TrainingError::NotFound)
}

// Assignments and progress.

/// Where a learner stands with a course due at `due_at`: done while holding an unexpired
/// certificate of it (`expires`), else overdue after the due date, else pending. The API gives
/// it as its code: `done`, `pending` or `overdue`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = RequiredStatus)]
pub enum Standing {
    Done,
    Pending,
    Overdue,
}

impl Standing {
    pub fn of(expires: Option<i64>, due_at: i64, now: i64) -> Standing {
        match expires {
            Some(expires) if expires > now => Standing::Done,
            _ if now > due_at => Standing::Overdue,
            _ => Standing::Pending,
        }
    }

    /// `done`, `pending` or `overdue`, as pages (a class) and the API (a status) give it.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Done => "done",
            Standing::Pending => "pending",
            Standing::Overdue => "overdue",
        }
    }
}

/// One learner of an assignment: where they stand, and when they were certified.
pub struct Learner {
    pub member: Member,
    /// The learner's unit (a law firm for an Art. 11 assignment).
    pub unit: String,
    pub standing: Standing,
    /// Issue time of the valid certificate, when done.
    pub certified_at: Option<i64>,
    /// Done, but a later regulation version changes an article the course cites.
    pub renewal: bool,
}

/// The members of a unit, the lawyers it may assign courses to (Art. 11: the district
/// justice bureau and lawyers' association; with each one's firm), and each assignment of the
/// unit with its learners.
pub struct UnitProgress {
    pub members: Vec<Member>,
    pub lawyers: Vec<(Member, String)>,
    /// The law firms it may assign courses to (Art. 11).
    pub firms: Vec<Unit>,
    pub assignments: Vec<(Assignment, Vec<Learner>)>,
}

/// The law firms whose lawyers `unit` trains under Article 11 (the home district's justice
/// bureau and lawyers' association: the firms registered in their district), with the
/// district's region; `None` for every other unit.
pub async fn lawyer_firms(
    state: &AppState,
    unit: &str,
) -> Result<Option<(String, Vec<Unit>)>, StoreError> {
    let dir = store::units::load_directory(&state.db).await?;
    let Some(own) = dir.get(unit).filter(|u| {
        dir.is_home(u) && matches!(u.kind, UnitKind::JusticeBureau | UnitKind::BarAssociation)
    }) else {
        return Ok(None);
    };
    let firms = dir
        .units()
        .iter()
        .filter(|f| {
            f.kind == UnitKind::LawFirm && f.level == Level::District && f.region == own.region
        })
        .cloned()
        .collect();
    Ok(Some((own.region.clone(), firms)))
}

/// Every (assignment, learner, standing) of `unit` (a few queries however many there are).
pub async fn unit_progress(state: &AppState, unit: &str) -> Result<UnitProgress, StoreError> {
    let db = &state.db;
    let (members, assignments, rows, scope) = tokio::try_join!(
        attempts::unit_members(db, unit),
        attempts::unit_assignments(db, unit),
        attempts::assignment_learners(db, unit),
        lawyer_firms(state, unit),
    )?;
    let (lawyers, firms) = match scope {
        Some((region, firms)) => (attempts::district_lawyers(db, &region).await?, firms),
        None => (Vec::new(), Vec::new()),
    };
    let now = store::now_ms();
    let mut by_assignment: std::collections::BTreeMap<i64, Vec<Learner>> = Default::default();
    let mut memo: std::collections::HashMap<(String, Option<String>), bool> = Default::default();
    let of: std::collections::BTreeMap<i64, &Assignment> =
        assignments.iter().map(|a| (a.id, a)).collect();
    for r in rows {
        let Some(a) = of.get(&r.assignment_id) else {
            continue;
        };
        let standing = Standing::of(r.certificate.map(|c| c.1), a.due_at, now);
        // Once per course and recorded version, not per person.
        let renewal = standing == Standing::Done
            && *memo
                .entry((a.course_id.clone(), r.regulation_version.clone()))
                .or_insert_with(|| {
                    state.courses.course(&a.course_id).is_some_and(|lc| {
                        super::labels::renewal_due(
                            state,
                            &lc.course,
                            r.regulation_version.as_deref(),
                        )
                    })
                });
        by_assignment
            .entry(r.assignment_id)
            .or_default()
            .push(Learner {
                member: Member {
                    id: r.user_id,
                    login: r.login,
                    display_name: r.display_name,
                    roles: Vec::new(),
                },
                unit: r.unit_code,
                standing,
                certified_at: r
                    .certificate
                    .filter(|_| standing == Standing::Done)
                    .map(|c| c.0),
                renewal,
            });
    }
    let assignments = assignments
        .into_iter()
        .map(|a| {
            let learners = by_assignment.remove(&a.id).unwrap_or_default();
            (a, learners)
        })
        .collect();
    Ok(UnitProgress {
        members,
        lawyers,
        firms,
        assignments,
    })
}

/// The unit whose assignments the caller administers: a training administrator's own.
pub fn administered_unit(caller: &Caller) -> Option<(&User, &str)> {
    let user = caller.user()?;
    match (&user.unit_code, user.has(Role::TrainingAdmin)) {
        (Some(unit), true) => Some((user, unit.as_str())),
        _ => None,
    }
}

/// A change to the assignments of the caller's unit, as a form or the API asks for it.
#[derive(Clone, Debug)]
pub enum AssignmentCommand {
    /// Assigns `course` to `target` (`unit`, `role:<role>` or `people`, then `people`: user
    /// ids of the unit) by `due` (`yyyy-mm-dd`).
    Create {
        course: String,
        target: String,
        people: Vec<i64>,
        due: String,
    },
    /// Moves the due date of assignment `id` to `due` (`yyyy-mm-dd`).
    SetDue {
        id: i64,
        due: String,
    },
    Delete {
        id: i64,
    },
}

/// Runs `command` in the unit the caller administers; the assignment's id. Someone who
/// administers no unit, or an assignment of another unit: `NotFound`.
pub async fn run_assignment(
    state: &AppState,
    caller: &Caller,
    command: AssignmentCommand,
) -> Result<i64, TrainingError> {
    let (user, unit) = administered_unit(caller).ok_or(TrainingError::NotFound)?;
    let actor = caller.actor();
    let db = &state.db;
    let done = match command {
        AssignmentCommand::Create {
            course,
            target,
            people,
            due,
        } => {
            let members = attempts::unit_members(db, unit).await?;
            let scope = match lawyer_firms(state, unit).await? {
                Some((region, firms)) => {
                    Some((attempts::district_lawyers(db, &region).await?, firms))
                }
                None => None,
            };
            let target = check_assignment(
                state,
                Whom {
                    members: &members,
                    lawyers: scope.as_ref().map(|(l, f)| (l.as_slice(), f.as_slice())),
                },
                &course,
                &target,
                &people,
            )?;
            let due_at = due_date(&due).ok_or(AssignmentRefusal::DueDate)?;
            let now = store::now_ms();
            Ok(attempts::assign(db, &actor, unit, &course, &target, due_at, user.id, now).await?)
        }
        AssignmentCommand::SetDue { id, due } => {
            let due_at = due_date(&due).ok_or(AssignmentRefusal::DueDate)?;
            match attempts::set_due(db, &actor, unit, id, due_at).await? {
                true => Ok(id),
                false => Err(TrainingError::NotFound),
            }
        }
        AssignmentCommand::Delete { id } => {
            match attempts::delete_assignment(db, &actor, unit, id).await? {
                true => Ok(id),
                false => Err(TrainingError::NotFound),
            }
        }
    };
    // The administrator sees their own change at once (the page shares figures otherwise).
    state.training_snapshots.forget(unit);
    done
}

/// Whom a unit may assign courses to: its enabled members, and for the district justice
/// bureau and lawyers' association (Art. 11) the district's lawyers with their firms.
struct Whom<'a> {
    members: &'a [Member],
    /// Art. 11 only: the district's lawyers and its law firms.
    lawyers: Option<Art11<'a>>,
}

/// The district's lawyers (each with their firm's code) and its law firms.
type Art11<'a> = (&'a [(Member, String)], &'a [Unit]);

/// Checks whom an assignment is for: the course exists, the people are enabled members of
/// the unit (or district lawyers, Art. 11), the target is known and the unit's to choose.
fn check_assignment(
    state: &AppState,
    whom: Whom<'_>,
    course: &str,
    target: &str,
    people: &[i64],
) -> Result<Target, AssignmentRefusal> {
    if state.courses.course(course).is_none() {
        return Err(AssignmentRefusal::CourseMissing);
    }
    let (lawyers, firms) = whom.lawyers.unwrap_or_default();
    let known = |p: &i64| {
        whom.members.iter().any(|m| m.id == *p) || lawyers.iter().any(|(m, _)| m.id == *p)
    };
    if !people.iter().all(known) {
        return Err(AssignmentRefusal::OutsideUnit);
    }
    match target {
        "unit" => Ok(Target::Unit),
        "people" if !people.is_empty() => {
            let mut ids = people.to_vec();
            ids.sort_unstable();
            ids.dedup();
            Ok(Target::People(ids))
        }
        "people" => Err(AssignmentRefusal::NobodySelected),
        "district_lawyers" if whom.lawyers.is_some() => Ok(Target::DistrictLawyers),
        "district_lawyers" => Err(AssignmentRefusal::LawyersNotYours),
        t => match t.strip_prefix("firm:") {
            Some(_) if whom.lawyers.is_none() => Err(AssignmentRefusal::LawyersNotYours),
            Some(firm) if firms.iter().any(|f| f.code == firm) => {
                Ok(Target::Firm(firm.to_string()))
            }
            Some(_) => Err(AssignmentRefusal::NoSuchFirm),
            None => t
                .strip_prefix("role:")
                .and_then(Role::parse)
                .map(Target::Role)
                .ok_or(AssignmentRefusal::TargetMissing),
        },
    }
}

/// End of the day `yyyy-mm-dd` in Beijing, as Unix ms.
fn due_date(s: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let t = d.and_hms_opt(23, 59, 59)?;
    Some(t.and_utc().timestamp_millis() - 8 * 3_600_000)
}
