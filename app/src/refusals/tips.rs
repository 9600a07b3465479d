//! The words for the refusals of public tips.

use domain::tips::TipRefused;

use super::{pick, Localize};
use crate::i18n::Lang;

impl Localize for TipRefused {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (TipRefused::TooShort, _) => pick(
                lang,
                "内容至少 10 个字",
                "please write at least 10 characters",
            ),
            (TipRefused::TooLong, _) => pick(lang, "内容最多 5000 字", "at most 5000 characters"),
            (TipRefused::ControlCharacters, _) => pick(
                lang,
                "内容含有控制字符",
                "the text contains control characters",
            ),
            (TipRefused::Throttled(m), Lang::Zh) => format!("查询次数过多，请 {m} 分钟后再试"),
            (TipRefused::Throttled(m), Lang::En) => {
                format!("too many attempts; try again in {m} minutes")
            }
            (TipRefused::TooManyTips(m), Lang::Zh) => {
                format!("提交过于频繁，请 {m} 分钟后再试")
            }
            (TipRefused::TooManyTips(m), Lang::En) => {
                format!("too many tips from this connection; try again in {m} minutes")
            }
            (TipRefused::Closed, _) => pick(lang, "此反映已办结", "this tip is closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_words_are_unchanged() {
        assert_eq!(
            TipRefused::Throttled(15).both(),
            "查询次数过多，请 15 分钟后再试 / too many attempts; try again in 15 minutes"
        );
        assert_eq!(
            TipRefused::Closed.both(),
            "此反映已办结 / this tip is closed"
        );
    }
}
