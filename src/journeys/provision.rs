//! Creating the IdP app for the admin, keeping it as the vendor needs it, and removing it:
//! `provision` (apply, dry run, drift check), `deprovision`, and the sign-in test that
//! registers its own loopback redirect URI and removes it again.
//!
//! The secret the IdP makes goes from its answer to the secret store and nowhere else. A
//! failure after the app was created leaves nothing behind: the app is deleted again, or
//! the error says exactly what is left and how to remove it.

use super::sign_in_test::{test_sign_in, SignInEvent, SignInTestInput};
use super::{boxed, JourneyError, SecretSource, SideEffects};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::Catalog;
use crate::connections::connection::{Connection, ConnectionError, Management, ManagementApi};
use crate::connections::secret::ClientSecret;
use crate::error::{ErrorCode, ErrorReport, FailureKind, UserFacingError};
use crate::oidc::discovery::discover;
use crate::oidc::http_fetch::{FetchError, HttpFetch};
use crate::oidc::issuer::normalise_issuer;
use crate::oidc::sign_in_flow::FlowReport;
use crate::platform::calendar_date::CalendarDate;
use crate::provisioning::client_registration::{self, Deletion, RegisteredClient};
use crate::provisioning::desired_client::{desired_client, DesiredClient, DesiredClientRequest};
use crate::provisioning::management_account;
use crate::provisioning::plan::{plan_existing_app, plan_new_app, Difference, PlannedRequest, ProvisioningPlan};
use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

/// What `provision` is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvisionMode {
    /// Send the plan's requests and save the connection.
    Apply,
    /// Show the plan; send nothing (reads only, with a stored credential).
    DryRun,
    /// Compare the app at the IdP with what the vendor needs; change nothing.
    Check,
}

pub struct ProvisionInput<'a> {
    pub connection: &'a str,
    pub vendor: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
    pub region: Option<&'a str>,
    pub org: Option<&'a str>,
    pub issuer: Option<&'a str>,
    /// URIs the vendor sent, for a vendor that supplies its own.
    pub redirect_uris: &'a [String],
    pub sign_out_uris: &'a [String],
    pub assign_group: Option<&'a str>,
    pub secret_expires_in_days: Option<u32>,
    /// The admin credential: for standard registration, the initial access token; for
    /// Entra ID, a Microsoft Graph access token.
    pub admin_token: SecretSource<'a>,
    /// Another address for the IdP's admin API (Microsoft Graph), loopback only: for tests
    /// against a stand-in.
    pub admin_api_url: Option<&'a str>,
    pub mode: ProvisionMode,
}

/// Progress, as it happens.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProvisionEvent {
    Planned { plan: ProvisioningPlan },
    Sending { request: PlannedRequest },
}

/// What `provision` did or would do.
#[derive(Debug, Serialize)]
pub struct ProvisionOutcome {
    pub mode: ProvisionMode,
    pub connection: String,
    pub idp: IdentityProviderId,
    pub issuer: String,
    pub desired: DesiredClient,
    pub plan: ProvisioningPlan,
    /// Whether requests that change the app were sent.
    pub changed: bool,
    pub client_id: Option<String>,
    pub registration_client_uri: Option<String>,
    pub secret_expires: Option<CalendarDate>,
    /// What the admin sends the vendor (the secret goes in the bundle, never here).
    pub send_to_vendor: Map<String, Value>,
    /// Things the admin should know (the plan was made without reading the IdP, say).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("sso-setup cannot create the app at {idp}: {reason}")]
    NotSupported { idp: &'static str, reason: &'static str },
    #[error("the provider at {issuer} advertises no registration_endpoint, so it does not take standard client registration")]
    NoRegistrationEndpoint { issuer: String },
    #[error("a connection named {name} exists and was not created by provision")]
    ConnectionInUse { name: String },
    #[error("the connection {name} was not created by provision, so there is no app at the IdP to check or remove")]
    NotProvisioned { name: String },
    #[error("the {field} given ({given}) is not the saved connection's ({saved})")]
    ValuesDiffer { field: &'static str, given: String, saved: String },
    #[error("{by} cannot do this: {what}")]
    OptionNotSupported { by: &'static str, what: &'static str },
    #[error("the {0} is needed to create the app")]
    MissingArgument(&'static str),
    #[error("the keychain has no registration access token for the connection {name}")]
    ManagementTokenMissing { name: String },
    #[error("the provider registered something other than was asked: {differences}{}", if *removed { "; the app was deleted again" } else { "" })]
    ChangedByProvider { differences: String, removed: bool },
    #[error("the app {client_id} was created at the IdP, but {failure}; {}", match removal { Ok(()) => "it was deleted again, so nothing is left".to_owned(), Err(left) => format!("it is still there: {left}") })]
    Incomplete { client_id: String, failure: String, failure_hint: Option<String>, removal: Result<(), String> },
    #[error("{}", .0.message)]
    Discovery(ErrorReport),
    #[error("the app is created and read with {api}, and none was given")]
    AdminTokenNeeded { api: &'static str, permissions: &'static str },
    #[error("a group for {idp} is given by its ID: {form}")]
    GroupNotAnId { idp: &'static str, form: &'static str },
    #[error("a client secret valid for {days} days cannot be asked for: from 1 to {longest} days")]
    SecretLifetime { days: u32, longest: u32 },
    #[error("the saved connection says the app is managed at {uri}, which is not the IdP's API")]
    ManagementElsewhere { uri: String },
}

impl UserFacingError for ProvisionError {
    fn code(&self) -> ErrorCode {
        match self {
            ProvisionError::NotSupported { .. } => ErrorCode::ProvisionNotSupported,
            ProvisionError::NoRegistrationEndpoint { .. } => ErrorCode::ProvisionNoRegistrationEndpoint,
            ProvisionError::ConnectionInUse { .. } => ErrorCode::ProvisionConnectionInUse,
            ProvisionError::NotProvisioned { .. } => ErrorCode::ProvisionNotProvisioned,
            ProvisionError::ValuesDiffer { .. } => ErrorCode::ProvisionValuesDiffer,
            ProvisionError::OptionNotSupported { .. } => ErrorCode::ProvisionOptionNotSupported,
            ProvisionError::MissingArgument(_) => ErrorCode::ProvisionMissingArgument,
            ProvisionError::ManagementTokenMissing { .. } => ErrorCode::RegistrationManagementTokenMissing,
            ProvisionError::ChangedByProvider { .. } => ErrorCode::RegistrationChangedByProvider,
            ProvisionError::Incomplete { .. } => ErrorCode::ProvisionIncomplete,
            ProvisionError::Discovery(report) => report.code,
            ProvisionError::AdminTokenNeeded { .. } => ErrorCode::ProvisionAdminTokenNeeded,
            ProvisionError::GroupNotAnId { .. } => ErrorCode::ProvisionGroupNotAnId,
            ProvisionError::SecretLifetime { .. } => ErrorCode::ProvisionSecretLifetimeOutOfRange,
            ProvisionError::ManagementElsewhere { .. } => ErrorCode::ProvisionManagementElsewhere,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ProvisionError::NotSupported { .. } | ProvisionError::NoRegistrationEndpoint { .. } => {
                "create the app by hand: the guide for this vendor and IdP gives every value".into()
            }
            ProvisionError::ConnectionInUse { .. } => {
                "choose another connection name, or delete the existing connection first".into()
            }
            ProvisionError::NotProvisioned { .. } => {
                "check the app by hand in the IdP console, or provision a new connection".into()
            }
            ProvisionError::ValuesDiffer { .. } => {
                "leave the value out to use the saved one; to change it, provision a new connection".into()
            }
            ProvisionError::OptionNotSupported { .. } => {
                "leave the option out; where it matters, do it in the IdP console".into()
            }
            ProvisionError::MissingArgument(what) => format!("give the {what}"),
            ProvisionError::ManagementTokenMissing { .. } => {
                "the app cannot be managed without it: manage the app in the IdP console, or provision a new connection"
                    .into()
            }
            ProvisionError::ChangedByProvider { .. } => {
                "the IdP's registration policy changed the values; ask its admin which values it allows".into()
            }
            ProvisionError::Incomplete { failure_hint, removal, .. } => match (failure_hint, removal) {
                (Some(hint), Ok(())) => format!("{hint}; then provision again"),
                (Some(hint), Err(_)) => format!("{hint}; remove the app as said, then provision again"),
                (None, _) => "fix the cause and provision again".into(),
            },
            ProvisionError::Discovery(report) => return report.hint.clone(),
            ProvisionError::AdminTokenNeeded { permissions, .. } => {
                format!("give the admin token; it needs {permissions}, and it is used for this run only")
            }
            ProvisionError::GroupNotAnId { .. } => {
                "copy the group's ID from the IdP's admin console (the group's overview page)".into()
            }
            ProvisionError::SecretLifetime { .. } => {
                "ask for fewer days; sso-setup reminds you before the secret expires".into()
            }
            ProvisionError::ManagementElsewhere { .. } => {
                "the connection file was changed by hand: restore it, or provision a new connection".into()
            }
        })
    }

    fn failure_kind(&self) -> FailureKind {
        match self {
            ProvisionError::ManagementTokenMissing { .. }
            | ProvisionError::ManagementElsewhere { .. }
            | ProvisionError::ChangedByProvider { .. }
            | ProvisionError::Incomplete { .. }
            | ProvisionError::Discovery(_) => FailureKind::CheckFailed,
            _ => FailureKind::BadInput,
        }
    }
}

/// The values a provisioning run works with, settled from the input and the saved connection.
struct Target<'c> {
    name: String,
    saved: Option<Connection>,
    vendor: String,
    identity_provider: IdentityProviderId,
    region: Option<String>,
    org: Option<String>,
    issuer_text: String,
    profile: &'c crate::catalog::vendor_profile::VendorProfile,
    redirect_uris: Vec<String>,
    sign_out_uris: Vec<String>,
}

fn settle<'c>(
    catalog: &'c Catalog,
    effects: &SideEffects,
    input: &ProvisionInput<'_>,
) -> Result<Target<'c>, JourneyError> {
    let exists = effects.connections.path_of(input.connection).exists();
    let saved = if exists || input.mode == ProvisionMode::Check {
        Some(effects.connections.load(input.connection).map_err(boxed)?)
    } else {
        crate::connections::connection::check_connection_name(input.connection).map_err(boxed)?;
        None
    };
    if let Some(saved) = &saved {
        if saved.management.is_none() {
            return Err(boxed(if input.mode == ProvisionMode::Check {
                ProvisionError::NotProvisioned { name: saved.name.clone() }
            } else {
                ProvisionError::ConnectionInUse { name: saved.name.clone() }
            }));
        }
    }
    // A value given for a saved connection must be the saved one: a provision that silently
    // moved an app to another vendor, org or provider would be a surprise.
    fn settle_one(
        field: &'static str,
        given: Option<String>,
        saved: Option<Option<String>>,
    ) -> Result<Option<String>, JourneyError> {
        match (given, saved) {
            (Some(given), Some(saved)) if Some(&given) != saved.as_ref() => Err(boxed(ProvisionError::ValuesDiffer {
                field,
                given: crate::catalog::org_value::escape_text(&given, 120),
                saved: saved.unwrap_or_else(|| "none".into()),
            })),
            (given, Some(saved)) => Ok(given.or(saved)),
            (given, None) => Ok(given),
        }
    }
    let vendor = settle_one("vendor", input.vendor.map(str::to_owned), saved.as_ref().map(|c| Some(c.vendor.clone())))?
        .ok_or_else(|| boxed(ProvisionError::MissingArgument("vendor")))?;
    let idp_name = settle_one(
        "IdP",
        input.identity_provider.map(|idp| idp.as_str().to_owned()),
        saved.as_ref().map(|c| Some(c.idp.as_str().to_owned())),
    )?
    .ok_or_else(|| boxed(ProvisionError::MissingArgument("IdP")))?;
    let identity_provider = input.identity_provider.or(saved.as_ref().map(|c| c.idp)).expect("settled above");
    debug_assert_eq!(identity_provider.as_str(), idp_name);
    let region = settle_one("region", input.region.map(str::to_owned), saved.as_ref().map(|c| c.region.clone()))?;
    let org = settle_one("org value", input.org.map(str::to_owned), saved.as_ref().map(|c| c.org.clone()))?;
    // The saved issuer is normalised; a shorthand given again is compared once normalised.
    let issuer_text = match (input.issuer, &saved) {
        (Some(given), Some(saved)) => {
            let normalised = normalise_issuer(given, Some(identity_provider), region.as_deref()).map_err(boxed)?;
            if normalised.issuer != saved.issuer {
                return Err(boxed(ProvisionError::ValuesDiffer {
                    field: "issuer",
                    given: normalised.issuer,
                    saved: saved.issuer.clone(),
                }));
            }
            saved.issuer.clone()
        }
        (Some(given), None) => given.to_owned(),
        (None, Some(saved)) => saved.issuer.clone(),
        (None, None) => return Err(boxed(ProvisionError::MissingArgument("issuer"))),
    };
    let management = saved.as_ref().and_then(|c| c.management.as_ref());
    let redirect_uris = if input.redirect_uris.is_empty() {
        management.map(|m| m.given_redirect_uris.clone()).unwrap_or_default()
    } else {
        input.redirect_uris.to_vec()
    };
    let sign_out_uris = if input.sign_out_uris.is_empty() {
        management.map(|m| m.given_sign_out_uris.clone()).unwrap_or_default()
    } else {
        input.sign_out_uris.to_vec()
    };
    let profile = &catalog.vendor(&vendor).map_err(boxed)?.profile;
    Ok(Target {
        name: input.connection.to_owned(),
        saved,
        vendor,
        identity_provider,
        region,
        org,
        issuer_text,
        profile,
        redirect_uris,
        sign_out_uris,
    })
}

/// Whether sso-setup can create the app at this IdP: through standard client
/// registration (where the provider also advertises a registration endpoint) or the IdP's
/// own API.
pub fn can_create_app(identity_provider: IdentityProviderId) -> bool {
    app_api_of(identity_provider).is_ok()
}

/// Which API creates an IdP's apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AppApi {
    StandardRegistration,
    MicrosoftGraph,
    OktaApps,
}

/// Where an IdP's app is created, when sso-setup can create it.
fn app_api_of(identity_provider: IdentityProviderId) -> Result<AppApi, ProvisionError> {
    match identity_provider {
        IdentityProviderId::Google => Err(ProvisionError::NotSupported {
            idp: "Google Workspace",
            reason: "Google offers no API that creates OpenID Connect apps",
        }),
        IdentityProviderId::Entra => Ok(AppApi::MicrosoftGraph),
        IdentityProviderId::Okta => Ok(AppApi::OktaApps),
        _ => Ok(AppApi::StandardRegistration),
    }
}

/// Creates, updates or checks the app, or shows the plan.
pub async fn provision<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    input: ProvisionInput<'_>,
    progress: &mut (dyn FnMut(ProvisionEvent) + Send),
) -> Result<ProvisionOutcome, JourneyError> {
    let target = settle(catalog, effects, &input)?;
    let app_api = app_api_of(target.identity_provider).map_err(boxed)?;
    if app_api == AppApi::StandardRegistration && input.assign_group.is_some() {
        return Err(boxed(ProvisionError::OptionNotSupported {
            by: "standard client registration",
            what: "it has no way to assign users or groups",
        }));
    }
    if app_api == AppApi::StandardRegistration && input.secret_expires_in_days.is_some() {
        return Err(boxed(ProvisionError::OptionNotSupported {
            by: "standard client registration",
            what: "it has no way to ask for a secret's lifetime (the provider decides, RFC 7591 §3.2.1)",
        }));
    }
    let desired = desired_client(DesiredClientRequest {
        profile: target.profile,
        identity_provider: target.identity_provider,
        region: target.region.as_deref(),
        org: target.org.as_deref().unwrap_or_default(),
        connection: input.connection,
        given_redirect_uris: &target.redirect_uris,
        given_sign_out_uris: &target.sign_out_uris,
    })
    .map_err(boxed)?;
    let issuer = normalise_issuer(&target.issuer_text, Some(target.identity_provider), target.region.as_deref())
        .map_err(boxed)?;

    let mut outcome = ProvisionOutcome {
        mode: input.mode,
        connection: input.connection.to_owned(),
        idp: target.identity_provider,
        issuer: issuer.issuer.clone(),
        desired: desired.clone(),
        plan: ProvisioningPlan {
            current: crate::provisioning::plan::CurrentApp::None,
            differences: vec![],
            requests: vec![],
        },
        changed: false,
        client_id: None,
        registration_client_uri: None,
        secret_expires: None,
        send_to_vendor: Map::new(),
        notes: Vec::new(),
    };
    match app_api {
        AppApi::MicrosoftGraph => {
            return entra::provision_in_entra(http, catalog, effects, input, target, desired, outcome, progress).await
        }
        AppApi::OktaApps => {
            return okta::provision_in_okta(http, effects, input, target, desired, outcome, progress).await
        }
        AppApi::StandardRegistration => {}
    }

    if let Some(saved) = target.saved {
        let (client_uri, token) = managed_app(effects, &saved)?;
        let current = client_registration::read(http, &client_uri, &token, &saved.client_id).await.map_err(boxed)?;
        let token = keep_newest_token(effects, &saved.name, token, current.registration_access_token)?;
        outcome.plan = plan_existing_app(&desired, &saved.client_id, &current.metadata, client_uri.as_str());
        outcome.client_id = Some(saved.client_id.clone());
        outcome.registration_client_uri = Some(client_uri.to_string());
        outcome.secret_expires = saved.secret_expires;
        outcome.send_to_vendor = send_to_vendor(&issuer.issuer, &saved.client_id, &desired);
        progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
        if input.mode != ProvisionMode::Apply || outcome.plan.requests.is_empty() {
            return Ok(outcome);
        }
        for request in outcome.plan.requests.clone() {
            progress(ProvisionEvent::Sending { request });
        }
        let updated =
            client_registration::update(http, &client_uri, &token, &saved.client_id, &desired.registration_metadata())
                .await
                .map_err(boxed)?;
        outcome.changed = true;
        keep_newest_token(effects, &saved.name, token, updated.registration_access_token)?;
        if let Some(secret) = updated.client_secret {
            // A provider may issue a new secret with an update: the stored one must follow it.
            let stored = effects.secrets.get(&saved.name).map_err(boxed)?;
            if stored.as_ref().map(ClientSecret::expose) != Some(secret.expose()) {
                effects.secrets.put(&saved.name, &secret).map_err(boxed)?;
                outcome.notes.push("the provider issued a new client secret with the update; it is in the keychain, and the vendor needs it (export a new bundle)".into());
            }
        }
        let remaining = crate::provisioning::plan::differences(&desired, &updated.metadata);
        if !remaining.is_empty() {
            return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&remaining), removed: false }));
        }
        return Ok(outcome);
    }

    // A new app: the provider must take standard registration.
    let discovery = discover(http, issuer.clone(), Some(&target.profile.oidc)).await;
    if let Some(failure) = discovery.failure() {
        return Err(boxed(ProvisionError::Discovery(failure)));
    }
    let endpoint_text = discovery
        .provider
        .registration_endpoint
        .clone()
        .ok_or_else(|| boxed(ProvisionError::NoRegistrationEndpoint { issuer: issuer.issuer.clone() }))?;
    let endpoint = Url::parse(&endpoint_text).map_err(|_| {
        boxed(FetchError::UnsupportedScheme { url: crate::catalog::org_value::escape_for_message(&endpoint_text) })
    })?;
    let with_token = !matches!(input.admin_token, SecretSource::NotGiven | SecretSource::BlankField);
    outcome.plan = plan_new_app(&desired, endpoint.as_str(), with_token);
    progress(ProvisionEvent::Planned { plan: outcome.plan.clone() });
    if input.mode == ProvisionMode::DryRun {
        outcome.notes.push("no app exists yet for this connection: this is the plan for a new one, and nothing was read or sent to create it".into());
        return Ok(outcome);
    }
    let admin_token = match input.admin_token {
        SecretSource::Given(token) | SecretSource::Ambient(token) => Some(token),
        SecretSource::Ask(ask) => Some(ask()?),
        SecretSource::NotGiven | SecretSource::BlankField => None,
    };
    for request in outcome.plan.requests.clone() {
        progress(ProvisionEvent::Sending { request });
    }
    let created =
        client_registration::register(http, &endpoint, admin_token.as_ref(), &desired.registration_metadata())
            .await
            .map_err(boxed)?;
    drop(admin_token);
    outcome.changed = true;
    let client_id = created.client_id.clone();
    let saved = finish_new_app(http, effects, &target, &issuer.issuer, &desired, created).await?;
    outcome.client_id = Some(client_id.clone());
    outcome.registration_client_uri = saved.management.as_ref().map(|m| m.registration_client_uri.clone());
    outcome.secret_expires = saved.secret_expires;
    outcome.send_to_vendor = send_to_vendor(&issuer.issuer, &client_id, &desired);
    if saved.management.is_none() {
        outcome.notes.push("the provider gave no registration access token (RFC 7592), so sso-setup cannot check or change this app later".into());
    }
    Ok(outcome)
}

/// Checks what the provider registered, then stores the credentials and saves the
/// connection; on any failure, deletes the app again.
async fn finish_new_app<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    target: &Target<'_>,
    issuer: &str,
    desired: &DesiredClient,
    created: RegisteredClient,
) -> Result<Connection, JourneyError> {
    let RegisteredClient {
        client_id,
        client_secret,
        client_secret_expires_at,
        registration_access_token,
        registration_client_uri,
        metadata,
    } = created;
    let client_uri = registration_client_uri.as_deref().and_then(|uri| Url::parse(uri).ok());
    // Deletes the app again; when it cannot, says exactly what is left and how to remove it.
    let delete_again = || {
        let token = registration_access_token.as_ref();
        let client_uri = client_uri.clone();
        let client_id = client_id.clone();
        async move {
            match (client_uri, token) {
                (Some(uri), Some(token)) => match client_registration::delete(http, &uri, token).await {
                    Ok(_) => Ok(()),
                    Err(error) => Err(format!("delete the app {client_id} in the IdP console ({error})")),
                },
                _ => Err(format!(
                    "delete the app {client_id} in the IdP console (the provider gave no way to delete it)"
                )),
            }
        }
    };
    let remove = |failure: String, failure_hint: Option<String>| {
        let deleting = delete_again();
        let client_id = client_id.clone();
        async move {
            let removal = deleting.await;
            boxed(ProvisionError::Incomplete { client_id, failure, failure_hint, removal })
        }
    };
    let differences = crate::provisioning::plan::differences(desired, &metadata);
    if !differences.is_empty() {
        let removed = delete_again().await.is_ok();
        return Err(boxed(ProvisionError::ChangedByProvider { differences: describe(&differences), removed }));
    }
    let Some(secret) = client_secret else {
        return Err(remove("the provider gave no client secret".into(), None).await);
    };
    let management = match (&registration_client_uri, &registration_access_token) {
        (Some(uri), Some(_)) => Some(management_of(effects, target, ManagementApi::Rfc7592, uri.clone(), None, None)),
        _ => None,
    };
    let name = target.name.clone();
    if let (Some(_), Some(token)) = (&management, &registration_access_token) {
        if let Err(error) = effects.secrets.put(&management_account(&name), token) {
            return Err(
                remove(format!("the keychain refused the registration access token: {error}"), error.hint()).await
            );
        }
    }
    let secret_expires = client_secret_expires_at
        .filter(|seconds| *seconds > 0)
        .map(|seconds| CalendarDate::from_days_since_epoch(seconds.div_euclid(86_400)));
    let connection = new_connection(target, issuer, &client_id, secret_expires, management);
    match effects.connections.save(&connection, Some(&secret), effects.secrets.as_ref()) {
        Ok(saved) => Ok(saved),
        Err(error) => {
            let _ = effects.secrets.delete(&management_account(&name));
            let hint = error.hint();
            Err(remove(format!("the connection could not be saved: {error}"), hint).await)
        }
    }
}

/// The connection of an app just created, as `connection save` would save it, plus how the
/// app is managed.
fn new_connection(
    target: &Target<'_>,
    issuer: &str,
    client_id: &str,
    secret_expires: Option<CalendarDate>,
    management: Option<Management>,
) -> Connection {
    Connection {
        schema_version: crate::connections::connection::CONNECTION_SCHEMA_VERSION,
        name: target.name.clone(),
        vendor: target.vendor.clone(),
        idp: target.identity_provider,
        region: target.region.clone(),
        org: target.org.clone(),
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        secret_expires,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management,
    }
}

/// How a created app is managed: its URL at the IdP, and the IDs a drift check and a
/// rotation need.
fn management_of(
    effects: &SideEffects,
    target: &Target<'_>,
    api: ManagementApi,
    app_url: String,
    service_principal_id: Option<String>,
    secret_id: Option<String>,
) -> Management {
    Management {
        api,
        registration_client_uri: app_url,
        given_redirect_uris: target.redirect_uris.clone(),
        given_sign_out_uris: target.sign_out_uris.clone(),
        created: effects.clock.now_rfc3339(),
        service_principal_id,
        secret_id,
        previous_secret_id: None,
    }
}

/// Text from an IdP or a file, as an error may show it.
fn escape(text: &str) -> String {
    crate::catalog::org_value::escape_text(text, 200)
}

fn describe(differences: &[Difference]) -> String {
    differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect::<Vec<_>>().join("; ")
}

fn send_to_vendor(issuer: &str, client_id: &str, desired: &DesiredClient) -> Map<String, Value> {
    let mut items = Map::new();
    items.insert("issuer".into(), Value::String(issuer.to_owned()));
    items.insert("client_id".into(), Value::String(client_id.to_owned()));
    items.insert(
        "token_endpoint_auth_method".into(),
        Value::String(desired.token_endpoint_auth_method.as_str().to_owned()),
    );
    items.insert("client_secret".into(), Value::String("in the encrypted bundle, never in plain text".into()));
    items
}

/// Where a provisioned connection's app is managed (its RFC 7592 client configuration
/// endpoint), and the credential for it from the secret store.
fn managed_app(effects: &SideEffects, saved: &Connection) -> Result<(Url, ClientSecret), JourneyError> {
    let management =
        saved.management.as_ref().ok_or_else(|| boxed(ProvisionError::NotProvisioned { name: saved.name.clone() }))?;
    if management.api != ManagementApi::Rfc7592 {
        // Graph and Okta apps are changed with the admin's token, never a stored one.
        return Err(boxed(ProvisionError::OptionNotSupported {
            by: "standard client registration",
            what: "this app is managed through Microsoft Graph or the Okta API: give the admin's token for it",
        }));
    }
    let client_uri = Url::parse(&management.registration_client_uri)
        .map_err(|_| boxed(FetchError::UnsupportedScheme { url: management.registration_client_uri.clone() }))?;
    Ok((client_uri, stored_management_token(effects, &saved.name)?))
}

fn stored_management_token(effects: &SideEffects, name: &str) -> Result<ClientSecret, JourneyError> {
    effects
        .secrets
        .get(&management_account(name))
        .map_err(boxed)?
        .ok_or_else(|| boxed(ProvisionError::ManagementTokenMissing { name: name.to_owned() }))
}

/// Stores a rotated registration access token at once (RFC 7592 §2.2: the provider may
/// issue a new one with any answer, and the old one then no longer works).
fn keep_newest_token(
    effects: &SideEffects,
    name: &str,
    current: ClientSecret,
    answered: Option<ClientSecret>,
) -> Result<ClientSecret, JourneyError> {
    match answered {
        Some(newer) if newer.expose() != current.expose() => {
            effects.secrets.put(&management_account(name), &newer).map_err(boxed)?;
            Ok(newer)
        }
        _ => Ok(current),
    }
}

/// What `deprovision` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeprovisionOutcome {
    /// False when the IdP no longer knew the app.
    pub deleted_at_idp: bool,
}

/// Deletes the app at the IdP, then the connection and both keychain entries. The face asks
/// for the admin's confirmation first.
pub async fn deprovision<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    name: &str,
    admin_token: SecretSource<'_>,
    admin_api_url: Option<&str>,
) -> Result<DeprovisionOutcome, JourneyError> {
    let saved = effects.connections.load(name).map_err(boxed)?;
    let api = saved.management.as_ref().map(|management| management.api);
    let deletion = match api {
        Some(ManagementApi::MicrosoftGraph) => {
            entra::deprovision_in_entra(http, effects, &saved, admin_token, admin_api_url).await?
        }
        Some(ManagementApi::OktaApps) => okta::deprovision_in_okta(http, effects, &saved, admin_token).await?,
        _ => {
            let (client_uri, token) = managed_app(effects, &saved)?;
            client_registration::delete(http, &client_uri, &token).await.map_err(boxed)?
        }
    };
    effects.connections.delete(name, effects.secrets.as_ref()).map_err(boxed)?;
    Ok(DeprovisionOutcome { deleted_at_idp: deletion == Deletion::Deleted })
}

#[path = "provision_loopback.rs"]
mod loopback;
pub use loopback::{test_sign_in_with_temporary_redirect, AdminAccess, TemporaryRedirect};

#[path = "provision_entra.rs"]
pub(crate) mod entra;
#[path = "provision_okta.rs"]
pub(crate) mod okta;

#[cfg(test)]
#[path = "provision_tests.rs"]
mod tests;
