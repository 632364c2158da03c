// The org and IdP step shows what the core returns and the core's error with its hint; the shell is
// replaced by Tauri's IPC mock, which records what the step asked for.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test } from 'vitest';
import OrgAndIdp from './OrgAndIdp.svelte';
import type { VendorSummary } from '../../ipc';

const pelanor: VendorSummary = {
  id: 'pelanor',
  name: 'Pelanor',
  summary: 'Connect your IdP to Pelanor.',
  orgValue: { name: 'organization_id', label: 'Organization ID', rule: '1 to 63 characters', whereToFind: 'Ask Pelanor.', example: 'acme' },
  regions: [{ id: 'us', name: 'US (default)', isDefault: true }, { id: 'eu', name: 'EU', isDefault: false }],
  identityProviders: [{ id: 'okta', name: 'Okta', issuerFormat: 'https://{your-okta-domain}' }],
  vendorConfirmsRedirectUri: false,
};

afterEach(() => clearMocks());

test('shows the URI the core builds for the typed org value and chosen region', async () => {
  const requests: unknown[] = [];
  mockIPC((command, payload) => {
    requests.push({ command, payload });
    const { request } = payload as { request: { org: string; region: string } };
    const host = request.region === 'eu' ? 'app-eu.pelanor.io' : 'app.pelanor.io';
    return { redirectUri: `https://${host}/api/auth/callback/okta-${request.org}`, signOutUri: null, initiateLoginUri: null, loginUrl: null, vendorConfirms: false };
  });
  render(OrgAndIdp, { vendor: pelanor });
  await fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'eu' } });
  await fireEvent.input(screen.getByLabelText(/Organization ID/), { target: { value: 'acme' } });
  expect(await screen.findByTestId('redirect-uri')).toHaveProperty('textContent', 'https://app-eu.pelanor.io/api/auth/callback/okta-acme');
  expect(requests.at(-1)).toEqual({ command: 'build_vendor_uris', payload: { request: { vendor: 'pelanor', region: 'eu', identityProvider: 'okta', org: 'acme' } } });
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
