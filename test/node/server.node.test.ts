// wasmtls/node's createServer(): node:tls clients against it, the handshake
// timeout, maxConnections and the handshake cap refusing the excess,
// close()/getConnections(), and no handle left behind.
import { connect as netConnect, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { connect, createServer, DEFAULT_MAX_HANDSHAKES, type DropInfo, type Server, type TLSSocket } from '../../src/node/index.js';
import { cleanup, closed, listen, liveHandles, next, P256, readAll, track } from './fixtures.js';

afterEach(cleanup);

function echo(options: Partial<Parameters<typeof createServer>[0]> = {}): Server {
  return track(
    createServer({ cert: P256.chain, key: P256.key, ...options }, (s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    }),
  );
}

function rawClient(port: number): Promise<Socket> {
  const s = track(netConnect({ host: '127.0.0.1', port }));
  s.resume(); // reads (and drops) what the server sends, so its FIN is seen
  return next(s, 'connect').then(() => s);
}

/** A wasmtls client that completed its handshake. */
async function secureClient(port: number): Promise<TLSSocket> {
  const c = track(connect({ host: 'localhost', port, ca: P256.ca }));
  await next(c, 'secureConnect');
  return c;
}

/** Polls until `cond()` or rejects after `ms`. */
async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('createServer()', () => {
  test('node:tls client: handshake, ALPN chosen by the server, echo, server-side TLSSocket properties', async () => {
    const server = echo({ ALPNProtocols: ['http/1.1', 'h2'] });
    const secure = next<[TLSSocket]>(server, 'secureConnection');
    const port = await listen(server);
    const c = track(tls.connect({ host: 'localhost', servername: 'localhost', port, ca: P256.ca, ALPNProtocols: ['h2', 'http/1.1'] }));
    await next(c, 'secureConnect');
    expect(c.authorized).toBe(true);
    expect(c.getProtocol()).toBe('TLSv1.3');
    expect(c.alpnProtocol).toBe('http/1.1');
    const [s] = await secure;
    expect(s.alpnProtocol).toBe('http/1.1');
    expect(s.servername).toBe('localhost');
    expect(s.authorized).toBe(false); // no client certificate asked for, as node:tls without requestCert
    expect(s.remoteAddress).toBe('127.0.0.1');
    expect(s.remotePort).toBe(c.localPort);
    expect(s.getCipher()?.name).toBe(c.getCipher().name);
    const body = readAll(c);
    c.end('node:tls to wasmtls');
    expect(await body).toBe('node:tls to wasmtls');
  });

  test('ALPN with no protocol in common: no_application_protocol, reported on both sides', async () => {
    const server = echo({ ALPNProtocols: ['h2'] });
    const serverError = next<[Error]>(server, 'tlsClientError');
    const port = await listen(server);
    const c = track(connect({ host: 'localhost', port, ca: P256.ca, ALPNProtocols: ['http/1.1'] }));
    const [err] = await next<[TlsError]>(c, 'error');
    expect(err).toBeInstanceOf(TlsError);
    expect(err.alert).toBe('no_application_protocol');
    const [e] = await serverError;
    expect((e as TlsError).alert).toBe('no_application_protocol');
    expect((e as TlsError).side).toBe('local');
  });

  test('a client speaking garbage: tlsClientError with a TlsError, the server keeps serving', async () => {
    const server = echo();
    const port = await listen(server);
    const errors = next<[Error, TLSSocket]>(server, 'tlsClientError');
    const raw = await rawClient(port);
    raw.write('GET / HTTP/1.1\r\n\r\n');
    const [err, socket] = await errors;
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).alert).toMatch(/^(decode_error|unexpected_message|protocol_version|record_overflow|illegal_parameter)$/);
    expect(socket.destroyed).toBe(true);
    await closed(raw);
    const c = await secureClient(port);
    c.end('still here');
    expect(await readAll(c)).toBe('still here');
  });

  test('handshakeTimeout: a silent client is dropped and tlsClientError has ERR_TLS_HANDSHAKE_TIMEOUT', async () => {
    const server = echo({ handshakeTimeout: 150 });
    const port = await listen(server);
    const t0 = Date.now();
    const errors = next<[Error & { code?: string }, TLSSocket]>(server, 'tlsClientError');
    const raw = await rawClient(port);
    const [err] = await errors;
    expect(err.code).toBe('ERR_TLS_HANDSHAKE_TIMEOUT');
    expect([(err as { reason?: string }).reason, (err as { nodeCode?: string }).nodeCode]).toEqual(['timeout', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await closed(raw);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(server.handshakesInProgress).toBe(0);
  });

  test('handshakeTimeout does not touch connections that finished their handshake', async () => {
    // 1 s: far above a loopback handshake (milliseconds) even on a loaded machine.
    const server = echo({ handshakeTimeout: 1_000 });
    const port = await listen(server);
    let clientErrors = 0;
    server.on('tlsClientError', () => clientErrors++);
    const t0 = Date.now();
    const serverSide = next<[TLSSocket]>(server, 'secureConnection');
    const c = await secureClient(port);
    const failures: Error[] = [];
    c.on('error', (e: Error) => failures.push(e));
    await serverSide;
    await new Promise((r) => setTimeout(r, Math.max(0, 1_300 - (Date.now() - t0))));
    c.end('after the timeout');
    expect(await readAll(c)).toBe('after the timeout');
    expect(clientErrors).toBe(0);
    expect(failures).toEqual([]);
  });

  test('maxConnections: the excess connection is closed at once and counted', async () => {
    const server = echo({ maxConnections: 1 });
    const port = await listen(server);
    const first = await secureClient(port);
    const drops: DropInfo[] = [];
    server.on('drop', (d: DropInfo) => drops.push(d));
    const second = await rawClient(port);
    expect(await closed(second, 2_000)).toBeLessThan(2_000);
    expect(server.dropped.maxConnections).toBe(1);
    expect(drops.map((d) => d.reason)).toEqual(['maxConnections']);
    first.end('first still served');
    expect(await readAll(first)).toBe('first still served');
  });

  test('maxHandshakes: connections beyond the cap of handshakes in progress are refused, counted, and service resumes', async () => {
    expect(DEFAULT_MAX_HANDSHAKES).toBeGreaterThan(0);
    const server = echo({ maxHandshakes: 2 });
    const port = await listen(server);
    const drops: DropInfo[] = [];
    server.on('drop', (d: DropInfo) => drops.push(d));
    const stalled = [await rawClient(port), await rawClient(port)];
    await until(() => server.handshakesInProgress === 2, 'two handshakes in progress');
    const refused = await rawClient(port);
    const refusedPort = refused.localPort;
    expect(await closed(refused, 2_000)).toBeLessThan(2_000);
    expect(server.dropped.maxHandshakes).toBe(1);
    expect(drops).toHaveLength(1);
    expect(drops[0]?.reason).toBe('maxHandshakes');
    expect(drops[0]?.remotePort).toBe(refusedPort);
    // The stalled ones go away; a real client gets in again.
    for (const s of stalled) s.destroy();
    await until(() => server.handshakesInProgress === 0, 'the stalled handshakes released');
    const c = await secureClient(port);
    c.end('served again');
    expect(await readAll(c)).toBe('served again');
  });

  test('getConnections() counts open connections; close(cb) waits for them; no handle is left', async () => {
    const before = liveHandles().length;
    const server = createServer({ cert: P256.chain, key: P256.key }, (s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    const port = await new Promise<number>((resolve) => {
      server.listen({ port: 0, host: '127.0.0.1' }, () => resolve((server.address() as { port: number }).port));
    });
    expect(server.listening).toBe(true);
    const a = await secureClient(port);
    const b = await secureClient(port);
    const count = await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    expect(count).toBe(2);
    let closedCalled = false;
    const serverClosed = new Promise<void>((resolve) =>
      server.close(() => {
        closedCalled = true;
        resolve();
      }),
    );
    expect(server.listening).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(closedCalled).toBe(false);
    a.end();
    b.end();
    await Promise.all([readAll(a), readAll(b)]);
    await Promise.all([next(a, 'close'), next(b, 'close')]);
    await serverClosed;
    await until(() => liveHandles().length <= before, `handles left: ${liveHandles().join(', ')}`, 3_000);
    expect(liveHandles().length).toBeLessThanOrEqual(before);
  });

  test('closeAllConnections(): close_notify to connected clients, destroy for handshaking ones; close resolves', async () => {
    const before = liveHandles().length;
    const server = echo();
    const port = await listen(server);
    const c = await secureClient(port);
    const ended = readAll(c);
    const raw = await rawClient(port);
    await until(() => server.handshakesInProgress === 1, 'one handshake in progress');
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    expect(await ended).toBe('');
    await closed(raw);
    await done;
    await next(c, 'close').catch(() => undefined);
    await until(() => liveHandles().length <= before, `handles left: ${liveHandles().join(', ')}`, 3_000);
  });

  test('50 concurrent clients: every echo intact, no client error, the handshake count back to 0', async () => {
    const server = echo();
    const port = await listen(server);
    const errors: Error[] = [];
    server.on('tlsClientError', (e: Error) => errors.push(e));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const c = track(connect({ host: 'localhost', port, ca: P256.ca }));
        const body = readAll(c, 20_000);
        c.end(`client ${i} `.repeat(100));
        return body.then((text) => text === `client ${i} `.repeat(100));
      }),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(errors).toEqual([]);
    expect(server.handshakesInProgress).toBe(0);
    expect(server.dropped).toEqual({ maxConnections: 0, maxHandshakes: 0 });
  });

  test('cert, key and ca as Buffers (PEM), as node:tls takes them', async () => {
    const server = track(createServer({ cert: Buffer.from(P256.chain), key: Buffer.from(P256.key) }, (s) => s.end('buffers')));
    const port = await listen(server);
    const c = track(connect({ host: 'localhost', port, ca: [Buffer.from(P256.ca)] }));
    expect(await readAll(c)).toBe('buffers');
    expect(c.authorized).toBe(true);
  });

  test('bad configuration throws at createServer(), typed', () => {
    expect(() => createServer({ cert: 'nonsense', key: P256.key })).toThrow(TypeError);
    expect(() => createServer({ cert: P256.chain, key: 'nonsense' })).toThrow(TypeError);
    expect(() => createServer({ cert: P256.chain, key: P256.key, maxHandshakes: -1 })).toThrow(RangeError);
    expect(() => createServer({ cert: P256.chain, key: P256.key, handshakeTimeout: 1.5 })).toThrow(RangeError);
    expect(() => createServer({ cert: P256.chain, key: P256.key, maxConnections: 0 })).toThrow(RangeError);
    expect(() => createServer({ cert: P256.chain, key: P256.key, ALPNProtocols: [7 as unknown as string] })).toThrow(TypeError);
  });

  test("'keylog' events carry NSS key log lines with the server-side socket", async () => {
    const server = echo();
    const lines: string[] = [];
    let socketSeen = false;
    server.on('keylog', (line: Buffer, s: TLSSocket) => {
      lines.push(line.toString('latin1'));
      socketSeen ||= s !== undefined;
    });
    const port = await listen(server);
    const c = await secureClient(port);
    c.end();
    await readAll(c);
    expect(socketSeen).toBe(true);
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
    expect(lines.every((l) => /^[A-Z_0]+ [0-9a-f]{64} [0-9a-f]+\n$/.test(l))).toBe(true);
  });
});
