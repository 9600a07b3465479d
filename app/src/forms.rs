//! Form parts in the pattern of the GOV.UK design system, shared by every form: the label
//! above its field, a hint under the label, the field's error beside it, related fields grouped
//! in a fieldset under a legend, and a summary of every error at the top of the page as a list
//! of links to the fields.
//!
//! Adopting them in a form: the server puts what it refused into a [`FormErrors`] (field id →
//! message) and the page provides it as context (or passes it to [`ErrorSummary`]); each field
//! component finds its own message by its id, so a page only names its fields. The values
//! typed stay in the fields because the server renders the form again with them.

use leptos::prelude::*;

use crate::i18n::current_lang;

/// What a submitted form got wrong: the id of each field with its message, in the order of the
/// form. A problem with the form as a whole has the id of the first field (or of the button),
/// so the summary's link still leads somewhere useful.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    /// One problem.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> FormErrors {
        FormErrors(vec![(field.into(), message.into())])
    }

    /// Adds a problem.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// Whether the form was accepted as far as these errors go.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for the field `id`, if any.
    pub fn get(&self, id: &str) -> Option<String> {
        self.0.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone())
    }
}

/// The error of field `id`: `given` unless empty (so `error=errors.get(id).unwrap_or_default()`
/// works), else from the page's [`FormErrors`] context.
fn error_of(id: &str, given: Option<String>) -> Option<String> {
    given
        .filter(|e| !e.is_empty())
        .or_else(|| use_context::<FormErrors>().and_then(|e| e.get(id)))
}

/// The `aria-describedby` of a field: its hint and its error, when shown.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The list of problems at the top of the page, each a link to its field. Shows nothing when
/// there are none. `errors` defaults to the page's [`FormErrors`] context.
#[component]
pub fn ErrorSummary(#[prop(optional, into)] errors: Option<FormErrors>) -> impl IntoView {
    let lang = current_lang();
    let errors = errors
        .or_else(use_context::<FormErrors>)
        .unwrap_or_default();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" id="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title">{lang.pick("请修改以下问题", "There is a problem")}</h2>
                <ul>
                    {errors.0.into_iter().map(|(field, message)| view! {
                        <li><a href=format!("#{field}")>{message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The label, hint and error of a field, then the control given as children. The control
/// should carry `id`, and `aria-describedby=described_by(..)` when there is a hint or error;
/// [`TextInput`], [`TextArea`] and [`Select`] do this for the common controls.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<String>,
    children: Children,
) -> impl IntoView {
    let error = error_of(&id, error);
    field(&id, label, hint, error, children())
}

/// A field's wrapper: label, hint, error, then `control`.
fn field(
    id: &str,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    control: impl IntoView,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label class="field-label" for=id.to_string()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            {error.map(|e| field_error(id, e))}
            {control}
        </div>
    }
}

/// What a control needs from its field: its error, `aria-describedby`, `aria-invalid` and
/// its name (the id unless given).
struct Wired {
    error: Option<String>,
    describe: Option<String>,
    invalid: Option<&'static str>,
    name: String,
}

fn wire(id: &str, name: Option<String>, hint: bool, error: Option<String>) -> Wired {
    let error = error_of(id, error);
    Wired {
        describe: described_by(id, hint, error.is_some()),
        invalid: error.is_some().then_some("true"),
        name: name.unwrap_or_else(|| id.to_string()),
        error,
    }
}

/// The error line of a field, with a prefix that screen readers read out.
fn field_error(id: &str, message: String) -> impl IntoView {
    let lang = current_lang();
    view! {
        <p class="field-error" id=format!("{id}-error")>
            <span class="visually-hidden">{lang.pick("错误：", "Error: ")}</span>{message}
        </p>
    }
}

/// A one-line text field (`type` text unless given) with its label, hint and error.
#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] name: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Width class: `w-short`, `w-medium` or none for the full width.
    #[prop(optional)]
    width: Option<&'static str>,
) -> impl IntoView {
    let w = wire(&id, name, hint.is_some(), error);
    let (name, describe, invalid) = (w.name, w.describe, w.invalid);
    let control = view! {
        <input id=id.clone() name=name type=kind value=value class=width
            maxlength=maxlength.map(|m| m.to_string()) required=required autocomplete=autocomplete
            aria-describedby=describe aria-invalid=invalid/>
    };
    field(&id, label, hint, w.error, control)
}

/// A text area with its label, hint and error.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] name: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<String>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let w = wire(&id, name, hint.is_some(), error);
    let (name, describe, invalid) = (w.name, w.describe, w.invalid);
    let control = view! {
        <textarea id=id.clone() name=name rows=rows.to_string()
            maxlength=maxlength.map(|m| m.to_string()) required=required
            aria-describedby=describe aria-invalid=invalid>{textarea_text(&value)}</textarea>
    };
    field(&id, label, hint, w.error, control)
}

/// The text of a text area as the server writes it. Leptos writes a text area's children
/// unescaped (the HTML parser reads them as raw text up to the next `</textarea>`), so a stored
/// `</textarea><meta http-equiv=refresh …>` would end the element and rewrite the page. `&`
/// and `<` become references, which the browser turns back into the same characters in the
/// field. Every text area is written through this function, in [`TextArea`] or by hand.
pub fn textarea_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A drop-down list with its label, hint and error. `options` are (value, text); `blank` adds
/// an empty first choice ("—").
#[component]
pub fn Select(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] name: Option<String>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] blank: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let w = wire(&id, name, hint.is_some(), error);
    let (name, describe, invalid) = (w.name, w.describe, w.invalid);
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let sel = value == selected;
            view! { <option value=value selected=sel>{text}</option> }
        })
        .collect_view();
    let control = view! {
        <select id=id.clone() name=name required=required aria-describedby=describe aria-invalid=invalid>
            {blank.then(|| view! { <option value="">"—"</option> })}
            {options}
        </select>
    };
    field(&id, label, hint, w.error, control)
}

/// Related fields under a heading (`<fieldset>` and `<legend>`), with an optional hint.
#[component]
pub fn Fieldset(
    #[prop(into)] legend: String,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset" id=id>
            <legend class="fieldset-legend">{legend}</legend>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {children()}
        </fieldset>
    }
}

/// Radio buttons or check boxes under a legend, with hint and error: `items` are (value,
/// text); the first item carries `id` (the error summary links to it), the others `id-N`.
#[component]
pub fn Choices(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    items: Vec<(String, String)>,
    #[prop(optional)] checked: Vec<String>,
    /// Check boxes (several answers) instead of radio buttons.
    #[prop(optional)]
    multiple: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<String>,
) -> impl IntoView {
    let error = error_of(&id, error);
    let describe = described_by(&id, hint.is_some(), error.is_some());
    let kind = if multiple { "checkbox" } else { "radio" };
    let invalid = error.is_some();
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, (value, text))| {
            let item_id = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{i}")
            };
            let on = checked.contains(&value);
            view! {
                <div class="choice">
                    <input type=kind id=item_id.clone() name=name.clone() value=value checked=on/>
                    <label for=item_id>{text}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="fieldset" class:field-invalid=invalid aria-describedby=describe>
            <legend class="fieldset-legend">{legend}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            {error.map(|e| field_error(&id, e))}
            <div class="choices">{items}</div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_by_names_the_hint_and_the_error_shown() {
        for (hint, error, want) in [
            (false, false, None),
            (true, false, Some("f-hint")),
            (false, true, Some("f-error")),
            (true, true, Some("f-hint f-error")),
        ] {
            assert_eq!(described_by("f", hint, error).as_deref(), want);
        }
    }

    #[test]
    fn form_errors_find_a_field_message() {
        let mut e = FormErrors::one("name", "required");
        e.add("summary", "too long");
        assert_eq!(e.get("summary").as_deref(), Some("too long"));
        assert_eq!(e.get("place"), None);
        assert!(!e.is_empty() && FormErrors::default().is_empty());
    }

    #[test]
    fn text_area_text_cannot_end_the_element() {
        let t = textarea_text("</textarea><meta http-equiv=\"refresh\"> & 甲");
        assert_eq!(
            t,
            "&lt;/textarea&gt;&lt;meta http-equiv=\"refresh\"&gt; &amp; 甲"
        );
        assert!(!t.contains('<'));
    }

    /// Leptos writes a text area's children unescaped, so every text area element written by hand
    /// in a page must be empty or hold `{textarea_text(…)}` (issue 25).
    #[test]
    fn every_text_area_in_the_pages_is_written_through_textarea_text() {
        fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let src = std::fs::read_to_string(&path).unwrap();
                    for (at, _) in src.match_indices("<textarea") {
                        let rest = &src[at..];
                        // An element, not this test's own search string.
                        if !rest[9..].starts_with([' ', '\n', '>']) {
                            continue;
                        }
                        let open_end = rest.find('>').expect("a closed tag") + 1;
                        let close = rest.find("</textarea>").expect("a closing tag");
                        found.push((
                            path.display().to_string(),
                            rest[open_end..close].trim().to_string(),
                        ));
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.len() >= 3, "the scan finds the text areas: {found:?}");
        for (file, children) in found {
            assert!(
                children.is_empty() || children.starts_with("{textarea_text("),
                "{file}: a text area writes {children:?} unescaped"
            );
        }
    }
}
