//! The plan: what differs between the app at the IdP and the client the vendor needs, and the
//! requests that would make them the same.
//!
//! A plan is data. A dry run prints it (every credential as `[redacted]`: the plan never holds
//! one), a drift check reports its differences, and an apply sends its requests in order. No
//! difference means no request, so running `provision` again changes nothing.

use crate::oidc::http_fetch::JsonMethod;
use crate::provisioning::desired_client::DesiredClient;
use serde::Serialize;
use serde_json::{Map, Value};

/// One way the app at the IdP is not what the vendor needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The client metadata field (RFC 7591 §2), such as `redirect_uris`.
    pub field: &'static str,
    /// In words: "https://… is missing", "http://127.0.0.1:5000/callback is extra".
    pub detail: String,
}

/// One request of the plan. The credential is named, never held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRequest {
    pub method: JsonMethod,
    pub url: String,
    /// Which credential goes in the `Authorization: Bearer` header, if any.
    pub credential: Option<&'static str>,
    pub body: Option<Value>,
    /// Why, in words.
    pub purpose: String,
}

/// What exists at the IdP as far as the plan knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CurrentApp {
    /// No app yet: the plan creates one.
    None,
    /// The app was read from the IdP.
    Read { client_id: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvisioningPlan {
    pub current: CurrentApp,
    pub differences: Vec<Difference>,
    pub requests: Vec<PlannedRequest>,
}

/// The text values of a list field; RFC 7591 §2's default when the field is absent.
fn list(metadata: &Map<String, Value>, field: &str, default: &[&str]) -> Vec<String> {
    match metadata.get(field) {
        Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => default.iter().map(|value| (*value).to_owned()).collect(),
    }
}

fn compare_lists(field: &'static str, wanted: &[String], found: &[String], out: &mut Vec<Difference>) {
    for value in wanted.iter().filter(|value| !found.contains(value)) {
        out.push(Difference {
            field,
            detail: format!("{} is missing", crate::catalog::org_value::escape_text(value, 200)),
        });
    }
    for value in found.iter().filter(|value| !wanted.contains(value)) {
        out.push(Difference {
            field,
            detail: format!("{} is extra", crate::catalog::org_value::escape_text(value, 200)),
        });
    }
}

/// Every way `registered` (the metadata the IdP holds) differs from `desired`. Values the
/// vendor does not care about (a logo, contacts) are not differences.
pub fn differences(desired: &DesiredClient, registered: &Map<String, Value>) -> Vec<Difference> {
    let mut out = Vec::new();
    compare_lists("redirect_uris", &desired.redirect_uris, &list(registered, "redirect_uris", &[]), &mut out);
    compare_lists(
        "post_logout_redirect_uris",
        &desired.post_logout_redirect_uris,
        &list(registered, "post_logout_redirect_uris", &[]),
        &mut out,
    );
    compare_lists(
        "grant_types",
        &desired.grant_types,
        &list(registered, "grant_types", &["authorization_code"]),
        &mut out,
    );
    compare_lists("response_types", &desired.response_types, &list(registered, "response_types", &["code"]), &mut out);
    let method = registered.get("token_endpoint_auth_method").and_then(Value::as_str).unwrap_or("client_secret_basic");
    if method != desired.token_endpoint_auth_method.as_str() {
        out.push(Difference {
            field: "token_endpoint_auth_method",
            detail: format!(
                "is {}, not {}",
                crate::catalog::org_value::escape_text(method, 60),
                desired.token_endpoint_auth_method.as_str()
            ),
        });
    }
    let initiate = registered.get("initiate_login_uri").and_then(Value::as_str);
    if initiate != desired.initiate_login_uri.as_deref() {
        out.push(Difference {
            field: "initiate_login_uri",
            detail: match (&desired.initiate_login_uri, initiate) {
                (Some(wanted), None) => format!("{wanted} is missing"),
                (None, Some(found)) => format!("{} is extra", crate::catalog::org_value::escape_text(found, 200)),
                (Some(wanted), Some(found)) => {
                    format!("is {}, not {wanted}", crate::catalog::org_value::escape_text(found, 200))
                }
                (None, None) => unreachable!("equal"),
            },
        });
    }
    out
}

/// A new app: one registration request.
pub fn plan_new_app(desired: &DesiredClient, registration_endpoint: &str, with_admin_token: bool) -> ProvisioningPlan {
    ProvisioningPlan {
        current: CurrentApp::None,
        differences: Vec::new(),
        requests: vec![PlannedRequest {
            method: JsonMethod::Post,
            url: registration_endpoint.to_owned(),
            credential: with_admin_token.then_some("initial access token"),
            body: Some(desired.registration_metadata()),
            purpose: "register the app (RFC 7591 §3.1); the provider makes the client secret".into(),
        }],
    }
}

/// An existing app: one update when anything differs, nothing otherwise.
pub fn plan_existing_app(
    desired: &DesiredClient,
    client_id: &str,
    registered: &Map<String, Value>,
    registration_client_uri: &str,
) -> ProvisioningPlan {
    let differences = differences(desired, registered);
    let requests = if differences.is_empty() {
        Vec::new()
    } else {
        let mut body = desired.registration_metadata();
        body["client_id"] = Value::String(client_id.to_owned());
        vec![PlannedRequest {
            method: JsonMethod::Put,
            url: registration_client_uri.to_owned(),
            credential: Some("registration access token"),
            body: Some(body),
            purpose: format!(
                "update the app to what the vendor needs (RFC 7592 §2.2); {} difference{}",
                differences.len(),
                if differences.len() == 1 { "" } else { "s" }
            ),
        }]
    };
    ProvisioningPlan { current: CurrentApp::Read { client_id: client_id.to_owned() }, differences, requests }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::vendor_profile::TokenEndpointAuthMethod;
    use serde_json::json;

    fn desired() -> DesiredClient {
        DesiredClient {
            client_name: "Peerpanda (p)".into(),
            redirect_uris: vec!["https://v.example/cb".into()],
            post_logout_redirect_uris: vec![],
            initiate_login_uri: None,
            grant_types: vec!["authorization_code".into()],
            response_types: vec!["code".into()],
            token_endpoint_auth_method: TokenEndpointAuthMethod::ClientSecretPost,
        }
    }

    #[test]
    fn the_same_app_needs_no_request_and_each_difference_is_named() {
        let same = json!({"redirect_uris": ["https://v.example/cb"], "token_endpoint_auth_method": "client_secret_post",
                          "client_name": "renamed at the IdP", "logo_uri": "https://x"});
        let plan = plan_existing_app(&desired(), "c1", same.as_object().unwrap(), "https://idp/reg/c1");
        assert!(plan.differences.is_empty() && plan.requests.is_empty(), "{plan:?}");

        let drifted = json!({"redirect_uris": ["https://v.example/cb", "http://127.0.0.1:5000/callback"],
                             "grant_types": ["authorization_code", "implicit"], "initiate_login_uri": "https://v.example/"});
        let plan = plan_existing_app(&desired(), "c1", drifted.as_object().unwrap(), "https://idp/reg/c1");
        let shown: Vec<String> = plan.differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect();
        assert_eq!(
            shown,
            [
                "redirect_uris http://127.0.0.1:5000/callback is extra",
                "grant_types implicit is extra",
                "token_endpoint_auth_method is client_secret_basic, not client_secret_post",
                "initiate_login_uri https://v.example/ is extra",
            ]
        );
        assert_eq!(plan.requests.len(), 1);
        assert_eq!(plan.requests[0].body.as_ref().unwrap()["client_id"], "c1");
        assert_eq!(plan.requests[0].credential, Some("registration access token"));
    }
}
