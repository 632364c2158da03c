//! The setup report of a saved connection, for change records and auditors: one
//! self-contained HTML page (the core's `journeys::setup_report`), written where the admin
//! chooses in the native save dialog.

use super::{choose_save_path, journey_error};
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
    let chosen = choose_save_path(
        &app,
        state.report_path_override.as_ref(),
        "Save the setup report",
        report.suggested_file_name(),
        ("HTML page", &["html"]),
    );
    let Some(path) = chosen else { return Ok(None) };
    report.write_to(&path).map_err(journey_error)?;
    Ok(Some(ReportWritten { path: path.display().to_string() }))
}
