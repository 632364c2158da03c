//! Catalogue #64: a dump of the process's memory, taken after the work is done, holds no
//! secret. `sso-setup` runs under gdb (Debian's package, installed by the project's setup
//! script), which stops it at `exit_group`, after everything has been dropped, and writes a
//! core file with `gcore`; the test then searches the whole core for each secret.
//!
//! What this proves: the secret, the authorization code, the PKCE verifier, the access
//! token, a bundle's payload and the vendor's key are wiped, not merely freed, in sso-setup's
//! own buffers and in the libraries' (hyper's header buffer held the access token until the
//! binaries wiped every freed block: `sso_setup::wipe_on_free`). What it cannot prove: that no copy existed while the work
//! was running; a dump taken mid-flow would find the values in use, as it must.

#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use support::mini_provider::{browse, MiniProvider, ProviderConfig};

/// The gdb command that stops `program` when it exits and writes `core` there.
fn under_gdb(core: &Path, program_and_arguments: &[&str]) -> Command {
    let mut command = Command::new("gdb");
    command
        .args(["-q", "-batch", "-nx", "-ex", "set pagination off", "-ex", "catch syscall exit_group", "-ex", "run"])
        .args(["-ex", &format!("gcore {}", core.display()), "-ex", "kill", "--args"])
        .args(program_and_arguments);
    command
}

fn count_in(haystack: &[u8], needle: &str) -> usize {
    haystack.windows(needle.len()).filter(|window| *window == needle.as_bytes()).count()
}

fn assert_core_lacks(core: &Path, what: &str, value: &str) {
    assert!(value.len() >= 12, "{what}: too short a value to search for meaningfully: {value}");
    let bytes = std::fs::read(core).unwrap_or_else(|error| panic!("no core file at {}: {error}", core.display()));
    assert!(bytes.len() > 1024 * 1024, "the core file is implausibly small: {} bytes", bytes.len());
    let found = bytes.windows(value.len()).position(|window| window == value.as_bytes());
    if let Some(at) = found {
        let context = String::from_utf8_lossy(&bytes[at.saturating_sub(60)..(at + value.len() + 20).min(bytes.len())]);
        panic!(
            "{what} is still in the process's memory at exit ({} copies), e.g. in: {context:?}",
            count_in(&bytes, value)
        );
    }
}

#[test]
fn a_bundle_s_secret_and_the_vendor_s_key_are_wiped_after_bundle_open() {
    let folder = tempfile::tempdir().unwrap();
    let path = |name: &str| folder.path().join(name).display().to_string();
    const SECRET: &str = "core-dump-bundle-secret-4f9a7c";
    let keygen = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["bundle", "keygen", "-o", &path("vendor.key")])
        .output()
        .unwrap();
    let recipient = String::from_utf8(keygen.stdout).unwrap().trim().to_owned();
    let payload = serde_json::json!({
        "format": "sso-setup-bundle/1", "vendor": "pelanor", "org": "acme", "region": "eu", "idp": "okta",
        "issuer": "https://acme.okta.com", "discovery_url": "https://acme.okta.com/.well-known/openid-configuration",
        "client_id": "0oa1", "client_secret": SECRET, "token_endpoint_auth_method": null, "scopes": ["openid"],
        "redirect_uris": [], "sign_out_uris": [], "created_at": "2026-12-01T00:00:00Z", "secret_expires": null,
        "test_report": null,
    });
    let recipients =
        sso_setup::connections::bundle::BundleRecipients::Keys(vec![sso_setup::connections::bundle::parse_recipient(
            &recipient,
        )
        .unwrap()]);
    let payload: sso_setup::connections::bundle::BundlePayload = serde_json::from_value(payload).unwrap();
    sso_setup::connections::bundle::export(&payload, &recipients, Path::new(&path("bundle.age"))).unwrap();
    let core = folder.path().join("bundle-open.core");
    let output = under_gdb(
        &core,
        &[env!("CARGO_BIN_EXE_sso-setup"), "bundle", "open", &path("bundle.age"), "--identity", &path("vendor.key")],
    )
    .output()
    .expect("gdb is installed (scripts/install-system-packages.sh)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("vendor: pelanor"), "bundle open ran to the end: {stdout}");
    assert_core_lacks(&core, "the bundle's client secret", SECRET);
    // The key's bech32 body (age reads it in either case).
    let key = std::fs::read_to_string(path("vendor.key")).unwrap();
    let body = key.lines().find_map(|line| line.strip_prefix("AGE-SECRET-KEY-1")).unwrap();
    assert_core_lacks(&core, "the vendor's private key", &body[..40]);
    assert_core_lacks(&core, "the vendor's private key (lower case)", &body[..40].to_ascii_lowercase());
}

#[test]
fn the_secret_code_verifier_and_tokens_are_wiped_after_a_sign_in_test() {
    const SECRET: &str = "core-dump-flow-secret-8d2e1b";
    let provider = MiniProvider::start(ProviderConfig::honest("client-1", SECRET));
    let folder = tempfile::tempdir().unwrap();
    let core = folder.path().join("test-flow.core");
    let issuer = provider.issuer();
    let mut gdb = under_gdb(
        &core,
        &[env!("CARGO_BIN_EXE_sso-setup"), "test-flow", "--issuer", &issuer, "--client-id", "client-1"],
    );
    let mut child = gdb
        .args(["--client-secret-stdin", "--vendor", "pelanor", "--no-browser", "--timeout", "60", "--json"])
        .env_remove("SSO_SETUP_CLIENT_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gdb is installed (scripts/install-system-packages.sh)");
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(format!("{SECRET}\n").as_bytes()).unwrap();
    }
    // gdb passes the program's stderr through: wait for the URL, then sign in.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no Open: line: {seen}");
        seen.push_str(&line);
        if let Some(url) = line.strip_prefix("Open: ") {
            browse(url.trim());
            break;
        }
    }
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\"ok\": true"), "the sign-in test passed: {stdout}\n{seen}{rest}");
    assert_core_lacks(&core, "the client secret", SECRET);
    // What the token request carried, as the provider received it.
    let body = provider.seen.lock().unwrap().token_bodies[0].clone();
    let parameter = |name: &str| {
        url::form_urlencoded::parse(body.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    };
    assert_core_lacks(&core, "the authorization code", &parameter("code").unwrap());
    assert_core_lacks(&core, "the PKCE verifier", &parameter("code_verifier").unwrap());
    let access_token = provider.seen.lock().unwrap().access_tokens[0].clone();
    assert_core_lacks(&core, "the access token", &access_token);
}
