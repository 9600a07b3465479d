#!/usr/bin/env python3
"""Screenshots of the home page, a case file and a quiz at desktop and phone width, for README.

Usage: scripts/screenshots.py [BASE_URL] [OUT_DIR]
  BASE_URL defaults to http://127.0.0.1:3000 (a server started with PORTAL_DEMO=1, e.g. by
  scripts/run.sh); OUT_DIR to docs/screenshots. Needs chromium and chromedriver (Debian's),
  talks WebDriver over plain HTTP: no Python packages needed.
"""
import base64, json, os, socket, subprocess, sys, time, urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000"
OUT = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"
PASSWORD = "demo-pass-2021"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self):
        port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900"]}}}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["value"]

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.sid}{path}", body)

    def goto(self, path):
        self.s("POST", "/url", {"url": BASE + path})

    def js(self, script):
        return self.s("POST", "/execute/sync", {"script": script, "args": []})

    def size(self, w, h):
        self.s("POST", "/window/rect", {"width": w, "height": h})
        iw, ih = self.js("return [innerWidth, innerHeight]")
        if (iw, ih) != (w, h):
            self.s("POST", "/window/rect", {"width": 2 * w - iw, "height": 2 * h - ih})

    def sign_in(self, login):
        self.s("DELETE", "/cookie")
        self.goto("/login")
        self.js(f"document.querySelector('#login').value={json.dumps(login)};"
                f"document.querySelector('#password').value={json.dumps(PASSWORD)};"
                "document.querySelector('#sign-in').click()")
        time.sleep(1)

    def shot(self, name):
        os.makedirs(OUT, exist_ok=True)
        for label, (w, h) in SIZES.items():
            self.size(w, h)
            self.js("location.reload()")
            time.sleep(0.7)
            png = base64.b64decode(self.s("GET", "/screenshot"))
            path = os.path.join(OUT, f"{name}-{label}.png")
            with open(path, "wb") as f:
                f.write(png)
            print(path)

    def quit(self):
        try:
            self.call("DELETE", f"/session/{self.sid}")
        finally:
            self.proc.kill()


d = Driver()
try:
    d.sign_in("judge-zhang")
    d.goto("/")
    d.shot("home")
    d.goto("/quizzes/regulation-guide-quiz")
    d.js("const b = document.querySelector('#start-quiz'); if (b) b.click()")
    time.sleep(1)
    d.shot("quiz")
    d.sign_in("dz-justice-officer")
    d.goto("/leads")
    case = d.js("const a = document.querySelector('#inbox a'); return a && a.getAttribute('href')")
    if case:
        d.goto(case)
        d.shot("case")
    else:
        print("no lead in the inbox: no case screenshot", file=sys.stderr)
finally:
    d.quit()
