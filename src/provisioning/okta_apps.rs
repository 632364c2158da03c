//! Okta apps through the Okta Management API: an OIDC web app (`OPENID_CONNECT`) with the
//! vendor's redirect, sign-out and initiate-login URIs, grant types and auth method, Federation
//! Broker Mode off (so only assigned users and groups sign in), a group's assignment, and its
//! client secrets (at most two, so a rotation keeps the old one valid until it is finished).
//!
//! The requests and their bodies are documented by Okta:
//! - https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
//! - https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/
//! - https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialOAuth2ClientAuth/
//! - https://developer.okta.com/docs/guides/client-secret-rotation-key/main/
//!
//! Okta names the OIDC settings as RFC 7591 does (`redirect_uris`, `grant_types`, ...), so the
//! drift check reads them into RFC 7591 metadata and compares them as standard registration
//! does (`plan::differences`), plus what only Okta has (Federation Broker Mode, the status).
//!
//! # Security
//! The admin's token goes only to the org of the connection's issuer, as `SSWS` for an API
//! token or `Bearer` for an OAuth access token. A client secret is moved into a
//! [`ClientSecret`] as the answer is read.

use super::admin_api::{self, AdminApi, AdminApiError, AdminCall};
use super::client_registration::Deletion;
use super::desired_client::DesiredClient;
use super::plan::{CurrentApp, Difference, PlannedRequest, ProvisioningPlan};
use crate::connections::secret::ClientSecret;
use crate::journeys::Clock;
use crate::oidc::http_fetch::{ApiAuthorization, FetchedResponse, HttpFetch, JsonMethod};
use serde_json::{json, Map, Value};
use url::Url;

/// How a plan names the credential its requests carry.
pub const CREDENTIAL: &str = "Okta API token as SSWS, or an OAuth access token as Bearer";
/// What the admin's token must be allowed to do, said before anything is sent.
pub const PERMISSIONS_NEEDED: &str = "an API token of an admin who may manage apps (Super or Application Administrator), or an OAuth access token with the okta.apps.manage scope";
const API: AdminApi = AdminApi::OktaManagement;
const MANAGE_APPS: &str = "the permission to manage apps (Super or Application Administrator; okta.apps.manage)";
/// A plan's stand-in for the app ID Okta makes while the plan is sent.
pub const NEW_APP_ID: &str = "{id of the new app}";

/// `SSWS` for an API token, `Bearer` for an OAuth access token (a JWT: three dot-separated
/// parts starting `eyJ`): https://developer.okta.com/docs/reference/rest/#authentication.
pub fn authorization(token: &ClientSecret) -> ApiAuthorization<'_> {
    let text = token.expose();
    if text.starts_with("eyJ") && text.split('.').count() == 3 {
        ApiAuthorization::Bearer(text)
    } else {
        ApiAuthorization::Ssws(text)
    }
}

/// The org's address: the origin of its issuer (`https://acme.okta.com`, or a custom domain).
pub fn org_of(issuer: &str) -> Option<Url> {
    let issuer = Url::parse(issuer).ok()?;
    Url::parse(&issuer.origin().ascii_serialization()).ok()
}

/// The `settings.oauthClient` Okta needs for the vendor.
fn oauth_settings(desired: &DesiredClient) -> Value {
    let mut settings = json!({
        "application_type": "web",
        "redirect_uris": desired.redirect_uris,
        "post_logout_redirect_uris": desired.post_logout_redirect_uris,
        "grant_types": desired.grant_types,
        "response_types": desired.response_types,
        // No consent screen: the admin approves the app for the org.
        "consent_method": "TRUSTED",
    });
    if let Some(uri) = &desired.initiate_login_uri {
        settings["initiate_login_uri"] = json!(uri);
    }
    settings
}

/// The body of `POST /api/v1/apps`.
pub fn app_body(desired: &DesiredClient) -> Value {
    json!({
        "name": "oidc_client",
        "label": desired.client_name,
        "signOnMode": "OPENID_CONNECT",
        "credentials": { "oauthClient": {
            "token_endpoint_auth_method": desired.token_endpoint_auth_method.as_str(),
            "autoKeyRotation": true,
        } },
        // Federation Broker Mode off: only users and groups assigned to the app sign in.
        "settings": { "implicitAssignment": false, "oauthClient": oauth_settings(desired) },
    })
}

/// The app as Okta holds it, without any secret.
#[derive(Debug, Clone, PartialEq)]
pub struct OktaApp {
    pub id: String,
    pub client_id: String,
    pub status: String,
    pub federation_broker_mode: bool,
    /// Its OIDC settings as RFC 7591 metadata.
    pub metadata: Map<String, Value>,
    /// The whole object as read, for a replace (Okta's `PUT` replaces the app).
    pub object: Map<String, Value>,
}

fn read_app(mut object: Map<String, Value>, step: &'static str) -> Result<OktaApp, AdminApiError> {
    if let Some(Value::Object(credentials)) = object.get_mut("credentials") {
        if let Some(Value::Object(oauth)) = credentials.get_mut("oauthClient") {
            oauth.remove("client_secret");
        }
    }
    let id = admin_api::text_field(API, step, &object, "id")?;
    let oauth_credentials = object.get("credentials").and_then(|c| c.get("oauthClient"));
    let client_id = oauth_credentials
        .and_then(|c| c.get("client_id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| AdminApiError::Unusable { api: API, step, reason: "it has no client_id".into() })?;
    let mut metadata = object
        .get("settings")
        .and_then(|s| s.get("oauthClient"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(method) = oauth_credentials.and_then(|c| c.get("token_endpoint_auth_method")) {
        metadata.insert("token_endpoint_auth_method".into(), method.clone());
    }
    Ok(OktaApp {
        id,
        client_id,
        status: object.get("status").and_then(Value::as_str).unwrap_or("UNKNOWN").to_owned(),
        federation_broker_mode: object
            .get("settings")
            .and_then(|s| s.get("implicitAssignment"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        metadata,
        object,
    })
}

/// Every way the app differs from what the vendor needs.
pub fn differences(desired: &DesiredClient, app: &OktaApp) -> Vec<Difference> {
    let mut out = super::plan::differences(desired, &app.metadata);
    if app.federation_broker_mode {
        out.push(Difference {
            field: "settings.implicitAssignment",
            detail:
                "Federation Broker Mode is on: every user of the org can sign in to the vendor, without an assignment"
                    .into(),
        });
    }
    if app.status != "ACTIVE" {
        out.push(Difference {
            field: "status",
            detail: format!("is {}, not ACTIVE", crate::catalog::org_value::escape_text(&app.status, 20)),
        });
    }
    out
}

fn request(method: JsonMethod, url: String, body: Option<Value>, purpose: String) -> PlannedRequest {
    PlannedRequest { method, url, credential: Some(CREDENTIAL), body, purpose }
}

/// A new app: its creation (active at once), and the group's assignment.
pub fn plan_new_app(org: &Url, desired: &DesiredClient, group: Option<&str>) -> ProvisioningPlan {
    let mut requests = vec![request(
        JsonMethod::Post,
        format!("{org}api/v1/apps?activate=true"),
        Some(app_body(desired)),
        "create the OIDC web app, active, with Federation Broker Mode off; Okta returns the client secret once and it goes to the keychain".into(),
    )];
    if let Some(group) = group {
        requests.push(request(
            JsonMethod::Put,
            format!("{org}api/v1/apps/{NEW_APP_ID}/groups/{group}"),
            Some(json!({})),
            "assign the group to the app".into(),
        ));
    }
    ProvisioningPlan { current: CurrentApp::None, differences: Vec::new(), requests }
}

/// The whole app object with the vendor's settings in it, for a replace.
/// The app as read without what Okta makes itself: the start of a replace's body.
fn writable(app: &OktaApp) -> Value {
    let mut body = app.object.clone();
    for read_only in ["_links", "_embedded", "created", "lastUpdated", "status"] {
        body.remove(read_only);
    }
    Value::Object(body)
}

/// The app as read with other redirect URIs, every other setting as Okta holds it: the body
/// of the replace that adds a sign-in test's loopback URI or takes it out again.
pub fn with_redirect_uris(app: &OktaApp, redirect_uris: &[String]) -> Value {
    let mut body = writable(app);
    body["settings"]["oauthClient"]["redirect_uris"] = json!(redirect_uris);
    body
}

fn replaced(desired: &DesiredClient, app: &OktaApp) -> Value {
    let mut body = writable(app);
    body["settings"]["oauthClient"] = oauth_settings(desired);
    body["settings"]["implicitAssignment"] = json!(false);
    body["credentials"]["oauthClient"]["token_endpoint_auth_method"] =
        json!(desired.token_endpoint_auth_method.as_str());
    body
}

/// An existing app: a replace where the settings differ, an activation where it is inactive;
/// nothing otherwise.
pub fn plan_existing_app(org: &Url, desired: &DesiredClient, app: &OktaApp) -> ProvisioningPlan {
    let differences = differences(desired, app);
    let mut requests = Vec::new();
    if differences.iter().any(|d| d.field != "status") {
        requests.push(request(
            JsonMethod::Put,
            format!("{org}api/v1/apps/{}", app.id),
            Some(replaced(desired, app)),
            "replace the app's settings with what the vendor needs (Okta replaces the whole app)".into(),
        ));
    }
    if differences.iter().any(|d| d.field == "status") {
        requests.push(request(
            JsonMethod::Post,
            format!("{org}api/v1/apps/{}/lifecycle/activate", app.id),
            None,
            "activate the app".into(),
        ));
    }
    ProvisioningPlan { current: CurrentApp::Read { client_id: app.client_id.clone() }, differences, requests }
}

/// A new client secret; the secret is only in `secret`.
pub struct NewSecret {
    pub id: String,
    pub secret: ClientSecret,
}

/// The Okta calls, with the admin's token and the caller's clock (for waits on 429).
pub struct OktaClient<'a, H: HttpFetch> {
    pub http: &'a H,
    pub clock: &'a dyn Clock,
    pub token: &'a ClientSecret,
    pub org: &'a Url,
}

fn escaped(text: &str) -> String {
    crate::catalog::org_value::escape_text(text, 120)
}

impl<H: HttpFetch> OktaClient<'_, H> {
    fn url(&self, path: &str) -> Url {
        self.org.join(path).expect("API paths join onto the org")
    }

    async fn call(
        &self,
        method: JsonMethod,
        url: &Url,
        body: Option<&Value>,
        step: &'static str,
    ) -> Result<FetchedResponse, AdminApiError> {
        admin_api::send(
            self.http,
            self.clock,
            AdminCall {
                api: API,
                method,
                url,
                authorization: authorization(self.token),
                body,
                step,
                needed: MANAGE_APPS,
            },
        )
        .await
    }

    fn gone(&self, answer: &FetchedResponse, id: &str, step: &'static str) -> AdminApiError {
        if answer.status == 404 {
            AdminApiError::Gone { api: API, what: "Okta app", id: escaped(id) }
        } else {
            admin_api::refused(API, step, answer)
        }
    }

    /// Creates the app, active; returns it and the client secret Okta made with it.
    pub async fn create_app(&self, desired: &DesiredClient) -> Result<(OktaApp, ClientSecret), AdminApiError> {
        let step = "create the app";
        let answer =
            self.call(JsonMethod::Post, &self.url("api/v1/apps?activate=true"), Some(&app_body(desired)), step).await?;
        if answer.status != 200 && answer.status != 201 {
            return Err(admin_api::refused(API, step, &answer));
        }
        let mut object = admin_api::json_object(API, step, &answer)?;
        let secret = object
            .get_mut("credentials")
            .and_then(|c| c.get_mut("oauthClient"))
            .and_then(Value::as_object_mut)
            .and_then(|oauth| oauth.remove("client_secret"));
        let secret = match secret {
            Some(Value::String(text)) if !text.is_empty() => ClientSecret::new(text),
            _ => {
                let app = read_app(object, step)?;
                return Err(AdminApiError::Unusable {
                    api: API,
                    step,
                    reason: format!("it has no client_secret (the app {} was created)", escaped(&app.id)),
                });
            }
        };
        Ok((read_app(object, step)?, secret))
    }

    pub async fn app(&self, id: &str) -> Result<OktaApp, AdminApiError> {
        let step = "read the app";
        let answer = self.call(JsonMethod::Get, &self.url(&format!("api/v1/apps/{id}")), None, step).await?;
        match answer.status {
            200 => read_app(admin_api::json_object(API, step, &answer)?, step),
            _ => Err(self.gone(&answer, id, step)),
        }
    }

    /// Replaces the app with `body` (Okta's `PUT` replaces it whole); the app as Okta then holds it.
    pub async fn replace_app(&self, id: &str, body: &Value) -> Result<OktaApp, AdminApiError> {
        let step = "replace the app";
        let answer = self.call(JsonMethod::Put, &self.url(&format!("api/v1/apps/{id}")), Some(body), step).await?;
        match answer.status {
            200 => read_app(admin_api::json_object(API, step, &answer)?, step),
            _ => Err(self.gone(&answer, id, step)),
        }
    }

    pub async fn assign_group(&self, id: &str, group: &str) -> Result<(), AdminApiError> {
        let step = "assign the group to the app";
        let url = self.url(&format!("api/v1/apps/{id}/groups/{group}"));
        let answer = self.call(JsonMethod::Put, &url, Some(&json!({})), step).await?;
        match answer.status {
            200 | 201 => Ok(()),
            404 => Err(AdminApiError::Gone { api: API, what: "group", id: escaped(group) }),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    /// Sends one request of a plan for an existing app (its URL and body as planned).
    pub async fn send_planned(&self, planned: &PlannedRequest) -> Result<(), AdminApiError> {
        let step = "update the app";
        let url = Url::parse(&planned.url).map_err(|_| AdminApiError::Unusable {
            api: API,
            step,
            reason: "a planned URL".into(),
        })?;
        let answer = self.call(planned.method, &url, planned.body.as_ref(), step).await?;
        match answer.status {
            200 | 201 | 204 => Ok(()),
            _ => Err(self.gone(&answer, url.path(), step)),
        }
    }

    /// Deactivates and deletes the app (Okta deletes only an inactive app).
    pub async fn delete_app(&self, id: &str) -> Result<Deletion, AdminApiError> {
        let step = "delete the app";
        let deactivate = self.url(&format!("api/v1/apps/{id}/lifecycle/deactivate"));
        let answer = self.call(JsonMethod::Post, &deactivate, None, step).await?;
        match answer.status {
            200 | 204 => {}
            404 => return Ok(Deletion::AlreadyGone),
            _ => return Err(admin_api::refused(API, step, &answer)),
        }
        let answer = self.call(JsonMethod::Delete, &self.url(&format!("api/v1/apps/{id}")), None, step).await?;
        match answer.status {
            200 | 204 => Ok(Deletion::Deleted),
            404 => Ok(Deletion::AlreadyGone),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    /// The IDs of the app's active client secrets.
    pub async fn active_secret_ids(&self, id: &str) -> Result<Vec<String>, AdminApiError> {
        let step = "list the client secrets";
        let answer =
            self.call(JsonMethod::Get, &self.url(&format!("api/v1/apps/{id}/credentials/secrets")), None, step).await?;
        if answer.status != 200 {
            return Err(self.gone(&answer, id, step));
        }
        let Ok(Value::Array(secrets)) = serde_json::from_slice::<Value>(&answer.body) else {
            return Err(AdminApiError::Unusable { api: API, step, reason: "the body is not a JSON array".into() });
        };
        Ok(secrets
            .iter()
            .filter(|secret| secret.get("status").and_then(Value::as_str) == Some("ACTIVE"))
            .filter_map(|secret| secret.get("id")?.as_str().map(str::to_owned))
            .collect())
    }

    /// Adds a client secret (Okta allows two per app).
    pub async fn add_secret(&self, id: &str) -> Result<NewSecret, AdminApiError> {
        let step = "make a new client secret";
        let url = self.url(&format!("api/v1/apps/{id}/credentials/secrets"));
        let answer = self.call(JsonMethod::Post, &url, Some(&json!({})), step).await?;
        if answer.status != 200 && answer.status != 201 {
            return Err(self.gone(&answer, id, step));
        }
        let mut object = admin_api::json_object(API, step, &answer)?;
        let secret = match object.remove("client_secret") {
            Some(Value::String(text)) if !text.is_empty() => ClientSecret::new(text),
            _ => return Err(AdminApiError::Unusable { api: API, step, reason: "it has no client_secret".into() }),
        };
        Ok(NewSecret { id: admin_api::text_field(API, step, &object, "id")?, secret })
    }

    /// Deactivates and deletes a client secret (only an inactive one can be deleted).
    pub async fn remove_secret(&self, id: &str, secret_id: &str) -> Result<(), AdminApiError> {
        let step = "remove the old client secret";
        let deactivate = self.url(&format!("api/v1/apps/{id}/credentials/secrets/{secret_id}/lifecycle/deactivate"));
        let answer = self.call(JsonMethod::Post, &deactivate, None, step).await?;
        if answer.status != 200 {
            return Err(self.gone(&answer, secret_id, step));
        }
        let url = self.url(&format!("api/v1/apps/{id}/credentials/secrets/{secret_id}"));
        let answer = self.call(JsonMethod::Delete, &url, None, step).await?;
        match answer.status {
            200 | 204 => Ok(()),
            _ => Err(self.gone(&answer, secret_id, step)),
        }
    }
}

/// The app ID in an app URL this module made, checked to be on `org`: a connection file
/// edited to point elsewhere gets no token.
pub fn app_id_of(org: &Url, app_url: &str) -> Option<String> {
    let rest = app_url.strip_prefix(org.as_str())?.strip_prefix("api/v1/apps/")?;
    (!rest.is_empty() && rest.len() <= 40 && rest.chars().all(|c| c.is_ascii_alphanumeric())).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::vendor_profile::TokenEndpointAuthMethod;

    fn desired() -> DesiredClient {
        DesiredClient {
            client_name: "Pivott (p)".into(),
            redirect_uris: vec!["https://app.pivott.io/oidc/callback".into()],
            post_logout_redirect_uris: vec![],
            initiate_login_uri: None,
            grant_types: vec!["authorization_code".into()],
            response_types: vec!["code".into()],
            token_endpoint_auth_method: TokenEndpointAuthMethod::ClientSecretPost,
        }
    }

    fn as_created() -> OktaApp {
        let object = json!({
            "id": "0oa1", "status": "ACTIVE", "label": "Pivott (p)", "_links": {},
            "credentials": { "oauthClient": { "client_id": "0oa1", "token_endpoint_auth_method": "client_secret_post" } },
            "settings": { "implicitAssignment": false, "oauthClient": {
                "redirect_uris": ["https://app.pivott.io/oidc/callback"], "grant_types": ["authorization_code"],
                "response_types": ["code"], "application_type": "web" } },
        });
        read_app(object.as_object().unwrap().clone(), "read").unwrap()
    }

    #[test]
    fn an_app_as_created_needs_nothing_and_broker_mode_is_drift() {
        let org = Url::parse("https://acme.okta.com/").unwrap();
        let plan = plan_existing_app(&org, &desired(), &as_created());
        assert!(plan.differences.is_empty() && plan.requests.is_empty(), "{plan:?}");
        let mut drifted = as_created();
        drifted.federation_broker_mode = true;
        drifted.status = "INACTIVE".into();
        let plan = plan_existing_app(&org, &desired(), &drifted);
        let fields: Vec<&str> = plan.differences.iter().map(|d| d.field).collect();
        assert_eq!(fields, ["settings.implicitAssignment", "status"]);
        let urls: Vec<&str> = plan.requests.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://acme.okta.com/api/v1/apps/0oa1", "https://acme.okta.com/api/v1/apps/0oa1/lifecycle/activate"]
        );
        let body = plan.requests[0].body.as_ref().unwrap();
        assert_eq!(body["settings"]["implicitAssignment"], false);
        assert_eq!(body["label"], "Pivott (p)", "the rest of the app is kept");
        assert!(body.get("_links").is_none());
    }

    #[test]
    fn an_api_token_is_ssws_and_an_access_token_is_bearer() {
        let api_token = ClientSecret::new("00abcDEF-ghi".into());
        assert!(matches!(authorization(&api_token), ApiAuthorization::Ssws(_)));
        let access_token = ClientSecret::new("eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOltdfQ.c2ln".into());
        assert!(matches!(authorization(&access_token), ApiAuthorization::Bearer(_)));
    }

    #[test]
    fn only_an_app_url_on_the_org_gives_an_app_id() {
        let org = Url::parse("https://acme.okta.com/").unwrap();
        assert_eq!(app_id_of(&org, "https://acme.okta.com/api/v1/apps/0oa1b2").as_deref(), Some("0oa1b2"));
        assert_eq!(app_id_of(&org, "https://evil.example/api/v1/apps/0oa1b2"), None);
        assert_eq!(app_id_of(&org, "https://acme.okta.com/api/v1/apps/0oa1/../../users"), None);
        assert_eq!(org_of("https://acme.okta.com/oauth2/default").unwrap().as_str(), "https://acme.okta.com/");
    }
}
