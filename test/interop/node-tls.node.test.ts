// Interop with Node's own `tls` (OpenSSL inside Node) on loopback: the
// wasmtls client against tls.createServer, and tls.connect against the
// wasmtls server, for every suite, group and certificate type, with data
// both ways and clean closes.
import tls from 'node:tls';
import type net from 'node:net';
import { describe, expect, test } from 'vitest';
import type { CipherSuiteName, NamedGroupName } from '../../src/index.js';
import { clientTo, echoServer } from '../helpers/tcp.js';
import { IDENTITIES } from '../helpers/tls-pair.js';

const SUITES: CipherSuiteName[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const GROUPS = ['x25519', 'secp256r1'] as const satisfies readonly NamedGroupName[];
const NODE_GROUP = { x25519: 'X25519', secp256r1: 'P-256' } as const;
const KEYS = ['p256', 'rsa2048', 'ed25519'] as const;

const matrix = KEYS.flatMap((key) => SUITES.flatMap((suite) => GROUPS.map((group) => ({ key, suite, group }))));
const payload = new Uint8Array(100_000).map((_, i) => (i * 7 + 3) & 0xff);

describe('wasmtls client against a Node tls server', () => {
  test.each(matrix)('$suite $group $key', async ({ key, suite, group }) => {
    const id = IDENTITIES[key];
    const server = tls.createServer(
      { cert: id.cert, key: id.key, minVersion: 'TLSv1.3', ciphers: suite, ecdhCurve: NODE_GROUP[group] },
      (socket) => {
        socket.pipe(socket);
      },
    );
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      // The client shares x25519 first; a secp256r1-only server answers with HelloRetryRequest.
      const out = await clientTo(
        port,
        { serverName: id.serverName, ca: id.ca, cipherSuites: [suite], groups: ['x25519', 'secp256r1'] },
        (c) => c.write(payload),
        (got) => got.length >= payload.length,
      );
      expect(out.error?.message).toBeUndefined();
      expect(out.info?.cipherSuite).toBe(suite);
      expect(out.info?.group).toBe(group);
      expect(out.info?.helloRetryRequest).toBe(group !== 'x25519');
      expect(out.received).toEqual(payload);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });
});

describe('Node tls client against the wasmtls server', () => {
  test.each(matrix)('$suite $group $key', async ({ key, suite, group }) => {
    const id = IDENTITIES[key];
    const server = await echoServer({ cert: id.cert, key: id.key, cipherSuites: [suite], groups: [group] });
    try {
      const received = await new Promise<{ data: Buffer; protocol: string | null; cipher: string; authorized: boolean }>(
        (resolve, reject) => {
          const chunks: Buffer[] = [];
          const socket = tls.connect({
            host: '127.0.0.1',
            port: server.port,
            servername: id.serverName === '127.0.0.1' ? undefined : id.serverName,
            ca: id.ca,
            minVersion: 'TLSv1.3',
            ecdhCurve: 'X25519:P-256',
            checkServerIdentity: (host, cert) => tls.checkServerIdentity(id.serverName, cert),
          } as tls.ConnectionOptions);
          socket.on('secureConnect', () => socket.write(payload));
          socket.on('data', (d: Buffer) => {
            chunks.push(d);
            if (chunks.reduce((n, c) => n + c.length, 0) >= payload.length) socket.end();
          });
          socket.on('error', reject);
          // 'end' is the server's close_notify and FIN, after all of the echo.
          socket.on('end', () => {
            resolve({ data: Buffer.concat(chunks), protocol: socket.getProtocol(), cipher: socket.getCipher().standardName, authorized: socket.authorized });
            socket.destroy();
          });
        },
      );
      expect(received.authorized).toBe(true);
      expect(received.protocol).toBe('TLSv1.3');
      expect(received.cipher).toBe(suite);
      expect(new Uint8Array(received.data)).toEqual(payload);
      const [outcome] = await Promise.all(server.outcomes);
      expect(outcome!.error?.message).toBeUndefined();
      expect(outcome!.info?.group).toBe(group);
      expect(outcome!.info?.helloRetryRequest).toBe(group !== 'x25519');
      expect(outcome!.peerClosed).toBe(true);
    } finally {
      await server.close();
    }
  });
});
