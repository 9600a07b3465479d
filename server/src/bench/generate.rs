//! `server bench generate`: fills an empty database with a large, realistic data set for the
//! benchmark. The demo directory, accounts and venues are seeded first (as `PORTAL_DEMO=1`
//! would), so the demo accounts keep working; then users across the whole directory, quiz
//! attempts with lesson progress and certificates, training assignments, leads with their
//! hand-overs and case-file entries, and exchange events with registrations.
//!
//! Rows go in with multi-row INSERTs in large transactions on one connection, ids chosen here,
//! and memory stays bounded: users and their training records are generated a chunk at a time.
//! The bulk rows have no audit entries (the audit chain holds only what the demo seeding and
//! real requests write, and stays valid). Generated users share the demo accounts' password
//! hash, so they sign in with the demo password.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use domain::routing::{route_lead, Subject};
use domain::training::{passed, score_question, Course, QuestionKind};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::AnyConnection;
use store::{Backend, Db, StoreError};

use crate::config::Config;

/// Logins of generated users: this prefix and a six-digit number.
pub const LOGIN_PREFIX: &str = "bench-";

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub users: u64,
    pub attempts: u64,
    pub leads: u64,
    pub events: u64,
    /// Percent of the users left without any attempt.
    pub fresh_percent: u64,
}

const DAY: i64 = 86_400_000;
const MINUTE: i64 = 60_000;
/// Users (with their training records) per transaction.
const USER_CHUNK: usize = 5_000;

/// One value of a generated row. NULLs carry their type for PostgreSQL.
enum V {
    I(i64),
    F(f64),
    T(String),
    NullI,
    NullT,
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

fn ot(s: Option<impl Into<String>>) -> V {
    s.map(|s| V::T(s.into())).unwrap_or(V::NullT)
}

fn oi(v: Option<i64>) -> V {
    v.map(V::I).unwrap_or(V::NullI)
}

/// A buffered multi-row INSERT into one table. Values are written as SQL literals (the
/// generator makes every one of them; text is quoted by doubling `'`): binding tens of
/// thousands of parameters per statement costs more than the insert itself.
struct Inserter {
    head: String,
    cols: usize,
    sql: String,
    pending: usize,
    rows: u64,
}

/// Rows per statement.
const ROWS_PER_STATEMENT: usize = 500;

impl Inserter {
    fn new(table: &str, cols: &[&str]) -> Inserter {
        let head = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        Inserter {
            sql: head.clone(),
            head,
            cols: cols.len(),
            pending: 0,
            rows: 0,
        }
    }

    /// Buffers a row; [`Inserter::flush`] writes it.
    fn push<const N: usize>(&mut self, row: [V; N]) {
        use std::fmt::Write;
        debug_assert_eq!(N, self.cols);
        if self.pending > 0 {
            self.sql.push(',');
        }
        self.sql.push('(');
        for (i, v) in row.into_iter().enumerate() {
            if i > 0 {
                self.sql.push(',');
            }
            let _ = match v {
                V::I(n) => write!(self.sql, "{n}"),
                V::F(f) => write!(self.sql, "{f:?}"),
                V::T(s) => {
                    self.sql.push('\'');
                    self.sql.push_str(&s.replace('\'', "''"));
                    self.sql.push('\'');
                    Ok(())
                }
                V::NullI => write!(self.sql, "CAST(NULL AS BIGINT)"),
                V::NullT => write!(self.sql, "CAST(NULL AS TEXT)"),
            };
        }
        self.sql.push(')');
        self.pending += 1;
        self.rows += 1;
    }

    /// Whether a full statement's worth of rows is waiting.
    fn full(&self) -> bool {
        self.pending >= ROWS_PER_STATEMENT
    }

    /// Writes every buffered row.
    async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.pending == 0 {
            return Ok(());
        }
        let sql = std::mem::replace(&mut self.sql, self.head.clone());
        self.pending = 0;
        sqlx::query(&sql)
            .persistent(false)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// Flushes `tables` (parents first, for the foreign keys) when any of them is full.
async fn flush_when_full(
    conn: &mut AnyConnection,
    tables: &mut [&mut Inserter],
) -> Result<(), StoreError> {
    if tables.iter().any(|t| t.full()) {
        for t in tables.iter_mut() {
            t.flush(conn).await?;
        }
    }
    Ok(())
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "华", "建", "国", "文", "斌", "宇", "浩", "凯", "欣", "婷",
];

fn person_name(rng: &mut StdRng) -> String {
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
struct Person {
    id: i64,
    name: String,
}

/// People per unit code, by role.
#[derive(Default)]
struct UnitPeople {
    members: Vec<i64>,
    handlers: Vec<Person>,
    training_admins: Vec<i64>,
    coordinators: Vec<i64>,
}

/// `server bench generate`.
pub async fn run(config: &Config, sizes: Sizes, seed: u64) -> ExitCode {
    match generate(config, sizes, seed).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: bench generate failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn generate(config: &Config, sizes: Sizes, seed: u64) -> Result<(), String> {
    let started = Instant::now();
    let catalogue = corpus::courses::load(&config.content_dir).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_url())
        .await
        .map_err(|e| e.to_string())?;
    let s = |e: StoreError| e.to_string();
    store::units::seed_directory(&db).await.map_err(s)?;
    store::users::seed_demo_accounts(&db).await.map_err(s)?;
    store::events::seed_demo_venues(&db).await.map_err(s)?;
    let demo = store::users::demo_accounts().len() as i64;
    let users: i64 = scalar(&db, "SELECT COUNT(*) FROM users").await?;
    let attempts: i64 = scalar(&db, "SELECT COUNT(*) FROM quiz_attempts").await?;
    let leads: i64 = scalar(&db, "SELECT COUNT(*) FROM leads").await?;
    if users > demo || attempts > 0 || leads > 0 {
        return Err(format!(
            "the database is not empty ({users} users, {attempts} attempts, {leads} leads): \
             generate into a fresh one"
        ));
    }
    // The demo accounts' hash: generated users share the demo password.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE login = 'admin'")
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let units = store::units::list_units(&db).await.map_err(s)?;
    let venues: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM venues ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = store::now_ms();
    let mut people: BTreeMap<String, UnitPeople> = BTreeMap::new();
    // The demo accounts take part too: their roles and units as seeded.
    for u in store::users::list_users(&db).await.map_err(s)? {
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
    let first_id: i64 = scalar(&db, "SELECT COALESCE(MAX(id), 0) FROM users").await? + 1;

    // Users and their training records, a chunk at a time.
    let weights: Vec<u32> = units.iter().map(|u| unit_weight(&u.code)).collect();
    let total_weight: u32 = weights.iter().sum();
    let fresh_from = sizes.users - sizes.users * sizes.fresh_percent.min(100) / 100;
    let per_active = sizes.attempts as f64 / fresh_from.max(1) as f64;
    let mut tally = Tally::default();
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
    let mut training = Training::new(&catalogue);
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
            let name = person_name(&mut rng);
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
                let made = training.person(&mut rng, id, k as usize, now, &catalogue);
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
    tally.users = users_ins.rows;
    tally.attempts = training.attempts.rows;
    tally.certificates = training.certificates.rows;
    tally.lessons = training.progress.rows;
    let after_users = started.elapsed().as_secs_f64();

    // Training assignments: every unit requires the regulation guide of everyone (due a month
    // ago), the boundaries course of everyone (due in a week) and lead routing of its lead
    // handlers (due in two weeks).
    let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
    let mut assign = Inserter::new(
        "training_assignments",
        &[
            "id",
            "unit_code",
            "course_id",
            "target",
            "due_at",
            "created_by",
            "created_at",
        ],
    );
    let course_ids: Vec<String> = catalogue
        .courses
        .iter()
        .map(|c| c.course.id.clone())
        .collect();
    let mut aid = 0;
    for (unit, p) in &people {
        let Some(&by) = p.training_admins.first() else {
            continue;
        };
        let plan = [
            (0usize, "unit", -30 * DAY),
            (1, "unit", 7 * DAY),
            (2, "role:lead_handler", 14 * DAY),
        ];
        for (c, target, due) in plan {
            let Some(course) = course_ids.get(c) else {
                continue;
            };
            aid += 1;
            assign.push([
                V::I(aid),
                t(unit.clone()),
                t(course.clone()),
                t(target),
                V::I(now + due),
                V::I(by),
                V::I(now - 60 * DAY),
            ]);
        }
    }
    assign.flush(&mut tx).await.map_err(s)?;
    tally.assignments = assign.rows;

    // Leads with their hand-overs and case-file entries.
    let dir = store::units::load_directory(&db).await.map_err(s)?;
    let (lead_rows, step_rows, entry_rows) =
        gen_leads(&mut tx, &mut rng, &dir, &people, sizes.leads, now)
            .await
            .map_err(s)?;
    tally.leads = lead_rows;
    tally.steps = step_rows;
    tally.entries = entry_rows;

    // Exchange events with registrations and attendance.
    let (ev, regs) = gen_events(&mut tx, &mut rng, &people, &venues, sizes.events, now)
        .await
        .map_err(s)?;
    tally.events = ev;
    tally.registrations = regs;
    tx.commit().await.map_err(|e| e.to_string())?;

    if db.backend == Backend::Postgres {
        // Ids were chosen here: move the identity sequences past them.
        for table in [
            "users",
            "quiz_attempts",
            "certificates",
            "training_assignments",
            "leads",
            "lead_steps",
            "lead_entries",
            "events",
            "event_registrations",
        ] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        }
        sqlx::query("ANALYZE")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    } else {
        sqlx::query("ANALYZE")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated in {secs:.1} s (users and training records {after_users:.1} s): {} users ({} without attempts), {} attempts, {} certificates, {} lessons completed, {} assignments, {} leads, {} hand-overs, {} case-file entries, {} events, {} registrations; generated users (logins {LOGIN_PREFIX}000001…) sign in with the demo password",
        tally.users,
        sizes.users - fresh_from,
        tally.attempts,
        tally.certificates,
        tally.lessons,
        tally.assignments,
        tally.leads,
        tally.steps,
        tally.entries,
        tally.events,
        tally.registrations
    );
    Ok(())
}

#[derive(Default)]
struct Tally {
    users: u64,
    attempts: u64,
    certificates: u64,
    lessons: u64,
    assignments: u64,
    leads: u64,
    steps: u64,
    entries: u64,
    events: u64,
    registrations: u64,
}

async fn scalar(db: &Db, sql: &str) -> Result<i64, String> {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())
}

/// Attempts, certificates and lesson progress of generated people.
struct Training {
    attempts: Inserter,
    certificates: Inserter,
    progress: Inserter,
    next_attempt: i64,
    next_certificate: i64,
    /// Attempts still owed to reach the requested total.
    debt: i64,
    lessons: Vec<Vec<String>>,
}

impl Training {
    fn new(catalogue: &corpus::courses::Catalogue) -> Training {
        Training {
            attempts: Inserter::new(
                "quiz_attempts",
                &[
                    "id",
                    "quiz_id",
                    "user_id",
                    "started_at",
                    "submitted_at",
                    "question_ids",
                    "option_orders",
                    "answers",
                    "score",
                    "max_score",
                    "passed",
                    "mode",
                ],
            ),
            certificates: Inserter::new(
                "certificates",
                &[
                    "id",
                    "code",
                    "user_id",
                    "course_id",
                    "attempt_id",
                    "issued_at",
                    "expires_at",
                ],
            ),
            progress: Inserter::new("lesson_progress", &["user_id", "lesson_id", "completed_at"]),
            next_attempt: 1,
            next_certificate: 1,
            debt: 0,
            lessons: catalogue
                .courses
                .iter()
                .map(|c| c.course.lessons.iter().map(|l| l.id.clone()).collect())
                .collect(),
        }
    }

    /// About `k` attempts of one person over the courses: up to the quiz's limit of exam
    /// attempts per course (the last one usually passing, with its certificate), the rest
    /// practice. Returns how many were written.
    fn person(
        &mut self,
        rng: &mut StdRng,
        user: i64,
        k: usize,
        now: i64,
        catalogue: &corpus::courses::Catalogue,
    ) -> usize {
        let n_courses = catalogue.courses.len();
        if k == 0 || n_courses == 0 {
            return 0;
        }
        let mut per_course = vec![0usize; n_courses];
        let start = rng.gen_range(0..n_courses);
        for j in 0..k {
            per_course[(start + j) % n_courses] += 1;
        }
        let mut made = 0;
        for (ci, &n) in per_course.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let course = &catalogue.courses[ci].course;
            let quiz = &course.quiz;
            let mut at = now - rng.gen_range(2..1_000) * DAY - rng.gen_range(0..600) * MINUTE;
            for lesson in &self.lessons[ci] {
                self.progress.push([
                    V::I(user),
                    t(lesson.clone()),
                    V::I(at - rng.gen_range(1..3) * DAY),
                ]);
            }
            let exams = n.min(quiz.max_attempts as usize);
            let practice = n - exams;
            let last_passes = rng.gen_bool(0.85);
            for j in 0..n {
                let is_exam = j < exams;
                let pass = is_exam && j + 1 == exams && last_passes;
                let right = if pass {
                    rng.gen_range(8..=10)
                } else {
                    rng.gen_range(3..=7)
                };
                let started = at;
                let submitted = started + rng.gen_range(4..18) * MINUTE;
                let (q, o, a, score, max) = draw(course, rng, right);
                let ok = passed(score, max, quiz.pass_mark) && is_exam;
                let id = self.next_attempt;
                self.next_attempt += 1;
                self.attempts.push([
                    V::I(id),
                    t(quiz.id.clone()),
                    V::I(user),
                    V::I(started),
                    V::I(submitted),
                    t(q),
                    t(o),
                    t(a),
                    V::F(score),
                    V::F(max),
                    V::I(ok as i64),
                    t(if is_exam { "exam" } else { "practice" }),
                ]);
                if ok {
                    let cid = self.next_certificate;
                    self.next_certificate += 1;
                    self.certificates.push([
                        V::I(cid),
                        t(store::attempts::new_code()),
                        V::I(user),
                        t(course.id.clone()),
                        V::I(id),
                        V::I(submitted),
                        V::I(store::attempts::add_months(
                            submitted,
                            course.validity_months,
                        )),
                    ]);
                }
                made += 1;
                // The cool-down, and usually more.
                at = submitted
                    + i64::from(quiz.cooldown_minutes) * MINUTE
                    + rng.gen_range(0..3 * 24 * 60) * MINUTE;
                if practice > 0 && at > now {
                    at = now - MINUTE;
                }
            }
        }
        made
    }
}

/// A drawn attempt answered with `right` questions fully right: (question ids, option orders,
/// answers as JSON, score, max score).
fn draw(course: &Course, rng: &mut StdRng, right: usize) -> (String, String, String, f64, f64) {
    let drawn: Vec<&domain::training::Question> = course
        .questions
        .choose_multiple(rng, course.quiz.draw as usize)
        .collect();
    let mut ids = Vec::with_capacity(drawn.len());
    let mut orders = Vec::with_capacity(drawn.len());
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut score = 0.0;
    for (i, q) in drawn.iter().enumerate() {
        ids.push(q.id.clone());
        let mut order: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
        if q.kind != QuestionKind::TrueFalse {
            order.shuffle(rng);
        }
        orders.push(order);
        let chosen: Vec<String> = if i < right {
            q.correct_ids().into_iter().map(String::from).collect()
        } else {
            q.options
                .iter()
                .find(|o| !o.correct)
                .map(|o| vec![o.id.clone()])
                .unwrap_or_default()
        };
        score += score_question(q, &chosen);
        answers.insert(q.id.clone(), chosen);
    }
    let max = drawn.len() as f64;
    (
        serde_json::to_string(&ids).unwrap_or_default(),
        serde_json::to_string(&orders).unwrap_or_default(),
        serde_json::to_string(&answers).unwrap_or_default(),
        score,
        max,
    )
}

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
async fn gen_leads(
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

/// Events hosted by the associations and organs over two years, past ones held (with
/// attendance) and future ones open for registration. Returns (events, registrations).
async fn gen_events(
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
