//! The unit directory in the database: seeded on first start from
//! [`domain::directory::seed_units`], read back as a [`Directory`] for routing and the UI.

use domain::directory::{Directory, Level, Unit, UnitKind, HOME_REGION};
use sqlx::Row;

use crate::{Db, StoreError};

/// Inserts the seed directory when the table is empty. Returns how many units were added.
pub async fn seed_directory(db: &Db) -> Result<usize, StoreError> {
    let mut tx = db.pool.begin().await?;
    // Writing first takes the write lock on SQLite, so two starting servers cannot both seed.
    sqlx::query("UPDATE meta SET value = value WHERE key = 'schema'")
        .execute(&mut *tx)
        .await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
        .fetch_one(&mut *tx)
        .await?;
    if count > 0 {
        tx.commit().await?;
        return Ok(0);
    }
    let units = domain::directory::seed_units();
    for u in &units {
        sqlx::query(
            "INSERT INTO units (code, name_zh, name_en, kind, level, region, parent_code) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&u.code)
        .bind(&u.name_zh)
        .bind(&u.name_en)
        .bind(u.kind.as_str())
        .bind(u.level.as_str())
        .bind(&u.region)
        .bind(u.parent.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(units.len())
}

/// Every unit, ordered by code.
pub async fn list_units(db: &Db) -> Result<Vec<Unit>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, name_zh, name_en, kind, level, region, parent_code FROM units ORDER BY code",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let level: String = r.try_get("level")?;
            Ok(Unit {
                code: r.try_get("code")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                kind: UnitKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind}")))?,
                level: Level::parse(&level)
                    .ok_or_else(|| StoreError::Corrupt(format!("unit level {level}")))?,
                region: r.try_get("region")?,
                parent: r.try_get("parent_code")?,
            })
        })
        .collect()
}

/// The directory as routing sees it, with the home jurisdiction of this deployment.
pub async fn load_directory(db: &Db) -> Result<Directory, StoreError> {
    Ok(Directory::new(list_units(db).await?, HOME_REGION))
}

/// Changes the names and parent of a unit. Codes, kinds and levels are fixed because lead
/// routing and existing records depend on them. Returns whether the unit exists.
pub async fn update_unit(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: &str,
    name_zh: &str,
    name_en: &str,
    parent_code: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE units SET name_zh = $1, name_en = $2, parent_code = $3 WHERE code = $4",
    )
    .bind(name_zh)
    .bind(name_en)
    .bind(parent_code)
    .bind(code)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}
