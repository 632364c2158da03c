//! Discovery documents of real providers (tests/fixtures/discovery/SOURCES.md) through the
//! same checks `sso-setup discover` runs.

use serde_json::Value;
use sso_setup::catalog::Catalog;
use sso_setup::oidc::discovery::{check_discovery_document, check_key_set, CheckStatus};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/discovery/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn status_of(checks: &[sso_setup::oidc::discovery::Check], id: &str) -> CheckStatus {
    checks.iter().find(|check| check.id == id).unwrap_or_else(|| panic!("no {id} in {checks:#?}")).status
}

#[test]
fn auth0_is_usable_for_peerpanda_and_its_hs256_does_not_matter() {
    let catalog = Catalog::built_in().unwrap();
    let peerpanda = &catalog.vendor("peerpanda").unwrap().profile.oidc;
    let (checks, provider) = check_discovery_document(
        &fixture("auth0.openid-configuration.json"),
        "https://dev-ltxchcls4igzho78.us.auth0.com/",
        Some(peerpanda),
    );
    assert!(checks.iter().all(|check| check.status == CheckStatus::Pass), "{checks:#?}");
    assert_eq!(provider.token_endpoint_auth_method.unwrap().as_str(), "client_secret_basic");
}

#[test]
fn auth0_without_the_trailing_slash_fails_with_the_slash_hint() {
    let (checks, _) = check_discovery_document(
        &fixture("auth0.openid-configuration.json"),
        "https://dev-ltxchcls4igzho78.us.auth0.com",
        None,
    );
    let issuer = checks.iter().find(|check| check.id == "issuer-matches").unwrap();
    assert_eq!(issuer.status, CheckStatus::Fail);
    assert!(issuer.hint.as_deref().unwrap().contains("trailing '/'"));
}

#[test]
fn entra_warns_about_pkce_and_the_name_claims_but_is_usable() {
    let catalog = Catalog::built_in().unwrap();
    let peerpanda = &catalog.vendor("peerpanda").unwrap().profile.oidc;
    let issuer = "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0";
    let (checks, _) = check_discovery_document(&fixture("entra.openid-configuration.json"), issuer, Some(peerpanda));
    assert_eq!(status_of(&checks, "pkce-s256"), CheckStatus::Warn, "Entra omits code_challenge_methods_supported");
    assert_eq!(
        status_of(&checks, "vendor-claims"),
        CheckStatus::Warn,
        "given_name and family_name are optional claims in Entra"
    );
    assert!(checks.iter().all(|check| check.status != CheckStatus::Fail), "{checks:#?}");
}

#[test]
fn entra_s_common_document_never_matches() {
    let (checks, _) = check_discovery_document(
        &fixture("entra-common.openid-configuration.json"),
        "https://login.microsoftonline.com/common/v2.0",
        None,
    );
    let issuer = checks.iter().find(|check| check.id == "issuer-matches").unwrap();
    assert_eq!(issuer.status, CheckStatus::Fail);
    assert!(issuer.hint.as_deref().unwrap().contains("tenant ID"));
}

#[test]
fn google_s_real_key_set_has_usable_keys() {
    let check = check_key_set(&fixture("google.jwks.json"));
    assert_eq!(check.status, CheckStatus::Pass);
    assert_eq!(check.detail, "2 usable signing keys");
}
