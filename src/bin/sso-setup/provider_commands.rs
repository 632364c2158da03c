//! `sso-setup discover`: the provider check (`sso_setup::journeys::check_provider`), printed.

use crate::Failure;
use sso_setup::catalog::Catalog;
use sso_setup::error::UserFacingError;
use sso_setup::journeys::check_provider::{check_provider, ProviderCheckEvent, ProviderToCheck};
use sso_setup::journeys::SideEffects;
use sso_setup::oidc::discovery::{CheckStatus, DiscoveryReport};
use sso_setup::oidc::http_fetch::HardenedHttpClient;

#[derive(Debug, thiserror::Error)]
#[error("the provider is not usable for this setup: {failed}")]
pub struct DiscoveryFailed {
    failed: String,
}

impl UserFacingError for DiscoveryFailed {
    fn code(&self) -> sso_setup::error::ErrorCode {
        sso_setup::error::ErrorCode::DiscoveryFailed
    }

    fn hint(&self) -> Option<String> {
        Some("fix the failing checks above, then run `sso-setup discover` again".into())
    }
}

pub fn run_discover(
    http: HardenedHttpClient,
    catalog: &Catalog,
    effects: &SideEffects,
    provider: ProviderToCheck<'_>,
    json: bool,
) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let mut progress = |event: ProviderCheckEvent| {
        if let ProviderCheckEvent::Fetching { discovery_url } = event {
            if !json {
                errln!("Fetching {discovery_url}");
            }
        }
    };
    let report = runtime
        .block_on(check_provider(&http, catalog, effects, provider, &mut progress))
        .map_err(Failure::from_journey)?;
    if json {
        crate::print_json(&report);
    } else {
        out!("{}", render_report(&report));
    }
    if report.ok {
        Ok(())
    } else {
        let failed: Vec<&str> =
            report.checks.iter().filter(|check| check.status == CheckStatus::Fail).map(|check| check.id).collect();
        Err(Failure::CheckFailed(Box::new(DiscoveryFailed { failed: failed.join(", ") })))
    }
}

fn render_report(report: &DiscoveryReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("Issuer: {}\n", report.issuer.issuer));
    for note in &report.issuer.notes {
        out.push_str(&format!("  ({})\n", crate::wording::note(note)));
    }
    for check in &report.checks {
        let status = match check.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "FAIL",
        };
        out.push_str(&format!("{status}  {}: {}\n", check.id, check.detail));
        if check.status != CheckStatus::Pass {
            if let Some(hint) = &check.hint {
                out.push_str(&format!("      hint: {hint}\n"));
            }
        }
    }
    if let Some(method) = report.provider.token_endpoint_auth_method {
        out.push_str(&format!("Token endpoint auth method to use: {}\n", method.as_str()));
    }
    out
}
