//! Verifying an ID token like a certified relying party (OpenID Connect Core §3.1.3.7).
//!
//! The signature is checked against the provider's JWKS with an algorithm from
//! {RS256, PS256, ES256} ∩ what the provider advertises; `none` and HMAC are refused (an HS256
//! token "signed" with a public key is the classic forgery). Then `iss` (exact), `aud` (the
//! client ID and nothing else, strings only), `azp` (the client ID when present), `exp` and `iat` with a stated clock skew (a far
//! future `iat` is refused, with "check the system clock" when that is the likely cause),
//! `sub`, `nonce`, and `at_hash` when present. An unknown `kid` is reported as such, so the
//! caller can fetch the JWKS once more (key rotation) and try again.
//!
//! The openidconnect crate verifies the signature and the JOSE header, and checks `iss`,
//! `aud`, `exp` and `nonce` itself (`IdTokenVerifier`, a public client: HMAC is never keyed
//! with the client secret). Where it is lax or its errors are coarse, this module's own
//! checks run around it: the algorithm allow-list and the key choice before it (so an
//! unknown `kid` is named and fetched again), and every claim rule after it, on the claims
//! the signature covered. When the crate refuses a token, the claim rules say why.
//!
//! The raw token never leaves this module in a message; reports carry decoded claims only.

use crate::error::UserFacingError;
use base64::Engine as _;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
};
use openidconnect::{ClaimsVerificationError, ClientId, IssuerUrl, Nonce, SignatureVerificationError};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How far the provider's clock and this computer's may disagree.
pub const CLOCK_SKEW_SECONDS: i64 = 120;

/// An `iat` older than this is refused: an ID token is used at once.
pub const MAXIMUM_TOKEN_AGE_SECONDS: i64 = 24 * 60 * 60;

/// Beyond this much disagreement the system clock is the likely culprit.
const CLOCK_SUSPECT_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    #[error("the ID token is not a signed JWT: {0}")]
    Malformed(String),
    #[error("the ID token is signed with {found}, which is not an algorithm sso-setup accepts from this provider ({accepted})")]
    AlgorithmRefused { found: String, accepted: String },
    #[error("the provider's key set has no key with kid {kid}")]
    UnknownKeyId { kid: String },
    #[error("the ID token names no key (kid) and the key set has {count} keys that fit")]
    AmbiguousKey { count: usize },
    #[error("the provider's key set has no key that can verify this {algorithm} token")]
    NoUsableKey { algorithm: String },
    #[error("the ID token's signature does not verify against the provider's key")]
    BadSignature,
    #[error("the ID token's iss is {found}, not {expected}")]
    WrongIssuer { found: String, expected: String },
    #[error("the ID token has no {claim} claim")]
    MissingClaim { claim: &'static str },
    #[error("the ID token's audience {found} does not include the client ID {client_id}")]
    WrongAudience { found: String, client_id: String },
    #[error("the ID token is also meant for other audiences ({found}); only the client ID may be its audience")]
    UntrustedAudience { found: String },
    #[error("the ID token's aud claim holds a value that is not a string")]
    MalformedAudience,
    #[error("the ID token's azp (authorized party) is {found}, not the client ID {client_id}")]
    WrongAuthorizedParty { found: String, client_id: String },
    #[error("the ID token expired {seconds} seconds ago")]
    Expired { seconds: i64, clock_suspect: bool },
    #[error("the ID token was issued {seconds} seconds in the future")]
    IssuedInFuture { seconds: i64, clock_suspect: bool },
    #[error("the ID token was issued {seconds} seconds ago, too long ago for a fresh sign-in")]
    IssuedTooLongAgo { seconds: i64 },
    #[error("the ID token's nonce does not match this sign-in (a replayed or injected token)")]
    WrongNonce,
    #[error("the ID token's at_hash does not match the access token")]
    WrongAccessTokenHash,
}

impl UserFacingError for IdTokenError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            IdTokenError::Malformed(_) => crate::error::ErrorCode::IdTokenMalformed,
            IdTokenError::AlgorithmRefused { .. } => crate::error::ErrorCode::IdTokenAlgorithmRefused,
            IdTokenError::UnknownKeyId { .. } => crate::error::ErrorCode::IdTokenUnknownKey,
            IdTokenError::AmbiguousKey { .. } => crate::error::ErrorCode::IdTokenAmbiguousKey,
            IdTokenError::NoUsableKey { .. } => crate::error::ErrorCode::IdTokenNoUsableKey,
            IdTokenError::BadSignature => crate::error::ErrorCode::IdTokenBadSignature,
            IdTokenError::WrongIssuer { .. } => crate::error::ErrorCode::IdTokenWrongIssuer,
            IdTokenError::MissingClaim { .. } => crate::error::ErrorCode::IdTokenMissingClaim,
            IdTokenError::WrongAudience { .. } => crate::error::ErrorCode::IdTokenWrongAudience,
            IdTokenError::UntrustedAudience { .. } => crate::error::ErrorCode::IdTokenUntrustedAudience,
            IdTokenError::MalformedAudience => crate::error::ErrorCode::IdTokenMalformedAudience,
            IdTokenError::WrongAuthorizedParty { .. } => crate::error::ErrorCode::IdTokenWrongAzp,
            IdTokenError::Expired { .. } => crate::error::ErrorCode::IdTokenExpired,
            IdTokenError::IssuedInFuture { .. } => crate::error::ErrorCode::IdTokenIssuedInFuture,
            IdTokenError::IssuedTooLongAgo { .. } => crate::error::ErrorCode::IdTokenTooOld,
            IdTokenError::WrongNonce => crate::error::ErrorCode::IdTokenWrongNonce,
            IdTokenError::WrongAccessTokenHash => crate::error::ErrorCode::IdTokenWrongAtHash,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            IdTokenError::Expired { clock_suspect: true, .. } | IdTokenError::IssuedInFuture { clock_suspect: true, .. } => {
                "check the system clock of this computer (and its time zone setting); it disagrees with the provider's by minutes".into()
            }
            IdTokenError::AlgorithmRefused { .. } => {
                "set the app's ID token signing algorithm to RS256 at the provider (Auth0: Advanced → OAuth)".into()
            }
            IdTokenError::UntrustedAudience { .. } | IdTokenError::WrongAuthorizedParty { .. } => {
                "the provider issues this app's ID tokens for other clients too: check the app's audience settings at the provider (a custom authorization server or resource in the audience), and do not trust this sign-in".into()
            }
            IdTokenError::WrongAudience { .. } | IdTokenError::MalformedAudience => {
                "check the client ID given to sso-setup against the app at the provider".into()
            }
            IdTokenError::WrongIssuer { .. } => "use the provider's exact issuer, as its discovery document states it".into(),
            _ => "do not trust this sign-in; run the test again, and if it repeats, check the provider's app settings".into(),
        })
    }
}

/// What the token is checked against.
#[derive(Debug, Clone)]
pub struct IdTokenExpectation<'a> {
    pub issuer: &'a IssuerUrl,
    pub client_id: &'a ClientId,
    pub nonce: &'a str,
    /// The provider's `id_token_signing_alg_values_supported`.
    pub advertised_algorithms: &'a [String],
    /// Seconds since 1970, from the injected clock.
    pub now: i64,
    pub access_token: Option<&'a str>,
}

/// The algorithms sso-setup accepts at all; what a provider advertises narrows them further.
fn parse_algorithm(name: &str) -> Option<CoreJwsSigningAlgorithm> {
    match name {
        "RS256" => Some(CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256),
        "PS256" => Some(CoreJwsSigningAlgorithm::RsaSsaPssSha256),
        "ES256" => Some(CoreJwsSigningAlgorithm::EcdsaP256Sha256),
        _ => None,
    }
}

fn decode_part(token: &str, index: usize, what: &str) -> Result<Value, IdTokenError> {
    let encoded = token.split('.').nth(index).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| IdTokenError::Malformed(format!("the {what} is not base64url")))?;
    serde_json::from_slice(&bytes).map_err(|_| IdTokenError::Malformed(format!("the {what} is not JSON")))
}

/// Verifies the token against the key set and returns its claims.
pub fn verify_id_token(
    token: &str,
    key_set: &Value,
    expectation: &IdTokenExpectation<'_>,
) -> Result<Value, IdTokenError> {
    if token.split('.').count() != 3 {
        return Err(IdTokenError::Malformed("it does not have three parts".into()));
    }
    let header = decode_part(token, 0, "header")?;
    let algorithm_name = header.get("alg").and_then(Value::as_str).unwrap_or("none").to_owned();
    let accepted: Vec<&str> = expectation
        .advertised_algorithms
        .iter()
        .map(String::as_str)
        .filter(|alg| parse_algorithm(alg).is_some())
        .collect();
    let refused = || IdTokenError::AlgorithmRefused {
        found: crate::catalog::org_value::escape_text(&algorithm_name, 20),
        accepted: if accepted.is_empty() { "none".into() } else { accepted.join(", ") },
    };
    if parse_algorithm(&algorithm_name).is_none() || !accepted.contains(&algorithm_name.as_str()) {
        return Err(refused());
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let candidates = choose_key(key_set, kid, &algorithm_name)?;
    // Read unverified here, and returned only once the crate has verified the signature over
    // exactly these bytes: the report lists what the IdP signed, `aud` as it was sent.
    let claims = decode_part(token, 1, "payload")?;
    let no_usable_key = || IdTokenError::NoUsableKey { algorithm: algorithm_name.clone() };
    // Keys the crate cannot read (another key type, a made-up one) are skipped, not fatal.
    let keys: CoreJsonWebKeySet = serde_json::from_value(key_set.clone()).map_err(|_| no_usable_key())?;
    let now = expectation.now;
    let verifier =
        CoreIdTokenVerifier::new_public_client(expectation.client_id.clone(), expectation.issuer.clone(), keys)
            .set_allowed_algs(accepted.iter().filter_map(|name| parse_algorithm(name)))
            // No audience besides the client ID is trusted (the crate's default, stated).
            .set_other_audience_verifier_fn(|_| false)
            // The crate refuses when its clock is at or past `exp`, with no leeway: one second
            // more than the skew makes that exactly this module's rule (now > exp + skew).
            .set_time_fn(move || {
                chrono::DateTime::from_timestamp(now - CLOCK_SKEW_SECONDS - 1, 0)
                    .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
            });
    let expected_nonce = expectation.nonce;
    let nonce_matches = move |found: Option<&Nonce>| match found {
        None => Err("missing nonce claim".to_owned()),
        Some(found)
            if bool::from(subtle::ConstantTimeEq::ct_eq(found.secret().as_bytes(), expected_nonce.as_bytes())) =>
        {
            Ok(())
        }
        Some(_) => Err("nonce mismatch".to_owned()),
    };
    let verdict = match token.parse::<CoreIdToken>() {
        Ok(parsed) => parsed.claims(&verifier, nonce_matches).map(|_| ()),
        Err(_) => Err(ClaimsVerificationError::Other(unreadable_claim(&claims))),
    };
    match verdict {
        Ok(()) => {}
        Err(ClaimsVerificationError::SignatureVerification(error)) => {
            return Err(match error {
                SignatureVerificationError::CryptoError(_) => IdTokenError::BadSignature,
                SignatureVerificationError::AmbiguousKeyId(_) => IdTokenError::AmbiguousKey { count: candidates },
                SignatureVerificationError::NoSignature
                | SignatureVerificationError::DisallowedAlg(_)
                | SignatureVerificationError::UnsupportedAlg(_) => refused(),
                SignatureVerificationError::NoMatchingKey | SignatureVerificationError::InvalidKey(_) => {
                    no_usable_key()
                }
                other => IdTokenError::Malformed(crate::catalog::org_value::escape_text(&other.to_string(), 160)),
            })
        }
        // The crate's claim errors are coarse (one "invalid audience" for four cases): the
        // claim rules below name the exact one. If they find nothing, the crate's reason stands.
        Err(other) => {
            check_claims(&claims, &algorithm_name, expectation)?;
            return Err(IdTokenError::Malformed(crate::catalog::org_value::escape_text(&other.to_string(), 160)));
        }
    }
    check_claims(&claims, &algorithm_name, expectation)?;
    Ok(claims)
}

/// Which standard claim the crate could not read, by its name (never its value). Its error
/// does not say (the standard claims are a flattened struct): the claim is the one without
/// which the claims read.
fn unreadable_claim(claims: &Value) -> String {
    let readable = |object: serde_json::Map<String, Value>| {
        serde_json::from_value::<CoreIdTokenClaims>(Value::Object(object)).is_ok()
    };
    let culprit = claims.as_object().and_then(|object| {
        object.keys().find(|name| {
            let mut without = object.clone();
            without.remove(name.as_str());
            readable(without)
        })
    });
    match culprit {
        Some(name) => format!(
            "its {} claim does not have the type OpenID Connect Core section 5.1 gives it",
            crate::catalog::org_value::escape_text(name, 80)
        ),
        None => "its claims cannot be read as OpenID Connect Core section 2 and 5.1 give them".into(),
    }
}

/// The key the token names, or the one key that fits when it names none; how many fit. The
/// crate makes the same choice, but without saying which `kid` it missed, and an unknown
/// `kid` is what makes the flow fetch the key set once more (a key rotated since).
fn choose_key(key_set: &Value, kid: Option<&str>, algorithm: &str) -> Result<usize, IdTokenError> {
    let wanted_kty = if algorithm == "ES256" { "EC" } else { "RSA" };
    let keys = key_set.get("keys").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let fitting: Vec<&Value> = keys
        .iter()
        .filter(|key| key.get("kty").and_then(Value::as_str) == Some(wanted_kty))
        .filter(|key| key.get("use").and_then(Value::as_str).is_none_or(|usage| usage == "sig"))
        .collect();
    match kid {
        Some(kid) => match fitting.iter().filter(|key| key.get("kid").and_then(Value::as_str) == Some(kid)).count() {
            0 => Err(IdTokenError::UnknownKeyId { kid: crate::catalog::org_value::escape_text(kid, 80) }),
            count => Ok(count),
        },
        None if fitting.len() == 1 => Ok(1),
        None if fitting.is_empty() => Err(IdTokenError::NoUsableKey { algorithm: algorithm.to_owned() }),
        None => Err(IdTokenError::AmbiguousKey { count: fitting.len() }),
    }
}

fn check_claims(claims: &Value, algorithm: &str, expectation: &IdTokenExpectation<'_>) -> Result<(), IdTokenError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    match text("iss") {
        None => return Err(IdTokenError::MissingClaim { claim: "iss" }),
        Some(found) if found != expectation.issuer.as_str() => {
            return Err(IdTokenError::WrongIssuer {
                found: crate::catalog::org_value::escape_text(found, 200),
                expected: expectation.issuer.to_string(),
            })
        }
        Some(_) => {}
    }
    if text("sub").is_none_or(str::is_empty) {
        return Err(IdTokenError::MissingClaim { claim: "sub" });
    }
    // OpenID Connect Core §3.1.3.7 (3)-(5): the client must be an audience, and since this
    // client trusts no other audience, any other entry rejects the token, `azp` or not. An
    // entry that is not a string is not silently dropped: it makes the claim malformed.
    let audiences: Vec<String> = match claims.get("aud") {
        Some(Value::String(single)) => vec![single.clone()],
        Some(Value::Array(many)) if !many.is_empty() => {
            let mut audiences = Vec::with_capacity(many.len());
            for value in many {
                match value.as_str() {
                    Some(audience) => audiences.push(audience.to_owned()),
                    None => return Err(IdTokenError::MalformedAudience),
                }
            }
            audiences
        }
        Some(Value::Array(_)) | None | Some(Value::Null) => return Err(IdTokenError::MissingClaim { claim: "aud" }),
        Some(_) => return Err(IdTokenError::MalformedAudience),
    };
    let shown = || crate::catalog::org_value::escape_text(&audiences.join(", "), 200);
    if !audiences.iter().any(|audience| audience == expectation.client_id.as_str()) {
        return Err(IdTokenError::WrongAudience { found: shown(), client_id: expectation.client_id.to_string() });
    }
    if audiences.iter().any(|audience| audience != expectation.client_id.as_str()) {
        return Err(IdTokenError::UntrustedAudience { found: shown() });
    }
    match claims.get("azp") {
        None => {}
        Some(Value::String(azp)) if azp == expectation.client_id.as_str() => {}
        Some(other) => {
            let found = other.as_str().map_or_else(
                || "a value that is not a string".to_owned(),
                |azp| crate::catalog::org_value::escape_text(azp, 200),
            );
            return Err(IdTokenError::WrongAuthorizedParty { found, client_id: expectation.client_id.to_string() });
        }
    }
    let number =
        |name: &'static str| claims.get(name).and_then(Value::as_i64).ok_or(IdTokenError::MissingClaim { claim: name });
    let expires = number("exp")?;
    if expectation.now > expires + CLOCK_SKEW_SECONDS {
        let seconds = expectation.now - expires;
        return Err(IdTokenError::Expired { seconds, clock_suspect: seconds > CLOCK_SUSPECT_SECONDS });
    }
    let issued = number("iat")?;
    if issued > expectation.now + CLOCK_SKEW_SECONDS {
        let seconds = issued - expectation.now;
        return Err(IdTokenError::IssuedInFuture { seconds, clock_suspect: seconds > CLOCK_SUSPECT_SECONDS });
    }
    if expectation.now - issued > MAXIMUM_TOKEN_AGE_SECONDS {
        return Err(IdTokenError::IssuedTooLongAgo { seconds: expectation.now - issued });
    }
    match text("nonce") {
        None => return Err(IdTokenError::MissingClaim { claim: "nonce" }),
        Some(found) if found != expectation.nonce => return Err(IdTokenError::WrongNonce),
        Some(_) => {}
    }
    if let (Some(at_hash), Some(access_token)) = (text("at_hash"), expectation.access_token) {
        // RS256, PS256 and ES256 all hash with SHA-256: the left half, base64url.
        let digest = Sha256::digest(access_token.as_bytes());
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
        debug_assert!(algorithm.ends_with("256"));
        if at_hash != expected {
            return Err(IdTokenError::WrongAccessTokenHash);
        }
    }
    Ok(())
}
