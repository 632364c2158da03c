// The org and IdP step sends the core exactly what the admin chose, shows exactly what the core
// returns, and shows the core's error with its hint instead of any URI; the shell is replaced by
// Tauri's IPC mock, which records what the step asked for.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import OrgAndIdp from './OrgAndIdp.svelte';
import type { VendorSummary } from '../../ipc';

const pelanor: VendorSummary = {
  id: 'pelanor',
  name: 'Pelanor',
  summary: 'Connect your IdP to Pelanor.',
  orgValue: { name: 'organization_id', label: 'Organization ID', rule: '1 to 63 characters', whereToFind: 'Ask Pelanor.', example: 'acme' },
  regions: [{ id: 'us', name: 'US (default)', isDefault: true }, { id: 'eu', name: 'EU', isDefault: false }],
  identityProviders: [
    { id: 'okta', name: 'Okta', issuerFormat: 'https://{your-okta-domain}' },
    { id: 'entra', name: 'Microsoft Entra ID', issuerFormat: 'https://login.microsoftonline.com/{tenant-id}/v2.0' },
  ],
  vendorConfirmsRedirectUri: false,
  customProfileFile: null,
};

// Values only the core's answer can contain: nothing the admin chose, odd bytes (case, escapes,
// non-ASCII, markup, doubled and trailing spaces) that any rebuilding, trimming or encoding would change.
const coreUris = {
  redirectUri: 'https://Core-Built.example/cb/%2Fx\u00e9\u2013<b>7</b>?q=a&amp;b  z ',
  signOutUri: 'urn:core-only:sign-out:\u00c5\u00df',
  initiateLoginUri: 'https://core-built.example/initiate?ZZ=%00',
  loginUrl: 'https://core-built.example/login#\u00a0frag',
  vendorConfirms: false,
};

afterEach(() => clearMocks());

test('sends the org value, region and IdP the admin chose, and shows the URIs the core returns exactly', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'build_vendor_uris') return coreUris;
    if (command === 'copy_to_clipboard') return null;
    throw new Error(`unexpected ${command}`);
  });
  render(OrgAndIdp, { vendor: pelanor });
  await fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'eu' } });
  await fireEvent.click(screen.getByLabelText('Microsoft Entra ID'));
  await fireEvent.input(screen.getByLabelText(/Organization ID/), { target: { value: 'Acme-EU_42' } });

  expect((await screen.findByTestId('redirect-uri')).textContent).toBe(coreUris.redirectUri);
  expect(screen.getByTestId('sign-out-uri').textContent).toBe(coreUris.signOutUri);
  expect(screen.getByTestId('initiate-login-uri').textContent).toBe(coreUris.initiateLoginUri);
  expect(screen.getByTestId('login-url').textContent).toBe(coreUris.loginUrl);
  expect(document.querySelector('code b')).toBeNull();
  // Nothing was asked before the org value was typed, and then exactly what the admin chose.
  expect(calls).toEqual([
    { command: 'build_vendor_uris', payload: { request: { vendor: 'pelanor', region: 'eu', identityProvider: 'entra', org: 'Acme-EU_42' } } },
  ]);
  // The copy button puts the same bytes on the clipboard.
  await fireEvent.click(screen.getByRole('button', { name: 'Copy Sign-in redirect URI' }));
  await vi.waitFor(() => expect(calls.at(-1)).toEqual({ command: 'copy_to_clipboard', payload: { text: coreUris.redirectUri } }));
  expect((screen.getByRole('button', { name: 'Next: set up the IdP app' }) as HTMLButtonElement).disabled).toBe(false);
});

test('an error from the core replaces the URIs: its message and hint are shown, no URI is', async () => {
  mockIPC((command, payload) => {
    if (command !== 'build_vendor_uris') throw new Error(`unexpected ${command}`);
    const { request } = payload as { request: { org: string } };
    if (request.org === 'acme') return coreUris;
    throw { code: 'org-value-too-long', message: 'organization_id is longer than 63 characters', hint: 'copy it again from the Pelanor admin page' };
  });
  render(OrgAndIdp, { vendor: pelanor });
  const org = screen.getByLabelText(/Organization ID/);
  await fireEvent.input(org, { target: { value: 'acme' } });
  expect((await screen.findByTestId('redirect-uri')).textContent).toBe(coreUris.redirectUri);
  await fireEvent.input(org, { target: { value: 'acme'.repeat(20) } });

  const alert = await screen.findByRole('alert');
  expect(alert.getAttribute('data-error-code')).toBe('org-value-too-long');
  expect(alert.textContent).toContain('organization_id is longer than 63 characters');
  expect(alert.textContent).toContain('What to do: copy it again from the Pelanor admin page');
  for (const testId of ['redirect-uri', 'sign-out-uri', 'initiate-login-uri', 'login-url']) expect(screen.queryByTestId(testId)).toBeNull();
  for (const uri of [coreUris.redirectUri, coreUris.signOutUri, coreUris.initiateLoginUri, coreUris.loginUrl]) expect(document.body.textContent).not.toContain(uri);
  expect(org.getAttribute('aria-invalid')).toBe('true');
  expect((screen.getByRole('button', { name: 'Next: set up the IdP app' }) as HTMLButtonElement).disabled).toBe(true);
});

test('shows the core error and hint as text, never as markup', async () => {
  mockIPC(() => {
    throw { code: 'org-value-uppercase', message: "organization_id '<b>Acme</b>' is not valid", hint: 'type it in lowercase' };
  });
  render(OrgAndIdp, { vendor: pelanor });
  await fireEvent.input(screen.getByLabelText(/Organization ID/), { target: { value: '<b>Acme</b>' } });
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain("organization_id '<b>Acme</b>' is not valid");
  expect(alert.textContent).toContain('type it in lowercase');
  expect(alert.querySelector('b')).toBeNull();
  expect(alert.getAttribute('data-error-code')).toBe('org-value-uppercase');
  expect(screen.queryByTestId('redirect-uri')).toBeNull();
});
