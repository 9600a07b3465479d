//! The words for typed refusals: `domain` and `store` say *why* something is refused with an
//! enum, and this module is the one place that says it in Chinese and in English, one file per
//! feature. Pages show the reader's language; the JSON API shows both (`zh / en`), as it
//! always has.

mod events;
mod identity;
pub mod leads;
mod tips;
mod training;

pub use training::{StartError, StartNotice};

use crate::i18n::Lang;

/// Something that can be said to the person who asked, in either language.
pub trait Localize {
    /// The text in `lang`.
    fn text(&self, lang: Lang) -> String;

    /// Both languages, `中文 / English`, as the JSON API's `error` gives them.
    fn both(&self) -> String {
        format!("{} / {}", self.text(Lang::Zh), self.text(Lang::En))
    }
}

/// The Chinese or the English text, owned.
pub(crate) fn pick(lang: Lang, zh: &str, en: &str) -> String {
    lang.pick(zh, en).to_string()
}
