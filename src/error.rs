//! What every error of the core can tell a person: a stable code, a message that says what
//! happened, and a hint that says what to do next.
//!
//! Each module has its own error enum; they all implement [`UserFacingError`], so the
//! command line prints `error:` and `hint:` lines and the desktop app receives
//! [`ErrorReport`] (`{code, message, hint}`) and branches on the code, never on the wording.

use serde::Serialize;

/// An error that a person can act on.
pub trait UserFacingError: std::error::Error {
    /// A stable, machine-readable identifier in kebab-case, such as `org-value-uppercase`.
    /// The desktop app and scripts branch on it; the wording of the message may change.
    fn code(&self) -> &'static str;

    /// What to do next, in one or two sentences, when there is something useful to say.
    fn hint(&self) -> Option<String>;

    /// Whether the input broke a rule (the default) or the world did not answer as it
    /// should: a keychain that is locked, a provider that refuses. The command line exits 2
    /// for the first and 1 for the second; the app shows both the same way.
    fn failure_kind(&self) -> FailureKind {
        FailureKind::BadInput
    }

    /// The error as a serialisable value, for `--json` output and the desktop app.
    fn to_report(&self) -> ErrorReport {
        ErrorReport { code: self.code().to_owned(), message: self.to_string(), hint: self.hint() }
    }
}

/// See [`UserFacingError::failure_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The input broke a rule; the same input will fail again.
    BadInput,
    /// A check of something outside (keychain, provider, file) failed.
    CheckFailed,
}

/// The shape in which an error crosses a process or IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}
