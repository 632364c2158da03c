//! Entra ID apps through Microsoft Graph v1.0: the application (single tenant, the vendor's
//! redirect and sign-out URIs on the Web platform, no implicit grant, the ID-token optional
//! claims the vendor needs), its service principal with "assignment required" on, a group's
//! assignment, and password credentials with an end date.
//!
//! Every request and its body is documented by Microsoft:
//! - https://learn.microsoft.com/graph/api/application-post-applications?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/resources/webapplication?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/resources/optionalclaim?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/application-addpassword?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/application-removepassword?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/application-update?view=graph-rest-1.0
//! - https://learn.microsoft.com/graph/api/application-delete?view=graph-rest-1.0
//!
//! # Security
//! The admin's Graph token goes only to the public Graph address (or a loopback stand-in in
//! tests: `admin_api::api_base`). `addPassword`'s `secretText` is moved into a
//! [`ClientSecret`] as the answer is read; nothing this module returns holds it in plain.

use super::admin_api::{self, AdminApi, AdminApiError, AdminCall};
use super::client_registration::Deletion;
use super::desired_client::DesiredClient;
use super::plan::{CurrentApp, Difference, PlannedRequest, ProvisioningPlan};
use crate::connections::secret::ClientSecret;
use crate::journeys::Clock;
use crate::oidc::http_fetch::{ApiAuthorization, HttpFetch, JsonMethod};
use serde::Serialize;
use serde_json::{json, Map, Value};
use url::Url;

/// Microsoft Graph v1.0.
pub const PUBLIC_GRAPH: &str = "https://graph.microsoft.com/v1.0/";
/// How a plan names the credential its requests carry.
pub const CREDENTIAL: &str = "Microsoft Graph access token as Bearer";
/// The permissions the admin's token needs, said before anything is sent.
pub const PERMISSIONS_NEEDED: &str = "Application.ReadWrite.All (or Application.ReadWrite.OwnedBy for apps the token's account owns), and AppRoleAssignment.ReadWrite.All to assign a group";
const API: AdminApi = AdminApi::MicrosoftGraph;
const WRITE_APPLICATIONS: &str = "the Graph permission Application.ReadWrite.All (or Application.ReadWrite.OwnedBy)";
const ASSIGN_GROUPS: &str = "the Graph permission AppRoleAssignment.ReadWrite.All";
/// The default app role: access to the app without a particular role
/// (https://learn.microsoft.com/graph/api/resources/approleassignment?view=graph-rest-1.0).
const DEFAULT_ACCESS: &str = "00000000-0000-0000-0000-000000000000";
/// A plan's stand-ins for the IDs Graph makes while the plan is sent.
pub const NEW_APPLICATION_ID: &str = "{id of the new application}";
pub const NEW_APP_ID: &str = "{appId of the new application}";
pub const NEW_SERVICE_PRINCIPAL_ID: &str = "{id of the new service principal}";
/// The name the client secret has in the Entra admin center.
const SECRET_NAME: &str = "sso-setup";

/// What the vendor needs of the Entra app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesiredEntraApp {
    pub client: DesiredClient,
    /// The vendor's claims that Entra adds to the ID token only when configured.
    pub id_token_claims: Vec<String>,
}

impl DesiredEntraApp {
    fn web(&self) -> Value {
        json!({
            "redirectUris": self.client.redirect_uris,
            "logoutUrl": self.client.post_logout_redirect_uris.first(),
            // The vendor uses the code flow; tokens from the authorization endpoint stay off.
            "implicitGrantSettings": { "enableIdTokenIssuance": false, "enableAccessTokenIssuance": false },
        })
    }

    fn optional_claims(&self) -> Value {
        let claims: Vec<Value> = self
            .id_token_claims
            .iter()
            .map(|name| json!({ "name": name, "source": null, "essential": false, "additionalProperties": [] }))
            .collect();
        json!({ "idToken": claims, "accessToken": [], "saml2Token": [] })
    }

    /// The body of `POST /applications`.
    pub fn application_body(&self) -> Value {
        json!({
            "displayName": self.client.client_name,
            "signInAudience": "AzureADMyOrg",
            "web": self.web(),
            "optionalClaims": self.optional_claims(),
        })
    }

    fn service_principal_settings(&self) -> Value {
        // "Assignment required": only users and groups assigned to the app can sign in.
        json!({ "appRoleAssignmentRequired": true, "loginUrl": self.client.initiate_login_uri })
    }
}

/// The application as Graph holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraApplication {
    /// The object ID, which Graph's URLs use.
    pub object_id: String,
    /// The Application (client) ID.
    pub app_id: String,
    pub sign_in_audience: Option<String>,
    pub redirect_uris: Vec<String>,
    pub logout_url: Option<String>,
    pub implicit_id_tokens: bool,
    pub implicit_access_tokens: bool,
    pub id_token_claims: Vec<String>,
    /// `web` whole, as read: what a change of the redirect URIs alone sends back.
    pub web: Map<String, Value>,
}

/// The application's `web` as read with other redirect URIs: the body of the `PATCH` that
/// adds a sign-in test's loopback URI or takes it out again. Graph replaces `web` whole, so
/// the rest (sign-out URL, home page, implicit grant settings) goes back as it was; the
/// SAML-only `redirectUriSettings` stays out, since its indexes point into the old list.
pub fn web_with_redirect_uris(application: &EntraApplication, redirect_uris: &[String]) -> Value {
    let mut web = application.web.clone();
    web.remove("redirectUriSettings");
    web.insert("redirectUris".into(), json!(redirect_uris));
    json!({ "web": web })
}

/// The service principal as Graph holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraServicePrincipal {
    pub id: String,
    pub assignment_required: bool,
    pub login_url: Option<String>,
}

/// A new password credential; the secret is only in `secret`.
pub struct NewPassword {
    pub key_id: String,
    pub secret: ClientSecret,
    /// RFC 3339, as Graph recorded it.
    pub end_date_time: String,
}

fn texts(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn read_application(answer: &Map<String, Value>, step: &'static str) -> Result<EntraApplication, AdminApiError> {
    let web = answer.get("web");
    let implicit = web.and_then(|web| web.get("implicitGrantSettings"));
    let flag = |name: &str| implicit.and_then(|settings| settings.get(name)).and_then(Value::as_bool).unwrap_or(false);
    let id_token_claims = answer
        .get("optionalClaims")
        .and_then(|claims| claims.get("idToken"))
        .and_then(Value::as_array)
        .map(|claims| claims.iter().filter_map(|claim| claim.get("name")?.as_str()).map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(EntraApplication {
        object_id: admin_api::text_field(API, step, answer, "id")?,
        app_id: admin_api::text_field(API, step, answer, "appId")?,
        sign_in_audience: answer.get("signInAudience").and_then(Value::as_str).map(str::to_owned),
        redirect_uris: texts(web.and_then(|web| web.get("redirectUris"))),
        logout_url: web.and_then(|web| web.get("logoutUrl")).and_then(Value::as_str).map(str::to_owned),
        implicit_id_tokens: flag("enableIdTokenIssuance"),
        implicit_access_tokens: flag("enableAccessTokenIssuance"),
        id_token_claims,
        web: web.and_then(Value::as_object).cloned().unwrap_or_default(),
    })
}

fn escaped(text: &str) -> String {
    crate::catalog::org_value::escape_text(text, 200)
}

fn compare_lists(field: &'static str, wanted: &[String], found: &[String], out: &mut Vec<Difference>) {
    for value in wanted.iter().filter(|value| !found.contains(value)) {
        out.push(Difference { field, detail: format!("{} is missing", escaped(value)) });
    }
    for value in found.iter().filter(|value| !wanted.contains(value)) {
        out.push(Difference { field, detail: format!("{} is extra", escaped(value)) });
    }
}

fn compare_one(field: &'static str, wanted: Option<&str>, found: Option<&str>, out: &mut Vec<Difference>) {
    let detail = match (wanted, found) {
        (Some(wanted), None) => format!("{wanted} is missing"),
        (None, Some(found)) => format!("{} is extra", escaped(found)),
        (Some(wanted), Some(found)) if wanted != found => format!("is {}, not {wanted}", escaped(found)),
        _ => return,
    };
    out.push(Difference { field, detail });
}

/// Every way the app differs from what the vendor needs. Entra has no per-app grant types
/// or token endpoint auth method (a web app with a secret takes both basic and post), so
/// those are not compared.
pub fn differences(
    desired: &DesiredEntraApp,
    application: &EntraApplication,
    service_principal: Option<&EntraServicePrincipal>,
) -> Vec<Difference> {
    let mut out = Vec::new();
    compare_lists("web.redirectUris", &desired.client.redirect_uris, &application.redirect_uris, &mut out);
    compare_one(
        "web.logoutUrl",
        desired.client.post_logout_redirect_uris.first().map(String::as_str),
        application.logout_url.as_deref(),
        &mut out,
    );
    if application.implicit_id_tokens || application.implicit_access_tokens {
        out.push(Difference {
            field: "web.implicitGrantSettings",
            detail: "tokens from the authorization endpoint are on; the vendor uses the code flow".into(),
        });
    }
    compare_lists("optionalClaims.idToken", &desired.id_token_claims, &application.id_token_claims, &mut out);
    compare_one("signInAudience", Some("AzureADMyOrg"), application.sign_in_audience.as_deref(), &mut out);
    match service_principal {
        None => out.push(Difference {
            field: "servicePrincipal",
            detail: "is missing: nobody can be assigned to the app".into(),
        }),
        Some(principal) => {
            if !principal.assignment_required {
                out.push(Difference {
                    field: "servicePrincipal.appRoleAssignmentRequired",
                    detail: "is off: every user in the tenant can sign in to the vendor".into(),
                });
            }
            compare_one(
                "servicePrincipal.loginUrl",
                desired.client.initiate_login_uri.as_deref(),
                principal.login_url.as_deref(),
                &mut out,
            );
        }
    }
    out
}

fn request(method: JsonMethod, url: String, body: Option<Value>, purpose: String) -> PlannedRequest {
    PlannedRequest { method, url, credential: Some(CREDENTIAL), body, purpose }
}

/// The requests that create the app: the application, its service principal, the group's
/// assignment, and the client secret. IDs Graph has not made yet are shown as `{…}`.
pub fn plan_new_app(graph: &Url, desired: &DesiredEntraApp, group: Option<&str>, secret_end: &str) -> ProvisioningPlan {
    let mut requests = vec![
        request(
            JsonMethod::Post,
            format!("{graph}applications"),
            Some(desired.application_body()),
            "create the application, single tenant".into(),
        ),
        request(
            JsonMethod::Post,
            format!("{graph}servicePrincipals"),
            Some({
                let mut body = desired.service_principal_settings();
                body["appId"] = json!(NEW_APP_ID);
                body
            }),
            "create its service principal, the Enterprise application, with assignment required".into(),
        ),
    ];
    if let Some(group) = group {
        requests.push(request(
            JsonMethod::Post,
            format!("{graph}servicePrincipals/{NEW_SERVICE_PRINCIPAL_ID}/appRoleAssignedTo"),
            Some(json!({ "principalId": group, "resourceId": NEW_SERVICE_PRINCIPAL_ID, "appRoleId": DEFAULT_ACCESS })),
            "assign the group to the app".into(),
        ));
    }
    requests.push(request(
        JsonMethod::Post,
        format!("{graph}applications/{NEW_APPLICATION_ID}/addPassword"),
        Some(json!({ "passwordCredential": { "displayName": SECRET_NAME, "endDateTime": secret_end } })),
        format!("make the client secret, valid until {secret_end}; Graph returns it once and it goes to the keychain"),
    ));
    ProvisioningPlan { current: CurrentApp::None, differences: Vec::new(), requests }
}

/// An existing app: a `PATCH` of the application and of the service principal where they
/// differ, nothing otherwise. Graph's update replaces each property given, so `web` and
/// `optionalClaims` are sent whole.
pub fn plan_existing_app(
    graph: &Url,
    desired: &DesiredEntraApp,
    application: &EntraApplication,
    service_principal: Option<&EntraServicePrincipal>,
    service_principal_id: Option<&str>,
) -> ProvisioningPlan {
    let differences = differences(desired, application, service_principal);
    let mut requests = Vec::new();
    let application_differs = differences.iter().any(|d| !d.field.starts_with("servicePrincipal"));
    if application_differs {
        requests.push(request(
            JsonMethod::Patch,
            format!("{graph}applications/{}", application.object_id),
            Some(json!({ "signInAudience": "AzureADMyOrg", "web": desired.web(), "optionalClaims": desired.optional_claims() })),
            "update the application to what the vendor needs".into(),
        ));
    }
    match (service_principal, service_principal_id) {
        (Some(principal), _) if differences.iter().any(|d| d.field.starts_with("servicePrincipal.")) => {
            requests.push(request(
                JsonMethod::Patch,
                format!("{graph}servicePrincipals/{}", principal.id),
                Some(desired.service_principal_settings()),
                "turn assignment required back on and set the sign-on URL".into(),
            ));
        }
        (None, _) => {
            let mut body = desired.service_principal_settings();
            body["appId"] = json!(application.app_id);
            requests.push(request(
                JsonMethod::Post,
                format!("{graph}servicePrincipals"),
                Some(body),
                "create the missing service principal with assignment required".into(),
            ));
        }
        _ => {}
    }
    ProvisioningPlan { current: CurrentApp::Read { client_id: application.app_id.clone() }, differences, requests }
}

/// The Graph calls, with the admin's token and the caller's clock (for waits on 429).
pub struct GraphClient<'a, H: HttpFetch> {
    pub http: &'a H,
    pub clock: &'a dyn Clock,
    pub token: &'a ClientSecret,
    pub graph: &'a Url,
}

impl<H: HttpFetch> GraphClient<'_, H> {
    fn url(&self, path: &str) -> Url {
        self.graph.join(path).expect("Graph paths join onto the base")
    }

    async fn call(
        &self,
        method: JsonMethod,
        url: &Url,
        body: Option<&Value>,
        step: &'static str,
        needed: &'static str,
    ) -> Result<crate::oidc::http_fetch::FetchedResponse, AdminApiError> {
        admin_api::send(
            self.http,
            self.clock,
            AdminCall {
                api: API,
                method,
                url,
                authorization: ApiAuthorization::Bearer(self.token.expose()),
                body,
                step,
                needed,
            },
        )
        .await
    }

    pub async fn create_application(&self, desired: &DesiredEntraApp) -> Result<EntraApplication, AdminApiError> {
        let step = "create the application";
        let answer = self
            .call(
                JsonMethod::Post,
                &self.url("applications"),
                Some(&desired.application_body()),
                step,
                WRITE_APPLICATIONS,
            )
            .await?;
        if answer.status != 201 && answer.status != 200 {
            return Err(admin_api::refused(API, step, &answer));
        }
        read_application(&admin_api::json_object(API, step, &answer)?, step)
    }

    pub async fn application(&self, object_id: &str) -> Result<EntraApplication, AdminApiError> {
        let step = "read the application";
        let answer = self
            .call(JsonMethod::Get, &self.url(&format!("applications/{object_id}")), None, step, WRITE_APPLICATIONS)
            .await?;
        match answer.status {
            200 => read_application(&admin_api::json_object(API, step, &answer)?, step),
            404 => Err(AdminApiError::Gone { api: API, what: "Entra application", id: escaped(object_id) }),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    pub async fn create_service_principal(
        &self,
        desired: &DesiredEntraApp,
        app_id: &str,
    ) -> Result<EntraServicePrincipal, AdminApiError> {
        let step = "create the service principal";
        let mut body = desired.service_principal_settings();
        body["appId"] = json!(app_id);
        let answer =
            self.call(JsonMethod::Post, &self.url("servicePrincipals"), Some(&body), step, WRITE_APPLICATIONS).await?;
        if answer.status != 201 && answer.status != 200 {
            return Err(admin_api::refused(API, step, &answer));
        }
        read_service_principal(&admin_api::json_object(API, step, &answer)?, step)
    }

    /// The service principal; `None` when it is gone.
    pub async fn service_principal(&self, id: &str) -> Result<Option<EntraServicePrincipal>, AdminApiError> {
        let step = "read the service principal";
        let answer = self
            .call(JsonMethod::Get, &self.url(&format!("servicePrincipals/{id}")), None, step, WRITE_APPLICATIONS)
            .await?;
        match answer.status {
            200 => Ok(Some(read_service_principal(&admin_api::json_object(API, step, &answer)?, step)?)),
            404 => Ok(None),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    pub async fn assign_group(&self, service_principal_id: &str, group: &str) -> Result<(), AdminApiError> {
        let step = "assign the group to the app";
        let body = json!({ "principalId": group, "resourceId": service_principal_id, "appRoleId": DEFAULT_ACCESS });
        let url = self.url(&format!("servicePrincipals/{service_principal_id}/appRoleAssignedTo"));
        let answer = self.call(JsonMethod::Post, &url, Some(&body), step, ASSIGN_GROUPS).await?;
        match answer.status {
            200 | 201 => Ok(()),
            404 => Err(AdminApiError::Gone { api: API, what: "group", id: escaped(group) }),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    pub async fn add_password(&self, object_id: &str, end_date_time: &str) -> Result<NewPassword, AdminApiError> {
        let step = "make the client secret";
        let body = json!({ "passwordCredential": { "displayName": SECRET_NAME, "endDateTime": end_date_time } });
        let url = self.url(&format!("applications/{object_id}/addPassword"));
        let answer = self.call(JsonMethod::Post, &url, Some(&body), step, WRITE_APPLICATIONS).await?;
        if answer.status != 200 && answer.status != 201 {
            return Err(admin_api::refused(API, step, &answer));
        }
        let mut object = admin_api::json_object(API, step, &answer)?;
        let secret = match object.remove("secretText") {
            Some(Value::String(text)) if !text.is_empty() => ClientSecret::new(text),
            _ => return Err(AdminApiError::Unusable { api: API, step, reason: "it has no secretText".into() }),
        };
        Ok(NewPassword {
            key_id: admin_api::text_field(API, step, &object, "keyId")?,
            secret,
            end_date_time: admin_api::text_field(API, step, &object, "endDateTime")?,
        })
    }

    pub async fn remove_password(&self, object_id: &str, key_id: &str) -> Result<(), AdminApiError> {
        let step = "remove the old client secret";
        let url = self.url(&format!("applications/{object_id}/removePassword"));
        let answer =
            self.call(JsonMethod::Post, &url, Some(&json!({ "keyId": key_id })), step, WRITE_APPLICATIONS).await?;
        match answer.status {
            200 | 204 => Ok(()),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    /// A `PATCH` of the application with `body`.
    pub async fn update_application(&self, object_id: &str, body: &Value) -> Result<(), AdminApiError> {
        let step = "update the application";
        let url = self.url(&format!("applications/{object_id}"));
        let answer = self.call(JsonMethod::Patch, &url, Some(body), step, WRITE_APPLICATIONS).await?;
        match answer.status {
            200 | 204 => Ok(()),
            404 => Err(AdminApiError::Gone { api: API, what: "Entra application", id: escaped(object_id) }),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    /// Sends one `PATCH` or `POST` of a plan for an existing app (its URL and body as planned).
    pub async fn send_planned(&self, planned: &PlannedRequest) -> Result<(), AdminApiError> {
        let step = "update the app";
        let url = Url::parse(&planned.url).map_err(|_| AdminApiError::Unusable {
            api: API,
            step,
            reason: "a planned URL".into(),
        })?;
        let answer = self.call(planned.method, &url, planned.body.as_ref(), step, WRITE_APPLICATIONS).await?;
        match answer.status {
            200 | 201 | 204 => Ok(()),
            404 => Err(AdminApiError::Gone { api: API, what: "Entra application", id: escaped(url.path()) }),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }

    /// Deletes the application, and with it its service principal (Graph keeps it in the
    /// tenant's deleted items for 30 days).
    pub async fn delete_application(&self, object_id: &str) -> Result<Deletion, AdminApiError> {
        let step = "delete the application";
        let answer = self
            .call(JsonMethod::Delete, &self.url(&format!("applications/{object_id}")), None, step, WRITE_APPLICATIONS)
            .await?;
        match answer.status {
            200 | 204 => Ok(Deletion::Deleted),
            404 => Ok(Deletion::AlreadyGone),
            _ => Err(admin_api::refused(API, step, &answer)),
        }
    }
}

fn read_service_principal(
    answer: &Map<String, Value>,
    step: &'static str,
) -> Result<EntraServicePrincipal, AdminApiError> {
    Ok(EntraServicePrincipal {
        id: admin_api::text_field(API, step, answer, "id")?,
        assignment_required: answer.get("appRoleAssignmentRequired").and_then(Value::as_bool).unwrap_or(false),
        login_url: answer.get("loginUrl").and_then(Value::as_str).map(str::to_owned),
    })
}

/// The object ID in an application URL this module made, checked to be on `graph`: a
/// connection file edited to point elsewhere gets no token.
pub fn object_id_of(graph: &Url, application_url: &str) -> Option<String> {
    let rest = application_url.strip_prefix(graph.as_str())?.strip_prefix("applications/")?;
    crate::oidc::issuer::looks_like_guid(rest).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::vendor_profile::TokenEndpointAuthMethod;

    fn desired() -> DesiredEntraApp {
        DesiredEntraApp {
            client: DesiredClient {
                client_name: "Peerpanda (p)".into(),
                redirect_uris: vec!["https://v.example/cb".into()],
                post_logout_redirect_uris: vec!["https://v.example/out".into()],
                initiate_login_uri: Some("https://v.example/login".into()),
                grant_types: vec!["authorization_code".into()],
                response_types: vec!["code".into()],
                token_endpoint_auth_method: TokenEndpointAuthMethod::ClientSecretBasic,
            },
            id_token_claims: vec!["email".into(), "given_name".into()],
        }
    }

    fn as_created(desired: &DesiredEntraApp) -> EntraApplication {
        EntraApplication {
            object_id: "11111111-1111-1111-1111-111111111111".into(),
            app_id: "22222222-2222-2222-2222-222222222222".into(),
            sign_in_audience: Some("AzureADMyOrg".into()),
            redirect_uris: desired.client.redirect_uris.clone(),
            logout_url: desired.client.post_logout_redirect_uris.first().cloned(),
            implicit_id_tokens: false,
            implicit_access_tokens: false,
            id_token_claims: desired.id_token_claims.clone(),
            web: json!({
                "redirectUris": desired.client.redirect_uris,
                "logoutUrl": desired.client.post_logout_redirect_uris.first(),
                "homePageUrl": "https://v.example/home",
                "implicitGrantSettings": { "enableIdTokenIssuance": false, "enableAccessTokenIssuance": false },
                "redirectUriSettings": [{ "uri": "https://v.example/cb", "index": null }],
            })
            .as_object()
            .unwrap()
            .clone(),
        }
    }

    #[test]
    fn a_change_of_the_redirect_uris_alone_sends_the_rest_of_web_back_as_it_was() {
        let application = as_created(&desired());
        let with_loopback = vec!["https://v.example/cb".to_owned(), "http://127.0.0.1:4711/callback".to_owned()];
        let body = web_with_redirect_uris(&application, &with_loopback);
        assert_eq!(
            body,
            json!({ "web": {
                "redirectUris": with_loopback,
                "logoutUrl": "https://v.example/out",
                "homePageUrl": "https://v.example/home",
                "implicitGrantSettings": { "enableIdTokenIssuance": false, "enableAccessTokenIssuance": false },
            } })
        );
    }

    #[test]
    fn an_app_as_created_needs_nothing_and_each_drift_is_named_and_planned() {
        let graph = Url::parse(PUBLIC_GRAPH).unwrap();
        let desired = desired();
        let principal = EntraServicePrincipal {
            id: "sp".into(),
            assignment_required: true,
            login_url: Some("https://v.example/login".into()),
        };
        let same = as_created(&desired);
        let plan = plan_existing_app(&graph, &desired, &same, Some(&principal), Some("sp"));
        assert!(plan.differences.is_empty() && plan.requests.is_empty(), "{plan:?}");

        let drifted = EntraApplication {
            redirect_uris: vec!["https://v.example/cb".into(), "https://other.example/cb".into()],
            implicit_id_tokens: true,
            id_token_claims: vec!["email".into()],
            ..same
        };
        let open = EntraServicePrincipal { assignment_required: false, ..principal };
        let plan = plan_existing_app(&graph, &desired, &drifted, Some(&open), Some("sp"));
        let shown: Vec<String> = plan.differences.iter().map(|d| format!("{} {}", d.field, d.detail)).collect();
        assert_eq!(
            shown,
            [
                "web.redirectUris https://other.example/cb is extra",
                "web.implicitGrantSettings tokens from the authorization endpoint are on; the vendor uses the code flow",
                "optionalClaims.idToken given_name is missing",
                "servicePrincipal.appRoleAssignmentRequired is off: every user in the tenant can sign in to the vendor",
            ]
        );
        let methods: Vec<(&str, &str)> = plan.requests.iter().map(|r| (r.method.as_str(), r.url.as_str())).collect();
        assert_eq!(
            methods,
            [
                ("PATCH", "https://graph.microsoft.com/v1.0/applications/11111111-1111-1111-1111-111111111111"),
                ("PATCH", "https://graph.microsoft.com/v1.0/servicePrincipals/sp"),
            ]
        );
        assert_eq!(plan.requests[0].body.as_ref().unwrap()["web"]["redirectUris"], json!(["https://v.example/cb"]));
    }

    #[test]
    fn a_new_app_is_four_requests_with_the_secret_last() {
        let graph = Url::parse(PUBLIC_GRAPH).unwrap();
        let plan =
            plan_new_app(&graph, &desired(), Some("33333333-3333-3333-3333-333333333333"), "2027-12-02T00:00:00Z");
        let urls: Vec<&str> = plan.requests.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://graph.microsoft.com/v1.0/applications",
                "https://graph.microsoft.com/v1.0/servicePrincipals",
                "https://graph.microsoft.com/v1.0/servicePrincipals/{id of the new service principal}/appRoleAssignedTo",
                "https://graph.microsoft.com/v1.0/applications/{id of the new application}/addPassword",
            ]
        );
        let body = plan.requests[0].body.as_ref().unwrap();
        assert_eq!(body["signInAudience"], "AzureADMyOrg");
        assert_eq!(body["web"]["logoutUrl"], "https://v.example/out");
        assert_eq!(body["optionalClaims"]["idToken"][1]["name"], "given_name");
        assert!(plan.requests.iter().all(|r| r.credential == Some(CREDENTIAL)));
    }

    #[test]
    fn only_an_application_url_on_graph_gives_an_object_id() {
        let graph = Url::parse(PUBLIC_GRAPH).unwrap();
        let id = "11111111-1111-1111-1111-111111111111";
        assert_eq!(object_id_of(&graph, &format!("{PUBLIC_GRAPH}applications/{id}")).as_deref(), Some(id));
        assert_eq!(object_id_of(&graph, &format!("https://graph.example/v1.0/applications/{id}")), None);
        assert_eq!(object_id_of(&graph, &format!("{PUBLIC_GRAPH}applications/{id}/../../me")), None);
    }
}
