//! Building a vendor's URIs from its templates, and checking a URI an admin pasted.
//!
//! Two independent guards stand between an org value and the IdP's redirect URI list:
//! [`crate::catalog::org_value::OrgValue`] admits only `[A-Za-z0-9_-]`, and after substitution
//! [`check_substituted_uri`] parses the result and requires the template's scheme, host,
//! port and path prefix, the same number of path segments, no query, fragment or user
//! name, and a serialisation equal to the string byte for byte (so the URL parser did
//! not normalise anything away, such as a dot segment). Either guard alone keeps the
//! result on the vendor's origin; the property tests check both.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::org_value::{escape_for_message, OrgValue, OrgValueError};
use crate::catalog::vendor_profile::{UriKind, UriSpec, VendorProfile, VendorRegion};
use crate::error::UserFacingError;
use serde::Serialize;
use url::Url;

/// The vendor's URIs for one org, region and IdP, byte-exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorUris {
    pub redirect_uri: String,
    pub sign_out_uri: Option<String>,
    pub initiate_login_uri: Option<String>,
    pub login_url: Option<String>,
    pub vendor_confirms: bool,
}

/// What the admin asked for.
#[derive(Debug, Clone, Copy)]
pub struct UriRequest<'a> {
    pub region: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
    pub org: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectUriError {
    #[error(transparent)]
    OrgValue(#[from] OrgValueError),
    #[error("{vendor} has no region '{region}'")]
    UnknownRegion { vendor: String, region: String, known: String },
    #[error("{vendor}'s guide does not name {identity_provider} as a supported identity provider")]
    UnsupportedIdentityProvider { vendor: String, identity_provider: IdentityProviderId, supported: String },
    #[error("{vendor}'s {kind} names the identity provider, so the IdP is needed to build it")]
    IdentityProviderNeeded { vendor: String, kind: &'static str, supported: String },
    #[error("{vendor} supplies its {kind} itself; its guide does not publish it")]
    SuppliedByVendor { vendor: String, kind: &'static str },
    #[error("the {kind} built from {vendor}'s template left the vendor's {part}: {uri}")]
    EscapedTemplate { vendor: String, kind: &'static str, part: &'static str, uri: String },
}

impl UserFacingError for RedirectUriError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            RedirectUriError::OrgValue(inner) => inner.code(),
            RedirectUriError::UnknownRegion { .. } => crate::error::ErrorCode::UnknownRegion,
            RedirectUriError::UnsupportedIdentityProvider { .. } => {
                crate::error::ErrorCode::UnsupportedIdentityProvider
            }
            RedirectUriError::IdentityProviderNeeded { .. } => crate::error::ErrorCode::IdentityProviderNeeded,
            RedirectUriError::SuppliedByVendor { .. } => crate::error::ErrorCode::UriSuppliedByVendor,
            RedirectUriError::EscapedTemplate { .. } => crate::error::ErrorCode::UriEscapedTemplate,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            RedirectUriError::OrgValue(inner) => inner.hint(),
            RedirectUriError::UnknownRegion { known, .. } => Some(format!("use one of: {known}")),
            RedirectUriError::UnsupportedIdentityProvider { supported, .. } => {
                Some(format!("use one of: {supported}, or ask the vendor whether it supports your IdP"))
            }
            RedirectUriError::IdentityProviderNeeded { supported, .. } => {
                Some(format!("choose the identity provider, one of: {supported}"))
            }
            RedirectUriError::SuppliedByVendor { vendor, .. } => {
                Some(format!("ask {vendor} for it, then check the value you receive before you register it"))
            }
            RedirectUriError::EscapedTemplate { .. } => Some(
                "this is a defect in the vendor profile or the tool; do not register this URI and report it".into(),
            ),
        }
    }
}

/// Builds every URI the vendor publishes for this org, region and IdP.
pub fn build_vendor_uris(profile: &VendorProfile, request: UriRequest<'_>) -> Result<VendorUris, RedirectUriError> {
    let region = resolve_region(profile, request.region)?;
    let idp_slug = resolve_identity_provider_slug(profile, request.identity_provider)?;
    // A vendor without an org value in its URIs (Pivott) has nothing to check it against.
    let org = match &profile.org {
        Some(spec) => Some(OrgValue::parse(request.org, &spec.rule, &spec.name)?),
        None => None,
    };
    let build = |kind: UriKind, spec: &UriSpec| -> Result<String, RedirectUriError> {
        let template = spec.template.as_deref().ok_or_else(|| RedirectUriError::SuppliedByVendor {
            vendor: profile.name.clone(),
            kind: kind.describe(),
        })?;
        let idp_slug = match (template.contains("{idp}"), idp_slug) {
            (true, None) => {
                return Err(RedirectUriError::IdentityProviderNeeded {
                    vendor: profile.name.clone(),
                    kind: kind.describe(),
                    supported: profile.identity_provider_list(),
                })
            }
            (_, slug) => slug.unwrap_or(""),
        };
        let uri = substitute(template, &region.host, idp_slug, org.as_ref().map_or("", OrgValue::as_str));
        check_substituted_uri(template, &region.host, &uri).map_err(|part| RedirectUriError::EscapedTemplate {
            vendor: profile.name.clone(),
            kind: kind.describe(),
            part,
            uri: escape_for_message(&uri),
        })?;
        Ok(uri)
    };
    let optional = |kind: UriKind, spec: Option<&UriSpec>| -> Result<Option<String>, RedirectUriError> {
        match spec {
            Some(spec) if spec.template.is_some() => build(kind, spec).map(Some),
            _ => Ok(None),
        }
    };
    Ok(VendorUris {
        redirect_uri: build(UriKind::Redirect, &profile.uris.redirect)?,
        sign_out_uri: optional(UriKind::SignOut, profile.uris.sign_out.as_ref())?,
        initiate_login_uri: optional(UriKind::InitiateLogin, profile.uris.initiate_login.as_ref())?,
        login_url: optional(UriKind::LoginUrl, profile.uris.login_url.as_ref())?,
        vendor_confirms: profile.uris.vendor_confirms_redirect_uri,
    })
}

pub fn resolve_region<'p>(
    profile: &'p VendorProfile,
    requested: Option<&str>,
) -> Result<&'p VendorRegion, RedirectUriError> {
    match requested {
        None => Ok(profile.default_region()),
        Some(id) => profile.region(id).ok_or_else(|| RedirectUriError::UnknownRegion {
            vendor: profile.name.clone(),
            region: escape_for_message(id).trim_matches('\'').to_owned(),
            known: profile.region_list(),
        }),
    }
}

fn resolve_identity_provider_slug(
    profile: &VendorProfile,
    requested: Option<IdentityProviderId>,
) -> Result<Option<&str>, RedirectUriError> {
    let Some(id) = requested else { return Ok(None) };
    let supported =
        profile.supported_identity_provider(id).ok_or_else(|| RedirectUriError::UnsupportedIdentityProvider {
            vendor: profile.name.clone(),
            identity_provider: id,
            supported: profile.identity_provider_list(),
        })?;
    Ok(supported.slug.as_deref())
}

// The templates' placeholders and their filling live in `placeholders`; these names are
// the ones the URI builder's callers use.
pub use crate::catalog::placeholders::{fill_uri_template as substitute, show_uri_template as display_template};

/// The vendor's own placeholder for its org value, for display.
pub fn org_placeholder(profile: &VendorProfile) -> &str {
    profile.org.as_ref().map_or("{org}", |spec| spec.placeholder.as_str())
}

/// The part of the template's path before its first placeholder.
fn static_path_prefix(template_path: &str) -> &str {
    let end = template_path.find('{').unwrap_or(template_path.len());
    &template_path[..end]
}

/// Checks that `uri`, made from `template`, stays where the template points. Returns the
/// name of the part that differs.
pub fn check_substituted_uri(template: &str, host: &str, uri: &str) -> Result<(), &'static str> {
    // The template with harmless stand-ins gives the reference scheme, host, port and path.
    let reference_text = substitute(template, host, "idp", "org");
    let reference = Url::parse(&reference_text).map_err(|_| "template")?;
    let parsed = Url::parse(uri).map_err(|_| "URI syntax")?;
    if parsed.scheme() != reference.scheme() {
        return Err("scheme");
    }
    if parsed.host_str() != reference.host_str() || parsed.host_str() != Some(host) {
        return Err("host");
    }
    if parsed.port() != reference.port() {
        return Err("port");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("user name");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("path (a query or fragment was added)");
    }
    let template_path = template.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).unwrap_or_default();
    if !parsed.path().starts_with(static_path_prefix(&template_path)) {
        return Err("path prefix");
    }
    if parsed.path().split('/').count() != reference.path().split('/').count() {
        return Err("path (the number of path segments changed)");
    }
    if parsed.as_str() != uri {
        return Err("exact form (the URL parser rewrote it)");
    }
    Ok(())
}

/// The outcome of checking a URI the admin pasted (for vendors that supply their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastedUriCheck {
    pub uri: String,
    pub region: String,
    /// The org value found in the URI, when the vendor publishes a template.
    pub org: Option<String>,
    /// The URI kinds whose template the URI matches; empty when the vendor publishes none.
    pub matches: Vec<UriKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PastedUriError {
    #[error("{shown} has white space or a line break at its start or end")]
    SurroundingWhitespace { shown: String },
    #[error("{shown} is not a URL: {reason}")]
    NotAUrl { shown: String, reason: String },
    #[error("{shown} uses {scheme}, not https")]
    NotHttps { shown: String, scheme: String },
    #[error("{shown} is on host '{host}', which is not one of {vendor}'s hosts ({known})")]
    ForeignHost { shown: String, host: String, vendor: String, known: String },
    #[error("{shown} has {what}, which a redirect URI from {vendor} never has")]
    UnexpectedPart { shown: String, what: &'static str, vendor: String },
    #[error("{shown} is on {vendor}'s host but matches none of its URI templates")]
    NoTemplateMatches { shown: String, vendor: String, templates: Vec<String> },
    #[error("{shown} matches {vendor}'s template, but its {value_name} is not valid: {problem}")]
    BadOrgValue { shown: String, vendor: String, value_name: String, problem: String },
}

impl UserFacingError for PastedUriError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            PastedUriError::SurroundingWhitespace { .. } => crate::error::ErrorCode::PastedUriWhitespace,
            PastedUriError::NotAUrl { .. } => crate::error::ErrorCode::PastedUriNotAUrl,
            PastedUriError::NotHttps { .. } => crate::error::ErrorCode::PastedUriNotHttps,
            PastedUriError::ForeignHost { .. } => crate::error::ErrorCode::PastedUriForeignHost,
            PastedUriError::UnexpectedPart { .. } => crate::error::ErrorCode::PastedUriUnexpectedPart,
            PastedUriError::NoTemplateMatches { .. } => crate::error::ErrorCode::PastedUriNoTemplateMatches,
            PastedUriError::BadOrgValue { .. } => crate::error::ErrorCode::PastedUriBadOrgValue,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            PastedUriError::SurroundingWhitespace { .. } => {
                "copy the URI again without the surrounding spaces; IdPs compare redirect URIs byte for byte".into()
            }
            PastedUriError::ForeignHost { vendor, .. } => format!(
                "do not register this URI: only a URI on {vendor}'s own host is safe; ask {vendor} to confirm it through a channel you trust"
            ),
            PastedUriError::NoTemplateMatches { templates, .. } => {
                format!("the vendor's guide gives: {}", templates.join(" ; "))
            }
            _ => "copy the URI again from the vendor's message, exactly as sent".into(),
        })
    }
}

/// Checks a URI the admin pasted from the vendor: https, on one of the vendor's hosts, no
/// user name, port, query or fragment, and, where the vendor publishes templates, of the
/// template's shape with a valid org value.
pub fn check_pasted_uri(profile: &VendorProfile, pasted: &str) -> Result<PastedUriCheck, PastedUriError> {
    let shown = escape_for_message(pasted);
    if pasted.trim() != pasted {
        return Err(PastedUriError::SurroundingWhitespace { shown });
    }
    let parsed = Url::parse(pasted)
        .map_err(|error| PastedUriError::NotAUrl { shown: shown.clone(), reason: error.to_string() })?;
    if parsed.scheme() != "https" {
        return Err(PastedUriError::NotHttps { shown, scheme: parsed.scheme().to_owned() });
    }
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let region =
        profile.regions.iter().find(|region| region.host == host).ok_or_else(|| PastedUriError::ForeignHost {
            shown: shown.clone(),
            host: escape_for_message(&host).trim_matches('\'').to_owned(),
            vendor: profile.name.clone(),
            known: profile.regions.iter().map(|region| region.host.as_str()).collect::<Vec<_>>().join(", "),
        })?;
    let unexpected = |what: &'static str| PastedUriError::UnexpectedPart {
        shown: shown.clone(),
        what,
        vendor: profile.name.clone(),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(unexpected("a user name"));
    }
    if parsed.port().is_some() {
        return Err(unexpected("a port"));
    }
    if parsed.query().is_some() {
        return Err(unexpected("a query string"));
    }
    if parsed.fragment().is_some() {
        return Err(unexpected("a fragment"));
    }
    if parsed.as_str() != pasted {
        return Err(unexpected("characters the URL parser rewrites"));
    }

    let templates: Vec<(UriKind, &str)> = profile
        .uri_specs()
        .into_iter()
        .filter_map(|(kind, spec)| spec.template.as_deref().map(|template| (kind, template)))
        .collect();
    let (matches, org) = matching_templates(profile, &region.host, pasted, &templates)?;
    // Where the vendor supplies some URI itself, a URI on its host that matches no
    // published template may be that one: the host check is all there is to go on.
    let vendor_supplies_some = profile.uri_specs().iter().any(|(_, spec)| spec.supplied_by_vendor);
    if matches.is_empty() && !vendor_supplies_some {
        return Err(PastedUriError::NoTemplateMatches {
            shown,
            vendor: profile.name.clone(),
            templates: templates
                .iter()
                .map(|(_, template)| display_template(template, &region.host, org_placeholder(profile)))
                .collect(),
        });
    }
    Ok(PastedUriCheck { uri: pasted.to_owned(), region: region.id.clone(), org, matches })
}

type TemplateMatches = (Vec<UriKind>, Option<String>);

fn matching_templates(
    profile: &VendorProfile,
    host: &str,
    pasted: &str,
    templates: &[(UriKind, &str)],
) -> Result<TemplateMatches, PastedUriError> {
    let mut matches = Vec::new();
    let mut found_org = None;
    let slugs: Vec<&str> = {
        let mut slugs: Vec<&str> = profile.identity_providers.iter().filter_map(|idp| idp.slug.as_deref()).collect();
        if slugs.is_empty() {
            slugs.push("");
        }
        slugs
    };
    for (kind, template) in templates {
        for slug in &slugs {
            let filled = template.replacen("{host}", host, 1).replace("{idp}", slug);
            let Some((before, after)) = filled.split_once("{org}") else {
                if filled == pasted {
                    matches.push(*kind);
                }
                continue;
            };
            if pasted.len() < before.len() + after.len() || !pasted.starts_with(before) || !pasted.ends_with(after) {
                continue;
            }
            let candidate = &pasted[before.len()..pasted.len() - after.len()];
            // Profiles are checked to have an org spec wherever a template uses {org}.
            let Some(spec) = &profile.org else { continue };
            match OrgValue::parse(candidate, &spec.rule, &spec.name) {
                Ok(org) => {
                    matches.push(*kind);
                    found_org = Some(org.as_str().to_owned());
                }
                Err(error) if !candidate.contains('/') => {
                    return Err(PastedUriError::BadOrgValue {
                        shown: escape_for_message(pasted),
                        vendor: profile.name.clone(),
                        value_name: spec.name.clone(),
                        problem: error.problem.to_string(),
                    })
                }
                Err(_) => {}
            }
        }
    }
    matches.dedup();
    Ok((matches, found_org))
}
