//! The catalog: vendors, their URIs and guides, issuer input, loopback advice, and the
//! app's start-up signal.

use super::ipc;
use crate::dto::{
    GuideRequestInput, IpcError, IssuerView, LoopbackAdviceView, SetupGuide, VendorSummary, VendorUrisRequest,
    VendorUrisResponse,
};
use crate::AppState;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::redirect_uri::{build_vendor_uris as build_uris_in_core, UriRequest};
use sso_setup::catalog::Catalog;
use sso_setup::guidance::guide::{build_guide, GuideRequest};
use sso_setup::oidc::issuer::normalise_issuer;
use std::sync::Arc;
use tauri::State;

/// The web view calls this once its first screen has painted. With `SSO_SETUP_REPORT_READY`
/// set, the app says `ready` on stderr: the start-up benchmark times process start to it.
#[tauri::command]
pub fn app_ready(state: State<'_, AppState>, page_timings: Option<serde_json::Value>) {
    if state.report_ready {
        eprintln!("ready");
        if let Some(timings) = page_timings {
            eprintln!("page-timings {timings}");
        }
    }
}

#[tauri::command]
pub fn list_vendors(state: State<'_, AppState>) -> Vec<VendorSummary> {
    let catalog = state.catalog();
    catalog.vendors().iter().map(|vendor| VendorSummary::from_profile(&catalog, &vendor.profile)).collect()
}

/// Problems with the admin's own profile files, found at start.
#[tauri::command]
pub fn catalog_warnings(state: State<'_, AppState>) -> Vec<IpcError> {
    state.catalog_warnings.clone()
}

/// Imports a vendor profile the admin picked in the web view (its text; the file name is
/// only for messages). Checked like any profile; a built-in id is refused.
#[tauri::command]
pub fn import_vendor_profile(
    state: State<'_, AppState>,
    file_name: String,
    text: String,
) -> Result<VendorSummary, IpcError> {
    let mut catalog = state.catalog.write().expect("the catalog lock is never poisoned");
    let mut updated = Catalog::clone(&catalog);
    let profile = updated.import_user_profile(&state.vendor_folder, &text, &file_name).map_err(ipc)?.clone();
    let summary = VendorSummary::from_profile(&updated, &profile);
    *catalog = Arc::new(updated);
    Ok(summary)
}

#[tauri::command]
pub fn build_vendor_uris(
    state: State<'_, AppState>,
    request: VendorUrisRequest,
) -> Result<VendorUrisResponse, IpcError> {
    let catalog = state.catalog();
    let vendor = catalog.vendor(&request.vendor).map_err(ipc)?;
    let uris = build_uris_in_core(
        &vendor.profile,
        UriRequest {
            region: request.region.as_deref(),
            identity_provider: request.identity_provider,
            org: &request.org,
        },
    )
    .map_err(ipc)?;
    Ok(uris.into())
}

#[tauri::command]
pub fn build_setup_guide(state: State<'_, AppState>, request: GuideRequestInput) -> Result<SetupGuide, IpcError> {
    let catalog = state.catalog();
    let vendor = catalog.vendor(&request.vendor).map_err(ipc)?;
    let guide = build_guide(
        &catalog,
        &vendor.profile,
        GuideRequest {
            identity_provider: request.identity_provider,
            region: request.region.as_deref(),
            org: request.org.as_deref().filter(|org| !org.is_empty()),
        },
    )
    .map_err(ipc)?;
    let mut view: SetupGuide = guide.into();
    view.can_create_app = sso_setup::journeys::provision::can_create_app(request.identity_provider);
    Ok(view)
}

/// The issuer the admin's input stands for, live as they type (Okta domain, Entra tenant...).
#[tauri::command]
pub fn normalise_issuer_input(identity_provider: IdentityProviderId, input: String) -> Result<IssuerView, IpcError> {
    let normalised = normalise_issuer(&input, Some(identity_provider), None).map_err(ipc)?;
    Ok(IssuerView { issuer: normalised.issuer, discovery_url: normalised.discovery_url, notes: normalised.notes })
}

/// Which loopback redirect URI to register for the sign-in test at this IdP.
#[tauri::command]
pub fn loopback_registration_advice(
    state: State<'_, AppState>,
    identity_provider: IdentityProviderId,
) -> LoopbackAdviceView {
    let rule = state.catalog().loopback_rule(Some(identity_provider)).clone();
    LoopbackAdviceView {
        explanation: rule.explanation,
        register: rule.register,
        listen_on_register: rule.listen_on_register,
    }
}
