//! Per-IdP setup steps as data (`catalog/idp-guides/<idp>.toml`): where in the IdP's console
//! each thing is done, what to paste there, what to copy back, and the traps.
//!
//! Steps carry a [`SetupPhase`] so [`crate::guide`] can merge them with a vendor's own steps:
//! where a vendor's guide has steps for this IdP and phase, the vendor's wording wins; where
//! it does not, the IdP's steps fill the gap. Lines may use the placeholders listed on
//! [`IdentityProviderStep::lines`]; the guide fills them with the vendor's values.

use crate::catalog::identity_provider::IdentityProviderId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The order in which any SSO setup happens. Vendor steps and IdP steps are merged phase by
/// phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetupPhase {
    /// Before the IdP: find the org value, contact the vendor.
    Prepare,
    /// Create the OIDC application at the IdP.
    CreateApp,
    /// Enter the redirect, sign-out and initiate-login URIs.
    RedirectUris,
    /// Grant types, client authentication, PKCE.
    ClientSettings,
    /// Scopes and claims the vendor needs.
    Claims,
    /// Who may sign in.
    AssignUsers,
    /// Copy the client ID, secret and issuer.
    CollectValues,
    /// Send the values to the vendor.
    SendToVendor,
    /// The vendor finishes and confirms.
    Confirm,
}

impl SetupPhase {
    pub const ALL: [SetupPhase; 9] = [
        SetupPhase::Prepare,
        SetupPhase::CreateApp,
        SetupPhase::RedirectUris,
        SetupPhase::ClientSettings,
        SetupPhase::Claims,
        SetupPhase::AssignUsers,
        SetupPhase::CollectValues,
        SetupPhase::SendToVendor,
        SetupPhase::Confirm,
    ];
}

/// When an IdP step applies, from what the vendor needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepCondition {
    Always,
    /// The vendor has a sign-out URI.
    VendorHasSignOutUri,
    /// The vendor has an initiate-login URI.
    VendorHasInitiateLoginUri,
    /// The vendor requires claims (email, names, ...).
    VendorRequiresClaims,
    /// The vendor requires claims in the ID token itself.
    VendorRequiresIdTokenClaims,
    /// The vendor names the token endpoint auth methods it accepts.
    VendorNamesAuthMethods,
    /// The vendor asks for refresh tokens (an optional grant).
    VendorMentionsRefreshToken,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProviderStep {
    pub phase: SetupPhase,
    pub title: String,
    /// Where in the console, e.g. "Applications → Applications → Create App Integration".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_path: Option<String>,
    /// What to do, one action per line, with the console's own field names in quotes.
    /// Placeholders: `{vendor}`, `{redirect_uri}`, `{sign_out_uri}`, `{initiate_login_uri}`,
    /// `{login_url}`, `{scopes}` (space-separated), `{required_claims}` (comma-separated),
    /// `{auth_methods}` (e.g. "client_secret_basic or client_secret_post").
    pub lines: Vec<String>,
    /// Values to copy back from this screen, e.g. "Client ID".
    #[serde(default)]
    pub copy_back: Vec<String>,
    #[serde(default = "always")]
    pub when: StepCondition,
    /// Public pages the facts come from (https URLs).
    pub sources: Vec<String>,
}

fn always() -> StepCondition {
    StepCondition::Always
}

/// One file of `catalog/idp-guides/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProviderGuide {
    pub identity_provider: IdentityProviderId,
    pub steps: Vec<IdentityProviderStep>,
}
