//! The sign-in test's input for a saved connection, as the tests of `provision` and of the
//! temporary loopback URI ask for it: everything from the connection, with a timeout and, for
//! a test of an unregistered URI, a redirect URI of the test's own.

use sso_setup::journeys::sign_in_test::SignInTestInput;
use sso_setup::journeys::SecretSource;
use std::time::Duration;

pub fn saved_connection<'a>(
    connection: &'a str,
    timeout: Duration,
    redirect_uri: Option<&'a str>,
) -> SignInTestInput<'a> {
    SignInTestInput {
        connection: Some(connection),
        issuer: None,
        client_id: None,
        client_secret: SecretSource::NotGiven,
        vendor: None,
        identity_provider: None,
        redirect_uri,
        port: None,
        forced_auth_method: None,
        timeout,
    }
}

/// The sign-in test of `connection` on a loopback URI the app was never given: the IdP must
/// not redirect to it, so the test fails after two seconds. (Async: the HTTP client's
/// connections belong to the caller's runtime.)
pub async fn sign_in_on_an_unregistered_uri(
    http: &sso_setup::oidc::http_fetch::HardenedHttpClient,
    effects: &sso_setup::journeys::SideEffects,
    connection: &str,
) -> sso_setup::oidc::sign_in_flow::FlowReport {
    let catalog = sso_setup::catalog::Catalog::built_in().unwrap();
    let input = saved_connection(connection, Duration::from_secs(2), Some("http://127.0.0.1:49152/callback"));
    sso_setup::journeys::sign_in_test::test_sign_in(http, &catalog, effects, input, &mut |_| {}).await.unwrap()
}

/// The sign-in test of `connection` with a loopback URI of its own, ended by `cancel` or
/// `timeout`.
pub async fn sign_in_with_a_temporary_uri(
    http: &sso_setup::oidc::http_fetch::HardenedHttpClient,
    effects: &sso_setup::journeys::SideEffects,
    connection: &str,
    admin: sso_setup::journeys::provision::AdminAccess<'_>,
    timeout: Duration,
    cancel: impl std::future::Future<Output = ()>,
) -> Result<
    (
        Result<sso_setup::oidc::sign_in_flow::FlowReport, sso_setup::journeys::JourneyError>,
        sso_setup::journeys::provision::TemporaryRedirect,
    ),
    sso_setup::journeys::JourneyError,
> {
    let catalog = sso_setup::catalog::Catalog::built_in().unwrap();
    let input = saved_connection(connection, timeout, None);
    sso_setup::journeys::provision::test_sign_in_with_temporary_redirect(
        http,
        &catalog,
        effects,
        input,
        admin,
        cancel,
        &mut |_| {},
    )
    .await
}
