// startTls/acceptTls over in-memory WHATWG stream pipes (Node and Chromium):
// data both ways, close_notify both ways, close(), truncation, handshake
// failure, back-pressure, API misuse.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { acceptTls, startTls, type TlsStream, type TlsTransport } from '../../src/transport/streams.js';
import { IDENTITIES } from '../helpers/tls-pair.js';

const id = IDENTITIES.p256;

/** One direction of a pipe, counting the bytes that went through it. */
function counted(): { pipe: TransformStream<Uint8Array, Uint8Array>; bytes: () => number } {
  let n = 0;
  const pipe = new TransformStream<Uint8Array, Uint8Array>(
    {
      transform(chunk, c) {
        n += chunk.length;
        c.enqueue(chunk);
      },
    },
    { highWaterMark: 4 },
    { highWaterMark: 4 },
  );
  return { pipe, bytes: () => n };
}

function pipes() {
  const up = counted();
  const down = counted();
  const client: TlsTransport = { readable: down.pipe.readable, writable: up.pipe.writable };
  const server: TlsTransport = { readable: up.pipe.readable, writable: down.pipe.writable };
  return { client, server, up, down };
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte equality without vitest's element-by-element deep diff (slow on megabytes). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

function connectPair(): { client: TlsStream; server: TlsStream; p: ReturnType<typeof pipes> } {
  const p = pipes();
  const server = acceptTls(p.server, { cert: id.cert, key: id.key, alpn: ['h2', 'http/1.1'] });
  const client = startTls(p.client, { serverName: id.serverName, ca: id.ca, alpn: ['http/1.1'] });
  return { client, server, p };
}

describe('startTls / acceptTls over stream pipes', () => {
  test('handshake info, data both ways, close_notify both ways', async () => {
    const { client, server } = connectPair();
    const [ci, si] = await Promise.all([client.opened, server.opened]);
    expect(ci.version).toBe('TLSv1.3');
    expect(ci.alpn).toBe('http/1.1');
    expect(si.alpn).toBe('http/1.1');
    expect(ci.cipherSuite).toBe(si.cipherSuite);
    expect(ci.peerCertificates.length).toBe(2);
    expect(ci.authorized).toBe(true);

    // Server echoes until the client's close_notify, then answers with its own.
    const echo = server.readable.pipeTo(server.writable);
    const sent = bytes(100_000, 1);
    const w = client.writable.getWriter();
    const got = readAll(client.readable);
    await w.write(sent.subarray(0, 1));
    await w.write(sent.subarray(1));
    await w.close();
    expect(same(await got, sent)).toBe(true);
    await echo;
    await expect(client.closed).resolves.toBeUndefined();
    await expect(server.closed).resolves.toBeUndefined();
  });

  test('closeOnPeerClose: the peer close_notify ends readable and is answered at once', async () => {
    const p = pipes();
    const server = acceptTls(p.server, { cert: id.cert, key: id.key });
    const client = startTls(p.client, { serverName: id.serverName, ca: id.ca, closeOnPeerClose: true });
    const sw = server.writable.getWriter();
    await sw.write(new TextEncoder().encode('bye'));
    await sw.close();
    expect(new TextDecoder().decode(await readAll(client.readable))).toBe('bye');
    await expect(client.closed).resolves.toBeUndefined();
    await expect(server.closed).resolves.toBeUndefined();
    // Our close_notify went out with the peer's: writing now fails.
    await expect(client.writable.getWriter().write(new Uint8Array(1))).rejects.toThrow(/close_notify/);
  });

  test('half-close by default: our side stays open after the peer close_notify', async () => {
    const p = pipes();
    const server = acceptTls(p.server, { cert: id.cert, key: id.key });
    const client = startTls(p.client, { serverName: id.serverName, ca: id.ca });
    await server.writable.getWriter().close();
    expect((await readAll(client.readable)).length).toBe(0);
    const w = client.writable.getWriter();
    await w.write(new TextEncoder().encode('late reply'));
    await w.close();
    expect(new TextDecoder().decode(await readAll(server.readable))).toBe('late reply');
    await expect(client.closed).resolves.toBeUndefined();
    await expect(server.closed).resolves.toBeUndefined();
  });

  test('close() sends close_notify and closes the transport without waiting', async () => {
    const { client, server } = connectPair();
    await client.opened;
    await expect(client.close()).resolves.toBeUndefined();
    expect((await readAll(server.readable)).length).toBe(0);
    await expect(server.closed).resolves.toBeUndefined();
    expect(client.tls.writeClosed).toBe(true);
  });

  test('a transport that ends without close_notify is a truncation', async () => {
    const p = pipes();
    const client = startTls(p.client, { serverName: id.serverName, ca: id.ca });
    // The server's writes go through a switch that can cut the connection under it.
    const down = p.server.writable.getWriter();
    let cut = false;
    const writable = new WritableStream<Uint8Array>({ write: (c) => (cut ? undefined : down.write(c)) });
    const server = acceptTls({ readable: p.server.readable, writable }, { cert: id.cert, key: id.key });
    await Promise.all([server.opened, client.opened]);
    const r = client.readable.getReader();
    cut = true;
    await down.close();
    const err = await client.closed.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).alert).toBe('close_notify');
    expect((err as TlsError).message).toMatch(/^truncated/);
    await expect(r.read()).rejects.toBe(err);
    // The client closed its transport after the failure: the server sees a truncation too.
    await expect(server.closed).rejects.toThrow(/^truncated/);
  });

  test('handshake failure: opened and closed reject with the TlsError, streams errored, transport closed', async () => {
    const p = pipes();
    const server = acceptTls(p.server, { cert: id.cert, key: id.key });
    const client = startTls(p.client, { serverName: id.serverName, ca: IDENTITIES.rsa2048.ca });
    const cw = client.writable.getWriter();
    const pendingWrite = cw.write(new Uint8Array(10));
    const e = await client.opened.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TlsError);
    expect((e as TlsError).side).toBe('local');
    await expect(client.closed).rejects.toBe(e);
    await expect(pendingWrite).rejects.toBe(e);
    await expect(client.readable.getReader().read()).rejects.toBe(e);
    const se = await server.opened.catch((x: unknown) => x);
    expect(se).toBeInstanceOf(TlsError);
    expect((se as TlsError).side).toBe('remote');
    expect((se as TlsError).alert).toBe((e as TlsError).alert);
    await expect(server.closed).rejects.toBe(se);
    // Both transports were closed: the pipes' readable ends are done.
    expect(client.tls.error).toBe(e);
  });

  test('bad transport data (not TLS) fails the handshake on both sides', async () => {
    const p = pipes();
    const client = startTls(p.client, { serverName: id.serverName, ca: id.ca });
    const raw = p.server.writable.getWriter();
    const reader = p.server.readable.getReader();
    await reader.read(); // the ClientHello
    await raw.write(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const e = await client.closed.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TlsError);
    await expect(client.opened).rejects.toBe(e);
    // The client's alert, then the end of its transport.
    const rest: Uint8Array[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest.push(value);
    }
    expect(rest.length).toBeGreaterThan(0);
    expect(rest[0]?.[0]).toBe(21); // alert record
    await raw.close().catch(() => undefined);
  });

  test('back-pressure: an unread readable stops the transport from being read', async () => {
    const { client, server, p } = connectPair();
    await Promise.all([client.opened, server.opened]);
    const total = 2_000_000;
    const sent = bytes(total, 7);
    const w = client.writable.getWriter();
    let written = 0;
    const writing = (async () => {
      for (let o = 0; o < total; o += 16384) {
        await w.write(sent.subarray(o, o + 16384));
        written = o + 16384;
      }
      await w.close();
    })();
    // The server does not read for a while: the client must stall well before 2 MB.
    await new Promise((r) => setTimeout(r, 300));
    expect(written).toBeLessThan(total / 2);
    expect(p.up.bytes()).toBeLessThan(total / 2);
    const got = await readAll(server.readable);
    await writing;
    expect(got.length).toBe(total);
    expect(same(got, sent)).toBe(true);
    await server.writable.getWriter().close().catch(() => undefined);
    await expect(client.closed).resolves.toBeUndefined();
    await expect(server.closed).resolves.toBeUndefined();
  });

  test('a transport error fails the socket with that error; options reach the engine (trace, keylog)', async () => {
    const p = pipes();
    const traced: string[] = [];
    const keys: string[] = [];
    let fail!: (e: Error) => void;
    const readable = new ReadableStream<Uint8Array>({
      start(c) {
        fail = (e) => c.error(e);
        void p.client.readable.pipeTo(new WritableStream({ write: (chunk) => c.enqueue(chunk) })).catch(() => undefined);
      },
    });
    const client = startTls({ readable, writable: p.client.writable }, { serverName: id.serverName, ca: id.ca, trace: (e) => traced.push(`${e.direction} ${e.name}`), keylog: (l) => keys.push(l.split(' ')[0] as string) });
    const server = acceptTls(p.server, { cert: id.cert, key: id.key });
    await client.opened;
    expect(traced[0]).toBe('sent ClientHello');
    expect(traced).toContain('received ServerHello');
    expect(keys).toContain('CLIENT_TRAFFIC_SECRET_0');
    const boom = new Error('boom');
    fail(boom);
    await expect(client.closed).rejects.toBe(boom);
    await expect(client.readable.getReader().read()).rejects.toBe(boom);
    await expect(server.closed).rejects.toThrow(/^truncated/);
  });

  test('handshakeTimeout: a silent peer fails the socket with ETIMEDOUT and the transport is closed', async () => {
    const p = pipes();
    const client = startTls(p.client, { serverName: id.serverName, ca: id.ca, handshakeTimeout: 100 });
    const peer = p.server.readable.getReader();
    const e = await client.opened.catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('ETIMEDOUT');
    expect([(e as { reason?: string }).reason, (e as { nodeCode?: string }).nodeCode]).toEqual(['timeout', 'ETIMEDOUT']);
    await expect(client.closed).rejects.toBe(e);
    // The ClientHello, then the end of the transport (no alert: nothing was wrong on the wire).
    expect((await peer.read()).value?.[0]).toBe(22);
    expect((await peer.read()).done).toBe(true);
    expect(() => startTls(pipes().client, { serverName: id.serverName, ca: id.ca, handshakeTimeout: -1 })).toThrow(RangeError);
  });

  test('API misuse is a TypeError or RangeError', () => {
    const p = pipes();
    expect(() => startTls({} as TlsTransport, { serverName: 'x', ca: id.ca })).toThrow(TypeError);
    expect(() => startTls(p.client, { serverName: id.serverName, ca: id.ca, groups: ['nope' as 'x25519'] })).toThrow(TypeError);
    expect(() => startTls(p.client, { serverName: id.serverName, ca: id.ca, cipherSuites: [] })).toThrow(RangeError);
    expect(() => startTls(p.client, { serverName: id.serverName, ca: id.ca, readableHighWaterMark: 0 })).toThrow(RangeError);
    expect(p.client.readable.locked).toBe(false);
    const locked = p.client.readable.getReader();
    expect(() => startTls(p.client, { serverName: id.serverName, ca: id.ca })).toThrow(TypeError);
    locked.releaseLock();
  });

  test('writing a non-Uint8Array errors the writable with a TypeError', async () => {
    const { client, server } = connectPair();
    await client.opened;
    const w = client.writable.getWriter();
    await expect(w.write('text' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await client.close().catch(() => undefined);
    await server.closed.catch(() => undefined);
  });
});
