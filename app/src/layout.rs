//! Header, navigation, language switch and footer shared by every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{current_lang, Section};

/// Site header with the main navigation and the language switch.
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
    let nav = [
        Section::Regulations,
        Section::Training,
        Section::Events,
        Section::Leads,
    ]
    .into_iter()
    .map(|s| {
        let current = here.starts_with(s.href());
        view! {
            <li><a href=s.href() aria-current=current.then_some("page")>{s.label(lang)}</a></li>
        }
    })
    .collect_view();
    view! {
        <a class="skip" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-title">{t.site_title}</span>
                    <span class="brand-sub">{t.site_subtitle}</span>
                </a>
                <div class="header-tools">
                <form method="get" action="/search" role="search" class="header-search">
                    <label for="header-q" class="visually-hidden">{lang.pick("搜索法规和课程", "Search the rules and courses")}</label>
                    <input id="header-q" type="search" name="q" maxlength="200" placeholder=lang.pick("搜索", "Search")/>
                </form>
                {unread_count().map(|n| view! {
                    <a class="bell" id="bell" href="/notifications" title=lang.pick("通知", "Notifications")>
                        {lang.pick("通知", "Notices")}
                        {(n > 0).then(|| view! { " "<span class="tag" id="unread-count">{n.to_string()}</span> })}
                    </a>
                })}
                {match crate::pages::account::current_user() {
                    Some(u) => view! { <a class="user" id="current-user" href="/account">{u.display_name}</a> }.into_any(),
                    None => view! { <a class="user" id="sign-in-link" href=format!("/login?next={}", encode_component(&here))>{lang.pick("登录", "Sign in")}</a> }.into_any(),
                }}
                <a class="lang-switch" id="lang-switch" href=switch_href hreflang=lang.other().html_code()
                   lang=lang.other().html_code()>{t.switch_to_other}</a>
                </div>
            </div>
            <nav class="container" aria-label=t.nav_label>
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
