//! The admin's own sign-in for the token that creates and keeps the IdP app, for those who
//! have no token at hand, at the IdP the app lives in, with a public client the admin names,
//! asking for just the admin API's scopes: the OAuth 2.0 device authorization grant (RFC 8628)
//! where no browser is at hand, or the authorization code grant with PKCE in the browser on
//! this computer, back to the loopback listener (RFC 8252). The token is used for the run it
//! was asked for, and kept only when the admin asks: in the keychain, for one connection
//! ([`keep_admin_token`], account `<connection>#admin`), where every journey on that
//! connection finds it when no token is given, until [`forget_admin_token`] or the
//! connection's deletion removes it.
//!
//! Which issuer and which scopes are IdP facts: Entra ID's tenant v2.0 issuer with Graph's
//! delegated permissions (https://learn.microsoft.com/graph/permissions-reference), Okta's
//! org authorization server with the Management API's scopes
//! (https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/). Standard client
//! registration takes an initial access token, which is not an OAuth token, so it has none.

use super::{boxed, JourneyError, SideEffects};
use crate::catalog::identity_provider::IdentityProviderId;
use crate::connections::secret::ClientSecret;
use crate::error::{ErrorCode, FailureKind, UserFacingError};
use crate::oidc::browser_authorization::{sign_in_with_browser, BrowserSignIn};
use crate::oidc::device_authorization::{sign_in_with_device_code, DeviceSignIn, UserCode};
use crate::oidc::http_fetch::HttpFetch;
use crate::oidc::issuer::normalise_issuer;

pub struct AdminSignInInput<'a> {
    /// The connection the token is for: a saved one gives its IdP and issuer.
    pub connection: &'a str,
    /// For a new connection.
    pub identity_provider: Option<IdentityProviderId>,
    pub issuer: Option<&'a str>,
    /// The public client the admin registered for this (the grant of `method` allowed).
    pub client_id: &'a str,
    pub method: AdminSignInMethod,
}

/// How the admin signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminSignInMethod {
    /// A code shown here and typed on any device's browser (RFC 8628).
    DeviceCode,
    /// This computer's browser, back to the loopback listener on any port (`None`: for an IdP
    /// that matches loopback URIs on any port, as RFC 8252 §7.3 asks) or on a fixed one.
    Browser { port: Option<u16> },
}

/// How long a browser sign-in is waited for.
const BROWSER_SIGN_IN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// What the admin is shown while signing in.
pub enum AdminSignInPrompt<'a> {
    /// The code to type, and where.
    DeviceCode(&'a UserCode),
    /// The browser was opened at this URL.
    BrowserOpened(&'a url::Url),
    /// No browser opened: the admin opens the URL.
    OpenThis { url: &'a url::Url, reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum AdminSignInError {
    #[error("an admin sign-in is offered for Entra ID and Okta; {idp} takes an admin token")]
    NotOffered { idp: &'static str },
    #[error("the IdP and the issuer are needed for an admin sign-in")]
    MissingArgument,
}

impl UserFacingError for AdminSignInError {
    fn code(&self) -> ErrorCode {
        match self {
            AdminSignInError::NotOffered { .. } => ErrorCode::AdminSignInNotOffered,
            AdminSignInError::MissingArgument => ErrorCode::ProvisionMissingArgument,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            AdminSignInError::NotOffered { .. } => "give the admin token instead".into(),
            AdminSignInError::MissingArgument => "give the IdP and the issuer of the new connection".into(),
        })
    }

    fn failure_kind(&self) -> FailureKind {
        FailureKind::BadInput
    }
}

/// Keeps the admin's token in the keychain for `connection` (the admin asked for it), in place
/// of one kept before. Called after the token did its work, so a refused token is not kept.
/// Only an app changed through Microsoft Graph or the Okta API keeps one: standard
/// registration's initial access token is spent once the app exists, and the app is then
/// changed with its registration access token. Returns whether the token was kept.
pub fn keep_admin_token(effects: &SideEffects, connection: &str, token: &ClientSecret) -> Result<bool, JourneyError> {
    use crate::connections::connection::ManagementApi;
    let saved = effects.connections.load(connection).map_err(boxed)?;
    match saved.management.as_ref().map(|management| management.api) {
        Some(ManagementApi::MicrosoftGraph | ManagementApi::OktaApps) => {
            effects.secrets.put(&crate::provisioning::admin_account(connection), token).map_err(boxed)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Removes the admin's token kept for `connection`. Returns whether there was one.
pub fn forget_admin_token(effects: &SideEffects, connection: &str) -> Result<bool, JourneyError> {
    crate::connections::connection::check_connection_name(connection).map_err(boxed)?;
    effects.secrets.delete(&crate::provisioning::admin_account(connection)).map_err(boxed)
}

/// Whether an admin token is kept for `connection`.
pub fn admin_token_is_kept(effects: &SideEffects, connection: &str) -> bool {
    matches!(effects.secrets.get(&crate::provisioning::admin_account(connection)), Ok(Some(_)))
}

/// The issuer to sign in at and the scopes to ask for.
fn where_to_sign_in(
    identity_provider: IdentityProviderId,
    issuer: &str,
) -> Result<(String, Vec<String>), JourneyError> {
    match identity_provider {
        IdentityProviderId::Entra => Ok((
            issuer.to_owned(),
            ["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"]
                .iter()
                .map(|permission| format!("https://graph.microsoft.com/{permission}"))
                .collect(),
        )),
        IdentityProviderId::Okta => {
            let org = crate::provisioning::okta_apps::org_of(issuer)
                .ok_or_else(|| boxed(AdminSignInError::MissingArgument))?;
            Ok((
                org.as_str().trim_end_matches('/').to_owned(),
                vec!["okta.apps.manage".into(), "okta.apps.read".into()],
            ))
        }
        other => Err(boxed(AdminSignInError::NotOffered { idp: other.as_str() })),
    }
}

/// The IdP and the issuer of the connection an admin token is for: a saved connection's own,
/// or a new one's as given (normalised as `provision` normalises it). A token is only ever
/// used for the issuer it was asked at.
pub fn connection_issuer(
    effects: &SideEffects,
    connection: &str,
    identity_provider: Option<IdentityProviderId>,
    issuer: Option<&str>,
) -> Result<(IdentityProviderId, String), JourneyError> {
    if effects.connections.path_of(connection).exists() {
        let saved = effects.connections.load(connection).map_err(boxed)?;
        return Ok((saved.idp, saved.issuer));
    }
    let identity_provider = identity_provider.ok_or_else(|| boxed(AdminSignInError::MissingArgument))?;
    let issuer = issuer.ok_or_else(|| boxed(AdminSignInError::MissingArgument))?;
    let normalised = normalise_issuer(issuer, Some(identity_provider), None).map_err(boxed)?;
    Ok((identity_provider, normalised.issuer))
}

/// Signs the admin in; `show` gets what the admin needs to see (the code to type and where,
/// or the page opened in the browser).
pub async fn sign_in_admin<H: HttpFetch>(
    http: &H,
    effects: &SideEffects,
    input: AdminSignInInput<'_>,
    show: impl FnOnce(AdminSignInPrompt<'_>),
) -> Result<ClientSecret, JourneyError> {
    let (identity_provider, issuer) =
        connection_issuer(effects, input.connection, input.identity_provider, input.issuer)?;
    let (issuer, scopes) = where_to_sign_in(identity_provider, &issuer)?;
    match input.method {
        AdminSignInMethod::DeviceCode => sign_in_with_device_code(
            http,
            DeviceSignIn { issuer: &issuer, client_id: input.client_id, scopes: &scopes },
            |code| show(AdminSignInPrompt::DeviceCode(code)),
        )
        .await
        .map_err(boxed),
        AdminSignInMethod::Browser { port } => {
            let request = BrowserSignIn {
                issuer: &issuer,
                client_id: input.client_id,
                scopes: &scopes,
                port,
                timeout: BROWSER_SIGN_IN_TIMEOUT,
            };
            sign_in_with_browser(http, request, |url| match effects.browser.open(url) {
                Ok(()) => show(AdminSignInPrompt::BrowserOpened(url)),
                Err(error) => show(AdminSignInPrompt::OpenThis { url, reason: error.to_string() }),
            })
            .await
            .map_err(boxed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the admin signs in, and for what: Entra ID at the tenant's own issuer for Graph's
    /// delegated permissions; Okta at the org authorization server (the issuer's origin, even
    /// when the connection uses a custom authorization server) for the Apps API's scopes.
    #[test]
    fn the_admin_signs_in_at_the_tenant_or_the_org_for_the_admin_api_alone() {
        let tenant = "https://login.microsoftonline.com/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/v2.0";
        let (issuer, scopes) = where_to_sign_in(IdentityProviderId::Entra, tenant).unwrap();
        assert_eq!(issuer, tenant);
        assert_eq!(
            scopes,
            [
                "https://graph.microsoft.com/Application.ReadWrite.All",
                "https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All"
            ]
        );
        let (issuer, scopes) =
            where_to_sign_in(IdentityProviderId::Okta, "https://acme.okta.com/oauth2/default").unwrap();
        assert_eq!(issuer, "https://acme.okta.com");
        assert_eq!(scopes, ["okta.apps.manage", "okta.apps.read"]);
        let refused =
            where_to_sign_in(IdentityProviderId::Keycloak, "https://sso.example.com/realms/acme").unwrap_err();
        assert_eq!(refused.code(), ErrorCode::AdminSignInNotOffered);
    }
}
