//! Refusals of identity: signing in and choosing a password. Typed here, worded at the edge
//! (`app::refusals`).

/// Why a sign-in is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInRefused {
    /// Wrong login or password (never says which).
    Invalid,
    /// Too many failures: minutes to wait.
    Throttled(i64),
    /// The login is longer than any login can be (refused before it is counted).
    LoginTooLong,
}

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordRefused {
    TooShort,
    TooLong,
    TooCommon,
}

impl PasswordRefused {
    /// The code the account page's `?error=` carries.
    pub fn code(self) -> &'static str {
        match self {
            PasswordRefused::TooShort => "short",
            PasswordRefused::TooLong => "long",
            PasswordRefused::TooCommon => "common",
        }
    }
}

/// A problem with one line of a user import file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportProblem {
    /// The header is not the expected one (given, comma-separated).
    BadHeader(String),
    /// The file is not CSV (the parser's words).
    Unreadable(String),
    NotUtf8,
    TooManyRows(usize),
    UnreadableRow(String),
    ColumnCount {
        expected: usize,
        found: usize,
    },
    BadLogin,
    LoginExists(String),
    LoginTwice(String),
    BadName,
    UnknownUnit(String),
    AdminNotImportable,
    UnknownRole(String),
    InitialPassword(PasswordRefused),
    NoRows,
}

/// Whether `name` may be a person's display name: 1 to 64 characters, without control
/// characters or text-direction controls (which would make it display as another name).
pub fn valid_display_name(name: &str) -> bool {
    let n = name.trim().chars().count();
    n > 0
        && n <= 64
        && !name.chars().any(char::is_control)
        && !crate::text::has_direction_controls(name)
}
