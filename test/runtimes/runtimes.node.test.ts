// wasmtls in Deno, Bun and workerd (the npm packages `deno`, `bun` and
// `workerd`, devDependencies whose binaries run without their install
// scripts): each bundles test/runtimes/*-client.ts / worker.ts with esbuild
// and does a TLS 1.3 handshake and an HTTPS GET with request() to a local
// node:https server, over the runtime's own TCP API (Deno.connect, node:net
// in Bun, connect() from cloudflare:sockets in workerd). Bun supplies the
// core through initWasm(); the Worker gets it from src/workerd.ts (the
// `workerd` export condition) as a precompiled module, and the test shows
// workerd refuses compiling WASM from bytes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FILE_IDENTITIES, freePort, pems } from '../helpers/interop.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const WASM = join(ROOT, 'build', 'wasmtls.wasm');
const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
const BODY = 'hello from node:https to another runtime\n';
const EXPECTED = /^TLSv1\.3 TLS_\w+ 200\nhello from node:https to another runtime\n\n?$/;

let server: Server;
let port: number;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  server = createServer({ cert: chain, key, minVersion: 'TLSv1.3' }, (_req, res) => res.end(BODY));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'wasmtls-runtimes-'));
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Keeps `import ... from '../wasmtls.wasm'` as an import of the module `wasmtls.wasm` (workerd's wasm module). */
const wasmAsModule: Plugin = {
  name: 'wasm-module',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, () => ({ path: './wasmtls.wasm', external: true }));
  },
};

async function bundle(entry: string, out: string, platform: 'neutral' | 'node'): Promise<string> {
  const file = join(dir, out);
  await build({
    entryPoints: [join(import.meta.dirname, entry)],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    external: ['cloudflare:sockets', 'node:*'],
    plugins: [wasmAsModule],
    define: { __PORT__: String(port), __CA__: JSON.stringify(ca), __WASM__: JSON.stringify(WASM) },
    logLevel: 'silent',
  });
  return file;
}

function run(cmd: string, args: readonly string[], ms = 60_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, cmd), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('other runtimes: handshake and GET to a local node:https server', () => {
  test('Deno: Deno.connect streams into request()', async () => {
    const file = await bundle('deno-client.ts', 'deno-client.mjs', 'neutral');
    const r = await run('deno', ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', file]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(EXPECTED);
    expect(r.code).toBe(0);
  }, 90_000);

  test('Bun: node:net, the core supplied precompiled with initWasm()', async () => {
    const file = await bundle('bun-client.ts', 'bun-client.mjs', 'node');
    const r = await run('bun', ['run', file]);
    expect(r.out).toMatch(EXPECTED);
    expect(r.code).toBe(0);
  }, 90_000);

  test('workerd: a Worker with connect() from cloudflare:sockets and the workerd entry (precompiled module)', async () => {
    expect(existsSync(WASM)).toBe(true);
    await bundle('worker.ts', 'worker.js', 'neutral');
    copyFileSync(WASM, join(dir, 'wasmtls.wasm'));
    const httpPort = await freePort();
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # connect() goes through globalOutbound, "internet" by default: loopback only here.
    (name = "internet", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${httpPort}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "wasmtls.wasm", wasm = embed "wasmtls.wasm"),
  ],
  compatibilityDate = "2025-01-01",
  bindings = [(name = "PORT", text = "${port}"), (name = "CA", text = ${JSON.stringify(ca)})],
);
`,
    );
    const child = spawn(join(BIN, 'workerd'), ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    let text = '';
    let compile = '';
    for (let i = 0; i < 300; i++) {
      try {
        compile = await (await fetch(`http://127.0.0.1:${httpPort}/compile`)).text();
        text = await (await fetch(`http://127.0.0.1:${httpPort}/`)).text();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    child.kill('SIGTERM');
    expect(compile, log).toMatch(/disallowed/i);
    expect(text, log).toMatch(EXPECTED);
  }, 90_000);
});

describe('the package entry points for them', () => {
  test('exports: a workerd condition on ".", the .wasm file as wasmtls/wasm, identical to the inlined core', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; sideEffects: string[] };
    expect(pkg.exports['.']).toMatchObject({ workerd: './dist/src/workerd.js' });
    expect(pkg.exports['./wasm']).toBe('./dist/wasmtls.wasm');
    expect(pkg.sideEffects).toContain('./dist/src/workerd.js');
    const { wasmBase64 } = await import('../../bindings/wasm.generated.js');
    expect(Buffer.from(wasmBase64, 'base64').equals(readFileSync(WASM))).toBe(true);
  });

  test('initWasm: a TypeError for anything but this core, an Error once the core is in use', async () => {
    const { initWasm } = await import('../../src/index.js');
    const { sha256 } = await import('../../src/crypto.js');
    expect(() => initWasm({} as WebAssembly.Module)).toThrow(TypeError);
    expect(() => initWasm(new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)))).toThrow(/not the wasmtls core \(no export memory\)/);
    sha256(new Uint8Array(1));
    expect(() => initWasm(new WebAssembly.Module(readFileSync(WASM)))).toThrow(/already in use/);
  });
});
