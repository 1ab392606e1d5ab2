// The client TLSSocket's 'keylog' event (node:tls: a Buffer line in the NSS
// key log format, newline included, only while someone listens): the same
// code against node:tls and wasmtls/node, to a node:tls server whose own
// 'keylog' lines the client's must equal byte for byte.
import type { AddressInfo } from 'node:net';
import * as nodeTls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import * as wasmtls from '../../src/node/index.js';
import { cleanup, P256, track } from './fixtures.js';

afterEach(cleanup);

const LABELS = ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0'];

/** A node:tls server echoing once; resolves its port; `lines` collects its keylog lines. */
async function echoServer(lines: Buffer[]): Promise<number> {
  const server = track(nodeTls.createServer({ cert: P256.chain, key: P256.key, minVersion: 'TLSv1.3' }, (s) => s.on('data', (d: Buffer) => s.end(d)).on('error', () => undefined)));
  server.on('keylog', (line: Buffer) => lines.push(line));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

type Connect = typeof nodeTls.connect;
const IMPLS: [string, Connect][] = [
  ['node:tls', nodeTls.connect],
  ['wasmtls/node', wasmtls.connect as unknown as Connect],
];

/** Connects, sends 'ping', reads the echo to the end; resolves the client's keylog lines. */
async function run(connect: Connect, port: number, listen: boolean, removeBeforeHandshake = false): Promise<{ lines: Buffer[]; echo: string }> {
  const lines: Buffer[] = [];
  const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca, minVersion: 'TLSv1.3' });
  const listener = (line: Buffer): void => void lines.push(line);
  if (listen) socket.on('keylog', listener);
  if (removeBeforeHandshake) socket.off('keylog', listener);
  let echo = '';
  socket.on('data', (d: Buffer) => (echo += d.toString()));
  socket.write('ping');
  await new Promise<void>((resolve, reject) => {
    socket.on('end', () => {
      socket.end();
      resolve();
    });
    socket.on('error', reject);
  });
  return { lines, echo };
}

describe("the client TLSSocket's 'keylog' event", () => {
  for (const [name, connect] of IMPLS) {
    test(`${name}: Buffer lines with the NSS labels, equal to the server's lines byte for byte`, async () => {
      const serverLines: Buffer[] = [];
      const port = await echoServer(serverLines);
      const { lines, echo } = await run(connect, port, true);
      expect(echo).toBe('ping');
      for (const l of lines) {
        expect(Buffer.isBuffer(l)).toBe(true);
        expect(l.toString('latin1')).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}\n$/);
      }
      expect(lines.map((l) => l.toString('latin1').split(' ')[0]).sort()).toEqual(LABELS);
      expect(lines.map((l) => l.toString('latin1')).sort()).toEqual(serverLines.map((l) => l.toString('latin1')).sort());
    });

    test(`${name}: no lines when no listener is left`, async () => {
      const port = await echoServer([]);
      const { lines, echo } = await run(connect, port, true, true);
      expect(echo).toBe('ping');
      expect(lines).toEqual([]);
    });
  }

  test('wasmtls/node: the keylog option and the event both get the lines', async () => {
    const port = await echoServer([]);
    const fromOption: string[] = [];
    const fromEvent: string[] = [];
    const socket = wasmtls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: P256.ca, keylog: (l: string) => fromOption.push(l) });
    socket.on('keylog', (l: Buffer) => fromEvent.push(l.toString('latin1')));
    socket.write('ping');
    await new Promise<void>((resolve, reject) => socket.on('end', resolve).on('error', reject).resume());
    socket.end();
    expect(fromOption.length).toBe(5);
    expect(fromEvent).toEqual(fromOption.map((l) => `${l}\n`));
  });
});
