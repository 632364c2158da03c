//! `provision --idp okta` through the Okta Management API, against the Okta stand-in
//! (tests/stand-ins/okta-management.js, which follows the documented API and refuses what it
//! refuses; a real Okta org cannot be reached from CI). Pivott, which sends its own URIs and
//! needs Federation Broker Mode off: the dry run is the request log of the apply, a second
//! apply sends nothing, drift is found and put back with a whole-object replace, a failure
//! after the create deactivates and deletes the app again, a secret rotation keeps both
//! secrets valid until it is finished, and deprovision removes the app.

#[allow(dead_code)]
mod support;

use support::shared_store::SharedStore;

use serde_json::{json, Value};
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::connections::connection::{ConnectionFolder, ManagementApi};
use sso_setup::connections::keychain::SecretStore;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::error::ErrorCode;
use sso_setup::journeys::provision::{deprovision, provision, ProvisionInput, ProvisionMode, ProvisionOutcome};
use sso_setup::journeys::rotate_secret::{rotate_secret, RotateSecretInput, RotateSecretOutcome, RotationStage};
use sso_setup::journeys::{JourneyError, NoBrowser, SecretSource, SideEffects, SystemClock};
use sso_setup::oidc::http_fetch::{ApiAuthorization, HardenedHttpClient, HttpFetch, JsonMethod};
use sso_setup::provisioning::okta_apps::OktaClient;
use support::stand_in::StandIn;

const TOKEN: &str = "00okta-api-token-for-tests-Vb2";
const CONNECTION: &str = "pivott-okta";
const GROUP: &str = "00g1abcdEFGH2345";
const REDIRECT: &str = "https://app.pivott.io/oidc/callback";

struct World {
    okta: StandIn,
    store: SharedStore,
    folder: tempfile::TempDir,
    effects: SideEffects,
    http: HardenedHttpClient,
    redirect_uris: Vec<String>,
}

fn world(settings: Value) -> World {
    let mut settings = settings;
    settings["token"] = json!(TOKEN);
    settings["groups"] = json!([GROUP]);
    let okta = support::stand_in::start("okta-management.js", settings);
    let store = SharedStore::default();
    let folder = tempfile::tempdir().unwrap();
    let effects = SideEffects {
        secrets: Box::new(store.clone()),
        // The system clock: the stand-in's X-Rate-Limit-Reset is a real second since 1970.
        clock: Box::new(SystemClock),
        browser: Box::new(NoBrowser),
        connections: ConnectionFolder::new(folder.path().to_owned()),
    };
    World {
        okta,
        store,
        folder,
        effects,
        http: HardenedHttpClient::default(),
        redirect_uris: vec![REDIRECT.to_owned()],
    }
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    RUNTIME.with(|runtime| runtime.block_on(future))
}

fn input<'a>(world: &'a World, mode: ProvisionMode, token: Option<&str>, group: Option<&'a str>) -> ProvisionInput<'a> {
    ProvisionInput {
        connection: CONNECTION,
        vendor: Some("pivott"),
        identity_provider: Some(IdentityProviderId::Okta),
        region: None,
        org: None,
        issuer: Some(&world.okta.base),
        redirect_uris: &world.redirect_uris,
        sign_out_uris: &[],
        assign_group: group,
        secret_expires_in_days: None,
        admin_token: match token {
            Some(token) => SecretSource::Given(ClientSecret::new(token.to_owned())),
            None => SecretSource::NotGiven,
        },
        admin_api_url: None,
        mode,
    }
}

fn run(world: &World, input: ProvisionInput<'_>) -> Result<ProvisionOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    block_on(provision(&world.http, &catalog, &world.effects, input, &mut |_| {}))
}

fn rotate(world: &World, finish: bool) -> Result<RotateSecretOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    block_on(rotate_secret(
        &world.http,
        &catalog,
        &world.effects,
        RotateSecretInput {
            connection: CONNECTION,
            admin_token: SecretSource::Given(ClientSecret::new(TOKEN.to_owned())),
            admin_api_url: None,
            expires_in_days: None,
            finish,
        },
    ))
}

/// `(method, path with query, body)` of every request that is not a read.
fn writes(world: &World) -> Vec<(String, String, Value)> {
    world
        .okta
        .log()
        .into_iter()
        .filter(|entry| entry["method"] != "GET")
        .map(|entry| {
            (
                entry["method"].as_str().unwrap().to_owned(),
                entry["path"].as_str().unwrap().to_owned(),
                entry["body"].clone(),
            )
        })
        .collect()
}

fn app_id(world: &World) -> String {
    let management = world.effects.connections.load(CONNECTION).unwrap().management.unwrap();
    management.registration_client_uri.rsplit('/').next().unwrap().to_owned()
}

#[test]
fn the_dry_run_is_what_the_apply_sends_with_broker_mode_off_and_the_secret_in_the_store() {
    let world = world(json!({}));
    let plan = run(&world, input(&world, ProvisionMode::DryRun, None, Some(GROUP))).unwrap().plan;
    assert!(world.okta.log().is_empty(), "a dry run without a token reads nothing");

    let outcome = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some(GROUP))).unwrap();
    assert!(outcome.changed);
    let id = app_id(&world);
    let sent = writes(&world);
    assert_eq!(sent.len(), plan.requests.len(), "{sent:?}");
    for (planned, (method, path, body)) in plan.requests.iter().zip(&sent) {
        let url = url::Url::parse(&planned.url.replace("{id of the new app}", &id)).unwrap();
        let planned_path = format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default());
        assert_eq!((planned.method.as_str(), planned_path.as_str()), (method.as_str(), path.as_str()));
        assert_eq!(planned.body.as_ref().unwrap(), body, "{path}");
    }
    let created = &sent[0].2;
    assert_eq!(created["signOnMode"], "OPENID_CONNECT");
    assert_eq!(created["settings"]["implicitAssignment"], false, "Federation Broker Mode is off");
    assert_eq!(created["settings"]["oauthClient"]["redirect_uris"], json!([REDIRECT]));
    assert_eq!(sent[1].1, format!("/api/v1/apps/{id}/groups/{GROUP}"));

    let connection = world.effects.connections.load(CONNECTION).unwrap();
    assert_eq!(connection.management.as_ref().unwrap().api, ManagementApi::OktaApps);
    assert!(connection.management.as_ref().unwrap().secret_id.is_some());
    assert_eq!(connection.secret_expires, None, "Okta secrets do not expire");
    let secret = world.store.get(CONNECTION).unwrap().unwrap().expose().to_owned();
    assert_eq!(world.okta.secrets(), [json!(secret)], "the keychain holds the secret Okta made");
    let file = std::fs::read_to_string(world.folder.path().join(format!("{CONNECTION}.json"))).unwrap();
    let shown = format!("{outcome:?}{}", serde_json::to_string(&outcome).unwrap());
    for text in [&file, &shown] {
        assert!(!text.contains(&secret) && !text.contains(TOKEN));
    }
    assert_eq!(world.store.get(&format!("{CONNECTION}#management")).unwrap().map(|_| ()), None, "no token kept");

    let again = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    assert!(!again.changed && again.plan.requests.is_empty(), "{:?}", again.plan);
    assert_eq!(writes(&world).len(), sent.len(), "nothing more was sent");
}

#[test]
fn drift_is_found_and_put_back_with_the_whole_app() {
    let world = world(json!({}));
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let id = app_id(&world);
    // Someone turns Federation Broker Mode on and adds a redirect URI in the Admin Console.
    let url = url::Url::parse(&format!("{}/api/v1/apps/{id}", world.okta.base)).unwrap();
    let read =
        block_on(world.http.send_json(JsonMethod::Get, &url, Some(ApiAuthorization::Ssws(TOKEN)), None)).unwrap();
    let mut app: Value = serde_json::from_slice(&read.body).unwrap();
    app["settings"]["implicitAssignment"] = json!(true);
    app["settings"]["oauthClient"]["redirect_uris"] = json!([REDIRECT, "https://evil.example/cb"]);
    let put = block_on(world.http.send_json(
        JsonMethod::Put,
        &url,
        Some(ApiAuthorization::Ssws(TOKEN)),
        Some(serde_json::to_vec(&app).unwrap()),
    ))
    .unwrap();
    assert_eq!(put.status, 200);

    let check = run(&world, input(&world, ProvisionMode::Check, Some(TOKEN), None)).unwrap();
    let found: Vec<String> = check.plan.differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect();
    assert_eq!(
        found,
        [
            "redirect_uris https://evil.example/cb is extra",
            "settings.implicitAssignment Federation Broker Mode is on: every user of the org can sign in to the vendor, without an assignment",
        ]
    );
    let fixed = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    assert!(fixed.changed);
    let replace = writes(&world).pop().unwrap();
    assert_eq!(replace.0, "PUT");
    assert_eq!(replace.2["label"], "Pivott (pivott-okta)", "the whole app is sent, not a part of it");
    assert!(run(&world, input(&world, ProvisionMode::Check, Some(TOKEN), None)).unwrap().plan.differences.is_empty());
}

#[test]
fn a_failure_after_the_create_deactivates_and_deletes_the_app() {
    let world = world(json!({}));
    let error = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some("00gNoSuchGroup1"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionIncomplete, "{error}");
    assert!(error.to_string().contains("deleted again"), "{error}");
    let sent: Vec<String> = writes(&world).iter().map(|(method, path, _)| format!("{method} {path}")).collect();
    let id = sent[1].split('/').nth(4).unwrap().to_owned();
    assert_eq!(
        sent[2..],
        [format!("POST /api/v1/apps/{id}/lifecycle/deactivate"), format!("DELETE /api/v1/apps/{id}")],
        "Okta deletes only an inactive app"
    );
    assert!(world.okta.secrets().is_empty());
    assert!(!world.effects.connections.path_of(CONNECTION).exists());
    assert_eq!(world.store.get(CONNECTION).unwrap().map(|_| ()), None);
}

#[test]
fn bad_tokens_and_values_create_nothing_and_throttling_is_waited_out() {
    let world = world(json!({ "throttle": { "path": "/api/v1/apps", "times": 1 } }));
    let error = run(&world, input(&world, ProvisionMode::Apply, None, None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionAdminTokenNeeded);
    let error = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some("Sales"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionGroupNotAnId);
    let mut lifetime = input(&world, ProvisionMode::Apply, Some(TOKEN), None);
    lifetime.secret_expires_in_days = Some(90);
    assert_eq!(run(&world, lifetime).unwrap_err().code(), ErrorCode::ProvisionOptionNotSupported);
    assert!(world.okta.log().is_empty(), "each was refused before anything was sent");
    let error = run(&world, input(&world, ProvisionMode::Apply, Some("00someone-elses"), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AdminApiTokenRefused, "{error}");
    assert!(!error.to_string().contains("00someone-elses"));
    // The first create with the right token is answered 429 with X-Rate-Limit-Reset: waited out.
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let creates = writes(&world)
        .iter()
        .filter(|(method, path, _)| method == "POST" && path == "/api/v1/apps?activate=true")
        .count();
    assert_eq!(creates, 3, "the refused token's, the throttled one and the one sent again");
}

#[test]
fn a_rotation_keeps_both_secrets_valid_until_it_is_finished_and_deprovision_removes_the_app() {
    let world = world(json!({}));
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let old = world.store.get(CONNECTION).unwrap().unwrap().expose().to_owned();
    let started = rotate(&world, false).unwrap();
    assert_eq!(started.stage, RotationStage::Started);
    let health = started.health.as_ref().unwrap();
    assert!(health.ok, "the new secret works at the token endpoint: {:?}", health.checks);
    let new = world.store.get(CONNECTION).unwrap().unwrap().expose().to_owned();
    assert_ne!(old, new);
    let mut at_okta: Vec<String> = world.okta.secrets().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    at_okta.sort();
    let mut both = vec![old.clone(), new.clone()];
    both.sort();
    assert_eq!(at_okta, both, "the vendor's old secret still works");
    assert_eq!(rotate(&world, false).unwrap_err().code(), ErrorCode::RotationAlreadyStarted);
    let finished = rotate(&world, true).unwrap();
    assert_eq!(finished.stage, RotationStage::Finished);
    assert_eq!(world.okta.secrets(), [json!(new)]);
    let shown = format!("{started:?}{finished:?}");
    assert!(!shown.contains(&new) && !shown.contains(&old) && !shown.contains(TOKEN));

    let admin = || SecretSource::Given(ClientSecret::new(TOKEN.to_owned()));
    let removed = block_on(deprovision(&world.http, &world.effects, CONNECTION, admin(), None)).unwrap();
    assert!(removed.deleted_at_idp);
    assert!(world.okta.secrets().is_empty(), "the app is gone at Okta");
    assert!(!world.effects.connections.path_of(CONNECTION).exists());
}

/// The app's redirect URIs as Okta holds them now.
fn redirect_uris_at_okta(world: &World, id: &str) -> Value {
    let token = ClientSecret::new(TOKEN.to_owned());
    let org = url::Url::parse(&format!("{}/", world.okta.base)).unwrap();
    let client = OktaClient { http: &world.http, clock: &SystemClock, token: &token, org: &org };
    block_on(client.app(id)).unwrap().metadata["redirect_uris"].clone()
}

#[test]
fn the_sign_in_test_adds_its_loopback_uri_through_the_okta_api_and_removes_it_however_it_ends() {
    use sso_setup::journeys::provision::AdminAccess;
    use std::time::Duration;
    let world = world(json!({}));
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let saved = world.effects.connections.load(CONNECTION).unwrap();
    let id = saved.management.unwrap().registration_client_uri.rsplit('/').next().unwrap().to_owned();
    let effects = SideEffects {
        secrets: Box::new(world.store.clone()),
        clock: Box::new(SystemClock),
        browser: Box::new(support::browser::FollowingBrowser),
        connections: ConnectionFolder::new(world.folder.path().to_owned()),
    };
    let admin = || AdminAccess { token: SecretSource::Given(ClientSecret::new(TOKEN.to_owned())), api_url: None };
    let vendors = json!([REDIRECT]);
    assert_eq!(redirect_uris_at_okta(&world, &id), vendors);

    // Okta compares redirect URIs exactly: one the app does not have gets no redirect.
    let unregistered =
        block_on(support::saved_sign_in::sign_in_on_an_unregistered_uri(&world.http, &effects, CONNECTION));
    assert!(!unregistered.ok, "{unregistered:#?}");

    let (result, temporary) = block_on(support::saved_sign_in::sign_in_with_a_temporary_uri(
        &world.http,
        &effects,
        CONNECTION,
        admin(),
        Duration::from_secs(20),
        std::future::pending(),
    ))
    .unwrap();
    let report = result.unwrap();
    assert!(report.ok, "{report:#?}");
    assert!(temporary.removed && temporary.left_behind.is_none(), "{temporary:?}");
    assert_eq!(redirect_uris_at_okta(&world, &id), vendors, "the loopback URI is gone after a pass");
    let replaced: Vec<Value> = writes(&world)
        .into_iter()
        .filter(|(method, path, _)| method == "PUT" && path.ends_with(&id))
        .map(|(_, _, body)| body["settings"]["oauthClient"]["redirect_uris"].clone())
        .collect();
    assert_eq!(replaced, [json!([REDIRECT, temporary.uri]), vendors.clone()]);

    // Cancelled (the command line's Ctrl-C): removed too.
    let (result, temporary) = block_on(support::saved_sign_in::sign_in_with_a_temporary_uri(
        &world.http,
        &world.effects,
        CONNECTION,
        admin(),
        Duration::from_secs(20),
        async { tokio::time::sleep(Duration::from_millis(300)).await },
    ))
    .unwrap();
    assert_eq!(result.unwrap_err().code(), ErrorCode::SignInCancelled);
    assert!(temporary.removed, "{temporary:?}");
    assert_eq!(redirect_uris_at_okta(&world, &id), vendors);
}

/// The admin's own sign-in at the org, then `provision` with the token it gave: the Okta
/// stand-in's org authorization server signs the admin in for an OAuth access token with
/// okta.apps.manage (a device code approved at /activate, or the code grant with PKCE back to
/// the public client's exact loopback URI), and the Apps API takes it as Bearer.
#[test]
fn an_admin_signed_in_with_a_device_code_or_the_browser_creates_the_app() {
    use sso_setup::journeys::admin_sign_in::{sign_in_admin, AdminSignInInput, AdminSignInMethod, AdminSignInPrompt};
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let world = world(json!({ "adminClient": {
        "client_id": "0oaAdminPublic1", "redirect_uris": [format!("http://127.0.0.1:{port}/callback")],
    } }));
    let effects = SideEffects {
        secrets: Box::new(world.store.clone()),
        clock: Box::new(SystemClock),
        browser: Box::new(support::browser::FollowingBrowser),
        connections: ConnectionFolder::new(world.folder.path().to_owned()),
    };
    let sign_in = |method: AdminSignInMethod| {
        let input = AdminSignInInput {
            connection: CONNECTION,
            identity_provider: Some(IdentityProviderId::Okta),
            issuer: Some(&world.okta.base),
            client_id: "0oaAdminPublic1",
            method,
        };
        block_on(sign_in_admin(&world.http, &effects, input, |prompt| match prompt {
            // The admin approves the code in a browser elsewhere.
            AdminSignInPrompt::DeviceCode(code) => {
                let complete = code.verification_uri_complete.clone().unwrap();
                std::thread::spawn(move || support::browser::browse_with_cookies(&complete));
            }
            AdminSignInPrompt::BrowserOpened(_) => {}
            AdminSignInPrompt::OpenThis { reason, .. } => panic!("the browser opens here: {reason}"),
        }))
    };

    let by_device = sign_in(AdminSignInMethod::DeviceCode).unwrap();
    let mut creating = input(&world, ProvisionMode::Apply, None, None);
    creating.admin_token = SecretSource::Given(by_device);
    let created = run(&world, creating).unwrap();
    assert!(created.changed);

    let by_browser = sign_in(AdminSignInMethod::Browser { port: Some(port) }).unwrap();
    assert!(by_browser.expose().starts_with("eyJ"), "an OAuth access token, sent as Bearer");
    let mut checking = input(&world, ProvisionMode::Check, None, None);
    checking.admin_token = SecretSource::Given(by_browser);
    let checked = run(&world, checking).unwrap();
    assert!(checked.plan.differences.is_empty(), "{:?}", checked.plan.differences);
}
