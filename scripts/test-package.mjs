// The package as a user gets it (issue 16): `npm pack` (which runs the
// `prepare` build), the tarball's contents checked, then installed with
// `npm install` into a new project under the OS temp directory, where the
// repository's node_modules cannot be reached, and used from there:
//   1. every subpath imported from Node ESM and CommonJS (require of ESM,
//      Node >= 20.19), a real handshake between wasmtls/node's server and
//      client, the crypto checked against node:crypto;
//   2. strict TypeScript consumers type-checked with moduleResolution
//      nodenext and bundler (no customConditions);
//   3. a browser client bundled by esbuild (platform browser) and by Vite,
//      each bundle then run (in Node, with `ws` as its WebSocket) through a
//      wasmtls tunnel to a wasmtls server;
//   4. the CLI through npx: --version, `wasmtls serve --www` answered by
//      `wasmtls get`, and `wasmtls demo --web`'s page modules all served.
// `--git` also installs the package from a git URL of this checkout (npm
// clones it, installs its devDependencies and runs `prepare`) and checks the
// CLI and an import from that install.
//
// Usage: node scripts/test-package.mjs [--git] [--keep]
// Needs the registry for the consumer's devDependencies (typescript, esbuild,
// vite, @types/node) and wasmtls's dependency ws; npm's cache serves repeats.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const version = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
/** The consumer's tools, at the versions this repository tests with. */
const TOOLS = ['typescript', 'esbuild', 'vite', '@types/node'].map((n) => `${n}@${version(n)}`);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

const results = [];
let failed = 0;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push(`ok    ${name}${note ? ` (${note})` : ''} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (e) {
    failed++;
    results.push(`FAIL  ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.log(results.at(-1));
}

/** Runs a command; throws with its output when it exits non-zero. */
function run(cmd, args, cwd, input) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv(), timeout: 300_000 });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${e.status ?? e.signal}\n${e.stdout ?? ''}${e.stderr ?? ''}`.trimEnd());
  }
}

/** The environment without anything that could point Node or npm back at this repository. */
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'NODE_PATH' || k.startsWith('npm_')) delete env[k];
  return env;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// Node resolves bare names by walking up from the importing file; nothing
// above the temp project may hold a node_modules.
const base = mkdtempSync(join(tmpdir(), 'wasmtls-package-'));
for (let d = dirname(base); ; d = dirname(d)) {
  assert(!existsSync(join(d, 'node_modules')), `${join(d, 'node_modules')} exists: the consumer test would see it`);
  if (dirname(d) === d) break;
}
assert(!base.startsWith(ROOT + sep), 'the temp directory is inside the repository');

// ------------------------------------------------------------------ pack
let tarball;
await step('npm pack (runs prepare: the build)', () => {
  const out = run('npm', ['pack', '--json', '--pack-destination', base, ...NPM_FLAGS], ROOT);
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  tarball = join(base, info.filename);
  const files = info.files.map((f) => f.path);
  const must = ['LICENSE', 'README.md', 'package.json', 'bin/wasmtls.mjs', 'dist/src/cli/main.js', 'dist/bindings/wasm.generated.js'];
  for (const target of Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))) must.push(target.replace(/^\.\//, ''));
  for (const f of must) assert(files.includes(f), `the tarball lacks ${f}`);
  const stray = files.filter((f) => /^(src|test|assembly|bench|scripts|build|node_modules|\.ci)\//.test(f) || f.startsWith('dist/demo/') || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'));
  assert(stray.length === 0, `the tarball ships files consumers do not need: ${stray.slice(0, 10).join(', ')}`);
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert(/Apache License\s+Version 2\.0, January 2004/.test(license) && license.includes('END OF TERMS AND CONDITIONS'), 'LICENSE is not the Apache-2.0 text');
  return `${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked`;
});
if (tarball === undefined) finish();

// ------------------------------------------------------------------ install
const app = join(base, 'app');
mkdirSync(app);
const write = (name, text) => {
  mkdirSync(dirname(join(app, name)), { recursive: true });
  writeFileSync(join(app, name), text);
};
write('package.json', JSON.stringify({ name: 'wasmtls-consumer', private: true, type: 'module', allowScripts: { esbuild: true } }, null, 2));
await step('npm install the tarball into a new project', () => {
  run('npm', ['install', ...NPM_FLAGS, tarball, ...TOOLS], app);
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'wasmtls', 'package.json'), 'utf8'));
  assert(installed.version === pkg.version, `installed ${installed.version}, expected ${pkg.version}`);
  assert(existsSync(join(app, 'node_modules', 'ws')), 'ws (a dependency) was not installed');
  return `with ${TOOLS.join(', ')}`;
});

// A certificate authority and a leaf for localhost/127.0.0.1, made with the
// package's own writer and P-256 (what a user without openssl can do).
write(
  'identity.mjs',
  `import { ecdsaP256, p256, x509 } from 'wasmtls';
export function identity() {
  const caKey = p256.randomSecretKey();
  const sign = (tbs) => ecdsaP256.sign(tbs, caKey);
  const ca = x509.writeCaCertificate({ subject: { commonName: 'consumer test CA' }, publicKey: p256.getPublicKey(caKey, false), sign });
  const d = p256.randomSecretKey();
  const publicKey = p256.getPublicKey(d, false);
  const leaf = x509.writeLeafCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], publicKey, issuer: ca.certificate, sign });
  return { ca: ca.pem, cert: leaf.pem, key: x509.encodePrivateKeyPem({ type: 'ec', curve: 'P-256', d, publicKey }) };
}
`,
);

// ------------------------------------------------------------------ Node ESM and CJS
const SUBPATHS = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? 'wasmtls' : `wasmtls/${k.slice(2)}`));
write(
  'esm.mjs',
  `import { createHash } from 'node:crypto';
import pkgJson from 'wasmtls/package.json' with { type: 'json' };
import { identity } from './identity.mjs';
${SUBPATHS.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
const mods = { ${SUBPATHS.map((s, i) => `'${s}': m${i}`).join(', ')} };
for (const [name, m] of Object.entries(mods)) if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing');
if (pkgJson.name !== 'wasmtls') throw new Error('wasmtls/package.json');
const { sha256 } = mods['wasmtls/crypto'];
const input = new TextEncoder().encode('consumer');
if (Buffer.from(sha256(input)).toString('hex') !== createHash('sha256').update(input).digest('hex')) throw new Error('sha256 differs from node:crypto');
const { connect, createServer } = mods['wasmtls/node'];
const id = identity();
const server = createServer({ cert: id.cert, key: id.key }, (s) => s.end('hello ' + s.getProtocol()));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const socket = connect({ host: '127.0.0.1', port: server.address().port, servername: 'localhost', ca: id.ca });
let got = '';
socket.on('data', (d) => (got += d));
await new Promise((resolve, reject) => socket.on('end', resolve).on('error', reject));
server.close();
if (got !== 'hello TLSv1.3' || !socket.authorized) throw new Error('handshake: got ' + JSON.stringify(got));
console.log(Object.keys(mods).length + ' subpaths, handshake ok');
`,
);
await step('Node ESM: import every subpath, handshake over wasmtls/node', () => run(process.execPath, ['esm.mjs'], app).trim());

write(
  'cjs.cjs',
  `const assert = require('node:assert');
${SUBPATHS.map((s, i) => `const m${i} = require('${s}');`).join('\n')}
${SUBPATHS.map((s, i) => `assert.ok(Object.keys(m${i}).length > 0, '${s} exports nothing');`).join('\n')}
assert.strictEqual(typeof m0.TlsClient, 'function');
assert.strictEqual(require('wasmtls/package.json').name, 'wasmtls');
console.log(${SUBPATHS.length} + ' subpaths');
`,
);
await step('Node CommonJS: require every subpath', () => run(process.execPath, ['--no-warnings', 'cjs.cjs'], app).trim());

// ------------------------------------------------------------------ TypeScript
// Uses the APIs with their real types; each @ts-expect-error fails the check
// if the types were `any` (an unused expectation is an error).
write(
  'src/consumer.ts',
  `import { TlsClient, TlsError, type HandshakeInfo } from 'wasmtls';
import { sha256 } from 'wasmtls/crypto';
import { connect, createServer, type DetailedPeerCertificate, type TLSSocket, type PeerCertificate } from 'wasmtls/node';
import { connectWebSocket } from 'wasmtls/websocket';

export function client(ca: string): TlsClient {
  const tls = new TlsClient({ serverName: 'localhost', ca, alpn: ['http/1.1'] });
  tls.on('handshake', (info: HandshakeInfo) => console.log(info.version, info.cipherSuite));
  tls.on('error', (e: TlsError) => console.error(e.alert, e.message));
  // @ts-expect-error serverName is a string
  void new TlsClient({ serverName: 42 });
  return tls;
}

export function digest(data: Uint8Array): string {
  const h: Uint8Array = sha256(data);
  // @ts-expect-error sha256 returns bytes, not a string
  const s: string = sha256(data);
  return String(h.length) + s;
}

export function node(ca: string, cert: string, key: string): TLSSocket {
  const server = createServer({ cert, key }, (s: TLSSocket) => s.end('hi'));
  server.listen(0);
  const socket = connect({ host: '127.0.0.1', port: '443', servername: 'localhost', ca, ciphers: 'TLS_AES_256_GCM_SHA384', ecdhCurve: 'X25519' });
  socket.on('secureConnect', () => {
    // node:tls code: getPeerCertificate() typed as @types/node has it.
    const peer: PeerCertificate = socket.getPeerCertificate();
    const detailed: DetailedPeerCertificate = socket.getPeerCertificate(true);
    console.log(peer.subject, detailed.issuerCertificate, socket.getProtocol(), socket.alpnProtocol);
  });
  return socket;
}

export const ws: typeof connectWebSocket = connectWebSocket;
`,
);
// The same package from a CommonJS TypeScript file (nodenext compiles its
// imports to require(), which Node >= 20.19 allows for ESM).
write(
  'src/consumer-cjs.cts',
  `import { TlsClient } from 'wasmtls';
import { connect } from 'wasmtls/node';
export const make = (ca: string): TlsClient => new TlsClient({ serverName: 'localhost', ca });
export const dial = (ca: string) => connect({ host: '127.0.0.1', port: 443, ca });
`,
);
const strict = { strict: true, noEmit: true, skipLibCheck: false, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'] };
write('tsconfig.nodenext.json', JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, include: ['src'] }, null, 2));
// Bundler resolution has no CommonJS flavour: the .cts file is for nodenext.
write('tsconfig.bundler.json', JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, include: ['src/*.ts'] }, null, 2));
const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
await step('TypeScript strict, moduleResolution nodenext', () => void run(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], app));
await step('TypeScript strict, moduleResolution bundler (no customConditions)', () => void run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], app));

// ------------------------------------------------------------------ bundlers
// A browser client: fetch-like GET through a tunnel with the engine and the
// WebSocket transport. Bundled for the browser, then run in Node with ws's
// WebSocket (Node 20 has none) against the installed package's tunnel.
write(
  'web/client.js',
  `import { request } from 'wasmtls';
import { tunnelTransport } from 'wasmtls/websocket';
export async function get(WebSocket, tunnelUrl, target, ca) {
  const res = await request('https://' + target + '/', { ca, transport: tunnelTransport(tunnelUrl, { WebSocket }) });
  return res.status + ' ' + new TextDecoder().decode(res.body);
}
`,
);
write(
  'web/run-bundle.mjs',
  `import WebSocket from 'ws';
import { createServer } from 'wasmtls/node';
import { identity } from '../identity.mjs';
const id = identity();
const server = createServer({ cert: id.cert, key: id.key }, (s) => {
  s.once('data', () => s.end('HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\nConnection: close\\r\\n\\r\\nhello'));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const target = '127.0.0.1:' + server.address().port;
const { spawn } = await import('node:child_process');
const tunnel = spawn(process.execPath, ['node_modules/wasmtls/bin/wasmtls.mjs', 'tunnel', '--port', '0', '--allow', target], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    tunnel.stdout.on('data', (d) => { out += d; const m = /listening on (ws:\\/\\/\\S+)/.exec(out); if (m) resolve(m[1]); });
    tunnel.on('exit', (c) => reject(new Error('tunnel exited ' + c)));
  });
  const { get } = await import(process.argv[2]);
  const got = await get(WebSocket, url, target, id.ca);
  if (got !== '200 hello') throw new Error('got ' + JSON.stringify(got));
  console.log(got);
} finally {
  tunnel.kill();
  server.close();
}
`,
);
const NODE_BUILTIN = /\b(from|import)\s*\(?\s*["'](node:|fs["']|net["']|tls["']|crypto["'])/;
await step('esbuild: browser bundle of the client, run through a tunnel', async () => {
  const { build } = await import(join(app, 'node_modules', 'esbuild', 'lib', 'main.js'));
  await build({ absWorkingDir: app, entryPoints: ['web/client.js'], outfile: 'web/out/esbuild.mjs', bundle: true, format: 'esm', platform: 'browser', minify: true, logLevel: 'error' });
  const code = readFileSync(join(app, 'web/out/esbuild.mjs'), 'utf8');
  assert(!NODE_BUILTIN.test(code), 'the browser bundle imports a Node built-in');
  run(process.execPath, ['web/run-bundle.mjs', './out/esbuild.mjs'], app);
  return `${(code.length / 1024).toFixed(1)} KiB minified`;
});
await step('Vite: library build of the client, run through a tunnel', async () => {
  write('web/vite.config.mjs', `export default { logLevel: 'error', build: { outDir: 'out/vite', emptyOutDir: true, lib: { entry: 'client.js', formats: ['es'], fileName: 'client' } } };\n`);
  run(process.execPath, [join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.config.mjs'], join(app, 'web'));
  const code = readFileSync(join(app, 'web/out/vite/client.js'), 'utf8');
  assert(!NODE_BUILTIN.test(code), 'the Vite bundle imports a Node built-in');
  run(process.execPath, ['web/run-bundle.mjs', './out/vite/client.js'], app);
  return `${(code.length / 1024).toFixed(1)} KiB`;
});

// ------------------------------------------------------------------ CLI
/** Starts `npx wasmtls ARGS` and resolves with the first stdout match of `ready`. */
function startCli(args, ready) {
  const child = spawn('npx', ['--no-install', 'wasmtls', ...args], { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const found = new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`wasmtls ${args.join(' ')}: not ready after 60 s\n${out}${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`wasmtls ${args.join(' ')} exited ${code}\n${out}${err}`)));
  });
  return { child, found };
}
await step('npx wasmtls --version', () => {
  const out = run('npx', ['--no-install', 'wasmtls', '--version'], app).trim();
  assert(out === `wasmtls ${pkg.version}`, `printed ${JSON.stringify(out)}`);
  return out;
});
await step('npx wasmtls get against npx wasmtls serve --www', async () => {
  const { child, found } = startCli(['serve', '--port', '0', '--www'], /CA[^\n]*?(\/\S+\.pem)[\s\S]*listening on (\S+)/);
  try {
    const [, caFile, hostPort] = await found;
    const body = run('npx', ['--no-install', 'wasmtls', 'get', `https://${hostPort.replace('127.0.0.1', 'localhost')}/`, '--ca', caFile], app);
    assert(/Hello|TLSv1\.3/.test(body), `unexpected body ${JSON.stringify(body.slice(0, 200))}`);
    return body.split('\n')[0];
  } finally {
    child.kill();
  }
});
await step('npx wasmtls demo --web: the page and every module it imports are served', async () => {
  const { child, found } = startCli(['demo', '--web', '--port', '0'], /open (http:\/\/127\.0\.0\.1:\d+\/)/);
  try {
    const [, url] = await found;
    const html = await (await fetch(url)).text();
    assert(html.includes('/page.js'), 'the page does not load /page.js');
    // Follow the static import graph from /page.js, as the browser would.
    const seen = new Set();
    const queue = [new URL('/page.js', url).href];
    while (queue.length > 0) {
      const next = queue.shift();
      if (seen.has(next)) continue;
      seen.add(next);
      const res = await fetch(next);
      assert(res.ok && /javascript/.test(res.headers.get('content-type') ?? ''), `${next}: HTTP ${res.status}`);
      const text = await res.text();
      for (const m of text.matchAll(/(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["']/g)) {
        const spec = m[1];
        assert(spec.startsWith('.') || spec.startsWith('/'), `${next} imports the bare name ${spec}, which a browser cannot load`);
        queue.push(new URL(spec, next).href);
      }
    }
    const outside = await fetch(new URL('/m/../package.json', url));
    assert(outside.status === 404, `a path outside dist/src is served (HTTP ${outside.status})`);
    return `${seen.size} modules`;
  } finally {
    child.kill();
  }
});

// ------------------------------------------------------------------ git install
if (argv.has('--git')) {
  await step('npm install from a git URL of this checkout (clone, devDependencies, prepare)', () => {
    const head = run('git', ['rev-parse', 'HEAD'], ROOT).trim();
    const gitApp = join(base, 'git-app');
    mkdirSync(gitApp);
    writeFileSync(join(gitApp, 'package.json'), JSON.stringify({ name: 'wasmtls-git-consumer', private: true, type: 'module' }));
    run('npm', ['install', ...NPM_FLAGS, `git+file://${ROOT}#${head}`], gitApp);
    const out = run('npx', ['--no-install', 'wasmtls', '--version'], gitApp).trim();
    assert(out === `wasmtls ${pkg.version}`, `printed ${JSON.stringify(out)}`);
    run(process.execPath, ['--input-type=module', '-e', "import { TlsClient } from 'wasmtls'; import 'wasmtls/node'; if (typeof TlsClient !== 'function') process.exit(1);"], gitApp);
    return `commit ${head.slice(0, 12)}`;
  });
}

finish();

function finish() {
  if (!argv.has('--keep')) rmSync(base, { recursive: true, force: true });
  else console.log(`kept ${base}`);
  console.log(`\npackage test: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
