//! The IdP commands: `discover` (and, with it, issuer normalisation) and `explain`.

use crate::Failure;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::discovery::{discover, CheckStatus, DiscoveryReport};
use sso_setup::error::UserFacingError;
use sso_setup::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::issuer::normalise_issuer;

#[derive(Debug, thiserror::Error)]
#[error("the provider is not usable for this setup: {failed}")]
pub struct DiscoveryFailed {
    failed: String,
}

impl UserFacingError for DiscoveryFailed {
    fn code(&self) -> &'static str {
        "discovery-failed"
    }

    fn hint(&self) -> Option<String> {
        Some("fix the failing checks above, then run `sso-setup discover` again".into())
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts")
}

/// An HTTP client being built on a second thread, for a command that reaches an IdP: most of
/// a client's start is reading the operating system's trust store, and this way the command
/// does other work meanwhile.
pub struct HttpClientInBackground(std::thread::JoinHandle<HardenedHttpClient>);

impl HttpClientInBackground {
    pub fn start(limits: FetchLimits) -> HttpClientInBackground {
        HttpClientInBackground(std::thread::spawn(move || HardenedHttpClient::new(limits)))
    }

    pub fn wait(self) -> HardenedHttpClient {
        // The thread only panics where building the client in place would have panicked.
        self.0.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// `discover --timeout SECONDS` bounds the whole fetch, and connecting by at most 10 s.
pub fn discover_limits(timeout_seconds: u64) -> FetchLimits {
    FetchLimits {
        total_timeout: std::time::Duration::from_secs(timeout_seconds.max(1)),
        connect_timeout: std::time::Duration::from_secs(timeout_seconds.clamp(1, 10)),
        ..FetchLimits::default()
    }
}

pub fn run_discover(
    client: HttpClientInBackground,
    catalog: &Catalog,
    issuer_input: &str,
    identity_provider: Option<IdentityProviderId>,
    vendor: Option<&str>,
    pingone_region: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let vendor_profile = vendor.map(|id| catalog.vendor(id)).transpose()?.map(|entry| &entry.profile);
    let normalised = normalise_issuer(issuer_input, identity_provider, pingone_region)?;
    if !json {
        errln!("Fetching {}", normalised.discovery_url);
    }
    let client = client.wait();
    let report = runtime().block_on(discover(&client, normalised, vendor_profile.map(|profile| &profile.oidc)));
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
        out.push_str(&format!("  ({note})\n"));
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
