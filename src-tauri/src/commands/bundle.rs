//! The bundle for the vendor: encrypted to their key or a passphrase, written where the
//! admin chooses in the native save dialog.

use super::journey_error;
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
    let path = match &state.save_path_override {
        Some(path) => path.clone(),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let chosen = app
                .dialog()
                .file()
                .set_title("Save the encrypted bundle for the vendor")
                .set_file_name(prepared.suggested_file_name())
                .add_filter("age-encrypted bundle", &["age"])
                .blocking_save_file();
            match chosen.and_then(|file| file.into_path().ok()) {
                Some(path) => path,
                // The admin closed the dialog: nothing was written, nothing to report.
                None => return Ok(None),
            }
        }
    };
    prepared.write_to(&path).map_err(journey_error)?;
    Ok(Some(BundleWritten { path: path.display().to_string(), vendor_name: prepared.vendor_name }))
}
