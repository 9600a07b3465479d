//! Fuzzing (issue 9), bounded for CI with proptest: the content loaders (course and question
//! TOML, lesson Markdown, the regulation source), the routing function and the CSV import are fed
//! mutated real inputs and arbitrary text. None may panic; a broken course file is refused with
//! the file named; the routing function answers every known code and refuses unknown ones; the
//! importer accepts only rows it has checked; Markdown never comes out with live script.
//!
//! `PORTAL_FUZZ_CASES` raises the number of cases (default 128 per target).

use crate::support::*;

use std::collections::HashSet;
use std::path::PathBuf;

use domain::routing::{route_lead, RouteError, Subject};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PORTAL_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(128)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A mutation of a text: delete, duplicate or replace a line, splice in arbitrary text, or cut.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    ReplaceLine(usize, String),
    Splice(usize, String),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let junk = prop_oneof![
        "\\PC{0,40}",
        Just("id = \"\"".to_string()),
        Just("correct = true".to_string()),
        Just("cites = [\"Art. 99\"]".to_string()),
        Just("[[questions]]".to_string()),
        Just("\"\"\"".to_string()),
        Just("kind = \"essay\"".to_string()),
        Just("pass_mark = 101".to_string()),
        Just("draw = 0".to_string()),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), junk.clone()).prop_map(|(i, s)| Mutation::ReplaceLine(i, s)),
        (any::<usize>(), junk).prop_map(|(i, s)| Mutation::Splice(i, s)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::DuplicateLine(i) => {
            if let Some(l) = lines.get(i % n).cloned() {
                lines.insert(i % n, l);
            }
        }
        Mutation::ReplaceLine(i, s) => {
            if let Some(l) = lines.get_mut(i % n) {
                *l = s.clone();
            }
        }
        Mutation::Splice(i, s) => {
            let chars: Vec<char> = text.chars().collect();
            let at = i % (chars.len() + 1);
            let mut out: String = chars[..at].iter().collect();
            out.push_str(s);
            out.extend(&chars[at..]);
            return out;
        }
        Mutation::Truncate(i) => {
            let chars: Vec<char> = text.chars().collect();
            return chars[..i % (chars.len() + 1)].iter().collect();
        }
    }
    lines.join("\n")
}

/// The course content files a mutation may hit.
fn course_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let courses = root().join("content/courses");
    for c in std::fs::read_dir(&courses).unwrap() {
        let c = c.unwrap().path();
        for f in ["course.toml", "questions.toml"] {
            if c.join(f).is_file() {
                files.push(
                    c.join(f)
                        .strip_prefix(root().join("content"))
                        .unwrap()
                        .to_path_buf(),
                );
            }
        }
        if let Ok(lessons) = std::fs::read_dir(c.join("lessons")) {
            for l in lessons.flatten().take(1) {
                files.push(
                    l.path()
                        .strip_prefix(root().join("content"))
                        .unwrap()
                        .to_path_buf(),
                );
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_course_loader_refuses_broken_files_without_panicking() {
    let files = course_files();
    assert!(files.len() >= 8, "{files:?}");
    let pristine = scratch_dir("fuzz-courses");
    copy_dir(&root().join("content/courses"), &pristine.join("courses"));
    assert!(
        corpus::courses::load(&pristine).is_ok(),
        "the real content loads"
    );
    let refused = std::cell::Cell::new(0);
    proptest!(config(), |(which in 0..files.len(), ms in proptest::collection::vec(mutation(), 1..4))| {
        let rel = &files[which];
        let original = std::fs::read_to_string(pristine.join(rel)).unwrap();
        let mutated = ms.iter().fold(original.clone(), |t, m| apply(&t, m));
        std::fs::write(pristine.join(rel), &mutated).unwrap();
        let result = std::panic::catch_unwind(|| corpus::courses::load(&pristine));
        std::fs::write(pristine.join(rel), &original).unwrap();
        let result = result.map_err(|_| TestCaseError::fail(format!("panicked on {rel:?} after {ms:?}")))?;
        if let Err(e) = result {
            refused.set(refused.get() + 1);
            // The error names a file under the content folder.
            prop_assert!(e.file.starts_with(&pristine), "{e:?}");
        }
    });
    eprintln!(
        "course loader: {} cases, {} refused",
        cases(),
        refused.get()
    );
}

#[test]
fn the_regulation_parser_never_panics() {
    let source =
        std::fs::read_to_string(root().join("content/regulations/dazu-2021-6/source.txt")).unwrap();
    assert!(domain::regulation::parse_document(&source).is_ok());
    proptest!(config(), |(ms in proptest::collection::vec(mutation(), 1..6))| {
        let mutated = ms.iter().fold(source.clone(), |t, m| apply(&t, m));
        let r = std::panic::catch_unwind(|| domain::regulation::parse_document(&mutated).map(|d| d.articles.len()));
        prop_assert!(r.is_ok(), "panicked after {ms:?}");
    });
    proptest!(config(), |(text in "\\PC{0,400}")| {
        let r = std::panic::catch_unwind(|| domain::regulation::parse_document(&text).is_ok());
        prop_assert!(r.is_ok());
    });
}

#[test]
fn markdown_never_comes_out_live() {
    let tricks = prop_oneof![
        Just("<script>alert(1)</script>"),
        Just("[x](javascript:alert(1))"),
        Just("![x](javascript:alert(1))"),
        Just("<img src=x onerror=alert(1)>"),
        Just("<svg onload=alert(1)>"),
        Just("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>"),
        Just("<iframe src=x></iframe>"),
        Just("`code` **bold** <b>ok</b>"),
    ];
    proptest!(config(), |(parts in proptest::collection::vec((tricks, "\\PC{0,30}"), 1..6))| {
        let md: String = parts.iter().map(|(t, s)| format!("{t}{s}\n")).collect();
        let html = corpus::library::markdown_html(&md).to_lowercase();
        // Only real tags count: text is escaped, so its `<` is `&lt;`.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
            let name = tag.split([' ', '/']).next().unwrap_or("");
            prop_assert!(!["script", "iframe", "svg", "object", "embed", "style"].contains(&name), "<{tag}> in {html}");
            prop_assert!(!tag.contains(" on"), "handler in <{tag}>");
            prop_assert!(!tag.contains("javascript:") && !tag.contains("=\"data:"), "<{tag}>");
        }
    });
}

#[test]
fn routing_answers_every_known_code_and_refuses_unknown_ones() {
    let dir = domain::directory::Directory::new(domain::directory::seed_units(), "dz");
    let codes: Vec<String> = dir.units().iter().map(|u| u.code.clone()).collect();
    let code = prop_oneof![
        proptest::sample::select(codes.clone()),
        "[a-z\\-]{0,20}",
        "\\PC{0,10}",
    ];
    proptest!(config(), |(d in code.clone(), org in code, lawyer in any::<bool>())| {
        let subject = if lawyer { Subject::Lawyer } else { Subject::JudicialPersonnel { org: &org } };
        let r = std::panic::catch_unwind(|| route_lead(&dir, &d, &subject));
        prop_assert!(r.is_ok(), "panicked for {d:?} / {org:?}");
        match r.unwrap() {
            Ok(plan) => {
                prop_assert!(dir.get(&d).is_some());
                prop_assert!(lawyer || dir.get(&org).is_some());
                prop_assert_eq!(plan.manual, plan.routes.is_empty());
                for route in &plan.routes {
                    prop_assert_eq!(route.first(), Some(&d));
                    prop_assert!(route.iter().all(|u| dir.get(u).is_some()), "{route:?}");
                }
            }
            Err(RouteError::UnknownUnit(u)) => {
                prop_assert!(dir.get(&u).is_none());
                prop_assert!(u == d || u == org);
            }
        }
    });
}

#[test]
fn the_csv_import_accepts_only_checked_rows() {
    let units: HashSet<String> = domain::directory::seed_units()
        .into_iter()
        .map(|u| u.code)
        .collect();
    let existing: HashSet<String> = ["judge-zhang".to_string()].into();
    let valid = "login,display_name,unit_code,roles,initial_password\nnew-a,甲,dz-court,member,a long password\nnew-b,乙,dz-psb,member;lead_handler,another long password\n";
    assert!(store::import::validate_import(valid, &units, &existing).is_valid());
    let cell = prop_oneof![
        "\\PC{0,20}",
        Just("\"".to_string()),
        Just(",,,,".to_string()),
        Just("=cmd|' /C calc'!A0".to_string()),
        Just("\u{feff}".to_string()),
        Just("judge-zhang".to_string()),
        Just("\r\n".to_string()),
    ];
    proptest!(config(), |(ms in proptest::collection::vec(mutation(), 0..4), extra in proptest::collection::vec(proptest::collection::vec(cell, 0..7), 0..5))| {
        let mut text = ms.iter().fold(valid.to_string(), |t, m| apply(&t, m));
        for row in &extra {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        let preview = std::panic::catch_unwind(|| store::import::validate_import(&text, &units, &existing));
        prop_assert!(preview.is_ok(), "panicked on {text:?}");
        let preview = preview.unwrap();
        if preview.is_valid() {
            for r in &preview.rows {
                prop_assert!(store::users::valid_login(&r.user.login), "{:?}", r.user.login);
                prop_assert!(!existing.contains(&r.user.login));
                prop_assert!(r.user.unit_code.as_ref().is_none_or(|u| units.contains(u)));
            }
        }
    });
}
