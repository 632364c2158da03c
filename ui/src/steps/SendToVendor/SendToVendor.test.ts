// Sending to the vendor: the bundle goes to the vendor's key or a confirmed passphrase (both
// fields go to the core, which checks them again, and are cleared after the export); a
// mismatch never reaches the shell; the shell's answer (the saved path, or an error with its
// hint) is shown.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import SendToVendor from './SendToVendor.svelte';
import type { ConnectionView } from '../../ipc';

const connection: ConnectionView = {
  name: 'pelanor-okta', vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta', identityProviderName: 'Okta',
  region: 'us', org: 'acme', issuer: 'https://acme.okta.com', clientId: '0oa1', secretExpires: null,
  secretExpiry: { state: 'unknown' }, lastTest: 'passed', issuerNotes: [], secretWarning: null, provisioned: false, canRotate: false, rotationStarted: false, lastCheck: null,
};

afterEach(() => clearMocks());

test('exports to the pasted key and shows where the bundle went', async () => {
  const exports: unknown[] = [];
  mockIPC((command, payload) => {
    if (command === 'build_setup_guide') throw { code: 'x', message: 'no guide', hint: null };
    if (command === 'export_bundle') {
      exports.push((payload as { input: unknown }).input);
      return { path: '/home/admin/pelanor-okta-sso.age', vendorName: 'Pelanor' };
    }
  });
  render(SendToVendor, { connection });
  expect(screen.getByTestId('send-client-id').textContent).toBe('0oa1');
  await fireEvent.input(screen.getByLabelText("Pelanor's public key"), { target: { value: 'age1examplekey' } });
  await fireEvent.submit(screen.getByRole('button', { name: 'Save the encrypted bundle…' }));
  expect((await screen.findByTestId('bundle-written')).textContent).toContain('/home/admin/pelanor-okta-sso.age');
  expect(exports).toEqual([{ connection: 'pelanor-okta', recipients: ['age1examplekey'], passphrase: null, passphraseConfirmation: null }]);
});

test('two different passphrases never reach the shell', async () => {
  const commands: string[] = [];
  mockIPC((command) => { commands.push(command); return null; });
  render(SendToVendor, { connection });
  await fireEvent.click(screen.getByLabelText(/A passphrase agreed with the vendor/));
  await fireEvent.input(screen.getByLabelText('Passphrase (at least 12 characters)'), { target: { value: 'correct horse battery' } });
  await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'correct horse batterx' } });
  expect((await screen.findByRole('alert')).textContent).toBe('The two passphrases differ.');
  const save = screen.getByRole('button', { name: 'Save the encrypted bundle…' }) as HTMLButtonElement;
  expect(save.disabled).toBe(true);
  await vi.waitFor(() => expect(commands).toEqual(['build_setup_guide']));
});

async function exportWithPassphrase(typed: string) {
  await fireEvent.click(screen.getByLabelText(/A passphrase agreed with the vendor/));
  await fireEvent.input(screen.getByLabelText('Passphrase (at least 12 characters)'), { target: { value: typed } });
  await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: typed } });
  await fireEvent.submit(screen.getByRole('button', { name: 'Save the encrypted bundle…' }));
}

test('a passphrase typed twice goes to the core as passphrase and confirmation, and the fields are cleared', async () => {
  const exports: unknown[] = [];
  mockIPC((command, payload) => {
    if (command === 'build_setup_guide') throw { code: 'x', message: 'no guide', hint: null };
    if (command === 'export_bundle') {
      exports.push((payload as { input: unknown }).input);
      return { path: '/home/admin/pelanor-okta-sso.age', vendorName: 'Pelanor' };
    }
    throw new Error(`unexpected ${command}`);
  });
  render(SendToVendor, { connection });
  await exportWithPassphrase('correct horse battery staple');
  expect((await screen.findByTestId('bundle-written')).textContent).toContain('/home/admin/pelanor-okta-sso.age');
  expect(exports).toEqual([{
    connection: 'pelanor-okta', recipients: [],
    passphrase: 'correct horse battery staple', passphraseConfirmation: 'correct horse battery staple',
  }]);
  expect((screen.getByLabelText('Passphrase (at least 12 characters)') as HTMLInputElement).value).toBe('');
  expect((screen.getByLabelText('Passphrase again') as HTMLInputElement).value).toBe('');
});

test('a passphrase the core refuses as too short is shown with its hint, and nothing is reported saved', async () => {
  const exports: unknown[] = [];
  mockIPC((command, payload) => {
    if (command === 'build_setup_guide') throw { code: 'x', message: 'no guide', hint: null };
    if (command === 'export_bundle') {
      exports.push((payload as { input: unknown }).input);
      throw {
        code: 'bundle-short-passphrase',
        message: 'the passphrase is shorter than 12 characters',
        hint: 'use a longer passphrase (a few random words), and tell it to the vendor by phone, not by email; nothing was written',
      };
    }
    throw new Error(`unexpected ${command}`);
  });
  render(SendToVendor, { connection });
  await exportWithPassphrase('short one');
  const alert = await screen.findByRole('alert');
  expect(alert.getAttribute('data-error-code')).toBe('bundle-short-passphrase');
  expect(alert.textContent).toContain('the passphrase is shorter than 12 characters');
  expect(alert.textContent).toContain('What to do: use a longer passphrase (a few random words), and tell it to the vendor by phone, not by email; nothing was written');
  expect(screen.queryByTestId('bundle-written')).toBeNull();
  expect(exports).toEqual([{ connection: 'pelanor-okta', recipients: [], passphrase: 'short one', passphraseConfirmation: 'short one' }]);
});

test('copying the client secret asks the shell by connection name: the secret never reaches the page', async () => {
  const calls: Array<{ command: string; payload: unknown }> = [];
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'build_setup_guide') throw { code: 'x', message: 'no guide', hint: null };
    if (command === 'copy_client_secret') return 30;
  });
  render(SendToVendor, { connection });
  await fireEvent.click(screen.getByTestId('copy-client-secret'));
  expect((await screen.findByText(/cleared in 30 seconds/)).textContent).toContain('Copied');
  expect(calls.filter((call) => call.command === 'copy_client_secret')).toEqual([
    { command: 'copy_client_secret', payload: { name: 'pelanor-okta' } },
  ]);
});

test('a copy the shell refuses shows its error and hint', async () => {
  mockIPC((command) => {
    if (command === 'build_setup_guide') throw { code: 'x', message: 'no guide', hint: null };
    if (command === 'copy_client_secret') {
      throw { code: 'connection-no-secret', message: "the connection 'pelanor-okta' has no client secret saved with it", hint: 'save it again' };
    }
  });
  render(SendToVendor, { connection });
  await fireEvent.click(screen.getByTestId('copy-client-secret'));
  expect((await screen.findByText(/has no client secret saved with it/)).textContent).toContain('pelanor-okta');
  expect(screen.queryByText(/Copied\./)).toBeNull();
});
