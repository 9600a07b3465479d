//! The home page (the public front page, or one's own work after sign-in) and the 404 page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{current_lang, Section};

/// One thing on a person's list: a link, a line about it, and whether it is late.
#[derive(Clone, Debug, Default)]
pub struct WorkItem {
    pub href: String,
    pub title: String,
    pub detail: String,
    pub late: bool,
}

/// One list of the home page ("required courses", "cases waiting for your unit", …), worded
/// by the server in the reader's language.
#[derive(Clone, Debug, Default)]
pub struct WorkList {
    /// The list's element id.
    pub id: &'static str,
    pub heading: String,
    /// Shown when the list is empty.
    pub empty: String,
    pub items: Vec<WorkItem>,
    /// Where the whole list lives (its section's page), with the link's text.
    pub more: Option<(String, String)>,
}

/// Data of `/` for a signed-in person: their lists, in the order shown.
#[derive(Clone, Debug, Default)]
pub struct HomeView {
    pub name: String,
    pub unit: String,
    pub lists: Vec<WorkList>,
}

/// `/`: one's own work after sign-in; for anonymous visitors, what the portal is for and what
/// each section offers.
#[component]
pub fn HomePage() -> impl IntoView {
    match use_context::<HomeView>() {
        Some(home) => my_work(home).into_any(),
        None => public_home().into_any(),
    }
}

fn public_home() -> impl IntoView {
    let lang = current_lang();
    let t = lang.t();
    view! {
        <Title text=t.site_title/>
        <h1>{t.site_title}</h1>
        <p class="lead">{t.home_intro}</p>
        <ul class="cards" id="sections">
            {[Section::Regulations, Section::Training, Section::Events, Section::Leads]
                .into_iter()
                .map(|s| view! {
                    <li><a href=s.href()><span class="card-title">{s.label(lang)}</span>
                        <span class="card-text">{s.offer(lang)}</span></a></li>
                })
                .collect_view()}
        </ul>
        <p><a class="button" href="/tips">{lang.pick("不登录反映问题", "Report a concern without an account")}</a>
            " " <a href="/login">{lang.pick("工作人员登录", "Staff sign in")}</a></p>
    }
}

fn my_work(home: HomeView) -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("我的工作", "My work");
    let lists = home
        .lists
        .into_iter()
        .map(|l| {
            let heading_id = format!("{}-heading", l.id);
            let labelled_by = heading_id.clone();
            view! {
                <section class="work-list" id=l.id aria-labelledby=labelled_by>
                    <h2 id=heading_id>{l.heading}</h2>
                    {if l.items.is_empty() {
                        view! { <p class="muted">{l.empty}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="work-items">
                                {l.items.into_iter().map(|i| view! {
                                    <li class:late=i.late>
                                        <a href=i.href><bdi>{i.title}</bdi></a>
                                        <span class="work-detail">{i.detail}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {l.more.map(|(href, text)| view! { <p class="more"><a href=href>{text}</a></p> })}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p class="lead" id="home-who">{home.name}{(!home.unit.is_empty()).then(|| format!(" · {}", home.unit))}</p>
        <div class="work" id="my-work">{lists}</div>
    }
}

/// The 404 page; also sets the response status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::request::set_status(http::StatusCode::NOT_FOUND);
    let t = current_lang().t();
    view! {
        <Title text=t.not_found_title/>
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_body}</p>
        <p><a href="/">{t.back_home}</a></p>
    }
}
