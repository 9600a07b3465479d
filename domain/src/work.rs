//! A person's own work as the home page lists it: the next deadline a unit has on a case.
//! The deadlines are the portal's local ones ([`Deadlines`]), not the regulation's.

use crate::case::{CaseFacts, Deadlines};

/// What a unit has to do next on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueAction {
    Acknowledge,
    PassOn,
    Feedback,
    /// An internal case (R8, R9): its findings and outcome.
    Findings,
}

/// The next thing `unit` has to do on a case, and by when (ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextDeadline {
    pub action: DueAction,
    pub at: i64,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The earliest deadline that `unit` has on an open case: acknowledging a hand-over sent to
/// it, passing it on when it is not the final receiver, or the feedback when it is. The clocks
/// are those of [`crate::case::overdue`], so a deadline listed here turns into that overdue
/// entry once it passes. `None` when nothing waits for the unit.
pub fn next_deadline(facts: &CaseFacts, unit: &str, d: Deadlines) -> Option<NextDeadline> {
    if facts.closed {
        return None;
    }
    // A manual case has no route yet: the joint office's list of cases to route shows it,
    // with the routing clock of `case::overdue`.
    let route = facts.route.as_ref()?;
    if route.len() == 1 {
        return (facts.discoverer == unit && !facts.feedback_complete()).then(|| NextDeadline {
            action: DueAction::Findings,
            at: facts.created_at + d.internal_days * DAY_MS,
        });
    }
    let final_unit = facts.final_receiver();
    let mut due: Vec<NextDeadline> = facts
        .steps
        .iter()
        .filter(|s| s.receiver == unit && facts.in_portal(&s.receiver))
        .filter_map(|s| match (s.acknowledged_at, s.passed_on_at) {
            (None, _) => Some(NextDeadline {
                action: DueAction::Acknowledge,
                at: s.sent_at + d.acknowledge_days * DAY_MS,
            }),
            (Some(_), None) if final_unit != Some(unit) => Some(NextDeadline {
                action: DueAction::PassOn,
                at: s.sent_at + d.pass_on_days * DAY_MS,
            }),
            _ => None,
        })
        .collect();
    if let (Some(first), Some(final_unit)) = (facts.steps.first(), final_unit) {
        let reached = facts.steps.iter().any(|s| s.receiver == final_unit);
        if final_unit == unit && reached && !facts.feedback_complete() {
            due.push(NextDeadline {
                action: DueAction::Feedback,
                at: first.sent_at + d.feedback_days * DAY_MS,
            });
        }
    }
    due.into_iter().min_by_key(|n| n.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Step;

    fn step(hop: i64, from: &str, to: &str, ack: Option<i64>, passed: Option<i64>) -> Step {
        Step {
            hop,
            sender: from.into(),
            receiver: to.into(),
            sent_at: 0,
            acknowledged_at: ack,
            passed_on_at: passed,
        }
    }

    fn facts(steps: Vec<Step>) -> CaseFacts {
        CaseFacts {
            discoverer: "a".into(),
            route: Some(vec!["a".into(), "b".into(), "c".into()]),
            steps,
            ..Default::default()
        }
    }

    #[test]
    fn the_next_deadline_follows_the_case() {
        let d = Deadlines::default();
        let day = DAY_MS;
        use DueAction::*;
        // (what, facts, unit, expected action and deadline)
        type Case = (
            &'static str,
            CaseFacts,
            &'static str,
            Option<(DueAction, i64)>,
        );
        let cases: Vec<Case> = vec![
            (
                "sent to b, not acknowledged",
                facts(vec![step(1, "a", "b", None, None)]),
                "b",
                Some((Acknowledge, 3 * day)),
            ),
            (
                "b acknowledged, must pass on to c",
                facts(vec![step(1, "a", "b", Some(1), None)]),
                "b",
                Some((PassOn, 5 * day)),
            ),
            (
                "b passed on: nothing waits for b",
                facts(vec![
                    step(1, "a", "b", Some(1), Some(2)),
                    step(2, "b", "c", None, None),
                ]),
                "b",
                None,
            ),
            (
                "c must acknowledge first",
                facts(vec![
                    step(1, "a", "b", Some(1), Some(2)),
                    step(2, "b", "c", None, None),
                ]),
                "c",
                Some((Acknowledge, 3 * day)),
            ),
            (
                "c acknowledged: the feedback is due",
                facts(vec![
                    step(1, "a", "b", Some(1), Some(2)),
                    step(2, "b", "c", Some(3), None),
                ]),
                "c",
                Some((Feedback, 30 * day)),
            ),
            (
                "the discoverer waits, with nothing to do",
                facts(vec![step(1, "a", "b", None, None)]),
                "a",
                None,
            ),
            (
                "a unit off the route",
                facts(vec![step(1, "a", "b", None, None)]),
                "x",
                None,
            ),
        ];
        for (what, f, unit, want) in cases {
            let got = next_deadline(&f, unit, d).map(|n| (n.action, n.at));
            assert_eq!(got, want, "{what}");
        }
        let mut closed = facts(vec![step(1, "a", "b", None, None)]);
        closed.closed = true;
        assert_eq!(next_deadline(&closed, "b", d), None, "a closed case");
        let mut fed_back = facts(vec![
            step(1, "a", "b", Some(1), Some(2)),
            step(2, "b", "c", Some(3), None),
        ]);
        fed_back.outcomes = vec![crate::case::OutcomeOnFile {
            body: "c".into(),
            recorded_by: "c".into(),
            outcomes: vec![],
        }];
        fed_back.feedback_sent = true;
        assert_eq!(next_deadline(&fed_back, "c", d), None, "feedback given");
        // A manual case is on the joint office's routing list, not here.
        let mut manual = facts(vec![]);
        manual.route = None;
        assert_eq!(next_deadline(&manual, "a", d), None, "a manual case");
        // An internal case: the discoverer's own findings and outcome.
        let mut internal = facts(vec![]);
        internal.route = Some(vec!["a".into()]);
        internal.created_at = 5;
        assert_eq!(
            next_deadline(&internal, "a", d),
            Some(NextDeadline {
                action: DueAction::Findings,
                at: 5 + d.internal_days * DAY_MS
            }),
            "an internal case"
        );
        assert_eq!(next_deadline(&internal, "b", d), None, "not another unit's");
    }
}
