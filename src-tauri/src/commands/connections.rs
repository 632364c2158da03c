//! Saved connections: save, list, delete, "Check all" and the reminders, and copying values (the client secret
//! from the secret store, never through the web view).

use super::{ipc, journey_error};
use crate::dto::{
    CheckAllProgress, ConnectionHealthView, ConnectionInput, ConnectionList, ConnectionView, HealthView, IpcError,
    ReminderView,
};
use crate::AppState;
use sso_setup::connections::connection::ConnectionDraft;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::health_check::{check_connections_in_turn, CheckProgress};
use sso_setup::journeys::reminders::{notification_for, reminders_of_saved_connections};
use sso_setup::journeys::save_connection::{self, SaveConnectionInput};
use sso_setup::journeys::SecretSource;
use sso_setup::platform::clipboard::{copy_secret_then_clear, copy_value, SECRET_CLIPBOARD_SECONDS};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tauri::ipc::Channel;
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
    // An admin's sign-in for it goes too: a new connection of that name is another app.
    state.sign_out_of(&name);
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
/// token endpoint, its expiry, drift), one after the other, each result kept with its
/// connection; where it is is sent on `on_progress`. What needs attention afterwards is also
/// a desktop notification.
#[tauri::command]
pub async fn check_all_connections(
    state: State<'_, AppState>,
    on_progress: Channel<CheckAllProgress>,
) -> Result<HealthView, IpcError> {
    let catalog = state.catalog();
    let mut progress = |event: CheckProgress<'_>| {
        let _ = on_progress.send(match event {
            CheckProgress::Checking { connection, position, total } => {
                CheckAllProgress { connection: connection.to_owned(), position, total, checked: false, ok: None }
            }
            CheckProgress::Checked { health, position, total } => CheckAllProgress {
                connection: health.connection.clone(),
                position,
                total,
                checked: true,
                ok: Some(health.ok),
            },
        });
    };
    let report = check_connections_in_turn(state.http(), &catalog, &state.effects, &mut progress)
        .await
        .map_err(journey_error)?;
    if let Some(notification) =
        notification_for(&reminders_of_saved_connections(&state.effects).map_err(journey_error)?)
    {
        state.notify(&notification);
    }
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

/// What the saved connections need (read from their files with the app's clock, no network),
/// for the home screen. The first call since the app started also shows it as a desktop
/// notification: the reminder at start.
#[tauri::command]
pub fn connection_reminders(state: State<'_, AppState>) -> Result<Vec<ReminderView>, IpcError> {
    let reminders = reminders_of_saved_connections(&state.effects).map_err(journey_error)?;
    if !state.reminded_at_start.swap(true, Ordering::SeqCst) {
        if let Some(notification) = notification_for(&reminders) {
            state.notify(&notification);
        }
    }
    Ok(reminders.iter().map(ReminderView::new).collect())
}
