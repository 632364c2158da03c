//! The checked-in JSON schemas are generated from the Rust types; this test fails when they
//! are stale. Regenerate with `SSO_SETUP_BLESS=1 cargo test --test schema`.

use schemars::schema_for;
use sso_setup::catalog::identity_provider::IdentityProviderFile;
use sso_setup::catalog::identity_provider_guide::IdentityProviderGuide;
use sso_setup::catalog::vendor_profile::VendorProfile;
use sso_setup::guidance::diagnosis::DiagnosisFile;

fn check_or_bless(relative_path: &str, generated: String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative_path);
    let generated = generated + "\n";
    if std::env::var_os("SSO_SETUP_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative_path} is stale: the Rust types changed. Run `SSO_SETUP_BLESS=1 cargo test --test schema` and commit the result."
    );
}

#[test]
fn vendor_profile_schema_is_current() {
    let schema = schema_for!(VendorProfile);
    check_or_bless("catalog/vendor-profile.schema.json", serde_json::to_string_pretty(&schema).unwrap());
}

#[test]
fn identity_providers_schema_is_current() {
    let schema = schema_for!(IdentityProviderFile);
    check_or_bless("catalog/identity-providers.schema.json", serde_json::to_string_pretty(&schema).unwrap());
}

#[test]
fn identity_provider_guide_schema_is_current() {
    let schema = schema_for!(IdentityProviderGuide);
    check_or_bless("catalog/identity-provider-guide.schema.json", serde_json::to_string_pretty(&schema).unwrap());
}

#[test]
fn diagnoses_schema_is_current() {
    let schema = schema_for!(DiagnosisFile);
    check_or_bless("catalog/diagnoses.schema.json", serde_json::to_string_pretty(&schema).unwrap());
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    // The schema says additionalProperties false wherever serde denies unknown fields, so an
    // editor flags a misspelt key exactly as the loader does.
    let schema = serde_json::to_value(schema_for!(VendorProfile)).unwrap();
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    let error = sso_setup::catalog::parse_profile(
        &include_str!("../catalog/vendors/pelanor.toml").replace("summary =", "sumary ="),
        "misspelt.toml",
    )
    .unwrap_err();
    assert!(error.to_string().contains("sumary"), "{error}");
}
