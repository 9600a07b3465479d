//! The portal's user interface: the HTML shell, the page components rendered on the server,
//! and the few interactive islands that hydrate in the browser.
//!
//! The app runs in Leptos islands mode: pages are server-rendered HTML that work without
//! WebAssembly, and only components marked `#[island]` ship code to the browser.

// The event pages' views are deep nested types; the browser build needs a deeper query limit.
#![recursion_limit = "256"]

pub mod forms;
pub mod i18n;
pub mod islands;
pub mod layout;
pub mod pages;
pub mod refusals;
#[cfg(feature = "ssr")]
pub mod request;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::pages::{admin, leads, tips};
use crate::pages::{AccountPage, HomePage, LoginPage, NotFound, RegulationEnPage, RegulationPage};

/// The whole HTML document around the app, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::current_lang();
    #[cfg(feature = "ssr")]
    request::provide_csp_nonce();
    // The server names the assets after their content (`portal.<hash>`), cached for good.
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The routes of the portal.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site = i18n::current_lang().t().site_title;
    view! {
        // Every page's title names the page first: "<page> · <site>".
        <Title formatter=move |page: String| title_for(&page, site)/>
        <Router>
            <layout::Header/>
            <main id="main" class="container">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/admin") view=admin::AdminHomePage/>
                    <Route path=path!("/admin/users") view=admin::AdminUsersPage/>
                    <Route path=path!("/admin/units") view=admin::AdminUnitsPage/>
                    <Route path=path!("/admin/import") view=admin::AdminImportPage/>
                    <Route path=path!("/admin/audit") view=admin::AdminAuditPage/>
                    <Route path=path!("/regulations/dazu-2021-6") view=RegulationPage/>
                    <Route path=path!("/regulations/dazu-2021-6/en") view=RegulationEnPage/>
                    <Route path=path!("/regulations/dazu-2021-6/compare") view=crate::pages::library::ComparePage/>
                    <Route path=path!("/regulations/dazu-2021-6/:article") view=crate::pages::library::ArticlePage/>
                    <Route path=path!("/regulations/provisions-2015") view=crate::pages::library::ProvisionsPage/>
                    <Route path=path!("/glossary") view=crate::pages::library::GlossaryPage/>
                    <Route path=path!("/search") view=crate::pages::library::SearchPage/>
                    <Route path=path!("/training") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/training/:course") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/training/:course/:lesson") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/quizzes/:quiz") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/quizzes/:quiz/practice") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/quizzes/:quiz/stats") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/training-admin") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/training-admin/reports") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/attempts/:attempt") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/verify/:code") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/events") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/new") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/series/new") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/series/:id") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/exchanges/plan") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/mine") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/:id") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/events/:id/edit") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/notifications") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/exchanges") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/admin/venues") view=crate::pages::events::EventsPage/>
                    <Route path=path!("/certificates/:code/print") view=crate::pages::training::TrainingPage/>
                    <Route path=path!("/leads") view=leads::LeadsInboxPage/>
                    <Route path=path!("/leads/new") view=leads::LeadReportPage/>
                    <Route path=path!("/leads/dashboard") view=crate::pages::dashboard::DashboardPage/>
                    <Route path=path!("/leads/tips") view=tips::TipQueuePage/>
                    <Route path=path!("/leads/tips/:id") view=tips::TipDetailPage/>
                    <Route path=path!("/tips") view=tips::TipsPage/>
                    <Route path=path!("/leads/:id") view=leads::LeadCasePage/>
                </Routes>
            </main>
            <layout::Footer/>
        </Router>
    }
}

/// The document title of a page: the page first, then the site; the home page is the site.
pub fn title_for(page: &str, site: &str) -> String {
    if page.is_empty() || page == site {
        site.to_string()
    } else {
        format!("{page} · {site}")
    }
}

/// Entry point of the browser build: hydrates the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
