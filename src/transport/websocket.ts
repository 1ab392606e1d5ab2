/**
 * TLS through a WebSocket tunnel, for browsers (which cannot open TCP
 * connections): the WebSocket carries TLS records as binary messages, a
 * tunnel (`wasmtls tunnel`, src/tunnel/) relays them to one TCP target, and
 * TLS runs end to end between this page and the target. The tunnel sees
 * only ciphertext.
 *
 * How the target is named: the query parameter `target=HOST:PORT`
 * (`[v6addr]:PORT` for IPv6) of the WebSocket URL, e.g.
 * `ws://127.0.0.1:8080/?target=example.com:443`. The tunnel decides whether
 * to relay there (an allow list); a refusal closes the WebSocket with code
 * 4403 (not allowed) or 4400 (malformed) and a reason, surfaced as the
 * error of the TLS socket.
 *
 * Browser-safe: no node:* imports. In Node 20, which has no global
 * WebSocket, pass the `ws` package's constructor as `options.WebSocket`.
 * @module
 */
import { clientConfig } from '../config.js';
import { type StartTlsOptions, startTls, type TlsStream, type TlsTransport } from './streams.js';

/** The parts of the WHATWG WebSocket used here (the browser's, Node 22's, or the `ws` package's). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
  /** `ws` (Node) only: stop and restart reading the socket (back-pressure). */
  pause?(): void;
  resume?(): void;
}

/** A WebSocket constructor: the global `WebSocket`, or `ws`'s in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link openWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** `HOST:PORT` for the tunnel to connect to, added to the URL as `?target=`. Omit when the URL already names it. */
  target?: string;
  /** WebSocket implementation; default the global `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Milliseconds to wait for the WebSocket to open; default 30000. */
  openTimeout?: number;
  /** Bytes `send()` may leave buffered before writes wait; default 1 MiB. */
  sendHighWaterMark?: number;
}

/** Options of {@link connectWebSocket}: the TLS client options and the WebSocket's. */
export interface ConnectWebSocketOptions extends Omit<StartTlsOptions, 'serverName'>, WebSocketTransportOptions {
  /** Name checked against the certificate (and sent as SNI); default the target's host. */
  serverName?: string;
}

/** A closed WebSocket: the close code and reason, as the error of the transport. */
export class WebSocketClosedError extends Error {
  override readonly name = 'WebSocketClosedError';
  /** The WebSocket close code (RFC 6455 §7.4): 4403 and 4400 are the tunnel's refusals. */
  readonly code: number;
  /** The close reason the other end gave. */
  readonly reason: string;
  constructor(code: number, reason: string) {
    super(`WebSocket closed with code ${code}${reason === '' ? '' : `: ${reason}`}`);
    this.code = code;
    this.reason = reason;
  }
}

const OPEN = 1;
const CLOSING = 2;
const DEFAULT_SEND_HWM = 1 << 20;
const DEFAULT_OPEN_TIMEOUT = 30_000;
/** Polling period for `bufferedAmount` (the WebSocket API has no drain event). */
const DRAIN_POLL_MS = 5;

/** Splits `HOST:PORT` / `[v6]:PORT`; throws a TypeError when malformed. */
export function parseTarget(target: string): { host: string; port: number } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(target) ?? /^([^\s:/?#[\]@]+):(\d{1,5})$/.exec(target);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port < 1 || port > 65535) throw new TypeError(`target must be HOST:PORT (an IPv6 address as [::1]:443), got ${JSON.stringify(target)}`);
  return { host: m[1] as string, port };
}

/** `HOST:PORT` with brackets around an IPv6 address. */
export function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The tunnel URL naming `target`. */
export function tunnelUrl(url: string | URL, target: string): string {
  parseTarget(target);
  const u = new URL(url);
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new TypeError(`a WebSocket URL (ws: or wss:) is required, got ${u.protocol}`);
  u.searchParams.set('target', target);
  return u.href;
}

function webSocketConstructor(given: WebSocketConstructor | undefined): WebSocketConstructor {
  if (given !== undefined) {
    if (typeof given !== 'function') throw new TypeError('options.WebSocket must be a constructor');
    return given;
  }
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global === undefined) throw new TypeError('no global WebSocket: pass options.WebSocket (in Node 20, the ws package)');
  return global;
}

/**
 * Wraps an open WebSocket as a byte transport: binary messages in and out.
 * Closing `writable` closes the WebSocket (1000); the WebSocket's close ends
 * `readable`, or errors it with a {@link WebSocketClosedError} when the code
 * is not 1000/1005 (a tunnel refusal, an abnormal close). A text message is
 * an error (the tunnel only sends binary).
 *
 * Back-pressure: writes wait while more than `sendHighWaterMark` bytes are
 * buffered. Incoming messages are paused with `ws`'s pause() in Node; the
 * browser WebSocket API cannot pause, so there they queue in `readable`.
 */
export function webSocketStreams(ws: WebSocketLike, options: { sendHighWaterMark?: number } = {}): TlsTransport {
  const hwm = options.sendHighWaterMark ?? DEFAULT_SEND_HWM;
  if (!Number.isInteger(hwm) || hwm < 1) throw new RangeError(`sendHighWaterMark must be a positive integer, got ${hwm}`);
  ws.binaryType = 'arraybuffer';
  let readable!: ReadableStreamDefaultController<Uint8Array>;
  let readableDone = false;
  let closedError: Error | undefined;
  let closed = false;
  const closeWaiters: (() => void)[] = [];

  const endReadable = (error: Error | undefined): void => {
    if (readableDone) return;
    readableDone = true;
    if (error === undefined) readable.close();
    else readable.error(error);
  };
  ws.addEventListener('message', (event: { data: unknown }) => {
    if (readableDone) return;
    const data = event.data;
    if (data instanceof ArrayBuffer) {
      readable.enqueue(new Uint8Array(data));
      if ((readable.desiredSize ?? 1) <= 0) ws.pause?.();
    } else {
      const error = new TypeError('the WebSocket received a text message; the tunnel sends binary messages only');
      endReadable(error);
      ws.close(1003, 'binary messages only');
    }
  });
  ws.addEventListener('close', (event: { code: number; reason: string }) => {
    closed = true;
    if (event.code !== 1000 && event.code !== 1005) closedError = new WebSocketClosedError(event.code, event.reason);
    endReadable(closedError);
    for (const w of closeWaiters.splice(0)) w();
  });

  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        readable = c;
      },
      pull: () => ws.resume?.(),
      cancel: () => {
        readableDone = true;
        ws.close(1000);
      },
    },
    { highWaterMark: 65536, size: (c) => c.byteLength },
  );

  /** Resolves once the send buffer is below the mark (or the socket closed). */
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (closed || ws.bufferedAmount <= hwm) resolve();
        else setTimeout(check, DRAIN_POLL_MS);
      };
      check();
    });

  const writable = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      if (ws.readyState !== OPEN) {
        // Closing: wait for the close event, whose code says why (a tunnel refusal, ...).
        if (!closed) await new Promise<void>((resolve) => closeWaiters.push(resolve));
        throw closedError ?? new Error('the WebSocket is closed');
      }
      ws.send(chunk);
      if (ws.bufferedAmount > hwm) await drained();
    },
    close: async () => {
      await drained();
      if (ws.readyState < CLOSING) ws.close(1000);
    },
    abort: () => {
      if (ws.readyState < CLOSING) ws.close(1000);
    },
  });
  return { readable: stream, writable };
}

/**
 * Opens a WebSocket (to a tunnel, optionally naming `target`) and resolves
 * with it as a byte transport once open. Rejects with a
 * {@link WebSocketClosedError} or an Error when it cannot open.
 */
export function openWebSocketTransport(url: string | URL, options: WebSocketTransportOptions = {}): Promise<TlsTransport> {
  let ws: WebSocketLike;
  let timeout: number;
  try {
    const Ctor = webSocketConstructor(options.WebSocket);
    const href = options.target === undefined ? new URL(url).href : tunnelUrl(url, options.target);
    timeout = options.openTimeout ?? DEFAULT_OPEN_TIMEOUT;
    if (!Number.isInteger(timeout) || timeout < 1) throw new RangeError(`openTimeout must be a positive integer (ms), got ${timeout}`);
    ws = new Ctor(href);
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise<TlsTransport>((resolve, reject) => {
    let transport: TlsTransport;
    try {
      transport = webSocketStreams(ws, options);
    } catch (e) {
      ws.close();
      reject(e);
      return;
    }
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      ws.close();
      reject(new Error(`the WebSocket did not open within ${timeout} ms`));
    }, timeout);
    ws.addEventListener('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(transport);
    });
    ws.addEventListener('close', (event: { code: number; reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new WebSocketClosedError(event.code, event.reason));
    });
    // Browsers give no detail in the error event; the close event that follows carries the code.
    ws.addEventListener('error', () => undefined);
  });
}

/**
 * Opens a WebSocket to a tunnel and runs a TLS 1.3 client through it, end
 * to end with `target`. Resolves with the TLS socket once the WebSocket is
 * open; `opened` gives the handshake result.
 *
 * @example
 * const tls = await connectWebSocket('ws://127.0.0.1:8080/', { target: 'example.com:443', ca });
 * console.log((await tls.opened).cipherSuite);
 */
export async function connectWebSocket(url: string | URL, options: ConnectWebSocketOptions): Promise<TlsStream> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const named = options.target ?? new URL(url).searchParams.get('target');
  const serverName = options.serverName ?? (named === null ? undefined : parseTarget(named).host);
  if (serverName === undefined && options.rejectUnauthorized !== false) throw new TypeError('serverName is required when the URL names no target');
  const tlsOptions = { ...options, serverName } as StartTlsOptions;
  // Bad TLS options throw here, before a WebSocket is opened.
  const config = clientConfig(tlsOptions);
  const transport = await openWebSocketTransport(url, options);
  return startTls(transport, config, tlsOptions);
}

/**
 * A transport factory for {@link request}-like callers: `(host, port)`
 * opens a WebSocket to the tunnel at `url` naming `host:port`.
 *
 * @example
 * const res = await request('https://example.com/', { ca, transport: tunnelTransport('ws://127.0.0.1:8080/') });
 */
export function tunnelTransport(url: string | URL, options: Omit<WebSocketTransportOptions, 'target'> = {}): (host: string, port: number) => Promise<TlsTransport> {
  return (host, port) => openWebSocketTransport(url, { ...options, target: formatTarget(host, port) });
}
