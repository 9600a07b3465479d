//! Names that lie (issue 25): a download is saved under the extension of what it is, not of
//! what its uploader called it, and text-direction controls that make a name display as
//! another are refused in names and file names, while other user text is shown isolated.

use crate::events::event_in_2030;
use crate::support::*;

use serde_json::json;

/// A download's name carries the extension of its content, whatever the upload was called;
/// old rows stored under the uploader's extension are served the same way (issue 25).
#[test]
fn a_downloads_name_matches_its_content() {
    for db in databases("download-names") {
        let app = TestApp::demo(&db);
        let office = app.user("dz-justice-officer");
        let report = json!({"subject": {"type": "judicial_personnel", "name": "甲", "org": "yc-court", "duty": "adjudication"}, "summary": "附件名称", "details": "d"});
        let r = office.api("POST", "/api/v1/leads", report);
        let id = r.json()["id"].as_i64().unwrap();
        let upload = |name: &str, bytes: &[u8]| {
            let (ct, body) = multipart(name, bytes);
            office.send(
                "POST",
                &format!("/api/v1/leads/{id}/attachments"),
                &[("Content-Type", &ct)],
                &body,
            )
        };
        let pdf = b"%PDF-1.4\n% evidence\n";
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        let cases: [(&str, &[u8], &str, &str); 7] = [
            ("evidence.hta", pdf, "evidence.pdf", "application/pdf"),
            ("evidence.html", pdf, "evidence.pdf", "application/pdf"),
            ("evidence.svg", pdf, "evidence.pdf", "application/pdf"),
            ("evidence.exe", pdf, "evidence.pdf", "application/pdf"),
            ("evidence.lnk", pdf, "evidence.pdf", "application/pdf"),
            ("证据", pdf, "证据.pdf", "application/pdf"),
            ("photo.pdf", &png, "photo.png", "image/png"),
        ];
        let mut ids = Vec::new();
        for (name, bytes, want, content_type) in cases {
            let r = upload(name, bytes);
            assert_eq!(r.status, 200, "{}: {name}: {}", db.label, r.body);
            assert_eq!(r.json()["display_name"], want, "{name}");
            let att = r.json()["id"].as_i64().unwrap();
            ids.push(att);
            let d = office.page(&format!("/leads/{id}/attachments/{att}"));
            assert_eq!(d.status, 200);
            assert_eq!(d.header("content-type"), Some(content_type));
            let disposition = d.header("content-disposition").unwrap_or_default();
            let encoded = app::layout::encode_component(want);
            assert!(
                disposition.ends_with(&format!("filename*=UTF-8''{encoded}")),
                "{name}: {disposition}"
            );
        }
        // A row stored before the rule, under the uploader's extension.
        app.exec(
            "UPDATE lead_attachments SET display_name = 'old-upload.hta' WHERE id = $1",
            &[ids[0]],
        );
        let d = office.page(&format!("/leads/{id}/attachments/{}", ids[0]));
        assert!(
            d.header("content-disposition")
                .unwrap_or_default()
                .ends_with("filename*=UTF-8''old-upload.pdf"),
            "{:?}",
            d.header("content-disposition")
        );
        let case = office.page(&format!("/leads/{id}"));
        assert!(case.body.contains("old-upload.pdf") && !case.body.contains(".hta"));
    }
}

/// Text-direction controls are refused in names and file names, and other user text is shown
/// isolated (issue 25).
#[test]
fn direction_controls_are_refused_in_names_and_isolated_in_text() {
    const RLO: &str = "\u{202e}";
    for db in databases("bidi") {
        let app = TestApp::demo(&db);
        let office = app.user("dz-justice-officer");
        let coord = app.user("dz-judges-coordinator");
        let refused = |r: &Reply, what: &str| {
            assert_eq!(r.status, 422, "{}: {what}: {}", db.label, r.body);
            let msg = r.json()["error"].as_str().unwrap_or_default().to_string();
            assert!(
                msg.contains("方向控制") && msg.contains("text-direction"),
                "{what}: {msg}"
            );
        };
        let lead = |name: &str| {
            office.api(
                "POST",
                "/api/v1/leads",
                json!({"subject": {"type": "judicial_personnel", "name": name, "org": "yc-court", "duty": "adjudication"}, "summary": format!("摘要{RLO}txt.exe"), "details": "d"}),
            )
        };
        refused(&lead(&format!("张{RLO}三")), "subject name");
        let event = |title: &str, venue: &str| {
            let mut body = event_in_2030(title, 5);
            body["venue"] = json!(venue);
            coord.api("POST", "/api/v1/events", body)
        };
        refused(&event(&format!("座谈{RLO}会"), "第一会议室"), "event title");
        refused(&event("座谈会", &format!("会议室{RLO}")), "event venue");
        let admin = app.session("admin");
        let name = format!("假名{RLO}");
        let user: &[(&str, &str)] = &[
            ("login", "bidi-user"),
            ("display_name", &name),
            ("unit_code", "dz-court"),
            ("temp_password", "a long temporary password"),
            ("role_member", "on"),
        ];
        let r = admin.form("/admin/users", user);
        assert!(
            r.body.contains("文字方向控制字符")
                || r.header("location")
                    .is_some_and(|l| l.contains("error=name")),
            "{}: display name: {} {:?}",
            db.label,
            r.status,
            r.header("location")
        );
        assert!(!admin.page("/admin/users").body.contains("bidi-user"));
        // The lead is accepted with a plain name; its file name with an override is refused.
        let r = lead("张三");
        assert_eq!(r.status, 200, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let (ct, body) = multipart(&format!("invoice{RLO}fdp.exe"), b"%PDF-1.4\n");
        let r = office.send(
            "POST",
            &format!("/api/v1/leads/{id}/attachments"),
            &[("Content-Type", &ct)],
            &body,
        );
        refused(&r, "file name");
        // Free text keeps the control but is shown isolated.
        let case = office.page(&format!("/leads/{id}"));
        assert!(
            case.body
                .contains(&format!("<p dir=\"auto\"><strong>摘要{RLO}txt.exe")),
            "{}: the summary is isolated",
            db.label
        );
        let r = app.anon().api(
            "POST",
            "/api/v1/tips",
            json!({"text": format!("反映的内容包含方向控制{RLO}符号，请核实。")}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let queue = office.page("/leads/tips");
        assert!(
            queue
                .body
                .contains(&format!("<bdi>反映的内容包含方向控制{RLO}")),
            "{}: the excerpt is isolated",
            db.label
        );
        let tip = tip_ids(&queue.body)[0];
        let page = office.page(&format!("/leads/tips/{tip}"));
        assert!(
            page.body.contains(&format!(
                "<p dir=\"auto\" id=\"tip-body\" class=\"pre\">反映的内容包含方向控制{RLO}"
            )),
            "{}: the tip text is isolated",
            db.label
        );
    }
}
