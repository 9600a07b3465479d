//! Bulk import of users from CSV: parse and validate every row first (a pure function, tested
//! table by table), show the preview, and write nothing unless every row is valid.

use std::collections::HashSet;

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
    /// (line, message in zh / en) for every problem found.
    pub errors: Vec<(usize, String)>,
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
            preview.errors.push((
                1,
                format!("表头应为 / the header must be: {}", HEADER.join(",")),
            ));
            return preview;
        }
        Err(e) => {
            preview
                .errors
                .push((1, format!("无法读取 CSV / unreadable CSV: {e}")));
            return preview;
        }
    }
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_ROWS {
            preview.errors.push((
                line,
                format!("最多 {MAX_ROWS} 行 / at most {MAX_ROWS} rows"),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                preview
                    .errors
                    .push((line, format!("无法读取此行 / unreadable row: {e}")));
                continue;
            }
        };
        if record.len() != HEADER.len() {
            preview.errors.push((
                line,
                format!(
                    "应有 {} 列，实有 {} 列 / expected {} columns, found {}",
                    HEADER.len(),
                    record.len(),
                    HEADER.len(),
                    record.len()
                ),
            ));
            continue;
        }
        let (login, name, unit, roles, password) =
            (&record[0], &record[1], &record[2], &record[3], &record[4]);
        let mut problems = Vec::new();
        if !valid_login(login) {
            problems.push(
                "账号须为 1–64 个字母、数字或 - _ . / login must be 1–64 letters, digits, - _ or ."
                    .to_string(),
            );
        } else if existing_logins.contains(&login.to_lowercase()) {
            problems.push(format!(
                "账号 {login} 已存在 / login {login} already exists"
            ));
        } else if !seen.insert(login.to_lowercase()) {
            problems.push(format!(
                "账号 {login} 在文件中重复 / login {login} appears twice in the file"
            ));
        }
        let name_len = name.chars().count();
        if name_len == 0 || name_len > 64 || name.chars().any(char::is_control) {
            problems.push("姓名须为 1–64 个字符 / the name must have 1–64 characters".to_string());
        }
        if !units.contains(unit) {
            problems.push(format!("未知单位代码 {unit} / unknown unit code {unit}"));
        }
        let mut parsed_roles = Vec::new();
        for r in roles.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            match Role::parse(r) {
                Some(Role::Admin) => problems
                    .push("不能批量导入系统管理员 / administrators cannot be imported".to_string()),
                Some(role) if !parsed_roles.contains(&role) => parsed_roles.push(role),
                Some(_) => {}
                None => problems.push(format!("未知角色 {r} / unknown role {r}")),
            }
        }
        if parsed_roles.is_empty() {
            parsed_roles.push(Role::Member);
        }
        if let Err(msg) = check_new_password(password) {
            problems.push(format!("初始密码：{msg}"));
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
        preview
            .errors
            .push((1, "文件中没有数据行 / the file has no rows".to_string()));
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
    sqlx::query("UPDATE meta SET value = value WHERE key = 'schema'")
        .execute(&mut *tx)
        .await?;
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
        let cases: &[(&str, &[&str])] = &[
            ("a1,张三,dz-court,member,a long password", &[]),
            ("a2,李四,dz-court,member;lead_handler,a long password", &[]),
            (
                "judge-zhang,张,dz-court,member,a long password",
                &["已存在"],
            ),
            (
                "bad login,张,dz-court,member,a long password",
                &["账号须为"],
            ),
            ("a3,,dz-court,member,a long password", &["姓名"]),
            (
                "a4,王,xx-unit,member,a long password",
                &["未知单位代码 xx-unit"],
            ),
            (
                "a5,王,dz-court,wizard,a long password",
                &["未知角色 wizard"],
            ),
            ("a6,王,dz-court,admin,a long password", &["管理员"]),
            ("a7,王,dz-court,member,short", &["初始密码"]),
            ("a8,王,dz-court,member", &["应有 5 列"]),
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
                        p.errors.iter().any(|(l, m)| *l == 2 && m.contains(e)),
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
        assert!(p.errors.iter().any(|(l, m)| *l == 3 && m.contains("重复")));
        assert_eq!(p.rows[0].user.roles, vec![Role::Member]);
        assert!(p.rows[0].user.must_change_password);
        assert!(!validate_import("name,login\n", &units(), &HashSet::new()).is_valid());
        assert!(!validate_import(&format!("{h}\n"), &units(), &HashSet::new()).is_valid());
    }
}
