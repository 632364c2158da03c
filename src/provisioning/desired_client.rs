//! The client the vendor needs at the IdP, as data: its exact redirect URIs (from the vendor's
//! templates, or checked ones the vendor sent), sign-out and initiate-login URIs, grant and
//! response types, and the token endpoint auth method the vendor accepts.
//!
//! The same value is what a registration sends (RFC 7591 §2 client metadata), what a drift
//! check compares the IdP's app against, and what a dry run prints.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::redirect_uri::{build_vendor_uris, check_pasted_uri, RedirectUriError, UriRequest};
use crate::catalog::vendor_profile::{TokenEndpointAuthMethod, VendorProfile};
use crate::error::UserFacingError;
use serde::Serialize;
use serde_json::{json, Value};

/// What the vendor needs the IdP app to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesiredClient {
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub initiate_login_uri: Option<String>,
    pub grant_types: Vec<String>,
    pub response_types: Vec<String>,
    pub token_endpoint_auth_method: TokenEndpointAuthMethod,
}

/// What the desired client is computed from.
#[derive(Debug, Clone, Copy)]
pub struct DesiredClientRequest<'a> {
    pub profile: &'a VendorProfile,
    pub identity_provider: IdentityProviderId,
    pub region: Option<&'a str>,
    pub org: &'a str,
    pub connection: &'a str,
    /// URIs the vendor sent, for a vendor that supplies its own (Pivott).
    pub given_redirect_uris: &'a [String],
    pub given_sign_out_uris: &'a [String],
}

#[derive(Debug, thiserror::Error)]
pub enum DesiredClientError {
    #[error(transparent)]
    Uri(#[from] RedirectUriError),
    #[error("{vendor} sends its {what} itself, and none was given")]
    VendorUrisNeeded { vendor: String, what: &'static str },
    #[error("the {what} given: {error}")]
    GivenUriRefused { what: &'static str, error: crate::catalog::redirect_uri::PastedUriError },
}

impl UserFacingError for DesiredClientError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            DesiredClientError::Uri(error) => error.code(),
            DesiredClientError::VendorUrisNeeded { .. } => crate::error::ErrorCode::ProvisionVendorUrisNeeded,
            DesiredClientError::GivenUriRefused { error, .. } => error.code(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            DesiredClientError::Uri(error) => error.hint(),
            DesiredClientError::VendorUrisNeeded { vendor, .. } => {
                Some(format!("ask {vendor} for the URIs of your account and give each one"))
            }
            DesiredClientError::GivenUriRefused { error, .. } => error.hint(),
        }
    }
}

/// The client the vendor needs. Only what the vendor's guide asks for is in it: grant types
/// the guide makes optional are left out, and the first auth method the vendor accepts is
/// used (client_secret_basic when the guide is silent: RFC 7591 §2's default).
pub fn desired_client(request: DesiredClientRequest<'_>) -> Result<DesiredClient, DesiredClientError> {
    let profile = request.profile;
    let uris = build_vendor_uris(
        profile,
        UriRequest { region: request.region, identity_provider: Some(request.identity_provider), org: request.org },
    );
    let (redirect_uris, sign_out_uri, initiate_login_uri) = match uris {
        Ok(uris) => (vec![uris.redirect_uri], uris.sign_out_uri, uris.initiate_login_uri),
        Err(RedirectUriError::SuppliedByVendor { .. }) => (Vec::new(), None, None),
        Err(other) => return Err(other.into()),
    };
    let checked = |what: &'static str, given: &[String]| -> Result<Vec<String>, DesiredClientError> {
        given
            .iter()
            .map(|uri| match check_pasted_uri(profile, uri) {
                Ok(check) => Ok(check.uri),
                Err(error) => Err(DesiredClientError::GivenUriRefused { what, error }),
            })
            .collect()
    };
    let redirect_uris = match (redirect_uris.is_empty(), request.given_redirect_uris.is_empty()) {
        (false, true) => redirect_uris,
        (_, false) => checked("redirect URI", request.given_redirect_uris)?,
        (true, true) => {
            return Err(DesiredClientError::VendorUrisNeeded { vendor: profile.name.clone(), what: "redirect URI" })
        }
    };
    let post_logout_redirect_uris = if request.given_sign_out_uris.is_empty() {
        sign_out_uri.into_iter().collect()
    } else {
        checked("sign-out URI", request.given_sign_out_uris)?
    };
    let mut grant_types: Vec<String> =
        profile.oidc.grant_types.iter().filter(|grant| !grant.optional).map(|grant| grant.id.clone()).collect();
    if !grant_types.iter().any(|grant| grant == "authorization_code") {
        grant_types.push("authorization_code".into());
    }
    Ok(DesiredClient {
        client_name: format!("{} ({})", profile.name, request.connection),
        redirect_uris,
        post_logout_redirect_uris,
        initiate_login_uri,
        grant_types,
        response_types: vec!["code".into()],
        token_endpoint_auth_method: profile
            .oidc
            .token_endpoint_auth_methods
            .first()
            .copied()
            .unwrap_or(TokenEndpointAuthMethod::ClientSecretBasic),
    })
}

impl DesiredClient {
    /// The client metadata of a registration request (RFC 7591 §2; OpenID Connect Dynamic
    /// Client Registration 1.0 §2 for `initiate_login_uri` and `application_type`, and
    /// RP-Initiated Logout 1.0 §3.1 for `post_logout_redirect_uris`). Nothing in it is secret.
    pub fn registration_metadata(&self) -> Value {
        let mut metadata = json!({
            "client_name": self.client_name,
            "application_type": "web",
            "redirect_uris": self.redirect_uris,
            "grant_types": self.grant_types,
            "response_types": self.response_types,
            "token_endpoint_auth_method": self.token_endpoint_auth_method.as_str(),
        });
        if !self.post_logout_redirect_uris.is_empty() {
            metadata["post_logout_redirect_uris"] = json!(self.post_logout_redirect_uris);
        }
        if let Some(uri) = &self.initiate_login_uri {
            metadata["initiate_login_uri"] = json!(uri);
        }
        metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn request<'a>(profile: &'a VendorProfile, redirect: &'a [String]) -> DesiredClientRequest<'a> {
        DesiredClientRequest {
            profile,
            identity_provider: if profile.id == "pivott" {
                IdentityProviderId::Okta
            } else {
                IdentityProviderId::Generic
            },
            region: None,
            org: "acme",
            connection: "peerpanda-acme",
            given_redirect_uris: redirect,
            given_sign_out_uris: &[],
        }
    }

    #[test]
    fn peerpanda_needs_its_three_uris_and_the_grants_its_guide_names() {
        let catalog = Catalog::built_in().unwrap();
        let profile = &catalog.vendor("peerpanda").unwrap().profile;
        let desired = desired_client(request(profile, &[])).unwrap();
        assert_eq!(desired.redirect_uris, ["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"]);
        assert_eq!(desired.post_logout_redirect_uris, ["https://getpeerpanda.com/app/accounts/oidc/acme/login/"]);
        assert_eq!(
            desired.initiate_login_uri.as_deref(),
            Some("https://getpeerpanda.com/app/accounts/oidc/acme/login/")
        );
        assert_eq!(desired.grant_types, ["client_credentials", "authorization_code"]);
        assert_eq!(desired.token_endpoint_auth_method, TokenEndpointAuthMethod::ClientSecretBasic);
        let metadata = desired.registration_metadata();
        assert_eq!(metadata["application_type"], "web");
        assert_eq!(metadata["response_types"], json!(["code"]));
    }

    #[test]
    fn a_vendor_that_sends_its_own_uris_needs_them_given_and_checked() {
        let catalog = Catalog::built_in().unwrap();
        let profile = &catalog.vendor("pivott").unwrap().profile;
        let error = desired_client(request(profile, &[])).unwrap_err();
        assert_eq!(error.code(), "provision-vendor-uris-needed");
        let foreign = ["https://evil.example/oidc/callback".to_owned()];
        assert_eq!(desired_client(request(profile, &foreign)).unwrap_err().code(), "pasted-uri-foreign-host");
        let given = ["https://app.pivott.io/oidc/callback".to_owned()];
        assert_eq!(desired_client(request(profile, &given)).unwrap().redirect_uris, given);
    }
}
