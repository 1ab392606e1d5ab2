// TLS 1.2 interop on loopback against OpenSSL and node:tls, both directions,
// over every TLS 1.2 suite wasmtls runs × {x25519, secp256r1} × server
// certificates behind an intermediate (test/helpers/interop12.ts):
//   wasmtls client → `openssl s_server -tls1_2`, tls.createServer({ maxVersion: 'TLSv1.2' })
//   `openssl s_client -tls1_2`, tls.connect({ maxVersion: 'TLSv1.2' }) → wasmtls server
// Each case sends a few KB each way, compares them byte for byte and closes
// with close_notify both ways; the peers verify wasmtls's chain and name.
import { type AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer as tlsCreateServer, type TLSSocket } from 'node:tls';
import { afterAll, describe, expect, test } from 'vitest';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/transport/tcp.js';
import { nodeCryptoProvider } from '../../src/node-crypto/index.js';
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { NamedGroup } from '../../src/wire/constants.js';
import { CLIENT_MATRIX, type Combo12, expectNegotiated12, type Group12, IDENTITIES12, OPENSSL_GROUP12, P384_GROUP, P384_MATRIX, pems12, SERVER_MATRIX } from '../helpers/interop12.js';
import { killAll, OPENSSL, payload, Sink, spawnPeer, startListening, within } from '../helpers/interop.js';

const TO_SERVER = 3_000;
const TO_CLIENT = 5_000;
const LIMIT_MS = 15_000;
const counts = new Map<string, [number, number]>();
const pass = (pairing: string, total: number) => counts.set(pairing, [(counts.get(pairing)?.[0] ?? 0) + 1, total]);

afterAll(() => {
  killAll();
  for (const [pairing, [n, total]] of counts) console.log(`interop TLS 1.2 ${pairing}: ${n}/${total} combinations passed`);
});

/**
 * The peer client's groups: the combination's first, then secp256r1, since in
 * TLS 1.2 supported_groups also bounds the curve of an ECDSA server
 * certificate (RFC 8422 §5.1); the wasmtls server is limited to the combination's group.
 */
function clientGroups(combo: Combo12): string {
  return [...new Set([OPENSSL_GROUP12[combo.group], 'P-256', 'P-384'])].join(':');
}

/** The wasmtls client's groups: the combination's first, then the others its provider has (secp384r1 bounds a P-384 certificate). */
function clientGroupList(combo: Combo12, provider: CryptoProvider | undefined): Group12[] {
  const has = (provider ?? wasmProvider).groups;
  const all: Group12[] = ['x25519', 'secp256r1', 'secp384r1'];
  return [combo.group, ...all.filter((g) => g !== combo.group && has.includes(NamedGroup[g]))];
}

async function wasmClientToOpenssl(combo: Combo12, seed: number, provider?: CryptoProvider): Promise<void> {
  const id = IDENTITIES12[combo.cert];
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const { peer: server, port } = await startListening((p) => [
    's_server', '-tls1_2', '-quiet', '-naccept', '1', '-accept', `127.0.0.1:${p}`,
    '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate,
    '-cipher', combo.openssl, '-groups', OPENSSL_GROUP12[combo.group], '-sigalgs', id.sigalgs,
  ]);
  server.child.stdin.write(toClient);
  const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca: pems12(id).ca, groups: clientGroupList(combo, provider), ...(provider === undefined ? {} : { provider }) });
  expectNegotiated12(conn.tls.handshakeInfo, combo);
  expect(conn.tls.handshakeInfo?.authorized).toBe(true);
  expect(conn.tls.handshakeInfo?.peerCertificates.length).toBe(2);
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

async function opensslClientToWasm(combo: Combo12, seed: number, provider?: CryptoProvider): Promise<void> {
  const id = IDENTITIES12[combo.cert];
  const { chain, key } = pems12(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key, groups: [combo.group], ...(provider === undefined ? {} : { provider }) }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    conn.ondata = (d) => {
      received.push(d);
      if (received.length >= toServer.length) conn.end();
    };
  });
  const errors: Error[] = [];
  server.onerror = (e) => errors.push(e);
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const client = spawnPeer(OPENSSL, [
      's_client', '-tls1_2', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', id.root, '-verify_return_error',
      '-servername', id.serverName, '-verify_hostname', id.serverName, '-cipher', combo.openssl, '-groups', clientGroups(combo),
    ]);
    client.child.stdin.end(toServer);
    const code = await client.exit;
    expect(code, client.stderr.text()).toBe(0);
    const conn = accepted as TcpTlsConnection;
    expect(conn).toBeDefined();
    await conn.closed;
    expectNegotiated12(conn.tls.handshakeInfo, combo, false);
    expect(conn.tls.handshakeInfo?.signatureScheme).toMatch(id.auth === 'ECDSA' ? /^ecdsa_/ : /^rsa_pss_rsae_/);
    expect(client.stdout.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
    expect(client.stderr.text()).toMatch(/verify return:1/);
    expect(errors).toEqual([]);
  } finally {
    await server.close(100);
  }
}

async function wasmClientToNode(combo: Combo12, seed: number, provider?: CryptoProvider): Promise<void> {
  const id = IDENTITIES12[combo.cert];
  const { chain, key, ca } = pems12(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let serverEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    serverEnded = resolve;
  });
  const serverErrors: Error[] = [];
  const server = tlsCreateServer(
    { cert: chain, key, maxVersion: 'TLSv1.2', ciphers: combo.openssl, ecdhCurve: OPENSSL_GROUP12[combo.group], sigalgs: id.sigalgs },
    (socket) => {
      socket.on('error', (e) => serverErrors.push(e));
      socket.on('data', received.push);
      socket.on('end', serverEnded);
      socket.write(toClient);
    },
  );
  server.on('tlsClientError', (e) => serverErrors.push(e));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca, groups: clientGroupList(combo, provider), ...(provider === undefined ? {} : { provider }) });
    expectNegotiated12(conn.tls.handshakeInfo, combo);
    const got = new Sink();
    conn.ondata = got.push;
    conn.write(toServer);
    await got.atLeast(toClient.length);
    await received.atLeast(toServer.length);
    conn.end();
    await conn.closed;
    await ended;
    expect(got.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
    expect(serverErrors).toEqual([]);
  } finally {
    server.close();
  }
}

async function nodeClientToWasm(combo: Combo12, seed: number, provider?: CryptoProvider): Promise<void> {
  const id = IDENTITIES12[combo.cert];
  const { chain, key, ca } = pems12(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key, groups: [combo.group], ...(provider === undefined ? {} : { provider }) }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    conn.ondata = (d) => {
      received.push(d);
      if (received.length >= toServer.length) conn.end();
    };
  });
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const got = new Sink();
    const socket: TLSSocket = await new Promise((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, servername: id.serverName, ca, maxVersion: 'TLSv1.2', ciphers: combo.openssl, ecdhCurve: clientGroups(combo) }, () => resolve(s));
      s.on('error', reject);
    });
    expect(socket.getProtocol()).toBe('TLSv1.2');
    expect(socket.getCipher().name).toBe(combo.openssl);
    socket.on('data', got.push);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.end(toServer);
    await closed;
    const conn = accepted as TcpTlsConnection;
    await conn.closed;
    expectNegotiated12(conn.tls.handshakeInfo, combo, false);
    expect(got.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
  } finally {
    await server.close(100);
  }
}

type Run = (c: Combo12, seed: number, provider?: CryptoProvider) => Promise<void>;
const pairings: [string, readonly Combo12[], Run, CryptoProvider | undefined][] = [
  ['wasmtls client → openssl s_server -tls1_2', CLIENT_MATRIX, wasmClientToOpenssl, undefined],
  ['openssl s_client -tls1_2 → wasmtls server', SERVER_MATRIX, opensslClientToWasm, undefined],
  ["wasmtls client → node:tls server (maxVersion 'TLSv1.2')", CLIENT_MATRIX, wasmClientToNode, undefined],
  ["node:tls client (maxVersion 'TLSv1.2') → wasmtls server", SERVER_MATRIX, nodeClientToWasm, undefined],
  // secp384r1 ECDHE (and P-384 certificates over every group), on the wasm provider once it has P-384 ...
  ...(P384_GROUP
    ? ([
        ['wasmtls client → openssl s_server -tls1_2, secp384r1', P384_MATRIX, wasmClientToOpenssl, undefined],
        ['openssl s_client -tls1_2 → wasmtls server, secp384r1', P384_MATRIX, opensslClientToWasm, undefined],
      ] as [string, readonly Combo12[], Run, CryptoProvider | undefined][])
    : []),
  // ... and on the node-crypto provider (test/helpers/interop12.ts).
  ['wasmtls client (node-crypto provider) → openssl s_server -tls1_2, P-384', P384_MATRIX, wasmClientToOpenssl, nodeCryptoProvider],
  ['openssl s_client -tls1_2 → wasmtls server (node-crypto provider), P-384', P384_MATRIX, opensslClientToWasm, nodeCryptoProvider],
  ["wasmtls client (node-crypto provider) → node:tls server (maxVersion 'TLSv1.2'), P-384", P384_MATRIX, wasmClientToNode, nodeCryptoProvider],
  ["node:tls client (maxVersion 'TLSv1.2') → wasmtls server (node-crypto provider), P-384", P384_MATRIX, nodeClientToWasm, nodeCryptoProvider],
];

pairings.forEach(([pairing, combos, run, provider], p) => {
  describe.concurrent(pairing, () => {
    combos.forEach((combo, i) => {
      test(combo.name, async () => {
        await within(LIMIT_MS, combo.name, run(combo, 5000 + p * 100 + i * 2, provider));
        pass(pairing, combos.length);
      });
    });
  });
});
