//! The admin's own sign-in at the IdP from "Create it for me" and "Rotate secret", for an
//! admin without a token at hand: a device code (RFC 8628) shown in the web view as a code and
//! a page to open, which the system browser opens too. The token the IdP gives stays in the
//! shell (`AppState::admin_session`) for that one connection until the app closes or the admin
//! signs out; the commands that change the app use it when no token was pasted. A token the
//! admin asked to keep is in the keychain instead (`<connection>#admin`), until forgotten.

use super::journey_error;
use crate::dto::{AdminSessionView, AdminSignInRequest, DeviceCodeView, IpcError};
use crate::state::AdminSession;
use crate::AppState;
use sso_setup::journeys::admin_sign_in::{sign_in_admin, AdminSignInInput, AdminSignInMethod, AdminSignInPrompt};
use tauri::ipc::Channel;
use tauri::State;

/// Signs the admin in with a device code: `on_code` gets the code and the page once the IdP
/// issued them; returns when the admin has approved (or the code expired).
#[tauri::command]
pub async fn sign_in_as_admin(
    state: State<'_, AppState>,
    request: AdminSignInRequest,
    on_code: Channel<DeviceCodeView>,
) -> Result<AdminSessionView, IpcError> {
    let input = AdminSignInInput {
        connection: &request.connection,
        identity_provider: request.identity_provider,
        issuer: request.issuer.as_deref(),
        client_id: request.client_id.trim(),
        method: AdminSignInMethod::DeviceCode,
    };
    let show = |prompt: AdminSignInPrompt<'_>| {
        let AdminSignInPrompt::DeviceCode(code) = prompt else { return };
        // The page with the code in it where the IdP gives one, so the admin only approves.
        let page = code.verification_uri_complete.as_deref().unwrap_or(&code.verification_uri);
        let page = url::Url::parse(page).ok();
        let browser_opened = page.as_ref().is_some_and(|page| state.effects.browser.open(page).is_ok());
        *state.admin_sign_in_page.lock().expect("the page lock is never poisoned") = page;
        let _ = on_code.send(DeviceCodeView {
            user_code: code.user_code.clone(),
            verification_uri: code.verification_uri.clone(),
            browser_opened,
            expires_in_seconds: code.expires_in_seconds,
        });
    };
    let signed_in = sign_in_admin(state.http(), &state.effects, input, show).await;
    state.admin_sign_in_page.lock().expect("the page lock is never poisoned").take();
    let token = signed_in.map_err(journey_error)?;
    let issuer =
        state.issuer_of(&request.connection, request.identity_provider, request.issuer.as_deref()).unwrap_or_default();
    *state.admin_session.lock().expect("the session lock is never poisoned") =
        Some(AdminSession { connection: request.connection.clone(), issuer, token });
    Ok(AdminSessionView { connection: request.connection })
}

/// Opens the sign-in page of the device code being shown, again. Returns whether one was.
#[tauri::command]
pub fn open_admin_sign_in_page(state: State<'_, AppState>) -> Result<bool, IpcError> {
    let page = state.admin_sign_in_page.lock().expect("the page lock is never poisoned").clone();
    match page {
        Some(page) => state.effects.browser.open(&page).map(|()| true).map_err(super::ipc),
        None => Ok(false),
    }
}

/// Whether an admin token is kept in the keychain for the connection.
#[tauri::command]
pub fn admin_token_kept(state: State<'_, AppState>, name: String) -> bool {
    sso_setup::journeys::admin_sign_in::admin_token_is_kept(&state.effects, &name)
}

/// Removes the admin token kept in the keychain for the connection. Returns whether there was one.
#[tauri::command]
pub fn forget_admin_token(state: State<'_, AppState>, name: String) -> Result<bool, IpcError> {
    sso_setup::journeys::admin_sign_in::forget_admin_token(&state.effects, &name).map_err(journey_error)
}

/// Forgets the admin's token. Returns whether there was one.
#[tauri::command]
pub fn sign_out_admin(state: State<'_, AppState>) -> bool {
    state.admin_session.lock().expect("the session lock is never poisoned").take().is_some()
}
