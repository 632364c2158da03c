//! `sso-setup provision` (apply, `--dry-run`, `--check`), `sso-setup deprovision` and
//! `sso-setup connection rotate-secret`: the journeys are the core's
//! (`sso_setup::journeys::provision`, `sso_setup::journeys::rotate_secret`); this file reads the arguments,
//! asks for confirmation, and prints. No credential is ever printed: a plan names the
//! credential a request carries and shows it as `[redacted]`.

use crate::Failure;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::error::{ErrorCode, UserFacingError};
use sso_setup::journeys::admin_sign_in::{AdminSignInMethod, AdminSignInPrompt};
use sso_setup::journeys::provision::{
    deprovision, provision, ProvisionEvent, ProvisionInput, ProvisionMode, ProvisionOutcome,
};
use sso_setup::journeys::{SecretSource, SideEffects};
use sso_setup::oidc::http_fetch::HardenedHttpClient;
use sso_setup::platform::terminal_text::escape_for_terminal;
use sso_setup::provisioning::plan::PlannedRequest;
use zeroize::Zeroizing;

/// The admin credential's variable, for scripts (never an argument).
pub const ADMIN_TOKEN_ENVIRONMENT_VARIABLE: &str = "SSO_SETUP_ADMIN_TOKEN";

pub struct ProvisionArguments {
    pub connection: String,
    pub vendor: Option<String>,
    pub idp: Option<IdentityProviderId>,
    pub region: Option<String>,
    pub org: Option<String>,
    pub issuer: Option<String>,
    pub admin: AdminCredential,
    pub assign_group: Option<String>,
    pub secret_expires_in_days: Option<u32>,
    pub redirect_uris: Vec<String>,
    pub sign_out_uris: Vec<String>,
    pub mode: ProvisionMode,
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionCommandError {
    #[error("the app at the IdP differs from what the vendor needs in {0} way(s)")]
    Drifted(usize),
    #[error("deprovision deletes the app at the IdP and was not confirmed")]
    NotConfirmed,
    #[error("the connection's checks failed with the new secret")]
    NewSecretRefused,
}

impl UserFacingError for ProvisionCommandError {
    fn code(&self) -> ErrorCode {
        match self {
            ProvisionCommandError::Drifted(_) => ErrorCode::ProvisionDrifted,
            ProvisionCommandError::NotConfirmed => ErrorCode::ProvisionNotConfirmed,
            ProvisionCommandError::NewSecretRefused => ErrorCode::HealthCheckFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ProvisionCommandError::Drifted(_) => {
                "run `sso-setup provision <connection>` to put the app back as the vendor needs it".into()
            }
            ProvisionCommandError::NotConfirmed => "answer y, or run with --yes in a script".into(),
            ProvisionCommandError::NewSecretRefused => {
                "each failed check above says what to fix; the old secret is still valid, so nothing is broken yet"
                    .into()
            }
        })
    }

    fn failure_kind(&self) -> sso_setup::error::FailureKind {
        match self {
            ProvisionCommandError::Drifted(_) => sso_setup::error::FailureKind::CheckFailed,
            ProvisionCommandError::NotConfirmed => sso_setup::error::FailureKind::BadInput,
            ProvisionCommandError::NewSecretRefused => sso_setup::error::FailureKind::CheckFailed,
        }
    }
}

/// Another address for the IdP's admin API, for tests against a stand-in: the core accepts
/// only a loopback one.
pub const ADMIN_API_URL_ENVIRONMENT_VARIABLE: &str = "SSO_SETUP_ADMIN_API_URL";

pub fn admin_api_url() -> Option<String> {
    std::env::var(ADMIN_API_URL_ENVIRONMENT_VARIABLE).ok().filter(|value| !value.is_empty())
}

/// The admin credential: asked on standard input, or from `SSO_SETUP_ADMIN_TOKEN`, or none.
fn admin_token_source<'a>(stdin: bool) -> SecretSource<'a> {
    if stdin {
        SecretSource::Ask(Box::new(|| {
            crate::connection_commands::read_stdin_line_for_journey("Admin token").map(ClientSecret::from_line)
        }))
    } else if let Ok(value) = std::env::var(ADMIN_TOKEN_ENVIRONMENT_VARIABLE) {
        SecretSource::Given(ClientSecret::from_line(Zeroizing::new(value)))
    } else {
        SecretSource::NotGiven
    }
}

/// How the admin's credential is given on the command line.
pub struct AdminCredential {
    pub stdin: bool,
    /// `--admin-sign-in <public client ID>`.
    pub sign_in: Option<String>,
    /// `--admin-sign-in-with`, `--admin-sign-in-port`.
    pub method: AdminSignInMethod,
    /// `--keep-admin-token`.
    pub keep: bool,
}

impl AdminCredential {
    pub fn new(stdin: bool, sign_in: Option<String>, how: crate::arguments::AdminSignInHow) -> AdminCredential {
        let method = match how.admin_sign_in_with {
            crate::arguments::SignInWith::DeviceCode => AdminSignInMethod::DeviceCode,
            crate::arguments::SignInWith::Browser => AdminSignInMethod::Browser { port: how.admin_sign_in_port },
        };
        AdminCredential { stdin, sign_in, method, keep: false }
    }

    /// With `--keep-admin-token` (provision, rotate-secret, test-flow).
    pub fn kept(self, keep: bool) -> AdminCredential {
        AdminCredential { keep, ..self }
    }
}

/// The admin's token for a run, and with `--keep-admin-token` the same token, read before the
/// run, to keep in the keychain once the run has succeeded with it.
pub struct AdminToken<'a> {
    pub source: SecretSource<'a>,
    pub keep: Option<ClientSecret>,
}

/// After the run succeeded: keeps the token when the admin asked for it.
pub fn keep_after_success(keep: Option<ClientSecret>, effects: &SideEffects, connection: &str) -> Result<(), Failure> {
    let Some(token) = keep else { return Ok(()) };
    if sso_setup::journeys::admin_sign_in::keep_admin_token(effects, connection, &token)
        .map_err(Failure::from_journey)?
    {
        errln!(
            "Kept the admin token in the OS keychain for {connection}; `sso-setup connection forget-admin-token {connection}` removes it."
        );
    } else {
        errln!("note: the admin token was not kept: standard registration changes the app with its registration access token, which is in the keychain already");
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum AdminTokenError {
    #[error("--keep-admin-token needs a token to keep, and none was given")]
    NothingToKeep,
}

impl UserFacingError for AdminTokenError {
    fn code(&self) -> sso_setup::error::ErrorCode {
        sso_setup::error::ErrorCode::ProvisionAdminTokenNeeded
    }

    fn hint(&self) -> Option<String> {
        Some(format!(
            "give it with --admin-token-stdin, {ADMIN_TOKEN_ENVIRONMENT_VARIABLE} or --admin-sign-in, together with --keep-admin-token"
        ))
    }

    fn failure_kind(&self) -> sso_setup::error::FailureKind {
        sso_setup::error::FailureKind::BadInput
    }
}

/// The token to run with, and with `keep` a copy read now to keep after the run.
fn with_copy_to_keep(source: SecretSource<'_>, keep: bool) -> Result<AdminToken<'_>, Failure> {
    if !keep {
        return Ok(AdminToken { source, keep: None });
    }
    let token = match source {
        SecretSource::Given(token) | SecretSource::Ambient(token) => token,
        SecretSource::Ask(ask) => ask().map_err(Failure::from_journey)?,
        SecretSource::NotGiven | SecretSource::BlankField => {
            return Err(Failure::from(AdminTokenError::NothingToKeep));
        }
    };
    let copy = ClientSecret::new(token.expose().to_owned());
    Ok(AdminToken { source: SecretSource::Given(copy), keep: Some(token) })
}

/// The connection the admin signs in for: a saved one, or a new one's IdP and issuer.
pub struct SignInFor<'a> {
    pub connection: &'a str,
    pub identity_provider: Option<IdentityProviderId>,
    pub issuer: Option<&'a str>,
}

/// The admin credential: a device-code sign-in when asked for (run before the journey: its
/// token is what the journey then uses), otherwise stdin, the environment, or none.
pub fn admin_credential<'a>(
    http: &HardenedHttpClient,
    effects: &SideEffects,
    runtime: &tokio::runtime::Runtime,
    credential: AdminCredential,
    sign_in_for: SignInFor<'_>,
) -> Result<AdminToken<'a>, Failure> {
    let keep = credential.keep;
    let Some(client_id) = credential.sign_in else {
        return with_copy_to_keep(admin_token_source(credential.stdin), keep);
    };
    let input = sso_setup::journeys::admin_sign_in::AdminSignInInput {
        connection: sign_in_for.connection,
        identity_provider: sign_in_for.identity_provider,
        issuer: sign_in_for.issuer,
        client_id: &client_id,
        method: credential.method,
    };
    let show = |prompt: AdminSignInPrompt<'_>| match prompt {
        AdminSignInPrompt::DeviceCode(code) => {
            errln!(
                "To sign in as an IdP admin, open {} and enter the code {} (it expires in {} minutes).",
                escape_for_terminal(&code.verification_uri),
                escape_for_terminal(&code.user_code),
                code.expires_in_seconds / 60
            );
            if let Some(complete) = &code.verification_uri_complete {
                errln!("Open: {}", escape_for_terminal(complete));
            }
        }
        AdminSignInPrompt::BrowserOpened(_) => errln!("Sign in as an IdP admin in the browser that opened."),
        AdminSignInPrompt::OpenThis { url, reason } => {
            errln!("The browser did not open ({}); to sign in as an IdP admin, open:", escape_for_terminal(&reason));
            errln!("Open: {}", escape_for_terminal(url.as_str()));
        }
    };
    let token = runtime
        .block_on(sso_setup::journeys::admin_sign_in::sign_in_admin(http, effects, input, show))
        .map_err(Failure::from_journey)?;
    with_copy_to_keep(SecretSource::Given(token), keep)
}

fn show_request(request: &PlannedRequest) -> String {
    let mut out = format!("{} {}\n", request.method.as_str(), escape_for_terminal(&request.url));
    if let Some(credential) = request.credential {
        out.push_str(&format!("  Authorization: [redacted] ({credential})\n"));
    }
    if let Some(body) = &request.body {
        let pretty = serde_json::to_string_pretty(body).expect("a plan serialises");
        for line in pretty.lines() {
            out.push_str(&format!("  {}\n", escape_for_terminal(line)));
        }
    }
    out.push_str(&format!("  ({})\n", request.purpose));
    out
}

pub fn run_provision(
    http: HardenedHttpClient,
    catalog: &Catalog,
    effects: &SideEffects,
    arguments: ProvisionArguments,
) -> Result<(), Failure> {
    let replacement_url = admin_api_url();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let admin_token = if arguments.mode == ProvisionMode::DryRun && arguments.admin.sign_in.is_none() {
        // A dry run keeps nothing.
        AdminToken { source: admin_token_source(arguments.admin.stdin), keep: None }
    } else {
        let sign_in_for = SignInFor {
            connection: &arguments.connection,
            identity_provider: arguments.idp,
            issuer: arguments.issuer.as_deref(),
        };
        admin_credential(&http, effects, &runtime, arguments.admin, sign_in_for)?
    };
    let input = ProvisionInput {
        connection: &arguments.connection,
        vendor: arguments.vendor.as_deref(),
        identity_provider: arguments.idp,
        region: arguments.region.as_deref(),
        org: arguments.org.as_deref(),
        issuer: arguments.issuer.as_deref(),
        redirect_uris: &arguments.redirect_uris,
        sign_out_uris: &arguments.sign_out_uris,
        assign_group: arguments.assign_group.as_deref(),
        secret_expires_in_days: arguments.secret_expires_in_days,
        admin_token: admin_token.source,
        admin_api_url: replacement_url.as_deref(),
        mode: arguments.mode,
    };
    // A dry run changes nothing, and keeps nothing either.
    let keep = admin_token.keep.filter(|_| arguments.mode != ProvisionMode::DryRun);
    let json = arguments.json;
    let mut progress = |event: ProvisionEvent| {
        if let ProvisionEvent::Sending { request } = event {
            if !json {
                errln!("sending: {} {}", request.method.as_str(), escape_for_terminal(&request.url));
            }
        }
    };
    let connection = arguments.connection.clone();
    let outcome = match runtime.block_on(provision(&http, catalog, effects, input, &mut progress)) {
        Ok(outcome) => outcome,
        Err(error) => {
            // `--json` callers read one document whatever happens; the error lines go to stderr too.
            if json {
                crate::print_json(&serde_json::json!({
                    "ok": false, "connection": connection, "error": error.to_report(),
                }));
            }
            return Err(with_command_line_hint(error));
        }
    };
    if json {
        crate::print_json(&outcome_json(&outcome));
    } else {
        out!("{}", render(&outcome));
    }
    // The token did its work (a drift check read the app with it): keep it when asked.
    keep_after_success(keep, effects, &connection)?;
    if outcome.mode == ProvisionMode::Check && !outcome.plan.differences.is_empty() {
        return Err(Failure::CheckFailed(Box::new(ProvisionCommandError::Drifted(outcome.plan.differences.len()))));
    }
    Ok(())
}

/// The command line's words for the journey's errors that name what to type.
fn with_command_line_hint(error: sso_setup::journeys::JourneyError) -> Failure {
    match error.code() {
        ErrorCode::ProvisionMissingArgument => {
            Failure::with_hint(error, "new connections need --vendor, --idp, --issuer and the vendor's --org".into())
        }
        ErrorCode::ProvisionVendorUrisNeeded => {
            Failure::with_hint(error, "give each URI the vendor sent with --redirect-uri and --sign-out-uri".into())
        }
        ErrorCode::ProvisionNotSupported | ErrorCode::ProvisionNoRegistrationEndpoint => Failure::with_hint(
            error,
            "create the app by hand: `sso-setup guide --vendor <vendor> --idp <idp> --org <org>` gives every value".into(),
        ),
        ErrorCode::ProvisionAdminTokenNeeded => Failure::with_hint(
            error,
            format!("pipe the admin token with --admin-token-stdin or set {ADMIN_TOKEN_ENVIRONMENT_VARIABLE}; for Entra ID, for example: az account get-access-token --resource-type ms-graph --query accessToken -o tsv | sso-setup provision ... --admin-token-stdin"),
        ),
        ErrorCode::AdminApiTokenRefused => Failure::with_hint(
            error,
            format!("get a new token (for Entra ID: az account get-access-token --resource-type ms-graph --query accessToken -o tsv) and pipe it with --admin-token-stdin or set {ADMIN_TOKEN_ENVIRONMENT_VARIABLE}; a token kept in the keychain is replaced by adding --keep-admin-token, or removed with `sso-setup connection forget-admin-token <connection>`"),
        ),
        ErrorCode::RegistrationAdminTokenRefused => Failure::with_hint(
            error,
            format!("pipe a valid initial access token with --admin-token-stdin or set {ADMIN_TOKEN_ENVIRONMENT_VARIABLE}; nothing was created"),
        ),
        _ => Failure::from_journey(error),
    }
}

fn render(outcome: &ProvisionOutcome) -> String {
    let mut out = String::new();
    let requests = &outcome.plan.requests;
    match outcome.mode {
        ProvisionMode::DryRun => {
            if requests.is_empty() {
                out.push_str("No change: the app at the IdP is what the vendor needs. Nothing would be sent.\n");
            } else {
                out.push_str("The plan (nothing was sent):\n");
                for difference in &outcome.plan.differences {
                    out.push_str(&format!("  differs: {} {}\n", difference.field, difference.detail));
                }
                for request in requests {
                    out.push_str(&show_request(request));
                }
            }
        }
        ProvisionMode::Check => {
            if outcome.plan.differences.is_empty() {
                out.push_str("pass  the app at the IdP is what the vendor needs\n");
            }
            for difference in &outcome.plan.differences {
                out.push_str(&format!("FAIL  {}: {}\n", difference.field, difference.detail));
            }
        }
        ProvisionMode::Apply => {
            let client =
                outcome.client_id.as_deref().map(|id| escape_for_terminal(id).into_owned()).unwrap_or_default();
            out.push_str(&match (outcome.changed, &outcome.plan.current) {
                (false, _) => format!("No change: the app {client} at the IdP is what the vendor needs.\n"),
                (true, sso_setup::provisioning::plan::CurrentApp::None) => format!(
                    "Created the app {client} at {}; its client secret is in the OS keychain and was never shown.\n",
                    outcome.issuer
                ),
                (true, _) => format!("Updated the app {client} to what the vendor needs.\n"),
            });
            for uri in &outcome.desired.redirect_uris {
                out.push_str(&format!("  redirect URI: {uri}\n"));
            }
            for uri in &outcome.desired.post_logout_redirect_uris {
                out.push_str(&format!("  sign-out URI: {uri}\n"));
            }
            out.push_str("Send the vendor:\n");
            for (name, value) in &outcome.send_to_vendor {
                let value = value.as_str().map(|text| escape_for_terminal(text).into_owned()).unwrap_or_default();
                out.push_str(&format!("  {name}: {value}\n"));
            }
            // The temporary loopback URI is added with the app's own registration access
            // token; Graph and Okta apps are changed only with the admin's token.
            let through_admin_api = matches!(outcome.idp, IdentityProviderId::Entra | IdentityProviderId::Okta);
            out.push_str(&if through_admin_api {
                format!(
                    "Next: `sso-setup test-flow --connection {0} --register-loopback --admin-token-stdin`, then `sso-setup export {0} ...`.\n",
                    outcome.connection
                )
            } else {
                format!(
                    "Next: `sso-setup test-flow --connection {0} --register-loopback`, then `sso-setup export {0} ...`.\n",
                    outcome.connection
                )
            });
        }
    }
    for note in &outcome.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// The contract's JSON (docs/command-line.md), plus the plan for a dry run or a check.
fn outcome_json(outcome: &ProvisionOutcome) -> serde_json::Value {
    serde_json::json!({
        "ok": outcome.mode != ProvisionMode::Check || outcome.plan.differences.is_empty(),
        "mode": outcome.mode,
        "connection": outcome.connection,
        "idp": outcome.idp.as_str(),
        "issuer": outcome.issuer,
        "client_id": outcome.client_id,
        "registration_client_uri": outcome.registration_client_uri,
        "redirect_uris": outcome.desired.redirect_uris,
        "post_logout_redirect_uris": outcome.desired.post_logout_redirect_uris,
        "token_endpoint_auth_method": outcome.desired.token_endpoint_auth_method.as_str(),
        "secret_expires": outcome.secret_expires.map(|date| date.to_string()),
        "send_to_vendor": outcome.send_to_vendor,
        "changed": outcome.changed,
        "plan": outcome.plan,
        "notes": outcome.notes,
        "error": serde_json::Value::Null,
    })
}

pub fn run_deprovision(
    http: HardenedHttpClient,
    effects: &SideEffects,
    connection: &str,
    credential: AdminCredential,
    yes: bool,
) -> Result<(), Failure> {
    if !yes && credential.stdin {
        // Standard input carries the token, so it cannot carry the answer too.
        return Err(Failure::with_hint(
            Box::new(ProvisionCommandError::NotConfirmed),
            "with --admin-token-stdin, confirm with --yes".into(),
        ));
    }
    if !yes {
        let saved = effects.connections.load(connection).map_err(Failure::from)?;
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err(Failure::from(ProvisionCommandError::NotConfirmed));
        }
        errln!(
            "Delete the app {} at {} and the connection {connection}? [y/N]",
            escape_for_terminal(&saved.client_id),
            escape_for_terminal(&saved.issuer)
        );
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Err(Failure::from(ProvisionCommandError::NotConfirmed));
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let replacement_url = admin_api_url();
    let admin_token = admin_credential(
        &http,
        effects,
        &runtime,
        credential,
        SignInFor { connection, identity_provider: None, issuer: None },
    )?;
    let outcome = runtime
        .block_on(deprovision(&http, effects, connection, admin_token.source, replacement_url.as_deref()))
        .map_err(with_command_line_hint)?;
    if outcome.deleted_at_idp {
        out!("Deleted the app at the IdP, the connection {connection} and its keychain entries.\n");
    } else {
        out!("The IdP no longer knew the app; deleted the connection {connection} and its keychain entries.\n");
    }
    Ok(())
}

pub struct RotateArguments {
    pub name: String,
    pub admin: AdminCredential,
    pub expires_in_days: Option<u32>,
    pub finish: bool,
    pub json: bool,
}

pub fn run_rotate_secret(
    http: HardenedHttpClient,
    catalog: &Catalog,
    effects: &SideEffects,
    arguments: RotateArguments,
) -> Result<(), Failure> {
    use sso_setup::journeys::rotate_secret::{rotate_secret, RotateSecretInput, RotationStage};
    let replacement_url = admin_api_url();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let admin_token = admin_credential(
        &http,
        effects,
        &runtime,
        arguments.admin,
        SignInFor { connection: &arguments.name, identity_provider: None, issuer: None },
    )?;
    let AdminToken { source: admin_token, keep } = admin_token;
    let input = RotateSecretInput {
        connection: &arguments.name,
        admin_token,
        admin_api_url: replacement_url.as_deref(),
        expires_in_days: arguments.expires_in_days,
        finish: arguments.finish,
    };
    let outcome = runtime.block_on(rotate_secret(&http, catalog, effects, input)).map_err(with_command_line_hint)?;
    keep_after_success(keep, effects, &arguments.name)?;
    let checks_failed = outcome.health.as_ref().is_some_and(|health| !health.ok);
    if arguments.json {
        crate::print_json(&serde_json::json!({
            "ok": !checks_failed,
            "connection": outcome.connection,
            "client_id": outcome.client_id,
            "stage": outcome.stage,
            "secret_expires": outcome.secret_expires.map(|date| date.to_string()),
            "checks": outcome.health.as_ref().map(|health| &health.checks),
            "notes": outcome.notes,
        }));
    } else {
        let name = &outcome.connection;
        let mut text = match outcome.stage {
            RotationStage::Started => format!(
                "Added a new client secret to the app {}, valid until {}; it is in the OS keychain and was never shown. The old secret stays valid.\n",
                escape_for_terminal(&outcome.client_id),
                outcome.secret_expires.map(|date| date.to_string()).unwrap_or_else(|| "an unknown date".into())
            ),
            RotationStage::Finished => {
                format!("Removed the old client secret of the app {}.\n", escape_for_terminal(&outcome.client_id))
            }
        };
        for check in outcome.health.iter().flat_map(|health| &health.checks) {
            let status = match check.status {
                sso_setup::oidc::discovery::CheckStatus::Pass => "pass",
                sso_setup::oidc::discovery::CheckStatus::Warn => "warn",
                sso_setup::oidc::discovery::CheckStatus::Fail => "FAIL",
            };
            text.push_str(&format!("  {status}  {}: {}\n", check.id, escape_for_terminal(&check.detail)));
        }
        if outcome.stage == RotationStage::Started {
            text.push_str(&format!(
                "Next: `sso-setup export {name} --recipient <vendor's age1 key> -o {name}.age` for the vendor; once the vendor uses it, `sso-setup connection rotate-secret {name} --finish` removes the old secret.\n"
            ));
        }
        out!("{text}");
    }
    if checks_failed {
        return Err(Failure::CheckFailed(Box::new(ProvisionCommandError::NewSecretRefused)));
    }
    Ok(())
}
