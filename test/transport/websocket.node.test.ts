// connectWebSocket through the tunnel (started here on port 0) to a wasmtls
// server and to openssl s_server, with ws as the WebSocket; the tunnel's
// refusals (not allowed, malformed, unreachable, text, oversized, foreign
// Origin) and the `wasmtls tunnel` command.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../../src/cli/main.js';
import { TlsError } from '../../src/errors.js';
import { createTcpServer, type TcpTlsServer } from '../../src/transport/tcp.js';
import type { TlsStream } from '../../src/transport/streams.js';
import { connectWebSocket, tunnelUrl, type WebSocketConstructor, WebSocketClosedError } from '../../src/transport/websocket.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, freePort, killAll, payload, pems, Sink, startListening, within } from '../helpers/interop.js';

const WS = WebSocket as unknown as WebSocketConstructor;
const p256 = FILE_IDENTITIES.p256;
const { chain, key, ca } = pems(p256);

let server: TcpTlsServer;
let serverPort: number;
let opensslPort: number;
let tunnel: Tunnel;
const logs: string[] = [];
let unreachablePort: number;

beforeAll(async () => {
  server = createTcpServer({ cert: chain, key }, (conn) => {
    conn.ondata = (d) => conn.write(d);
    conn.onend = () => conn.end();
  });
  serverPort = (await server.listen(0, '127.0.0.1')).port;
  const openssl = await startListening((port) => ['s_server', '-tls1_3', '-www', '-accept', `127.0.0.1:${port}`, '-cert', p256.leaf, '-cert_chain', p256.intermediate, '-key', p256.key]);
  opensslPort = openssl.port;
  unreachablePort = await freePort();
  tunnel = await startTunnel({
    allow: [`127.0.0.1:${serverPort}`, `127.0.0.1:${opensslPort}`, `LOCALHOST:${serverPort}`, `127.0.0.1:${unreachablePort}`],
    maxMessageSize: 64 * 1024,
    log: (l) => logs.push(l),
  });
});

afterAll(async () => {
  await tunnel?.close();
  await server?.close(0);
  killAll();
});

const url = () => `ws://127.0.0.1:${tunnel.address.port}/`;

async function readAll(tls: TlsStream): Promise<Uint8Array> {
  const sink = new Sink();
  for await (const c of tls.readable as unknown as AsyncIterable<Uint8Array>) sink.push(c);
  return sink.bytes();
}

describe('connectWebSocket through the tunnel', () => {
  test('to a wasmtls server: handshake, 300 kB echoed, clean close on both sides', async () => {
    const tls = await connectWebSocket(url(), { target: `127.0.0.1:${serverPort}`, serverName: 'localhost', ca, WebSocket: WS });
    const info = await within(10_000, 'handshake', tls.opened);
    expect(info.version).toBe('TLSv1.3');
    expect(info.peerCertificates[0]?.subject.text).toMatch(/localhost/);
    const data = payload(3, 300_000);
    const w = tls.writable.getWriter();
    const got = readAll(tls);
    for (let o = 0; o < data.length; o += 50_000) await w.write(data.subarray(o, o + 50_000));
    await w.close();
    const echoed = await within(20_000, 'echo', got);
    expect(Buffer.compare(echoed, data)).toBe(0);
    await expect(within(10_000, 'closed', tls.closed)).resolves.toBeUndefined();
  });

  test('serverName defaults to the target host', async () => {
    const tls = await connectWebSocket(url(), { target: `localhost:${serverPort}`, ca, WebSocket: WS });
    const info = await within(10_000, 'handshake', tls.opened);
    expect(info.serverName).toBe('localhost');
    await tls.close();
  });

  test('to openssl s_server -www: an HTTP GET answered through the tunnel', async () => {
    const tls = await connectWebSocket(url(), { target: `127.0.0.1:${opensslPort}`, serverName: 'localhost', ca, WebSocket: WS });
    const w = tls.writable.getWriter();
    await w.write(new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n'));
    const text = Buffer.from(await within(10_000, 'response', readAll(tls))).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.0 200 ok/);
    expect(text).toMatch(/TLSv1\.3/);
    await w.close().catch(() => undefined);
    await within(10_000, 'closed', tls.closed);
  });

  test('a target not on the allow list is refused with 4403 and a logged reason', async () => {
    const other = `127.0.0.1:${serverPort + 1 === opensslPort ? serverPort + 2 : serverPort + 1}`;
    const tls = await connectWebSocket(url(), { target: other, serverName: 'localhost', ca, WebSocket: WS });
    const e = await tls.opened.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WebSocketClosedError);
    expect((e as WebSocketClosedError).code).toBe(4403);
    expect((e as WebSocketClosedError).reason).toMatch(/not allowed/);
    await expect(tls.closed).rejects.toBe(e);
    expect(logs.some((l) => l.includes(`refused: target ${other} is not allowed`))).toBe(true);
  });

  test('a missing or malformed target is refused with 4400', async () => {
    for (const u of [url(), `${url()}?target=nonsense`, `${url()}?target=127.0.0.1:99999`]) {
      const e = await connectWebSocket(u, { serverName: 'localhost', ca, WebSocket: WS }).then((t) => t.opened).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WebSocketClosedError);
      expect((e as WebSocketClosedError).code).toBe(4400);
    }
  });

  test('an allowed target that refuses TCP closes with 1011', async () => {
    const tls = await connectWebSocket(url(), { target: `127.0.0.1:${unreachablePort}`, serverName: 'localhost', ca, WebSocket: WS });
    const e = await tls.opened.catch((x: unknown) => x);
    expect((e as WebSocketClosedError).code).toBe(1011);
    expect((e as WebSocketClosedError).reason).toMatch(/ECONNREFUSED/);
  });

  test('text messages (1003) and oversized messages (1009) close the WebSocket', async () => {
    const target = `127.0.0.1:${serverPort}`;
    for (const [send, code] of [
      [(ws: WebSocket) => ws.send('hello'), 1003],
      [(ws: WebSocket) => ws.send(new Uint8Array(64 * 1024 + 1)), 1009],
    ] as const) {
      const ws = new WebSocket(tunnelUrl(url(), target));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => ws.once('close', resolve));
      ws.on('error', () => undefined);
      send(ws);
      expect(await within(5_000, 'close', closed)).toBe(code);
    }
  });

  test('a TLS failure through the tunnel is a TlsError (wrong CA)', async () => {
    const tls = await connectWebSocket(url(), { target: `127.0.0.1:${serverPort}`, serverName: 'localhost', ca: pems(FILE_IDENTITIES.rsa2048).ca, WebSocket: WS });
    const e = await tls.opened.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TlsError);
    expect((e as TlsError).side).toBe('local');
  });

  test('the tunnel refuses to start without an allow list; bad URLs are TypeErrors', async () => {
    await expect(startTunnel({ allow: [] })).rejects.toThrow(TypeError);
    await expect(startTunnel({ allow: ['nohost'] })).rejects.toThrow(TypeError);
    await expect(connectWebSocket('http://127.0.0.1/', { target: '127.0.0.1:1', ca, WebSocket: WS })).rejects.toThrow(TypeError);
    await expect(connectWebSocket(url(), { ca, WebSocket: WS })).rejects.toThrow(/serverName/);
    // Bad TLS options are refused before a WebSocket is opened: no connection reaches the tunnel.
    const before = logs.length;
    await expect(connectWebSocket(url(), { target: `127.0.0.1:${serverPort}`, ca, groups: [], WebSocket: WS })).rejects.toThrow(RangeError);
    await expect(connectWebSocket('ws://127.0.0.1:1/', { target: '127.0.0.1:1', ca, WebSocket: WS })).rejects.toBeInstanceOf(WebSocketClosedError);
    expect(logs.length).toBe(before);
  });
});

/** Opens a WebSocket to `wsUrl` sending `origin` (none when undefined): 101 when it opened (then closed), else the HTTP status refusing it. */
async function upgradeStatus(wsUrl: string, origin: string | undefined): Promise<number> {
  const ws = new WebSocket(wsUrl, origin === undefined ? {} : { origin });
  const status = await within(
    5_000,
    'upgrade',
    new Promise<number>((resolve, reject) => {
      ws.once('open', () => resolve(101));
      ws.once('error', (e) => {
        const m = /Unexpected server response: (\d+)/.exec(e.message);
        if (m) resolve(Number(m[1]));
        else reject(e);
      });
    }),
  );
  if (ws.readyState !== WebSocket.CLOSED) {
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await within(5_000, 'close', closed);
  }
  return status;
}

describe('Origin check', () => {
  test('default: loopback pages and clients without Origin pass, other origins get HTTP 403 and a logged reason', async () => {
    const u = tunnelUrl(url(), `127.0.0.1:${serverPort}`);
    for (const origin of [undefined, 'http://127.0.0.1:5173', 'http://localhost:8000', 'https://LOCALHOST', 'http://[::1]:3000']) {
      expect(await upgradeStatus(u, origin), String(origin)).toBe(101);
    }
    for (const origin of ['https://evil.example', 'http://127.0.0.2:80', 'http://localhost.evil.example', 'null', 'file:///tmp/x.html', 'ftp://127.0.0.1']) {
      expect(await upgradeStatus(u, origin), origin).toBe(403);
    }
    expect(logs.some((l) => /refused: Origin https:\/\/evil\.example is not a loopback page .*\(HTTP 403\)/.test(l))).toBe(true);
    expect(logs.some((l) => l.includes('refused: malformed Origin "null"'))).toBe(true);
    expect(logs).toContain('origins: loopback pages only (http(s)://127.0.0.1, localhost, [::1]) and clients sending no Origin');
  });

  test('origins: only the listed ones pass (normalized), loopback is then not implicit; bad lists are TypeErrors', async () => {
    const own: string[] = [];
    const t = await startTunnel({ allow: [`127.0.0.1:${serverPort}`], origins: ['https://app.example', 'http://127.0.0.1:8000/'], log: (l) => own.push(l) });
    try {
      const u = tunnelUrl(`ws://127.0.0.1:${t.address.port}/`, `127.0.0.1:${serverPort}`);
      for (const origin of [undefined, 'https://app.example', 'HTTPS://App.Example:443', 'http://127.0.0.1:8000']) expect(await upgradeStatus(u, origin), String(origin)).toBe(101);
      for (const origin of ['http://app.example', 'https://app.example:8443', 'https://app.example.evil', 'http://127.0.0.1:8001', 'http://localhost:8000']) {
        expect(await upgradeStatus(u, origin), origin).toBe(403);
      }
      expect(own.some((l) => l.includes('refused: Origin https://app.example.evil is not allowed (HTTP 403)'))).toBe(true);
      expect(own).toContain('origins: https://app.example, http://127.0.0.1:8000 and clients sending no Origin');
    } finally {
      await t.close();
    }
    for (const origins of [[], ['app.example'], ['https://app.example/path'], ['null'], ['https://user@app.example']]) {
      await expect(startTunnel({ allow: [`127.0.0.1:${serverPort}`], origins }), JSON.stringify(origins)).rejects.toThrow(TypeError);
    }
  });
});

describe('wasmtls tunnel', () => {
  test('relays to an allowed target, refuses the others, stops on the signal', async () => {
    const out = new Sink();
    const err = new Sink();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', out.push);
    stderr.on('data', err.push);
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const status = main(['tunnel', '--port', '0', '--allow', `127.0.0.1:${serverPort}`], { stdin: new PassThrough(), stdout, stderr }, () => stopped);
    let port = 0;
    for (let i = 0; i < 500 && port === 0; i++) {
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(out.text());
      if (m) port = Number(m[1]);
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(port).toBeGreaterThan(0);
    const tls = await connectWebSocket(`ws://127.0.0.1:${port}/`, { target: `127.0.0.1:${serverPort}`, serverName: 'localhost', ca, WebSocket: WS });
    await within(10_000, 'handshake', tls.opened);
    await tls.close();
    const refused = await connectWebSocket(`ws://127.0.0.1:${port}/`, { target: `127.0.0.1:${opensslPort}`, serverName: 'localhost', ca, WebSocket: WS });
    expect(((await refused.opened.catch((x: unknown) => x)) as WebSocketClosedError).code).toBe(4403);
    stop();
    expect(await status).toBe(0);
    expect(err.text()).toMatch(/refused: target 127\.0\.0\.1:\d+ is not allowed/);
  });

  test('--origin restricts the pages allowed: others get HTTP 403', async () => {
    const err = new Sink();
    const out = new Sink();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', out.push);
    stderr.on('data', err.push);
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const argv = ['tunnel', '--port', '0', '--allow', `127.0.0.1:${serverPort}`, '--origin', 'https://a.example,https://b.example', '--origin', 'http://127.0.0.1:9'];
    const status = main(argv, { stdin: new PassThrough(), stdout, stderr }, () => stopped);
    let port = 0;
    for (let i = 0; i < 500 && port === 0; i++) {
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(out.text());
      if (m) port = Number(m[1]);
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(port).toBeGreaterThan(0);
    const u = tunnelUrl(`ws://127.0.0.1:${port}/`, `127.0.0.1:${serverPort}`);
    expect(await upgradeStatus(u, 'https://b.example')).toBe(101);
    expect(await upgradeStatus(u, 'http://127.0.0.1:9')).toBe(101);
    expect(await upgradeStatus(u, 'http://localhost:5173')).toBe(403);
    stop();
    expect(await status).toBe(0);
    expect(err.text()).toMatch(/refused: Origin http:\/\/localhost:5173 is not allowed \(HTTP 403\)/);
  });

  test('usage errors: no --allow, no --port, a malformed target', async () => {
    for (const argv of [
      ['tunnel', '--port', '0'],
      ['tunnel', '--allow', '127.0.0.1:1'],
      ['tunnel', '--port', '0', '--allow', 'x'],
      ['tunnel', '--port', '0', '--allow', '127.0.0.1:1', '--origin', 'app.example'],
      ['tunnel', '--port', '0', '--allow', '127.0.0.1:1', '--origin', 'https://app.example/x'],
    ]) {
      const err = new Sink();
      const stderr = new PassThrough();
      stderr.on('data', err.push);
      expect(await main(argv, { stdin: new PassThrough(), stdout: new PassThrough(), stderr }, () => Promise.resolve())).toBe(2);
      expect(err.text()).toMatch(/^error: /);
    }
  });
});
