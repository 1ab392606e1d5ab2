// The tunnel and TCP half-close: a TLS server that ends first (close_notify,
// then its TCP FIN at once, as node:tls and OpenSSL do) must still receive
// the page's remaining data and its close_notify through the tunnel, in both
// the plain WebSocket mode and the Wisp mode, and see a clean close (no
// truncation). A page that never closes is cut off after `halfCloseTimeout`.
// A wasmtls/node server (which keeps TCP open until the peer's close_notify)
// is checked the same way.
import type { AddressInfo } from 'node:net';
import { createServer as createNodeTlsServer, type Server as NodeTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type Server, type TLSSocket } from '../../src/node/index.js';
import { createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import type { TlsStream } from '../../src/transport/streams.js';
import { connectWebSocket, type WebSocketConstructor } from '../../src/transport/websocket.js';
import { wisp, type WispWebSocketConstructor } from '../../src/transport/wisp.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, payload, pems, Sink, within } from '../helpers/interop.js';

const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
const FROM_SERVER = payload(21, 100_000);
const FROM_CLIENT = payload(22, 70_000);

/** What one server connection saw: the page's bytes, and how it ended. */
interface Seen {
  bytes: Uint8Array;
  errors: Error[];
  ended: boolean;
}

type Kind = 'wasmtls FIN first' | 'node:tls FIN first' | 'wasmtls/node';
const targets = {} as Record<Kind, string>;
const seen: ((s: Seen) => void)[] = [];
let finFirst: TcpTlsServer;
let nodeTls: NodeTlsServer;
let nodeServer: Server;
let tunnel: Tunnel;
let shortTunnel: Tunnel;

const portOf = (a: AddressInfo | string | null): number => (a as AddressInfo).port;

beforeAll(async () => {
  // wasmtls's engine on a socket whose FIN follows its close_notify at once; it keeps reading.
  finFirst = createTcpServer({ cert: chain, key }, (conn) => {
    const sink = new Sink();
    const s: Seen = { bytes: new Uint8Array(0), errors: [], ended: false };
    conn.ondata = (d) => sink.push(d);
    conn.onend = () => void (s.ended = true);
    void conn.handshake.then(() => {
      conn.write(FROM_SERVER);
      conn.end();
      conn.socket.end();
    }, () => undefined);
    conn.closed.then(
      () => undefined,
      (e: Error) => s.errors.push(e),
    ).finally(() => {
      s.bytes = sink.bytes();
      seen.shift()?.(s);
    });
  });
  targets['wasmtls FIN first'] = `127.0.0.1:${(await finFirst.listen(0, '127.0.0.1')).port}`;
  // node:tls: end() sends close_notify and FIN; allowHalfOpen keeps its read side open.
  nodeTls = createNodeTlsServer({ cert: chain, key, allowHalfOpen: true }, (socket) => {
    const sink = new Sink();
    const s: Seen = { bytes: new Uint8Array(0), errors: [], ended: false };
    socket.on('data', (d: Buffer) => sink.push(d));
    socket.on('error', (e) => s.errors.push(e));
    socket.on('end', () => void (s.ended = true));
    socket.on('close', () => {
      s.bytes = sink.bytes();
      seen.shift()?.(s);
    });
    socket.end(FROM_SERVER);
  });
  await new Promise<void>((resolve) => nodeTls.listen(0, '127.0.0.1', resolve));
  targets['node:tls FIN first'] = `127.0.0.1:${portOf(nodeTls.address())}`;
  nodeServer = createServer({ cert: chain, key }, (socket: TLSSocket) => {
    const sink = new Sink();
    const s: Seen = { bytes: new Uint8Array(0), errors: [], ended: false };
    socket.on('data', (d: Buffer) => sink.push(d));
    socket.on('error', (e) => s.errors.push(e));
    socket.on('end', () => void (s.ended = true));
    socket.on('close', () => {
      s.bytes = sink.bytes();
      seen.shift()?.(s);
    });
    socket.end(FROM_SERVER);
  });
  await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
  targets['wasmtls/node'] = `127.0.0.1:${portOf(nodeServer.address())}`;
  const allow = Object.values(targets);
  tunnel = await startTunnel({ allow, wisp: true });
  shortTunnel = await startTunnel({ allow, wisp: true, halfCloseTimeout: 300 });
});

afterAll(async () => {
  await tunnel?.close();
  await shortTunnel?.close();
  await finFirst?.close(0);
  await new Promise<void>((resolve) => (nodeTls ? nodeTls.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (nodeServer ? nodeServer.close(() => resolve()) : resolve()));
});

function nextServerSocket(): Promise<Seen> {
  return new Promise((resolve) => seen.push(resolve));
}

async function readAll(tls: TlsStream): Promise<Uint8Array> {
  const sink = new Sink();
  for await (const c of tls.readable as unknown as AsyncIterable<Uint8Array>) sink.push(c);
  return sink.bytes();
}

/** Reads the server's data to its close_notify, then sends ours and closes: the server must see all of it. */
async function exchange(tls: TlsStream): Promise<void> {
  const got = nextServerSocket();
  await within(10_000, 'handshake', tls.opened);
  const fromServer = await within(10_000, 'server data', readAll(tls));
  expect(Buffer.compare(fromServer, FROM_SERVER)).toBe(0);
  // The target has closed its side of TCP by now; give the tunnel time to see the FIN.
  await new Promise((r) => setTimeout(r, 100));
  const w = tls.writable.getWriter();
  await w.write(FROM_CLIENT);
  w.releaseLock();
  await within(10_000, 'close', tls.close());
  const s = await within(10_000, 'server close', got);
  expect(s.errors.map((e) => e.message)).toEqual([]);
  expect(s.ended).toBe(true);
  expect(Buffer.compare(s.bytes, FROM_CLIENT)).toBe(0);
}

const KINDS = Object.keys({ 'wasmtls FIN first': 0, 'node:tls FIN first': 0, 'wasmtls/node': 0 }) as Kind[];
const port = (kind: Kind): number => Number(targets[kind].split(':')[1]);
const WS = WebSocket as unknown as WebSocketConstructor;
const WispWS = WebSocket as unknown as WispWebSocketConstructor;

describe('the tunnel keeps relaying the page\'s bytes after the target half-closes', () => {
  for (const kind of KINDS) {
    test(`plain mode, ${kind}: the page sends after the server ended; the server ends cleanly`, async () => {
      const tls = await connectWebSocket(`ws://127.0.0.1:${tunnel.address.port}/`, { target: targets[kind], serverName: 'localhost', ca, WebSocket: WS });
      await exchange(tls);
      await expect(within(10_000, 'closed', tls.closed)).resolves.toBeUndefined();
    });

    test(`Wisp mode, ${kind}: the same over a Wisp stream`, async () => {
      const relay = await wisp(`ws://127.0.0.1:${tunnel.address.port}/`, { WebSocket: WispWS });
      try {
        const tls = relay.connect('127.0.0.1', port(kind), { serverName: 'localhost', ca });
        await exchange(tls);
        await expect(within(10_000, 'closed', tls.closed)).resolves.toBeUndefined();
      } finally {
        relay.close();
      }
    });
  }

  test('plain mode: a page that never closes is cut off after halfCloseTimeout', async () => {
    const got = nextServerSocket();
    const tls = await connectWebSocket(`ws://127.0.0.1:${shortTunnel.address.port}/`, { target: targets['wasmtls FIN first'], serverName: 'localhost', ca, WebSocket: WS });
    await within(10_000, 'server data', readAll(tls));
    // Never closing: the tunnel closes the WebSocket and ends TCP, so the server sees a truncation.
    const s = await within(5_000, 'server close', got);
    expect(s.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^truncated/)]);
    await within(5_000, 'closed', tls.closed.catch(() => undefined));
    expect(shortTunnel.connections).toBe(0);
  });

  test('Wisp mode: a stream that never closes is cut off after halfCloseTimeout', async () => {
    const relay = await wisp(`ws://127.0.0.1:${shortTunnel.address.port}/`, { WebSocket: WispWS });
    try {
      const got = nextServerSocket();
      const tls = relay.connect('127.0.0.1', port('wasmtls FIN first'), { serverName: 'localhost', ca });
      await within(10_000, 'server data', readAll(tls));
      const s = await within(5_000, 'server close', got);
      expect(s.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^truncated/)]);
      await within(5_000, 'closed', tls.closed.catch(() => undefined));
      expect(shortTunnel.connections).toBe(0);
    } finally {
      relay.close();
    }
  });
});
