//! The sign-in test: a real authorization-code sign-in with PKCE through the admin's
//! browser and a loopback listener, for a saved connection or for values given directly.
//!
//! The journey settles which values and which secret to test with (a stored secret goes
//! only to the issuer and client ID it was saved for), runs the flow (`oidc::sign_in_flow`), and
//! keeps the report with the saved connection, where the home screen and the vendor's
//! bundle show it.

use super::{boxed, JourneyError, SecretSource, SideEffects};
use crate::catalog::identity_provider::{IdentityProviderId, LoopbackRule};
use crate::catalog::vendor_profile::TokenEndpointAuthMethod;
use crate::catalog::Catalog;
use crate::error::{ErrorReport, UserFacingError};
use crate::oidc::discovery::Check;
use crate::oidc::http_fetch::HttpFetch;
use crate::oidc::issuer::normalise_issuer;
use crate::oidc::loopback::LoopbackPlan;
use crate::oidc::sign_in_flow::{run_sign_in_flow, FlowEvent, FlowReport, SignInFlowRequest};
use std::sync::Mutex;
use std::time::Duration;

/// What to test. Values given here win over the saved connection's; the saved secret is
/// used only when no secret is given.
pub struct SignInTestInput<'a> {
    pub connection: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub client_secret: SecretSource<'a>,
    pub vendor: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
    /// The exact loopback redirect URI registered at the IdP, if one was given.
    pub redirect_uri: Option<&'a str>,
    /// Otherwise, the port to listen on (0 or none: any free port).
    pub port: Option<u16>,
    pub forced_auth_method: Option<TokenEndpointAuthMethod>,
    /// How long to wait for the admin in the browser.
    pub timeout: Duration,
}

/// Progress, in the order it happens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SignInEvent {
    /// Before anything is sent: how the issuer was read, and which redirect URI to register
    /// at this IdP (when the admin gave none).
    Prepared {
        issuer_notes: Vec<String>,
        loopback_rule: Option<LoopbackRule>,
    },
    Check(Check),
    /// The listener is up and the browser was asked to open `authorization_url`.
    WaitingForSignIn {
        authorization_url: String,
        redirect_uri: String,
    },
    /// The browser could not be opened; the admin opens the URL.
    BrowserNotOpened {
        authorization_url: String,
        error: ErrorReport,
    },
    /// The report could not be kept with the saved connection (the test itself is done).
    ReportNotStored {
        error: ErrorReport,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SignInTestError {
    #[error("no client secret was given")]
    NoSecret,
    #[error("the {0} is needed, or a saved connection that has it")]
    Missing(&'static str),
    /// A secret found in the surroundings, and a saved connection with its own.
    #[error("a client secret was found in the environment, and the saved connection has its own")]
    SecretFromTwoPlaces,
    /// The admin stopped the test; the flow was dropped, and its listener with it.
    #[error("the sign-in test was cancelled; the loopback listener is closed")]
    Cancelled,
}

impl UserFacingError for SignInTestError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            SignInTestError::NoSecret => crate::error::ErrorCode::FlowNoSecret,
            SignInTestError::Missing(_) => crate::error::ErrorCode::FlowMissingArgument,
            SignInTestError::Cancelled => crate::error::ErrorCode::SignInCancelled,
            SignInTestError::SecretFromTwoPlaces => crate::error::ErrorCode::FlowSecretFromTwoPlaces,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            SignInTestError::NoSecret => "give the client secret of the IdP app, or test a saved connection".into(),
            SignInTestError::Missing(what) => format!("give the {what} of the IdP app, or test a saved connection"),
            SignInTestError::Cancelled => "start the test again when the IdP app is ready".into(),
            SignInTestError::SecretFromTwoPlaces => {
                "remove the secret from the environment to test with the saved one, or give the secret for this run"
                    .into()
            }
        })
    }
}

/// Runs the sign-in test. Errors are what stops it before the flow starts (an unknown
/// connection, a stored secret bound to other values, a bad redirect URI); a flow that ran
/// and failed is a report with `ok: false`.
pub async fn test_sign_in<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    input: SignInTestInput<'_>,
    progress: &mut (dyn FnMut(SignInEvent) + Send),
) -> Result<FlowReport, JourneyError> {
    let saved = input.connection.map(|name| effects.connections.load(name)).transpose().map_err(boxed)?;
    let issuer_text = input
        .issuer
        .map(str::to_owned)
        .or_else(|| saved.as_ref().map(|connection| connection.issuer.clone()))
        .ok_or(SignInTestError::Missing("issuer"))
        .map_err(boxed)?;
    let client_id = input
        .client_id
        .map(str::to_owned)
        .or_else(|| saved.as_ref().map(|connection| connection.client_id.clone()))
        .ok_or(SignInTestError::Missing("client ID"))
        .map_err(boxed)?;
    let identity_provider = input.identity_provider.or(saved.as_ref().map(|connection| connection.idp));
    // A vendor named for this run must exist; a saved connection whose vendor profile has
    // since been removed is still tested, without the vendor's requirements.
    let profile = match (input.vendor, &saved) {
        (Some(id), _) => Some(&catalog.vendor(id).map_err(boxed)?.profile),
        (None, Some(connection)) => catalog.vendor(&connection.vendor).ok().map(|entry| &entry.profile),
        (None, None) => None,
    };
    let issuer = normalise_issuer(&issuer_text, identity_provider, None).map_err(boxed)?;
    let loopback = match (input.redirect_uri.map(str::trim).filter(|uri| !uri.is_empty()), input.port) {
        (Some(uri), _) => LoopbackPlan::from_redirect_uri(uri).map_err(boxed)?,
        (None, port) => LoopbackPlan::on_port(port.unwrap_or(0)),
    };
    let secret = match (input.client_secret, &saved) {
        (SecretSource::Ambient(_), Some(_)) => return Err(boxed(SignInTestError::SecretFromTwoPlaces)),
        (SecretSource::Given(secret) | SecretSource::Ambient(secret), _) => secret,
        (SecretSource::Ask(ask), _) => ask()?,
        (SecretSource::BlankField | SecretSource::NotGiven, Some(connection)) => {
            // The stored secret goes only where it was saved for: an issuer or client ID
            // given here that names another provider or client must not receive it.
            connection.check_secret_destination(&issuer.issuer, &client_id).map_err(boxed)?;
            connection.stored_secret(effects.secrets.as_ref()).map_err(boxed)?
        }
        (SecretSource::BlankField | SecretSource::NotGiven, None) => return Err(boxed(SignInTestError::NoSecret)),
    };
    let loopback_rule = (input.redirect_uri.is_none() && input.port.is_none())
        .then(|| catalog.loopback_rule(identity_provider.or(issuer.identity_provider)).clone());
    progress(SignInEvent::Prepared { issuer_notes: issuer.notes.clone(), loopback_rule });

    let client_id = openidconnect::ClientId::new(client_id);
    let request = SignInFlowRequest {
        issuer,
        client_id: &client_id,
        client_secret: &secret,
        vendor: profile.map(|profile| &profile.oidc),
        loopback,
        forced_auth_method: input.forced_auth_method,
        timeout: input.timeout,
        now: effects.clock.as_ref(),
    };
    // Both callbacks report progress; the lock lets them share the one sink.
    let progress = Mutex::new(progress);
    let report = run_sign_in_flow(
        http,
        request,
        |url| {
            if let Err(error) = effects.browser.open(url) {
                let mut progress = progress.lock().expect("the progress lock is never poisoned");
                (*progress)(SignInEvent::BrowserNotOpened {
                    authorization_url: url.to_string(),
                    error: error.to_report(),
                });
            }
        },
        |event| {
            let mut progress = progress.lock().expect("the progress lock is never poisoned");
            (*progress)(match event {
                FlowEvent::Check(check) => SignInEvent::Check(check),
                FlowEvent::WaitingForSignIn { authorization_url, redirect_uri } => {
                    SignInEvent::WaitingForSignIn { authorization_url, redirect_uri }
                }
            });
        },
    )
    .await;
    let progress = progress.into_inner().expect("the progress lock is never poisoned");
    if let Some(connection) = &saved {
        let report_value = serde_json::to_value(&report).expect("the report serialises");
        if let Err(error) = effects.connections.record_test_report(&connection.name, report_value) {
            progress(SignInEvent::ReportNotStored { error: error.to_report() });
        }
    }
    Ok(report)
}

/// The check a failed report failed at, for a one-line summary.
pub fn failed_step(report: &FlowReport) -> &str {
    report
        .checks
        .iter()
        .rev()
        .find(|check| check.status == crate::oidc::discovery::CheckStatus::Fail)
        .map_or("an unknown step", |check| check.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::secret::ClientSecret;

    fn input<'a>(connection: Option<&'a str>, client_secret: SecretSource<'a>) -> SignInTestInput<'a> {
        SignInTestInput {
            connection,
            issuer: None,
            client_id: None,
            client_secret,
            vendor: None,
            identity_provider: None,
            redirect_uri: None,
            port: None,
            forced_auth_method: None,
            timeout: Duration::from_secs(1),
        }
    }

    /// Nothing is asked and nothing is sent before the input is known to be good: an unknown
    /// connection is named first, whatever the secret's source.
    #[tokio::test]
    async fn an_unknown_connection_is_named_before_the_secret_is_read_or_refused() {
        let folder = tempfile::tempdir().unwrap();
        let effects = crate::journeys::stand_in_effects(folder.path());
        let catalog = Catalog::built_in().unwrap();
        let http = crate::oidc::http_fetch::HardenedHttpClient::default();
        let mut progress = |_: SignInEvent| panic!("nothing starts");
        for source in [
            SecretSource::Ambient(ClientSecret::new("from-the-environment".into())),
            SecretSource::Ask(Box::new(|| panic!("the secret was asked for before the checks"))),
        ] {
            let error = test_sign_in(&http, &catalog, &effects, input(Some("nothing-here"), source), &mut progress)
                .await
                .unwrap_err();
            assert_eq!(error.code(), "connection-not-found");
        }
    }

    /// A saved connection whose vendor profile was removed since is still tested (without
    /// the vendor's requirements); a vendor named for this run must exist.
    #[tokio::test]
    async fn a_saved_connection_whose_vendor_profile_is_gone_is_still_tested() {
        let folder = tempfile::tempdir().unwrap();
        let connection = serde_json::json!({
            "schema_version": 2, "name": "orphan", "vendor": "removed-vendor", "idp": "generic",
            "region": null, "org": null, "issuer": "http://127.0.0.1:9", "client_id": "client-1",
            "secret_expires": null,
        });
        std::fs::write(folder.path().join("orphan.json"), connection.to_string()).unwrap();
        let effects = crate::journeys::stand_in_effects(folder.path());
        let catalog = Catalog::built_in().unwrap();
        let http = crate::oidc::http_fetch::HardenedHttpClient::default();
        let mut progress = |_: SignInEvent| {};
        let secret = || SecretSource::Given(ClientSecret::new("s3cret".into()));
        // Nothing listens on port 9: the test runs and fails at discovery, as a report.
        let report =
            test_sign_in(&http, &catalog, &effects, input(Some("orphan"), secret()), &mut progress).await.unwrap();
        assert!(!report.ok);
        let mut named = input(Some("orphan"), secret());
        named.vendor = Some("removed-vendor");
        let error = test_sign_in(&http, &catalog, &effects, named, &mut progress).await.unwrap_err();
        assert_eq!(error.code(), "unknown-vendor");
    }
}
