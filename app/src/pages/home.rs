//! The home page, section placeholders and the 404 page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{current_lang, Section};

/// Landing page: what the portal is for, with a way into each section.
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = current_lang();
    let t = lang.t();
    view! {
        <Title text=t.site_title/>
        <h1>{t.site_title}</h1>
        <p class="lead">{t.home_intro}</p>
        <p><a class="button" href=Section::Regulations.href()>{t.home_regulation_link}</a></p>
        <ul class="cards">
            {[Section::Training, Section::Events, Section::Leads]
                .into_iter()
                .map(|s| view! { <li><a href=s.href()>{s.label(lang)}</a></li> })
                .collect_view()}
        </ul>
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
