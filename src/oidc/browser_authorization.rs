//! The admin's own sign-in for an admin API token in the browser on this computer: the
//! authorization code grant with PKCE (RFC 7636, S256) for a public client (RFC 8252 §8.4: no
//! secret), the code coming back to the loopback listener the sign-in test uses (RFC 8252
//! §7.3: `http://127.0.0.1:PORT/callback`). Where there is no browser, `device_authorization`
//! does the same with a code typed elsewhere.
//!
//! # Security
//! Fresh state, nonce and verifier for each sign-in (`authorization_request`); the callback
//! must carry this run's state, and the issuer's `iss` where the provider promises it (RFC
//! 9207); the endpoints must be on the issuer's host. The code, the verifier and the access
//! token are wiped when dropped, and none of them is shown: the access token comes back only
//! as a [`ClientSecret`]. The ID token the provider adds is not read: the admin API takes the
//! access token, which is meant for it, and this tool does not sign the admin in to itself.

use crate::connections::secret::ClientSecret;
use crate::oidc::authorization_request::build_authorization_request;
use crate::oidc::device_authorization::{discovery_document, endpoint, form, refusal, AdminAuthorizationError};
use crate::oidc::http_fetch::HttpFetch;
use crate::oidc::loopback::{CallbackExpectation, LoopbackListener, LoopbackPlan};
use openidconnect::{ClientId, RedirectUrl};
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// What the sign-in asks for.
pub struct BrowserSignIn<'a> {
    /// The issuer whose discovery document names the endpoints.
    pub issuer: &'a str,
    /// The public client's ID; its app allows `http://127.0.0.1/callback` (any port) or, with
    /// `port`, exactly `http://127.0.0.1:PORT/callback`.
    pub client_id: &'a str,
    pub scopes: &'a [String],
    /// A fixed port, for an IdP that compares loopback redirect URIs with their port.
    pub port: Option<u16>,
    /// How long the admin has to finish signing in.
    pub timeout: Duration,
}

/// Signs the admin in through the browser: `open` gets the authorization URL once the
/// listener is up (the face opens it, or shows it where no browser opens); the access token
/// comes back when the provider has redirected to the listener and the code was redeemed.
pub async fn sign_in_with_browser(
    http: &impl HttpFetch,
    request: BrowserSignIn<'_>,
    open: impl FnOnce(&Url),
) -> Result<ClientSecret, AdminAuthorizationError> {
    let (issuer, document) = discovery_document(http, request.issuer).await?;
    let unusable = |reason: &str| AdminAuthorizationError::Unusable { step: "discovery", reason: reason.into() };
    let authorization_endpoint = endpoint(&document, "authorization_endpoint", &issuer)?
        .ok_or_else(|| unusable("it has no authorization_endpoint"))?;
    let token_endpoint =
        endpoint(&document, "token_endpoint", &issuer)?.ok_or_else(|| unusable("it has no token_endpoint"))?;
    let require_iss = document.get("authorization_response_iss_parameter_supported") == Some(&Value::Bool(true));

    let listener = LoopbackListener::bind(LoopbackPlan::on_port(request.port.unwrap_or(0))).await?;
    let redirect_uri = RedirectUrl::new(listener.redirect_uri().to_owned())
        .map_err(|_| unusable("the loopback redirect URI is not a URL"))?;
    let authorization = build_authorization_request(
        authorization_endpoint.as_str(),
        &ClientId::new(request.client_id.to_owned()),
        &redirect_uri,
        request.scopes,
    )?;
    let expectation =
        CallbackExpectation { state: authorization.state.clone(), issuer: request.issuer.to_owned(), require_iss };
    open(&authorization.url);
    let code = listener.wait_for_callback(&expectation, request.timeout, |_| {}).await?;

    // RFC 6749 §4.1.3 for a public client: the client ID in the form, no authentication.
    let answer = http
        .post_encoded_form(
            &token_endpoint,
            None,
            form(&[
                ("grant_type", "authorization_code"),
                ("code", code.code.as_str()),
                ("redirect_uri", redirect_uri.as_str()),
                ("client_id", request.client_id),
                ("code_verifier", authorization.verifier.expose()),
            ]),
        )
        .await?;
    let mut body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    if answer.status != 200 {
        return Err(refusal(&body, "token request", answer.status));
    }
    match body.as_object_mut().and_then(|object| object.remove("access_token")) {
        Some(Value::String(token)) if !token.is_empty() => Ok(ClientSecret::new(token)),
        _ => Err(AdminAuthorizationError::Unusable { step: "token request", reason: "it has no access_token".into() }),
    }
}
