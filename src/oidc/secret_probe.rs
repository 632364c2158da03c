//! Whether the token endpoint still accepts a client secret, without a browser: a token
//! request with an authorization code that cannot be valid. A provider that authenticated the
//! client then refuses the code (`invalid_grant`); one that did not refuses the client
//! (`invalid_client`, RFC 6749 §5.2). Nothing is issued, and nothing about a user is involved.

use crate::catalog::vendor_profile::TokenEndpointAuthMethod;
use crate::connections::secret::ClientSecret;
use crate::oidc::http_fetch::{cut, FetchError, HttpFetch};
use crate::oidc::token_transport::TokenTransport;
use openidconnect::core::CoreErrorResponseType;
use openidconnect::{AuthorizationCode, ClientId, IssuerUrl, PkceCodeVerifier, RedirectUrl, RequestTokenError};
use url::Url;

/// The code sent: unmistakably not one a provider issued, so a provider's log shows why.
const IMPOSSIBLE_CODE: &str = "sso-setup-health-check-this-code-was-never-issued";

/// What the token endpoint's answer says about the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretVerdict {
    /// The client authenticated; only the made-up code was refused.
    Accepted,
    /// The client did not authenticate: the secret is wrong, expired or deleted, or the auth
    /// method changed.
    Refused { error: String, description: Option<String> },
    /// The answer says neither (another error code, an answer that is not OAuth's).
    Unclear { detail: String },
    /// The provider issued tokens for a code it never issued: it must not be trusted.
    TokensForAMadeUpCode,
}

pub async fn probe_client_secret(
    http: &impl HttpFetch,
    issuer: &IssuerUrl,
    token_endpoint: &Url,
    method: TokenEndpointAuthMethod,
    client_id: &ClientId,
    secret: &ClientSecret,
    redirect_uri: Option<&RedirectUrl>,
) -> Result<SecretVerdict, FetchError> {
    // A registered redirect URI goes with the request: providers that hold several for a
    // client refuse a code request without one (`invalid_request`) before they look at the code.
    let mut client = crate::oidc::sign_in_flow::token_client(client_id, issuer, token_endpoint, method, secret);
    if let Some(redirect_uri) = redirect_uri {
        client = client.set_redirect_uri(redirect_uri.clone());
    }
    let transport = TokenTransport::new(http, token_endpoint.clone());
    let verifier = crate::oidc::authorization_request::PkceVerifier::generate();
    let result = client
        .exchange_code(AuthorizationCode::new(IMPOSSIBLE_CODE.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_owned()))
        .request_async(&transport)
        .await;
    drop(client);
    let shown = |text: &str, limit| {
        crate::catalog::org_value::escape_text(&crate::oidc::sign_in_flow::redact_token_shaped(text), limit)
    };
    Ok(match result {
        Ok(_) => SecretVerdict::TokensForAMadeUpCode,
        Err(RequestTokenError::ServerResponse(answer)) => match answer.error() {
            CoreErrorResponseType::InvalidGrant => SecretVerdict::Accepted,
            CoreErrorResponseType::InvalidClient => SecretVerdict::Refused {
                error: "invalid_client".into(),
                description: answer.error_description().map(|text| shown(text, 200)),
            },
            other => {
                SecretVerdict::Unclear { detail: format!("the token endpoint answered {}", shown(other.as_ref(), 60)) }
            }
        },
        Err(RequestTokenError::Request(error)) => return Err(error),
        // Not an OAuth error document: a 401 without a body still says the client was refused.
        Err(RequestTokenError::Parse(..) | RequestTokenError::Other(_)) => match transport.take_last_answer() {
            Some(answer) if answer.status == 401 => {
                SecretVerdict::Refused { error: "HTTP 401".into(), description: None }
            }
            Some(answer) => SecretVerdict::Unclear {
                detail: format!(
                    "the token endpoint answered HTTP {} with a body that is not an OAuth error",
                    answer.status
                ),
            },
            None => SecretVerdict::Unclear { detail: cut("the token endpoint gave no answer", 80) },
        },
    })
}
