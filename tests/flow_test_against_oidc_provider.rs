//! The sign-in flow test against a certified OpenID provider: the `oidc-provider` npm package
//! (tests/oidc-provider/server.js), started on 127.0.0.1 for each test and stopped after it.
//! Its native clients accept any loopback port (RFC 8252 §7.3), require PKCE, and use
//! client_secret_basic or client_secret_post.

#[allow(dead_code)]
mod support;

use sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod;
use sso_setup::catalog::Catalog;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::oidc::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::oidc::issuer::normalise_issuer;
use sso_setup::oidc::loopback::LoopbackPlan;
use sso_setup::oidc::sign_in_flow::{run_sign_in_flow, FlowReport, SignInFlowRequest};
use std::time::Duration;

const SECRET: &str = "certified-provider-secret-Xy7";

use support::certified_provider::CertifiedProvider;

fn start_provider() -> CertifiedProvider {
    support::certified_provider::start(serde_json::json!({ "secret": SECRET }))
}

fn run(
    provider: &CertifiedProvider,
    client_id: &str,
    secret: &str,
    method: Option<TokenEndpointAuthMethod>,
    extra: &'static str,
) -> FlowReport {
    let catalog = Catalog::built_in().unwrap();
    let requirements = catalog.vendor("peerpanda").unwrap().profile.oidc.clone();
    let client =
        HardenedHttpClient::new(FetchLimits { total_timeout: Duration::from_secs(10), ..FetchLimits::default() });
    let secret = ClientSecret::new(secret.to_owned());
    let request = SignInFlowRequest {
        issuer: normalise_issuer(&provider.issuer, None, None).unwrap(),
        client_id: &openidconnect::ClientId::new(client_id.to_owned()),
        client_secret: &secret,
        vendor: Some(&requirements),
        loopback: LoopbackPlan::on_port(0),
        forced_auth_method: method,
        timeout: Duration::from_secs(30),
        now: &sso_setup::journeys::SystemClock,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(run_sign_in_flow(
        &client,
        request,
        |url| {
            let url = format!("{url}{extra}");
            std::thread::spawn(move || support::browser::browse_with_cookies(&url));
        },
        |_| {},
    ))
}

#[test]
fn the_flow_passes_end_to_end_with_client_secret_basic() {
    let provider = start_provider();
    let report = run(&provider, "client-basic", SECRET, Some(TokenEndpointAuthMethod::ClientSecretBasic), "");
    assert!(report.ok, "{report:#?}");
    let claims = report.id_token_claims.as_ref().unwrap();
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["given_name"], "Ada");
    assert_eq!(report.userinfo_claims.as_ref().unwrap()["sub"], claims["sub"]);
    assert!(!serde_json::to_string(&report).unwrap().contains(SECRET));
}

#[test]
fn the_flow_passes_end_to_end_with_client_secret_post() {
    let provider = start_provider();
    let report = run(&provider, "client-post", SECRET, Some(TokenEndpointAuthMethod::ClientSecretPost), "");
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.token_endpoint_auth_method.as_deref(), Some("client_secret_post"));
}

#[test]
fn a_wrong_secret_is_invalid_client() {
    let provider = start_provider();
    let report = run(&provider, "client-basic", "wrong-secret", Some(TokenEndpointAuthMethod::ClientSecretBasic), "");
    assert!(!report.ok);
    let error = report.error.unwrap();
    assert_eq!(error.code, "token-error");
    assert!(error.message.contains("invalid_client"), "{error:?}");
}

#[test]
fn a_user_who_is_not_allowed_gets_the_provider_s_access_denied() {
    let provider = start_provider();
    let report = run(&provider, "client-basic", SECRET, None, "&login_hint=blocked");
    assert!(!report.ok);
    let error = report.error.unwrap();
    assert_eq!(error.code, "callback-provider-error", "{error:?}");
    assert!(error.message.contains("access_denied"), "{error:?}");
}
