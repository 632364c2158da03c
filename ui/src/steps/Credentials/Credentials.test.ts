// The Credentials step: the issuer is normalised by the core as it is typed, the secret is
// sent once to save_connection and then cleared from the field, and a suspicious secret
// (an Entra Secret ID) stops the wizard with the warning.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import Credentials from './Credentials.svelte';
import type { ConnectionView, VendorSummary } from '../../ipc';

const pelanor: VendorSummary = {
  id: 'pelanor', name: 'Pelanor', summary: '', orgValue: null, regions: [],
  identityProviders: [{ id: 'okta', name: 'Okta', issuerFormat: 'https://{your-okta-domain}' }],
  vendorConfirmsRedirectUri: false,
};

function savedView(input: { name: string; clientId: string; issuer: string }, secretWarning: string | null): ConnectionView {
  return {
    name: input.name, vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta', identityProviderName: 'Okta',
    region: 'us', org: 'acme', issuer: input.issuer, clientId: input.clientId, secretExpires: null,
    secretExpiry: { state: 'unknown' }, lastTest: 'never', issuerNotes: [], secretWarning,
  };
}

afterEach(() => clearMocks());

async function fillAndSave() {
  await fireEvent.input(screen.getByLabelText('Client ID'), { target: { value: '0oa1client' } });
  await fireEvent.input(screen.getByLabelText('Issuer'), { target: { value: 'acme.okta.com' } });
  await fireEvent.input(screen.getByLabelText('Client secret'), { target: { value: 's3cret-value' } });
  await fireEvent.submit(screen.getByRole('button', { name: 'Save to keychain and continue' }));
}

test('shows the normalised issuer and sends the secret once, then clears the field', async () => {
  const saved: unknown[] = [];
  mockIPC((command, payload) => {
    if (command === 'normalise_issuer_input') {
      return { issuer: 'https://acme.okta.com', discoveryUrl: 'https://acme.okta.com/.well-known/openid-configuration', notes: ['added https://'] };
    }
    if (command === 'save_connection') {
      const { input } = payload as { input: { name: string; clientId: string; issuer: string } };
      saved.push(input);
      return savedView(input, null);
    }
    throw new Error(`unexpected ${command}`);
  });
  const onSaved = vi.fn();
  render(Credentials, { vendor: pelanor, identityProvider: 'okta', region: 'us', org: 'acme', onSaved });
  await fillAndSave();
  expect((await screen.findByTestId('normalised-issuer')).textContent).toBe('https://acme.okta.com');
  await vi.waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
  expect(saved).toEqual([expect.objectContaining({ name: 'pelanor-acme-okta', clientId: '0oa1client', clientSecret: 's3cret-value', secretExpires: null })]);
  expect((screen.getByLabelText('Client secret') as HTMLInputElement).value).toBe('');
  expect(document.body.textContent).not.toContain('s3cret-value');
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
