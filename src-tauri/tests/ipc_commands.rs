//! The shell's commands through Tauri's real IPC layer on the mock runtime: the JSON the web
//! view receives, in camelCase, and errors as `{code, message, hint}`.

#[path = "support/ipc.rs"]
mod ipc;

use sso_setup_desktop::build_app;
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::WebviewWindowBuilder;

fn invoke(command: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
    let app = build_app(mock_builder()).build(mock_context(noop_assets())).expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("the main window opens");
    ipc::invoke_on(&window, command, body)
}

#[test]
fn list_vendors_gives_the_four_seed_vendors_in_camel_case() {
    let vendors = invoke("list_vendors", serde_json::json!({})).unwrap();
    let ids: Vec<&str> = vendors.as_array().unwrap().iter().map(|vendor| vendor["id"].as_str().unwrap()).collect();
    // The built-ins come first; a profile another test in this file imports may follow.
    assert_eq!(ids[..4], ["pelanor", "peerpanda", "pacvue", "pivott"]);
    assert_eq!(vendors[0]["orgValue"]["name"], "organization_id");
    assert_eq!(vendors[0]["regions"][0], serde_json::json!({"id": "us", "name": "US (default)", "isDefault": true}));
}

#[test]
fn build_vendor_uris_returns_the_core_s_exact_uri() {
    let uris = invoke(
        "build_vendor_uris",
        serde_json::json!({"request": {"vendor": "pelanor", "region": "eu", "identityProvider": "okta", "org": "acme"}}),
    )
    .unwrap();
    assert_eq!(uris["redirectUri"], "https://app-eu.pelanor.io/api/auth/callback/okta-acme");
    assert_eq!(uris["vendorConfirms"], false);
}

#[test]
fn a_bad_org_value_arrives_as_code_message_and_hint() {
    let error = invoke(
        "build_vendor_uris",
        serde_json::json!({"request": {"vendor": "pelanor", "region": null, "identityProvider": "okta", "org": "Acme"}}),
    )
    .unwrap_err();
    assert_eq!(error["code"], "org-value-uppercase");
    assert!(error["message"].as_str().unwrap().contains("uppercase"), "{error}");
    assert!(error["hint"].as_str().unwrap().contains("lowercase"), "{error}");
}

#[test]
fn the_guide_arrives_with_every_value_filled_in() {
    let guide = invoke(
        "build_setup_guide",
        serde_json::json!({"request": {"vendor": "pelanor", "identityProvider": "okta", "region": "eu", "org": "acme"}}),
    )
    .unwrap();
    assert_eq!(guide["identityProviderName"], "Okta");
    let values = guide["values"].as_array().unwrap();
    assert!(
        values
            .iter()
            .any(|value| value["value"] == "https://app-eu.pelanor.io/api/auth/callback/okta-acme"
                && value["exact"] == true),
        "{values:?}"
    );
    assert!(guide["steps"].as_array().unwrap().iter().any(|step| step["consolePath"].is_string()));
}

#[test]
fn an_okta_domain_is_normalised_to_its_issuer_with_the_change_said() {
    let issuer =
        invoke("normalise_issuer_input", serde_json::json!({"identityProvider": "okta", "input": "acme.okta.com"}))
            .unwrap();
    assert_eq!(issuer["issuer"], "https://acme.okta.com");
    assert!(!issuer["notes"].as_array().unwrap().is_empty());
    let refused = invoke(
        "normalise_issuer_input",
        serde_json::json!({"identityProvider": "entra", "input": "https://login.microsoftonline.com/common/v2.0"}),
    )
    .unwrap_err();
    assert!(refused["hint"].as_str().unwrap().contains("tenant"), "{refused}");
}

#[test]
fn a_pasted_entra_error_is_explained_with_the_vendor_s_exact_uri() {
    let explained = invoke(
        "explain_error",
        serde_json::json!({"input": {"text": "AADSTS50011: The redirect URI does not match", "vendor": "pelanor",
                                     "identityProvider": "entra", "region": null, "org": "acme"}}),
    )
    .unwrap();
    let text = explained.to_string();
    assert!(text.contains("https://app.pelanor.io/api/auth/callback/"), "{text}");
}

#[test]
fn the_loopback_advice_for_okta_names_the_exact_uri_to_listen_on() {
    let advice = invoke("loopback_registration_advice", serde_json::json!({"identityProvider": "okta"})).unwrap();
    assert_eq!(advice["register"], "http://127.0.0.1:8400/callback");
    assert_eq!(advice["listenOnRegister"], true);
}

/// The commands below read and write a config folder: every test in this file shares one
/// private folder, set once before the first app starts (the variable is process-wide).
fn private_config_folder() -> &'static std::path::Path {
    static FOLDER: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    FOLDER
        .get_or_init(|| {
            let folder = tempfile::tempdir().unwrap();
            std::env::set_var("XDG_CONFIG_HOME", folder.path());
            // No Secret Service here: a command that reached the keychain would fail loudly.
            std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sso-setup-ipc-test-bus");
            folder
        })
        .path()
}

/// A connection file as a save with a secret leaves it: bound to its issuer and client ID.
fn saved_connection(name: &str, bound: bool) {
    let folder = private_config_folder().join("sso-setup/connections");
    std::fs::create_dir_all(&folder).unwrap();
    let mut connection = serde_json::json!({
        "schema_version": 2, "name": name, "vendor": "peerpanda", "idp": "generic", "region": "global",
        "org": "acme", "issuer": "https://login.acme.example", "client_id": "client-1", "secret_expires": null,
    });
    if bound {
        connection["secret_for"] = serde_json::json!({"issuer": "https://login.acme.example", "client_id": "client-1"});
    }
    std::fs::write(folder.join(format!("{name}.json")), connection.to_string()).unwrap();
}

fn connection_input(name: &str, issuer: &str, secret: &str) -> serde_json::Value {
    serde_json::json!({"input": {"name": name, "vendor": "peerpanda", "identityProvider": "generic", "region": null,
        "org": "acme", "issuer": issuer, "clientId": "client-1", "secretExpires": null, "clientSecret": secret}})
}

#[test]
fn save_connection_refuses_to_send_the_stored_secret_to_a_new_issuer() {
    private_config_folder();
    saved_connection("rebind", true);
    let path = private_config_folder().join("sso-setup/connections/rebind.json");
    let before = std::fs::read(&path).unwrap();
    let error = invoke("save_connection", connection_input("rebind", "https://login.evil.example", "")).unwrap_err();
    assert_eq!(error["code"], "connection-secret-needed-again", "{error}");
    assert!(error["hint"].as_str().unwrap().contains("give the client secret again"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the saved connection is unchanged");
    // A new connection with no secret at all is refused as such, before the keychain.
    let error = invoke("save_connection", connection_input("brand-new", "https://login.acme.example", "")).unwrap_err();
    assert_eq!(error["code"], "connection-empty-secret", "{error}");
    assert!(!private_config_folder().join("sso-setup/connections/brand-new.json").exists());
}

#[test]
fn export_bundle_applies_the_core_s_passphrase_rules() {
    private_config_folder();
    saved_connection("bundle-rules", true);
    for (passphrase, confirmation, code) in [
        ("short", "short", "bundle-short-passphrase"),
        ("a long enough passphrase", "a long enough passphrasE", "bundle-passphrase-mismatch"),
    ] {
        let error = invoke(
            "export_bundle",
            serde_json::json!({"input": {"connection": "bundle-rules", "recipients": [], "passphrase": passphrase,
                "passphraseConfirmation": confirmation}}),
        )
        .unwrap_err();
        assert_eq!(error["code"], code, "{error}");
    }
    let error = invoke(
        "export_bundle",
        serde_json::json!({"input": {"connection": "bundle-rules", "recipients": ["not-a-key"], "passphrase": null}}),
    )
    .unwrap_err();
    assert_eq!(error["code"], "bundle-bad-recipient", "{error}");
}

#[test]
fn the_sign_in_test_and_the_secret_copy_refuse_a_connection_saved_without_its_secret() {
    private_config_folder();
    saved_connection("unbound", false);
    let error = invoke("copy_client_secret", serde_json::json!({"name": "unbound"})).unwrap_err();
    assert_eq!(error["code"], "connection-no-secret", "{error}");
    let error = invoke(
        "run_sign_in_test",
        serde_json::json!({"name": "unbound", "redirectUri": null, "onProgress": "__CHANNEL__:7"}),
    )
    .unwrap_err();
    assert_eq!(error["code"], "connection-no-secret", "{error}");
    let error = invoke("copy_client_secret", serde_json::json!({"name": "../escape"})).unwrap_err();
    assert_eq!(error["code"], "connection-bad-name", "{error}");
}

#[test]
fn import_vendor_profile_marks_a_custom_profile_and_refuses_a_look_alike() {
    private_config_folder();
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/custom-vendors/acme-analytics.toml"),
    )
    .unwrap();
    let imported =
        invoke("import_vendor_profile", serde_json::json!({"fileName": "acme.toml", "text": fixture})).unwrap();
    assert_eq!(imported["id"], "acme-analytics");
    assert!(imported["customProfileFile"].as_str().unwrap().ends_with("acme-analytics.toml"), "{imported}");
    let look_alike = fixture.replacen("id = \"acme-analytics\"", "id = \"pelanor-sso\"", 1).replacen(
        "name = \"Acme Analytics\"",
        "name = \"Pelanor\"",
        1,
    );
    let error = invoke("import_vendor_profile", serde_json::json!({"fileName": "pelanor.toml", "text": look_alike}))
        .unwrap_err();
    assert_eq!(error["code"], "profile-poses-as-built-in", "{error}");
    let vendors = invoke("list_vendors", serde_json::json!({})).unwrap();
    assert!(vendors.as_array().unwrap().iter().all(|vendor| vendor["id"] != "pelanor-sso"));
    assert_eq!(vendors[0]["customProfileFile"], serde_json::Value::Null, "built-ins are not marked");
}

#[test]
fn a_command_the_shell_does_not_have_is_refused() {
    // There is no command that returns a stored secret (catalogue #68), whatever its name.
    for command in ["read_client_secret", "get_secret", "plugin:dialog|open"] {
        assert!(invoke(command, serde_json::json!({"name": "rebind"})).is_err(), "{command}");
    }
}
