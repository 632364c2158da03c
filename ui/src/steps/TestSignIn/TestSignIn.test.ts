// The sign-in step: the IdP's loopback advice pre-fills the URI the test must listen on,
// Cancel reaches the shell while the test runs, and what the provider sent (claims) is shown
// as text, never as markup.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import TestSignIn from './TestSignIn.svelte';
import type { ConnectionView } from '../../ipc';

const connection: ConnectionView = {
  name: 'pelanor-okta', vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta', identityProviderName: 'Okta',
  region: 'us', org: 'acme', issuer: 'https://acme.okta.com', clientId: '0oa1', secretExpires: null,
  secretExpiry: { state: 'unknown' }, lastTest: 'never', issuerNotes: [], secretWarning: null, provisioned: false, canRotate: false, rotationStarted: false, lastCheck: null,
};

const advice = { explanation: 'Okta: the port must match exactly.', register: 'http://127.0.0.1:8400/callback', listenOnRegister: true };

afterEach(() => clearMocks());

test('Cancel reaches the shell while the test runs, and the cancellation is shown', async () => {
  let finish: (error: unknown) => void = () => {};
  const calls: string[] = [];
  mockIPC((command, payload) => {
    calls.push(command);
    if (command === 'loopback_registration_advice') return advice;
    if (command === 'run_sign_in_test') {
      expect((payload as { redirectUri: string }).redirectUri).toBe('http://127.0.0.1:8400/callback');
      return new Promise((_, reject) => { finish = reject; });
    }
    if (command === 'cancel_sign_in_test') {
      finish({ code: 'sign-in-cancelled', message: 'the sign-in test was cancelled', hint: 'start the test again' });
      return true;
    }
  });
  render(TestSignIn, { connection });
  await vi.waitFor(() => expect((screen.getByLabelText(/Loopback redirect URI you registered/) as HTMLInputElement).value).toBe('http://127.0.0.1:8400/callback'));
  await fireEvent.click(screen.getByRole('button', { name: 'Start the sign-in test' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
  const alert = await screen.findByRole('alert');
  expect(alert.getAttribute('data-error-code')).toBe('sign-in-cancelled');
  expect(calls).toContain('cancel_sign_in_test');
  expect(screen.getByRole('button', { name: 'Start the sign-in test' })).toBeTruthy();
});

test('claims and checks from the provider are text, never markup', async () => {
  mockIPC((command) => {
    if (command === 'loopback_registration_advice') return advice;
    return {
      ok: false, issuer: 'https://acme.okta.com', redirectUri: 'http://127.0.0.1:8400/callback', tokenEndpointAuthMethod: 'client_secret_basic',
      checks: [{ id: 'claims', status: 'fail', detail: 'name is <b>missing</b>', hint: 'add the profile scope' }],
      idTokenClaims: [{ name: 'name', value: '<img src=x onerror=alert(1)>' }], userinfoClaims: [], missingClaims: ['given_name'],
      error: null, timingsMs: {},
    };
  });
  render(TestSignIn, { connection });
  await fireEvent.click(screen.getByRole('button', { name: 'Start the sign-in test' }));
  expect((await screen.findByTestId('sign-in-result')).textContent).toBe('The sign-in test failed.');
  expect(document.querySelector('img')).toBeNull();
  expect(document.querySelector('.checks b')).toBeNull();
  expect(screen.getByRole('table', { name: 'Claims in the ID token' }).textContent).toContain('<img src=x onerror=alert(1)>');
  expect(document.body.textContent).toContain('Missing for Pelanor: given_name');
  expect(document.body.textContent).toContain('remove it again now');
});

test('a connection the assistant created registers its loopback URI for the test alone', async () => {
  const payloads: Record<string, unknown>[] = [];
  mockIPC((command, payload) => {
    if (command === 'loopback_registration_advice') return advice;
    if (command === 'run_sign_in_test') {
      payloads.push(payload as Record<string, unknown>);
      return {
        ok: true, issuer: 'http://127.0.0.1:4000', redirectUri: 'http://127.0.0.1:53682/callback', tokenEndpointAuthMethod: 'client_secret_basic',
        checks: [], idTokenClaims: [], userinfoClaims: [], missingClaims: [], error: null, timingsMs: {},
        temporaryRedirect: { uri: 'http://127.0.0.1:53682/callback', removed: true, leftBehind: null },
      };
    }
  });
  render(TestSignIn, { connection: { ...connection, provisioned: true } });
  const register = screen.getByRole('checkbox', { name: /Register the loopback redirect URI for this test only/ }) as HTMLInputElement;
  expect(register.checked).toBe(true);
  expect(screen.queryByLabelText(/Loopback redirect URI you registered/)).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Start the sign-in test' }));
  expect((await screen.findByTestId('temporary-redirect')).textContent).toContain('http://127.0.0.1:53682/callback was removed from the app again');
  expect(payloads[0]).toMatchObject({ name: 'pelanor-okta', redirectUri: null, registerLoopback: true });
  expect(document.body.textContent).not.toContain('remove it again now');
});
