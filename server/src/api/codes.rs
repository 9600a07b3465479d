//! The machine codes of the API's error bodies, in one place.
//!
//! A typed refusal's code is derived from its variant ([`derive`]): the area of the feature,
//! then each enum variant on the way down, in snake case, without the field (which the body
//! names in `field`): `LeadRefusal::Input(InputRefusal::Required(LeadField::Summary))` is
//! `lead.input.required` with `"field": "summary"`; `EventRefusal::Registration(Full)` is
//! `event.registration.full`. Requests refused before any feature looks at them have the
//! generic codes below. [`all`] lists every code the portal can answer with (the document's
//! `Error.code` enumerates it); a renamed variant changes its code, and the snapshot test of
//! the list shows it.

use std::collections::BTreeSet;

/// Not there, or not for this caller (deliberately one code for both).
pub const NOT_FOUND: &str = "not_found";
/// Every password-check slot is taken, or the database is briefly unreachable: try again.
pub const BUSY: &str = "busy";
/// The database is briefly unreachable (restarting, failing over): try again.
pub const STORAGE_UNAVAILABLE: &str = "storage.unavailable";
/// Something failed inside (logged; nothing of the cause is told).
pub const INTERNAL: &str = "internal";
/// Not signed in.
pub const AUTH_REQUIRED: &str = "auth.required";
/// The password must be changed on the account page first.
pub const AUTH_PASSWORD_CHANGE: &str = "auth.password_change_required";
/// A browser write from another site.
pub const CROSS_SITE: &str = "request.cross_site";
/// The body is not JSON (`Content-Type`).
pub const NOT_JSON: &str = "request.not_json";
/// The JSON does not parse.
pub const MALFORMED_JSON: &str = "request.malformed_json";
/// A field is missing or of the wrong type.
pub const INVALID_FIELD: &str = "request.invalid_field";
/// A field the endpoint does not know (the body's `field` names it).
pub const UNKNOWN_FIELD: &str = "request.unknown_field";
/// The body could not be read, or is too large.
pub const UNREADABLE_BODY: &str = "request.unreadable_body";
/// The body is over the size limit.
pub const TOO_LARGE: &str = "request.too_large";
/// The path does not take this method (the answer's `Allow` lists those it takes).
pub const METHOD_NOT_ALLOWED: &str = "request.method_not_allowed";
/// Another malformed request.
pub const INVALID_REQUEST: &str = "request.invalid";

/// The codes not derived from a refusal.
pub const GENERIC: [&str; 15] = [
    NOT_FOUND,
    BUSY,
    STORAGE_UNAVAILABLE,
    INTERNAL,
    AUTH_REQUIRED,
    AUTH_PASSWORD_CHANGE,
    CROSS_SITE,
    NOT_JSON,
    MALFORMED_JSON,
    INVALID_FIELD,
    UNKNOWN_FIELD,
    UNREADABLE_BODY,
    TOO_LARGE,
    METHOD_NOT_ALLOWED,
    INVALID_REQUEST,
];

/// The code of a refusal whose `Debug` form is `debug`, under `area`: the chain of variant
/// names (each followed by `(`, or the last one), snake case, joined by dots; a last name
/// that is the field at fault is left to `field`.
pub fn derive(area: &str, debug: &str, field: Option<&str>) -> String {
    let mut names: Vec<String> = Vec::new();
    let mut ident = String::new();
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    for c in debug.chars() {
        if c.is_alphanumeric() || c == '_' {
            ident.push(c);
            continue;
        }
        let name = std::mem::take(&mut ident);
        if !upper(&name) {
            break;
        }
        names.push(name);
        if c != '(' {
            break;
        }
    }
    if upper(&ident) {
        names.push(ident);
    }
    let mut parts: Vec<String> = names.iter().map(|n| snake(n)).collect();
    if parts.len() > 1 && field.is_some_and(|f| parts.last().is_some_and(|l| l == f)) {
        parts.pop();
    }
    format!("{area}.{}", parts.join("."))
}

/// `TooLong` → `too_long`, `NotAReceiver` → `not_a_receiver`.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The wire name of a field enum's value (`RegistrationDeadline` → `registration_deadline`).
pub fn field_name(field: &impl std::fmt::Debug) -> String {
    snake(&format!("{field:?}"))
}

/// Every code the API can answer with.
pub fn all() -> BTreeSet<String> {
    let mut codes: BTreeSet<String> = GENERIC.iter().map(|c| c.to_string()).collect();
    for (area, debug, field) in crate::api::catalogue::refusals() {
        codes.insert(derive(area, &debug, field.as_deref()));
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_variants() {
        for (area, debug, field, want) in [
            (
                "lead",
                "Input(Required(Summary))",
                Some("summary"),
                "lead.input.required",
            ),
            (
                "lead",
                "Input(TooLong { field: Summary, max: 200 })",
                Some("summary"),
                "lead.input.too_long",
            ),
            (
                "lead",
                "Case(NotAReceiver(\"dz-court\"))",
                None,
                "lead.case.not_a_receiver",
            ),
            (
                "lead",
                "Input(Route(UnknownUnit(\"x\")))",
                None,
                "lead.input.route.unknown_unit",
            ),
            (
                "event",
                "CapacityBelowRegistered(3)",
                None,
                "event.capacity_below_registered",
            ),
            (
                "event",
                "ControlCharacters(Title)",
                Some("title"),
                "event.control_characters",
            ),
            (
                "event",
                "Registration(DeadlinePassed)",
                None,
                "event.registration.deadline_passed",
            ),
            ("auth", "Invalid", None, "auth.invalid"),
            ("tip", "Throttled(60000)", None, "tip.throttled"),
            (
                "training",
                "Invalid(NoSuchOption { question: \"q\", option: \"o\" })",
                None,
                "training.invalid.no_such_option",
            ),
        ] {
            assert_eq!(derive(area, debug, field), want, "{debug}");
        }
    }
}
