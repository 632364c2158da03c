//! Checking the provider: the discovery document and key set of a saved connection's
//! issuer, or of an issuer given directly, against what the vendor needs.

use super::{boxed, JourneyError, SideEffects};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::Catalog;
use crate::oidc::discovery::{discover, Check, DiscoveryReport};
use crate::oidc::http_fetch::HttpFetch;
use crate::oidc::issuer::normalise_issuer;

/// Which provider to check.
pub enum ProviderToCheck<'a> {
    /// The issuer, identity provider and vendor of a saved connection.
    SavedConnection(&'a str),
    /// An issuer as the admin gave it (a URL, an Okta domain, an Entra tenant...).
    Issuer {
        input: &'a str,
        identity_provider: Option<IdentityProviderId>,
        vendor: Option<&'a str>,
        pingone_region: Option<&'a str>,
    },
}

/// Progress, in the order it happens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProviderCheckEvent {
    Fetching { discovery_url: String },
    Check(Check),
}

/// Fetches and checks the discovery document and keys. Errors are what stops the check
/// before anything is fetched (an unknown connection or vendor, an issuer that cannot be
/// read); a provider that fails its checks is a report with `ok: false`.
pub async fn check_provider<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    provider: ProviderToCheck<'_>,
    progress: &mut (dyn FnMut(ProviderCheckEvent) + Send),
) -> Result<DiscoveryReport, JourneyError> {
    let (issuer, vendor) = match provider {
        ProviderToCheck::SavedConnection(name) => {
            let connection = effects.connections.load(name).map_err(boxed)?;
            let issuer = normalise_issuer(&connection.issuer, Some(connection.idp), None).map_err(boxed)?;
            // A connection whose vendor profile has since been removed is still checked,
            // without the vendor's requirements.
            (issuer, catalog.vendor(&connection.vendor).ok())
        }
        ProviderToCheck::Issuer { input, identity_provider, vendor, pingone_region } => {
            let vendor = vendor.map(|id| catalog.vendor(id)).transpose().map_err(boxed)?;
            (normalise_issuer(input, identity_provider, pingone_region).map_err(boxed)?, vendor)
        }
    };
    progress(ProviderCheckEvent::Fetching { discovery_url: issuer.discovery_url.clone() });
    let report = discover(http, issuer, vendor.map(|vendor| &vendor.profile.oidc)).await;
    for check in &report.checks {
        progress(ProviderCheckEvent::Check(check.clone()));
    }
    Ok(report)
}
