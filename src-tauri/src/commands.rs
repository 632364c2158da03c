//! The commands the web view may call. Each body is: convert, call the core, convert.

use crate::dto::{IpcError, VendorSummary, VendorUrisRequest, VendorUrisResponse};
use crate::AppState;
use sso_setup::redirect_uri::{build_vendor_uris as build_uris_in_core, UriRequest};
use tauri::State;

#[tauri::command]
pub fn list_vendors(state: State<'_, AppState>) -> Vec<VendorSummary> {
    state.catalog.vendors().iter().map(|vendor| VendorSummary::from_profile(&state.catalog, &vendor.profile)).collect()
}

#[tauri::command]
pub fn build_vendor_uris(
    state: State<'_, AppState>,
    request: VendorUrisRequest,
) -> Result<VendorUrisResponse, IpcError> {
    let vendor = state.catalog.vendor(&request.vendor).map_err(|error| IpcError::from_core(&error))?;
    let uris = build_uris_in_core(
        &vendor.profile,
        UriRequest {
            region: request.region.as_deref(),
            identity_provider: request.identity_provider,
            org: &request.org,
        },
    )
    .map_err(|error| IpcError::from_core(&error))?;
    Ok(uris.into())
}
