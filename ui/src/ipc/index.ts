// The only module that talks to the Tauri shell. Every other file imports from here, so the
// commands, their argument names and their result types live in one place, and tests can
// replace the shell with @tauri-apps/api/mocks.
//
// No function here ever receives a client secret: `saveConnection` sends one to the
// keychain, and nothing returns it.
import { invoke, Channel } from '@tauri-apps/api/core';

export type IdentityProviderId =
  | 'entra' | 'okta' | 'jumpcloud' | 'google' | 'auth0' | 'onelogin' | 'pingone' | 'keycloak' | 'generic';

export interface VendorSummary {
  id: string;
  name: string;
  summary: string;
  orgValue: { name: string; label: string; rule: string; whereToFind: string; example: string } | null;
  regions: { id: string; name: string; isDefault: boolean }[];
  identityProviders: { id: IdentityProviderId; name: string; issuerFormat: string }[];
  vendorConfirmsRedirectUri: boolean;
  /** Set for a custom profile (not part of sso-setup): the file it came from. */
  customProfileFile: string | null;
}

export interface VendorUris {
  redirectUri: string;
  signOutUri: string | null;
  initiateLoginUri: string | null;
  loginUrl: string | null;
  vendorConfirms: boolean;
}

/** An error from the core, as `{code, message, hint}`; the UI branches on `code`. */
export interface AppError {
  code: string;
  message: string;
  hint: string | null;
}

export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Any rejection as an AppError, so every error view can show message and hint. */
export function asAppError(value: unknown): AppError {
  return isAppError(value) ? value : { code: 'unexpected', message: String(value), hint: null };
}

export interface GuideStep {
  number: number;
  title: string;
  doneByVendor: boolean;
  consolePath: string | null;
  lines: string[];
  copyBack: string[];
  fromVendorGuide: boolean;
}

export interface SetupGuide {
  vendorName: string;
  identityProviderName: string;
  regionName: string | null;
  missingOrgValue: string | null;
  values: { id: string; label: string; value: string; exact: boolean }[];
  steps: GuideStep[];
  sendToVendor: string[];
  signIn: string[];
  notes: { title: string; text: string }[];
  traps: string[];
  coverage: string;
  /** Set when the guide comes from a custom vendor profile. */
  customProfileFile: string | null;
}

export interface IssuerView {
  issuer: string;
  discoveryUrl: string;
  notes: string[];
}

export type SecretExpiry =
  | { state: 'unknown' }
  | { state: 'expired'; days_ago: number }
  | { state: 'expires_soon'; days_left: number }
  | { state: 'valid'; days_left: number };

export interface ConnectionView {
  name: string;
  vendor: string;
  vendorName: string;
  identityProvider: IdentityProviderId;
  identityProviderName: string;
  region: string | null;
  org: string | null;
  issuer: string;
  clientId: string;
  secretExpires: string | null;
  secretExpiry: SecretExpiry;
  lastTest: 'passed' | 'failed' | 'never';
  issuerNotes: string[];
  secretWarning: string | null;
}

export interface Check {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

export type ProgressEvent =
  | { kind: 'started'; what: string }
  | { kind: 'check'; check: Check }
  | { kind: 'waitingForSignIn'; authorizationUrl: string; redirectUri: string }
  | { kind: 'browserNotOpened'; error: AppError };

export interface ProviderCheck {
  ok: boolean;
  issuer: string;
  checks: Check[];
  error: AppError | null;
}

export interface SignInReport {
  ok: boolean;
  issuer: string;
  redirectUri: string | null;
  tokenEndpointAuthMethod: string | null;
  checks: Check[];
  idTokenClaims: { name: string; value: string }[];
  userinfoClaims: { name: string; value: string }[];
  missingClaims: string[];
  error: AppError | null;
  timingsMs: Record<string, number>;
}

export interface ExplainView {
  error: string | null;
  errorDescription: string | null;
  explanations: { title: string; meaning: string; likelyCause: string; fix: string[]; referenceUrl: string | null }[];
  remark: string | null;
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

export function buildVendorUris(request: {
  vendor: string;
  region: string | null;
  identityProvider: IdentityProviderId | null;
  org: string;
}): Promise<VendorUris> {
  return invoke<VendorUris>('build_vendor_uris', { request });
}

export function buildSetupGuide(request: {
  vendor: string;
  identityProvider: IdentityProviderId;
  region: string | null;
  org: string | null;
}): Promise<SetupGuide> {
  return invoke<SetupGuide>('build_setup_guide', { request });
}

export function normaliseIssuerInput(identityProvider: IdentityProviderId, input: string): Promise<IssuerView> {
  return invoke<IssuerView>('normalise_issuer_input', { identityProvider, input });
}

export interface LoopbackAdvice {
  explanation: string;
  /** The URI to register at the IdP, when it needs a particular one. */
  register: string | null;
  /** True when the test must listen on exactly that URI. */
  listenOnRegister: boolean;
}

export function loopbackRegistrationAdvice(identityProvider: IdentityProviderId): Promise<LoopbackAdvice> {
  return invoke<LoopbackAdvice>('loopback_registration_advice', { identityProvider });
}

export interface ConnectionInput {
  name: string;
  vendor: string;
  identityProvider: IdentityProviderId;
  region: string | null;
  org: string;
  issuer: string;
  clientId: string;
  secretExpires: string | null;
  /** Goes to the OS keychain; empty keeps the secret already stored. */
  clientSecret: string;
}

export function saveConnection(input: ConnectionInput): Promise<ConnectionView> {
  return invoke<ConnectionView>('save_connection', { input });
}

export function listConnections(): Promise<{ connections: ConnectionView[]; problems: AppError[] }> {
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

export function runSignInTest(
  name: string,
  redirectUri: string | null,
  onProgress: (event: ProgressEvent) => void,
): Promise<SignInReport> {
  return invoke<SignInReport>('run_sign_in_test', { name, redirectUri, onProgress: progressChannel(onProgress) });
}

export function cancelSignInTest(): Promise<boolean> {
  return invoke<boolean>('cancel_sign_in_test');
}

/** Resolves to null when the admin closes the save dialog. */
export function exportBundle(input: {
  connection: string;
  recipients: string[];
  passphrase: string | null;
  /** The passphrase typed a second time; the core checks that both are the same. */
  passphraseConfirmation: string | null;
}): Promise<{ path: string; vendorName: string } | null> {
  return invoke('export_bundle', { input });
}

export function explainError(input: {
  text: string;
  vendor: string | null;
  identityProvider: IdentityProviderId | null;
  region: string | null;
  org: string | null;
}): Promise<ExplainView> {
  return invoke<ExplainView>('explain_error', { input });
}
