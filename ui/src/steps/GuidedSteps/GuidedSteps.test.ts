// The guide step: a guide built from a custom vendor profile says so, with the file it came
// from (shown as text), before any step; a built-in vendor's guide has no such notice.
import { render, screen } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test } from 'vitest';
import GuidedSteps from './GuidedSteps.svelte';
import type { SetupGuide } from '../../ipc';

function guide(vendorName: string, customProfileFile: string | null): SetupGuide {
  return {
    vendorName, identityProviderName: 'Okta', regionName: null, missingOrgValue: null,
    values: [{ id: 'redirect-uri', label: 'Sign-in redirect URI', value: 'https://app.example/callback', exact: true }],
    steps: [{ number: 1, title: 'Create the app integration', doneByVendor: false, consolePath: null, lines: ['Choose OIDC.'], copyBack: [], fromVendorGuide: false }],
    sendToVendor: [], signIn: [], notes: [], traps: [], coverage: '', customProfileFile, canCreateApp: false,
  };
}

afterEach(() => clearMocks());

test('a guide from a custom profile shows the notice with its file, as text', async () => {
  const requests: unknown[] = [];
  mockIPC((command, payload) => {
    if (command !== 'build_setup_guide') throw new Error(`unexpected ${command}`);
    requests.push(payload);
    return guide('Acme <b>Analytics</b>', '<img src=x onerror=alert(1)>.toml');
  });
  render(GuidedSteps, { vendorId: 'acme-analytics', identityProvider: 'okta', region: null, org: '' });
  const notice = await screen.findByRole('note');
  expect(notice.querySelector('.notice-title')?.textContent).toBe('Custom vendor profile');
  expect(notice.textContent).toContain('These steps come from <img src=x onerror=alert(1)>.toml, not from SSO Setup Assistant.');
  expect(notice.textContent).toContain('Check that the file came from Acme <b>Analytics</b> before you follow them.');
  expect(document.querySelector('img')).toBeNull();
  expect(document.querySelector('b')).toBeNull();
  expect(requests).toEqual([{ request: { vendor: 'acme-analytics', identityProvider: 'okta', region: null, org: null } }]);
});

test("a built-in vendor's guide has no custom-profile notice", async () => {
  mockIPC(() => guide('Pelanor', null));
  render(GuidedSteps, { vendorId: 'pelanor', identityProvider: 'okta', region: 'us', org: 'acme' });
  expect((await screen.findByRole('heading', { name: 'Set up Pelanor in Okta' })).textContent).toBe('Set up Pelanor in Okta');
  expect(screen.getByText('Create the app integration')).toBeTruthy();
  expect(screen.queryByRole('note')).toBeNull();
  expect(document.body.textContent).not.toContain('Custom vendor profile');
  expect(document.body.textContent).not.toContain('not from SSO Setup Assistant');
});
