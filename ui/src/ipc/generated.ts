// Generated from the Rust types by src-tauri/src/typescript.rs (ts-rs); do not edit.
// Regenerate: UPDATE_TYPESCRIPT=1 cargo test -p sso-setup-desktop --test typescript_types

/**
 * Every error code sso-setup can report: the one typed set the desktop app branches on and
 * scripts read from `--json`. Each module's errors map onto these in their
 * [`UserFacingError::code`]; the TypeScript type of the web view is generated from this
 * enum (`ui/src/ipc/generated.ts`), so a code the UI names that the core does not have is a
 * type error, not a branch that never runs. A code never changes its spelling once
 * released; new ones are added.
 */
export type ErrorCode = "unknown-identity-provider" | "stdin-unreadable" | "would-overwrite" | "explain-not-recognised" | "flow-failed" | "flow-secret-from-two-places" | "demo-idp-bind-failed" | "unknown-auth-method" | "vendor-folder-missing" | "discovery-failed" | "bundle-bad-identity-file" | "bundle-bad-recipient" | "bundle-excessive-work" | "bundle-file-too-large" | "bundle-no-matching-key" | "bundle-no-recipient" | "bundle-not-a-bundle" | "bundle-not-age" | "bundle-passphrase-mismatch" | "bundle-payload-too-large" | "bundle-short-passphrase" | "bundle-tampered" | "bundle-unreadable" | "bundle-write-failed" | "bundle-wrong-passphrase" | "profile-duplicate-id" | "profile-invalid" | "profile-poses-as-built-in" | "profile-too-large" | "profile-unreadable" | "profile-write-failed" | "unknown-vendor" | "clipboard-refused" | "clipboard-unavailable" | "connection-bad-name" | "connection-corrupt" | "connection-empty-client-id" | "connection-empty-secret" | "connection-newer-version" | "connection-no-secret" | "connection-not-found" | "connection-secret-bound-elsewhere" | "connection-secret-needed-again" | "connection-unreadable" | "connection-write-failed" | "discovery-document" | "discovery-endpoints-secure" | "discovery-iss-parameter" | "discovery-issuer-matches" | "discovery-jwks" | "discovery-jwks-usable-key" | "discovery-pkce-s256" | "discovery-response-type-code" | "discovery-signing-algorithms" | "discovery-token-endpoint-auth" | "discovery-vendor-claims" | "discovery-vendor-scopes" | "discovery-missing-endpoint" | "token-error" | "token-response-unusable" | "userinfo-sub-mismatch" | "vendor-claims-missing" | "fetch-connection-failed" | "fetch-host-not-found" | "fetch-http-status" | "fetch-insecure-scheme" | "fetch-read-failed" | "fetch-redirected" | "fetch-timed-out" | "fetch-tls-rejected" | "fetch-too-large" | "fetch-unsupported-scheme" | "id-token-algorithm-refused" | "id-token-ambiguous-key" | "id-token-bad-signature" | "id-token-expired" | "id-token-issued-in-future" | "id-token-malformed" | "id-token-malformed-audience" | "id-token-missing-claim" | "id-token-no-usable-key" | "id-token-too-old" | "id-token-unknown-key" | "id-token-untrusted-audience" | "id-token-wrong-at-hash" | "id-token-wrong-audience" | "id-token-wrong-azp" | "id-token-wrong-issuer" | "id-token-wrong-nonce" | "issuer-empty" | "issuer-entra-multi-tenant" | "issuer-query-or-fragment" | "issuer-shorthand-needs-provider" | "issuer-unparseable" | "bad-date" | "flow-missing-argument" | "flow-no-secret" | "sign-in-cancelled" | "provision-not-supported" | "provision-no-registration-endpoint" | "provision-vendor-uris-needed" | "provision-connection-in-use" | "provision-not-provisioned" | "provision-values-differ" | "provision-option-not-supported" | "provision-missing-argument" | "provision-incomplete" | "health-check-failed" | "connection-provisioned-values-changed" | "flow-temporary-uri-left-behind" | "provision-drifted" | "provision-not-confirmed" | "registration-admin-token-refused" | "registration-management-token-refused" | "registration-management-token-missing" | "registration-refused" | "registration-client-gone" | "registration-response-unusable" | "registration-changed-by-provider" | "admin-api-token-refused" | "admin-api-permission-denied" | "admin-api-refused" | "admin-api-app-gone" | "admin-api-throttled" | "admin-api-answer-unusable" | "admin-api-not-loopback" | "provision-admin-token-needed" | "provision-group-not-an-id" | "provision-secret-lifetime-out-of-range" | "provision-management-elsewhere" | "rotation-not-provisioned" | "rotation-not-supported" | "rotation-already-started" | "rotation-nothing-to-finish" | "rotation-incomplete" | "admin-sign-in-no-device-endpoint" | "admin-sign-in-foreign-endpoint" | "admin-sign-in-refused" | "admin-sign-in-denied" | "admin-sign-in-expired" | "admin-sign-in-answer-unusable" | "admin-sign-in-not-offered" | "report-write-failed" | "keychain-failed" | "keychain-locked" | "keychain-secret-too-long" | "keychain-unavailable" | "callback-issuer-mismatch" | "callback-missing-code" | "callback-missing-issuer" | "callback-provider-error" | "loopback-bind-failed" | "loopback-not-loopback" | "loopback-port-in-use" | "loopback-timed-out" | "org-value-character-not-allowed" | "org-value-control-character" | "org-value-dot-segment" | "org-value-edge-hyphen" | "org-value-empty" | "org-value-non-ascii" | "org-value-too-long" | "org-value-uppercase" | "org-value-whitespace" | "identity-provider-needed" | "pasted-uri-bad-org-value" | "pasted-uri-foreign-host" | "pasted-uri-no-template-matches" | "pasted-uri-not-a-url" | "pasted-uri-not-https" | "pasted-uri-unexpected-part" | "pasted-uri-whitespace" | "unknown-region" | "unsupported-identity-provider" | "uri-escaped-template" | "uri-supplied-by-vendor" | "browser-not-asked" | "browser-not-started" | "browser-refused-scheme";

/**
 * The shape in which an error crosses a process or IPC boundary.
 */
export type ErrorReport = { code: ErrorCode, message: string, hint: string | null, };

/**
 * One of the identity providers named in the CLI contract.
 */
export type IdentityProviderId = "entra" | "okta" | "jumpcloud" | "google" | "auth0" | "onelogin" | "pingone" | "keycloak" | "generic";

export type CheckStatus = "pass" | "warn" | "fail";

export type Check = { 
/**
 * A stable identifier, e.g. `issuer-matches`.
 */
id: string, status: CheckStatus, detail: string, 
/**
 * What to do, for a warning or a failure.
 */
hint?: string, };

/**
 * How near the secret's expiry is.
 */
export type SecretExpiry = { "state": "unknown" } | { "state": "expired", days_ago: number, } | { "state": "expires_soon", days_left: number, } | { "state": "valid", days_left: number, };

/**
 * An error as the UI receives it; the UI branches on `code`.
 */
export type IpcError = { code: ErrorCode, message: string, hint: string | null, };

/**
 * One step of a long operation, in order, through a `tauri::ipc::Channel`.
 */
export type ProgressEvent = { "kind": "started", what: string, } | { "kind": "check", check: Check, } | { "kind": "waitingForSignIn", authorizationUrl: string, redirectUri: string, } | { "kind": "browserNotOpened", error: IpcError, };

export type OrgValueSummary = { name: string, label: string, rule: string, whereToFind: string, example: string, };

export type RegionSummary = { id: string, name: string, isDefault: boolean, };

export type IdentityProviderSummary = { id: IdentityProviderId, name: string, 
/**
 * The issuer's form, e.g. `https://login.microsoftonline.com/{tenant-id}/v2.0`.
 */
issuerFormat: string, };

export type VendorSummary = { id: string, name: string, summary: string, orgValue: OrgValueSummary | null, regions: Array<RegionSummary>, identityProviders: Array<IdentityProviderSummary>, vendorConfirmsRedirectUri: boolean, 
/**
 * The file of a custom profile (not part of sso-setup); null for a built-in vendor. The
 * app marks such a vendor wherever it lists it.
 */
customProfileFile: string | null, };

export type VendorUrisRequest = { vendor: string, region: string | null, identityProvider: IdentityProviderId | null, org: string, };

export type VendorUrisResponse = { redirectUri: string, signOutUri: string | null, initiateLoginUri: string | null, loginUrl: string | null, vendorConfirms: boolean, };

/**
 * The guide for one vendor and IdP, every value filled in.
 */
export type SetupGuide = { vendorName: string, identityProviderName: string, regionName: string | null, missingOrgValue: string | null, values: Array<GuideValueView>, steps: Array<GuideStepView>, sendToVendor: Array<string>, signIn: Array<string>, notes: Array<GuideNote>, traps: Array<string>, coverage: string, 
/**
 * Set for a custom vendor profile: the guide says it is not part of sso-setup.
 */
customProfileFile: string | null, 
/**
 * Whether the assistant can create the app at this IdP ("Create it for me").
 */
canCreateApp: boolean, };

export type GuideValueView = { id: string, label: string, value: string, exact: boolean, };

export type GuideStepView = { number: number, title: string, doneByVendor: boolean, consolePath: string | null, lines: Array<string>, copyBack: Array<string>, fromVendorGuide: boolean, };

export type GuideNote = { title: string, text: string, };

export type GuideRequestInput = { vendor: string, identityProvider: IdentityProviderId, region: string | null, org: string | null, };

export type IssuerView = { issuer: string, discoveryUrl: string, notes: Array<string>, };

/**
 * A new connection as the Credentials step sends it. The secret is in its own field so it
 * can be moved into a zeroizing `ClientSecret` at once and never travels back.
 */
export type ConnectionInput = { name: string, vendor: string, identityProvider: IdentityProviderId, region: string | null, org: string, issuer: string, clientId: string, 
/**
 * `YYYY-MM-DD`, from a date field.
 */
secretExpires: string | null, 
/**
 * Empty keeps the secret already in the keychain (editing a saved connection).
 */
clientSecret: string, };

/**
 * A saved connection for the home screen. It never carries the secret; `hasSecret` says
 * whether the keychain holds one.
 */
export type ConnectionView = { name: string, vendor: string, vendorName: string, identityProvider: IdentityProviderId, identityProviderName: string, region: string | null, org: string | null, issuer: string, clientId: string, secretExpires: string | null, secretExpiry: SecretExpiry, 
/**
 * `passed`, `failed`, or `never`.
 */
lastTest: 'passed' | 'failed' | 'never', issuerNotes: Array<string>, 
/**
 * A warning about the secret just saved (an Entra Secret ID instead of its Value).
 */
secretWarning: string | null, 
/**
 * The assistant created the app at the IdP and keeps it (`provision`).
 */
provisioned: boolean, 
/**
 * Its secret can be rotated without downtime (an app made through Graph or Okta's API).
 */
canRotate: boolean, 
/**
 * A rotation is started, and the old one stays valid at the IdP until it is finished.
 */
rotationStarted: boolean, 
/**
 * The last result of "Check all" (or `sso-setup check`), when one ran.
 */
lastCheck: LastCheckView | null, };

/**
 * The home screen's list: good connections, and damaged files as errors beside them.
 */
export type ConnectionList = { connections: Array<ConnectionView>, problems: Array<IpcError>, };

/**
 * When the connection was last checked, and what failed or warned (check IDs).
 */
export type LastCheckView = { at: string, ok: boolean, failed: Array<string>, warned: Array<string>, };

/**
 * One connection's checks from "Check all".
 */
export type ConnectionHealthView = { name: string, ok: boolean, checks: Array<Check>, };

/**
 * "Check all": every saved connection's checks, and damaged files as errors beside them.
 */
export type HealthView = { ok: boolean, checkedAt: string, connections: Array<ConnectionHealthView>, problems: Array<IpcError>, };

/**
 * Where "Check all" is, for its progress line: sent before each connection's checks start
 * (`checked` false) and after its result is kept (`checked` true, with `ok`).
 */
export type CheckAllProgress = { connection: string, position: number, total: number, checked: boolean, ok: boolean | null, };

/**
 * Something a saved connection needs (a secret inside its warning window or past its date,
 * a failed last check), as one line of text for the home screen; the same lines make the
 * desktop notification.
 */
export type ReminderView = { connection: string, 
/**
 * `fail` for an expired secret or a failed check, `warn` for a secret expiring soon.
 */
severity: CheckStatus, text: string, };

/**
 * The setup report was written here.
 */
export type ReportWritten = { path: string, };

export type ProviderCheckView = { ok: boolean, issuer: string, checks: Array<Check>, error: ErrorReport | null, };

export type SignInReportView = { ok: boolean, issuer: string, redirectUri: string | null, tokenEndpointAuthMethod: string | null, checks: Array<Check>, 
/**
 * Claim names and values as the provider sent them (names are not renamed).
 */
idTokenClaims: Array<ClaimRow>, userinfoClaims: Array<ClaimRow>, missingClaims: Array<string>, error: ErrorReport | null, timingsMs: Record<string, number>, 
/**
 * Set when the test registered its own loopback redirect URI at the IdP.
 */
temporaryRedirect: TemporaryRedirectView | null, };

export type ClaimRow = { name: string, 
/**
 * The value as JSON text, shown as text.
 */
value: string, };

export type BundleInput = { connection: string, 
/**
 * The vendor's `age1...` keys, one per entry; empty when a passphrase is used.
 */
recipients: Array<string>, passphrase: string | null, 
/**
 * The passphrase typed a second time; the core refuses the bundle when they differ.
 */
passphraseConfirmation: string | null, };

export type BundleWritten = { path: string, vendorName: string, };

export type ExplainInput = { text: string, vendor: string | null, identityProvider: IdentityProviderId | null, region: string | null, org: string | null, };

export type ExplanationView = { title: string, meaning: string, likelyCause: string, fix: Array<string>, referenceUrl: string | null, };

export type ExplainView = { error: string | null, errorDescription: string | null, explanations: Array<ExplanationView>, remark: string | null, };

export type LoopbackAdviceView = { explanation: string, register: string | null, listenOnRegister: boolean, };

export type ProvisionRequestInput = { connection: string, vendor: string, identityProvider: IdentityProviderId, region: string | null, org: string | null, issuer: string, 
/**
 * URIs the vendor sent, for a vendor that supplies its own.
 */
redirectUris: Array<string>, signOutUris: Array<string>, };

export type NamedValue = { name: string, 
/**
 * Shown as text.
 */
value: string, };

export type PlannedRequestView = { 
/**
 * `POST`, `PUT`, ...
 */
method: string, url: string, 
/**
 * Which credential the request carries ("initial access token"), never its value.
 */
credential: string | null, purpose: string, 
/**
 * The body's fields, one line each (lists joined with ", ").
 */
fields: Array<NamedValue>, };

/**
 * A rotation's step, as the home screen shows it. No secret is in it.
 */
export type RotationView = { connection: ConnectionView, stage: 'started' | 'finished', 
/**
 * The connection's checks after a start, which say whether the IdP takes the new one.
 */
checks: Array<Check>, ok: boolean, notes: Array<string>, };

export type ProvisionPlanView = { requests: Array<PlannedRequestView>, 
/**
 * Each way the app at the IdP differs from what the vendor needs, in words.
 */
differences: Array<string>, notes: Array<string>, };

export type ProvisionedView = { connection: ConnectionView, 
/**
 * What to send the vendor; the secret goes in the bundle.
 */
sendToVendor: Array<NamedValue>, notes: Array<string>, };

export type TemporaryRedirectView = { uri: string, removed: boolean, 
/**
 * When it could not be removed: what to remove by hand.
 */
leftBehind: string | null, };

/**
 * The admin's own sign-in at the IdP of a connection: a saved one's, or for a new one (the
 * guide's "Create it for me") its IdP and issuer.
 */
export type AdminSignInRequest = { connection: string, identityProvider: IdentityProviderId | null, issuer: string | null, 
/**
 * The public client the admin registered for this, with the device authorization grant.
 */
clientId: string, };

/**
 * The code the admin types, and where (RFC 8628 §3.3), shown as text.
 */
export type DeviceCodeView = { userCode: string, verificationUri: string, 
/**
 * Whether the system browser opened the sign-in page; otherwise "Open the sign-in page"
 * tries again.
 */
browserOpened: boolean, expiresInSeconds: number, };

/**
 * The admin is signed in for this connection: the shell holds the token in memory until the
 * app closes or the admin signs out; the web view never receives it.
 */
export type AdminSessionView = { connection: string, };

/**
 * One request of the plan going out while the app is created: "Sending 2 of 4: POST …".
 */
export type ProvisionProgressView = { 
/**
 * 1-based, of `total`.
 */
position: number, total: number, method: string, url: string, purpose: string, };
