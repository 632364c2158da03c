//! The admin's own sign-in with a device code (RFC 8628) against the certified
//! `oidc-provider` (tests/oidc-provider/server.js, `features.deviceFlow`): the code is shown,
//! the admin approves it on the provider's own pages, and the access token that arrives is a
//! real one (the provider's userinfo endpoint takes it). A client the provider does not know
//! is refused before any code is shown.

#[allow(dead_code)]
mod support;

use sso_setup::error::{ErrorCode, UserFacingError};
use sso_setup::oidc::device_authorization::{sign_in_with_device_code, DeviceSignIn, UserCode};
use sso_setup::oidc::http_fetch::{HardenedHttpClient, HttpFetch};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn a_device_code_approved_by_the_admin_gives_a_working_token() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": "unused" }));
    let http = HardenedHttpClient::default();
    let scopes = ["openid".to_owned()];
    let mut shown: Option<UserCode> = None;
    let approval = std::sync::Arc::new(std::sync::Mutex::new(None));
    let token = runtime()
        .block_on(sign_in_with_device_code(
            &http,
            DeviceSignIn { issuer: &provider.issuer, client_id: "admin-device-client", scopes: &scopes },
            |code| {
                shown = Some(code.clone());
                let complete = code.verification_uri_complete.clone().expect("oidc-provider gives the complete URI");
                let approval = approval.clone();
                std::thread::spawn(move || {
                    *approval.lock().unwrap() = Some(support::browser::approve_device_code(&complete))
                });
            },
        ))
        .unwrap_or_else(|error| panic!("{error}: {:?}", approval.lock().unwrap()));
    let shown = shown.expect("the code was shown");
    assert!(!shown.user_code.is_empty() && shown.verification_uri.starts_with(&provider.issuer), "{shown:?}");
    assert!(!format!("{shown:?}").contains(token.expose()), "the token is not in what is shown");

    let userinfo = url::Url::parse(&format!("{}/me", provider.issuer)).unwrap();
    let answer = runtime().block_on(http.get_with_bearer(&userinfo, token.expose())).unwrap();
    assert_eq!(answer.status, 200, "the token works: {}", String::from_utf8_lossy(&answer.body));
    let claims: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(claims["sub"], "ada");
}

#[test]
fn an_unknown_client_is_refused_before_a_code_is_shown() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": "unused" }));
    let http = HardenedHttpClient::default();
    let scopes = ["openid".to_owned()];
    let mut shown = false;
    let error = runtime()
        .block_on(sign_in_with_device_code(
            &http,
            DeviceSignIn { issuer: &provider.issuer, client_id: "nobody", scopes: &scopes },
            |_| shown = true,
        ))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::AdminSignInRefused, "{error}");
    assert!(error.to_string().contains("invalid_client"), "{error}");
    assert!(!shown);
}

/// The browser sign-in with the provider's public client `admin-browser-client`, on a port the
/// system picks.
fn browser_sign_in<'a>(
    issuer: &'a str,
    scopes: &'a [String],
) -> sso_setup::oidc::browser_authorization::BrowserSignIn<'a> {
    sso_setup::oidc::browser_authorization::BrowserSignIn {
        issuer,
        client_id: "admin-browser-client",
        scopes,
        port: None,
        timeout: std::time::Duration::from_secs(20),
    }
}

/// The admin's sign-in in this computer's browser: authorization code + PKCE for a public
/// client, back to the loopback listener on a port the system picked (the provider matches a
/// native client's loopback URI on any port), and the access token is a real one.
#[test]
fn a_browser_sign_in_back_to_the_loopback_listener_gives_a_working_token() {
    use sso_setup::oidc::browser_authorization::sign_in_with_browser;
    let provider = support::certified_provider::start(serde_json::json!({ "secret": "unused" }));
    let http = HardenedHttpClient::default();
    let scopes = ["openid".to_owned()];
    let mut opened: Option<url::Url> = None;
    let request = browser_sign_in(&provider.issuer, &scopes);
    let token = runtime()
        .block_on(sign_in_with_browser(&http, request, |url| {
            opened = Some(url.clone());
            let url = url.to_string();
            std::thread::spawn(move || support::browser::browse_with_cookies(&url));
        }))
        .unwrap();
    let opened = opened.expect("the authorization URL was opened");
    let parameters: std::collections::HashMap<_, _> = opened.query_pairs().into_owned().collect();
    assert_eq!(parameters["code_challenge_method"], "S256");
    assert!(parameters["redirect_uri"].starts_with("http://127.0.0.1:"), "{opened}");
    assert!(!parameters.contains_key("client_secret"));
    assert!(!opened.as_str().contains(token.expose()));

    let userinfo = url::Url::parse(&format!("{}/me", provider.issuer)).unwrap();
    let answer = runtime().block_on(http.get_with_bearer(&userinfo, token.expose())).unwrap();
    assert_eq!(answer.status, 200, "the token works: {}", String::from_utf8_lossy(&answer.body));
}

/// An admin who is refused at the provider gets the provider's error, and no token.
#[test]
fn a_browser_sign_in_the_provider_refuses_ends_with_its_error() {
    use sso_setup::oidc::browser_authorization::sign_in_with_browser;
    let provider = support::certified_provider::start(serde_json::json!({ "secret": "unused" }));
    let http = HardenedHttpClient::default();
    let scopes = ["openid".to_owned()];
    let request = browser_sign_in(&provider.issuer, &scopes);
    let error = runtime()
        .block_on(sign_in_with_browser(&http, request, |url| {
            // The test provider refuses the account named "blocked".
            let url = format!("{url}&login_hint=blocked");
            std::thread::spawn(move || support::browser::browse_with_cookies(&url));
        }))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::CallbackProviderError, "{error}");
    assert!(error.to_string().contains("access_denied"), "{error}");
}
