//! The sign-in test of a provisioned connection with a loopback redirect URI of its own: the
//! URI is added to the app at the IdP for this test alone and taken out again however the test
//! ends. Standard registration changes the app with its registration access token (RFC 7592);
//! Entra ID through Microsoft Graph and Okta through its Apps API with the admin's token.
//!
//! The app is put back exactly as it was read, so a change someone else makes during the test
//! is not kept either; the test is a minute long, and `provision --check` names any drift.

use super::entra::{admin_token, graph_base, token_needed as graph_token_needed};
use super::*;
use crate::provisioning::microsoft_graph::{self as graph, EntraApplication, GraphClient};
use crate::provisioning::okta_apps::{self as okta, OktaApp, OktaClient};

/// The loopback redirect URI a sign-in test added to the app, and whether it is gone again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemporaryRedirect {
    pub uri: String,
    pub removed: bool,
    /// When it could not be removed: what to remove by hand, and why.
    pub left_behind: Option<String>,
}

/// The admin's credential where the IdP's own API changes the app (Entra ID, Okta); a
/// standard-registration app uses the registration access token in the keychain instead.
pub struct AdminAccess<'a> {
    pub token: SecretSource<'a>,
    /// Another address for Microsoft Graph, loopback only: for tests against a stand-in.
    pub api_url: Option<&'a str>,
}

/// Fields the provider manages: RFC 7592 §2.2 forbids them in an update.
const SERVER_MANAGED: [&str; 5] = [
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
    "client_secret",
];

fn metadata_for_update(metadata: &Map<String, Value>) -> Value {
    let mut body = metadata.clone();
    for field in SERVER_MANAGED {
        body.remove(field);
    }
    Value::Object(body)
}

fn texts(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The app at the IdP as it was read before the test, and what changes it.
enum AppAtIdp {
    Registration { client_uri: Url, token: ClientSecret, original: Value },
    Graph { base: Url, token: ClientSecret, original: EntraApplication },
    Okta { org: Url, token: ClientSecret, original: OktaApp },
}

/// How putting the app back went.
enum Restored {
    /// The app no longer has the URI; `problem` says what else went wrong.
    Gone { problem: Option<String> },
    /// The IdP answered, but the URI is still there.
    Kept,
    /// The request failed.
    Failed(String),
}

impl AppAtIdp {
    async fn read<H: HttpFetch>(
        http: &H,
        effects: &SideEffects,
        saved: &Connection,
        admin: AdminAccess<'_>,
    ) -> Result<AppAtIdp, JourneyError> {
        let management = saved
            .management
            .as_ref()
            .ok_or_else(|| boxed(ProvisionError::NotProvisioned { name: saved.name.clone() }))?;
        match management.api {
            ManagementApi::MicrosoftGraph => {
                let base = graph_base(admin.api_url)?;
                let object_id = graph::object_id_of(&base, &management.registration_client_uri).ok_or_else(|| {
                    boxed(ProvisionError::ManagementElsewhere { uri: escape(&management.registration_client_uri) })
                })?;
                let token = admin_token(effects, &saved.name, admin.token)?.ok_or_else(graph_token_needed)?;
                let client = GraphClient { http, clock: effects.clock.as_ref(), token: &token, graph: &base };
                let original = client.application(&object_id).await.map_err(boxed)?;
                Ok(AppAtIdp::Graph { base, token, original })
            }
            ManagementApi::OktaApps => {
                let org = okta::org_of(&saved.issuer)
                    .ok_or_else(|| boxed(ProvisionError::ManagementElsewhere { uri: escape(&saved.issuer) }))?;
                let id = super::okta::app_id(saved, &org)?;
                let token = super::okta::okta_token(effects, &saved.name, admin.token)?;
                let client = OktaClient { http, clock: effects.clock.as_ref(), token: &token, org: &org };
                let original = client.app(&id).await.map_err(boxed)?;
                Ok(AppAtIdp::Okta { org, token, original })
            }
            ManagementApi::Rfc7592 => {
                let (client_uri, token) = managed_app(effects, saved)?;
                let current =
                    client_registration::read(http, &client_uri, &token, &saved.client_id).await.map_err(boxed)?;
                let token = keep_newest_token(effects, &saved.name, token, current.registration_access_token)?;
                Ok(AppAtIdp::Registration { client_uri, token, original: metadata_for_update(&current.metadata) })
            }
        }
    }

    fn redirect_uris(&self) -> Vec<String> {
        match self {
            AppAtIdp::Registration { original, .. } => texts(original.get("redirect_uris")),
            AppAtIdp::Graph { original, .. } => original.redirect_uris.clone(),
            AppAtIdp::Okta { original, .. } => texts(original.metadata.get("redirect_uris")),
        }
    }

    /// Sets the app's redirect URIs to `uris`, all else as read. Returns the redirect URIs the
    /// IdP now holds (Graph answers with no body: read again), and for a standard registration
    /// whose provider rotated the registration access token (RFC 7592 §2.2) and a keychain
    /// that refused the new one, what that means: the new token is used for the rest of this
    /// test either way, since the old one no longer works.
    async fn set_redirect_uris<H: HttpFetch>(
        &mut self,
        http: &H,
        effects: &SideEffects,
        saved: &Connection,
        uris: &[String],
    ) -> Result<(Vec<String>, Option<String>), JourneyError> {
        let clock = effects.clock.as_ref();
        match self {
            AppAtIdp::Registration { client_uri, token, original } => {
                let mut body = original.clone();
                body["redirect_uris"] = serde_json::json!(uris);
                let answer = client_registration::update(http, client_uri, token, &saved.client_id, &body)
                    .await
                    .map_err(boxed)?;
                let held = texts(answer.metadata.get("redirect_uris"));
                let mut problem = None;
                if let Some(newer) = answer.registration_access_token.filter(|newer| newer.expose() != token.expose()) {
                    if let Err(error) = effects.secrets.put(&management_account(&saved.name), &newer) {
                        problem = Some(format!(
                            "the provider rotated the registration access token and the keychain refused the new one: {error}"
                        ));
                    }
                    *token = newer;
                }
                Ok((held, problem))
            }
            AppAtIdp::Graph { base, token, original } => {
                let client = GraphClient { http, clock, token, graph: base };
                // Putting the app back sends `web` exactly as it was read.
                let body = if uris == original.redirect_uris.as_slice() {
                    serde_json::json!({ "web": original.web })
                } else {
                    graph::web_with_redirect_uris(original, uris)
                };
                client.update_application(&original.object_id, &body).await.map_err(boxed)?;
                Ok((client.application(&original.object_id).await.map_err(boxed)?.redirect_uris, None))
            }
            AppAtIdp::Okta { org, token, original } => {
                let client = OktaClient { http, clock, token, org };
                let body = okta::with_redirect_uris(original, uris);
                let answer = client.replace_app(&original.id, &body).await.map_err(boxed)?;
                Ok((texts(answer.metadata.get("redirect_uris")), None))
            }
        }
    }

    /// Puts the redirect URIs back as they were read.
    async fn restore<H: HttpFetch>(
        &mut self,
        http: &H,
        effects: &SideEffects,
        saved: &Connection,
        uri: &str,
    ) -> Restored {
        let original = self.redirect_uris();
        match self.set_redirect_uris(http, effects, saved, &original).await {
            Ok((held, _)) if held.iter().any(|held| held == uri) => Restored::Kept,
            Ok((_, problem)) => Restored::Gone { problem },
            Err(error) => Restored::Failed(error.to_string()),
        }
    }
}

/// The sign-in test of a provisioned connection with a loopback redirect URI of its own:
/// added to the app for this test, and removed again however the test ends (pass, fail,
/// timeout, or `cancel` completing: the command line's Ctrl-C). Errors are what stops it
/// before the test runs; the report of a test that ran comes back with the removal's result.
pub async fn test_sign_in_with_temporary_redirect<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    input: SignInTestInput<'_>,
    admin: AdminAccess<'_>,
    cancel: impl std::future::Future<Output = ()>,
    progress: &mut (dyn FnMut(SignInEvent) + Send),
) -> Result<(Result<FlowReport, JourneyError>, TemporaryRedirect), JourneyError> {
    let name = input.connection.ok_or_else(|| boxed(ProvisionError::MissingArgument("connection")))?;
    let saved = effects.connections.load(name).map_err(boxed)?;
    let mut app = AppAtIdp::read(http, effects, &saved, admin).await?;
    // A free port now; the listener binds it a moment later. RFC 8252 §7.3: the loopback IP
    // literal, not `localhost`.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| {
            boxed(ConnectionError::Unreadable { path: "a loopback port".into(), reason: error.to_string() })
        })?;
    let uri = format!("http://127.0.0.1:{port}/callback");
    let mut with_loopback = app.redirect_uris();
    with_loopback.push(uri.clone());
    let token_problem = match app.set_redirect_uris(http, effects, &saved, &with_loopback).await {
        Ok((_, problem)) => problem,
        // The IdP may have taken the change and failed after it (an answer that could not be
        // read, a time-out): the app is put back all the same, and the error says what is left.
        Err(error) => {
            let temporary = temporary_redirect(app.restore(http, effects, &saved, &uri).await, &uri, None);
            return Ok((Err(error), temporary));
        }
    };

    let input = SignInTestInput { redirect_uri: Some(uri.as_str()), port: None, ..input };
    let result = {
        let test = test_sign_in(http, catalog, effects, input, progress);
        tokio::pin!(test);
        tokio::pin!(cancel);
        tokio::select! {
            result = &mut test => result,
            () = &mut cancel => Err(boxed(crate::journeys::sign_in_test::SignInTestError::Cancelled)),
        }
    };

    // However the test ended, the URI goes again: the app is put back as it was read.
    let temporary = temporary_redirect(app.restore(http, effects, &saved, &uri).await, &uri, token_problem);
    Ok((result, temporary))
}

/// What putting the app back left: nothing, or what to remove by hand and why.
fn temporary_redirect(restored: Restored, uri: &str, token_problem: Option<String>) -> TemporaryRedirect {
    match restored {
        Restored::Gone { problem } => {
            TemporaryRedirect { uri: uri.to_owned(), removed: true, left_behind: problem.or(token_problem) }
        }
        Restored::Kept => TemporaryRedirect {
            uri: uri.to_owned(),
            removed: false,
            left_behind: Some(format!("the IdP kept {uri}: remove it from the app's redirect URIs in the IdP console")),
        },
        Restored::Failed(error) => TemporaryRedirect {
            uri: uri.to_owned(),
            removed: false,
            left_behind: Some(format!(
                "remove {uri} from the app's redirect URIs in the IdP console ({error}); `provision` also removes it"
            )),
        },
    }
}
