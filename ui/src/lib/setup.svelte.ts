// What the admin has chosen so far in the wizard, shared by the steps. Only plain values:
// the client secret is never kept here (the Credentials step sends it to the keychain and
// clears its field).
import type { ConnectionView, IdentityProviderId, VendorSummary } from '../ipc';

export type StepId = 'home' | 'vendor' | 'org' | 'guide' | 'credentials' | 'provider' | 'sign-in' | 'send';

export const wizardSteps: { id: Exclude<StepId, 'home'>; title: string }[] = [
  { id: 'vendor', title: 'Vendor' },
  { id: 'org', title: 'Organisation and IdP' },
  { id: 'guide', title: 'Set up the IdP app' },
  { id: 'credentials', title: 'Credentials' },
  { id: 'provider', title: 'Check the provider' },
  { id: 'sign-in', title: 'Test sign-in' },
  { id: 'send', title: 'Send to the vendor' },
];

export interface SetupChoices {
  vendor: VendorSummary | null;
  region: string | null;
  org: string;
  identityProvider: IdentityProviderId | null;
  /** The saved connection, once Credentials is done. */
  connection: ConnectionView | null;
  /** Guide steps the admin ticked, by number. */
  ticked: number[];
}

export function emptyChoices(): SetupChoices {
  return { vendor: null, region: null, org: '', identityProvider: null, connection: null, ticked: [] };
}

/** Which steps can be opened: each needs what the steps before it decided. */
export function reachable(step: StepId, choices: SetupChoices): boolean {
  switch (step) {
    case 'home':
    case 'vendor':
      return true;
    case 'org':
      return choices.vendor !== null;
    case 'guide':
    case 'credentials':
      return choices.vendor !== null && choices.identityProvider !== null && (choices.vendor.orgValue === null || choices.org !== '');
    case 'provider':
    case 'sign-in':
    case 'send':
      return choices.connection !== null;
  }
}

/** A connection name from the vendor and IdP, as the CLI examples use (`pelanor-okta`). */
export function suggestedConnectionName(vendor: string, identityProvider: string, org: string): string {
  const raw = [vendor, org, identityProvider].filter((part) => part !== '').join('-').toLowerCase();
  return raw.replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 63);
}
