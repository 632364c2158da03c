// The only module that talks to the Tauri shell. Every other file imports from here, so the
// commands, their argument names and their result types live in one place, and tests can
// replace the shell with @tauri-apps/api/mocks.
import { invoke } from '@tauri-apps/api/core';

export type IdentityProviderId =
  | 'entra' | 'okta' | 'jumpcloud' | 'google' | 'auth0' | 'onelogin' | 'pingone' | 'keycloak' | 'generic';

export interface VendorSummary {
  id: string;
  name: string;
  summary: string;
  orgValue: { name: string; label: string; rule: string; whereToFind: string; example: string } | null;
  regions: { id: string; name: string; isDefault: boolean }[];
  identityProviders: { id: IdentityProviderId; name: string }[];
  vendorConfirmsRedirectUri: boolean;
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

export function listVendors(): Promise<VendorSummary[]> {
  return invoke<VendorSummary[]>('list_vendors');
}

export function buildVendorUris(request: {
  vendor: string;
  region: string | null;
  identityProvider: IdentityProviderId | null;
  org: string;
}): Promise<VendorUris> {
  return invoke<VendorUris>('build_vendor_uris', { request });
}
