// Reports the first paint the same way the app does: two animation frames after load.
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke('app_ready')));
