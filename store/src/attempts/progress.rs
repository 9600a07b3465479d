//! Progress: lessons completed and certificates (issued by a passing submission).

use std::collections::{BTreeMap, HashSet};

use rand::Rng;
use sqlx::Row;

use crate::{Db, StoreError};

/// Letters and digits that cannot be mistaken for one another when read aloud or retyped.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random 12-character verification code.
pub fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// `at` plus `months` calendar months (Beijing dates do not matter at this precision).
pub fn add_months(at: i64, months: u32) -> i64 {
    chrono::DateTime::from_timestamp_millis(at)
        .and_then(|t| t.checked_add_months(chrono::Months::new(months)))
        .map(|t| t.timestamp_millis())
        .unwrap_or(at + i64::from(months) * 30 * 86_400_000)
}

/// A certificate as `/verify/{code}` shows it.
#[derive(Clone, Debug)]
pub struct Certificate {
    pub code: String,
    pub user_id: i64,
    pub holder: String,
    pub course_id: String,
    pub issued_at: i64,
    pub expires_at: i64,
    /// The regulation version the course was written against at issue (`None` before issue
    /// 14 recorded it).
    pub regulation_version: Option<String>,
}

/// The certificate with `code` (exact, upper-case), if any.
pub async fn find_certificate(db: &Db, code: &str) -> Result<Option<Certificate>, StoreError> {
    let row = sqlx::query(
        "SELECT c.code, c.user_id, u.display_name, c.course_id, c.issued_at, c.expires_at, c.regulation_version FROM certificates c JOIN users u ON u.id = c.user_id WHERE c.code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(Certificate {
            code: r.try_get("code")?,
            user_id: r.try_get("user_id")?,
            holder: r.try_get("display_name")?,
            course_id: r.try_get("course_id")?,
            issued_at: r.try_get("issued_at")?,
            expires_at: r.try_get("expires_at")?,
            regulation_version: r.try_get("regulation_version")?,
        })
    })
    .transpose()
}

/// The user's newest certificate per course: course id → (code, issued, expires, regulation
/// version recorded at issue).
pub async fn certificates_of(
    db: &Db,
    user_id: i64,
) -> Result<BTreeMap<String, (String, i64, i64, Option<String>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, course_id, issued_at, expires_at, regulation_version FROM certificates WHERE user_id = $1 ORDER BY issued_at ASC, id ASC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        out.insert(
            r.try_get::<String, _>("course_id")?,
            (
                r.try_get("code")?,
                r.try_get("issued_at")?,
                r.try_get("expires_at")?,
                r.try_get("regulation_version")?,
            ),
        );
    }
    Ok(out)
}

/// Records that the user finished a lesson (once; later calls keep the first time).
pub async fn complete_lesson(
    db: &Db,
    user_id: i64,
    lesson_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    let lesson_id = lesson_id.to_string();
    db.write(move |tx| {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO lesson_progress (user_id, lesson_id, completed_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, lesson_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(lesson_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            Ok(())
        })
    })
    .await
}

/// The lessons the user has finished.
pub async fn completed_lessons(db: &Db, user_id: i64) -> Result<HashSet<String>, StoreError> {
    let rows = sqlx::query("SELECT lesson_id FROM lesson_progress WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            r.try_get::<String, _>("lesson_id")
                .map_err(StoreError::from)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_twelve_unambiguous_characters() {
        let a = new_code();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(a, new_code());
    }

    #[test]
    fn months_are_calendar_months() {
        // 2026-01-31 + 1 month = 2026-02-28.
        let jan31 = 1_769_817_600_000; // 2026-01-31T00:00:00Z
        let feb28 = 1_772_236_800_000; // 2026-02-28T00:00:00Z
        assert_eq!(add_months(jan31, 1), feb28);
    }
}
