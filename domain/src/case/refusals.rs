//! Why a report or a case action is refused, as typed values; their words live in
//! `app::refusals::leads`, and the kind decides the HTTP status at the edge.

use crate::files::UploadRefusal;
use crate::routing::RouteError;

use super::OutcomeRefusal;

/// A field of a lead report, or the text of a case action, as refusals name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadField {
    Name,
    Summary,
    Details,
    Place,
    LicenceNo,
    Region,
    Firm,
    /// The text of a case action.
    Text,
    /// The number of a letter received from an organ outside the portal.
    LetterReference,
    /// The authority a suspected crime was referred to.
    ReferredTo,
    /// The date a letter was received.
    ReceivedOn,
    /// The organ a letter came from.
    ReplyFrom,
}

/// Why what was typed into a report or a case action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputRefusal {
    Required(LeadField),
    TooLong {
        field: LeadField,
        max: usize,
    },
    ControlCharacters(LeadField),
    /// A name with a text-direction control (`crate::text`), which would display as another.
    DirectionControls(LeadField),
    /// Judicial personnel without the unit they work at.
    OrganMissing,
    /// A subject that is neither judicial personnel nor a lawyer.
    SubjectType,
    /// The discoverer or the subject's unit is not in the directory.
    Route(RouteError),
    /// The date of the conduct is not `YYYY-MM-DD`.
    BadDate,
    /// The date of the conduct is after today.
    FutureDate,
    UnknownConduct(String),
    /// A lawyer without a licence number.
    LicenceMissing,
    /// The route chosen is not one of the plan's `0..=last`.
    RouteChoice {
        last: usize,
    },
    UnknownAction,
    UnknownOutcome(String),
    /// A report naming both sides of a contact must name one judicial officer and one lawyer.
    TwoSides,
    /// The date a letter was received is not `YYYY-MM-DD`, or is after today.
    ReceivedOnInvalid,
    /// An outcome Article 13 does not give to the recording body.
    Outcome(OutcomeRefusal),
}

/// Why the case rules refuse an action now, on the case as it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseRefusal {
    /// Not among [`allowed_actions`] for this unit now.
    NotAvailable,
    /// Passing on with no next unit on the route.
    NoNextReceiver,
    OutcomeMissing,
    /// Reopening without a reason.
    ReopenReasonMissing,
    /// Manual routing without receivers or without a reason.
    RouteIncomplete,
    /// Manual routing to a unit not in the directory.
    UnknownUnit(String),
    /// Manual routing through the same unit twice.
    UnitTwice,
    /// An entry without its text.
    TextMissing,
    /// Manual routing to a unit that cannot receive leads (a law firm): only organs, justice
    /// bureaus and associations of the directory.
    NotAReceiver(String),
    /// Closing while these units (codes) reached by the lead have neither findings nor a
    /// reason for not verifying on file (Art. 8 ¶2).
    VerificationMissing(Vec<String>),
    /// A reply "received outside the portal" from a unit that is not an organ outside the
    /// portal that this lead was passed to, or by a unit that did not pass it there.
    NotOutsidePortal(String),
}

/// Anything refused about a lead. The kind decides the HTTP status at the edge: what was
/// typed is a 422, the case's state a 409, an attachment a 422 (or a 400 when the upload
/// itself cannot be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeadRefusal {
    Input(InputRefusal),
    Case(CaseRefusal),
    Upload(UploadRefusal),
}

impl From<InputRefusal> for LeadRefusal {
    fn from(r: InputRefusal) -> Self {
        LeadRefusal::Input(r)
    }
}

impl From<CaseRefusal> for LeadRefusal {
    fn from(r: CaseRefusal) -> Self {
        LeadRefusal::Case(r)
    }
}

impl From<UploadRefusal> for LeadRefusal {
    fn from(r: UploadRefusal) -> Self {
        LeadRefusal::Upload(r)
    }
}

/// Something a report says that puts in doubt whether the regulation applies; the lead is
/// recorded all the same, with the warning on file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadWarning {
    /// The subject's duty is not one of Article 14's.
    DutyNotInArticle14,
    /// The subject's unit is not a court, procuratorate, public security or justice organ.
    UnitNotInArticle14,
    /// The lawyer seems neither registered nor practising in the home district (Article 3).
    LawyerNotLocal,
}
