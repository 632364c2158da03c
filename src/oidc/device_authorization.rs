//! The admin's own sign-in for an admin API token, with the OAuth 2.0 device authorization
//! grant (RFC 8628): for a terminal without a browser, the admin opens a short URL anywhere,
//! types the code shown, signs in there, and the token arrives here. A public client (RFC 8628
//! §3.1: no secret) whose ID the admin gives: an app registered for this in the tenant or org.
//!
//! # Security
//! The device code and the access token are moved into [`ClientSecret`]s as the answers are
//! read; neither is shown or kept. The endpoints come from the issuer's discovery document and
//! must be on its host (a document that sends the device code elsewhere is refused). Polling
//! follows the provider's interval, slows down when asked (RFC 8628 §3.5), and stops at the
//! code's expiry.

use crate::connections::secret::ClientSecret;
use crate::error::{ErrorCode, FailureKind, UserFacingError};
use crate::oidc::http_fetch::{check_scheme, FetchError, HttpFetch};
use serde_json::Value;
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

/// RFC 8628 §3.4's grant type.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the polling interval when the provider names none.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// The longest a sign-in is waited for, whatever the provider says.
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);

/// What the admin is shown: where to go and the code to type there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserCode {
    pub user_code: String,
    pub verification_uri: String,
    /// The URI with the code in it, where the provider gives one (for a link or a QR code).
    pub verification_uri_complete: Option<String>,
    pub expires_in_seconds: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum AdminAuthorizationError {
    #[error("the provider at {issuer} advertises no device_authorization_endpoint")]
    NoEndpoint { issuer: String },
    #[error("the provider's discovery document names a {what} on another host than its issuer")]
    ForeignEndpoint { what: &'static str },
    #[error("the provider refused the sign-in: {error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused { error: String, description: Option<String> },
    #[error("the sign-in was declined")]
    Denied,
    #[error("the code expired before the sign-in was finished")]
    Expired,
    #[error("the provider's answer to the {step} is not usable: {reason}")]
    Unusable { step: &'static str, reason: String },
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The browser sign-in's loopback listener (`browser_authorization`).
    #[error(transparent)]
    Loopback(#[from] crate::oidc::loopback::LoopbackError),
}

impl UserFacingError for AdminAuthorizationError {
    fn code(&self) -> ErrorCode {
        match self {
            AdminAuthorizationError::NoEndpoint { .. } => ErrorCode::AdminSignInNoDeviceEndpoint,
            AdminAuthorizationError::ForeignEndpoint { .. } => ErrorCode::AdminSignInForeignEndpoint,
            AdminAuthorizationError::Refused { .. } => ErrorCode::AdminSignInRefused,
            AdminAuthorizationError::Denied => ErrorCode::AdminSignInDenied,
            AdminAuthorizationError::Expired => ErrorCode::AdminSignInExpired,
            AdminAuthorizationError::Unusable { .. } => ErrorCode::AdminSignInAnswerUnusable,
            AdminAuthorizationError::Fetch(error) => error.code(),
            AdminAuthorizationError::Loopback(error) => error.code(),
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            AdminAuthorizationError::NoEndpoint { .. } => {
                "give an admin token instead; this provider offers no device sign-in".into()
            }
            AdminAuthorizationError::ForeignEndpoint { .. } => {
                "check the issuer: nothing was sent to the other host".into()
            }
            AdminAuthorizationError::Refused { .. } => {
                "check the public client ID: its app must allow the device authorization grant and the admin scopes"
                    .into()
            }
            AdminAuthorizationError::Denied => "sign in again and approve the request, or give an admin token".into(),
            AdminAuthorizationError::Expired => "sign in again, and enter the code within its time".into(),
            AdminAuthorizationError::Unusable { .. } => {
                "the provider does not answer as RFC 8628 says; give an admin token instead".into()
            }
            AdminAuthorizationError::Fetch(error) => return error.hint(),
            AdminAuthorizationError::Loopback(error) => return error.hint(),
        })
    }

    fn failure_kind(&self) -> FailureKind {
        FailureKind::CheckFailed
    }
}

/// What the sign-in asks for.
pub struct DeviceSignIn<'a> {
    /// The issuer whose discovery document names the endpoints.
    pub issuer: &'a str,
    /// The public client's ID.
    pub client_id: &'a str,
    pub scopes: &'a [String],
}

pub(crate) fn form(pairs: &[(&str, &str)]) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish().into_bytes())
}

pub(crate) fn text(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).filter(|text| !text.is_empty() && text.len() <= 2048).map(str::to_owned)
}

pub(crate) fn safe(text: &str, limit: usize) -> String {
    crate::catalog::org_value::escape_text(&crate::oidc::sign_in_flow::redact_token_shaped(text), limit)
}

/// An endpoint of the discovery document, on the issuer's host.
pub(crate) fn endpoint(
    document: &Value,
    name: &'static str,
    issuer: &Url,
) -> Result<Option<Url>, AdminAuthorizationError> {
    let Some(text) = text(document, name) else { return Ok(None) };
    let url = Url::parse(&text).map_err(|_| AdminAuthorizationError::Unusable {
        step: "discovery",
        reason: format!("its {name} is not a URL"),
    })?;
    check_scheme(&url)?;
    // The same origin: scheme, host and port (another port on the host is another server).
    if url.origin() != issuer.origin() {
        return Err(AdminAuthorizationError::ForeignEndpoint { what: name });
    }
    Ok(Some(url))
}

/// The issuer's discovery document, for the endpoints the admin's sign-in uses.
pub(crate) async fn discovery_document(
    http: &impl HttpFetch,
    issuer: &str,
) -> Result<(Url, Value), AdminAuthorizationError> {
    let not_a_url =
        || AdminAuthorizationError::Unusable { step: "discovery", reason: "the issuer is not a URL".into() };
    let parsed = Url::parse(issuer).map_err(|_| not_a_url())?;
    let discovery = Url::parse(&format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/')))
        .map_err(|_| not_a_url())?;
    let answer = http.get(&discovery).await?;
    let document: Value = serde_json::from_slice(&answer.body)
        .map_err(|_| AdminAuthorizationError::Unusable { step: "discovery", reason: "not JSON".into() })?;
    // OpenID Connect Discovery §4.3: the document is the issuer's own, or nothing in it is used.
    let stated = document.get("issuer").and_then(Value::as_str).unwrap_or_default();
    if stated.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(AdminAuthorizationError::Unusable {
            step: "discovery",
            reason: format!("its issuer is {}, not {}", safe(stated, 200), safe(issuer, 200)),
        });
    }
    Ok((parsed, document))
}

/// Signs the admin in with a device code: `show` gets the code to type once the provider
/// issued it; the access token comes back when the admin has approved.
pub async fn sign_in_with_device_code(
    http: &impl HttpFetch,
    request: DeviceSignIn<'_>,
    show: impl FnOnce(&UserCode),
) -> Result<ClientSecret, AdminAuthorizationError> {
    let (issuer, document) = discovery_document(http, request.issuer).await?;
    let device_endpoint = endpoint(&document, "device_authorization_endpoint", &issuer)?
        .ok_or_else(|| AdminAuthorizationError::NoEndpoint { issuer: safe(request.issuer, 200) })?;
    let token_endpoint = endpoint(&document, "token_endpoint", &issuer)?.ok_or_else(|| {
        AdminAuthorizationError::Unusable { step: "discovery", reason: "it has no token_endpoint".into() }
    })?;

    // RFC 8628 §3.1: the client ID and the scope, no client authentication.
    let scope = request.scopes.join(" ");
    let answer = http
        .post_encoded_form(&device_endpoint, None, form(&[("client_id", request.client_id), ("scope", &scope)]))
        .await?;
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    if answer.status != 200 {
        return Err(refusal(&body, "device authorization request", answer.status));
    }
    let unusable = |reason: &str| AdminAuthorizationError::Unusable {
        step: "device authorization request",
        reason: reason.into(),
    };
    let device_code =
        text(&body, "device_code").map(ClientSecret::new).ok_or_else(|| unusable("it has no device_code"))?;
    let user_code = UserCode {
        user_code: text(&body, "user_code")
            .map(|code| safe(&code, 40))
            .ok_or_else(|| unusable("it has no user_code"))?,
        // Entra's v1 endpoint spelled it verification_url.
        verification_uri: text(&body, "verification_uri")
            .or_else(|| text(&body, "verification_url"))
            .filter(|uri| Url::parse(uri).is_ok_and(|url| check_scheme(&url).is_ok()))
            .map(|uri| safe(&uri, 300))
            .ok_or_else(|| unusable("it has no https verification_uri"))?,
        verification_uri_complete: text(&body, "verification_uri_complete")
            .filter(|uri| Url::parse(uri).is_ok_and(|url| check_scheme(&url).is_ok()))
            .map(|uri| safe(&uri, 400)),
        expires_in_seconds: body.get("expires_in").and_then(Value::as_u64).unwrap_or(600),
    };
    let mut interval = body
        .get("interval")
        .and_then(Value::as_u64)
        .map(|seconds| Duration::from_secs(seconds.clamp(1, 60)))
        .unwrap_or(DEFAULT_INTERVAL);
    let waiting = Duration::from_secs(user_code.expires_in_seconds).min(LONGEST_WAIT);
    show(&user_code);

    let polling = async {
        loop {
            tokio::time::sleep(interval).await;
            let answer = http
                .post_encoded_form(
                    &token_endpoint,
                    None,
                    form(&[
                        ("grant_type", DEVICE_CODE_GRANT),
                        ("device_code", device_code.expose()),
                        ("client_id", request.client_id),
                    ]),
                )
                .await?;
            let mut body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            if answer.status == 200 {
                return match body.as_object_mut().and_then(|object| object.remove("access_token")) {
                    Some(Value::String(token)) if !token.is_empty() => Ok(ClientSecret::new(token)),
                    _ => Err(AdminAuthorizationError::Unusable {
                        step: "token request",
                        reason: "it has no access_token".into(),
                    }),
                };
            }
            // RFC 8628 §3.5.
            match body.get("error").and_then(Value::as_str) {
                Some("authorization_pending") => {}
                Some("slow_down") => interval += Duration::from_secs(5),
                Some("access_denied") => return Err(AdminAuthorizationError::Denied),
                Some("expired_token") => return Err(AdminAuthorizationError::Expired),
                _ => return Err(refusal(&body, "token request", answer.status)),
            }
        }
    };
    match tokio::time::timeout(waiting, polling).await {
        Ok(result) => result,
        Err(_) => Err(AdminAuthorizationError::Expired),
    }
}

pub(crate) fn refusal(body: &Value, step: &'static str, status: u16) -> AdminAuthorizationError {
    match text(body, "error") {
        Some(error) => AdminAuthorizationError::Refused {
            error: safe(&error, 60),
            description: text(body, "error_description").map(|d| safe(&d, 300)),
        },
        None => AdminAuthorizationError::Unusable { step, reason: format!("HTTP {status} without an error code") },
    }
}
