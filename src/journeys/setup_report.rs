//! The setup report of a saved connection (`sso-setup report`, the app's "Setup report"
//! button): one self-contained HTML page for change records and auditors, built from the
//! connection file and the catalog only (`guidance::setup_report`), never from the keychain.
//!
//! Like the bundle, it is prepared first and written second, so the app can ask where to
//! save it (its save dialog) knowing that only the write can still fail.

use super::{boxed, JourneyError, SideEffects};
use crate::catalog::Catalog;
use crate::error::{ErrorCode, FailureKind, UserFacingError};
use crate::guidance::setup_report::render_setup_report;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SetupReportError {
    #[error("the report could not be written to {path}: {reason}")]
    NotWritten { path: String, reason: String },
}

impl UserFacingError for SetupReportError {
    fn code(&self) -> ErrorCode {
        match self {
            SetupReportError::NotWritten { .. } => ErrorCode::ReportWriteFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            SetupReportError::NotWritten { .. } => "choose a folder you can write to".into(),
        })
    }

    fn failure_kind(&self) -> FailureKind {
        match self {
            SetupReportError::NotWritten { .. } => FailureKind::BadInput,
        }
    }
}

/// A rendered report, not yet written.
pub struct PreparedSetupReport {
    pub connection_name: String,
    /// The whole page (every value from the file or the catalog escaped).
    pub page: String,
}

impl PreparedSetupReport {
    /// The file name to suggest: `<connection>-setup-report.html`.
    pub fn suggested_file_name(&self) -> String {
        format!("{}-setup-report.html", self.connection_name)
    }

    /// Writes the page atomically: an existing file is replaced only whole.
    pub fn write_to(&self, path: &Path) -> Result<(), JourneyError> {
        crate::platform::atomic_file::write_atomically(path, self.page.as_bytes(), false).map_err(|error| {
            boxed(SetupReportError::NotWritten { path: path.display().to_string(), reason: error.to_string() })
        })
    }
}

/// Renders the report of the saved connection `connection_name` as of the effects' clock.
pub fn prepare_setup_report(
    catalog: &Catalog,
    effects: &SideEffects,
    connection_name: &str,
) -> Result<PreparedSetupReport, JourneyError> {
    let saved = effects.connections.load(connection_name).map_err(boxed)?;
    let page = render_setup_report(catalog, &saved, effects.clock.today(), &effects.clock.now_rfc3339());
    Ok(PreparedSetupReport { connection_name: saved.name.clone(), page })
}
