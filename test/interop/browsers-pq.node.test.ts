// Headless Chromium and Firefox ESR as clients of `wasmtls serve --www` (run
// in process through main()): with the default groups both negotiate
// X25519MLKEM768; with --groups leaving it out, both fall back to x25519
// without a HelloRetryRequest. The group is read from the server's handshake
// info as the --www page reports it (conn.tls.handshakeInfo), and for
// Chromium also from the browser's own view (DevTools Protocol
// securityDetails.keyExchangeGroup). Chromium is driven by playwright-core,
// Firefox by WebDriver BiDi over a WebSocket (Playwright cannot drive
// Debian's Firefox); both accept the server's fresh CA only for this
// session (ignoreHTTPSErrors / acceptInsecureCerts).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { main } from '../../src/cli/main.js';
import { killGroup, userJs } from '../firefox/harness.js';
import { freePort, Sink } from '../helpers/interop.js';

const stops: (() => void)[] = [];
afterAll(() => {
  for (const stop of stops.splice(0)) stop();
});

/** `wasmtls serve --www` in process; resolves with its port once listening. */
async function serve(extra: string[]): Promise<{ port: number; stop: () => void }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = new Sink();
  out.on('data', stdout.push);
  err.resume();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  stops.push(stop);
  void main(['serve', '--www', '--port', '0', '--alpn', 'http/1.1', ...extra], { stdin: new PassThrough(), stdout: out, stderr: err }, () => stopped);
  for (let i = 0; i < 500; i++) {
    const m = /listening on [^\n]*:(\d+)\n/.exec(stdout.text());
    if (m !== null) return { port: Number(m[1]), stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`wasmtls serve did not start: ${stdout.text()}`);
}

/** The rows of the --www page: the server's handshake info. */
function rows(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.split('\t');
    if (k !== undefined && v !== undefined) out[k.trim()] = v.trim();
  }
  return out;
}

// `chrome`: the name Chromium's securityDetails gives the group.
const CASES = [
  { label: 'default groups', args: [] as string[], group: 'X25519MLKEM768', chrome: 'X25519MLKEM768' },
  { label: '--groups x25519,secp256r1 (no ML-KEM)', args: ['--groups', 'x25519,secp256r1'], group: 'x25519', chrome: 'X25519' },
];

describe('Chromium as a client of wasmtls serve --www', () => {
  test.each(CASES)('$label: negotiates $group, no HelloRetryRequest', async ({ args, group, chrome }) => {
    const server = await serve(args);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const seen: string[] = [];
      cdp.on('Network.responseReceived', (e: { response: { url: string; securityDetails?: { keyExchangeGroup?: string; protocol?: string } } }) => {
        if (e.response.url.startsWith('https://127.0.0.1')) seen.push(`${e.response.securityDetails?.protocol} ${e.response.securityDetails?.keyExchangeGroup}`);
      });
      await page.goto(`https://127.0.0.1:${server.port}/`);
      const table = rows(await page.innerText('table'));
      expect(table['Key exchange group']).toBe(group);
      expect(table['HelloRetryRequest']).toBe('no');
      expect(table['Protocol']).toBe('TLSv1.3');
      // Chromium's own view of the same connection.
      expect(seen[0]).toBe(`TLS 1.3 ${chrome}`);
    } finally {
      await browser.close();
      server.stop();
    }
  }, 90_000);
});

/** A minimal WebDriver BiDi client: one command at a time. */
class Bidi {
  readonly #ws: WebSocket;
  #id = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { id?: number; type?: string; result?: unknown; error?: string; message?: string };
      if (m.id === undefined) return;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.type === 'error') p?.reject(new Error(`${m.error}: ${m.message}`));
      else p?.resolve(m.result);
    });
  }
  send<T>(method: string, params: object): Promise<T> {
    const id = ++this.#id;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }
}

async function connectBidi(port: number, child: ChildProcess): Promise<WebSocket> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`firefox-esr exited with ${child.exitCode}`);
    try {
      return await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('WebDriver BiDi did not come up');
}

describe('Firefox ESR as a client of wasmtls serve --www', () => {
  test.each(CASES)('$label: negotiates $group, no HelloRetryRequest', async ({ args, group }) => {
    const server = await serve(args);
    const profile = mkdtempSync(join(tmpdir(), 'wasmtls-ff-'));
    writeFileSync(join(profile, 'user.js'), userJs());
    const bidiPort = await freePort();
    const child = spawn('firefox-esr', ['--headless', '--no-remote', '--profile', profile, `--remote-debugging-port=${bidiPort}`], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, HOME: profile, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1', MOZ_HEADLESS: '1' },
    });
    let ws: WebSocket | undefined;
    try {
      ws = await connectBidi(bidiPort, child);
      const bidi = new Bidi(ws);
      await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
      const tree = await bidi.send<{ contexts: { context: string }[] }>('browsingContext.getTree', {});
      const context = tree.contexts[0]?.context as string;
      await bidi.send('browsingContext.navigate', { context, url: `https://127.0.0.1:${server.port}/`, wait: 'complete' });
      const r = await bidi.send<{ result: { value: string } }>('script.evaluate', {
        expression: "[...document.querySelectorAll('tr')].map((r) => r.cells[0].textContent + '\\t' + r.cells[1].textContent).join('\\n') + '\\n' + navigator.userAgent",
        target: { context },
        awaitPromise: false,
      });
      const text = r.result.value;
      expect(text).toMatch(/Firefox\//);
      const table = rows(text);
      expect(table['Key exchange group']).toBe(group);
      expect(table['HelloRetryRequest']).toBe('no');
      expect(table['Protocol']).toBe('TLSv1.3');
      await bidi.send('browser.close', {}).catch(() => undefined);
    } finally {
      ws?.close();
      await killGroup(child);
      rmSync(profile, { recursive: true, force: true });
      server.stop();
    }
  }, 120_000);
});
