//! The commands the web view may call. Each body is: convert, call the core, convert.
//!
//! No command returns a client secret: `save_connection` takes one and moves it straight
//! into the OS keychain, and every later use (provider check, sign-in test, bundle) reads it
//! from there in Rust.

use crate::dto::{
    BundleInput, BundleWritten, ConnectionInput, ConnectionList, ConnectionView, ExplainInput, ExplainView,
    GuideRequestInput, IpcError, IssuerView, LoopbackAdviceView, ProgressEvent, ProviderCheckView, SetupGuide,
    SignInReportView, VendorSummary, VendorUrisRequest, VendorUrisResponse,
};
use crate::AppState;
use sso_setup::bundle::{self, BundleRecipients};
use sso_setup::calendar_date::CalendarDate;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::clipboard::{copy_secret_then_clear, copy_value, SECRET_CLIPBOARD_SECONDS};
use sso_setup::connection::{prepare_connection, ConnectionDraft};
use sso_setup::discovery::discover;
use sso_setup::error::UserFacingError;
use sso_setup::flow_test::{run_flow_test, FlowEvent, FlowTestRequest};
use sso_setup::guide::{build_guide, GuideRequest};
use sso_setup::http_fetch::{FetchLimits, HardenedHttpClient};
use sso_setup::issuer::normalise_issuer;
use sso_setup::keychain::OsKeychain;
use sso_setup::loopback::{loopback_advice, LoopbackPlan};
use sso_setup::redirect_uri::{build_vendor_uris as build_uris_in_core, UriRequest};
use sso_setup::secret::ClientSecret;
use std::time::Duration;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

/// How long the sign-in test waits for the admin in the browser before it gives up.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

fn ipc(error: impl UserFacingError) -> IpcError {
    IpcError::from_core(&error)
}

/// An error the shell itself finds (not the core); same shape, own codes.
fn shell_error(code: &str, message: impl Into<String>, hint: impl Into<String>) -> IpcError {
    IpcError { code: code.into(), message: message.into(), hint: Some(hint.into()) }
}

/// The web view calls this once its first screen has painted. With `SSO_SETUP_REPORT_READY`
/// set, the app says `ready` on stderr: the start-up benchmark times process start to it.
#[tauri::command]
pub fn app_ready(state: State<'_, AppState>, page_timings: Option<serde_json::Value>) {
    if state.report_ready {
        eprintln!("ready");
        if let Some(timings) = page_timings {
            eprintln!("page-timings {timings}");
        }
    }
}

#[tauri::command]
pub fn list_vendors(state: State<'_, AppState>) -> Vec<VendorSummary> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    catalog.vendors().iter().map(|vendor| VendorSummary::from_profile(&catalog, &vendor.profile)).collect()
}

/// Problems with the admin's own profile files, found at start.
#[tauri::command]
pub fn catalog_warnings(state: State<'_, AppState>) -> Vec<IpcError> {
    state.catalog_warnings.clone()
}

/// Imports a vendor profile the admin picked in the web view (its text; the file name is
/// only for messages). Checked like any profile; a built-in id is refused.
#[tauri::command]
pub fn import_vendor_profile(
    state: State<'_, AppState>,
    file_name: String,
    text: String,
) -> Result<VendorSummary, IpcError> {
    let mut catalog = state.catalog.write().expect("the catalog lock is never poisoned");
    let profile = catalog.import_user_profile(&state.vendor_folder, &text, &file_name).map_err(ipc)?.clone();
    Ok(VendorSummary::from_profile(&catalog, &profile))
}

#[tauri::command]
pub fn build_vendor_uris(
    state: State<'_, AppState>,
    request: VendorUrisRequest,
) -> Result<VendorUrisResponse, IpcError> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    let vendor = catalog.vendor(&request.vendor).map_err(ipc)?;
    let uris = build_uris_in_core(
        &vendor.profile,
        UriRequest {
            region: request.region.as_deref(),
            identity_provider: request.identity_provider,
            org: &request.org,
        },
    )
    .map_err(ipc)?;
    Ok(uris.into())
}

#[tauri::command]
pub fn build_setup_guide(state: State<'_, AppState>, request: GuideRequestInput) -> Result<SetupGuide, IpcError> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    let vendor = catalog.vendor(&request.vendor).map_err(ipc)?;
    let guide = build_guide(
        &catalog,
        &vendor.profile,
        GuideRequest {
            identity_provider: request.identity_provider,
            region: request.region.as_deref(),
            org: request.org.as_deref().filter(|org| !org.is_empty()),
        },
    )
    .map_err(ipc)?;
    Ok(guide.into())
}

/// The issuer the admin's input stands for, live as they type (Okta domain, Entra tenant...).
#[tauri::command]
pub fn normalise_issuer_input(identity_provider: IdentityProviderId, input: String) -> Result<IssuerView, IpcError> {
    let normalised = normalise_issuer(&input, Some(identity_provider), None).map_err(ipc)?;
    Ok(IssuerView { issuer: normalised.issuer, discovery_url: normalised.discovery_url, notes: normalised.notes })
}

/// Which loopback redirect URI to register for the sign-in test at this IdP.
#[tauri::command]
pub fn loopback_registration_advice(identity_provider: IdentityProviderId) -> LoopbackAdviceView {
    let advice = loopback_advice(Some(identity_provider));
    LoopbackAdviceView {
        explanation: advice.explanation,
        register: advice.register.map(str::to_owned),
        listen_on_register: advice.listen_on_register,
    }
}

/// Saves a connection: the secret to the OS keychain, the rest to the connection file.
#[tauri::command]
pub fn save_connection(state: State<'_, AppState>, input: ConnectionInput) -> Result<ConnectionView, IpcError> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    let secret_expires = match input.secret_expires.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(CalendarDate::parse(text).ok_or_else(|| {
            shell_error(
                "bad-date",
                format!("'{text}' is not a date in the form YYYY-MM-DD"),
                "use the Expires date of the client secret at the IdP, or leave the field empty",
            )
        })?),
    };
    let prepared = prepare_connection(
        &catalog,
        ConnectionDraft {
            name: &input.name,
            vendor: &input.vendor,
            idp: input.identity_provider,
            region: input.region.as_deref(),
            org: &input.org,
            issuer: &input.issuer,
            client_id: &input.client_id,
            secret_expires,
        },
    )
    .map_err(|error| IpcError::from_core(error.as_ref()))?;
    let secret = ClientSecret::from_line(input.client_secret);
    let exists = state.connections.path_of(&prepared.connection.name).exists();
    if secret.is_empty() && !exists {
        return Err(shell_error(
            "connection-empty-secret",
            "the client secret is empty",
            "paste the client secret's value from the IdP app (in Entra ID: the Value column, not the Secret ID)",
        ));
    }
    let keep_existing_secret = secret.is_empty();
    let secret_warning = (input.identity_provider == IdentityProviderId::Entra
        && sso_setup::diagnosis::looks_like_entra_secret_id(secret.expose()))
    .then(|| {
        "The client secret looks like a GUID, which in Entra ID is the Secret ID, not the secret's Value. \
         In Certificates & secrets, copy the Value column (shown only once; create a new secret if it is hidden)."
            .to_owned()
    });
    state
        .connections
        .save(&prepared.connection, (!keep_existing_secret).then_some(&secret), &OsKeychain)
        .map_err(ipc)?;
    let mut view = ConnectionView::new(&catalog, &prepared.connection, prepared.issuer_notes);
    view.secret_warning = secret_warning;
    Ok(view)
}

#[tauri::command]
pub fn list_connections(state: State<'_, AppState>) -> Result<ConnectionList, IpcError> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    let mut list = ConnectionList { connections: Vec::new(), problems: Vec::new() };
    for entry in state.connections.list().map_err(ipc)? {
        match entry {
            Ok(connection) => list.connections.push(ConnectionView::new(&catalog, &connection, Vec::new())),
            Err(problem) => list.problems.push(ipc(problem)),
        }
    }
    Ok(list)
}

#[tauri::command]
pub fn delete_connection(state: State<'_, AppState>, name: String) -> Result<bool, IpcError> {
    state.connections.delete(&name, &OsKeychain).map_err(ipc)
}

/// Copies a value byte-exact (a redirect URI, a client ID). The clipboard stays open for the
/// app's lifetime: on X11 the owning process serves its contents.
#[tauri::command]
pub fn copy_to_clipboard(state: State<'_, AppState>, text: String) -> Result<(), IpcError> {
    let mut clipboard = state.clipboard.lock().expect("the clipboard lock is never poisoned");
    copy_value(&mut *clipboard, &text).map_err(ipc)
}

/// Copies a saved connection's client secret, from the keychain, for a vendor form that
/// asks for it: marked concealed (kept out of clipboard history) and cleared after
/// `SECRET_CLIPBOARD_SECONDS` if it is still there. The secret never enters the web view.
#[tauri::command]
pub fn copy_client_secret(state: State<'_, AppState>, name: String) -> Result<u64, IpcError> {
    let connection = state.connections.load(&name).map_err(ipc)?;
    let secret = connection.stored_secret(&OsKeychain).map_err(ipc)?;
    copy_secret_then_clear(state.clipboard.clone(), &secret, Duration::from_secs(SECRET_CLIPBOARD_SECONDS))
        .map_err(ipc)?;
    Ok(SECRET_CLIPBOARD_SECONDS)
}

/// Fetches and checks the provider's discovery document and keys for a saved connection,
/// each check sent as it is made.
#[tauri::command]
pub async fn check_provider(
    state: State<'_, AppState>,
    name: String,
    on_progress: Channel<ProgressEvent>,
) -> Result<ProviderCheckView, IpcError> {
    let connection = state.connections.load(&name).map_err(ipc)?;
    let requirements = {
        let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
        catalog.vendor(&connection.vendor).ok().map(|vendor| vendor.profile.oidc.clone())
    };
    let issuer = normalise_issuer(&connection.issuer, Some(connection.idp), None).map_err(ipc)?;
    let _ = on_progress.send(ProgressEvent::Started { what: format!("Fetching {}", issuer.discovery_url) });
    let client = HardenedHttpClient::new(FetchLimits::default());
    let report = discover(&client, issuer, requirements.as_ref()).await;
    for check in &report.checks {
        let _ = on_progress.send(ProgressEvent::Check { check: check.clone() });
    }
    Ok(ProviderCheckView { ok: report.ok, issuer: report.issuer.issuer, checks: report.checks, error: report.error })
}

fn now_in_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|duration| duration.as_secs() as i64)
        .unwrap_or(0)
}

/// The real sign-in: loopback listener, system browser, token exchange, ID token and claims.
/// `cancel_sign_in_test` ends it at once (the listener closes with it).
#[tauri::command]
pub async fn run_sign_in_test(
    state: State<'_, AppState>,
    name: String,
    redirect_uri: Option<String>,
    on_progress: Channel<ProgressEvent>,
) -> Result<SignInReportView, IpcError> {
    let connection = state.connections.load(&name).map_err(ipc)?;
    let requirements = {
        let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
        catalog.vendor(&connection.vendor).ok().map(|vendor| vendor.profile.oidc.clone())
    };
    let secret = connection.stored_secret(&OsKeychain).map_err(ipc)?;
    let issuer = normalise_issuer(&connection.issuer, Some(connection.idp), None).map_err(ipc)?;
    let loopback = match redirect_uri.as_deref().map(str::trim).filter(|uri| !uri.is_empty()) {
        Some(uri) => LoopbackPlan::from_redirect_uri(uri).map_err(ipc)?,
        None => LoopbackPlan::on_port(0),
    };
    let (cancel_sender, cancel_receiver) = tokio::sync::oneshot::channel::<()>();
    // A new test replaces (and so cancels) one still running.
    *state.sign_in_cancel.lock().expect("the cancel lock is never poisoned") = Some(cancel_sender);
    let browser = sso_setup::system_browser::browser_program(state.browser_variable.clone());
    let client = HardenedHttpClient::new(FetchLimits::default());
    let request = FlowTestRequest {
        issuer,
        client_id: &connection.client_id,
        client_secret: &secret,
        vendor: requirements.as_ref(),
        loopback,
        forced_auth_method: None,
        timeout: SIGN_IN_TIMEOUT,
        now: now_in_seconds,
    };
    let progress = &on_progress;
    let flow = run_flow_test(
        &client,
        request,
        |url| {
            if let Err(error) = sso_setup::system_browser::open_in_browser(url, &browser) {
                let _ = progress.send(ProgressEvent::BrowserNotOpened { error: IpcError::from_core(&error) });
            }
        },
        |event| {
            let _ = progress.send(match event {
                FlowEvent::Check(check) => ProgressEvent::Check { check },
                FlowEvent::WaitingForSignIn { authorization_url, redirect_uri } => {
                    ProgressEvent::WaitingForSignIn { authorization_url, redirect_uri }
                }
            });
        },
    );
    let report = tokio::select! {
        report = flow => report,
        _ = cancel_receiver => {
            return Err(shell_error(
                "sign-in-cancelled",
                "the sign-in test was cancelled; the loopback listener is closed",
                "start the test again when the IdP app is ready",
            ));
        }
    };
    let report_value = serde_json::to_value(&report).expect("the report serialises");
    if let Err(error) = state.connections.record_test_report(&connection.name, report_value) {
        let _ = on_progress.send(ProgressEvent::Started {
            what: format!("The report could not be stored with the connection: {error}"),
        });
    }
    Ok(report.into())
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

/// Encrypts the connection (secret from the keychain) to the vendor's key or a passphrase
/// and writes it where the admin chooses in the native save dialog.
#[tauri::command]
pub async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: BundleInput,
) -> Result<Option<BundleWritten>, IpcError> {
    let connection = state.connections.load(&input.connection).map_err(ipc)?;
    let recipients = match &input.passphrase {
        Some(passphrase) if !passphrase.is_empty() => {
            let secret_text = |text: &zeroize::Zeroizing<String>| secrecy::SecretString::from(text.as_str().to_owned());
            let confirmation = input.passphrase_confirmation.as_ref().map(secret_text);
            BundleRecipients::passphrase(secret_text(passphrase), confirmation.as_ref()).map_err(ipc)?
        }
        _ => {
            let keys = bundle::parse_recipients_file(&input.recipients.join("\n")).map_err(ipc)?;
            if keys.is_empty() {
                return Err(ipc(bundle::BundleError::NoRecipient));
            }
            BundleRecipients::Keys(keys)
        }
    };
    let secret = connection.stored_secret(&OsKeychain).map_err(ipc)?;
    let (payload, vendor_name) = {
        let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
        let profile = &catalog.vendor(&connection.vendor).map_err(ipc)?.profile;
        let created_at = CalendarDate::rfc3339_from_unix_seconds(now_in_seconds());
        (bundle::payload_for_connection(profile, &connection, &secret, created_at).map_err(ipc)?, profile.name.clone())
    };
    let path = match &state.save_path_override {
        Some(path) => path.clone(),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let chosen = app
                .dialog()
                .file()
                .set_title("Save the encrypted bundle for the vendor")
                .set_file_name(format!("{}-sso.age", connection.name))
                .add_filter("age-encrypted bundle", &["age"])
                .blocking_save_file();
            match chosen.and_then(|file| file.into_path().ok()) {
                Some(path) => path,
                // The admin closed the dialog: nothing was written, nothing to report.
                None => return Ok(None),
            }
        }
    };
    bundle::export(&payload, &recipients, &path).map_err(ipc)?;
    Ok(Some(BundleWritten { path: path.display().to_string(), vendor_name }))
}

/// Explains a pasted IdP error (a code, a message, or the whole callback URL).
#[tauri::command]
pub fn explain_error(state: State<'_, AppState>, input: ExplainInput) -> Result<ExplainView, IpcError> {
    let catalog = state.catalog.read().expect("the catalog lock is never poisoned");
    let profile = input.vendor.as_deref().and_then(|id| catalog.vendor(id).ok()).map(|vendor| &vendor.profile);
    let redirect_uri = match (profile, input.org.as_deref().filter(|org| !org.is_empty())) {
        (Some(profile), Some(org)) => build_uris_in_core(
            profile,
            UriRequest { region: input.region.as_deref(), identity_provider: input.identity_provider, org },
        )
        .ok()
        .map(|uris| uris.redirect_uri),
        _ => None,
    };
    let report = sso_setup::diagnosis::explain(
        &state.diagnoses,
        &input.text,
        sso_setup::diagnosis::ExplainContext {
            vendor_name: profile.map(|profile| profile.name.as_str()),
            redirect_uri: redirect_uri.as_deref(),
            identity_provider: input.identity_provider,
        },
    );
    Ok(report.into())
}
