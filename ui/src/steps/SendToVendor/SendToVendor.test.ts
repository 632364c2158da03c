// Sending to the vendor: the bundle goes to the vendor's key or a confirmed passphrase; a
// mismatch never reaches the shell; the shell's answer (the saved path) is shown.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import SendToVendor from './SendToVendor.svelte';
import type { ConnectionView } from '../../ipc';

const connection: ConnectionView = {
  name: 'pelanor-okta', vendor: 'pelanor', vendorName: 'Pelanor', identityProvider: 'okta', identityProviderName: 'Okta',
  region: 'us', org: 'acme', issuer: 'https://acme.okta.com', clientId: '0oa1', secretExpires: null,
  secretExpiry: { state: 'unknown' }, lastTest: 'passed', issuerNotes: [], secretWarning: null,
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
  expect(exports).toEqual([{ connection: 'pelanor-okta', recipients: ['age1examplekey'], passphrase: null }]);
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
