//! Saving a connection: the checked values to the connection file, the client secret to
//! the secret store, and the warnings an admin should see about what they pasted.

use super::{boxed, JourneyError, SideEffects};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::Catalog;
use crate::connections::connection::{prepare_connection, Connection, ConnectionDraft, ConnectionError};
use crate::connections::secret::ClientSecret;
use crate::error::UserFacingError;
use crate::guidance::diagnosis::looks_like_entra_secret_id;
use crate::platform::calendar_date::CalendarDate;

/// What the admin entered.
pub struct SaveConnectionInput<'a> {
    pub name: &'a str,
    pub vendor: &'a str,
    pub identity_provider: IdentityProviderId,
    pub region: Option<&'a str>,
    pub org: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The client secret as given. Empty or absent keeps the secret saved with the
    /// connection; a new connection given an empty one is refused.
    pub client_secret: Option<ClientSecret>,
    /// `YYYY-MM-DD`, as typed; blank means not known.
    pub secret_expires: Option<&'a str>,
}

/// Something about the input that is allowed but probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SaveWarning {
    /// In Entra ID the GUID next to a secret is its Secret ID, not its value.
    EntraSecretIdInsteadOfValue,
}

impl SaveWarning {
    pub fn message(&self) -> &'static str {
        match self {
            SaveWarning::EntraSecretIdInsteadOfValue => {
                "the client secret looks like a GUID, which in Entra ID is the Secret ID, not the secret's Value"
            }
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            SaveWarning::EntraSecretIdInsteadOfValue => {
                "in Certificates & secrets, copy the Value column (shown only once; create a new secret if it is hidden)"
            }
        }
    }
}

/// What was saved.
#[derive(Debug)]
pub struct SavedConnection {
    pub connection: Connection,
    /// How the issuer was normalised, in words (an Okta domain made into its issuer URL...).
    pub issuer_notes: Vec<String>,
    /// Whether a new client secret went to the secret store with this save.
    pub secret_stored: bool,
    pub warnings: Vec<SaveWarning>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveConnectionError {
    #[error("'{0}' is not a date in the form YYYY-MM-DD")]
    BadDate(String),
}

impl UserFacingError for SaveConnectionError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            SaveConnectionError::BadDate(_) => crate::error::ErrorCode::BadDate,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            SaveConnectionError::BadDate(_) => {
                "use the expiry date of the client secret at the IdP (for example 2027-05-31), or leave it out".into()
            }
        })
    }
}

/// Checks the input with the same rules as `redirect-uri` and `discover`, stores the
/// secret, then writes the connection file (a failed write takes the new secret out of the
/// store again: `ConnectionFolder::save`).
pub fn save_connection(
    catalog: &Catalog,
    effects: &SideEffects,
    input: SaveConnectionInput<'_>,
) -> Result<SavedConnection, JourneyError> {
    let secret_expires = match input.secret_expires.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => {
            Some(CalendarDate::parse(text).ok_or_else(|| boxed(SaveConnectionError::BadDate(text.to_owned())))?)
        }
    };
    let prepared = prepare_connection(
        catalog,
        ConnectionDraft {
            name: input.name,
            vendor: input.vendor,
            idp: input.identity_provider,
            region: input.region,
            org: input.org,
            issuer: input.issuer,
            client_id: input.client_id,
            secret_expires,
        },
    )?;
    let exists = effects.connections.path_of(&prepared.connection.name).exists();
    let secret = match input.client_secret {
        Some(secret) if secret.is_empty() && !exists => return Err(boxed(ConnectionError::EmptySecret)),
        Some(secret) if secret.is_empty() => None,
        other => other,
    };
    let mut warnings = Vec::new();
    if let Some(secret) = &secret {
        if input.identity_provider == IdentityProviderId::Entra && looks_like_entra_secret_id(secret.expose()) {
            warnings.push(SaveWarning::EntraSecretIdInsteadOfValue);
        }
    }
    let connection =
        effects.connections.save(&prepared.connection, secret.as_ref(), effects.secrets.as_ref()).map_err(boxed)?;
    Ok(SavedConnection { connection, issuer_notes: prepared.issuer_notes, secret_stored: secret.is_some(), warnings })
}

/// Deletes a connection's file and its secret. Returns whether anything existed.
pub fn delete_connection(effects: &SideEffects, name: &str) -> Result<bool, JourneyError> {
    effects.connections.delete(name, effects.secrets.as_ref()).map_err(boxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::connection::ConnectionFolder;
    use crate::connections::keychain::InMemorySecretStore;
    use crate::journeys::{FixedClock, NoBrowser};

    fn effects(folder: &std::path::Path) -> SideEffects {
        SideEffects {
            secrets: Box::new(InMemorySecretStore::default()),
            clock: Box::new(FixedClock(0)),
            browser: Box::new(NoBrowser),
            connections: ConnectionFolder::new(folder.to_path_buf()),
        }
    }

    fn input(secret: Option<&str>) -> SaveConnectionInput<'static> {
        SaveConnectionInput {
            name: "pelanor-okta",
            vendor: "pelanor",
            identity_provider: IdentityProviderId::Okta,
            region: None,
            org: "acme",
            issuer: "acme.okta.com",
            client_id: "0oa1",
            client_secret: secret.map(|secret| ClientSecret::new(secret.to_owned())),
            secret_expires: Some(" "),
        }
    }

    #[test]
    fn an_empty_secret_is_refused_for_a_new_connection_and_keeps_the_saved_one_later() {
        let folder = tempfile::tempdir().unwrap();
        let effects = effects(folder.path());
        let catalog = Catalog::built_in().unwrap();
        let refused = save_connection(&catalog, &effects, input(Some(""))).unwrap_err();
        assert_eq!(refused.code(), "connection-empty-secret");
        assert!(!effects.connections.path_of("pelanor-okta").exists(), "nothing is written");

        let saved = save_connection(&catalog, &effects, input(Some("s3cret"))).unwrap();
        assert!(saved.secret_stored);
        assert_eq!(saved.connection.issuer, "https://acme.okta.com");
        let again = save_connection(&catalog, &effects, input(Some(""))).unwrap();
        assert!(!again.secret_stored);
        assert_eq!(effects.secrets.get("pelanor-okta").unwrap().unwrap().expose(), "s3cret");
    }

    #[test]
    fn a_bad_date_is_refused_before_anything_is_written() {
        let folder = tempfile::tempdir().unwrap();
        let effects = effects(folder.path());
        let mut bad = input(Some("s3cret"));
        bad.secret_expires = Some("31.05.2027");
        let error = save_connection(&Catalog::built_in().unwrap(), &effects, bad).unwrap_err();
        assert_eq!(error.code(), "bad-date");
        assert!(effects.secrets.get("pelanor-okta").unwrap().is_none());
    }

    #[test]
    fn an_entra_secret_id_is_saved_with_a_warning() {
        let folder = tempfile::tempdir().unwrap();
        let effects = effects(folder.path());
        let mut entra = input(Some("2b1f9c3e-6c8d-4a57-9e1b-3f2a7d4c5b6e"));
        entra.identity_provider = IdentityProviderId::Entra;
        entra.issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
        let saved = save_connection(&Catalog::built_in().unwrap(), &effects, entra).unwrap();
        assert_eq!(saved.warnings, [SaveWarning::EntraSecretIdInsteadOfValue]);
    }
}
