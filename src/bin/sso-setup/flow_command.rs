//! `sso-setup test-flow`: the real sign-in through the system browser and a loopback
//! listener, with progress on stderr and the report on stdout. The journey is the core's
//! (`sso_setup::journeys::sign_in_test`); this file reads the arguments and prints.

use crate::connection_commands::SECRET_ENVIRONMENT_VARIABLE;
use crate::Failure;
use sso_setup::catalog::identity_provider::{IdentityProviderId, LoopbackRule};
use sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod;
use sso_setup::catalog::Catalog;
use sso_setup::error::{ErrorCode, UserFacingError};
use sso_setup::journeys::provision::{test_sign_in_with_temporary_redirect, AdminAccess, TemporaryRedirect};
use sso_setup::journeys::sign_in_test::{failed_step, test_sign_in, SignInEvent, SignInTestInput};
use sso_setup::journeys::SideEffects;
use sso_setup::oidc::discovery::CheckStatus;
use sso_setup::oidc::http_fetch::HardenedHttpClient;
use sso_setup::oidc::sign_in_flow::FlowReport;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum FlowInputError {
    #[error("the sign-in test failed at {0}")]
    Failed(String),
    #[error("the temporary redirect URI {uri} is still registered at the IdP: {left_behind}")]
    TemporaryUriLeftBehind { uri: String, left_behind: String },
}

impl UserFacingError for FlowInputError {
    fn code(&self) -> ErrorCode {
        match self {
            FlowInputError::Failed(_) => ErrorCode::FlowFailed,
            FlowInputError::TemporaryUriLeftBehind { .. } => ErrorCode::FlowTemporaryUriLeftBehind,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            FlowInputError::Failed(_) => "the failing check above says what to fix".into(),
            FlowInputError::TemporaryUriLeftBehind { .. } => {
                "remove it as said; `sso-setup provision <connection>` also removes it".into()
            }
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
    pub register_loopback: bool,
    /// The admin's credential, for an Entra ID or Okta app with --register-loopback.
    pub admin: crate::provision_command::AdminCredential,
    pub timeout: u64,
    pub json: bool,
}

/// The command line's words for the journey's errors that name what to type.
fn with_command_line_hint(error: sso_setup::journeys::JourneyError) -> Failure {
    match error.code() {
        ErrorCode::FlowNoSecret => crate::Failure::with_hint(
            error,
            format!("pipe it with --client-secret-stdin, set {SECRET_ENVIRONMENT_VARIABLE}, or use --connection with a saved connection"),
        ),
        ErrorCode::FlowMissingArgument => crate::Failure::with_hint(error, "see `sso-setup test-flow --help`".into()),
        _ => Failure::from_journey(error),
    }
}

pub fn run(
    http: HardenedHttpClient,
    catalog: &Catalog,
    effects: &SideEffects,
    arguments: FlowArguments,
) -> Result<(), Failure> {
    let client_secret = crate::connection_commands::secret_source(arguments.client_secret_stdin);
    let input = SignInTestInput {
        connection: arguments.connection.as_deref(),
        issuer: arguments.issuer.as_deref(),
        client_id: arguments.client_id.as_deref(),
        client_secret,
        vendor: arguments.vendor.as_deref(),
        identity_provider: arguments.idp,
        redirect_uri: arguments.redirect_uri.as_deref(),
        port: arguments.port,
        forced_auth_method: arguments.auth_method,
        timeout: Duration::from_secs(arguments.timeout.max(1)),
    };
    let json = arguments.json;
    let mut progress = |event: SignInEvent| match event {
        SignInEvent::Prepared { issuer_notes, loopback_rule } => {
            if !json {
                for note in &issuer_notes {
                    errln!("note: issuer: {}", crate::wording::note(note));
                }
                if let Some(rule) = loopback_rule {
                    errln!("note: {}", registration_advice(&rule));
                }
            }
        }
        SignInEvent::Check(check) => {
            let status = match check.status {
                CheckStatus::Pass => "pass",
                CheckStatus::Warn => "warn",
                CheckStatus::Fail => "FAIL",
            };
            errln!("{status}  {}: {}", check.id, check.detail);
        }
        SignInEvent::WaitingForSignIn { redirect_uri, .. } => {
            errln!("Listening on {redirect_uri}; this exact URI must be registered at the IdP for this test.");
            errln!("Waiting for the sign-in in the browser...");
        }
        SignInEvent::BrowserNotOpened { authorization_url, error } => {
            // --no-browser asked for exactly this: the URL, and nothing else.
            if error.code != ErrorCode::BrowserNotAsked {
                errln!("error: {}", error.message);
                if let Some(hint) = &error.hint {
                    errln!("hint: {hint}");
                }
            }
            errln!("Open: {authorization_url}");
        }
        SignInEvent::ReportNotStored { error } => {
            errln!("warning: the test report could not be stored with the connection: {}", error.message);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let (report, temporary) = if arguments.register_loopback {
        // Ctrl-C ends the test, and the temporary URI is removed before the process exits.
        let cancel = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let token = crate::provision_command::admin_credential(
            &http,
            effects,
            &runtime,
            arguments.admin,
            crate::provision_command::SignInFor {
                connection: arguments.connection.as_deref().unwrap_or_default(),
                identity_provider: None,
                issuer: None,
            },
        )?;
        let api_url = crate::provision_command::admin_api_url();
        let keep = token.keep;
        let admin = AdminAccess { token: token.source, api_url: api_url.as_deref() };
        let (result, temporary) = runtime
            .block_on(test_sign_in_with_temporary_redirect(
                &http,
                catalog,
                effects,
                input,
                admin,
                cancel,
                &mut progress,
            ))
            .map_err(with_command_line_hint)?;
        report_temporary(&temporary);
        if temporary.removed {
            // The IdP took the token twice (added and removed the URI): keep it when asked.
            let name = arguments.connection.as_deref().unwrap_or_default();
            crate::provision_command::keep_after_success(keep, effects, name)?;
        }
        match result {
            Ok(report) => (report, Some(temporary)),
            Err(error) => {
                if let Some(failure) = left_behind(&temporary) {
                    crate::report_failure_only(failure);
                }
                return Err(with_command_line_hint(error));
            }
        }
    } else {
        let report = runtime
            .block_on(test_sign_in(&http, catalog, effects, input, &mut progress))
            .map_err(with_command_line_hint)?;
        (report, None)
    };
    if arguments.json {
        let mut value = serde_json::to_value(&report).expect("the report serialises");
        if let Some(temporary) = &temporary {
            value["temporary_redirect_uri"] = serde_json::to_value(temporary).expect("it serialises");
        }
        crate::print_json(&value);
    } else {
        out!("{}", render(&report, temporary.is_some()));
    }
    if let Some(failure) = temporary.as_ref().and_then(left_behind) {
        return Err(failure);
    }
    if report.ok {
        Ok(())
    } else {
        if let Some(error) = &report.error {
            errln!("error: {}", crate::wording::message(error.code, &error.message));
            if let Some(hint) = crate::wording::hint(error.code, error.hint.as_deref()) {
                errln!("hint: {hint}");
            }
        }
        Err(Failure::CheckFailed(Box::new(FlowInputError::Failed(failed_step(&report).to_owned()))))
    }
}

/// The IdP's loopback rule, and the flag that makes this test listen on the URI it needs.
fn registration_advice(rule: &LoopbackRule) -> String {
    match (rule.register.as_deref(), rule.listen_on_register) {
        (Some(uri), true) => match uri.strip_prefix("http://127.0.0.1:").and_then(|rest| rest.strip_suffix("/callback")) {
            Some(port) => format!("{} Then run with --port {port}.", rule.explanation),
            None => format!("{} Then run with --redirect-uri {uri}.", rule.explanation),
        },
        (Some(_), false) => format!("{} Then run as is.", rule.explanation),
        (None, _) => "Register the loopback URI this test prints (or a fixed one, with --port or --redirect-uri) at the IdP before you sign in.".into(),
    }
}

fn report_temporary(temporary: &TemporaryRedirect) {
    if temporary.removed {
        errln!("Removed the temporary redirect URI {} from the app again.", temporary.uri);
    }
}

fn left_behind(temporary: &TemporaryRedirect) -> Option<Failure> {
    temporary.left_behind.as_ref().filter(|_| !temporary.removed).map(|left| {
        Failure::CheckFailed(Box::new(FlowInputError::TemporaryUriLeftBehind {
            uri: temporary.uri.clone(),
            left_behind: left.clone(),
        }))
    })
}

fn render(report: &FlowReport, temporary_uri_handled: bool) -> String {
    let mut out = String::new();
    out.push_str(if report.ok { "The sign-in test passed.\n" } else { "The sign-in test failed.\n" });
    if let Some(method) = &report.token_endpoint_auth_method {
        out.push_str(&format!("Token endpoint auth method: {method}\n"));
    }
    if let Some(claims) = &report.id_token_claims {
        out.push_str("ID token claims:\n");
        for (name, value) in claims {
            // Both come from the provider: one line each, whatever they hold.
            let name = sso_setup::platform::terminal_text::escape_for_terminal(name);
            let value = sso_setup::platform::terminal_text::escape_for_terminal(&value.to_string()).into_owned();
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    if !report.missing_claims.is_empty() {
        out.push_str(&format!("Missing for the vendor: {}\n", report.missing_claims.join(", ")));
    }
    if let Some(redirect) = report.redirect_uri.as_ref().filter(|_| !temporary_uri_handled) {
        out.push_str(&format!(
            "Remember: if you added {redirect} to the IdP app only for this test, remove it again.\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_advice_names_the_flag_that_makes_the_test_listen_on_the_registered_uri() {
        use sso_setup::catalog::identity_provider::IdentityProviderId as Idp;
        let catalog = Catalog::built_in().unwrap();
        let advice = |idp| registration_advice(catalog.loopback_rule(Some(idp)));
        assert!(advice(Idp::Okta).ends_with("Then run with --port 8400."));
        assert!(advice(Idp::Entra).ends_with("Then run with --redirect-uri http://localhost/callback."));
        assert!(advice(Idp::Keycloak).ends_with("Then run as is."));
        let entra = catalog.loopback_rule(Some(Idp::Entra));
        assert_eq!((entra.register.as_deref(), entra.listen_on_register), (Some("http://localhost/callback"), true));
        assert_eq!(catalog.loopback_rule(None).register, None);
    }
}
