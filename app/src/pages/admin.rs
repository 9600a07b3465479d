//! Administration pages: users, units, CSV import, audit trail. The server loads the data
//! (after checking the caller is an administrator) and provides it as context; the forms post
//! to server handlers that answer with a redirect, so every page works without WebAssembly.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::forms::{described_by, ErrorSummary, Field, Fieldset, FormErrors, TextArea, TextInput};
use crate::i18n::{current_lang, Lang};

/// The role codes an administrator can grant, with labels.
pub const ROLES: [(&str, &str, &str); 5] = [
    ("admin", "系统管理员", "System administrator"),
    ("training_admin", "培训管理员", "Training administrator"),
    ("lead_handler", "线索专员", "Lead handler"),
    ("coordinator", "活动联络员", "Event coordinator"),
    ("member", "学员", "Member"),
];

fn role_label(lang: Lang, code: &str) -> String {
    ROLES
        .iter()
        .find(|r| r.0 == code)
        .map(|r| lang.pick(r.1, r.2).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// One user row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub unit_code: Option<String>,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub must_change_password: bool,
}

/// A unit for pickers and the units page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AdminUnitRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    pub level: String,
    pub region: String,
    pub parent: Option<String>,
}

/// Data of `/admin/users`.
#[derive(Clone, Debug)]
pub struct AdminUsersView {
    pub users: Vec<AdminUserRow>,
    pub units: Vec<AdminUnitRow>,
}

/// Data of `/admin/units`.
#[derive(Clone, Debug)]
pub struct AdminUnitsView {
    pub units: Vec<AdminUnitRow>,
}

/// Data of `/admin/import`: the submitted CSV and its validation.
#[derive(Clone, Debug, Default)]
pub struct ImportView {
    pub csv: String,
    /// (line, login, name, unit, roles)
    pub rows: Vec<(usize, String, String, String, String)>,
    pub errors: Vec<(usize, String)>,
    pub submitted: bool,
}

/// One audit entry as shown.
#[derive(Clone, Debug)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub unit: String,
    pub action: String,
    pub object: String,
    pub detail: String,
    pub client_addr: String,
}

/// Data of `/admin/audit`.
#[derive(Clone, Debug)]
pub struct AuditView {
    pub entries: Vec<AuditRow>,
    pub action: String,
    pub actor: String,
    pub object: String,
    pub older: Option<i64>,
    pub chain: String,
}

fn admin_nav(lang: Lang) -> impl IntoView {
    view! {
        <nav class="subnav" aria-label=lang.pick("管理", "Administration")>
            <a href="/admin/users">{lang.pick("用户", "Users")}</a>
            <a href="/admin/import">{lang.pick("批量导入", "Import")}</a>
            <a href="/admin/units">{lang.pick("单位目录", "Units")}</a>
            <a href="/admin/audit">{lang.pick("审计日志", "Audit trail")}</a>
            <a href="/training-admin/reports">{lang.pick("培训统计", "Training reports")}</a>
        </nav>
    }
}

fn status_line(lang: Lang) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let ok = q.get("status").map(|s| match s.as_str() {
        "created" => lang.pick("用户已创建。", "User created."),
        "saved" => lang.pick("已保存。", "Saved."),
        "reset" => lang.pick(
            "密码已重置，该用户下次登录时须修改密码。",
            "Password reset; the user must change it at next sign-in.",
        ),
        "imported" => lang.pick("导入完成。", "Import complete."),
        _ => lang.pick("完成。", "Done."),
    });
    // Each refusal is shown beside the field of the new-user form it is about (the edit
    // forms in the table give the same codes) and in the summary above.
    let err = q.get("error").map(|e| {
        let (field, zh, en) = match e.as_str() {
            "login" => (
                "new-login",
                "账号无效或已存在。",
                "The login is invalid or already taken.",
            ),
            "name" => (
                "new-name",
                "姓名须为 1–64 个字符，不含控制字符或文字方向控制字符。",
                "The name must have 1–64 characters, without control or text-direction characters.",
            ),
            "unit" => ("new-unit", "未知单位。", "Unknown unit."),
            "password" => (
                "new-password",
                "临时密码不符合要求（8–128 个字符，不能过于常见）。",
                "The temporary password does not qualify (8–128 characters, not a common one).",
            ),
            "self" => (
                "users-table",
                "不能停用自己或取消自己的管理员角色。",
                "You cannot disable yourself or remove your own administrator role.",
            ),
            _ => ("main", "操作失败。", "That did not work."),
        };
        FormErrors::one(field, lang.pick(zh, en))
    });
    provide_context(err.clone().unwrap_or_default());
    view! {
        {ok.map(|m| view! { <p class="ok" role="status">{m}</p> })}
        <ErrorSummary errors=err.unwrap_or_default()/>
    }
}

fn unit_options(
    units: &[AdminUnitRow],
    lang: Lang,
    selected: Option<&str>,
    empty: bool,
) -> impl IntoView {
    let empty = empty.then(|| view! { <option value="" selected=selected.is_none()>"—"</option> });
    let opts = units
        .iter()
        .map(|u| {
            let sel = selected == Some(u.code.as_str());
            view! { <option value=u.code.clone() selected=sel>{format!("{} {}", u.code, lang.pick(&u.name_zh, &u.name_en))}</option> }
        })
        .collect_view();
    view! { {empty}{opts} }
}

fn role_boxes(lang: Lang, prefix: String, have: &[String]) -> impl IntoView {
    ROLES
        .iter()
        .map(|(code, zh, en)| {
            let id = format!("{prefix}-{code}");
            let label_for = id.clone();
            let checked = have.iter().any(|h| h == code);
            view! {
                <label class="check" for=label_for>
                    <input type="checkbox" id=id name=format!("role_{code}") checked=checked/>
                    {lang.pick(zh, en).to_string()}
                </label>
            }
        })
        .collect_view()
}

/// `/admin`: links to the administration pages.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let lang = current_lang();
    let title = lang.pick("系统管理", "Administration");
    view! { <Title text=title/><h1>{title}</h1>{admin_nav(lang)} }
}

/// `/admin/users`: list, create, edit roles and unit, disable, reset password.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let lang = current_lang();
    let data = expect_context::<AdminUsersView>();
    let title = lang.pick("用户管理", "Users");
    let rows = data
        .users
        .iter()
        .map(|u| {
            let id = u.id;
            let roles = u.roles.iter().map(|r| role_label(lang, r)).collect::<Vec<_>>().join("、");
            let units = data.units.clone();
            view! {
                <tr id=format!("user-{}", u.login)>
                    <td>{u.login.clone()}</td>
                    <td>{u.display_name.clone()}</td>
                    <td>{u.unit_code.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{roles}</td>
                    <td>{if u.disabled { lang.pick("已停用", "Disabled") } else { lang.pick("正常", "Active") }}</td>
                    <td>
                        <details>
                            <summary>{lang.pick("编辑", "Edit")}</summary>
                            <form method="post" action=format!("/admin/users/{id}") class="form">
                                <label>{lang.pick("姓名", "Name")}<input name="display_name" value=u.display_name.clone() required maxlength="64"/></label>
                                <label>{lang.pick("单位", "Unit")}<select name="unit_code">{unit_options(&units, lang, u.unit_code.as_deref(), true)}</select></label>
                                <fieldset><legend>{lang.pick("角色", "Roles")}</legend>{role_boxes(lang, format!("u{id}"), &u.roles)}</fieldset>
                                <label class="check"><input type="checkbox" name="disabled" checked=u.disabled/>{lang.pick("停用此账号", "Disable this account")}</label>
                                <button type="submit">{lang.pick("保存", "Save")}</button>
                            </form>
                            <form method="post" action=format!("/admin/users/{id}/reset-password") class="form">
                                <label>{lang.pick("临时密码（用户下次登录须修改）", "Temporary password (must be changed at next sign-in)")}
                                    <input name="temp_password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/></label>
                                <button type="submit">{lang.pick("重置密码", "Reset password")}</button>
                            </form>
                        </details>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {admin_nav(lang)}
        {status_line(lang)}
        <h2>{lang.pick("新建用户", "New user")}</h2>
        <form method="post" action="/admin/users" class="form narrow" id="create-user">
            <Field id="new-login" label=lang.pick("账号", "Login") hint=lang.pick("字母、数字、点、下划线或连字符。", "Letters, digits, dots, underscores or hyphens.")>
                <input id="new-login" name="login" required maxlength="64" pattern="[A-Za-z0-9._\\-]+" autocomplete="off"
                    aria-describedby=described_by("new-login", true, false)/>
            </Field>
            <TextInput id="new-name" name="display_name" label=lang.pick("姓名", "Name") required=true maxlength=64/>
            <Field id="new-unit" label=lang.pick("单位", "Unit")>
                <select id="new-unit" name="unit_code">{unit_options(&data.units, lang, None, true)}</select>
            </Field>
            <Fieldset legend=lang.pick("角色", "Roles")>{role_boxes(lang, "new".into(), &["member".to_string()])}</Fieldset>
            <TextInput id="new-password" name="temp_password" kind="password" label=lang.pick("临时密码", "Temporary password")
                hint=lang.pick("8–128 个字符；用户首次登录时须修改。", "8–128 characters; the user must change it at first sign-in.")
                autocomplete="new-password" required=true maxlength=128/>
            <button type="submit">{lang.pick("创建", "Create")}</button>
        </form>
        <h2>{lang.pick("全部用户", "All users")}</h2>
        <div class="table-wrap">
            <table class="data" id="users-table">
                <thead><tr>
                    <th>{lang.pick("账号", "Login")}</th><th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("单位", "Unit")}</th>
                    <th>{lang.pick("角色", "Roles")}</th><th>{lang.pick("状态", "Status")}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// `/admin/units`: the directory, with names and parent editable.
#[component]
pub fn AdminUnitsPage() -> impl IntoView {
    let lang = current_lang();
    let data = expect_context::<AdminUnitsView>();
    let title = lang.pick("单位目录", "Unit directory");
    let rows = data
        .units
        .iter()
        .map(|u| {
            let units = data.units.clone();
            view! {
                <tr id=format!("unit-{}", u.code)>
                    <td><code>{u.code.clone()}</code></td>
                    <td>{u.name_zh.clone()}</td>
                    <td>{u.name_en.clone()}</td>
                    <td>{u.kind.clone()}</td>
                    <td>{u.level.clone()}</td>
                    <td>{u.region.clone()}</td>
                    <td>{u.parent.clone().unwrap_or_default()}</td>
                    <td>
                        <details>
                            <summary>{lang.pick("编辑", "Edit")}</summary>
                            <form method="post" action=format!("/admin/units/{}", u.code) class="form">
                                <label>{lang.pick("中文名称", "Chinese name")}<input name="name_zh" value=u.name_zh.clone() required maxlength="100"/></label>
                                <label>{lang.pick("英文名称", "English name")}<input name="name_en" value=u.name_en.clone() required maxlength="150"/></label>
                                <label>{lang.pick("上级单位", "Parent unit")}<select name="parent_code">{unit_options(&units, lang, u.parent.as_deref(), true)}</select></label>
                                <button type="submit">{lang.pick("保存", "Save")}</button>
                            </form>
                        </details>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {admin_nav(lang)}
        {status_line(lang)}
        <p>{lang.pick("单位代码、类别和层级决定线索移送路径，不能在此修改。", "Codes, kinds and levels decide lead routing and cannot be changed here.")}</p>
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th>{lang.pick("代码", "Code")}</th><th>{lang.pick("中文名称", "Chinese name")}</th><th>{lang.pick("英文名称", "English name")}</th>
                    <th>{lang.pick("类别", "Kind")}</th><th>{lang.pick("层级", "Level")}</th><th>{lang.pick("地区", "Region")}</th><th>{lang.pick("上级", "Parent")}</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// `/admin/import`: paste or upload a CSV, see the preview with row errors, then import.
#[component]
pub fn AdminImportPage() -> impl IntoView {
    let lang = current_lang();
    let data = use_context::<ImportView>().unwrap_or_default();
    let title = lang.pick("批量导入用户", "Import users");
    let valid = data.submitted && data.errors.is_empty() && !data.rows.is_empty();
    // Row problems link to the pasted content, where the rows are.
    let errors = FormErrors(
        data.errors
            .iter()
            .map(|(l, m)| {
                (
                    "import-csv".to_string(),
                    format!("{} {l}: {m}", lang.pick("第", "line")),
                )
            })
            .collect(),
    );
    let errors = (!errors.is_empty()).then(|| {
        view! {
            <div id="import-errors">
                <p>{lang.pick("以下行有错误，未导入任何用户：", "These rows have errors; no user was imported:")}</p>
                <ErrorSummary errors=errors/>
            </div>
        }
    });
    let preview = (!data.rows.is_empty()).then(|| {
        view! {
            <div class="table-wrap"><table class="data" id="import-preview">
                <thead><tr><th>"#"</th><th>{lang.pick("账号", "Login")}</th><th>{lang.pick("姓名", "Name")}</th><th>{lang.pick("单位", "Unit")}</th><th>{lang.pick("角色", "Roles")}</th></tr></thead>
                <tbody>{data.rows.iter().map(|(l, a, b, c, d)| view! { <tr><td>{*l}</td><td>{a.clone()}</td><td>{b.clone()}</td><td>{c.clone()}</td><td>{d.clone()}</td></tr> }).collect_view()}</tbody>
            </table></div>
        }
    });
    let confirm = valid.then(|| {
        view! {
            <form method="post" action="/admin/import" class="form">
                <input type="hidden" name="csv" value=data.csv.clone()/>
                <input type="hidden" name="confirm" value="1"/>
                <button type="submit" id="import-confirm">{format!("{} {} {}", lang.pick("确认导入", "Import"), data.rows.len(), lang.pick("名用户", "users"))}</button>
            </form>
        }
    });
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {admin_nav(lang)}
        {status_line(lang)}
        <p>{lang.pick("CSV 文件（UTF-8）首行为表头：", "CSV file (UTF-8) with this header line:")} <code>"login,display_name,unit_code,roles,initial_password"</code>
           {lang.pick("。角色用分号分隔（如 member;lead_handler），留空为学员。导入的用户首次登录须修改密码。全部行无误才会导入。",
                      ". Separate roles with semicolons (e.g. member;lead_handler); empty means member. Imported users must change their password at first sign-in. Nothing is imported unless every row is valid.")}</p>
        {errors}
        {preview}
        {confirm}
        <form method="post" action="/admin/import" enctype="multipart/form-data" class="form">
            <Field id="import-file" label=lang.pick("选择文件", "Choose a file")>
                <input type="file" id="import-file" name="file" accept=".csv,text/csv"/>
            </Field>
            <TextArea id="import-csv" name="csv" label=lang.pick("或粘贴内容", "Or paste the content") value=data.csv.clone() rows=8/>
            <button type="submit" id="import-preview-button">{lang.pick("预览", "Preview")}</button>
        </form>
    }
}

/// `/admin/audit`: browse and filter the trail, newest first.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let lang = current_lang();
    let data = expect_context::<AuditView>();
    let title = lang.pick("审计日志", "Audit trail");
    let older = data.older.map(|seq| {
        let href = format!(
            "/admin/audit?action={}&actor={}&object={}&before={seq}",
            crate::layout::encode_component(&data.action),
            crate::layout::encode_component(&data.actor),
            crate::layout::encode_component(&data.object)
        );
        view! { <p><a href=href>{lang.pick("更早的记录", "Older entries")}</a></p> }
    });
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {admin_nav(lang)}
        <p class="ok" id="audit-chain">{data.chain.clone()}</p>
        <form method="get" action="/admin/audit" class="form filters">
            <label>{lang.pick("操作", "Action")}<input name="action" value=data.action.clone() maxlength="64"/></label>
            <label>{lang.pick("操作人账号", "Actor login")}<input name="actor" value=data.actor.clone() maxlength="64"/></label>
            <label>{lang.pick("对象编号", "Object id")}<input name="object" value=data.object.clone() maxlength="64"/></label>
            <button type="submit">{lang.pick("筛选", "Filter")}</button>
        </form>
        <div class="table-wrap">
            <table class="data" id="audit-table">
                <thead><tr>
                    <th>"#"</th><th>{lang.pick("时间（北京时间）", "Time (UTC+8)")}</th><th>{lang.pick("操作人", "Actor")}</th><th>{lang.pick("单位", "Unit")}</th>
                    <th>{lang.pick("操作", "Action")}</th><th>{lang.pick("对象", "Object")}</th><th>{lang.pick("说明", "Detail")}</th><th>{lang.pick("来源地址", "From")}</th>
                </tr></thead>
                <tbody>
                    {data.entries.iter().map(|e| view! {
                        <tr><td>{e.seq}</td><td>{e.at.clone()}</td><td>{e.actor.clone()}</td><td>{e.unit.clone()}</td><td><code>{e.action.clone()}</code></td>
                            <td>{e.object.clone()}</td><td>{e.detail.clone()}</td><td>{e.client_addr.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {older}
    }
}
