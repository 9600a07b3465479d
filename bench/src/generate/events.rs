//! Exchange events hosted over two years, with registrations, waitlists and attendance.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::AnyConnection;
use store::StoreError;

use super::insert::{flush_when_full, oi, t, Inserter, V};
use super::people::UnitPeople;
use super::{DAY, MINUTE};

/// Events hosted by the associations and organs over two years, past ones held (with
/// attendance) and future ones open for registration. Returns (events, registrations).
pub(super) async fn gen_events(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    people: &BTreeMap<String, UnitPeople>,
    venues: &[(i64, String)],
    n: u64,
    now: i64,
) -> Result<(u64, u64), StoreError> {
    let mut events = Inserter::new(
        "events",
        &[
            "id",
            "uid",
            "sequence",
            "host_unit",
            "title",
            "kind",
            "agenda",
            "venue_id",
            "venue_text",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_deadline",
            "status",
            "flags",
            "checkin_code",
            "created_by",
            "created_at",
            "updated_at",
            "published_at",
        ],
    );
    let mut open_to = Inserter::new("event_units", &["event_id", "unit_code"]);
    let mut regs = Inserter::new(
        "event_registrations",
        &[
            "id",
            "event_id",
            "user_id",
            "status",
            "queued_at",
            "attended",
            "checked_in_at",
            "created_at",
            "updated_at",
        ],
    );
    let hosts: Vec<(&String, &UnitPeople)> = people
        .iter()
        .filter(|(_, p)| !p.coordinators.is_empty())
        .collect();
    let audiences: Vec<&String> = people
        .iter()
        .filter(|(c, p)| c.starts_with("dz-") && !p.members.is_empty())
        .map(|(c, _)| c)
        .collect();
    if hosts.is_empty() || audiences.is_empty() {
        return Ok((0, 0));
    }
    let kinds = domain::events::EventKind::ALL;
    let titles = [
        "法律职业共同体座谈会",
        "审判实务业务研讨",
        "律师执业规范联合培训",
        "“亲”“清”关系专题交流",
    ];
    let mut reg_id = 0i64;
    for i in 0..n as i64 {
        flush_when_full(conn, &mut [&mut events, &mut open_to, &mut regs]).await?;
        let id = i + 1;
        let (host, hp) = hosts[rng.gen_range(0..hosts.len())];
        let by = *hp.coordinators.choose(rng).unwrap_or(&1);
        // Weekdays 09:00 or 14:30 Beijing time, from two years back to two months ahead.
        let day = now / DAY + rng.gen_range(-730..60);
        let start = day * DAY
            + if rng.gen_bool(0.5) {
                3_600_000
            } else {
                23_400_000
            };
        let end = start + 2 * 3_600_000;
        let capacity: i64 = rng.gen_range(20..150);
        let past = end < now;
        let status = if rng.gen_bool(0.05) {
            "cancelled"
        } else if past {
            "held"
        } else if rng.gen_bool(0.1) {
            "draft"
        } else {
            "published"
        };
        let (vid, vname) = venues
            .choose(rng)
            .cloned()
            .unwrap_or((0, "大足区司法局会议室".into()));
        let kind = kinds[rng.gen_range(0..kinds.len())];
        let created = start - rng.gen_range(10..40) * DAY;
        events.push([
            V::I(id),
            t(format!("bench-{id}-{:016x}@dazu-portal", rng.gen::<u64>())),
            V::I(0),
            t(host.clone()),
            t(format!(
                "{}（第{}期）",
                titles[rng.gen_range(0..titles.len())],
                id
            )),
            t(kind.as_str()),
            t("一、主题发言；二、交流讨论；三、总结。"),
            if vid > 0 { V::I(vid) } else { V::NullI },
            t(vname),
            V::I(start),
            V::I(end),
            V::I(capacity),
            V::I(start - DAY),
            t(status),
            t(""),
            t(format!("{:06}", rng.gen_range(0..1_000_000))),
            V::I(by),
            V::I(created),
            V::I(created),
            if status == "draft" {
                V::NullI
            } else {
                V::I(created + DAY)
            },
        ]);
        let how_many = rng.gen_range(1..=3);
        let mut units: Vec<&String> = audiences.choose_multiple(rng, how_many).copied().collect();
        units.sort();
        for u in &units {
            open_to.push([V::I(id), t((*u).clone())]);
        }
        if status == "draft" {
            continue;
        }
        let pool: Vec<i64> = units
            .iter()
            .flat_map(|u| {
                people
                    .get(*u)
                    .map(|p| p.members.clone())
                    .unwrap_or_default()
            })
            .collect();
        let want = rng.gen_range(capacity / 2..capacity + 15) as usize;
        let chosen: Vec<i64> = pool
            .choose_multiple(rng, want.min(pool.len()))
            .copied()
            .collect();
        for (k, user) in chosen.iter().enumerate() {
            reg_id += 1;
            let queued = created + DAY + k as i64 * MINUTE;
            let state = if (k as i64) < capacity {
                if rng.gen_bool(0.05) {
                    "cancelled"
                } else {
                    "registered"
                }
            } else {
                "waitlisted"
            };
            let attended = status == "held" && state == "registered" && rng.gen_bool(0.85);
            regs.push([
                V::I(reg_id),
                V::I(id),
                V::I(*user),
                t(state),
                V::I(queued),
                V::I(attended as i64),
                oi(attended.then_some(start + rng.gen_range(0..20) * MINUTE)),
                V::I(queued),
                V::I(queued),
            ]);
        }
    }
    events.flush(conn).await?;
    open_to.flush(conn).await?;
    regs.flush(conn).await?;
    Ok((events.rows, regs.rows))
}
