//! Exporting the bundle for the vendor: the connection and its client secret, encrypted
//! with age to the vendor's public key or to a passphrase agreed with them.

use super::{boxed, JourneyError, SideEffects};
use crate::catalog::Catalog;
use crate::connections::bundle::{self, BundleError, BundlePayload, BundleRecipients};
use secrecy::SecretString;
use std::path::Path;

/// How the vendor will open the bundle, as the admin gave it.
pub enum RecipientsInput<'a> {
    /// `age1...` keys, one per entry, and the texts of recipients files (one key per line,
    /// `#` comments).
    Keys { keys: &'a [String], files: &'a [String] },
    /// A passphrase, and the same typed again where the face asked twice.
    Passphrase { passphrase: SecretString, confirmation: Option<SecretString> },
    /// A passphrase to be asked for (with its confirmation, where the face asks twice) once
    /// the connection is known to exist.
    AskPassphrase(Box<dyn FnOnce() -> Result<(SecretString, Option<SecretString>), JourneyError> + 'a>),
}

/// Reads the recipients with the rules both faces share (`bundle`).
pub fn recipients(input: RecipientsInput<'_>) -> Result<BundleRecipients, JourneyError> {
    match input {
        RecipientsInput::Passphrase { passphrase, confirmation } => {
            BundleRecipients::passphrase(passphrase, confirmation.as_ref()).map_err(boxed)
        }
        RecipientsInput::AskPassphrase(ask) => {
            let (passphrase, confirmation) = ask()?;
            BundleRecipients::passphrase(passphrase, confirmation.as_ref()).map_err(boxed)
        }
        RecipientsInput::Keys { keys, files } => {
            let mut parsed = Vec::new();
            for key in keys.iter().filter(|key| !key.trim().is_empty()) {
                parsed.push(bundle::parse_recipient(key).map_err(boxed)?);
            }
            for file in files {
                parsed.extend(bundle::parse_recipients_file(file).map_err(boxed)?);
            }
            if parsed.is_empty() {
                return Err(boxed(BundleError::NoRecipient));
            }
            Ok(BundleRecipients::Keys(parsed))
        }
    }
}

/// A bundle ready to be written: the secret has been read from the store and the payload
/// built, so the face can ask where to save it (the app's save dialog) knowing nothing can
/// fail but the write.
pub struct PreparedBundle {
    payload: BundlePayload,
    recipients: BundleRecipients,
    pub vendor_name: String,
    pub connection_name: String,
}

impl PreparedBundle {
    /// The file name to suggest: `<connection>-sso.age`.
    pub fn suggested_file_name(&self) -> String {
        format!("{}-sso.age", self.connection_name)
    }

    /// Encrypts and writes the bundle atomically; an existing file is replaced only whole.
    pub fn write_to(&self, path: &Path) -> Result<(), JourneyError> {
        bundle::export(&self.payload, &self.recipients, path).map_err(boxed)
    }
}

/// Everything but the write: the connection, the recipients, its stored secret, the
/// vendor's URIs (checked in that order: an unknown connection is named before a bad key).
pub fn prepare_bundle(
    catalog: &Catalog,
    effects: &SideEffects,
    connection_name: &str,
    recipients_input: RecipientsInput<'_>,
) -> Result<PreparedBundle, JourneyError> {
    let connection = effects.connections.load(connection_name).map_err(boxed)?;
    let recipients = recipients(recipients_input)?;
    let secret = connection.stored_secret(effects.secrets.as_ref()).map_err(boxed)?;
    let profile = &catalog.vendor(&connection.vendor).map_err(boxed)?.profile;
    let payload =
        bundle::payload_for_connection(profile, &connection, &secret, effects.clock.now_rfc3339()).map_err(boxed)?;
    Ok(PreparedBundle { payload, recipients, vendor_name: profile.name.clone(), connection_name: connection.name })
}
