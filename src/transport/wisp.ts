/**
 * `wasmtls/wisp`: many TCP streams, and TLS connections over them, through
 * one WebSocket to a Wisp relay (MercuryWorkshop's Wisp protocol v1 and v2;
 * packets in src/transport/wisp-packets.ts): `wasmtls tunnel --wisp`,
 * @mercuryworkshop/wisp-js, epoxy-server and the public relays browser
 * projects run. The relay sees only ciphertext: TLS runs end to end.
 *
 * Version: the WebSocket is opened with a `Sec-WebSocket-Protocol` (v2
 * "Establishing a Websocket Connection"); a v2 server answers with INFO,
 * which is answered with ours (stream open confirmation, extension 0x05),
 * a v1 server with the initial CONTINUE on stream 0, and v1 is used.
 *
 * Flow control ("CONTINUE"): each stream may send as many DATA packets as
 * the server's last CONTINUE for it allowed (the stream-0 CONTINUE sets the
 * start); a write waits for the next CONTINUE once that is spent, and for
 * the WebSocket's send buffer to fall below `sendHighWaterMark`. Wisp has no
 * window from server to client; data for a stream the application does not
 * read queues in its `readable`.
 *
 * Browser-safe: no node:* imports. In Node 20 pass `ws` as `options.WebSocket`.
 * @module
 */
import { clientConfig } from '../config.js';
import { type StartTlsOptions, startTls, type TlsStream, type TlsTransport } from './streams.js';
import {
  CLOSE_REASON,
  closeReasonText,
  decodeClose,
  decodeContinue,
  decodeInfo,
  decodePacket,
  encodeClose,
  encodeConnect,
  encodeInfo,
  encodePacket,
  EXTENSION,
  PACKET,
  STREAM_TYPE,
  WispError,
  type WispExtension,
} from './wisp-packets.js';

export { CLOSE_REASON, closeReasonText, WispError } from './wisp-packets.js';

/** The parts of the WHATWG WebSocket used here. */
export interface WispWebSocket {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
}

/** A WebSocket constructor taking subprotocols: the global `WebSocket`, or `ws`'s. */
export type WispWebSocketConstructor = new (url: string, protocols?: string | string[]) => WispWebSocket;

/** Options of {@link wisp}. */
export interface WispOptions {
  /** WebSocket implementation; default the global `WebSocket`. */
  WebSocket?: WispWebSocketConstructor;
  /** Highest Wisp version to offer: 2 (default) or 1 (no `Sec-WebSocket-Protocol`, no INFO). */
  version?: 1 | 2;
  /** Milliseconds for the WebSocket to open and the Wisp handshake to finish; default 30000. */
  openTimeout?: number;
  /** Bytes the WebSocket may buffer before stream writes wait; default 1 MiB. */
  sendHighWaterMark?: number;
}

/** Options of {@link WispClient.connect}: TLS client options; `serverName` defaults to the host. */
export interface WispConnectOptions extends Omit<StartTlsOptions, 'serverName'> {
  serverName?: string;
}

const OPEN = 1;
const DEFAULT_OPEN_TIMEOUT = 30_000;
const DEFAULT_SEND_HWM = 1 << 20;
const DRAIN_POLL_MS = 5;
/** Largest DATA payload sent: a TLS record (16 KiB + 256) fits; larger writes are split. */
const MAX_DATA = 1 << 16;
/** The Sec-WebSocket-Protocol offered for v2 (the spec leaves the value open; wisp-js and epoxy accept any). */
const V2_PROTOCOL = 'wisp-v2';

class Stream {
  credit: number;
  closed = false;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #waiters: (() => void)[] = [];
  #error: Error | undefined;

  constructor(
    readonly id: number,
    readonly target: string,
    private readonly client: WispClient,
    credit: number,
  ) {
    this.credit = credit;
    this.readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.#controller = c;
      },
      cancel: () => this.client.closeStream(this, CLOSE_REASON.voluntary),
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => this.#write(chunk),
      close: () => this.client.closeStream(this, CLOSE_REASON.voluntary),
      abort: () => this.client.closeStream(this, CLOSE_REASON.voluntary),
    });
  }

  async #write(chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('writable accepts Uint8Array chunks only');
    for (let at = 0; at < chunk.length; at += MAX_DATA) {
      while (this.credit <= 0 && !this.closed) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (this.closed) throw this.#error ?? new WispError(`Wisp stream to ${this.target} is closed`);
      this.credit--;
      await this.client.send(encodePacket(PACKET.DATA, this.id, chunk.subarray(at, at + MAX_DATA)));
    }
  }

  /** CONTINUE: the server can take `n` more packets (v2 stream open confirmation too). */
  grant(n: number): void {
    this.credit = n;
    for (const w of this.#waiters.splice(0)) w();
  }

  data(bytes: Uint8Array): void {
    if (!this.closed) this.#controller.enqueue(bytes.slice());
  }

  /** Ends the stream: cleanly for `undefined`, else with the error. */
  end(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.#error = error;
    try {
      if (error === undefined) this.#controller.close();
      else this.#controller.error(error);
    } catch {
      // Already cancelled by the reader.
    }
    for (const w of this.#waiters.splice(0)) w();
  }
}

/**
 * One WebSocket to a Wisp relay. Opens TCP streams ({@link open}) and TLS
 * connections over them ({@link connect}); use {@link transport} as
 * `request()`'s `transport`.
 */
export class WispClient {
  /** The Wisp version in use (1 or 2). */
  readonly version: 1 | 2;
  /** v2: the extensions the server announced (empty for v1). */
  readonly serverExtensions: readonly WispExtension[];
  readonly #ws: WispWebSocket;
  readonly #streams = new Map<number, Stream>();
  readonly #initialCredit: number;
  readonly #hwm: number;
  #nextId = 1;
  #closed = false;
  #error: Error | undefined;

  /** @internal Use {@link wisp}. */
  constructor(ws: WispWebSocket, version: 1 | 2, initialCredit: number, serverExtensions: readonly WispExtension[], hwm: number) {
    this.#ws = ws;
    this.version = version;
    this.#initialCredit = initialCredit;
    this.serverExtensions = serverExtensions;
    this.#hwm = hwm;
  }

  /** Streams open now. */
  get streams(): number {
    return this.#streams.size;
  }

  /** Whether the WebSocket has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Opens a TCP stream to `host:port` through the relay: CONNECT is sent at
   * once, data may follow before the relay has connected (spec: "the client
   * can begin sending data before any CONTINUE"). A refusal (CLOSE with a
   * reason) errors `readable` and `writable` with a {@link WispError}.
   */
  open(host: string, port: number): TlsTransport {
    if (typeof host !== 'string' || host === '') throw new TypeError('host must be a non-empty string');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port must be 1..65535, got ${port}`);
    if (this.#closed) throw this.#error ?? new WispError('the Wisp connection is closed');
    let id = this.#nextId;
    while (this.#streams.has(id) || id === 0) id = (id + 1) >>> 0;
    this.#nextId = (id + 1) >>> 0;
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const stream = new Stream(id, target, this, this.#initialCredit);
    this.#streams.set(id, stream);
    this.#ws.send(encodeConnect(id, STREAM_TYPE.TCP, host, port));
    return { readable: stream.readable, writable: stream.writable };
  }

  /**
   * A TLS 1.3 client to `host:port` over a new stream, end to end.
   *
   * @example
   * ```text
   * const relay = await wisp('ws://127.0.0.1:8080/');
   * const tls = relay.connect('example.com', 443, { ca: roots });
   * ```
   */
  connect(host: string, port: number, options: WispConnectOptions = {}): TlsStream {
    const tlsOptions = { ...options, serverName: options.serverName ?? host } as StartTlsOptions;
    // Bad TLS options throw here, before a stream is opened.
    const config = clientConfig(tlsOptions);
    return startTls(this.open(host, port), config, tlsOptions);
  }

  /**
   * A `(host, port) => Promise<TlsTransport>` for `request()`'s `transport`
   * option; the same function every time, so a ConnectionPool keyed by it
   * reuses connections across requests.
   */
  readonly transport = (host: string, port: number): Promise<TlsTransport> => {
    try {
      return Promise.resolve(this.open(host, port));
    } catch (e) {
      return Promise.reject(e);
    }
  };

  /** Closes every stream and the WebSocket. */
  close(): void {
    this.#shutdown(undefined);
    if (this.#ws.readyState <= OPEN) this.#ws.close(1000);
  }

  /** @internal Sends one packet, waiting while the WebSocket's buffer is above the mark. */
  async send(packet: Uint8Array): Promise<void> {
    if (this.#closed || this.#ws.readyState !== OPEN) throw this.#error ?? new WispError('the Wisp connection is closed');
    this.#ws.send(packet);
    while (this.#ws.bufferedAmount > this.#hwm && !this.#closed) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
  }

  /** @internal The application closed a stream: tell the relay (once). */
  closeStream(stream: Stream, reason: number): void {
    if (stream.closed) return;
    stream.end(undefined);
    this.#streams.delete(stream.id);
    if (!this.#closed && this.#ws.readyState === OPEN) this.#ws.send(encodeClose(stream.id, reason));
  }

  /** @internal One packet from the relay after the handshake. */
  receive(bytes: Uint8Array): void {
    let p;
    try {
      p = decodePacket(bytes);
      if (p.streamId === 0) {
        if (p.type === PACKET.CLOSE) throw new WispError(`Wisp: the relay closed the connection: ${closeReasonText(decodeClose(p.payload))}`, decodeClose(p.payload));
        // CONTINUE/INFO on stream 0 after the handshake carry nothing for us.
        return;
      }
      const stream = this.#streams.get(p.streamId);
      // Packets for a stream closed here may still be in flight.
      if (stream === undefined) return;
      switch (p.type) {
        case PACKET.DATA:
          stream.data(p.payload);
          return;
        case PACKET.CONTINUE:
          stream.grant(decodeContinue(p.payload));
          return;
        case PACKET.CLOSE: {
          const reason = decodeClose(p.payload);
          this.#streams.delete(stream.id);
          stream.end(reason === CLOSE_REASON.voluntary ? undefined : new WispError(`Wisp stream to ${stream.target}: ${closeReasonText(reason)}`, reason));
          return;
        }
        default:
          // Unknown packet types are ignored (v2 allows extensions to add them).
          return;
      }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.#shutdown(error);
      if (this.#ws.readyState === OPEN) this.#ws.close(1002, 'bad Wisp packet');
    }
  }

  /** @internal The WebSocket closed or failed: open streams end with `error`. */
  lost(error: Error): void {
    this.#shutdown(error);
  }

  #shutdown(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    for (const s of this.#streams.values()) s.end(error);
    this.#streams.clear();
  }
}

function constructorOf(given: WispWebSocketConstructor | undefined): WispWebSocketConstructor {
  if (given !== undefined) {
    if (typeof given !== 'function') throw new TypeError('options.WebSocket must be a constructor');
    return given;
  }
  const global = (globalThis as { WebSocket?: WispWebSocketConstructor }).WebSocket;
  if (global === undefined) throw new TypeError('no global WebSocket: pass options.WebSocket (in Node 20, the ws package)');
  return global;
}

/**
 * Opens a WebSocket to the Wisp relay at `url` (which ends with `/`, the
 * Wisp convention) and completes the Wisp handshake. Rejects with a
 * {@link WispError} when the relay refuses, or an Error when the WebSocket
 * does not open.
 *
 * @example
 * ```text
 * import { wisp } from 'wasmtls/wisp';
 * import roots from 'wasmtls/roots';
 * const relay = await wisp('wss://relay.example/');
 * const res = await request('https://example.com/', { ca: roots, transport: relay.transport });
 * ```
 */
export function wisp(url: string | URL, options: WispOptions = {}): Promise<WispClient> {
  let ws: WispWebSocket;
  let timeout: number;
  let hwm: number;
  const offer = options.version ?? 2;
  try {
    if (offer !== 1 && offer !== 2) throw new RangeError(`version must be 1 or 2, got ${String(offer)}`);
    const href = new URL(url);
    if (href.protocol !== 'ws:' && href.protocol !== 'wss:') throw new TypeError(`a WebSocket URL (ws: or wss:) is required, got ${href.protocol}`);
    timeout = options.openTimeout ?? DEFAULT_OPEN_TIMEOUT;
    if (!Number.isInteger(timeout) || timeout < 1) throw new RangeError(`openTimeout must be a positive integer (ms), got ${timeout}`);
    hwm = options.sendHighWaterMark ?? DEFAULT_SEND_HWM;
    if (!Number.isInteger(hwm) || hwm < 1) throw new RangeError(`sendHighWaterMark must be a positive integer, got ${hwm}`);
    const Ctor = constructorOf(options.WebSocket);
    ws = offer === 2 ? new Ctor(href.href, [V2_PROTOCOL]) : new Ctor(href.href);
  } catch (e) {
    return Promise.reject(e);
  }
  ws.binaryType = 'arraybuffer';
  return new Promise<WispClient>((resolve, reject) => {
    let client: WispClient | undefined;
    let settled = false;
    let version: 1 | 2 = 1;
    let extensions: WispExtension[] = [];
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
      if (ws.readyState <= OPEN) ws.close(1000);
    };
    const timer = setTimeout(() => fail(new Error(`the Wisp handshake did not finish within ${timeout} ms`)), timeout);
    ws.addEventListener('message', (event: { data: unknown }) => {
      if (!(event.data instanceof ArrayBuffer)) {
        const error = new WispError('Wisp: the relay sent a text message (Wisp is binary only)');
        if (client !== undefined) client.lost(error);
        else fail(error);
        if (ws.readyState === OPEN) ws.close(1003, 'binary messages only');
        return;
      }
      const bytes = new Uint8Array(event.data);
      if (client !== undefined) return client.receive(bytes);
      // The handshake ("Handshake Steps"): INFO (v2) or CONTINUE (v1) first, then CONTINUE on stream 0.
      try {
        const p = decodePacket(bytes);
        if (p.streamId !== 0) throw new WispError(`Wisp: packet type 0x${p.type.toString(16)} on stream ${p.streamId} before the handshake finished`);
        if (p.type === PACKET.INFO && offer === 2 && version === 1) {
          const info = decodeInfo(p.payload);
          if (info.major !== 2) throw new WispError(`Wisp: the relay speaks version ${info.major}.${info.minor}`, CLOSE_REASON.incompatibleExtensions);
          extensions = info.extensions;
          const auth = extensions.find((e) => (e.id === EXTENSION.PASSWORD || e.id === EXTENSION.KEY) && e.data[0] === 1);
          if (auth !== undefined) {
            ws.send(encodeClose(0, CLOSE_REASON.authRequired));
            throw new WispError('Wisp: the relay requires authentication, which this client does not implement', CLOSE_REASON.authRequired);
          }
          version = 2;
          ws.send(encodeInfo(2, 0, [{ id: EXTENSION.STREAM_CONFIRMATION, data: new Uint8Array(0) }]));
          return;
        }
        if (p.type === PACKET.CLOSE) {
          const reason = decodeClose(p.payload);
          throw new WispError(`Wisp: the relay refused the connection: ${closeReasonText(reason)}`, reason);
        }
        if (p.type !== PACKET.CONTINUE) throw new WispError(`Wisp: unexpected packet type 0x${p.type.toString(16)} during the handshake`);
        const credit = decodeContinue(p.payload);
        client = new WispClient(ws, version, credit, extensions, hwm);
        settled = true;
        clearTimeout(timer);
        resolve(client);
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
      }
    });
    ws.addEventListener('close', (event: { code: number; reason: string }) => {
      const error = new WispError(`the Wisp WebSocket closed with code ${event.code}${event.reason === '' ? '' : `: ${event.reason}`}`, CLOSE_REASON.networkError);
      if (client !== undefined) client.lost(error);
      else fail(error);
    });
    // Browsers give no detail in the error event; the close event that follows carries the code.
    ws.addEventListener('error', () => undefined);
  });
}
