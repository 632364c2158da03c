//! Explaining a pasted IdP error (a code, a message, or the whole callback URL).

use super::journey_error;
use crate::dto::{ExplainInput, ExplainView, IpcError};
use crate::AppState;
use sso_setup::journeys::explain_error::{explain_error as explain_in_core, ExplainInput as CoreInput};
use tauri::State;

/// The same journey as `sso-setup explain`: an org value the vendor refuses is an error here
/// too, not a fix that quietly leaves out the redirect URI.
#[tauri::command]
pub fn explain_error(state: State<'_, AppState>, input: ExplainInput) -> Result<ExplainView, IpcError> {
    let report = explain_in_core(
        &state.catalog(),
        &state.diagnoses,
        CoreInput {
            text: &input.text,
            vendor: input.vendor.as_deref().filter(|vendor| !vendor.is_empty()),
            identity_provider: input.identity_provider,
            region: input.region.as_deref(),
            org: input.org.as_deref(),
        },
    )
    .map_err(journey_error)?;
    Ok(report.into())
}
