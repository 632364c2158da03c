//! The encrypted bundle an admin sends the vendor: an ASCII-armored age file to the vendor's
//! X25519 recipients (or to a passphrase), holding a versioned JSON payload with the
//! connection, the client secret and the last flow-test report.
//!
//! # Security
//! - The plaintext payload exists only in zeroizing memory; it never touches the disk. The
//!   bundle is written atomically with mode 0600.
//! - Opening authenticates the whole file before any of it is parsed: the payload is read to
//!   the end (age's STREAM format authenticates every chunk and flags the last, so truncation
//!   and tampering fail), within a size cap, and only then read as JSON.
//! - age has no sender authentication: anyone with the vendor's public key can make a valid
//!   bundle. The vendor side treats the contents as unauthenticated input (schema and size
//!   caps) and says so.
//! - scrypt work factors are capped, so a hostile file cannot make opening take hours.

use crate::error::UserFacingError;
use crate::platform::atomic_file::write_atomically;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;
use zeroize::Zeroizing;

pub const BUNDLE_FORMAT: &str = "sso-setup-bundle/1";

/// A bundle file larger than this is refused unread; real bundles are a few kilobytes.
pub const BUNDLE_FILE_SIZE_LIMIT: u64 = 1024 * 1024;

/// The largest decrypted payload accepted.
pub const PAYLOAD_SIZE_LIMIT: usize = 256 * 1024;

/// The highest scrypt work factor (log2 N) accepted when opening: 2^20 takes about a second;
/// the testkit's `scrypt_work_factor_23` must be refused.
pub const MAX_SCRYPT_WORK_FACTOR: u8 = 20;

/// The scrypt work factor used when sealing with a passphrase: 2^18, about a quarter of a
/// second, well under [`MAX_SCRYPT_WORK_FACTOR`].
pub const SEAL_SCRYPT_WORK_FACTOR: u8 = 18;

/// The decrypted payload, as the CLI contract specifies it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundlePayload {
    pub format: String,
    pub vendor: String,
    pub org: Option<String>,
    pub region: Option<String>,
    pub idp: String,
    pub issuer: String,
    pub discovery_url: String,
    pub client_id: String,
    /// The secret in the payload. The payload itself lives only in zeroizing memory.
    pub client_secret: String,
    pub token_endpoint_auth_method: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub sign_out_uris: Vec<String>,
    pub created_at: String,
    pub secret_expires: Option<String>,
    pub test_report: Option<serde_json::Value>,
}

impl std::fmt::Debug for BundlePayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundlePayload")
            .field("vendor", &self.vendor)
            .field("client_id", &self.client_id)
            .field("client_secret", &"redacted")
            .finish_non_exhaustive()
    }
}

impl Drop for BundlePayload {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.client_secret);
    }
}

/// The shortest passphrase a bundle may be sealed with. A bundle travels by email or a file
/// share, where anyone who gets a copy can try passphrases offline for as long as they like;
/// scrypt slows each try, but a short passphrase still falls.
pub const PASSPHRASE_MINIMUM_CHARACTERS: usize = 12;

/// To whom the bundle is encrypted.
pub enum BundleRecipients {
    /// The vendor's `age1...` public keys.
    Keys(Vec<age::x25519::Recipient>),
    /// A passphrase agreed with the vendor out of band (scrypt).
    Passphrase(SecretString),
}

impl BundleRecipients {
    /// A passphrase recipient, after the rules every face shares: at least
    /// [`PASSPHRASE_MINIMUM_CHARACTERS`] characters that are not all white space, and, where
    /// the face asked twice, the same text both times.
    pub fn passphrase(passphrase: SecretString, confirmation: Option<&SecretString>) -> Result<Self, BundleError> {
        use secrecy::ExposeSecret as _;
        let text = passphrase.expose_secret();
        if text.trim().is_empty() || text.chars().count() < PASSPHRASE_MINIMUM_CHARACTERS {
            return Err(BundleError::ShortPassphrase { minimum: PASSPHRASE_MINIMUM_CHARACTERS });
        }
        if let Some(confirmation) = confirmation {
            let same: bool =
                subtle::ConstantTimeEq::ct_eq(text.as_bytes(), confirmation.expose_secret().as_bytes()).into();
            if !same {
                return Err(BundleError::PassphraseMismatch);
            }
        }
        Ok(BundleRecipients::Passphrase(passphrase))
    }
}

/// How the vendor opens a bundle.
pub enum OpenWith {
    /// The contents of an age identity file (`AGE-SECRET-KEY-1...` lines, `#` comments).
    IdentityFile(Zeroizing<String>),
    Passphrase(SecretString),
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("'{0}' is not an age X25519 recipient (age1...)")]
    BadRecipient(String),
    #[error("no recipient was given")]
    NoRecipient,
    #[error("the passphrase is shorter than {minimum} characters")]
    ShortPassphrase { minimum: usize },
    #[error("the two passphrases are not the same")]
    PassphraseMismatch,
    #[error("the identity file is not valid: {0}")]
    BadIdentityFile(String),
    #[error("the bundle file {path} could not be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the bundle is larger than {limit} bytes; sso-setup bundles are a few kilobytes")]
    FileTooLarge { limit: u64 },
    /// The detail is age's own words, kept for debugging but not shown: they say nothing
    /// an admin can act on ("failed to fill whole buffer").
    #[error("this is not an age-encrypted bundle, or its armor is damaged")]
    NotAnAgeFile(String),
    #[error("none of the given keys can open this bundle")]
    NoMatchingKey,
    #[error("the passphrase is wrong, or the bundle was not made with a passphrase")]
    WrongPassphrase,
    #[error("the bundle needs scrypt work factor {required}, more than the {limit} sso-setup accepts")]
    ExcessiveWork { required: u8, limit: u8 },
    #[error("the bundle failed authentication: it was changed, cut short or damaged ({0})")]
    Tampered(String),
    #[error("the decrypted payload is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the decrypted payload is not an sso-setup bundle: {0}")]
    NotABundle(String),
    #[error("the bundle could not be written to {path}: {reason}")]
    WriteFailed { path: String, reason: String },
}

impl UserFacingError for BundleError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            BundleError::BadRecipient(_) => crate::error::ErrorCode::BundleBadRecipient,
            BundleError::NoRecipient => crate::error::ErrorCode::BundleNoRecipient,
            BundleError::ShortPassphrase { .. } => crate::error::ErrorCode::BundleShortPassphrase,
            BundleError::PassphraseMismatch => crate::error::ErrorCode::BundlePassphraseMismatch,
            BundleError::BadIdentityFile(_) => crate::error::ErrorCode::BundleBadIdentityFile,
            BundleError::Unreadable { .. } => crate::error::ErrorCode::BundleUnreadable,
            BundleError::FileTooLarge { .. } => crate::error::ErrorCode::BundleFileTooLarge,
            BundleError::NotAnAgeFile(_) => crate::error::ErrorCode::BundleNotAge,
            BundleError::NoMatchingKey => crate::error::ErrorCode::BundleNoMatchingKey,
            BundleError::WrongPassphrase => crate::error::ErrorCode::BundleWrongPassphrase,
            BundleError::ExcessiveWork { .. } => crate::error::ErrorCode::BundleExcessiveWork,
            BundleError::Tampered(_) => crate::error::ErrorCode::BundleTampered,
            BundleError::PayloadTooLarge { .. } => crate::error::ErrorCode::BundlePayloadTooLarge,
            BundleError::NotABundle(_) => crate::error::ErrorCode::BundleNotABundle,
            BundleError::WriteFailed { .. } => crate::error::ErrorCode::BundleWriteFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            BundleError::BadRecipient(_) | BundleError::NoRecipient => {
                "ask the vendor for their public key; they make one with `sso-setup bundle keygen` or `age-keygen`"
                    .into()
            }
            BundleError::ShortPassphrase { .. } => {
                "use a longer passphrase (a few random words), and tell it to the vendor by phone, not by email; nothing was written".into()
            }
            BundleError::PassphraseMismatch => "type the same passphrase twice; nothing was written".into(),
            BundleError::BadIdentityFile(_) => {
                "pass the identity file made by `sso-setup bundle keygen` (or `age-keygen`)".into()
            }
            BundleError::NoMatchingKey => {
                "the bundle was made for another key: ask the sender which public key they used".into()
            }
            BundleError::Tampered(_) | BundleError::NotAnAgeFile(_) | BundleError::FileTooLarge { .. } => {
                "ask the sender to export the bundle again and send the file unchanged (as an attachment, not pasted)"
                    .into()
            }
            BundleError::WriteFailed { .. } => "check that the folder exists and has space; nothing was written".into(),
            _ => "ask the sender to export the bundle again".into(),
        })
    }
}

pub fn parse_recipient(text: &str) -> Result<age::x25519::Recipient, BundleError> {
    age::x25519::Recipient::from_str(text.trim()).map_err(|_| {
        BundleError::BadRecipient(crate::catalog::org_value::escape_for_message(text).trim_matches('\'').to_owned())
    })
}

/// Recipients from a recipients file: one `age1...` per line, `#` comments and blank lines
/// ignored.
pub fn parse_recipients_file(text: &str) -> Result<Vec<age::x25519::Recipient>, BundleError> {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')).map(parse_recipient).collect()
}

/// Encrypts the payload to the recipients as an ASCII-armored age file, in memory.
pub fn seal(payload: &BundlePayload, recipients: &BundleRecipients) -> Result<Vec<u8>, BundleError> {
    let plaintext = Zeroizing::new(serde_json::to_vec_pretty(payload).expect("the payload serialises"));
    let encryptor = match recipients {
        BundleRecipients::Keys(keys) if keys.is_empty() => return Err(BundleError::NoRecipient),
        BundleRecipients::Keys(keys) => {
            age::Encryptor::with_recipients(keys.iter().map(|key| key as &dyn age::Recipient))
                .map_err(|_| BundleError::NoRecipient)?
        }
        BundleRecipients::Passphrase(passphrase) => {
            // A fixed work factor (rather than age's timing-based default) keeps every bundle
            // openable under the cap that `decrypt` enforces, however fast this machine is.
            let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
            recipient.set_work_factor(SEAL_SCRYPT_WORK_FACTOR);
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|_| BundleError::NoRecipient)?
        }
    };
    let write_failed =
        |error: std::io::Error| BundleError::WriteFailed { path: "(memory)".into(), reason: error.to_string() };
    let mut output = Vec::new();
    let armored =
        age::armor::ArmoredWriter::wrap_output(&mut output, age::armor::Format::AsciiArmor).map_err(write_failed)?;
    let mut writer = encryptor.wrap_output(armored).map_err(write_failed)?;
    writer.write_all(&plaintext).map_err(write_failed)?;
    writer.finish().and_then(|armored| armored.finish()).map_err(write_failed)?;
    Ok(output)
}

/// The payload for a saved connection: what the vendor needs and nothing more. Both faces
/// call this, so the CLI's bundle and the app's bundle are the same file.
pub fn payload_for_connection(
    profile: &crate::catalog::vendor_profile::VendorProfile,
    connection: &crate::connections::connection::Connection,
    secret: &crate::connections::secret::ClientSecret,
    created_at: String,
) -> Result<BundlePayload, crate::oidc::issuer::IssuerError> {
    use crate::catalog::redirect_uri::{build_vendor_uris, UriRequest};
    let uris = build_vendor_uris(
        profile,
        UriRequest {
            region: connection.region.as_deref(),
            identity_provider: Some(connection.idp),
            org: connection.org.as_deref().unwrap_or_default(),
        },
    )
    .ok();
    let normalised = crate::oidc::issuer::normalise_issuer(&connection.issuer, Some(connection.idp), None)?;
    Ok(BundlePayload {
        format: BUNDLE_FORMAT.to_owned(),
        vendor: connection.vendor.clone(),
        org: connection.org.clone(),
        region: connection.region.clone(),
        idp: connection.idp.to_string(),
        issuer: connection.issuer.clone(),
        discovery_url: normalised.discovery_url,
        client_id: connection.client_id.clone(),
        client_secret: secret.expose().to_owned(),
        token_endpoint_auth_method: profile
            .oidc
            .token_endpoint_auth_methods
            .first()
            .map(|method| method.as_str().to_owned()),
        scopes: profile.oidc.scopes.clone(),
        redirect_uris: uris.as_ref().map(|uris| vec![uris.redirect_uri.clone()]).unwrap_or_default(),
        sign_out_uris: uris.as_ref().and_then(|uris| uris.sign_out_uri.clone()).into_iter().collect(),
        created_at,
        secret_expires: connection.secret_expires.map(|date| date.to_string()),
        test_report: connection.last_test_report.clone(),
    })
}

/// Seals the payload and writes it atomically with mode 0600.
pub fn export(payload: &BundlePayload, recipients: &BundleRecipients, path: &Path) -> Result<(), BundleError> {
    let sealed = seal(payload, recipients)?;
    write_atomically(path, &sealed, true)
        .map_err(|error| BundleError::WriteFailed { path: path.display().to_string(), reason: error.to_string() })
}

/// Decrypts and authenticates a whole age file (armored or binary), within the size caps.
/// Returns the plaintext only when every byte has been authenticated.
pub fn decrypt(data: &[u8], with: &OpenWith) -> Result<Zeroizing<Vec<u8>>, BundleError> {
    if data.len() as u64 > BUNDLE_FILE_SIZE_LIMIT {
        return Err(BundleError::FileTooLarge { limit: BUNDLE_FILE_SIZE_LIMIT });
    }
    let decryptor = age::Decryptor::new(age::armor::ArmoredReader::new(data)).map_err(classify)?;
    let mut reader = match with {
        OpenWith::IdentityFile(text) => {
            if decryptor.is_scrypt() {
                return Err(BundleError::NoMatchingKey);
            }
            let identities = age::IdentityFile::from_buffer(text.as_bytes())
                .map_err(|error| BundleError::BadIdentityFile(error.to_string()))?
                .into_identities()
                .map_err(|error| BundleError::BadIdentityFile(error.to_string()))?;
            if identities.is_empty() {
                return Err(BundleError::BadIdentityFile("it holds no key".into()));
            }
            decryptor
                .decrypt(identities.iter().map(|identity| identity.as_ref() as &dyn age::Identity))
                .map_err(classify)?
        }
        OpenWith::Passphrase(passphrase) => {
            if !decryptor.is_scrypt() {
                return Err(BundleError::WrongPassphrase);
            }
            let mut identity = age::scrypt::Identity::new(passphrase.clone());
            identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
            // age reports a wrong passphrase as a failed stanza decryption, not as "no
            // matching key"; either way the admin needs to hear "wrong passphrase".
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|error| match error {
                age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => BundleError::WrongPassphrase,
                other => classify(other),
            })?
        }
    };
    let mut plaintext = Zeroizing::new(Vec::new());
    let mut limited = (&mut reader).take(PAYLOAD_SIZE_LIMIT as u64 + 1);
    limited.read_to_end(&mut plaintext).map_err(|error| {
        // The armor is read as the payload streams through it: damaged armor there (a bad
        // line length, a base64 error, garbage after the end marker) is broken armor, said
        // as such, not a payload that failed authentication.
        let broken_armor = error.get_ref().is_some_and(|inner| inner.is::<age::armor::ArmoredReadError>());
        if broken_armor {
            BundleError::NotAnAgeFile(error.to_string())
        } else {
            BundleError::Tampered(error.to_string())
        }
    })?;
    if plaintext.len() > PAYLOAD_SIZE_LIMIT {
        return Err(BundleError::PayloadTooLarge { limit: PAYLOAD_SIZE_LIMIT });
    }
    Ok(plaintext)
}

fn classify(error: age::DecryptError) -> BundleError {
    match error {
        age::DecryptError::NoMatchingKeys => BundleError::NoMatchingKey,
        age::DecryptError::ExcessiveWork { required, .. } => {
            BundleError::ExcessiveWork { required, limit: MAX_SCRYPT_WORK_FACTOR }
        }
        age::DecryptError::InvalidMac | age::DecryptError::DecryptionFailed => BundleError::Tampered(error.to_string()),
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat | age::DecryptError::Io(_) => {
            BundleError::NotAnAgeFile(error.to_string())
        }
        other => BundleError::Tampered(other.to_string()),
    }
}

/// Opens a bundle: authenticates it whole, then reads the payload against the schema.
pub fn open(data: &[u8], with: &OpenWith) -> Result<BundlePayload, BundleError> {
    let plaintext = decrypt(data, with)?;
    let payload: BundlePayload =
        serde_json::from_slice(&plaintext).map_err(|error| BundleError::NotABundle(error.to_string()))?;
    if payload.format != BUNDLE_FORMAT {
        return Err(BundleError::NotABundle(format!("its format is '{}', not {BUNDLE_FORMAT}", payload.format)));
    }
    Ok(payload)
}

/// Reads a bundle file, refusing large files unread.
pub fn read_bundle_file(path: &Path) -> Result<Vec<u8>, BundleError> {
    let unreadable =
        |error: std::io::Error| BundleError::Unreadable { path: path.display().to_string(), reason: error.to_string() };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > BUNDLE_FILE_SIZE_LIMIT {
        return Err(BundleError::FileTooLarge { limit: BUNDLE_FILE_SIZE_LIMIT });
    }
    std::fs::read(path).map_err(unreadable)
}

/// The largest identity file read: a few keys and comments.
pub const IDENTITY_FILE_SIZE_LIMIT: u64 = 64 * 1024;

/// Reads an identity file (a private key) into zeroizing memory, sized from the file's
/// length up front: a growing `String` would leave unwiped copies of the key behind.
pub fn read_identity_file(path: &Path) -> Result<Zeroizing<String>, BundleError> {
    let unreadable = |error: std::io::Error| BundleError::BadIdentityFile(format!("{}: {error}", path.display()));
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > IDENTITY_FILE_SIZE_LIMIT {
        return Err(BundleError::BadIdentityFile(format!("{} is far larger than an identity file", path.display())));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(size as usize + 1));
    (&mut file).take(IDENTITY_FILE_SIZE_LIMIT).read_to_end(&mut bytes).map_err(unreadable)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| BundleError::BadIdentityFile(format!("{} is not text", path.display())))?;
    let mut owned = Zeroizing::new(String::with_capacity(text.len()));
    owned.push_str(text);
    Ok(owned)
}

/// A new vendor key pair: the identity file text (secret) and the public recipient.
pub fn generate_identity(created_at: &str) -> (Zeroizing<String>, String) {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    // The key goes from age's own zeroizing string straight into ours: no plain copy.
    let secret = identity.to_string();
    let secret = secrecy::ExposeSecret::expose_secret(&secret);
    let header = format!("# created: {created_at}\n# public key: {recipient}\n");
    let mut text = Zeroizing::new(String::with_capacity(header.len() + secret.len() + 1));
    text.push_str(&header);
    text.push_str(secret);
    text.push('\n');
    (text, recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> BundlePayload {
        BundlePayload {
            format: BUNDLE_FORMAT.into(),
            vendor: "pelanor".into(),
            org: Some("acme".into()),
            region: Some("eu".into()),
            idp: "okta".into(),
            issuer: "https://acme.okta.com".into(),
            discovery_url: "https://acme.okta.com/.well-known/openid-configuration".into(),
            client_id: "0oa123".into(),
            client_secret: "very-secret".into(),
            token_endpoint_auth_method: Some("client_secret_basic".into()),
            scopes: vec!["openid".into()],
            redirect_uris: vec!["https://app-eu.pelanor.io/api/auth/callback/okta-acme".into()],
            sign_out_uris: vec![],
            created_at: "2026-11-23T00:00:00Z".into(),
            secret_expires: None,
            test_report: None,
        }
    }

    #[test]
    fn seal_and_open_round_trip_and_differ_each_time() {
        let (identity_text, recipient) = generate_identity("2026-11-23");
        let recipients = BundleRecipients::Keys(vec![parse_recipient(&recipient).unwrap()]);
        let first = seal(&payload(), &recipients).unwrap();
        let second = seal(&payload(), &recipients).unwrap();
        assert_ne!(first, second, "a fresh file key per export");
        assert!(String::from_utf8_lossy(&first).starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(!String::from_utf8_lossy(&first).contains("very-secret"));
        let opened = open(&first, &OpenWith::IdentityFile(identity_text)).unwrap();
        assert_eq!(opened.client_secret, "very-secret");
        assert!(!format!("{opened:?}").contains("very-secret"));
    }

    #[test]
    fn any_changed_byte_is_refused() {
        let (identity_text, recipient) = generate_identity("2026-11-23");
        let sealed = seal(&payload(), &BundleRecipients::Keys(vec![parse_recipient(&recipient).unwrap()])).unwrap();
        let text = String::from_utf8(sealed).unwrap();
        // Change one base64 character in the middle of the body.
        let lines: Vec<&str> = text.lines().collect();
        let middle = lines.len() / 2;
        let mut changed_line: Vec<char> = lines[middle].chars().collect();
        changed_line[3] = if changed_line[3] == 'A' { 'B' } else { 'A' };
        let mut changed = lines.clone();
        let changed_text: String = changed_line.into_iter().collect();
        changed[middle] = &changed_text;
        let tampered = changed.join("\n") + "\n";
        let error = open(tampered.as_bytes(), &OpenWith::IdentityFile(identity_text)).unwrap_err();
        assert!(matches!(error, BundleError::Tampered(_) | BundleError::NotAnAgeFile(_)), "{error:?}");
    }

    #[test]
    fn the_passphrase_rule_is_the_bundle_s_own() {
        let secret = |text: &str| SecretString::from(text.to_owned());
        for short in ["", "           ", "eleven-char", "            \n"] {
            let error = BundleRecipients::passphrase(secret(short), None).err().unwrap();
            assert_eq!(error.code(), "bundle-short-passphrase", "{short:?}");
        }
        // Characters, not bytes: twelve letters of another script are enough.
        assert!(BundleRecipients::passphrase(secret("ёёёёёёёёёёёё"), None).is_ok());
        assert!(BundleRecipients::passphrase(secret("ёёёёёёёёёёё"), None).is_err());
        let error =
            BundleRecipients::passphrase(secret("correct horse battery"), Some(&secret("correct horse batterY")))
                .err()
                .unwrap();
        assert_eq!(error.code(), "bundle-passphrase-mismatch");
        assert!(BundleRecipients::passphrase(secret("correct horse battery"), Some(&secret("correct horse battery")))
            .is_ok());
    }

    #[test]
    fn a_truncated_bundle_is_refused() {
        let (identity_text, recipient) = generate_identity("2026-11-23");
        let sealed = seal(&payload(), &BundleRecipients::Keys(vec![parse_recipient(&recipient).unwrap()])).unwrap();
        let text = String::from_utf8(sealed).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let cut = lines[..lines.len() - 3].join("\n") + "\n-----END AGE ENCRYPTED FILE-----\n";
        assert!(open(cut.as_bytes(), &OpenWith::IdentityFile(identity_text)).is_err());
    }
}
