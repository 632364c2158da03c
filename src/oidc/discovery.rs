//! Checking an identity provider's discovery document and key set against what the
//! assistant and the vendor need (`sso-setup discover`).
//!
//! [`discover`] fetches through an injected [`HttpFetch`]; [`check_discovery_document`] and
//! [`check_key_set`] are pure functions over the fetched bytes, so real providers' documents
//! can be tested as fixtures. Every check is reported as pass, warn or fail with a detail in
//! words; nothing the provider sent is ever treated as markup, and provider text in messages
//! is cut and escaped.

use crate::catalog::vendor_profile::{OidcRequirements, TokenEndpointAuthMethod};
use crate::error::{ErrorReport, UserFacingError};
use crate::oidc::http_fetch::{check_scheme, cut, FetchedResponse, HttpFetch};
use crate::oidc::issuer::{is_entra_issuer_for_domain, NormalisedIssuer};
use serde::Serialize;
use serde_json::Value;
use url::Url;

/// The ID token signature algorithms the assistant verifies. HMAC (HS256) is left out on
/// purpose: it is signed with the client secret, which the vendor holds, not a public key.
pub const VERIFIABLE_ALGORITHMS: [&str; 3] = ["RS256", "PS256", "ES256"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Check {
    /// A stable identifier, e.g. `issuer-matches`.
    pub id: &'static str,
    pub status: CheckStatus,
    pub detail: String,
    /// What to do, for a warning or a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<String>,
}

impl Check {
    fn pass(id: &'static str, detail: impl Into<String>) -> Check {
        Check { id, status: CheckStatus::Pass, detail: detail.into(), hint: None }
    }
    fn warn(id: &'static str, detail: impl Into<String>, hint: impl Into<String>) -> Check {
        Check { id, status: CheckStatus::Warn, detail: detail.into(), hint: Some(hint.into()) }
    }
    fn fail(id: &'static str, detail: impl Into<String>, hint: impl Into<String>) -> Check {
        Check { id, status: CheckStatus::Fail, detail: detail.into(), hint: Some(hint.into()) }
    }
}

/// What the provider's document says, for the report and for the flow test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ProviderEndpoints {
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
    /// Client registration (OpenID Connect Dynamic Client Registration 1.0 §3, RFC 7591 §3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    /// The token endpoint auth method to use with this vendor, when one fits.
    pub token_endpoint_auth_method: Option<TokenEndpointAuthMethod>,
    pub authorization_response_iss_parameter_supported: bool,
    /// `id_token_signing_alg_values_supported`, for the ID token check.
    pub id_token_signing_algorithms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscoveryReport {
    /// True when no check failed: the provider is usable for the vendor.
    pub ok: bool,
    pub issuer: NormalisedIssuer,
    pub checks: Vec<Check>,
    pub provider: ProviderEndpoints,
    /// Why the report stopped early (the document could not be fetched or read).
    pub error: Option<ErrorReport>,
    /// The JWKS as fetched, so the flow test verifies its ID token against it first and
    /// fetches again only for an unknown `kid`. Not part of the printed report.
    #[serde(skip)]
    pub key_set: Option<Value>,
}

impl DiscoveryReport {
    /// Why the provider is not usable, as an error: the early stop, or the first failed check.
    pub fn failure(&self) -> Option<ErrorReport> {
        if self.ok {
            return None;
        }
        self.error.clone().or_else(|| {
            self.checks.iter().find(|check| check.status == CheckStatus::Fail).map(|check| ErrorReport {
                code: crate::error::ErrorCode::of_failed_discovery_check(check.id),
                message: check.detail.clone(),
                hint: check.hint.clone(),
            })
        })
    }
}

fn string_list(document: &Value, key: &str) -> Option<Vec<String>> {
    document
        .get(key)?
        .as_array()
        .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
}

fn endpoint_is_acceptable(value: &str) -> Result<(), String> {
    let url = Url::parse(value).map_err(|error| format!("not a URL ({error})"))?;
    check_scheme(&url).map_err(|error| error.to_string())
}

/// The words a browser would show of an HTML page: no tags, no script or style contents, and
/// white space folded. Rough by design; it only makes a message readable.
pub fn visible_text_of_html(html: &str) -> String {
    let mut shown = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        shown.push_str(&rest[..start]);
        shown.push(' ');
        let tag = &rest[start..];
        let lowered: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = ["script", "style"].iter().find(|name| lowered[1..].starts_with(*name)).and_then(|name| {
            let close = format!("</{name}");
            tag.to_ascii_lowercase().find(&close).map(|position| position + close.len())
        });
        let after = &tag[skip_to.unwrap_or(0)..];
        rest = match after.find('>') {
            Some(end) => &after[end + 1..],
            None => "",
        };
    }
    shown.push_str(rest);
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a provider's JSON: refuses what is not JSON with the start of what was sent.
fn parse_json(response: &FetchedResponse, what: &str, url: &str) -> Result<Value, Check> {
    let id = if what == "discovery document" { "discovery-document" } else { "jwks" };
    let text = String::from_utf8_lossy(&response.body);
    let looks_like_html = text.trim_start().starts_with('<')
        || response.content_type.as_deref().is_some_and(|content_type| content_type.contains("html"));
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(Check::fail(id, format!("the {what} at {url} is JSON but not an object"), "check the URL")),
        Err(error) => {
            // An HTML page is shown by its visible words ("Sign in to the Wi-Fi"), not its
            // markup: that is what tells the admin which portal or proxy answered.
            let start = if looks_like_html { cut(&visible_text_of_html(&text), 120) } else { cut(&text, 120) };
            let detail = if looks_like_html {
                format!(
                    "the {what} at {url} is an HTML page, not JSON (a login page, proxy or captive portal?): {start}"
                )
            } else {
                format!("the {what} at {url} is not valid JSON ({error}): {start}")
            };
            Err(Check::fail(id, detail, "open the URL in a browser from this computer and check what it returns"))
        }
    }
}

/// Checks a discovery document against the expected issuer and the vendor's needs.
pub fn check_discovery_document(
    document: &Value,
    expected_issuer: &str,
    vendor: Option<&OidcRequirements>,
) -> (Vec<Check>, ProviderEndpoints) {
    let mut checks = Vec::new();
    let text = |key: &str| document.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut provider = ProviderEndpoints {
        issuer: text("issuer"),
        authorization_endpoint: text("authorization_endpoint"),
        token_endpoint: text("token_endpoint"),
        userinfo_endpoint: text("userinfo_endpoint"),
        jwks_uri: text("jwks_uri"),
        end_session_endpoint: text("end_session_endpoint"),
        registration_endpoint: text("registration_endpoint"),
        token_endpoint_auth_method: None,
        authorization_response_iss_parameter_supported: document
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        id_token_signing_algorithms: string_list(document, "id_token_signing_alg_values_supported").unwrap_or_default(),
    };

    // Issuer: byte for byte (OpenID Connect Discovery §4.3).
    match &provider.issuer {
        None => checks.push(Check::fail(
            "issuer-matches",
            "the document has no \"issuer\" string",
            "this is not an OpenID Connect discovery document; check the URL",
        )),
        Some(found) if found == expected_issuer => {
            checks.push(Check::pass("issuer-matches", format!("issuer is {found}")))
        }
        Some(found) if is_entra_issuer_for_domain(expected_issuer, found) => checks.push(Check::pass(
            "issuer-matches",
            format!("the tenant domain resolves to the issuer {found}; use this issuer from now on"),
        )),
        Some(found) => {
            let shown = cut(found, 200);
            let hint = if found.contains("{tenantid}") {
                "this is Entra's common/organizations document: use https://login.microsoftonline.com/<tenant ID>/v2.0"
                    .to_owned()
            } else if found.trim_end_matches('/') == expected_issuer.trim_end_matches('/') {
                format!("only the trailing '/' differs: use exactly {shown} (JumpCloud and Auth0 issuers end with '/'; Okta, Entra and Keycloak do not)")
            } else {
                format!("use the issuer the provider publishes, {shown}, if it is the right provider; tokens will carry that value")
            };
            checks.push(Check::fail(
                "issuer-matches",
                format!(
                    "the document's issuer is {shown}, but the input was {expected_issuer}; they must be identical"
                ),
                hint,
            ));
        }
    }

    // Endpoints: present, and https (http only on loopback).
    let mut endpoint_problems = Vec::new();
    let mut plain_http_on_loopback = false;
    for (key, value, required) in [
        ("authorization_endpoint", &provider.authorization_endpoint, true),
        ("token_endpoint", &provider.token_endpoint, true),
        ("jwks_uri", &provider.jwks_uri, true),
        ("userinfo_endpoint", &provider.userinfo_endpoint, false),
        ("end_session_endpoint", &provider.end_session_endpoint, false),
        ("registration_endpoint", &provider.registration_endpoint, false),
    ] {
        match value {
            None if required => endpoint_problems.push(format!("{key} is missing")),
            None => {}
            Some(value) => {
                if let Err(problem) = endpoint_is_acceptable(value) {
                    endpoint_problems.push(format!("{key} {}: {problem}", cut(value, 120)));
                } else if Url::parse(value).is_ok_and(|url| url.scheme() == "http") {
                    plain_http_on_loopback = true;
                }
            }
        }
    }
    if endpoint_problems.is_empty() {
        // Say what is true: a local test provider's plain http is accepted, but it is not https.
        let detail = if plain_http_on_loopback {
            "every endpoint is present; they use plain http on this computer's loopback address, accepted only for a provider on this computer"
        } else {
            "every endpoint is present and uses https"
        };
        checks.push(Check::pass("endpoints-secure", detail));
    } else {
        checks.push(Check::fail(
            "endpoints-secure",
            endpoint_problems.join("; "),
            "a provider must publish https endpoints; check that this is the real provider and not a proxy",
        ));
    }

    // Response type code.
    match string_list(document, "response_types_supported") {
        Some(types) if types.iter().any(|value| value == "code") => {
            checks.push(Check::pass("response-type-code", "the authorization code flow is supported"))
        }
        Some(types) => checks.push(Check::fail(
            "response-type-code",
            format!("response_types_supported is [{}], without \"code\"", cut(&types.join(", "), 200)),
            "enable the authorization code flow for the app at the provider",
        )),
        None => checks.push(Check::warn(
            "response-type-code",
            "response_types_supported is missing (it is required by the specification)",
            "the flow test will show whether the code flow works",
        )),
    }

    // PKCE S256.
    match string_list(document, "code_challenge_methods_supported") {
        Some(methods) if methods.iter().any(|value| value == "S256") => {
            checks.push(Check::pass("pkce-s256", "PKCE with S256 is supported"))
        }
        Some(methods) => checks.push(Check::warn(
            "pkce-s256",
            format!("code_challenge_methods_supported is [{}], without S256", cut(&methods.join(", "), 100)),
            "sso-setup always sends S256 and never plain; if the provider rejects it, enable S256 PKCE for the app",
        )),
        None => checks.push(Check::warn(
            "pkce-s256",
            "code_challenge_methods_supported is not published (Entra ID leaves it out but supports S256)",
            "nothing to do unless the flow test fails on PKCE",
        )),
    }

    // Token endpoint auth methods: the provider's (default client_secret_basic, RFC 8414)
    // against the vendor's.
    let provider_methods = string_list(document, "token_endpoint_auth_methods_supported")
        .unwrap_or_else(|| vec!["client_secret_basic".into()]);
    let vendor_methods: Vec<TokenEndpointAuthMethod> = match vendor {
        Some(requirements) if !requirements.token_endpoint_auth_methods.is_empty() => {
            requirements.token_endpoint_auth_methods.clone()
        }
        _ => vec![TokenEndpointAuthMethod::ClientSecretBasic, TokenEndpointAuthMethod::ClientSecretPost],
    };
    let usable: Vec<TokenEndpointAuthMethod> =
        vendor_methods.iter().copied().filter(|method| provider_methods.iter().any(|m| m == method.as_str())).collect();
    provider.token_endpoint_auth_method = usable.first().copied();
    match usable.first() {
        Some(method) => checks.push(Check::pass(
            "token-endpoint-auth",
            format!(
                "{} works with both sides (the provider supports {})",
                method.as_str(),
                cut(&provider_methods.join(", "), 200)
            ),
        )),
        None => checks.push(Check::fail(
            "token-endpoint-auth",
            format!(
                "the provider supports {}, the vendor accepts {}: no method in common",
                cut(&provider_methods.join(", "), 200),
                vendor_methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(" or ")
            ),
            "set the app's client authentication to client secret (basic or post) at the provider",
        )),
    }

    // Scopes and claims the vendor needs (both lists are optional and need not be complete).
    if let Some(requirements) = vendor {
        match string_list(document, "scopes_supported") {
            Some(supported) => {
                let missing: Vec<&String> =
                    requirements.scopes.iter().filter(|scope| !supported.contains(scope)).collect();
                if missing.is_empty() {
                    checks.push(Check::pass(
                        "vendor-scopes",
                        format!("the scopes {} are supported", requirements.scopes.join(" ")),
                    ));
                } else {
                    checks.push(Check::warn(
                        "vendor-scopes",
                        format!(
                            "scopes_supported does not list {}",
                            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                        "the list need not be complete; the flow test shows whether the scopes are granted",
                    ));
                }
            }
            None => checks.push(Check::pass("vendor-scopes", "scopes_supported is not published; nothing to compare")),
        }
        if !requirements.required_claims.is_empty() {
            match string_list(document, "claims_supported") {
                Some(supported) => {
                    let missing: Vec<&str> = requirements
                        .required_claims
                        .iter()
                        .map(|claim| claim.name.as_str())
                        .filter(|name| !supported.iter().any(|s| s == name))
                        .collect();
                    if missing.is_empty() {
                        checks.push(Check::pass("vendor-claims", "every claim the vendor needs is listed"));
                    } else {
                        checks.push(Check::warn(
                            "vendor-claims",
                            format!("claims_supported does not list {}", missing.join(", ")),
                            "configure the provider to issue them (the guide's claims step); the flow test checks the real token",
                        ));
                    }
                }
                None => checks.push(Check::pass(
                    "vendor-claims",
                    "claims_supported is not published; the flow test checks the token",
                )),
            }
        }
    }

    // Signing algorithms the assistant can verify.
    match string_list(document, "id_token_signing_alg_values_supported") {
        Some(algorithms) => {
            let verifiable: Vec<&String> =
                algorithms.iter().filter(|alg| VERIFIABLE_ALGORITHMS.contains(&alg.as_str())).collect();
            if verifiable.is_empty() {
                checks.push(Check::fail(
                    "signing-algorithms",
                    format!("the provider signs ID tokens with {} only", cut(&algorithms.join(", "), 100)),
                    "set the app's ID token signing algorithm to RS256 at the provider (Auth0: Advanced → OAuth → JsonWebToken Signature Algorithm)",
                ));
            } else {
                checks.push(Check::pass(
                    "signing-algorithms",
                    format!(
                        "ID tokens can be verified ({})",
                        verifiable.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        None => checks.push(Check::fail(
            "signing-algorithms",
            "id_token_signing_alg_values_supported is missing (it is required by the specification)",
            "this is not a complete OpenID Connect discovery document; check the URL",
        )),
    }

    if provider.authorization_response_iss_parameter_supported {
        checks.push(Check::pass(
            "iss-parameter",
            "the provider sends iss in the authorization response (RFC 9207); the flow test requires it",
        ));
    }
    (checks, provider)
}

/// Checks a JWKS for at least one key the assistant can verify ID tokens with.
pub fn check_key_set(document: &Value) -> Check {
    let Some(keys) = document.get("keys").and_then(Value::as_array) else {
        return Check::fail("jwks-usable-key", "the JWKS has no \"keys\" array", "check the provider's jwks_uri");
    };
    let usable = keys.iter().filter(|key| is_usable_signing_key(key)).count();
    if usable == 0 {
        Check::fail(
            "jwks-usable-key",
            format!("none of the {} keys in the JWKS is an RSA or P-256 signing key", keys.len()),
            "the provider publishes no key sso-setup can verify ID tokens with; check the app's signing settings",
        )
    } else {
        let ignored = keys.len() - usable;
        let ignored_text = if ignored > 0 { format!(", {ignored} other keys ignored") } else { String::new() };
        Check::pass("jwks-usable-key", format!("{usable} usable signing keys{ignored_text}"))
    }
}

fn is_usable_signing_key(key: &Value) -> bool {
    let field = |name: &str| key.get(name).and_then(Value::as_str);
    if field("use").is_some_and(|usage| usage != "sig") {
        return false;
    }
    if field("alg").is_some_and(|alg| !VERIFIABLE_ALGORITHMS.contains(&alg)) {
        return false;
    }
    match field("kty") {
        Some("RSA") => field("n").is_some_and(|n| !n.is_empty()) && field("e").is_some_and(|e| !e.is_empty()),
        Some("EC") => field("crv") == Some("P-256") && field("x").is_some() && field("y").is_some(),
        _ => false,
    }
}

/// Fetches and checks the discovery document and the JWKS.
pub async fn discover(
    http: &impl HttpFetch,
    issuer: NormalisedIssuer,
    vendor: Option<&OidcRequirements>,
) -> DiscoveryReport {
    let mut report = DiscoveryReport {
        ok: false,
        issuer: issuer.clone(),
        checks: Vec::new(),
        provider: ProviderEndpoints::default(),
        error: None,
        key_set: None,
    };
    let discovery_url = match Url::parse(&issuer.discovery_url) {
        Ok(url) => url,
        Err(error) => {
            report.checks.push(Check::fail(
                "discovery-document",
                format!("the discovery URL is not valid: {error}"),
                "check the issuer",
            ));
            return report;
        }
    };
    let response = match http.get(&discovery_url).await {
        Ok(response) => response,
        Err(error) => {
            report.checks.push(Check {
                id: "discovery-document",
                status: CheckStatus::Fail,
                detail: error.to_string(),
                hint: error.hint(),
            });
            report.error = Some(error.to_report());
            return report;
        }
    };
    let document = match parse_json(&response, "discovery document", discovery_url.as_str()) {
        Ok(document) => document,
        Err(check) => {
            report.checks.push(check);
            return report;
        }
    };
    report.checks.push(Check::pass("discovery-document", format!("fetched {discovery_url}")));
    let (checks, provider) = check_discovery_document(&document, &issuer.issuer, vendor);
    report.checks.extend(checks);
    report.provider = provider;

    match report.provider.jwks_uri.as_deref().map(Url::parse) {
        Some(Ok(jwks_url)) if check_scheme(&jwks_url).is_ok() => match http.get(&jwks_url).await {
            Ok(response) => match parse_json(&response, "JWKS", jwks_url.as_str()) {
                Ok(keys) => {
                    report.checks.push(check_key_set(&keys));
                    report.key_set = Some(keys);
                }
                Err(check) => report.checks.push(check),
            },
            Err(error) => report.checks.push(Check {
                id: "jwks",
                status: CheckStatus::Fail,
                detail: error.to_string(),
                hint: error.hint(),
            }),
        },
        // A missing or insecure jwks_uri has failed the endpoints check already.
        _ => {}
    }
    report.ok = report.checks.iter().all(|check| check.status != CheckStatus::Fail);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn usable_keys_ignore_encryption_and_unknown_types() {
        let keys = json!({"keys": [
            {"kty": "RSA", "use": "enc", "n": "x", "e": "AQAB"},
            {"kty": "AKP", "alg": "ML-DSA-44", "pub": "x"},
            {"kty": "EC", "crv": "P-256", "x": "a", "y": "b"},
        ]});
        let check = check_key_set(&keys);
        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.detail, "1 usable signing keys, 2 other keys ignored");
        let none = check_key_set(&json!({"keys": [{"kty": "oct", "k": "secret"}]}));
        assert_eq!(none.status, CheckStatus::Fail);
    }
}
