//! The identity providers the assistant knows, as data (`catalog/identity-providers.toml`).
//!
//! [`IdentityProviderId`] is a closed enum because code branches on it (issuer shorthands,
//! claim quirks); everything that is only shown to people lives in the data file.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One of the identity providers named in the CLI contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum IdentityProviderId {
    Entra,
    Okta,
    Jumpcloud,
    Google,
    Auth0,
    Onelogin,
    Pingone,
    Keycloak,
    Generic,
}

impl IdentityProviderId {
    pub const ALL: [IdentityProviderId; 9] = [
        IdentityProviderId::Entra,
        IdentityProviderId::Okta,
        IdentityProviderId::Jumpcloud,
        IdentityProviderId::Google,
        IdentityProviderId::Auth0,
        IdentityProviderId::Onelogin,
        IdentityProviderId::Pingone,
        IdentityProviderId::Keycloak,
        IdentityProviderId::Generic,
    ];

    /// The identifier used on the command line and in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityProviderId::Entra => "entra",
            IdentityProviderId::Okta => "okta",
            IdentityProviderId::Jumpcloud => "jumpcloud",
            IdentityProviderId::Google => "google",
            IdentityProviderId::Auth0 => "auth0",
            IdentityProviderId::Onelogin => "onelogin",
            IdentityProviderId::Pingone => "pingone",
            IdentityProviderId::Keycloak => "keycloak",
            IdentityProviderId::Generic => "generic",
        }
    }
}

impl fmt::Display for IdentityProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The input did not name a known identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownIdentityProvider(pub String);

impl FromStr for IdentityProviderId {
    type Err = UnknownIdentityProvider;

    /// Accepts the identifiers of the contract and the other names admins use for them
    /// (`azure`, `azuread`, `aad`, `microsoft` for Entra; `ping` for PingOne; `oidc` for
    /// a generic provider), case-insensitively.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let lowered = input.trim().to_ascii_lowercase();
        let found = match lowered.as_str() {
            "entra" | "entra-id" | "entraid" | "azure" | "azure-ad" | "azuread" | "aad" | "microsoft" => {
                IdentityProviderId::Entra
            }
            "okta" => IdentityProviderId::Okta,
            "jumpcloud" => IdentityProviderId::Jumpcloud,
            "google" | "google-workspace" | "gsuite" => IdentityProviderId::Google,
            "auth0" => IdentityProviderId::Auth0,
            "onelogin" => IdentityProviderId::Onelogin,
            "pingone" | "ping" | "ping-identity" => IdentityProviderId::Pingone,
            "keycloak" => IdentityProviderId::Keycloak,
            "generic" | "oidc" | "other" => IdentityProviderId::Generic,
            _ => return Err(UnknownIdentityProvider(input.to_owned())),
        };
        Ok(found)
    }
}

/// What the assistant shows about one identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProviderInfo {
    pub id: IdentityProviderId,
    /// The provider's current product name, e.g. "Microsoft Entra ID".
    pub name: String,
    /// Older or informal names admins still use, e.g. "Azure AD".
    #[serde(default)]
    pub also_known_as: Vec<String>,
    /// The issuer's exact form, with placeholders in braces, e.g.
    /// `https://login.microsoftonline.com/{tenant-id}/v2.0`.
    pub issuer_format: String,
    /// Where in the provider's admin console OIDC apps are created.
    pub console_path: String,
    /// Facts about this provider that trip admins up, one sentence each.
    #[serde(default)]
    pub traps: Vec<String>,
    /// Which loopback redirect URI to register here for the sign-in test.
    pub loopback: LoopbackRule,
    /// How a shorthand for this provider's issuer (an Okta org name, an Entra tenant ID)
    /// becomes the issuer URL.
    pub issuer_shorthand: IssuerShorthand,
    /// How an issuer URL is recognised as this provider's, when the admin did not say.
    #[serde(default)]
    pub issuer_recognition: IssuerRecognition,
    /// Claims that reach the ID token only when the app is configured to add them (Entra's
    /// ID-token optional claims). When the app is created for the admin, the vendor's
    /// required claims that are in this list are configured on it; others need nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_token_claims_needing_configuration: Vec<String>,
    /// Where the facts above come from.
    pub sources: Vec<String>,
}

/// How the short form an admin has for an issuer becomes the issuer URL: `{value}` is the
/// shorthand as typed, `{region}` the provider's region (PingOne's top-level domain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuerShorthand {
    /// The issuer made from the shorthand, e.g. `https://{value}.okta.com`; without
    /// `{value}` the provider has one issuer for everyone (Google).
    pub template: String,
    /// The issuer when the shorthand is already a domain (it holds a dot), e.g.
    /// `https://{value}` for `acme.okta.com`.
    #[serde(default)]
    pub template_for_domain: Option<String>,
    /// Removed from the end of the shorthand first (`.onelogin.com`).
    #[serde(default)]
    pub strip_suffix: Option<String>,
    /// `/` removed from both ends of the shorthand first.
    #[serde(default)]
    pub trim_slashes: bool,
    /// The region `{region}` stands for when none is given, and what to tell the admin then.
    #[serde(default)]
    pub default_region: Option<DefaultRegion>,
}

/// How an issuer URL is recognised as one provider's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuerRecognition {
    /// Host patterns, compared without case: `login.microsoftonline.com` is that host,
    /// `*.okta.com` that domain and any name under it, and a `*` elsewhere any run of
    /// characters (`auth.pingone.*`, `oauth.id.*jumpcloud.com`).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Text the issuer's path contains (Keycloak's `/realms/`), for a provider on any host.
    #[serde(default)]
    pub path_contains: Vec<String>,
}

impl IssuerRecognition {
    /// Whether `host` (lower case) and `path` are this provider's.
    pub fn matches(&self, host: &str, path: &str) -> bool {
        self.hosts.iter().any(|pattern| host_matches(&pattern.to_ascii_lowercase(), host))
            || self.path_contains.iter().any(|part| path.contains(part.as_str()))
    }
}

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(domain) if !domain.contains('*') => host == domain || host.ends_with(&format!(".{domain}")),
        _ => glob(pattern, host),
    }
}

/// `*` matches any run of characters, none included.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((literal, rest)) => text.strip_prefix(literal).is_some_and(|tail| {
            (0..=tail.len()).filter(|at| tail.is_char_boundary(*at)).any(|at| glob(rest, &tail[at..]))
        }),
    }
}

/// See [`IssuerShorthand::default_region`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultRegion {
    pub region: String,
    pub note: String,
}

impl IssuerShorthand {
    /// The issuer for `value` (already trimmed of white space).
    pub fn expand(&self, value: &str, region: Option<&str>) -> String {
        let mut value = value;
        if let Some(suffix) = &self.strip_suffix {
            value = value.strip_suffix(suffix.as_str()).unwrap_or(value);
        }
        if self.trim_slashes {
            value = value.trim_matches('/');
        }
        let template = match &self.template_for_domain {
            Some(for_domain) if value.contains('.') => for_domain,
            _ => &self.template,
        };
        let region = region.or(self.default_region.as_ref().map(|default| default.region.as_str())).unwrap_or_default();
        // The template's own placeholders first: `{value}` is what the admin typed, and a
        // `{region}` inside it must stay text (and so fail as the URL it makes).
        template.replace("{region}", region).replace("{value}", value)
    }
}

/// Which loopback redirect URI to register at an IdP for the sign-in test, and why
/// (RFC 8252 §7.3; each IdP's own rule is in its `sources`). Both faces show it before the
/// run, so the first attempt works; each says in its own terms how to make the test listen
/// on that URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoopbackRule {
    /// The IdP's rule, in words that fit either face (no command-line flags).
    pub explanation: String,
    /// The URI to register, when the IdP needs a particular one.
    #[serde(default)]
    pub register: Option<String>,
    /// True when the test must listen on exactly `register` (its port or host matter);
    /// false when the IdP accepts the registered URI with any port.
    #[serde(default)]
    pub listen_on_register: bool,
}

/// The file `catalog/identity-providers.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProviderFile {
    pub identity_providers: Vec<IdentityProviderInfo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host rules the issuer module had in code, now data, read the same way.
    #[test]
    fn host_patterns_match_as_the_rules_did() {
        let rule = |hosts: &[&str]| IssuerRecognition {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            path_contains: vec![],
        };
        let okta = rule(&["*.okta.com"]);
        assert!(okta.matches("acme.okta.com", "/") && okta.matches("okta.com", "/"));
        assert!(!okta.matches("acmeokta.com", "/") && !okta.matches("okta.com.evil.example", "/"));
        let jumpcloud = rule(&["oauth.id.*jumpcloud.com"]);
        assert!(
            jumpcloud.matches("oauth.id.jumpcloud.com", "/") && jumpcloud.matches("oauth.id.eu.jumpcloud.com", "/")
        );
        assert!(
            !jumpcloud.matches("jumpcloud.com", "/") && !jumpcloud.matches("oauth.id.jumpcloud.com.evil.example", "/")
        );
        let pingone = rule(&["auth.pingone.*"]);
        assert!(pingone.matches("auth.pingone.eu", "/") && !pingone.matches("xauth.pingone.eu", "/"));
        let keycloak = IssuerRecognition { hosts: vec![], path_contains: vec!["/realms/".into()] };
        assert!(keycloak.matches("sso.example.com", "/realms/acme") && !keycloak.matches("sso.example.com", "/"));
    }

    /// What the admin typed is filled in last, so a placeholder inside it stays text.
    #[test]
    fn a_placeholder_typed_into_a_shorthand_is_not_filled() {
        let pingone = IssuerShorthand {
            template: "https://auth.pingone.{region}/{value}/as".into(),
            template_for_domain: None,
            strip_suffix: None,
            trim_slashes: true,
            default_region: Some(DefaultRegion { region: "com".into(), note: String::new() }),
        };
        assert_eq!(pingone.expand("env-1", None), "https://auth.pingone.com/env-1/as");
        assert_eq!(pingone.expand("env-1", Some("eu")), "https://auth.pingone.eu/env-1/as");
        assert_eq!(pingone.expand("x{region}", Some("eu")), "https://auth.pingone.eu/x{region}/as");
    }
}
