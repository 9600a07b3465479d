//! A minimal W3C WebDriver client over blocking HTTP, driving Debian's chromedriver and
//! headless Chromium. Written here rather than taken from fantoccini so the tests add no async
//! HTTP stack whose features would force a rebuild of the server's dependencies.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session; both end on drop, even after a failure.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
}

/// Whether browser tests can run; with `PORTAL_REQUIRE_BROWSER=1` a missing browser panics.
pub fn available() -> bool {
    let ok =
        which("chromedriver") && (which("chromium") || std::env::var("PORTAL_CHROMIUM").is_ok());
    if !ok && std::env::var("PORTAL_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("PORTAL_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed");
    }
    if !ok {
        eprintln!("note: chromium/chromedriver missing, browser test skipped");
    }
    ok
}

fn which(bin: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
        .unwrap_or(false)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub fn start() -> Browser {
        let (driver, base) = start_driver();
        let binary =
            std::env::var("PORTAL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let profile = super::scratch_dir("chromium-profile");
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                     format!("--user-data-dir={}", profile.display())]
        }}}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("session id").to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let req = ureq::request(method, &url).timeout(Duration::from_secs(60));
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("webdriver {method} {path}: {e}"),
        };
        let v: Value = resp.into_json().expect("webdriver json");
        if let Some(err) = v["value"].get("error") {
            panic!("webdriver {method} {path}: {err} {}", v["value"]["message"]);
        }
        v.get("value").cloned().unwrap_or(Value::Null)
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Opens `url` and waits for the load to finish.
    pub fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    /// The current URL.
    pub fn current_url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Finds the first element matching `css`, waiting up to 10 s for it.
    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = format!("{}{}", self.base, self.s("/element"));
            let res = ureq::post(&url).send_json(json!({"using": "css selector", "value": css}));
            if let Ok(r) = res {
                let v: Value = r.into_json().unwrap();
                if let Some(id) = v["value"][ELEMENT_KEY].as_str() {
                    return id.to_string();
                }
            }
            assert!(Instant::now() < deadline, "no element {css}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Clicks an element.
    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    /// Types into an element.
    pub fn type_text(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/value")),
            Some(json!({"text": text})),
        );
    }

    /// An attribute of an element.
    pub fn attr(&self, element: &str, name: &str) -> Option<String> {
        self.call(
            "GET",
            &self.s(&format!("/element/{element}/attribute/{name}")),
            None,
        )
        .as_str()
        .map(String::from)
    }

    /// The visible text of an element.
    pub fn text(&self, element: &str) -> String {
        self.call("GET", &self.s(&format!("/element/{element}/text")), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs a script in the page and returns its value.
    pub fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Runs an asynchronous script (its last argument is the callback) and returns its value.
    pub fn script_async(&self, js: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/async"),
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Sets the viewport (the page's `innerWidth` × `innerHeight`) to `width` × `height` CSS
    /// pixels: sets the window, then makes up for the window's frame, if any.
    pub fn resize(&self, width: i64, height: i64) {
        let set = |w: i64, h: i64| {
            self.call(
                "POST",
                &self.s("/window/rect"),
                Some(json!({"width": w, "height": h})),
            )
        };
        set(width, height);
        let inner = self.script("return [window.innerWidth, window.innerHeight]");
        let (iw, ih) = (
            inner[0].as_i64().unwrap_or(width),
            inner[1].as_i64().unwrap_or(height),
        );
        if (iw, ih) != (width, height) {
            set(2 * width - iw, 2 * height - ih);
        }
    }

    /// Forgets every cookie of the current site (signs out without the page's button).
    pub fn clear_cookies(&self) {
        self.call("DELETE", &self.s("/cookie"), None);
    }

    /// Signs in as the demo account `login` on the sign-in page at `login_url` and waits
    /// until the page has moved on.
    pub fn sign_in(&self, login_url: &str, login: &str) {
        self.goto(login_url);
        self.type_text(&self.find("#login"), login);
        self.type_text(&self.find("#password"), super::DEMO_PASSWORD);
        self.click(&self.find("#sign-in"));
        self.wait_until(10, "signed in", |b| !b.current_url().contains("/login"));
    }

    /// Signs out from the account menu and waits until the sign-in link is back.
    pub fn sign_out(&self) {
        self.click(&self.find("#current-user"));
        self.click(&self.find("#sign-out"));
        self.wait_until(10, "signed out", |b| {
            b.script("return !!document.querySelector('#sign-in-link')") == true
        });
    }

    /// Waits until `cond` holds, up to `secs`.
    pub fn wait_until(&self, secs: u64, what: &str, mut cond: impl FnMut(&Browser) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !cond(self) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}

/// Starts chromedriver on a free port and waits until it answers. Other tests of this process
/// bind ports too: should the port be taken before chromedriver binds it, another is tried.
fn start_driver() -> (Child, String) {
    for _ in 0..5 {
        let port = super::free_port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let up = || ureq::get(&format!("{base}/status")).call().is_ok();
        if super::wait_ready(&mut driver, 20, "chromedriver", up) {
            return (driver, base);
        }
    }
    panic!("chromedriver exited at start five times");
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
