// Mounts the app. Everything the app shows comes from the core through src/ipc/.
import { mount } from 'svelte';
import App from './App.svelte';
import { reportFirstPaint } from './ipc';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
const scriptStarted = performance.now();
const app = mount(App, { target });
const mounted = performance.now();
// Two animation frames after mounting, the first screen is on the display. The page's own
// timings (since navigation start) go with the report, for the start-up benchmark.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const painted = performance.now();
    void reportFirstPaint({ scriptStarted, mounted, painted }).catch(() => undefined);
  }),
);
export default app;
