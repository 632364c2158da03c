//! Every command of the shell, through Tauri's real IPC layer on the mock runtime, with the
//! side effects the composition root would build replaced by stand-ins: an in-memory secret
//! store, a fixed clock, a clipboard in memory, and a browser that signs in by itself at the
//! core's demo provider on loopback (real HTTP, real PKCE, real ID-token checks).
//!
//! The commands are the same code the app runs; only `AppState::with` differs from
//! `AppState::of_this_computer`. So a refusal or a rule that lives in a command, not in the
//! core, would show up here as the two faces drifting apart.

#[path = "../../tests/support/browser.rs"]
mod browser;
#[path = "../../tests/support/certified_provider.rs"]
mod certified_provider;
#[path = "support/ipc.rs"]
mod ipc;
#[path = "../../tests/support/shared_store.rs"]
mod shared_store;
#[allow(dead_code)]
#[path = "../../tests/support/stand_in.rs"]
mod stand_in;

use shared_store::SharedStore;

use ipc::invoke_on;
use sso_setup::connections::connection::ConnectionFolder;
use sso_setup::connections::keychain::SecretStore;
use sso_setup::journeys::reminders::Notification;
use sso_setup::journeys::{BrowserOpener, FixedClock, NoBrowser, SideEffects};
use sso_setup::platform::clipboard::{ClipboardAccess, ClipboardError};
use sso_setup::platform::config_folder::ConfigFolder;
use sso_setup::platform::system_browser::BrowserError;
use sso_setup_desktop::{build_app_with, AppState};
use std::sync::{Arc, Mutex};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{WebviewWindow, WebviewWindowBuilder};

/// The time the stand-in clock stays at: now, when the test starts (the demo provider signs
/// ID tokens with the real time, and the ID-token checks read the injected clock), and then
/// never moving, so expiry days and the bundle's date are exact.
fn fixed_now() -> i64 {
    static NOW: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *NOW.get_or_init(|| sso_setup::journeys::Clock::now_unix_seconds(&sso_setup::journeys::SystemClock))
}

fn ten_days_after_the_fixed_day() -> String {
    sso_setup::journeys::Clock::today(&FixedClock(fixed_now() + 10 * 86_400)).to_string()
}

/// A clipboard in memory: what was put, and whether it was marked concealed.
#[derive(Clone, Default)]
struct MemoryClipboard(Arc<Mutex<Option<(String, bool)>>>);

impl ClipboardAccess for MemoryClipboard {
    fn put_text(&mut self, text: &str, concealed: bool) -> Result<(), ClipboardError> {
        *self.0.lock().unwrap() = Some((text.to_owned(), concealed));
        Ok(())
    }
    fn read_text(&mut self) -> Result<Option<String>, ClipboardError> {
        Ok(self.0.lock().unwrap().as_ref().map(|(text, _)| text.clone()))
    }
    fn clear(&mut self) -> Result<(), ClipboardError> {
        *self.0.lock().unwrap() = None;
        Ok(())
    }
}

/// A browser that signs in at the demo provider on a thread of its own, as the admin would:
/// it opens the authorization URL, follows the page's sign-in link, and lands on the
/// loopback listener.
struct SignsInByItself;

impl BrowserOpener for SignsInByItself {
    fn open(&self, url: &url::Url) -> Result<(), BrowserError> {
        let authorization_url = url.clone();
        std::thread::spawn(move || {
            let (_, page) = browser::browse_with_cookies(authorization_url.as_str());
            let href = page.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a sign-in link");
            let approve = authorization_url.join(&href.replace("&amp;", "&")).unwrap();
            browser::browse_with_cookies(approve.as_str());
        });
        Ok(())
    }
}

struct TestApp {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    secrets: SharedStore,
    clipboard: MemoryClipboard,
    config: tempfile::TempDir,
    /// The desktop notifications shown, as (title, body).
    notifications: Arc<Mutex<Vec<(String, String)>>>,
}

impl TestApp {
    fn start(browser: Box<dyn BrowserOpener>) -> TestApp {
        let config = tempfile::tempdir().unwrap();
        let folder = ConfigFolder::in_platform_folder(config.path().to_path_buf());
        // A broken profile of the admin's own: listed as a warning, never hiding the others.
        std::fs::create_dir_all(folder.vendor_profiles()).unwrap();
        std::fs::write(folder.vendor_profiles().join("broken.toml"), "id = [").unwrap();
        let secrets = SharedStore::default();
        let clipboard = MemoryClipboard::default();
        let effects = SideEffects {
            secrets: Box::new(secrets.clone()),
            clock: Box::new(FixedClock(fixed_now())),
            browser,
            connections: folder.connections(),
        };
        let notifications = Arc::new(Mutex::new(Vec::new()));
        let shown = notifications.clone();
        let state = AppState::with(&folder, effects, Box::new(clipboard.clone()))
            .with_save_path(config.path().join("bundle.age"))
            .with_report_path(config.path().join("report.html"))
            .with_notifications(move |notification: &Notification| {
                shown.lock().unwrap().push((notification.title.clone(), notification.body.clone()))
            });
        let app = build_app_with(mock_builder(), state).build(mock_context(noop_assets())).unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        TestApp { _app: app, window, secrets, clipboard, config, notifications }
    }

    fn invoke(&self, command: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
        invoke_on(&self.window, command, body)
    }

    fn connections(&self) -> ConnectionFolder {
        ConfigFolder::in_platform_folder(self.config.path().to_path_buf()).connections()
    }
}

/// The core's demo provider on 127.0.0.1, served by a runtime of its own for the test.
fn start_demo_provider() -> sso_setup::oidc::demo_provider::DemoProviderDetails {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let (provider, details) = sso_setup::oidc::demo_provider::DemoProvider::start(0).await.unwrap();
            sender.send(details).unwrap();
            provider.serve().await;
        });
    });
    receiver.recv().unwrap()
}

fn save_demo_connection(app: &TestApp, demo: &sso_setup::oidc::demo_provider::DemoProviderDetails, name: &str) {
    let saved = app
        .invoke(
            "save_connection",
            serde_json::json!({"input": {"name": name, "vendor": "peerpanda", "identityProvider": "generic",
                "region": null, "org": "acme", "issuer": demo.issuer, "clientId": demo.client_id,
                "secretExpires": ten_days_after_the_fixed_day(), "clientSecret": demo.client_secret}}),
        )
        .unwrap();
    assert_eq!(saved["name"], name);
    assert!(!saved.to_string().contains(&demo.client_secret), "the secret never travels back: {saved}");
}

#[test]
fn every_command_of_a_whole_setup_runs_on_the_stand_ins() {
    let demo = start_demo_provider();
    let app = TestApp::start(Box::new(SignsInByItself));
    assert_eq!(app.invoke("app_ready", serde_json::json!({"pageTimings": null})).unwrap(), serde_json::Value::Null);
    let warnings = app.invoke("catalog_warnings", serde_json::json!({})).unwrap();
    assert!(warnings[0]["message"].as_str().unwrap().contains("broken.toml"), "{warnings}");

    // Saved to the stand-in store, never to a file; the expiry counted from the fixed clock.
    save_demo_connection(&app, &demo, "demo");
    assert_eq!(app.secrets.get("demo").unwrap().unwrap().expose(), demo.client_secret);
    let list = app.invoke("list_connections", serde_json::json!({})).unwrap();
    let listed = &list["connections"][0];
    assert_eq!(listed["secretExpiry"], serde_json::json!({"state": "expires_soon", "days_left": 10}), "{listed}");
    assert_eq!(listed["lastTest"], "never");

    // Values to the clipboard byte-exact; the secret concealed and from the store.
    app.invoke("copy_to_clipboard", serde_json::json!({"text": "https://app.peerpanda.example/cb "})).unwrap();
    assert_eq!(*app.clipboard.0.lock().unwrap(), Some(("https://app.peerpanda.example/cb ".to_owned(), false)));
    assert_eq!(app.invoke("copy_client_secret", serde_json::json!({"name": "demo"})).unwrap(), 30);
    assert_eq!(*app.clipboard.0.lock().unwrap(), Some((demo.client_secret.clone(), true)));

    // The provider and the real sign-in.
    let checked =
        app.invoke("check_provider", serde_json::json!({"name": "demo", "onProgress": "__CHANNEL__:1"})).unwrap();
    assert_eq!(checked["ok"], true, "{checked}");
    let report = app
        .invoke(
            "run_sign_in_test",
            serde_json::json!({"name": "demo", "redirectUri": null, "onProgress": "__CHANNEL__:2"}),
        )
        .unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["idTokenClaims"].as_array().unwrap().iter().any(|claim| claim["name"] == "family_name"), "{report}");
    let list = app.invoke("list_connections", serde_json::json!({})).unwrap();
    assert_eq!(list["connections"][0]["lastTest"], "passed", "the report is kept with the connection");
    assert_eq!(app.invoke("cancel_sign_in_test", serde_json::json!({})).unwrap(), false, "none is running");

    // The bundle, to a vendor key, with the secret from the store and the date of the clock.
    let (identity, recipient) = sso_setup::connections::bundle::generate_identity("2026-12-01T12:00:00Z");
    let fixed_time = sso_setup::journeys::Clock::now_rfc3339(&FixedClock(fixed_now()));
    let written = app
        .invoke(
            "export_bundle",
            serde_json::json!({"input": {"connection": "demo", "recipients": [recipient], "passphrase": null}}),
        )
        .unwrap();
    assert_eq!(written["vendorName"], "Peerpanda");
    let data = std::fs::read(app.config.path().join("bundle.age")).unwrap();
    let payload =
        sso_setup::connections::bundle::open(&data, &sso_setup::connections::bundle::OpenWith::IdentityFile(identity))
            .unwrap();
    assert_eq!(payload.client_secret.as_str(), demo.client_secret);
    assert_eq!(payload.created_at, fixed_time);
    assert_eq!(payload.secret_expires, Some(ten_days_after_the_fixed_day()));

    // The key field is one text: a key per line, comments allowed; each key opens it.
    let (second_identity, second_recipient) = sso_setup::connections::bundle::generate_identity("2026-12-01T12:00:00Z");
    let (_, first_recipient) = sso_setup::connections::bundle::generate_identity("2026-12-01T12:00:00Z");
    let keys = format!("# the vendor's two keys\n{first_recipient}\n\n{second_recipient}\n");
    app.invoke(
        "export_bundle",
        serde_json::json!({"input": {"connection": "demo", "recipients": [keys], "passphrase": null}}),
    )
    .unwrap();
    let data = std::fs::read(app.config.path().join("bundle.age")).unwrap();
    sso_setup::connections::bundle::open(
        &data,
        &sso_setup::connections::bundle::OpenWith::IdentityFile(second_identity),
    )
    .unwrap();

    // Deleting takes the file and the stored secret.
    assert_eq!(app.invoke("delete_connection", serde_json::json!({"name": "demo"})).unwrap(), true);
    assert!(app.secrets.get("demo").unwrap().is_none());
    assert!(app.connections().list().unwrap().is_empty());
    assert_eq!(app.invoke("delete_connection", serde_json::json!({"name": "demo"})).unwrap(), false);
}

/// The reminders: the first call since the app started (the home screen at start) also shows
/// them as a desktop notification, later calls only list them; "Check all" shows a new one
/// when something needs attention after it. And the setup report, written by the core's
/// journey without the secret.
#[test]
fn reminders_become_a_notification_at_start_and_after_check_all_and_the_report_is_saved() {
    let demo = start_demo_provider();
    let app = TestApp::start(Box::new(NoBrowser));
    save_demo_connection(&app, &demo, "demo");
    let expiring = format!("demo: the client secret expires in 10 days ({})", ten_days_after_the_fixed_day());
    let reminders = app.invoke("connection_reminders", serde_json::json!({})).unwrap();
    assert_eq!(reminders, serde_json::json!([{"connection": "demo", "severity": "warn", "text": expiring}]));
    assert_eq!(*app.notifications.lock().unwrap(), [("demo needs attention".to_owned(), expiring.clone())]);
    app.invoke("connection_reminders", serde_json::json!({})).unwrap();
    assert_eq!(app.notifications.lock().unwrap().len(), 1, "the start-up reminder is shown once");

    // A secret the provider does not know: its check fails, and the notification says so.
    let saved = app
        .invoke(
            "save_connection",
            serde_json::json!({"input": {"name": "wrong", "vendor": "peerpanda", "identityProvider": "generic",
                "region": null, "org": "acme", "issuer": demo.issuer, "clientId": demo.client_id,
                "secretExpires": null, "clientSecret": "not-the-secret-of-the-demo-client"}}),
        )
        .unwrap();
    assert_eq!(saved["name"], "wrong");
    let health = app.invoke("check_all_connections", serde_json::json!({"onProgress": "__CHANNEL__:4"})).unwrap();
    assert_eq!(health["ok"], false, "{health:#}");
    let day = &health["checkedAt"].as_str().unwrap()[..10];
    let notifications = app.notifications.lock().unwrap().clone();
    assert_eq!(notifications.len(), 2, "{notifications:?}");
    assert_eq!(notifications[1].0, "2 SSO connections need attention");
    assert_eq!(notifications[1].1, format!("{expiring}\nwrong: the last check failed ({day}): client-secret"));
    let reminders = app.invoke("connection_reminders", serde_json::json!({})).unwrap();
    assert_eq!(reminders[1]["severity"], "fail", "{reminders:#}");

    // The setup report of a saved connection, never with its secret.
    let written = app.invoke("save_setup_report", serde_json::json!({"name": "demo"})).unwrap();
    let path = app.config.path().join("report.html");
    assert_eq!(written["path"], path.display().to_string());
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("Peerpanda") && page.contains(&demo.issuer), "{page}");
    assert!(!page.contains(&demo.client_secret), "the report holds no secret");
    let refused = app.invoke("save_setup_report", serde_json::json!({"name": "missing"})).unwrap_err();
    assert_eq!(refused["code"], "connection-not-found", "{refused}");
}

/// The app used to drop a bad org silently and explain without the redirect URI, while the
/// command line refused it; both now run the same journey.
#[test]
fn explain_refuses_an_org_the_vendor_does_not_accept_as_the_command_line_does() {
    let app = TestApp::start(Box::new(NoBrowser));
    let input = |org: &str| {
        serde_json::json!({"input": {"text": "AADSTS50011", "vendor": "pelanor", "identityProvider": "entra",
            "region": null, "org": org}})
    };
    let error = app.invoke("explain_error", input("Acme")).unwrap_err();
    assert_eq!(error["code"], "org-value-uppercase", "{error}");
    let explained = app.invoke("explain_error", input("acme")).unwrap();
    assert!(explained.to_string().contains("https://app.pelanor.io/api/auth/callback/"), "{explained}");
}

/// Cancel ends a sign-in that is waiting for the admin, and the listener with it.
#[test]
fn cancel_ends_a_sign_in_that_waits_for_the_browser() {
    let demo = start_demo_provider();
    let app = TestApp::start(Box::new(NoBrowser));
    save_demo_connection(&app, &demo, "waiting");
    let window = app.window.clone();
    let running = std::thread::spawn(move || {
        invoke_on(
            &window,
            "run_sign_in_test",
            serde_json::json!({"name": "waiting", "redirectUri": null, "onProgress": "__CHANNEL__:3"}),
        )
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.invoke("cancel_sign_in_test", serde_json::json!({})).unwrap() != true {
        assert!(std::time::Instant::now() < deadline, "the sign-in test never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let error = running.join().unwrap().unwrap_err();
    assert_eq!(error["code"], "sign-in-cancelled", "{error}");
}

/// A browser that signs in headlessly at the certified provider (its interaction route signs
/// in "ada" and grants what was asked).
struct SignsInAtTheCertifiedProvider;

impl BrowserOpener for SignsInAtTheCertifiedProvider {
    fn open(&self, url: &url::Url) -> Result<(), BrowserError> {
        let url = url.to_string();
        std::thread::spawn(move || browser::browse_with_cookies(&url));
        Ok(())
    }
}

/// "Create it for me" on the guide screen, against the certified provider with standard client
/// registration: the plan first (nothing created), then the app created with the admin token,
/// the IdP's secret in the store and nowhere in what the web view received; then the sign-in
/// test with a loopback URI registered for it alone and removed again.
#[test]
fn create_it_for_me_then_a_sign_in_with_a_temporary_loopback_uri() {
    let provider = certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": "iat-desktop-4Kp" },
    }));
    let app = TestApp::start(Box::new(SignsInAtTheCertifiedProvider));
    let request = serde_json::json!({
        "connection": "peerpanda-acme", "vendor": "peerpanda", "identityProvider": "generic",
        "region": null, "org": "acme", "issuer": provider.issuer,
    });
    let guide = app
        .invoke(
            "build_setup_guide",
            serde_json::json!({ "request": {
            "vendor": "peerpanda", "identityProvider": "generic", "region": null, "org": "acme" } }),
        )
        .unwrap();
    assert_eq!(guide["canCreateApp"], true, "standard registration is offered for a generic provider");
    let okta_guide = app
        .invoke(
            "build_setup_guide",
            serde_json::json!({ "request": {
            "vendor": "peerpanda", "identityProvider": "okta", "region": null, "org": "acme" } }),
        )
        .unwrap();
    assert_eq!(okta_guide["canCreateApp"], true, "Okta's apps are made through its Management API");
    let google_guide = app
        .invoke(
            "build_setup_guide",
            serde_json::json!({ "request": {
            "vendor": "peerpanda", "identityProvider": "google", "region": null, "org": "acme" } }),
        )
        .unwrap();
    assert_eq!(google_guide["canCreateApp"], false, "Google has no API for it");

    let plan = app.invoke("plan_provisioning", serde_json::json!({ "request": request })).unwrap();
    assert_eq!(plan["requests"][0]["method"], "POST");
    assert_eq!(plan["requests"][0]["credential"], serde_json::Value::Null, "the plan was made without a token");
    assert!(!app.connections().path_of("peerpanda-acme").exists(), "the plan creates nothing");

    let refused = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": request, "adminToken": "wrong", "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "registration-admin-token-refused");
    let created = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": request, "adminToken": "iat-desktop-4Kp", "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap();
    assert_eq!(created["connection"]["provisioned"], true);
    let secret = app.secrets.get("peerpanda-acme").unwrap().expect("the IdP's secret is in the store");
    let token = app.secrets.get("peerpanda-acme#management").unwrap().expect("the management token too");
    let received = created.to_string();
    for value in [secret.expose(), token.expose(), "iat-desktop-4Kp"] {
        assert!(!received.contains(value), "the web view received a credential");
    }

    let report = app
        .invoke(
            "run_sign_in_test",
            serde_json::json!({ "name": "peerpanda-acme", "redirectUri": null, "registerLoopback": true,
                                "onProgress": "__CHANNEL__:1" }),
        )
        .unwrap();
    assert_eq!(report["ok"], true, "{report:#}");
    assert_eq!(report["temporaryRedirect"]["removed"], true, "{report:#}");
    assert_eq!(report["redirectUri"], report["temporaryRedirect"]["uri"]);
}

/// "Create it for me" for Okta, then "Rotate secret" on the home screen, against the Okta
/// stand-in (tests/stand-ins/okta-management.js, which also plays the org's token endpoint):
/// the app is made with the admin's token, a rotation keeps both secrets valid and tries the
/// new one, finishing it leaves only the new one, and the web view never receives a secret.
#[test]
fn create_it_for_me_at_okta_then_rotate_the_secret_from_the_home_screen() {
    let okta = stand_in::start("okta-management.js", serde_json::json!({ "token": "00okta-desktop-7Lp" }));
    let app = TestApp::start(Box::new(NoBrowser));
    let request = serde_json::json!({
        "connection": "pivott-okta", "vendor": "pivott", "identityProvider": "okta",
        "region": null, "org": null, "issuer": okta.base,
        "redirectUris": ["https://app.pivott.io/oidc/callback"], "signOutUris": [],
    });
    let created = app
        .invoke("provision_app", serde_json::json!({ "request": request, "adminToken": "00okta-desktop-7Lp", "onProgress": "__CHANNEL__:11" }))
        .unwrap();
    assert_eq!(created["connection"]["canRotate"], true);
    assert_eq!(created["connection"]["rotationStarted"], false);
    let first = app.secrets.get("pivott-okta").unwrap().unwrap().expose().to_owned();

    let refused = app
        .invoke("rotate_client_secret", serde_json::json!({ "name": "pivott-okta", "adminToken": "", "finish": false }))
        .unwrap_err();
    assert_eq!(refused["code"], "provision-admin-token-needed");
    let started = app
        .invoke(
            "rotate_client_secret",
            serde_json::json!({ "name": "pivott-okta", "adminToken": "00okta-desktop-7Lp", "finish": false }),
        )
        .unwrap();
    assert_eq!(started["stage"], "started");
    assert_eq!(started["ok"], true, "{started:#}");
    assert_eq!(started["connection"]["rotationStarted"], true);
    let second = app.secrets.get("pivott-okta").unwrap().unwrap().expose().to_owned();
    assert_ne!(first, second);
    assert_eq!(okta.secrets().len(), 2, "both are valid until the rotation is finished");

    let finished = app
        .invoke(
            "rotate_client_secret",
            serde_json::json!({ "name": "pivott-okta", "adminToken": "00okta-desktop-7Lp", "finish": true }),
        )
        .unwrap();
    assert_eq!(finished["stage"], "finished");
    assert_eq!(finished["connection"]["rotationStarted"], false);
    assert_eq!(okta.secrets(), [serde_json::json!(second)]);
    // "Check all" on the home screen: the new secret works, and the result is kept.
    let health = app.invoke("check_all_connections", serde_json::json!({"onProgress": "__CHANNEL__:9"})).unwrap();
    assert_eq!(health["connections"][0]["name"], "pivott-okta");
    assert_eq!(health["connections"][0]["ok"], true, "{health:#}");
    let listed = app.invoke("list_connections", serde_json::json!({})).unwrap();
    assert_eq!(listed["connections"][0]["lastCheck"]["ok"], true, "{listed:#}");
    let received = format!("{created}{started}{finished}{health}{listed}");
    for value in [first.as_str(), second.as_str(), "00okta-desktop-7Lp"] {
        assert!(!received.contains(value), "the web view received a credential");
    }
}

/// "Sign in as an IdP admin" with a device code, then "Create it for me" and "Rotate secret"
/// with no token pasted, against the Okta stand-in's org authorization server: the shell gets
/// a device code, opens its sign-in page in the system browser (here one that follows it, so
/// the admin approves at once), and keeps the token for that one connection until sign-out.
/// The web view receives the code and the page, never the token.
#[test]
fn an_admin_signed_in_with_a_device_code_creates_and_rotates_without_pasting_a_token() {
    let okta = stand_in::start(
        "okta-management.js",
        serde_json::json!({ "token": "00okta-unused-3Xa", "adminClient": { "client_id": "0oaAdminPublic1", "redirect_uris": [] } }),
    );
    let app = TestApp::start(Box::new(browser::FollowingBrowser));
    let signed_in = app
        .invoke(
            "sign_in_as_admin",
            serde_json::json!({ "request": { "connection": "pivott-okta", "identityProvider": "okta",
                "issuer": okta.base, "clientId": "0oaAdminPublic1" }, "onCode": "__CHANNEL__:7" }),
        )
        .unwrap();
    assert_eq!(signed_in, serde_json::json!({ "connection": "pivott-okta" }), "no token travels back");
    let request = |connection: &str| {
        serde_json::json!({
            "connection": connection, "vendor": "pivott", "identityProvider": "okta",
            "region": null, "org": null, "issuer": okta.base,
            "redirectUris": ["https://app.pivott.io/oidc/callback"], "signOutUris": [],
        })
    };
    // The token is for the issuer it was asked at: the same connection at another org gets none.
    let mut elsewhere = request("pivott-okta");
    elsewhere["issuer"] = serde_json::json!("https://other-org.okta.com");
    let refused = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": elsewhere, "adminToken": "", "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "provision-admin-token-needed");
    let created = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": request("pivott-okta"), "adminToken": "", "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap();
    assert_eq!(created["connection"]["canRotate"], true);
    // The sign-in is for that connection alone.
    let other = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": request("pivott-other"), "adminToken": "", "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap_err();
    assert_eq!(other["code"], "provision-admin-token-needed");

    let started = app
        .invoke("rotate_client_secret", serde_json::json!({ "name": "pivott-okta", "adminToken": "", "finish": false }))
        .unwrap();
    assert_eq!(started["ok"], true, "{started:#}");
    assert_eq!(app.invoke("sign_out_admin", serde_json::json!({})).unwrap(), true);
    let after = app
        .invoke("rotate_client_secret", serde_json::json!({ "name": "pivott-okta", "adminToken": "", "finish": true }))
        .unwrap_err();
    assert_eq!(after["code"], "provision-admin-token-needed", "signed out: the token is gone");
    assert_eq!(app.invoke("open_admin_sign_in_page", serde_json::json!({})).unwrap(), false, "no code is shown now");
}

/// "Keep the admin token in the keychain" on "Create it for me": the pasted token is kept for
/// that connection once the app was created with it, "Rotate secret" then needs none, and
/// "Forget it" removes it; a token the IdP refused is never kept.
#[test]
fn a_kept_admin_token_serves_later_changes_until_it_is_forgotten() {
    let okta = stand_in::start("okta-management.js", serde_json::json!({ "token": "00okta-kept-9Qz" }));
    let app = TestApp::start(Box::new(NoBrowser));
    let request = serde_json::json!({
        "connection": "pivott-okta", "vendor": "pivott", "identityProvider": "okta",
        "region": null, "org": null, "issuer": okta.base,
        "redirectUris": ["https://app.pivott.io/oidc/callback"], "signOutUris": [],
    });
    let refused = app
        .invoke(
            "provision_app",
            serde_json::json!({ "request": request, "adminToken": "wrong", "keepAdminToken": true, "onProgress": "__CHANNEL__:11" }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "admin-api-token-refused");
    assert!(app.secrets.get("pivott-okta#admin").unwrap().is_none(), "a refused token is not kept");

    app.invoke(
        "provision_app",
        serde_json::json!({ "request": request, "adminToken": "00okta-kept-9Qz", "keepAdminToken": true, "onProgress": "__CHANNEL__:11" }),
    )
    .unwrap();
    assert_eq!(app.secrets.get("pivott-okta#admin").unwrap().unwrap().expose(), "00okta-kept-9Qz");
    assert_eq!(app.invoke("admin_token_kept", serde_json::json!({ "name": "pivott-okta" })).unwrap(), true);
    let started = app
        .invoke("rotate_client_secret", serde_json::json!({ "name": "pivott-okta", "adminToken": "", "finish": false }))
        .unwrap();
    assert_eq!(started["ok"], true, "the kept token served the rotation: {started:#}");

    assert_eq!(app.invoke("forget_admin_token", serde_json::json!({ "name": "pivott-okta" })).unwrap(), true);
    assert_eq!(app.invoke("admin_token_kept", serde_json::json!({ "name": "pivott-okta" })).unwrap(), false);
    let after = app
        .invoke("rotate_client_secret", serde_json::json!({ "name": "pivott-okta", "adminToken": "", "finish": true }))
        .unwrap_err();
    assert_eq!(after["code"], "provision-admin-token-needed");
}
