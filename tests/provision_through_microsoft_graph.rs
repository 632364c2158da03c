//! `provision --idp entra` through Microsoft Graph, against the Graph stand-in
//! (tests/stand-ins/microsoft-graph.js, which follows the documented API and refuses what it
//! refuses; the real Graph cannot be reached from CI). The dry run is the request log of the
//! apply, a second apply sends nothing, drift behind the tool's back is found and put back,
//! every failure after the app was created removes it again, and deprovision deletes it.
//! The secret store is an in-memory one here (the OS keychain has its own tests).

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
use sso_setup::journeys::{FixedClock, JourneyError, NoBrowser, SecretSource, SideEffects};
use sso_setup::oidc::http_fetch::{ApiAuthorization, HardenedHttpClient, HttpFetch, JsonMethod};
use sso_setup::provisioning::microsoft_graph::GraphClient;
use support::stand_in::StandIn;

const TOKEN: &str = "graph-access-token-for-tests-x7";
const CONNECTION: &str = "peerpanda-entra";
const TENANT: &str = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";
const GROUP: &str = "33333333-3333-4333-8333-333333333333";
/// The start of today (UTC): the stand-in checks a secret's end date against its own clock.
fn today_at_midnight() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    now - now % 86_400
}

/// The date `days` after today, as the connection records it.
fn days_from_today(days: i64) -> String {
    sso_setup::platform::calendar_date::CalendarDate::from_days_since_epoch(today_at_midnight() / 86_400 + days)
        .to_string()
}
const BOTH_PERMISSIONS: [&str; 2] = ["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"];

struct World {
    graph: StandIn,
    store: SharedStore,
    folder: tempfile::TempDir,
    effects: SideEffects,
    http: HardenedHttpClient,
}

fn world(settings: Value) -> World {
    let mut settings = settings;
    settings["token"] = json!(TOKEN);
    if settings.get("groups").is_none() {
        settings["groups"] = json!([GROUP]);
    }
    let graph = support::stand_in::start("microsoft-graph.js", settings);
    let store = SharedStore::default();
    let folder = tempfile::tempdir().unwrap();
    let effects = SideEffects {
        secrets: Box::new(store.clone()),
        clock: Box::new(FixedClock(today_at_midnight())),
        browser: Box::new(NoBrowser),
        connections: ConnectionFolder::new(folder.path().to_owned()),
    };
    World { graph, store, folder, effects, http: HardenedHttpClient::default() }
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
        vendor: Some("peerpanda"),
        identity_provider: Some(IdentityProviderId::Entra),
        region: None,
        org: Some("acme"),
        issuer: Some(TENANT),
        redirect_uris: &[],
        sign_out_uris: &[],
        assign_group: group,
        secret_expires_in_days: None,
        admin_token: match token {
            Some(token) => SecretSource::Given(ClientSecret::new(token.to_owned())),
            None => SecretSource::NotGiven,
        },
        admin_api_url: Some(&world.graph.base),
        mode,
    }
}

fn run(world: &World, input: ProvisionInput<'_>) -> Result<ProvisionOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    block_on(provision(&world.http, &catalog, &world.effects, input, &mut |_| {}))
}

/// The requests that change something, as `(method, path, body)`.
fn writes(world: &World) -> Vec<(String, String, Value)> {
    world
        .graph
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

/// Sends a request to the stand-in as someone else would (the Entra admin center).
fn behind_the_tools_back(world: &World, method: JsonMethod, path: &str, body: Value) {
    let url = url::Url::parse(&format!("{}{path}", world.graph.base)).unwrap();
    let answer = block_on(world.http.send_json(
        method,
        &url,
        Some(ApiAuthorization::Bearer(TOKEN)),
        Some(serde_json::to_vec(&body).unwrap()),
    ))
    .unwrap();
    assert_eq!(answer.status, 204, "{}", String::from_utf8_lossy(&answer.body));
}

#[test]
fn the_dry_run_is_exactly_what_the_apply_sends_and_the_secret_goes_only_to_the_store() {
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    let plan = run(&world, input(&world, ProvisionMode::DryRun, None, Some(GROUP))).unwrap().plan;
    assert!(world.graph.log().is_empty(), "a dry run without a token reads nothing");
    assert!(!serde_json::to_string(&plan).unwrap().contains(TOKEN));

    let outcome = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some(GROUP))).unwrap();
    assert!(outcome.changed);
    let sent = writes(&world);
    assert_eq!(sent.len(), plan.requests.len(), "{sent:?}");
    // The IDs Graph made stand in for the plan's placeholders.
    let connection = world.effects.connections.load(CONNECTION).unwrap();
    let management = connection.management.clone().unwrap();
    let object_id = management.registration_client_uri.rsplit('/').next().unwrap().to_owned();
    let principal_id = management.service_principal_id.clone().unwrap();
    let fill = |text: &str| {
        text.replace("{id of the new application}", &object_id)
            .replace("{appId of the new application}", &connection.client_id)
            .replace("{id of the new service principal}", &principal_id)
    };
    for (planned, (method, path, body)) in plan.requests.iter().zip(&sent) {
        assert_eq!(planned.method.as_str(), method);
        let planned_path = url::Url::parse(&fill(&planned.url)).unwrap().path().to_owned();
        assert_eq!(&planned_path, path);
        let planned_body: Value = serde_json::from_str(&fill(&planned.body.as_ref().unwrap().to_string())).unwrap();
        assert_eq!(&planned_body, body, "{path}");
    }
    // What was created: single tenant, the vendor's URIs, the claims, assignment required.
    let created = &sent[0].2;
    assert_eq!(created["signInAudience"], "AzureADMyOrg");
    assert_eq!(
        created["web"]["redirectUris"],
        json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"])
    );
    assert_eq!(created["web"]["logoutUrl"], "https://getpeerpanda.com/app/accounts/oidc/acme/login/");
    let claims: Vec<&str> =
        created["optionalClaims"]["idToken"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(claims, ["email", "given_name", "family_name"]);
    assert_eq!(sent[1].2["appRoleAssignmentRequired"], true);
    assert_eq!(sent[2].2["principalId"], GROUP);

    // The connection: the tenant's v2.0 issuer, the app ID, the secret's end a year out.
    assert_eq!(connection.idp, IdentityProviderId::Entra);
    assert_eq!(connection.issuer, format!("https://login.microsoftonline.com/{TENANT}/v2.0"));
    assert_eq!(management.api, ManagementApi::MicrosoftGraph);
    assert!(management.secret_id.is_some());
    assert_eq!(connection.secret_expires.unwrap().to_string(), days_from_today(365));
    let secret = world.store.get(CONNECTION).unwrap().expect("the secret is in the store");
    assert!(secret.expose().len() >= 30);
    let file = std::fs::read_to_string(world.folder.path().join(format!("{CONNECTION}.json"))).unwrap();
    assert!(
        !file.contains(secret.expose()) && !file.contains(TOKEN),
        "neither the secret nor the token is in the file"
    );
    let shown = format!("{:?}{}", outcome, serde_json::to_string(&outcome).unwrap());
    assert!(!shown.contains(secret.expose()) && !shown.contains(TOKEN), "nor in what the face shows");
    assert_eq!(
        world.store.get(&format!("{CONNECTION}#management")).unwrap().map(|_| ()),
        None,
        "the Graph token is not kept"
    );

    // A second run reads and changes nothing.
    let again = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    assert!(!again.changed && again.plan.requests.is_empty(), "{:?}", again.plan);
    assert_eq!(writes(&world).len(), sent.len(), "nothing more was sent");
}

#[test]
fn drift_behind_the_tools_back_is_found_and_put_back() {
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let management = world.effects.connections.load(CONNECTION).unwrap().management.unwrap();
    let object_id = management.registration_client_uri.rsplit('/').next().unwrap().to_owned();
    behind_the_tools_back(
        &world,
        JsonMethod::Patch,
        &format!("/applications/{object_id}"),
        json!({ "web": { "redirectUris": ["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/", "https://evil.example/cb"],
                          "implicitGrantSettings": { "enableIdTokenIssuance": true, "enableAccessTokenIssuance": false } } }),
    );
    behind_the_tools_back(
        &world,
        JsonMethod::Patch,
        &format!("/servicePrincipals/{}", management.service_principal_id.unwrap()),
        json!({ "appRoleAssignmentRequired": false }),
    );
    let check = run(&world, input(&world, ProvisionMode::Check, Some(TOKEN), None)).unwrap();
    let found: Vec<String> = check.plan.differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect();
    assert_eq!(
        found,
        [
            "web.redirectUris https://evil.example/cb is extra",
            "web.logoutUrl https://getpeerpanda.com/app/accounts/oidc/acme/login/ is missing",
            "web.implicitGrantSettings tokens from the authorization endpoint are on; the vendor uses the code flow",
            "servicePrincipal.appRoleAssignmentRequired is off: every user in the tenant can sign in to the vendor",
        ]
    );
    let fixed = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    assert!(fixed.changed);
    let check = run(&world, input(&world, ProvisionMode::Check, Some(TOKEN), None)).unwrap();
    assert!(check.plan.differences.is_empty(), "{:?}", check.plan.differences);
    // A drift check needs the token: Graph's tokens are never kept.
    let error = run(&world, input(&world, ProvisionMode::Check, None, None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionAdminTokenNeeded);
}

#[test]
fn a_failure_after_the_app_was_created_deletes_it_again() {
    // The token may create apps but not assign groups: the assignment fails with 403.
    let world = world(json!({ "permissions": ["Application.ReadWrite.All"] }));
    let error = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some(GROUP))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionIncomplete, "{error}");
    assert!(
        error.to_string().contains("AppRoleAssignment.ReadWrite.All")
            || error.hint().unwrap().contains("AppRoleAssignment.ReadWrite.All"),
        "{error} / {:?}",
        error.hint()
    );
    assert!(error.to_string().contains("deleted again"), "{error}");
    let sent = writes(&world);
    assert_eq!(sent.last().unwrap().0, "DELETE", "{sent:?}");
    assert!(!world.effects.connections.path_of(CONNECTION).exists(), "no connection was saved");
    assert_eq!(world.store.get(CONNECTION).unwrap().map(|_| ()), None);

    // A tenant policy that caps secrets at 90 days refuses the default year: the app goes too.
    let world = self::world(json!({ "permissions": BOTH_PERMISSIONS, "maxSecretDays": 90 }));
    let error = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionIncomplete);
    assert!(error.to_string().contains("max value allowed as per assigned policy"), "{error}");
    assert_eq!(writes(&world).last().unwrap().0, "DELETE");
    let mut ninety = input(&world, ProvisionMode::Apply, Some(TOKEN), None);
    ninety.secret_expires_in_days = Some(90);
    let outcome = run(&world, ninety).unwrap();
    assert_eq!(outcome.secret_expires.unwrap().to_string(), days_from_today(90));
}

#[test]
fn a_refused_token_or_a_bad_value_creates_nothing() {
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    let error = run(&world, input(&world, ProvisionMode::Apply, Some("someone-elses-token"), None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AdminApiTokenRefused, "{error}");
    assert!(!error.to_string().contains("someone-elses-token"));
    assert_eq!(writes(&world).len(), 1, "the one refused create, and nothing after it");
    let error = run(&world, input(&world, ProvisionMode::Apply, None, None)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionAdminTokenNeeded);
    assert!(
        error.hint().unwrap().contains("Application.ReadWrite.All"),
        "the permissions are said before anything is sent"
    );
    let error = run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), Some("Sales team"))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionGroupNotAnId);
    let mut too_long = input(&world, ProvisionMode::Apply, Some(TOKEN), None);
    too_long.secret_expires_in_days = Some(731);
    assert_eq!(run(&world, too_long).unwrap_err().code(), ErrorCode::ProvisionSecretLifetimeOutOfRange);
    let mut elsewhere = input(&world, ProvisionMode::Apply, Some(TOKEN), None);
    elsewhere.admin_api_url = Some("https://graph.microsoft.com.evil.example/v1.0");
    assert_eq!(run(&world, elsewhere).unwrap_err().code(), ErrorCode::AdminApiNotLoopback);
    assert_eq!(writes(&world).len(), 1, "each bad value is refused before anything is sent: {:?}", writes(&world));
}

#[test]
fn throttling_is_waited_out_as_graph_asks() {
    let world = world(
        json!({ "permissions": BOTH_PERMISSIONS, "throttle": { "path": "/applications", "times": 1, "retryAfter": 1 } }),
    );
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();
    let creates =
        writes(&world).into_iter().filter(|(method, path, _)| method == "POST" && path == "/v1.0/applications").count();
    assert_eq!(creates, 2, "sent again after the 429");
    assert_eq!(world.effects.connections.load(CONNECTION).unwrap().idp, IdentityProviderId::Entra);
}

#[test]
fn deprovision_deletes_the_app_then_the_connection_and_a_tampered_file_gets_no_token() {
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    run(&world, input(&world, ProvisionMode::Apply, Some(TOKEN), None)).unwrap();

    // A connection file edited to send the Graph token elsewhere is refused.
    let path = world.folder.path().join(format!("{CONNECTION}.json"));
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, original.replace(&world.graph.base, "https://graph.example/v1.0")).unwrap();
    let admin = || SecretSource::Given(ClientSecret::new(TOKEN.to_owned()));
    let error =
        block_on(deprovision(&world.http, &world.effects, CONNECTION, admin(), Some(&world.graph.base))).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionManagementElsewhere);
    std::fs::write(&path, original).unwrap();

    let error =
        block_on(deprovision(&world.http, &world.effects, CONNECTION, SecretSource::NotGiven, Some(&world.graph.base)))
            .unwrap_err();
    assert_eq!(error.code(), ErrorCode::ProvisionAdminTokenNeeded);
    let removed =
        block_on(deprovision(&world.http, &world.effects, CONNECTION, admin(), Some(&world.graph.base))).unwrap();
    assert!(removed.deleted_at_idp);
    assert_eq!(writes(&world).last().unwrap().0, "DELETE");
    assert!(!path.exists());
    assert_eq!(world.store.get(CONNECTION).unwrap().map(|_| ()), None);
}

/// The stand-in's tenant endpoints, as the connection's issuer: the secret check and the
/// rotation try secrets at its token endpoint.
fn stand_in_issuer(world: &World) -> String {
    format!("{}/{TENANT}/v2.0", world.graph.base.trim_end_matches("/v1.0"))
}

/// Creates the app with the stand-in's tenant endpoints as the connection's issuer; returns
/// the application's object ID.
fn provision_with_the_stand_in_issuer(world: &World) -> String {
    let issuer = stand_in_issuer(world);
    let mut first = input(world, ProvisionMode::Apply, Some(TOKEN), None);
    first.issuer = Some(&issuer);
    run(world, first).unwrap();
    let saved = world.effects.connections.load(CONNECTION).unwrap();
    saved.management.unwrap().registration_client_uri.rsplit('/').next().unwrap().to_owned()
}

fn health(world: &World) -> sso_setup::journeys::health_check::ConnectionHealth {
    let catalog = Catalog::built_in().unwrap();
    let report = block_on(sso_setup::journeys::health_check::check_connections(
        &world.http,
        &catalog,
        &world.effects,
        sso_setup::journeys::health_check::ConnectionsToCheck::One(CONNECTION),
        1,
    ))
    .unwrap();
    report.connections.into_iter().next().unwrap()
}

fn rotate(
    world: &World,
    finish: bool,
) -> Result<sso_setup::journeys::rotate_secret::RotateSecretOutcome, JourneyError> {
    let catalog = Catalog::built_in().unwrap();
    block_on(sso_setup::journeys::rotate_secret::rotate_secret(
        &world.http,
        &catalog,
        &world.effects,
        sso_setup::journeys::rotate_secret::RotateSecretInput {
            connection: CONNECTION,
            admin_token: SecretSource::Given(ClientSecret::new(TOKEN.to_owned())),
            admin_api_url: Some(&world.graph.base),
            expires_in_days: Some(200),
            finish,
        },
    ))
}

#[test]
fn a_rotation_keeps_both_secrets_valid_until_it_is_finished() {
    use sso_setup::journeys::rotate_secret::RotationStage;
    use sso_setup::oidc::discovery::CheckStatus;
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    provision_with_the_stand_in_issuer(&world);
    let health_before = health(&world);
    assert!(health_before.ok, "the secret Graph made works at the token endpoint: {:?}", health_before.checks);
    let drift = health_before.checks.iter().find(|check| check.id == "drift").unwrap();
    assert_eq!(drift.status, CheckStatus::Warn, "drift cannot be read without the admin's token, and says so");
    let old_secret = world.store.get(CONNECTION).unwrap().unwrap().expose().to_owned();

    let started = rotate(&world, false).unwrap();
    assert_eq!(started.stage, RotationStage::Started);
    assert_eq!(started.secret_expires.unwrap().to_string(), days_from_today(200));
    let tried = started.health.as_ref().unwrap();
    assert!(tried.ok, "the new secret is tried at once: {:?}", tried.checks);
    let new_secret = world.store.get(CONNECTION).unwrap().unwrap().expose().to_owned();
    assert_ne!(new_secret, old_secret);
    let mut at_idp: Vec<String> = world.graph.secrets().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    at_idp.sort();
    let mut both = vec![old_secret.clone(), new_secret.clone()];
    both.sort();
    assert_eq!(at_idp, both, "the vendor's old secret still works");
    let saved = world.effects.connections.load(CONNECTION).unwrap();
    assert_eq!(saved.secret_expires.unwrap().to_string(), days_from_today(200), "the new expiry is recorded");
    assert_eq!(rotate(&world, false).unwrap_err().code(), ErrorCode::RotationAlreadyStarted);

    let finished = rotate(&world, true).unwrap();
    assert_eq!(finished.stage, RotationStage::Finished);
    assert_eq!(world.graph.secrets(), [json!(new_secret)], "only the new secret is left");
    assert!(health(&world).ok, "and it is the one in the keychain");
    assert_eq!(rotate(&world, true).unwrap_err().code(), ErrorCode::RotationNothingToFinish);
    let shown = format!("{started:?}{finished:?}");
    assert!(!shown.contains(&new_secret) && !shown.contains(&old_secret) && !shown.contains(TOKEN));
}

#[test]
fn a_connection_not_made_by_provision_is_not_rotated() {
    use sso_setup::connections::connection::{Connection, Management, CONNECTION_SCHEMA_VERSION};
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    let connection = Connection {
        schema_version: CONNECTION_SCHEMA_VERSION,
        name: CONNECTION.into(),
        vendor: "peerpanda".into(),
        idp: IdentityProviderId::Generic,
        region: None,
        org: Some("acme".into()),
        issuer: "https://idp.example".into(),
        client_id: "c1".into(),
        secret_expires: None,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management: None,
    };
    world.effects.connections.save(&connection, None, world.effects.secrets.as_ref()).unwrap();
    assert_eq!(rotate(&world, false).unwrap_err().code(), ErrorCode::RotationNotProvisioned);
    std::fs::remove_file(world.effects.connections.path_of(CONNECTION)).unwrap();
    let standard = Connection {
        management: Some(Management {
            api: ManagementApi::Rfc7592,
            registration_client_uri: "https://idp.example/reg/c1".into(),
            given_redirect_uris: vec![],
            given_sign_out_uris: vec![],
            created: "2026-12-02T00:00:00Z".into(),
            service_principal_id: None,
            secret_id: None,
            previous_secret_id: None,
        }),
        ..connection
    };
    world.effects.connections.save(&standard, None, world.effects.secrets.as_ref()).unwrap();
    assert_eq!(rotate(&world, false).unwrap_err().code(), ErrorCode::RotationNotSupported);
    assert!(world.graph.log().is_empty(), "nothing was sent");
}

/// The same world, with a browser that follows the authorization URL (the stand-in signs a
/// test user in at once for a registered redirect URI).
fn signing_in(world: &World) -> SideEffects {
    SideEffects {
        secrets: Box::new(world.store.clone()),
        // The real clock: the ID token's times are the stand-in's.
        clock: Box::new(sso_setup::journeys::SystemClock),
        browser: Box::new(support::browser::FollowingBrowser),
        connections: ConnectionFolder::new(world.folder.path().to_owned()),
    }
}

/// The application's `web` as Graph holds it now.
fn web_at_graph(world: &World, object_id: &str) -> Value {
    let token = ClientSecret::new(TOKEN.to_owned());
    let base = url::Url::parse(&format!("{}/", world.graph.base)).unwrap();
    let clock = FixedClock(today_at_midnight());
    let client = GraphClient { http: &world.http, clock: &clock, token: &token, graph: &base };
    let application = block_on(client.application(object_id)).unwrap();
    Value::Object(application.web)
}

#[test]
fn the_sign_in_test_adds_its_loopback_uri_through_graph_and_removes_it_however_it_ends() {
    use sso_setup::journeys::provision::AdminAccess;
    use std::time::Duration;
    let world = world(json!({ "permissions": BOTH_PERMISSIONS }));
    let object_id = provision_with_the_stand_in_issuer(&world);
    let web_before = web_at_graph(&world, &object_id);
    let effects = signing_in(&world);
    let admin = || AdminAccess {
        token: SecretSource::Given(ClientSecret::new(TOKEN.to_owned())),
        api_url: Some(&world.graph.base),
    };

    // The stand-in holds Entra's rule: a loopback URI the app does not have gets AADSTS50011
    // and no redirect, so a test without its own registration waits in vain.
    let unregistered =
        block_on(support::saved_sign_in::sign_in_on_an_unregistered_uri(&world.http, &effects, CONNECTION));
    assert!(!unregistered.ok, "{unregistered:#?}");

    // With its own registration it passes: code, token, ID token, and the vendor's claims,
    // which Entra adds only because provision configured them as optional claims.
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
    assert_eq!(report.redirect_uri.as_deref(), Some(temporary.uri.as_str()));
    assert!(temporary.removed && temporary.left_behind.is_none(), "{temporary:?}");
    assert_eq!(web_at_graph(&world, &object_id), web_before, "the app's web is as it was, sign-out URL included");
    let patches: Vec<Value> = writes(&world)
        .into_iter()
        .filter(|(method, path, _)| method == "PATCH" && path.ends_with(&object_id))
        .map(|(_, _, body)| body["web"]["redirectUris"].clone())
        .collect();
    let vendors = web_before["redirectUris"].clone();
    assert_eq!(vendors.as_array().unwrap().len(), 1, "{vendors}");
    assert_eq!(patches, [json!([vendors[0], temporary.uri]), vendors]);

    // A test that times out removes it too.
    let (result, temporary) = block_on(support::saved_sign_in::sign_in_with_a_temporary_uri(
        &world.http,
        &world.effects,
        CONNECTION,
        admin(),
        Duration::from_secs(1),
        std::future::pending(),
    ))
    .unwrap();
    assert!(!result.unwrap().ok);
    assert!(temporary.removed, "{temporary:?}");
    assert_eq!(web_at_graph(&world, &object_id), web_before);

    // Without the admin's token nothing is changed, and the error says which token.
    let refused = block_on(support::saved_sign_in::sign_in_with_a_temporary_uri(
        &world.http,
        &effects,
        CONNECTION,
        AdminAccess { token: SecretSource::NotGiven, api_url: Some(&world.graph.base) },
        Duration::from_secs(1),
        std::future::pending(),
    ))
    .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ProvisionAdminTokenNeeded);
    assert_eq!(web_at_graph(&world, &object_id), web_before);
}

/// Graph took the loopback URI and then answered 500: the test does not run, and the URI is
/// taken out again all the same (the app's `web` is as before), so nothing is left behind.
#[test]
fn a_loopback_uri_graph_took_before_failing_is_taken_out_again() {
    use sso_setup::journeys::provision::AdminAccess;
    let world = world(json!({ "permissions": BOTH_PERMISSIONS, "failAfterApplying": { "times": 1 } }));
    let object_id = provision_with_the_stand_in_issuer(&world);
    let web_before = web_at_graph(&world, &object_id);
    let admin = AdminAccess {
        token: SecretSource::Given(ClientSecret::new(TOKEN.to_owned())),
        api_url: Some(&world.graph.base),
    };
    let (result, temporary) = block_on(support::saved_sign_in::sign_in_with_a_temporary_uri(
        &world.http,
        &signing_in(&world),
        CONNECTION,
        admin,
        std::time::Duration::from_secs(20),
        std::future::pending(),
    ))
    .unwrap();
    assert_eq!(result.unwrap_err().code(), ErrorCode::AdminApiRefused, "the add's 500 is the error");
    assert!(temporary.removed && temporary.left_behind.is_none(), "{temporary:?}");
    assert_eq!(web_at_graph(&world, &object_id), web_before, "the URI Graph took is gone again");
}
