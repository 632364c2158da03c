// Choosing the vendor: a custom profile (not part of SSO Setup Assistant) is marked as such,
// with the file it came from, and a built-in vendor is not; names and file names come from
// files anyone can write, so they are shown as text, never as markup. An imported file goes
// to the core as it is, and the core's vendor is what the step reports.
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import ChooseVendor from './ChooseVendor.svelte';
import type { VendorSummary } from '../../ipc';

function vendor(id: string, name: string, customProfileFile: string | null): VendorSummary {
  return {
    id, name, summary: `Connect your IdP to ${id}.`, orgValue: null, regions: [],
    identityProviders: [{ id: 'okta', name: 'Okta', issuerFormat: 'https://{your-okta-domain}' }],
    vendorConfirmsRedirectUri: false,
    customProfileFile,
  };
}

const pelanor = vendor('pelanor', 'Pelanor', null);
const acme = vendor('acme-analytics', 'Acme Analytics', 'acme-analytics.toml');
const hostile = vendor('hostile', '<img src=x onerror=alert(1)>', '<img src=y onerror=alert(2)>.toml');

/** The card (the radio's label) for a vendor, found by its id. */
function card(id: string): HTMLElement {
  const radio = screen.getAllByRole('radio').find((candidate) => (candidate as HTMLInputElement).value === id);
  const label = radio?.closest('label');
  if (!label) throw new Error(`no card for ${id}`);
  return label;
}

/** A profile file as the file picker gives it; jsdom's File has no text(), so it is read the web view's other way. */
function profileFile(text: string, name: string): File {
  const file = new File([text], name, { type: 'text/plain' });
  if (typeof file.text !== 'function') {
    file.text = () => new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsText(file);
    });
  }
  return file;
}

afterEach(() => clearMocks());

test('a custom profile shows the badge and its file; a built-in vendor shows neither', () => {
  render(ChooseVendor, { vendors: [pelanor, acme] });
  const custom = card('acme-analytics');
  expect(custom.querySelector('.badge')?.textContent).toBe('Custom profile');
  expect(custom.textContent).toContain('From acme-analytics.toml, not part of SSO Setup Assistant.');
  const builtIn = card('pelanor');
  expect(builtIn.textContent).toContain('Pelanor');
  expect(builtIn.querySelector('.badge')).toBeNull();
  expect(builtIn.textContent).not.toContain('Custom profile');
  expect(builtIn.textContent).not.toContain('not part of SSO Setup Assistant');
  expect(document.querySelectorAll('.badge')).toHaveLength(1);
});

test('a vendor name and file name with markup are shown as text', () => {
  render(ChooseVendor, { vendors: [pelanor, hostile] });
  expect(document.querySelector('img')).toBeNull();
  const custom = card('hostile');
  const name = custom.querySelector('.vendor-name');
  expect(name?.textContent).toContain('<img src=x onerror=alert(1)>');
  expect(name?.querySelector('.badge')?.textContent).toBe('Custom profile');
  expect(custom.textContent).toContain('From <img src=y onerror=alert(2)>.toml, not part of SSO Setup Assistant.');
});

test('an imported profile goes to the core as it is, and the vendor the core returns is reported as text', async () => {
  const calls: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    calls.push({ command, payload });
    if (command === 'import_vendor_profile') return hostile;
    throw new Error(`unexpected ${command}`);
  });
  const onImported = vi.fn();
  const view = render(ChooseVendor, { vendors: [pelanor], onImported });
  const text = 'id = "hostile"\nname = "<img src=x onerror=alert(1)>"\n';
  await fireEvent.change(screen.getByLabelText('Import a vendor profile (.toml)'), {
    target: { files: [profileFile(text, 'hostile.toml')] },
  });
  expect((await screen.findByRole('status')).textContent).toBe('Imported <img src=x onerror=alert(1)>.');
  expect(calls).toEqual([{ command: 'import_vendor_profile', payload: { fileName: 'hostile.toml', text } }]);
  expect(onImported).toHaveBeenCalledExactlyOnceWith(hostile);
  // The wizard adds the imported vendor to the list, where it is marked as custom and chosen.
  await view.rerender({ vendors: [pelanor, hostile] });
  expect(card('hostile').querySelector('.badge')?.textContent).toBe('Custom profile');
  expect((card('hostile').querySelector('input') as HTMLInputElement).checked).toBe(true);
  expect(document.querySelector('img')).toBeNull();
});
