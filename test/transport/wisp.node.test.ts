// Wisp (MercuryWorkshop's protocol, v1 and v2): the packet codec; the
// wasmtls client `wisp()` through `wasmtls tunnel`'s Wisp mode and through a
// @mercuryworkshop/wisp-js server, to a node:tls server and a wasmtls
// server, many TLS streams over one WebSocket, data both ways compared byte
// for byte; CONTINUE honoured by the client (a scripted relay counts its
// DATA packets) and by the tunnel (a slow target); refusals with reasons;
// the wsproxy path convention; the Origin check on Wisp upgrades; the CLI
// (`tunnel --wisp`, `get --wisp`, `connect --wisp`).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { PassThrough } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { server as wispJsServer, logging as wispJsLogging } from '@mercuryworkshop/wisp-js/server';
import { main } from '../../src/cli/main.js';
import { createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import type { TlsStream } from '../../src/transport/streams.js';
import { connectWebSocket, type WebSocketConstructor } from '../../src/transport/websocket.js';
import { wisp, WispError, type WispWebSocketConstructor } from '../../src/transport/wisp.js';
import * as P from '../../src/transport/wisp-packets.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, payload, pems, Sink, within } from '../helpers/interop.js';

const WS = WebSocket as unknown as WispWebSocketConstructor;
const { chain, key, ca } = pems(FILE_IDENTITIES.p256);

let nodeTls: TlsServer;
let nodeTlsPort: number;
let wasmtls: TcpTlsServer;
let wasmtlsPort: number;
let slowPort: number;
let slow: ReturnType<typeof createNetServer>;
let slowReceived = 0;
let tunnel: Tunnel;
let wispJs: HttpServer;
let wispJsPort: number;
const logs: string[] = [];

beforeAll(async () => {
  nodeTls = createTlsServer({ cert: chain, key, minVersion: 'TLSv1.3' }, (s) => s.pipe(s));
  await new Promise<void>((r) => nodeTls.listen(0, '127.0.0.1', r));
  nodeTlsPort = (nodeTls.address() as AddressInfo).port;
  wasmtls = createTcpServer({ cert: chain, key }, (conn) => {
    conn.ondata = (d) => conn.write(d);
    conn.onend = () => conn.end();
  });
  wasmtlsPort = (await wasmtls.listen(0, '127.0.0.1')).port;
  // A target that reads slowly: 64 KiB per 20 ms.
  slow = createNetServer((s) => {
    s.on('data', (d) => {
      slowReceived += d.length;
      s.pause();
      setTimeout(() => s.resume(), 20);
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  slowPort = (slow.address() as AddressInfo).port;
  tunnel = await startTunnel({
    allow: [`127.0.0.1:${nodeTlsPort}`, `127.0.0.1:${wasmtlsPort}`, `localhost:${nodeTlsPort}`, `127.0.0.1:${slowPort}`],
    wisp: true,
    wispBufferPackets: 4,
    maxStreamsPerConnection: 8,
    log: (l) => logs.push(l),
  });
  wispJsLogging.set_level(wispJsLogging.NONE);
  wispJsServer.options.allow_loopback_ips = true;
  wispJsServer.options.allow_private_ips = true;
  wispJs = createHttpServer((_q, res) => res.end());
  wispJs.on('upgrade', (req, socket, head) => wispJsServer.routeRequest(req, socket, head));
  await new Promise<void>((r) => wispJs.listen(0, '127.0.0.1', r));
  wispJsPort = (wispJs.address() as AddressInfo).port;
});

afterAll(async () => {
  await tunnel?.close();
  await wasmtls?.close(0);
  nodeTls?.close();
  slow?.close();
  wispJs?.closeAllConnections();
  wispJs?.close();
});

const tunnelUrl = () => `ws://127.0.0.1:${tunnel.address.port}/`;

async function echo(tls: TlsStream, data: Uint8Array): Promise<Uint8Array> {
  const sink = new Sink();
  const got = (async () => {
    for await (const c of tls.readable as unknown as AsyncIterable<Uint8Array>) sink.push(c);
  })();
  const w = tls.writable.getWriter();
  for (let o = 0; o < data.length; o += 40_000) await w.write(data.subarray(o, o + 40_000));
  await w.close();
  await within(30_000, 'echo', got);
  return sink.bytes();
}

describe('Wisp packets', () => {
  test('round trips, little-endian fields', () => {
    const c = P.encodeConnect(0x01020304, P.STREAM_TYPE.TCP, 'ex\u00e4mple.com', 443);
    expect([...c.subarray(0, 8)]).toEqual([0x01, 0x04, 0x03, 0x02, 0x01, 0x01, 0xbb, 0x01]);
    const p = P.decodePacket(c);
    expect(p).toMatchObject({ type: P.PACKET.CONNECT, streamId: 0x01020304 });
    expect(P.decodeConnect(p.payload)).toEqual({ streamType: 1, port: 443, host: 'ex\u00e4mple.com' });
    expect(P.decodeContinue(P.decodePacket(P.encodeContinue(7, 0x11223344)).payload)).toBe(0x11223344);
    expect(P.decodeClose(P.decodePacket(P.encodeClose(7, 0x48)).payload)).toBe(0x48);
    const info = P.decodeInfo(P.decodePacket(P.encodeInfo(2, 0, [{ id: 5, data: new Uint8Array(0) }, { id: 4, data: Uint8Array.of(104, 105) }])).payload);
    expect(info.major).toBe(2);
    expect(info.extensions.map((e) => [e.id, [...e.data]])).toEqual([[5, []], [4, [104, 105]]]);
  });

  test('strict decoding: short header, CONTINUE/CLOSE sizes, non-UTF-8 host, INFO overrun', () => {
    expect(() => P.decodePacket(new Uint8Array(4))).toThrow(WispError);
    expect(() => P.decodeContinue(new Uint8Array(3))).toThrow(/exactly 4/);
    expect(() => P.decodeClose(new Uint8Array(2))).toThrow(/exactly 1/);
    expect(() => P.decodeConnect(Uint8Array.of(1, 0, 1, 0xff))).toThrow(/UTF-8/);
    expect(() => P.decodeInfo(Uint8Array.of(2, 0, 5, 9, 0, 0, 0))).toThrow(/past the end/);
  });
});

describe('wisp() through wasmtls tunnel --wisp', () => {
  for (const version of [1, 2] as const) {
    test(`v${version}: three TLS connections over one WebSocket to node:tls and wasmtls, 200 kB each echoed`, async () => {
      const relay = await wisp(tunnelUrl(), { WebSocket: WS, version });
      expect(relay.version).toBe(version);
      const conns = [
        relay.connect('127.0.0.1', nodeTlsPort, { serverName: 'localhost', ca }),
        relay.connect('localhost', nodeTlsPort, { ca }),
        relay.connect('127.0.0.1', wasmtlsPort, { serverName: 'localhost', ca }),
      ];
      expect(relay.streams).toBe(3);
      const data = conns.map((_, i) => payload(10 + i, 200_000));
      const echoed = await Promise.all(conns.map((t, i) => echo(t, data[i] as Uint8Array)));
      echoed.forEach((e, i) => expect(Buffer.compare(e, data[i] as Uint8Array)).toBe(0));
      for (const t of conns) expect((await t.opened).version).toBe('TLSv1.3');
      relay.close();
    });
  }

  test('a target off the allow list: the stream errors with CLOSE 0x48, the tunnel logs why, the WebSocket stays usable', async () => {
    const relay = await wisp(tunnelUrl(), { WebSocket: WS });
    const refused = relay.connect('127.0.0.1', 1, { serverName: 'localhost', ca });
    const err = await refused.opened.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WispError);
    expect((err as WispError).reason).toBe(0x48);
    expect(logs.some((l) => l.includes('target 127.0.0.1:1 is not allowed'))).toBe(true);
    const ok = relay.connect('127.0.0.1', wasmtlsPort, { serverName: 'localhost', ca });
    const data = payload(5, 1000);
    expect(Buffer.compare(await echo(ok, data), data)).toBe(0);
    relay.close();
  });

  test('per-connection stream limit: the ninth stream is refused with 0x49', async () => {
    const relay = await wisp(tunnelUrl(), { WebSocket: WS });
    const streams = Array.from({ length: 9 }, () => relay.open('127.0.0.1', slowPort));
    const readers = streams.map((s) => s.readable.getReader());
    const ninth = await within(5_000, 'refusal', (readers[8] as ReadableStreamDefaultReader<Uint8Array>).read().catch((e: unknown) => e));
    expect((ninth as WispError).reason).toBe(0x49);
    expect(logs.some((l) => l.includes('too many streams on this connection (8)'))).toBe(true);
    relay.close();
  });

  test('flow control through the tunnel: 2 MB to a slow target with a 4-packet window arrives whole', async () => {
    slowReceived = 0;
    const relay = await wisp(tunnelUrl(), { WebSocket: WS });
    const s = relay.open('127.0.0.1', slowPort);
    const w = s.writable.getWriter();
    const data = payload(7, 2_000_000);
    for (let o = 0; o < data.length; o += 16_384) await w.write(data.subarray(o, o + 16_384));
    const deadline = Date.now() + 20_000;
    while (slowReceived < data.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(slowReceived).toBe(data.length);
    expect(logs.some((l) => l.includes('ignores CONTINUE'))).toBe(false);
    relay.close();
  });

  test('wsproxy convention: /HOST:PORT relays one connection (connectWebSocket)', async () => {
    const tls = await connectWebSocket(`ws://127.0.0.1:${tunnel.address.port}/127.0.0.1:${nodeTlsPort}`, {
      serverName: 'localhost',
      ca,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    });
    const data = payload(9, 50_000);
    expect(Buffer.compare(await echo(tls, data), data)).toBe(0);
  });

  test('a foreign Origin is refused before the Wisp session (HTTP 403)', async () => {
    const ws = new WebSocket(tunnelUrl(), { headers: { Origin: 'https://evil.example' } });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });
});

describe('wisp() through a @mercuryworkshop/wisp-js server', () => {
  for (const version of [1, 2] as const) {
    test(`v${version}: two TLS connections to node:tls over one WebSocket, 300 kB each echoed`, async () => {
      wispJsServer.options.wisp_version = version;
      const relay = await wisp(`ws://127.0.0.1:${wispJsPort}/`, { WebSocket: WS, version: 2 });
      expect(relay.version).toBe(version);
      const conns = [0, 1].map(() => relay.connect('127.0.0.1', nodeTlsPort, { serverName: 'localhost', ca }));
      const data = conns.map((_, i) => payload(20 + i, 300_000));
      const echoed = await Promise.all(conns.map((t, i) => echo(t, data[i] as Uint8Array)));
      echoed.forEach((e, i) => expect(Buffer.compare(e, data[i] as Uint8Array)).toBe(0));
      relay.close();
    });
  }

  test('a refused connection (nothing listens) surfaces wisp-js\'s CLOSE reason', async () => {
    wispJsServer.options.wisp_version = 2;
    const port = await new Promise<number>((resolve) => {
      const s = createNetServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const relay = await wisp(`ws://127.0.0.1:${wispJsPort}/`, { WebSocket: WS });
    const err = await relay.connect('127.0.0.1', port, { serverName: 'localhost', ca }).opened.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WispError);
    expect([0x03, 0x44]).toContain((err as WispError).reason);
    relay.close();
  });
});

describe('the client honours CONTINUE (scripted relay)', () => {
  test('never more DATA packets than the window, resumes on each CONTINUE', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const events: string[] = [];
    wss.on('connection', (ws) => {
      ws.send(P.encodeContinue(0, 3));
      let sinceGrant = 0;
      let total = 0;
      ws.on('message', (m: Buffer) => {
        const p = P.decodePacket(new Uint8Array(m));
        if (p.type !== P.PACKET.DATA) return;
        sinceGrant++;
        total++;
        if (sinceGrant > 3) events.push(`overrun at packet ${total}`);
        // Grant the next window only after a pause, so a client ignoring it would overrun.
        if (sinceGrant === 3) {
          setTimeout(() => {
            sinceGrant = 0;
            events.push(`grant after ${total}`);
            ws.send(P.encodeContinue(p.streamId, 3));
          }, 30);
        }
      });
    });
    const relay = await wisp(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, { WebSocket: WS, version: 1 });
    const s = relay.open('127.0.0.1', 9);
    const w = s.writable.getWriter();
    for (let i = 0; i < 10; i++) await w.write(Uint8Array.of(i));
    expect(events).toEqual(['grant after 3', 'grant after 6', 'grant after 9']);
    relay.close();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('CLI: wasmtls tunnel --wisp, get --wisp, connect --wisp', () => {
  test('a GET to node:https and a connect echo to node:tls through the CLI tunnel', async () => {
    const https: HttpsServer = createHttpsServer({ cert: chain, key }, (_req, res) => res.end('hello through wisp\n'));
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const httpsPort = (https.address() as AddressInfo).port;
    const out = new Sink();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', (d: Buffer) => out.push(d));
    stderr.on('data', () => undefined);
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const allow = `localhost:${httpsPort},127.0.0.1:${nodeTlsPort}`;
    const status = main(['tunnel', '--port', '0', '--allow', allow, '--wisp'], { stdin: new PassThrough(), stdout, stderr }, () => stopped);
    let port = 0;
    for (let i = 0; i < 500 && port === 0; i++) {
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\/.*Wisp/.exec(out.text());
      if (m) port = Number(m[1]);
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(port).toBeGreaterThan(0);
    const relay = `ws://127.0.0.1:${port}/`;

    const body = new Sink();
    const getOut = new PassThrough();
    const getErr = new Sink();
    const getErrStream = new PassThrough();
    getOut.on('data', (d: Buffer) => body.push(d));
    getErrStream.on('data', (d: Buffer) => getErr.push(d));
    const got = await main(['get', `https://localhost:${httpsPort}/`, '--ca', FILE_IDENTITIES.p256.root, '--wisp', relay], { stdin: new PassThrough(), stdout: getOut, stderr: getErrStream });
    expect(getErr.text()).toMatch(/^200 OK$/m);
    expect(got).toBe(0);
    expect(body.text()).toBe('hello through wisp\n');

    const stdin = new PassThrough();
    const echoed = new Sink();
    const connOut = new PassThrough();
    const connErr = new Sink();
    const connErrStream = new PassThrough();
    connOut.on('data', (d: Buffer) => echoed.push(d));
    connErrStream.on('data', (d: Buffer) => connErr.push(d));
    const data = payload(31, 100_000);
    const connected = main(['connect', `127.0.0.1:${nodeTlsPort}`, '--servername', 'localhost', '--ca', FILE_IDENTITIES.p256.root, '--wisp', relay], { stdin, stdout: connOut, stderr: connErrStream });
    stdin.end(Buffer.from(data));
    expect(await within(20_000, 'connect', connected)).toBe(0);
    expect(connErr.text()).toMatch(/through Wisp v2 relay/);
    expect(Buffer.compare(echoed.bytes(), data)).toBe(0);

    stop();
    expect(await status).toBe(0);
    https.close();
  });

  test('--wisp must be a ws: or wss: URL', async () => {
    const err = new Sink();
    const stderr = new PassThrough();
    stderr.on('data', (d: Buffer) => err.push(d));
    const code = await main(['get', 'https://localhost/', '--wisp', 'http://relay/'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr });
    expect(code).not.toBe(0);
    expect(err.text()).toMatch(/--wisp: a ws: or wss: URL is required/);
  });
});
