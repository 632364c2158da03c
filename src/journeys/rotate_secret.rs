//! `connection rotate-secret`: a new client secret without downtime. The new secret is added
//! at the IdP while the old one stays valid, goes to the keychain, and is tried at the token
//! endpoint at once; the admin sends the vendor a new bundle, and once the vendor uses it,
//! finishing the rotation removes the old secret at the IdP.
//!
//! Entra ID keeps several password credentials per app (Graph `addPassword` and
//! `removePassword`); Okta two client secrets per app (its client secrets API: the old one is
//! deactivated, then deleted). Standard client registration has no way to hold two secrets at once
//! (RFC 7592 §2.2 lets a provider replace the secret, not keep the old one), so a rotation
//! there is refused with the way out.

use super::health_check::{check_connection, ConnectionHealth};
use super::provision::entra;
use super::{boxed, JourneyError, SecretSource, SideEffects};
use crate::catalog::Catalog;
use crate::connections::connection::{Management, ManagementApi};
use crate::error::{ErrorCode, FailureKind, UserFacingError};
use crate::oidc::http_fetch::HttpFetch;
use crate::platform::calendar_date::CalendarDate;
use crate::provisioning::microsoft_graph::{self as graph, GraphClient};
use crate::provisioning::okta_apps::OktaClient;
use serde::Serialize;

pub struct RotateSecretInput<'a> {
    pub connection: &'a str,
    /// A Microsoft Graph access token for Entra ID.
    pub admin_token: SecretSource<'a>,
    /// Another address for Microsoft Graph, loopback only: for tests against a stand-in.
    pub admin_api_url: Option<&'a str>,
    /// The new secret's lifetime (default and cap as for `provision`).
    pub expires_in_days: Option<u32>,
    /// Remove the old secret (the vendor uses the new one).
    pub finish: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RotationStage {
    /// A new secret is in the keychain; the old one is still valid at the IdP.
    Started,
    /// The old secret is removed at the IdP.
    Finished,
}

#[derive(Debug, Serialize)]
pub struct RotateSecretOutcome {
    pub connection: String,
    pub client_id: String,
    pub stage: RotationStage,
    pub secret_expires: Option<CalendarDate>,
    /// After a start: the connection's checks with the new secret (its token endpoint check
    /// says whether the IdP takes it).
    pub health: Option<ConnectionHealth>,
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RotateSecretError {
    #[error("the connection {name} was not created by provision, so sso-setup cannot add a secret to its app")]
    NotProvisioned { name: String },
    #[error("standard client registration has no way to keep two client secrets at once, so the secret of {name} cannot be rotated without downtime")]
    NotSupported { name: String },
    #[error("a rotation of {name} is already started: the old secret is still valid at the IdP")]
    AlreadyStarted { name: String },
    #[error("no rotation of {name} is started, so there is no old secret to remove")]
    NothingToFinish { name: String },
    #[error("a new secret was added at the IdP, but {failure}; {}", match removal { Ok(()) => "it was removed again, so the old secret is still the one in use".to_owned(), Err(left) => format!("it is still there: {left}") })]
    Incomplete { failure: String, removal: Result<(), String> },
}

impl UserFacingError for RotateSecretError {
    fn code(&self) -> ErrorCode {
        match self {
            RotateSecretError::NotProvisioned { .. } => ErrorCode::RotationNotProvisioned,
            RotateSecretError::NotSupported { .. } => ErrorCode::RotationNotSupported,
            RotateSecretError::AlreadyStarted { .. } => ErrorCode::RotationAlreadyStarted,
            RotateSecretError::NothingToFinish { .. } => ErrorCode::RotationNothingToFinish,
            RotateSecretError::Incomplete { .. } => ErrorCode::RotationIncomplete,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            RotateSecretError::NotProvisioned { .. } | RotateSecretError::NotSupported { .. } => {
                "create a second secret in the IdP console (where it allows one), save it with the connection, and send the vendor a new bundle".into()
            }
            RotateSecretError::AlreadyStarted { .. } => {
                "once the vendor uses the new secret, finish the rotation; then start another".into()
            }
            RotateSecretError::NothingToFinish { .. } => "start a rotation first".into(),
            RotateSecretError::Incomplete { .. } => "fix the cause and rotate again".into(),
        })
    }

    fn failure_kind(&self) -> FailureKind {
        match self {
            RotateSecretError::Incomplete { .. } => FailureKind::CheckFailed,
            _ => FailureKind::BadInput,
        }
    }
}

/// Where the app's secrets are added and removed.
enum SecretsAt<'a, H: HttpFetch> {
    Graph { client: GraphClient<'a, H>, object_id: String, end: String },
    Okta { client: OktaClient<'a, H>, app_id: String },
}

/// A secret just added: its ID at the IdP, the secret, and when it ends (Okta's never do).
struct AddedSecret {
    id: String,
    secret: crate::connections::secret::ClientSecret,
    expires: Option<CalendarDate>,
}

impl<H: HttpFetch> SecretsAt<'_, H> {
    async fn add(&self) -> Result<AddedSecret, JourneyError> {
        match self {
            SecretsAt::Graph { client, object_id, end } => {
                let password = client.add_password(object_id, end).await.map_err(boxed)?;
                let expires = CalendarDate::parse(password.end_date_time.get(..10).unwrap_or_default());
                Ok(AddedSecret { id: password.key_id, secret: password.secret, expires })
            }
            SecretsAt::Okta { client, app_id } => {
                let added = client.add_secret(app_id).await.map_err(boxed)?;
                Ok(AddedSecret { id: added.id, secret: added.secret, expires: None })
            }
        }
    }

    async fn remove(&self, id: &str) -> Result<(), JourneyError> {
        match self {
            SecretsAt::Graph { client, object_id, .. } => client.remove_password(object_id, id).await.map_err(boxed),
            SecretsAt::Okta { client, app_id } => client.remove_secret(app_id, id).await.map_err(boxed),
        }
    }

    /// Where the admin removes a secret by hand.
    fn console(&self) -> &'static str {
        match self {
            SecretsAt::Graph { .. } => "the Entra admin center (App registrations → the app → Certificates & secrets)",
            SecretsAt::Okta { .. } => "the Okta Admin Console (the app → General → Client secrets)",
        }
    }
}

/// Starts or finishes a rotation of the connection's client secret.
pub async fn rotate_secret<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    input: RotateSecretInput<'_>,
) -> Result<RotateSecretOutcome, JourneyError> {
    use super::provision::okta;
    let name = input.connection;
    let saved = effects.connections.load(name).map_err(boxed)?;
    let Some(management) = saved.management.clone() else {
        return Err(boxed(RotateSecretError::NotProvisioned { name: name.to_owned() }));
    };
    if management.api == ManagementApi::Rfc7592 {
        return Err(boxed(RotateSecretError::NotSupported { name: name.to_owned() }));
    }
    match (input.finish, &management.previous_secret_id) {
        (false, Some(_)) => return Err(boxed(RotateSecretError::AlreadyStarted { name: name.to_owned() })),
        (true, None) => return Err(boxed(RotateSecretError::NothingToFinish { name: name.to_owned() })),
        _ => {}
    }
    let elsewhere = || {
        boxed(super::provision::ProvisionError::ManagementElsewhere {
            uri: crate::catalog::org_value::escape_text(&management.registration_client_uri, 200),
        })
    };
    // Every value is checked before the admin's token is asked for or anything is sent.
    let (base, end) = if management.api == ManagementApi::OktaApps {
        if input.expires_in_days.is_some() {
            return Err(boxed(super::provision::ProvisionError::OptionNotSupported {
                by: "Okta",
                what: "Okta client secrets do not expire, so there is no lifetime to ask for",
            }));
        }
        (okta::org(&saved.issuer)?, String::new())
    } else {
        let end = if input.finish { String::new() } else { entra::secret_end(effects, input.expires_in_days)? };
        (entra::graph_base(input.admin_api_url)?, end)
    };
    let token = if management.api == ManagementApi::OktaApps {
        okta::okta_token(effects, name, input.admin_token)?
    } else {
        entra::admin_token(effects, name, input.admin_token)?.ok_or_else(entra::token_needed)?
    };
    let clock = effects.clock.as_ref();
    let secrets = if management.api == ManagementApi::OktaApps {
        let app_id = okta::app_id(&saved, &base)?;
        SecretsAt::Okta { client: OktaClient { http, clock, token: &token, org: &base }, app_id }
    } else {
        let object_id = graph::object_id_of(&base, &management.registration_client_uri).ok_or_else(elsewhere)?;
        SecretsAt::Graph { client: GraphClient { http, clock, token: &token, graph: &base }, object_id, end }
    };

    if input.finish {
        let previous = management.previous_secret_id.clone().expect("checked above");
        secrets.remove(&previous).await?;
        let mut connection = saved.clone();
        connection.management = Some(Management { previous_secret_id: None, ..management });
        let connection = effects.connections.save(&connection, None, effects.secrets.as_ref()).map_err(boxed)?;
        return Ok(RotateSecretOutcome {
            connection: name.to_owned(),
            client_id: connection.client_id,
            stage: RotationStage::Finished,
            secret_expires: connection.secret_expires,
            health: None,
            notes: vec!["the old secret is removed at the IdP: only the new one works now".into()],
        });
    }

    let added = secrets.add().await?;
    let mut notes = vec![
        "the new secret is in the keychain; the old one stays valid at the IdP until the rotation is finished".to_owned(),
        "export a new bundle for the vendor; once the vendor uses the new secret, finish the rotation to remove the old one".to_owned(),
    ];
    if management.secret_id.is_none() {
        notes.push(format!(
            "the old secret's ID is not known: remove it in {} once the vendor uses the new one",
            secrets.console()
        ));
    }
    let mut connection = saved.clone();
    if management.api == ManagementApi::MicrosoftGraph {
        connection.secret_expires = added.expires;
    }
    connection.management = Some(Management {
        secret_id: Some(added.id.clone()),
        previous_secret_id: management.secret_id.clone(),
        ..management
    });
    if let Err(error) = effects.connections.save(&connection, Some(&added.secret), effects.secrets.as_ref()) {
        let removal = match secrets.remove(&added.id).await {
            Ok(()) => Ok(()),
            Err(removal) => Err(format!("remove the secret {} in {} ({removal})", added.id, secrets.console())),
        };
        return Err(boxed(RotateSecretError::Incomplete {
            failure: format!("the connection could not be saved: {error}"),
            removal,
        }));
    }
    drop(added);
    // As saved (with the secret's binding to its issuer and client).
    let connection = effects.connections.load(name).map_err(boxed)?;
    let health = check_connection(http, catalog, effects, &connection).await;
    Ok(RotateSecretOutcome {
        connection: name.to_owned(),
        client_id: connection.client_id.clone(),
        stage: RotationStage::Started,
        secret_expires: connection.secret_expires,
        health: Some(health),
        notes,
    })
}
