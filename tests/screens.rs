//! Every main page as each kind of person sees it, in headless Chromium (issue 17): at 360 px
//! width nothing scrolls sideways, the header takes at most a quarter of the screen and the
//! controls are at least 44 px tall; at desktop width and at 360 px, axe-core (the npm
//! package, injected into the page) finds no serious or critical violation.

use crate::support::browser::{available, Browser};
use crate::support::work::{seed_work, Seeded};
use crate::support::*;

/// The main pages of a visitor (`None`) or a demo account.
fn pages_of(login: Option<&str>, s: &Seeded) -> Vec<String> {
    let list: Vec<String> = match login {
        None => vec![
            "/",
            "/regulations/dazu-2021-6",
            "/regulations/dazu-2021-6/en",
            "/regulations/dazu-2021-6/compare",
            "/glossary",
            "/search?q=宴请",
            "/training",
            "/training/regulation-guide",
            "/events",
            "/exchanges",
            "/tips",
            "/login",
            "/login?error=invalid",
            "/no-such-page",
        ]
        .into_iter()
        .map(String::from)
        .chain([format!("/events/{}", s.event)])
        .collect(),
        Some("dz-justice-officer") => vec![
            "/".to_string(),
            "/leads".into(),
            "/leads/new".into(),
            format!("/leads/{}", s.lead),
            "/leads/dashboard".into(),
            "/leads/tips".into(),
            format!("/leads/tips/{}", s.tip),
            "/account".into(),
        ],
        Some("dz-court-officer") => vec![
            "/".to_string(),
            "/leads".into(),
            format!("/leads/{}", s.lead),
        ],
        Some("dz-court-training") => vec![
            "/".to_string(),
            "/training-admin".into(),
            "/training-admin/reports".into(),
        ],
        Some("dz-judges-coordinator") => vec![
            "/".to_string(),
            "/events/new".into(),
            "/events/mine".into(),
            format!("/events/{}", s.event),
            format!("/events/{}/edit", s.event),
        ],
        Some("judge-zhang") => vec![
            "/".to_string(),
            "/training/regulation-guide".into(),
            "/training/regulation-guide/rg-01-purpose-scope".into(),
            "/quizzes/regulation-guide-quiz".into(),
            "/events/mine".into(),
            "/notifications".into(),
        ],
        Some("lawyer-chen") => vec!["/".to_string(), format!("/events/{}", s.event)],
        Some("admin") => vec![
            "/admin".to_string(),
            "/admin/users".into(),
            "/admin/units".into(),
            "/admin/import".into(),
            "/admin/audit".into(),
            "/admin/venues".into(),
        ],
        Some(other) => panic!("no pages listed for {other}"),
    };
    list
}

/// What is wrong with the page shown at phone width: sideways scrolling (with the elements
/// that stick out), a header over a quarter of the screen, controls under 44 px.
const PHONE_CHECK: &str = r#"
const vw = document.documentElement.clientWidth, vh = window.innerHeight;
const out = [];
const sw = document.documentElement.scrollWidth;
if (sw > vw) {
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.right <= vw + 1 || r.width === 0) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
    }
    return true;
  }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className);
  out.push(`scrolls sideways: ${sw} > ${vw} px (${wide.join(', ')})`);
}
const header = document.querySelector('.site-header').getBoundingClientRect().height;
if (header > vh / 4) out.push(`header ${header} px of ${vh} px`);
const small = [...document.querySelectorAll('main button, main input, main select, main textarea, main .button, summary, .menu-list a')]
  .filter(e => e.getClientRects().length > 0 && !['checkbox', 'radio', 'hidden'].includes(e.type))
  .filter(e => e.getBoundingClientRect().height < 44)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + e.getBoundingClientRect().height + ' px');
if (small.length) out.push(`touch targets under 44 px: ${small.join(', ')}`);
return out;
"#;

/// Runs axe-core (already injected) and returns its serious and critical violations.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(
  r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)
)).catch(e => done([`axe failed: ${e}`]));
"#;

fn axe_source() -> String {
    let path = root().join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/setup.sh --test installs axe-core)",
            path.display()
        )
    })
}

fn strings(v: serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_main_page_fits_a_phone_and_passes_axe_for_every_role() {
    if !available() {
        return;
    }
    let db = &databases("browser-screens")[0];
    let app = TestApp::demo(db);
    let seeded = seed_work(&app);
    let axe = axe_source();
    let b = Browser::start();
    let mut problems = Vec::new();
    let roles = [
        None,
        Some("dz-justice-officer"),
        Some("dz-court-officer"),
        Some("dz-court-training"),
        Some("dz-judges-coordinator"),
        Some("judge-zhang"),
        Some("lawyer-chen"),
        Some("admin"),
    ];
    let mut checked = 0;
    for login in roles {
        b.resize(1200, 900);
        if let Some(login) = login {
            b.sign_in(&app.url("/login"), login);
        }
        for path in pages_of(login, &seeded) {
            for (width, height) in [(1200, 900), (360, 740)] {
                b.resize(width, height);
                b.goto(&app.url(&path));
                let at = format!("{} {path} at {width} px", login.unwrap_or("visitor"));
                assert!(
                    !b.current_url().contains("/login?next="),
                    "{at}: sent to sign in"
                );
                if width == 360 {
                    for p in strings(b.script(PHONE_CHECK)) {
                        problems.push(format!("{at}: {p}"));
                    }
                }
                b.script(&axe);
                for v in strings(b.script_async(AXE_RUN)) {
                    problems.push(format!("{at}: {v}"));
                }
                checked += 1;
            }
        }
        b.clear_cookies();
    }
    assert!(checked > 60, "{checked} page views checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_what_they_look_for() {
    if !available() {
        return;
    }
    let db = &databases("browser-checks")[0];
    let app = TestApp::start(db);
    let b = Browser::start();
    b.resize(360, 740);
    b.goto(&app.url("/"));
    assert_eq!(strings(b.script(PHONE_CHECK)), Vec::<String>::new());
    // A page made wide, a tall header, a small button and an image without a text.
    // Styles through the CSSOM: the CSP refuses inline style attributes.
    b.script(
        "const m = document.querySelector('main'); \
         const wide = document.createElement('div'); wide.textContent = 'wide'; wide.style.width = '600px'; m.append(wide); \
         const button = document.createElement('button'); button.textContent = 'x'; button.style.minHeight = '0'; button.style.height = '20px'; m.append(button); \
         const img = document.createElement('img'); img.src = '/favicon.svg'; m.append(img); \
         document.querySelector('.site-header').style.height = '300px'; return true",
    );
    let found = strings(b.script(PHONE_CHECK)).join("\n");
    for want in [
        "scrolls sideways",
        "header 300 px",
        "touch targets under 44 px",
    ] {
        assert!(found.contains(want), "{want}: {found}");
    }
    b.script(&axe_source());
    let violations = strings(b.script_async(AXE_RUN)).join("\n");
    assert!(violations.contains("image-alt"), "{violations}");
}

#[test]
fn the_phone_menu_opens_without_webassembly_and_holds_the_sections_and_the_account() {
    if !available() {
        return;
    }
    let db = &databases("browser-menu")[0];
    let app = TestApp::demo(db);
    let b = Browser::start();
    b.sign_in(&app.url("/login"), "dz-court-training");
    b.resize(360, 740);
    b.goto(&app.url("/training"));
    // The long title is replaced by the short one, on one line.
    let brand = b.script(
        "const s = document.querySelector('.brand-short'); const r = s.getBoundingClientRect(); \
         return [getComputedStyle(s).display, r.height, getComputedStyle(document.querySelector('.brand-title')).display]",
    );
    assert_ne!(brand[0], "none");
    assert!(brand[1].as_f64().unwrap() < 40.0, "one line: {brand}");
    assert_eq!(brand[2], "none");
    let menu = b.find("#site-menu summary");
    assert_eq!(b.text(&menu), "菜单");
    assert_eq!(
        b.script("return document.querySelector('#site-menu').open"),
        false
    );
    b.click(&menu);
    assert_eq!(
        b.script("return document.querySelector('#site-menu').open"),
        true
    );
    let panel = b.text(&b.find("#site-menu .menu-panel"));
    for want in [
        "法规",
        "培训",
        "交流活动",
        "线索通报",
        "我的账号",
        "English",
    ] {
        assert!(panel.contains(want), "{want} in the menu: {panel}");
    }
    // The open menu lies over the page: the header itself stays small.
    let header =
        b.script("return document.querySelector('.site-header').getBoundingClientRect().height");
    assert!(header.as_f64().unwrap() <= 740.0 / 4.0, "{header}");
    // And the current section is marked in it.
    assert_eq!(
        b.script("return document.querySelector('#site-menu a[aria-current=page]').textContent"),
        "培训"
    );
}

#[test]
fn the_title_names_the_page_first_and_the_site_has_a_favicon() {
    let db = &databases("screens-title")[0];
    let app = TestApp::demo(db);
    let page = app.anon().page("/training");
    assert!(
        page.body
            .contains("<title>学习培训 · 大足区司法人员与律师交往规范平台</title>"),
        "{}",
        page.body
    );
    let home = app.anon().page("/");
    assert!(home
        .body
        .contains("<title>大足区司法人员与律师交往规范平台</title>"));
    assert!(home
        .body
        .contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml""#));
    let icon = get(&app.url("/favicon.svg"), &[]);
    assert_eq!(icon.status, 200);
    assert!(icon.body.starts_with("<svg"));
}
