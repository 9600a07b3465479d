//! Bulk import of users from CSV: parse and validate every row first (a pure function, tested
//! table by table), show the preview, and write nothing unless every row is valid.

use std::collections::HashSet;

use domain::identity::ImportProblem;

use crate::lock::{lock, Lock};
use crate::passwords::check_new_password;
use crate::users::{valid_login, NewUser, Role};

/// The columns, in order. `roles` is a `;`-separated list of role codes.
pub const HEADER: [&str; 5] = [
    "login",
    "display_name",
    "unit_code",
    "roles",
    "initial_password",
];

/// One validated row.
#[derive(Clone, Debug)]
pub struct ImportRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub user: NewUser,
    pub initial_password: String,
}

/// The outcome of validating a file.
#[derive(Clone, Debug, Default)]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    /// (line, problem) for every problem found.
    pub errors: Vec<(usize, ImportProblem)>,
}

impl ImportPreview {
    /// Whether the file may be imported.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }
}

/// The largest file accepted, in rows.
pub const MAX_ROWS: usize = 5000;

/// Parses and validates `text` against the known unit codes and the logins already in use.
pub fn validate_import(
    text: &str,
    units: &HashSet<String>,
    existing_logins: &HashSet<String>,
) -> ImportPreview {
    let mut preview = ImportPreview::default();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h)
            if h.iter()
                .map(|c| c.to_ascii_lowercase())
                .eq(HEADER.iter().map(|c| c.to_string())) => {}
        Ok(_) => {
            preview
                .errors
                .push((1, ImportProblem::BadHeader(HEADER.join(","))));
            return preview;
        }
        Err(e) => {
            preview
                .errors
                .push((1, ImportProblem::Unreadable(e.to_string())));
            return preview;
        }
    }
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_ROWS {
            preview
                .errors
                .push((line, ImportProblem::TooManyRows(MAX_ROWS)));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                preview
                    .errors
                    .push((line, ImportProblem::UnreadableRow(e.to_string())));
                continue;
            }
        };
        if record.len() != HEADER.len() {
            preview.errors.push((
                line,
                ImportProblem::ColumnCount {
                    expected: HEADER.len(),
                    found: record.len(),
                },
            ));
            continue;
        }
        let (login, name, unit, roles, password) =
            (&record[0], &record[1], &record[2], &record[3], &record[4]);
        let mut problems = Vec::new();
        if !valid_login(login) {
            problems.push(ImportProblem::BadLogin);
        } else if existing_logins.contains(&login.to_lowercase()) {
            problems.push(ImportProblem::LoginExists(login.to_string()));
        } else if !seen.insert(login.to_lowercase()) {
            problems.push(ImportProblem::LoginTwice(login.to_string()));
        }
        if !domain::identity::valid_display_name(name) {
            problems.push(ImportProblem::BadName);
        }
        if !units.contains(unit) {
            problems.push(ImportProblem::UnknownUnit(unit.to_string()));
        }
        let mut parsed_roles = Vec::new();
        for r in roles.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            match Role::parse(r) {
                Some(Role::Admin) => problems.push(ImportProblem::AdminNotImportable),
                Some(role) if !parsed_roles.contains(&role) => parsed_roles.push(role),
                Some(_) => {}
                None => problems.push(ImportProblem::UnknownRole(r.to_string())),
            }
        }
        if parsed_roles.is_empty() {
            parsed_roles.push(Role::Member);
        }
        if let Err(refused) = check_new_password(password) {
            problems.push(ImportProblem::InitialPassword(refused));
        }
        if problems.is_empty() {
            preview.rows.push(ImportRow {
                line,
                user: NewUser {
                    login: login.to_string(),
                    display_name: name.to_string(),
                    unit_code: Some(unit.to_string()),
                    roles: parsed_roles,
                    must_change_password: true,
                },
                initial_password: password.to_string(),
            });
        } else {
            preview
                .errors
                .extend(problems.into_iter().map(|p| (line, p)));
        }
    }
    if preview.rows.is_empty() && preview.errors.is_empty() {
        preview.errors.push((1, ImportProblem::NoRows));
    }
    preview
}

/// Writes every row of a valid preview in one transaction, with one audit entry; nothing is
/// written if any row fails. Returns the number of users created.
pub async fn apply_import(
    db: &crate::Db,
    preview: &ImportPreview,
    actor: &crate::audit::Actor,
) -> Result<usize, crate::StoreError> {
    if !preview.is_valid() {
        return Ok(0);
    }
    let mut hashes = Vec::with_capacity(preview.rows.len());
    for row in &preview.rows {
        hashes.push(crate::passwords::hash_password(row.initial_password.clone()).await?);
    }
    let mut tx = db.pool.begin().await?;
    lock(&mut tx, Lock::Schema).await?;
    for (row, hash) in preview.rows.iter().zip(&hashes) {
        crate::users::insert_user(&mut tx, &row.user, Some(hash)).await?;
    }
    let logins: Vec<&str> = preview.rows.iter().map(|r| r.user.login.as_str()).collect();
    crate::audit::append(
        &mut tx,
        actor,
        crate::audit::Event {
            action: "admin.users_imported",
            object_type: Some("users"),
            object_id: None,
            detail: Some(format!("{} users: {}", logins.len(), logins.join(","))),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(preview.rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> HashSet<String> {
        ["dz-court", "dz-bar"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn rows_are_validated_one_by_one() {
        let existing: HashSet<String> = ["judge-zhang".to_string()].into();
        use domain::identity::PasswordRefused;
        let cases: &[(&str, &[ImportProblem])] = &[
            ("a1,张三,dz-court,member,a long password", &[]),
            ("a2,李四,dz-court,member;lead_handler,a long password", &[]),
            (
                "judge-zhang,张,dz-court,member,a long password",
                &[ImportProblem::LoginExists("judge-zhang".into())],
            ),
            (
                "bad login,张,dz-court,member,a long password",
                &[ImportProblem::BadLogin],
            ),
            (
                "a3,,dz-court,member,a long password",
                &[ImportProblem::BadName],
            ),
            (
                "a4,王,xx-unit,member,a long password",
                &[ImportProblem::UnknownUnit("xx-unit".into())],
            ),
            (
                "a5,王,dz-court,wizard,a long password",
                &[ImportProblem::UnknownRole("wizard".into())],
            ),
            (
                "a6,王,dz-court,admin,a long password",
                &[ImportProblem::AdminNotImportable],
            ),
            (
                "a7,王,dz-court,member,short",
                &[ImportProblem::InitialPassword(PasswordRefused::TooShort)],
            ),
            (
                "a8,王,dz-court,member",
                &[ImportProblem::ColumnCount {
                    expected: 5,
                    found: 4,
                }],
            ),
        ];
        for (row, expected) in cases {
            let text = format!("{}\n{row}\n", HEADER.join(","));
            let p = validate_import(&text, &units(), &existing);
            if expected.is_empty() {
                assert!(p.is_valid(), "{row}: {:?}", p.errors);
            } else {
                assert!(!p.is_valid(), "{row}");
                for e in *expected {
                    assert!(
                        p.errors.iter().any(|(l, m)| *l == 2 && m == e),
                        "{row}: {:?}",
                        p.errors
                    );
                }
            }
        }
    }

    #[test]
    fn duplicates_header_bom_and_empty_files() {
        let h = HEADER.join(",");
        let p = validate_import(
            &format!("\u{feff}{h}\nx,甲,dz-bar,,a long password\nX,乙,dz-bar,,a long password\n"),
            &units(),
            &HashSet::new(),
        );
        assert_eq!(p.rows.len(), 1);
        assert!(p
            .errors
            .iter()
            .any(|(l, m)| *l == 3 && matches!(m, ImportProblem::LoginTwice(_))));
        assert_eq!(p.rows[0].user.roles, vec![Role::Member]);
        assert!(p.rows[0].user.must_change_password);
        assert!(!validate_import("name,login\n", &units(), &HashSet::new()).is_valid());
        assert!(!validate_import(&format!("{h}\n"), &units(), &HashSet::new()).is_valid());
    }
}
