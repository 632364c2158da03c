//! What every error of the core can tell a person: a stable code, a message that says what
//! happened, and a hint that says what to do next.
//!
//! Each module has its own error enum; they all implement [`UserFacingError`], so the
//! command line prints `error:` and `hint:` lines and the desktop app receives
//! [`ErrorReport`] (`{code, message, hint}`) and branches on the code, never on the wording.

use serde::Serialize;

/// An error that a person can act on.
pub trait UserFacingError: std::error::Error {
    /// A stable, machine-readable identifier, such as `org-value-uppercase`. The desktop app
    /// and scripts branch on it; the wording of the message may change.
    fn code(&self) -> ErrorCode;

    /// What to do next, in one or two sentences, when there is something useful to say.
    fn hint(&self) -> Option<String>;

    /// Whether the input broke a rule (the default) or the world did not answer as it
    /// should: a keychain that is locked, a provider that refuses. The command line exits 2
    /// for the first and 1 for the second; the app shows both the same way.
    fn failure_kind(&self) -> FailureKind {
        FailureKind::BadInput
    }

    /// The error as a serialisable value, for `--json` output and the desktop app.
    fn to_report(&self) -> ErrorReport {
        ErrorReport { code: self.code(), message: self.to_string(), hint: self.hint() }
    }
}

/// See [`UserFacingError::failure_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// The input broke a rule; the same input will fail again.
    BadInput,
    /// A check of something outside (keychain, provider, file) failed.
    CheckFailed,
}

/// The shape in which an error crosses a process or IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    pub hint: Option<String>,
}

/// Every error code sso-setup can report: the one typed set the desktop app branches on and
/// scripts read from `--json`. Each module's errors map onto these in their
/// [`UserFacingError::code`]; the TypeScript type of the web view is generated from this
/// enum (`ui/src/ipc/generated.ts`), so a code the UI names that the core does not have is a
/// type error, not a branch that never runs. A code never changes its spelling once
/// released; new ones are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    // The command line's own input
    UnknownIdentityProvider,
    StdinUnreadable,
    WouldOverwrite,
    ExplainNotRecognised,
    FlowFailed,
    FlowSecretFromTwoPlaces,
    DemoIdpBindFailed,
    UnknownAuthMethod,
    VendorFolderMissing,
    DiscoveryFailed,
    // connections::bundle
    BundleBadIdentityFile,
    BundleBadRecipient,
    BundleExcessiveWork,
    BundleFileTooLarge,
    BundleNoMatchingKey,
    BundleNoRecipient,
    BundleNotABundle,
    BundleNotAge,
    BundlePassphraseMismatch,
    BundlePayloadTooLarge,
    BundleShortPassphrase,
    BundleTampered,
    BundleUnreadable,
    BundleWriteFailed,
    BundleWrongPassphrase,
    // catalog
    ProfileDuplicateId,
    ProfileInvalid,
    ProfilePosesAsBuiltIn,
    ProfileTooLarge,
    ProfileUnreadable,
    ProfileWriteFailed,
    UnknownVendor,
    // platform::clipboard
    ClipboardRefused,
    ClipboardUnavailable,
    // connections::connection
    ConnectionBadName,
    ConnectionCorrupt,
    ConnectionEmptyClientId,
    ConnectionEmptySecret,
    ConnectionNewerVersion,
    ConnectionNoSecret,
    ConnectionNotFound,
    ConnectionSecretBoundElsewhere,
    ConnectionSecretNeededAgain,
    ConnectionUnreadable,
    ConnectionWriteFailed,
    // A failed provider check that stopped a sign-in test
    DiscoveryDocument,
    DiscoveryEndpointsSecure,
    DiscoveryIssParameter,
    DiscoveryIssuerMatches,
    DiscoveryJwks,
    DiscoveryJwksUsableKey,
    DiscoveryPkceS256,
    DiscoveryResponseTypeCode,
    DiscoverySigningAlgorithms,
    DiscoveryTokenEndpointAuth,
    DiscoveryVendorClaims,
    DiscoveryVendorScopes,
    // oidc::sign_in_flow
    DiscoveryMissingEndpoint,
    TokenError,
    TokenResponseUnusable,
    UserinfoSubMismatch,
    VendorClaimsMissing,
    // oidc::http_fetch
    FetchConnectionFailed,
    FetchHostNotFound,
    FetchHttpStatus,
    FetchInsecureScheme,
    FetchReadFailed,
    FetchRedirected,
    FetchTimedOut,
    FetchTlsRejected,
    FetchTooLarge,
    FetchUnsupportedScheme,
    // oidc::id_token
    IdTokenAlgorithmRefused,
    IdTokenAmbiguousKey,
    IdTokenBadSignature,
    IdTokenExpired,
    IdTokenIssuedInFuture,
    IdTokenMalformed,
    IdTokenMalformedAudience,
    IdTokenMissingClaim,
    IdTokenNoUsableKey,
    IdTokenTooOld,
    IdTokenUnknownKey,
    IdTokenUntrustedAudience,
    IdTokenWrongAtHash,
    IdTokenWrongAudience,
    IdTokenWrongAzp,
    IdTokenWrongIssuer,
    IdTokenWrongNonce,
    // oidc::issuer
    IssuerEmpty,
    IssuerEntraMultiTenant,
    IssuerQueryOrFragment,
    IssuerShorthandNeedsProvider,
    IssuerUnparseable,
    // journeys::save_connection
    BadDate,
    // journeys::sign_in_test
    FlowMissingArgument,
    FlowNoSecret,
    SignInCancelled,
    // provisioning and journeys::provision
    ProvisionNotSupported,
    ProvisionNoRegistrationEndpoint,
    ProvisionVendorUrisNeeded,
    ProvisionConnectionInUse,
    ProvisionNotProvisioned,
    ProvisionValuesDiffer,
    ProvisionOptionNotSupported,
    ProvisionMissingArgument,
    ProvisionIncomplete,
    HealthCheckFailed,
    ConnectionProvisionedValuesChanged,
    FlowTemporaryUriLeftBehind,
    ProvisionDrifted,
    ProvisionNotConfirmed,
    RegistrationAdminTokenRefused,
    RegistrationManagementTokenRefused,
    RegistrationManagementTokenMissing,
    RegistrationRefused,
    RegistrationClientGone,
    RegistrationResponseUnusable,
    RegistrationChangedByProvider,
    AdminApiTokenRefused,
    AdminApiPermissionDenied,
    AdminApiRefused,
    AdminApiAppGone,
    AdminApiThrottled,
    AdminApiAnswerUnusable,
    AdminApiNotLoopback,
    ProvisionAdminTokenNeeded,
    ProvisionGroupNotAnId,
    ProvisionSecretLifetimeOutOfRange,
    ProvisionManagementElsewhere,
    RotationNotProvisioned,
    RotationNotSupported,
    RotationAlreadyStarted,
    RotationNothingToFinish,
    RotationIncomplete,
    AdminSignInNoDeviceEndpoint,
    AdminSignInForeignEndpoint,
    AdminSignInRefused,
    AdminSignInDenied,
    AdminSignInExpired,
    AdminSignInAnswerUnusable,
    AdminSignInNotOffered,
    ReportWriteFailed,
    // connections::keychain
    KeychainFailed,
    KeychainLocked,
    KeychainSecretTooLong,
    KeychainUnavailable,
    // oidc::loopback
    CallbackIssuerMismatch,
    CallbackMissingCode,
    CallbackMissingIssuer,
    CallbackProviderError,
    LoopbackBindFailed,
    LoopbackNotLoopback,
    LoopbackPortInUse,
    LoopbackTimedOut,
    // catalog::org_value
    OrgValueCharacterNotAllowed,
    OrgValueControlCharacter,
    OrgValueDotSegment,
    OrgValueEdgeHyphen,
    OrgValueEmpty,
    OrgValueNonAscii,
    OrgValueTooLong,
    OrgValueUppercase,
    OrgValueWhitespace,
    // catalog::redirect_uri
    IdentityProviderNeeded,
    PastedUriBadOrgValue,
    PastedUriForeignHost,
    PastedUriNoTemplateMatches,
    PastedUriNotAUrl,
    PastedUriNotHttps,
    PastedUriUnexpectedPart,
    PastedUriWhitespace,
    UnknownRegion,
    UnsupportedIdentityProvider,
    UriEscapedTemplate,
    UriSuppliedByVendor,
    // platform::system_browser
    BrowserNotAsked,
    BrowserNotStarted,
    BrowserRefusedScheme,
}

impl ErrorCode {
    /// Every code, in the order declared.
    pub const ALL: &[ErrorCode] = &[
        ErrorCode::UnknownIdentityProvider,
        ErrorCode::StdinUnreadable,
        ErrorCode::WouldOverwrite,
        ErrorCode::ExplainNotRecognised,
        ErrorCode::FlowFailed,
        ErrorCode::FlowSecretFromTwoPlaces,
        ErrorCode::DemoIdpBindFailed,
        ErrorCode::UnknownAuthMethod,
        ErrorCode::VendorFolderMissing,
        ErrorCode::DiscoveryFailed,
        ErrorCode::BundleBadIdentityFile,
        ErrorCode::BundleBadRecipient,
        ErrorCode::BundleExcessiveWork,
        ErrorCode::BundleFileTooLarge,
        ErrorCode::BundleNoMatchingKey,
        ErrorCode::BundleNoRecipient,
        ErrorCode::BundleNotABundle,
        ErrorCode::BundleNotAge,
        ErrorCode::BundlePassphraseMismatch,
        ErrorCode::BundlePayloadTooLarge,
        ErrorCode::BundleShortPassphrase,
        ErrorCode::BundleTampered,
        ErrorCode::BundleUnreadable,
        ErrorCode::BundleWriteFailed,
        ErrorCode::BundleWrongPassphrase,
        ErrorCode::ProfileDuplicateId,
        ErrorCode::ProfileInvalid,
        ErrorCode::ProfilePosesAsBuiltIn,
        ErrorCode::ProfileTooLarge,
        ErrorCode::ProfileUnreadable,
        ErrorCode::ProfileWriteFailed,
        ErrorCode::UnknownVendor,
        ErrorCode::ClipboardRefused,
        ErrorCode::ClipboardUnavailable,
        ErrorCode::ConnectionBadName,
        ErrorCode::ConnectionCorrupt,
        ErrorCode::ConnectionEmptyClientId,
        ErrorCode::ConnectionEmptySecret,
        ErrorCode::ConnectionNewerVersion,
        ErrorCode::ConnectionNoSecret,
        ErrorCode::ConnectionNotFound,
        ErrorCode::ConnectionSecretBoundElsewhere,
        ErrorCode::ConnectionSecretNeededAgain,
        ErrorCode::ConnectionUnreadable,
        ErrorCode::ConnectionWriteFailed,
        ErrorCode::DiscoveryDocument,
        ErrorCode::DiscoveryEndpointsSecure,
        ErrorCode::DiscoveryIssParameter,
        ErrorCode::DiscoveryIssuerMatches,
        ErrorCode::DiscoveryJwks,
        ErrorCode::DiscoveryJwksUsableKey,
        ErrorCode::DiscoveryPkceS256,
        ErrorCode::DiscoveryResponseTypeCode,
        ErrorCode::DiscoverySigningAlgorithms,
        ErrorCode::DiscoveryTokenEndpointAuth,
        ErrorCode::DiscoveryVendorClaims,
        ErrorCode::DiscoveryVendorScopes,
        ErrorCode::DiscoveryMissingEndpoint,
        ErrorCode::TokenError,
        ErrorCode::TokenResponseUnusable,
        ErrorCode::UserinfoSubMismatch,
        ErrorCode::VendorClaimsMissing,
        ErrorCode::FetchConnectionFailed,
        ErrorCode::FetchHostNotFound,
        ErrorCode::FetchHttpStatus,
        ErrorCode::FetchInsecureScheme,
        ErrorCode::FetchReadFailed,
        ErrorCode::FetchRedirected,
        ErrorCode::FetchTimedOut,
        ErrorCode::FetchTlsRejected,
        ErrorCode::FetchTooLarge,
        ErrorCode::FetchUnsupportedScheme,
        ErrorCode::IdTokenAlgorithmRefused,
        ErrorCode::IdTokenAmbiguousKey,
        ErrorCode::IdTokenBadSignature,
        ErrorCode::IdTokenExpired,
        ErrorCode::IdTokenIssuedInFuture,
        ErrorCode::IdTokenMalformed,
        ErrorCode::IdTokenMalformedAudience,
        ErrorCode::IdTokenMissingClaim,
        ErrorCode::IdTokenNoUsableKey,
        ErrorCode::IdTokenTooOld,
        ErrorCode::IdTokenUnknownKey,
        ErrorCode::IdTokenUntrustedAudience,
        ErrorCode::IdTokenWrongAtHash,
        ErrorCode::IdTokenWrongAudience,
        ErrorCode::IdTokenWrongAzp,
        ErrorCode::IdTokenWrongIssuer,
        ErrorCode::IdTokenWrongNonce,
        ErrorCode::IssuerEmpty,
        ErrorCode::IssuerEntraMultiTenant,
        ErrorCode::IssuerQueryOrFragment,
        ErrorCode::IssuerShorthandNeedsProvider,
        ErrorCode::IssuerUnparseable,
        ErrorCode::BadDate,
        ErrorCode::FlowMissingArgument,
        ErrorCode::FlowNoSecret,
        ErrorCode::SignInCancelled,
        ErrorCode::ProvisionNotSupported,
        ErrorCode::ProvisionNoRegistrationEndpoint,
        ErrorCode::ProvisionVendorUrisNeeded,
        ErrorCode::ProvisionConnectionInUse,
        ErrorCode::ProvisionNotProvisioned,
        ErrorCode::ProvisionValuesDiffer,
        ErrorCode::ProvisionOptionNotSupported,
        ErrorCode::ProvisionMissingArgument,
        ErrorCode::ProvisionIncomplete,
        ErrorCode::HealthCheckFailed,
        ErrorCode::ConnectionProvisionedValuesChanged,
        ErrorCode::FlowTemporaryUriLeftBehind,
        ErrorCode::ProvisionDrifted,
        ErrorCode::ProvisionNotConfirmed,
        ErrorCode::RegistrationAdminTokenRefused,
        ErrorCode::RegistrationManagementTokenRefused,
        ErrorCode::RegistrationManagementTokenMissing,
        ErrorCode::RegistrationRefused,
        ErrorCode::RegistrationClientGone,
        ErrorCode::RegistrationResponseUnusable,
        ErrorCode::RegistrationChangedByProvider,
        ErrorCode::AdminApiTokenRefused,
        ErrorCode::AdminApiPermissionDenied,
        ErrorCode::AdminApiRefused,
        ErrorCode::AdminApiAppGone,
        ErrorCode::AdminApiThrottled,
        ErrorCode::AdminApiAnswerUnusable,
        ErrorCode::AdminApiNotLoopback,
        ErrorCode::ProvisionAdminTokenNeeded,
        ErrorCode::ProvisionGroupNotAnId,
        ErrorCode::ProvisionSecretLifetimeOutOfRange,
        ErrorCode::ProvisionManagementElsewhere,
        ErrorCode::RotationNotProvisioned,
        ErrorCode::RotationNotSupported,
        ErrorCode::RotationAlreadyStarted,
        ErrorCode::RotationNothingToFinish,
        ErrorCode::RotationIncomplete,
        ErrorCode::AdminSignInNoDeviceEndpoint,
        ErrorCode::AdminSignInForeignEndpoint,
        ErrorCode::AdminSignInRefused,
        ErrorCode::AdminSignInDenied,
        ErrorCode::AdminSignInExpired,
        ErrorCode::AdminSignInAnswerUnusable,
        ErrorCode::AdminSignInNotOffered,
        ErrorCode::ReportWriteFailed,
        ErrorCode::KeychainFailed,
        ErrorCode::KeychainLocked,
        ErrorCode::KeychainSecretTooLong,
        ErrorCode::KeychainUnavailable,
        ErrorCode::CallbackIssuerMismatch,
        ErrorCode::CallbackMissingCode,
        ErrorCode::CallbackMissingIssuer,
        ErrorCode::CallbackProviderError,
        ErrorCode::LoopbackBindFailed,
        ErrorCode::LoopbackNotLoopback,
        ErrorCode::LoopbackPortInUse,
        ErrorCode::LoopbackTimedOut,
        ErrorCode::OrgValueCharacterNotAllowed,
        ErrorCode::OrgValueControlCharacter,
        ErrorCode::OrgValueDotSegment,
        ErrorCode::OrgValueEdgeHyphen,
        ErrorCode::OrgValueEmpty,
        ErrorCode::OrgValueNonAscii,
        ErrorCode::OrgValueTooLong,
        ErrorCode::OrgValueUppercase,
        ErrorCode::OrgValueWhitespace,
        ErrorCode::IdentityProviderNeeded,
        ErrorCode::PastedUriBadOrgValue,
        ErrorCode::PastedUriForeignHost,
        ErrorCode::PastedUriNoTemplateMatches,
        ErrorCode::PastedUriNotAUrl,
        ErrorCode::PastedUriNotHttps,
        ErrorCode::PastedUriUnexpectedPart,
        ErrorCode::PastedUriWhitespace,
        ErrorCode::UnknownRegion,
        ErrorCode::UnsupportedIdentityProvider,
        ErrorCode::UriEscapedTemplate,
        ErrorCode::UriSuppliedByVendor,
        ErrorCode::BrowserNotAsked,
        ErrorCode::BrowserNotStarted,
        ErrorCode::BrowserRefusedScheme,
    ];

    /// The code as scripts and the UI see it, e.g. `org-value-uppercase`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnknownIdentityProvider => "unknown-identity-provider",
            ErrorCode::StdinUnreadable => "stdin-unreadable",
            ErrorCode::WouldOverwrite => "would-overwrite",
            ErrorCode::ExplainNotRecognised => "explain-not-recognised",
            ErrorCode::FlowFailed => "flow-failed",
            ErrorCode::FlowSecretFromTwoPlaces => "flow-secret-from-two-places",
            ErrorCode::DemoIdpBindFailed => "demo-idp-bind-failed",
            ErrorCode::UnknownAuthMethod => "unknown-auth-method",
            ErrorCode::VendorFolderMissing => "vendor-folder-missing",
            ErrorCode::DiscoveryFailed => "discovery-failed",
            ErrorCode::BundleBadIdentityFile => "bundle-bad-identity-file",
            ErrorCode::BundleBadRecipient => "bundle-bad-recipient",
            ErrorCode::BundleExcessiveWork => "bundle-excessive-work",
            ErrorCode::BundleFileTooLarge => "bundle-file-too-large",
            ErrorCode::BundleNoMatchingKey => "bundle-no-matching-key",
            ErrorCode::BundleNoRecipient => "bundle-no-recipient",
            ErrorCode::BundleNotABundle => "bundle-not-a-bundle",
            ErrorCode::BundleNotAge => "bundle-not-age",
            ErrorCode::BundlePassphraseMismatch => "bundle-passphrase-mismatch",
            ErrorCode::BundlePayloadTooLarge => "bundle-payload-too-large",
            ErrorCode::BundleShortPassphrase => "bundle-short-passphrase",
            ErrorCode::BundleTampered => "bundle-tampered",
            ErrorCode::BundleUnreadable => "bundle-unreadable",
            ErrorCode::BundleWriteFailed => "bundle-write-failed",
            ErrorCode::BundleWrongPassphrase => "bundle-wrong-passphrase",
            ErrorCode::ProfileDuplicateId => "profile-duplicate-id",
            ErrorCode::ProfileInvalid => "profile-invalid",
            ErrorCode::ProfilePosesAsBuiltIn => "profile-poses-as-built-in",
            ErrorCode::ProfileTooLarge => "profile-too-large",
            ErrorCode::ProfileUnreadable => "profile-unreadable",
            ErrorCode::ProfileWriteFailed => "profile-write-failed",
            ErrorCode::UnknownVendor => "unknown-vendor",
            ErrorCode::ClipboardRefused => "clipboard-refused",
            ErrorCode::ClipboardUnavailable => "clipboard-unavailable",
            ErrorCode::ConnectionBadName => "connection-bad-name",
            ErrorCode::ConnectionCorrupt => "connection-corrupt",
            ErrorCode::ConnectionEmptyClientId => "connection-empty-client-id",
            ErrorCode::ConnectionEmptySecret => "connection-empty-secret",
            ErrorCode::ConnectionNewerVersion => "connection-newer-version",
            ErrorCode::ConnectionNoSecret => "connection-no-secret",
            ErrorCode::ConnectionNotFound => "connection-not-found",
            ErrorCode::ConnectionSecretBoundElsewhere => "connection-secret-bound-elsewhere",
            ErrorCode::ConnectionSecretNeededAgain => "connection-secret-needed-again",
            ErrorCode::ConnectionUnreadable => "connection-unreadable",
            ErrorCode::ConnectionWriteFailed => "connection-write-failed",
            ErrorCode::DiscoveryDocument => "discovery-document",
            ErrorCode::DiscoveryEndpointsSecure => "discovery-endpoints-secure",
            ErrorCode::DiscoveryIssParameter => "discovery-iss-parameter",
            ErrorCode::DiscoveryIssuerMatches => "discovery-issuer-matches",
            ErrorCode::DiscoveryJwks => "discovery-jwks",
            ErrorCode::DiscoveryJwksUsableKey => "discovery-jwks-usable-key",
            ErrorCode::DiscoveryPkceS256 => "discovery-pkce-s256",
            ErrorCode::DiscoveryResponseTypeCode => "discovery-response-type-code",
            ErrorCode::DiscoverySigningAlgorithms => "discovery-signing-algorithms",
            ErrorCode::DiscoveryTokenEndpointAuth => "discovery-token-endpoint-auth",
            ErrorCode::DiscoveryVendorClaims => "discovery-vendor-claims",
            ErrorCode::DiscoveryVendorScopes => "discovery-vendor-scopes",
            ErrorCode::DiscoveryMissingEndpoint => "discovery-missing-endpoint",
            ErrorCode::TokenError => "token-error",
            ErrorCode::TokenResponseUnusable => "token-response-unusable",
            ErrorCode::UserinfoSubMismatch => "userinfo-sub-mismatch",
            ErrorCode::VendorClaimsMissing => "vendor-claims-missing",
            ErrorCode::FetchConnectionFailed => "fetch-connection-failed",
            ErrorCode::FetchHostNotFound => "fetch-host-not-found",
            ErrorCode::FetchHttpStatus => "fetch-http-status",
            ErrorCode::FetchInsecureScheme => "fetch-insecure-scheme",
            ErrorCode::FetchReadFailed => "fetch-read-failed",
            ErrorCode::FetchRedirected => "fetch-redirected",
            ErrorCode::FetchTimedOut => "fetch-timed-out",
            ErrorCode::FetchTlsRejected => "fetch-tls-rejected",
            ErrorCode::FetchTooLarge => "fetch-too-large",
            ErrorCode::FetchUnsupportedScheme => "fetch-unsupported-scheme",
            ErrorCode::IdTokenAlgorithmRefused => "id-token-algorithm-refused",
            ErrorCode::IdTokenAmbiguousKey => "id-token-ambiguous-key",
            ErrorCode::IdTokenBadSignature => "id-token-bad-signature",
            ErrorCode::IdTokenExpired => "id-token-expired",
            ErrorCode::IdTokenIssuedInFuture => "id-token-issued-in-future",
            ErrorCode::IdTokenMalformed => "id-token-malformed",
            ErrorCode::IdTokenMalformedAudience => "id-token-malformed-audience",
            ErrorCode::IdTokenMissingClaim => "id-token-missing-claim",
            ErrorCode::IdTokenNoUsableKey => "id-token-no-usable-key",
            ErrorCode::IdTokenTooOld => "id-token-too-old",
            ErrorCode::IdTokenUnknownKey => "id-token-unknown-key",
            ErrorCode::IdTokenUntrustedAudience => "id-token-untrusted-audience",
            ErrorCode::IdTokenWrongAtHash => "id-token-wrong-at-hash",
            ErrorCode::IdTokenWrongAudience => "id-token-wrong-audience",
            ErrorCode::IdTokenWrongAzp => "id-token-wrong-azp",
            ErrorCode::IdTokenWrongIssuer => "id-token-wrong-issuer",
            ErrorCode::IdTokenWrongNonce => "id-token-wrong-nonce",
            ErrorCode::IssuerEmpty => "issuer-empty",
            ErrorCode::IssuerEntraMultiTenant => "issuer-entra-multi-tenant",
            ErrorCode::IssuerQueryOrFragment => "issuer-query-or-fragment",
            ErrorCode::IssuerShorthandNeedsProvider => "issuer-shorthand-needs-provider",
            ErrorCode::IssuerUnparseable => "issuer-unparseable",
            ErrorCode::BadDate => "bad-date",
            ErrorCode::FlowMissingArgument => "flow-missing-argument",
            ErrorCode::FlowNoSecret => "flow-no-secret",
            ErrorCode::SignInCancelled => "sign-in-cancelled",
            ErrorCode::ProvisionNotSupported => "provision-not-supported",
            ErrorCode::ProvisionNoRegistrationEndpoint => "provision-no-registration-endpoint",
            ErrorCode::ProvisionVendorUrisNeeded => "provision-vendor-uris-needed",
            ErrorCode::ProvisionConnectionInUse => "provision-connection-in-use",
            ErrorCode::ProvisionNotProvisioned => "provision-not-provisioned",
            ErrorCode::ProvisionValuesDiffer => "provision-values-differ",
            ErrorCode::ProvisionOptionNotSupported => "provision-option-not-supported",
            ErrorCode::ProvisionMissingArgument => "provision-missing-argument",
            ErrorCode::ProvisionIncomplete => "provision-incomplete",
            ErrorCode::HealthCheckFailed => "health-check-failed",
            ErrorCode::ConnectionProvisionedValuesChanged => "connection-provisioned-values-changed",
            ErrorCode::FlowTemporaryUriLeftBehind => "flow-temporary-uri-left-behind",
            ErrorCode::ProvisionDrifted => "provision-drifted",
            ErrorCode::ProvisionNotConfirmed => "provision-not-confirmed",
            ErrorCode::RegistrationAdminTokenRefused => "registration-admin-token-refused",
            ErrorCode::RegistrationManagementTokenRefused => "registration-management-token-refused",
            ErrorCode::RegistrationManagementTokenMissing => "registration-management-token-missing",
            ErrorCode::RegistrationRefused => "registration-refused",
            ErrorCode::RegistrationClientGone => "registration-client-gone",
            ErrorCode::RegistrationResponseUnusable => "registration-response-unusable",
            ErrorCode::RegistrationChangedByProvider => "registration-changed-by-provider",
            ErrorCode::AdminApiTokenRefused => "admin-api-token-refused",
            ErrorCode::AdminApiPermissionDenied => "admin-api-permission-denied",
            ErrorCode::AdminApiRefused => "admin-api-refused",
            ErrorCode::AdminApiAppGone => "admin-api-app-gone",
            ErrorCode::AdminApiThrottled => "admin-api-throttled",
            ErrorCode::AdminApiAnswerUnusable => "admin-api-answer-unusable",
            ErrorCode::AdminApiNotLoopback => "admin-api-not-loopback",
            ErrorCode::ProvisionAdminTokenNeeded => "provision-admin-token-needed",
            ErrorCode::ProvisionGroupNotAnId => "provision-group-not-an-id",
            ErrorCode::ProvisionSecretLifetimeOutOfRange => "provision-secret-lifetime-out-of-range",
            ErrorCode::ProvisionManagementElsewhere => "provision-management-elsewhere",
            ErrorCode::RotationNotProvisioned => "rotation-not-provisioned",
            ErrorCode::RotationNotSupported => "rotation-not-supported",
            ErrorCode::RotationAlreadyStarted => "rotation-already-started",
            ErrorCode::RotationNothingToFinish => "rotation-nothing-to-finish",
            ErrorCode::RotationIncomplete => "rotation-incomplete",
            ErrorCode::AdminSignInNoDeviceEndpoint => "admin-sign-in-no-device-endpoint",
            ErrorCode::AdminSignInForeignEndpoint => "admin-sign-in-foreign-endpoint",
            ErrorCode::AdminSignInRefused => "admin-sign-in-refused",
            ErrorCode::AdminSignInDenied => "admin-sign-in-denied",
            ErrorCode::AdminSignInExpired => "admin-sign-in-expired",
            ErrorCode::AdminSignInAnswerUnusable => "admin-sign-in-answer-unusable",
            ErrorCode::AdminSignInNotOffered => "admin-sign-in-not-offered",
            ErrorCode::ReportWriteFailed => "report-write-failed",
            ErrorCode::KeychainFailed => "keychain-failed",
            ErrorCode::KeychainLocked => "keychain-locked",
            ErrorCode::KeychainSecretTooLong => "keychain-secret-too-long",
            ErrorCode::KeychainUnavailable => "keychain-unavailable",
            ErrorCode::CallbackIssuerMismatch => "callback-issuer-mismatch",
            ErrorCode::CallbackMissingCode => "callback-missing-code",
            ErrorCode::CallbackMissingIssuer => "callback-missing-issuer",
            ErrorCode::CallbackProviderError => "callback-provider-error",
            ErrorCode::LoopbackBindFailed => "loopback-bind-failed",
            ErrorCode::LoopbackNotLoopback => "loopback-not-loopback",
            ErrorCode::LoopbackPortInUse => "loopback-port-in-use",
            ErrorCode::LoopbackTimedOut => "loopback-timed-out",
            ErrorCode::OrgValueCharacterNotAllowed => "org-value-character-not-allowed",
            ErrorCode::OrgValueControlCharacter => "org-value-control-character",
            ErrorCode::OrgValueDotSegment => "org-value-dot-segment",
            ErrorCode::OrgValueEdgeHyphen => "org-value-edge-hyphen",
            ErrorCode::OrgValueEmpty => "org-value-empty",
            ErrorCode::OrgValueNonAscii => "org-value-non-ascii",
            ErrorCode::OrgValueTooLong => "org-value-too-long",
            ErrorCode::OrgValueUppercase => "org-value-uppercase",
            ErrorCode::OrgValueWhitespace => "org-value-whitespace",
            ErrorCode::IdentityProviderNeeded => "identity-provider-needed",
            ErrorCode::PastedUriBadOrgValue => "pasted-uri-bad-org-value",
            ErrorCode::PastedUriForeignHost => "pasted-uri-foreign-host",
            ErrorCode::PastedUriNoTemplateMatches => "pasted-uri-no-template-matches",
            ErrorCode::PastedUriNotAUrl => "pasted-uri-not-a-url",
            ErrorCode::PastedUriNotHttps => "pasted-uri-not-https",
            ErrorCode::PastedUriUnexpectedPart => "pasted-uri-unexpected-part",
            ErrorCode::PastedUriWhitespace => "pasted-uri-whitespace",
            ErrorCode::UnknownRegion => "unknown-region",
            ErrorCode::UnsupportedIdentityProvider => "unsupported-identity-provider",
            ErrorCode::UriEscapedTemplate => "uri-escaped-template",
            ErrorCode::UriSuppliedByVendor => "uri-supplied-by-vendor",
            ErrorCode::BrowserNotAsked => "browser-not-asked",
            ErrorCode::BrowserNotStarted => "browser-not-started",
            ErrorCode::BrowserRefusedScheme => "browser-refused-scheme",
        }
    }

    /// The code of a sign-in test stopped by a failed provider check: `discovery-<check id>`.
    pub fn of_failed_discovery_check(check_id: &str) -> ErrorCode {
        match check_id {
            "discovery-document" => ErrorCode::DiscoveryDocument,
            "endpoints-secure" => ErrorCode::DiscoveryEndpointsSecure,
            "iss-parameter" => ErrorCode::DiscoveryIssParameter,
            "issuer-matches" => ErrorCode::DiscoveryIssuerMatches,
            "jwks" => ErrorCode::DiscoveryJwks,
            "jwks-usable-key" => ErrorCode::DiscoveryJwksUsableKey,
            "pkce-s256" => ErrorCode::DiscoveryPkceS256,
            "response-type-code" => ErrorCode::DiscoveryResponseTypeCode,
            "signing-algorithms" => ErrorCode::DiscoverySigningAlgorithms,
            "token-endpoint-auth" => ErrorCode::DiscoveryTokenEndpointAuth,
            "vendor-claims" => ErrorCode::DiscoveryVendorClaims,
            "vendor-scopes" => ErrorCode::DiscoveryVendorScopes,
            _ => ErrorCode::DiscoveryFailed,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Tests and scripts compare codes with their spelling.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spelling scripts and the UI see is serde's, and `as_str` says the same; `ALL`
    /// holds every variant once (counted from the declaration in this file).
    #[test]
    fn every_code_is_spelled_one_way_and_listed_once() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::Value::String(code.as_str().to_owned()));
            assert_eq!(serde_json::from_value::<ErrorCode>(code.as_str().into()).unwrap(), *code);
        }
        let mut spellings: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), ErrorCode::ALL.len(), "no code twice");
        let source = include_str!("error.rs");
        let declaration = &source[source.find("pub enum ErrorCode {").unwrap()..];
        let declaration = &declaration[..declaration.find("\n}").unwrap()];
        let variants = declaration.lines().filter(|line| line.trim_end().ends_with(',')).count();
        assert_eq!(variants, ErrorCode::ALL.len(), "ALL lists every variant");
        assert_eq!(ErrorCode::of_failed_discovery_check("issuer-matches"), "discovery-issuer-matches");
        assert_eq!(ErrorCode::of_failed_discovery_check("discovery-document"), "discovery-document");
        // Every check the discovery module can fail has its own code.
        let discovery = include_str!("oidc/discovery.rs");
        let mut ids = Vec::new();
        for marker in ["Check::fail(", "Check::warn(", "id: \""] {
            for (at, _) in discovery.match_indices(marker) {
                let rest = discovery[at + marker.len()..].trim_start();
                // Only a literal id (a variable holding one of these is checked through them).
                let Some(rest) = rest.strip_prefix('"').or(marker.ends_with('"').then_some(rest)) else { continue };
                let id: String =
                    rest.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect();
                if !id.is_empty() {
                    ids.push(id);
                }
            }
        }
        assert!(ids.len() > 8, "{ids:?}");
        for id in ids {
            assert_ne!(ErrorCode::of_failed_discovery_check(&id), ErrorCode::DiscoveryFailed, "{id}");
        }
    }
}
