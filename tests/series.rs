//! Regular exchanges (issue 19): event series made from a rule, published with per-occurrence
//! approvals, registered for per occurrence, one occurrence cancelled or moved; the feed checked
//! with two independent crates (`ical` parses it, `rrule` expands its RRULE and EXDATEs); China's
//! working-day calendar (holidays and make-up days); approvals dated by the start; yearly
//! plans per association with CSV; the demo series; and a series made from the form in Chromium.
//! Every test runs on SQLite and, when configured, on PostgreSQL.

use crate::events::{bj, event_body, notifications, COURT_ROOM};
use crate::support::browser::{available, Browser};
use crate::support::*;

use chrono::{Datelike, Duration, Months, NaiveDate, TimeZone, Weekday};
use domain::events::WorkingHours;
use serde_json::{json, Value};

/// The shipped working-day calendar, as the server loads it.
fn working_hours() -> WorkingHours {
    WorkingHours {
        calendar: corpus::workdays::load(&root().join("content")).expect("calendar"),
        ..Default::default()
    }
}

/// UTC ms of `h:m` Beijing time on `d`.
fn at(d: NaiveDate, h: u32, m: u32) -> i64 {
    bj().from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .timestamp_millis()
}

fn rfc(d: NaiveDate, h: u32, m: u32) -> String {
    bj().from_local_datetime(&d.and_hms_opt(h, m, 0).unwrap())
        .unwrap()
        .to_rfc3339()
}

/// The first day at least two weeks ahead (day of month ≤ 28) for which `ok` holds.
fn first_day(ok: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut d = (chrono::Utc::now().with_timezone(&bj()) + Duration::weeks(2)).date_naive();
    for _ in 0..2000 {
        if d.day() <= 28 && ok(d) {
            return d;
        }
        d += Duration::days(1);
    }
    panic!("no suitable day");
}

/// Whether 09:00–11:30 on `d` is in working hours by the shipped calendar.
fn in_hours(wh: &WorkingHours, d: NaiveDate) -> bool {
    wh.contains(at(d, 9, 0), at(d, 11, 30))
}

fn series_body(title: &str, first: NaiveDate, rule: Value) -> Value {
    let mut body = event_body(
        title,
        &rfc(first, 9, 0),
        &rfc(first, 11, 30),
        COURT_ROOM,
        20,
    );
    body["registration_deadline"] = json!(rfc(first, 8, 0));
    body["rule"] = rule;
    body
}

fn prop<'a>(ev: &'a Props, name: &str) -> Vec<&'a str> {
    ev.iter()
        .filter(|p| p.0 == name)
        .map(|p| p.2.as_str())
        .collect()
}

/// The property as an RFC 5545 content line again (params kept), for `rrule` to read.
fn line(ev: &Props, name: &str) -> Vec<String> {
    ev.iter()
        .filter(|p| p.0 == name)
        .map(|(n, params, v)| {
            let ps: String = params
                .iter()
                .map(|(k, vs)| format!(";{k}={}", vs.join(",")))
                .collect();
            format!("{n}{ps}:{v}")
        })
        .collect()
}

/// The starts (UTC ms) the series' RRULE and EXDATEs give, expanded by the `rrule` crate.
fn expand(ev: &Props) -> Vec<i64> {
    let mut text = line(ev, "DTSTART");
    text.extend(line(ev, "RRULE"));
    text.extend(line(ev, "EXDATE"));
    let set: rrule::RRuleSet = text.join("\n").parse().expect("rrule parses the feed");
    set.all(100)
        .dates
        .iter()
        .map(|d| d.timestamp_millis())
        .collect()
}

fn ms(rfc3339: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339.as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

#[test]
fn a_quarterly_series_is_published_registered_per_occurrence_and_one_is_cancelled() {
    let wh = working_hours();
    // Four quarters, each a working day by the shipped calendar.
    let first = first_day(|d| {
        (0..4).all(|q| {
            d.checked_add_months(Months::new(3 * q))
                .is_some_and(|x| in_hours(&wh, x))
        })
    });
    let dates: Vec<NaiveDate> = (0..4)
        .map(|q| first.checked_add_months(Months::new(3 * q)).unwrap())
        .collect();
    for db in databases("series-quarterly") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let body = series_body(
            "法官与律师季度座谈会",
            first,
            json!({"frequency": "quarterly", "count": 4}),
        );
        // Members and anonymous callers make no series.
        assert_eq!(
            app.anon()
                .api("POST", "/api/v1/event-series", body.clone())
                .status,
            401
        );
        assert_eq!(
            app.user("judge-zhang")
                .api("POST", "/api/v1/event-series", body.clone())
                .status,
            404
        );
        let mut bad = body.clone();
        bad["rule"] = json!({"frequency": "quarterly", "count": 4, "until": "2030-01-01"});
        let r = coord.api("POST", "/api/v1/event-series", bad);
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("not both"), "{}", r.body);

        let r = coord.api("POST", "/api/v1/event-series", body);
        assert_eq!(r.status, 200, "{}: {}", db.label, r.body);
        let created = r.json();
        let sid = created["id"].as_i64().unwrap();
        let ids: Vec<i64> = created["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), 4);
        for (o, d) in created["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&dates)
        {
            assert_eq!(ms(&o["starts_at"]), at(*d, 9, 0), "quarter by quarter");
            assert_eq!(o["flags"], json!([]), "in hours at an official venue");
        }
        // Drafts are the host's alone.
        assert!(app
            .anon()
            .api("GET", "/api/v1/events", None)
            .json()
            .as_array()
            .unwrap()
            .is_empty());
        assert_eq!(
            app.anon()
                .api("GET", &format!("/api/v1/event-series/{sid}"), None)
                .status,
            404
        );

        let p = coord.api("POST", &format!("/api/v1/event-series/{sid}/publish"), None);
        assert_eq!(p.status, 200, "{}", p.body);
        assert_eq!(p.json()["done"].as_array().unwrap().len(), 4, "{}", p.body);
        assert_eq!(p.json()["refused"], json!([]));
        let listed = app.anon().api("GET", "/api/v1/events", None).json();
        let in_series: Vec<&Value> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["series"] == json!(sid))
            .collect();
        assert_eq!(in_series.len(), 4, "{listed}");
        let shown = app
            .anon()
            .api("GET", &format!("/api/v1/event-series/{sid}"), None)
            .json();
        assert_eq!(
            shown["rrule"].as_str().unwrap(),
            format!("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={};COUNT=4", first.day())
        );
        assert!(
            shown["occurrences"][0].get("flags").is_none(),
            "flags are for the hosts"
        );

        // Registering for the second does not register for the third.
        let judge = app.user("judge-zhang");
        let r = judge.api(
            "POST",
            &format!("/api/v1/events/{}/registrations", ids[1]),
            None,
        );
        assert_eq!(r.json()["status"], "registered", "{}", r.body);
        let third = judge
            .api("GET", &format!("/api/v1/events/{}", ids[2]), None)
            .json();
        assert_eq!(third["my_registration"], Value::Null);
        assert_eq!(third["series"], json!(sid));
        let page = judge.page(&format!("/events/{}", ids[2]));
        assert!(
            page.body
                .contains(&format!("href=\"/events/series/{sid}\"")),
            "the event links its series"
        );
        // "All upcoming" registers for each, on its own.
        let li = app.user("prosecutor-li");
        let all = li.api(
            "POST",
            &format!("/api/v1/event-series/{sid}/registrations"),
            None,
        );
        assert_eq!(all.status, 200, "{}", all.body);
        assert_eq!(
            all.json()["done"].as_array().unwrap().len(),
            4,
            "{}",
            all.body
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM event_registrations WHERE user_id = $1 AND status = 'registered'", &[app.user_id("prosecutor-li")]),
            4
        );

        // Cancelling the third leaves the others and tells its registrants only.
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{}/cancel", ids[2]),
            json!({"reason": "会议室改造"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let n = notifications(&li);
        assert_eq!(n[0]["kind"], "cancelled");
        assert!(n[0]["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/events/{}", ids[2])));
        assert!(notifications(&judge)
            .iter()
            .all(|n| n["kind"] != "cancelled"));
        let shown = coord
            .api("GET", &format!("/api/v1/event-series/{sid}"), None)
            .json();
        let statuses: Vec<&str> = shown["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            ["published", "published", "cancelled", "published"]
        );

        // The feed: one VEVENT for the series, the third excluded.
        let uid = shown["uid"].as_str().unwrap().to_string();
        let ics = get(&app.url("/events.ics"), &[]);
        assert_eq!(ics.status, 200);
        assert!(
            ics.body.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai"),
            "{}",
            ics.body
        );
        let evs = vevents(&ics.body);
        let mine: Vec<&Props> = evs
            .iter()
            .filter(|e| prop(e, "UID") == [uid.as_str()])
            .collect();
        assert_eq!(mine.len(), 1, "{}", ics.body);
        let master = mine[0];
        assert_eq!(
            prop(master, "EXDATE"),
            [format!("{}T090000", dates[2].format("%Y%m%d"))]
        );
        assert_eq!(
            line(master, "DTSTART"),
            [format!(
                "DTSTART;TZID=Asia/Shanghai:{}T090000",
                first.format("%Y%m%d")
            )]
        );
        let want: Vec<i64> = [0, 1, 3].iter().map(|i| at(dates[*i], 9, 0)).collect();
        assert_eq!(
            expand(master),
            want,
            "rrule expands the feed to the live occurrences"
        );
        let seq_before: u32 = prop(master, "SEQUENCE")[0].parse().unwrap();

        // Moving the second makes an exception with RECURRENCE-ID; the calendar still expands
        // the rule to the original dates, with the override replacing the second.
        let mut moved = event_body(
            "法官与律师季度座谈会",
            &rfc(dates[1], 14, 30),
            &rfc(dates[1], 17, 0),
            COURT_ROOM,
            20,
        );
        moved["registration_deadline"] = json!(rfc(dates[1], 12, 0));
        let r = coord.api("PUT", &format!("/api/v1/events/{}", ids[1]), moved);
        assert_eq!(r.status, 200, "{}", r.body);
        let evs = vevents(&get(&app.url("/events.ics"), &[]).body);
        let mine: Vec<&Props> = evs
            .iter()
            .filter(|e| prop(e, "UID") == [uid.as_str()])
            .collect();
        assert_eq!(mine.len(), 2);
        let (master, over): (Vec<&Props>, Vec<&Props>) = mine
            .iter()
            .partition(|e| prop(e, "RECURRENCE-ID").is_empty());
        assert_eq!(
            line(over[0], "RECURRENCE-ID"),
            [format!(
                "RECURRENCE-ID;TZID=Asia/Shanghai:{}T090000",
                dates[1].format("%Y%m%d")
            )]
        );
        assert_eq!(
            prop(over[0], "DTSTART"),
            [format!("{}T143000", dates[1].format("%Y%m%d"))]
        );
        let seq_after: u32 = prop(master[0], "SEQUENCE")[0].parse().unwrap();
        assert!(seq_after > seq_before, "the series' SEQUENCE grows");
        assert_eq!(notifications(&judge)[0]["kind"], "changed");

        // The judge's private feed carries the series with only the second.
        let cookie = app.session("judge-zhang");
        let made = cookie.form("/events/feed", "action=create");
        let feed = vevents(&get(&app.url(&feed_path(&made.body)), &[]).body);
        let master = feed
            .iter()
            .find(|e| prop(e, "UID") == [uid.as_str()] && prop(e, "RECURRENCE-ID").is_empty())
            .unwrap();
        assert_eq!(
            expand(master),
            vec![at(dates[1], 9, 0)],
            "only the one registered for"
        );

        // The yearly plan of the judges' association, page and CSV.
        let year = first.year();
        let plan = app.anon().page(&format!(
            "/exchanges/plan?association=dz-judges-assoc&year={year}"
        ));
        assert_eq!(plan.status, 200);
        assert!(plan.body.contains("法官与律师季度座谈会"), "{}", plan.body);
        let planned = dates.iter().filter(|d| d.year() == year).count();
        let csv = get(
            &app.url(&format!(
                "/exchanges/plan.csv?association=dz-judges-assoc&year={year}"
            )),
            &[],
        );
        assert_eq!(csv.status, 200);
        let plain = csv_plain(&csv.body);
        let row = plain
            .lines()
            .find(|l| l.contains("法官与律师季度座谈会"))
            .expect("series row");
        let cancelled = usize::from(dates[2].year() == year);
        assert!(row.ends_with(&format!(",{planned},0,{cancelled}")), "{row}");
        let api = app
            .anon()
            .api("GET", &format!("/api/v1/exchanges/plan?year={year}"), None)
            .json();
        let judges = api
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["association"] == "dz-judges-assoc")
            .unwrap();
        assert_eq!(judges["planned"], json!(planned));

        // Editing the whole series edits every occurrence not yet started, each keeping its
        // time; the calendar entry follows.
        let edit = json!({"title": "法官与律师季度座谈会（扩大）", "kind": "seminar", "venue": COURT_ROOM,
            "capacity": 40, "open_to": ["dz-court", "dz-procuratorate", "dz-firm-1", "dz-psb"]});
        assert_eq!(
            judge
                .api("PUT", &format!("/api/v1/event-series/{sid}"), edit.clone())
                .status,
            404
        );
        let r = coord.api("PUT", &format!("/api/v1/event-series/{sid}"), edit);
        assert_eq!(r.status, 200, "{}", r.body);
        let done: Vec<i64> = r.json()["done"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            done,
            [ids[0], ids[1], ids[3]],
            "the cancelled one is left alone"
        );
        let fourth = app
            .anon()
            .api("GET", &format!("/api/v1/events/{}", ids[3]), None)
            .json();
        assert_eq!(
            (fourth["capacity"].as_i64(), fourth["kind"].as_str()),
            (Some(40), Some("seminar"))
        );
        assert_eq!(ms(&fourth["starts_at"]), at(dates[3], 9, 0));
        let evs = vevents(&get(&app.url("/events.ics"), &[]).body);
        let master = evs
            .iter()
            .find(|e| prop(e, "UID") == [uid.as_str()] && prop(e, "RECURRENCE-ID").is_empty())
            .unwrap();
        assert_eq!(prop(master, "SUMMARY"), ["法官与律师季度座谈会（扩大）"]);
    }
}

#[test]
fn a_saturday_occurrence_waits_for_its_approval_and_holidays_count() {
    let wh = working_hours();
    // Monthly on a date whose second month falls on an ordinary Saturday.
    let first = first_day(|d| {
        let next = d.checked_add_months(Months::new(1)).unwrap();
        let third = d.checked_add_months(Months::new(2)).unwrap();
        in_hours(&wh, d)
            && next.weekday() == Weekday::Sat
            && !in_hours(&wh, next)
            && in_hours(&wh, third)
    });
    let saturday = first.checked_add_months(Months::new(1)).unwrap();
    for db in databases("series-saturday") {
        let app = TestApp::demo(&db);
        let coord = app.user("dz-judges-coordinator");
        let body = series_body(
            "月度业务研讨",
            first,
            json!({"frequency": "monthly_by_date", "count": 3}),
        );
        let r = coord.api("POST", "/api/v1/event-series", body);
        assert_eq!(r.status, 200, "{}", r.body);
        let sid = r.json()["id"].as_i64().unwrap();
        let occ = r.json()["occurrences"].clone();
        assert_eq!(occ[1]["flags"], json!(["outside_working_hours"]), "{occ}");
        assert_eq!(occ[1]["needs_approval"], true);
        let sat_id = occ[1]["id"].as_i64().unwrap();
        let p = coord
            .api("POST", &format!("/api/v1/event-series/{sid}/publish"), None)
            .json();
        assert_eq!(p["done"].as_array().unwrap().len(), 2, "{p}");
        assert_eq!(p["refused"][0]["id"], json!(sat_id));
        let reason = p["refused"][0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("this portal's precaution, not a rule of the regulation"),
            "{reason}"
        );
        assert!(reason.contains("本平台的预防措施"), "{reason}");
        // The form refuses a rule without an end, keeping what was typed.
        let form: &[(&str, &str)] = &[
            ("title", "表单系列"),
            ("kind", "seminar"),
            ("venue", "1"),
            ("starts_at", "2030-03-05T09:00"),
            ("ends_at", "2030-03-05T11:00"),
            ("deadline", "2030-03-04T17:00"),
            ("capacity", "10"),
            ("open_to", "dz-court"),
            ("frequency", "weekly"),
            ("interval", "1"),
            ("count", ""),
            ("until", ""),
        ];
        let r = app
            .session("dz-judges-coordinator")
            .form("/events/series/new", form);
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body.contains("id=\"error-summary\"") && r.body.contains("二者选一"),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"表单系列\"") && r.body.contains("id=\"rule-field\""));
        // The series page shows the hosts every occurrence's hints.
        let page = app
            .session("dz-judges-coordinator")
            .page(&format!("/events/series/{sid}"));
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("class=\"needs-approval\""),
            "{}",
            page.body
        );

        // An approval dated after the start is refused; one dated before lets it publish.
        let late = (saturday + Duration::days(1)).to_string();
        let r = coord.api(
            "POST",
            &format!("/api/v1/events/{sat_id}/approval"),
            json!({"approved_by": "院党组", "reference": "大法〔2027〕1号", "approved_on": late}),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("before the event starts"), "{}", r.body);
        let r = coord.api("POST", &format!("/api/v1/events/{sat_id}/approval"),
            json!({"approved_by": "院党组", "reference": "大法〔2027〕1号", "approved_on": saturday.to_string()}));
        assert_eq!(r.status, 200, "{}", r.body);
        let p = coord
            .api("POST", &format!("/api/v1/event-series/{sid}/publish"), None)
            .json();
        assert_eq!(p["done"][0]["id"], json!(sat_id), "{p}");
    }
}

#[test]
fn national_day_is_flagged_and_a_make_up_saturday_is_not() {
    // The shipped files cover years now past, so this test writes a calendar for next year
    // into a copy of the content: test data only, not a claim about next year's holidays.
    let year = chrono::Utc::now().with_timezone(&bj()).year() + 1;
    let dir = scratch_dir("series-workdays");
    copy_dir(&root().join("content"), &dir);
    let oct1 = NaiveDate::from_ymd_opt(year, 10, 1).unwrap();
    let mut saturday = NaiveDate::from_ymd_opt(year, 10, 8).unwrap();
    while saturday.weekday() != Weekday::Sat {
        saturday += Duration::days(1);
    }
    std::fs::write(
        dir.join(format!("workdays/{year}.toml")),
        format!("# Test data only.\nyear = {year}\nsource = \"test fixture\"\nholidays = [\"{oct1}\"]\nworkdays = [\"{saturday}\"]\n"),
    )
    .unwrap();
    for db in databases("series-holidays") {
        let app = TestApp::builder(&db)
            .demo()
            .content_dir(dir.clone())
            .start();
        let coord = app.user("dz-judges-coordinator");
        for (day, flags) in [
            (oct1, json!(["outside_working_hours"])),
            (saturday, json!([])),
        ] {
            let mut body = event_body(
                "节日前后交流",
                &rfc(day, 9, 0),
                &rfc(day, 11, 0),
                COURT_ROOM,
                10,
            );
            body["registration_deadline"] = json!(rfc(day, 8, 0));
            let r = coord.api("POST", "/api/v1/events", body);
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(r.json()["flags"], flags, "{day} on {}", db.label);
        }
    }
}

#[test]
fn every_association_has_a_demo_series_and_a_yearly_plan() {
    for db in databases("series-demo") {
        let app = TestApp::demo(&db);
        let made = app.block_on(app.state.seed_demo_series()).expect("seeded");
        assert_eq!(made, 4, "one per association");
        assert_eq!(
            app.block_on(app.state.seed_demo_series()).expect("again"),
            0,
            "idempotent"
        );
        for login in ["dz-prosecutors-coordinator", "dz-police-coordinator"] {
            let c = app.user(login);
            assert_eq!(
                c.api("GET", "/api/v1/notifications", None).status,
                200,
                "{login} signs in"
            );
        }
        let first: i64 = app.scalar("SELECT MIN(first_start) FROM event_series", &[]);
        let year = chrono::DateTime::from_timestamp_millis(first)
            .unwrap()
            .with_timezone(&bj())
            .year();
        let overview = app.anon().page(&format!("/exchanges/plan?year={year}"));
        assert_eq!(overview.status, 200);
        assert!(overview.body.contains("id=\"plan-summary\""));
        for (code, title) in [
            ("dz-judges-assoc", "法官与律师季度座谈会"),
            ("dz-prosecutors-assoc", "检察官与律师季度座谈会"),
            ("dz-police-assoc", "警察与律师季度座谈会"),
            ("dz-bar", "律师与司法人员季度交流会"),
        ] {
            let p = app
                .anon()
                .page(&format!("/exchanges/plan?association={code}&year={year}"));
            assert_eq!(p.status, 200);
            assert!(p.body.contains("id=\"plan-heading\""), "{code}");
            assert!(
                p.body.contains(title),
                "{code}: its demo series is planned: {}",
                p.body
            );
        }
        // The register and the Art. 9 dashboard carry planned against held.
        let reg = app.anon().page(&format!("/exchanges?year={year}"));
        assert!(reg.body.contains("id=\"plan-summary\""), "{}", reg.body);
        let planned: i64 = app.scalar(
            &format!("SELECT COUNT(*) FROM events WHERE host_unit = 'dz-police-assoc' AND published_at IS NOT NULL AND starts_at >= {} AND starts_at < {}",
                store::events::year_start_ms(year), store::events::year_start_ms(year + 1)),
            &[],
        );
        assert!(planned > 0);
        let this_year = chrono::Utc::now().with_timezone(&bj()).year();
        let office = app.user("dz-justice-officer");
        let dash = office.api("GET", "/api/v1/dashboard", None).json();
        if year == this_year {
            let police = dash["plans"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["association"] == "dz-police-assoc")
                .unwrap();
            assert_eq!(police["planned"], json!(planned), "{dash}");
            assert_eq!(police["held"], 0);
        }
        assert!(office
            .page("/leads/dashboard")
            .body
            .contains("id=\"plan-summary\""));
        // Held counts against planned.
        app.exec(
            "UPDATE events SET status = 'held' WHERE id = (SELECT MIN(id) FROM events WHERE host_unit = 'dz-police-assoc' AND published_at IS NOT NULL)",
            &[],
        );
        let plan = app
            .anon()
            .api("GET", &format!("/api/v1/exchanges/plan?year={year}"), None)
            .json();
        let police = plan
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["association"] == "dz-police-assoc")
            .unwrap();
        assert_eq!(
            (police["planned"].as_i64(), police["held"].as_i64()),
            (Some(planned), Some(1)),
            "{plan}"
        );
        let page = app.anon().page(&format!(
            "/exchanges/plan?association=dz-police-assoc&year={year}"
        ));
        let totals = &page.body[page.body.find("id=\"plan-totals\"").unwrap()..];
        let totals = text_of(&totals[..totals.find("</p>").unwrap()]);
        assert!(
            totals.contains(&format!("计划 {planned} 场，已举办 1")),
            "{totals}"
        );
    }
}

#[test]
fn a_coordinator_creates_a_series_from_the_form() {
    if !available() {
        return;
    }
    let wh = working_hours();
    let first = first_day(|d| {
        d.weekday() == Weekday::Tue && (0..3).all(|w| in_hours(&wh, d + Duration::weeks(w)))
    });
    let db = &databases("browser-series")[0];
    let app = TestApp::demo(db);
    let b = Browser::start();
    b.sign_in(&app.url("/login"), "dz-police-coordinator");
    b.goto(&app.url("/events"));
    b.click(&b.find("#new-series-link"));
    b.wait_until(10, "series form", |b| {
        b.current_url().ends_with("/events/series/new")
    });
    b.type_text(&b.find("#title"), "警察与律师周例会");
    b.click(&b.find("#venue option:nth-child(2)"));
    b.script(&format!(
        "document.querySelector('#starts-at').value='{first}T09:00';\
         document.querySelector('#ends-at').value='{first}T11:00';\
         document.querySelector('#deadline').value='{first}T08:00';\
         document.querySelector('#frequency').value='weekly';\
         document.querySelector('#count').value='3';\
         document.querySelectorAll('#open-to input').forEach(i => {{ if (i.value === 'dz-firm-1') i.checked = true; }}); return true;"
    ));
    b.click(&b.find("#save-event"));
    b.wait_until(10, "series saved", |b| {
        b.current_url().contains("status=created")
    });
    let rows = b.script("return document.querySelectorAll('#occurrences tbody tr').length");
    assert_eq!(rows, json!(3));
    b.click(&b.find("#publish-series"));
    b.wait_until(10, "published", |b| {
        b.current_url().contains("status=published")
    });
    assert!(b.text(&b.find("#occurrences")).contains("已发布"));
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM events WHERE status = 'published' AND series_id IS NOT NULL",
            &[]
        ),
        3
    );
}
