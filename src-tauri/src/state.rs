//! The desktop shell's composition root: every side effect a command may touch (the secret
//! store, the clock, the browser, the connection folder, the HTTP client, the clipboard)
//! is built here, once, when the app starts, and held in [`AppState`]. Commands only borrow
//! them, so the mock-runtime tests give the same commands stand-ins (an in-memory store, a
//! fixed clock, a browser that signs in by itself) and reach every one of them.

use crate::dto::IpcError;
use sso_setup::catalog::Catalog;
use sso_setup::guidance::diagnosis::Diagnosis;
use sso_setup::journeys::reminders::Notification;
use sso_setup::journeys::SideEffects;
use sso_setup::oidc::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::platform::clipboard::{ClipboardAccess, LazySystemClipboard};
use sso_setup::platform::config_folder::ConfigFolder;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// When set, the bundle is written here instead of asking in the native save dialog. The
/// WebDriver tests set it: native dialogs cannot be driven over WebDriver. Test builds only
/// (see `path_override`).
pub const SAVE_PATH_OVERRIDE_VARIABLE: &str = "SSO_SETUP_TEST_SAVE_PATH";

/// The same for the setup report (test builds only).
pub const REPORT_PATH_OVERRIDE_VARIABLE: &str = "SSO_SETUP_TEST_REPORT_PATH";

/// The clipboard as the shell holds it: opened on first copy and kept (on X11 the owning
/// process serves the clipboard), shared with the thread that clears a copied secret.
pub type SharedClipboard = Arc<Mutex<Box<dyn ClipboardAccess + Send>>>;

/// How the app shows a desktop notification.
pub enum DesktopNotifications {
    /// Through the desktop's notification service (the freedesktop Notifications service on
    /// D-Bus on Linux, the notification centre on macOS and Windows): the app.
    System,
    /// Handed to this function: tests, which record what would have been shown.
    Given(Box<dyn Fn(&Notification) + Send + Sync>),
    /// Not shown: stand-in states that did not ask for them.
    Off,
}

/// What every command can reach.
pub struct AppState {
    /// Replaced whole by a vendor-profile import; a command clones the `Arc` and lets go of
    /// the lock before it awaits anything.
    pub catalog: RwLock<Arc<Catalog>>,
    /// Problems with the admin's own profile files, shown rather than hidden.
    pub catalog_warnings: Vec<IpcError>,
    /// Where imported vendor profiles are saved (`<config>/sso-setup/vendors`).
    pub vendor_folder: PathBuf,
    pub effects: SideEffects,
    /// Built on first use: reading the trust store would otherwise delay the first window.
    http: OnceLock<HardenedHttpClient>,
    pub diagnoses: Vec<Diagnosis>,
    pub clipboard: SharedClipboard,
    /// Ends the running sign-in test, when there is one.
    pub sign_in_cancel: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    pub save_path_override: Option<PathBuf>,
    pub report_path_override: Option<PathBuf>,
    /// `SSO_SETUP_REPORT_READY` is set: say `ready` on stderr at first paint (benchmarks).
    pub report_ready: bool,
    pub notifications: DesktopNotifications,
    /// The reminders of saved connections were shown once since the app started.
    pub reminded_at_start: AtomicBool,
    /// The admin's token from a sign-in at the IdP, for the connection it was asked for: in
    /// memory only, never sent to the web view, gone when the app closes or the admin signs out.
    pub admin_session: Mutex<Option<AdminSession>>,
    /// The sign-in page of the device code being shown, for "Open the sign-in page": the web
    /// view asks to open this page, never a URL of its own.
    pub admin_sign_in_page: Mutex<Option<url::Url>>,
}

/// An admin token the shell holds for one connection at one issuer: used for nothing else,
/// so an issuer changed after the sign-in never receives it.
pub struct AdminSession {
    pub connection: String,
    pub issuer: String,
    pub token: sso_setup::connections::secret::ClientSecret,
}

impl AppState {
    /// The real side effects, from this user's config folder and the process environment.
    pub fn of_this_computer() -> AppState {
        let config = ConfigFolder::of_this_user();
        let effects = SideEffects::of_this_computer(config.connections(), std::env::var("BROWSER").ok());
        let mut state = AppState::with(&config, effects, Box::new(LazySystemClipboard::default()));
        state.save_path_override = path_override(SAVE_PATH_OVERRIDE_VARIABLE);
        state.report_path_override = path_override(REPORT_PATH_OVERRIDE_VARIABLE);
        state.report_ready = std::env::var_os("SSO_SETUP_REPORT_READY").is_some();
        state.notifications = DesktopNotifications::System;
        state
    }

    /// The state with the side effects given (tests; [`AppState::of_this_computer`]).
    pub fn with(config: &ConfigFolder, effects: SideEffects, clipboard: Box<dyn ClipboardAccess + Send>) -> AppState {
        let vendor_folder = config.vendor_profiles();
        let opened = sso_setup::journeys::open_catalog::open_catalog(&vendor_folder)
            // The built-in catalog is checked by the test suite; failing here is a build defect.
            .unwrap_or_else(|error| panic!("the built-in catalog is invalid: {error}"));
        AppState {
            catalog: RwLock::new(Arc::new(opened.catalog)),
            catalog_warnings: opened.problems.iter().map(|problem| IpcError::from_core(problem)).collect(),
            vendor_folder,
            effects,
            http: OnceLock::new(),
            diagnoses: sso_setup::journeys::open_catalog::built_in_diagnoses(),
            clipboard: Arc::new(Mutex::new(clipboard)),
            sign_in_cancel: Mutex::new(None),
            save_path_override: None,
            report_path_override: None,
            report_ready: false,
            notifications: DesktopNotifications::Off,
            reminded_at_start: AtomicBool::new(false),
            admin_session: Mutex::new(None),
            admin_sign_in_page: Mutex::new(None),
        }
    }

    /// Desktop notifications handed to `show` instead of the notification service (tests).
    pub fn with_notifications(mut self, show: impl Fn(&Notification) + Send + Sync + 'static) -> AppState {
        self.notifications = DesktopNotifications::Given(Box::new(show));
        self
    }

    /// Shows a desktop notification, on a thread of its own (a notification service that is
    /// slow to answer never holds up the command). One that cannot be shown (no notification
    /// service, notifications turned off) is not an error of the command that sent it: the
    /// same text is on the home screen.
    pub fn notify(&self, notification: &Notification) {
        match &self.notifications {
            DesktopNotifications::System => {
                let Notification { title, body } = notification.clone();
                std::thread::spawn(move || {
                    let shown = notify_rust::Notification::new()
                        .appname("SSO Setup Assistant")
                        .summary(&title)
                        .body(&body)
                        .show();
                    if let Err(error) = shown {
                        eprintln!("warning: the desktop notification could not be shown: {error}");
                    }
                });
            }
            DesktopNotifications::Given(show) => show(notification),
            DesktopNotifications::Off => {}
        }
    }

    /// A test's own place for the bundle instead of the save dialog.
    pub fn with_save_path(mut self, path: PathBuf) -> AppState {
        self.save_path_override = Some(path);
        self
    }

    /// A test's own place for the setup report instead of the save dialog.
    pub fn with_report_path(mut self, path: PathBuf) -> AppState {
        self.report_path_override = Some(path);
        self
    }

    /// The admin token to use for `connection` at `issuer` (the connection's, normalised): the
    /// one the web view sent (a pasted token), else the one from the admin's sign-in for this
    /// connection at this issuer, else none (the core then looks for a kept one).
    pub fn admin_token(
        &self,
        connection: &str,
        issuer: Option<&str>,
        pasted: zeroize::Zeroizing<String>,
    ) -> sso_setup::journeys::SecretSource<'static> {
        use sso_setup::connections::secret::ClientSecret;
        use sso_setup::journeys::SecretSource;
        let pasted = ClientSecret::from_line(pasted);
        if !pasted.is_empty() {
            return SecretSource::Given(pasted);
        }
        match self.admin_session.lock().expect("the session lock is never poisoned").as_ref() {
            // A copy for this call; the session keeps its own until sign-out.
            Some(session) if session.connection == connection && issuer == Some(session.issuer.as_str()) => {
                SecretSource::Given(ClientSecret::new(session.token.expose().to_owned()))
            }
            _ => SecretSource::NotGiven,
        }
    }

    /// With `keep`, the same admin token as [`AppState::admin_token`] gives, to keep in the
    /// keychain once the journey has succeeded with it; `None` when none was given here.
    pub fn admin_token_to_keep(
        &self,
        keep: bool,
        connection: &str,
        issuer: Option<&str>,
        pasted: &zeroize::Zeroizing<String>,
    ) -> Option<sso_setup::connections::secret::ClientSecret> {
        match keep.then(|| self.admin_token(connection, issuer, pasted.clone())) {
            Some(sso_setup::journeys::SecretSource::Given(token)) => Some(token),
            _ => None,
        }
    }

    /// The issuer `connection` is at, as an admin token is bound to it: the saved connection's,
    /// or a new one's as the request gives it. `None` when it cannot be told.
    pub fn issuer_of(
        &self,
        connection: &str,
        identity_provider: Option<sso_setup::catalog::identity_provider::IdentityProviderId>,
        issuer: Option<&str>,
    ) -> Option<String> {
        sso_setup::journeys::admin_sign_in::connection_issuer(&self.effects, connection, identity_provider, issuer)
            .ok()
            .map(|(_, issuer)| issuer)
    }

    /// Forgets the admin's sign-in for `connection` (it was deleted).
    pub fn sign_out_of(&self, connection: &str) {
        let mut session = self.admin_session.lock().expect("the session lock is never poisoned");
        if session.as_ref().is_some_and(|held| held.connection == connection) {
            *session = None;
        }
    }

    /// The catalog as it is now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().expect("the catalog lock is never poisoned").clone()
    }

    /// The HTTP client for providers: no redirects, deadlines, size caps.
    pub fn http(&self) -> &HardenedHttpClient {
        self.http.get_or_init(|| HardenedHttpClient::new(FetchLimits::default()))
    }
}

/// Builds the app with the real side effects: the one place the shell makes them.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    crate::build_app_with(builder, AppState::of_this_computer())
}

/// [`SAVE_PATH_OVERRIDE_VARIABLE`] or [`REPORT_PATH_OVERRIDE_VARIABLE`], read only by test builds: those with debug assertions
/// (what the WebDriver tests drive) or the `test-hooks` feature (the release build that
/// `make bench` drives through the same journey). A build that is shipped always asks in the
/// save dialog, so a variable planted in the admin's environment cannot redirect a bundle
/// with the secret.
fn path_override(variable: &str) -> Option<PathBuf> {
    if !cfg!(any(debug_assertions, feature = "test-hooks")) {
        return None;
    }
    std::env::var_os(variable).map(PathBuf::from).filter(|path| path.is_absolute())
}
