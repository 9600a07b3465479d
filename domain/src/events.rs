//! Exchange events under Article 12: the rules that decide what a coordinator is warned about
//! and what a registration becomes, free of HTTP, SQL and the clock so they can be tested table
//! by table.
//!
//! The compliance hints come from the 2015 national provisions as summarised in
//! `national-provisions-2015-notes.md`: contact between judicial personnel and lawyers belongs at
//! the workplace and in working hours, and anything else needs approval beforehand. The portal
//! does not forbid such an event; it flags it and asks for the approval record before
//! publishing.

use serde::{Deserialize, Serialize};

use crate::workdays::{Date, DayKind, WorkCalendar};

/// Milliseconds in a minute, an hour and a day.
const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;
/// Asia/Shanghai is UTC+8 all year (no daylight saving).
pub const BEIJING_OFFSET_MS: i64 = 8 * 60 * MINUTE;

/// What kind of exchange an event is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 座谈会
    Symposium,
    /// 业务研讨
    Seminar,
    /// 联合培训
    JointTraining,
    /// 其他
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::Symposium,
        EventKind::Seminar,
        EventKind::JointTraining,
        EventKind::Other,
    ];

    /// Stable code used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Symposium => "symposium",
            EventKind::Seminar => "seminar",
            EventKind::JointTraining => "joint_training",
            EventKind::Other => "other",
        }
    }

    /// Parses [`EventKind::as_str`].
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EventKind::Symposium => "座谈会",
            EventKind::Seminar => "业务研讨",
            EventKind::JointTraining => "联合培训",
            EventKind::Other => "其他",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            EventKind::Symposium => "Symposium",
            EventKind::Seminar => "Seminar",
            EventKind::JointTraining => "Joint training",
            EventKind::Other => "Other",
        }
    }
}

/// Where an event is in its life: draft → published → held → closed, or cancelled.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    Published,
    Held,
    Closed,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Draft,
        EventStatus::Published,
        EventStatus::Held,
        EventStatus::Closed,
        EventStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Published => "published",
            EventStatus::Held => "held",
            EventStatus::Closed => "closed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EventStatus::Draft => "草稿",
            EventStatus::Published => "已发布",
            EventStatus::Held => "已举办",
            EventStatus::Closed => "已归档",
            EventStatus::Cancelled => "已取消",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            EventStatus::Draft => "Draft",
            EventStatus::Published => "Published",
            EventStatus::Held => "Held",
            EventStatus::Closed => "Closed",
            EventStatus::Cancelled => "Cancelled",
        }
    }

    /// Whether the life cycle allows going from `self` to `to`.
    pub fn can_become(self, to: EventStatus) -> bool {
        use EventStatus::*;
        matches!(
            (self, to),
            (Draft, Published)
                | (Published, Held)
                | (Held, Closed)
                | (Draft, Cancelled)
                | (Published, Cancelled)
        )
    }
}

/// A period of the working day, in minutes after local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: u32,
    pub end: u32,
}

/// Working hours: the working weekdays (Monday = 0), the periods of each working day, and the
/// published holidays and make-up working days ([`WorkCalendar`], empty until loaded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    pub days: Vec<u8>,
    pub periods: Vec<Period>,
    pub calendar: WorkCalendar,
}

impl Default for WorkingHours {
    /// Monday to Friday, 08:30–12:00 and 14:00–18:00.
    fn default() -> Self {
        WorkingHours {
            days: vec![0, 1, 2, 3, 4],
            periods: vec![
                Period {
                    start: 8 * 60 + 30,
                    end: 12 * 60,
                },
                Period {
                    start: 14 * 60,
                    end: 18 * 60,
                },
            ],
            calendar: WorkCalendar::default(),
        }
    }
}

impl WorkingHours {
    /// Parses `08:30-12:00,14:00-18:00` (periods of Monday to Friday).
    pub fn parse_periods(s: &str) -> Result<WorkingHours, String> {
        let hm = |t: &str| -> Result<u32, String> {
            let (h, m) = t
                .trim()
                .split_once(':')
                .ok_or_else(|| format!("{t}: expected HH:MM"))?;
            let h: u32 = h.parse().map_err(|_| format!("{t}: bad hour"))?;
            let m: u32 = m.parse().map_err(|_| format!("{t}: bad minute"))?;
            if h > 24 || m > 59 || h * 60 + m > 24 * 60 {
                return Err(format!("{t}: not a time of day"));
            }
            Ok(h * 60 + m)
        };
        let mut periods = Vec::new();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (a, b) = part
                .split_once('-')
                .ok_or_else(|| format!("{part}: expected HH:MM-HH:MM"))?;
            let p = Period {
                start: hm(a)?,
                end: hm(b)?,
            };
            if p.start >= p.end {
                return Err(format!("{part}: the period ends before it starts"));
            }
            periods.push(p);
        }
        if periods.is_empty() {
            return Err("no working periods given".into());
        }
        periods.sort_by_key(|p| p.start);
        Ok(WorkingHours {
            days: vec![0, 1, 2, 3, 4],
            periods,
            calendar: WorkCalendar::default(),
        })
    }

    /// Whether an event from `start` to `end` (UTC milliseconds) lies in working hours: on one
    /// working day, starting and ending inside working periods. A meeting that runs through the
    /// midday break (09:00–17:00) counts as within hours: it pauses for the break. A public
    /// holiday is not a working day; a make-up working day (调休) on a weekend is.
    pub fn contains(&self, start: i64, end: i64) -> bool {
        if end <= start {
            return false;
        }
        let (day_a, min_a, _) = local_parts(start);
        let (day_b, min_b, _) = local_parts(end);
        if day_a != day_b || !self.is_working_day(Date::from_days(day_a)) {
            return false;
        }
        let starts_inside = self
            .periods
            .iter()
            .any(|p| min_a >= p.start && min_a < p.end);
        let ends_inside = self
            .periods
            .iter()
            .any(|p| min_b > p.start && min_b <= p.end);
        starts_inside && ends_inside
    }
}

impl WorkingHours {
    /// What `date` is for working hours.
    pub fn day_kind(&self, date: Date) -> DayKind {
        self.calendar.day_kind(date, &self.days)
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.day_kind(date).is_working()
    }
}

/// The Beijing date of an instant (UTC ms).
pub fn local_date(ms: i64) -> Date {
    Date::from_days(local_parts(ms).0)
}

/// Whether an approval dated `approved_on` was given before the event starting at `starts_at`
/// (UTC ms): it may be dated on the day of the event at the latest, since it carries no time.
pub fn approval_in_time(approved_on: Date, starts_at: i64) -> bool {
    approved_on <= local_date(starts_at)
}

/// Local (Beijing) day number since the epoch, minute of the day and weekday (Monday = 0).
pub fn local_parts(ms: i64) -> (i64, u32, u8) {
    let local = ms + BEIJING_OFFSET_MS;
    let day = local.div_euclid(DAY);
    let minute = (local.rem_euclid(DAY) / MINUTE) as u32;
    // 1970-01-01 was a Thursday (weekday 3).
    let weekday = (day + 3).rem_euclid(7) as u8;
    (day, minute, weekday)
}

/// Something about an event the coordinator is told about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Not within working hours: publishing needs an approval record.
    OutsideWorkingHours,
    /// Not at an official venue: publishing needs an approval record.
    NonOfficialVenue,
    /// Another event at the same venue overlaps in time: a warning.
    VenueOverlap,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::OutsideWorkingHours => "outside_working_hours",
            Flag::NonOfficialVenue => "non_official_venue",
            Flag::VenueOverlap => "venue_overlap",
        }
    }

    /// Whether publishing waits for an approval record.
    pub fn needs_approval(self) -> bool {
        matches!(self, Flag::OutsideWorkingHours | Flag::NonOfficialVenue)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Flag::OutsideWorkingHours => {
                "活动时间不在工作时间内（法定节假日不算工作日，调休上班日算工作日）。据公开报道，2015年规定要求的是：司法人员在办理案件过程中应当在工作场所、工作时间接待律师，因办案确需在非工作时间接触的，应当事先审批。对每一场交流活动都按工作时间核对、发布前登记审批情况，是本平台的预防措施，并非规定本身的要求。"
            }
            Flag::NonOfficialVenue => {
                "活动地点不是官方场所。据公开报道，2015年规定要求的是：司法人员在办理案件过程中应当在工作场所、工作时间接待律师，因办案确需在非工作场所接触的，应当事先审批。对每一场交流活动都核对地点、发布前登记审批情况，是本平台的预防措施，并非规定本身的要求。"
            }
            Flag::VenueOverlap => "同一场所同一时段已有其他活动，请核实",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Flag::OutsideWorkingHours => "Outside working hours (public holidays are not working days; make-up working days are). As reported, the 2015 provisions require that judicial personnel handling a case receive lawyers at the workplace and during working hours, and that contact outside working hours which the case genuinely requires be approved beforehand. Checking every exchange against working hours and recording its approval before publishing is this portal's precaution, not a rule of the regulation.",
            Flag::NonOfficialVenue => "Not at an official venue. As reported, the 2015 provisions require that judicial personnel handling a case receive lawyers at the workplace and during working hours, and that contact away from the workplace which the case genuinely requires be approved beforehand. Checking every exchange's venue and recording its approval before publishing is this portal's precaution, not a rule of the regulation.",
            Flag::VenueOverlap => "Another event is booked at the same venue at an overlapping time; please check",
        }
    }
}

/// The compliance hints for an event.
pub fn compliance_flags(
    hours: &WorkingHours,
    starts_at: i64,
    ends_at: i64,
    official_venue: bool,
    overlapping_events: usize,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if !hours.contains(starts_at, ends_at) {
        flags.push(Flag::OutsideWorkingHours);
    }
    if !official_venue {
        flags.push(Flag::NonOfficialVenue);
    }
    if overlapping_events > 0 {
        flags.push(Flag::VenueOverlap);
    }
    flags
}

/// Why an event may not be published now, if it may not.
pub fn publish_blocker(flags: &[Flag], approval_recorded: bool) -> Option<Flag> {
    if approval_recorded {
        return None;
    }
    flags.iter().copied().find(|f| f.needs_approval())
}

/// What a registration becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Registered,
    Waitlisted,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Registered => "registered",
            Placement::Waitlisted => "waitlisted",
        }
    }
}

/// A place while fewer than `capacity` hold one, else the waitlist.
pub fn place(registered: i64, capacity: i64) -> Placement {
    if registered < capacity {
        Placement::Registered
    } else {
        Placement::Waitlisted
    }
}

/// How many of the waitlist (in order) move up when `registered` hold places of `capacity`.
pub fn promotions(registered: i64, capacity: i64, waiting: usize) -> usize {
    let free = (capacity - registered).max(0) as usize;
    free.min(waiting)
}

/// Why a registration is refused. Words are the edge's business (`app::refusals`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationRefused {
    NotOpen,
    DeadlinePassed,
    UnitNotInvited,
}

/// A field of the event form, named in a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventField {
    Title,
    Agenda,
    Venue,
    VenueName,
    StartsAt,
    EndsAt,
    RegistrationDeadline,
    CaseNote,
    ApprovedBy,
    Reference,
    Reason,
    Summary,
}

/// Why a change to an event (or one of its registrations) is refused. The variant decides
/// the HTTP status at the edge: [`EventRefusal::is_invalid_input`] ones are 422, the rest 409.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventRefusal {
    // What was typed.
    /// A text field over its length limit.
    TooLong {
        field: EventField,
        max: usize,
    },
    /// A text field with control characters.
    ControlCharacters(EventField),
    /// A name (title, venue) with a text-direction control (`crate::text`).
    DirectionControls(EventField),
    TitleMissing,
    KindMissing,
    VenueMissing,
    /// A time field that is not a time.
    BadTime(EventField),
    EndsBeforeStart,
    LongerThanAWeek,
    StartInPast,
    DeadlineAfterStart,
    CapacityOutOfRange,
    OpenToMissing,
    UnknownUnit(String),
    BadCohost(String),
    ApprovalIncomplete,
    ApprovalDate,
    /// The approval is dated after the day the event starts.
    ApprovalAfterStart,
    /// A series without a known frequency.
    RuleMissing,
    /// The interval of a series rule is not 1 to 12.
    RuleInterval,
    /// A series rule needs a count (1 to the maximum) or an end date, not both.
    RuleEnd,
    /// The rule's end date is before the first occurrence.
    RuleUntilBeforeStart,
    /// The rule makes more occurrences than a series may have.
    TooManyOccurrences,
    ReasonMissing,
    SummaryMissing,
    PersonMissing,
    VenueNameMissing,
    /// The venue chosen is not on the list.
    VenueNotListed,
    VenueRetired,
    // The state of the event.
    NotEditable,
    /// The new capacity is below the number already registered.
    CapacityBelowRegistered(i64),
    NotADraft,
    StartPassed,
    /// Publishing waits for the approval this flag needs.
    NeedsApproval(Flag),
    NotCancellable,
    NotPublished,
    NotStarted,
    NotHeld,
    InvitationClosed,
    NoPendingInvitation,
    Registration(RegistrationRefused),
    UnregisterClosed,
    NotRegistered,
    CheckinClosed,
    CheckinWindow,
    WrongCheckinCode,
    /// Too many wrong check-in codes from this person for this event: minutes to wait.
    CheckinTries(i64),
    NoPlace,
    AttendanceClosed,
    PersonHasNoPlace,
}

impl EventRefusal {
    /// Whether the refusal is about what was typed (422) rather than the event's state (409).
    pub fn is_invalid_input(&self) -> bool {
        use EventRefusal::*;
        matches!(
            self,
            TooLong { .. }
                | ControlCharacters(_)
                | DirectionControls(_)
                | TitleMissing
                | KindMissing
                | VenueMissing
                | BadTime(_)
                | EndsBeforeStart
                | LongerThanAWeek
                | StartInPast
                | DeadlineAfterStart
                | CapacityOutOfRange
                | OpenToMissing
                | UnknownUnit(_)
                | BadCohost(_)
                | ApprovalIncomplete
                | ApprovalDate
                | ApprovalAfterStart
                | RuleMissing
                | RuleInterval
                | RuleEnd
                | RuleUntilBeforeStart
                | TooManyOccurrences
                | ReasonMissing
                | SummaryMissing
                | PersonMissing
                | VenueNameMissing
                | VenueNotListed
                | VenueRetired
        )
    }
}

impl From<RegistrationRefused> for EventRefusal {
    fn from(r: RegistrationRefused) -> Self {
        EventRefusal::Registration(r)
    }
}

/// Whether a member of `unit` may register now.
pub fn may_register(
    status: EventStatus,
    now: i64,
    deadline: i64,
    starts_at: i64,
    open_to: &[String],
    unit: Option<&str>,
) -> Result<(), RegistrationRefused> {
    if status != EventStatus::Published {
        return Err(RegistrationRefused::NotOpen);
    }
    if now > deadline || now >= starts_at {
        return Err(RegistrationRefused::DeadlinePassed);
    }
    match unit {
        Some(u) if open_to.iter().any(|o| o == u) => Ok(()),
        _ => Err(RegistrationRefused::UnitNotInvited),
    }
}

/// Attended hours of an event, rounded down to the quarter hour.
pub fn attended_hours(starts_at: i64, ends_at: i64) -> f64 {
    let quarters = (ends_at - starts_at).max(0) / (15 * MINUTE);
    quarters as f64 / 4.0
}

/// Whether two time ranges overlap (touching ends do not).
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTC ms of a Beijing local time on 2026-11-30 (a Monday) plus `days`.
    fn at(days: i64, h: i64, m: i64) -> i64 {
        // 2026-11-30 00:00 Beijing = 2026-11-29 16:00 UTC.
        let monday = 1_795_968_000_000;
        monday + days * DAY + h * 3_600_000 + m * MINUTE
    }

    #[test]
    fn the_fixed_monday_is_a_monday() {
        let (_, minute, weekday) = local_parts(at(0, 9, 0));
        assert_eq!((minute, weekday), (540, 0));
        assert_eq!(local_parts(at(5, 10, 0)).2, 5);
    }

    #[test]
    fn working_hours_table() {
        let wh = WorkingHours::default();
        let cases = [
            ((0, 9, 0), (0, 11, 0), true, "Monday morning"),
            ((0, 8, 30), (0, 12, 0), true, "whole morning period"),
            ((0, 14, 0), (0, 18, 0), true, "whole afternoon period"),
            (
                (0, 9, 0),
                (0, 17, 0),
                true,
                "full day through the midday break",
            ),
            ((0, 8, 0), (0, 10, 0), false, "starts before 08:30"),
            ((0, 16, 0), (0, 19, 0), false, "ends after 18:00"),
            ((0, 12, 30), (0, 13, 30), false, "inside the midday break"),
            ((0, 19, 0), (0, 21, 0), false, "evening"),
            ((5, 9, 0), (5, 11, 0), false, "Saturday"),
            ((6, 9, 0), (6, 11, 0), false, "Sunday"),
            ((4, 14, 0), (4, 17, 0), true, "Friday afternoon"),
            ((0, 9, 0), (1, 11, 0), false, "spans two days"),
            ((0, 11, 0), (0, 9, 0), false, "ends before it starts"),
        ];
        for ((d1, h1, m1), (d2, h2, m2), want, why) in cases {
            assert_eq!(wh.contains(at(d1, h1, m1), at(d2, h2, m2)), want, "{why}");
        }
    }

    #[test]
    fn working_hours_parse() {
        let wh = WorkingHours::parse_periods("14:00-17:30, 09:00-12:00").expect("valid");
        assert_eq!(
            wh.periods[0],
            Period {
                start: 540,
                end: 720
            }
        );
        assert!(wh.contains(at(0, 9, 0), at(0, 12, 0)));
        assert!(!wh.contains(at(0, 17, 0), at(0, 18, 0)));
        for bad in ["", "9-12", "12:00-09:00", "25:00-26:00", "08:61-09:00"] {
            assert!(WorkingHours::parse_periods(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_table() {
        let wh = WorkingHours::default();
        let day = (at(0, 9, 0), at(0, 11, 0));
        let night = (at(0, 19, 0), at(0, 21, 0));
        let cases = [
            (day, true, 0, vec![]),
            (night, true, 0, vec![Flag::OutsideWorkingHours]),
            (day, false, 0, vec![Flag::NonOfficialVenue]),
            (
                night,
                false,
                1,
                vec![
                    Flag::OutsideWorkingHours,
                    Flag::NonOfficialVenue,
                    Flag::VenueOverlap,
                ],
            ),
            (day, true, 2, vec![Flag::VenueOverlap]),
        ];
        for ((s, e), official, overlaps, want) in cases {
            assert_eq!(compliance_flags(&wh, s, e, official, overlaps), want);
        }
    }

    #[test]
    fn publishing_waits_for_approval_only_when_needed() {
        assert_eq!(publish_blocker(&[], false), None);
        assert_eq!(publish_blocker(&[Flag::VenueOverlap], false), None);
        assert_eq!(
            publish_blocker(&[Flag::VenueOverlap, Flag::NonOfficialVenue], false),
            Some(Flag::NonOfficialVenue)
        );
        assert_eq!(publish_blocker(&[Flag::OutsideWorkingHours], true), None);
    }

    #[test]
    fn placement_and_promotion() {
        assert_eq!(place(0, 10), Placement::Registered);
        assert_eq!(place(9, 10), Placement::Registered);
        assert_eq!(place(10, 10), Placement::Waitlisted);
        assert_eq!(place(12, 10), Placement::Waitlisted);
        assert_eq!(promotions(9, 10, 5), 1);
        assert_eq!(promotions(10, 10, 5), 0);
        assert_eq!(promotions(5, 10, 3), 3);
        assert_eq!(promotions(12, 10, 3), 0);
    }

    #[test]
    fn registration_rules() {
        let open = vec!["dz-court".to_string()];
        let (now, deadline, start) = (100, 200, 300);
        let ok = may_register(
            EventStatus::Published,
            now,
            deadline,
            start,
            &open,
            Some("dz-court"),
        );
        assert_eq!(ok, Ok(()));
        let cases = [
            (
                EventStatus::Draft,
                now,
                Some("dz-court"),
                RegistrationRefused::NotOpen,
            ),
            (
                EventStatus::Held,
                now,
                Some("dz-court"),
                RegistrationRefused::NotOpen,
            ),
            (
                EventStatus::Published,
                201,
                Some("dz-court"),
                RegistrationRefused::DeadlinePassed,
            ),
            (
                EventStatus::Published,
                now,
                Some("dz-psb"),
                RegistrationRefused::UnitNotInvited,
            ),
            (
                EventStatus::Published,
                now,
                None,
                RegistrationRefused::UnitNotInvited,
            ),
        ];
        for (status, t, unit, want) in cases {
            assert_eq!(
                may_register(status, t, deadline, start, &open, unit),
                Err(want)
            );
        }
    }

    #[test]
    fn life_cycle() {
        use EventStatus::*;
        assert!(Draft.can_become(Published));
        assert!(Published.can_become(Held));
        assert!(Held.can_become(Closed));
        assert!(Published.can_become(Cancelled));
        assert!(!Held.can_become(Cancelled));
        assert!(!Closed.can_become(Published));
        assert!(!Cancelled.can_become(Published));
        assert!(!Draft.can_become(Held));
    }

    #[test]
    fn hours_and_overlap() {
        assert_eq!(attended_hours(at(0, 9, 0), at(0, 11, 30)), 2.5);
        assert_eq!(attended_hours(at(0, 9, 0), at(0, 9, 20)), 0.25);
        assert!(overlaps((1, 5), (4, 8)));
        assert!(!overlaps((1, 5), (5, 8)));
        assert!(overlaps((1, 10), (3, 4)));
    }

    /// UTC ms of `h:m` Beijing time on `date`.
    fn on(date: &str, h: i64, m: i64) -> i64 {
        Date::parse(date).unwrap().days() * DAY + h * 3_600_000 + m * MINUTE - BEIJING_OFFSET_MS
    }

    #[test]
    fn holidays_and_make_up_days_table() {
        let year = crate::workdays::check_year(
            2025,
            &["2025-10-01", "2025-10-02"].map(String::from),
            &["2025-10-11", "2025-09-28"].map(String::from),
        )
        .unwrap();
        let mut wh = WorkingHours::default();
        wh.calendar.add_year(2025, year).unwrap();
        let cases = [
            ("2025-10-01", true, "1 October, a Wednesday holiday"),
            ("2025-10-02", true, "a Thursday in the holiday"),
            ("2025-10-11", false, "make-up Saturday"),
            ("2025-09-28", false, "make-up Sunday"),
            ("2025-10-18", true, "ordinary Saturday"),
            ("2025-10-13", false, "ordinary Monday"),
        ];
        for (date, flagged, why) in cases {
            let flags = compliance_flags(&wh, on(date, 9, 0), on(date, 11, 0), true, 0);
            assert_eq!(flags.contains(&Flag::OutsideWorkingHours), flagged, "{why}");
        }
        // Without the lists only Monday to Friday count.
        assert!(WorkingHours::default().contains(on("2025-10-01", 9, 0), on("2025-10-01", 11, 0)));
    }

    #[test]
    fn approval_must_be_dated_by_the_start() {
        let start = on("2027-03-02", 9, 0);
        let cases = [
            ("2027-02-20", true),
            ("2027-03-02", true),
            ("2027-03-03", false),
            ("2028-01-01", false),
        ];
        for (date, ok) in cases {
            assert_eq!(
                approval_in_time(Date::parse(date).unwrap(), start),
                ok,
                "{date}"
            );
        }
        // 00:30 Beijing is the previous day in UTC: the Beijing date counts.
        let early = on("2027-03-02", 0, 30);
        assert!(approval_in_time(Date::parse("2027-03-02").unwrap(), early));
    }
}
