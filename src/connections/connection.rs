//! Saved connections: one vendor + IdP setup, kept so an admin can come back to it, test it
//! again, export it, and see when its secret expires.
//!
//! The non-secret fields are a JSON file per connection in the platform config folder
//! (`$XDG_CONFIG_HOME/sso-setup/connections/<name>.json`), written atomically, with a schema
//! version; a corrupt file or one from a newer version is reported, never overwritten. The
//! secret goes to the [`SecretStore`] only, under the connection's name.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::redirect_uri::{build_vendor_uris, resolve_region, RedirectUriError, UriRequest};
use crate::catalog::Catalog;
use crate::connections::keychain::{KeychainError, SecretStore};
use crate::connections::secret::ClientSecret;
use crate::error::UserFacingError;
use crate::oidc::issuer::normalise_issuer;
use crate::platform::atomic_file::write_atomically;
use crate::platform::calendar_date::CalendarDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// 2 added `secret_for`. A version-1 file is read as bound to its own issuer and client ID:
/// that is where its secret was saved for, and where every earlier version sent it.
/// 3 added `management` (an app that `provision` created and keeps).
pub const CONNECTION_SCHEMA_VERSION: u32 = 3;

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
    /// Where the keychain secret may be sent: the issuer and client ID it was saved with.
    /// Set by [`ConnectionFolder::save`] only; `None` when no secret was saved with these
    /// values, and then the keychain entry (if any) is never used.
    #[serde(default)]
    pub secret_for: Option<SecretBinding>,
    /// Set when `provision` created the app at the IdP and keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management: Option<Management>,
    /// The last results of `check`, oldest first, at most [`CHECK_HISTORY_LENGTH`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_history: Vec<CheckRecord>,
}

/// How many results of `check` a connection keeps: about a month of daily checks.
pub const CHECK_HISTORY_LENGTH: usize = 31;

/// One result of `check`: when, whether it passed, and which checks failed or warned (their
/// IDs; the details are in the report of that run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRecord {
    /// RFC 3339 UTC.
    pub at: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warned: Vec<String>,
}

/// How a provisioned app is reached at the IdP. Its credential (an RFC 7592 registration
/// access token) is in the keychain, never here (`provisioning::management_account`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Management {
    pub api: ManagementApi,
    /// The client configuration endpoint (RFC 7592 §1).
    pub registration_client_uri: String,
    /// The URIs the vendor sent, for a vendor that supplies its own (kept for drift checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given_redirect_uris: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given_sign_out_uris: Vec<String>,
    /// When the app was created, RFC 3339 UTC.
    pub created: String,
    /// Entra: the object ID of the app's service principal (its Enterprise application),
    /// where "assignment required" and the sign-on URL live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_id: Option<String>,
    /// The IdP's ID of the client secret in use (Graph's `keyId`, Okta's secret `id`), so a
    /// rotation can remove the old one; none where the IdP has one secret per client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_id: Option<String>,
    /// During a rotation: the ID of the old secret, still valid at the IdP until the rotation
    /// is finished (the vendor may still use it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagementApi {
    /// OpenID Connect Dynamic Client Registration 1.0 / RFC 7591, managed with RFC 7592.
    Rfc7592,
    /// Entra ID's apps through Microsoft Graph v1.0; the admin's Graph token is never kept.
    MicrosoftGraph,
    /// Okta's apps through its Management API; the admin's token is never kept.
    OktaApps,
}

/// The issuer and client ID a stored client secret belongs to. A secret is sent only to the
/// token endpoint of the issuer it was saved for (catalogue #68): changing either value in a
/// saved connection needs the secret again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretBinding {
    pub issuer: String,
    pub client_id: String,
}

impl SecretBinding {
    fn of(connection: &Connection) -> SecretBinding {
        SecretBinding { issuer: connection.issuer.clone(), client_id: connection.client_id.clone() }
    }

    /// What differs between this binding and `issuer`/`client_id`, in words ("issuer",
    /// "client ID", "issuer and client ID"); `None` when both are the same.
    fn differences(&self, issuer: &str, client_id: &str) -> Option<&'static str> {
        match (self.issuer != issuer, self.client_id != client_id) {
            (false, false) => None,
            (true, false) => Some("issuer"),
            (false, true) => Some("client ID"),
            (true, true) => Some("issuer and client ID"),
        }
    }
}

/// How near the secret's expiry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SecretExpiry {
    Unknown,
    Expired {
        #[ts(type = "number")]
        days_ago: i64,
    },
    ExpiresSoon {
        #[ts(type = "number")]
        days_left: i64,
    },
    Valid {
        #[ts(type = "number")]
        days_left: i64,
    },
}

impl Connection {
    /// Refuses to use the stored secret anywhere but where it was saved for: the test flow
    /// with another issuer or client ID than the saved ones would hand it to that provider.
    pub fn check_secret_destination(&self, issuer: &str, client_id: &str) -> Result<(), ConnectionError> {
        match &self.secret_for {
            None => Err(ConnectionError::NoSecret { name: self.name.clone() }),
            Some(binding) => match binding.differences(issuer, client_id) {
                None => Ok(()),
                Some(changed) => Err(ConnectionError::SecretBoundElsewhere { name: self.name.clone(), changed }),
            },
        }
    }

    /// The client secret saved with this connection, from the store, after checking that it
    /// belongs to this connection's issuer and client ID.
    pub fn stored_secret(&self, store: &dyn SecretStore) -> Result<ClientSecret, ConnectionError> {
        self.check_secret_destination(&self.issuer, &self.client_id)?;
        store.get(&self.name)?.ok_or_else(|| ConnectionError::NoSecret { name: self.name.clone() })
    }

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
    #[error("'{0}' is not a date in the form YYYY-MM-DD")]
    BadDate(String),
    #[error("the client ID is empty")]
    EmptyClientId,
    #[error("the connection '{name}' has a new {changed}; its stored client secret is not sent there")]
    SecretNeededAgain { name: String, changed: &'static str },
    #[error("the client secret stored for '{name}' was saved for another {changed}")]
    SecretBoundElsewhere { name: String, changed: &'static str },
    #[error("the connection '{name}' has no client secret saved with it")]
    NoSecret { name: String },
    #[error(
        "the connection '{name}' was created at the IdP by provision; its {changed} is the app's and cannot change"
    )]
    ProvisionedValuesChanged { name: String, changed: &'static str },
}

impl UserFacingError for ConnectionError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            ConnectionError::BadName { .. } => crate::error::ErrorCode::ConnectionBadName,
            ConnectionError::NotFound { .. } => crate::error::ErrorCode::ConnectionNotFound,
            ConnectionError::Corrupt { .. } => crate::error::ErrorCode::ConnectionCorrupt,
            ConnectionError::NewerVersion { .. } => crate::error::ErrorCode::ConnectionNewerVersion,
            ConnectionError::WriteFailed { .. } => crate::error::ErrorCode::ConnectionWriteFailed,
            ConnectionError::Unreadable { .. } => crate::error::ErrorCode::ConnectionUnreadable,
            ConnectionError::Keychain(inner) => inner.code(),
            ConnectionError::EmptySecret => crate::error::ErrorCode::ConnectionEmptySecret,
            ConnectionError::EmptyClientId => crate::error::ErrorCode::ConnectionEmptyClientId,
            ConnectionError::BadDate(_) => crate::error::ErrorCode::BadDate,
            ConnectionError::SecretNeededAgain { .. } => crate::error::ErrorCode::ConnectionSecretNeededAgain,
            ConnectionError::ProvisionedValuesChanged { .. } => {
                crate::error::ErrorCode::ConnectionProvisionedValuesChanged
            }
            ConnectionError::SecretBoundElsewhere { .. } => crate::error::ErrorCode::ConnectionSecretBoundElsewhere,
            ConnectionError::NoSecret { .. } => crate::error::ErrorCode::ConnectionNoSecret,
        }
    }

    fn failure_kind(&self) -> crate::error::FailureKind {
        match self {
            ConnectionError::Keychain(inner) => inner.failure_kind(),
            _ => crate::error::FailureKind::BadInput,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ConnectionError::BadName { .. } => "for example: pelanor-okta".into(),
            ConnectionError::NotFound { .. } => "check the name against the saved connections".into(),
            ConnectionError::Corrupt { path, .. } => {
                format!("sso-setup left {path} as it is; fix it by hand, or delete it and save the connection again")
            }
            ConnectionError::NewerVersion { .. } => "use the newer sso-setup that wrote it; this version leaves it untouched".into(),
            ConnectionError::WriteFailed { .. } => "check free space and permissions of the config folder; nothing was saved".into(),
            ConnectionError::Unreadable { .. } => "check the permissions of the config folder".into(),
            ConnectionError::Keychain(inner) => return inner.hint(),
            ConnectionError::EmptyClientId => "copy the Client ID (Application ID in Entra ID) from the IdP app's overview page".into(),
            ConnectionError::BadDate(_) => "use the expiry date of the client secret at the IdP (for example 2027-05-31), or leave it out".into(),
            ConnectionError::EmptySecret => "give the client secret's value from the IdP app (in Entra ID: the Value column, not the Secret ID)".into(),
            ConnectionError::ProvisionedValuesChanged { .. } => "keep the issuer and client ID as they are, or remove the app (deprovision) and create a new one; nothing was changed".into(),
            ConnectionError::SecretNeededAgain { .. } => "give the client secret again with the new values: a stored secret is only ever sent to the issuer and client ID it was saved with, so a changed connection cannot hand it to another provider; nothing was changed".into(),
            ConnectionError::SecretBoundElsewhere { .. } => "use the connection as saved, or save it again with the client secret for the new values".into(),
            ConnectionError::NoSecret { name } => format!("save the connection '{name}' again with its client secret (it comes from the IdP app)"),
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
            shown: crate::catalog::org_value::escape_for_message(name).trim_matches('\'').to_owned(),
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
    /// When the client secret expires, `YYYY-MM-DD` as typed; blank means not known.
    pub secret_expires: Option<&'a str>,
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
    let secret_expires = match draft.secret_expires.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(CalendarDate::parse(text).ok_or_else(|| boxed(ConnectionError::BadDate(text.to_owned())))?),
    };
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
        secret_expires,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management: None,
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

    /// Saves the connection and its secret, and returns what was saved.
    ///
    /// With a secret, the secret goes to the keychain first; if that fails, nothing is
    /// written. If the file then cannot be written, the new keychain entry is removed again,
    /// so a failed save leaves nothing behind.
    ///
    /// Without a secret, the stored one stays bound to the issuer and client ID it was saved
    /// with: a save that changes either is refused before anything is touched, because the
    /// next sign-in test would send the old secret to the new provider.
    pub fn save(
        &self,
        connection: &Connection,
        secret: Option<&ClientSecret>,
        store: &dyn SecretStore,
    ) -> Result<Connection, ConnectionError> {
        check_connection_name(&connection.name)?;
        let path = self.path_of(&connection.name);
        // A damaged or newer file under this name is not silently replaced.
        let existing = if path.exists() { Some(self.load(&connection.name)?) } else { None };
        let mut saved = connection.clone();
        saved.schema_version = CONNECTION_SCHEMA_VERSION;
        // Saving a provisioned connection again (the app's Credentials step) keeps how its app
        // is managed; the issuer and client ID are the app's, so they cannot change under it.
        if let Some(management) = existing.as_ref().and_then(|existing| existing.management.as_ref()) {
            let existing = existing.as_ref().expect("management comes from it");
            if let Some(changed) = SecretBinding::of(existing).differences(&connection.issuer, &connection.client_id) {
                return Err(ConnectionError::ProvisionedValuesChanged { name: connection.name.clone(), changed });
            }
            if saved.management.is_none() {
                saved.management = Some(management.clone());
            }
        }
        saved.secret_for = match (secret, existing.as_ref().and_then(|existing| existing.secret_for.as_ref())) {
            (Some(_), _) => Some(SecretBinding::of(connection)),
            (None, None) => None,
            (None, Some(binding)) => match binding.differences(&connection.issuer, &connection.client_id) {
                None => Some(binding.clone()),
                Some(changed) => {
                    return Err(ConnectionError::SecretNeededAgain { name: connection.name.clone(), changed })
                }
            },
        };
        let text = serde_json::to_vec_pretty(&saved).expect("a connection serialises");
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
        Ok(saved)
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
        let mut connection: Connection = serde_json::from_value(value)
            .map_err(|error| ConnectionError::Corrupt { path: shown, reason: error.to_string() })?;
        if version < 2 && connection.secret_for.is_none() {
            connection.secret_for = Some(SecretBinding::of(&connection));
        }
        Ok(connection)
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

    /// Adds a result of `check` to the connection's history, dropping the oldest beyond
    /// [`CHECK_HISTORY_LENGTH`]; the rest of the file is kept as it was.
    pub fn record_check(&self, name: &str, record: CheckRecord) -> Result<Connection, ConnectionError> {
        self.update_in_place(name, |connection| {
            connection.check_history.push(record);
            let excess = connection.check_history.len().saturating_sub(CHECK_HISTORY_LENGTH);
            connection.check_history.drain(..excess);
        })
    }

    /// Stores the last flow-test report with the connection (it goes into the vendor's
    /// bundle and the home screen shows it). The rest of the file is kept as it was.
    pub fn record_test_report(&self, name: &str, report: serde_json::Value) -> Result<Connection, ConnectionError> {
        self.update_in_place(name, |connection| connection.last_test_report = Some(report))
    }

    /// Loads, changes and writes back one connection (atomically), keeping everything the
    /// change does not touch, its secret's binding included.
    fn update_in_place(&self, name: &str, change: impl FnOnce(&mut Connection)) -> Result<Connection, ConnectionError> {
        let mut connection = self.load(name)?;
        change(&mut connection);
        // A version-1 file read here gained its binding on load; it is written as what it now is.
        connection.schema_version = CONNECTION_SCHEMA_VERSION;
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
        // The admin token first: if the keychain refuses, the connection stays whole, and a
        // later connection of this name can never find a token kept for this one.
        let had_admin_token = store.delete(&crate::provisioning::admin_account(name))?;
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
        let had_management = store.delete(&crate::provisioning::management_account(name))?;
        Ok(had_file || had_secret || had_management || had_admin_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::keychain::InMemorySecretStore;

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
            check_history: Vec::new(),
            secret_for: None,
            management: None,
        }
    }

    /// Deleting a connection leaves nothing of it in the keychain: the client secret, the
    /// management token and a kept admin token all go.
    #[test]
    fn delete_removes_every_keychain_entry_of_the_connection() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::default();
        connections.save(&connection("acme-okta"), Some(&ClientSecret::new("the-secret".into())), &store).unwrap();
        for account in
            [crate::provisioning::management_account("acme-okta"), crate::provisioning::admin_account("acme-okta")]
        {
            store.put(&account, &ClientSecret::new(format!("value of {account}"))).unwrap();
        }
        store.put("acme-okta-other", &ClientSecret::new("another connection's".into())).unwrap();
        assert!(connections.delete("acme-okta", &store).unwrap());
        for account in ["acme-okta", "acme-okta#management", "acme-okta#admin"] {
            assert!(store.get(account).unwrap().is_none(), "{account} is gone");
        }
        assert!(store.get("acme-okta-other").unwrap().is_some(), "nothing of another connection");
    }

    /// The Credentials step saves a provisioned connection again without knowing how its app
    /// is managed: that is kept, and the app's issuer and client ID cannot change under it.
    #[test]
    fn saving_a_provisioned_connection_again_keeps_its_management_and_its_app() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::default();
        let management = Management {
            api: ManagementApi::Rfc7592,
            registration_client_uri: "https://idp.example/reg/0oa1".into(),
            given_redirect_uris: vec![],
            given_sign_out_uris: vec![],
            created: "2026-12-02T01:00:00Z".into(),
            service_principal_id: None,
            secret_id: None,
            previous_secret_id: None,
        };
        let provisioned = Connection { management: Some(management.clone()), ..connection("acme-okta") };
        connections.save(&provisioned, Some(&ClientSecret::new("the-secret".into())), &store).unwrap();
        let again = Connection { secret_expires: CalendarDate::parse("2027-02-01"), ..connection("acme-okta") };
        let saved = connections.save(&again, None, &store).unwrap();
        assert_eq!(saved.management, Some(management.clone()));
        assert_eq!(connections.load("acme-okta").unwrap().management, Some(management));
        let moved = Connection { client_id: "0oa2".into(), ..connection("acme-okta") };
        let refused = connections.save(&moved, Some(&ClientSecret::new("other".into())), &store).unwrap_err();
        assert_eq!(refused.code(), "connection-provisioned-values-changed");
        assert_eq!(store.get("acme-okta").unwrap().unwrap().expose(), "the-secret", "nothing was changed");
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
        let loaded = connections.load("acme-okta").unwrap();
        assert_eq!(
            loaded.secret_for,
            Some(SecretBinding { issuer: "https://acme.okta.com".into(), client_id: "0oa1".into() })
        );
        assert_eq!(Connection { secret_for: None, ..loaded }, connection("acme-okta"));
    }

    /// Catalogue #68: a save without the secret that changes where the secret goes is
    /// refused, and the stored secret keeps going only where it was saved for.
    #[test]
    fn a_stored_secret_cannot_be_rebound_to_another_issuer_or_client() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::default();
        connections.save(&connection("acme"), Some(&ClientSecret::new("the-secret".into())), &store).unwrap();
        let before = std::fs::read(connections.path_of("acme")).unwrap();
        for (changed, moved) in [
            ("issuer", Connection { issuer: "https://evil.example".into(), ..connection("acme") }),
            ("client ID", Connection { client_id: "0oa-other".into(), ..connection("acme") }),
        ] {
            let error = connections.save(&moved, None, &store).unwrap_err();
            assert_eq!(error.code(), "connection-secret-needed-again", "{changed}");
            assert!(error.to_string().contains(changed), "{error}");
            assert_eq!(std::fs::read(connections.path_of("acme")).unwrap(), before, "nothing changed");
        }
        // Other fields may change without the secret; the binding stays.
        let renamed_region = Connection { secret_expires: None, ..connection("acme") };
        connections.save(&renamed_region, None, &store).unwrap();
        let loaded = connections.load("acme").unwrap();
        assert_eq!(loaded.stored_secret(&store).unwrap().expose(), "the-secret");
        assert_eq!(
            loaded.check_secret_destination("https://evil.example", "0oa1").unwrap_err().code(),
            "connection-secret-bound-elsewhere"
        );
        // With the secret given again, the new values are fine.
        let moved = Connection { issuer: "https://acme.okta.com/oauth2/default".into(), ..connection("acme") };
        connections.save(&moved, Some(&ClientSecret::new("new-secret".into())), &store).unwrap();
        assert_eq!(connections.load("acme").unwrap().stored_secret(&store).unwrap().expose(), "new-secret");
    }

    #[test]
    fn a_stale_keychain_entry_is_never_used_by_a_connection_saved_without_a_secret() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().join("connections"));
        let store = InMemorySecretStore::default();
        store.put("acme", &ClientSecret::new("left-over".into())).unwrap();
        let saved = connections.save(&connection("acme"), None, &store).unwrap();
        assert_eq!(saved.secret_for, None);
        assert_eq!(connections.load("acme").unwrap().stored_secret(&store).unwrap_err().code(), "connection-no-secret");
    }

    #[test]
    fn a_version_1_file_is_bound_to_its_own_issuer_and_client() {
        let folder = tempfile::tempdir().unwrap();
        let connections = ConnectionFolder::new(folder.path().to_owned());
        let mut old = serde_json::to_value(connection("old")).unwrap();
        old["schema_version"] = 1.into();
        old.as_object_mut().unwrap().remove("secret_for");
        std::fs::write(connections.path_of("old"), old.to_string()).unwrap();
        let loaded = connections.load("old").unwrap();
        assert_eq!(loaded.check_secret_destination("https://acme.okta.com", "0oa1"), Ok(()));
        // Rewritten by a test report, it is a version-2 file that a newer reader accepts as is.
        connections.record_test_report("old", serde_json::json!({"ok": true})).unwrap();
        let rewritten: serde_json::Value =
            serde_json::from_slice(&std::fs::read(connections.path_of("old")).unwrap()).unwrap();
        assert_eq!(rewritten["schema_version"], CONNECTION_SCHEMA_VERSION);
        assert_eq!(rewritten["secret_for"]["issuer"], "https://acme.okta.com");
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
