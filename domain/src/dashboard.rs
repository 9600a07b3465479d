//! Figures of the information-sharing platform (Article 9): counts of leads by status, rule,
//! discovering unit and month, overdue cases, manual cases about the joint office's own staff,
//! and median times to acknowledge and to feed back. The counts come from aggregate SQL over
//! every lead a unit may see (no cap); overdue cases are decided by `case::overdue` over the
//! open cases only (a closed case is never overdue); the medians over the durations alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::{overdue, CaseFacts, Deadlines};

/// Counts computed by the database over every lead a unit may see.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeadCounts {
    pub total: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub by_discoverer: BTreeMap<String, usize>,
    /// `YYYY-MM` (Beijing time) → count.
    pub by_month: BTreeMap<String, usize>,
    /// Leads about the joint office's own staff (see `case::routing_conflict`).
    pub routing_conflicts: usize,
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
    /// Leads about the joint office's own staff, which it routes itself (a conflict of interest
    /// the case file warns of).
    pub routing_conflicts: usize,
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

/// The figures from the database's `counts`, the facts of the open cases, and the durations
/// (milliseconds) from hand-over to acknowledgement and from first hand-over to feedback.
pub fn figures(
    counts: LeadCounts,
    open_cases: &[CaseFacts],
    ack_ms: &[i64],
    feedback_ms: &[i64],
    now: i64,
    deadlines: Deadlines,
) -> Figures {
    Figures {
        total: counts.total,
        by_status: counts.by_status,
        by_rule: counts.by_rule,
        by_discoverer: counts.by_discoverer,
        by_month: counts.by_month,
        routing_conflicts: counts.routing_conflicts,
        overdue_cases: open_cases
            .iter()
            .filter(|f| !overdue(f, now, deadlines).is_empty())
            .count(),
        median_hours_to_acknowledge: median(
            ack_ms.iter().map(|&ms| ms as f64 / 3_600_000.0).collect(),
        ),
        median_days_to_feedback: median(
            feedback_ms
                .iter()
                .map(|&ms| ms as f64 / 86_400_000.0)
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;

    fn open_case(created: i64, sent: i64, acked: bool) -> CaseFacts {
        CaseFacts {
            discoverer: "dz-justice".into(),
            route: Some(vec!["dz-justice".into(), "dz-court".into()]),
            created_at: created,
            steps: vec![crate::case::Step {
                hop: 1,
                sender: "dz-justice".into(),
                receiver: "dz-court".into(),
                sent_at: sent,
                acknowledged_at: acked.then_some(sent + H),
                passed_on_at: None,
            }],
            ..Default::default()
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
    fn figures_take_counts_overdue_and_medians() {
        let now = 100 * D;
        let counts = LeadCounts {
            total: 1005,
            routing_conflicts: 2,
            ..Default::default()
        };
        let open = vec![
            // Acknowledged, feedback long overdue.
            open_case(D, D, true),
            // Not acknowledged for a long time.
            open_case(98 * D, 90 * D, false),
            // Recent and acknowledged: nothing late.
            open_case(99 * D, 99 * D, true),
            // A manual case the joint office has not routed for a week.
            CaseFacts {
                discoverer: "dz-bar".into(),
                created_at: 93 * D,
                ..Default::default()
            },
        ];
        let f = figures(
            counts,
            &open,
            &[2 * H, 4 * H, 3 * H],
            &[10 * D, 12 * D],
            now,
            Deadlines::default(),
        );
        assert_eq!(f.total, 1005);
        assert_eq!(f.routing_conflicts, 2);
        assert_eq!(f.overdue_cases, 3);
        assert_eq!(f.median_hours_to_acknowledge, Some(3.0));
        assert_eq!(f.median_days_to_feedback, Some(11.0));
        assert_eq!(
            figures(
                LeadCounts::default(),
                &[],
                &[],
                &[],
                now,
                Deadlines::default()
            ),
            Figures::default()
        );
    }
}
