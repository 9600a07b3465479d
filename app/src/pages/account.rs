//! Sign-in and the user's own account page (password change, API tokens).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::forms::{ErrorSummary, FormErrors, TextInput};
use crate::i18n::{current_lang, Lang};

/// The signed-in user of the request being rendered, if any.
pub fn current_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let caller = parts.extensions.get::<store::sessions::Caller>()?;
        caller.user().map(|u| CurrentUser {
            login: u.login.clone(),
            display_name: u.display_name.clone(),
            unit_code: u.unit_code.clone(),
            must_change_password: u.must_change_password,
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// One live API token of the user, as listed on the account page (never the secret).
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub id: String,
    pub label: String,
    pub created: String,
    pub expires: String,
}

/// Data of `/account`, loaded by the server.
#[derive(Clone, Debug, Default)]
pub struct AccountView {
    pub tokens: Vec<TokenRow>,
}

/// What pages need to know about the signed-in user.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub login: String,
    pub display_name: String,
    pub unit_code: Option<String>,
    pub must_change_password: bool,
}

fn login_error(lang: Lang, code: &str, wait: &str) -> Option<String> {
    let wait = wait.parse::<u32>().unwrap_or(15);
    match code {
        "invalid" => Some(
            lang.pick("账号或密码错误。", "Wrong login or password.")
                .to_string(),
        ),
        "throttled" => Some(match lang {
            Lang::Zh => format!("尝试次数过多，请 {wait} 分钟后再试。"),
            Lang::En => format!("Too many attempts. Try again in {wait} minutes."),
        }),
        _ => None,
    }
}

/// `/login`: the sign-in form. Posts to `/login`, which answers with a redirect.
#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = current_lang();
    let q = use_query_map().get_untracked();
    let error = login_error(
        lang,
        &q.get("error").unwrap_or_default(),
        &q.get("wait").unwrap_or_default(),
    );
    let next = q.get("next").unwrap_or_else(|| "/".into());
    let title = lang.pick("登录", "Sign in");
    // A refused sign-in redirects here without the login typed: the redirect is the same for
    // every login, so it does not tell whether a login exists, and logins stay out of the
    // access logs' URLs.
    provide_context(
        error
            .map(|e| FormErrors::one("login", e))
            .unwrap_or_default(),
    );
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <ErrorSummary/>
        <form method="post" action="/login" class="form narrow">
            <input type="hidden" name="next" value=next/>
            <TextInput id="login" label=lang.pick("账号", "Login")
                autocomplete="username" required=true maxlength=64/>
            <TextInput id="password" kind="password" label=lang.pick("密码", "Password")
                autocomplete="current-password" required=true maxlength=128/>
            <button type="submit" id="sign-in">{title}</button>
        </form>
    }
}

fn tokens_table(lang: Lang) -> impl IntoView {
    let tokens = use_context::<AccountView>().unwrap_or_default().tokens;
    if tokens.is_empty() {
        return view! { <p id="no-tokens">{lang.pick("没有有效的令牌。", "No live tokens.")}</p> }
            .into_any();
    }
    view! {
        <table class="data" id="tokens">
            <thead><tr><th>"ID"</th><th>{lang.pick("说明", "Label")}</th><th>{lang.pick("签发", "Issued")}</th><th>{lang.pick("到期", "Expires")}</th><th></th></tr></thead>
            <tbody>
                {tokens.into_iter().map(|t| view! {
                    <tr>
                        <td><code>{t.id.clone()}</code></td><td>{t.label}</td><td>{t.created}</td><td>{t.expires}</td>
                        <td><form method="post" action=format!("/account/tokens/{}/revoke", t.id)><button type="submit">{lang.pick("撤销", "Revoke")}</button></form></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `/account`: who you are, change password, API tokens.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = current_lang();
    let q = use_query_map().get_untracked();
    // The server only routes signed-in users here; this is a fallback.
    let Some(user) = current_user() else {
        return view! { <p><a href="/login?next=/account">{lang.pick("请先登录。", "Please sign in.")}</a></p> }.into_any();
    };
    let notice = match q.get("status").as_deref() {
        Some("changed") => Some(
            lang.pick(
                "密码已修改，其他会话已退出。",
                "Password changed; your other sessions were signed out.",
            )
            .to_string(),
        ),
        _ => None,
    };
    let error = q.get("error").map(|e| {
        let (field, zh, en) = match e.as_str() {
            "current" => (
                "current",
                "当前密码不正确。",
                "The current password is wrong.",
            ),
            "mismatch" => (
                "confirm",
                "两次输入的新密码不一致。",
                "The new passwords do not match.",
            ),
            "short" => (
                "new",
                "新密码至少 8 个字符。",
                "The new password needs at least 8 characters.",
            ),
            "long" => (
                "new",
                "新密码最多 128 个字符。",
                "The new password may have at most 128 characters.",
            ),
            "common" => (
                "new",
                "该密码过于常见，请另选一个。",
                "This password is too common; choose another.",
            ),
            _ => (
                "current",
                "操作失败，请重试。",
                "That did not work; please try again.",
            ),
        };
        FormErrors::one(field, lang.pick(zh, en))
    });
    provide_context(error.unwrap_or_default());
    let must_change = user.must_change_password || q.get("must_change").is_some();
    let title = lang.pick("我的账号", "My account");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <dl class="doc-meta">
            <dt>{lang.pick("账号", "Login")}</dt><dd id="account-login">{user.login.clone()}</dd>
            <dt>{lang.pick("姓名", "Name")}</dt><dd>{user.display_name.clone()}</dd>
            <dt>{lang.pick("单位", "Unit")}</dt><dd>{user.unit_code.clone().unwrap_or_else(|| "—".into())}</dd>
        </dl>
        {must_change.then(|| view! { <p class="alert" role="alert">{lang.pick("请先修改密码。", "Please change your password now.")}</p> })}
        {notice.map(|n| view! { <p class="ok" role="status">{n}</p> })}
        <ErrorSummary/>
        <h2>{lang.pick("修改密码", "Change password")}</h2>
        <form method="post" action="/account/password" class="form narrow">
            <TextInput id="current" kind="password" label=lang.pick("当前密码", "Current password")
                autocomplete="current-password" required=true maxlength=128/>
            <TextInput id="new" kind="password" label=lang.pick("新密码", "New password")
                hint=lang.pick("8–128 个字符，不要使用常见密码。", "8–128 characters; not a common password.")
                autocomplete="new-password" required=true maxlength=128/>
            <TextInput id="confirm" kind="password" label=lang.pick("再次输入新密码", "New password again")
                autocomplete="new-password" required=true maxlength=128/>
            <button type="submit">{lang.pick("修改密码", "Change password")}</button>
        </form>
        <h2>{lang.pick("API 令牌", "API tokens")}</h2>
        <p>{lang.pick("通过 POST /api/v1/auth/login 签发，30 天后失效。", "Issued by POST /api/v1/auth/login; they expire after 30 days.")}</p>
        {tokens_table(lang)}
        <form method="post" action="/logout" class="form narrow">
            <button type="submit" id="sign-out">{lang.pick("退出登录", "Sign out")}</button>
        </form>
    }
    .into_any()
}
