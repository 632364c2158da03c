//! The security review's findings that show at the command line (issue "Hardening"), each
//! run against the real `sso-setup` binary with a private config folder:
//! - a saved connection's secret cannot be re-bound to another issuer or client ID
//!   (catalogue #68), neither by `connection save` nor by `test-flow --connection --issuer`;
//! - `SSO_SETUP_CLIENT_SECRET` never silently replaces a saved connection's secret;
//! - the bundle's passphrase rule is the core's, so `export --passphrase-stdin` refuses an
//!   empty or short passphrase and writes nothing;
//! - text from a bundle or a vendor profile file never reaches the terminal raw (ESC, BEL,
//!   C1 controls, bidi overrides), and one field cannot start a line of its own.
//!
//! None of these needs a keychain: each refusal happens before the keychain is touched,
//! which is part of what is tested (the private session has no Secret Service at all).

use sso_setup::connections::bundle::{
    generate_identity, parse_recipient, seal, BundlePayload, BundleRecipients, BUNDLE_FORMAT,
};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `sso-setup` with its config folder in `home`, no D-Bus session (so no keychain),
/// and `stdin` piped in.
fn sso_setup(home: &Path, arguments: &[&str], stdin: &str, environment: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sso-setup"));
    command
        .args(arguments)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sso-setup-test-bus")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in environment {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the sso-setup binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SAVE: [&str; 13] = [
    "connection",
    "save",
    "acme",
    "--vendor",
    "peerpanda",
    "--idp",
    "generic",
    "--org",
    "acme",
    "--issuer",
    "https://login.acme.example",
    "--client-id",
    "client-1",
];

/// Writes the connection file as a save with a secret would have, without a keychain: the
/// secret itself is not needed for the refusals under test.
fn saved_with_a_secret(home: &Path) -> std::path::PathBuf {
    let output = sso_setup(home, &SAVE, "", &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let path = home.join("config/sso-setup/connections/acme.json");
    let mut connection: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    connection["secret_for"] = serde_json::json!({ "issuer": "https://login.acme.example", "client_id": "client-1" });
    std::fs::write(&path, serde_json::to_vec_pretty(&connection).unwrap()).unwrap();
    path
}

#[test]
fn a_save_without_the_secret_cannot_send_the_stored_secret_somewhere_else() {
    let home = tempfile::tempdir().unwrap();
    let path = saved_with_a_secret(home.path());
    let before = std::fs::read(&path).unwrap();
    for (flag, value, changed) in
        [("--issuer", "https://login.evil.example", "issuer"), ("--client-id", "client-2", "client ID")]
    {
        let mut arguments = SAVE.to_vec();
        let position = arguments.iter().position(|argument| *argument == flag).unwrap();
        arguments[position + 1] = value;
        let output = sso_setup(home.path(), &arguments, "", &[]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(changed), "{flag}: {stderr}");
        assert!(stderr.contains("\nhint: give the client secret again"), "{flag}: {stderr}");
        assert!(output.stdout.is_empty());
        assert_eq!(std::fs::read(&path).unwrap(), before, "{flag}: the saved connection is unchanged");
    }
}

#[test]
fn test_flow_does_not_send_a_saved_secret_to_another_issuer_or_client() {
    let home = tempfile::tempdir().unwrap();
    saved_with_a_secret(home.path());
    for extra in [["--issuer", "http://127.0.0.1:9/evil"], ["--client-id", "client-2"]] {
        let mut arguments = vec!["test-flow", "--connection", "acme", "--no-browser"];
        arguments.extend(extra);
        let output = sso_setup(home.path(), &arguments, "", &[]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains("error: the client secret stored for 'acme' was saved for another"), "{stderr}");
        assert!(!stderr.contains("Open:"), "no sign-in was started: {stderr}");
    }
}

#[test]
fn the_secret_variable_never_silently_replaces_a_saved_connection_s_secret() {
    let home = tempfile::tempdir().unwrap();
    saved_with_a_secret(home.path());
    let output = sso_setup(
        home.path(),
        &["test-flow", "--connection", "acme", "--no-browser"],
        "",
        &[("SSO_SETUP_CLIENT_SECRET", "planted-secret")],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("SSO_SETUP_CLIENT_SECRET is set"), "{stderr}");
    assert!(stderr.contains("hint: unset SSO_SETUP_CLIENT_SECRET"), "{stderr}");
    assert!(!stderr.contains("planted-secret") && !stderr.contains("Open:"), "{stderr}");
}

#[test]
fn export_refuses_an_empty_or_short_passphrase_and_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    saved_with_a_secret(home.path());
    let bundle = home.path().join("acme.age");
    for passphrase in ["\n", "", "short pass\n", "           \n"] {
        let output = sso_setup(
            home.path(),
            &["export", "acme", "--passphrase-stdin", "-o", bundle.to_str().unwrap()],
            passphrase,
            &[],
        );
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{passphrase:?}: {stderr}");
        assert!(stderr.starts_with("error: the passphrase is shorter than 12 characters"), "{stderr}");
        assert!(stderr.contains("\nhint: "), "{stderr}");
        assert!(!bundle.exists(), "{passphrase:?}: no bundle was written");
    }
}

fn hostile_payload() -> BundlePayload {
    BundlePayload {
        format: BUNDLE_FORMAT.into(),
        vendor: "pelanor\u{1b}]0;owned\u{7}".into(),
        org: Some("acme\u{202e}nimda".into()),
        region: Some("eu\u{9b}2J".into()),
        idp: "okta".into(),
        issuer: "https://acme.okta.com\nclient secret: shown-after-all".into(),
        discovery_url: "https://acme.okta.com/.well-known/openid-configuration".into(),
        client_id: "0oa1\u{1b}[2K".into(),
        client_secret: "the-secret".into(),
        token_endpoint_auth_method: None,
        scopes: vec!["openid".into()],
        redirect_uris: vec!["https://app.pelanor.io/\u{2066}cb".into()],
        sign_out_uris: vec![],
        created_at: "2026-12-01T00:00:00Z".into(),
        secret_expires: None,
        test_report: None,
    }
}

fn assert_terminal_safe(what: &str, output: &str) {
    for character in output.chars() {
        assert!(
            character == '\n' || !sso_setup::platform::terminal_text::acts_on_a_terminal(character),
            "{what}: U+{:04X} reached the terminal raw in {output:?}",
            character as u32
        );
    }
}

#[test]
fn a_bundle_s_fields_reach_the_terminal_escaped_and_on_their_own_lines() {
    let home = tempfile::tempdir().unwrap();
    let (identity, recipient) = generate_identity("2026-12-01");
    let identity_path = home.path().join("vendor.key");
    std::fs::write(&identity_path, identity.as_bytes()).unwrap();
    let sealed = seal(&hostile_payload(), &BundleRecipients::Keys(vec![parse_recipient(&recipient).unwrap()])).unwrap();
    let bundle = home.path().join("hostile.age");
    std::fs::write(&bundle, sealed).unwrap();
    let arguments = ["bundle", "open", bundle.to_str().unwrap(), "--identity", identity_path.to_str().unwrap()];
    let output = sso_setup(home.path(), &arguments, "", &[]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_terminal_safe("bundle open", &stdout);
    assert!(stdout.contains("vendor: pelanor<U+001B>]0;owned<U+0007>"), "{stdout}");
    assert!(stdout.contains("org: acme<U+202E>nimda"), "{stdout}");
    assert!(stdout.contains("region: eu<U+009B>2J"), "{stdout}");
    assert!(stdout.contains("redirect URI: https://app.pelanor.io/<U+2066>cb"), "{stdout}");
    // The planted newline does not make a line of its own.
    assert!(!stdout.lines().any(|line| line.starts_with("client secret: shown")), "{stdout}");
    assert!(!stdout.contains("the-secret"));

    let mut json_arguments = arguments.to_vec();
    json_arguments.push("--json");
    let output = sso_setup(home.path(), &json_arguments, "", &[]);
    let stdout = text(&output.stdout);
    assert_terminal_safe("bundle open --json", &stdout);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["org"], "acme\u{202e}nimda", "the JSON still carries the exact value");
}

#[test]
fn a_vendor_profile_s_text_reaches_the_terminal_escaped() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("vendors");
    std::fs::create_dir_all(&folder).unwrap();
    let profile = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-vendors/acme-analytics.toml"),
    )
    .unwrap()
    // TOML escapes: a raw control character is not even valid TOML, but an escaped one is.
    .replacen("name = \"Acme Analytics\"", "name = \"Acme \\u001b[31mAnalytics\\u202E\"", 1);
    std::fs::write(folder.join("acme.toml"), profile).unwrap();
    for arguments in [
        vec!["--vendor-dir", folder.to_str().unwrap(), "vendors"],
        vec!["--vendor-dir", folder.to_str().unwrap(), "vendor", "show", "acme-analytics"],
        vec!["--vendor-dir", folder.to_str().unwrap(), "guide", "--vendor", "acme-analytics", "--idp", "generic"],
        vec!["--vendor-dir", folder.to_str().unwrap(), "vendors", "--json"],
    ] {
        let output = sso_setup(home.path(), &arguments, "", &[]);
        let stdout = text(&output.stdout);
        assert!(output.status.success(), "{arguments:?}: {}", text(&output.stderr));
        assert_terminal_safe(&format!("{arguments:?}"), &stdout);
        assert_terminal_safe(&format!("{arguments:?} (stderr)"), &text(&output.stderr));
        if !arguments.contains(&"--json") {
            assert!(stdout.contains("Acme <U+001B>[31mAnalytics<U+202E>"), "{arguments:?}: {stdout}");
            assert!(stdout.to_lowercase().contains("custom"), "{arguments:?} marks the custom profile: {stdout}");
            assert!(stdout.contains(folder.join("acme.toml").to_str().unwrap()), "{arguments:?} names the file");
        }
    }
}

/// A secret typed (or pasted) at a terminal is not echoed: `--client-secret-stdin` reads it
/// with echo off after a prompt. Python's `pty` module plays the terminal; everything the
/// terminal would show is searched for the secret.
#[test]
fn a_secret_typed_at_a_terminal_is_not_shown() {
    let home = tempfile::tempdir().unwrap();
    let script = r#"
import os, pty, select, signal, sys, time
secret = b"typed-at-the-terminal-7Qx"
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
shown = b""
started = time.time()
sent = False
prompted = False
while time.time() < started + 20:
    if not sent and (prompted or time.time() > started + 3):
        os.write(fd, secret + b"\n")
        sent = True
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    prompted = prompted or b"not shown as you type" in shown
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
sys.stdout.write("PROMPTED\n" if prompted else "NO PROMPT\n")
sys.stdout.write("ECHOED\n" if secret in shown else "NOT ECHOED\n")
sys.stdout.write(shown.decode("utf-8", "replace"))
"#;
    let output = Command::new("python3")
        .args(["-c", script, env!("CARGO_BIN_EXE_sso-setup")])
        .args(["connection", "save", "tty", "--vendor", "peerpanda", "--idp", "generic", "--org", "acme"])
        .args(["--issuer", "https://login.acme.example", "--client-id", "client-1", "--client-secret-stdin"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sso-setup-test-bus")
        .env_remove("SSO_SETUP_CLIENT_SECRET")
        .output()
        .expect("python3 is installed (scripts/install-system-packages.sh)");
    let shown = text(&output.stdout);
    assert!(shown.starts_with("PROMPTED\n"), "the prompt appeared on the terminal: {shown}");
    assert!(shown.contains("NOT ECHOED"), "the secret was echoed: {shown}");
    // It was read all the same: the save went on to the (unreachable) keychain.
    assert!(shown.contains("no keychain is reachable"), "{shown}");
}
