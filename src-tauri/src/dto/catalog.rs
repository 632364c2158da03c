//! The catalog as the web view sees it: vendors, their URIs and guides, issuer input.

use serde::{Deserialize, Serialize};
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::redirect_uri::VendorUris;
use sso_setup::catalog::vendor_profile::VendorProfile;
use sso_setup::catalog::Catalog;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgValueSummary {
    pub name: String,
    pub label: String,
    pub rule: String,
    pub where_to_find: String,
    pub example: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionSummary {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProviderSummary {
    pub id: IdentityProviderId,
    pub name: String,
    /// The issuer's form, e.g. `https://login.microsoftonline.com/{tenant-id}/v2.0`.
    pub issuer_format: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct VendorSummary {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub org_value: Option<OrgValueSummary>,
    pub regions: Vec<RegionSummary>,
    pub identity_providers: Vec<IdentityProviderSummary>,
    pub vendor_confirms_redirect_uri: bool,
    /// The file of a custom profile (not part of sso-setup); null for a built-in vendor. The
    /// app marks such a vendor wherever it lists it.
    pub custom_profile_file: Option<String>,
}

impl VendorSummary {
    pub fn from_profile(catalog: &Catalog, profile: &VendorProfile) -> VendorSummary {
        let custom_profile_file = catalog
            .vendor(&profile.id)
            .ok()
            .and_then(|vendor| vendor.custom_profile_file())
            .map(|path| path.display().to_string());
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
                .map(|supported| {
                    let info = catalog.identity_provider(supported.id);
                    IdentityProviderSummary {
                        id: supported.id,
                        name: info.map_or(supported.id.to_string(), |info| info.name.clone()),
                        issuer_format: info.map(|info| info.issuer_format.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            vendor_confirms_redirect_uri: profile.uris.vendor_confirms_redirect_uri,
            custom_profile_file,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct VendorUrisRequest {
    pub vendor: String,
    pub region: Option<String>,
    pub identity_provider: Option<IdentityProviderId>,
    pub org: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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

/// The guide for one vendor and IdP, every value filled in.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupGuide {
    pub vendor_name: String,
    pub identity_provider_name: String,
    pub region_name: Option<String>,
    pub missing_org_value: Option<String>,
    pub values: Vec<GuideValueView>,
    pub steps: Vec<GuideStepView>,
    pub send_to_vendor: Vec<String>,
    pub sign_in: Vec<String>,
    pub notes: Vec<sso_setup::guidance::guide::GuideNote>,
    pub traps: Vec<String>,
    pub coverage: String,
    /// Set for a custom vendor profile: the guide says it is not part of sso-setup.
    pub custom_profile_file: Option<String>,
    /// Whether the assistant can create the app at this IdP ("Create it for me").
    pub can_create_app: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct GuideValueView {
    pub id: String,
    pub label: String,
    pub value: String,
    pub exact: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct GuideStepView {
    #[ts(type = "number")]
    pub number: usize,
    pub title: String,
    pub done_by_vendor: bool,
    pub console_path: Option<String>,
    pub lines: Vec<String>,
    pub copy_back: Vec<String>,
    pub from_vendor_guide: bool,
}

impl From<sso_setup::guidance::guide::Guide> for SetupGuide {
    fn from(guide: sso_setup::guidance::guide::Guide) -> Self {
        use sso_setup::catalog::vendor_profile::StepOwner;
        use sso_setup::guidance::guide::StepOrigin;
        SetupGuide {
            vendor_name: guide.vendor_name,
            identity_provider_name: guide.identity_provider_name,
            region_name: guide.region_name,
            missing_org_value: guide.missing_org_value,
            values: guide
                .values
                .into_iter()
                .map(|value| GuideValueView {
                    id: value.id,
                    label: value.label,
                    value: value.value,
                    exact: value.exact,
                })
                .collect(),
            steps: guide
                .steps
                .into_iter()
                .map(|step| GuideStepView {
                    number: step.number,
                    title: step.title,
                    done_by_vendor: step.owner == StepOwner::Vendor,
                    console_path: step.console_path,
                    lines: step.lines,
                    copy_back: step.copy_back,
                    from_vendor_guide: step.origin == StepOrigin::Vendor,
                })
                .collect(),
            send_to_vendor: guide.send_to_vendor,
            sign_in: guide.sign_in,
            notes: guide.notes,
            traps: guide.identity_provider_traps,
            coverage: guide.coverage,
            custom_profile_file: guide.custom_profile_file,
            // Set by the command, which knows the IdP (`journeys::provision::can_create_app`).
            can_create_app: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct GuideRequestInput {
    pub vendor: String,
    pub identity_provider: IdentityProviderId,
    pub region: Option<String>,
    pub org: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IssuerView {
    pub issuer: String,
    pub discovery_url: String,
    pub notes: Vec<String>,
}
