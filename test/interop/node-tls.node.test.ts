// Interop with Node's own TLS (OpenSSL inside node:tls) on loopback, over
// the same matrix as openssl.node.test.ts:
//   wasmtls client → tls.createServer
//   tls.connect    → wasmtls server
// plus ALPN both ways. A few KB each way, compared byte for byte, then
// close_notify both ways; Node verifies the wasmtls server's chain and name.
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect, createServer as tlsCreateServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import type { CryptoProvider } from '../../src/provider.js';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/node/index.js';
import { type Combo, expectNegotiated, FILE_IDENTITIES, MATRIX, OPENSSL_GROUP, payload, pems, Sink, tally, within } from '../helpers/interop.js';
import { INTEROP_PROVIDERS } from '../helpers/providers.js';

const TO_SERVER = 3_000;
const TO_CLIENT = 5_000;
const LIMIT_MS = 15_000;
const counts = tally();

afterAll(() => counts.print());

/** Node's names: `ecdhCurve` takes an OpenSSL group list; TLS 1.3 suites go in `ciphers`. */
function nodeGroups(groups: readonly ('x25519' | 'secp256r1')[]): string {
  return groups.map((g) => OPENSSL_GROUP[g]).join(':');
}

async function wasmClientToNodeServer(combo: Combo, seed: number, provider: CryptoProvider): Promise<void> {
  const id = FILE_IDENTITIES[combo.key];
  const { chain, key, ca } = pems(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let serverEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    serverEnded = resolve;
  });
  const serverErrors: Error[] = [];
  const server = tlsCreateServer(
    { cert: chain, key, minVersion: 'TLSv1.3', ciphers: combo.suite, ecdhCurve: nodeGroups(combo.exchange.server) },
    (socket) => {
      socket.on('error', (e) => serverErrors.push(e));
      socket.on('data', received.push);
      // Node answers the client's close_notify with its own, then ends.
      socket.on('end', serverEnded);
      socket.write(toClient);
    },
  );
  server.on('tlsClientError', (e) => serverErrors.push(e));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca, cipherSuites: [combo.suite], groups: [...combo.exchange.client], provider });
    expectNegotiated(conn.tls.handshakeInfo, combo);
    expect(conn.tls.handshakeInfo?.authorized).toBe(true);
    const got = new Sink();
    conn.ondata = got.push;
    conn.write(toServer);
    await got.atLeast(toClient.length);
    await received.atLeast(toServer.length);
    conn.end();
    await conn.closed;
    await ended;
    expect(conn.tls.readClosed).toBe(true);
    expect(got.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
    expect(serverErrors).toEqual([]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function nodeClientToWasmServer(combo: Combo, seed: number, provider: CryptoProvider): Promise<void> {
  const id = FILE_IDENTITIES[combo.key];
  const { chain, key, ca } = pems(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key, cipherSuites: [combo.suite], groups: [...combo.exchange.server], provider }, (conn) => {
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
    const options: ConnectionOptions = {
      host: '127.0.0.1',
      port,
      ca,
      minVersion: 'TLSv1.3',
      ciphers: combo.suite,
      ecdhCurve: nodeGroups(combo.exchange.client),
      // Node sends SNI and checks the name from `servername`; an IP is checked from `host`.
      ...(id.isIp ? {} : { servername: id.serverName }),
    };
    const got = new Sink();
    const client: TLSSocket = tlsConnect(options);
    const clientErrors: Error[] = [];
    client.on('error', (e) => clientErrors.push(e));
    client.on('data', got.push);
    await new Promise<void>((resolve, reject) => {
      client.once('secureConnect', resolve);
      client.once('error', reject);
    });
    expect(client.authorized).toBe(true);
    expect(client.getProtocol()).toBe('TLSv1.3');
    expect(client.getCipher().standardName).toBe(combo.suite);
    expect(client.getEphemeralKeyInfo()).toMatchObject({ name: combo.exchange.group === 'x25519' ? 'X25519' : 'prime256v1' });
    client.write(toServer);
    // The server's close_notify ends the stream; Node answers with its own.
    await new Promise((resolve) => client.on('close', resolve));
    expect(accepted).toBeDefined();
    const conn = accepted as TcpTlsConnection;
    await conn.closed;
    expectNegotiated(conn.tls.handshakeInfo, combo);
    expect(conn.tls.readClosed).toBe(true);
    expect(got.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
    expect(clientErrors).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await server.close(100);
  }
}

for (const provider of INTEROP_PROVIDERS) {
  describe.concurrent(`wasmtls client → Node tls server (${provider.name} provider)`, () => {
    MATRIX.forEach((combo, i) => {
      test(combo.name, async () => {
        await within(LIMIT_MS, combo.name, wasmClientToNodeServer(combo, 3000 + i, provider));
        counts.pass(`wasmtls client → Node tls server (${provider.name})`);
      });
    });
  });

  describe.concurrent(`Node tls client → wasmtls server (${provider.name} provider)`, () => {
    MATRIX.forEach((combo, i) => {
      test(combo.name, async () => {
        await within(LIMIT_MS, combo.name, nodeClientToWasmServer(combo, 4000 + i, provider));
        counts.pass(`Node tls client → wasmtls server (${provider.name})`);
      });
    });
  });
}

describe('ALPN with Node tls', () => {
  const id = FILE_IDENTITIES.p256;

  test('wasmtls client → Node server: the server picks from the client list', async () => {
    const { chain, key, ca } = pems(id);
    const server = tlsCreateServer({ cert: chain, key, ALPNProtocols: ['http/1.1', 'h2'] }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca, alpn: ['h2', 'http/1.1'] });
      expect(['h2', 'http/1.1']).toContain(conn.tls.handshakeInfo?.alpn);
      conn.end();
      await conn.closed;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('Node client → wasmtls server: our preference wins; no overlap is no_application_protocol', async () => {
    const { chain, key, ca } = pems(id);
    const errors: Error[] = [];
    const server = createTcpServer({ cert: chain, key, alpn: ['h2', 'http/1.1'] }, (conn) => conn.end());
    server.onerror = (e) => errors.push(e);
    try {
      const { port } = await server.listen();
      const client = tlsConnect({ host: '127.0.0.1', port, ca, servername: id.serverName, ALPNProtocols: ['http/1.1', 'h2'] });
      await new Promise((resolve, reject) => client.once('secureConnect', resolve).once('error', reject));
      expect(client.alpnProtocol).toBe('h2');
      client.end();
      const bad = tlsConnect({ host: '127.0.0.1', port, ca, servername: id.serverName, ALPNProtocols: ['spdy/3'] });
      const err = await new Promise<Error>((resolve) => bad.once('error', resolve));
      expect(err.message).toMatch(/no application protocol/i);
      await new Promise((r) => setTimeout(r, 50));
      expect(errors.map((e) => (e as { alert?: string }).alert)).toContain('no_application_protocol');
    } finally {
      await server.close(100);
    }
  });
});
