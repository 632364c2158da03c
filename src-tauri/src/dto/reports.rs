//! Reports as the web view sees them: the provider check, the sign-in test, the bundle
//! written, an explained error, the loopback advice.

use serde::{Deserialize, Serialize};
use sso_setup::catalog::identity_provider::IdentityProviderId;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCheckView {
    pub ok: bool,
    pub issuer: String,
    pub checks: Vec<sso_setup::oidc::discovery::Check>,
    pub error: Option<sso_setup::error::ErrorReport>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInReportView {
    pub ok: bool,
    pub issuer: String,
    pub redirect_uri: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub checks: Vec<sso_setup::oidc::discovery::Check>,
    /// Claim names and values as the provider sent them (names are not renamed).
    pub id_token_claims: Vec<ClaimRow>,
    pub userinfo_claims: Vec<ClaimRow>,
    pub missing_claims: Vec<String>,
    pub error: Option<sso_setup::error::ErrorReport>,
    #[ts(type = "Record<string, number>")]
    pub timings_ms: std::collections::BTreeMap<String, u64>,
    /// Set when the test registered its own loopback redirect URI at the IdP.
    pub temporary_redirect: Option<super::TemporaryRedirectView>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
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

impl From<sso_setup::oidc::sign_in_flow::FlowReport> for SignInReportView {
    fn from(report: sso_setup::oidc::sign_in_flow::FlowReport) -> Self {
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
            temporary_redirect: None,
        }
    }
}

#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleInput {
    pub connection: String,
    /// The vendor's `age1...` keys, one per entry; empty when a passphrase is used.
    pub recipients: Vec<String>,
    #[ts(type = "string | null")]
    pub passphrase: Option<zeroize::Zeroizing<String>>,
    /// The passphrase typed a second time; the core refuses the bundle when they differ.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub passphrase_confirmation: Option<zeroize::Zeroizing<String>>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleWritten {
    pub path: String,
    pub vendor_name: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplainInput {
    pub text: String,
    pub vendor: Option<String>,
    pub identity_provider: Option<IdentityProviderId>,
    pub region: Option<String>,
    pub org: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplanationView {
    pub title: String,
    pub meaning: String,
    pub likely_cause: String,
    pub fix: Vec<String>,
    pub reference_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExplainView {
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub explanations: Vec<ExplanationView>,
    pub remark: Option<String>,
}

impl From<sso_setup::guidance::diagnosis::ExplainReport> for ExplainView {
    fn from(report: sso_setup::guidance::diagnosis::ExplainReport) -> Self {
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

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LoopbackAdviceView {
    pub explanation: String,
    pub register: Option<String>,
    pub listen_on_register: bool,
}
