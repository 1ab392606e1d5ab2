/**
 * An origin-keyed pool of kept-alive TLS connections for {@link request}
 * (HTTP/1.1 persistent connections, RFC 9112 §9.3): a request through a pool
 * sends `Connection: keep-alive`, and once its response is complete the
 * connection waits, idle, for the next request to the same origin with the
 * same transport factory, `ca`, `serverName` and `rejectUnauthorized`. In a
 * browser this saves the relay's WebSocket (or Wisp stream) and the TLS
 * handshake on every request after the first.
 *
 * A connection goes back to the pool only when its response was delimited
 * (Content-Length or chunked), the server did not answer `Connection:
 * close`, nothing arrived past the response, and TLS is still open both
 * ways; otherwise it is closed. One request at a time per connection (no
 * pipelining): concurrent requests open more connections. A GET or HEAD
 * that fails on a reused connection (the server closed it while idle) is
 * retried once on a new one, as browsers do (RFC 9112 §9.3.1).
 * @module
 */
import { clientConfig } from '../config.js';
import type { HandshakeInfo } from '../types.js';
import { startTls, type TlsStream } from '../transport/streams.js';
import { encodeRequest, type HttpResponse, type RequestOptions, type TransportFactory } from './request.js';
import { HttpError, readResponse } from './response.js';

/** Options of {@link ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Idle connections kept per origin; more are closed. Default 6 (the browsers' per-host limit). */
  maxIdlePerOrigin?: number;
  /** Milliseconds an idle connection is kept before it is closed. Default 30000. */
  idleTimeout?: number;
}

/** A response through a pool: whether it came on a reused connection. */
export interface PooledResponse extends HttpResponse {
  readonly reused: boolean;
}

interface Connection {
  readonly key: string;
  readonly transport: TransportFactory;
  readonly ca: unknown;
  readonly rejectUnauthorized: boolean | undefined;
  readonly socket: TlsStream;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly info: HandshakeInfo;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function positive(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}

/**
 * Kept-alive TLS connections for {@link request}, keyed by origin. Pass it
 * as `request(url, { ...options, pool })`, or call {@link ConnectionPool.request}.
 *
 * @example
 * ```text
 * const pool = new ConnectionPool();
 * const a = await pool.request('https://127.0.0.1:8443/a', { ca, transport });
 * const b = await pool.request('https://127.0.0.1:8443/b', { ca, transport }); // b.reused === true
 * await pool.close();
 * ```
 */
export class ConnectionPool {
  readonly #idle = new Map<string, Connection[]>();
  readonly #maxIdle: number;
  readonly #idleTimeout: number;
  #closed = false;

  constructor(options: ConnectionPoolOptions = {}) {
    this.#maxIdle = positive('maxIdlePerOrigin', options.maxIdlePerOrigin, 6);
    this.#idleTimeout = positive('idleTimeout', options.idleTimeout, 30_000);
  }

  /** Idle connections held now, over all origins. */
  get idleConnections(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.length;
    return n;
  }

  /** One request, on an idle connection to the origin when there is a usable one. Options as {@link request}'s. */
  async request(url: string | URL, options: RequestOptions): Promise<PooledResponse> {
    if (this.#closed) throw new Error('the connection pool is closed');
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const u = new URL(url);
    if (u.protocol !== 'https:') throw new TypeError(`only https: URLs are supported, got ${u.protocol}`);
    if (u.username !== '' || u.password !== '') throw new TypeError('credentials in the URL are not supported');
    if (typeof options.transport !== 'function') throw new TypeError('options.transport must be a function (host, port) => Promise<{ readable, writable }>');
    const method = options.method ?? 'GET';
    if (!TOKEN.test(method)) throw new TypeError(`bad method ${JSON.stringify(method)}`);
    const bytes = encodeRequest(u, method, options, true);
    const limits = { maxHeaderSize: positive('maxHeaderSize', options.maxHeaderSize, 65536), maxBodySize: positive('maxBodySize', options.maxBodySize, 16 << 20) };
    const timeout = positive('timeout', options.timeout, 30_000);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const serverName = options.serverName ?? host;
    const key = `${u.origin} ${serverName}`;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError('timeout', `no complete response within ${timeout} ms`)), timeout);
    });
    timedOut.catch(() => undefined);
    try {
      const idle = this.#take(key, options);
      if (idle !== undefined) {
        try {
          return await this.#exchange(idle, bytes, method, limits, timedOut, true);
        } catch (e) {
          if (e instanceof HttpError && e.code === 'timeout') throw e;
          if (method !== 'GET' && method !== 'HEAD') throw e;
          // The server closed it while idle: once more on a new connection.
        }
      }
      const conn = await this.#open(key, u, host, serverName, options, timedOut);
      return await this.#exchange(conn, bytes, method, limits, timedOut, false);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every idle connection; later requests are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    await Promise.all(all.map((c) => this.#discard(c)));
  }

  #take(key: string, options: RequestOptions): Connection | undefined {
    const list = this.#idle.get(key);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i] as Connection;
      if (c.transport !== options.transport || c.ca !== options.ca || c.rejectUnauthorized !== options.rejectUnauthorized) continue;
      list.splice(i, 1);
      clearTimeout(c.timer);
      const t = c.socket.tls;
      // Closed by the peer while idle (close_notify or the transport's end): not usable.
      if (t.readClosed || t.writeClosed || t.error !== undefined) {
        void this.#discard(c);
        continue;
      }
      return c;
    }
    return undefined;
  }

  async #open(key: string, u: URL, host: string, serverName: string, options: RequestOptions, timedOut: Promise<never>): Promise<Connection> {
    const port = u.port === '' ? 443 : Number(u.port);
    // Checked before anything is opened, as request() does.
    const { transport: _t, method: _m, headers: _h, body: _b, maxHeaderSize: _mh, maxBodySize: _mb, timeout: _to, pool: _p, ...tlsOptions } = options;
    const config = clientConfig({ ...tlsOptions, serverName, alpn: options.alpn ?? ['http/1.1'] });
    const opening = options.transport(host, port);
    timedOut.catch(() =>
      opening.then(
        (t) => {
          void t.writable.abort().catch(() => undefined);
          void t.readable.cancel().catch(() => undefined);
        },
        () => undefined,
      ),
    );
    const transport = await Promise.race([opening, timedOut]);
    const socket = startTls(transport, config);
    const reader = socket.readable.getReader();
    try {
      const info = await Promise.race([socket.opened, timedOut]);
      if (info.alpn !== undefined && info.alpn !== 'http/1.1') throw new HttpError('unsupported', `the server chose ALPN ${info.alpn}; only http/1.1 is spoken`);
      return { key, transport: options.transport, ca: options.ca, rejectUnauthorized: options.rejectUnauthorized, socket, reader, info, timer: undefined };
    } catch (e) {
      reader.releaseLock();
      await socket.close().catch(() => undefined);
      throw e;
    }
  }

  async #exchange(
    c: Connection,
    bytes: Uint8Array,
    method: string,
    limits: { maxHeaderSize: number; maxBodySize: number },
    timedOut: Promise<never>,
    reused: boolean,
  ): Promise<PooledResponse> {
    const state = { leftover: 0, delimitedByClose: false };
    let response;
    try {
      const writer = c.socket.writable.getWriter();
      try {
        await Promise.race([writer.write(bytes), timedOut]);
      } finally {
        writer.releaseLock();
      }
      response = await Promise.race([readResponse(c.reader, method, limits, state), timedOut]);
    } catch (e) {
      await this.#discard(c);
      throw e;
    }
    const connection = (response.headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
    const t = c.socket.tls;
    const keep = !this.#closed && !state.delimitedByClose && state.leftover === 0 && !connection.includes('close') && !t.readClosed && t.error === undefined;
    if (keep) this.#park(c);
    else await this.#discard(c);
    return { ...response, tls: c.info, reused };
  }

  #park(c: Connection): void {
    const list = this.#idle.get(c.key) ?? [];
    if (list.length >= this.#maxIdle) {
      void this.#discard(c);
      return;
    }
    list.push(c);
    this.#idle.set(c.key, list);
    c.timer = setTimeout(() => {
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
      void this.#discard(c);
    }, this.#idleTimeout);
  }

  async #discard(c: Connection): Promise<void> {
    clearTimeout(c.timer);
    try {
      c.reader.releaseLock();
    } catch {
      // A read is pending; close() ends it.
    }
    await c.socket.close().catch(() => undefined);
  }
}
