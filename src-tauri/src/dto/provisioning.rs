//! Creating the IdP app, as the web view sees it: the request, the plan as a readable list,
//! what was created. No credential crosses back: a plan names the credential a request
//! carries, and the created connection carries no secret.

use serde::{Deserialize, Serialize};
use sso_setup::catalog::identity_provider::IdentityProviderId;

#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionRequestInput {
    pub connection: String,
    pub vendor: String,
    pub identity_provider: IdentityProviderId,
    pub region: Option<String>,
    pub org: Option<String>,
    pub issuer: String,
    /// URIs the vendor sent, for a vendor that supplies its own.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub sign_out_uris: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NamedValue {
    pub name: String,
    /// Shown as text.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRequestView {
    /// `POST`, `PUT`, ...
    pub method: String,
    pub url: String,
    /// Which credential the request carries ("initial access token"), never its value.
    pub credential: Option<String>,
    pub purpose: String,
    /// The body's fields, one line each (lists joined with ", ").
    pub fields: Vec<NamedValue>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionPlanView {
    pub requests: Vec<PlannedRequestView>,
    /// Each way the app at the IdP differs from what the vendor needs, in words.
    pub differences: Vec<String>,
    pub notes: Vec<String>,
}

impl ProvisionPlanView {
    pub fn new(plan: &sso_setup::provisioning::plan::ProvisioningPlan, notes: Vec<String>) -> ProvisionPlanView {
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        ProvisionPlanView {
            requests: plan
                .requests
                .iter()
                .map(|request| PlannedRequestView {
                    method: request.method.as_str().to_owned(),
                    url: request.url.clone(),
                    credential: request.credential.map(str::to_owned),
                    purpose: request.purpose.clone(),
                    fields: request
                        .body
                        .as_ref()
                        .and_then(serde_json::Value::as_object)
                        .map(|body| {
                            body.iter()
                                .map(|(name, value)| NamedValue { name: name.clone(), value: text(value) })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
            differences: plan
                .differences
                .iter()
                .map(|difference| format!("{} {}", difference.field, difference.detail))
                .collect(),
            notes,
        }
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionedView {
    pub connection: super::ConnectionView,
    /// What to send the vendor; the secret goes in the bundle.
    pub send_to_vendor: Vec<NamedValue>,
    pub notes: Vec<String>,
}

/// A rotation's step, as the home screen shows it. No secret is in it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RotationView {
    pub connection: super::ConnectionView,
    #[ts(type = "'started' | 'finished'")]
    pub stage: &'static str,
    /// The connection's checks after a start, which say whether the IdP takes the new one.
    pub checks: Vec<sso_setup::oidc::discovery::Check>,
    pub ok: bool,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryRedirectView {
    pub uri: String,
    pub removed: bool,
    /// When it could not be removed: what to remove by hand.
    pub left_behind: Option<String>,
}

/// The admin's own sign-in at the IdP of a connection: a saved one's, or for a new one (the
/// guide's "Create it for me") its IdP and issuer.
#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AdminSignInRequest {
    pub connection: String,
    pub identity_provider: Option<IdentityProviderId>,
    pub issuer: Option<String>,
    /// The public client the admin registered for this, with the device authorization grant.
    pub client_id: String,
}

/// The code the admin types, and where (RFC 8628 §3.3), shown as text.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeView {
    pub user_code: String,
    pub verification_uri: String,
    /// Whether the system browser opened the sign-in page; otherwise "Open the sign-in page"
    /// tries again.
    pub browser_opened: bool,
    pub expires_in_seconds: u64,
}

/// The admin is signed in for this connection: the shell holds the token in memory until the
/// app closes or the admin signs out; the web view never receives it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AdminSessionView {
    pub connection: String,
}

/// One request of the plan going out while the app is created: "Sending 2 of 4: POST …".
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionProgressView {
    /// 1-based, of `total`.
    pub position: u32,
    pub total: u32,
    pub method: String,
    pub url: String,
    pub purpose: String,
}
