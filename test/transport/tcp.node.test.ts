// The Node TCP glue over loopback: wasmtls client and server end to end,
// close_notify both ways, truncation, the handshake timeout, a bad client
// that leaves the server serving, and a clean server shutdown.
import { connect as netConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { connectTcp, createTcpServer, type TcpTlsConnection, type TcpTlsServer } from '../../src/transport/tcp.js';
import { seededBytes } from '../helpers/hex.js';
import { concatBytes, IDENTITIES } from '../helpers/tls-pair.js';
import { AT } from '../helpers/x509-fixtures.js';

const id = IDENTITIES.p256;
const servers: TcpTlsServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function echoServer(extra: Parameters<typeof createTcpServer>[0] extends infer O ? Partial<O> : never = {}): Promise<{ server: TcpTlsServer; port: number; errors: Error[] }> {
  const errors: Error[] = [];
  const server = createTcpServer({ cert: id.cert, key: id.key, ...extra }, (conn) => {
    conn.ondata = (d) => conn.write(d);
  });
  server.onerror = (e) => errors.push(e);
  servers.push(server);
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, errors };
}

function client(port: number): Promise<TcpTlsConnection> {
  return connectTcp({ host: '127.0.0.1', port, serverName: id.serverName, ca: id.ca, now: AT });
}

function collect(conn: TcpTlsConnection): Uint8Array[] {
  const got: Uint8Array[] = [];
  conn.ondata = (d) => got.push(d.slice());
  return got;
}

describe('node transport', () => {
  test('echo of 200 KB, close_notify both ways, no error anywhere', async () => {
    const { server, port, errors } = await echoServer();
    const conn = await client(port);
    expect(conn.tls.handshakeInfo?.cipherSuite).toBe('TLS_AES_128_GCM_SHA256');
    const got = collect(conn);
    const data = seededBytes(7, 200_000);
    conn.write(data);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (got.reduce((n, g) => n + g.length, 0) >= data.length) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    conn.end();
    await conn.closed;
    expect(concatBytes(got)).toEqual(data);
    expect(conn.tls.readClosed && conn.tls.writeClosed).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.connections.size).toBe(0);
    expect(errors).toEqual([]);
  });

  test('data held until ondata is set; the server closes first', async () => {
    const server = createTcpServer({ cert: id.cert, key: id.key }, (conn) => {
      conn.write(new TextEncoder().encode('early words'));
      conn.end();
    });
    servers.push(server);
    const { port } = await server.listen();
    const conn = await client(port);
    await conn.closed;
    const got = collect(conn);
    expect(new TextDecoder().decode(concatBytes(got))).toBe('early words');
  });

  test('allowHalfOpen: the server answers after the client closed its side', async () => {
    const server = createTcpServer({ cert: id.cert, key: id.key, allowHalfOpen: true }, (conn) => {
      const got: Uint8Array[] = [];
      conn.ondata = (d) => got.push(d.slice());
      conn.onend = () => {
        conn.write(new TextEncoder().encode(`you sent ${concatBytes(got).length} bytes`));
        conn.end();
      };
    });
    servers.push(server);
    const { port } = await server.listen();
    const conn = await client(port);
    const got = collect(conn);
    conn.write(new Uint8Array(12345));
    conn.end();
    await conn.closed;
    expect(new TextDecoder().decode(concatBytes(got))).toBe('you sent 12345 bytes');
  });

  test('a socket that ends without close_notify is a truncation', async () => {
    const server = createTcpServer({ cert: id.cert, key: id.key }, (conn) => {
      conn.handshake.then(() => conn.socket.end(), () => undefined);
    });
    servers.push(server);
    const { port } = await server.listen();
    const conn = await client(port);
    const err = await conn.closed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).message).toMatch(/^truncated/);
  });

  test('handshake errors reject connectTcp with the alert; the server keeps serving', async () => {
    const { port, errors } = await echoServer();
    const bad = connectTcp({ host: '127.0.0.1', port, serverName: 'wrong.example', ca: id.ca, now: AT });
    await expect(bad).rejects.toMatchObject({ alert: 'bad_certificate', message: expect.stringMatching(/hostname mismatch/) });
    // Garbage instead of a ClientHello.
    const raw = netConnect({ host: '127.0.0.1', port });
    sockets.push(raw);
    raw.on('error', () => undefined);
    raw.resume(); // read, so the socket sees the server's FIN
    raw.write('GET / HTTP/1.1\r\n\r\n');
    await new Promise((r) => raw.on('close', r));
    const ok = await client(port);
    ok.end();
    await ok.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((e) => `${(e as TlsError).side} ${(e as TlsError).alert}`)).toEqual(['remote bad_certificate', 'local unexpected_message']);
  });

  test('the handshake timeout drops a silent client', async () => {
    const { port, errors } = await echoServer({ handshakeTimeout: 100 });
    const raw = netConnect({ host: '127.0.0.1', port });
    sockets.push(raw);
    raw.on('error', () => undefined);
    raw.resume(); // read, so the socket sees the server's FIN
    await new Promise((r) => raw.on('close', r));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['ETIMEDOUT']);
    expect(errors.map((e) => (e as { reason?: string }).reason)).toEqual(['timeout']);
  });

  test('server.close() sends close_notify to connected clients and drops handshaking ones', async () => {
    const { server, port } = await echoServer();
    const conn = await client(port);
    let ended = false;
    conn.onend = () => {
      ended = true;
    };
    const raw = netConnect({ host: '127.0.0.1', port });
    sockets.push(raw);
    raw.on('error', () => undefined);
    raw.resume(); // read, so the socket sees the server's FIN
    await new Promise((r) => raw.on('connect', r));
    await new Promise((r) => setTimeout(r, 20));
    await server.close(1000);
    await conn.closed;
    expect(ended).toBe(true);
    expect(server.connections.size).toBe(0);
    expect(server.server.listening).toBe(false);
  });

  test('bad configuration throws at creation', () => {
    expect(() => createTcpServer({ cert: id.cert, key: IDENTITIES.ed25519.key }, () => undefined)).toThrow(/does not belong/);
    expect(() => createTcpServer({ cert: id.cert, key: id.key, handshakeTimeout: -1 }, () => undefined)).toThrow(RangeError);
  });
});
