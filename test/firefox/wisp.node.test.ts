// Firefox ESR through `wasmtls tunnel --wisp`: the page's wasmtls client
// (wisp() + request() + ConnectionPool) GETs twice from a node:https server
// on 127.0.0.1 whose chain ends at a test root added to wasmtls/roots.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, pems } from '../helpers/interop.js';
import { bundleForBrowser, ROOT, runInFirefox } from './harness.js';

let tunnel: Tunnel | undefined;
let server: Server | undefined;
afterAll(async () => {
  await tunnel?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('Firefox ESR through the Wisp tunnel', () => {
  test('two GETs, ca: [...roots, testRoot], the second on a kept-alive connection', async () => {
    const files = pems(FILE_IDENTITIES.p256);
    server = createServer({ cert: files.chain, key: files.key, minVersion: 'TLSv1.3' }, (_req, res) => res.end('hello firefox over wisp\n'));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    tunnel = await startTunnel({ allow: [`localhost:${port}`], wisp: true });
    const config = { relay: `ws://127.0.0.1:${tunnel.address.port}/`, url: `https://localhost:${port}/`, ca: files.ca };
    const script = await bundleForBrowser(join(ROOT, 'test', 'firefox', 'entries', 'wisp.ts'));
    const run = await runInFirefox<{ userAgent: string; ok: boolean; error?: string; version: number; roots: number; status: number[]; reused: boolean[]; body: string; tls: string }>({
      script,
      timeoutMs: 90_000,
      route: (req, res) => {
        if (req.method !== 'GET' || req.url !== '/config') return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(config));
        return true;
      },
    });
    const r = run.result;
    expect(r.userAgent).toMatch(/Firefox\//);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.version).toBe(2);
    expect(r.roots).toBeGreaterThan(100);
    expect(r.status).toEqual([200, 200]);
    expect(r.reused).toEqual([false, true]);
    expect(r.body).toBe('hello firefox over wisp\n');
    expect(r.tls).toBe('TLSv1.3');
  }, 120_000);
});
