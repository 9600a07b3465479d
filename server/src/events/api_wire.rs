//! The wire types of the events API: each response body the handlers of `api` serialise is one
//! of these, and the OpenAPI document describes exactly these types. The request bodies are the
//! service's own types (`EventFields`, documented as `EventIn`).

use domain::events::{EventKind, EventStatus, Flag};
use serde::Serialize;
use utoipa::ToSchema;

/// An event as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Event)]
pub struct EventOut {
    pub(crate) id: i64,
    pub(crate) uid: String,
    pub(crate) sequence: i64,
    pub(crate) title: String,
    pub(crate) kind: EventKind,
    pub(crate) status: EventStatus,
    pub(crate) agenda: String,
    pub(crate) venue: String,
    #[schema(format = DateTime)]
    pub(crate) starts_at: String,
    #[schema(format = DateTime)]
    pub(crate) ends_at: String,
    #[schema(format = DateTime)]
    pub(crate) registration_deadline: String,
    pub(crate) capacity: i64,
    pub(crate) registered: i64,
    pub(crate) waitlisted: i64,
    pub(crate) host: String,
    /// Host first, then the co-hosts that accepted.
    pub(crate) hosts: Vec<String>,
    pub(crate) open_to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cancel_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) summary: Option<String>,
    /// For the host's coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) flags: Option<Vec<Flag>>,
    /// Every association invited to co-host and its answer; for the host's coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) invitations: Option<Vec<Invitation>>,
    /// The series this event is an occurrence of (`/event-series/{id}`), or null.
    pub(crate) series: Option<i64>,
}

/// An association invited to co-host an event, and where its invitation stands.
#[derive(Serialize, ToSchema)]
pub struct Invitation {
    /// The invited association's unit code.
    pub(crate) unit: String,
    /// `pending`, `accepted` or `declined`.
    pub(crate) status: String,
}

/// One event as `GET /events/{id}` shows it: the caller's own registration beside it (`null`
/// when signed in without one, absent when anonymous).
#[derive(Serialize, ToSchema)]
pub struct EventShown {
    #[serde(flatten)]
    pub(crate) event: EventOut,
    // `None` when anonymous (absent), `Some(None)` when signed in without one (`null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MyRegistration>)]
    pub(crate) my_registration: Option<Option<MyRegistration>>,
}

/// The caller's own (not cancelled) registration for an event.
#[derive(Serialize, ToSchema)]
pub struct MyRegistration {
    /// `registered` or `waitlisted`.
    pub(crate) status: String,
    pub(crate) attended: bool,
}

/// A new draft: always `draft`, with its compliance flags and whether one of them needs an
/// approval record before it may be published.
#[derive(Serialize, ToSchema)]
pub struct EventCreated {
    pub(crate) id: i64,
    pub(crate) status: EventStatus,
    pub(crate) flags: Vec<Flag>,
    pub(crate) needs_approval: bool,
}

/// An edited event and its compliance flags.
#[derive(Serialize, ToSchema)]
pub struct EventSaved {
    pub(crate) id: i64,
    pub(crate) flags: Vec<Flag>,
}

/// An event's status after a change (publishing also gives its flags).
#[derive(Serialize, ToSchema)]
pub struct EventState {
    pub(crate) id: i64,
    pub(crate) status: EventStatus,
    /// Given by publishing only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) flags: Option<Vec<Flag>>,
}

/// A recorded approval: `{"id": …, "approval": "recorded"}`.
#[derive(Serialize, ToSchema)]
pub struct ApprovalRecorded {
    pub(crate) id: i64,
    pub(crate) approval: Recorded,
}

/// That an approval was recorded: always `recorded`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recorded {
    Recorded,
}

/// Where a registration put the caller.
#[derive(Serialize, ToSchema)]
pub struct Placed {
    pub(crate) status: Placement,
}

/// A place, or the waitlist.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Registered,
    Waitlisted,
}

/// A cancelled registration: `{"status": "cancelled"}`.
#[derive(Serialize, ToSchema)]
pub struct Unregistered {
    pub(crate) status: RegistrationCancelled,
}

/// That a registration was cancelled: always `cancelled`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationCancelled {
    Cancelled,
}

/// Everyone registered for or waiting on an event, as the host's coordinators see them.
#[derive(Serialize, ToSchema)]
pub struct RegistrationsOut {
    /// Places taken.
    pub(crate) registered: i64,
    /// On the waitlist.
    pub(crate) waitlisted: i64,
    pub(crate) registrations: Vec<RegistrantOut>,
}

/// One registration with its case-relationship declaration and attendance.
#[derive(Serialize, ToSchema)]
pub struct RegistrantOut {
    pub(crate) user_id: i64,
    /// The member's display name.
    pub(crate) name: String,
    /// The member's unit code, or null.
    pub(crate) unit: Option<String>,
    /// `registered`, `waitlisted` or `cancelled`.
    pub(crate) status: String,
    pub(crate) has_case: bool,
    pub(crate) case_note: Option<String>,
    pub(crate) attended: bool,
}

/// A successful check-in: `{"attended": true}`.
#[derive(Serialize, ToSchema)]
pub struct CheckedIn {
    pub(crate) attended: bool,
}

/// A member's attendance as the host's coordinator marked it.
#[derive(Serialize, ToSchema)]
pub struct AttendanceMarked {
    pub(crate) user_id: i64,
    pub(crate) attended: bool,
}

/// An answered co-host invitation.
#[derive(Serialize, ToSchema)]
pub struct InvitationAnswered {
    pub(crate) invitation: InvitationAnswer,
}

/// How an invited association answered.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationAnswer {
    Accepted,
    Declined,
}

/// A reminder sent to an invited association: `{"reminded": true}`.
#[derive(Serialize, ToSchema)]
pub struct Reminded {
    pub(crate) reminded: bool,
}

/// The caller's notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationsOut {
    pub(crate) unread: i64,
    /// The latest 100, newest first.
    pub(crate) notifications: Vec<NotificationOut>,
}

/// One in-app notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationOut {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) text_zh: String,
    pub(crate) text_en: String,
    /// The portal page it is about.
    pub(crate) link: String,
    /// Milliseconds since the Unix epoch.
    pub(crate) created_at: i64,
    pub(crate) read: bool,
}

/// How many notifications were marked read.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    pub(crate) marked: u64,
}

/// One held exchange in the public register: no names.
#[derive(Serialize, ToSchema)]
pub struct ExchangeOut {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) kind: EventKind,
    /// Host first, then the co-hosts that accepted.
    pub(crate) hosts: Vec<String>,
    pub(crate) venue: String,
    #[schema(format = DateTime)]
    pub(crate) starts_at: String,
    #[schema(format = DateTime)]
    pub(crate) ends_at: String,
    pub(crate) agenda: String,
    /// Attended participants by kind of unit (unit kind code → count).
    pub(crate) participants: std::collections::BTreeMap<String, i64>,
    pub(crate) summary: Option<String>,
}
