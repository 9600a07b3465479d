//! Group commit (`store::group_commit`): concurrent writes on SQLite share transactions, each
//! answered only once committed; a write that fails or panics leaves nothing behind and does
//! not take the others in its group with it. On PostgreSQL each write has its own transaction,
//! with the same answers. (That an answered write survives a SIGKILL is `crash::`.)

use crate::support::*;

use store::group_commit::group_stats;
use store::{Backend, StoreError};

/// What a test write does after inserting its row.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Then {
    Keep,
    Fail,
    Panic,
}

fn then_for(i: usize, panics: bool) -> Then {
    match i % 5 {
        1 => Then::Fail,
        3 if panics => Then::Panic,
        _ => Then::Keep,
    }
}

#[test]
fn concurrent_writes_share_commits_and_a_failed_write_leaves_nothing() {
    for db in databases("group-commit") {
        let app = TestApp::demo(&db);
        let store = app.state.db.clone();
        let sqlite = store.backend == Backend::Sqlite;
        let user_id: i64 = app.block_on(async {
            sqlx::query_scalar("SELECT id FROM users WHERE login = 'judge-zhang'")
                .fetch_one(&store.pool)
                .await
                .unwrap()
        });
        let before = group_stats(&store);
        const WRITES: usize = 60;
        let results: Vec<(Then, Result<usize, String>)> = app.block_on(async {
            let writes: Vec<_> = (0..WRITES)
                .map(|i| {
                    let store = store.clone();
                    // A panic inside the caller's own task (PostgreSQL) would only test tokio.
                    let then = then_for(i, sqlite);
                    let task = tokio::spawn(async move {
                        store
                            .write(move |tx| {
                                Box::pin(async move {
                                    sqlx::query("INSERT INTO lesson_progress (user_id, lesson_id, completed_at) VALUES ($1, $2, 1)")
                                        .bind(user_id)
                                        .bind(format!("group-commit-{i}"))
                                        .execute(&mut **tx)
                                        .await?;
                                    match then {
                                        Then::Keep => Ok(i),
                                        Then::Fail => Err(StoreError::Corrupt("refused on purpose".into())),
                                        Then::Panic => panic!("a write that panics on purpose"),
                                    }
                                })
                            })
                            .await
                    });
                    (then, task)
                })
                .collect();
            let mut out = Vec::new();
            for (then, task) in writes {
                let result = task.await.unwrap().map_err(|e| e.to_string());
                out.push((then, result));
            }
            out
        });
        for (i, (then, result)) in results.iter().enumerate() {
            match then {
                Then::Keep => assert_eq!(result.as_ref().ok(), Some(&i), "{}: write {i}", db.label),
                Then::Fail => assert!(
                    result
                        .as_ref()
                        .is_err_and(|e| e.contains("refused on purpose")),
                    "{}: write {i} answered {result:?}",
                    db.label
                ),
                Then::Panic => assert!(result.is_err(), "{}: write {i}", db.label),
            }
        }
        let stored: Vec<String> = app.block_on(async {
            sqlx::query_scalar(
                "SELECT lesson_id FROM lesson_progress WHERE lesson_id LIKE 'group-commit-%'",
            )
            .fetch_all(&store.pool)
            .await
            .unwrap()
        });
        let mut expected: Vec<String> = (0..WRITES)
            .filter(|&i| then_for(i, sqlite) == Then::Keep)
            .map(|i| format!("group-commit-{i}"))
            .collect();
        let mut stored = stored;
        stored.sort();
        expected.sort();
        assert_eq!(
            stored, expected,
            "{}: exactly the kept writes are stored",
            db.label
        );
        let after = group_stats(&store);
        if sqlite {
            assert_eq!(after.writes - before.writes, WRITES as u64, "{}", db.label);
            assert!(
                after.groups - before.groups < WRITES as u64,
                "{}: {WRITES} writes in {} transactions",
                db.label,
                after.groups - before.groups
            );
        } else {
            assert_eq!(after, before, "{}: no group writer on PostgreSQL", db.label);
        }
        // The writer goes on after a failure and a panic.
        let next = app.block_on(store.write(|_| Box::pin(async { Ok(7) })));
        assert_eq!(next.ok(), Some(7), "{}", db.label);
    }
}
