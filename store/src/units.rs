//! The unit directory in the database: seeded on first start from
//! [`domain::directory::seed_units`], read back as a [`Directory`] for routing and the UI.

use std::collections::HashMap;
use std::sync::Arc;

use domain::case::Party;
use domain::directory::{Directory, Level, Unit, UnitKind, HOME_REGION};
use sqlx::Row;

use crate::lock::{lock, Lock};
use crate::{Db, StoreError};

/// Inserts the seed directory when the table is empty. Returns how many units were added.
pub async fn seed_directory(db: &Db) -> Result<usize, StoreError> {
    let mut tx = db.pool.begin().await?;
    // Writing first takes the write lock on SQLite, so two starting servers cannot both seed.
    lock(&mut tx, Lock::Schema).await?;
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
    Ok(kept(db).await?.directory.clone())
}

/// Every unit's kind and whether it takes part in the portal (has an active lead handler), as
/// of now.
pub async fn parties(db: &Db) -> Result<Arc<HashMap<String, Party>>, StoreError> {
    Ok(kept(db).await?.parties.clone())
}

/// The directory and the units' parts in the portal as this process keeps them, under the
/// `directory_version` they were read at (see migration 0016).
#[derive(Debug)]
pub(crate) struct Kept {
    version: i64,
    directory: Directory,
    parties: Arc<HashMap<String, Party>>,
}

/// The kept directory if the database's `directory_version` has not moved since it was read,
/// else a fresh read. One small query per view instead of the two it saves (the parties'
/// handler count was 0.4 ms of a 2.5 ms inbox view). The version is read before the data, so
/// the data kept is never older than the version it is kept under.
async fn kept(db: &Db) -> Result<Arc<Kept>, StoreError> {
    let version: i64 = sqlx::query_scalar("SELECT n FROM directory_version WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    let held = db.directory.lock().ok().and_then(|k| k.clone());
    if let Some(k) = held.filter(|k| k.version == version) {
        return Ok(k);
    }
    let units = list_units(db).await?;
    let mut conn = db.pool.acquire().await?;
    let parties = crate::leads::unit_parties(&mut conn).await?;
    let fresh = Arc::new(Kept {
        version,
        directory: Directory::new(units, HOME_REGION),
        parties: Arc::new(parties),
    });
    if let Ok(mut k) = db.directory.lock() {
        // Never replace a newer read by an older one (two views may miss at once).
        if k.as_ref().is_none_or(|old| old.version <= version) {
            *k = Some(fresh.clone());
        }
    }
    Ok(fresh)
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
