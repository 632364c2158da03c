//! The setup report of a saved connection, for change records and auditors: one
//! self-contained HTML page (the core's `journeys::setup_report`), written where the admin
//! chooses in the native save dialog.

use super::journey_error;
use crate::dto::{IpcError, ReportWritten};
use crate::AppState;
use sso_setup::journeys::setup_report::prepare_setup_report;
use tauri::{AppHandle, Runtime, State};

/// Renders the report of `name` and writes it where the admin chooses. `None` when they
/// closed the dialog.
#[tauri::command]
pub async fn save_setup_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
) -> Result<Option<ReportWritten>, IpcError> {
    let report = prepare_setup_report(&state.catalog(), &state.effects, &name).map_err(journey_error)?;
    let path = match &state.report_path_override {
        Some(path) => path.clone(),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let chosen = app
                .dialog()
                .file()
                .set_title("Save the setup report")
                .set_file_name(report.suggested_file_name())
                .add_filter("HTML page", &["html"])
                .blocking_save_file();
            match chosen.and_then(|file| file.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    report.write_to(&path).map_err(journey_error)?;
    Ok(Some(ReportWritten { path: path.display().to_string() }))
}
