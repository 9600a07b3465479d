//! Exchange events (issue 6): scheduling with compliance flags and approvals, invitations,
//! registration within capacity under concurrency, the waitlist in order, the registration
//! deadline, cancellation notices, attendance feeding exchange hours, the iCalendar feeds parsed
//! back with an independent parser, the public register and its CSV, and privacy of drafts and
//! declarations. Every test runs on SQLite and, when configured, on PostgreSQL.

use crate::support::*;

use chrono::{Datelike, Duration, FixedOffset, TimeZone, Weekday};
use serde_json::{json, Value};

pub(crate) fn bj() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// RFC 3339 (+08:00) of the Tuesday at least `weeks` weeks ahead, at `h:m` Beijing time.
fn tuesday(weeks: i64, h: u32, m: u32) -> String {
    let mut d = (chrono::Utc::now().with_timezone(&bj()) + Duration::weeks(weeks)).date_naive();
    while d.weekday() != Weekday::Tue {
        d += Duration::days(1);
    }
    bj().from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .to_rfc3339()
}

/// A time `minutes` from now, as RFC 3339 (+08:00).
fn from_now(minutes: i64) -> String {
    (chrono::Utc::now() + Duration::minutes(minutes))
        .with_timezone(&bj())
        .to_rfc3339()
}

pub(crate) fn event_body(
    title: &str,
    starts: &str,
    ends: &str,
    venue: &str,
    capacity: i64,
) -> Value {
    json!({
        "title": title, "kind": "symposium", "starts_at": starts, "ends_at": ends,
        "venue": venue, "capacity": capacity,
        "registration_deadline": starts,
        "open_to": ["dz-court", "dz-procuratorate", "dz-firm-1"],
        "agenda": "## 议题\n- 规范司法人员与律师正常交往\n- 第十二条交流机制"
    })
}

pub(crate) const COURT_ROOM: &str = "大足区人民法院第一会议室";

/// The body of an event at the court's room on `day` of March 2030 (a weekday), 09:00–11:00
/// Beijing time: in working hours at an official venue, so it is published without an
/// approval record.
pub(crate) fn event_in_2030(title: &str, day: u32) -> Value {
    event_body(
        title,
        &format!("2030-03-{day:02}T09:00:00+08:00"),
        &format!("2030-03-{day:02}T11:00:00+08:00"),
        COURT_ROOM,
        5,
    )
}

/// Publishes the draft `id` as its host `coord`, moves its start into the past and marks it
/// held, so that its summary form and the public register apply.
pub(crate) fn publish_and_hold(app: &TestApp, coord: &Client, id: i64) {
    let r = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
    assert_eq!(r.status, 200, "publish: {}", r.body);
    app.exec(
        "UPDATE events SET starts_at = $1 WHERE id = $2",
        &[store::now_ms() - 60_000, id],
    );
    let r = coord.api("POST", &format!("/api/v1/events/{id}/held"), None);
    assert_eq!(r.status, 200, "held: {}", r.body);
}
const JUSTICE_ROOM: &str = "大足区司法局会议室";

/// Creates and publishes an event in working hours at an official venue; returns its id.
fn published(coord: &Client, title: &str, capacity: i64) -> i64 {
    let r = coord.api(
        "POST",
        "/api/v1/events",
        event_body(
            title,
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            capacity,
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
    assert_eq!(p.status, 200, "{}", p.body);
    id
}

pub(crate) fn notifications(auth: &Client) -> Vec<Value> {
    let r = auth.api("GET", "/api/v1/notifications", None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["notifications"].as_array().unwrap().clone()
}

#[test]
fn coordinator_publishes_and_members_register() {
    for db in databases("events-flow") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let judge = app.user("judge-zhang");
        let body = event_body(
            "法官与律师座谈会",
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            20,
        );
        // Only coordinators of an association create events; anonymous callers are 401.
        assert_eq!(
            app.anon()
                .api("POST", "/api/v1/events", body.clone())
                .status,
            401
        );
        assert_eq!(
            judge.api("POST", "/api/v1/events", body.clone()).status,
            404
        );
        let r = coord.api("POST", "/api/v1/events", body);
        assert_eq!(r.status, 200, "{}", r.body);
        let created = r.json();
        assert_eq!(
            created["flags"],
            json!([]),
            "{}: in hours at an official venue",
            db.label
        );
        let id = created["id"].as_i64().unwrap();
        // A draft is the host's alone.
        assert_eq!(
            judge
                .api("GET", &format!("/api/v1/events/{id}"), None)
                .status,
            404
        );
        assert_eq!(judge.page(&format!("/events/{id}")).status, 404);
        assert_eq!(
            judge
                .api("POST", &format!("/api/v1/events/{id}/registrations"), None)
                .status,
            404
        );
        let listed = app.anon().api("GET", "/api/v1/events", None).json();
        assert!(listed.as_array().unwrap().is_empty());
        // A member cannot publish it.
        assert_eq!(
            judge
                .api("POST", &format!("/api/v1/events/{id}/publish"), None)
                .status,
            404
        );
        let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
        assert_eq!(p.status, 200, "{}", p.body);
        assert_eq!(p.json()["status"], "published");
        // Publishing twice is refused.
        assert_eq!(
            coord
                .api("POST", &format!("/api/v1/events/{id}/publish"), None)
                .status,
            409
        );
        let listed = app.anon().api("GET", "/api/v1/events", None).json();
        assert_eq!(listed[0]["id"], id);
        assert_eq!(listed[0]["hosts"], json!(["dz-judges-assoc"]));
        assert!(listed[0].get("flags").is_none(), "flags are for the hosts");
        // The judge registers, twice without effect.
        for _ in 0..2 {
            let r = judge.api("POST", &format!("/api/v1/events/{id}/registrations"), None);
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(r.json()["status"], "registered");
        }
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1",
                &[id]
            ),
            1
        );
        // Someone from a unit the event is not open to is refused with the reason.
        let wang = app.user("officer-wang");
        let r = wang.api("POST", &format!("/api/v1/events/{id}/registrations"), None);
        assert_eq!(r.status, 409);
        assert!(r.body.contains("not open to your unit"), "{}", r.body);
        assert_eq!(
            app.anon()
                .api("POST", &format!("/api/v1/events/{id}/registrations"), None)
                .status,
            401
        );
        // Pages: the list, the event, "my events" with the registration.
        let list = app.anon().page("/events");
        assert_eq!(list.status, 200);
        assert!(list.body.contains("法官与律师座谈会"));
        let mine = judge.page("/events/mine");
        assert_eq!(mine.status, 200);
        assert!(
            mine.body.contains("法官与律师座谈会") && mine.body.contains("已报名"),
            "{}",
            db.label
        );
        let ev = judge.page(&format!("/events/{id}"));
        assert!(ev.body.contains("id=\"unregister\""));
        assert!(
            !ev.body.contains("checkin-code-shown"),
            "the code is for the host"
        );
        // The agenda is rendered Markdown.
        assert!(ev.body.contains("<h2>议题</h2>"), "{}", ev.body);
        let month = app.anon().page(&format!(
            "/events?view=month&month={}",
            &tuesday(2, 9, 0)[..7]
        ));
        assert!(
            month.body.contains("id=\"month-grid\"") && month.body.contains("法官与律师座谈会")
        );
        // The API shows the caller's registration.
        let one = judge
            .api("GET", &format!("/api/v1/events/{id}"), None)
            .json();
        assert_eq!(one["my_registration"]["status"], "registered");
        assert_eq!(one["registered"], 1);
    }
}

#[test]
fn compliance_flags_need_an_approval_before_publishing() {
    for db in databases("events-flags") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        // Evening at an official venue: outside working hours.
        let r = coord.api(
            "POST",
            "/api/v1/events",
            event_body(
                "晚间座谈",
                &tuesday(2, 19, 0),
                &tuesday(2, 21, 0),
                COURT_ROOM,
                10,
            ),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            r.json()["flags"],
            json!(["outside_working_hours"]),
            "{}",
            db.label
        );
        let evening = r.json()["id"].as_i64().unwrap();
        // A Saturday morning is outside working hours too.
        let sat = {
            let t = chrono::DateTime::parse_from_rfc3339(&tuesday(2, 9, 0)).unwrap()
                + Duration::days(4);
            (t.to_rfc3339(), (t + Duration::hours(2)).to_rfc3339())
        };
        let r = coord.api(
            "POST",
            "/api/v1/events",
            event_body("周六研讨", &sat.0, &sat.1, COURT_ROOM, 10),
        );
        assert_eq!(r.json()["flags"], json!(["outside_working_hours"]));
        // A teahouse is not an official venue.
        let r = coord.api(
            "POST",
            "/api/v1/events",
            event_body(
                "茶楼交流",
                &tuesday(2, 14, 0),
                &tuesday(2, 16, 0),
                "某茶楼包间",
                10,
            ),
        );
        assert_eq!(r.json()["flags"], json!(["non_official_venue"]));
        let teahouse = r.json()["id"].as_i64().unwrap();
        for id in [evening, teahouse] {
            let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
            assert_eq!(p.status, 409, "{}", p.body);
            assert!(
                p.json()["error"].as_str().unwrap().contains("approval"),
                "{}",
                p.body
            );
            // An incomplete approval record is refused.
            let bad = coord.api(
                "POST",
                &format!("/api/v1/events/{id}/approval"),
                json!({"approved_by": "", "reference": "x", "approved_on": "2026-11-20"}),
            );
            assert_eq!(bad.status, 422);
            let bad = coord.api(
                "POST",
                &format!("/api/v1/events/{id}/approval"),
                json!({"approved_by": "院长", "reference": "x", "approved_on": "20/11/2026"}),
            );
            assert_eq!(bad.status, 422);
            let ok = coord.api(
                "POST",
                &format!("/api/v1/events/{id}/approval"),
                json!({"approved_by": "大足区人民法院 院长 王某", "reference": "大法审〔2026〕12号", "approved_on": "2026-11-20"}),
            );
            assert_eq!(ok.status, 200, "{}", ok.body);
            let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
            assert_eq!(p.status, 200, "{}", p.body);
        }
        // The host's page shows the flag and the approval.
        let host_page = coord.page(&format!("/events/{teahouse}"));
        assert!(
            host_page.body.contains("不是官方场所")
                && host_page.body.contains("大法审〔2026〕12号")
        );
        // An overlapping event at the same venue is flagged (a warning, not a blocker).
        let r = coord.api(
            "POST",
            "/api/v1/events",
            event_body(
                "同场地研讨",
                &tuesday(2, 19, 30),
                &tuesday(2, 20, 30),
                COURT_ROOM,
                10,
            ),
        );
        let flags = r.json()["flags"].clone();
        assert!(
            flags.as_array().unwrap().contains(&json!("venue_overlap")),
            "{flags}"
        );
        let r = coord.api(
            "POST",
            "/api/v1/events",
            event_body(
                "另一场地",
                &tuesday(2, 9, 0),
                &tuesday(2, 10, 0),
                JUSTICE_ROOM,
                10,
            ),
        );
        assert_eq!(r.json()["flags"], json!([]));
        // Invalid input gets a clear message in both languages.
        let mut bad = event_body(
            "结束早于开始",
            &tuesday(2, 11, 0),
            &tuesday(2, 9, 0),
            COURT_ROOM,
            10,
        );
        let r = coord.api("POST", "/api/v1/events", bad.clone());
        assert_eq!(r.status, 422);
        assert!(r.body.contains("结束时间须晚于开始时间") && r.body.contains("must end after"));
        bad["ends_at"] = json!(tuesday(2, 12, 0));
        bad["capacity"] = json!(0);
        assert_eq!(coord.api("POST", "/api/v1/events", bad.clone()).status, 422);
        bad["capacity"] = json!(5);
        bad["open_to"] = json!(["no-such-unit"]);
        assert!(coord
            .api("POST", "/api/v1/events", bad.clone())
            .body
            .contains("no-such-unit"));
        bad["open_to"] = json!(["dz-court"]);
        bad["starts_at"] = json!("next tuesday");
        assert_eq!(coord.api("POST", "/api/v1/events", bad).status, 422);
    }
}

#[test]
fn capacity_holds_under_100_simultaneous_registrations() {
    for db in databases("events-capacity") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let id = published(&coord, "十个名额的研讨会", 10);
        // 100 members of the court, each with an API token.
        let tokens: Vec<String> = add_members(&db.url, "member", 100)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(tokens.len()));
        let url = app.url(&format!("/api/v1/events/{id}/registrations"));
        let handles: Vec<_> = tokens
            .into_iter()
            .map(|t| {
                let (barrier, url) = (barrier.clone(), url.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    send("POST", &url, &[("Authorization", t.as_str())], b"")
                })
            })
            .collect();
        let replies: Vec<Reply> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let failed: Vec<_> = replies
            .iter()
            .filter(|r| r.status != 200)
            .map(|r| (r.status, r.body.clone()))
            .collect();
        assert!(failed.is_empty(), "{}: {failed:?}", db.label);
        let placed = |s: &str| replies.iter().filter(|r| r.json()["status"] == s).count();
        assert_eq!(placed("registered"), 10, "{}", db.label);
        assert_eq!(placed("waitlisted"), 90, "{}", db.label);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'registered'", &[id]), 10);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'", &[id]), 90);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'event.registered' AND object_id = CAST($1 AS TEXT)", &[id]), 100);
    }
}

#[test]
fn the_waitlist_moves_up_in_order_and_is_told() {
    for db in databases("events-waitlist") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let id = published(&coord, "两个名额", 2);
        let who = [
            "judge-zhang",
            "prosecutor-li",
            "lawyer-chen",
            "dz-court-training",
        ];
        let tokens: Vec<Client> = who.iter().map(|w| app.user(w)).collect();
        let reg = |t: &Client| {
            t.api(
                "POST",
                &format!("/api/v1/events/{id}/registrations"),
                json!({"has_case": false}),
            )
        };
        let statuses: Vec<String> = tokens
            .iter()
            .map(|t| reg(t).json()["status"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            statuses,
            ["registered", "registered", "waitlisted", "waitlisted"],
            "{}",
            db.label
        );
        // The first registered cancels: the first on the waitlist (lawyer-chen) moves up.
        let r = tokens[0].api(
            "DELETE",
            &format!("/api/v1/events/{id}/registrations"),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let status_of = |t: &Client| {
            t.api("GET", &format!("/api/v1/events/{id}"), None).json()["my_registration"]["status"]
                .clone()
        };
        assert_eq!(status_of(&tokens[2]), "registered");
        assert_eq!(status_of(&tokens[3]), "waitlisted");
        assert_eq!(status_of(&tokens[0]), Value::Null);
        let n = notifications(&tokens[2]);
        assert_eq!(n[0]["kind"], "promoted", "{n:?}");
        assert!(notifications(&tokens[3]).is_empty());
        // The page bell shows the unread count.
        let p = tokens[2].page("/events");
        let bell = p
            .body
            .find("id=\"unread-count\"")
            .expect("unread count shown");
        assert!(
            p.body[bell..].starts_with("id=\"unread-count\" class=\"tag\">1<"),
            "{}",
            db.label
        );
        // Cancelling again is refused; registering again goes to the end of the queue.
        assert_eq!(
            tokens[0]
                .api(
                    "DELETE",
                    &format!("/api/v1/events/{id}/registrations"),
                    None
                )
                .status,
            409
        );
        assert_eq!(reg(&tokens[0]).json()["status"], "waitlisted");
        tokens[1].api(
            "DELETE",
            &format!("/api/v1/events/{id}/registrations"),
            None,
        );
        assert_eq!(
            status_of(&tokens[3]),
            "registered",
            "dz-court-training waited longer"
        );
        assert_eq!(status_of(&tokens[0]), "waitlisted");
        // Raising the capacity moves the rest up.
        let mut body = event_body(
            "两个名额",
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            3,
        );
        body["title"] = json!("三个名额");
        let r = coord.api("PUT", &format!("/api/v1/events/{id}"), body);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(status_of(&tokens[0]), "registered");
        // The host sees the list in order with declarations.
        let regs = coord
            .api("GET", &format!("/api/v1/events/{id}/registrations"), None)
            .json();
        assert_eq!(regs["registered"], 3);
        assert_eq!(
            tokens[0]
                .api("GET", &format!("/api/v1/events/{id}/registrations"), None)
                .status,
            404
        );
    }
}

#[test]
fn registration_closes_at_the_deadline() {
    for db in databases("events-deadline") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let id = published(&coord, "截止测试", 5);
        let judge = app.user("judge-zhang");
        let li = app.user("prosecutor-li");
        assert_eq!(
            judge
                .api("POST", &format!("/api/v1/events/{id}/registrations"), None)
                .status,
            200
        );
        app.exec(
            "UPDATE events SET registration_deadline = $1 WHERE id = $2",
            &[store::now_ms() - 1000, id],
        );
        let r = li.api("POST", &format!("/api/v1/events/{id}/registrations"), None);
        assert_eq!(r.status, 409);
        assert!(r.body.contains("registration has closed"), "{}", r.body);
        let p = li.page(&format!("/events/{id}"));
        assert!(p.body.contains("报名已截止"), "{}", db.label);
        // A deadline after the start is refused when editing.
        let mut body = event_body(
            "截止测试",
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            5,
        );
        body["registration_deadline"] = json!(tuesday(2, 10, 0));
        assert_eq!(
            coord
                .api("PUT", &format!("/api/v1/events/{id}"), body)
                .status,
            422
        );
    }
}

#[test]
fn invitations_are_answered_and_only_accepted_cohosts_are_listed() {
    for db in databases("events-invite") {
        let app = TestApp::demo(&db);
        let judges = app.user("dz-judges-coordinator");
        let bar = app.user("dz-bar-coordinator");
        let mut body = event_body(
            "联合研讨",
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 0),
            JUSTICE_ROOM,
            30,
        );
        body["cohosts"] = json!(["dz-bar", "dz-prosecutors-assoc"]);
        let r = judges.api("POST", "/api/v1/events", body);
        assert_eq!(r.status, 200, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        // The invited coordinator is told and may see the draft.
        let n = notifications(&bar);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0]["kind"], "invitation");
        assert_eq!(bar.page(&format!("/events/{id}")).status, 200);
        let mine = bar.page("/events/mine");
        assert!(mine.body.contains("pending-invitations") && mine.body.contains("联合研讨"));
        // Published while invitations are pending: only the host is listed.
        assert_eq!(
            judges
                .api("POST", &format!("/api/v1/events/{id}/publish"), None)
                .status,
            200
        );
        let hosts = |app: &TestApp| {
            app.anon()
                .api("GET", &format!("/api/v1/events/{id}"), None)
                .json()["hosts"]
                .clone()
        };
        assert_eq!(hosts(&app), json!(["dz-judges-assoc"]));
        let invites = judges
            .api("GET", &format!("/api/v1/events/{id}"), None)
            .json()["invitations"]
            .clone();
        assert_eq!(invites.as_array().unwrap().len(), 2);
        // A reminder reaches the invited coordinator again.
        let r = judges.api(
            "POST",
            &format!("/api/v1/events/{id}/invitations/remind"),
            json!({"unit": "dz-bar"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(notifications(&bar).len(), 2);
        // A member cannot answer an invitation; the invited coordinator can, once.
        let judge = app.user("judge-zhang");
        assert_eq!(
            judge
                .api(
                    "POST",
                    &format!("/api/v1/events/{id}/invitation"),
                    json!({"accept": true})
                )
                .status,
            404
        );
        let r = bar.api(
            "POST",
            &format!("/api/v1/events/{id}/invitation"),
            json!({"accept": true}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            bar.api(
                "POST",
                &format!("/api/v1/events/{id}/invitation"),
                json!({"accept": false})
            )
            .status,
            409
        );
        assert_eq!(
            hosts(&app),
            json!(["dz-judges-assoc", "dz-bar"]),
            "{}",
            db.label
        );
        // The host is told of the answer.
        let n = notifications(&judges);
        assert_eq!(n[0]["kind"], "invitation_answered");
        // The invited coordinator cannot manage the event.
        assert_eq!(
            bar.api(
                "POST",
                &format!("/api/v1/events/{id}/cancel"),
                json!({"reason": "x"})
            )
            .status,
            404
        );
        let p = app.anon().page(&format!("/events/{id}"));
        assert!(p.body.contains("大足区律师协会"), "accepted co-host listed");
        assert!(!p.body.contains("检察官协会"), "pending co-host not listed");
    }
}

/// The VEVENTs of a calendar (parsed with `ical`): property name → value (params dropped).
fn parse_ics(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    vevents(text)
        .into_iter()
        .map(|ev| {
            ev.into_iter()
                .map(|(name, _, value)| (name, value))
                .collect()
        })
        .collect()
}

/// RFC 5545 TEXT unescaping (the parser leaves values escaped).
fn unescape_ics(s: &str) -> String {
    s.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

fn utc_stamp(rfc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc)
        .unwrap()
        .with_timezone(&chrono::Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[test]
fn calendars_are_valid_rfc5545_with_stable_uids() {
    for db in databases("events-ics") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let title = "法官、检察官与律师座谈会；第十二条\\交流";
        let mut body = event_body(
            title,
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            20,
        );
        body["agenda"] = json!("一、通报情况，交流意见；\n二、签订《交流备忘录》");
        let r = coord.api("POST", "/api/v1/events", body.clone());
        let id = r.json()["id"].as_i64().unwrap();
        coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
        let other = published(&coord, "将取消的活动", 5);
        let judge = app.user("judge-zhang");
        judge.api(
            "POST",
            &format!("/api/v1/events/{other}/registrations"),
            None,
        );
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{other}/cancel"),
            json!({"reason": "场地检修"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        // The registrant is told of the cancellation.
        let n = notifications(&judge);
        assert_eq!(n[0]["kind"], "cancelled");
        assert!(n[0]["text_zh"].as_str().unwrap().contains("场地检修"));

        let ics = get(&app.url("/events.ics"), &[]);
        assert_eq!(ics.status, 200);
        assert!(ics
            .header("content-type")
            .unwrap()
            .starts_with("text/calendar"));
        assert!(ics.body.contains("\r\n"), "CRLF line ends");
        assert!(
            ics.body
                .lines()
                .all(|l| l.trim_end_matches('\r').len() <= 75),
            "folded at 75 octets"
        );
        let events = parse_ics(&ics.body);
        assert_eq!(events.len(), 2, "{}", ics.body);
        let uid_of = |id: i64| {
            coord
                .api("GET", &format!("/api/v1/events/{id}"), None)
                .json()["uid"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let first = events
            .iter()
            .find(|e| e["UID"] == uid_of(id))
            .expect("event by UID");
        assert_eq!(unescape_ics(&first["SUMMARY"]), title);
        assert_eq!(first["SEQUENCE"], "0");
        assert_eq!(first["DTSTART"], utc_stamp(&tuesday(2, 9, 0)));
        assert_eq!(first["DTEND"], utc_stamp(&tuesday(2, 11, 30)));
        assert_eq!(unescape_ics(&first["LOCATION"]), COURT_ROOM);
        assert!(unescape_ics(&first["DESCRIPTION"])
            .contains("一、通报情况，交流意见；\n二、签订《交流备忘录》"));
        assert_eq!(first["STATUS"], "CONFIRMED");
        assert!(first.contains_key("DTSTAMP"));
        let cancelled = events.iter().find(|e| e["UID"] == uid_of(other)).unwrap();
        assert_eq!(cancelled["STATUS"], "CANCELLED");
        assert_eq!(cancelled["SEQUENCE"], "1");
        // Moving the event keeps its UID and raises SEQUENCE; registrants are told.
        judge.api("POST", &format!("/api/v1/events/{id}/registrations"), None);
        body["starts_at"] = json!(tuesday(2, 14, 30));
        body["ends_at"] = json!(tuesday(2, 16, 0));
        body["registration_deadline"] = json!(tuesday(2, 12, 0));
        let r = coord.api("PUT", &format!("/api/v1/events/{id}"), body);
        assert_eq!(r.status, 200, "{}", r.body);
        let again = parse_ics(&get(&app.url("/events.ics"), &[]).body);
        let moved = again.iter().find(|e| e["UID"] == uid_of(id)).unwrap();
        assert_eq!(moved["SEQUENCE"], "1", "{}", db.label);
        assert_eq!(moved["DTSTART"], utc_stamp(&tuesday(2, 14, 30)));
        assert_eq!(notifications(&judge)[0]["kind"], "changed");

        // The private feed: made on "my events", shown once, revocable.
        let cookie = app.session("judge-zhang");
        let path = &make_feed(&cookie);
        let feed = get(&app.url(path), &[]);
        assert_eq!(feed.status, 200);
        let mine = parse_ics(&feed.body);
        assert!(
            mine.iter().any(|e| e["UID"] == uid_of(id)),
            "registered event in the feed"
        );
        assert!(mine
            .iter()
            .any(|e| e["UID"] == uid_of(other) && e["STATUS"] == "CANCELLED"));
        let revoke = cookie.form("/events/feed", "action=revoke");
        assert_eq!(revoke.status, 303);
        assert_eq!(get(&app.url(path), &[]).status, 404);
        assert_eq!(get(&app.url("/calendar/0123.ics"), &[]).status, 404);
    }
}

#[test]
fn attendance_counts_as_exchange_hours_and_the_register_is_public() {
    for db in databases("events-attendance") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        // Starts in 30 minutes (check-in opens an hour before), lasts two hours.
        let id = published_soon(&coord, "律师执业座谈会");
        let judge = app.user("judge-zhang");
        let lawyer = app.user("lawyer-chen");
        let li = app.user("prosecutor-li");
        for t in [&judge, &lawyer, &li] {
            let r = t.api(
                "POST",
                &format!("/api/v1/events/{id}/registrations"),
                json!({"has_case": true, "case_note": "代理（2026）渝0111民初123号案件"}),
            );
            assert_eq!(r.status, 200, "{}", r.body);
        }
        // The check-in code is on the host's page only.
        let host_page = coord.page(&format!("/events/{id}"));
        let shown = host_page.body.find("id=\"checkin-code-shown\"").unwrap();
        let at = shown + host_page.body[shown..].find('>').unwrap() + 1;
        let code = &host_page.body[at..at + store::events::CHECKIN_CODE_DIGITS];
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert!(
            host_page.body.contains("代理（2026）渝0111民初123号案件"),
            "declarations for the host"
        );
        let member_page = judge.page(&format!("/events/{id}"));
        assert!(!member_page.body.contains(code) && !member_page.body.contains("民初123号"));
        let wrong = if code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        let r = judge.api(
            "POST",
            &format!("/api/v1/events/{id}/checkin"),
            json!({"code": wrong}),
        );
        assert_eq!(r.status, 409);
        let r = judge.api(
            "POST",
            &format!("/api/v1/events/{id}/checkin"),
            json!({"code": code}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        // The coordinator marks the lawyer; a member cannot mark anyone.
        let lawyer_id = app.scalar(
            "SELECT id FROM users WHERE login = 'lawyer-chen' AND id > $1",
            &[0],
        );
        assert_eq!(
            li.api(
                "POST",
                &format!("/api/v1/events/{id}/attendance"),
                json!({"user_id": lawyer_id, "attended": true})
            )
            .status,
            404
        );
        assert_eq!(
            coord
                .api(
                    "POST",
                    &format!("/api/v1/events/{id}/attendance"),
                    json!({"user_id": lawyer_id, "attended": true})
                )
                .status,
            200
        );
        // Two hours on each attendee's record; none for the absent prosecutor.
        assert!(
            judge.page("/events/mine").body.contains("计 2 学时"),
            "{}",
            db.label
        );
        assert!(lawyer.page("/events/mine").body.contains("计 2 学时"));
        let li_page = li.page("/events/mine").body;
        assert!(li_page.contains("计 0 学时"), "{}", db.label);
        // The court's training administrator sees the hours in the unit's training record and CSV.
        let trainer = app.user("dz-court-training");
        let admin_page = trainer.page("/training-admin").body;
        let row = admin_page
            .find("data-login=\"judge-zhang\"")
            .expect("judge in the hours table");
        assert!(
            admin_page[row..]
                .find("</tr>")
                .map(|end| admin_page[row..row + end].contains(">2<"))
                .unwrap_or(false),
            "{}",
            db.label
        );
        // Held once started; then the summary and closing put it in the public register.
        assert_eq!(
            coord
                .api("POST", &format!("/api/v1/events/{id}/held"), None)
                .status,
            409,
            "not started yet"
        );
        app.exec(
            "UPDATE events SET starts_at = $1 WHERE id = $2",
            &[store::now_ms() - 60_000, id],
        );
        assert_eq!(
            coord
                .api("POST", &format!("/api/v1/events/{id}/held"), None)
                .status,
            200
        );
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{id}/summary"),
            json!({"summary": "=HYPERLINK(\"x\") 与会人员就规范交往进行了交流。", "close": true}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let reg = app.anon().page("/exchanges");
        assert!(reg.body.contains("律师执业座谈会"));
        assert!(
            reg.body.contains("共 2 人（人民法院 1，律师事务所 1）"),
            "{}",
            db.label
        );
        assert!(
            !reg.body.contains("张法官") && !reg.body.contains("陈律师"),
            "no names in public"
        );
        let csv = get(&app.url("/exchanges.csv"), &[]);
        assert!(csv.body.starts_with('\u{feff}'), "BOM for Excel");
        assert!(csv.body.contains("律师执业座谈会"));
        assert!(csv.body.contains("'=HYPERLINK"), "formulas neutralised");
        let year = &from_now(0)[..4];
        assert!(get(
            &app.url(&format!("/exchanges?association=dz-bar&year={year}")),
            &[]
        )
        .body
        .contains("register-empty"));
        assert!(get(
            &app.url(&format!(
                "/exchanges?association=dz-judges-assoc&year={year}"
            )),
            &[]
        )
        .body
        .contains("律师执业座谈会"));
        let api = app.anon().api("GET", "/api/v1/exchanges", None).json();
        assert_eq!(api[0]["participants"]["court"], 1);
        assert_eq!(api[0]["participants"]["law_firm"], 1);
        // The Art. 9 dashboard counts the exchange.
        let office = app.user("dz-justice-officer");
        let dash = office.api("GET", "/api/v1/dashboard", None).json();
        assert_eq!(dash["exchanges"]["held"], 1, "{dash}");
        assert_eq!(dash["exchanges"]["attendances"], 2);
        assert!(office
            .page("/leads/dashboard")
            .body
            .contains("chart-exchanges"));
    }
}

#[test]
fn pages_work_without_script_and_refuse_outsiders() {
    for db in databases("events-pages") {
        let app = TestApp::demo(&db);
        let coord = app.session("dz-judges-coordinator");
        let form = |path: &str, cookie: &Client, body: String| cookie.form(path, body);
        let start = &tuesday(2, 9, 0)[..16];
        let end = &tuesday(2, 11, 0)[..16];
        let venue_id = app.scalar(
            "SELECT id FROM venues WHERE id > $1 ORDER BY id LIMIT 1",
            &[0],
        );
        let body = format!(
            "title=%E5%BA%A7%E8%B0%88%E4%BC%9A&kind=seminar&agenda=%3Cscript%3Ealert(1)%3C%2Fscript%3E%5Bx%5D(javascript%3Aalert(1))&venue={venue_id}&venue_other=&starts_at={start}&ends_at={end}&capacity=5&deadline={start}&open_to=dz-court&open_to=dz-psb&cohost=dz-bar"
        );
        let r = form("/events/new", &coord, body.clone());
        assert_eq!(r.status, 303, "{}", r.body);
        let loc = r.header("location").unwrap().to_string();
        let id: i64 = loc
            .trim_start_matches("/events/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let p = coord.page(&loc);
        assert!(p.body.contains("活动草稿已保存"));
        assert!(
            !p.body.contains("<script>alert") && !p.body.contains("href=\"javascript"),
            "agenda sanitised"
        );
        // A form error keeps what was typed.
        let bad = body.replace("capacity=5", "capacity=0");
        let r = form("/events/new", &coord, bad);
        assert_eq!(r.status, 422);
        assert!(r.body.contains("名额须为 1 至 10000") && r.body.contains("座谈会"));
        // Publish through the page.
        let r = form(
            &format!("/events/{id}/action"),
            &coord,
            "action=publish".into(),
        );
        assert_eq!(r.status, 303);
        let member = app.session("officer-wang");
        let r = form(
            &format!("/events/{id}/action"),
            &member,
            "action=register&has_case=0&case_note=".into(),
        );
        assert_eq!(r.status, 303);
        assert_eq!(
            r.header("location"),
            Some(format!("/events/{id}?status=registered").as_str())
        );
        // A member trying a host action gets the 404 page; anonymous is sent to sign in.
        let r = form(
            &format!("/events/{id}/action"),
            &member,
            "action=cancel&reason=x".into(),
        );
        assert_eq!(r.status, 404);
        let r = app
            .anon()
            .form(&format!("/events/{id}/action"), "action=register");
        assert_eq!(r.status, 303);
        assert!(r.header("location").unwrap().starts_with("/login"));
        assert_eq!(member.page("/events/new").status, 404);
        assert_eq!(member.page(&format!("/events/{id}/edit")).status, 404);
        assert_eq!(get(&app.url("/events/999999"), &[]).status, 404);
        let odd = get(&app.url("/events/abc"), &[]);
        assert_eq!(odd.status, 404);
        assert!(odd.body.contains("<html"), "the 404 page, not plain text");
        // The edit form round-trips the values.
        let edit = coord.page(&format!("/events/{id}/edit"));
        assert!(
            edit.body.contains(&format!("value=\"{start}\"")),
            "{}",
            db.label
        );
        // Venues are the administrator's.
        assert_eq!(coord.page("/admin/venues").status, 404);
        let admin = app.session("admin");
        let r = form("/admin/venues", &admin, "name=%E5%A4%A7%E8%B6%B3%E5%8C%BA%E6%A3%80%E5%AF%9F%E9%99%A2%E4%BC%9A%E8%AE%AE%E5%AE%A4&official=1".into());
        assert_eq!(r.status, 303);
        assert!(admin
            .page("/admin/venues")
            .body
            .contains("大足区检察院会议室"));
        // The OpenAPI document lists the event endpoints of interfaces.md.
        let doc = get(&app.url("/api/v1/openapi.json"), &[]).json();
        for p in [
            "/events",
            "/events/{id}/publish",
            "/events/{id}/registrations",
        ] {
            assert!(doc["paths"].get(p).is_some(), "{p}");
        }
    }
}

/// Creates the private calendar feed of the signed-in `cookie` client; the feed's path.
fn make_feed(cookie: &Client) -> String {
    let made = cookie.form("/events/feed", "action=create");
    assert_eq!(made.status, 200);
    let shown = made
        .body
        .find("id=\"feed-url\"")
        .expect("feed address shown");
    let start = shown + made.body[shown..].find("webcal://").unwrap();
    let addr = &made.body[start..];
    let addr = &addr[..addr.find('<').unwrap()];
    addr[addr.find("/calendar/").unwrap()..].to_string()
}

/// An event starting in 30 minutes (check-in open), published; its id.
fn published_soon(coord: &Client, title: &str) -> i64 {
    let mut body = event_body(title, &from_now(30), &from_now(150), COURT_ROOM, 10);
    body["registration_deadline"] = json!(from_now(20));
    let r = coord.api("POST", "/api/v1/events", body);
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    if !r.json()["flags"].as_array().unwrap().is_empty() {
        coord.api(
            "POST",
            &format!("/api/v1/events/{id}/approval"),
            json!({"approved_by": "院长", "reference": "审-1", "approved_on": "2026-11-27"}),
        );
    }
    let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
    assert_eq!(p.status, 200, "{}", p.body);
    id
}

#[test]
fn checkin_codes_cannot_be_guessed() {
    for db in databases("events-checkin-guess") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let id = published_soon(&coord, "签到码测试座谈会");
        let code: String = app.block_on(async {
            sqlx::query_scalar::<_, String>("SELECT checkin_code FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
        });
        assert_eq!(
            code.len(),
            8,
            "longer than the six digits a guesser could try"
        );
        let wrong = if code == "00000000" {
            "11111111"
        } else {
            "00000000"
        };
        let checkin = |who: &Client, code: &str| {
            who.api(
                "POST",
                &format!("/api/v1/events/{id}/checkin"),
                json!({ "code": code }),
            )
        };
        // Someone without a place learns nothing about a code: the right and a wrong one
        // get the same answer.
        let li = app.user("prosecutor-li");
        let (right, bad) = (checkin(&li, &code), checkin(&li, wrong));
        assert_eq!((right.status, &right.body), (bad.status, &bad.body));
        // A registered member has a few tries, each audited; then waits.
        let judge = app.user("judge-zhang");
        let r = judge.api("POST", &format!("/api/v1/events/{id}/registrations"), None);
        assert_eq!(r.status, 200, "{}", r.body);
        for _ in 1..store::events::CHECKIN_TRIES {
            assert_eq!(checkin(&judge, wrong).status, 409);
        }
        let locked = checkin(&judge, wrong);
        assert_eq!(locked.status, 429, "{}", locked.body);
        assert_eq!(
            checkin(&judge, &code).status,
            429,
            "even the right code waits"
        );
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'event.checkin_failed'",
                &[]
            ),
            store::events::CHECKIN_TRIES
        );
        // The wait ends.
        app.exec("UPDATE login_throttle SET locked_until = $1", &[0]);
        assert_eq!(checkin(&judge, &code).status, 200);
    }
}

#[test]
fn agendas_show_no_images_and_calendars_no_bare_carriage_returns() {
    for db in databases("events-output-hygiene") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let mut body = event_body(
            "座谈会\rX-INJECTED:1",
            &tuesday(2, 9, 0),
            &tuesday(2, 11, 30),
            COURT_ROOM,
            20,
        );
        body["agenda"] = json!(
            "## 议题\r\n![看](/leads/7)\n<img src=\"/leads/7\">\rATTENDEE:mailto:x@evil.example"
        );
        let r = coord.api("POST", "/api/v1/events", body);
        assert_eq!(r.status, 200, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let p = coord.api("POST", &format!("/api/v1/events/{id}/publish"), None);
        assert_eq!(p.status, 200, "{}", p.body);
        let judge = app.session("judge-zhang");
        let page = judge.page(&format!("/events/{id}"));
        assert_eq!(page.status, 200);
        let agenda = &page.body[page.body.find("id=\"event-agenda\"").unwrap()..];
        let agenda = &agenda[..agenda.find("</div>").unwrap()];
        assert!(agenda.contains("议题"), "{agenda}");
        assert!(
            !agenda.contains("<img") && !agenda.contains("/leads/7"),
            "{agenda}"
        );
        let ics = get(&app.url("/events.ics"), &[]);
        assert_eq!(ics.status, 200);
        let bytes = ics.body.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at byte {i}");
            }
        }
        for line in ics.body.split("\r\n") {
            assert!(
                !line.starts_with("X-INJECTED") && !line.starts_with("ATTENDEE"),
                "{line}"
            );
        }
    }
}

#[test]
fn a_password_change_revokes_the_private_calendar_feed() {
    for db in databases("events-feed-password") {
        let app = TestApp::demo(&db);
        let judge = app.session("judge-zhang");
        let path = make_feed(&judge);
        assert_eq!(get(&app.url(&path), &[]).status, 200);
        let r = judge.form(
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "a new long passphrase"),
                ("confirm", "a new long passphrase"),
            ][..],
        );
        assert_eq!(r.header("location"), Some("/account?status=changed"));
        assert_eq!(get(&app.url(&path), &[]).status, 404);
    }
}
