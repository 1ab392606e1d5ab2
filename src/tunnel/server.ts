/**
 * The WebSocket-to-TCP tunnel behind `wasmtls tunnel`: relays the binary
 * messages of one WebSocket to one TCP connection and back, for browsers
 * running TLS through `wasmtls/websocket`. It never sees plaintext: TLS
 * runs end to end between the browser and the target.
 *
 * Never an open proxy: the client names its target as `?target=HOST:PORT`,
 * or as the last path segment (`/HOST:PORT`, the wsproxy convention that
 * libcurl.js and wisp-js use), and the tunnel connects only to targets on
 * its allow list, compared as written (host case-insensitively; no DNS
 * lookups to match). With {@link TunnelOptions.wisp}, an upgrade whose path
 * ends with `/` speaks Wisp (src/tunnel/wisp.ts): many streams over one
 * WebSocket, the same allow list, refusals as Wisp CLOSE reasons. Anything
 * else is refused with a logged reason and a close code:
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 4400 | no or malformed `target` |
 * | 4403 | target not on the allow list |
 * | 4429 | too many open connections |
 * | 1011 | the TCP connection failed (refused, reset, ...) |
 * | 1009 | a message larger than `maxMessageSize` (sent by `ws`) |
 * | 1003 | a text message (only binary is relayed) |
 *
 * Either side closing closes the other: a WebSocket close ends the TCP
 * connection (FIN), a TCP end closes the WebSocket (1000).
 *
 * Any web page the user visits can open a WebSocket to a tunnel on
 * 127.0.0.1, so upgrades are also checked by their `Origin` header (RFC 6455
 * §4.2.1 item 7, §10.2): a refused origin gets HTTP 403 before the upgrade,
 * with a logged reason (the page sees only a failed WebSocket, close code
 * 1006). With {@link TunnelOptions.origins} only the listed origins pass;
 * without it only pages served from loopback (`http(s)://127.0.0.1`,
 * `localhost` or `[::1]`, any port). Either way an upgrade without an
 * `Origin` header passes: browsers always send one on a WebSocket, and a
 * non-browser client could send any value, so refusing it would protect
 * nothing.
 * @module
 */
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { formatTarget, parseTarget } from '../transport/websocket.js';
import { serveWisp } from './wisp.js';

/** Options of {@link startTunnel}. */
export interface TunnelOptions {
  /** Targets allowed, as `HOST:PORT` (`[v6]:PORT`). Required and non-empty. */
  allow: readonly string[];
  /** Port to listen on; 0 lets the OS choose. Default 0. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Largest WebSocket message accepted, in bytes (bigger ones close with 1009). Default 1 MiB. */
  maxMessageSize?: number;
  /** Connections relayed at once (Wisp streams included); more are refused with 4429 (Wisp: CLOSE 0x49). Default 256. */
  maxConnections?: number;
  /** Milliseconds to wait for the TCP connection to a target. Default 10000. */
  connectTimeout?: number;
  /**
   * Web origins whose pages may connect, e.g. `https://app.example`
   * (scheme, host and port; compared after URL normalization, so
   * `HTTP://App.Example:80` equals `http://app.example`). Upgrades with
   * another `Origin` header are refused with HTTP 403. Default: only
   * loopback pages (`http(s)://127.0.0.1:*`, `localhost:*`, `[::1]:*`).
   * Upgrades without an `Origin` header (non-browser clients) always pass.
   * Throws a TypeError when empty or when an entry is not an origin.
   */
  origins?: readonly string[];
  /** Log lines (connections, refusals, errors); default none. */
  log?: (line: string) => void;
  /** Serve Wisp (v1 and v2) on upgrades whose path ends with `/`. Default false. */
  wisp?: boolean;
  /** Wisp: streams one WebSocket may have open at once (more get CLOSE 0x49). Default 64. */
  maxStreamsPerConnection?: number;
  /** Wisp: DATA packets a stream may send per CONTINUE. Default 64. */
  wispBufferPackets?: number;
}

/** A running tunnel. */
export interface Tunnel {
  /** The address it listens on. */
  readonly address: AddressInfo;
  /** Connections being relayed. */
  readonly connections: number;
  /** Stops listening and closes every relayed connection; resolves once all are closed. */
  close(): Promise<void>;
}

/** Default largest WebSocket message: a TLS record is at most 16 KiB + 256 bytes, so 1 MiB leaves room for coalesced records. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
/** Bytes buffered on the WebSocket before the TCP side is paused. */
const WS_HIGH_WATER = 1 << 20;

function normalize(target: string): string {
  const { host, port } = parseTarget(target);
  return formatTarget(host.toLowerCase(), port);
}

/** The serialized origin of `text` (RFC 6454 §6.1), or undefined when it is not a tuple origin. */
function originOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.origin === 'null' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (url.pathname !== '/' && url.pathname !== '') return undefined;
  return url.origin;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The default policy: a page served over http(s) from a loopback host, any port. */
function isLoopbackOrigin(origin: string): boolean {
  const url = new URL(origin);
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

/** Why an upgrade with this Origin header is refused, or undefined to accept it. */
function checkOrigin(header: string | undefined, allowed: ReadonlySet<string> | undefined): string | undefined {
  if (header === undefined) return undefined;
  const origin = originOf(header);
  if (origin === undefined) return `malformed Origin ${JSON.stringify(header.slice(0, 100))}`;
  if (allowed === undefined ? isLoopbackOrigin(origin) : allowed.has(origin)) return undefined;
  return allowed === undefined ? `Origin ${origin} is not a loopback page (use --origin to allow it)` : `Origin ${origin} is not allowed`;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Starts a tunnel. Throws a TypeError when the allow list is empty or
 * malformed (refusing everything is not a useful tunnel; allowing
 * everything is an open proxy).
 *
 * @example
 * const tunnel = await startTunnel({ allow: ['127.0.0.1:8443'], port: 8080 });
 * // browser: connectWebSocket('ws://127.0.0.1:8080/', { target: '127.0.0.1:8443', ca })
 */
export async function startTunnel(options: TunnelOptions): Promise<Tunnel> {
  if (!Array.isArray(options.allow) || options.allow.length === 0) throw new TypeError('allow: at least one HOST:PORT target is required (the tunnel is never an open proxy)');
  const allow = new Set(options.allow.map(normalize));
  const maxMessageSize = positiveInt('maxMessageSize', options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE);
  const maxConnections = positiveInt('maxConnections', options.maxConnections, 256);
  const connectTimeout = positiveInt('connectTimeout', options.connectTimeout, 10_000);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${port}`);
  const log = options.log ?? (() => undefined);
  const wisp = options.wisp === true;
  const maxStreams = positiveInt('maxStreamsPerConnection', options.maxStreamsPerConnection, 64);
  const bufferPackets = positiveInt('wispBufferPackets', options.wispBufferPackets, 64);
  let origins: Set<string> | undefined;
  if (options.origins !== undefined) {
    if (!Array.isArray(options.origins) || options.origins.length === 0) throw new TypeError('origins: at least one origin is required when given (omit it to allow loopback pages only)');
    origins = new Set();
    for (const o of options.origins) {
      const origin = typeof o === 'string' ? originOf(o) : undefined;
      if (origin === undefined) throw new TypeError(`origins: ${JSON.stringify(o)} is not an origin such as https://app.example or http://127.0.0.1:8000`);
      origins.add(origin);
    }
  }

  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' }).end('WebSocket upgrade required\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: maxMessageSize,
    perMessageDeflate: false,
    // RFC 6455 §4.2.2: a server refusing the origin answers with an HTTP error (403) instead of the handshake.
    verifyClient: ({ req }, done) => {
      const refused = checkOrigin(req.headers.origin, origins);
      if (refused === undefined) return done(true);
      log(`${req.socket.remoteAddress}:${req.socket.remotePort}: refused: ${refused} (HTTP 403)`);
      done(false, 403, 'Origin not allowed');
    },
  });
  const open = new Set<{ ws: WebSocket; tcp: Socket | undefined }>();
  /** Wisp sessions (their closers) and the streams they hold, which count against maxConnections. */
  const wispSessions = new Set<() => void>();
  let wispStreams = 0;
  // A WebSocketServer attached to an HTTP server re-emits its errors; after listen() they are logged.
  wss.on('error', (e) => log(`server error: ${e.message}`));

  wss.on('connection', (ws, req) => {
    const who = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const refuse = (code: number, reason: string): void => {
      log(`${who}: refused: ${reason}`);
      ws.close(code, reason);
    };
    ws.on('error', (e) => log(`${who}: websocket error: ${e.message}`));
    let target: string;
    try {
      const url = new URL(req.url ?? '/', 'ws://tunnel');
      const query = url.searchParams.get('target');
      // wsproxy: the last path segment names the target (`/prefix/HOST:PORT`).
      const segment = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
      if (query === null && segment === '' && wisp) {
        const closer = serveWisp(ws, req, who, {
          allowed: (t) => allow.has(t),
          normalize,
          acquire: () => {
            if (open.size + wispStreams >= maxConnections) return false;
            wispStreams++;
            return true;
          },
          release: () => void wispStreams--,
          maxStreams,
          bufferPackets,
          maxStreamBuffer: bufferPackets * maxMessageSize,
          connectTimeout,
          log,
        });
        wispSessions.add(closer);
        ws.on('close', () => wispSessions.delete(closer));
        return;
      }
      const raw = query ?? (segment === '' ? null : segment);
      if (raw === null) return refuse(4400, `no target: name it as ?target=HOST:PORT or /HOST:PORT${wisp ? ' (or end the path with / for Wisp)' : ''}`);
      target = normalize(raw);
    } catch {
      return refuse(4400, 'malformed target: expected ?target=HOST:PORT or /HOST:PORT');
    }
    if (!allow.has(target)) return refuse(4403, `target ${target} is not allowed`);
    if (open.size + wispStreams >= maxConnections) return refuse(4429, `too many connections (${maxConnections})`);

    const { host, port: targetPort } = parseTarget(target);
    const entry: { ws: WebSocket; tcp: Socket | undefined } = { ws, tcp: undefined };
    open.add(entry);
    // Nothing is read from the WebSocket until the TCP connection is up.
    ws.pause();
    const tcp = netConnect({ host, port: targetPort, allowHalfOpen: true });
    entry.tcp = tcp;
    tcp.setNoDelay(true);
    tcp.setTimeout(connectTimeout, () => {
      if (tcp.connecting) tcp.destroy(Object.assign(new Error(`connecting to ${target} timed out after ${connectTimeout} ms`), { code: 'ETIMEDOUT' }));
    });
    tcp.on('connect', () => {
      tcp.setTimeout(0);
      log(`${who}: relaying to ${target}`);
      ws.resume();
    });
    let failed = false;
    tcp.on('error', (e: Error & { code?: string }) => {
      failed = true;
      log(`${who}: ${target}: ${e.code ?? 'error'}: ${e.message}`);
      // Reading resumes so the client's answering close frame is seen (else ws waits 30 s).
      ws.resume();
      if (ws.readyState === WebSocket.OPEN) ws.close(1011, `target ${target}: ${e.code ?? 'error'}`.slice(0, 120));
    });
    tcp.on('data', (data: Buffer) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(data, { binary: true });
      if (ws.bufferedAmount > WS_HIGH_WATER) {
        tcp.pause();
        const resume = (): void => {
          if (ws.readyState !== WebSocket.OPEN) return;
          if (ws.bufferedAmount > WS_HIGH_WATER) setTimeout(resume, 5);
          else tcp.resume();
        };
        setTimeout(resume, 5);
      }
    });
    tcp.on('end', () => {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'target closed');
    });
    tcp.on('close', () => {
      if (!failed && ws.readyState === WebSocket.OPEN) ws.close(1000, 'target closed');
    });
    tcp.on('drain', () => ws.resume());

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        log(`${who}: text message: closing`);
        ws.close(1003, 'binary messages only');
        return;
      }
      const chunks: Uint8Array[] = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? new Uint8Array(data) : data];
      let ok = true;
      for (const c of chunks) ok = tcp.write(c);
      if (!ok) ws.pause();
    });
    ws.on('close', (code) => {
      log(`${who}: closed (${code})`);
      if (!tcp.destroyed) {
        if (tcp.connecting) tcp.destroy();
        else tcp.end();
        // A target that never closes its side is not kept.
        const linger = setTimeout(() => tcp.destroy(), 2_000);
        tcp.once('close', () => clearTimeout(linger));
      }
      open.delete(entry);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (e) => log(`server error: ${e.message}`));
  log(origins === undefined ? 'origins: loopback pages only (http(s)://127.0.0.1, localhost, [::1]) and clients sending no Origin' : `origins: ${[...origins].join(', ')} and clients sending no Origin`);
  const address = http.address() as AddressInfo;
  return {
    address,
    get connections() {
      return open.size + wispStreams;
    },
    close: async () => {
      for (const end of wispSessions) end();
      wispSessions.clear();
      for (const { ws, tcp } of open) {
        ws.terminate();
        tcp?.destroy();
      }
      open.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closing = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closing;
    },
  };
}
