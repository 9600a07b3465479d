//! Training reports (Articles 10–11): which units' figures an administrator may see, the
//! figures themselves (sums and rates) and the cumulative completion series of the chart.
//!
//! Pure (no database, no clock), so the visibility rule and the numbers are table-tested; the
//! store computes the raw counts with aggregate SQL.
//!
//! Who sees what:
//! - the system administrator: every unit;
//! - the training administrator of a municipal unit at the top of its system (no parent): every
//!   unit of the same kind, at municipal level and in every district (the high court sees every
//!   court), and for the justice bureau and the lawyers' association (who train lawyers under
//!   Article 11) also every law firm;
//! - the training administrator of another municipal unit: its unit and the units whose parent
//!   it is (the directory records only certain parents);
//! - the training administrator of a district justice bureau or lawyers' association: its unit
//!   and the law firms of its district;
//! - any other training administrator: its own unit.

use serde::{Deserialize, Serialize};

use crate::directory::{Directory, Level, Unit, UnitKind, REGIONS};

/// Who asks for a report.
#[derive(Clone, Copy, Debug)]
pub enum Viewer<'a> {
    /// The system administrator.
    SystemAdmin,
    /// A training administrator of the unit with this code.
    TrainingAdmin(&'a str),
}

fn region_rank(code: &str) -> usize {
    REGIONS
        .iter()
        .position(|r| r.code == code)
        .unwrap_or(REGIONS.len())
}

/// The units whose training figures `viewer` may see, by region (municipal first, then the
/// districts in directory order) and code. Empty for an unknown unit.
pub fn visible_units(dir: &Directory, viewer: Viewer) -> Vec<Unit> {
    let trains_lawyers =
        |k: UnitKind| matches!(k, UnitKind::JusticeBureau | UnitKind::BarAssociation);
    let mut out: Vec<Unit> = match viewer {
        Viewer::SystemAdmin => dir.units().to_vec(),
        Viewer::TrainingAdmin(code) => {
            let Some(own) = dir.get(code) else {
                return Vec::new();
            };
            dir.units()
                .iter()
                .filter(|u| {
                    u.code == own.code
                        || match own.level {
                            // The top of a municipal system (no parent) sees its kind.
                            Level::Municipal if own.parent.is_none() => {
                                u.kind == own.kind
                                    || u.parent.as_deref() == Some(own.code.as_str())
                                    || (trains_lawyers(own.kind) && u.kind == UnitKind::LawFirm)
                            }
                            Level::Municipal => u.parent.as_deref() == Some(own.code.as_str()),
                            Level::District => {
                                trains_lawyers(own.kind)
                                    && u.kind == UnitKind::LawFirm
                                    && u.region == own.region
                            }
                        }
                })
                .cloned()
                .collect()
        }
    };
    out.sort_by(|a, b| (region_rank(&a.region), &a.code).cmp(&(region_rank(&b.region), &b.code)));
    out
}

/// The units whose training figures the Article 9 dashboard shows a lead handler: the joint
/// office (the home district's justice bureau) every unit of the home district, any other
/// handler its own unit.
pub fn dashboard_units(dir: &Directory, unit: &str, joint_office: bool) -> Vec<Unit> {
    let mut out: Vec<Unit> = dir
        .units()
        .iter()
        .filter(|u| {
            u.code == unit
                || (joint_office && u.level == Level::District && u.region == dir.home_region)
        })
        .cloned()
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// Training figures of a unit and course (or a sum of them).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// People a course is assigned to (each person and course once, by its earliest due date).
    pub assigned: u64,
    /// Of those, people holding a valid certificate of the course.
    pub completed: u64,
    /// Of those, people without one after the due date.
    pub overdue: u64,
    /// Submitted exam attempts.
    pub attempts: u64,
    /// Of those, passed.
    pub passed: u64,
    /// People holding a valid certificate of the course, assigned or not.
    pub holders: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.assigned += o.assigned;
        self.completed += o.completed;
        self.overdue += o.overdue;
        self.attempts += o.attempts;
        self.passed += o.passed;
        self.holders += o.holders;
    }
}

impl std::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        let mut total = Counts::default();
        for c in iter {
            total += c;
        }
        total
    }
}

/// `part` of `whole` as a whole percentage, rounded half up; `None` when `whole` is 0.
pub fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 200 + whole) / (2 * whole))
}

impl Counts {
    /// Share of the assigned people who completed, in percent.
    pub fn completion_rate(&self) -> Option<u64> {
        percent(self.completed, self.assigned)
    }

    /// Share of the submitted attempts that passed, in percent.
    pub fn pass_rate(&self) -> Option<u64> {
        percent(self.passed, self.attempts)
    }
}

/// A percentage for display: `80%`, or `—` when there is nothing to divide.
pub fn show_percent(p: Option<u64>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

const DAY_MS: i64 = 86_400_000;
const BEIJING_MS: i64 = 8 * 3_600_000;

/// The Beijing calendar day (days since 1970-01-01 in UTC+8) of a Unix millisecond time.
pub fn day_of(ms: i64) -> i64 {
    (ms + BEIJING_MS).div_euclid(DAY_MS)
}

/// `yyyy-mm-dd` of a day number of [`day_of`] (Howard Hinnant's civil-from-days).
pub fn date_of_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A cumulative completion series: one point per day, or per week (the last day of each
/// week from the start) when the span is longer than [`DAILY_SPAN`] days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    pub weekly: bool,
    /// (day, completions on or before that day).
    pub points: Vec<(i64, u64)>,
}

/// Longest span drawn day by day.
pub const DAILY_SPAN: i64 = 92;

/// The cumulative series over `from..=to` of completions counted per day in `per_day`
/// (completions before `from` are in the first point; those after `to` are left out).
pub fn cumulative(per_day: &[(i64, u64)], from: i64, to: i64) -> Series {
    let to = to.max(from);
    let weekly = to - from + 1 > DAILY_SPAN;
    let step = if weekly { 7 } else { 1 };
    let mut days: Vec<i64> = (0..)
        .map(|i| from + step - 1 + i * step)
        .take_while(|d| *d < to)
        .collect();
    days.push(to);
    let points = days
        .into_iter()
        .map(|day| {
            let n = per_day
                .iter()
                .filter(|(d, _)| *d <= day)
                .map(|(_, n)| n)
                .sum();
            (day, n)
        })
        .collect();
    Series { weekly, points }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{seed_units, HOME_REGION};

    fn codes(dir: &Directory, v: Viewer) -> Vec<String> {
        visible_units(dir, v).into_iter().map(|u| u.code).collect()
    }

    #[test]
    fn who_sees_which_units() {
        let dir = Directory::new(seed_units(), HOME_REGION);
        assert_eq!(codes(&dir, Viewer::SystemAdmin).len(), seed_units().len());
        assert_eq!(codes(&dir, Viewer::TrainingAdmin("dz-court")), ["dz-court"]);
        assert_eq!(
            codes(&dir, Viewer::TrainingAdmin("cq-high-court")),
            [
                "cq-court-1",
                "cq-court-5",
                "cq-high-court",
                "dz-court",
                "yc-court",
                "rc-court",
                "tl-court"
            ]
        );
        assert_eq!(
            codes(&dir, Viewer::TrainingAdmin("cq-court-1")),
            ["cq-court-1"]
        );
        assert_eq!(
            codes(&dir, Viewer::TrainingAdmin("dz-justice")),
            ["dz-firm-1", "dz-firm-2", "dz-justice"]
        );
        assert_eq!(
            codes(&dir, Viewer::TrainingAdmin("dz-bar")),
            ["dz-bar", "dz-firm-1", "dz-firm-2"]
        );
        let cq_bar = codes(&dir, Viewer::TrainingAdmin("cq-bar"));
        assert_eq!(
            cq_bar,
            ["cq-bar", "dz-bar", "dz-firm-1", "dz-firm-2", "yc-firm-1"]
        );
        assert!(codes(&dir, Viewer::TrainingAdmin("nope")).is_empty());
    }

    #[test]
    fn the_dashboard_shows_the_joint_office_the_home_district() {
        let dir = Directory::new(seed_units(), HOME_REGION);
        let jo: Vec<String> = dashboard_units(&dir, "dz-justice", true)
            .into_iter()
            .map(|u| u.code)
            .collect();
        assert!(jo.contains(&"dz-court".to_string()) && jo.contains(&"dz-firm-2".to_string()));
        assert!(jo.iter().all(|c| c.starts_with("dz-")), "{jo:?}");
        assert_eq!(jo.len(), 10);
        let own: Vec<String> = dashboard_units(&dir, "yc-court", false)
            .into_iter()
            .map(|u| u.code)
            .collect();
        assert_eq!(own, ["yc-court"]);
    }

    #[test]
    fn rates_round_half_up_and_sums_add() {
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(0, 0), None);
        assert_eq!(show_percent(percent(1, 2)), "50%");
        assert_eq!(show_percent(None), "—");
        let a = Counts {
            assigned: 3,
            completed: 1,
            overdue: 2,
            attempts: 4,
            passed: 1,
            holders: 1,
        };
        let total: Counts = [a, a].into_iter().sum();
        assert_eq!(total.assigned, 6);
        assert_eq!(total.completion_rate(), Some(33));
        assert_eq!(total.pass_rate(), Some(25));
    }

    #[test]
    fn days_are_beijing_dates() {
        // 2026-11-30T16:00:00Z is 2026-12-01 00:00 in Beijing.
        let ms = 1_796_054_400_000;
        assert_eq!(date_of_day(day_of(ms)), "2026-12-01");
        assert_eq!(date_of_day(day_of(ms - 1)), "2026-11-30");
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(day_of(1_709_164_800_000)), "2024-02-29");
    }

    #[test]
    fn cumulative_by_day_and_by_week() {
        let s = cumulative(&[(8, 1), (10, 2), (12, 1), (30, 5)], 10, 13);
        assert!(!s.weekly);
        assert_eq!(s.points, vec![(10, 3), (11, 3), (12, 4), (13, 4)]);
        assert_eq!(cumulative(&[], 5, 5).points, vec![(5, 0)]);
        assert_eq!(cumulative(&[(3, 1)], 5, 2).points, vec![(5, 1)]);
        let w = cumulative(&[(0, 1), (7, 1), (99, 2)], 0, 99);
        assert!(w.weekly);
        assert_eq!(w.points.first(), Some(&(6, 1)));
        assert_eq!(w.points[1], (13, 2));
        assert_eq!(w.points.last(), Some(&(99, 4)));
        assert_eq!(w.points.len(), 15);
    }
}
