//! `sso-setup explain`: the cause and the fix for an IdP error code, error text or the URL
//! the browser ended on.

use crate::Failure;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::diagnosis::{built_in_diagnoses, explain, ExplainContext, ExplainReport};
use sso_setup::error::UserFacingError;
use sso_setup::redirect_uri::{build_vendor_uris, UriRequest};

#[derive(Debug, thiserror::Error)]
#[error("sso-setup does not recognise this error")]
pub struct NotRecognised;

impl UserFacingError for NotRecognised {
    fn code(&self) -> &'static str {
        "explain-not-recognised"
    }

    fn hint(&self) -> Option<String> {
        Some("paste the error code (e.g. AADSTS50011), the whole error text, or the URL the browser ended on; `sso-setup idps` lists the providers it knows".into())
    }
}

pub struct VendorContext<'a> {
    pub vendor: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
    pub region: Option<&'a str>,
    pub org: Option<&'a str>,
}

pub fn run_explain(catalog: &Catalog, input: &str, context: VendorContext<'_>, json: bool) -> Result<(), Failure> {
    let profile = context.vendor.map(|id| catalog.vendor(id)).transpose()?.map(|entry| &entry.profile);
    // With the vendor and org known, the fix names the exact redirect URI.
    let redirect_uri = match (profile, context.org) {
        (Some(profile), Some(org)) => Some(
            build_vendor_uris(
                profile,
                UriRequest { region: context.region, identity_provider: context.identity_provider, org },
            )?
            .redirect_uri,
        ),
        _ => None,
    };
    let diagnoses = built_in_diagnoses().expect("the built-in diagnoses are checked by the test suite");
    let report = explain(
        &diagnoses,
        input,
        ExplainContext {
            vendor_name: profile.map(|profile| profile.name.as_str()),
            redirect_uri: redirect_uri.as_deref(),
            identity_provider: context.identity_provider,
        },
    );
    if report.explanations.is_empty() && report.remark.is_none() {
        if json {
            crate::print_json(&report);
        }
        return Err(Failure::CheckFailed(Box::new(NotRecognised)));
    }
    if json {
        crate::print_json(&report);
    } else {
        out!("{}", render(&report));
    }
    Ok(())
}

fn render(report: &ExplainReport) -> String {
    let mut out = String::new();
    if let Some(error) = &report.input.error {
        out.push_str(&format!("The provider answered error={error}"));
        if let Some(description) = &report.input.error_description {
            out.push_str(&format!(": {description}"));
        }
        out.push_str("\n\n");
    }
    if let Some(remark) = &report.remark {
        out.push_str(remark);
        out.push_str("\n\n");
    }
    for (index, explanation) in report.explanations.iter().enumerate() {
        if index > 0 {
            out.push_str("\nAlso possible:\n");
        }
        let provider = explanation.identity_provider.map(|id| format!(" ({id})")).unwrap_or_default();
        out.push_str(&format!("{}{provider}\n", explanation.title));
        out.push_str(&format!("  What it means: {}\n", explanation.meaning));
        out.push_str(&format!("  Likely cause: {}\n", explanation.likely_cause));
        out.push_str("  Fix:\n");
        for (step, line) in explanation.fix.iter().enumerate() {
            out.push_str(&format!("    {}. {line}\n", step + 1));
        }
        if let Some(url) = &explanation.reference_url {
            out.push_str(&format!("  Reference: {url}\n"));
        }
    }
    out
}
