// Interop with OpenSSL on loopback, across every suite, both groups,
// HelloRetryRequest each way and ECDSA P-256, RSA-2048 and Ed25519 server
// certificates chained through an intermediate (test/helpers/interop.ts):
//   wasmtls client  → `openssl s_server -tls1_3`
//   `openssl s_client -tls1_3` → wasmtls server (the Node transport, in process)
// Each combination sends a few KB each way, compares them byte for byte and
// closes with close_notify both ways; OpenSSL verifies the wasmtls server's
// chain and name, wasmtls verifies OpenSSL's at the current time.
import { afterAll, describe, expect, test } from 'vitest';
import type { CryptoProvider } from '../../src/provider.js';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/node/index.js';
import {
  type Combo,
  expectNegotiated,
  FILE_IDENTITIES,
  killAll,
  MATRIX,
  OPENSSL,
  OPENSSL_GROUP,
  payload,
  pems,
  Sink,
  spawnPeer,
  startListening,
  tally,
  within,
} from '../helpers/interop.js';
import { INTEROP_PROVIDERS } from '../helpers/providers.js';

const TO_SERVER = 3_000;
const TO_CLIENT = 5_000;
const LIMIT_MS = 15_000;
const counts = tally();

afterAll(() => {
  killAll();
  counts.print();
});

async function wasmClientToOpensslServer(combo: Combo, seed: number, provider: CryptoProvider): Promise<void> {
  const id = FILE_IDENTITIES[combo.key];
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  // -quiet: stdout carries only the client's data. s_server sends its stdin
  // to the client and ends the session when stdin ends, so stdin stays open.
  const { peer: server, port } = await startListening((p) => [
    's_server', '-tls1_3', '-quiet', '-naccept', '1', '-accept', `127.0.0.1:${p}`,
    '-cert', id.leaf, '-key', id.key, '-cert_chain', id.intermediate,
    '-ciphersuites', combo.suite, '-groups', combo.exchange.server.map((g) => OPENSSL_GROUP[g]).join(':'),
  ]);
  server.child.stdin.write(toClient);
  const conn = await connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca: pems(id).ca, cipherSuites: [combo.suite], groups: [...combo.exchange.client], provider });
  expectNegotiated(conn.tls.handshakeInfo, combo);
  expect(conn.tls.handshakeInfo?.authorized).toBe(true);
  expect(conn.tls.handshakeInfo?.peerCertificates.length).toBe(2);
  const got = new Sink();
  conn.ondata = got.push;
  conn.write(toServer);
  await got.atLeast(toClient.length);
  await server.stdout.atLeast(toServer.length);
  // Our close_notify; s_server answers with its own and exits.
  conn.end();
  await conn.closed;
  expect(await server.exit).toBe(0);
  expect(got.bytes()).toEqual(toClient);
  expect(server.stdout.bytes()).toEqual(toServer);
}

async function opensslClientToWasmServer(combo: Combo, seed: number, provider: CryptoProvider): Promise<void> {
  const id = FILE_IDENTITIES[combo.key];
  const { chain, key } = pems(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key, cipherSuites: [combo.suite], groups: [...combo.exchange.server], provider }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    conn.ondata = (d) => {
      received.push(d);
      // All of it arrived: our close_notify; the client answers with its own.
      if (received.length >= toServer.length) conn.end();
    };
  });
  const errors: Error[] = [];
  server.onerror = (e) => errors.push(e);
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const verify = id.isIp ? ['-verify_ip', id.serverName] : ['-servername', id.serverName, '-verify_hostname', id.serverName];
    // -quiet implies -ign_eof: after stdin ends, s_client keeps reading until the server closes.
    const client = spawnPeer(OPENSSL, [
      's_client', '-tls1_3', '-quiet', '-connect', `127.0.0.1:${port}`, '-CAfile', id.root, '-verify_return_error', ...verify,
      '-ciphersuites', combo.suite, '-groups', combo.exchange.client.map((g) => OPENSSL_GROUP[g]).join(':'),
    ]);
    client.child.stdin.end(toServer);
    const code = await client.exit;
    expect(code, client.stderr.text()).toBe(0);
    expect(accepted).toBeDefined();
    const conn = accepted as TcpTlsConnection;
    await conn.closed;
    expectNegotiated(conn.tls.handshakeInfo, combo);
    expect(conn.tls.readClosed).toBe(true);
    expect(client.stdout.bytes()).toEqual(toClient);
    expect(received.bytes()).toEqual(toServer);
    expect(client.stderr.text()).toMatch(/verify return:1/);
    expect(errors).toEqual([]);
  } finally {
    await server.close(100);
  }
}

for (const provider of INTEROP_PROVIDERS) {
  describe.concurrent(`wasmtls client → openssl s_server (${provider.name} provider)`, () => {
    MATRIX.forEach((combo, i) => {
      test(combo.name, async () => {
        await within(LIMIT_MS, combo.name, wasmClientToOpensslServer(combo, 1000 + i, provider));
        counts.pass(`wasmtls client → openssl s_server (${provider.name})`);
      });
    });
  });

  describe.concurrent(`openssl s_client → wasmtls server (${provider.name} provider)`, () => {
    MATRIX.forEach((combo, i) => {
      test(combo.name, async () => {
        await within(LIMIT_MS, combo.name, opensslClientToWasmServer(combo, 2000 + i, provider));
        counts.pass(`openssl s_client → wasmtls server (${provider.name})`);
      });
    });
  });
}
