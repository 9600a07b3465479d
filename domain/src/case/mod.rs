//! The life of a lead after routing (lead-routing.md, "After routing", as refined by issue 15):
//! who may see it, which actions each unit may take at each moment, what each receiver has
//! verified, when feedback has reached the discoverer, which outcomes Article 13 gives to which
//! body ([`outcomes`]), and which deadlines are overdue ([`deadlines`]). Pure functions over the
//! case facts, so every transition is table-tested without a database. The rules are written
//! out in ARCHITECTURE.md ("Leads after routing").

use serde::{Deserialize, Serialize};

use crate::directory::UnitKind;

mod codes;
mod deadlines;
mod outcomes;
mod refusals;

pub use codes::{ConductKind, Duty, Outcome};
pub use deadlines::{overdue, Deadlines, Overdue};
pub use outcomes::{check_outcomes, OutcomeRefusal};
pub use refusals::{CaseRefusal, InputRefusal, LeadField, LeadRefusal, LeadWarning};

/// One hand-over as recorded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub hop: i64,
    pub sender: String,
    pub receiver: String,
    pub sent_at: i64,
    pub acknowledged_at: Option<i64>,
    pub passed_on_at: Option<i64>,
}

/// A unit on a case's route, as the rules need to know it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: UnitKind,
    /// Whether the unit takes part in the portal (has an active lead handler). A hand-over to
    /// a unit outside the portal goes by letter, and its reply is recorded for it.
    pub in_portal: bool,
}

/// Whom a case is about, as the outcome rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseSubject {
    /// Judicial personnel of `org` (Art. 14).
    JudicialPersonnel {
        org: Option<String>,
    },
    Lawyer,
}

impl Default for CaseSubject {
    fn default() -> Self {
        CaseSubject::JudicialPersonnel { org: None }
    }
}

/// An Article 13 outcome on file: whose it is (the body that decided it) and who recorded it
/// (the same body, or for a body outside the portal the unit that recorded its letter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeOnFile {
    pub body: String,
    pub recorded_by: String,
    pub outcomes: Vec<Outcome>,
}

/// What the rules need to know about a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub discoverer: String,
    /// The route in force (discoverer first); `None` while the joint office has not routed a
    /// manual case.
    pub route: Option<Vec<String>>,
    pub steps: Vec<Step>,
    /// The units of the route with their kind and whether they take part in the portal.
    pub parties: Vec<Party>,
    pub subject: CaseSubject,
    /// When the lead was recorded (ms): the clock of a manual or internal case.
    pub created_at: i64,
    /// Units with verification findings on file (their own, or their letter's).
    pub findings_by: Vec<String>,
    /// Units that recorded why they did not verify (e.g. passed on for jurisdiction).
    pub not_verified_by: Vec<String>,
    pub outcomes: Vec<OutcomeOnFile>,
    pub feedback_sent: bool,
    pub closed: bool,
}

/// Something a unit can do on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The joint office chooses the receivers of a manual case.
    Route,
    /// 签收 the hand-over addressed to this unit.
    Acknowledge,
    /// Pass the lead on to exactly the next unit of the route (by letter when that unit is
    /// outside the portal).
    PassOn {
        to: String,
    },
    /// Record verification findings (调查核实).
    Findings,
    /// Record why this unit does not verify (for example: passed on for jurisdiction).
    NotVerified,
    /// Record this body's own Article 13 outcome(s).
    Outcome,
    /// Record the reply of `from`, an organ outside the portal the lead went to by letter: it
    /// counts as that organ's findings and outcome.
    ExternalReply {
        from: String,
    },
    /// Send the findings and outcome back to the discoverer.
    Feedback,
    Close,
    Reopen,
    Message,
}

/// Whether a receiving unit has verified, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    Findings,
    /// A reason for not verifying is on file.
    Reason,
    Missing,
}

impl CaseFacts {
    /// The unit that records the outcome: the last of the route.
    pub fn final_receiver(&self) -> Option<&str> {
        self.route
            .as_ref()
            .and_then(|r| r.last())
            .map(String::as_str)
    }

    /// The kind of a unit of the route.
    pub fn kind_of(&self, unit: &str) -> Option<UnitKind> {
        self.parties.iter().find(|p| p.code == unit).map(|p| p.kind)
    }

    /// Whether `unit` takes part in the portal. A unit the facts do not list is taken to.
    pub fn in_portal(&self, unit: &str) -> bool {
        self.parties
            .iter()
            .find(|p| p.code == unit)
            .is_none_or(|p| p.in_portal)
    }

    /// Whether `unit` has the lead in hand: it is the discoverer, or a hand-over reached it.
    fn reached(&self, unit: &str) -> bool {
        unit == self.discoverer || self.steps.iter().any(|s| s.receiver == unit)
    }

    fn acknowledged_by(&self, unit: &str) -> bool {
        self.steps
            .iter()
            .any(|s| s.receiver == unit && s.acknowledged_at.is_some())
    }

    fn internal(&self) -> bool {
        self.route.as_ref().is_some_and(|r| r.len() == 1)
    }

    /// The first hand-over that went by letter to a unit outside the portal, if any.
    fn letter_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| !self.in_portal(&s.receiver))
    }

    /// The units whose replies may be recorded as received outside the portal: from the first
    /// unit reached by letter to the end of the route, those outside the portal (the lead goes
    /// on by letter from there).
    pub fn outside_units(&self) -> Vec<String> {
        let (Some(step), Some(route)) = (self.letter_step(), &self.route) else {
            return Vec::new();
        };
        let from = route.iter().position(|u| *u == step.receiver).unwrap_or(0);
        route[from..]
            .iter()
            .filter(|u| !self.in_portal(u))
            .cloned()
            .collect()
    }

    /// Who may record a reply received outside the portal: the unit that sent the letter.
    /// (The joint office may always, see [`allowed_actions`].)
    fn letter_sender(&self) -> Option<&str> {
        self.letter_step().map(|s| s.sender.as_str())
    }

    /// Every unit the lead reached after the discoverer, in route order: the receivers of the
    /// hand-overs and, past a letter to a unit outside the portal, the rest of the route.
    pub fn receivers(&self) -> Vec<String> {
        let mut out: Vec<String> = self.steps.iter().map(|s| s.receiver.clone()).collect();
        out.extend(self.outside_units());
        let mut seen = std::collections::HashSet::new();
        out.retain(|u| *u != self.discoverer && seen.insert(u.clone()));
        out
    }

    /// How `unit` stands on verification.
    pub fn verification(&self, unit: &str) -> Verification {
        if self.findings_by.iter().any(|u| u == unit) {
            Verification::Findings
        } else if self.not_verified_by.iter().any(|u| u == unit) {
            Verification::Reason
        } else {
            Verification::Missing
        }
    }

    /// Receivers with neither findings nor a reason on file: closing waits for them.
    pub fn unverified(&self) -> Vec<String> {
        self.receivers()
            .into_iter()
            .filter(|u| self.verification(u) == Verification::Missing)
            .collect()
    }

    /// The outcome of the final receiver (its own, or its letter's), if on file.
    fn final_outcome(&self) -> Option<&OutcomeOnFile> {
        let last = self.final_receiver()?;
        self.outcomes.iter().find(|o| o.body == last)
    }

    /// Whether the final receiver's outcome is on file.
    pub fn outcome_recorded(&self) -> bool {
        self.final_outcome().is_some()
    }

    /// Whether the discoverer has the findings and outcome: fed back, or the discoverer is the
    /// final receiver (internal handling), or the discoverer itself recorded the final
    /// receiver's letter.
    pub fn feedback_complete(&self) -> bool {
        let Some(outcome) = self.final_outcome() else {
            return false;
        };
        self.feedback_sent
            || self.final_receiver() == Some(self.discoverer.as_str())
            || outcome.recorded_by == self.discoverer
    }

    /// Who feeds back to the discoverer: the final receiver when it takes part in the portal,
    /// else the unit that sent the letter or the joint office.
    fn feeds_back(&self, unit: &str, joint_office: bool) -> bool {
        match self.final_receiver() {
            Some(last) if self.in_portal(last) => last == unit,
            Some(_) => joint_office || self.letter_sender() == Some(unit),
            None => false,
        }
    }
}

/// Who may see a case: the discoverer, the units a hand-over has reached, the joint office.
pub fn visible_to(facts: &CaseFacts, unit: &str, joint_office: bool) -> bool {
    joint_office || facts.reached(unit)
}

/// The actions `unit` may take now. `joint_office` is true for the lead handlers of the home
/// justice bureau acting as the joint office.
pub fn allowed_actions(facts: &CaseFacts, unit: &str, joint_office: bool) -> Vec<Action> {
    let mut out = Vec::new();
    if !visible_to(facts, unit, joint_office) {
        return out;
    }
    let is_final = facts.final_receiver() == Some(unit);
    if facts.closed {
        if unit == facts.discoverer || joint_office || is_final {
            out.push(Action::Reopen);
        }
        out.push(Action::Message);
        return out;
    }
    let Some(route) = &facts.route else {
        if joint_office {
            out.push(Action::Route);
        }
        out.push(Action::Message);
        return out;
    };
    for s in facts.steps.iter().filter(|s| s.receiver == unit) {
        if s.acknowledged_at.is_none() {
            out.push(Action::Acknowledge);
        } else if s.passed_on_at.is_none() && !is_final {
            if let Some(next) = route.get(s.hop as usize + 1) {
                out.push(Action::PassOn { to: next.clone() });
            }
        }
    }
    let internal = facts.internal() && unit == facts.discoverer;
    let in_hand = internal || facts.acknowledged_by(unit);
    if in_hand {
        out.push(Action::Findings);
        if !internal {
            out.push(Action::NotVerified);
        }
    }
    // Every body in hand that verified may record its own outcome; Article 13 decides which
    // (check_outcomes). The final receiver's outcome is the one closing needs.
    if in_hand && facts.findings_by.iter().any(|u| u == unit) {
        out.push(Action::Outcome);
    }
    if joint_office || facts.letter_sender() == Some(unit) {
        for from in facts.outside_units() {
            out.push(Action::ExternalReply { from });
        }
    }
    if facts.outcome_recorded()
        && !facts.feedback_sent
        && !facts.feedback_complete()
        && unit != facts.discoverer
        && facts.feeds_back(unit, joint_office)
    {
        out.push(Action::Feedback);
    }
    if facts.feedback_complete() && (unit == facts.discoverer || joint_office) {
        out.push(Action::Close);
    }
    out.push(Action::Message);
    out
}

/// Whether `unit` may close the case now: [`allowed_actions`] offers closing once the
/// discoverer has the feedback; every receiver must also have verified or said why not.
pub fn check_close(facts: &CaseFacts) -> Result<(), CaseRefusal> {
    let missing = facts.unverified();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CaseRefusal::VerificationMissing(missing))
    }
}

/// A case another unit reported about the joint office's own staff (a subject of the home
/// justice bureau, R10) is routed by the unit it accuses: the case file warns of the conflict.
pub fn routing_conflict(facts: &CaseFacts, joint_office_unit: &str) -> bool {
    facts.discoverer != joint_office_unit
        && matches!(&facts.subject, CaseSubject::JudicialPersonnel { org: Some(o) } if o == joint_office_unit)
}

/// Whether a unit of `kind` may be a receiver of a manual routing: organs, justice bureaus
/// and associations; never a law firm.
pub fn may_receive(kind: UnitKind) -> bool {
    kind != UnitKind::LawFirm
}

#[cfg(test)]
mod tests;
