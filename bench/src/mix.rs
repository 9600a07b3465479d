//! `portal-bench mix`: the deadline-day mix against a running server. Each client signs in as
//! a generated user who has not started any quiz yet (a session is created for them in the
//! server's database beforehand, so password hashing is not part of the mix) and, over its own
//! keep-alive connection, repeats: open a lesson, start an attempt (the start button's POST),
//! open the attempt's quiz page, save answers, submit, view the report. The forms are the pages'
//! own (no WebAssembly needed), and redirects are not followed: each request is one step. At the end every attempt whose
//! submission was answered with a redirect is looked up in the database.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use store::sessions::{self, Kind};
use store::Db;

use crate::Config;

const STEPS: [&str; 6] = [
    "open lesson",
    "start attempt",
    "quiz page",
    "save answers",
    "submit",
    "view report",
];

/// What a client needs to know about a course.
#[derive(Clone)]
struct CourseRef {
    lessons: Vec<String>,
    quiz: String,
}

/// What one client measured.
#[derive(Default)]
struct Measured {
    /// Per step: latencies in microseconds, and errors.
    latencies: [Vec<u64>; 6],
    errors: [u64; 6],
    first_errors: Vec<String>,
    loops: u64,
    submitted: Vec<i64>,
}

/// `portal-bench mix`.
pub async fn run(
    config: &Config,
    url: &str,
    clients: usize,
    duration: u64,
    think_ms: u64,
) -> ExitCode {
    match mix(config, url, clients.max(1), duration, think_ms).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal-bench: mix failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn mix(
    config: &Config,
    url: &str,
    clients: usize,
    duration: u64,
    think_ms: u64,
) -> Result<(), String> {
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    if host.contains('/') || url.starts_with("https://") {
        return Err("--url must be http://host:port".into());
    }
    let catalogue = corpus::courses::load(&config.content_dir).map_err(|e| e.to_string())?;
    let courses: Vec<CourseRef> = catalogue
        .courses
        .iter()
        .map(|lc| CourseRef {
            lessons: lc
                .course
                .lessons
                .iter()
                .map(|l| format!("/training/{}/{}", lc.course.id, l.id))
                .collect(),
            quiz: lc.course.quiz.id.clone(),
        })
        .collect();
    if courses.is_empty() {
        return Err("no courses".into());
    }
    let db = Db::open(&config.database_url())
        .await
        .map_err(|e| e.to_string())?;
    // Generated users who have not started anything: each can take every course once.
    let want = (clients as i64 * duration as i64 * 2).clamp(500, 20_000);
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.login LIKE 'bench-%' AND NOT EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.user_id = u.id) ORDER BY u.id LIMIT $1",
    )
    .bind(want)
    .fetch_all(&db.pool)
    .await
    .map_err(|e| e.to_string())?;
    if ids.len() < clients {
        return Err(format!(
            "only {} generated users without attempts; run `portal-bench generate` on a fresh database",
            ids.len()
        ));
    }
    let mut cookies = Vec::with_capacity(ids.len());
    let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
    for id in &ids {
        let secret = sessions::create(&mut tx, *id, Kind::Session, None)
            .await
            .map_err(|e| e.to_string())?;
        cookies.push(format!("portal_session={}", secret.0));
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    let cookies = Arc::new(cookies);
    let courses = Arc::new(courses);
    let next_job = Arc::new(AtomicUsize::new(0));
    let ran_out = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(duration);
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (host, cookies, courses, next_job, ran_out) = (
            host.clone(),
            cookies.clone(),
            courses.clone(),
            next_job.clone(),
            ran_out.clone(),
        );
        tasks.push(tokio::spawn(async move {
            client(
                host, cookies, courses, next_job, ran_out, deadline, think_ms,
            )
            .await
        }));
    }
    let mut all = Measured::default();
    for t in tasks {
        let m = t.await.map_err(|e| e.to_string())?;
        for s in 0..STEPS.len() {
            all.latencies[s].extend(&m.latencies[s]);
            all.errors[s] += m.errors[s];
        }
        all.loops += m.loops;
        all.submitted.extend(m.submitted);
        if all.first_errors.len() < 5 {
            all.first_errors.extend(m.first_errors);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let requests: usize = all.latencies.iter().map(Vec::len).sum();
    let errors: u64 = all.errors.iter().sum();
    println!(
        "deadline-day mix: {clients} clients, think time {think_ms} ms, {elapsed:.1} s, {} loops ({:.1}/s), {} requests ({:.1}/s), {errors} errors{}",
        all.loops,
        all.loops as f64 / elapsed,
        requests + errors as usize,
        (requests + errors as usize) as f64 / elapsed,
        if ran_out.load(Ordering::Relaxed) {
            " (ran out of fresh users: generate more)"
        } else {
            ""
        }
    );
    println!(
        "{:<14}{:>8}{:>8}{:>9}{:>9}{:>9}",
        "step", "ok", "errors", "p50_ms", "p99_ms", "max_ms"
    );
    for (s, name) in STEPS.iter().enumerate() {
        let v = &mut all.latencies[s];
        v.sort_unstable();
        let pct = |p: f64| -> f64 {
            if v.is_empty() {
                return 0.0;
            }
            let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
            v[i] as f64 / 1000.0
        };
        println!(
            "{name:<14}{:>8}{:>8}{:>9.1}{:>9.1}{:>9.1}",
            v.len(),
            all.errors[s],
            pct(0.5),
            pct(0.99),
            pct(1.0)
        );
    }
    for e in all.first_errors.iter().take(5) {
        println!("  error: {e}");
    }
    // Every submission the server confirmed must be in the database.
    let mut found = 0i64;
    for chunk in all.submitted.chunks(500) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND score IS NOT NULL AND id IN ({})",
            ph.join(",")
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        found += q.fetch_one(&db.pool).await.map_err(|e| e.to_string())?;
    }
    let lost = all.submitted.len() as i64 - found;
    println!(
        "submitted attempts confirmed by the server: {}; found submitted and scored in the database: {found}; lost: {lost}",
        all.submitted.len()
    );
    if lost != 0 {
        return Err(format!("{lost} confirmed submissions are missing"));
    }
    Ok(())
}

/// One keep-alive connection to `host`.
async fn connect(host: &str) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(host)
        .await
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// Sends one request and reads the whole answer: (status, `Location`, body).
async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    host: &str,
    method: &str,
    path: &str,
    cookie: &str,
    form: Option<String>,
) -> Result<(u16, Option<String>, Bytes), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let mut b = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", host)
        .header("cookie", cookie);
    if form.is_some() {
        b = b.header("content-type", "application/x-www-form-urlencoded");
    }
    let req = b
        .body(Full::new(Bytes::from(form.unwrap_or_default())))
        .map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, location, body))
}

async fn client(
    host: String,
    cookies: Arc<Vec<String>>,
    courses: Arc<Vec<CourseRef>>,
    next_job: Arc<AtomicUsize>,
    ran_out: Arc<AtomicBool>,
    deadline: Instant,
    think_ms: u64,
) -> Measured {
    let mut m = Measured::default();
    let mut sender: Option<SendRequest<Full<Bytes>>> = None;
    let users = cookies.len();
    let jobs = users * courses.len();
    let mut rng = rand::rngs::StdRng::from_entropy();
    'jobs: while Instant::now() < deadline {
        let j = next_job.fetch_add(1, Ordering::Relaxed);
        if j >= jobs {
            ran_out.store(true, Ordering::Relaxed);
            break;
        }
        // Consecutive jobs go to different users; each user takes each course once.
        let cookie = &cookies[j % users];
        let course = &courses[j / users];
        let lesson = course
            .lessons
            .choose(&mut rng)
            .cloned()
            .unwrap_or_else(|| "/training".into());
        let mut attempt = 0i64;
        let mut form_fields: Vec<(String, String)> = Vec::new();
        for (step, step_name) in STEPS.iter().enumerate() {
            let (method, path, form, expect) = match step {
                0 => ("GET", lesson.clone(), None, 200),
                1 => (
                    "POST",
                    format!("/quizzes/{}/start", course.quiz),
                    Some(String::new()),
                    303,
                ),
                2 => ("GET", format!("/attempts/{attempt}"), None, 200),
                3 | 4 => {
                    let mut fields = form_fields.clone();
                    fields.push((
                        "do".into(),
                        if step == 3 { "save" } else { "submit" }.into(),
                    ));
                    (
                        "POST",
                        format!("/attempts/{attempt}"),
                        Some(serde_urlencoded::to_string(&fields).unwrap_or_default()),
                        303,
                    )
                }
                _ => ("GET", format!("/attempts/{attempt}"), None, 200),
            };
            if think_ms > 0 {
                let pause = rand::Rng::gen_range(&mut rng, 0..=2 * think_ms);
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            if sender.is_none() {
                match connect(&host).await {
                    Ok(s) => sender = Some(s),
                    Err(e) => {
                        m.errors[step] += 1;
                        note(&mut m, format!("{step_name}: connect: {e}"));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue 'jobs;
                    }
                }
            }
            let Some(s) = sender.as_mut() else {
                continue 'jobs;
            };
            let t0 = Instant::now();
            let result = send(s, &host, method, &path, cookie, form).await;
            let took = t0.elapsed().as_micros() as u64;
            match result {
                Ok((status, location, body)) if status == expect => {
                    m.latencies[step].push(took);
                    if step == 1 {
                        // The start answers with the attempt's form: /attempts/{id}.
                        match location.as_deref().and_then(attempt_id) {
                            Some(id) => attempt = id,
                            None => {
                                m.errors[step] += 1;
                                note(&mut m, format!("{path}: no attempt in {location:?}"));
                                continue 'jobs;
                            }
                        }
                    }
                    if step == 2 {
                        match parse_quiz(&body) {
                            Some((id, fields)) if id == attempt => form_fields = fields,
                            _ => {
                                m.errors[step] += 1;
                                note(&mut m, format!("{path}: no quiz form in the page"));
                                continue 'jobs;
                            }
                        }
                    }
                    if step == 4 {
                        m.submitted.push(attempt);
                    }
                }
                Ok((status, _, body)) => {
                    m.errors[step] += 1;
                    let text = String::from_utf8_lossy(&body);
                    note(
                        &mut m,
                        format!(
                            "{method} {path}: status {status}: {}",
                            text.chars().take(120).collect::<String>()
                        ),
                    );
                    continue 'jobs;
                }
                Err(e) => {
                    m.errors[step] += 1;
                    note(&mut m, format!("{method} {path}: {e}"));
                    sender = None;
                    continue 'jobs;
                }
            }
        }
        m.loops += 1;
    }
    m
}

fn note(m: &mut Measured, e: String) {
    if m.first_errors.len() < 5 {
        m.first_errors.push(e);
    }
}

/// The attempt id in a redirect to its form, `/attempts/{id}`.
fn attempt_id(location: &str) -> Option<i64> {
    location.strip_prefix("/attempts/")?.parse().ok()
}

/// The attempt id and the answers (the first option of each question) from a quiz page.
fn parse_quiz(body: &[u8]) -> Option<(i64, Vec<(String, String)>)> {
    let html = std::str::from_utf8(body).ok()?;
    let at = html.find("action=\"/attempts/")? + "action=\"/attempts/".len();
    let id: i64 = html[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .ok()?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for tag in html.split("<input ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if !(tag.contains("type=\"radio\"") || tag.contains("type=\"checkbox\"")) {
            continue;
        }
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            let from = tag.find(&key)? + key.len();
            let len = tag[from..].find('"')?;
            Some(tag[from..from + len].to_string())
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            if !fields.iter().any(|(k, _)| *k == n) {
                fields.push((n, v));
            }
        }
    }
    (!fields.is_empty()).then_some((id, fields))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_quiz_form() {
        let html = br#"<form method="post" action="/attempts/42" class="form quiz"><input type="radio" id="a" name="q1" value="b"/><input type="radio" id="c" name="q1" value="a"/><input type="checkbox" id="d" name="q2" value="x"/></form>"#;
        let (id, fields) = super::parse_quiz(html).expect("form");
        assert_eq!(id, 42);
        assert_eq!(
            fields,
            vec![("q1".into(), "b".into()), ("q2".into(), "x".into())]
        );
    }
}
