//! Opening the authorization URL in the admin's browser, for both faces.
//!
//! Only an https URL or a loopback http one is ever opened (RFC 8252 §8.3; catalogue #51):
//! never `file:`, `javascript:` or anything else a provider might send. The program is the
//! `BROWSER` variable when the caller passes it in (as Linux command-line tools do; the
//! tests use it to complete a sign-in), and the platform's opener otherwise.

use crate::error::UserFacingError;
use crate::oidc::authorization_request::may_open_in_browser;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("refusing to open a {0} URL in a browser: only https (or http on loopback) is opened")]
    RefusedScheme(String),
    #[error("the browser ({program}) could not be started: {reason}")]
    NotStarted { program: String, reason: String },
    /// The admin asked for no browser (the command line's `--no-browser`): the face shows
    /// the URL instead.
    #[error("no browser was opened, as asked")]
    NotAsked,
}

impl UserFacingError for BrowserError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            BrowserError::RefusedScheme(_) => crate::error::ErrorCode::BrowserRefusedScheme,
            BrowserError::NotStarted { .. } => crate::error::ErrorCode::BrowserNotStarted,
            BrowserError::NotAsked => crate::error::ErrorCode::BrowserNotAsked,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            BrowserError::RefusedScheme(_) => {
                "the provider's authorization endpoint must be https; check the discovery document".into()
            }
            BrowserError::NotStarted { .. } => {
                "open the sign-in URL yourself (it is shown and can be copied), or set BROWSER to your browser's program"
                    .into()
            }
            BrowserError::NotAsked => "open the sign-in URL shown in a browser on this computer".into(),
        })
    }
}

/// The program that opens URLs: `browser_variable` (the value of `BROWSER`) when it is set
/// and not blank, the platform's opener otherwise.
pub fn browser_program(browser_variable: Option<String>) -> String {
    browser_variable.filter(|value| !value.trim().is_empty()).unwrap_or_else(|| {
        if cfg!(target_os = "macos") {
            "open".into()
        } else if cfg!(target_os = "windows") {
            "explorer".into()
        } else {
            "xdg-open".into()
        }
    })
}

/// Starts `program url` detached from our standard streams, after the scheme check.
pub fn open_in_browser(url: &Url, program: &str) -> Result<(), BrowserError> {
    if !may_open_in_browser(url) {
        return Err(BrowserError::RefusedScheme(url.scheme().to_owned()));
    }
    std::process::Command::new(program)
        .arg(url.as_str())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|error| BrowserError::NotStarted { program: program.to_owned(), reason: error.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_browser_variable_falls_back_to_the_platform_opener() {
        assert_eq!(browser_program(Some("  ".into())), browser_program(None));
        assert_eq!(browser_program(Some("/usr/bin/firefox".into())), "/usr/bin/firefox");
    }

    #[test]
    fn only_https_or_loopback_urls_reach_the_program() {
        // The program does not exist: only the second URL gets as far as trying to start it.
        let refused = open_in_browser(&Url::parse("file:///etc/passwd").unwrap(), "/nonexistent/browser").unwrap_err();
        assert_eq!(refused.code(), "browser-refused-scheme");
        let not_started =
            open_in_browser(&Url::parse("https://idp.example/authorize").unwrap(), "/nonexistent/browser").unwrap_err();
        assert_eq!(not_started.code(), "browser-not-started");
    }
}
