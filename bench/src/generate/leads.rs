//! Leads routed by the real rules, with their hand-overs and case-file entries, at every stage
//! from just reported to closed.

use std::collections::BTreeMap;

use domain::routing::{route_lead, Subject};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::AnyConnection;
use store::StoreError;

use super::insert::{flush_when_full, oi, ot, t, Inserter, V};
use super::people::{person_name, Person, UnitPeople};
use super::{DAY, MINUTE};

const SUMMARIES: &[&str] = &[
    "律师在案件审理期间宴请承办法官",
    "司法人员向律师介绍案件代理",
    "律师私下会见承办检察官并赠送礼品",
    "办案民警为律师打探案情",
    "律师与法官在非工作场所频繁接触",
    "司法人员在律师事务所兼职取酬",
    "律师借款给承办人员",
    "司法人员接受律师安排的旅游活动",
];

/// Leads across the home jurisdiction, routed by the real rules, at every stage from just
/// reported to closed. Returns (leads, hand-overs, entries).
pub(super) async fn gen_leads(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    dir: &domain::directory::Directory,
    people: &BTreeMap<String, UnitPeople>,
    n: u64,
    now: i64,
) -> Result<(u64, u64, u64), StoreError> {
    let mut leads = Inserter::new(
        "leads",
        &[
            "id",
            "reference",
            "discoverer_unit",
            "created_by",
            "created_at",
            "status",
            "rule",
            "manual",
            "routing_reason",
            "route",
            "subject_type",
            "subject_name",
            "subject_org",
            "subject_duty",
            "subject_licence",
            "subject_firm",
            "subject_region",
            "occurred_on",
            "place",
            "conduct_kind",
            "summary",
            "details",
            "warnings",
            "closed_at",
        ],
    );
    let mut steps = Inserter::new(
        "lead_steps",
        &[
            "id",
            "lead_id",
            "hop",
            "sender_unit",
            "receiver_unit",
            "sent_at",
            "acknowledged_at",
            "acknowledged_by",
            "passed_on_at",
        ],
    );
    let mut entries = Inserter::new(
        "lead_entries",
        &[
            "id",
            "lead_id",
            "kind",
            "unit",
            "author_id",
            "author_name",
            "at",
            "body",
            "outcomes",
        ],
    );
    // Who finds leads: mostly the home justice bureau, lawyers' association and organs.
    let discoverers: Vec<(&str, u32)> = vec![
        ("dz-justice", 30),
        ("dz-bar", 20),
        ("dz-court", 15),
        ("dz-procuratorate", 12),
        ("dz-psb", 12),
        ("yc-court", 4),
        ("cq-court-1", 3),
        ("rc-justice", 2),
        ("tl-psb", 2),
    ];
    let total: u32 = discoverers.iter().map(|d| d.1).sum();
    let organs: Vec<&str> = dir
        .units()
        .iter()
        .map(|u| u.code.as_str())
        .filter(|c| c.contains("court") || c.contains("procuratorate") || c.ends_with("psb"))
        .collect();
    let duties = [
        "adjudication",
        "enforcement",
        "procuratorial",
        "investigation",
        "supervision",
    ];
    let conducts = domain::case::ConductKind::ALL;
    let outcomes = ["not_substantiated", "discipline", "industry_sanction"];
    let mut counters: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut step_id, mut entry_id) = (0i64, 0i64);
    let handler = |unit: &str, rng: &mut StdRng| -> Person {
        people
            .get(unit)
            .and_then(|p| p.handlers.choose(rng).cloned())
            .unwrap_or(Person {
                id: 1,
                name: "系统管理员".into(),
            })
    };
    // Created over the last two years, oldest first, so ids follow time.
    let mut times: Vec<i64> = (0..n)
        .map(|_| now - rng.gen_range(MINUTE..730 * DAY))
        .collect();
    times.sort_unstable();
    for (i, &created) in times.iter().enumerate() {
        let id = i as i64 + 1;
        let mut pick = rng.gen_range(0..total);
        let mut d = discoverers[0].0;
        for (code, w) in &discoverers {
            if pick < *w {
                d = code;
                break;
            }
            pick -= w;
        }
        let lawyer = rng.gen_bool(0.35);
        let org = (*organs.choose(rng).unwrap_or(&"dz-court")).to_string();
        let subject = if lawyer {
            Subject::Lawyer
        } else {
            Subject::JudicialPersonnel { org: &org }
        };
        let Ok(plan) = route_lead(dir, d, &subject) else {
            continue;
        };
        let year = chrono::DateTime::from_timestamp_millis(created + 8 * 3_600_000)
            .map(|t| chrono::Datelike::year(&t) as i64)
            .unwrap_or(2026);
        let seq = counters.entry(year).or_insert(0);
        *seq += 1;
        let reference = format!("DZ-{year}-{seq:05}");
        let reporter = handler(d, rng);
        let age_days = (now - created) / DAY;
        // Older leads are further along; most of those over three months old are closed.
        let stage: f64 = if age_days > 90 {
            rng.gen_range(0.6..1.0)
        } else {
            rng.gen_range(0.0..1.0)
        };
        let mut route = plan
            .routes
            .get(if plan.routes.len() > 1 {
                rng.gen_range(0..plan.routes.len())
            } else {
                0
            })
            .cloned();
        let mut t_at = created;
        let mut tick = |rng: &mut StdRng| {
            t_at += rng.gen_range(30 * MINUTE..2 * DAY);
            t_at.min(now)
        };
        let mut lead_entries: Vec<(String, String, Person, i64, String, Option<String>)> =
            Vec::new();
        if plan.manual && stage > 0.15 {
            // The joint office routed it by hand.
            let office = handler("dz-justice", rng);
            let to = if lawyer {
                "dz-bar".to_string()
            } else {
                org.clone()
            };
            let r = vec![d.to_string(), to];
            let at = tick(rng);
            lead_entries.push((
                "route".into(),
                "dz-justice".into(),
                office,
                at,
                format!("{}\n联合办公室人工分送", r.join(" → ")),
                None,
            ));
            route = Some(r);
        }
        let mut closed_at = None;
        let mut status = if route.is_some() { "open" } else { "manual" };
        if let Some(r) = &route {
            let hops = r.len().saturating_sub(1);
            // How many hops the lead has got through, and whether it is finished.
            let reached = ((stage * (hops as f64 + 3.0)).floor() as usize).min(hops + 3);
            for h in 0..hops.min(reached.max(1)) {
                let sent = tick(rng);
                let acked = h < reached;
                let ack_at = acked.then(|| tick(rng));
                let passed = h + 1 < hops && h + 1 < reached;
                let receiver = &r[h + 1];
                let by = acked.then(|| handler(receiver, rng).id);
                step_id += 1;
                steps.push([
                    V::I(step_id),
                    V::I(id),
                    V::I(h as i64 + 1),
                    t(r[h].clone()),
                    t(receiver.clone()),
                    V::I(sent),
                    oi(ack_at),
                    oi(by),
                    oi(passed.then(|| tick(rng))),
                ]);
            }
            let last = r.last().cloned().unwrap_or_default();
            if reached > hops {
                let p = handler(&last, rng);
                lead_entries.push((
                    "findings".into(),
                    last.clone(),
                    p.clone(),
                    tick(rng),
                    "经调查核实，已查明有关情况。".into(),
                    None,
                ));
                if reached > hops + 1 {
                    let o = outcomes.choose(rng).unwrap_or(&"discipline");
                    lead_entries.push((
                        "outcome".into(),
                        last.clone(),
                        p.clone(),
                        tick(rng),
                        "处理结果已记录。".into(),
                        Some(format!("[\"{o}\"]")),
                    ));
                    if r.len() > 1 {
                        lead_entries.push((
                            "feedback".into(),
                            last.clone(),
                            p,
                            tick(rng),
                            "已向发现单位反馈核查和处理情况。".into(),
                            None,
                        ));
                    }
                    if reached > hops + 2 || age_days > 120 {
                        let at = tick(rng);
                        lead_entries.push((
                            "close".into(),
                            d.to_string(),
                            reporter.clone(),
                            at,
                            String::new(),
                            None,
                        ));
                        closed_at = Some(at);
                        status = "closed";
                    }
                }
            }
        }
        let summary = SUMMARIES.choose(rng).unwrap_or(&SUMMARIES[0]);
        let (name, sorg, duty, licence, firm, region) = if lawyer {
            (
                format!("{}律师", person_name(rng)),
                None,
                None,
                Some(format!(
                    "1500120{:03}{:07}",
                    rng.gen_range(10..99),
                    rng.gen_range(0..9_999_999)
                )),
                Some(
                    ["dz-firm-1", "dz-firm-2", "yc-firm-1"]
                        .choose(rng)
                        .unwrap_or(&"dz-firm-1")
                        .to_string(),
                ),
                Some("大足区".to_string()),
            )
        } else {
            (
                person_name(rng),
                Some(org.clone()),
                Some(duties.choose(rng).unwrap_or(&"adjudication").to_string()),
                None,
                None,
                None,
            )
        };
        let occurred =
            chrono::DateTime::from_timestamp_millis(created - rng.gen_range(1..60) * DAY)
                .map(|t| t.format("%Y-%m-%d").to_string());
        leads
            .push([
                    V::I(id),
                    t(reference),
                    t(d),
                    V::I(reporter.id),
                    V::I(created),
                    t(status),
                    t(plan.rule.as_str()),
                    V::I(plan.manual as i64),
                    t(plan.reason_zh.clone()),
                    ot(route.as_ref().map(|r| serde_json::to_string(r).unwrap_or_default())),
                    t(if lawyer { "lawyer" } else { "judicial_personnel" }),
                    t(name),
                    ot(sorg),
                    ot(duty),
                    ot(licence),
                    ot(firm),
                    ot(region),
                    ot(occurred),
                    t("大足区某餐厅"),
                    t(conducts.choose(rng).map(|c| c.as_str()).unwrap_or("other")),
                    t(*summary),
                    t(format!("{summary}。据反映，相关人员在案件办理期间存在不正当接触交往行为，具体时间、地点和经过详见附件材料。")),
                    t("[]"),
                    oi(closed_at),
                ]);
        for (kind, unit, author, at, body, outcome) in lead_entries {
            entry_id += 1;
            entries.push([
                V::I(entry_id),
                V::I(id),
                t(kind),
                t(unit),
                V::I(author.id),
                t(author.name),
                V::I(at),
                t(body),
                ot(outcome),
            ]);
        }
        flush_when_full(conn, &mut [&mut leads, &mut steps, &mut entries]).await?;
    }
    leads.flush(conn).await?;
    steps.flush(conn).await?;
    entries.flush(conn).await?;
    for (year, next) in counters {
        sqlx::query("INSERT INTO lead_counters (year, next) VALUES ($1, $2)")
            .bind(year)
            .bind(next)
            .execute(&mut *conn)
            .await?;
    }
    Ok((leads.rows, steps.rows, entries.rows))
}
