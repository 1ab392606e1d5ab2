// The command line against real peers on loopback: `wasmtls serve` with
// openssl s_client and a Node tls client, `wasmtls connect` against
// openssl s_server, its error messages and exit statuses. Most run main()
// in process with stand-in stdio; the last ones spawn bin/wasmtls.mjs, which
// needs `npm run build` (dist/) first, as .ci/run does.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TlsClient } from '../../src/engine.js';
import { FILE_IDENTITIES, freePort, killAll, OPENSSL, payload, pems, Sink, spawnPeer, startListening, within } from '../helpers/interop.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wasmtls.mjs');
const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const stops: (() => void)[] = [];

afterAll(() => {
  for (const stop of stops.splice(0)) stop();
  killAll();
});

interface Running {
  stdin: PassThrough;
  stdout: Sink;
  stderr: Sink;
  status: Promise<number>;
  stop(): void;
}

/** main(argv) in process with stand-in stdio; `stop()` plays SIGTERM. */
function run(argv: string[]): Running {
  const stdin = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = new Sink();
  const stderr = new Sink();
  out.on('data', stdout.push);
  err.on('data', stderr.push);
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  stops.push(stop);
  const status = main(argv, { stdin, stdout: out, stderr: err }, () => stopped);
  return { stdin, stdout, stderr, status, stop };
}

/** Waits for `listening on HOST:PORT` and returns the port (and the CA file when one was written). */
async function listening(r: Running | { stdout: Sink }): Promise<{ port: number; caFile: string | undefined }> {
  for (let i = 0; i < 500; i++) {
    const m = /listening on [^\n]*:(\d+)\n/.exec(r.stdout.text());
    if (m !== null) return { port: Number(m[1]), caFile: /CA certificate written to (\S+)/.exec(r.stdout.text())?.[1] };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no "listening on" line; stdout: ${r.stdout.text()}`);
}

function fullchainFile(key: keyof typeof FILE_IDENTITIES): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtls-test-'));
  const { chain } = pems(FILE_IDENTITIES[key]);
  writeFileSync(join(dir, 'fullchain.pem'), chain);
  return { cert: join(dir, 'fullchain.pem'), key: FILE_IDENTITIES[key].key };
}

describe('wasmtls serve', () => {
  test('fresh CA: echo to a Node tls client that trusts the CA file it names', async () => {
    const r = run(['serve', '--port', '0']);
    const { port, caFile } = await within(10_000, 'serve start', listening(r));
    expect(caFile).toBeDefined();
    const ca = readFileSync(caFile as string, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const data = payload(1, 20_000);
    const got = new Sink();
    const client = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    client.on('data', got.push);
    await new Promise((resolve, reject) => client.once('secureConnect', resolve).once('error', reject));
    expect(client.authorized).toBe(true);
    client.write(data);
    await within(10_000, 'echo', got.atLeast(data.length));
    client.end();
    await new Promise((resolve) => client.on('close', resolve));
    expect(got.bytes()).toEqual(data);
    r.stop();
    expect(await r.status).toBe(0);
    expect(r.stderr.text()).toMatch(/127\.0\.0\.1:\d+: TLSv1\.3 TLS_AES_128_GCM_SHA256 x25519 ecdsa_secp256r1_sha256 SNI=localhost/);
    expect(r.stderr.text()).not.toMatch(/error/);
  });

  test('--cert fullchain (RSA) --www --groups secp256r1: openssl s_client verifies the chain and gets the page after a HelloRetryRequest', async () => {
    const files = fullchainFile('rsa2048');
    const r = run(['serve', '--port', '0', '--www', '--cert', files.cert, '--key', files.key, '--groups', 'secp256r1', '--ciphers', 'TLS_AES_256_GCM_SHA384', '--alpn', 'http/1.1']);
    const { port, caFile } = await within(10_000, 'serve start', listening(r));
    expect(caFile).toBeUndefined();
    const client = spawnPeer(OPENSSL, [
      's_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', FILE_IDENTITIES.rsa2048.root, '-verify_return_error',
      '-servername', 'example.com', '-verify_hostname', 'example.com', '-groups', 'X25519:P-256', '-alpn', 'http/1.1',
    ]);
    client.child.stdin.end('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
    expect(await within(10_000, 's_client', client.exit), client.stderr.text()).toBe(0);
    const page = client.stdout.text();
    expect(page).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    for (const v of ['TLS_AES_256_GCM_SHA384', 'secp256r1', 'rsa_pss_rsae_sha256', 'http/1.1', 'example.com']) expect(page).toContain(`<td>${v}</td>`);
    expect(page).toMatch(/HelloRetryRequest<\/th><td>yes/);
    r.stop();
    expect(await r.status).toBe(0);
    expect(r.stderr.text()).not.toMatch(/error/);
  });

  test('one bad client never stops the server', async () => {
    const r = run(['serve', '--port', '0', '--www']);
    const { port, caFile } = await within(10_000, 'serve start', listening(r));
    // A client that trusts another CA fails (and tells the server so).
    const bad = spawnPeer(OPENSSL, ['s_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', FILE_IDENTITIES.p256.root, '-verify_return_error']);
    bad.child.stdin.end();
    expect(await within(10_000, 'bad client', bad.exit)).not.toBe(0);
    const good = spawnPeer(OPENSSL, ['s_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', caFile as string, '-verify_return_error']);
    good.child.stdin.end('GET / HTTP/1.0\r\n\r\n');
    expect(await within(10_000, 'good client', good.exit)).toBe(0);
    expect(good.stdout.text()).toMatch(/200 OK/);
    r.stop();
    expect(await r.status).toBe(0);
    expect(r.stderr.text()).toMatch(/127\.0\.0\.1:\d+: error: unknown_ca: peer sent a fatal unknown_ca alert/);
  });

  /**
   * A wasmtls engine client on a raw socket to `port`: sends `request` once
   * connected and resolves with the number of records the server sent after
   * it (up to and with its close_notify), and the reply.
   */
  async function recordsAfter(port: number, ca: string, request: string): Promise<{ records: number; keyUpdates: number; reply: string }> {
    // KeyUpdates with update_requested are counted from the trace.
    const socket = netConnect({ host: '127.0.0.1', port });
    const client = new TlsClient({ serverName: 'localhost', ca, trace: true });
    let connected = false;
    let records = 0;
    let keyUpdates = 0;
    const reply = new Sink();
    client.on('handshake', () => {
      connected = true;
      client.write(new TextEncoder().encode(request));
    });
    client.on('data', reply.push);
    client.on('trace', (e) => {
      if (e.kind === 'handshake' && e.direction === 'received' && e.decoded?.type === 'key_update' && e.decoded.updateRequested) keyUpdates++;
    });
    let tail = new Uint8Array(0);
    const done = new Promise<void>((resolve, reject) => {
      client.on('close', () => resolve());
      client.on('error', reject);
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    const flush = () => {
      for (const o of client.takeOutput()) socket.write(o);
    };
    socket.on('connect', flush);
    socket.on('data', (d: Buffer) => {
      if (connected) {
        // Count the records that arrive once the handshake is done.
        const all = new Uint8Array(tail.length + d.length);
        all.set(tail);
        all.set(d, tail.length);
        let at = 0;
        while (at + 5 <= all.length) {
          const len = ((all[at + 3] as number) << 8) | (all[at + 4] as number);
          if (at + 5 + len > all.length) break;
          records++;
          at += 5 + len;
        }
        tail = all.slice(at);
      }
      client.receive(d);
      flush();
    });
    await within(10_000, 'www reply', done);
    socket.destroy();
    return { records, keyUpdates, reply: reply.text() };
  }

  test('--www: the reply is one application_data record, then close_notify (issue 11, item 11)', async () => {
    const r = run(['serve', '--port', '0', '--www']);
    const { port, caFile } = await within(10_000, 'serve start', listening(r));
    const ca = readFileSync(caFile as string, 'utf8');
    const got = await recordsAfter(port, ca, 'GET / HTTP/1.0\r\n\r\n');
    expect(got.reply).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*<td>TLS_AES_128_GCM_SHA256<\/td>/);
    expect(got.records).toBe(2);
    const head = await recordsAfter(port, ca, 'HEAD / HTTP/1.0\r\n\r\n');
    expect(head.reply).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
    expect(head.records).toBe(2);
    r.stop();
    expect(await r.status).toBe(0);
  });

  test('--www: GET /keyupdate sends a KeyUpdate with update_requested before the reply, as tlslite-ng does', async () => {
    const r = run(['serve', '--port', '0', '--www']);
    const { port, caFile } = await within(10_000, 'serve start', listening(r));
    const ca = readFileSync(caFile as string, 'utf8');
    const got = await recordsAfter(port, ca, 'GET /keyupdate HTTP/1.0\r\n\r\n');
    expect(got.reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // KeyUpdate, reply, close_notify.
    expect(got.records).toBe(3);
    expect(got.keyUpdates).toBe(1);
    r.stop();
    expect(await r.status).toBe(0);
  });

  test('usage errors exit 2', async () => {
    expect(await run(['serve', '--cert', 'x.pem']).status).toBe(2);
    expect(await run(['serve', '--ciphers', 'TLS_AES_128_CCM_SHA256']).status).toBe(2);
    expect(await run(['serve', '--echo', '--www']).status).toBe(2);
    expect(await run(['connect', 'localhost']).status).toBe(2);
    expect(await run(['connect', 'localhost:99999']).status).toBe(2);
    expect(await run(['frobnicate']).status).toBe(2);
    const help = run(['--help']);
    expect(await help.status).toBe(0);
    expect(help.stdout.text()).toMatch(/^  connect  TLS 1\.3 or 1\.2 client/m);
    const connectHelp = run(['connect', '--help']);
    expect(await connectHelp.status).toBe(0);
    expect(connectHelp.stdout.text()).toMatch(/^usage: wasmtls connect HOST:PORT/);
  });
});

describe('wasmtls connect', () => {
  async function sServer(key: keyof typeof FILE_IDENTITIES, extra: string[]) {
    const id = FILE_IDENTITIES[key];
    const { peer: server, port } = await startListening((p) => ['s_server', '-tls1_3', '-naccept', '1', '-accept', `127.0.0.1:${p}`, '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate, ...extra]);
    return { port, server };
  }

  test('against openssl s_server -www: the page on stdout, exit 0', async () => {
    const { port } = await sServer('ed25519', ['-www', '-groups', 'P-256']);
    const r = run(['connect', `127.0.0.1:${port}`, '--ca', FILE_IDENTITIES.ed25519.root, '--ciphers', 'TLS_CHACHA20_POLY1305_SHA256']);
    r.stdin.end('GET / HTTP/1.0\r\n\r\n');
    expect(await within(10_000, 'connect', r.status), r.stderr.text()).toBe(0);
    expect(r.stdout.text()).toMatch(/^HTTP\/1\.0 200 ok/);
    expect(r.stdout.text()).toMatch(/TLSv1\.3.*TLS_CHACHA20_POLY1305_SHA256/s);
    expect(r.stderr.text()).toBe('TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 secp256r1 ed25519 HelloRetryRequest\n');
  });

  test('stdin to the peer, the peer to stdout; exit 0 after the peer closes', async () => {
    const id = FILE_IDENTITIES.p256;
    const toServer = payload(7, 4000);
    const toClient = payload(8, 6000);
    const { peer: server, port } = await startListening((p) => ['s_server', '-tls1_3', '-quiet', '-naccept', '1', '-accept', `127.0.0.1:${p}`, '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate]);
    server.child.stdin.write(toClient);
    const r = run(['connect', `localhost:${port}`, '--ca', id.root]);
    r.stdin.write(toServer);
    await within(10_000, 'server gets the data', server.stdout.atLeast(toServer.length));
    await within(10_000, 'client gets the data', r.stdout.atLeast(toClient.length));
    // s_server ends the session (close_notify) when its stdin ends.
    server.child.stdin.end();
    expect(await within(10_000, 'connect exits', r.status), r.stderr.text()).toBe(0);
    expect(r.stdout.bytes()).toEqual(toClient);
    expect(server.stdout.bytes()).toEqual(toServer);
  });

  test('errors: `error: <alert>: <reason>` and exit 1; --insecure connects with a warning', async () => {
    const id = FILE_IDENTITIES.p256;
    let { port } = await sServer('p256', ['-www']);
    const wrongCa = run(['connect', `localhost:${port}`, '--ca', FILE_IDENTITIES.rsa2048.root]);
    wrongCa.stdin.end();
    expect(await within(10_000, 'wrong CA', wrongCa.status)).toBe(1);
    expect(wrongCa.stderr.text()).toMatch(/^error: unknown_ca: .*; to trust it, pass that CA's certificate with --ca FILE \(or skip the check with --insecure\)\n$/);

    ({ port } = await sServer('p256', ['-www']));
    const wrongName = run(['connect', `127.0.0.1:${port}`, '--servername', 'other.example', '--ca', id.root]);
    wrongName.stdin.end();
    expect(await within(10_000, 'wrong name', wrongName.status)).toBe(1);
    expect(wrongName.stderr.text()).toBe('error: bad_certificate: hostname mismatch: certificate is for localhost, not other.example; connect to one of those names (connect: or check one with --servername NAME)\n');

    ({ port } = await sServer('p256', ['-www']));
    const insecure = run(['connect', `127.0.0.1:${port}`, '--insecure', '--ca', FILE_IDENTITIES.rsa2048.root]);
    insecure.stdin.end('GET / HTTP/1.0\r\n\r\n');
    expect(await within(10_000, 'insecure', insecure.status)).toBe(0);
    expect(insecure.stderr.text()).toMatch(/^TLSv1\.3 .*\nwarning: --insecure: the certificate was not verified \(unknown_ca: /);
    expect(insecure.stdout.text()).toMatch(/200 ok/);

    const refused = run(['connect', `127.0.0.1:${await freePort()}`, '--ca', id.root]);
    expect(await within(10_000, 'refused', refused.status)).toBe(1);
    expect(refused.stderr.text()).toMatch(/^error: ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/);

    const noFile = run(['connect', 'localhost:1', '--ca', '/nonexistent/ca.pem']);
    expect(await noFile.status).toBe(1);
    expect(noFile.stderr.text()).toMatch(/^error: ENOENT: /);
  });
});

describe.skipIf(!built)('bin/wasmtls.mjs (needs npm run build)', () => {
  test('serve | connect: an echo through the launcher, SIGTERM exits 0', async () => {
    const serve = spawnPeer(process.execPath, [BIN, 'serve', '--port', '0', '--echo']);
    const { port, caFile } = await within(10_000, 'serve start', listening(serve));
    const connect = spawnPeer(process.execPath, [BIN, 'connect', `localhost:${port}`, '--ca', caFile as string, '--alpn', 'x']);
    const data = payload(9, 50_000);
    connect.child.stdin.end(data);
    expect(await within(10_000, 'connect', connect.exit), connect.stderr.text()).toBe(0);
    expect(connect.stdout.bytes()).toEqual(data);
    serve.child.kill('SIGTERM');
    expect(await within(10_000, 'serve exit', serve.exit)).toBe(0);
  });
});
