//! The unit directory and the units' parts in the portal, kept in memory under
//! `directory_version` (migration 0016): every change of units, roles or a user's unit or
//! disabled flag is seen by the next read, also when another server (here: plain SQL on the
//! same database) made it; the row lock a quiz start takes does not move the version.
//! SQLite and PostgreSQL.

use crate::support::*;

use store::Db;

async fn version(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT n FROM directory_version WHERE id = 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn sql(db: &Db, statement: &str) {
    sqlx::query(statement).execute(&db.pool).await.unwrap();
}

/// Gives the test user `dv-handler` the lead handler's role.
async fn grant_lead_handler(db: &Db) {
    sql(
        db,
        "INSERT INTO user_roles (user_id, role) SELECT id, 'lead_handler' FROM users WHERE login = 'dv-handler'",
    )
    .await;
}

async fn in_portal(db: &Db, unit: &str) -> bool {
    store::units::parties(db).await.unwrap()[unit].in_portal
}

#[test]
fn every_directory_change_is_seen_at_once_and_nothing_else_moves_it() {
    for db in databases("directory-version") {
        let app = TestApp::demo(&db);
        let store = app.state.db.clone();
        app.block_on(async {
            // A unit without a lead handler.
            let outside = store::leads::units_outside_portal(&store).await.unwrap();
            let unit = outside.first().expect("a unit outside the portal").clone();
            assert!(!in_portal(&store, &unit).await, "{}", db.label);

            // Renamed behind the server's back: the next read has the new name.
            let v = version(&store).await;
            sql(&store, &format!("UPDATE units SET name_en = 'Renamed unit' WHERE code = '{unit}'")).await;
            assert!(version(&store).await > v, "{}", db.label);
            let dir = store::units::load_directory(&store).await.unwrap();
            assert_eq!(dir.get(&unit).unwrap().name_en, "Renamed unit", "{}", db.label);

            // A lead handler joins: the unit takes part.
            sql(&store, &format!("INSERT INTO users (login, display_name, unit_code, disabled, created_at) VALUES ('dv-handler', 'DV', '{unit}', 0, 1)")).await;
            grant_lead_handler(&store).await;
            assert!(in_portal(&store, &unit).await, "{}", db.label);
            assert!(!store::leads::units_outside_portal(&store).await.unwrap().contains(&unit));

            // The row lock of a quiz start changes nothing and keeps the version.
            let v = version(&store).await;
            sql(&store, "UPDATE users SET disabled = disabled WHERE login = 'dv-handler'").await;
            assert_eq!(version(&store).await, v, "{}", db.label);

            // Disabled, or moved to another unit: the unit no longer takes part.
            sql(&store, "UPDATE users SET disabled = 1 WHERE login = 'dv-handler'").await;
            assert!(!in_portal(&store, &unit).await, "{}", db.label);
            sql(&store, "UPDATE users SET disabled = 0 WHERE login = 'dv-handler'").await;
            assert!(in_portal(&store, &unit).await, "{}", db.label);
            sql(&store, "UPDATE users SET unit_code = NULL WHERE login = 'dv-handler'").await;
            assert!(!in_portal(&store, &unit).await, "{}", db.label);
            sql(&store, &format!("UPDATE users SET unit_code = '{unit}' WHERE login = 'dv-handler'")).await;
            assert!(in_portal(&store, &unit).await, "{}", db.label);

            // The role taken away, then the user deleted.
            sql(&store, "DELETE FROM user_roles WHERE user_id = (SELECT id FROM users WHERE login = 'dv-handler')").await;
            assert!(!in_portal(&store, &unit).await, "{}", db.label);
            grant_lead_handler(&store).await;
            assert!(in_portal(&store, &unit).await, "{}", db.label);
            sql(&store, "DELETE FROM users WHERE login = 'dv-handler'").await;
            assert!(!in_portal(&store, &unit).await, "{}", db.label);
        });
    }
}
