// The home screen: each connection's last check from its history, and "Check all", which
// lists each problem under its connection as text (nothing from a provider becomes markup).
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test } from 'vitest';
import Home from './Home.svelte';
import type { ConnectionView, HealthView } from '../../ipc';

const base: ConnectionView = {
  name: 'pelanor-okta', vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta',
  identityProviderName: 'Okta', region: 'us', org: 'acme', issuer: 'https://acme.okta.com',
  clientId: '0oa1', secretExpires: null, secretExpiry: { state: 'unknown' }, lastTest: 'passed', issuerNotes: [],
  secretWarning: null, provisioned: false, canRotate: false, rotationStarted: false, lastCheck: null,
};

afterEach(() => clearMocks());

test('check all shows each problem under its connection and the last check from the history', async () => {
  let checked = false;
  const health: HealthView = {
    ok: false, checkedAt: '2026-12-02T10:00:00Z', problems: [],
    connections: [{ name: 'pelanor-okta', ok: false, checks: [
      { id: 'discovery', status: 'pass', detail: 'the document is valid' },
      { id: 'client-secret', status: 'fail', detail: 'the token endpoint refused the client secret <img src=x>', hint: 'create a new secret' },
    ] }],
  };
  mockIPC((command) => {
    if (command === 'list_connections') {
      const lastCheck = checked ? { at: '2026-12-02T10:00:00Z', ok: false, failed: ['client-secret'], warned: [] } : null;
      return { connections: [{ ...base, lastCheck }], problems: [] };
    }
    if (command === 'check_all_connections') {
      checked = true;
      return health;
    }
    throw new Error(`unexpected ${command}`);
  });
  render(Home, {});
  await screen.findByText('Not checked yet');
  await fireEvent.click(screen.getByRole('button', { name: 'Check all' }));
  await screen.findByText(/Check failed on 2026-12-02: client-secret/);
  expect(screen.getByText(/refused the client secret <img src=x> — create a new secret/)).toBeTruthy();
  expect(document.querySelector('img')).toBeNull();
  expect(screen.queryByText(/the document is valid/)).toBeNull();
});
