//! Header, navigation, language switch and footer shared by every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{current_lang, Section};

/// Site header: the title, the sections, search, notifications, the account and the language
/// switch. Self-contained (it reads only the request), so a cached page body can have it
/// rendered per request and spliced in.
///
/// Wide screens show everything in two rows. Phone-sized screens show one row: the short title
/// and a menu button (`<details>`/`<summary>`, so it opens without WebAssembly) holding the
/// sections, search, the account and the language switch. The wide rows are hidden there and
/// the menu is hidden on wide screens, so each copy of a link is in the page's accessibility
/// tree at one width only; ids belong to the wide copy, which the desktop tests drive.
#[component]
pub fn Header() -> impl IntoView {
    let lang = current_lang();
    let t = lang.t();
    let location = use_location();
    let here = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    let next = if query.is_empty() {
        here.clone()
    } else {
        format!("{here}?{query}")
    };
    let switch_href = format!(
        "/lang/{}?next={}",
        lang.other().code(),
        encode_component(&next)
    );
    let sign_in_href = format!("/login?next={}", encode_component(&here));
    let user = crate::pages::account::current_user();
    let unread = unread_count();
    let sections = || {
        [
            Section::Regulations,
            Section::Training,
            Section::Events,
            Section::Leads,
        ]
        .into_iter()
        .map(|s| (s, here.starts_with(s.href())))
    };
    let nav = sections()
        .map(|(s, current)| {
            view! {
                <li><a href=s.href() aria-current=current.then_some("page")>{s.label(lang)}</a></li>
            }
        })
        .collect_view();
    let menu_nav = sections()
        .map(|(s, current)| {
            view! {
                <li><a href=s.href() aria-current=current.then_some("page")>{s.label(lang)}</a></li>
            }
        })
        .collect_view();
    let menu_badge = unread
        .filter(|n| *n > 0)
        .map(|n| view! { " "<span class="tag">{n.to_string()}</span> });
    let menu_account = match (&user, unread) {
        (Some(u), n) => view! {
            <li><a href="/">{lang.pick("我的工作", "My work")}</a></li>
            {n.map(|n| view! {
                <li><a href="/notifications">{lang.pick("通知", "Notices")}
                    {(n > 0).then(|| view! { " "<span class="tag">{n.to_string()}</span> })}</a></li>
            })}
            <li><a href="/account">{lang.pick("我的账号", "My account")}" · "{u.display_name.clone()}</a></li>
        }
        .into_any(),
        (None, _) => view! {
            <li><a href=sign_in_href.clone()>{lang.pick("登录", "Sign in")}</a></li>
        }
        .into_any(),
    };
    view! {
        <a class="skip" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-title">{t.site_title}</span>
                    <span class="brand-short">{t.site_short}</span>
                    <span class="brand-sub">{t.site_subtitle}</span>
                </a>
                <div class="header-tools">
                <form method="get" action="/search" role="search" class="header-search">
                    <label for="header-q" class="visually-hidden">{lang.pick("搜索法规和课程", "Search the rules and courses")}</label>
                    <input id="header-q" type="search" name="q" maxlength="200" placeholder=lang.pick("搜索", "Search")/>
                </form>
                {unread.map(|n| view! {
                    <a class="bell" id="bell" href="/notifications" title=lang.pick("通知", "Notifications")>
                        {lang.pick("通知", "Notices")}
                        {(n > 0).then(|| view! { " "<span class="tag" id="unread-count">{n.to_string()}</span> })}
                    </a>
                })}
                {match &user {
                    Some(u) => view! { <a class="user" id="current-user" href="/account">{u.display_name.clone()}</a> }.into_any(),
                    None => view! { <a class="user" id="sign-in-link" href=sign_in_href.clone()>{lang.pick("登录", "Sign in")}</a> }.into_any(),
                }}
                <a class="lang-switch" id="lang-switch" href=switch_href.clone() hreflang=lang.other().html_code()
                   lang=lang.other().html_code()>{t.switch_to_other}</a>
                </div>
                <details class="menu" id="site-menu">
                    <summary>{t.menu}{menu_badge}</summary>
                    <div class="menu-panel">
                        <nav aria-label=t.nav_label><ul class="menu-list">{menu_nav}</ul></nav>
                        <ul class="menu-list menu-account">
                            {menu_account}
                            <li><a href=switch_href hreflang=lang.other().html_code() lang=lang.other().html_code()>{t.switch_to_other}</a></li>
                        </ul>
                        <form method="get" action="/search" role="search" class="search-row">
                            <label for="menu-q" class="visually-hidden">{lang.pick("搜索法规和课程", "Search the rules and courses")}</label>
                            <input id="menu-q" type="search" name="q" maxlength="200" placeholder=lang.pick("搜索法规和课程", "Search the rules and courses")/>
                            <button type="submit">{lang.pick("搜索", "Search")}</button>
                        </form>
                    </div>
                </details>
            </div>
            <nav class="container wide-nav" aria-label=t.nav_label>
                <ul class="nav">{nav}</ul>
            </nav>
        </header>
    }
}

/// The signed-in user's unread notifications, put into the request by the server.
#[derive(Clone, Copy, Debug)]
pub struct Unread(pub i64);

/// Unread notifications of the request being rendered (`None` when nobody is signed in).
fn unread_count() -> Option<i64> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<Unread>().map(|u| u.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Site footer.
#[component]
pub fn Footer() -> impl IntoView {
    let t = current_lang().t();
    let lang = current_lang();
    view! {
        <footer class="site-footer"><div class="container">
            <p><a href="/tips" id="tips-link">{lang.pick("群众反映：不登录即可反映不正当接触交往问题", "Report a concern without an account")}</a></p>
            <p>{t.footer}</p>
        </div></footer>
    }
}

/// Percent-encodes a string for use as a query value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
