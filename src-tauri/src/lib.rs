//! The desktop shell: a thin Tauri layer over the `sso-setup` core library.
//!
//! Each command converts its input, calls the core, and converts the output (`dto`); errors
//! cross into the web view as `{code, message, hint}` (`IpcError`). No business logic lives
//! here, so the command line and the app cannot drift apart.

mod commands;
mod dto;

use sso_setup::catalog::Catalog;
use sso_setup::clipboard::LazySystemClipboard;
use sso_setup::connection::ConnectionFolder;
use sso_setup::diagnosis::Diagnosis;
use std::path::PathBuf;
use std::sync::{Mutex, RwLock};
use tauri::Manager as _;

/// When set, the bundle is written here instead of asking in the native save dialog. The
/// WebDriver tests set it: native dialogs cannot be driven over WebDriver. Test builds only
/// (see `save_path_override`).
pub const SAVE_PATH_OVERRIDE_VARIABLE: &str = "SSO_SETUP_TEST_SAVE_PATH";

/// What every command can reach. Side effects that come from the environment (the config
/// folder, `BROWSER`) are read once here, so commands stay plain.
pub struct AppState {
    /// Written only by a vendor-profile import.
    pub catalog: RwLock<Catalog>,
    /// Problems with the admin's own profile files, shown rather than hidden.
    pub catalog_warnings: Vec<dto::IpcError>,
    /// Where imported vendor profiles are saved (`<config>/sso-setup/vendors`).
    pub vendor_folder: PathBuf,
    pub connections: ConnectionFolder,
    pub diagnoses: Vec<Diagnosis>,
    /// Opened on first copy and kept: on X11 the owning process serves the clipboard. Shared
    /// with the thread that clears a copied secret again.
    pub clipboard: std::sync::Arc<Mutex<LazySystemClipboard>>,
    /// Ends the running sign-in test, when there is one.
    pub sign_in_cancel: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    /// The `BROWSER` variable at start.
    pub browser_variable: Option<String>,
    pub save_path_override: Option<PathBuf>,
    /// `SSO_SETUP_REPORT_READY` is set: say `ready` on stderr at first paint (benchmarks).
    pub report_ready: bool,
}

impl AppState {
    pub fn load() -> AppState {
        let mut warnings = Vec::new();
        let mut catalog = match Catalog::built_in() {
            Ok(catalog) => catalog,
            // The built-in catalog is checked by the test suite; failing here is a build defect.
            Err(error) => panic!("the built-in catalog is invalid: {error}"),
        };
        let config = sso_setup::config_folder::ConfigFolder::of_this_user();
        let vendor_folder = config.vendor_profiles();
        for problem in catalog.load_user_folder(&vendor_folder) {
            warnings.push(dto::IpcError::from_core(&problem));
        }
        AppState {
            catalog: RwLock::new(catalog),
            catalog_warnings: warnings,
            vendor_folder,
            connections: config.connections(),
            diagnoses: sso_setup::diagnosis::built_in_diagnoses()
                .expect("the built-in diagnoses are checked by the test suite"),
            clipboard: std::sync::Arc::new(Mutex::new(LazySystemClipboard::default())),
            sign_in_cancel: Mutex::new(None),
            browser_variable: std::env::var("BROWSER").ok(),
            save_path_override: save_path_override(),
            report_ready: std::env::var_os("SSO_SETUP_REPORT_READY").is_some(),
        }
    }
}

/// [`SAVE_PATH_OVERRIDE_VARIABLE`], read only by test builds: those with debug assertions
/// (what the WebDriver tests drive) or the `test-hooks` feature (the release build that
/// `make bench` drives through the same journey). A build that is shipped always asks in the
/// save dialog, so a variable planted in the admin's environment cannot redirect a bundle
/// with the secret.
fn save_path_override() -> Option<PathBuf> {
    if !cfg!(any(debug_assertions, feature = "test-hooks")) {
        return None;
    }
    std::env::var_os(SAVE_PATH_OVERRIDE_VARIABLE).map(PathBuf::from).filter(|path| path.is_absolute())
}

/// Builds the app with its commands on any Tauri runtime, so tests can use the mock runtime.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.manage(AppState::load()).invoke_handler(tauri::generate_handler![
        commands::app_ready,
        commands::list_vendors,
        commands::catalog_warnings,
        commands::import_vendor_profile,
        commands::build_vendor_uris,
        commands::build_setup_guide,
        commands::normalise_issuer_input,
        commands::loopback_registration_advice,
        commands::save_connection,
        commands::list_connections,
        commands::delete_connection,
        commands::copy_to_clipboard,
        commands::copy_client_secret,
        commands::check_provider,
        commands::run_sign_in_test,
        commands::cancel_sign_in_test,
        commands::export_bundle,
        commands::explain_error,
    ])
}

/// The window is drawn by the CPU, never through the GPU. A wizard of forms and text gains
/// nothing from GPU compositing, and WebKitGTK's GL path costs a slower first frame and more
/// memory, most of all where there is no GPU and Mesa emulates GL on the CPU (llvmpipe): the
/// virtual machines and remote desktops administrators often work in. Measured in
/// docs/benchmarks.md (about 90 ms of start-up and 110 MiB after a journey, under Xvfb).
fn draw_without_the_gpu(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

pub fn run() {
    let started = std::time::Instant::now();
    let report_stages = std::env::var_os("SSO_SETUP_REPORT_READY").is_some();
    build_app(tauri::Builder::default())
        // With SSO_SETUP_REPORT_READY, the start-up benchmark also gets the time of each stage.
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                draw_without_the_gpu(&window);
            }
            if report_stages {
                eprintln!("stage setup {}", started.elapsed().as_millis());
            }
            Ok(())
        })
        .on_page_load(move |_, payload| {
            if report_stages && payload.event() == tauri::webview::PageLoadEvent::Finished {
                eprintln!("stage page-loaded {}", started.elapsed().as_millis());
            }
        })
        // Only the Rust side opens the save dialog; the web view is granted no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("error: the SSO Setup Assistant window could not start: {error}");
            eprintln!("hint: on Linux it needs a display (X11 or Wayland) and WebKitGTK 4.1; the `sso-setup` command line works without one");
            std::process::exit(1);
        });
}
