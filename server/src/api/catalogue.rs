//! Every typed refusal the API can answer with, for the list of codes in the document
//! ([`super::codes::all`]), and how each feature's refusal names its area and field. A new
//! variant belongs in its list here; `codes::tests` shows the whole list.

use domain::case::{InputRefusal, LeadRefusal};
use domain::events::{EventField, EventRefusal, Flag, RegistrationRefused};
use domain::identity::SignInRefused;
use domain::routing::RouteError;
use domain::tips::TipRefused;
use domain::training::{AnswerProblem, AssignmentRefusal, AttemptRefusal, StartRefusal};

use super::codes::field_name;

/// The field a lead refusal names.
pub fn lead_field(r: &LeadRefusal) -> Option<String> {
    match r {
        LeadRefusal::Input(
            InputRefusal::Required(f)
            | InputRefusal::TooLong { field: f, .. }
            | InputRefusal::ControlCharacters(f)
            | InputRefusal::DirectionControls(f),
        ) => Some(field_name(f)),
        _ => None,
    }
}

/// The field an event refusal names.
pub fn event_field(r: &EventRefusal) -> Option<String> {
    match r {
        EventRefusal::TooLong { field: f, .. }
        | EventRefusal::ControlCharacters(f)
        | EventRefusal::DirectionControls(f)
        | EventRefusal::BadTime(f) => Some(field_name(f)),
        _ => None,
    }
}

/// (area, `Debug` form, field) of every refusal.
pub fn refusals() -> Vec<(&'static str, String, Option<String>)> {
    use EventRefusal as E;
    let mut all = Vec::new();
    let mut leads = app::refusals::leads::catalogue();
    leads.push(LeadRefusal::Input(InputRefusal::TooLong {
        field: domain::case::LeadField::Summary,
        max: 0,
    }));
    leads.push(LeadRefusal::Input(InputRefusal::RouteChoice { last: 0 }));
    for r in leads {
        all.push(("lead", format!("{r:?}"), lead_field(&r)));
    }
    all.push((
        "lead.route",
        format!("{:?}", RouteError::UnknownUnit(String::new())),
        None,
    ));
    let events = [
        E::ControlCharacters(EventField::Title),
        E::DirectionControls(EventField::Title),
        E::TitleMissing,
        E::KindMissing,
        E::VenueMissing,
        E::BadTime(EventField::Title),
        E::EndsBeforeStart,
        E::LongerThanAWeek,
        E::StartInPast,
        E::DeadlineAfterStart,
        E::CapacityOutOfRange,
        E::OpenToMissing,
        E::UnknownUnit(String::new()),
        E::BadCohost(String::new()),
        E::ApprovalIncomplete,
        E::ApprovalDate,
        E::ApprovalAfterStart,
        E::RuleMissing,
        E::RuleInterval,
        E::RuleEnd,
        E::RuleUntilBeforeStart,
        E::TooManyOccurrences,
        E::ReasonMissing,
        E::SummaryMissing,
        E::PersonMissing,
        E::VenueNameMissing,
        E::VenueNotListed,
        E::VenueRetired,
        E::NotEditable,
        E::CapacityBelowRegistered(0),
        E::NotADraft,
        E::StartPassed,
        E::NeedsApproval(Flag::OutsideWorkingHours),
        E::NeedsApproval(Flag::NonOfficialVenue),
        E::NeedsApproval(Flag::VenueOverlap),
        E::NotCancellable,
        E::NotPublished,
        E::NotStarted,
        E::NotHeld,
        E::InvitationClosed,
        E::NoPendingInvitation,
        E::UnregisterClosed,
        E::NotRegistered,
        E::CheckinClosed,
        E::CheckinWindow,
        E::WrongCheckinCode,
        E::CheckinTries(0),
        E::NoPlace,
        E::AttendanceClosed,
        E::PersonHasNoPlace,
        E::TooLong {
            field: EventField::Title,
            max: 0,
        },
        E::Registration(RegistrationRefused::NotOpen),
        E::Registration(RegistrationRefused::DeadlinePassed),
        E::Registration(RegistrationRefused::UnitNotInvited),
    ];
    for r in events {
        all.push(("event", format!("{r:?}"), event_field(&r)));
    }
    for r in [
        TipRefused::TooShort,
        TipRefused::TooLong,
        TipRefused::ControlCharacters,
        TipRefused::Throttled(0),
        TipRefused::TooManyTips(0),
        TipRefused::Closed,
    ] {
        all.push(("tip", format!("{r:?}"), None));
    }
    for r in [
        StartRefusal::NoAttemptsLeft(0),
        StartRefusal::CoolingDown(0),
        StartRefusal::NoMistakes,
    ] {
        all.push(("training.start", format!("{r:?}"), None));
    }
    for r in [
        AttemptRefusal::AlreadySubmitted,
        AttemptRefusal::PastTimeLimit,
        AttemptRefusal::Invalid(AnswerProblem::NotInAttempt(String::new())),
        AttemptRefusal::Invalid(AnswerProblem::TooManyOptions(String::new())),
        AttemptRefusal::Invalid(AnswerProblem::NoSuchOption {
            question: String::new(),
            option: String::new(),
        }),
    ] {
        all.push(("training.attempt", format!("{r:?}"), None));
    }
    for r in [
        AssignmentRefusal::CourseMissing,
        AssignmentRefusal::OutsideUnit,
        AssignmentRefusal::LawyersNotYours,
        AssignmentRefusal::NoSuchFirm,
        AssignmentRefusal::NobodySelected,
        AssignmentRefusal::TargetMissing,
        AssignmentRefusal::DueDate,
    ] {
        all.push(("training.assignment", format!("{r:?}"), None));
    }
    for r in [
        SignInRefused::Invalid,
        SignInRefused::Throttled(0),
        SignInRefused::LoginTooLong,
    ] {
        all.push(("auth", format!("{r:?}"), None));
    }
    all
}
