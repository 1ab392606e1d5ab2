// `wasmtls demo --web`: the step-by-step demo in a browser. Everything on
// 127.0.0.1: a wasmtls TLS server with a fresh CA (dev-cert.ts) answering
// one HTTP GET per connection, a WebSocket tunnel (src/tunnel) allowed to
// reach that server only, and an HTTP server for the page (src/demo). The
// page's own code, the package bundled with its WASM core inlined, runs the
// TLS client in the browser, end to end with the server through the tunnel,
// and draws the sequence diagram.
//
// The page script: in the built package, the page's compiled modules are
// served as they are (GET /m/src/demo/page.js and what it imports, all from
// dist/, no bundle shipped: 272 KB less in every consumer's node_modules);
// from a source checkout (tests run src/ directly) they are bundled with
// esbuild, a devDependency.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoPageHtml } from '../demo/html.js';
import type { DemoConfig } from '../demo/run.js';
import { createTcpServer } from '../node/index.js';
import { startTunnel } from '../tunnel/server.js';
import type { Io } from './connect.js';
import type { DemoArgs } from './args.js';
import { serveDemoHttp } from './demo.js';
import { describeError } from './describe.js';
import { makeDevIdentity } from './dev-cert.js';

/** A running web demo. */
export interface DemoWeb {
  /** The page's URL. */
  readonly url: string;
  /** What the page is told (tunnel URL, CA, server name). */
  readonly config: DemoConfig;
  /** Stops the three servers; resolves once they are closed. */
  close(): Promise<void>;
}

/** How the page gets its code: `/page.js` itself, and a module reader for `/m/...` (built package only). */
export interface DemoPageCode {
  readonly script: string;
  readonly module: ((path: string) => Promise<string | undefined>) | undefined;
}

/** The directories under dist/ whose `.js` files the page may load. */
const MODULE_DIRS = ['src', 'bindings'];

/** The page's code: dist/'s modules when this file runs from dist/, else one esbuild bundle of the sources. */
export async function demoPageCode(): Promise<DemoPageCode> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) {
    const dist = resolve(here, '..', '..', '..');
    const module = async (path: string): Promise<string | undefined> => {
      const file = resolve(dist, '.' + path);
      const inside = relative(dist, file);
      if (extname(file) !== '.js' || inside.startsWith('..') || !MODULE_DIRS.includes(inside.split(sep)[0] ?? '')) return undefined;
      return readFile(file, 'utf8').catch(() => undefined);
    };
    return { script: "import '/m/src/demo/page.js';\n", module };
  }
  const source = fileURLToPath(new URL('../demo/page.ts', import.meta.url));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('the demo page needs esbuild to run from the sources (npm install); or run the built package (npm run build)');
  }
  const r = await esbuild.build({ entryPoints: [source], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', minify: true, logLevel: 'silent' });
  const out = r.outputFiles[0];
  if (out === undefined) throw new Error('esbuild produced no page script');
  return { script: out.text, module: undefined };
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the TLS server, the tunnel and the page server on 127.0.0.1; `port` 0 for any free port. */
export async function startDemoWeb(port = 0): Promise<DemoWeb> {
  const code = await demoPageCode();
  const dev = makeDevIdentity('127.0.0.1');
  const tls = createTcpServer({ cert: dev.certPem, key: dev.key, alpn: ['http/1.1'], handshakeTimeout: 10_000 }, serveDemoHttp);
  const closers: (() => Promise<void>)[] = [() => tls.close(1_000)];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const tlsAddress = await tls.listen(0, '127.0.0.1');
    const target = `127.0.0.1:${tlsAddress.port}`;
    const tunnel = await startTunnel({ allow: [target], port: 0, host: '127.0.0.1' });
    closers.push(() => tunnel.close());
    const config: DemoConfig = { tunnelUrl: `ws://127.0.0.1:${tunnel.address.port}/?target=${target}`, ca: dev.caPem, serverName: 'localhost', server: target };
    const html = demoPageHtml();
    const http = createServer(async (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const send = (type: string, body: string) => res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
      if (req.method !== 'GET' && req.method !== 'HEAD') res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      else if (path === '/') send('text/html; charset=utf-8', html);
      else if (path === '/page.js') send('text/javascript; charset=utf-8', code.script);
      else if (path.startsWith('/m/') && code.module !== undefined) {
        const text = await code.module(path.slice(2));
        if (text === undefined) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        else send('text/javascript; charset=utf-8', text);
      }
      else if (path === '/config.json') send('application/json', JSON.stringify(config));
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    });
    const address = await listen(http, port);
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          http.closeAllConnections();
          http.close(() => resolve());
        }),
    );
    return { url: `http://127.0.0.1:${address.port}/`, config, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** Runs `wasmtls demo --web` until `stop` resolves; resolves with the exit status. */
export async function runDemoWeb(args: DemoArgs, io: Io, stop: Promise<void>): Promise<number> {
  let demo: DemoWeb;
  try {
    demo = await startDemoWeb(args.port);
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
  io.stdout.write(
    `How HTTPS works, step by step: open ${demo.url}\n` +
      `  TLS server  ${demo.config.server} (certificate for localhost from a CA made just now)\n` +
      `  tunnel      ${demo.config.tunnelUrl.split('?')[0]} (relays to the TLS server only)\n` +
      'Everything listens on 127.0.0.1. Stop with Ctrl-C.\n',
  );
  await stop;
  await demo.close();
  return 0;
}
