// wasmtls's post-quantum defaults against OpenSSL 3.0 (no ML-KEM): the
// wasmtls client offering X25519MLKEM768 first still completes in one round
// trip with openssl s_server, on the x25519 share it sends beside the
// hybrid; openssl s_client gets x25519 from a wasmtls server that prefers
// the hybrid. secp384r1 both ways with a P-384 server certificate
// (ecdsa_secp384r1_sha384 signed by the WASM core). Data both ways compared
// byte for byte.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/transport/tcp.js';
import { FILE_IDENTITIES, type FileIdentity, killAll, OPENSSL, payload, pems, Sink, spawnPeer, startListening, within } from '../helpers/interop.js';

afterAll(() => killAll());

const X509 = fileURLToPath(new URL('../vectors/x509/', import.meta.url));
const P384: FileIdentity = {
  label: 'ECDSA P-384',
  leaf: join(X509, 'leaf-wildcard.pem'),
  intermediate: join(X509, 'int-p384.pem'),
  root: join(X509, 'root-p384.pem'),
  key: join(X509, 'keys', 'leaf-wildcard.pkcs8.pem'),
  serverName: 'a.example.com',
  isIp: false,
  scheme: /^ecdsa_secp384r1_sha384$/,
};

async function toOpensslServer(id: FileIdentity, serverGroups: string | undefined, clientGroups: ('x25519' | 'secp384r1')[] | undefined, want: string): Promise<void> {
  const toServer = payload(7, 3000);
  const toClient = payload(8, 5000);
  const { peer: server, port } = await startListening((p) => [
    's_server', '-tls1_3', '-quiet', '-naccept', '1', '-accept', `127.0.0.1:${p}`,
    '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate, ...(serverGroups === undefined ? [] : ['-groups', serverGroups]),
  ]);
  server.child.stdin.write(toClient);
  const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca: pems(id).ca, ...(clientGroups && { groups: clientGroups }) });
  const info = conn.tls.handshakeInfo;
  expect(info?.group).toBe(want);
  // One round trip: OpenSSL used a share from the first ClientHello.
  expect(info?.helloRetryRequest).toBe(false);
  expect(info?.signatureScheme).toMatch(id.scheme);
  const got = new Sink();
  conn.ondata = got.push;
  conn.write(toServer);
  await got.atLeast(toClient.length);
  await server.stdout.atLeast(toServer.length);
  conn.end();
  await conn.closed;
  expect(await server.exit).toBe(0);
  expect(got.bytes()).toEqual(toClient);
  expect(server.stdout.bytes()).toEqual(toServer);
}

async function fromOpensslClient(id: FileIdentity, clientGroups: string | undefined, want: string): Promise<void> {
  const chain = readFileSync(id.leaf, 'utf8') + readFileSync(id.intermediate, 'utf8');
  const key = readFileSync(id.key, 'utf8');
  const toServer = payload(9, 3000);
  const toClient = payload(10, 5000);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    conn.ondata = (d) => {
      received.push(d);
      if (received.length >= toServer.length) conn.end();
    };
  });
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const client = spawnPeer(OPENSSL, [
      's_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', id.root, '-verify_return_error',
      '-servername', id.serverName, '-verify_hostname', id.serverName, ...(clientGroups === undefined ? [] : ['-groups', clientGroups]),
    ]);
    client.child.stdin.end(toServer);
    expect(await client.exit, client.stderr.text()).toBe(0);
    const conn = accepted as TcpTlsConnection;
    await conn.closed;
    expect(conn.tls.handshakeInfo?.group).toBe(want);
    expect(conn.tls.handshakeInfo?.helloRetryRequest).toBe(false);
    expect(client.stdout.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
  } finally {
    await server.close(100);
  }
}

describe('post-quantum defaults against OpenSSL 3.0 (no ML-KEM)', () => {
  test('openssl has no ML-KEM group here (else these tests would not show the fallback)', () => {
    const r = spawnPeer(OPENSSL, ['list', '-kem-algorithms']);
    return r.exit.then(() => expect(r.stdout.text()).not.toMatch(/ML-KEM|MLKEM/i));
  });
  test('wasmtls client, default groups → openssl s_server, default groups: x25519 in one round trip', () =>
    within(15_000, 'default → s_server', toOpensslServer(FILE_IDENTITIES.p256, undefined, undefined, 'x25519')));
  test('openssl s_client, default groups → wasmtls server, default groups: x25519, no HelloRetryRequest', () =>
    within(15_000, 's_client → default', fromOpensslClient(FILE_IDENTITIES.p256, undefined, 'x25519')));
  test('secp384r1 and a P-384 certificate: wasmtls client → openssl s_server -groups P-384', () =>
    within(15_000, 'secp384r1 →', toOpensslServer(P384, 'P-384', ['secp384r1'], 'secp384r1')));
  test('secp384r1 and a P-384 certificate: openssl s_client -groups P-384 → wasmtls server', () =>
    within(15_000, '→ secp384r1', fromOpensslClient(P384, 'P-384', 'secp384r1')));
});
