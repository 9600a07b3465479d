//! Local deadlines (policy, not in the regulation): acknowledging, passing on and feeding back
//! a hand-over, routing a manual case (the joint office), and an internal case's findings and
//! outcome. Every open case has a clock.

use serde::{Deserialize, Serialize};

use super::CaseFacts;

/// Local deadlines in days: hand-overs count from dispatch, manual routing and internal cases
/// from the lead's recording.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub acknowledge_days: i64,
    pub pass_on_days: i64,
    pub feedback_days: i64,
    /// The joint office routes a manual case within this many days.
    pub route_days: i64,
    /// An internal case (R8, R9) has its findings and outcome within this many days.
    pub internal_days: i64,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            acknowledge_days: 3,
            pass_on_days: 5,
            feedback_days: 30,
            route_days: 5,
            internal_days: 30,
        }
    }
}

/// A deadline that has passed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// `acknowledge`, `pass_on`, `feedback`, `route` (the joint office, a manual case) or
    /// `internal` (the discoverer's own findings and outcome).
    pub what: String,
    /// The unit that is late (empty for `route`: the joint office).
    pub unit: String,
    /// When the clock started (ms).
    pub since: i64,
}

pub(super) const DAY_MS: i64 = 24 * 3600 * 1000;

/// Every deadline of an open case that has passed at `now`. A unit outside the portal
/// neither acknowledges nor passes on in the portal, so only the feedback clock runs for it.
pub fn overdue(facts: &CaseFacts, now: i64, d: Deadlines) -> Vec<Overdue> {
    let mut out = Vec::new();
    if facts.closed {
        return out;
    }
    let late = |what: &str, unit: &str, since: i64| Overdue {
        what: what.into(),
        unit: unit.into(),
        since,
    };
    let Some(route) = &facts.route else {
        if now - facts.created_at > d.route_days * DAY_MS {
            out.push(late("route", "", facts.created_at));
        }
        return out;
    };
    if route.len() == 1 {
        if !facts.feedback_complete() && now - facts.created_at > d.internal_days * DAY_MS {
            out.push(late("internal", &facts.discoverer, facts.created_at));
        }
        return out;
    }
    let final_unit = facts.final_receiver().unwrap_or_default();
    for s in facts.steps.iter().filter(|s| facts.in_portal(&s.receiver)) {
        match s.acknowledged_at {
            None if now - s.sent_at > d.acknowledge_days * DAY_MS => {
                out.push(late("acknowledge", &s.receiver, s.sent_at))
            }
            Some(_)
                if s.passed_on_at.is_none()
                    && s.receiver != final_unit
                    && now - s.sent_at > d.pass_on_days * DAY_MS =>
            {
                out.push(late("pass_on", &s.receiver, s.sent_at))
            }
            _ => {}
        }
    }
    if let Some(first) = facts.steps.first() {
        if !facts.feedback_complete() && now - first.sent_at > d.feedback_days * DAY_MS {
            out.push(late("feedback", final_unit, first.sent_at));
        }
    }
    out
}
