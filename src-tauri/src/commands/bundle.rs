//! The bundle for the vendor: encrypted to their key or a passphrase, written where the
//! admin chooses in the native save dialog.

use super::{choose_save_path, journey_error};
use crate::dto::{BundleInput, BundleWritten, IpcError};
use crate::AppState;
use sso_setup::journeys::export_bundle::{prepare_bundle, RecipientsInput};
use tauri::{AppHandle, Runtime, State};

/// Encrypts the connection (secret from the secret store) to the vendor's key or a
/// passphrase and writes it where the admin chooses. `None` when they closed the dialog.
#[tauri::command]
pub async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: BundleInput,
) -> Result<Option<BundleWritten>, IpcError> {
    let secret_text = |text: &zeroize::Zeroizing<String>| secrecy::SecretString::from(text.as_str().to_owned());
    // The key field is one text, one key per line with `#` comments: a recipients file.
    let keys_text = [input.recipients.join("\n")];
    let given = match &input.passphrase {
        Some(passphrase) if !passphrase.is_empty() => RecipientsInput::Passphrase {
            passphrase: secret_text(passphrase),
            confirmation: input.passphrase_confirmation.as_ref().map(secret_text),
        },
        _ => RecipientsInput::Keys { keys: &[], files: &keys_text },
    };
    let prepared = prepare_bundle(&state.catalog(), &state.effects, &input.connection, given).map_err(journey_error)?;
    let chosen = choose_save_path(
        &app,
        state.save_path_override.as_ref(),
        "Save the encrypted bundle for the vendor",
        prepared.suggested_file_name(),
        ("age-encrypted bundle", &["age"]),
    );
    // The admin closed the dialog: nothing was written, nothing to report.
    let Some(path) = chosen else { return Ok(None) };
    prepared.write_to(&path).map_err(journey_error)?;
    Ok(Some(BundleWritten { path: path.display().to_string(), vendor_name: prepared.vendor_name }))
}
