//! The OpenID Connect client side: reading what the admin has as an issuer, the provider's
//! discovery document and keys, the authorization request, the loopback listener that
//! receives the browser's callback, the token exchange, and ID-token verification; with the
//! hardened HTTP client all of it goes through, and a small provider for rehearsals.
//!
//! The security defaults are RFC 8252 (loopback redirects), RFC 7636 (PKCE S256),
//! RFC 9700 (current best practice), RFC 9207 (`iss` in the callback) and OpenID Connect
//! Core §3.1.3.7 (ID-token validation).

pub mod authorization_request;
pub mod browser_authorization;
pub mod demo_provider;
pub mod device_authorization;
pub mod discovery;
pub mod http_fetch;
pub mod id_token;
pub mod issuer;
pub mod loopback;
pub mod secret_probe;
pub mod sign_in_flow;
pub mod token_transport;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod trust_store;
