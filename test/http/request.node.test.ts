// request() against `wasmtls serve --www` (Content-Length), openssl s_server
// -www (read to close), and a small TLS server in this file answering
// chunked, interim, malformed, oversized and truncated responses; through
// TCP and through the WebSocket tunnel.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../../src/cli/main.js';
import { TlsError } from '../../src/errors.js';
import { HttpError, request } from '../../src/http/node.js';
import { request as rootRequest } from '../../src/index.js';
import { createTcpServer, type TcpTlsConnection, type TcpTlsServer } from '../../src/transport/tcp.js';
import { tunnelTransport, type WebSocketConstructor } from '../../src/transport/websocket.js';
import { startTunnel, type Tunnel } from '../../src/tunnel/server.js';
import { FILE_IDENTITIES, killAll, pems, Sink, startListening, within } from '../helpers/interop.js';

const p256 = FILE_IDENTITIES.p256;
const { chain, key, ca } = pems(p256);
const enc = (s: string) => new TextEncoder().encode(s);

/** Canned answers by request path; each writes raw bytes and then closes its way. */
const ANSWERS: Record<string, (c: TcpTlsConnection) => void> = {
  '/chunked': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n5\r\nhello\r\n'));
    c.write(enc('7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n'));
    c.end();
  },
  '/interim': (c) => {
    c.write(enc('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok'));
    c.end();
  },
  '/cl-then-junk': (c) => {
    // The body is complete at 3 bytes; what follows is ignored and the client closes.
    c.write(enc('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef'));
  },
  '/close': (c) => {
    c.write(enc('HTTP/1.0 200 OK\r\n\r\nuntil close'));
    c.end();
  },
  '/close-truncated': (c) => {
    c.write(enc('HTTP/1.0 200 OK\r\n\r\npartial'));
    setTimeout(() => c.socket.end(), 20);
  },
  '/cl-truncated': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b'));
    c.end();
  },
  '/bad-status': (c) => {
    c.write(enc('HTTP/1.1 2000 OK\r\n\r\n'));
    c.end();
  },
  '/both': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
    c.end();
  },
  '/folded': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n'));
    c.end();
  },
  '/bad-chunk': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    c.end();
  },
  '/bad-length': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx'));
    c.end();
  },
  '/big-head': (c) => {
    c.write(enc(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`));
    c.end();
  },
  '/big-body': (c) => {
    c.write(enc('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n'));
    c.write(new Uint8Array(5000));
    c.end();
  },
  '/silent': () => undefined,
  '/echo': (c) => {
    // Answered from the request itself (method, headers, body) by the handler below.
    void c;
  },
};

let custom: TcpTlsServer;
let customPort: number;
let opensslPort: number;
let tunnel: Tunnel;
let stopServe: () => void;
let servePort: number;
let serveStatus: Promise<number>;

beforeAll(async () => {
  custom = createTcpServer({ cert: chain, key }, (conn) => {
    let head = '';
    conn.onend = () => undefined;
    conn.ondata = (d) => {
      head += Buffer.from(d).toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const path = head.split(' ')[1] ?? '';
      if (path === '/echo') {
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (head.length < end + 4 + length) return;
        const body = enc(head);
        conn.write(enc(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`));
        conn.write(body);
        conn.end();
        return;
      }
      conn.ondata = () => undefined;
      (ANSWERS[path] ?? ((c) => c.end()))(conn);
    };
  });
  custom.onerror = () => undefined;
  customPort = (await custom.listen(0, '127.0.0.1')).port;
  opensslPort = (await startListening((port) => ['s_server', '-tls1_3', '-www', '-accept', `127.0.0.1:${port}`, '-cert', p256.leaf, '-cert_chain', p256.intermediate, '-key', p256.key])).port;
  tunnel = await startTunnel({ allow: [`localhost:${customPort}`] });

  const out = new Sink();
  const stdout = new PassThrough();
  stdout.on('data', out.push);
  const stopped = new Promise<void>((r) => {
    stopServe = r;
  });
  const dir = mkdtempSync(join(tmpdir(), 'wasmtls-test-'));
  writeFileSync(join(dir, 'fullchain.pem'), chain);
  serveStatus = main(['serve', '--www', '--port', '0', '--cert', join(dir, 'fullchain.pem'), '--key', p256.key], { stdin: new PassThrough(), stdout, stderr: new PassThrough() }, () => stopped);
  for (let i = 0; i < 500 && servePort === undefined; i++) {
    const m = /listening on [^\n]*:(\d+)\n/.exec(out.text());
    if (m) servePort = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 10));
  }
});

afterAll(async () => {
  stopServe?.();
  await serveStatus;
  await tunnel?.close();
  await custom?.close(0);
  killAll();
});

const at = (path: string) => `https://localhost:${customPort}${path}`;

describe('request() over TCP', () => {
  test('wasmtls serve --www: status, headers, Content-Length body', async () => {
    const res = await within(10_000, 'GET', request(`https://localhost:${servePort}/`, { ca }));
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('OK');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(new TextDecoder().decode(res.body)).toMatch(/<th>Protocol<\/th><td>TLSv1\.3<\/td>/);
    expect(res.tls.alpn).toBeUndefined();
  });

  test('openssl s_server -www: HTTP/1.0, body read to close_notify', async () => {
    const res = await within(10_000, 'GET', request(`https://127.0.0.1:${opensslPort}/`, { ca, serverName: 'localhost' }));
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toMatch(/TLSv1\.3/);
    expect(res.headers['content-length']).toBeUndefined();
  });

  test('chunked body with extensions and trailers; repeated fields joined', async () => {
    const res = await request(at('/chunked'), { ca });
    expect(new TextDecoder().decode(res.body)).toBe('hello, world');
    expect(res.headers['x-a']).toBe('1, 2');
    expect(res.rawHeaders).toEqual([
      ['Transfer-Encoding', 'chunked'],
      ['X-A', '1'],
      ['X-A', '2'],
    ]);
  });

  test('a 100 Continue is skipped; Content-Length ends the body even if more follows', async () => {
    const r1 = await request(at('/interim'), { ca });
    expect(r1.status).toBe(201);
    expect(new TextDecoder().decode(r1.body)).toBe('ok');
    const r2 = await request(at('/cl-then-junk'), { ca });
    expect(new TextDecoder().decode(r2.body)).toBe('abc');
  });

  test('read to close: clean with close_notify, a TlsError truncation without', async () => {
    expect(new TextDecoder().decode((await request(at('/close'), { ca })).body)).toBe('until close');
    const e = await request(at('/close-truncated'), { ca }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TlsError);
    expect((e as TlsError).message).toMatch(/^truncated/);
  });

  test('method, headers and body are sent as given', async () => {
    const res = await request(at('/echo'), { ca, method: 'POST', headers: [['X-Test', 'yes']], body: 'payload' });
    const seen = new TextDecoder().decode(res.body);
    expect(seen).toMatch(/^POST \/echo HTTP\/1\.1\r\nHost: localhost:\d+\r\nX-Test: yes\r\nConnection: close\r\nContent-Length: 7\r\n\r\npayload$/);
  });

  test.each([
    ['/cl-truncated', 'truncated'],
    ['/bad-status', 'malformed'],
    ['/both', 'malformed'],
    ['/folded', 'malformed'],
    ['/bad-chunk', 'malformed'],
    ['/bad-length', 'malformed'],
    ['/big-head', 'too_large'],
    ['/big-body', 'too_large'],
  ])('%s is an HttpError %s', async (path, code) => {
    const e = await request(at(path), { ca, maxBodySize: 4096 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).code).toBe(code);
  });

  test('a server that never answers: HttpError timeout', async () => {
    const e = await request(at('/silent'), { ca, timeout: 300 }).catch((x: unknown) => x);
    expect((e as HttpError).code).toBe('timeout');
  });

  test('TLS failures are TlsErrors; API misuse is a TypeError', async () => {
    await expect(request(at('/chunked'), { ca: pems(FILE_IDENTITIES.rsa2048).ca })).rejects.toBeInstanceOf(TlsError);
    await expect(request(`http://localhost:${customPort}/`, { ca })).rejects.toThrow(TypeError);
    await expect(request(at('/'), { ca, headers: { 'Bad Name': 'x' } })).rejects.toThrow(TypeError);
    await expect(request(at('/'), { ca, headers: { 'X-A': 'a\r\nInjected: 1' } })).rejects.toThrow(TypeError);
    await expect(request(at('/'), { ca, headers: { 'Content-Length': '1' } })).rejects.toThrow(TypeError);
    await expect(rootRequest(at('/'), { ca } as never)).rejects.toThrow(/transport/);
    await expect(request(`https://127.0.0.1:1/`, { ca })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('request() through the WebSocket tunnel', () => {
  test('chunked GET through the tunnel; refused targets fail', async () => {
    const transport = tunnelTransport(`ws://127.0.0.1:${tunnel.address.port}/`, { WebSocket: WebSocket as unknown as WebSocketConstructor });
    const res = await within(10_000, 'GET', rootRequest(at('/chunked'), { ca, transport }));
    expect(new TextDecoder().decode(res.body)).toBe('hello, world');
    const e = await rootRequest(`https://127.0.0.1:${customPort}/chunked`, { ca, serverName: 'localhost', transport }).catch((x: unknown) => x);
    expect((e as { code?: number }).code).toBe(4403);
  });
});
