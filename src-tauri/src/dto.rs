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
        error.to_report().into()
    }
}

impl From<sso_setup::error::ErrorReport> for IpcError {
    fn from(report: sso_setup::error::ErrorReport) -> IpcError {
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
    /// The issuer's form, e.g. `https://login.microsoftonline.com/{tenant-id}/v2.0`.
    pub issuer_format: String,
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

/// The guide for one vendor and IdP, every value filled in.
#[derive(Debug, Clone, Serialize)]
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
    pub notes: Vec<sso_setup::guide::GuideNote>,
    pub traps: Vec<String>,
    pub coverage: String,
    /// Set for a custom vendor profile: the guide says it is not part of sso-setup.
    pub custom_profile_file: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuideValueView {
    pub id: String,
    pub label: String,
    pub value: String,
    pub exact: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuideStepView {
    pub number: usize,
    pub title: String,
    pub done_by_vendor: bool,
    pub console_path: Option<String>,
    pub lines: Vec<String>,
    pub copy_back: Vec<String>,
    pub from_vendor_guide: bool,
}

impl From<sso_setup::guide::Guide> for SetupGuide {
    fn from(guide: sso_setup::guide::Guide) -> Self {
        use sso_setup::catalog::vendor_profile::StepOwner;
        use sso_setup::guide::StepOrigin;
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
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuideRequestInput {
    pub vendor: String,
    pub identity_provider: IdentityProviderId,
    pub region: Option<String>,
    pub org: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuerView {
    pub issuer: String,
    pub discovery_url: String,
    pub notes: Vec<String>,
}

/// A new connection as the Credentials step sends it. The secret is in its own field so it
/// can be moved into a zeroizing `ClientSecret` at once and never travels back.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    pub name: String,
    pub vendor: String,
    pub identity_provider: IdentityProviderId,
    pub region: Option<String>,
    pub org: String,
    pub issuer: String,
    pub client_id: String,
    /// `YYYY-MM-DD`, from a date field.
    pub secret_expires: Option<String>,
    /// Empty keeps the secret already in the keychain (editing a saved connection).
    pub client_secret: zeroize::Zeroizing<String>,
}

/// A saved connection for the home screen. It never carries the secret; `hasSecret` says
/// whether the keychain holds one.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub name: String,
    pub vendor: String,
    pub vendor_name: String,
    pub identity_provider: IdentityProviderId,
    pub identity_provider_name: String,
    pub region: Option<String>,
    pub org: Option<String>,
    pub issuer: String,
    pub client_id: String,
    pub secret_expires: Option<String>,
    pub secret_expiry: sso_setup::connection::SecretExpiry,
    /// `passed`, `failed`, or `never`.
    pub last_test: &'static str,
    pub issuer_notes: Vec<String>,
    /// A warning about the secret just saved (an Entra Secret ID instead of its Value).
    pub secret_warning: Option<String>,
}

impl ConnectionView {
    pub fn new(
        catalog: &Catalog,
        connection: &sso_setup::connection::Connection,
        issuer_notes: Vec<String>,
        today: sso_setup::calendar_date::CalendarDate,
    ) -> Self {
        ConnectionView {
            name: connection.name.clone(),
            vendor: connection.vendor.clone(),
            vendor_name: catalog
                .vendor(&connection.vendor)
                .map_or_else(|_| connection.vendor.clone(), |vendor| vendor.profile.name.clone()),
            identity_provider: connection.idp,
            identity_provider_name: catalog
                .identity_provider(connection.idp)
                .map_or_else(|| connection.idp.to_string(), |info| info.name.clone()),
            region: connection.region.clone(),
            org: connection.org.clone(),
            issuer: connection.issuer.clone(),
            client_id: connection.client_id.clone(),
            secret_expires: connection.secret_expires.map(|date| date.to_string()),
            secret_expiry: connection.secret_expiry(today),
            last_test: match connection.last_test_report.as_ref().and_then(|report| report.get("ok")) {
                Some(serde_json::Value::Bool(true)) => "passed",
                Some(_) => "failed",
                None => "never",
            },
            issuer_notes,
            secret_warning: None,
        }
    }
}

/// The home screen's list: good connections, and damaged files as errors beside them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionList {
    pub connections: Vec<ConnectionView>,
    pub problems: Vec<IpcError>,
}

/// One step of a long operation, in order, through a `tauri::ipc::Channel`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProgressEvent {
    Started {
        what: String,
    },
    Check {
        check: sso_setup::discovery::Check,
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

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCheckView {
    pub ok: bool,
    pub issuer: String,
    pub checks: Vec<sso_setup::discovery::Check>,
    pub error: Option<sso_setup::error::ErrorReport>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInReportView {
    pub ok: bool,
    pub issuer: String,
    pub redirect_uri: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub checks: Vec<sso_setup::discovery::Check>,
    /// Claim names and values as the provider sent them (names are not renamed).
    pub id_token_claims: Vec<ClaimRow>,
    pub userinfo_claims: Vec<ClaimRow>,
    pub missing_claims: Vec<String>,
    pub error: Option<sso_setup::error::ErrorReport>,
    pub timings_ms: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimRow {
    pub name: String,
    /// The value as JSON text, shown as text.
    pub value: String,
}

fn claim_rows(claims: Option<std::collections::BTreeMap<String, serde_json::Value>>) -> Vec<ClaimRow> {
    claims
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| ClaimRow {
            name,
            value: match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            },
        })
        .collect()
}

impl From<sso_setup::flow_test::FlowReport> for SignInReportView {
    fn from(report: sso_setup::flow_test::FlowReport) -> Self {
        SignInReportView {
            ok: report.ok,
            issuer: report.issuer,
            redirect_uri: report.redirect_uri,
            token_endpoint_auth_method: report.token_endpoint_auth_method,
            checks: report.checks,
            id_token_claims: claim_rows(report.id_token_claims),
            userinfo_claims: claim_rows(report.userinfo_claims),
            missing_claims: report.missing_claims,
            error: report.error,
            timings_ms: report.timings_ms,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleInput {
    pub connection: String,
    /// The vendor's `age1...` keys, one per entry; empty when a passphrase is used.
    pub recipients: Vec<String>,
    pub passphrase: Option<zeroize::Zeroizing<String>>,
    /// The passphrase typed a second time; the core refuses the bundle when they differ.
    #[serde(default)]
    pub passphrase_confirmation: Option<zeroize::Zeroizing<String>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleWritten {
    pub path: String,
    pub vendor_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainInput {
    pub text: String,
    pub vendor: Option<String>,
    pub identity_provider: Option<IdentityProviderId>,
    pub region: Option<String>,
    pub org: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplanationView {
    pub title: String,
    pub meaning: String,
    pub likely_cause: String,
    pub fix: Vec<String>,
    pub reference_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainView {
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub explanations: Vec<ExplanationView>,
    pub remark: Option<String>,
}

impl From<sso_setup::diagnosis::ExplainReport> for ExplainView {
    fn from(report: sso_setup::diagnosis::ExplainReport) -> Self {
        ExplainView {
            error: report.input.error,
            error_description: report.input.error_description,
            explanations: report
                .explanations
                .into_iter()
                .map(|explanation| ExplanationView {
                    title: explanation.title,
                    meaning: explanation.meaning,
                    likely_cause: explanation.likely_cause,
                    fix: explanation.fix,
                    reference_url: explanation.reference_url,
                })
                .collect(),
            remark: report.remark,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoopbackAdviceView {
    pub explanation: String,
    pub register: Option<String>,
    pub listen_on_register: bool,
}
