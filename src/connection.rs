//! Saved connections: one vendor + IdP setup, kept so an admin can come back to it, test it
//! again, export it, and see when its secret expires.
//!
//! The non-secret fields are a JSON file per connection in the platform config folder
//! (`$XDG_CONFIG_HOME/sso-setup/connections/<name>.json`), written atomically, with a schema
//! version; a corrupt file or one from a newer version is reported, never overwritten. The
//! secret goes to the [`SecretStore`] only, under the connection's name.

use crate::atomic_file::write_atomically;
use crate::calendar_date::CalendarDate;
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::Catalog;
use crate::error::UserFacingError;
use crate::issuer::normalise_issuer;
use crate::keychain::{KeychainError, SecretStore};
use crate::redirect_uri::{build_vendor_uris, resolve_region, RedirectUriError, UriRequest};
use crate::secret::ClientSecret;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const CONNECTION_SCHEMA_VERSION: u32 = 1;

/// Fewer days than this before the secret expires and every view warns.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// A connection file larger than this is refused unread.
const CONNECTION_FILE_SIZE_LIMIT: u64 = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub schema_version: u32,
    pub name: String,
    pub vendor: String,
    pub idp: IdentityProviderId,
    pub region: Option<String>,
    pub org: Option<String>,
    pub issuer: String,
    pub client_id: String,
    pub secret_expires: Option<CalendarDate>,
    /// The last flow-test report, as JSON, when one was run.
    #[serde(default)]
    pub last_test_report: Option<serde_json::Value>,
}

/// How near the secret's expiry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SecretExpiry {
    Unknown,
    Expired { days_ago: i64 },
    ExpiresSoon { days_left: i64 },
    Valid { days_left: i64 },
}

impl Connection {
    pub fn secret_expiry(&self, today: CalendarDate) -> SecretExpiry {
        match self.secret_expires {
            None => SecretExpiry::Unknown,
            Some(date) => {
                let days_left = today.days_until(date);
                if days_left < 0 {
                    SecretExpiry::Expired { days_ago: -days_left }
                } else if days_left < EXPIRY_WARNING_DAYS {
                    SecretExpiry::ExpiresSoon { days_left }
                } else {
                    SecretExpiry::Valid { days_left }
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectionError {
    #[error("'{shown}' is not a valid connection name: use 1 to 63 lowercase letters, digits and hyphens")]
    BadName { shown: String },
    #[error("there is no connection '{name}'")]
    NotFound { name: String },
    #[error("the connection file {path} is damaged: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("the connection file {path} was written by a newer sso-setup (schema version {found})")]
    NewerVersion { path: String, found: u32 },
    #[error("the connection could not be saved to {path}: {reason}")]
    WriteFailed { path: String, reason: String },
    #[error("the connection folder {path} could not be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("the client secret is empty")]
    EmptySecret,
    #[error("the client ID is empty")]
    EmptyClientId,
}

impl UserFacingError for ConnectionError {
    fn code(&self) -> &'static str {
        match self {
            ConnectionError::BadName { .. } => "connection-bad-name",
            ConnectionError::NotFound { .. } => "connection-not-found",
            ConnectionError::Corrupt { .. } => "connection-corrupt",
            ConnectionError::NewerVersion { .. } => "connection-newer-version",
            ConnectionError::WriteFailed { .. } => "connection-write-failed",
            ConnectionError::Unreadable { .. } => "connection-unreadable",
            ConnectionError::Keychain(inner) => inner.code(),
            ConnectionError::EmptySecret => "connection-empty-secret",
            ConnectionError::EmptyClientId => "connection-empty-client-id",
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ConnectionError::BadName { .. } => "for example: pelanor-okta".into(),
            ConnectionError::NotFound { .. } => "`sso-setup connection list` shows the saved connections".into(),
            ConnectionError::Corrupt { path, .. } => {
                format!("sso-setup left {path} as it is; fix it by hand, or delete it and save the connection again")
            }
            ConnectionError::NewerVersion { .. } => "use the newer sso-setup that wrote it; this version leaves it untouched".into(),
            ConnectionError::WriteFailed { .. } => "check free space and permissions of the config folder; nothing was saved".into(),
            ConnectionError::Unreadable { .. } => "check the permissions of the config folder".into(),
            ConnectionError::Keychain(inner) => return inner.hint(),
            ConnectionError::EmptyClientId => "copy the Client ID (Application ID in Entra ID) from the IdP app's overview page".into(),
            ConnectionError::EmptySecret => "pipe the secret on standard input: `sso-setup connection save ... --client-secret-stdin < secret.txt`, or set SSO_SETUP_CLIENT_SECRET".into(),
        })
    }
}

pub fn check_connection_name(name: &str) -> Result<(), ConnectionError> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(ConnectionError::BadName {
            shown: crate::org_value::escape_for_message(name).trim_matches('\'').to_owned(),
        })
    }
}

/// What an admin typed for a new connection, before it is checked.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionDraft<'a> {
    pub name: &'a str,
    pub vendor: &'a str,
    pub idp: IdentityProviderId,
    pub region: Option<&'a str>,
    pub org: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub secret_expires: Option<CalendarDate>,
}

/// A checked connection, and what was changed on the way (issuer normalisation), in words.
#[derive(Debug, Clone)]
pub struct PreparedConnection {
    pub connection: Connection,
    pub issuer_notes: Vec<String>,
}

/// Any rule a draft can break, each with its own code and hint.
pub type DraftError = Box<dyn UserFacingError + Send + Sync>;

fn boxed<E: UserFacingError + Send + Sync + 'static>(error: E) -> DraftError {
    Box::new(error)
}

/// Checks a draft with the same rules as `redirect-uri` and `discover`, so a saved
/// connection always builds its URIs and names a usable issuer. Both faces call this; a
/// vendor that supplies its URIs itself (Pivott) is still accepted.
pub fn prepare_connection(catalog: &Catalog, draft: ConnectionDraft<'_>) -> Result<PreparedConnection, DraftError> {
    check_connection_name(draft.name).map_err(boxed)?;
    let profile = &catalog.vendor(draft.vendor).map_err(boxed)?.profile;
    match build_vendor_uris(
        profile,
        UriRequest { region: draft.region, identity_provider: Some(draft.idp), org: draft.org },
    ) {
        Ok(_) | Err(RedirectUriError::SuppliedByVendor { .. }) => {}
        Err(error) => return Err(Box::new(error)),
    }
    let client_id = draft.client_id.trim();
    if client_id.is_empty() {
        return Err(Box::new(ConnectionError::EmptyClientId));
    }
    let normalised = normalise_issuer(draft.issuer, Some(draft.idp), None).map_err(boxed)?;
    let connection = Connection {
        schema_version: CONNECTION_SCHEMA_VERSION,
        name: draft.name.to_owned(),
        vendor: profile.id.clone(),
        idp: draft.idp,
        region: Some(resolve_region(profile, draft.region).map_err(boxed)?.id.clone()),
        org: Some(draft.org.to_owned()),
        issuer: normalised.issuer,
        client_id: client_id.to_owned(),
        secret_expires: draft.secret_expires,
        last_test_report: None,
    };
    Ok(PreparedConnection { connection, issuer_notes: normalised.notes })
}

/// The folder of connection files.
#[derive(Debug, Clone)]
pub struct ConnectionFolder {
    folder: PathBuf,
}

impl ConnectionFolder {
    pub fn new(folder: PathBuf) -> ConnectionFolder {
        ConnectionFolder { folder }
    }

    /// `<config folder>/sso-setup/connections`.
    pub fn in_config_folder(config_folder: &Path) -> ConnectionFolder {
        ConnectionFolder::new(config_folder.join("sso-setup").join("connections"))
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.folder.join(format!("{name}.json"))
    }

    /// Saves the connection and its secret. The secret goes to the keychain first; if that
    /// fails, nothing is written. If the file then cannot be written, the new keychain entry
    /// is removed again, so a failed save leaves nothing behind.
    pub fn save(
        &self,
        connection: &Connection,
        secret: Option<&ClientSecret>,
        store: &dyn SecretStore,
    ) -> Result<(), ConnectionError> {
        check_connection_name(&connection.name)?;
        let path = self.path_of(&connection.name);
        // A damaged or newer file under this name is not silently replaced.
        if path.exists() {
            self.load(&connection.name)?;
        }
        let text = serde_json::to_vec_pretty(connection).expect("a connection serialises");
        if let Some(secret) = secret {
            if secret.is_empty() {
                return Err(ConnectionError::EmptySecret);
            }
            store.put(&connection.name, secret)?;
        }
        let write_failed = |reason: String| ConnectionError::WriteFailed { path: path.display().to_string(), reason };
        let written = std::fs::create_dir_all(&self.folder)
            .map_err(|error| write_failed(error.to_string()))
            .and_then(|()| write_atomically(&path, &text, true).map_err(|error| write_failed(error.to_string())));
        if let Err(error) = written {
            if secret.is_some() {
                let _ = store.delete(&connection.name);
            }
            return Err(error);
        }
        Ok(())
    }

    pub fn load(&self, name: &str) -> Result<Connection, ConnectionError> {
        check_connection_name(name)?;
        let path = self.path_of(name);
        let shown = path.display().to_string();
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConnectionError::NotFound { name: name.to_owned() })
            }
            Err(error) => return Err(ConnectionError::Unreadable { path: shown, reason: error.to_string() }),
        };
        if metadata.len() > CONNECTION_FILE_SIZE_LIMIT {
            return Err(ConnectionError::Corrupt {
                path: shown,
                reason: "the file is far larger than a connection".into(),
            });
        }
        let bytes = std::fs::read(&path)
            .map_err(|error| ConnectionError::Unreadable { path: shown.clone(), reason: error.to_string() })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|error| ConnectionError::Corrupt { path: shown.clone(), reason: error.to_string() })?;
        let version = value.get("schema_version").and_then(serde_json::Value::as_u64).unwrap_or(0) as u32;
        if version > CONNECTION_SCHEMA_VERSION {
            return Err(ConnectionError::NewerVersion { path: shown, found: version });
        }
        serde_json::from_value(value)
            .map_err(|error| ConnectionError::Corrupt { path: shown, reason: error.to_string() })
    }

    /// Every connection, by name; damaged files are returned as errors beside the good ones.
    pub fn list(&self) -> Result<Vec<Result<Connection, ConnectionError>>, ConnectionError> {
        let entries = match std::fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(ConnectionError::Unreadable {
                    path: self.folder.display().to_string(),
                    reason: error.to_string(),
                })
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                entry.file_name().to_str().and_then(|name| name.strip_suffix(".json")).map(str::to_owned)
            })
            .filter(|name| check_connection_name(name).is_ok())
            .collect();
        names.sort();
        Ok(names.iter().map(|name| self.load(name)).collect())
    }

    /// Stores the last flow-test report with the connection (it goes into the vendor's
    /// bundle and the home screen shows it). The rest of the file is kept as it was.
    pub fn record_test_report(&self, name: &str, report: serde_json::Value) -> Result<Connection, ConnectionError> {
        let mut connection = self.load(name)?;
        connection.last_test_report = Some(report);
        let text = serde_json::to_vec_pretty(&connection).expect("a connection serialises");
        let path = self.path_of(name);
        write_atomically(&path, &text, true).map_err(|error| ConnectionError::WriteFailed {
            path: path.display().to_string(),
            reason: error.to_string(),
        })?;
        Ok(connection)
    }

    /// Deletes the file and the keychain entry. Returns whether anything existed.
    pub fn delete(&self, name: &str, store: &dyn SecretStore) -> Result<bool, ConnectionError> {
        check_connection_name(name)?;
        let path = self.path_of(name);
        let had_file = match std::fs::remove_file(&path) {
            Ok(()) => true,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
            Err(error) => {
                return Err(ConnectionError::WriteFailed {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                })
            }
        };
        let had_secret = store.delete(name)?;
        Ok(had_file || had_secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::InMemorySecretStore;

    fn connection(name: &str) -> Connection {
        Connection {
            schema_version: CONNECTION_SCHEMA_VERSION,
            name: name.into(),
            vendor: "pelanor".into(),
            idp: IdentityProviderId::Okta,
            region: Some("eu".into()),
            org: Some("acme".into()),
            issuer: "https://acme.okta.com".into(),
            client_id: "0oa1".into(),
            secret_expires: CalendarDate::parse("2027-01-10"),
            last_test_report: None,
        }
    }

    #[test]
    fn save_keeps_the_secret_out_of_the_file() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::default();
        connections.save(&connection("acme-okta"), Some(&ClientSecret::new("the-secret".into())), &store).unwrap();
        let text = std::fs::read_to_string(connections.path_of("acme-okta")).unwrap();
        assert!(!text.contains("the-secret"));
        assert_eq!(store.get("acme-okta").unwrap().unwrap().expose(), "the-secret");
        assert_eq!(connections.load("acme-okta").unwrap(), connection("acme-okta"));
    }

    #[test]
    fn a_keychain_failure_writes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::failing(KeychainError::Locked);
        let error = connections.save(&connection("acme"), Some(&ClientSecret::new("s".into())), &store).unwrap_err();
        assert_eq!(error.code(), "keychain-locked");
        assert!(!connections.path_of("acme").exists());
    }

    #[test]
    fn corrupt_and_newer_files_are_reported_and_kept() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().to_owned());
        std::fs::write(connections.path_of("broken"), "{not json").unwrap();
        std::fs::write(connections.path_of("future"), r#"{"schema_version": 9}"#).unwrap();
        assert_eq!(connections.load("broken").unwrap_err().code(), "connection-corrupt");
        assert_eq!(connections.load("future").unwrap_err().code(), "connection-newer-version");
        let store = InMemorySecretStore::default();
        assert!(connections.save(&connection("broken"), None, &store).is_err(), "a damaged file is not overwritten");
        assert_eq!(std::fs::read_to_string(connections.path_of("broken")).unwrap(), "{not json");
    }

    #[test]
    fn expiry_warns_inside_thirty_days() {
        let today = CalendarDate::parse("2026-12-20").unwrap();
        assert_eq!(connection("a").secret_expiry(today), SecretExpiry::ExpiresSoon { days_left: 21 });
        assert_eq!(
            connection("a").secret_expiry(CalendarDate::parse("2027-01-11").unwrap()),
            SecretExpiry::Expired { days_ago: 1 }
        );
        assert_eq!(
            connection("a").secret_expiry(CalendarDate::parse("2026-11-23").unwrap()),
            SecretExpiry::Valid { days_left: 48 }
        );
    }

    #[test]
    fn names_are_slugs() {
        for bad in ["", "Acme", "../x", "a/b", "a b", "-a"] {
            assert!(check_connection_name(bad).is_err(), "{bad}");
        }
    }
}
