//! A vendor profile: everything one SaaS vendor's SSO guide says, as typed data.
//!
//! Profiles are TOML files (`catalog/vendors/*.toml`, or the admin's own folder). They are
//! read in two stages: serde parses the file into these types (unknown keys are refused,
//! so a typo never silently drops a value), then [`VendorProfile::check`] validates what
//! the types cannot express: one default region, well-formed hosts, templates whose
//! placeholders sit only in the path. The JSON schema in `catalog/vendor-profile.schema.json`
//! is generated from these types (a test fails when it is stale), for editors and for
//! people writing their own profiles.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::identity_provider_guide::SetupPhase;
use crate::catalog::org_value::OrgValueRule;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The profile format this build reads. A file with another value is refused, never guessed.
pub const PROFILE_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorProfile {
    /// Always 1 for this version of the format.
    pub format_version: u32,
    /// The identifier used on the command line: lowercase letters, digits and hyphens.
    pub id: String,
    /// The vendor's name as it writes it.
    pub name: String,
    /// One sentence on what the vendor's SSO connection is.
    pub summary: String,
    /// The documents this profile encodes, so anyone can check a value against its source.
    pub sources: Vec<ProfileSource>,
    /// The per-customer value that goes into the vendor's URIs; absent when the vendor
    /// publishes no URI with one (Pivott).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<OrgValueSpec>,
    /// The vendor's regions; exactly one is the default.
    pub regions: Vec<VendorRegion>,
    /// The identity providers the vendor's guide names, in its order.
    pub identity_providers: Vec<SupportedIdentityProvider>,
    /// The URIs the admin registers at the IdP, and the vendor's login URL.
    pub uris: VendorUriSpecs,
    /// What the OIDC client at the IdP must be configured with.
    pub oidc: OidcRequirements,
    /// What the admin sends the vendor once the IdP app exists, in the guide's words.
    pub send_to_vendor: Vec<ItemToSend>,
    /// How users sign in once SSO is active.
    pub sign_in: SignInInstructions,
    /// The vendor's own steps, in order. Steps with an empty `identity_providers` list apply
    /// to every IdP.
    pub steps: Vec<VendorStep>,
    /// Caveats and facts from the guide that are not steps.
    #[serde(default)]
    pub notes: Vec<VendorNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileSource {
    pub title: String,
    /// The public address of the document, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// What was captured and when, and what is missing from the capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The per-customer value in the vendor's URIs (Pelanor's `organization_id`, Peerpanda's
/// `account_slug`, Pacvue's client name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgValueSpec {
    /// What the vendor calls the value, exactly as its guide writes it: `organization_id`.
    pub name: String,
    /// A label for forms: "Organization ID".
    pub label: String,
    /// How the guide writes the value inside its URIs: `{organization_id}`, `[client name]`.
    pub placeholder: String,
    /// Where the admin finds the value, in the guide's words.
    pub where_to_find: String,
    /// A valid example value, used in tests and shown in forms.
    pub example: String,
    pub rule: OrgValueRule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorRegion {
    /// The identifier used on the command line, e.g. `us`.
    pub id: String,
    /// The name the guide uses, e.g. "US (default)".
    pub name: String,
    /// The vendor's host name for this region, e.g. `app.pelanor.io`.
    pub host: String,
    #[serde(default)]
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportedIdentityProvider {
    pub id: IdentityProviderId,
    /// The value that replaces `{idp}` in the vendor's URIs (Pelanor: `entra`, `okta`,
    /// `jumpcloud`). Required when a template uses `{idp}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The name the vendor's guide uses for the IdP, when it differs ("Azure AD").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_in_guide: Option<String>,
}

/// The four URIs a vendor may publish. Each is either a template, supplied by the vendor
/// on request, or not used by this vendor (absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorUriSpecs {
    /// The sign-in redirect URI (the OIDC `redirect_uri`).
    pub redirect: UriSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_out: Option<UriSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiate_login: Option<UriSpec>,
    /// Where users go to sign in with SSO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_url: Option<UriSpec>,
    /// True where the vendor's guide says the vendor issues or confirms the redirect URI
    /// itself (Pacvue sends it; Pivott supplies it), so the admin must use the vendor's copy.
    pub vendor_confirms_redirect_uri: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UriSpec {
    /// The label the vendor's guide gives this URI, e.g. "Redirect Uri".
    pub label: String,
    /// The URI with placeholders: `{host}` (the region's host, only as the whole host),
    /// `{org}` and `{idp}` (only in the path). Absent when the vendor supplies the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// True when the guide does not publish the value and the vendor supplies it.
    #[serde(default)]
    pub supplied_by_vendor: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcRequirements {
    /// The scopes to request, `openid` first.
    pub scopes: Vec<String>,
    /// Whether `scopes` comes from the guide (true) or is the OIDC minimum because the guide
    /// names none (false).
    pub scopes_from_guide: bool,
    /// Grant types as the guide names them.
    pub grant_types: Vec<GrantType>,
    /// Claims the vendor needs.
    #[serde(default)]
    pub required_claims: Vec<RequiredClaim>,
    /// Token endpoint authentication methods the vendor accepts; empty when the guide is silent.
    #[serde(default)]
    pub token_endpoint_auth_methods: Vec<TokenEndpointAuthMethod>,
    /// How the IdP app authenticates the client, in the guide's words ("Client secret").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_authentication: Option<String>,
    /// The application type the guide asks for ("Web Application").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantType {
    /// The OAuth identifier, e.g. `authorization_code`.
    pub id: String,
    /// The guide's words, e.g. "Authorization Code".
    pub name: String,
    /// Whether the guide makes it optional ("enable Refresh Token if needed").
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequiredClaim {
    pub name: String,
    /// True when the vendor reads the claim from the ID token itself, so a claim that only
    /// the userinfo endpoint returns is not enough (Peerpanda).
    pub in_id_token: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenEndpointAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
}

impl TokenEndpointAuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenEndpointAuthMethod::ClientSecretBasic => "client_secret_basic",
            TokenEndpointAuthMethod::ClientSecretPost => "client_secret_post",
        }
    }
}

/// One thing the admin sends the vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemToSend {
    pub kind: ItemToSendKind,
    /// The guide's words, e.g. "Issuer URL / IdP domain".
    pub label: String,
    /// True when the guide says to send it only if the IdP produces it.
    #[serde(default)]
    pub when_available: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemToSendKind {
    ClientId,
    ClientSecret,
    /// The issuer URL, or the IdP's domain, from which the vendor derives the issuer.
    Issuer,
    OktaDomain,
    DiscoveryUrl,
    TokenEndpointAuthMethod,
    /// The IdP's sign-in URL for the organisation (Pacvue's "Login URL").
    IdpLoginUrl,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInInstructions {
    /// The steps a user takes to sign in, in the guide's words. `{login_url}` and `{org}`
    /// are filled in when known.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepOwner {
    /// The admin does this (the guides' "Client").
    Admin,
    /// The vendor does this.
    Vendor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorStep {
    /// Where the step falls in a setup; vendor and IdP steps are merged phase by phase.
    pub phase: SetupPhase,
    pub title: String,
    /// The console path the vendor's guide gives, when it gives one. A vendor step for one
    /// IdP with a console path replaces the IdP's own steps of that phase (the vendor's
    /// wording wins); without one, the IdP's steps follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_path: Option<String>,
    /// Lines of the step. The guide-text placeholders (`catalog::placeholders::GUIDE_TEXT`:
    /// `{redirect_uri}`, `{org}`, `{vendor}`, ...) are filled in when the guide is rendered.
    pub lines: Vec<String>,
    pub owner: StepOwner,
    /// The IdPs this step is for; empty for every IdP.
    #[serde(default)]
    pub identity_providers: Vec<IdentityProviderId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorNote {
    /// A stable identifier, e.g. `azure-email-claim`.
    pub id: String,
    pub title: String,
    pub text: String,
    /// The IdPs the note is about; empty for every IdP.
    #[serde(default)]
    pub identity_providers: Vec<IdentityProviderId>,
}

impl VendorProfile {
    /// The region used when the admin names none.
    pub fn default_region(&self) -> &VendorRegion {
        self.regions.iter().find(|region| region.default).unwrap_or(&self.regions[0])
    }

    pub fn region(&self, id: &str) -> Option<&VendorRegion> {
        self.regions.iter().find(|region| region.id == id)
    }

    pub fn supported_identity_provider(&self, id: IdentityProviderId) -> Option<&SupportedIdentityProvider> {
        self.identity_providers.iter().find(|supported| supported.id == id)
    }

    /// The identifiers of the supported IdPs, in the guide's order, joined for messages.
    pub fn identity_provider_list(&self) -> String {
        self.identity_providers.iter().map(|supported| supported.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The region identifiers, joined for messages.
    pub fn region_list(&self) -> String {
        self.regions.iter().map(|region| region.id.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Every URI spec with its kind, in a fixed order.
    pub fn uri_specs(&self) -> Vec<(UriKind, &UriSpec)> {
        let mut specs = vec![(UriKind::Redirect, &self.uris.redirect)];
        if let Some(spec) = &self.uris.sign_out {
            specs.push((UriKind::SignOut, spec));
        }
        if let Some(spec) = &self.uris.initiate_login {
            specs.push((UriKind::InitiateLogin, spec));
        }
        if let Some(spec) = &self.uris.login_url {
            specs.push((UriKind::LoginUrl, spec));
        }
        specs
    }

    /// True when some template contains `{idp}`, so the admin must name the IdP to build it.
    pub fn uris_name_the_identity_provider(&self) -> bool {
        self.uri_specs()
            .iter()
            .any(|(_, spec)| spec.template.as_deref().is_some_and(|template| template.contains("{idp}")))
    }
}

/// Which of the vendor's URIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UriKind {
    Redirect,
    SignOut,
    InitiateLogin,
    LoginUrl,
}

impl UriKind {
    pub fn describe(self) -> &'static str {
        match self {
            UriKind::Redirect => "sign-in redirect URI",
            UriKind::SignOut => "sign-out redirect URI",
            UriKind::InitiateLogin => "initiate-login URI",
            UriKind::LoginUrl => "login URL",
        }
    }
}
