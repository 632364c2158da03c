//! Explaining an IdP error: the cause and the fix for a code, an error text or the URL the
//! browser ended on, in the context of the vendor and org when they are known (then the
//! fix names the exact redirect URI).

use super::{boxed, JourneyError};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::redirect_uri::{build_vendor_uris, RedirectUriError, UriRequest};
use crate::catalog::Catalog;
use crate::guidance::diagnosis::{explain, Diagnosis, ExplainContext, ExplainReport};

/// What the admin pasted, and what they are setting up.
pub struct ExplainInput<'a> {
    pub text: &'a str,
    pub vendor: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
    pub region: Option<&'a str>,
    /// Blank counts as not given.
    pub org: Option<&'a str>,
}

/// Explains the error. An unknown vendor or an org value the vendor does not accept is an
/// error (in both faces: a fix naming a wrong redirect URI would mislead); a vendor that
/// supplies its own URIs simply gives no URI to name.
pub fn explain_error(
    catalog: &Catalog,
    diagnoses: &[Diagnosis],
    input: ExplainInput<'_>,
) -> Result<ExplainReport, JourneyError> {
    let profile = input.vendor.map(|id| catalog.vendor(id)).transpose().map_err(boxed)?.map(|entry| &entry.profile);
    let org = input.org.map(str::trim).filter(|org| !org.is_empty());
    let redirect_uri = match (profile, org) {
        (Some(profile), Some(org)) => {
            match build_vendor_uris(
                profile,
                UriRequest { region: input.region, identity_provider: input.identity_provider, org },
            ) {
                Ok(uris) => Some(uris.redirect_uri),
                Err(RedirectUriError::SuppliedByVendor { .. }) => None,
                Err(error) => return Err(boxed(error)),
            }
        }
        _ => None,
    };
    Ok(explain(
        diagnoses,
        input.text,
        ExplainContext {
            vendor_name: profile.map(|profile| profile.name.as_str()),
            redirect_uri: redirect_uri.as_deref(),
            identity_provider: input.identity_provider,
        },
    ))
}

/// Whether the report says anything (a matching diagnosis or a remark).
pub fn is_recognised(report: &ExplainReport) -> bool {
    !report.explanations.is_empty() || report.remark.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidance::diagnosis::built_in_diagnoses;

    #[test]
    fn a_bad_org_is_an_error_not_a_fix_without_the_uri() {
        let catalog = Catalog::built_in().unwrap();
        let diagnoses = built_in_diagnoses().unwrap();
        let input = |org| ExplainInput {
            text: "AADSTS50011",
            vendor: Some("pelanor"),
            identity_provider: Some(IdentityProviderId::Entra),
            region: None,
            org: Some(org),
        };
        assert_eq!(explain_error(&catalog, &diagnoses, input("Acme")).unwrap_err().code(), "org-value-uppercase");
        let report = explain_error(&catalog, &diagnoses, input("acme")).unwrap();
        assert!(is_recognised(&report));
        let fix = report.explanations[0].fix.join("\n");
        assert!(fix.contains("https://app.pelanor.io/api/auth/callback/"), "{fix}");
    }
}
