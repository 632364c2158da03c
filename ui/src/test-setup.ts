// Every component test starts from an empty page and no IPC mock.
import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  clearMocks();
});
