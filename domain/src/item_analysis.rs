//! Item analysis of a quiz, as Moodle's quiz statistics report computes it, over submitted
//! attempts: per question its facility index (the mean share of the question's points the
//! attempts that drew it earned) and its discrimination index (the correlation between the
//! points on the question and the points on the rest of the attempt), with the questions to
//! review flagged: nearly everyone right (facility above 0.95 over at least 30 attempts) or
//! not discriminating (index below 0.1).

use crate::training::{score_question, ChosenOptions, Course};

/// Facility above which a question is "nearly everyone right".
pub const EASY_FACILITY: f64 = 0.95;
/// Attempts needed before a question can be called too easy.
pub const EASY_MIN_ATTEMPTS: u32 = 30;
/// Discrimination index below which a question does not tell strong and weak learners apart.
pub const MIN_DISCRIMINATION: f64 = 0.1;

/// Why a question is flagged for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemFlag {
    /// Facility above [`EASY_FACILITY`] over at least [`EASY_MIN_ATTEMPTS`] attempts.
    NearlyAllRight,
    /// Discrimination index below [`MIN_DISCRIMINATION`].
    DoesNotDiscriminate,
}

/// The analysis of one question.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemAnalysis {
    pub question_id: String,
    /// Submitted attempts that drew the question.
    pub attempts: u32,
    /// Mean share of the question's points earned (0–1); `None` without attempts.
    pub facility: Option<f64>,
    /// Pearson correlation of the question's points with the rest of the attempt's points;
    /// `None` when either does not vary (or fewer than two attempts).
    pub discrimination: Option<f64>,
    pub flags: Vec<ItemFlag>,
}

/// Pearson's correlation coefficient; `None` if either variable is constant.
fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

/// The analysis of every question of `course`'s bank (in bank order) over submitted
/// attempts, each given as its drawn question ids and its answers (content option ids).
pub fn analyse(course: &Course, attempts: &[(Vec<String>, ChosenOptions)]) -> Vec<ItemAnalysis> {
    // Per attempt: the points of each drawn question and the total.
    let scored: Vec<(Vec<(&str, f64)>, f64)> = attempts
        .iter()
        .map(|(drawn, answers)| {
            let points: Vec<(&str, f64)> = drawn
                .iter()
                .filter_map(|qid| {
                    let q = course.question(qid)?;
                    let chosen = answers.get(qid).cloned().unwrap_or_default();
                    Some((q.id.as_str(), score_question(q, &chosen)))
                })
                .collect();
            let total = points.iter().map(|(_, p)| p).sum();
            (points, total)
        })
        .collect();
    course
        .questions
        .iter()
        .map(|q| {
            let pairs: Vec<(f64, f64)> = scored
                .iter()
                .filter_map(|(points, total)| {
                    let (_, p) = points.iter().find(|(id, _)| *id == q.id)?;
                    Some((*p, total - p))
                })
                .collect();
            let n = pairs.len() as u32;
            let facility = (n > 0).then(|| pairs.iter().map(|(x, _)| x).sum::<f64>() / n as f64);
            let discrimination = correlation(&pairs);
            let mut flags = Vec::new();
            if n >= EASY_MIN_ATTEMPTS && facility.is_some_and(|f| f > EASY_FACILITY) {
                flags.push(ItemFlag::NearlyAllRight);
            }
            if discrimination.is_some_and(|d| d < MIN_DISCRIMINATION) {
                flags.push(ItemFlag::DoesNotDiscriminate);
            }
            ItemAnalysis {
                question_id: q.id.clone(),
                attempts: n,
                facility,
                discrimination,
                flags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::fixtures::{course as with_questions, question};
    use crate::training::QuestionKind;

    /// A course of true/false questions (right option `a`), all drawn.
    fn course(ids: &[&str]) -> Course {
        let qs = ids
            .iter()
            .map(|i| question(i, QuestionKind::TrueFalse, &[true, false], false))
            .collect();
        with_questions(qs, ids.len() as u32, 80)
    }

    /// An attempt that drew every question, right on those named.
    fn attempt(all: &[&str], right: &[&str]) -> (Vec<String>, ChosenOptions) {
        let drawn = all.iter().map(|s| s.to_string()).collect();
        let answers = all
            .iter()
            .map(|q| {
                let o = if right.contains(q) { "a" } else { "b" };
                (q.to_string(), vec![o.to_string()])
            })
            .collect();
        (drawn, answers)
    }

    #[test]
    fn facility_discrimination_and_flags() {
        let all = ["good", "easy", "odd", "x", "y"];
        let c = course(&all);
        // Strong learners get "good" right and weak ones wrong; "easy" everyone right;
        // "odd" the reverse of the others (negative discrimination).
        let mut attempts = Vec::new();
        for _ in 0..20 {
            attempts.push(attempt(&all, &["good", "easy", "x", "y"]));
            attempts.push(attempt(&all, &["easy", "odd"]));
        }
        let a = analyse(&c, &attempts);
        let by = |id: &str| a.iter().find(|x| x.question_id == id).unwrap().clone();
        let good = by("good");
        assert_eq!(good.attempts, 40);
        assert_eq!(good.facility, Some(0.5));
        assert!(good.discrimination.unwrap() > 0.9, "{good:?}");
        assert!(good.flags.is_empty());
        let easy = by("easy");
        assert_eq!(easy.facility, Some(1.0));
        assert_eq!(easy.discrimination, None); // constant
        assert_eq!(easy.flags, vec![ItemFlag::NearlyAllRight]);
        let odd = by("odd");
        assert!(odd.discrimination.unwrap() < 0.0);
        assert_eq!(odd.flags, vec![ItemFlag::DoesNotDiscriminate]);
        // Fewer than 30 attempts: not yet "too easy".
        let few = analyse(&c, &attempts[..20]);
        assert!(few
            .iter()
            .all(|x| !x.flags.contains(&ItemFlag::NearlyAllRight)));
        // A question nobody drew.
        let none = analyse(&c, &[]);
        assert_eq!(none[0].facility, None);
        assert_eq!(none[0].attempts, 0);
    }

    #[test]
    fn correlation_table() {
        assert_eq!(correlation(&[(1.0, 2.0)]), None);
        assert_eq!(correlation(&[(1.0, 2.0), (1.0, 3.0)]), None);
        let r = correlation(&[(0.0, 0.0), (1.0, 1.0), (0.0, 0.0), (1.0, 1.0)]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        let r = correlation(&[(0.0, 1.0), (1.0, 0.0)]).unwrap();
        assert!((r + 1.0).abs() < 1e-12);
    }
}
