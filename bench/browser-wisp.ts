// npm run bench:browser: TLS in headless Chromium through a Wisp relay
// (`wasmtls tunnel --wisp`, in this process) to one local TLS 1.3 origin
// (node:https, keep-alive, ECDSA P-256 via an intermediate), wasmtls against
// epoxy-tls 2.1.19-1 (rustls in WASM). Each library runs in a fresh browser
// context per round, the order alternating between rounds; figures are
// medians over rounds of each round's median.
//
// - cold start: navigation to the first complete HTTPS response (script
//   load, WASM compile, relay WebSocket, Wisp handshake, TLS handshake, GET).
// - warm new connection: with the relay open, a new TLS connection and one
//   GET (Connection: close), read to the end.
// - warm reused request: a GET on a kept-alive connection (wasmtls's
//   ConnectionPool, epoxy's own pool behind fetch).
// - bulk: a 16 MiB body through the reused connection, MB/s.
//
// libcurl.js 0.7.4 is not measured: it takes no CA option and its compiled-in
// Mozilla bundle cannot trust a local origin (test/browser/wisp.browser.test.ts
// shows its TLS failing verification, curl error 60). BENCH_ROUNDS sets the
// rounds (default 7). Results go to build/bench-browser.json.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startTunnel } from '../src/tunnel/server.js';

const X509 = join('test', 'vectors', 'x509');
const CHAIN = readFileSync(join(X509, 'leaf-localhost.pem'), 'utf8') + readFileSync(join(X509, 'int-p256.pem'), 'utf8');
const KEY = readFileSync(join(X509, 'keys', 'leaf-localhost.pkcs8.pem'), 'utf8');
const CA = readFileSync(join(X509, 'root-p256.pem'), 'utf8');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const NEW_CONNS = 10;
const REQUESTS = 20;
const BULK = 16 << 20;
const LIBS = ['wasmtls', 'epoxy-tls'] as const;
type Lib = (typeof LIBS)[number];

const bulkBody = Buffer.alloc(BULK, 0x61);
const origin = createHttpsServer({ cert: CHAIN, key: KEY, minVersion: 'TLSv1.3' }, (req, res) => {
  if (req.url === '/bulk') res.end(bulkBody);
  else res.end('hello\n');
});
origin.keepAliveTimeout = 60_000;
await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
const port = (origin.address() as AddressInfo).port;
const tunnel = await startTunnel({ allow: [`localhost:${port}`, `127.0.0.1:${port}`], wisp: true, maxMessageSize: 1 << 20 });
const relay = `ws://127.0.0.1:${tunnel.address.port}/`;

const bundles: Record<Lib, string> = { wasmtls: '', 'epoxy-tls': '' };
for (const [lib, entry] of [['wasmtls', 'bench/browser/wasmtls-page.ts'], ['epoxy-tls', 'bench/browser/epoxy-page.ts']] as const) {
  const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  bundles[lib] = r.outputFiles[0]?.text ?? '';
}
const pages = createHttpServer((req, res) => {
  const lib = (req.url ?? '').slice(1).replace(/\.(js|html)$/, '') as Lib;
  if (!(lib in bundles)) return void res.writeHead(404).end();
  if (req.url?.endsWith('.js')) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundles[lib]);
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><script type="module" src="/${lib}.js"></script>`);
});
await new Promise<void>((r) => pages.listen(0, '127.0.0.1', r));
const pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Round {
  cold: number;
  /** Of `cold`: navigation to script start, init (WASM, relay, Wisp handshake), the first request (TLS handshake and GET). */
  split: { loaded: number; init: number; first: number };
  newConnection: number;
  reused: number;
  bulkMBps: number;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
const results: Record<Lib, Round[]> = { wasmtls: [], 'epoxy-tls': [] };
const load0 = loadavg();
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? LIBS : [...LIBS].reverse();
  for (const lib of order) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${pagesUrl}/${lib}.html`);
    await page.waitForFunction(() => (globalThis as { benchLib?: unknown }).benchLib !== undefined);
    const r = await page.evaluate(
      async ({ config, newConns, requests }) => {
        const lib = (globalThis as unknown as { benchLib: import('./browser/protocol.js').BenchLib }).benchLib;
        const t0 = performance.now();
        await lib.init(config);
        const t1 = performance.now();
        if ((await lib.request('/')) !== 6) throw new Error('bad first response');
        const cold = performance.now();
        const split = { loaded: t0, init: t1 - t0, first: cold - t1 };
        const times = async (n: number, f: () => Promise<unknown>): Promise<number[]> => {
          const out: number[] = [];
          for (let i = 0; i < n; i++) {
            const t = performance.now();
            await f();
            out.push(performance.now() - t);
          }
          return out;
        };
        await lib.newConnection();
        const conns = await times(newConns, () => lib.newConnection());
        const reused = await times(requests, () => lib.request('/'));
        const bulk = await times(2, async () => {
          if ((await lib.request('/bulk')) !== 16 << 20) throw new Error('short bulk body');
        });
        return { cold, split, conns, reused, bulk };
      },
      { config: { relay, port, ca: CA }, newConns: NEW_CONNS, requests: REQUESTS },
    );
    results[lib].push({ cold: r.cold, split: r.split, newConnection: median(r.conns), reused: median(r.reused), bulkMBps: BULK / 1e6 / (Math.min(...r.bulk) / 1000) });
    await context.close();
  }
  process.stdout.write(`round ${round + 1}/${ROUNDS}\n`);
}
const load1 = loadavg();
const version = browser.version();
await browser.close();
await tunnel.close();
origin.closeAllConnections();
origin.close();
pages.close();

const summary = Object.fromEntries(
  LIBS.map((lib) => [
    lib,
    {
      coldMs: median(results[lib].map((x) => x.cold)),
      newConnectionMs: median(results[lib].map((x) => x.newConnection)),
      reusedRequestMs: median(results[lib].map((x) => x.reused)),
      bulkMBps: median(results[lib].map((x) => x.bulkMBps)),
    },
  ]),
) as Record<Lib, { coldMs: number; newConnectionMs: number; reusedRequestMs: number; bulkMBps: number }>;
const w = summary.wasmtls;
const e = summary['epoxy-tls'];
const rows = [
  ['cold start (ms)', w.coldMs, e.coldMs, w.coldMs / e.coldMs, '<= 0.8'],
  ['warm new connection (ms)', w.newConnectionMs, e.newConnectionMs, w.newConnectionMs / e.newConnectionMs, '<= 0.8'],
  ['warm reused request (ms)', w.reusedRequestMs, e.reusedRequestMs, w.reusedRequestMs / e.reusedRequestMs, '<= 0.5'],
  ['bulk 16 MiB (MB/s)', w.bulkMBps, e.bulkMBps, w.bulkMBps / e.bulkMBps, '>= 1.5'],
] as const;
console.log(`\nChromium ${version}, ${ROUNDS} rounds, ${cpus().length} cores, load average ${load0[0]?.toFixed(2)} -> ${load1[0]?.toFixed(2)}`);
console.log('| measure | wasmtls | epoxy-tls | wasmtls / epoxy | target |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, a, b, ratio, target] of rows) console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${ratio.toFixed(2)} | ${target} |`);
for (const lib of LIBS) {
  const sp = (k: 'loaded' | 'init' | 'first') => median(results[lib].map((x) => x.split[k])).toFixed(1);
  console.log(`${lib} cold start split (median ms): script start ${sp('loaded')}, init ${sp('init')}, first request ${sp('first')}`);
}
mkdirSync('build', { recursive: true });
writeFileSync('build/bench-browser.json', JSON.stringify({ rounds: ROUNDS, load: [load0, load1], summary, results }, null, 2));
