//! The authorization request of the sign-in flow test: fresh `state`, `nonce` and PKCE
//! verifier for every run (RFC 9700 §2.1.1), the S256 challenge always (RFC 7636 §4.2, §7.2:
//! never `plain`, whatever the provider's metadata says), and the authorization URL.
//!
//! The URL itself is built by the openidconnect crate (`Client::authorize_url`), which
//! always asks for `response_type=code` and puts `openid` first in the scope.
//!
//! # Security
//! The verifier is the secret half of PKCE: [`PkceVerifier`] cannot be printed or cloned, and
//! wipes itself. State and nonce carry 256 bits from the operating system's generator. The
//! crate's own generators are not used: they draw from a thread-local generator that keeps
//! its last output (the verifier's bytes) in memory until the thread ends.

use crate::oidc::http_fetch::{check_scheme, FetchError};
use base64::Engine as _;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthUrl, ClientId, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use url::Url;
use zeroize::Zeroizing;

fn random_token() -> String {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).expect("the operating system's random generator works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..])
}

/// The PKCE code verifier: 43 characters of base64url from 32 random bytes (RFC 7636 §4.1).
pub struct PkceVerifier(Zeroizing<String>);

impl PkceVerifier {
    pub fn generate() -> PkceVerifier {
        PkceVerifier(Zeroizing::new(random_token()))
    }

    /// For the RFC's test vector only.
    pub fn from_known_value(value: &str) -> PkceVerifier {
        PkceVerifier(Zeroizing::new(value.to_owned()))
    }

    /// The S256 challenge: BASE64URL(SHA256(verifier)).
    pub fn s256_challenge(&self) -> PkceCodeChallenge {
        // The crate's verifier type is a plain String: this copy lives for this call only,
        // and the binaries wipe every block they free.
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(self.0.as_str().to_owned()))
    }

    /// The verifier's characters, for the token request only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PkceVerifier(redacted)")
    }
}

/// Everything one run's authorization request needs, and what the callback is checked against.
#[derive(Debug)]
pub struct AuthorizationRequest {
    pub url: Url,
    pub state: String,
    pub nonce: String,
    pub verifier: PkceVerifier,
    pub redirect_uri: RedirectUrl,
}

/// Builds the authorization URL with a fresh state, nonce and PKCE pair.
pub fn build_authorization_request(
    authorization_endpoint: &str,
    client_id: &ClientId,
    redirect_uri: &RedirectUrl,
    scopes: &[String],
) -> Result<AuthorizationRequest, FetchError> {
    let unusable =
        || FetchError::UnsupportedScheme { url: crate::catalog::org_value::escape_for_message(authorization_endpoint) };
    let endpoint = AuthUrl::new(authorization_endpoint.to_owned()).map_err(|_| unusable())?;
    check_scheme(endpoint.url())?;
    let state = random_token();
    let nonce = random_token();
    let verifier = PkceVerifier::generate();
    // The issuer and the key set play no part in the authorization URL; this client has no
    // secret, so none is copied into it for the minutes the admin takes to sign in.
    let client = CoreClient::new(
        client_id.clone(),
        IssuerUrl::from_url(endpoint.url().clone()),
        openidconnect::core::CoreJsonWebKeySet::default(),
    )
    .set_auth_uri(endpoint)
    .set_redirect_uri(redirect_uri.clone());
    let mut requested: Vec<&str> = vec!["openid"];
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            move || Nonce::new(nonce),
        )
        // The crate adds `openid` itself; every other scope once, in the vendor's order.
        .add_scopes(
            scopes
                .iter()
                .filter(|scope| {
                    let new = !requested.contains(&scope.as_str());
                    requested.push(scope);
                    new
                })
                .map(|scope| Scope::new(scope.clone())),
        )
        .set_pkce_challenge(verifier.s256_challenge())
        .url();
    Ok(AuthorizationRequest {
        url,
        state: state.into_secret(),
        nonce: nonce.secret().clone(),
        verifier,
        redirect_uri: redirect_uri.clone(),
    })
}

/// Whether a URL may be handed to the system browser: https, or http on a loopback host (a
/// local test provider). Never `file:`, `smb:`, `javascript:` or anything else a provider's
/// metadata might carry (RFC 8252 §8.12; the shell plugin's CVE-2025-31477).
pub fn may_open_in_browser(url: &Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && crate::oidc::http_fetch::is_loopback_host(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        let verifier = PkceVerifier::from_known_value("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(verifier.s256_challenge().as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(verifier.s256_challenge().method().as_str(), "S256");
    }

    #[test]
    fn every_run_gets_fresh_values_and_s256() {
        let scopes = vec!["openid".to_owned(), "email".to_owned(), "profile".to_owned()];
        let client_id = ClientId::new("client-1".into());
        let redirect_uri = RedirectUrl::new("http://127.0.0.1:8400/callback".into()).unwrap();
        let first = build_authorization_request(
            "https://idp.example.com/authorize?tenant=x",
            &client_id,
            &redirect_uri,
            &scopes,
        )
        .unwrap();
        let second = build_authorization_request(
            "https://idp.example.com/authorize?tenant=x",
            &client_id,
            &redirect_uri,
            &scopes,
        )
        .unwrap();
        assert_ne!(first.state, second.state);
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.verifier.expose(), second.verifier.expose());
        assert_eq!(first.verifier.expose().len(), 43, "RFC 7636 §4.1: 43 to 128 characters");
        let pairs: Vec<(String, String)> =
            first.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        assert_eq!(get("tenant"), Some("x"), "the endpoint's own query is kept");
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("scope"), Some("openid email profile"));
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("client-1"));
        assert_eq!(get("redirect_uri"), Some("http://127.0.0.1:8400/callback"));
        assert_eq!(get("state"), Some(first.state.as_str()));
        assert_eq!(get("nonce"), Some(first.nonce.as_str()));
        assert_eq!(get("code_challenge"), Some(first.verifier.s256_challenge().as_str()));
        assert!(
            !first.url.as_str().contains(first.verifier.expose()),
            "the verifier never leaves this process in the URL"
        );
        assert_eq!(format!("{:?}", first.verifier), "PkceVerifier(redacted)");
    }

    #[test]
    fn only_https_and_loopback_http_urls_go_to_the_browser() {
        for good in ["https://login.example.com/authorize?x=1", "http://127.0.0.1:9000/authorize", "http://localhost/a"]
        {
            assert!(may_open_in_browser(&Url::parse(good).unwrap()), "{good}");
        }
        for bad in [
            "file:///etc/passwd",
            "smb://server/share",
            "javascript:alert(1)",
            "http://idp.example.com/authorize",
            "ftp://x/y",
        ] {
            assert!(!may_open_in_browser(&Url::parse(bad).unwrap()), "{bad}");
        }
    }

    #[test]
    fn a_plain_http_endpoint_is_refused_unless_loopback() {
        let client_id = ClientId::new("c".into());
        let redirect_uri = RedirectUrl::new("http://127.0.0.1/cb".into()).unwrap();
        let build = |endpoint: &str| build_authorization_request(endpoint, &client_id, &redirect_uri, &[]);
        assert!(build("http://idp.example.com/authorize").is_err());
        assert!(build("http://127.0.0.1:9000/authorize").is_ok());
        assert!(build("javascript:alert(1)").is_err());
        assert!(build("not a url").is_err());
    }
}
