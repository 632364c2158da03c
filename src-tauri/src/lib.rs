//! The desktop shell: a thin Tauri layer over the `sso-setup` core library.
//!
//! Each command converts its input, calls the core, and converts the output (`dto`); errors
//! cross into the web view as `{code, message, hint}` (`IpcError`). No business logic lives
//! here, so the command line and the app cannot drift apart.

mod commands;
mod dto;

use sso_setup::catalog::Catalog;

/// What every command can reach: the catalog, loaded once at start.
pub struct AppState {
    pub catalog: Catalog,
    /// Problems with the admin's own profile files, shown rather than hidden.
    pub catalog_warnings: Vec<dto::IpcError>,
}

impl AppState {
    pub fn load() -> AppState {
        let mut warnings = Vec::new();
        let mut catalog = match Catalog::built_in() {
            Ok(catalog) => catalog,
            // The built-in catalog is checked by the test suite; failing here is a build defect.
            Err(error) => panic!("the built-in catalog is invalid: {error}"),
        };
        if let Some(config) = dirs_config_folder() {
            for problem in catalog.load_user_folder(&config.join("sso-setup").join("vendors")) {
                warnings.push(dto::IpcError::from_core(&problem));
            }
        }
        AppState { catalog, catalog_warnings: warnings }
    }
}

/// The platform config folder, as the command line uses it.
fn dirs_config_folder() -> Option<std::path::PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".config")))
}

/// Builds the app with its commands on any Tauri runtime, so tests can use the mock runtime.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(AppState::load())
        .invoke_handler(tauri::generate_handler![commands::list_vendors, commands::build_vendor_uris,])
}

pub fn run() {
    build_app(tauri::Builder::default())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("error: the SSO Setup Assistant window could not start: {error}");
            eprintln!("hint: on Linux it needs a display (X11 or Wayland) and WebKitGTK 4.1; the `sso-setup` command line works without one");
            std::process::exit(1);
        });
}
