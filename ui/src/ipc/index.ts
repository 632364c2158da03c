// The only module that talks to the Tauri shell. Every other file imports from here, so the
// commands, their argument names and their result types live in one place, and tests can
// replace the shell with @tauri-apps/api/mocks.
//
// No function here ever receives a client secret: `saveConnection` sends one to the
// keychain, and nothing returns it.
import { invoke, Channel } from '@tauri-apps/api/core';

import type {
  Check,
  ConnectionInput,
  ConnectionList,
  HealthView,
  ConnectionView,
  ErrorCode,
  ExplainInput,
  ExplainView,
  GuideRequestInput,
  GuideStepView,
  IdentityProviderId,
  IpcError,
  IssuerView,
  LoopbackAdviceView,
  ProgressEvent,
  ProviderCheckView,
  ProvisionPlanView,
  ProvisionRequestInput,
  ProvisionedView,
  RotationView,
  SecretExpiry,
  SetupGuide,
  SignInReportView,
  VendorSummary,
  VendorUrisRequest,
  VendorUrisResponse,
  BundleInput,
  BundleWritten,
  CheckAllProgress,
  ReminderView,
  ReportWritten,
  AdminSignInRequest,
  DeviceCodeView,
  AdminSessionView,
  ProvisionProgressView,
} from './generated';

// Every shape below is generated from the Rust types (./generated.ts, by ts-rs), so the UI
// cannot name a field the shell does not send or an error code the core does not have.
export type {
  Check,
  ConnectionInput,
  ConnectionView,
  ErrorCode,
  ExplainView,
  IdentityProviderId,
  IssuerView,
  ProgressEvent,
  SecretExpiry,
  SetupGuide,
  VendorSummary,
};
export type VendorUris = VendorUrisResponse;
export type GuideStep = GuideStepView;
export type ProviderCheck = ProviderCheckView;
export type SignInReport = SignInReportView;
export type ProvisionPlan = ProvisionPlanView;
export type { ProvisionRequestInput, ProvisionedView, RotationView, HealthView, CheckAllProgress, ReminderView, ReportWritten };
export type { AdminSignInRequest, DeviceCodeView, AdminSessionView, ProvisionProgressView };
export type LoopbackAdvice = LoopbackAdviceView;

/**
 * An error from the core, as `{code, message, hint}`; the UI branches on `code`, one of the
 * core's codes, or `unexpected` for a rejection that did not come from the shell.
 */
export type AppError = Omit<IpcError, 'code'> & { code: ErrorCode | 'unexpected' };

export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Any rejection as an AppError, so every error view can show message and hint. */
export function asAppError(value: unknown): AppError {
  return isAppError(value) ? value : { code: 'unexpected', message: String(value), hint: null };
}

/** Tells the shell the first screen has painted (the start-up benchmark times it). */
export function reportFirstPaint(pageTimings: Record<string, number>): Promise<void> {
  return invoke<void>('app_ready', { pageTimings });
}

export function listVendors(): Promise<VendorSummary[]> {
  return invoke<VendorSummary[]>('list_vendors');
}

export function catalogWarnings(): Promise<AppError[]> {
  return invoke<AppError[]>('catalog_warnings');
}

export function importVendorProfile(fileName: string, text: string): Promise<VendorSummary> {
  return invoke<VendorSummary>('import_vendor_profile', { fileName, text });
}

export function buildVendorUris(request: VendorUrisRequest): Promise<VendorUris> {
  return invoke<VendorUris>('build_vendor_uris', { request });
}

export function buildSetupGuide(request: GuideRequestInput): Promise<SetupGuide> {
  return invoke<SetupGuide>('build_setup_guide', { request });
}

export function normaliseIssuerInput(identityProvider: IdentityProviderId, input: string): Promise<IssuerView> {
  return invoke<IssuerView>('normalise_issuer_input', { identityProvider, input });
}

export function loopbackRegistrationAdvice(identityProvider: IdentityProviderId): Promise<LoopbackAdvice> {
  return invoke<LoopbackAdvice>('loopback_registration_advice', { identityProvider });
}

export function saveConnection(input: ConnectionInput): Promise<ConnectionView> {
  return invoke<ConnectionView>('save_connection', { input });
}

/**
 * "Check all": every saved connection without a browser, one after the other; each result is
 * kept with it. `onProgress` hears before and after each connection.
 */
export function checkAllConnections(onProgress: (event: CheckAllProgress) => void = () => {}): Promise<HealthView> {
  const channel = new Channel<CheckAllProgress>();
  channel.onmessage = onProgress;
  return invoke<HealthView>('check_all_connections', { onProgress: channel });
}

/**
 * What the saved connections need (a secret about to expire or past its date, a failed last
 * check), read from their files. The first call since the app started also shows it as a
 * desktop notification.
 */
export function connectionReminders(): Promise<ReminderView[]> {
  return invoke<ReminderView[]>('connection_reminders');
}

/** Writes the setup report (one HTML page) where the admin chooses; null when they closed the dialog. */
export function saveSetupReport(name: string): Promise<ReportWritten | null> {
  return invoke<ReportWritten | null>('save_setup_report', { name });
}

export function listConnections(): Promise<ConnectionList> {
  return invoke('list_connections');
}

export function deleteConnection(name: string): Promise<boolean> {
  return invoke<boolean>('delete_connection', { name });
}

export function copyToClipboard(text: string): Promise<void> {
  return invoke<void>('copy_to_clipboard', { text });
}

/**
 * Copies a saved connection's client secret from the keychain to the clipboard, in Rust: the
 * secret never reaches the web view. Resolves to the seconds after which it is cleared.
 */
export function copyClientSecret(name: string): Promise<number> {
  return invoke<number>('copy_client_secret', { name });
}

function progressChannel(onProgress: (event: ProgressEvent) => void): Channel<ProgressEvent> {
  const channel = new Channel<ProgressEvent>();
  channel.onmessage = onProgress;
  return channel;
}

export function checkProvider(name: string, onProgress: (event: ProgressEvent) => void): Promise<ProviderCheck> {
  return invoke<ProviderCheck>('check_provider', { name, onProgress: progressChannel(onProgress) });
}

/**
 * With `registerLoopback` (a connection the assistant created), the core adds the test's
 * loopback redirect URI to the app and removes it again however the test ends.
 */
export function runSignInTest(
  name: string,
  redirectUri: string | null,
  registerLoopback: boolean,
  onProgress: (event: ProgressEvent) => void,
): Promise<SignInReport> {
  return invoke<SignInReport>('run_sign_in_test', { name, redirectUri, registerLoopback, onProgress: progressChannel(onProgress) });
}

/** The plan for creating (or updating) the IdP app: reads only, sends nothing that changes it. */
export function planProvisioning(request: ProvisionRequestInput): Promise<ProvisionPlan> {
  return invoke<ProvisionPlan>('plan_provisioning', { request });
}

/**
 * Creates the IdP app. `adminToken` (empty: the admin's sign-in, or a kept one) is used for
 * this registration, and kept in the keychain for the connection only with `keepAdminToken`;
 * the IdP's client secret goes to the keychain and never comes back here.
 */
export function provisionApp(
  request: ProvisionRequestInput,
  adminToken: string,
  keepAdminToken = false,
  onProgress: (progress: ProvisionProgressView) => void = () => {},
): Promise<ProvisionedView> {
  const channel = new Channel<ProvisionProgressView>();
  channel.onmessage = onProgress;
  return invoke<ProvisionedView>('provision_app', { request, adminToken, keepAdminToken, onProgress: channel });
}

/**
 * Starts a rotation of the connection's client secret (a second one at the IdP, into the
 * keychain, tried at once), or with `finish` removes the old one. `adminToken` is used for
 * this call only; no secret comes back.
 */
export function rotateClientSecret(name: string, adminToken: string, finish: boolean, keepAdminToken = false): Promise<RotationView> {
  return invoke<RotationView>('rotate_client_secret', { name, adminToken, finish, keepAdminToken });
}

/** Whether an admin token is kept in the keychain for the connection. */
export function adminTokenKept(name: string): Promise<boolean> {
  return invoke<boolean>('admin_token_kept', { name });
}

/** Removes the admin token kept for the connection from the keychain. */
export function forgetAdminToken(name: string): Promise<boolean> {
  return invoke<boolean>('forget_admin_token', { name });
}

/**
 * Signs the admin in at the IdP with a device code: `onCode` gets the code to type and the
 * page (which the shell also opens in the browser); resolves once the admin approved. The
 * token stays in the shell for this connection; `provisionApp` and `rotateClientSecret` use
 * it when given an empty token.
 */
export function signInAsAdmin(request: AdminSignInRequest, onCode: (code: DeviceCodeView) => void): Promise<AdminSessionView> {
  const channel = new Channel<DeviceCodeView>();
  channel.onmessage = onCode;
  return invoke<AdminSessionView>('sign_in_as_admin', { request, onCode: channel });
}

/** Opens the sign-in page of the code being shown again; false when none is shown. */
export function openAdminSignInPage(): Promise<boolean> {
  return invoke<boolean>('open_admin_sign_in_page');
}

/** Forgets the admin's token in the shell. */
export function signOutAdmin(): Promise<boolean> {
  return invoke<boolean>('sign_out_admin');
}

export function cancelSignInTest(): Promise<boolean> {
  return invoke<boolean>('cancel_sign_in_test');
}

/** Resolves to null when the admin closes the save dialog. */
export function exportBundle(input: BundleInput): Promise<BundleWritten | null> {
  return invoke('export_bundle', { input });
}

export function explainError(input: ExplainInput): Promise<ExplainView> {
  return invoke<ExplainView>('explain_error', { input });
}
