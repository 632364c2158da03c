//! Creating the IdP app from the guide screen ("Create it for me"): the plan first (reads
//! only), then the apply. The admin token arrives once, for the apply, and is dropped with it;
//! the IdP's client secret goes from its answer to the keychain and never reaches the web view.
//! "Rotate secret" on the home screen: a second secret at the IdP, then the old one removed.

use super::journey_error;
use crate::dto::{
    ConnectionView, IpcError, ProvisionPlanView, ProvisionProgressView, ProvisionRequestInput, ProvisionedView,
    RotationView,
};
use crate::AppState;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::provision::{provision, ProvisionEvent, ProvisionInput, ProvisionMode};
use sso_setup::journeys::SecretSource;
use tauri::ipc::Channel;
use tauri::State;

fn input<'a>(
    request: &'a ProvisionRequestInput,
    mode: ProvisionMode,
    admin_token: SecretSource<'a>,
) -> ProvisionInput<'a> {
    ProvisionInput {
        connection: &request.connection,
        vendor: Some(&request.vendor),
        identity_provider: Some(request.identity_provider),
        region: request.region.as_deref(),
        org: request.org.as_deref(),
        issuer: Some(&request.issuer),
        redirect_uris: &request.redirect_uris,
        sign_out_uris: &request.sign_out_uris,
        assign_group: None,
        secret_expires_in_days: None,
        admin_token,
        admin_api_url: None,
        mode,
    }
}

/// The plan's requests as they go out, for "Sending 2 of 4: POST …".
fn progress_to(channel: Channel<ProvisionProgressView>) -> impl FnMut(ProvisionEvent) + Send {
    let mut total = 0;
    let mut position = 0;
    move |event| match event {
        ProvisionEvent::Planned { plan } => total = plan.requests.len() as u32,
        ProvisionEvent::Sending { request } => {
            position += 1;
            let _ = channel.send(ProvisionProgressView {
                position,
                total: total.max(position),
                method: request.method.as_str().to_owned(),
                url: request.url,
                purpose: request.purpose,
            });
        }
    }
}

/// Keeps the admin token in the keychain for the connection once the journey succeeded with
/// it, when the admin ticked "Keep the admin token". The journey's work is done by then, so a
/// token that could not be kept is a note on its result, not an error that would hide it.
fn keep_after_success(state: &AppState, connection: &str, token: Option<ClientSecret>) -> Option<String> {
    let token = token?;
    match sso_setup::journeys::admin_sign_in::keep_admin_token(&state.effects, connection, &token) {
        Ok(true) => None,
        Ok(false) => {
            Some("the admin token was not kept: this app is changed with its own registration access token".into())
        }
        Err(error) => Some(format!("the admin token could not be kept in the keychain: {error}")),
    }
}

/// The plan: what would be sent to create or update the app. Nothing that changes it is sent.
#[tauri::command]
pub async fn plan_provisioning(
    state: State<'_, AppState>,
    request: ProvisionRequestInput,
) -> Result<ProvisionPlanView, IpcError> {
    let catalog = state.catalog();
    let outcome = provision(
        state.http(),
        &catalog,
        &state.effects,
        input(&request, ProvisionMode::DryRun, SecretSource::NotGiven),
        &mut |_| {},
    )
    .await
    .map_err(journey_error)?;
    Ok(ProvisionPlanView::new(&outcome.plan, outcome.notes))
}

/// Creates the app (or updates it to what the vendor needs) and saves the connection, with
/// the pasted admin token or, when none was pasted, the admin's sign-in for this connection.
#[tauri::command]
pub async fn provision_app(
    state: State<'_, AppState>,
    request: ProvisionRequestInput,
    admin_token: zeroize::Zeroizing<String>,
    keep_admin_token: Option<bool>,
    on_progress: Channel<ProvisionProgressView>,
) -> Result<ProvisionedView, IpcError> {
    let issuer = state.issuer_of(&request.connection, Some(request.identity_provider), Some(request.issuer.as_str()));
    let to_keep =
        state.admin_token_to_keep(keep_admin_token == Some(true), &request.connection, issuer.as_deref(), &admin_token);
    let admin_token = state.admin_token(&request.connection, issuer.as_deref(), admin_token);
    let catalog = state.catalog();
    let outcome = provision(
        state.http(),
        &catalog,
        &state.effects,
        input(&request, ProvisionMode::Apply, admin_token),
        &mut progress_to(on_progress),
    )
    .await
    .map_err(journey_error)?;
    let not_kept = keep_after_success(&state, &outcome.connection, to_keep);
    let connection = state.effects.connections.load(&outcome.connection).map_err(super::ipc)?;
    Ok(ProvisionedView {
        connection: ConnectionView::new(&catalog, &connection, Vec::new(), state.effects.clock.today()),
        send_to_vendor: outcome
            .send_to_vendor
            .iter()
            .map(|(name, value)| crate::dto::NamedValue {
                name: name.clone(),
                value: value.as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
        notes: outcome.notes.into_iter().chain(not_kept).collect(),
    })
}

/// Starts a rotation of the connection's secret (a second one at the IdP, into the keychain,
/// tried at once), or with `finish` removes the old one. The admin token is used for this
/// call only; no secret comes back.
#[tauri::command]
pub async fn rotate_client_secret(
    state: State<'_, AppState>,
    name: String,
    admin_token: zeroize::Zeroizing<String>,
    finish: bool,
    keep_admin_token: Option<bool>,
) -> Result<RotationView, IpcError> {
    use sso_setup::journeys::rotate_secret::{rotate_secret, RotateSecretInput, RotationStage};
    let issuer = state.issuer_of(&name, None, None);
    let to_keep = state.admin_token_to_keep(keep_admin_token == Some(true), &name, issuer.as_deref(), &admin_token);
    let admin_token = state.admin_token(&name, issuer.as_deref(), admin_token);
    let catalog = state.catalog();
    let input =
        RotateSecretInput { connection: &name, admin_token, admin_api_url: None, expires_in_days: None, finish };
    let outcome = rotate_secret(state.http(), &catalog, &state.effects, input).await.map_err(journey_error)?;
    let not_kept = keep_after_success(&state, &outcome.connection, to_keep);
    let connection = state.effects.connections.load(&outcome.connection).map_err(super::ipc)?;
    let checks = outcome.health.as_ref().map(|health| health.checks.clone()).unwrap_or_default();
    Ok(RotationView {
        connection: ConnectionView::new(&catalog, &connection, Vec::new(), state.effects.clock.today()),
        stage: match outcome.stage {
            RotationStage::Started => "started",
            RotationStage::Finished => "finished",
        },
        ok: outcome.health.as_ref().is_none_or(|health| health.ok),
        checks,
        notes: outcome.notes.into_iter().chain(not_kept).collect(),
    })
}
