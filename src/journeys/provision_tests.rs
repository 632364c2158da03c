//! The faults of `provision` that the certified provider cannot stage: a provider that
//! registers other values than asked, a keychain that refuses after the app was created, a
//! connection name already in use, an IdP without an API. A stand-in provider answers
//! discovery and registration as RFC 7591 and RFC 7592 describe and records every request.

use super::*;
use crate::connections::keychain::{InMemorySecretStore, KeychainError, SecretStore};
use crate::oidc::http_fetch::{FetchedResponse, JsonMethod};
use std::sync::Mutex;
use zeroize::Zeroizing;

const ISSUER: &str = "https://idp.example";

/// Discovery, keys and registration; `registered_uri` is what it says it registered.
struct StandInProvider {
    registered_uri: &'static str,
    sent: Mutex<Vec<(JsonMethod, String)>>,
}

impl StandInProvider {
    fn new(registered_uri: &'static str) -> StandInProvider {
        StandInProvider { registered_uri, sent: Mutex::new(Vec::new()) }
    }

    fn sent(&self) -> Vec<(JsonMethod, String)> {
        self.sent.lock().unwrap().clone()
    }
}

fn json(status: u16, value: serde_json::Value) -> FetchedResponse {
    FetchedResponse {
        status,
        content_type: Some("application/json".into()),
        body: Zeroizing::new(serde_json::to_vec(&value).unwrap()),
        retry_after: None,
    }
}

impl HttpFetch for StandInProvider {
    async fn get(&self, url: &Url) -> Result<FetchedResponse, FetchError> {
        let keys: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/keys/test-keys.jwk.json")).unwrap();
        Ok(match url.path() {
            "/.well-known/openid-configuration" => json(
                200,
                serde_json::json!({
                    "issuer": ISSUER,
                    "authorization_endpoint": format!("{ISSUER}/authorize"),
                    "token_endpoint": format!("{ISSUER}/token"),
                    "jwks_uri": format!("{ISSUER}/jwks"),
                    "registration_endpoint": format!("{ISSUER}/reg"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                    "scopes_supported": ["openid", "email", "profile"],
                    "claims_supported": ["sub", "email", "given_name", "family_name"],
                }),
            ),
            "/jwks" => json(200, serde_json::json!({ "keys": [keys["rsa"]] })),
            _ => json(404, serde_json::json!({})),
        })
    }

    async fn post_encoded_form(
        &self,
        _: &Url,
        _: Option<Zeroizing<Vec<u8>>>,
        _: Zeroizing<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        unreachable!("provisioning sends no token request")
    }

    async fn get_with_bearer(&self, _: &Url, _: &str) -> Result<FetchedResponse, FetchError> {
        unreachable!("provisioning reads no userinfo")
    }

    async fn send_json(
        &self,
        method: JsonMethod,
        url: &Url,
        _: Option<crate::oidc::http_fetch::ApiAuthorization<'_>>,
        body: Option<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        self.sent.lock().unwrap().push((method, url.path().to_owned()));
        Ok(match (method, url.path()) {
            (JsonMethod::Post, "/reg") => {
                let mut metadata: serde_json::Value = serde_json::from_slice(&body.unwrap()).unwrap();
                metadata["redirect_uris"] = serde_json::json!([self.registered_uri]);
                metadata["client_id"] = "client-1".into();
                metadata["client_secret"] = "secret-from-the-idp".into();
                metadata["registration_access_token"] = "rat-1".into();
                metadata["registration_client_uri"] = format!("{ISSUER}/reg/client-1").into();
                json(201, metadata)
            }
            (JsonMethod::Delete, "/reg/client-1") => json(204, serde_json::json!({})),
            _ => json(404, serde_json::json!({})),
        })
    }
}

const VENDOR_URI: &str = "https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/";

fn input(identity_provider: IdentityProviderId) -> ProvisionInput<'static> {
    ProvisionInput {
        connection: "peerpanda-acme",
        vendor: Some("peerpanda"),
        identity_provider: Some(identity_provider),
        region: None,
        org: Some("acme"),
        issuer: Some(ISSUER),
        redirect_uris: &[],
        sign_out_uris: &[],
        assign_group: None,
        secret_expires_in_days: None,
        admin_token: SecretSource::Given(ClientSecret::new("admin-token".into())),
        admin_api_url: None,
        mode: ProvisionMode::Apply,
    }
}

fn run(
    http: &StandInProvider,
    effects: &SideEffects,
    input: ProvisionInput<'_>,
) -> Result<ProvisionOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(provision(http, &catalog, effects, input, &mut |_| {}))
}

#[test]
fn the_stand_in_registers_what_was_asked_and_the_connection_is_saved() {
    let folder = tempfile::tempdir().unwrap();
    let effects = crate::journeys::stand_in_effects(folder.path());
    let http = StandInProvider::new(VENDOR_URI);
    let outcome = run(&http, &effects, input(IdentityProviderId::Generic)).unwrap();
    assert_eq!(outcome.client_id.as_deref(), Some("client-1"));
    assert_eq!(effects.secrets.get("peerpanda-acme").unwrap().unwrap().expose(), "secret-from-the-idp");
    assert_eq!(effects.secrets.get("peerpanda-acme#management").unwrap().unwrap().expose(), "rat-1");
    assert!(effects.connections.load("peerpanda-acme").unwrap().management.is_some());
}

#[test]
fn a_provider_that_registers_other_uris_gets_its_app_deleted_and_nothing_is_saved() {
    let folder = tempfile::tempdir().unwrap();
    let effects = crate::journeys::stand_in_effects(folder.path());
    let http = StandInProvider::new("https://getpeerpanda.com/elsewhere/");
    let error = run(&http, &effects, input(IdentityProviderId::Generic)).unwrap_err();
    assert_eq!(error.code(), "registration-changed-by-provider");
    let message = error.to_string();
    assert!(message.contains(&format!("redirect_uris {VENDOR_URI} is missing")), "{message}");
    assert!(message.contains("https://getpeerpanda.com/elsewhere/ is extra"), "{message}");
    assert!(message.contains("the app was deleted again"), "{message}");
    assert_eq!(http.sent(), [(JsonMethod::Post, "/reg".to_owned()), (JsonMethod::Delete, "/reg/client-1".to_owned())]);
    assert!(!effects.connections.path_of("peerpanda-acme").exists());
    assert!(effects.secrets.get("peerpanda-acme").unwrap().is_none());
}

/// A store that refuses to store anything, as a locked keyring does.
struct RefusingStore(InMemorySecretStore);

impl SecretStore for RefusingStore {
    fn put(&self, _: &str, _: &ClientSecret) -> Result<(), KeychainError> {
        Err(KeychainError::Locked)
    }
    fn get(&self, account: &str) -> Result<Option<ClientSecret>, KeychainError> {
        self.0.get(account)
    }
    fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        self.0.delete(account)
    }
}

#[test]
fn a_keychain_that_refuses_after_the_app_was_created_leaves_nothing_behind() {
    let folder = tempfile::tempdir().unwrap();
    let mut effects = crate::journeys::stand_in_effects(folder.path());
    effects.secrets = Box::new(RefusingStore(InMemorySecretStore::default()));
    let http = StandInProvider::new(VENDOR_URI);
    let error = run(&http, &effects, input(IdentityProviderId::Generic)).unwrap_err();
    assert_eq!(error.code(), "provision-incomplete");
    assert!(error.to_string().contains("it was deleted again, so nothing is left"), "{error}");
    assert!(error.hint().unwrap().contains("unlock"), "the keychain's own hint: {:?}", error.hint());
    assert_eq!(http.sent().last(), Some(&(JsonMethod::Delete, "/reg/client-1".to_owned())));
    assert!(!effects.connections.path_of("peerpanda-acme").exists());
}

#[test]
fn a_name_in_use_or_an_idp_without_an_api_is_refused_before_anything_is_sent() {
    let folder = tempfile::tempdir().unwrap();
    let effects = crate::journeys::stand_in_effects(folder.path());
    let http = StandInProvider::new(VENDOR_URI);
    let by_hand = Connection {
        schema_version: crate::connections::connection::CONNECTION_SCHEMA_VERSION,
        name: "peerpanda-acme".into(),
        vendor: "peerpanda".into(),
        idp: IdentityProviderId::Generic,
        region: None,
        org: Some("acme".into()),
        issuer: ISSUER.into(),
        client_id: "typed-by-hand".into(),
        secret_expires: None,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management: None,
    };
    effects.connections.save(&by_hand, Some(&ClientSecret::new("typed".into())), effects.secrets.as_ref()).unwrap();
    let error = run(&http, &effects, input(IdentityProviderId::Generic)).unwrap_err();
    assert_eq!(error.code(), "provision-connection-in-use");
    assert_eq!(error.failure_kind(), FailureKind::BadInput);
    let mut google = input(IdentityProviderId::Google);
    google.connection = "peerpanda-google";
    assert_eq!(run(&http, &effects, google).unwrap_err().code(), "provision-not-supported");
    // Okta and Entra ID go through their own APIs, which need the admin's token first.
    for idp in [IdentityProviderId::Okta, IdentityProviderId::Entra] {
        let mut through_api = input(idp);
        through_api.connection = "peerpanda-api";
        through_api.admin_token = SecretSource::NotGiven;
        if idp == IdentityProviderId::Entra {
            through_api.issuer = Some("8eaef023-2b34-4da1-9baa-8bc8c9d6a490");
        }
        assert_eq!(run(&http, &effects, through_api).unwrap_err().code(), "provision-admin-token-needed");
    }
    assert_eq!(http.sent(), [], "nothing was sent");
}
