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
