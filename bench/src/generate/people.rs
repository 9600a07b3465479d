//! The people: users across the whole directory (units weighted by size) with their roles, the
//! demo accounts among them, and each one's training records as they are made.

use std::collections::BTreeMap;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use store::{Db, StoreError};

use super::insert::{flush_when_full, t, Inserter, V};
use super::training::Training;
use super::{scalar, Sizes, DAY, LOGIN_PREFIX};

/// Users (with their training records) per transaction.
const USER_CHUNK: usize = 5_000;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "国", "文", "斌", "宇", "浩", "凯", "欣", "婷",
];

pub(super) fn person_name(rng: &mut StdRng) -> String {
    let mut s = String::from(*SURNAMES.choose(rng).unwrap_or(&"王"));
    for _ in 0..rng.gen_range(1..=2) {
        s.push_str(GIVEN.choose(rng).unwrap_or(&"伟"));
    }
    s
}

/// How many people a unit has, relative to the others.
fn unit_weight(code: &str) -> u32 {
    if code.ends_with("-psb") || code == "cq-psb" {
        6
    } else if code.contains("court") {
        5
    } else if code.contains("procuratorate") {
        4
    } else if code.contains("-firm-") {
        3
    } else if code.ends_with("-justice") {
        2
    } else {
        1
    }
}

/// Units whose people take the judicial-personnel courses and handle leads.
fn is_organ(code: &str) -> bool {
    code.contains("court")
        || code.contains("procuratorate")
        || code.ends_with("psb")
        || code.ends_with("justice")
        || code.ends_with("-bar")
}

fn is_association(code: &str) -> bool {
    code.ends_with("-assoc") || code.ends_with("-bar")
}

/// A generated person as later steps need them.
#[derive(Clone)]
pub(super) struct Person {
    pub(super) id: i64,
    pub(super) name: String,
}

/// People per unit code, by role.
#[derive(Default)]
pub(super) struct UnitPeople {
    pub(super) members: Vec<i64>,
    pub(super) handlers: Vec<Person>,
    pub(super) training_admins: Vec<i64>,
    pub(super) coordinators: Vec<i64>,
}

/// Everyone who takes part, by unit: the demo accounts with their roles and units as seeded,
/// then `sizes.users` generated users spread over the units by weight, each with their training
/// records, [`USER_CHUNK`] users per transaction. Returns the people, how many users were
/// generated, and the training records written.
pub(super) async fn gen_users(
    db: &Db,
    rng: &mut StdRng,
    catalogue: &corpus::courses::Catalogue,
    sizes: Sizes,
    now: i64,
    started: Instant,
) -> Result<(BTreeMap<String, UnitPeople>, u64, Training), String> {
    let s = |e: StoreError| e.to_string();
    // The demo accounts' hash: generated users share the demo password.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE login = 'admin'")
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let units = store::units::list_units(db).await.map_err(s)?;
    let mut people: BTreeMap<String, UnitPeople> = BTreeMap::new();
    // The demo accounts take part too: their roles and units as seeded.
    for u in store::users::list_users(db).await.map_err(s)? {
        let Some(unit) = u.unit_code.clone() else {
            continue;
        };
        let p = people.entry(unit).or_default();
        use store::users::Role;
        if u.has(Role::LeadHandler) {
            p.handlers.push(Person {
                id: u.id,
                name: u.display_name.clone(),
            });
        }
        if u.has(Role::TrainingAdmin) {
            p.training_admins.push(u.id);
        }
        if u.has(Role::Coordinator) {
            p.coordinators.push(u.id);
        }
        p.members.push(u.id);
    }
    let first_id: i64 = scalar(db, "SELECT COALESCE(MAX(id), 0) FROM users").await? + 1;

    // Users and their training records, a chunk at a time.
    let weights: Vec<u32> = units.iter().map(|u| unit_weight(&u.code)).collect();
    let total_weight: u32 = weights.iter().sum();
    let fresh_from = sizes.fresh_from();
    let per_active = sizes.attempts as f64 / fresh_from.max(1) as f64;
    let mut users_ins = Inserter::new(
        "users",
        &[
            "id",
            "login",
            "display_name",
            "unit_code",
            "password_hash",
            "must_change_password",
            "disabled",
            "created_at",
        ],
    );
    let mut roles_ins = Inserter::new("user_roles", &["user_id", "role"]);
    let mut training = Training::new(catalogue);
    let mut unit_seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut i: u64 = 0;
    while i < sizes.users {
        let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
        let end = (i + USER_CHUNK as u64).min(sizes.users);
        for n in i..end {
            let id = first_id + n as i64;
            // Units in proportion to their weight, deterministic in n.
            let mut pick = (n as u32).wrapping_mul(2_654_435_761) % total_weight;
            let mut ui = 0;
            while pick >= weights[ui] {
                pick -= weights[ui];
                ui += 1;
            }
            let unit = &units[ui].code;
            let seen = unit_seen.entry(unit.clone()).or_default();
            *seen += 1;
            let name = person_name(rng);
            let created = now - rng.gen_range(30..1_500) * DAY;
            users_ins.push([
                V::I(id),
                t(format!("{LOGIN_PREFIX}{:06}", n + 1)),
                t(name.clone()),
                t(unit.clone()),
                t(hash.clone()),
                V::I(0),
                V::I(0),
                V::I(created),
            ]);
            let p = people.entry(unit.clone()).or_default();
            p.members.push(id);
            let mut roles = vec!["member"];
            // A few lead handlers per organ, one training administrator per unit, and a
            // coordinator per association.
            if is_organ(unit) && *seen % 400 == 1 && p.handlers.len() < 8 {
                roles.push("lead_handler");
                p.handlers.push(Person {
                    id,
                    name: name.clone(),
                });
            }
            if *seen == 2 {
                roles.push("training_admin");
                p.training_admins.push(id);
            }
            if is_association(unit) && *seen == 3 {
                roles.push("coordinator");
                p.coordinators.push(id);
            }
            for r in roles {
                roles_ins.push([V::I(id), t(r)]);
            }
            if n < fresh_from {
                let want = ((n + 1) as f64 * per_active).round() as i64
                    - (n as f64 * per_active).round() as i64;
                let jitter: i64 = if want > 3 { rng.gen_range(-3..=3) } else { 0 };
                let k = (want + jitter + training.debt).max(0);
                let made = training.person(rng, id, k as usize, now, catalogue);
                training.debt = want + training.debt - made as i64;
            }
            flush_when_full(
                &mut tx,
                &mut [
                    &mut users_ins,
                    &mut roles_ins,
                    &mut training.attempts,
                    &mut training.certificates,
                    &mut training.progress,
                ],
            )
            .await
            .map_err(s)?;
        }
        users_ins.flush(&mut tx).await.map_err(s)?;
        roles_ins.flush(&mut tx).await.map_err(s)?;
        training.attempts.flush(&mut tx).await.map_err(s)?;
        training.certificates.flush(&mut tx).await.map_err(s)?;
        training.progress.flush(&mut tx).await.map_err(s)?;
        tx.commit().await.map_err(|e| e.to_string())?;
        i = end;
        eprintln!(
            "bench generate: {end} users, {} attempts ({:.0} s)",
            training.attempts.rows,
            started.elapsed().as_secs_f64()
        );
    }
    Ok((people, users_ins.rows, training))
}
