//! Saving a connection: the checked values to the connection file, the client secret to
//! the secret store, and the warnings an admin should see about what they pasted.

use super::{boxed, JourneyError, SecretSource, SideEffects};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::Catalog;
use crate::connections::connection::{prepare_connection, Connection, ConnectionDraft, ConnectionError};
use crate::connections::secret::ClientSecret;
use crate::guidance::diagnosis::looks_like_entra_secret_id;

/// What the admin entered.
pub struct SaveConnectionInput<'a> {
    /// The connection's values, as typed.
    pub draft: ConnectionDraft<'a>,
    /// The client secret, as the face received it.
    pub client_secret: SecretSource<'a>,
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

/// Checks the input with the same rules as `redirect-uri` and `discover`, stores the
/// secret, then writes the connection file (a failed write takes the new secret out of the
/// store again: `ConnectionFolder::save`).
pub fn save_connection(
    catalog: &Catalog,
    effects: &SideEffects,
    input: SaveConnectionInput<'_>,
) -> Result<SavedConnection, JourneyError> {
    let identity_provider = input.draft.idp;
    let prepared = prepare_connection(catalog, input.draft)?;
    let exists = effects.connections.path_of(&prepared.connection.name).exists();
    let secret = match input.client_secret {
        SecretSource::Given(secret) | SecretSource::Ambient(secret) => Some(secret),
        SecretSource::Ask(ask) => Some(ask()?),
        SecretSource::BlankField if !exists => return Err(boxed(ConnectionError::EmptySecret)),
        SecretSource::BlankField | SecretSource::NotGiven => None,
    };
    // A secret that was given but is empty is a mistake (a broken pipe, a blank variable),
    // never a way to keep the saved one.
    if secret.as_ref().is_some_and(ClientSecret::is_empty) {
        return Err(boxed(ConnectionError::EmptySecret));
    }
    let mut warnings = Vec::new();
    if let Some(secret) = &secret {
        if identity_provider == IdentityProviderId::Entra && looks_like_entra_secret_id(secret.expose()) {
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

    fn effects(folder: &std::path::Path) -> SideEffects {
        crate::journeys::stand_in_effects(folder)
    }

    fn input(secret: Option<&str>) -> SaveConnectionInput<'static> {
        SaveConnectionInput {
            draft: ConnectionDraft {
                name: "pelanor-okta",
                vendor: "pelanor",
                idp: IdentityProviderId::Okta,
                region: None,
                org: "acme",
                issuer: "acme.okta.com",
                client_id: "0oa1",
                secret_expires: Some(" "),
            },
            client_secret: match secret {
                Some("") => SecretSource::BlankField,
                Some(secret) => SecretSource::Given(ClientSecret::new(secret.to_owned())),
                None => SecretSource::NotGiven,
            },
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
        // An empty secret that was given (a broken pipe) is refused, never read as "keep".
        let mut piped = input(None);
        piped.client_secret = SecretSource::Given(ClientSecret::new(String::new()));
        assert_eq!(save_connection(&catalog, &effects, piped).unwrap_err().code(), "connection-empty-secret");
        // A secret to be asked for is not asked when the input is wrong.
        let mut wrong = input(None);
        wrong.draft.org = "Acme";
        wrong.client_secret = SecretSource::Ask(Box::new(|| panic!("the secret was asked for before the checks")));
        assert_eq!(save_connection(&catalog, &effects, wrong).unwrap_err().code(), "org-value-uppercase");
    }

    #[test]
    fn a_bad_date_is_refused_before_anything_is_written() {
        let folder = tempfile::tempdir().unwrap();
        let effects = effects(folder.path());
        let mut bad = input(Some("s3cret"));
        bad.draft.secret_expires = Some("31.05.2027");
        let error = save_connection(&Catalog::built_in().unwrap(), &effects, bad).unwrap_err();
        assert_eq!(error.code(), "bad-date");
        assert!(effects.secrets.get("pelanor-okta").unwrap().is_none());
    }

    #[test]
    fn an_entra_secret_id_is_saved_with_a_warning() {
        let folder = tempfile::tempdir().unwrap();
        let effects = effects(folder.path());
        let mut entra = input(Some("2b1f9c3e-6c8d-4a57-9e1b-3f2a7d4c5b6e"));
        entra.draft.idp = IdentityProviderId::Entra;
        entra.draft.issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
        let saved = save_connection(&Catalog::built_in().unwrap(), &effects, entra).unwrap();
        assert_eq!(saved.warnings, [SaveWarning::EntraSecretIdInsteadOfValue]);
    }
}
