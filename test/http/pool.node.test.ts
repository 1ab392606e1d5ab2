// ConnectionPool against node:https (keep-alive on): sequential requests
// share one TLS connection (counted by the server's secureConnection
// events), bodies compared byte for byte; `Connection: close` answers, a
// different ca, concurrent requests and a server closing idle connections
// each get a new connection; a GET on a connection the server closed while
// idle is retried once; the pool through request()'s `pool` option and
// through a Wisp relay.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { ConnectionPool } from '../../src/http/pool.js';
import { request } from '../../src/http/request.js';
import { connectTcpStreams } from '../../src/transport/tcp-streams.js';
import { wisp, type WispWebSocketConstructor } from '../../src/transport/wisp.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, payload, pems } from '../helpers/interop.js';

const { chain, key, ca } = pems(FILE_IDENTITIES.p256);
const big = payload(41, 100_000);

let server: Server;
let port: number;
let sessions = 0;
const paths: string[] = [];

beforeAll(async () => {
  server = createServer({ cert: chain, key, minVersion: 'TLSv1.3' }, (req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/close') {
      res.setHeader('Connection', 'close');
      res.end('closing');
    } else if (req.url === '/big') res.end(Buffer.from(big));
    else if (req.url === '/chunked') {
      res.write('chunk one, ');
      res.end('chunk two');
    } else res.end(`hello ${req.url}`);
  });
  server.on('secureConnection', () => sessions++);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const url = (p: string) => `https://localhost:${port}${p}`;
const opts = { ca, transport: (_h: string, p: number) => connectTcpStreams('127.0.0.1', p) };
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ConnectionPool', () => {
  test('three sequential requests, one TLS connection; Content-Length, chunked and a 100 kB body', async () => {
    const pool = new ConnectionPool();
    const before = sessions;
    const a = await pool.request(url('/a'), opts);
    const b = await pool.request(url('/chunked'), opts);
    const c = await pool.request(url('/big'), opts);
    expect([a.reused, b.reused, c.reused]).toEqual([false, true, true]);
    expect(text(a.body)).toBe('hello /a');
    expect(text(b.body)).toBe('chunk one, chunk two');
    expect(Buffer.compare(c.body, big)).toBe(0);
    expect(sessions - before).toBe(1);
    expect(pool.idleConnections).toBe(1);
    await pool.close();
    expect(pool.idleConnections).toBe(0);
  });

  test("request()'s pool option; without it, one connection per request", async () => {
    const pool = new ConnectionPool();
    const before = sessions;
    await request(url('/1'), { ...opts, pool });
    await request(url('/2'), { ...opts, pool });
    expect(sessions - before).toBe(1);
    await request(url('/3'), opts);
    await request(url('/4'), opts);
    expect(sessions - before).toBe(3);
    await pool.close();
  });

  test('Connection: close in the response: the connection is not kept', async () => {
    const pool = new ConnectionPool();
    const before = sessions;
    const a = await pool.request(url('/close'), opts);
    expect(text(a.body)).toBe('closing');
    expect(pool.idleConnections).toBe(0);
    const b = await pool.request(url('/x'), opts);
    expect(b.reused).toBe(false);
    expect(sessions - before).toBe(2);
    await pool.close();
  });

  test('another ca, or concurrent requests: separate connections', async () => {
    const pool = new ConnectionPool();
    const before = sessions;
    await pool.request(url('/a'), opts);
    const other = await pool.request(url('/a'), { ...opts, ca: [ca] });
    expect(other.reused).toBe(false);
    const both = await Promise.all([pool.request(url('/p'), opts), pool.request(url('/q'), opts)]);
    expect(both.filter((r) => r.reused).length).toBe(1);
    expect(sessions - before).toBe(3);
    await pool.close();
  });

  test('the server closes an idle connection: the next GET opens a new one (retried once if it was taken)', async () => {
    const pool = new ConnectionPool();
    const before = sessions;
    await pool.request(url('/a'), opts);
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 100));
    const b = await pool.request(url('/b'), opts);
    expect(text(b.body)).toBe('hello /b');
    expect(b.reused).toBe(false);
    expect(sessions - before).toBe(2);
    await pool.close();
  });

  test('idleTimeout closes idle connections', async () => {
    const pool = new ConnectionPool({ idleTimeout: 50 });
    await pool.request(url('/a'), opts);
    expect(pool.idleConnections).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(pool.idleConnections).toBe(0);
    await pool.close();
  });

  test('through a Wisp relay: two requests, one stream', async () => {
    const logs: string[] = [];
    const tunnel: Tunnel = await startTunnel({ allow: [`localhost:${port}`], wisp: true, log: (l) => logs.push(l) });
    const relay = await wisp(`ws://127.0.0.1:${tunnel.address.port}/`, { WebSocket: WebSocket as unknown as WispWebSocketConstructor });
    const pool = new ConnectionPool();
    const a = await pool.request(url('/w1'), { ca, transport: relay.transport });
    const b = await pool.request(url('/w2'), { ca, transport: relay.transport });
    expect([text(a.body), text(b.body), String(b.reused)]).toEqual(['hello /w1', 'hello /w2', 'true']);
    expect(logs.filter((l) => l.includes('relaying to')).length).toBe(1);
    await pool.close();
    relay.close();
    await tunnel.close();
  });

  test('bad options are errors before any connection', async () => {
    expect(() => new ConnectionPool({ maxIdlePerOrigin: 0 })).toThrow(RangeError);
    const pool = new ConnectionPool();
    await expect(pool.request('http://localhost/', opts)).rejects.toThrow(TypeError);
    await pool.close();
    await expect(pool.request(url('/a'), opts)).rejects.toThrow(/closed/);
  });
});
