// The browser demo's page script (bundled to /page.js by `wasmtls demo
// --web`): fetches its configuration, runs the handshake and a GET in this
// page through the WebSocket tunnel, and draws it (run.ts, diagram.ts). The
// first run starts on load; the button runs it again. The state is exposed
// as `document.body.dataset.state` ('running', 'done', 'error') and
// `window.wasmtlsDemo` for tests.
import { connectWebSocket } from '../transport/websocket.js';
import { type DemoConfig, type DemoRun, runDemoOnce } from './run.js';

interface DemoState {
  runs: DemoRun[];
  error: string | undefined;
}

const state: DemoState = { runs: [], error: undefined };
(globalThis as { wasmtlsDemo?: DemoState }).wasmtlsDemo = state;

const button = document.getElementById('run') as HTMLButtonElement;
const status = document.getElementById('status') as HTMLElement;
const diagram = document.getElementById('diagram') as HTMLElement;
const summary = document.getElementById('summary') as HTMLElement;

async function go(config: DemoConfig, cold: boolean): Promise<void> {
  button.disabled = true;
  document.body.dataset.state = 'running';
  status.className = '';
  status.textContent = 'Connecting through the tunnel…';
  try {
    const run = await runDemoOnce(config, (options) => connectWebSocket(config.tunnelUrl, options), diagram, summary, cold);
    state.runs.push(run);
    status.textContent = `Done: ${run.info.cipherSuite}, ${run.info.group}, handshake in ${run.handshakeMs.toFixed(1)} ms.`;
    document.body.dataset.state = 'done';
  } catch (e) {
    state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    status.className = 'error';
    status.textContent = `Failed: ${state.error}`;
    document.body.dataset.state = 'error';
  } finally {
    button.disabled = false;
  }
}

const config = (await (await fetch('/config.json', { cache: 'no-store' })).json()) as DemoConfig;
button.addEventListener('click', () => void go(config, false));
await go(config, true);
