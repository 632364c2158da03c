//! `discover` against a local provider that serves a good document and each broken variant:
//! every variant ends with a clear, specific failure within the client's timeout, and
//! nothing is followed, read past the cap, or waited on forever.

#[allow(dead_code)]
mod support;

use sso_setup::catalog::Catalog;
use sso_setup::oidc::discovery::{discover, CheckStatus, DiscoveryReport};
use sso_setup::oidc::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::oidc::issuer::normalise_issuer;
use std::time::Duration;
use support::hostile_provider::HostileProvider;

fn run(provider: &HostileProvider, variant: &str, vendor: Option<&str>) -> DiscoveryReport {
    let catalog = Catalog::built_in().unwrap();
    let requirements = vendor.map(|id| catalog.vendor(id).unwrap().profile.oidc.clone());
    let limits = FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(3),
        size_limit: 1024 * 1024,
    };
    let client = HardenedHttpClient::new(limits);
    let issuer = normalise_issuer(&provider.issuer(variant), None, None).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // A guard against a hang in the code under test; the client's own timeout is 3 s.
    runtime
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(30), discover(&client, issuer, requirements.as_ref())).await
        })
        .unwrap_or_else(|_| panic!("discover hung on the {variant} variant"))
}

fn failed<'a>(report: &'a DiscoveryReport, id: &str) -> &'a str {
    let check =
        report.checks.iter().find(|check| check.id == id).unwrap_or_else(|| panic!("no {id} check in {report:#?}"));
    assert_eq!(check.status, CheckStatus::Fail, "{check:?}");
    assert!(!report.ok);
    &check.detail
}

#[test]
fn a_good_provider_passes_every_check_for_peerpanda() {
    let provider = HostileProvider::start();
    let report = run(&provider, "good", Some("peerpanda"));
    assert!(report.ok, "{report:#?}");
    assert!(report.checks.iter().all(|check| check.status == CheckStatus::Pass), "{report:#?}");
    assert_eq!(report.provider.token_endpoint_auth_method.unwrap().as_str(), "client_secret_basic");
    assert!(report.checks.iter().any(|check| check.id == "jwks-usable-key"));
}

#[test]
fn each_broken_variant_fails_with_a_precise_message() {
    let provider = HostileProvider::start();
    let cases: [(&str, &str, &str); 9] = [
        ("issuer-trailing-slash", "issuer-matches", "they must be identical"),
        ("entra-common", "issuer-matches", "{tenantid}"),
        ("http-endpoints", "endpoints-secure", "http://idp.example.com/token"),
        ("redirect", "discovery-document", "redirected to https://evil.example/"),
        ("huge", "discovery-document", "sent more than 1048576 bytes"),
        ("never-answers", "discovery-document", "did not answer within 3 seconds"),
        ("slow-loris", "discovery-document", "did not answer within 3 seconds"),
        ("malformed", "discovery-document", "is not valid JSON"),
        ("html", "discovery-document", "is an HTML page, not JSON"),
    ];
    for (variant, check, expected) in cases {
        let report = run(&provider, variant, None);
        let detail = failed(&report, check);
        assert!(detail.contains(expected), "{variant}: expected '{expected}' in '{detail}'");
    }
}

#[test]
fn a_key_set_without_a_usable_key_fails_the_key_check() {
    let provider = HostileProvider::start();
    let report = run(&provider, "no-usable-key", None);
    assert!(failed(&report, "jwks-usable-key").contains("none of the 2 keys"));
}

#[test]
fn the_trailing_slash_hint_says_exactly_what_differs() {
    let provider = HostileProvider::start();
    let report = run(&provider, "issuer-trailing-slash", None);
    let check = report.checks.iter().find(|check| check.id == "issuer-matches").unwrap();
    assert!(check.hint.as_deref().unwrap().contains("only the trailing '/' differs"), "{check:?}");
}

#[test]
fn provider_markup_is_escaped_and_cut_in_messages() {
    let provider = HostileProvider::start();
    let report = run(&provider, "html", None);
    let detail = failed(&report, "discovery-document");
    assert!(detail.chars().count() < 400, "long bodies are cut: {detail}");
    assert!(!detail.contains('\n'), "{detail}");
    // The page's visible words, with its control character shown, and none of its markup.
    assert!(detail.contains("Sign in to the <U+001B>[31mWi-Fi"), "{detail}");
    for markup in ["<script", "alert(", "<h1>", "<style", "color:red", "\u{1b}"] {
        assert!(!detail.contains(markup), "{markup:?} survived in: {detail}");
    }
}

#[test]
fn loopback_http_endpoints_are_not_called_https() {
    // The local provider serves plain http on 127.0.0.1: accepted, and said as it is.
    let provider = HostileProvider::start();
    let report = run(&provider, "good", None);
    let check = report.checks.iter().find(|check| check.id == "endpoints-secure").unwrap();
    assert_eq!(check.status, CheckStatus::Pass);
    assert!(!check.detail.contains("uses https"), "{check:?}");
    assert!(check.detail.contains("plain http on this computer's loopback address"), "{check:?}");
}

/// #26: the key set is fetched from the jwks_uri of this run's discovery document, every run:
/// nothing is hard-coded or kept from an earlier run.
#[test]
fn each_run_uses_the_live_jwks_uri() {
    let provider = HostileProvider::start();
    for _ in 0..3 {
        let report = run(&provider, "moving-jwks", None);
        assert!(report.ok, "{report:#?}");
    }
    let fetched = support::hostile_provider::MOVING_JWKS_FETCHED.lock().unwrap().clone();
    assert_eq!(fetched, ["jwks-1", "jwks-2", "jwks-3"]);
}

/// #30: a key set that never ends is cut off at the size cap, like a discovery document.
#[test]
fn an_endless_key_set_is_cut_off_at_the_cap() {
    let provider = HostileProvider::start();
    let report = run(&provider, "huge-jwks", None);
    assert!(!report.ok);
    let failed_check = report.checks.iter().find(|check| check.status == CheckStatus::Fail).unwrap();
    assert!(failed_check.detail.contains("sent more than 1048576 bytes"), "{failed_check:?}");
    assert!(failed_check.id.starts_with("jwks"), "{failed_check:?}");
}
