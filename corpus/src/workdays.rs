//! The working-day calendar (`content/workdays/<year>.toml`): one file per year with the public
//! holidays and the make-up working days as the State Council's General Office published them.
//! Checked at start (`domain::workdays::check_year`); an error names the file and stops the
//! server. No file for a year means Monday to Friday only: the caller warns about that.

use std::path::Path;

use domain::workdays::{check_year, CalendarProblem, WorkCalendar};

use crate::content::{parse_toml, ContentError};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    /// The notice the lists were copied from.
    source: String,
    holidays: Vec<String>,
    workdays: Vec<String>,
}

fn problem_text(p: &CalendarProblem) -> String {
    match p {
        CalendarProblem::BadDate(s) => format!("{s:?} is not a YYYY-MM-DD date"),
        CalendarProblem::WrongYear(d) => format!("{d} is not in the file's year"),
        CalendarProblem::Repeated(d) => format!("{d} is listed twice"),
        CalendarProblem::MakeUpNotOnWeekend(d) => {
            format!("{d} is a make-up working day but not a Saturday or Sunday")
        }
        CalendarProblem::DuplicateYear(y) => format!("a second file for {y}"),
    }
}

/// Loads every `<year>.toml` under `content_dir/workdays` (the folder may be absent).
pub fn load(content_dir: &Path) -> Result<WorkCalendar, ContentError> {
    let dir = content_dir.join("workdays");
    let mut calendar = WorkCalendar::default();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(calendar);
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let err = |message: String| ContentError {
            file: path.clone(),
            line: None,
            message,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
        let file: YearFile = parse_toml(&path, &text)?;
        if path.file_stem().and_then(|s| s.to_str()) != Some(file.year.to_string().as_str()) {
            return Err(err(format!(
                "the file of {} must be named {}.toml",
                file.year, file.year
            )));
        }
        if file.source.trim().is_empty() {
            return Err(err("name the notice the lists come from (source)".into()));
        }
        let days = check_year(file.year, &file.holidays, &file.workdays)
            .map_err(|p| err(problem_text(&p)))?;
        calendar
            .add_year(file.year, days)
            .map_err(|p| err(problem_text(&p)))?;
    }
    Ok(calendar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::workdays::{Date, DayKind};

    #[test]
    fn the_shipped_years_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let cal = load(&dir).expect("valid calendar");
        assert!(cal.has_year(2025) && cal.has_year(2026));
        let week = [0, 1, 2, 3, 4];
        let kind = |s: &str| cal.day_kind(Date::parse(s).unwrap(), &week);
        assert_eq!(kind("2025-10-01"), DayKind::Holiday);
        assert_eq!(kind("2025-10-11"), DayKind::MakeUpWorkday);
        assert_eq!(kind("2026-10-01"), DayKind::Holiday);
        assert_eq!(kind("2026-10-10"), DayKind::MakeUpWorkday);
        assert_eq!(kind("2026-02-17"), DayKind::Holiday);
    }

    #[test]
    fn a_bad_file_names_itself() {
        let dir = std::env::temp_dir().join(format!("workdays-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("workdays")).unwrap();
        std::fs::write(
            dir.join("workdays/2030.toml"),
            "year = 2030\nsource = \"x\"\nholidays = []\nworkdays = [\"2030-10-08\"]\n",
        )
        .unwrap();
        let e = load(&dir).unwrap_err();
        assert!(e.file.ends_with("2030.toml"), "{e}");
        assert!(e.message.contains("not a Saturday or Sunday"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
