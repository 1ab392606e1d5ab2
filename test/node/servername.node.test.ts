// TLSSocket.setServername(name): node:tls's argument and server-side errors,
// the name in use accepted, and a clear error for a name the already-built
// ClientHello cannot carry.
import type { AddressInfo } from 'node:net';
import * as nodeTls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import * as wasmtls from '../../src/node/index.js';
import { cleanup, P256, track } from './fixtures.js';

afterEach(cleanup);

type Impl = { connect: typeof nodeTls.connect; createServer: typeof nodeTls.createServer };
const IMPLS: [string, Impl][] = [
  ['node:tls', nodeTls],
  ['wasmtls/node', wasmtls as unknown as Impl],
];

/** @types/node's TLSSocket does not declare setServername (node:tls has it since v8). */
const setServername = (socket: object, name: unknown): void => (socket as { setServername(n: unknown): void }).setServername(name);

function codeOf(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
}

describe('TLSSocket.setServername', () => {
  for (const [name, impl] of IMPLS) {
    test(`${name}: a non-string is ERR_INVALID_ARG_TYPE, the name in use is accepted, a server-side socket refuses`, async () => {
      const serverSockets: nodeTls.TLSSocket[] = [];
      const server = track(impl.createServer({ cert: P256.chain, key: P256.key }, (s) => {
        serverSockets.push(s);
        s.end('hi');
      }));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const client = impl.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca });
      track(client);
      expect(codeOf(() => setServername(client, 42))).toBe('ERR_INVALID_ARG_TYPE');
      expect(codeOf(() => setServername(client, 'localhost'))).toBeUndefined();
      let got = '';
      client.on('data', (d: Buffer) => (got += d.toString()));
      await new Promise<void>((resolve, reject) => client.on('end', resolve).on('error', reject));
      client.end();
      expect(got).toBe('hi');
      expect(codeOf(() => setServername(serverSockets[0]!, 'localhost'))).toBe('ERR_TLS_SNI_FROM_SERVER');
    });
  }

  test('wasmtls/node: another name after connect() throws ERR_TLS_SNI_AFTER_CLIENT_HELLO (the ClientHello is built)', async () => {
    const server = track(wasmtls.createServer({ cert: P256.chain, key: P256.key }, (s) => s.end('hi')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = track(wasmtls.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername: 'localhost', ca: P256.ca }));
    expect(codeOf(() => client.setServername('example.com'))).toBe('ERR_TLS_SNI_AFTER_CLIENT_HELLO');
    expect(() => client.setServername('example.com')).toThrow(/pass servername to connect\(\)/);
    await new Promise<void>((resolve, reject) => client.on('end', resolve).on('error', reject).resume());
    client.end();
    expect(client.servername).toBe('localhost');
  });
});
