//! The shell's commands through Tauri's real IPC layer on the mock runtime: the JSON the web
//! view receives, in camelCase, and errors as `{code, message, hint}`.

use sso_setup_desktop::build_app;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn invoke(command: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
    let app = build_app(mock_builder()).build(mock_context(noop_assets())).expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("the main window opens");
    get_ipc_response(
        &window,
        InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|response| response.deserialize::<serde_json::Value>().unwrap())
}

#[test]
fn list_vendors_gives_the_four_seed_vendors_in_camel_case() {
    let vendors = invoke("list_vendors", serde_json::json!({})).unwrap();
    let ids: Vec<&str> = vendors.as_array().unwrap().iter().map(|vendor| vendor["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["pelanor", "peerpanda", "pacvue", "pivott"]);
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
