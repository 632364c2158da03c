//! Provisioning against the certified `oidc-provider` (tests/oidc-provider/server.js) with
//! standard client registration (RFC 7591, an initial access token required) and its
//! management (RFC 7592, the registration access token rotating on every update): the dry
//! run, the apply, a second apply, a drift made behind the tool's back, the sign-in test that
//! registers its own loopback URI, and deprovision. The secret store is an in-memory one here
//! (the OS keychain has its own tests); the provider, HTTP and the sign-in are real.

#[allow(dead_code)]
mod support;

use support::shared_store::SharedStore;

use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::connections::connection::ConnectionFolder;
use sso_setup::connections::keychain::SecretStore;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::provision::{
    deprovision, provision, test_sign_in_with_temporary_redirect, AdminAccess, ProvisionInput, ProvisionMode,
    ProvisionOutcome,
};
use sso_setup::journeys::{BrowserOpener, JourneyError, SecretSource, SideEffects, SystemClock};
use sso_setup::oidc::http_fetch::{ApiAuthorization, HttpFetch, JsonMethod};
use sso_setup::platform::system_browser::BrowserError;
use std::time::Duration;
use url::Url;

const INITIAL_ACCESS_TOKEN: &str = "initial-access-token-for-tests-7Qx";
const CONNECTION: &str = "peerpanda-acme";

type RecordingHttp = support::counting_http::CountingHttp;

/// A browser that signs in headlessly at the certified provider (its interaction route signs
/// in "ada"); `extra` is appended to the authorization URL (`&login_hint=blocked` is refused).
struct SigningInBrowser {
    extra: &'static str,
}

impl BrowserOpener for SigningInBrowser {
    fn open(&self, url: &Url) -> Result<(), BrowserError> {
        let url = format!("{url}{}", self.extra);
        std::thread::spawn(move || support::browser::browse_with_cookies(&url));
        Ok(())
    }
}

/// A browser nobody uses: the sign-in never comes.
struct IdleBrowser;

impl BrowserOpener for IdleBrowser {
    fn open(&self, _: &Url) -> Result<(), BrowserError> {
        Ok(())
    }
}

fn effects(folder: &std::path::Path, store: &SharedStore, browser: Box<dyn BrowserOpener>) -> SideEffects {
    SideEffects {
        secrets: Box::new(store.clone()),
        clock: Box::new(SystemClock),
        browser,
        connections: ConnectionFolder::new(folder.to_owned()),
    }
}

fn input<'a>(issuer: &'a str, mode: ProvisionMode, admin_token: Option<&str>) -> ProvisionInput<'a> {
    ProvisionInput {
        connection: CONNECTION,
        vendor: Some("peerpanda"),
        identity_provider: Some(IdentityProviderId::Generic),
        region: None,
        org: Some("acme"),
        issuer: Some(issuer),
        redirect_uris: &[],
        sign_out_uris: &[],
        assign_group: None,
        secret_expires_in_days: None,
        admin_token: match admin_token {
            Some(token) => SecretSource::Given(ClientSecret::new(token.to_owned())),
            None => SecretSource::NotGiven,
        },
        admin_api_url: None,
        mode,
    }
}

thread_local! {
    /// One runtime per test thread: reqwest's pooled connections belong to the runtime that
    /// opened them, and a connection from a dropped runtime never answers.
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    RUNTIME.with(|runtime| runtime.block_on(future))
}

fn run_provision(
    http: &RecordingHttp,
    effects: &SideEffects,
    input: ProvisionInput<'_>,
) -> Result<ProvisionOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    block_on(provision(http, &catalog, effects, input, &mut |_| {}))
}

/// What the provider holds for the client now, read with the stored registration access token.
fn read_at_provider(http: &RecordingHttp, store: &SharedStore, client_uri: &str) -> serde_json::Value {
    let token = store.get(&format!("{CONNECTION}#management")).unwrap().expect("the token is stored");
    let answer = block_on(http.inner.send_json(
        JsonMethod::Get,
        &Url::parse(client_uri).unwrap(),
        Some(ApiAuthorization::Bearer(token.expose())),
        None,
    ))
    .unwrap();
    assert_eq!(answer.status, 200, "the client is readable with the stored token");
    serde_json::from_slice(&answer.body).unwrap()
}

#[test]
fn provision_registers_exactly_the_vendors_client_and_keeps_it_that_way() {
    let provider = support::certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": INITIAL_ACCESS_TOKEN },
    }));
    let folder = tempfile::tempdir().unwrap();
    let store = SharedStore::default();
    let http = RecordingHttp::default();
    let effects = effects(folder.path(), &store, Box::new(IdleBrowser));

    // The dry run: the plan, and nothing sent, stored or saved.
    let dry =
        run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::DryRun, Some(INITIAL_ACCESS_TOKEN)))
            .unwrap();
    assert_eq!(http.take_sent(), [], "a dry run sends no registration request");
    assert_eq!(dry.plan.requests.len(), 1);
    let request = &dry.plan.requests[0];
    assert_eq!((request.method, request.url.as_str()), (JsonMethod::Post, format!("{}/reg", provider.issuer).as_str()));
    assert_eq!(request.credential, Some("initial access token"));
    let shown = serde_json::to_string(&dry).unwrap();
    assert!(!shown.contains(INITIAL_ACCESS_TOKEN), "the plan never holds the credential");
    assert!(std::fs::read_dir(folder.path()).map(|entries| entries.count() == 0).unwrap_or(true), "nothing saved");

    // The apply: one registration; the secret and the token in the store, never in the file.
    let created =
        run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Apply, Some(INITIAL_ACCESS_TOKEN)))
            .unwrap();
    assert_eq!(http.take_sent(), [(JsonMethod::Post, format!("{}/reg", provider.issuer))]);
    assert!(created.changed);
    let client_uri = created.registration_client_uri.clone().expect("RFC 7592 management");
    // The initial access token is spent: asked to keep it, nothing is kept.
    let kept = sso_setup::journeys::admin_sign_in::keep_admin_token(
        &effects,
        CONNECTION,
        &sso_setup::connections::secret::ClientSecret::new(INITIAL_ACCESS_TOKEN.to_owned()),
    )
    .unwrap();
    assert!(!kept);
    assert!(store.get(&format!("{CONNECTION}#admin")).unwrap().is_none());
    let at_provider = read_at_provider(&http, &store, &client_uri);
    http.take_sent();
    assert_eq!(
        at_provider["redirect_uris"],
        serde_json::json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"]),
        "exactly the vendor's redirect URI"
    );
    assert_eq!(
        at_provider["post_logout_redirect_uris"],
        serde_json::json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/"])
    );
    assert_eq!(at_provider["initiate_login_uri"], "https://getpeerpanda.com/app/accounts/oidc/acme/login/");
    assert_eq!(at_provider["token_endpoint_auth_method"], "client_secret_basic");
    let secret = store.get(CONNECTION).unwrap().expect("the secret is stored");
    assert_eq!(at_provider["client_secret"].as_str(), Some(secret.expose()), "the stored secret is the provider's");
    let token = store.get(&format!("{CONNECTION}#management")).unwrap().unwrap();
    let file = std::fs::read_to_string(folder.path().join(format!("{CONNECTION}.json"))).unwrap();
    for (what, value) in [("secret", secret.expose()), ("token", token.expose()), ("admin token", INITIAL_ACCESS_TOKEN)]
    {
        assert!(!file.contains(value), "the connection file holds the {what}");
        assert!(!serde_json::to_string(&created).unwrap().contains(value), "the outcome holds the {what}");
    }
    assert!(file.contains(&client_uri), "the file keeps how to manage the app");

    // Again: nothing differs, so only a read is sent.
    let again = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Apply, None)).unwrap();
    assert!(!again.changed && again.plan.requests.is_empty(), "{:?}", again.plan);
    assert_eq!(http.take_sent(), [(JsonMethod::Get, client_uri.clone())], "a second apply sends no update");

    // A change behind the tool's back (an extra redirect URI), as an admin in the console would
    // make it; the provider rotates the registration access token, and the stored one follows.
    let mut changed = at_provider.clone();
    for field in [
        "registration_access_token",
        "registration_client_uri",
        "client_secret_expires_at",
        "client_id_issued_at",
        "client_secret",
    ] {
        changed.as_object_mut().unwrap().remove(field);
    }
    changed["redirect_uris"]
        .as_array_mut()
        .unwrap()
        .push("https://getpeerpanda.com/app/accounts/oidc/other/login/callback/".into());
    let answer = block_on(http.inner.send_json(
        JsonMethod::Put,
        &Url::parse(&client_uri).unwrap(),
        Some(ApiAuthorization::Bearer(token.expose())),
        Some(serde_json::to_vec(&changed).unwrap()),
    ))
    .unwrap();
    assert_eq!(answer.status, 200);
    let rotated: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let rotated = rotated["registration_access_token"].as_str().expect("the provider rotates the token");
    assert_ne!(rotated, token.expose());
    store.put(&format!("{CONNECTION}#management"), &ClientSecret::new(rotated.to_owned())).unwrap();

    let check = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Check, None)).unwrap();
    let differences: Vec<String> = check.plan.differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect();
    assert_eq!(
        differences,
        ["redirect_uris https://getpeerpanda.com/app/accounts/oidc/other/login/callback/ is extra"],
        "the drift is found"
    );
    assert_eq!(http.take_sent(), [(JsonMethod::Get, client_uri.clone())], "a check only reads");
    // `sso-setup check` reports the same drift, beside the secret that still works.
    let health = block_on(sso_setup::journeys::health_check::check_connections(
        &http,
        &Catalog::built_in().unwrap(),
        &effects,
        sso_setup::journeys::health_check::ConnectionsToCheck::One(CONNECTION),
        4,
    ))
    .unwrap();
    http.take_sent();
    let checks = &health.connections[0].checks;
    let drift: Vec<&str> =
        checks.iter().filter(|check| check.id == "drift").map(|check| check.detail.as_str()).collect();
    assert_eq!(drift, ["redirect_uris https://getpeerpanda.com/app/accounts/oidc/other/login/callback/ is extra"]);
    assert!(
        checks
            .iter()
            .any(|check| check.id == "client-secret" && check.status == sso_setup::oidc::discovery::CheckStatus::Pass),
        "{checks:#?}"
    );
    assert!(!health.ok);
    let fixed = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Apply, None)).unwrap();
    assert!(fixed.changed, "the drift is undone");
    assert_eq!(http.take_sent(), [(JsonMethod::Get, client_uri.clone()), (JsonMethod::Put, client_uri.clone())]);
    let check = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Check, None)).unwrap();
    assert!(check.plan.differences.is_empty(), "{:?}", check.plan.differences);

    // The rotated token was kept: the app can still be read with what is stored.
    read_at_provider(&http, &store, &client_uri);

    // Deprovision: the app, the file and both entries go.
    let removed = block_on(deprovision(&http, &effects, CONNECTION, SecretSource::NotGiven, None)).unwrap();
    assert!(removed.deleted_at_idp);
    assert!(!folder.path().join(format!("{CONNECTION}.json")).exists());
    assert!(
        store.get(CONNECTION).unwrap().is_none() && store.get(&format!("{CONNECTION}#management")).unwrap().is_none()
    );
    let gone = block_on(http.inner.send_json(
        JsonMethod::Get,
        &Url::parse(&client_uri).unwrap(),
        Some(ApiAuthorization::Bearer(rotated)),
        None,
    ))
    .unwrap();
    assert_eq!(gone.status, 401, "the app is gone at the provider (RFC 7592 §2.1)");
}

#[test]
fn the_sign_in_test_registers_its_loopback_uri_and_removes_it_however_it_ends() {
    let provider = support::certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": INITIAL_ACCESS_TOKEN },
    }));
    let folder = tempfile::tempdir().unwrap();
    let store = SharedStore::default();
    let http = RecordingHttp::default();
    let catalog = Catalog::built_in().unwrap();
    let created = run_provision(
        &http,
        &effects(folder.path(), &store, Box::new(IdleBrowser)),
        input(&provider.issuer, ProvisionMode::Apply, Some(INITIAL_ACCESS_TOKEN)),
    )
    .unwrap();
    let client_uri = created.registration_client_uri.unwrap();
    let redirect_uris = |http: &RecordingHttp| read_at_provider(http, &store, &client_uri)["redirect_uris"].clone();
    let vendors_only = serde_json::json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"]);

    // Passes: the headless sign-in at the provider, with the URI registered for it alone.
    let effects_signing_in = effects(folder.path(), &store, Box::new(SigningInBrowser { extra: "" }));
    let (result, temporary) = block_on(test_sign_in_with_temporary_redirect(
        &http,
        &catalog,
        &effects_signing_in,
        support::saved_sign_in::saved_connection(CONNECTION, Duration::from_secs(20), None),
        AdminAccess { token: SecretSource::NotGiven, api_url: None },
        std::future::pending(),
        &mut |_| {},
    ))
    .unwrap();
    let report = result.unwrap();
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.redirect_uri.as_deref(), Some(temporary.uri.as_str()));
    assert!(temporary.removed && temporary.left_behind.is_none(), "{temporary:?}");
    assert_eq!(redirect_uris(&http), vendors_only, "the loopback URI is gone after a pass");

    // Fails (the provider refuses the user), times out, is cancelled: the URI goes each time.
    let refusing = effects(folder.path(), &store, Box::new(SigningInBrowser { extra: "&login_hint=blocked" }));
    let idle = effects(folder.path(), &store, Box::new(IdleBrowser));
    type Cancel = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;
    let cases: [(&str, &SideEffects, Duration, Cancel); 3] = [
        ("refused", &refusing, Duration::from_secs(20), Box::pin(std::future::pending())),
        ("timed out", &idle, Duration::from_secs(1), Box::pin(std::future::pending())),
        (
            "cancelled",
            &idle,
            Duration::from_secs(20),
            Box::pin(async { tokio::time::sleep(Duration::from_millis(300)).await }),
        ),
    ];
    for (name, effects, timeout, cancel) in cases {
        let (result, temporary) = block_on(test_sign_in_with_temporary_redirect(
            &http,
            &catalog,
            effects,
            support::saved_sign_in::saved_connection(CONNECTION, timeout, None),
            AdminAccess { token: SecretSource::NotGiven, api_url: None },
            cancel,
            &mut |_| {},
        ))
        .unwrap();
        match result {
            Ok(report) => assert!(!report.ok, "{name}: {report:#?}"),
            Err(error) => assert_eq!(error.code(), "sign-in-cancelled", "{name}"),
        }
        assert!(temporary.removed, "{name}: {temporary:?}");
        assert_eq!(redirect_uris(&http), vendors_only, "{name}: the loopback URI is gone");
    }
}

#[test]
fn a_wrong_initial_access_token_saves_nothing_and_a_provider_without_registration_is_named() {
    let provider = support::certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": INITIAL_ACCESS_TOKEN },
    }));
    let folder = tempfile::tempdir().unwrap();
    let store = SharedStore::default();
    let http = RecordingHttp::default();
    let effects = effects(folder.path(), &store, Box::new(IdleBrowser));
    let error = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Apply, Some("not-the-token")))
        .unwrap_err();
    assert_eq!(error.code(), "registration-admin-token-refused", "{error}");
    assert!(!error.to_string().contains("not-the-token"));
    assert!(!folder.path().join(format!("{CONNECTION}.json")).exists(), "no connection saved");
    assert!(
        store.get(CONNECTION).unwrap().is_none() && store.get(&format!("{CONNECTION}#management")).unwrap().is_none()
    );
    let error = run_provision(&http, &effects, input(&provider.issuer, ProvisionMode::Apply, None)).unwrap_err();
    assert_eq!(error.code(), "registration-admin-token-refused", "no token at all is refused the same way: {error}");

    let closed = support::certified_provider::start(serde_json::json!({ "secret": "unused" }));
    let error = run_provision(&http, &effects, input(&closed.issuer, ProvisionMode::Apply, None)).unwrap_err();
    assert_eq!(error.code(), "provision-no-registration-endpoint", "{error}");
    assert!(error.hint().unwrap().contains("guide"));
}
