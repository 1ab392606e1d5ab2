// TLS 1.2 interop with GnuTLS (Debian gnutls-bin, an independent TLS stack):
//   `gnutls-cli` → wasmtls server, every TLS 1.2 suite wasmtls runs ×
//   {x25519, secp256r1} × {ECDSA P-256, RSA-2048} certificates behind an
//   intermediate, restricted to exactly that combination by a priority string.
// A few KB each way, compared byte for byte; GnuTLS verifies the chain and
// the name. (wasmtls client → gnutls-serv is not run: gnutls-serv can only
// listen on every interface, and these tests use loopback addresses only.)
import { afterAll, describe, expect, test } from 'vitest';
import { createTcpServer, type TcpTlsConnection } from '../../src/transport/tcp.js';
import { killAll, payload, Sink, spawnPeer, within } from '../helpers/interop.js';
import { nodeCryptoProvider } from '../../src/node-crypto/index.js';
import type { CryptoProvider } from '../../src/provider.js';
import { type Combo12, expectNegotiated12, gnutlsPriority, IDENTITIES12, P384_MATRIX, pems12, SERVER_MATRIX } from '../helpers/interop12.js';

const GNUTLS_CLI = process.env.GNUTLS_CLI ?? 'gnutls-cli';
const TO_SERVER = 3_000;
const TO_CLIENT = 5_000;
let passed = 0;
let passed384 = 0;

afterAll(() => {
  killAll();
  console.log(`interop TLS 1.2 gnutls-cli → wasmtls server: ${passed}/${SERVER_MATRIX.length} combinations passed`);
  console.log(`interop TLS 1.2 gnutls-cli → wasmtls server (node-crypto provider), P-384: ${passed384}/${P384_MATRIX.length} combinations passed`);
});

async function gnutlsClientToWasm(combo: Combo12, seed: number, provider?: CryptoProvider): Promise<void> {
  const id = IDENTITIES12[combo.cert];
  const { chain, key } = pems12(id);
  const toServer = payload(seed, TO_SERVER);
  const toClient = payload(seed + 1, TO_CLIENT);
  const received = new Sink();
  let accepted: TcpTlsConnection | undefined;
  const server = createTcpServer({ cert: chain, key, groups: [combo.group], ...(provider === undefined ? {} : { provider }) }, (conn) => {
    accepted = conn;
    conn.write(toClient);
    // The client closes first: gnutls-cli answers EOF on stdin with its
    // close_notify, but exits without one when the server's close_notify
    // arrives first, which the server would rightly report as a truncation.
    conn.ondata = (d) => received.push(d);
  });
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    const client = spawnPeer(GNUTLS_CLI, ['--port', String(port), '--x509cafile', id.root, '--verify-hostname', id.serverName, '--sni-hostname', id.serverName, '--priority', gnutlsPriority(combo), '127.0.0.1']);
    client.child.stdin.write(toServer);
    await client.stdout.atLeast(toClient.length);
    await received.atLeast(toServer.length);
    client.child.stdin.end();
    const code = await client.exit;
    expect(code, client.stderr.text()).toBe(0);
    const conn = accepted as TcpTlsConnection;
    expect(conn).toBeDefined();
    await conn.closed;
    expectNegotiated12(conn.tls.handshakeInfo, combo, false);
    expect(received.bytes()).toEqual(toServer);
    // gnutls-cli prints its session report to stdout too; the data arrives as one run of bytes within it.
    const out = Buffer.from(client.stdout.bytes());
    const at = out.indexOf(Buffer.from(toClient));
    expect(at, out.toString('latin1').slice(0, 400)).toBeGreaterThanOrEqual(0);
    expect(new Uint8Array(out.subarray(at, at + toClient.length))).toEqual(toClient);
  } finally {
    await server.close(100);
  }
}

describe.concurrent('gnutls-cli (TLS 1.2 only) → wasmtls server', () => {
  SERVER_MATRIX.forEach((combo, i) => {
    test(combo.name, async () => {
      await within(15_000, combo.name, gnutlsClientToWasm(combo, 7000 + 2 * i));
      passed++;
    });
  });
});

describe.concurrent('gnutls-cli (TLS 1.2 only) → wasmtls server (node-crypto provider), P-384 certificates and secp384r1', () => {
  P384_MATRIX.forEach((combo, i) => {
    test(combo.name, async () => {
      await within(15_000, combo.name, gnutlsClientToWasm(combo, 7500 + 2 * i, nodeCryptoProvider));
      passed384++;
    });
  });
});
