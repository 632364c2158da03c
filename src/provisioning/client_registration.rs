//! Standard client registration: OpenID Connect Dynamic Client Registration 1.0 / RFC 7591
//! (create) and RFC 7592 (read, update, delete with the registration access token).
//!
//! # Security
//! The client secret and the registration access token in an answer are moved into
//! [`ClientSecret`]s as the answer is read, so no plain copy of either outlives the parse, and
//! the metadata this module returns holds neither. Every credential goes in an
//! `Authorization: Bearer` header (RFC 7591 §3, RFC 7592 §2), never in a URL or a body. The
//! registration access token is sent only to a `registration_client_uri` on the origin of
//! the registration endpoint: a provider that names another host gets nothing.

use crate::connections::secret::ClientSecret;
use crate::error::{FailureKind, UserFacingError};
use crate::oidc::http_fetch::{
    check_scheme, cut, ApiAuthorization, FetchError, FetchedResponse, HttpFetch, JsonMethod,
};
use serde_json::{Map, Value};
use url::Url;

/// A client as the provider answered for it.
#[derive(Debug)]
pub struct RegisteredClient {
    pub client_id: String,
    /// Present in a registration answer, and in most read and update answers.
    pub client_secret: Option<ClientSecret>,
    /// Seconds since 1970 when the secret expires; 0 or absent: never (RFC 7591 §3.2.1).
    pub client_secret_expires_at: Option<i64>,
    /// The newest management credential; a provider may rotate it on every update.
    pub registration_access_token: Option<ClientSecret>,
    pub registration_client_uri: Option<String>,
    /// The metadata as the provider holds it, without the secret or the token.
    pub metadata: Map<String, Value>,
}

/// Which credential a provider refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// The initial access token of a registration (RFC 7591 §3).
    InitialAccessToken,
    /// The registration access token of the client's management (RFC 7592 §2).
    RegistrationAccessToken,
}

/// What a delete found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    /// The provider no longer knows the client (404).
    AlreadyGone,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("the provider refused the {} (HTTP {status}){}", credential_name(*credential), shown_description(description))]
    CredentialRefused { credential: Credential, status: u16, description: Option<String> },
    #[error("the provider refused the client's metadata: {error}{}", shown_description(description))]
    Refused { status: u16, error: String, description: Option<String> },
    #[error("the client {client_id} no longer exists at the provider")]
    ClientGone { client_id: String },
    #[error("the provider's answer to the {step} is not usable: {reason}")]
    Unusable { step: &'static str, reason: String },
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

fn credential_name(credential: Credential) -> &'static str {
    match credential {
        Credential::InitialAccessToken => "admin token (the initial access token for registration)",
        Credential::RegistrationAccessToken => "registration access token it issued for this client",
    }
}

fn shown_description(description: &Option<String>) -> String {
    description.as_ref().map(|text| format!(": {text}")).unwrap_or_default()
}

impl UserFacingError for RegistrationError {
    fn code(&self) -> crate::error::ErrorCode {
        use crate::error::ErrorCode;
        match self {
            RegistrationError::CredentialRefused { credential: Credential::InitialAccessToken, .. } => {
                ErrorCode::RegistrationAdminTokenRefused
            }
            RegistrationError::CredentialRefused { .. } => ErrorCode::RegistrationManagementTokenRefused,
            RegistrationError::Refused { .. } => ErrorCode::RegistrationRefused,
            RegistrationError::ClientGone { .. } => ErrorCode::RegistrationClientGone,
            RegistrationError::Unusable { .. } => ErrorCode::RegistrationResponseUnusable,
            RegistrationError::Fetch(error) => error.code(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            RegistrationError::CredentialRefused { credential: Credential::InitialAccessToken, .. } => Some(
                "create a new initial access token at the IdP (Keycloak: Clients → Client registration → Initial access token) and give it again; nothing was created".into(),
            ),
            RegistrationError::CredentialRefused { .. } => Some(
                "the app may have been deleted at the IdP, or its registration access token revoked (RFC 7592 §2.1); check the app in the IdP console, and provision the connection again under a new name if it is gone".into(),
            ),
            RegistrationError::Refused { .. } => Some(
                "the provider's reason names the field; check the vendor's values with `sso-setup redirect-uri`, and ask the IdP's admin whether its registration policy allows them".into(),
            ),
            RegistrationError::ClientGone { .. } => {
                Some("the app was deleted at the IdP: remove the connection, or provision it again".into())
            }
            RegistrationError::Unusable { .. } => {
                Some("the provider does not answer as RFC 7591 and RFC 7592 say; check its registration settings".into())
            }
            RegistrationError::Fetch(error) => error.hint(),
        }
    }

    fn failure_kind(&self) -> FailureKind {
        FailureKind::CheckFailed
    }
}

/// Registers a new client (RFC 7591 §3.1).
pub async fn register(
    http: &impl HttpFetch,
    endpoint: &Url,
    initial_access_token: Option<&ClientSecret>,
    metadata: &Value,
) -> Result<RegisteredClient, RegistrationError> {
    let body = serde_json::to_vec(metadata).expect("metadata serialises");
    let answer = http
        .send_json(
            JsonMethod::Post,
            endpoint,
            initial_access_token.map(|token| ApiAuthorization::Bearer(token.expose())),
            Some(body),
        )
        .await?;
    match answer.status {
        200 | 201 => read_client(answer, "registration", endpoint),
        401 | 403 => Err(credential_refused(Credential::InitialAccessToken, &answer)),
        _ => Err(refused(&answer, "registration")),
    }
}

/// Reads the client as the provider holds it now (RFC 7592 §2.1).
pub async fn read(
    http: &impl HttpFetch,
    client_uri: &Url,
    token: &ClientSecret,
    client_id: &str,
) -> Result<RegisteredClient, RegistrationError> {
    let answer =
        http.send_json(JsonMethod::Get, client_uri, Some(ApiAuthorization::Bearer(token.expose())), None).await?;
    match answer.status {
        200 => read_client(answer, "read", client_uri),
        404 => Err(RegistrationError::ClientGone { client_id: cut(client_id, 80) }),
        401 | 403 => Err(credential_refused(Credential::RegistrationAccessToken, &answer)),
        _ => Err(refused(&answer, "read")),
    }
}

/// Replaces the client's metadata (RFC 7592 §2.2: the whole set, with `client_id`; what is
/// left out is removed). The secret is not sent: the provider keeps it.
pub async fn update(
    http: &impl HttpFetch,
    client_uri: &Url,
    token: &ClientSecret,
    client_id: &str,
    metadata: &Value,
) -> Result<RegisteredClient, RegistrationError> {
    let mut body = metadata.clone();
    body["client_id"] = Value::String(client_id.to_owned());
    let body = serde_json::to_vec(&body).expect("metadata serialises");
    let answer =
        http.send_json(JsonMethod::Put, client_uri, Some(ApiAuthorization::Bearer(token.expose())), Some(body)).await?;
    match answer.status {
        200 => read_client(answer, "update", client_uri),
        404 => Err(RegistrationError::ClientGone { client_id: cut(client_id, 80) }),
        401 | 403 => Err(credential_refused(Credential::RegistrationAccessToken, &answer)),
        _ => Err(refused(&answer, "update")),
    }
}

/// Deletes the client (RFC 7592 §2.3).
pub async fn delete(
    http: &impl HttpFetch,
    client_uri: &Url,
    token: &ClientSecret,
) -> Result<Deletion, RegistrationError> {
    let answer =
        http.send_json(JsonMethod::Delete, client_uri, Some(ApiAuthorization::Bearer(token.expose())), None).await?;
    match answer.status {
        200 | 204 => Ok(Deletion::Deleted),
        404 => Ok(Deletion::AlreadyGone),
        401 | 403 => Err(credential_refused(Credential::RegistrationAccessToken, &answer)),
        _ => Err(refused(&answer, "delete")),
    }
}

/// The error code and description of an error answer (RFC 7591 §3.2.2), as text that is
/// safe for a terminal, cut short; nothing else of the body.
fn error_fields(answer: &FetchedResponse) -> (Option<String>, Option<String>) {
    let value: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    let field = |name: &str, limit: usize| {
        value.get(name).and_then(Value::as_str).map(|text| {
            crate::catalog::org_value::escape_text(&crate::oidc::sign_in_flow::redact_token_shaped(text), limit)
        })
    };
    (field("error", 60), field("error_description", 300))
}

fn credential_refused(credential: Credential, answer: &FetchedResponse) -> RegistrationError {
    let (_, description) = error_fields(answer);
    RegistrationError::CredentialRefused { credential, status: answer.status, description }
}

fn refused(answer: &FetchedResponse, step: &'static str) -> RegistrationError {
    match error_fields(answer) {
        (Some(error), description) => RegistrationError::Refused { status: answer.status, error, description },
        (None, _) => {
            RegistrationError::Unusable { step, reason: format!("HTTP {} without an error code", answer.status) }
        }
    }
}

/// Reads a client answer, moving the secret and the token out as it goes.
fn read_client(
    answer: FetchedResponse,
    step: &'static str,
    origin: &Url,
) -> Result<RegisteredClient, RegistrationError> {
    let unusable = |reason: &str| RegistrationError::Unusable { step, reason: reason.to_owned() };
    let Ok(Value::Object(mut metadata)) = serde_json::from_slice::<Value>(&answer.body) else {
        return Err(unusable("the body is not a JSON object"));
    };
    let mut take_secret = |name: &str| match metadata.remove(name) {
        Some(Value::String(text)) if !text.is_empty() => Some(ClientSecret::new(text)),
        _ => None,
    };
    let client_secret = take_secret("client_secret");
    let registration_access_token = take_secret("registration_access_token");
    let client_id = match metadata.get("client_id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ => return Err(unusable("it has no client_id")),
    };
    let registration_client_uri = match metadata.get("registration_client_uri") {
        None | Some(Value::Null) => None,
        Some(Value::String(uri)) => {
            let parsed = Url::parse(uri).map_err(|_| unusable("its registration_client_uri is not a URL"))?;
            check_scheme(&parsed)?;
            if parsed.origin() != origin.origin() {
                return Err(unusable(
                    "its registration_client_uri is on another host than the registration endpoint, so the registration access token is not sent there",
                ));
            }
            Some(uri.clone())
        }
        Some(_) => return Err(unusable("its registration_client_uri is not a string")),
    };
    let client_secret_expires_at = metadata.get("client_secret_expires_at").and_then(Value::as_i64);
    Ok(RegisteredClient {
        client_id,
        client_secret,
        client_secret_expires_at,
        registration_access_token,
        registration_client_uri,
        metadata,
    })
}
