//! Where client secrets live: the operating system's keychain, and nowhere else.
//!
//! [`SecretStore`] is the seam: [`OsKeychain`] talks to the Secret Service on Linux, the
//! Keychain on macOS and the Credential Manager on Windows (through the `keyring` crate, with
//! each platform's backend enabled in Cargo.toml so the mock store is never used by
//! accident); [`InMemorySecretStore`] serves unit tests. Entries are service `sso-setup`,
//! account `<connection name>`, so `secret-tool lookup service sso-setup username <name>`
//! finds them.
//!
//! # Security
//! There is no fallback: when no keychain is reachable the operation fails with the cause and
//! the fix. A secret is never written to a file, an argument or a log.

use crate::connections::secret::ClientSecret;
use crate::error::UserFacingError;
use std::collections::HashMap;
use std::sync::Mutex;

pub const KEYCHAIN_SERVICE: &str = "sso-setup";

/// The Windows Credential Manager's limit for a credential, in UTF-16 code units.
pub const WINDOWS_SECRET_LIMIT_UTF16: usize = 1280;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    #[error("no keychain is reachable: {detail}")]
    Unavailable { detail: String },
    #[error("the keychain is locked, or access to it was refused")]
    Locked,
    #[error("the secret is too long for this keychain ({length} characters)")]
    TooLong { length: usize },
    #[error("the keychain failed: {detail}")]
    Failed { detail: String },
}

impl UserFacingError for KeychainError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            KeychainError::Unavailable { .. } => crate::error::ErrorCode::KeychainUnavailable,
            KeychainError::Locked => crate::error::ErrorCode::KeychainLocked,
            KeychainError::TooLong { .. } => crate::error::ErrorCode::KeychainSecretTooLong,
            KeychainError::Failed { .. } => crate::error::ErrorCode::KeychainFailed,
        }
    }

    /// A keychain that is locked, missing or failing is the computer's state, not a rule the
    /// input broke (the command line exits 1).
    fn failure_kind(&self) -> crate::error::FailureKind {
        crate::error::FailureKind::CheckFailed
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            KeychainError::Unavailable { .. } if cfg!(target_os = "linux") => "start a desktop session with a Secret Service (GNOME Keyring or KWallet); sso-setup never stores the secret in a file instead".into(),
            KeychainError::Unavailable { .. } => "sign in to a desktop session so the system keychain is available; sso-setup never stores the secret in a file instead".into(),
            KeychainError::Locked => "unlock the keychain (for GNOME Keyring: open Passwords and Keys, or sign in again) and run the command again".into(),
            KeychainError::TooLong { .. } => "this is not a client secret an IdP issues; check what was pasted".into(),
            KeychainError::Failed { .. } => "run the command again; if it keeps failing, check the keychain with your system's tool (secret-tool, Keychain Access, Credential Manager)".into(),
        })
    }
}

/// Stores and reads client secrets by connection name. `Send + Sync`: the desktop shell
/// holds one for its lifetime and lends it to journeys running on any thread.
pub trait SecretStore: Send + Sync {
    fn put(&self, account: &str, secret: &ClientSecret) -> Result<(), KeychainError>;
    fn get(&self, account: &str) -> Result<Option<ClientSecret>, KeychainError>;
    /// Returns whether there was an entry.
    fn delete(&self, account: &str) -> Result<bool, KeychainError>;
}

/// Windows' Credential Manager limit (catalogue #61), checked before anything is stored, so
/// a too-long secret fails with a clear error and leaves no entry, on every platform's tests.
pub fn fits_the_windows_credential_manager(secret: &ClientSecret) -> Result<(), KeychainError> {
    match secret.utf16_length() {
        length if length > WINDOWS_SECRET_LIMIT_UTF16 => Err(KeychainError::TooLong { length }),
        _ => Ok(()),
    }
}

/// The operating system's keychain.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeychain;

/// What the keychain's error means for the admin, by its type: on Linux the Secret Service
/// error inside keyring's, elsewhere keyring's own kind.
fn describe(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            describe_platform_error(inner.as_ref())
        }
        keyring::Error::TooLong(_, limit) => KeychainError::TooLong { length: limit as usize },
        other => KeychainError::Failed { detail: crate::oidc::http_fetch::cut(&other.to_string(), 200) },
    }
}

#[cfg(target_os = "linux")]
fn describe_platform_error(inner: &(dyn std::error::Error + Send + Sync + 'static)) -> KeychainError {
    use dbus_secret_service::Error as SecretServiceError;
    let detail = || crate::oidc::http_fetch::cut(&inner.to_string(), 200);
    match inner.downcast_ref::<SecretServiceError>() {
        // A locked collection, a dismissed unlock prompt, or nothing readable in it: the
        // admin unlocks the keyring and runs the command again.
        Some(SecretServiceError::Locked | SecretServiceError::Prompt | SecretServiceError::NoResult) => {
            KeychainError::Locked
        }
        // The Secret Service answers a write to a locked collection with its own D-Bus error
        // name (Secret Service API, "Errors": org.freedesktop.Secret.Error.IsLocked).
        Some(SecretServiceError::Dbus(error)) if error.name() == Some("org.freedesktop.Secret.Error.IsLocked") => {
            KeychainError::Locked
        }
        // No session bus, no Secret Service on it, or the call failed on the bus.
        Some(SecretServiceError::Unavailable | SecretServiceError::Dbus(_)) => {
            KeychainError::Unavailable { detail: detail() }
        }
        _ => KeychainError::Failed { detail: detail() },
    }
}

#[cfg(not(target_os = "linux"))]
fn describe_platform_error(inner: &(dyn std::error::Error + Send + Sync + 'static)) -> KeychainError {
    KeychainError::Unavailable { detail: crate::oidc::http_fetch::cut(&inner.to_string(), 200) }
}

impl SecretStore for OsKeychain {
    fn put(&self, account: &str, secret: &ClientSecret) -> Result<(), KeychainError> {
        if cfg!(target_os = "windows") {
            fits_the_windows_credential_manager(secret)?;
        }
        let entry = keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(describe)?;
        entry.set_password(secret.expose()).map_err(describe)
    }

    fn get(&self, account: &str) -> Result<Option<ClientSecret>, KeychainError> {
        let entry = keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(describe)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(ClientSecret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(describe(error)),
        }
    }

    fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        let entry = keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(describe)?;
        match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(error) => Err(describe(error)),
        }
    }
}

/// A store in memory, for unit tests of code that takes a [`SecretStore`].
#[derive(Default)]
pub struct InMemorySecretStore {
    entries: Mutex<HashMap<String, zeroize::Zeroizing<String>>>,
    /// When set, every call fails with this error (to test failure paths).
    pub failure: Option<KeychainError>,
}

impl InMemorySecretStore {
    /// A store on which every call fails with `error`.
    pub fn failing(error: KeychainError) -> InMemorySecretStore {
        InMemorySecretStore { entries: Mutex::default(), failure: Some(error) }
    }
}

impl SecretStore for InMemorySecretStore {
    fn put(&self, account: &str, secret: &ClientSecret) -> Result<(), KeychainError> {
        if let Some(error) = &self.failure {
            return Err(error.clone());
        }
        self.entries.lock().unwrap().insert(account.to_owned(), zeroize::Zeroizing::new(secret.expose().to_owned()));
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<ClientSecret>, KeychainError> {
        if let Some(error) = &self.failure {
            return Err(error.clone());
        }
        Ok(self.entries.lock().unwrap().get(account).map(|value| ClientSecret::new(value.to_string())))
    }

    fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        if let Some(error) = &self.failure {
            return Err(error.clone());
        }
        Ok(self.entries.lock().unwrap().remove(account).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Catalogue #61, the length rule (the Windows store itself cannot be reached from here):
    /// counted in UTF-16 code units, as Windows counts, so a secret of characters outside the
    /// Basic Multilingual Plane uses two units each.
    #[test]
    fn the_windows_limit_counts_utf16_units() {
        let at_limit = ClientSecret::new("a".repeat(WINDOWS_SECRET_LIMIT_UTF16));
        assert_eq!(fits_the_windows_credential_manager(&at_limit), Ok(()));
        let over = ClientSecret::new("a".repeat(WINDOWS_SECRET_LIMIT_UTF16 + 1));
        assert_eq!(
            fits_the_windows_credential_manager(&over),
            Err(KeychainError::TooLong { length: WINDOWS_SECRET_LIMIT_UTF16 + 1 })
        );
        // 641 emoji are 641 characters but 1282 UTF-16 units.
        let wide = ClientSecret::new("🙂".repeat(WINDOWS_SECRET_LIMIT_UTF16 / 2 + 1));
        assert!(fits_the_windows_credential_manager(&wide).is_err());
        assert_eq!(KeychainError::TooLong { length: 1 }.code(), "keychain-secret-too-long");
    }
}
