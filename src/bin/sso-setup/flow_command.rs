//! `sso-setup test-flow`: the real sign-in through the system browser and a loopback
//! listener, with progress on stderr and the report on stdout.

use crate::connection_commands::{read_secret_line, SECRET_ENVIRONMENT_VARIABLE};
use crate::Failure;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod;
use sso_setup::catalog::Catalog;
use sso_setup::connection::ConnectionFolder;
use sso_setup::discovery::CheckStatus;
use sso_setup::error::UserFacingError;
use sso_setup::flow_test::{run_flow_test, FlowEvent, FlowReport, FlowTestRequest};
use sso_setup::issuer::normalise_issuer;
use sso_setup::keychain::OsKeychain;
use sso_setup::loopback::LoopbackPlan;
use sso_setup::secret::ClientSecret;
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum FlowInputError {
    #[error("no client secret was given")]
    NoSecret,
    #[error("--{0} is needed (or --connection with a saved connection)")]
    Missing(&'static str),
    #[error("the sign-in test failed at {0}")]
    Failed(String),
    #[error("{SECRET_ENVIRONMENT_VARIABLE} is set, and --connection names a saved connection with its own secret")]
    SecretFromTwoPlaces,
}

impl UserFacingError for FlowInputError {
    fn code(&self) -> &'static str {
        match self {
            FlowInputError::NoSecret => "flow-no-secret",
            FlowInputError::Missing(_) => "flow-missing-argument",
            FlowInputError::Failed(_) => "flow-failed",
            FlowInputError::SecretFromTwoPlaces => "flow-secret-from-two-places",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            FlowInputError::NoSecret => format!(
                "pipe it with --client-secret-stdin, set {SECRET_ENVIRONMENT_VARIABLE}, or use --connection with a saved connection"
            ),
            FlowInputError::Missing(_) => "see `sso-setup test-flow --help`".into(),
            FlowInputError::Failed(_) => "the failing check above says what to fix".into(),
            FlowInputError::SecretFromTwoPlaces => format!(
                "unset {SECRET_ENVIRONMENT_VARIABLE} to test with the saved secret, or pipe the secret with --client-secret-stdin to test with that one"
            ),
        })
    }
}

pub struct FlowArguments {
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_stdin: bool,
    pub connection: Option<String>,
    pub vendor: Option<String>,
    pub idp: Option<IdentityProviderId>,
    pub redirect_uri: Option<String>,
    pub port: Option<u16>,
    pub auth_method: Option<TokenEndpointAuthMethod>,
    pub no_browser: bool,
    pub timeout: u64,
    pub json: bool,
}

/// Opens the authorization URL with the core's opener (https or loopback http only).
fn open_in_browser(url: &Url) {
    let program = sso_setup::system_browser::browser_program(std::env::var("BROWSER").ok());
    if let Err(error) = sso_setup::system_browser::open_in_browser(url, &program) {
        errln!("error: {error}");
        if let Some(hint) = error.hint() {
            errln!("hint: {hint}");
        }
        errln!("Open: {url}");
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.as_secs() as i64)
        .unwrap_or(0)
}

pub fn run(
    client: crate::provider_commands::HttpClientInBackground,
    catalog: &Catalog,
    folder: &ConnectionFolder,
    arguments: FlowArguments,
) -> Result<(), Failure> {
    let saved = arguments.connection.as_deref().map(|name| folder.load(name)).transpose()?;
    let issuer_text = arguments
        .issuer
        .clone()
        .or_else(|| saved.as_ref().map(|c| c.issuer.clone()))
        .ok_or(FlowInputError::Missing("issuer"))?;
    let client_id = arguments
        .client_id
        .clone()
        .or_else(|| saved.as_ref().map(|c| c.client_id.clone()))
        .ok_or(FlowInputError::Missing("client-id"))?;
    let vendor_id = arguments.vendor.clone().or_else(|| saved.as_ref().map(|c| c.vendor.clone()));
    let idp = arguments.idp.or(saved.as_ref().map(|c| c.idp));
    let profile = vendor_id.as_deref().map(|id| catalog.vendor(id)).transpose()?.map(|entry| &entry.profile);
    let issuer = normalise_issuer(&issuer_text, idp, None)?;
    let loopback = match (&arguments.redirect_uri, arguments.port) {
        (Some(uri), _) => LoopbackPlan::from_redirect_uri(uri)?,
        (None, port) => LoopbackPlan::on_port(port.unwrap_or(0)),
    };
    let secret_from_environment = std::env::var_os(SECRET_ENVIRONMENT_VARIABLE).is_some();
    let secret = if arguments.client_secret_stdin {
        read_secret_line()?
    } else if secret_from_environment && saved.is_some() {
        // Which secret would be sent is not obvious here: refuse rather than let a variable
        // left in the shell silently replace the saved connection's secret.
        return Err(FlowInputError::SecretFromTwoPlaces.into());
    } else if let Ok(value) = std::env::var(SECRET_ENVIRONMENT_VARIABLE) {
        ClientSecret::from_line(Zeroizing::new(value))
    } else if let Some(connection) = &saved {
        // The stored secret goes only where it was saved for: --issuer or --client-id
        // naming another provider or client must not receive it.
        connection.check_secret_destination(&issuer.issuer, &client_id)?;
        connection.stored_secret(&OsKeychain).map_err(|error| match error {
            sso_setup::connection::ConnectionError::Keychain(_) => Failure::CheckFailed(Box::new(error)),
            other => Failure::from(other),
        })?
    } else {
        return Err(FlowInputError::NoSecret.into());
    };
    if !arguments.json {
        for note in &issuer.notes {
            errln!("note: issuer: {note}");
        }
        if arguments.redirect_uri.is_none() && arguments.port.is_none() {
            errln!("note: {}", sso_setup::loopback::registration_advice(idp.or(issuer.identity_provider)));
        }
    }
    let client = client.wait();
    let request = FlowTestRequest {
        issuer,
        client_id: &client_id,
        client_secret: &secret,
        vendor: profile.map(|profile| &profile.oidc),
        loopback,
        forced_auth_method: arguments.auth_method,
        timeout: Duration::from_secs(arguments.timeout.max(1)),
        now,
    };
    let no_browser = arguments.no_browser;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let report = runtime.block_on(run_flow_test(
        &client,
        request,
        |url| {
            if no_browser {
                errln!("Open: {url}");
            } else {
                open_in_browser(url);
            }
        },
        |event| match event {
            FlowEvent::Check(check) => {
                let status = match check.status {
                    CheckStatus::Pass => "pass",
                    CheckStatus::Warn => "warn",
                    CheckStatus::Fail => "FAIL",
                };
                errln!("{status}  {}: {}", check.id, check.detail);
            }
            FlowEvent::WaitingForSignIn { redirect_uri, .. } => {
                errln!("Listening on {redirect_uri}; this exact URI must be registered at the IdP for this test.");
                errln!("Waiting for the sign-in in the browser...");
            }
        },
    ));
    // The report goes with the saved connection: the home screen and the vendor's bundle show it.
    if let Some(connection) = &saved {
        let report_value = serde_json::to_value(&report).expect("the report serialises");
        if let Err(error) = folder.record_test_report(&connection.name, report_value) {
            errln!("warning: the test report could not be stored with the connection: {error}");
        }
    }
    if arguments.json {
        crate::print_json(&report);
    } else {
        out!("{}", render(&report));
    }
    if report.ok {
        Ok(())
    } else {
        let failed = report
            .checks
            .iter()
            .rev()
            .find(|check| check.status == CheckStatus::Fail)
            .map_or("an unknown step".to_owned(), |check| check.id.to_owned());
        if let Some(error) = &report.error {
            errln!("error: {}", error.message);
            if let Some(hint) = &error.hint {
                errln!("hint: {hint}");
            }
        }
        Err(Failure::CheckFailed(Box::new(FlowInputError::Failed(failed))))
    }
}

fn render(report: &FlowReport) -> String {
    let mut out = String::new();
    out.push_str(if report.ok { "The sign-in test passed.\n" } else { "The sign-in test failed.\n" });
    if let Some(method) = &report.token_endpoint_auth_method {
        out.push_str(&format!("Token endpoint auth method: {method}\n"));
    }
    if let Some(claims) = &report.id_token_claims {
        out.push_str("ID token claims:\n");
        for (name, value) in claims {
            // Both come from the provider: one line each, whatever they hold.
            let name = sso_setup::terminal_text::escape_for_terminal(name);
            let value = sso_setup::terminal_text::escape_for_terminal(&value.to_string()).into_owned();
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    if !report.missing_claims.is_empty() {
        out.push_str(&format!("Missing for the vendor: {}\n", report.missing_claims.join(", ")));
    }
    if let Some(redirect) = &report.redirect_uri {
        out.push_str(&format!(
            "Remember: if you added {redirect} to the IdP app only for this test, remove it again.\n"
        ));
    }
    out
}
