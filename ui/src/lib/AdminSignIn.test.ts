// "Sign in with a code": the code and the page are shown as text while the shell waits for the
// admin's approval, "Open the sign-in page" asks the shell (never a URL from this page), and
// once signed in the page shows it and offers sign-out; no token ever reaches the page.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test } from 'vitest';
import AdminSignIn from './AdminSignIn.svelte';
import type { DeviceCodeView } from '../ipc';

afterEach(() => clearMocks());

test('the code is shown until the admin approves, then the page says signed in and can sign out', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  let approve: (value: unknown) => void = () => {};
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'sign_in_as_admin') {
      const channel = (payload as { onCode: { onmessage: (code: DeviceCodeView) => void } }).onCode;
      channel.onmessage({ userCode: 'WDJB-MJHT<b>', verificationUri: 'https://acme.okta.com/activate', browserOpened: false, expiresInSeconds: 600 });
      return new Promise((resolve) => (approve = resolve));
    }
    if (command === 'open_admin_sign_in_page') return true;
    if (command === 'sign_out_admin') return true;
    throw new Error(`unexpected ${command}`);
  });
  render(AdminSignIn, { connection: 'pivott-okta', identityProvider: 'okta', issuer: 'https://acme.okta.com' });
  await fireEvent.input(screen.getByLabelText(/Public client ID/), { target: { value: ' 0oaPublic1 ' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Sign in with a code' }));
  await screen.findByText(/Enter this code/);
  expect(screen.getByText('WDJB-MJHT<b>')).toBeTruthy();
  expect(document.querySelector('b')).toBeNull();
  expect(screen.getByText(/your browser did not open/)).toBeTruthy();
  await fireEvent.click(screen.getByRole('button', { name: 'Open the sign-in page' }));
  expect(calls.map((call) => call.command)).toEqual(['sign_in_as_admin', 'open_admin_sign_in_page']);
  expect(calls[0].payload).toMatchObject({ request: { connection: 'pivott-okta', identityProvider: 'okta', issuer: 'https://acme.okta.com', clientId: ' 0oaPublic1 ' } });
  expect(calls[1].payload).toEqual({});

  approve({ connection: 'pivott-okta' });
  await screen.findByText(/Signed in as an IdP admin for pivott-okta/);
  expect(screen.queryByText(/Enter this code/)).toBeNull();
  await fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByLabelText(/Public client ID/);
  expect(calls.at(-1)?.command).toBe('sign_out_admin');
});

test('a refused client is shown with its hint, and the form stays', async () => {
  mockIPC((command) => {
    if (command === 'sign_in_as_admin') {
      throw { code: 'admin-sign-in-refused', message: 'the provider refused the sign-in: invalid_client', hint: 'check the public client ID' };
    }
    throw new Error(`unexpected ${command}`);
  });
  render(AdminSignIn, { connection: 'peerpanda-entra', identityProvider: 'entra' });
  const button = screen.getByRole('button', { name: 'Sign in with a code' }) as HTMLButtonElement;
  expect(button.disabled).toBe(true);
  await fireEvent.input(screen.getByLabelText(/Public client ID/), { target: { value: 'nobody' } });
  await fireEvent.click(button);
  await screen.findByText(/invalid_client/);
  expect(screen.getByText(/check the public client ID/)).toBeTruthy();
  expect(screen.getByLabelText(/Public client ID/)).toBeTruthy();
});
