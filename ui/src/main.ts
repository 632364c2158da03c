// Mounts the app. Everything the app shows comes from the core through src/ipc/.
import { mount } from 'svelte';
import App from './App.svelte';
import { reportFirstPaint } from './ipc';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
const app = mount(App, { target });
// Two animation frames after mounting, the first screen is on the display.
requestAnimationFrame(() => requestAnimationFrame(() => void reportFirstPaint().catch(() => undefined)));
export default app;
