//! The commands the web view may call, one file per part of the app. Each body is: convert
//! the input, call a journey of the core, convert the output; about 10-20 lines.
//!
//! No command returns a client secret: `save_connection` takes one and moves it straight
//! into the secret store, `provision_app` has the IdP put its own there, and every later use
//! (provider check, sign-in test, bundle, clipboard) reads it from there in Rust.

pub mod admin_sign_in;
pub mod bundle;
pub mod catalog;
pub mod connections;
pub mod explain;
pub mod provider;
pub mod provision;
pub mod report;

use crate::dto::IpcError;
use sso_setup::error::UserFacingError;

pub(crate) fn ipc(error: impl UserFacingError) -> IpcError {
    IpcError::from_core(&error)
}

/// A journey's error as the web view receives it.
pub(crate) fn journey_error(error: sso_setup::journeys::JourneyError) -> IpcError {
    IpcError::from_core(error.as_ref())
}

/// Where to write a file the admin saves: the test builds' own place when one is set
/// (`AppState::save_path_override`, `report_path_override`), otherwise the native save dialog,
/// opened from Rust so the web view holds no dialog permission. `None` when they closed it.
pub(crate) fn choose_save_path<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    test_path: Option<&std::path::PathBuf>,
    title: &str,
    suggested_file_name: String,
    (filter_name, extensions): (&str, &[&str]),
) -> Option<std::path::PathBuf> {
    if let Some(path) = test_path {
        return Some(path.clone());
    }
    use tauri_plugin_dialog::DialogExt;
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested_file_name)
        .add_filter(filter_name, extensions)
        .blocking_save_file()
        .and_then(|file| file.into_path().ok())
}
