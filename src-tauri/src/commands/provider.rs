//! The provider: its discovery document and keys, and the real sign-in test, each with
//! progress sent to the web view as it happens.

use super::{ipc, journey_error};
use crate::dto::{IpcError, ProgressEvent, ProviderCheckView, SignInReportView, TemporaryRedirectView};
use crate::AppState;
use sso_setup::journeys::check_provider::{check_provider as check_in_core, ProviderCheckEvent, ProviderToCheck};
use sso_setup::journeys::provision::{test_sign_in_with_temporary_redirect, AdminAccess};
use sso_setup::journeys::sign_in_test::{test_sign_in, SignInEvent, SignInTestError, SignInTestInput};
use sso_setup::journeys::SecretSource;
use std::time::Duration;
use tauri::ipc::Channel;
use tauri::State;

/// How long the sign-in test waits for the admin in the browser before it gives up.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// Fetches and checks the provider's discovery document and keys for a saved connection,
/// each check sent as it is made.
#[tauri::command]
pub async fn check_provider(
    state: State<'_, AppState>,
    name: String,
    on_progress: Channel<ProgressEvent>,
) -> Result<ProviderCheckView, IpcError> {
    let mut progress = |event: ProviderCheckEvent| {
        let _ = on_progress.send(match event {
            ProviderCheckEvent::Fetching { discovery_url } => {
                ProgressEvent::Started { what: format!("Fetching {discovery_url}") }
            }
            ProviderCheckEvent::Check(check) => ProgressEvent::Check { check },
        });
    };
    let catalog = state.catalog();
    let report =
        check_in_core(state.http(), &catalog, &state.effects, ProviderToCheck::SavedConnection(&name), &mut progress)
            .await
            .map_err(journey_error)?;
    Ok(ProviderCheckView { ok: report.ok, issuer: report.issuer.issuer, checks: report.checks, error: report.error })
}

/// The real sign-in: loopback listener, system browser, token exchange, ID token and claims.
/// `cancel_sign_in_test` ends it at once (the listener closes with it).
#[tauri::command]
pub async fn run_sign_in_test(
    state: State<'_, AppState>,
    name: String,
    redirect_uri: Option<String>,
    register_loopback: Option<bool>,
    on_progress: Channel<ProgressEvent>,
) -> Result<SignInReportView, IpcError> {
    let (cancel_sender, cancel_receiver) = tokio::sync::oneshot::channel::<()>();
    // A new test replaces (and so cancels) one still running.
    *state.sign_in_cancel.lock().expect("the cancel lock is never poisoned") = Some(cancel_sender);
    let mut progress = |event: SignInEvent| {
        let event = match event {
            SignInEvent::Prepared { .. } => return,
            SignInEvent::Check(check) => ProgressEvent::Check { check },
            SignInEvent::WaitingForSignIn { authorization_url, redirect_uri } => {
                ProgressEvent::WaitingForSignIn { authorization_url, redirect_uri }
            }
            SignInEvent::BrowserNotOpened { error, .. } => ProgressEvent::BrowserNotOpened { error: error.into() },
            SignInEvent::ReportNotStored { error } => ProgressEvent::Started {
                what: format!("The report could not be stored with the connection: {}", error.message),
            },
        };
        let _ = on_progress.send(event);
    };
    let catalog = state.catalog();
    let input = SignInTestInput {
        connection: Some(&name),
        issuer: None,
        client_id: None,
        client_secret: SecretSource::NotGiven,
        vendor: None,
        identity_provider: None,
        redirect_uri: redirect_uri.as_deref(),
        port: None,
        forced_auth_method: None,
        timeout: SIGN_IN_TIMEOUT,
    };
    if register_loopback == Some(true) {
        // The journey removes its loopback URI however the test ends, Cancel included, so the
        // cancel goes into it rather than dropping it half-way.
        let cancel = async {
            let _ = cancel_receiver.await;
        };
        let (result, temporary) = test_sign_in_with_temporary_redirect(
            state.http(),
            &catalog,
            &state.effects,
            input,
            // A Graph or Okta app changes only with the admin's token: the sign-in's, or a kept one.
            AdminAccess {
                token: state.admin_token(&name, state.issuer_of(&name, None, None).as_deref(), Default::default()),
                api_url: None,
            },
            cancel,
            &mut progress,
        )
        .await
        .map_err(journey_error)?;
        let mut view: SignInReportView = result.map_err(journey_error)?.into();
        view.temporary_redirect = Some(TemporaryRedirectView {
            uri: temporary.uri,
            removed: temporary.removed,
            left_behind: temporary.left_behind,
        });
        return Ok(view);
    }
    tokio::select! {
        report = test_sign_in(state.http(), &catalog, &state.effects, input, &mut progress) => {
            Ok(report.map_err(journey_error)?.into())
        }
        _ = cancel_receiver => Err(ipc(SignInTestError::Cancelled)),
    }
}

/// Stops a running sign-in test. Returns whether one was running.
#[tauri::command]
pub fn cancel_sign_in_test(state: State<'_, AppState>) -> bool {
    state
        .sign_in_cancel
        .lock()
        .expect("the cancel lock is never poisoned")
        .take()
        .is_some_and(|sender| sender.send(()).is_ok())
}
