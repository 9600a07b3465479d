//! The server's edge (issue 25): absolute links from the configured public origin and never
//! from `Host`, request lines that no handler may see (CONNECT, authority- and asterisk-form
//! targets, unknown methods), and connection timeouts that slow clients cannot outlast.

use crate::support::*;

use serde_json::json;

/// Absolute links come from `PORTAL_PUBLIC_URL`, never from the request's `Host`, and the
/// cross-site check compares `Origin` with it; behind a proxy the server does not start
/// without it (issue 25).
#[test]
fn absolute_links_come_from_the_public_url_never_from_host() {
    const PUBLIC: &str = "https://portal.example.cn";
    for db in databases("public-url") {
        let app = TestApp::builder(&db).demo().public_url(PUBLIC).start();
        let judge = app.session("judge-zhang");
        let code = app.pass_quiz(&app.user("judge-zhang"), "regulation-guide-quiz")["certificate"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, cookie) = judge.auth_header().unwrap();
        let forged = |method: &str, path: &str, body: &str| {
            raw_http(
                &app.base,
                format!(
                    "{method} {path} HTTP/1.1\r\nHost: evil.example\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
                10,
            )
        };
        let print = forged("GET", &format!("/certificates/{code}/print"), "");
        assert!(
            print.starts_with("HTTP/1.1 200"),
            "{}",
            &print[..print.len().min(300)]
        );
        assert!(
            print.contains(&format!("{PUBLIC}/verify/{code}")) && !print.contains("evil.example"),
            "{}: the certificate's verification address",
            db.label
        );
        let feed = forged("POST", "/events/feed", "action=create");
        assert!(
            feed.starts_with("HTTP/1.1 200"),
            "{}",
            &feed[..feed.len().min(300)]
        );
        assert!(
            feed.contains("webcal://portal.example.cn/calendar/") && !feed.contains("evil.example"),
            "{}: the calendar feed's address",
            db.label
        );
        // A browser write from evil.example with a matching forged Host is cross-site.
        let tip = json!({"text": "有人反映如下情况，请核实处理。"}).to_string();
        let write = |origin: &str| {
            raw_http(
                &app.base,
                format!(
                    "POST /api/v1/tips HTTP/1.1\r\nHost: evil.example\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{tip}",
                    tip.len()
                )
                .as_bytes(),
                10,
            )
        };
        let evil = write("http://evil.example");
        assert!(evil.starts_with("HTTP/1.1 403"), "{}: {evil}", db.label);
        assert!(evil.contains("跨站请求被拒绝"));
        let own = write(PUBLIC);
        assert!(own.starts_with("HTTP/1.1 200"), "{}: {own}", db.label);
    }
    // Without PORTAL_PUBLIC_URL: refused behind a proxy, the listen address otherwise.
    let db = &databases("public-url-required")[0];
    for (proxies, secure) in [("127.0.0.1/32", false), ("", true)] {
        let mut c = config(db);
        c.trusted_proxies = domain::web::TrustedProxies::parse(proxies).unwrap();
        c.secure_cookies = secure;
        let e = block_on(server::AppState::build(c))
            .err()
            .expect("refused to start");
        assert!(e.to_string().contains("PORTAL_PUBLIC_URL"), "{e}");
    }
    let app = TestApp::demo(db);
    let code = app.pass_quiz(&app.user("judge-zhang"), "regulation-guide-quiz")["certificate"]
        .as_str()
        .unwrap()
        .to_string();
    let print = app
        .user("judge-zhang")
        .page(&format!("/certificates/{code}/print"));
    assert!(print.body.contains(&format!("{}/verify/{code}", app.base)));
}

/// No request line reaches a panic: `CONNECT` (which panicked a worker inside leptos_axum),
/// unknown methods, authority-form and asterisk-form targets are answered, and the server
/// goes on answering; absolute-form targets are served.
#[test]
fn every_request_line_gets_an_answer() {
    let db = &databases("request-lines")[0];
    let app = TestApp::demo(db);
    let authority = app.base.trim_start_matches("http://").to_string();
    let absolute = format!("GET {}/healthz HTTP/1.1", app.base);
    for (line, want) in [
        ("CONNECT 127.0.0.1:22 HTTP/1.1", "405"),
        ("CONNECT evil.example:443 HTTP/1.1", "405"),
        ("OPTIONS * HTTP/1.1", "204"),
        ("GET * HTTP/1.1", "400"),
        ("PROPFIND / HTTP/1.1", "405"),
        ("FOO /regulations/dazu-2021-6 HTTP/1.1", "405"),
        ("TRACE / HTTP/1.1", "405"),
        (absolute.as_str(), "200"),
        ("GET /healthz HTTP/1.1", "200"),
    ] {
        let answer = raw_http(
            &app.base,
            format!("{line}\r\nHost: {authority}\r\nConnection: close\r\n\r\n").as_bytes(),
            10,
        );
        let status = answer.split(' ').nth(1).unwrap_or_default();
        assert_eq!(
            status,
            want,
            "{line}: {:?}",
            &answer[..answer.len().min(200)]
        );
        if want == "405" {
            assert!(
                answer.to_ascii_lowercase().contains("\r\nallow: get"),
                "{line}: {answer}"
            );
        }
    }
    // An authority-form GET is refused by the parser or by the guard, never left unanswered.
    let answer = raw_http(
        &app.base,
        b"GET 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        10,
    );
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer:?}");
    assert_eq!(app.anon().page("/healthz").status, 200);
}

/// 500 connections trickling their headers neither keep `/healthz` from answering nor stay
/// open past the header-read timeout, and a request whose body stalls is closed after the
/// idle timeout. In a child process, so the 500 sockets of each end count against two
/// processes' descriptor limits.
#[test]
fn slow_clients_are_cut_off_and_do_not_block_others() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let db = &databases("slow-clients")[0];
    let server = ServerProcess::start_with(
        &db.url,
        free_port(),
        &[
            ("PORTAL_HEADER_READ_TIMEOUT_SECS", "2"),
            ("PORTAL_IDLE_TIMEOUT_SECS", "3"),
        ],
    );
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut slow: Vec<std::net::TcpStream> = (0..500)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).expect("connect");
            s.write_all(b"GET /healthz HTTP/1.1\r\nHo").unwrap();
            s
        })
        .collect();
    // One keeps sending a header byte every 300 ms, as a slow-loris client does.
    let mut trickler = std::net::TcpStream::connect(&addr).unwrap();
    trickler.write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
    // A request whose body never comes.
    let mut stalled = std::net::TcpStream::connect(&addr).unwrap();
    stalled
        .write_all(b"POST /api/v1/tips HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":")
        .unwrap();
    let healthy = get(&format!("{}/healthz", server.base), &[]);
    assert_eq!(
        healthy.status, 200,
        "/healthz answers beside 500 slow connections"
    );
    let started = Instant::now();
    let mut trickler_closed = None;
    while started.elapsed() < Duration::from_secs(8) {
        if trickler.write_all(b"X-Slow: 1\r\n").is_err() {
            trickler_closed = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let closed = trickler_closed.expect("the trickling connection is closed");
    assert!(closed < Duration::from_secs(8), "{closed:?}");
    // Every one of the 500 has been closed by the server (end of stream, or reset).
    for (i, s) in slow.iter_mut().enumerate() {
        s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("slow connection {i} still open: {e}"),
        }
    }
    stalled
        .set_read_timeout(Some(Duration::from_secs(6)))
        .unwrap();
    let mut buf = [0u8; 512];
    match stalled.read(&mut buf) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the stalled request is still open: {e}"),
    }
    assert_eq!(get(&format!("{}/healthz", server.base), &[]).status, 200);
}
