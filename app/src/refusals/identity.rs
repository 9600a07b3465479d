//! The words for the refusals of identity: signing in, choosing a password, importing users.

use domain::identity::{ImportProblem, PasswordRefused, SignInRefused};

use super::{pick, Localize};
use crate::i18n::Lang;

impl Localize for SignInRefused {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (SignInRefused::Invalid, _) => pick(lang, "账号或密码错误", "Wrong login or password"),
            (SignInRefused::Throttled(m), Lang::Zh) => format!("尝试次数过多，请 {m} 分钟后再试"),
            (SignInRefused::Throttled(m), Lang::En) => {
                format!("Too many attempts; try again in {m} minutes")
            }
            (SignInRefused::LoginTooLong, _) => pick(
                lang,
                "账号最多 64 个字符",
                "A login has at most 64 characters",
            ),
        }
    }
}

impl Localize for PasswordRefused {
    fn text(&self, lang: Lang) -> String {
        match self {
            PasswordRefused::TooShort => pick(
                lang,
                "密码至少 8 个字符",
                "The password must have at least 8 characters",
            ),
            PasswordRefused::TooLong => pick(
                lang,
                "密码最多 128 个字符",
                "The password must have at most 128 characters",
            ),
            PasswordRefused::TooCommon => pick(
                lang,
                "该密码过于常见，请另选一个",
                "This password is too common; choose another",
            ),
        }
    }
}

impl Localize for ImportProblem {
    fn text(&self, lang: Lang) -> String {
        use ImportProblem as P;
        let zh = lang == Lang::Zh;
        match self {
            P::BadHeader(h) if zh => format!("表头应为：{h}"),
            P::BadHeader(h) => format!("the header must be: {h}"),
            P::Unreadable(e) if zh => format!("无法读取 CSV：{e}"),
            P::Unreadable(e) => format!("unreadable CSV: {e}"),
            P::NotUtf8 => pick(lang, "文件不是 UTF-8 编码", "the file is not UTF-8"),
            P::TooManyRows(n) if zh => format!("最多 {n} 行"),
            P::TooManyRows(n) => format!("at most {n} rows"),
            P::UnreadableRow(e) if zh => format!("无法读取此行：{e}"),
            P::UnreadableRow(e) => format!("unreadable row: {e}"),
            P::ColumnCount { expected, found } if zh => {
                format!("应有 {expected} 列，实有 {found} 列")
            }
            P::ColumnCount { expected, found } => {
                format!("expected {expected} columns, found {found}")
            }
            P::BadLogin => pick(
                lang,
                "账号须为 1–64 个字母、数字或 - _ .",
                "login must be 1–64 letters, digits, - _ or .",
            ),
            P::LoginExists(l) if zh => format!("账号 {l} 已存在"),
            P::LoginExists(l) => format!("login {l} already exists"),
            P::LoginTwice(l) if zh => format!("账号 {l} 在文件中重复"),
            P::LoginTwice(l) => format!("login {l} appears twice in the file"),
            P::BadName => pick(
                lang,
                "姓名须为 1–64 个字符，不含控制字符或文字方向控制字符",
                "the name must have 1–64 characters, without control or text-direction characters",
            ),
            P::UnknownUnit(u) if zh => format!("未知单位代码 {u}"),
            P::UnknownUnit(u) => format!("unknown unit code {u}"),
            P::AdminNotImportable => pick(
                lang,
                "不能批量导入系统管理员",
                "administrators cannot be imported",
            ),
            P::UnknownRole(r) if zh => format!("未知角色 {r}"),
            P::UnknownRole(r) => format!("unknown role {r}"),
            P::InitialPassword(p) if zh => format!("初始密码：{}", p.text(lang)),
            P::InitialPassword(p) => format!("initial password: {}", p.text(lang)),
            P::NoRows => pick(lang, "文件中没有数据行", "the file has no rows"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API's `zh / en` form is what it was before refusals were typed.
    #[test]
    fn sign_in_words_as_the_api_gives_them() {
        assert_eq!(
            SignInRefused::Invalid.both(),
            "账号或密码错误 / Wrong login or password"
        );
        assert_eq!(
            SignInRefused::Throttled(15).both(),
            "尝试次数过多，请 15 分钟后再试 / Too many attempts; try again in 15 minutes"
        );
        assert_eq!(
            ImportProblem::UnknownRole("wizard".into()).text(Lang::Zh),
            "未知角色 wizard"
        );
    }
}
