//! The sign-in flow test: the real authorization-code flow with PKCE through the loopback
//! listener and the system browser, verified like a certified relying party, with the
//! vendor's claims checked (`sso-setup test-flow`, and the desktop app's "Test sign-in").
//!
//! Every side effect comes in from the caller: the HTTP client, the browser opener, the
//! clock, and a progress callback that hears each step as it happens. The report carries
//! decoded claims and never a token, code, verifier or secret.

use crate::catalog::vendor_profile::{OidcRequirements, TokenEndpointAuthMethod};
use crate::connections::secret::ClientSecret;
use crate::error::{ErrorReport, UserFacingError};
use crate::oidc::authorization_request::build_authorization_request;
use crate::oidc::discovery::{discover, Check, CheckStatus};
use crate::oidc::http_fetch::{cut, HttpFetch};
use crate::oidc::id_token::{verify_id_token, IdTokenError, IdTokenExpectation};
use crate::oidc::issuer::NormalisedIssuer;
use crate::oidc::loopback::{CallbackExpectation, LoopbackListener, LoopbackPlan};
use crate::oidc::token_transport::{TokenEndpointAnswer, TokenTransport};
use openidconnect::core::{CoreClient, CoreTokenType};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, EndpointNotSet, EndpointSet, IssuerUrl, OAuth2TokenResponse as _,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, TokenResponse as _, TokenUrl,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use url::Url;
use zeroize::Zeroizing;

/// What to test.
pub struct SignInFlowRequest<'a> {
    pub issuer: NormalisedIssuer,
    pub client_id: &'a ClientId,
    pub client_secret: &'a ClientSecret,
    pub vendor: Option<&'a OidcRequirements>,
    pub loopback: LoopbackPlan,
    pub forced_auth_method: Option<TokenEndpointAuthMethod>,
    pub timeout: Duration,
    /// The injected clock (ID-token times).
    pub now: &'a dyn crate::journeys::Clock,
}

/// Progress, as it happens.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FlowEvent {
    Check(Check),
    /// The listener is up; open this URL in the browser.
    WaitingForSignIn {
        authorization_url: String,
        redirect_uri: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct FlowReport {
    pub ok: bool,
    pub issuer: String,
    pub redirect_uri: Option<String>,
    pub token_endpoint_auth_method: Option<String>,
    pub checks: Vec<Check>,
    pub id_token_claims: Option<BTreeMap<String, Value>>,
    pub userinfo_claims: Option<BTreeMap<String, Value>>,
    pub missing_claims: Vec<String>,
    pub error: Option<ErrorReport>,
    pub timings_ms: BTreeMap<String, u64>,
}

fn claims_map(value: &Value) -> BTreeMap<String, Value> {
    value.as_object().map(|object| object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

struct Recorder<'a, F: FnMut(FlowEvent)> {
    report: FlowReport,
    on_event: &'a mut F,
}

impl<F: FnMut(FlowEvent)> Recorder<'_, F> {
    fn check(&mut self, check: Check) {
        (self.on_event)(FlowEvent::Check(check.clone()));
        self.report.checks.push(check);
    }

    fn fail(mut self, id: &'static str, error: &dyn UserFacingError) -> FlowReport {
        self.check(Check { id, status: CheckStatus::Fail, detail: error.to_string(), hint: error.hint() });
        self.report.error = Some(error.to_report());
        self.report.ok = false;
        self.report
    }
}

/// The fields of a token endpoint's answer that are read; the rest (a refresh token, say) is
/// skipped unread. A field of the wrong type reads as absent, so the message says what is
/// missing rather than that the whole answer failed to parse.
#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: Option<LenientText>,
    id_token: Option<LenientText>,
    token_type: Option<LenientText>,
    error: Option<LenientText>,
    error_description: Option<LenientText>,
}

/// A JSON string, held in zeroizing memory; any other JSON value reads as `None`.
struct LenientText(Option<Zeroizing<String>>);

impl<'de> serde::Deserialize<'de> for LenientText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LenientText;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> Result<LenientText, E> {
                Ok(LenientText(Some(Zeroizing::new(text.to_owned()))))
            }
            fn visit_string<E>(self, text: String) -> Result<LenientText, E> {
                Ok(LenientText(Some(Zeroizing::new(text))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_unit<E>(self) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_none<E>(self) -> Result<LenientText, E> {
                Ok(LenientText(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<LenientText, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(LenientText(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<LenientText, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(LenientText(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// True when `application/x-www-form-urlencoded` changes the text: client_secret_basic
/// encodes the ID and secret so before base64 (RFC 6749 §2.3.1), and providers that do not
/// decode them again then see another secret. Entra's secrets contain `~`, for one.
pub fn form_encoding_changes(text: &str) -> bool {
    // What `application/x-www-form-urlencoded` leaves as it is (the WHATWG URL standard's
    // urlencoded byte serializer): ASCII letters and digits and `*-._`.
    text.bytes().any(|byte| !(byte.is_ascii_alphanumeric() || b"*-._".contains(&byte)))
}

/// The token endpoint's answer, read without ever logging its body.
struct TokenResponse {
    access_token: Zeroizing<String>,
    id_token: Zeroizing<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("the token endpoint answered {error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    TokenError {
        error: String,
        description: Option<String>,
        /// client_secret_basic was used and the secret holds characters that its form
        /// encoding changes, which some providers do not undo.
        secret_changed_by_basic_encoding: bool,
    },
    #[error("the token endpoint's answer is not usable: {0}")]
    TokenResponse(String),
    #[error("the discovery document has no {0}")]
    MissingEndpoint(&'static str),
    #[error("userinfo's sub is {found}, but the ID token's sub is {expected}")]
    UserinfoSubMismatch { found: String, expected: String },
    #[error("the ID token lacks {missing}, which the vendor reads from the ID token itself")]
    MissingVendorClaims { missing: String },
}

impl UserFacingError for FlowError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            FlowError::TokenError { .. } => crate::error::ErrorCode::TokenError,
            FlowError::TokenResponse(_) => crate::error::ErrorCode::TokenResponseUnusable,
            FlowError::MissingEndpoint(_) => crate::error::ErrorCode::DiscoveryMissingEndpoint,
            FlowError::UserinfoSubMismatch { .. } => crate::error::ErrorCode::UserinfoSubMismatch,
            FlowError::MissingVendorClaims { .. } => crate::error::ErrorCode::VendorClaimsMissing,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            FlowError::TokenError { error, secret_changed_by_basic_encoding: true, .. } if error == "invalid_client" => {
                "the secret may well be right: it holds characters (such as ~, +, / or =) that client_secret_basic form-encodes before base64 (RFC 6749 §2.3.1), and some providers do not decode them. Run the test again with client_secret_post if the vendor accepts it (the vendor profile lists the methods it uses); if the vendor uses client_secret_basic only, create a client secret without such characters at the IdP, or ask the vendor how it encodes the secret".into()
            }
            FlowError::TokenError { error, .. } if error == "invalid_client" => {
                "check the client secret (in Entra: the secret's Value, not its Secret ID) and the client authentication method".into()
            }
            FlowError::TokenError { .. } => "explaining the error gives the cause and the fix".into(),
            FlowError::MissingVendorClaims { .. } => {
                "configure the IdP to put these claims in the ID token (Entra: Token configuration → Add optional claim → ID; Okta: claim set to Always; JumpCloud: Email and Profile standard scopes)".into()
            }
            _ => "run the test again; if it repeats, the provider is misconfigured".into(),
        })
    }
}

/// The crate's client for one token endpoint, with the secret and one auth method.
pub(crate) type TokenClient = CoreClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// A client with the secret, for one request only: the crate holds the secret in plain strings
/// (two of them), which are dropped, and wiped by the binaries, right after.
pub(crate) fn token_client(
    client_id: &ClientId,
    issuer: &IssuerUrl,
    token_endpoint: &Url,
    method: TokenEndpointAuthMethod,
    secret: &ClientSecret,
) -> TokenClient {
    CoreClient::new(client_id.clone(), issuer.clone(), openidconnect::core::CoreJsonWebKeySet::default())
        .set_token_uri(TokenUrl::from_url(token_endpoint.clone()))
        .set_client_secret(openidconnect::ClientSecret::new(secret.expose().to_owned()))
        .set_auth_type(match method {
            TokenEndpointAuthMethod::ClientSecretBasic => AuthType::BasicAuth,
            TokenEndpointAuthMethod::ClientSecretPost => AuthType::RequestBody,
        })
}

/// The code exchange, built and read by the openidconnect crate and sent by the hardened
/// client. One client authentication method, never both (Okta refuses "multiple client
/// credentials"): client_secret_basic puts the ID and secret in the header only, form-encoded
/// before base64 as RFC 6749 §2.3.1 says.
#[allow(clippy::too_many_arguments)]
async fn exchange_code(
    http: &impl HttpFetch,
    issuer: &IssuerUrl,
    token_endpoint: &Url,
    method: TokenEndpointAuthMethod,
    client_id: &ClientId,
    secret: &ClientSecret,
    code: &str,
    redirect_uri: &RedirectUrl,
    verifier: &str,
) -> Result<TokenResponse, Box<dyn UserFacingError>> {
    let client = token_client(client_id, issuer, token_endpoint, method, secret).set_redirect_uri(redirect_uri.clone());
    let transport = TokenTransport::new(http, token_endpoint.clone());
    let result = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(&transport)
        .await;
    drop(client);
    let secret_changed_by_basic_encoding =
        method == TokenEndpointAuthMethod::ClientSecretBasic && form_encoding_changes(secret.expose());
    match result {
        Ok(answer) => {
            if *answer.token_type() != CoreTokenType::Bearer {
                return Err(Box::new(FlowError::TokenResponse(format!(
                    "token_type is '{}', not Bearer",
                    cut(answer.token_type().as_ref(), 40)
                ))));
            }
            let access_token = Zeroizing::new(answer.access_token().secret().clone());
            let id_token = answer.id_token().map(|token| Zeroizing::new(token.to_string())).ok_or_else(|| {
                Box::new(FlowError::TokenResponse("no id_token: is the openid scope allowed for this app?".into()))
                    as Box<dyn UserFacingError>
            })?;
            Ok(TokenResponse { access_token, id_token })
        }
        Err(RequestTokenError::Request(error)) => Err(Box::new(error)),
        // Only error and error_description are shown: the rest of a hostile body may hold
        // token-shaped strings that must not reach a log.
        Err(RequestTokenError::ServerResponse(error)) => Err(Box::new(FlowError::TokenError {
            error: cut(error.error().as_ref(), 60),
            description: error.error_description().map(|d| cut(&redact_token_shaped(d), 300)),
            secret_changed_by_basic_encoding,
        })),
        // The crate could not read the answer (its body, which these errors carry, is dropped
        // unread): the lenient reader says what is wrong with it, from the transport's copy.
        // When it finds the tokens, the exchange worked and the ID token's own checks decide.
        Err(RequestTokenError::Parse(..) | RequestTokenError::Other(_)) => match transport.take_last_answer() {
            Some(answer) => read_token_answer(answer, secret_changed_by_basic_encoding),
            None => Err(Box::new(FlowError::TokenResponse("the token endpoint gave no answer".into()))),
        },
    }
}

/// Reads a token endpoint's answer that the crate could not: what is missing or wrong, in
/// words, without ever echoing the body.
fn read_token_answer(
    answer: TokenEndpointAnswer,
    secret_changed_by_basic_encoding: bool,
) -> Result<TokenResponse, Box<dyn UserFacingError>> {
    // Read straight into zeroizing strings: a `serde_json::Value` would hold the tokens in
    // plain `String`s.
    let body: TokenAnswer = serde_json::from_slice(&answer.body).map_err(|error| {
        let what = match error.classify() {
            serde_json::error::Category::Data => "a JSON body that is not a token response (not an object)",
            _ => "a body that is not JSON",
        };
        Box::new(FlowError::TokenResponse(format!("HTTP {} with {what}", answer.status))) as Box<dyn UserFacingError>
    })?;
    fn text(field: &Option<LenientText>) -> Option<&str> {
        field.as_ref().and_then(|text| text.0.as_deref()).map(String::as_str)
    }
    if !(200..300).contains(&answer.status) || body.error.is_some() {
        let error = text(&body.error).unwrap_or("(no error code)");
        return Err(Box::new(FlowError::TokenError {
            error: cut(error, 60),
            description: text(&body.error_description).map(|d| cut(&redact_token_shaped(d), 300)),
            secret_changed_by_basic_encoding,
        }));
    }
    let token_type = text(&body.token_type).unwrap_or_default();
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(Box::new(FlowError::TokenResponse(format!("token_type is '{}', not Bearer", cut(token_type, 40)))));
    }
    let secret_field = |field: Option<LenientText>| field.and_then(|text| text.0);
    let access_token = secret_field(body.access_token)
        .ok_or_else(|| Box::new(FlowError::TokenResponse("no access_token".into())) as Box<dyn UserFacingError>)?;
    let id_token = secret_field(body.id_token).ok_or_else(|| {
        Box::new(FlowError::TokenResponse("no id_token: is the openid scope allowed for this app?".into()))
            as Box<dyn UserFacingError>
    })?;
    Ok(TokenResponse { access_token, id_token })
}

/// Replaces token-shaped text (a JWT's `eyJ...` runs) in a provider's message: a hostile or
/// careless provider can echo tokens into error descriptions, which then end up in logs and
/// support tickets.
pub fn redact_token_shaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("eyJ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end =
            tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(tail.len());
        out.push_str("[redacted token]");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn elapsed_ms(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

/// Runs the whole test. `open_browser` receives the authorization URL once the listener is up.
pub async fn run_sign_in_flow(
    http: &impl HttpFetch,
    request: SignInFlowRequest<'_>,
    open_browser: impl FnOnce(&Url),
    mut on_event: impl FnMut(FlowEvent),
) -> FlowReport {
    let started = Instant::now();
    let mut recorder = Recorder {
        report: FlowReport {
            ok: false,
            issuer: request.issuer.issuer.clone(),
            redirect_uri: None,
            token_endpoint_auth_method: None,
            checks: Vec::new(),
            id_token_claims: None,
            userinfo_claims: None,
            missing_claims: Vec::new(),
            error: None,
            timings_ms: BTreeMap::new(),
        },
        on_event: &mut on_event,
    };

    // 1. Discovery, with the same checks as `sso-setup discover`.
    let discovery = discover(http, request.issuer.clone(), request.vendor).await;
    for check in discovery.checks.clone() {
        recorder.check(check);
    }
    recorder.report.timings_ms.insert("discovery".into(), elapsed_ms(started));
    if !discovery.ok {
        recorder.report.error = discovery.failure();
        return recorder.report;
    }
    let provider = discovery.provider;
    let method = request
        .forced_auth_method
        .or(provider.token_endpoint_auth_method)
        .unwrap_or(TokenEndpointAuthMethod::ClientSecretBasic);
    recorder.report.token_endpoint_auth_method = Some(method.as_str().to_owned());
    let (Some(authorization_endpoint), Some(token_endpoint), Some(jwks_uri)) =
        (provider.authorization_endpoint.clone(), provider.token_endpoint.clone(), provider.jwks_uri.clone())
    else {
        return recorder
            .fail("discovery-document", &FlowError::MissingEndpoint("authorization, token or jwks endpoint"));
    };

    // 2. The loopback listener and the authorization request.
    let listener = match LoopbackListener::bind(request.loopback.clone()).await {
        Ok(listener) => listener,
        Err(error) => return recorder.fail("loopback-listener", &error),
    };
    let redirect_uri = listener.redirect_uri().to_owned();
    recorder.report.redirect_uri = Some(redirect_uri.clone());
    let (issuer, redirect_url) =
        match (IssuerUrl::new(request.issuer.issuer.clone()), RedirectUrl::new(redirect_uri.clone())) {
            (Ok(issuer), Ok(redirect_url)) => (issuer, redirect_url),
            _ => return recorder.fail("authorization-request", &FlowError::MissingEndpoint("valid issuer")),
        };
    let scopes = request.vendor.map(|vendor| vendor.scopes.clone()).unwrap_or_else(|| vec!["openid".into()]);
    let authorization =
        match build_authorization_request(&authorization_endpoint, request.client_id, &redirect_url, &scopes) {
            Ok(authorization) => authorization,
            Err(error) => return recorder.fail("authorization-request", &error),
        };
    (recorder.on_event)(FlowEvent::WaitingForSignIn {
        authorization_url: authorization.url.to_string(),
        redirect_uri: redirect_uri.clone(),
    });
    open_browser(&authorization.url);
    let waiting = Instant::now();
    let expectation = CallbackExpectation {
        state: authorization.state.clone(),
        issuer: request.issuer.issuer.clone(),
        require_iss: provider.authorization_response_iss_parameter_supported,
    };
    let callback = match listener.wait_for_callback(&expectation, request.timeout, |_| {}).await {
        Ok(callback) => callback,
        Err(error) => return recorder.fail("callback", &error),
    };
    recorder.report.timings_ms.insert("sign_in".into(), elapsed_ms(waiting));
    let iss_detail = if callback.iss.is_some() { ", iss matches the issuer (RFC 9207)" } else { "" };
    recorder.check(Check {
        id: "callback",
        status: CheckStatus::Pass,
        detail: format!("the callback's state matches{iss_detail}"),
        hint: None,
    });

    // 3. The token request, to the discovered token endpoint only.
    let exchanging = Instant::now();
    let token_url = match Url::parse(&token_endpoint) {
        Ok(url) => url,
        Err(_) => return recorder.fail("token-exchange", &FlowError::MissingEndpoint("valid token_endpoint")),
    };
    let tokens = match exchange_code(
        http,
        &issuer,
        &token_url,
        method,
        request.client_id,
        request.client_secret,
        &callback.code,
        &authorization.redirect_uri,
        authorization.verifier.expose(),
    )
    .await
    {
        Ok(tokens) => tokens,
        Err(error) => return recorder.fail("token-exchange", error.as_ref()),
    };
    recorder.report.timings_ms.insert("token".into(), elapsed_ms(exchanging));
    recorder.check(Check {
        id: "token-exchange",
        status: CheckStatus::Pass,
        detail: format!("tokens received with {}", method.as_str()),
        hint: None,
    });

    // 4. The ID token, against the live key set; one re-fetch on an unknown kid.
    let jwks_url = match Url::parse(&jwks_uri) {
        Ok(url) => url,
        Err(_) => return recorder.fail("id-token", &FlowError::MissingEndpoint("valid jwks_uri")),
    };
    let advertised = provider.id_token_signing_algorithms.clone();
    let expectation = IdTokenExpectation {
        issuer: &issuer,
        client_id: request.client_id,
        nonce: &authorization.nonce,
        advertised_algorithms: &advertised,
        now: request.now.now_unix_seconds(),
        access_token: Some(tokens.access_token.as_str()),
    };
    // The key set discovery fetched a moment ago comes first; an unknown kid (a key rotated
    // since) gets exactly one fresh fetch.
    let mut cached_key_set = discovery.key_set.clone();
    let mut claims = None;
    for attempt in 0..2 {
        let key_set: Value = match cached_key_set.take() {
            Some(key_set) => key_set,
            None => match http.get(&jwks_url).await {
                Ok(response) => serde_json::from_slice(&response.body).unwrap_or(Value::Null),
                Err(error) => return recorder.fail("id-token", &error),
            },
        };
        match verify_id_token(&tokens.id_token, &key_set, &expectation) {
            Ok(verified) => {
                claims = Some(verified);
                break;
            }
            Err(IdTokenError::UnknownKeyId { .. }) if attempt == 0 => continue,
            Err(error) => return recorder.fail("id-token", &error),
        }
    }
    let Some(claims) = claims else {
        return recorder.fail("id-token", &IdTokenError::NoUsableKey { algorithm: "any".into() });
    };
    recorder.check(Check {
        id: "id-token",
        status: CheckStatus::Pass,
        detail: "signature, iss, aud, exp, iat and nonce verified".into(),
        hint: None,
    });
    recorder.report.id_token_claims = Some(claims_map(&claims));

    // 5. Userinfo, where offered: its sub must be the ID token's.
    if let Some(userinfo) = provider.userinfo_endpoint.as_deref().and_then(|text| Url::parse(text).ok()) {
        match http.get_with_bearer(&userinfo, &tokens.access_token).await {
            Ok(response) if (200..300).contains(&response.status) => match serde_json::from_slice(&response.body) {
                Ok(info @ Value::Object(_)) => {
                    let found = info.get("sub").and_then(Value::as_str).unwrap_or_default();
                    let expected = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
                    if found != expected {
                        return recorder.fail(
                            "userinfo",
                            &FlowError::UserinfoSubMismatch { found: cut(found, 80), expected: cut(expected, 80) },
                        );
                    }
                    recorder.report.userinfo_claims = Some(claims_map(&info));
                    recorder.check(Check {
                        id: "userinfo",
                        status: CheckStatus::Pass,
                        detail: "userinfo's sub matches the ID token".into(),
                        hint: None,
                    });
                }
                // Malformed, a BOM, nested too deep, not an object: said as such, never mistaken
                // for another user's `sub`.
                Ok(_) | Err(_) => recorder.check(Check {
                    id: "userinfo",
                    status: CheckStatus::Warn,
                    detail: "userinfo's answer is not a JSON object".into(),
                    hint: Some(
                        "the vendor may read claims from userinfo; check the provider's userinfo endpoint".into(),
                    ),
                }),
            },
            Ok(response) => recorder.check(Check {
                id: "userinfo",
                status: CheckStatus::Warn,
                detail: format!("userinfo answered HTTP {}", response.status),
                hint: Some("the vendor may read claims from userinfo; check the app's userinfo access".into()),
            }),
            Err(error) => recorder.check(Check {
                id: "userinfo",
                status: CheckStatus::Warn,
                detail: error.to_string(),
                hint: error.hint(),
            }),
        }
    }

    // 6. The vendor's claims, where the vendor reads them.
    if let Some(vendor) = request.vendor {
        let in_id_token = |name: &str| claims.get(name).is_some_and(|value| !value.is_null());
        let in_userinfo = |name: &str| {
            recorder
                .report
                .userinfo_claims
                .as_ref()
                .is_some_and(|info| info.get(name).is_some_and(|value| !value.is_null()))
        };
        let missing: Vec<String> = vendor
            .required_claims
            .iter()
            .filter(|claim| !(in_id_token(&claim.name) || (!claim.in_id_token && in_userinfo(&claim.name))))
            .map(|claim| claim.name.clone())
            .collect();
        if !missing.is_empty() {
            recorder.report.missing_claims = missing.clone();
            return recorder.fail("vendor-claims", &FlowError::MissingVendorClaims { missing: missing.join(", ") });
        }
        if !vendor.required_claims.is_empty() {
            recorder.check(Check {
                id: "vendor-claims",
                status: CheckStatus::Pass,
                detail: "every claim the vendor needs is present".into(),
                hint: None,
            });
        }
    }
    recorder.report.timings_ms.insert("total".into(), elapsed_ms(started));
    recorder.report.ok = true;
    recorder.report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's token request, captured as it would be sent: client_secret_basic form-encodes
    /// both parts before base64 (RFC 6749 §2.3.1 and Appendix B: "~" and "+" are encoded,
    /// letters and digits are not) and puts neither in the body.
    #[test]
    fn client_secret_basic_form_encodes_both_parts_before_base64() {
        use base64::Engine as _;
        let client = CoreClient::new(
            ClientId::new("client:1".into()),
            IssuerUrl::new("https://idp.example.com".into()).unwrap(),
            openidconnect::core::CoreJsonWebKeySet::default(),
        )
        .set_token_uri(TokenUrl::new("https://idp.example.com/token".into()).unwrap())
        .set_client_secret(openidconnect::ClientSecret::new("a~b+c d".into()))
        .set_auth_type(AuthType::BasicAuth);
        let seen = std::sync::Mutex::new(None);
        let capture = |request: openidconnect::HttpRequest| {
            *seen.lock().unwrap() = Some(request);
            std::future::ready(Err::<openidconnect::HttpResponse, _>(std::io::Error::other("captured")))
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let _ = runtime.block_on(client.exchange_code(AuthorizationCode::new("code-1".into())).request_async(&capture));
        let request = seen.into_inner().unwrap().unwrap();
        let header = request.headers()["authorization"].to_str().unwrap();
        let encoded = header.strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap();
        assert_eq!(decoded, b"client%3A1:a%7Eb%2Bc+d");
        let body = String::from_utf8(request.body().clone()).unwrap();
        assert!(!body.contains("client_secret") && !body.contains("client_id"), "{body}");
    }

    #[test]
    fn secrets_that_the_basic_encoding_changes_are_recognised() {
        assert!(form_encoding_changes("Xy8Q~abc"), "Entra secrets hold ~");
        for changed in ["a+b", "a/b", "a=b", "a b", "é"] {
            assert!(form_encoding_changes(changed), "{changed}");
        }
        for unchanged in ["abcXYZ019", "a-b_c.d*e"] {
            assert!(!form_encoding_changes(unchanged), "{unchanged}");
        }
    }

    #[test]
    fn a_token_answer_reads_only_strings_and_skips_the_rest() {
        let answer: TokenAnswer = serde_json::from_str(
            r#"{"access_token":42,"id_token":"eyJ.x.y","refresh_token":{"nested":[1,2]},"token_type":"bearer"}"#,
        )
        .unwrap();
        assert!(answer.access_token.unwrap().0.is_none());
        assert_eq!(answer.id_token.unwrap().0.unwrap().as_str(), "eyJ.x.y");
    }
}
