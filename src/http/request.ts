/**
 * `request()`: one HTTPS request over TLS 1.3, HTTP/1.1 with
 * `Connection: close` (RFC 9112), on any transport: TCP in Node
 * (`src/http/node.ts`), a WebSocket tunnel in browsers
 * (`tunnelTransport` of `wasmtls/websocket`). Browser-safe.
 * @module
 */
import { clientConfig } from '../config.js';
import type { HandshakeInfo, TlsClientOptions } from '../types.js';
import { startTls, type TlsTransport } from '../transport/streams.js';
import type { ConnectionPool } from './pool.js';
import { HttpError, type HttpResponseHead, readResponse } from './response.js';

/** Opens a byte transport to `host:port` (a TCP connection, a tunnelled WebSocket, ...). */
export type TransportFactory = (host: string, port: number) => Promise<TlsTransport>;

/** Options of {@link request}. */
export interface RequestOptions extends Omit<TlsClientOptions, 'serverName' | 'alpn'> {
  /** How to reach the server. Required in `wasmtls`; the Node entry defaults to TCP. */
  transport: TransportFactory;
  /** Method, a token (RFC 9110 §9); default GET. */
  method?: string;
  /** Request header fields. Host is set from the URL unless given; Connection and Content-Length are set here and may not be given. */
  headers?: Readonly<Record<string, string>> | readonly (readonly [string, string])[];
  /** Request body (a string is sent as UTF-8). */
  body?: Uint8Array | string;
  /** Name checked against the certificate and sent as SNI; default the URL's host. */
  serverName?: string;
  /** ALPN offered; default `['http/1.1']`. Anything else negotiated is refused. */
  alpn?: readonly string[];
  /** Largest response head (and trailer section), bytes; default 65536. */
  maxHeaderSize?: number;
  /** Largest response body, bytes; default 16 MiB. */
  maxBodySize?: number;
  /** Milliseconds for the whole exchange; default 30000. */
  timeout?: number;
  /**
   * Reuse kept-alive connections from this pool (src/http/pool.ts) instead
   * of one connection per request with `Connection: close`.
   */
  pool?: ConnectionPool;
}

/** The response to {@link request}. */
export interface HttpResponse extends HttpResponseHead {
  /** The body, decoded from chunked transfer coding when it was chunked. */
  readonly body: Uint8Array;
  /** The TLS handshake's result. */
  readonly tls: HandshakeInfo;
}

export { HttpError, type HttpErrorCode, type HttpResponseHead } from './response.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const RESERVED = new Set(['connection', 'content-length', 'transfer-encoding']);

function sizeOption(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}

/**
 * The request head and body as bytes; TypeError for anything that would be
 * malformed on the wire. `Connection: close` unless `keepAlive` (the
 * connection pool's requests, src/http/pool.ts).
 */
export function encodeRequest(url: URL, method: string, options: RequestOptions, keepAlive = false): Uint8Array {
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  if (body !== undefined && !(body instanceof Uint8Array)) throw new TypeError('body must be a Uint8Array or a string');
  const given = options.headers === undefined ? [] : Array.isArray(options.headers) ? (options.headers as readonly (readonly [string, string])[]) : Object.entries(options.headers);
  const fields: [string, string][] = [];
  let host: string | undefined;
  for (const [name, value] of given) {
    if (typeof name !== 'string' || !TOKEN.test(name)) throw new TypeError(`bad header name ${JSON.stringify(name)}`);
    if (typeof value !== 'string' || !FIELD_VALUE.test(value)) throw new TypeError(`bad value for header ${name}`);
    const key = name.toLowerCase();
    if (RESERVED.has(key)) throw new TypeError(`${name} is set by request() and may not be given`);
    if (key === 'host') host = value;
    else fields.push([name, value]);
  }
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${host ?? url.host}`, ...fields.map(([n, v]) => `${n}: ${v}`), keepAlive ? 'Connection: keep-alive' : 'Connection: close'];
  if (body !== undefined || ['POST', 'PUT', 'PATCH'].includes(method)) lines.push(`Content-Length: ${body?.length ?? 0}`);
  const head = new TextEncoder().encode(`${lines.join('\r\n')}\r\n\r\n`);
  if (body === undefined || body.length === 0) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/**
 * Sends one HTTPS request and reads the whole response. The response must
 * be well-formed HTTP/1.1 (or 1.0) within the size caps, else an
 * {@link HttpError}; TLS failures are TlsErrors. A body delimited by the
 * end of the connection must end with the server's close_notify (a
 * truncation is an error); with Content-Length or chunked coding the
 * connection is closed once the body is complete.
 *
 * @example
 * const res = await request('https://127.0.0.1:8443/', { ca, transport });
 * console.log(res.status, res.headers['content-type'], new TextDecoder().decode(res.body));
 */
export async function request(url: string | URL, options: RequestOptions): Promise<HttpResponse> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if (options.pool !== undefined) {
    const { pool, ...rest } = options;
    return pool.request(url, rest);
  }
  const u = new URL(url);
  if (u.protocol !== 'https:') throw new TypeError(`only https: URLs are supported, got ${u.protocol}`);
  if (u.username !== '' || u.password !== '') throw new TypeError('credentials in the URL are not supported');
  if (typeof options.transport !== 'function') throw new TypeError('options.transport must be a function (host, port) => Promise<{ readable, writable }>');
  const method = options.method ?? 'GET';
  if (!TOKEN.test(method)) throw new TypeError(`bad method ${JSON.stringify(method)}`);
  const limits = { maxHeaderSize: sizeOption('maxHeaderSize', options.maxHeaderSize, 65536), maxBodySize: sizeOption('maxBodySize', options.maxBodySize, 16 << 20) };
  const timeout = sizeOption('timeout', options.timeout, 30_000);
  const bytes = encodeRequest(u, method, options);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port === '' ? 443 : Number(u.port);
  // Checked before anything is opened, like every other option.
  const { transport: _t, method: _m, headers: _h, body: _b, maxHeaderSize: _mh, maxBodySize: _mb, timeout: _to, pool: _p, ...tlsOptions } = options;
  const config = clientConfig({ ...tlsOptions, serverName: options.serverName ?? host, alpn: options.alpn ?? ['http/1.1'] });

  let timer: ReturnType<typeof setTimeout> | undefined;
  let onTimeout: (() => void) | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new HttpError('timeout', `no complete response within ${timeout} ms`));
    }, timeout);
  });
  timedOut.catch(() => undefined);
  try {
    const opening = options.transport(host, port);
    // A transport that opens after the timeout is closed at once.
    onTimeout = () =>
      void opening.then(
        (t) => {
          void t.writable.abort().catch(() => undefined);
          void t.readable.cancel().catch(() => undefined);
        },
        () => undefined,
      );
    const transport = await Promise.race([opening, timedOut]);
    const tls = startTls(transport, config, {});
    onTimeout = () => void tls.close().catch(() => undefined);
    const reader = tls.readable.getReader();
    try {
      const info = await Promise.race([tls.opened, timedOut]);
      if (info.alpn !== undefined && info.alpn !== 'http/1.1') throw new HttpError('unsupported', `the server chose ALPN ${info.alpn}; only http/1.1 is spoken`);
      const writer = tls.writable.getWriter();
      await Promise.race([writer.write(bytes), timedOut]);
      writer.releaseLock();
      const response = await Promise.race([readResponse(reader, method, limits), timedOut]);
      return { ...response, tls: info };
    } finally {
      await tls.close().catch(() => undefined);
      reader.releaseLock();
    }
  } finally {
    clearTimeout(timer);
  }
}
