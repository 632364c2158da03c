//! The whole sign-in flow test against a local provider on loopback (tests/support/
//! mini_provider.rs): discovery, the loopback listener, a stand-in browser, the token
//! exchange with each client authentication method, ID token verification, userinfo and the
//! vendor's claims. The report and every message are searched for the secret, the code, the
//! verifier and the tokens.

#[allow(dead_code)]
mod support;

use sso_setup::catalog::vendor_profile::TokenEndpointAuthMethod;
use sso_setup::catalog::Catalog;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::oidc::discovery::CheckStatus;
use sso_setup::oidc::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::oidc::issuer::normalise_issuer;
use sso_setup::oidc::loopback::LoopbackPlan;
use sso_setup::oidc::sign_in_flow::{run_sign_in_flow, FlowEvent, FlowReport, SignInFlowRequest};
use std::time::Duration;
use support::mini_provider::{browse, KeyRotation, MiniProvider, ProviderConfig};

const SECRET: &str = "flow-test-secret-9Zq";

/// The honest provider: client-1 with the test secret, names in the ID token.
fn config() -> ProviderConfig {
    ProviderConfig::honest("client-1", SECRET)
}

fn run(
    provider: &MiniProvider,
    secret: &str,
    vendor: &str,
    method: Option<TokenEndpointAuthMethod>,
) -> (FlowReport, Vec<String>) {
    let catalog = Catalog::built_in().unwrap();
    let requirements = catalog.vendor(vendor).unwrap().profile.oidc.clone();
    let client =
        HardenedHttpClient::new(FetchLimits { total_timeout: Duration::from_secs(5), ..FetchLimits::default() });
    let secret = ClientSecret::new(secret.to_owned());
    let request = SignInFlowRequest {
        issuer: normalise_issuer(&provider.issuer(), None, None).unwrap(),
        client_id: &openidconnect::ClientId::new("client-1".to_owned()),
        client_secret: &secret,
        vendor: Some(&requirements),
        loopback: LoopbackPlan::on_port(0),
        forced_auth_method: method,
        timeout: Duration::from_secs(20),
        now: &sso_setup::journeys::SystemClock,
    };
    let mut events = Vec::new();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let report = runtime.block_on(run_sign_in_flow(
        &client,
        request,
        |url| {
            let url = url.to_string();
            std::thread::spawn(move || browse(&url));
        },
        |event| events.push(serde_json::to_string(&event).unwrap()),
    ));
    let _ = FlowEvent::Check;
    (report, events)
}

/// The `state` of the run's authorization request, from the one event that must carry it
/// (the URL to open).
fn state_of_the_run(events: &[String]) -> Option<String> {
    events.iter().find_map(|event| {
        let event: serde_json::Value = serde_json::from_str(event).ok()?;
        let url = url::Url::parse(event.get("authorization_url")?.as_str()?).ok()?;
        let state = url.query_pairs().find(|(name, _)| name == "state").map(|(_, value)| value.into_owned());
        state
    })
}

/// Whether `text` holds something shaped like a compact JWS: `eyJ` and two dot-separated
/// base64url segments. A bare `eyJ` is not enough: the authorization URL carries random
/// base64url values (state, nonce, PKCE challenge) that contain `eyJ` about once in a few
/// hundred runs, which made this check flaky; random values never contain a dot.
fn contains_a_jwt(text: &str) -> bool {
    let is_segment_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices("eyJ").any(|(start, _)| {
        let mut segments = text[start..].split('.');
        let header = segments.next().unwrap_or("");
        let header_end = header.find(|c: char| !is_segment_char(c)).unwrap_or(header.len());
        header_end == header.len()
            && segments.next().is_some_and(|payload| !payload.is_empty() && payload.chars().all(is_segment_char))
    })
}

#[test]
fn the_jwt_detector_finds_tokens_and_ignores_random_values() {
    assert!(contains_a_jwt("id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln rest"));
    assert!(contains_a_jwt("\"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.\""));
    assert!(!contains_a_jwt("state=abceyJxyz-_Q&nonce=q"));
    assert!(!contains_a_jwt("no token here"));
}

fn assert_nothing_secret_in(report: &FlowReport, events: &[String], provider: &MiniProvider) {
    // The state is in the authorization URL, which the admin's browser must get, and nowhere
    // else: not in the report, and in no event but the one that hands over that URL.
    if let Some(state) = state_of_the_run(events) {
        assert!(state.len() >= 32, "a high-entropy state: {state}");
        assert!(!serde_json::to_string(report).unwrap().contains(&state), "the state leaked into the report");
        let elsewhere =
            events.iter().filter(|event| !event.contains("\"authorization_url\"")).any(|event| event.contains(&state));
        assert!(!elsewhere, "the state leaked into a progress event");
    }
    let everything = format!("{}\n{}", serde_json::to_string(report).unwrap(), events.join("\n"));
    assert!(!everything.contains(SECRET), "the client secret leaked into the report");
    assert!(!everything.contains("code-"), "the authorization code leaked");
    assert!(!everything.contains("access-"), "the access token leaked");
    assert!(!contains_a_jwt(&everything), "a raw JWT leaked");
    let seen = provider.seen.lock().unwrap();
    for body in &seen.token_bodies {
        let verifier = url::form_urlencoded::parse(body.as_bytes())
            .find(|(k, _)| k == "code_verifier")
            .map(|(_, v)| v.into_owned());
        if let Some(verifier) = verifier {
            assert!(!everything.contains(&verifier), "the PKCE verifier leaked");
        }
    }
}

#[test]
fn a_full_run_with_client_secret_basic_passes_for_peerpanda() {
    let provider = MiniProvider::start(config());
    let (report, events) = run(&provider, SECRET, "peerpanda", None);
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.token_endpoint_auth_method.as_deref(), Some("client_secret_basic"));
    let claims = report.id_token_claims.as_ref().unwrap();
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(report.userinfo_claims.as_ref().unwrap()["sub"], "user-1");
    for id in ["issuer-matches", "callback", "token-exchange", "id-token", "userinfo", "vendor-claims"] {
        assert!(
            report.checks.iter().any(|check| check.id == id && check.status == CheckStatus::Pass),
            "{id} passed: {report:#?}"
        );
    }
    let seen = provider.seen.lock().unwrap();
    assert!(seen.authorization_headers[0].starts_with("Basic "), "basic auth in the header");
    assert!(!seen.token_bodies[0].contains("client_secret"), "and never the secret in the body as well");
    drop(seen);
    assert_nothing_secret_in(&report, &events, &provider);
    assert!(events.iter().any(|event| event.contains("waiting_for_sign_in")), "progress reached the caller");
}

#[test]
fn a_full_run_with_client_secret_post_passes() {
    let provider = MiniProvider::start(config());
    let (report, events) = run(&provider, SECRET, "pelanor", Some(TokenEndpointAuthMethod::ClientSecretPost));
    assert!(report.ok, "{report:#?}");
    let seen = provider.seen.lock().unwrap();
    assert_eq!(seen.authorization_headers[0], "", "no Authorization header with client_secret_post");
    assert!(seen.token_bodies[0].contains("client_secret="));
    drop(seen);
    assert_nothing_secret_in(&report, &events, &provider);
}

#[test]
fn a_wrong_secret_fails_at_the_token_exchange_with_the_fix() {
    let provider = MiniProvider::start(config());
    let (report, events) = run(&provider, "not-the-secret", "pelanor", None);
    assert!(!report.ok);
    let error = report.error.as_ref().unwrap();
    assert_eq!(error.code, "token-error");
    assert!(error.message.contains("invalid_client"), "{error:?}");
    assert!(error.hint.as_deref().unwrap().contains("Secret ID"), "{error:?}");
    assert_eq!(provider.seen.lock().unwrap().token_requests, 1, "the code is redeemed once");
    assert_nothing_secret_in(&report, &events, &provider);
}

#[test]
fn names_missing_from_the_id_token_fail_peerpanda_with_the_idp_fix() {
    let provider = MiniProvider::start(ProviderConfig { include_names: false, ..config() });
    let (report, _) = run(&provider, SECRET, "peerpanda", None);
    assert!(!report.ok);
    assert_eq!(report.missing_claims, ["given_name", "family_name"]);
    assert!(report.error.as_ref().unwrap().hint.as_deref().unwrap().contains("Token configuration"));
}

#[test]
fn the_command_line_runs_the_flow_with_no_browser_and_prints_no_secret() {
    use std::io::{BufRead, BufReader, Read, Write};
    let provider = MiniProvider::start(config());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["test-flow", "--issuer", &provider.issuer(), "--client-id", "client-1", "--client-secret-stdin"])
        .args(["--vendor", "peerpanda", "--no-browser", "--timeout", "30", "--json"])
        // #58: the most verbose settings a user could set. sso-setup has no logger, so
        // RUST_LOG adds nothing; backtraces would show function names, never values.
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "full")
        .env_remove("SSO_SETUP_CLIENT_SECRET")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{SECRET}\n").as_bytes()).unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen_stderr = String::new();
    let state = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the command printed no Open: line: {seen_stderr}");
        seen_stderr.push_str(&line);
        if let Some(url) = line.strip_prefix("Open: ") {
            let state = url::Url::parse(url.trim())
                .unwrap()
                .query_pairs()
                .find(|(name, _)| name == "state")
                .map(|(_, value)| value.into_owned())
                .expect("the authorization URL has a state");
            browse(url.trim());
            break state;
        }
    };
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    seen_stderr.push_str(&rest);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {seen_stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["id_token_claims"]["given_name"], "Ada");
    for output_text in [&stdout, &seen_stderr] {
        assert!(
            !output_text.contains(SECRET) && !contains_a_jwt(output_text) && !output_text.contains("access-"),
            "no secret or token printed"
        );
    }
    assert_eq!(seen_stderr.lines().filter(|line| line.starts_with("Open: ")).count(), 1, "one Open: line");
    // The state is printed in the URL to open, and nowhere else.
    assert!(!stdout.contains(&state), "the state is not in the report");
    assert!(
        seen_stderr.lines().filter(|line| line.contains(&state)).all(|line| line.starts_with("Open: ")),
        "the state appears only in the Open: line: {seen_stderr}"
    );
}

/// Security review finding 10: client_secret_basic form-encodes the secret before base64
/// (RFC 6749 §2.3.1), and a provider that decodes nothing (like this one, and a real one
/// tried during development) then sees another secret. A correct secret with `~` (as in
/// Entra's secrets) is not reported as simply wrong: the hint says why and what to do.
#[test]
fn a_secret_that_basic_encoding_changes_gets_a_hint_about_the_encoding_not_a_wrong_secret() {
    const TILDE_SECRET: &str = "Xy8Q~flow.test-secret";
    let provider = MiniProvider::start(ProviderConfig::honest("client-1", TILDE_SECRET));
    let (report, events) = run(&provider, TILDE_SECRET, "pelanor", Some(TokenEndpointAuthMethod::ClientSecretBasic));
    assert!(!report.ok);
    let error = report.error.as_ref().unwrap();
    assert_eq!(error.code, "token-error");
    let hint = error.hint.as_deref().unwrap();
    assert!(hint.contains("client_secret_basic form-encodes"), "{hint}");
    assert!(hint.contains("client_secret_post"), "{hint}");
    assert!(!hint.contains("Secret ID"), "not the wrong-secret hint: {hint}");
    assert!(!serde_json::to_string(&report).unwrap().contains(TILDE_SECRET));
    drop(events);
    // The other method, as the hint says, works with the same secret.
    let (report, _) = run(&provider, TILDE_SECRET, "pelanor", Some(TokenEndpointAuthMethod::ClientSecretPost));
    assert!(report.ok, "{report:#?}");
    // A wrong secret without such characters still gets the wrong-secret hint.
    let (report, _) = run(&provider, "plainwrongsecret", "pelanor", Some(TokenEndpointAuthMethod::ClientSecretBasic));
    assert!(report.error.unwrap().hint.unwrap().contains("Secret ID"));
}

#[test]
fn userinfo_for_another_user_fails_the_test() {
    let provider = MiniProvider::start(ProviderConfig { userinfo_sub: Some("someone-else".into()), ..config() });
    let (report, _) = run(&provider, SECRET, "pelanor", None);
    assert!(!report.ok, "#22");
    assert_eq!(report.error.as_ref().unwrap().code, "userinfo-sub-mismatch");
    assert!(report.checks.iter().any(|check| check.id == "userinfo" && check.status == CheckStatus::Fail));
}

#[test]
fn a_token_response_without_an_id_token_fails_clearly() {
    let provider = MiniProvider::start(ProviderConfig { omit_id_token: true, ..config() });
    let (report, _) = run(&provider, SECRET, "pelanor", None);
    assert!(!report.ok, "#24");
    let error = report.error.as_ref().unwrap();
    assert_eq!(error.code, "token-response-unusable");
    assert!(error.message.contains("no id_token"), "{error:?}");
}

#[test]
fn a_key_rotated_just_before_signing_is_fetched_once_and_the_token_verifies() {
    let provider = MiniProvider::start(ProviderConfig { keys: KeyRotation::RotatedBeforeSigning, ..config() });
    let (report, events) = run(&provider, SECRET, "pelanor", None);
    assert!(report.ok, "#19: {report:#?}");
    // Discovery's fetch (the old set, used first), then one re-fetch for the unknown kid.
    assert_eq!(provider.seen.lock().unwrap().jwks_requests, 2, "one re-fetch for the unknown kid");
    assert_nothing_secret_in(&report, &events, &provider);
}

#[test]
fn a_signing_key_that_is_never_published_fails_after_one_re_fetch() {
    let provider = MiniProvider::start(ProviderConfig { keys: KeyRotation::NeverPublished, ..config() });
    let (report, _) = run(&provider, SECRET, "pelanor", None);
    assert!(!report.ok, "#19");
    let failed = report.checks.iter().find(|check| check.status == CheckStatus::Fail).unwrap();
    assert_eq!(failed.id, "id-token");
    assert!(failed.detail.contains("rsa-2"), "the unknown kid is named: {failed:?}");
    assert_eq!(provider.seen.lock().unwrap().jwks_requests, 2, "re-fetched once, not in a loop");
}

/// Catalogue #28 and #30 at the token endpoint: each broken answer fails the exchange with
/// the reason, nothing of the body is echoed, and the process neither hangs nor overflows.
#[test]
fn broken_token_answers_fail_the_exchange_clearly() {
    let two_mebibytes = format!("{{\"padding\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let cases = [
        (
            "a byte-order mark",
            "\u{feff}{\"access_token\":\"access-x\",\"token_type\":\"bearer\"}".to_owned(),
            "not JSON",
        ),
        ("truncated JSON", "{\"access_token\":\"acc".to_owned(), "not JSON"),
        ("10,000-deep nesting", "[".repeat(10_000), "not JSON"),
        ("wrong types", "{\"access_token\":42,\"id_token\":7,\"token_type\":\"bearer\"}".to_owned(), "no access_token"),
        ("a 2 MiB body", two_mebibytes, "more than"),
    ];
    for (name, body, expected) in cases {
        let provider = MiniProvider::start(ProviderConfig { token_body: Some(body), ..config() });
        let (report, events) = run(&provider, SECRET, "pelanor", None);
        assert!(!report.ok, "{name}");
        let failed = report.checks.iter().find(|check| check.status == CheckStatus::Fail).unwrap();
        assert_eq!(failed.id, "token-exchange", "{name}: {failed:?}");
        assert!(failed.detail.contains(expected), "{name}: {failed:?}");
        assert!(!failed.detail.contains("xxxxxxxx") && !failed.detail.contains("[[[["), "{name}: body echoed");
        assert_nothing_secret_in(&report, &events, &provider);
    }
}

/// The same at userinfo: the test goes on (the ID token already verified) with a warning that
/// says what was wrong, never "another user's sub".
#[test]
fn broken_userinfo_answers_are_warnings_that_say_what_was_wrong() {
    let two_mebibytes = format!("{{\"sub\":\"user-1\",\"padding\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let cases = [
        ("a byte-order mark", "\u{feff}{\"sub\":\"user-1\"}".to_owned(), "not a JSON object"),
        ("truncated JSON", "{\"sub\":\"us".to_owned(), "not a JSON object"),
        ("10,000-deep nesting", "[".repeat(10_000), "not a JSON object"),
        ("an array", "[{\"sub\":\"user-1\"}]".to_owned(), "not a JSON object"),
        ("a 2 MiB body", two_mebibytes, "more than"),
    ];
    for (name, body, expected) in cases {
        let provider = MiniProvider::start(ProviderConfig { userinfo_body: Some(body), ..config() });
        let (report, _) = run(&provider, SECRET, "pelanor", None);
        assert!(report.ok, "{name}: the ID token already proved the sign-in: {report:#?}");
        let userinfo = report.checks.iter().find(|check| check.id == "userinfo").unwrap();
        assert_eq!(userinfo.status, CheckStatus::Warn, "{name}");
        assert!(userinfo.detail.contains(expected), "{name}: {userinfo:?}");
        assert!(report.userinfo_claims.is_none(), "{name}");
    }
}

/// #35: a provider that advertises only `plain`, or no PKCE methods at all, still gets S256
/// (RFC 7636 §4.2, §7.2: never plain, never a downgrade).
#[test]
fn s256_is_sent_whatever_pkce_methods_the_provider_advertises() {
    for advertised in [Some(vec!["plain".to_owned()]), None] {
        let provider = MiniProvider::start(ProviderConfig { pkce_methods: advertised.clone(), ..config() });
        let (report, _) = run(&provider, SECRET, "pelanor", None);
        assert!(report.ok, "{advertised:?}: {report:#?}");
        assert_eq!(provider.seen.lock().unwrap().challenge_methods, ["S256"], "{advertised:?}");
    }
}

/// #32: a token endpoint that redirects is not followed: the test stops at the token
/// exchange, names the target, and nothing (no code, no secret) is sent to it.
#[test]
fn a_redirecting_token_endpoint_is_not_followed_and_the_secret_is_not_re_sent() {
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let target = format!("http://127.0.0.1:{}/steal", elsewhere.local_addr().unwrap().port());
    let provider = MiniProvider::start(ProviderConfig { token_redirect_to: Some(target.clone()), ..config() });
    let (report, events) = run(&provider, SECRET, "pelanor", None);
    assert!(!report.ok);
    let failed = report.checks.iter().find(|check| check.status == CheckStatus::Fail).unwrap();
    assert_eq!(failed.id, "token-exchange", "{failed:?}");
    assert!(failed.detail.contains(&format!("redirected to {target}")), "{failed:?}");
    assert_eq!(provider.seen.lock().unwrap().token_requests, 1, "one token request, to the provider only");
    assert!(elsewhere.accept().is_err(), "nothing connected to the redirect target");
    assert_nothing_secret_in(&report, &events, &provider);
}
