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
use sso_setup::bundle::{
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
