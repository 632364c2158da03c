//! Saved connections: save, list, delete, "Check all", and copying values (the client secret
//! from the secret store, never through the web view).

use super::{ipc, journey_error};
use crate::dto::{ConnectionHealthView, ConnectionInput, ConnectionList, ConnectionView, HealthView, IpcError};
use crate::AppState;
use sso_setup::connections::connection::ConnectionDraft;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::save_connection::{self, SaveConnectionInput};
use sso_setup::journeys::SecretSource;
use sso_setup::platform::clipboard::{copy_secret_then_clear, copy_value, SECRET_CLIPBOARD_SECONDS};
use std::time::Duration;
use tauri::State;

/// Saves a connection: the secret to the secret store, the rest to the connection file.
#[tauri::command]
pub fn save_connection(state: State<'_, AppState>, input: ConnectionInput) -> Result<ConnectionView, IpcError> {
    let catalog = state.catalog();
    let saved = save_connection::save_connection(
        &catalog,
        &state.effects,
        SaveConnectionInput {
            draft: ConnectionDraft {
                name: &input.name,
                vendor: &input.vendor,
                idp: input.identity_provider,
                region: input.region.as_deref(),
                org: &input.org,
                issuer: &input.issuer,
                client_id: &input.client_id,
                secret_expires: input.secret_expires.as_deref(),
            },
            // A blank field keeps the saved secret (editing a connection); a new one needs it.
            client_secret: match ClientSecret::from_line(input.client_secret) {
                secret if secret.is_empty() => SecretSource::BlankField,
                secret => SecretSource::Given(secret),
            },
        },
    )
    .map_err(journey_error)?;
    let mut view = ConnectionView::new(&catalog, &saved.connection, saved.issuer_notes, state.effects.clock.today());
    view.secret_warning = saved
        .warnings
        .first()
        .map(|warning| format!("{}. {}.", capitalised(warning.message()), capitalised(warning.hint())));
    Ok(view)
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

#[tauri::command]
pub fn list_connections(state: State<'_, AppState>) -> Result<ConnectionList, IpcError> {
    let catalog = state.catalog();
    let today = state.effects.clock.today();
    let mut list = ConnectionList { connections: Vec::new(), problems: Vec::new() };
    for entry in state.effects.connections.list().map_err(ipc)? {
        match entry {
            Ok(connection) => list.connections.push(ConnectionView::new(&catalog, &connection, Vec::new(), today)),
            Err(problem) => list.problems.push(ipc(problem)),
        }
    }
    Ok(list)
}

#[tauri::command]
pub fn delete_connection(state: State<'_, AppState>, name: String) -> Result<bool, IpcError> {
    save_connection::delete_connection(&state.effects, &name).map_err(journey_error)
}

/// Copies a value byte-exact (a redirect URI, a client ID). The clipboard stays open for the
/// app's lifetime: on X11 the owning process serves its contents.
#[tauri::command]
pub fn copy_to_clipboard(state: State<'_, AppState>, text: String) -> Result<(), IpcError> {
    let mut clipboard = state.clipboard.lock().expect("the clipboard lock is never poisoned");
    copy_value(&mut *clipboard, &text).map_err(ipc)
}

/// Copies a saved connection's client secret, from the secret store, for a vendor form that
/// asks for it: marked concealed (kept out of clipboard history) and cleared after
/// `SECRET_CLIPBOARD_SECONDS` if it is still there. The secret never enters the web view.
#[tauri::command]
pub fn copy_client_secret(state: State<'_, AppState>, name: String) -> Result<u64, IpcError> {
    let connection = state.effects.connections.load(&name).map_err(ipc)?;
    let secret = connection.stored_secret(state.effects.secrets.as_ref()).map_err(ipc)?;
    copy_secret_then_clear(state.clipboard.clone(), &secret, Duration::from_secs(SECRET_CLIPBOARD_SECONDS))
        .map_err(ipc)?;
    Ok(SECRET_CLIPBOARD_SECONDS)
}

/// "Check all": each saved connection without a browser (discovery and keys, the secret at the
/// token endpoint, its expiry, drift), each result kept with its connection.
#[tauri::command]
pub async fn check_all_connections(state: State<'_, AppState>) -> Result<HealthView, IpcError> {
    let catalog = state.catalog();
    let report = sso_setup::journeys::health_check::check_connections_in_turn(state.http(), &catalog, &state.effects)
        .await
        .map_err(journey_error)?;
    Ok(HealthView {
        ok: report.ok,
        checked_at: report.checked_at,
        connections: report
            .connections
            .into_iter()
            .map(|health| ConnectionHealthView { name: health.connection, ok: health.ok, checks: health.checks })
            .collect(),
        problems: report.unreadable.into_iter().map(IpcError::from).collect(),
    })
}
