//! The journeys an administrator takes, each written once, for both faces.
//!
//! A journey is one thing a person sets out to do: save a connection, test the sign-in,
//! export the bundle for the vendor, explain an IdP error, check the provider, open the
//! catalog. The command line (`src/bin/sso-setup/`) and the desktop shell (`src-tauri/`)
//! only convert their input into a journey's input and render what it returns; neither
//! holds a rule of its own.
//!
//! A journey takes its side effects as arguments ([`SideEffects`] and an HTTP client):
//! which secret store, which clock, which browser, which connection folder. Each face builds
//! them once, at start-up (its composition root), and tests build them from stand-ins
//! (an in-memory store, a fixed clock, a browser that signs in by itself).

pub mod admin_sign_in;
pub mod check_provider;
pub mod explain_error;
pub mod export_bundle;
pub mod health_check;
pub mod open_catalog;
pub mod provision;
pub mod reminders;
pub mod rotate_secret;
pub mod save_connection;
pub mod setup_report;
pub mod sign_in_test;

use crate::connections::connection::ConnectionFolder;
use crate::connections::keychain::SecretStore;
use crate::connections::secret::ClientSecret;
use crate::error::UserFacingError;
use crate::platform::calendar_date::CalendarDate;
use crate::platform::system_browser::BrowserError;
use url::Url;

/// Where a journey gets the client secret, as the face received it. A secret to be asked
/// for (typed at a terminal, piped in) is asked only after the journey has checked
/// everything else, so an admin never types a secret only to learn the org value was wrong.
pub enum SecretSource<'a> {
    /// Given for this run (a form's field, a pipe): used as it is; empty is refused.
    Given(ClientSecret),
    /// To be read when the journey gets that far.
    Ask(Box<dyn FnOnce() -> Result<ClientSecret, JourneyError> + Send + 'a>),
    /// Found in the surroundings rather than given for this run (the command line's
    /// `SSO_SETUP_CLIENT_SECRET`): refused where a saved connection has its own secret,
    /// because which of the two is meant is not obvious.
    Ambient(ClientSecret),
    /// A form's secret field left blank: keep the saved secret; a new connection needs one.
    BlankField,
    /// None given: keep or use the saved secret; a connection may be saved without one.
    NotGiven,
}

/// Any error a journey ends with. Each one keeps its own code and hint; the faces branch
/// on the code and on [`UserFacingError::failure_kind`], never on the wording.
pub type JourneyError = Box<dyn UserFacingError + Send + Sync>;

pub(crate) fn boxed<E: UserFacingError + Send + Sync + 'static>(error: E) -> JourneyError {
    Box::new(error)
}

/// The time, for expiry dates, bundle dates and ID-token checks. The system clock in the
/// faces, a fixed one in tests: no journey reads the system time itself.
pub trait Clock: Send + Sync {
    /// Seconds since 1970-01-01 UTC.
    fn now_unix_seconds(&self) -> i64;

    /// Today's date in UTC.
    fn today(&self) -> CalendarDate {
        CalendarDate::from_days_since_epoch(self.now_unix_seconds().div_euclid(86_400))
    }

    /// Now, as RFC 3339 UTC (`2026-12-01T22:19:26Z`).
    fn now_rfc3339(&self) -> String {
        CalendarDate::rfc3339_from_unix_seconds(self.now_unix_seconds())
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix_seconds(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|duration| duration.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A clock that always says the same time (tests).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_unix_seconds(&self) -> i64 {
        self.0
    }
}

/// Opens the authorization URL for the admin to sign in.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &Url) -> Result<(), BrowserError>;
}

/// The admin's browser: the `BROWSER` program when one was given, the platform's opener
/// otherwise. Only https and loopback http URLs are opened (`system_browser`).
#[derive(Debug, Clone)]
pub struct SystemBrowser {
    program: String,
}

impl SystemBrowser {
    /// `browser_variable` is the value of `BROWSER`, read once by the face at start-up.
    pub fn new(browser_variable: Option<String>) -> SystemBrowser {
        SystemBrowser { program: crate::platform::system_browser::browser_program(browser_variable) }
    }
}

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), BrowserError> {
        crate::platform::system_browser::open_in_browser(url, &self.program)
    }
}

/// No browser is opened: the face shows the URL for the admin to open (`--no-browser`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &Url) -> Result<(), BrowserError> {
        Err(BrowserError::NotAsked)
    }
}

/// Everything outside the process a journey may touch, except the network (the HTTP
/// client is passed on its own: it is generic, and the command line builds it on a second
/// thread while it reads the catalog).
pub struct SideEffects {
    pub secrets: Box<dyn SecretStore>,
    pub clock: Box<dyn Clock>,
    pub browser: Box<dyn BrowserOpener>,
    pub connections: ConnectionFolder,
}

impl SideEffects {
    /// The real ones: the OS keychain, the system clock, the admin's browser.
    pub fn of_this_computer(connections: ConnectionFolder, browser_variable: Option<String>) -> SideEffects {
        SideEffects {
            secrets: Box::new(crate::connections::keychain::OsKeychain),
            clock: Box::new(SystemClock),
            browser: Box::new(SystemBrowser::new(browser_variable)),
            connections,
        }
    }
}

/// Stand-in side effects for the journeys' unit tests: an in-memory secret store, a clock
/// at 1970, no browser, connections in `folder`.
#[cfg(test)]
pub(crate) fn stand_in_effects(folder: &std::path::Path) -> SideEffects {
    SideEffects {
        secrets: Box::new(crate::connections::keychain::InMemorySecretStore::default()),
        clock: Box::new(FixedClock(0)),
        browser: Box::new(NoBrowser),
        connections: ConnectionFolder::new(folder.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_gives_the_utc_date_and_rfc3339_time() {
        let clock = FixedClock(1_796_163_566); // 2026-12-01T22:19:26Z
        assert_eq!(clock.today(), CalendarDate::new(2026, 12, 1).unwrap());
        assert_eq!(clock.now_rfc3339(), "2026-12-01T22:19:26Z");
        // Before 1970 the day rounds down, not towards zero.
        assert_eq!(FixedClock(-1).today().to_string(), "1969-12-31");
    }

    #[test]
    fn no_browser_opens_nothing_and_says_so() {
        let url = Url::parse("https://idp.example/authorize").unwrap();
        assert_eq!(NoBrowser.open(&url).unwrap_err().code(), "browser-not-asked");
    }
}
