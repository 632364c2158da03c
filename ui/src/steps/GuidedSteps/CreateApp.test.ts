// "Create it for me": the plan is shown as text before anything is created, the admin token
// is sent once with the create request and cleared from the page, and what the provider put
// in the plan (URLs, values) is never rendered as markup.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import CreateApp from './CreateApp.svelte';
import type { ConnectionView, ProvisionPlan } from '../../ipc';

const plan: ProvisionPlan = {
  requests: [{
    method: 'POST', url: 'http://127.0.0.1:4000/reg<img src=x>', credential: 'initial access token',
    purpose: 'register the app (RFC 7591 §3.1); the provider makes the client secret',
    fields: [{ name: 'redirect_uris', value: 'https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/' }],
  }],
  differences: [],
  notes: ['no app exists yet for this connection'],
};

const created: ConnectionView = {
  name: 'peerpanda-acme-generic', vendor: 'peerpanda', vendorName: 'Peerpanda', identityProvider: 'generic',
  identityProviderName: 'Generic OpenID provider', region: null, org: 'acme', issuer: 'http://127.0.0.1:4000',
  clientId: 'client-1', secretExpires: null, secretExpiry: { state: 'unknown' }, lastTest: 'never', issuerNotes: [],
  secretWarning: null, provisioned: true, canRotate: false, rotationStarted: false, lastCheck: null,
};

afterEach(() => clearMocks());

test('the plan comes first, as text; creating sends the token once and clears it', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'plan_provisioning') return plan;
    if (command === 'provision_app') return { connection: created, sendToVendor: [], notes: [] };
    throw new Error(`unexpected ${command}`);
  });
  const onCreated = vi.fn();
  render(CreateApp, { vendorId: 'peerpanda', identityProvider: 'generic', region: null, org: 'acme', onCreated });
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'http://127.0.0.1:4000' } });
  const token = screen.getByLabelText(/Admin token/) as HTMLInputElement;
  expect(token.type).toBe('password');
  await fireEvent.input(token, { target: { value: 'iat-secret-1' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Show the plan' }));
  const shown = await screen.findByTestId('provision-plan');
  expect(shown.textContent).toContain('http://127.0.0.1:4000/reg<img src=x>');
  expect(shown.textContent).toContain('redirect_uris: https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/');
  expect(document.querySelector('img')).toBeNull();
  expect(calls.map((call) => call.command)).toEqual(['plan_provisioning']);
  expect(JSON.stringify(calls[0].payload)).not.toContain('iat-secret-1');

  await fireEvent.click(screen.getByRole('button', { name: 'Create the app' }));
  await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
  expect(calls[1].command).toBe('provision_app');
  expect((calls[1].payload as { adminToken: string }).adminToken).toBe('iat-secret-1');
  // An initial access token is single-use: standard registration offers no keeping.
  expect((calls[1].payload as { keepAdminToken: boolean }).keepAdminToken).toBe(false);
  expect(screen.queryByLabelText(/Keep the admin token/)).toBeNull();
  expect(token.value).toBe('');
  expect(document.body.innerHTML).not.toContain('iat-secret-1');
});

test("the provider's refusal is shown with its hint, and nothing is created", async () => {
  mockIPC((command) => {
    if (command === 'plan_provisioning') {
      return Promise.reject({ code: 'provision-no-registration-endpoint', message: 'the provider at http://127.0.0.1:4000 advertises no registration_endpoint', hint: 'create the app by hand' });
    }
    throw new Error(`unexpected ${command}`);
  });
  const onCreated = vi.fn();
  render(CreateApp, { vendorId: 'peerpanda', identityProvider: 'generic', region: null, org: 'acme', onCreated });
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'http://127.0.0.1:4000' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Show the plan' }));
  const alert = await screen.findByRole('alert');
  expect(alert.getAttribute('data-error-code')).toBe('provision-no-registration-endpoint');
  expect(screen.queryByRole('button', { name: 'Create the app' })).toBeNull();
  expect(onCreated).not.toHaveBeenCalled();
});

test('at Okta each request is shown as it goes out, and ticking keep asks the shell to keep the token', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  let finish: (value: unknown) => void = () => {};
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'plan_provisioning') return plan;
    if (command === 'provision_app') {
      const channel = (payload as { onProgress: { onmessage: (progress: unknown) => void } }).onProgress;
      channel.onmessage({ position: 1, total: 2, method: 'POST', url: 'https://acme.okta.com/api/v1/apps<b>', purpose: 'create the OIDC web app' });
      return new Promise((resolve) => (finish = resolve));
    }
    throw new Error(`unexpected ${command}`);
  });
  const onCreated = vi.fn();
  render(CreateApp, { vendorId: 'peerpanda', identityProvider: 'okta', region: null, org: 'acme', onCreated });
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'https://acme.okta.com' } });
  await fireEvent.input(screen.getByLabelText(/Okta API token/), { target: { value: '00okta-token' } });
  await fireEvent.click(screen.getByLabelText(/Keep the admin token/));
  await fireEvent.click(screen.getByRole('button', { name: 'Show the plan' }));
  await screen.findByTestId('provision-plan');
  await fireEvent.click(screen.getByRole('button', { name: 'Create the app' }));
  const progress = await screen.findByTestId('provision-progress');
  expect(progress.textContent).toContain('Sending 1 of 2: POST https://acme.okta.com/api/v1/apps<b>');
  expect(document.querySelector('b')).toBeNull();
  expect(calls[1].payload).toMatchObject({ adminToken: '00okta-token', keepAdminToken: true });
  finish({ connection: { ...created, identityProvider: 'okta' }, sendToVendor: [], notes: [] });
  await vi.waitFor(() => expect(onCreated).toHaveBeenCalled());
  expect(screen.queryByTestId('provision-progress')).toBeNull();
});
