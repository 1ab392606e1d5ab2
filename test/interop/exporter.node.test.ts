// TLS-Exporter (RFC 8446 §7.5) against node:tls on loopback (issue 11, item
// 10): for one connection, wasmtls's exportKeyingMaterial equals node:tls's
// (OpenSSL's) for labels of 0, 1, 20 and 249 bytes, with and without a
// context, in both roles and for both hashes. BoringSSL, Go and OpenSSL all
// accept a label shorter than the 1-byte minimum that HkdfLabel's
// `label<7..255>` implies ("tls13 " is 6 bytes), so wasmtls does too.
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer as tlsCreateServer, type TLSSocket } from 'node:tls';
import { describe, expect, test } from 'vitest';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../../src/node/index.js';
import { FILE_IDENTITIES, pems } from '../helpers/interop.js';

const LABELS = ['', 'e', 'EXPORTER-wasmtls-20b', 'x'.repeat(249)];
const CONTEXTS: (Uint8Array | undefined)[] = [undefined, new Uint8Array(0), Uint8Array.from({ length: 40 }, (_, i) => i * 7)];

function describeCase(label: string, context: Uint8Array | undefined): string {
  return `label of ${label.length} bytes, ${context === undefined ? 'no context' : `context of ${context.length} bytes`}`;
}

/** Every (label, context, length) pair from both ends of one connection. */
function compare(ours: TcpTlsConnection, theirs: TLSSocket): void {
  for (const label of LABELS) {
    for (const context of CONTEXTS) {
      for (const length of [1, 32, 100]) {
        const a = ours.tls.exportKeyingMaterial(length, label, context);
        // Node's types demand a context; at run time it is optional and absent means no context (OpenSSL use_context = 0).
        const b = context === undefined ? (theirs.exportKeyingMaterial as (n: number, l: string) => Buffer)(length, label) : theirs.exportKeyingMaterial(length, label, Buffer.from(context));
        expect(Buffer.from(a).toString('hex'), `${describeCase(label, context)}, ${length} bytes`).toBe(b.toString('hex'));
      }
    }
  }
}

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] as const;

describe('exportKeyingMaterial equals node:tls for the same connection', () => {
  for (const suite of SUITES) {
    test(`wasmtls client, node:tls server (${suite})`, async () => {
      const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
      let serverSide!: (s: TLSSocket) => void;
      const accepted = new Promise<TLSSocket>((resolve) => {
        serverSide = resolve;
      });
      const server = tlsCreateServer({ cert: chain, key, minVersion: 'TLSv1.3', ciphers: suite }, serverSide);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const conn = await connectTcp({ host: '127.0.0.1', port, serverName: FILE_IDENTITIES.p256.serverName, ca, cipherSuites: [suite] });
        const theirs = await accepted;
        try {
          expect(theirs.getProtocol()).toBe('TLSv1.3');
          compare(conn, theirs);
        } finally {
          conn.destroy();
          theirs.destroy();
        }
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    test(`node:tls client, wasmtls server (${suite})`, async () => {
      const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
      let serverSide!: (c: TcpTlsConnection) => void;
      const accepted = new Promise<TcpTlsConnection>((resolve) => {
        serverSide = resolve;
      });
      const server = createTcpServer({ cert: chain, key, cipherSuites: [suite] }, serverSide);
      const { port } = await server.listen(0, '127.0.0.1');
      try {
        const theirs = tlsConnect({ host: '127.0.0.1', port, servername: FILE_IDENTITIES.p256.serverName, ca, minVersion: 'TLSv1.3', ciphers: suite });
        await new Promise<void>((resolve, reject) => {
          theirs.once('secureConnect', resolve);
          theirs.once('error', reject);
        });
        const ours = await accepted;
        try {
          await ours.handshake;
          compare(ours, theirs);
        } finally {
          theirs.destroy();
        }
      } finally {
        await server.close(0);
      }
    });
  }

  test('a label over 249 bytes (HkdfLabel label<7..255> with "tls13 ") is a RangeError naming the parameter', async () => {
    const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
    const server = createTcpServer({ cert: chain, key }, () => {});
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const conn = await connectTcp({ host: '127.0.0.1', port, serverName: FILE_IDENTITIES.p256.serverName, ca });
      try {
        expect(() => conn.tls.exportKeyingMaterial(32, 'x'.repeat(250))).toThrow(RangeError);
        expect(() => conn.tls.exportKeyingMaterial(32, 'x'.repeat(250))).toThrow(/label/);
        expect(() => conn.tls.exportKeyingMaterial(32, 'é'.repeat(125))).toThrow(/label/);
      } finally {
        conn.destroy();
      }
    } finally {
      await server.close(0);
    }
  });
});
