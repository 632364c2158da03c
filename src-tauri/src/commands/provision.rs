//! Creating the IdP app from the guide screen ("Create it for me"): the plan first (reads
//! only), then the apply. The admin token arrives once, for the apply, and is dropped with it;
//! the IdP's client secret goes from its answer to the keychain and never reaches the web view.

use super::journey_error;
use crate::dto::{ConnectionView, IpcError, ProvisionPlanView, ProvisionRequestInput, ProvisionedView};
use crate::AppState;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::provision::{provision, ProvisionInput, ProvisionMode};
use sso_setup::journeys::SecretSource;
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

/// Creates the app (or updates it to what the vendor needs) and saves the connection.
#[tauri::command]
pub async fn provision_app(
    state: State<'_, AppState>,
    request: ProvisionRequestInput,
    admin_token: zeroize::Zeroizing<String>,
) -> Result<ProvisionedView, IpcError> {
    let admin_token = match ClientSecret::from_line(admin_token) {
        token if token.is_empty() => SecretSource::NotGiven,
        token => SecretSource::Given(token),
    };
    let catalog = state.catalog();
    let outcome = provision(
        state.http(),
        &catalog,
        &state.effects,
        input(&request, ProvisionMode::Apply, admin_token),
        &mut |_| {},
    )
    .await
    .map_err(journey_error)?;
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
        notes: outcome.notes,
    })
}
