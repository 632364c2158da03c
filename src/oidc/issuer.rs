//! Turning what an admin has (an issuer, a discovery URL, an Okta domain, an Entra tenant,
//! a Keycloak realm URL, a OneLogin subdomain, a PingOne environment) into the exact issuer,
//! and saying what was done.
//!
//! The issuer is compared byte for byte later (OpenID Connect Discovery §4.3), so this module
//! never guesses silently: every change it makes is listed in [`NormalisedIssuer::notes`],
//! and inputs that can never work (Entra's `common` endpoint) are refused with the fix.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::org_value::escape_for_message;
use crate::error::UserFacingError;
use crate::oidc::http_fetch::{check_scheme, FetchError};
use serde::Serialize;
use url::Url;

pub const DISCOVERY_SUFFIX: &str = "/.well-known/openid-configuration";

/// The issuer to check, where its discovery document is, and what was done to get there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NormalisedIssuer {
    pub input: String,
    pub issuer: String,
    pub discovery_url: String,
    /// The IdP, given or recognised from the host.
    pub identity_provider: Option<IdentityProviderId>,
    /// Each change made to the input, in words.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssuerError {
    #[error("the issuer is empty")]
    Empty,
    #[error("{shown} is not a URL or a shorthand sso-setup understands: {reason}")]
    Unparseable { shown: String, reason: String },
    #[error(transparent)]
    Scheme(#[from] FetchError),
    #[error("{shown} uses Entra's '{tenant}' endpoint, whose issuer never matches a signed-in user's tokens")]
    EntraMultiTenant { shown: String, tenant: String },
    #[error("{shown} has a query or fragment; an issuer has neither")]
    QueryOrFragment { shown: String },
    #[error("{shown} is a shorthand, and a shorthand needs the identity provider it is for")]
    ShorthandNeedsProvider { shown: String },
}

impl UserFacingError for IssuerError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            IssuerError::Empty => crate::error::ErrorCode::IssuerEmpty,
            IssuerError::Unparseable { .. } => crate::error::ErrorCode::IssuerUnparseable,
            IssuerError::Scheme(inner) => inner.code(),
            IssuerError::EntraMultiTenant { .. } => crate::error::ErrorCode::IssuerEntraMultiTenant,
            IssuerError::QueryOrFragment { .. } => crate::error::ErrorCode::IssuerQueryOrFragment,
            IssuerError::ShorthandNeedsProvider { .. } => crate::error::ErrorCode::IssuerShorthandNeedsProvider,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            IssuerError::Empty => "give the issuer URL, e.g. https://login.microsoftonline.com/<tenant ID>/v2.0".into(),
            IssuerError::Unparseable { .. } => {
                "give the issuer as an https URL, or a shorthand with its identity provider (e.g. acme.okta.com with Okta)".into()
            }
            IssuerError::Scheme(inner) => inner.hint().unwrap_or_default(),
            IssuerError::EntraMultiTenant { .. } => "use your tenant's own issuer: https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0 (Entra admin center → App registrations → your app → Overview → Directory (tenant) ID)".into(),
            IssuerError::QueryOrFragment { .. } => "remove everything from '?' or '#' on".into(),
            IssuerError::ShorthandNeedsProvider { .. } => "choose the identity provider (okta, entra, onelogin, pingone, jumpcloud, google, auth0, keycloak), or give the full https URL".into(),
        })
    }
}

/// True for a GUID (8-4-4-4-12 hex digits): Entra's tenant, client and secret IDs.
pub fn looks_like_guid(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(length, part)| part.len() == *length && part.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Recognises the IdP from an issuer URL's host or path, by the catalog's rules
/// (`catalog/identity-providers.toml`, `issuer_recognition`), tried in `IdentityProviderId::ALL`'s order.
pub fn recognise_identity_provider(url: &Url) -> Option<IdentityProviderId> {
    let host = url.host_str()?.to_ascii_lowercase();
    IdentityProviderId::ALL.into_iter().find(|id| {
        crate::catalog::built_in_identity_provider(*id)
            .is_some_and(|info| info.issuer_recognition.matches(&host, url.path()))
    })
}

/// Normalises the admin's input. `pingone_region` is the PingOne top-level domain
/// (`com`, `eu`, `ca`, `asia`, `com.au`, `sg`) for a bare environment ID.
pub fn normalise_issuer(
    input: &str,
    identity_provider: Option<IdentityProviderId>,
    pingone_region: Option<&str>,
) -> Result<NormalisedIssuer, IssuerError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(IssuerError::Empty);
    }
    let shown = escape_for_message(trimmed);
    let mut notes = Vec::new();
    if trimmed != input {
        notes.push("removed white space around the input".to_owned());
    }
    let has_scheme = trimmed.contains("://");
    let mut text = if has_scheme {
        trimmed.to_owned()
    } else {
        let expanded = expand_shorthand(trimmed, identity_provider, pingone_region, &mut notes)?;
        expanded.ok_or_else(|| IssuerError::ShorthandNeedsProvider { shown: shown.clone() })?
    };
    if let Some(stripped) = text.strip_suffix(DISCOVERY_SUFFIX) {
        text = stripped.to_owned();
        notes.push(format!("removed {DISCOVERY_SUFFIX} to get the issuer"));
    }
    let url = Url::parse(&text)
        .map_err(|error| IssuerError::Unparseable { shown: shown.clone(), reason: error.to_string() })?;
    check_scheme(&url)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(IssuerError::QueryOrFragment { shown });
    }
    let recognised =
        identity_provider.filter(|id| *id != IdentityProviderId::Generic).or_else(|| recognise_identity_provider(&url));
    let issuer = match recognised {
        Some(IdentityProviderId::Entra) => normalise_entra(&url, &shown, &mut notes)?,
        Some(IdentityProviderId::Jumpcloud) | Some(IdentityProviderId::Auth0)
            if !text.ends_with('/') && url.path() == "/" =>
        {
            notes.push("added the trailing '/' that this provider's issuer has".to_owned());
            format!("{text}/")
        }
        Some(IdentityProviderId::Okta) if url.path().starts_with("/oauth2/") && url.path() != "/oauth2/default" => {
            notes.push("this is an Okta custom authorization server; the org authorization server's issuer is the domain alone".to_owned());
            text.clone()
        }
        _ => text.clone(),
    };
    if recognised == Some(IdentityProviderId::Okta) && !issuer.contains("/oauth2/") {
        notes.push("this is Okta's org authorization server; if the vendor asks for the default custom authorization server, use <domain>/oauth2/default".to_owned());
    }
    let discovery_url =
        format!("{issuer}{DISCOVERY_SUFFIX}").replace(&format!("/{DISCOVERY_SUFFIX}"), DISCOVERY_SUFFIX);
    Ok(NormalisedIssuer { input: input.to_owned(), issuer, discovery_url, identity_provider: recognised, notes })
}

fn expand_shorthand(
    text: &str,
    identity_provider: Option<IdentityProviderId>,
    pingone_region: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Option<String>, IssuerError> {
    let Some(provider) = identity_provider else {
        // A bare host with a dot is read as https, and said so.
        if text.contains('.') && !text.contains(' ') {
            notes.push(format!("read '{text}' as https://{text}"));
            return Ok(Some(format!("https://{text}")));
        }
        return Ok(None);
    };
    if provider == IdentityProviderId::Entra {
        let tenant = text.trim_matches('/');
        if !looks_like_guid(tenant) && !tenant.contains('.') && !is_entra_multi_tenant(tenant) {
            return Err(IssuerError::Unparseable {
                shown: escape_for_message(text),
                reason: "an Entra tenant is a GUID (the Directory (tenant) ID) or a verified domain".into(),
            });
        }
    }
    // How each provider's shorthand becomes its issuer is catalog data
    // (`catalog/identity-providers.toml`, `issuer_shorthand`).
    let rule = &crate::catalog::built_in_identity_provider(provider)
        .expect("every identity provider has its built-in entry (catalog tests)")
        .issuer_shorthand;
    if pingone_region.is_none() && rule.template.contains("{region}") {
        if let Some(default) = &rule.default_region {
            notes.push(default.note.clone());
        }
    }
    let expanded = rule.expand(text, pingone_region);
    notes.push(format!("expanded the {provider} shorthand '{text}' to {expanded}"));
    Ok(Some(expanded))
}

fn is_entra_multi_tenant(tenant: &str) -> bool {
    matches!(tenant.to_ascii_lowercase().as_str(), "common" | "organizations" | "consumers" | "{tenantid}")
}

fn normalise_entra(url: &Url, shown: &str, notes: &mut Vec<String>) -> Result<String, IssuerError> {
    let segments: Vec<&str> =
        url.path_segments().map(|segments| segments.filter(|s| !s.is_empty()).collect()).unwrap_or_default();
    let Some(tenant) = segments.first().copied() else {
        return Err(IssuerError::Unparseable { shown: shown.to_owned(), reason: "the URL names no tenant".into() });
    };
    if is_entra_multi_tenant(tenant) {
        return Err(IssuerError::EntraMultiTenant { shown: shown.to_owned(), tenant: tenant.to_owned() });
    }
    // A tenant's endpoints played on this computer (a stand-in for tests, a rehearsal) keep
    // their address: no Entra tenant is reached there, so nothing is mistaken for one.
    if crate::oidc::http_fetch::is_loopback_host(url) && segments.get(1) == Some(&"v2.0") && segments.len() == 2 {
        return Ok(url.as_str().trim_end_matches('/').to_owned());
    }
    let issuer = format!("https://login.microsoftonline.com/{tenant}/v2.0");
    if url.host_str() == Some("sts.windows.net") {
        notes.push(
            "converted the v1.0 issuer (sts.windows.net) to the v2.0 issuer that the v2.0 endpoints use".to_owned(),
        );
    } else if segments.get(1) != Some(&"v2.0") || segments.len() > 2 {
        notes.push("used the tenant's v2.0 issuer (…/<tenant>/v2.0)".to_owned());
    }
    if !looks_like_guid(tenant) {
        notes.push(format!(
            "'{tenant}' is a domain: Entra's discovery document names the tenant by its ID, so the issuer check compares against that"
        ));
    }
    Ok(issuer)
}

/// True when `found` is the issuer Entra reports for the tenant domain in `expected`: the
/// same URL with the tenant's GUID in place of the domain.
pub fn is_entra_issuer_for_domain(expected: &str, found: &str) -> bool {
    let (Ok(expected), Ok(found)) = (Url::parse(expected), Url::parse(found)) else { return false };
    let expected_segments: Vec<&str> = expected.path_segments().map(|s| s.collect()).unwrap_or_default();
    let found_segments: Vec<&str> = found.path_segments().map(|s| s.collect()).unwrap_or_default();
    expected.host_str() == Some("login.microsoftonline.com")
        && found.host_str() == Some("login.microsoftonline.com")
        && expected_segments.len() == 2
        && found_segments.len() == 2
        && expected_segments[1] == "v2.0"
        && found_segments[1] == "v2.0"
        && expected_segments[0].contains('.')
        && looks_like_guid(found_segments[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(input: &str, provider: Option<&str>) -> Result<NormalisedIssuer, IssuerError> {
        normalise_issuer(input, provider.map(|p| p.parse().unwrap()), None)
    }

    #[test]
    fn okta_domain_shorthand_becomes_the_org_issuer_and_says_so() {
        let normalised = normalise("acme.okta.com", Some("okta")).unwrap();
        assert_eq!(normalised.issuer, "https://acme.okta.com");
        assert_eq!(normalised.discovery_url, "https://acme.okta.com/.well-known/openid-configuration");
        assert!(normalised.notes.iter().any(|note| note.contains("expanded")), "{:?}", normalised.notes);
        assert!(
            normalised.notes.iter().any(|note| note.contains("org authorization server")),
            "{:?}",
            normalised.notes
        );
    }

    #[test]
    fn entra_common_is_refused_with_the_fix() {
        for input in
            ["https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/organizations/v2.0/"]
        {
            let error = normalise(input, None).unwrap_err();
            assert_eq!(error.code(), "issuer-entra-multi-tenant", "{input}");
            assert!(error.hint().unwrap().contains("Directory (tenant) ID"));
        }
        assert_eq!(normalise("common", Some("entra")).unwrap_err().code(), "issuer-entra-multi-tenant");
    }

    #[test]
    fn entra_tenant_id_and_v1_issuer_become_the_v2_issuer() {
        let guid = "00000000-1111-2222-3333-444444444444";
        assert_eq!(
            normalise(guid, Some("entra")).unwrap().issuer,
            format!("https://login.microsoftonline.com/{guid}/v2.0")
        );
        let v1 = normalise(&format!("https://sts.windows.net/{guid}/"), None).unwrap();
        assert_eq!(v1.issuer, format!("https://login.microsoftonline.com/{guid}/v2.0"));
        assert!(v1.notes.iter().any(|note| note.contains("v1.0")));
    }

    #[test]
    fn a_discovery_url_is_cut_to_its_issuer_and_trailing_slashes_are_kept() {
        let normalised = normalise("https://oauth.id.jumpcloud.com/.well-known/openid-configuration", None).unwrap();
        assert_eq!(normalised.issuer, "https://oauth.id.jumpcloud.com/");
        assert_eq!(normalised.discovery_url, "https://oauth.id.jumpcloud.com/.well-known/openid-configuration");
        let keycloak = normalise("https://sso.example.com/realms/acme", None).unwrap();
        assert_eq!(keycloak.issuer, "https://sso.example.com/realms/acme");
        assert_eq!(keycloak.identity_provider, Some(IdentityProviderId::Keycloak));
        assert!(keycloak.notes.is_empty());
    }

    #[test]
    fn other_shorthands() {
        assert_eq!(normalise("acme", Some("onelogin")).unwrap().issuer, "https://acme.onelogin.com/oidc/2");
        assert_eq!(
            normalise_issuer("env-1", Some(IdentityProviderId::Pingone), Some("eu")).unwrap().issuer,
            "https://auth.pingone.eu/env-1/as"
        );
        assert_eq!(normalise("anything", Some("jumpcloud")).unwrap().issuer, "https://oauth.id.jumpcloud.com/");
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        assert_eq!(normalise("http://idp.example.com", None).unwrap_err().code(), "fetch-insecure-scheme");
        assert_eq!(normalise("http://127.0.0.1:8080/op", None).unwrap().issuer, "http://127.0.0.1:8080/op");
    }
}
