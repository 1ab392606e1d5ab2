// The application-level APIs reach a TLS 1.2-only server (issue 12, "done
// means"): `wasmtls connect`, `wasmtls get`, request() and the node:tls-style
// connect(), each against `openssl s_server -tls1_2 -www` on loopback (an
// ECDSA P-256 chain behind an intermediate). s_server's -www page reports the
// protocol and cipher it negotiated, so the test reads them from the server's side too.
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { request } from '../../src/http/node.js';
import { connect } from '../../src/node/index.js';
import { FILE_IDENTITIES, killAll, pems, Sink, startListening, within } from '../helpers/interop.js';

afterAll(() => killAll());

const id = FILE_IDENTITIES.p256;

async function sServer12(): Promise<number> {
  const { port } = await startListening((p) => ['s_server', '-tls1_2', '-naccept', '1', '-accept', `127.0.0.1:${p}`, '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate, '-www']);
  return port;
}

function run(argv: string[]): { stdin: PassThrough; stdout: Sink; stderr: Sink; status: Promise<number> } {
  const stdin = new PassThrough();
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = new Sink();
  const stderr = new Sink();
  out.on('data', stdout.push);
  err.on('data', stderr.push);
  const status = main(argv, { stdin, stdout: out, stderr: err }, () => new Promise(() => undefined));
  return { stdin, stdout, stderr, status };
}

describe.concurrent('TLS 1.2-only openssl s_server -www', () => {
  test('wasmtls connect: the page, and TLSv1.2 on stderr', async () => {
    const port = await sServer12();
    const r = run(['connect', `localhost:${port}`, '--ca', id.root]);
    r.stdin.end('GET / HTTP/1.0\r\n\r\n');
    expect(await within(10_000, 'connect', r.status), r.stderr.text()).toBe(0);
    expect(r.stdout.text()).toMatch(/^HTTP\/1\.0 200 ok/);
    expect(r.stdout.text()).toMatch(/Protocol\s*: TLSv1\.2/);
    expect(r.stderr.text()).toBe('TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 x25519 ecdsa_secp256r1_sha256\n');
  });

  test('wasmtls get: the page on stdout, exit 0', async () => {
    const port = await sServer12();
    const r = run(['get', `https://localhost:${port}/`, '--ca', id.root]);
    expect(await within(10_000, 'get', r.status), r.stderr.text()).toBe(0);
    expect(r.stdout.text()).toMatch(/Protocol\s*: TLSv1\.2/);
  });

  test('request(): status 200 and the page', async () => {
    const port = await sServer12();
    const res = await within(10_000, 'request', request(`https://localhost:${port}/`, { ca: pems(id).ca }));
    expect(res.status).toBe(200);
    expect(res.tls.version).toBe('TLSv1.2');
    expect(new TextDecoder().decode(res.body)).toMatch(/Cipher\s*: ECDHE-ECDSA-AES128-GCM-SHA256/);
  });

  test("node API connect(): getProtocol() 'TLSv1.2', getCipher() as node:tls", async () => {
    const port = await sServer12();
    const got = new Sink();
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pems(id).ca });
    await within(10_000, 'secureConnect', new Promise<void>((resolve, reject) => socket.once('secureConnect', () => resolve()).once('error', reject)));
    expect(socket.getProtocol()).toBe('TLSv1.2');
    expect(socket.getCipher()).toEqual({ name: 'ECDHE-ECDSA-AES128-GCM-SHA256', standardName: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', version: 'TLSv1.2' });
    socket.on('data', got.push);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.end('GET / HTTP/1.0\r\n\r\n');
    await within(10_000, 'close', closed);
    expect(got.text()).toMatch(/Protocol\s*: TLSv1\.2/);
  });
});
