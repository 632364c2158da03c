//! The shapes that cross into the web view. Only this module knows camelCase JSON; the core's
//! types stay snake_case for the command line's `--json`.
//!
//! One file per part of the app: `catalog` (vendors, URIs, guides), `connections` (saved
//! connections), `provisioning` (creating the IdP app), `reports` (provider check, sign-in
//! test, bundle, explain).

mod catalog;
mod connections;
mod provisioning;
mod reports;

pub use catalog::*;
pub use connections::*;
pub use provisioning::*;
pub use reports::*;

use serde::Serialize;
use sso_setup::error::UserFacingError;

/// An error as the UI receives it; the UI branches on `code`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: sso_setup::error::ErrorCode,
    pub message: String,
    pub hint: Option<String>,
}

impl IpcError {
    pub fn from_core(error: &dyn UserFacingError) -> IpcError {
        error.to_report().into()
    }
}

impl From<sso_setup::error::ErrorReport> for IpcError {
    fn from(report: sso_setup::error::ErrorReport) -> IpcError {
        IpcError { code: report.code, message: report.message, hint: report.hint }
    }
}

/// One step of a long operation, in order, through a `tauri::ipc::Channel`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProgressEvent {
    Started {
        what: String,
    },
    Check {
        check: sso_setup::oidc::discovery::Check,
    },
    #[serde(rename_all = "camelCase")]
    WaitingForSignIn {
        authorization_url: String,
        redirect_uri: String,
    },
    BrowserNotOpened {
        error: IpcError,
    },
}
