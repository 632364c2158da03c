//! The keychain for real: `sso-setup` against a GNOME Keyring Secret Service started for each
//! test under its own `dbus-run-session`, with its keyring in a temporary folder. Checked with
//! the platform's own tool (`secret-tool`), plus the failure cases: no session bus, and a
//! locked keyring. In every case the secret must never land in a file, and a failed save
//! must write nothing.

#[path = "support/saved_files.rs"]
mod saved_files;

#[path = "support/certified_provider.rs"]
mod certified_provider;
#[allow(dead_code)]
#[path = "support/stand_in.rs"]
mod stand_in;

use saved_files::assert_no_file_holds;
use std::path::Path;
use std::process::{Command, Output};

const SECRET: &str = "kc-test-secret-Q7x~2";

struct Session {
    folder: tempfile::TempDir,
}

impl Session {
    fn new() -> Session {
        Session { folder: tempfile::tempdir().unwrap() }
    }

    fn config(&self) -> std::path::PathBuf {
        self.folder.path().join("config")
    }

    /// Runs `script` with `sh` inside a fresh D-Bus session; with `unlock`, GNOME Keyring is
    /// started and unlocked with the password "pass" first (creating the keyring if needed).
    fn run(&self, unlock: bool, script: &str) -> Output {
        let start = if unlock {
            "echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;"
        } else {
            "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1;"
        };
        self.run_on_bus(start, script)
    }

    /// Runs `script` on a fresh session bus with no Secret Service at all (#59): nothing owns
    /// org.freedesktop.secrets, and the bus activates nothing.
    fn run_without_a_keyring(&self, script: &str) -> Output {
        self.run_on_bus("", script)
    }

    fn run_on_bus(&self, start: &str, script: &str) -> Output {
        let wait = !start.is_empty();
        // The bus has no service activation (tests/fixtures): a call made before the daemon
        // owns its name would otherwise start a second, locked keyring that keeps this
        // command's output pipes open. So the script waits for the name first.
        let wait_for_keyring = "for _ in $(seq 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus \
             /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
             | grep -q 'boolean true' && break; sleep 0.1; done;";
        let bus_config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dbus-session-without-activation.conf");
        let output = Command::new("timeout")
            .args(["60", "dbus-run-session", &format!("--config-file={bus_config}"), "--", "sh", "-c"])
            .arg(format!("{start} {} {script}", if wait { wait_for_keyring } else { "" }))
            .env("SSO_SETUP", env!("CARGO_BIN_EXE_sso-setup"))
            .env("XDG_DATA_HOME", self.folder.path().join("data"))
            .env("XDG_CONFIG_HOME", self.config())
            .env("HOME", self.folder.path())
            .env_remove("SSO_SETUP_CLIENT_SECRET")
            .env_remove("DISPLAY")
            .output()
            .expect("dbus-run-session and gnome-keyring-daemon are installed (scripts/install-system-packages.sh)");
        output
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SAVE: &str = "printf '%s\\n' \"$THE_SECRET\" | \"$SSO_SETUP\" connection save acme-okta --vendor pelanor --idp okta --region eu --org acme --issuer acme.okta.com --client-id 0oa1 --client-secret-stdin --secret-expires 2030-01-31";

#[test]
fn a_saved_secret_is_found_by_secret_tool_and_nowhere_on_disk() {
    let session = Session::new();
    let script = format!(
        "export THE_SECRET='{SECRET}'; {SAVE} && secret-tool lookup service sso-setup username acme-okta && echo && \"$SSO_SETUP\" connection show acme-okta"
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {}", text(&output.stderr));
    // gnome-keyring-daemon may print its GNOME_KEYRING_CONTROL line first.
    let lookup_at = stdout.find(SECRET).expect("secret-tool finds the secret under service sso-setup");
    assert!(stdout.contains("client secret: stored in the OS keychain"), "{stdout}");
    let after_lookup = &stdout[lookup_at + SECRET.len()..];
    assert!(!after_lookup.contains(SECRET), "`connection show` never prints the secret: {after_lookup}");
    assert!(!text(&output.stderr).contains(SECRET), "nothing on stderr shows the secret");
    assert!(session.config().join("sso-setup/connections/acme-okta.json").exists());
    assert_no_file_holds(&session.config(), SECRET);
}

#[test]
fn update_then_delete_replaces_then_removes_the_entry() {
    let session = Session::new();
    let script = format!(
        "export THE_SECRET='{SECRET}'; {SAVE} && export THE_SECRET='second-value'; {SAVE} && secret-tool lookup service sso-setup username acme-okta && echo && \"$SSO_SETUP\" connection delete acme-okta && secret-tool lookup service sso-setup username acme-okta; echo \"lookup after delete: $?\""
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    assert!(
        stdout.lines().any(|line| line == "second-value"),
        "the entry was replaced: {stdout} {}",
        text(&output.stderr)
    );
    assert!(!stdout.contains(SECRET), "the first value is gone: {stdout}");
    assert!(stdout.contains("lookup after delete: 1"), "the entry is gone: {stdout}");
    assert!(!session.config().join("sso-setup/connections/acme-okta.json").exists());
}

#[test]
fn with_no_session_bus_save_fails_clearly_and_writes_nothing() {
    let session = Session::new();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["connection", "save", "acme-okta", "--vendor", "pelanor", "--idp", "okta", "--org", "acme"])
        .args(["--issuer", "acme.okta.com", "--client-id", "0oa1", "--client-secret-stdin"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sso-setup-test-bus")
        .env("XDG_CONFIG_HOME", session.config())
        .env("XDG_DATA_HOME", session.folder.path().join("data"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(format!("{SECRET}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: no keychain is reachable"), "{stderr}");
    assert!(stderr.contains("hint:") && stderr.contains("never stores the secret in a file"), "{stderr}");
    assert!(!session.config().join("sso-setup/connections/acme-okta.json").exists(), "nothing was written");
    assert_no_file_holds(session.folder.path(), SECRET);
}

#[test]
fn with_a_locked_keyring_save_says_locked_and_writes_nothing() {
    let session = Session::new();
    // The first session creates the keyring (password "pass"); the second starts the daemon
    // without unlocking it, as after a login without the keyring password.
    let first = session.run(true, "secret-tool store --label=setup service other username x </dev/null; echo ok");
    assert!(text(&first.stdout).contains("ok"));
    let output = session.run(false, &format!("export THE_SECRET='{SECRET}'; {SAVE}; echo \"exit: $?\""));
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(stdout.contains("exit: 1"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("error: the keychain is locked"), "{stderr}");
    assert!(!session.config().join("sso-setup/connections/acme-okta.json").exists(), "nothing was written");
    assert_no_file_holds(session.folder.path(), SECRET);
}

#[test]
fn export_then_age_decrypts_and_one_changed_byte_is_refused() {
    let session = Session::new();
    let folder = session.folder.path().display().to_string();
    let script = format!(
        "export THE_SECRET='{SECRET}'; {SAVE} && \"$SSO_SETUP\" bundle keygen -o {folder}/vendor-key.txt > {folder}/vendor.pub && \
         \"$SSO_SETUP\" export acme-okta --recipient \"$(cat {folder}/vendor.pub)\" -o {folder}/acme.age && \
         age -d -i {folder}/vendor-key.txt {folder}/acme.age > {folder}/payload.json && echo exported"
    );
    let output = session.run(true, &script);
    assert!(text(&output.stdout).contains("exported"), "{}\n{}", text(&output.stdout), text(&output.stderr));
    assert!(
        !text(&output.stdout).contains(SECRET) && !text(&output.stderr).contains(SECRET),
        "no command printed the secret"
    );
    let payload: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(session.folder.path().join("payload.json")).unwrap()).unwrap();
    assert_eq!(payload["client_secret"], SECRET);
    assert_eq!(payload["format"], "sso-setup-bundle/1");
    assert_eq!(payload["redirect_uris"][0], "https://app-eu.pelanor.io/api/auth/callback/okta-acme");
    // Our own opener accepts the bundle, and refuses it with one byte changed.
    let bundle_path = session.folder.path().join("acme.age");
    let open = |path: &Path| {
        Command::new(env!("CARGO_BIN_EXE_sso-setup"))
            .args(["bundle", "open"])
            .arg(path)
            .arg("--identity")
            .arg(session.folder.path().join("vendor-key.txt"))
            .output()
            .unwrap()
    };
    let opened = open(&bundle_path);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    assert!(!text(&opened.stdout).contains(SECRET), "bundle open never prints the secret");
    let mut bytes = std::fs::read(&bundle_path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    let tampered = session.folder.path().join("tampered.age");
    std::fs::write(&tampered, &bytes).unwrap();
    let refused = open(&tampered);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("error:"), "{}", text(&refused.stderr));
    assert_eq!(text(&refused.stdout), "", "nothing of a refused bundle is printed");
}

/// #59: a session bus on which no Secret Service runs (a headless server, a container): the
/// save fails with the cause and the remedy, exit 1, and no file is written (no plaintext
/// fallback).
#[test]
fn with_a_bus_but_no_secret_service_save_fails_clearly_and_writes_nothing() {
    let session = Session::new();
    let output = session.run_without_a_keyring(&format!("export THE_SECRET='{SECRET}'; {SAVE}; echo \"exit: $?\""));
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(stdout.contains("exit: 1"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("error: no keychain is reachable"), "{stderr}");
    assert!(stderr.contains("hint:") && stderr.contains("never stores the secret in a file"), "{stderr}");
    assert!(!session.config().join("sso-setup/connections/acme-okta.json").exists(), "nothing was written");
    assert_no_file_holds(session.folder.path(), SECRET);
}

/// Catalogue #68 with the real keychain: once saved, the secret is sent only where it was
/// saved for. Changing the issuer without the secret is refused and the keychain entry is
/// untouched; a sign-in test of the connection with another issuer is refused before any
/// request (no Open: line).
#[test]
fn a_saved_secret_cannot_be_rebound_to_another_issuer() {
    let session = Session::new();
    let moved = SAVE
        .replace("--issuer acme.okta.com", "--issuer evil.okta.com")
        .replace("printf '%s\\n' \"$THE_SECRET\" | ", "");
    let moved = moved.replace(" --client-secret-stdin", "");
    let script = format!(
        "export THE_SECRET='{SECRET}'; {SAVE} && {{ {moved}; echo \"save exit: $?\"; }} && \
         {{ \"$SSO_SETUP\" test-flow --connection acme-okta --issuer http://127.0.0.1:9 --no-browser; echo \"flow exit: $?\"; }} && \
         secret-tool lookup service sso-setup username acme-okta && echo && \"$SSO_SETUP\" connection show acme-okta --json"
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(stdout.contains("save exit: 2"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("error: the connection 'acme-okta' has a new issuer"), "{stderr}");
    assert!(stdout.contains("flow exit: 2"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("was saved for another issuer"), "{stderr}");
    assert!(!stderr.contains("Open:"), "no sign-in was started: {stderr}");
    assert!(stdout.lines().any(|line| line.ends_with(SECRET)), "the keychain entry is unchanged: {stdout}");
    assert!(stdout.contains("\"issuer\": \"https://acme.okta.com\""), "the file is unchanged: {stdout}");
}

/// The shortest journey on the command line, with the real keychain and the certified
/// provider: `provision` (the IdP's secret and the registration access token go to the
/// Secret Service, where `secret-tool` finds them, and nowhere else), `provision --check`,
/// then `deprovision --yes`, which leaves no entry.
#[test]
fn provision_puts_the_providers_secret_in_the_keychain_and_deprovision_takes_it_out() {
    let provider = certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": "initial-token-Zq9" },
    }));
    let session = Session::new();
    let provision = format!(
        "printf 'initial-token-Zq9\\n' | \"$SSO_SETUP\" provision peerpanda-acme --vendor peerpanda --idp generic --org acme --issuer {} --admin-token-stdin --json",
        provider.issuer
    );
    let script = format!(
        "{provision} && echo '--secret' && secret-tool lookup service sso-setup username peerpanda-acme && echo && echo '--token' && secret-tool lookup service sso-setup username 'peerpanda-acme#management' && echo && \"$SSO_SETUP\" provision peerpanda-acme --check"
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    let json_start = stdout.find('{').unwrap();
    let json_end = stdout.find("--secret").unwrap();
    let outcome: serde_json::Value = serde_json::from_str(stdout[json_start..json_end].trim()).unwrap();
    assert_eq!(outcome["ok"], true);
    assert_eq!(
        outcome["redirect_uris"],
        serde_json::json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"])
    );
    let line_after = |marker: &str| {
        stdout[stdout.find(marker).unwrap() + marker.len()..].trim_start().lines().next().unwrap().to_owned()
    };
    let secret = line_after("--secret");
    let token = line_after("--token");
    assert!(secret.len() > 20 && token.len() > 20, "both are in the Secret Service");
    assert!(stdout.contains("pass  the app at the IdP is what the vendor needs"), "{stdout}");

    // The secret in the keychain is the one the provider issued (read back with RFC 7592).
    let client_uri = url::Url::parse(outcome["registration_client_uri"].as_str().unwrap()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = sso_setup::oidc::http_fetch::HardenedHttpClient::default();
    let answer = runtime
        .block_on(sso_setup::oidc::http_fetch::HttpFetch::send_json(
            &http,
            sso_setup::oidc::http_fetch::JsonMethod::Get,
            &client_uri,
            Some(sso_setup::oidc::http_fetch::ApiAuthorization::Bearer(&token)),
            None,
        ))
        .unwrap();
    let at_provider: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(at_provider["client_secret"].as_str(), Some(secret.as_str()));
    for (what, value) in [("secret", secret.as_str()), ("token", token.as_str()), ("admin token", "initial-token-Zq9")]
    {
        assert!(!stdout[..json_end].contains(value), "provision's output shows the {what}");
        assert!(!stderr.contains(value), "stderr shows the {what}");
        assert_no_file_holds(&session.config(), value);
    }

    let output = session.run(
        true,
        "\"$SSO_SETUP\" deprovision peerpanda-acme --yes && secret-tool lookup service sso-setup username peerpanda-acme; echo \"lookup: $?\"; secret-tool lookup service sso-setup username 'peerpanda-acme#management'; echo \"lookup: $?\"",
    );
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Deleted the app at the IdP"), "{stdout}\n{}", text(&output.stderr));
    assert_eq!(stdout.matches("lookup: 1").count(), 2, "no entry is left: {stdout}");
    assert!(!session.config().join("sso-setup/connections/peerpanda-acme.json").exists());
}

/// `provision --idp entra` on the command line against the Graph stand-in
/// (tests/stand-ins/microsoft-graph.js): the secret Graph made is the one in the Secret
/// Service, and neither it nor the Graph token is printed or written; the drift check and
/// deprovision take the token again (it is never kept).
#[test]
fn provision_through_graph_puts_graphs_secret_in_the_keychain_and_keeps_no_token() {
    let graph = stand_in::start(
        "microsoft-graph.js",
        serde_json::json!({ "token": "graph-token-Qm4", "permissions": ["Application.ReadWrite.All"] }),
    );
    let session = Session::new();
    let script = format!(
        "export SSO_SETUP_ADMIN_API_URL={base}; \
         printf 'graph-token-Qm4\\n' | \"$SSO_SETUP\" provision peerpanda-entra --vendor peerpanda --idp entra --org acme --issuer 8eaef023-2b34-4da1-9baa-8bc8c9d6a490 --admin-token-stdin && \
         echo '--secret' && secret-tool lookup service sso-setup username peerpanda-entra && echo && \
         secret-tool lookup service sso-setup username 'peerpanda-entra#management'; echo \"lookup: $?\"; \
         SSO_SETUP_ADMIN_TOKEN=graph-token-Qm4 \"$SSO_SETUP\" provision peerpanda-entra --check",
        base = graph.base
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(output.status.success() && stdout.contains("Created the app"), "stdout: {stdout}\nstderr: {stderr}");
    let secret = stdout[stdout.find("--secret").unwrap() + 8..].trim_start().lines().next().unwrap().to_owned();
    assert_eq!(graph.secrets(), [serde_json::json!(secret)], "the keychain holds the secret Graph made");
    assert!(stdout.contains("lookup: 1"), "no management entry: the Graph token is not kept: {stdout}");
    assert!(stdout.contains("pass  the app at the IdP is what the vendor needs"), "{stdout}");
    let before_lookup = &stdout[..stdout.find("--secret").unwrap()];
    for (what, value) in [("secret", secret.as_str()), ("Graph token", "graph-token-Qm4")] {
        assert!(!before_lookup.contains(value) && !stderr.contains(value), "the {what} was printed");
        assert_no_file_holds(&session.config(), value);
    }

    let output = session.run(
        true,
        &format!(
            "export SSO_SETUP_ADMIN_API_URL={base}; printf 'graph-token-Qm4\\n' | \"$SSO_SETUP\" deprovision peerpanda-entra --admin-token-stdin --yes && \
             secret-tool lookup service sso-setup username peerpanda-entra; echo \"lookup: $?\"",
            base = graph.base
        ),
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("Deleted the app at the IdP") && stdout.contains("lookup: 1"),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(graph.secrets().is_empty(), "the app is gone at the IdP");
}

/// `provision --idp okta` and `connection rotate-secret` on the command line against the Okta
/// stand-in (tests/stand-ins/okta-management.js): the secret Okta made is the one in the
/// Secret Service; a rotation puts the new one there while both are valid at Okta, tries it at
/// the token endpoint, and `--finish` leaves only the new one.
#[test]
fn rotate_secret_on_the_command_line_swaps_the_keychain_secret_without_downtime() {
    let okta = stand_in::start("okta-management.js", serde_json::json!({ "token": "00okta-token-Rt5" }));
    let session = Session::new();
    let lookup = "secret-tool lookup service sso-setup username pivott-okta";
    let script = format!(
        "export SSO_SETUP_ADMIN_TOKEN=00okta-token-Rt5; \\
         \"$SSO_SETUP\" provision pivott-okta --vendor pivott --idp okta --issuer {issuer} --redirect-uri https://app.pivott.io/oidc/callback >/dev/null && \\
         echo '--first' && {lookup} && echo && \\
         \"$SSO_SETUP\" connection rotate-secret pivott-okta && \\
         echo '--second' && {lookup} && echo",
        issuer = okta.base
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    let line_after = |marker: &str| {
        stdout[stdout.find(marker).unwrap() + marker.len()..].trim_start().lines().next().unwrap().to_owned()
    };
    let (first, second) = (line_after("--first"), line_after("--second"));
    assert_ne!(first, second, "the keychain holds the new secret");
    let mut at_okta: Vec<String> = okta.secrets().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    at_okta.sort();
    let mut both = vec![first.clone(), second.clone()];
    both.sort();
    assert_eq!(at_okta, both, "both secrets are valid at Okta until the rotation is finished");
    assert!(stdout.contains("Added a new client secret") && stdout.contains("--finish"), "{stdout}");
    assert!(stdout.contains("pass  client-secret"), "the new secret was tried at the token endpoint: {stdout}");
    for secret in [&first, &second] {
        assert!(
            !stdout[..stdout.find("--first").unwrap()].contains(secret.as_str()) && !stderr.contains(secret.as_str())
        );
        assert_no_file_holds(&session.config(), secret);
    }

    let output = session.run(
        true,
        "export SSO_SETUP_ADMIN_TOKEN=00okta-token-Rt5; \"$SSO_SETUP\" connection rotate-secret pivott-okta --finish",
    );
    assert!(output.status.success(), "{}\n{}", text(&output.stdout), text(&output.stderr));
    assert_eq!(okta.secrets(), [serde_json::json!(second)], "only the new secret is left");

    // The setup report for the change record: written whole, with the app's values and no secret.
    let report = session.config().join("pivott-okta-report.html");
    let output = session.run(true, &format!("\"$SSO_SETUP\" report pivott-okta -o '{}'", report.display()));
    assert!(output.status.success(), "{}\n{}", text(&output.stdout), text(&output.stderr));
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("https://app.pivott.io/oidc/callback") && page.contains("the Okta Management API"), "{page}");
    assert!(!page.contains(&first) && !page.contains(&second) && !page.contains("00okta-token-Rt5"));
}

/// `test-flow --register-loopback` for an Okta app on the command line, against the Okta
/// stand-in with the real Secret Service: the admin's token from standard input adds the
/// loopback URI through the Apps API, the sign-in passes (the browser is `curl`, following the
/// stand-in's redirect to the listener), and the URI is taken out again.
#[test]
fn test_flow_registers_its_loopback_uri_at_okta_with_the_admin_token_and_removes_it() {
    let okta = stand_in::start("okta-management.js", serde_json::json!({ "token": "00okta-token-Lb8" }));
    let session = Session::new();
    let script = format!(
        "printf '#!/bin/sh\\nexec curl -sL \"$1\" >/dev/null\\n' > \"$HOME/browser\" && chmod +x \"$HOME/browser\" && \\
         SSO_SETUP_ADMIN_TOKEN=00okta-token-Lb8 \"$SSO_SETUP\" provision pivott-okta --vendor pivott --idp okta --issuer {issuer} --redirect-uri https://app.pivott.io/oidc/callback >/dev/null && \\
         printf '00okta-token-Lb8\\n' | BROWSER=\"$HOME/browser\" \"$SSO_SETUP\" test-flow --connection pivott-okta --register-loopback --admin-token-stdin --timeout 20",
        issuer = okta.base
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("Removed the temporary redirect URI http://127.0.0.1:"), "{stderr}");
    let replaced: Vec<serde_json::Value> = okta
        .log()
        .into_iter()
        .filter(|entry| entry["method"] == "PUT")
        .map(|entry| entry["body"]["settings"]["oauthClient"]["redirect_uris"].clone())
        .collect();
    assert_eq!(replaced.len(), 2, "{replaced:?}");
    assert_eq!(replaced[0].as_array().unwrap().len(), 2, "the loopback URI was added for the test");
    assert_eq!(replaced[1], serde_json::json!(["https://app.pivott.io/oidc/callback"]), "and taken out again");
    assert!(!stdout.contains("00okta-token-Lb8") && !stderr.contains("00okta-token-Lb8"));
    assert_no_file_holds(&session.config(), "00okta-token-Lb8");
}

/// `--keep-admin-token` with the real Secret Service and the Okta stand-in: the token is kept
/// under `<connection>#admin` only once the run succeeded with it, `check` then reads the app
/// for drift with it and a later `provision --check` needs no token; `connection
/// forget-admin-token` removes it, and a refused token is never kept.
#[test]
fn an_admin_token_is_kept_only_when_asked_and_used_until_forgotten() {
    let okta = stand_in::start("okta-management.js", serde_json::json!({ "token": "00okta-token-Kp4" }));
    let session = Session::new();
    let admin = "secret-tool lookup service sso-setup username 'pivott-okta#admin'";
    let script = format!(
        "printf 'wrong-token\\n' | \"$SSO_SETUP\" provision pivott-okta --vendor pivott --idp okta --issuer {issuer} --redirect-uri https://app.pivott.io/oidc/callback --admin-token-stdin --keep-admin-token; \\
         echo \"refused: $?\"; {admin}; echo \"lookup after refusal: $?\"; \\
         printf '00okta-token-Kp4\\n' | \"$SSO_SETUP\" provision pivott-okta --vendor pivott --idp okta --issuer {issuer} --redirect-uri https://app.pivott.io/oidc/callback --admin-token-stdin --keep-admin-token >/dev/null && \\
         echo '--kept' && {admin} && echo && \\
         \"$SSO_SETUP\" check pivott-okta && \"$SSO_SETUP\" provision pivott-okta --check && \\
         \"$SSO_SETUP\" connection forget-admin-token pivott-okta && {admin}; echo \"lookup after forget: $?\"; \\
         \"$SSO_SETUP\" provision pivott-okta --check; echo \"check without a token: $?\"",
        issuer = okta.base
    );
    let output = session.run(true, &script);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(
        stdout.contains("refused: 1") && stdout.contains("lookup after refusal: 1"),
        "a refused token is not kept: {stdout}\n{stderr}"
    );
    let kept = stdout[stdout.find("--kept").unwrap() + 6..].trim_start().lines().next().unwrap().to_owned();
    assert_eq!(kept, "00okta-token-Kp4", "{stdout}\n{stderr}");
    assert!(stderr.contains("Kept the admin token in the OS keychain for pivott-okta"), "{stderr}");
    assert!(
        stdout.contains("pivott-okta  pass  drift: the app at the IdP is what the vendor needs"),
        "check read the app with the kept token: {stdout}"
    );
    assert!(stderr.contains("removed the admin token kept for 'pivott-okta'"), "{stderr}");
    assert!(
        stdout.contains("lookup after forget: 1") && stdout.contains("check without a token: 2"),
        "{stdout}\n{stderr}"
    );
    assert!(
        !stdout[..stdout.find("--kept").unwrap()].contains("00okta-token-Kp4") && !stderr.contains("00okta-token-Kp4")
    );
    assert_no_file_holds(&session.config(), "00okta-token-Kp4");
}
