//! The shapes that cross into the web view. Only this module knows camelCase JSON; the core's
//! types stay snake_case for the command line's `--json`.

use serde::{Deserialize, Serialize};
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::vendor_profile::VendorProfile;
use sso_setup::catalog::Catalog;
use sso_setup::error::UserFacingError;
use sso_setup::redirect_uri::VendorUris;

/// An error as the UI receives it; the UI branches on `code`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl IpcError {
    pub fn from_core(error: &dyn UserFacingError) -> IpcError {
        let report = error.to_report();
        IpcError { code: report.code, message: report.message, hint: report.hint }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgValueSummary {
    pub name: String,
    pub label: String,
    pub rule: String,
    pub where_to_find: String,
    pub example: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionSummary {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProviderSummary {
    pub id: IdentityProviderId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorSummary {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub org_value: Option<OrgValueSummary>,
    pub regions: Vec<RegionSummary>,
    pub identity_providers: Vec<IdentityProviderSummary>,
    pub vendor_confirms_redirect_uri: bool,
}

impl VendorSummary {
    pub fn from_profile(catalog: &Catalog, profile: &VendorProfile) -> VendorSummary {
        VendorSummary {
            id: profile.id.clone(),
            name: profile.name.clone(),
            summary: profile.summary.clone(),
            org_value: profile.org.as_ref().map(|org| OrgValueSummary {
                name: org.name.clone(),
                label: org.label.clone(),
                rule: org.rule.describe(),
                where_to_find: org.where_to_find.clone(),
                example: org.example.clone(),
            }),
            regions: profile
                .regions
                .iter()
                .map(|region| RegionSummary {
                    id: region.id.clone(),
                    name: region.name.clone(),
                    is_default: region.default,
                })
                .collect(),
            identity_providers: profile
                .identity_providers
                .iter()
                .map(|supported| IdentityProviderSummary {
                    id: supported.id,
                    name: catalog
                        .identity_provider(supported.id)
                        .map_or(supported.id.to_string(), |info| info.name.clone()),
                })
                .collect(),
            vendor_confirms_redirect_uri: profile.uris.vendor_confirms_redirect_uri,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorUrisRequest {
    pub vendor: String,
    pub region: Option<String>,
    pub identity_provider: Option<IdentityProviderId>,
    pub org: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorUrisResponse {
    pub redirect_uri: String,
    pub sign_out_uri: Option<String>,
    pub initiate_login_uri: Option<String>,
    pub login_url: Option<String>,
    pub vendor_confirms: bool,
}

impl From<VendorUris> for VendorUrisResponse {
    fn from(uris: VendorUris) -> Self {
        VendorUrisResponse {
            redirect_uri: uris.redirect_uri,
            sign_out_uri: uris.sign_out_uri,
            initiate_login_uri: uris.initiate_login_uri,
            login_url: uris.login_url,
            vendor_confirms: uris.vendor_confirms,
        }
    }
}
