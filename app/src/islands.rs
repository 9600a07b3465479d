//! The interactive parts of otherwise static pages. Each island is the only code a page
//! ships to the browser; everything around it stays server-rendered HTML.

use leptos::prelude::*;

use crate::i18n::Lang;

/// A table of contents that can be collapsed (on phones it starts open, and the button lets
/// readers put it away). Without WebAssembly the list simply stays open.
#[island]
pub fn TocToggle(lang: Lang, children: Children) -> impl IntoView {
    let (open, set_open) = signal(true);
    let t = lang.t();
    view! {
        <div class="toc-box">
            <button
                type="button"
                id="toc-toggle"
                class="toc-toggle"
                aria-controls="toc-list"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| set_open.update(|o| *o = !*o)
            >
                {t.toc} " · " {move || if open.get() { t.toc_hide } else { t.toc_show }}
            </button>
            <div id="toc-list" class="toc-list" class:collapsed=move || !open.get()>
                {children()}
            </div>
        </div>
    }
}
