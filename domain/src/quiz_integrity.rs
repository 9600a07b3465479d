//! Whether a quiz can be passed without knowing anything (issue 14): the balance of a bank's
//! answer key, and the exact chance that a guesser passes one attempt under the quiz's draw
//! rules (how many questions are drawn, their kinds and options, partial credit, pass mark).
//!
//! Options reach the learner as per-attempt random tokens in shuffled order (true/false keeps
//! its natural order), so a guesser's best blind patterns are: any random choice, or a fixed
//! display position per question, which on a shuffled question is a uniformly random choice
//! of that many options and on a true/false question always the first or always the second.
//! [`pass_chances`] computes each of them exactly (no simulation).

use std::collections::{BTreeMap, HashMap};

use crate::training::{score_question, Course, Question, QuestionKind};

/// Share, in percent, above which one option id is "too often" the right one.
pub const MAX_KEY_SHARE: usize = 40;

/// The option id that is the right one in more than [`MAX_KEY_SHARE`] % of the bank's
/// single-choice and scenario questions, with how often and out of how many. Banks of fewer
/// than three such questions are not judged (two questions cannot be balanced under 40 %).
/// Where the display order is not shuffled (a printout, a future client), such a bank would
/// reward always answering the same letter.
pub fn lopsided_key(questions: &[Question]) -> Option<(String, usize, usize)> {
    let mut right: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n = 0;
    for q in questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::Scenario))
    {
        n += 1;
        for id in q.correct_ids() {
            *right.entry(id).or_default() += 1;
        }
    }
    if n < 3 {
        return None;
    }
    right
        .into_iter()
        .filter(|&(_, k)| k * 100 > MAX_KEY_SHARE * n)
        .max_by_key(|&(_, k)| k)
        .map(|(id, k)| (id.to_string(), k, n))
}

/// Points are counted in units of 1/2520 (the least common multiple of 1..=10), so partial
/// credit of up to ten right options adds up exactly.
const UNIT: f64 = 2520.0;

/// A blind way of answering, see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guess {
    /// One option at random where one is right; any non-empty set of options at random
    /// (each equally likely) on a multiple-choice question.
    Random,
    /// Always the same display positions: `first_of_true_false` picks the first option of a
    /// true/false question (else the second); `multiple` positions on a multiple-choice
    /// question (a random set of that size, the order being shuffled), one elsewhere.
    Fixed {
        first_of_true_false: bool,
        multiple: usize,
    },
}

/// Every subset of `0..n` of size `k`, as option indexes.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    (0u32..1 << n)
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n).filter(|i| m & (1 << i) != 0).collect())
        .collect()
}

/// The points (in units) a guess earns on `q`, with their probabilities.
fn outcomes(q: &Question, guess: Guess) -> Vec<(i64, f64)> {
    let n = q.options.len();
    let chosen_sets: Vec<Vec<usize>> = match (q.kind, guess) {
        (
            QuestionKind::TrueFalse,
            Guess::Fixed {
                first_of_true_false,
                ..
            },
        ) => {
            vec![vec![if first_of_true_false { 0 } else { n - 1 }]]
        }
        (QuestionKind::Multiple, Guess::Random) => (1..=n).flat_map(|k| subsets(n, k)).collect(),
        (QuestionKind::Multiple, Guess::Fixed { multiple, .. }) => subsets(n, multiple.clamp(1, n)),
        _ => subsets(n, 1),
    };
    let p = 1.0 / chosen_sets.len() as f64;
    let mut out: HashMap<i64, f64> = HashMap::new();
    for set in chosen_sets {
        let chosen: Vec<String> = set.iter().map(|&i| q.options[i].id.clone()).collect();
        let points = (score_question(q, &chosen) * UNIT).round() as i64;
        *out.entry(points).or_default() += p;
    }
    out.into_iter().collect()
}

/// The chance that `guess` passes one attempt of `course`'s quiz: every draw of
/// `quiz.draw` questions from the bank equally likely, the pass mark as [`crate::training::passed`]
/// applies it.
pub fn pass_chance(course: &Course, guess: Guess) -> f64 {
    let draw = course.quiz.draw as usize;
    let bank = course.questions.len();
    if draw == 0 || draw > bank {
        return 0.0;
    }
    // ways[k][points]: weighted number of ways to have drawn k questions so far and earned
    // `points` on them.
    let mut ways: Vec<HashMap<i64, f64>> = vec![HashMap::new(); draw + 1];
    ways[0].insert(0, 1.0);
    for q in &course.questions {
        let out = outcomes(q, guess);
        for k in (0..draw).rev() {
            let from: Vec<(i64, f64)> = ways[k].iter().map(|(&s, &w)| (s, w)).collect();
            for (s, w) in from {
                for &(points, p) in &out {
                    *ways[k + 1].entry(s + points).or_default() += w * p;
                }
            }
        }
    }
    // passed(): score·100 ≥ pass_mark·max, here in units.
    let need = i64::from(course.quiz.pass_mark) * draw as i64 * UNIT as i64;
    let passing: f64 = ways[draw]
        .iter()
        .filter(|(&s, _)| s * 100 >= need)
        .map(|(_, w)| w)
        .sum();
    passing / combinations(bank, draw)
}

/// `n` choose `k`, as a float (banks are small).
fn combinations(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Every blind strategy of the module documentation for `course`, with its chance of passing
/// one attempt; the highest is what the quiz must keep at most 1 %.
pub fn pass_chances(course: &Course) -> Vec<(Guess, f64)> {
    let widest = course
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Multiple)
        .map(|q| q.options.len())
        .max()
        .unwrap_or(1);
    let mut out = vec![(Guess::Random, pass_chance(course, Guess::Random))];
    for first_of_true_false in [true, false] {
        for multiple in 1..=widest {
            let g = Guess::Fixed {
                first_of_true_false,
                multiple,
            };
            out.push((g, pass_chance(course, g)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::fixtures::{course, question as q};

    #[test]
    fn lopsided_keys_are_found() {
        use QuestionKind::*;
        let a = |id| q(id, Single, &[true, false, false], false);
        let b = |id| q(id, Scenario, &[false, true, false], false);
        let c = |id| q(id, Single, &[false, false, true], false);
        let tf = |id| q(id, TrueFalse, &[true, false], false);
        // (questions, expected: the id, how often right, out of how many)
        type Expected = Option<(&'static str, usize, usize)>;
        let cases: Vec<(Vec<Question>, Expected)> = vec![
            (vec![a("1"), b("2"), c("3")], None),
            (vec![a("1"), a("2"), b("3"), c("4"), b("5")], None), // 40 % is allowed
            (
                vec![a("1"), a("2"), a("3"), b("4"), c("5")],
                Some(("a", 3, 5)),
            ),
            (vec![a("1"), a("2")], None), // too few to judge
            // True/false and multiple choice do not count.
            (
                vec![a("1"), b("2"), c("3"), tf("4"), tf("5"), tf("6")],
                None,
            ),
        ];
        for (qs, want) in cases {
            let got = lopsided_key(&qs);
            assert_eq!(
                got,
                want.map(|(id, k, n)| (id.to_string(), k, n)),
                "{:?}",
                qs.iter().map(|q| &q.id).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn pass_chances_match_hand_computed_binomials() {
        use QuestionKind::*;
        // Ten true/false questions, all drawn, pass at 80 %: P(X ≥ 8), X ~ B(10, 1/2).
        let tfs: Vec<Question> = (0..10)
            .map(|i| {
                q(
                    &format!("t{i}"),
                    TrueFalse,
                    &[i % 2 == 0, i % 2 == 1],
                    false,
                )
            })
            .collect();
        let c = course(tfs, 10, 80);
        let want = (45.0 + 10.0 + 1.0) / 1024.0;
        assert!((pass_chance(&c, Guess::Random) - want).abs() < 1e-12);
        // Always the first option: exactly the five whose first option is right.
        let fixed = Guess::Fixed {
            first_of_true_false: true,
            multiple: 1,
        };
        assert_eq!(pass_chance(&c, fixed), 0.0);
        // Four-option single choice, draw 2 of 4, pass at 50 %: 1 − (3/4)².
        let singles: Vec<Question> = (0..4)
            .map(|i| {
                q(
                    &format!("s{i}"),
                    Single,
                    &[true, false, false, false],
                    false,
                )
            })
            .collect();
        let c = course(singles, 2, 50);
        assert!((pass_chance(&c, Guess::Random) - (1.0 - 0.5625)).abs() < 1e-12);
        // Multiple choice with partial credit, two of three right, one question, pass at
        // 50 %: of the 7 non-empty sets, {a}, {b} (½), {a,b} (1) and {a,b,c} (½) pass.
        let m = q("m", Multiple, &[true, true, false], true);
        let c = course(vec![m], 1, 50);
        assert!((pass_chance(&c, Guess::Random) - 4.0 / 7.0).abs() < 1e-12);
        // The draw matters: one of two questions drawn, one always right by position.
        let easy = q("e", TrueFalse, &[true, false], false);
        let hard = q("h", TrueFalse, &[false, true], false);
        let c = course(vec![easy, hard], 1, 100);
        assert!((pass_chance(&c, fixed) - 0.5).abs() < 1e-12);
    }
}
