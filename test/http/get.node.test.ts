// `wasmtls get` in process against a wasmtls server, and SSLKEYLOGFILE: the
// key log it writes names the ClientHello's random, and its secrets decrypt
// the records captured on the wire (client Finished under
// CLIENT_HANDSHAKE_TRAFFIC_SECRET, the HTTP request under
// CLIENT_TRAFFIC_SECRET_0).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { hkdfExpandLabel } from '../../src/keyschedule.js';
import { SHA256 } from '../../src/provider-wasm.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { RecordDeframer, type TlsRecord } from '../../src/record/deframer.js';
import { RecordProtection } from '../../src/record/protection.js';
import { createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import { CipherSuite } from '../../src/wire/constants.js';
import { FILE_IDENTITIES, pems, Sink, within } from '../helpers/interop.js';

const p256 = FILE_IDENTITIES.p256;
const { chain, key, ca } = pems(p256);
const dir = mkdtempSync(join(tmpdir(), 'wasmtls-get-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, ca);

let server: TcpTlsServer;
let port: number;
/** Bytes each connection's client sent, as captured on the socket. */
const captured: Sink[] = [];

beforeAll(async () => {
  server = createTcpServer({ cert: chain, key, cipherSuites: ['TLS_AES_128_GCM_SHA256'] }, (conn) => {
    const sink = new Sink();
    captured.push(sink);
    conn.socket.on('data', sink.push);
    let head = '';
    conn.ondata = (d) => {
      head += Buffer.from(d).toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      conn.write(new TextEncoder().encode('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nnope!\n\r\n0\r\n\r\n'));
      conn.end();
    };
  });
  server.onerror = () => undefined;
  port = (await server.listen(0, '127.0.0.1')).port;
});

afterAll(async () => {
  delete process.env.SSLKEYLOGFILE;
  await server?.close(0);
});

async function get(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = new Sink();
  const err = new Sink();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', out.push);
  stderr.on('data', err.push);
  const status = await within(15_000, 'wasmtls get', main(['get', ...argv], { stdin: new PassThrough(), stdout, stderr }));
  return { status, stdout: out.text(), stderr: Buffer.from(err.bytes()).toString('utf8') };
}

function records(bytes: Uint8Array): TlsRecord[] {
  const d = new RecordDeframer();
  d.push(bytes);
  const out: TlsRecord[] = [];
  for (let r = d.next(); r !== undefined; r = d.next()) out.push({ ...r, header: r.header.slice(), fragment: r.fragment.slice() });
  return out;
}

function unhex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

function opener(secretHex: string): RecordProtection {
  const secret = unhex(secretHex);
  const k = hkdfExpandLabel(SHA256, secret, 'key', new Uint8Array(0), 16);
  const iv = hkdfExpandLabel(SHA256, secret, 'iv', new Uint8Array(0), 12);
  return new RecordProtection(wasmProvider.aead(CipherSuite.TLS_AES_128_GCM_SHA256, k), iv);
}

describe('wasmtls get', () => {
  test('body to stdout, status and headers to stderr, exit 0 even for a 404; --trace lists the handshake', async () => {
    const r = await get([`https://localhost:${port}/x`, '--ca', caFile, '--trace']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('nope!\n');
    // The step-by-step rendering of `wasmtls demo`: step headers, then one arrow per message.
    expect(r.stderr).toMatch(/^\n?━━ Step 1 · Client Hello/);
    expect(r.stderr).toMatch(/client ──▶ server {2}ClientHello[^]*client ◀── server {2}ServerHello/);
    expect(r.stderr).toMatch(/client ──▶ server {2}Finished/);
    expect(r.stderr).toMatch(/\n404 Not Found\nContent-Type: text\/plain\nTransfer-Encoding: chunked\n$/);
  });

  test('errors: untrusted certificate exit 1, --insecure warns and proceeds, usage errors exit 2', async () => {
    const bad = await get([`https://localhost:${port}/`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: (unknown_ca|bad_certificate)/);
    const insecure = await get([`https://localhost:${port}/`, '--insecure']);
    expect(insecure.status).toBe(0);
    expect(insecure.stderr).toMatch(/warning: --insecure/);
    expect((await get([])).status).toBe(2);
    expect((await get(['http://localhost/'])).status).toBe(2);
  });
});

describe('SSLKEYLOGFILE', () => {
  test('the key log names the client random and its secrets decrypt the captured records', async () => {
    const file = join(dir, 'keys.log');
    process.env.SSLKEYLOGFILE = file;
    const before = captured.length;
    const r = await get([`https://localhost:${port}/secret-path`, '--ca', caFile]);
    delete process.env.SSLKEYLOGFILE;
    expect(r.status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const byLabel = new Map(lines.map((l) => l.split(' ')).map(([label, random, secret]) => [label as string, { random: random as string, secret: secret as string }]));
    expect([...byLabel.keys()].sort()).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']);

    const wire = records((captured[before] as Sink).bytes());
    const hello = wire[0] as TlsRecord;
    expect(hello.type).toBe(22);
    // ClientHello: handshake header (4), legacy_version (2), random (32).
    const random = Buffer.from(hello.fragment.subarray(6, 38)).toString('hex');
    for (const { random: r } of byLabel.values()) expect(r).toBe(random);

    const encrypted = wire.filter((x) => x.type === 23);
    const hs = opener((byLabel.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET') as { secret: string }).secret);
    const finished = hs.open((encrypted[0] as TlsRecord).header, (encrypted[0] as TlsRecord).fragment);
    expect(finished.type).toBe(22);
    expect(finished.content[0]).toBe(20); // Finished
    const app = opener((byLabel.get('CLIENT_TRAFFIC_SECRET_0') as { secret: string }).secret);
    const requestRecord = app.open((encrypted[1] as TlsRecord).header, (encrypted[1] as TlsRecord).fragment);
    expect(requestRecord.type).toBe(23);
    expect(new TextDecoder().decode(requestRecord.content)).toMatch(/^GET \/secret-path HTTP\/1\.1\r\nHost: localhost:\d+\r\n/);
    // A wrong secret does not open it.
    const wrong = opener((byLabel.get('SERVER_TRAFFIC_SECRET_0') as { secret: string }).secret);
    expect(() => wrong.open((encrypted[1] as TlsRecord).header, (encrypted[1] as TlsRecord).fragment)).toThrow();
  });

  test('serve appends to SSLKEYLOGFILE as well', async () => {
    const file = join(dir, 'serve-keys.log');
    process.env.SSLKEYLOGFILE = file;
    const fullchain = join(dir, 'fullchain.pem');
    writeFileSync(fullchain, chain);
    const out = new Sink();
    const stdout = new PassThrough();
    stdout.on('data', out.push);
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const status = main(['serve', '--www', '--port', '0', '--cert', fullchain, '--key', p256.key], { stdin: new PassThrough(), stdout, stderr: new PassThrough() }, () => stopped);
    delete process.env.SSLKEYLOGFILE;
    let servePort = 0;
    for (let i = 0; i < 500 && servePort === 0; i++) {
      const m = /listening on [^\n]*:(\d+)\n/.exec(out.text());
      if (m) servePort = Number(m[1]);
      else await new Promise((res) => setTimeout(res, 10));
    }
    const r = await get([`https://localhost:${servePort}/`, '--ca', caFile]);
    expect(r.status).toBe(0);
    stop();
    expect(await status).toBe(0);
    const labels = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
    expect(labels.sort()).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']);
  });
});
