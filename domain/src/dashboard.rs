//! Figures of the information-sharing platform (Article 9): counts of leads by status, rule,
//! discovering unit and month, overdue cases, and median times to acknowledge and to feed back.
//! A pure function over the leads a unit may see, so the numbers are tested by hand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::{overdue, CaseFacts, Deadlines, Step};

/// What the figures need to know about one lead.
#[derive(Clone, Debug)]
pub struct LeadFacts {
    pub created_at: i64,
    pub status: String,
    pub rule: String,
    pub discoverer: String,
    pub route: Option<Vec<String>>,
    pub steps: Vec<Step>,
    pub feedback_at: Option<i64>,
}

/// The dashboard's figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub total: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub by_discoverer: BTreeMap<String, usize>,
    /// `YYYY-MM` (Beijing time) → count.
    pub by_month: BTreeMap<String, usize>,
    /// Open cases with at least one deadline passed.
    pub overdue_cases: usize,
    /// Median hours from a hand-over being sent to its acknowledgement.
    pub median_hours_to_acknowledge: Option<f64>,
    /// Median days from the first hand-over to the discoverer having the feedback.
    pub median_days_to_feedback: Option<f64>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// `YYYY-MM` of a millisecond timestamp in UTC+8 (China has no daylight saving time).
pub fn month_of(ms: i64) -> String {
    // Days since 1970-01-01 in UTC+8, then the civil date (Howard Hinnant's algorithm).
    let days = (ms + 8 * 3_600_000).div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    format!("{year:04}-{month:02}")
}

/// Computes the figures over `leads` at `now`.
pub fn figures(leads: &[LeadFacts], now: i64, deadlines: Deadlines) -> Figures {
    let mut f = Figures {
        total: leads.len(),
        ..Default::default()
    };
    let mut ack_hours = Vec::new();
    let mut feedback_days = Vec::new();
    for l in leads {
        *f.by_status.entry(l.status.clone()).or_default() += 1;
        *f.by_rule.entry(l.rule.clone()).or_default() += 1;
        *f.by_discoverer.entry(l.discoverer.clone()).or_default() += 1;
        *f.by_month.entry(month_of(l.created_at)).or_default() += 1;
        for s in &l.steps {
            if let Some(a) = s.acknowledged_at {
                ack_hours.push((a - s.sent_at) as f64 / 3_600_000.0);
            }
        }
        if let (Some(first), Some(fb)) = (l.steps.first(), l.feedback_at) {
            feedback_days.push((fb - first.sent_at) as f64 / 86_400_000.0);
        }
        let facts = CaseFacts {
            discoverer: l.discoverer.clone(),
            route: l.route.clone(),
            steps: l.steps.clone(),
            outcome_recorded: l.feedback_at.is_some(),
            feedback_sent: l.feedback_at.is_some(),
            closed: l.status == "closed",
            ..Default::default()
        };
        if !overdue(&facts, now, deadlines).is_empty() {
            f.overdue_cases += 1;
        }
    }
    f.median_hours_to_acknowledge = median(ack_hours);
    f.median_days_to_feedback = median(feedback_days);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;

    fn step(sent: i64, ack: Option<i64>) -> Step {
        Step {
            hop: 1,
            sender: "dz-justice".into(),
            receiver: "dz-court".into(),
            sent_at: sent,
            acknowledged_at: ack,
            passed_on_at: None,
        }
    }

    fn lead(
        created: i64,
        status: &str,
        rule: &str,
        steps: Vec<Step>,
        feedback: Option<i64>,
    ) -> LeadFacts {
        LeadFacts {
            created_at: created,
            status: status.into(),
            rule: rule.into(),
            discoverer: "dz-justice".into(),
            route: Some(vec!["dz-justice".into(), "dz-court".into()]),
            steps,
            feedback_at: feedback,
        }
    }

    #[test]
    fn months_are_beijing_time() {
        for (ms, month) in [
            (0, "1970-01"),
            (1_780_000_000_000, "2026-05"),
            (1_798_732_800_000, "2027-01"),
            (1_798_732_800_000 - 1, "2026-12"),
        ] {
            assert_eq!(month_of(ms), month, "{ms}");
        }
    }

    #[test]
    fn figures_count_and_take_medians() {
        let now = 100 * D;
        let leads = vec![
            lead(0, "closed", "R1", vec![step(0, Some(2 * H))], Some(10 * D)),
            lead(D, "open", "R1", vec![step(D, Some(D + 4 * H))], None),
            lead(2 * D, "open", "R3", vec![step(2 * D, None)], None),
            lead(3 * D, "manual", "R10", vec![], None),
        ];
        let f = figures(&leads, now, Deadlines::default());
        assert_eq!(f.total, 4);
        assert_eq!(f.by_status.get("open"), Some(&2));
        assert_eq!(f.by_rule.get("R1"), Some(&2));
        assert_eq!(f.by_discoverer.get("dz-justice"), Some(&4));
        assert_eq!(f.by_month.get("1970-01"), Some(&4));
        assert_eq!(f.median_hours_to_acknowledge, Some(3.0));
        assert_eq!(f.median_days_to_feedback, Some(10.0));
        // Lead 2 (feedback overdue after 30 days) and lead 3 (not acknowledged) are overdue.
        assert_eq!(f.overdue_cases, 2);
        assert_eq!(figures(&[], now, Deadlines::default()), Figures::default());
    }
}
