// "Rotate secret": the admin token is sent once and cleared from the page, the rotation's
// checks are shown as text (nothing from the IdP becomes markup), and a started rotation is
// finished with the same form.
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import RotateSecret from './RotateSecret.svelte';
import type { ConnectionView, RotationView } from '../../ipc';

const connection: ConnectionView = {
  name: 'pivott-okta', vendor: 'pivott', vendorName: 'Pivott', identityProvider: 'okta',
  identityProviderName: 'Okta', region: null, org: null, issuer: 'https://acme.okta.com',
  clientId: '0oa1', secretExpires: null, secretExpiry: { state: 'unknown' }, lastTest: 'never', issuerNotes: [],
  secretWarning: null, provisioned: true, canRotate: true, rotationStarted: false, lastCheck: null,
};

afterEach(() => clearMocks());

test('a start sends the token once, clears it, and shows the new secret tried at the token endpoint', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  const started: RotationView = {
    connection: { ...connection, rotationStarted: true }, stage: 'started', ok: true, notes: [],
    checks: [{ id: 'client-secret', status: 'pass', detail: 'the token endpoint takes the secret <img src=x>' }],
  };
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'admin_token_kept') return false;
    if (command === 'rotate_client_secret') return started;
    throw new Error(`unexpected ${command}`);
  });
  const onDone = vi.fn();
  render(RotateSecret, { connection, onDone });
  const token = screen.getByLabelText(/Okta API token/) as HTMLInputElement;
  await fireEvent.input(token, { target: { value: '00okta-token' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Add a new secret' }));
  await screen.findByText(/the IdP takes it/);
  expect(calls).toEqual([
    { command: 'admin_token_kept', payload: { name: 'pivott-okta' } },
    { command: 'rotate_client_secret', payload: { name: 'pivott-okta', adminToken: '00okta-token', finish: false, keepAdminToken: false } },
  ]);
  expect(onDone).toHaveBeenCalled();
  expect(document.body.innerHTML).not.toContain('00okta-token');
  expect(screen.getByText(/takes the secret <img src=x>/)).toBeTruthy();
  expect(document.querySelector('img')).toBeNull();
});

test('a started rotation is finished, and a refusal is shown with its hint', async () => {
  mockIPC((command) => {
    if (command === 'admin_token_kept') return false;
    if (command === 'rotate_client_secret') {
      throw { code: 'admin-api-token-refused', message: 'the Okta Management API refused the admin token (HTTP 401)', hint: 'create an API token' };
    }
    throw new Error(`unexpected ${command}`);
  });
  render(RotateSecret, { connection: { ...connection, rotationStarted: true } });
  await fireEvent.input(screen.getByLabelText(/Admin token/), { target: { value: 'wrong' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Remove the old secret' }));
  await screen.findByText(/refused the admin token/);
  expect((screen.getByLabelText(/Admin token/) as HTMLInputElement).value).toBe('');
});

test('signed in as an admin, no token is asked for and none is sent: the shell holds it', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  const started: RotationView = {
    connection: { ...connection, rotationStarted: true }, stage: 'started', ok: true, notes: [], checks: [],
  };
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'admin_token_kept') return false;
    if (command === 'sign_in_as_admin') return { connection: 'pivott-okta' };
    if (command === 'rotate_client_secret') return started;
    throw new Error(`unexpected ${command}`);
  });
  render(RotateSecret, { connection });
  await fireEvent.input(screen.getByLabelText(/Public client ID/), { target: { value: '0oaPublic1' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Sign in with a code' }));
  await screen.findByText(/Signed in as an IdP admin/);
  expect(screen.queryByLabelText(/Okta API token/)).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Add a new secret' }));
  await screen.findByText(/the IdP takes it/);
  expect(calls.at(-1)).toEqual({ command: 'rotate_client_secret', payload: { name: 'pivott-okta', adminToken: '', finish: false, keepAdminToken: false } });
  expect(calls.find((call) => call.command === 'sign_in_as_admin')?.payload).toMatchObject({ request: { connection: 'pivott-okta', identityProvider: 'okta', issuer: null } });
});

test('a kept admin token is said, needs no token field, and can be forgotten; ticking keep asks to keep the one given', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  let kept = true;
  const started: RotationView = {
    connection: { ...connection, rotationStarted: true }, stage: 'started', ok: true, notes: [], checks: [],
  };
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'admin_token_kept') return kept;
    if (command === 'forget_admin_token') { kept = false; return true; }
    if (command === 'rotate_client_secret') return started;
    throw new Error(`unexpected ${command}`);
  });
  const first = render(RotateSecret, { connection });
  await screen.findByTestId('admin-token-kept');
  expect((screen.getByLabelText(/Okta API token/) as HTMLInputElement).required).toBe(false);
  await fireEvent.click(screen.getByRole('button', { name: 'Forget it' }));
  await waitFor(() => expect(screen.queryByTestId('admin-token-kept')).toBeNull());
  expect(calls.find((call) => call.command === 'forget_admin_token')?.payload).toEqual({ name: 'pivott-okta' });
  expect((screen.getByLabelText(/Okta API token/) as HTMLInputElement).required).toBe(true);
  first.unmount();

  render(RotateSecret, { connection });
  await fireEvent.input(screen.getByLabelText(/Okta API token/), { target: { value: '00okta-keep-me' } });
  await fireEvent.click(screen.getByLabelText(/Keep the admin token/));
  await fireEvent.click(screen.getByRole('button', { name: 'Add a new secret' }));
  await screen.findByText(/the IdP takes it/);
  expect(calls.at(-1)).toEqual({ command: 'rotate_client_secret', payload: { name: 'pivott-okta', adminToken: '00okta-keep-me', finish: false, keepAdminToken: true } });
  expect(document.body.innerHTML).not.toContain('00okta-keep-me');
});
