// The Credentials step: the issuer is normalised by the core as it is typed, the secret is
// sent once to save_connection and then cleared from the field (no copy stays in the page,
// in any field's value or in a later IPC call), and a suspicious secret (an Entra Secret ID)
// stops the wizard with the warning.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import Credentials from './Credentials.svelte';
import type { ConnectionView, VendorSummary } from '../../ipc';

const pelanor: VendorSummary = {
  id: 'pelanor', name: 'Pelanor', summary: '', orgValue: null, regions: [],
  identityProviders: [{ id: 'okta', name: 'Okta', issuerFormat: 'https://{your-okta-domain}' }],
  vendorConfirmsRedirectUri: false,
  customProfileFile: null,
};

function savedView(input: { name: string; clientId: string; issuer: string }, secretWarning: string | null): ConnectionView {
  return {
    name: input.name, vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta', identityProviderName: 'Okta',
    region: 'us', org: 'acme', issuer: input.issuer, clientId: input.clientId, secretExpires: null,
    secretExpiry: { state: 'unknown' }, lastTest: 'never', issuerNotes: [], secretWarning, provisioned: false, canRotate: false, rotationStarted: false, lastCheck: null,
  };
}

afterEach(() => clearMocks());

const secret = 's3cret-value';

async function fill() {
  await fireEvent.input(screen.getByLabelText('Client ID'), { target: { value: '0oa1client' } });
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'acme.okta.com' } });
  await fireEvent.input(screen.getByLabelText('Client secret'), { target: { value: secret } });
}

async function submit() {
  await fireEvent.submit(screen.getByRole('button', { name: 'Save to keychain and continue' }));
}

async function fillAndSave() {
  await fill();
  await submit();
}

/** Where the page still holds the secret: in the markup, or in the value of any field (values are not in the markup). */
function whereIsSecret(): string[] {
  const places = document.body.innerHTML.includes(secret) ? ['markup'] : [];
  for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (field.value.includes(secret)) places.push(`value of #${field.id}`);
  }
  return places;
}

test('shows the normalised issuer and sends the secret once, then keeps no copy of it', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'normalise_issuer_input') {
      return { issuer: 'https://acme.okta.com', discoveryUrl: 'https://acme.okta.com/.well-known/openid-configuration', notes: ['added https://'] };
    }
    if (command === 'save_connection') {
      const { input } = payload as { input: { name: string; clientId: string; issuer: string } };
      return savedView(input, null);
    }
    throw new Error(`unexpected ${command}`);
  });
  const onSaved = vi.fn();
  render(Credentials, { vendor: pelanor, identityProvider: 'okta', region: 'us', org: 'acme', onSaved });
  await fill();
  // The check below can see the secret: before the save it is in the field.
  expect(whereIsSecret()).toEqual(['value of #client-secret']);
  await submit();
  expect((await screen.findByTestId('normalised-issuer')).textContent).toBe('https://acme.okta.com');
  await vi.waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
  // Later work on the step reaches the shell again, without the secret.
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'acme2.okta.com' } });
  await vi.waitFor(() => expect(calls.at(-1)).toEqual({ command: 'normalise_issuer_input', payload: { identityProvider: 'okta', input: 'acme2.okta.com' } }));

  const saves = calls.filter((call) => call.command === 'save_connection');
  expect(saves).toEqual([{
    command: 'save_connection',
    payload: { input: expect.objectContaining({ name: 'pelanor-acme-okta', clientId: '0oa1client', clientSecret: secret, secretExpires: null }) },
  }]);
  expect(calls.filter((call) => JSON.stringify(call.payload).includes(secret))).toEqual(saves);
  expect(JSON.stringify(onSaved.mock.calls)).not.toContain(secret);
  expect((screen.getByLabelText('Client secret') as HTMLInputElement).value).toBe('');
  expect(whereIsSecret()).toEqual([]);
});

test('an Entra Secret ID is saved but the wizard stops on the warning', async () => {
  mockIPC((command, payload) => {
    if (command === 'normalise_issuer_input') return { issuer: 'https://acme.okta.com', discoveryUrl: '', notes: [] };
    const { input } = payload as { input: { name: string; clientId: string; issuer: string } };
    return savedView(input, 'The client secret looks like a GUID, which in Entra ID is the Secret ID');
  });
  const onSaved = vi.fn();
  render(Credentials, { vendor: pelanor, identityProvider: 'okta', region: 'us', org: 'acme', onSaved });
  await fillAndSave();
  expect((await screen.findByRole('alert')).textContent).toContain('Secret ID');
  expect(onSaved).not.toHaveBeenCalled();
  expect(whereIsSecret()).toEqual([]);
  await fireEvent.click(screen.getByRole('button', { name: 'Continue anyway' }));
  expect(onSaved).toHaveBeenCalledOnce();
});

test('a refused save shows the core error and hint', async () => {
  mockIPC((command) => {
    if (command === 'normalise_issuer_input') return { issuer: 'https://acme.okta.com', discoveryUrl: '', notes: [] };
    throw { code: 'keychain-locked', message: 'the keychain is locked', hint: 'unlock the login keyring and save again' };
  });
  render(Credentials, { vendor: pelanor, identityProvider: 'okta', region: 'us', org: 'acme' });
  await fillAndSave();
  const alert = await screen.findByRole('alert');
  expect(alert.getAttribute('data-error-code')).toBe('keychain-locked');
  expect(alert.textContent).toContain('What to do: unlock the login keyring and save again');
});
