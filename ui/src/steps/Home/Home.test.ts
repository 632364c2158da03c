// The home screen: each connection's last check from its history; "Check all", which says
// where it is and lists each problem under its connection as text (nothing from a provider
// becomes markup); what needs attention; and the setup report.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test } from 'vitest';
import Home from './Home.svelte';
import type { CheckAllProgress, ConnectionView, HealthView } from '../../ipc';

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
    if (command === 'connection_reminders') return [];
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

test('check all says which connection it is checking while it runs', async () => {
  let finish: (health: HealthView) => void = () => {};
  mockIPC((command, payload) => {
    if (command === 'list_connections') return { connections: [base, { ...base, name: 'peerpanda-entra' }], problems: [] };
    if (command === 'connection_reminders') return [];
    if (command === 'check_all_connections') {
      const channel = (payload as { onProgress: { onmessage: (event: CheckAllProgress) => void } }).onProgress;
      channel.onmessage({ connection: 'pelanor-okta', position: 1, total: 2, checked: false, ok: null });
      channel.onmessage({ connection: 'pelanor-okta', position: 1, total: 2, checked: true, ok: true });
      channel.onmessage({ connection: 'peerpanda-entra', position: 2, total: 2, checked: false, ok: null });
      return new Promise<HealthView>((resolve) => (finish = resolve));
    }
    throw new Error(`unexpected ${command}`);
  });
  render(Home, {});
  await screen.findByText('pelanor-okta');
  await fireEvent.click(screen.getByRole('button', { name: 'Check all' }));
  expect((await screen.findByTestId('check-progress')).textContent).toBe('Checking 2 of 2: peerpanda-entra…');
  finish({ ok: true, checkedAt: '2026-12-02T10:00:00Z', problems: [], connections: [] });
  await screen.findByRole('button', { name: 'Check all' });
  expect(screen.queryByTestId('check-progress')).toBeNull();
});

test('what needs attention is listed as text above the connections', async () => {
  mockIPC((command) => {
    if (command === 'list_connections') return { connections: [base], problems: [] };
    if (command === 'connection_reminders') {
      return [
        { connection: 'pelanor-okta', severity: 'warn', text: 'pelanor-okta: the client secret expires in 10 days (2026-12-13)' },
        { connection: 'pelanor-okta', severity: 'fail', text: 'pelanor-okta: the last check failed (2026-12-02): <b>keys</b>' },
      ];
    }
    throw new Error(`unexpected ${command}`);
  });
  render(Home, {});
  const reminders = await screen.findByTestId('reminders');
  expect(reminders.textContent).toContain('pelanor-okta: the client secret expires in 10 days (2026-12-13)');
  expect(reminders.textContent).toContain('<b>keys</b>');
  expect(reminders.querySelector('b')).toBeNull();
});

test('the setup report is saved through the shell and its place is shown', async () => {
  const asked: string[] = [];
  mockIPC((command, payload) => {
    if (command === 'list_connections') return { connections: [base], problems: [] };
    if (command === 'connection_reminders') return [];
    if (command === 'save_setup_report') {
      asked.push((payload as { name: string }).name);
      return { path: '/home/admin/pelanor-okta-setup-report.html' };
    }
    throw new Error(`unexpected ${command}`);
  });
  render(Home, {});
  await screen.findByText('pelanor-okta');
  await fireEvent.click(screen.getByRole('button', { name: 'Setup report' }));
  expect((await screen.findByTestId('report-saved')).textContent).toContain('/home/admin/pelanor-okta-setup-report.html');
  expect(asked).toEqual(['pelanor-okta']);
});
