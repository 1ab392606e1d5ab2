/**
 * TLS over WHATWG streams, the same in Node and browsers: {@link startTls}
 * and {@link acceptTls} run the sans-I/O engine over any byte transport
 * given as `{ readable, writable }` (a TCP socket, a WebSocket, an
 * in-memory pipe) and return a socket with a `readable` of the peer's data
 * and a `writable` for ours.
 *
 * No protocol logic lives here: records, alerts, close_notify and
 * truncation are the engine's (src/engine.ts). This module owns what the
 * engine leaves to a transport: moving bytes, back-pressure (the socket's
 * `readable` is read from the transport only while it wants data; writes
 * wait for the transport writer's `ready`), and the transport's lifetime.
 *
 * Closing (RFC 8446 §6.1): closing `writable` sends close_notify. When the
 * peer's close_notify arrives, `readable` ends; `writable` stays open until
 * the application closes it (or at once with `closeOnPeerClose`). Once close_notify went both ways the transport is
 * closed and `closed` resolves. A transport that ends before the peer's
 * close_notify is a truncation: `closed` rejects with the engine's TlsError.
 * @module
 */
import { isClientConfig, isServerConfig, type TlsClientConfig, type TlsServerConfig } from '../config.js';
import { TlsClient, type TlsConnection, TlsServer } from '../engine.js';
import { TlsTimeoutError } from '../errors.js';
import type { HandshakeInfo, TlsClientOptions, TlsServerOptions } from '../types.js';
import { handshakeTimeoutOption, SessionLifecycle } from './session.js';

/** A byte transport: what the peer sends arrives on `readable`, what is written to `writable` goes to the peer. */
export interface TlsTransport {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}

/** Options of the stream socket itself (both sides). */
export interface TlsStreamOptions {
  /**
   * Answer the peer's close_notify with ours at once and error `writable`
   * (chunks still queued in it are dropped). Default false: TLS half-close,
   * `writable` stays usable until the application closes it, so a
   * `readable.pipeTo(writable)` echo sends everything before its
   * close_notify.
   */
  closeOnPeerClose?: boolean;
  /** Bytes of decrypted peer data `readable` buffers before the transport is no longer read. Default 65536. */
  readableHighWaterMark?: number;
  /**
   * Milliseconds for the handshake before the connection fails with an
   * Error whose `code` is `'ETIMEDOUT'` (the transport is closed); 0
   * disables it. Default {@link DEFAULT_HANDSHAKE_TIMEOUT_MS} (120 s).
   */
  handshakeTimeout?: number;
}

/** Options of {@link startTls}: the engine's client options and the stream options. */
export interface StartTlsOptions extends TlsClientOptions, TlsStreamOptions {}
/** Options of {@link acceptTls}: the engine's server options and the stream options. */
export interface AcceptTlsOptions extends TlsServerOptions, TlsStreamOptions {}

/** One TLS connection over a {@link TlsTransport}. */
export interface TlsStream {
  /** The peer's application data. Ends after the peer's close_notify; errors with the connection's error. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Our application data (queued until the handshake completes). Closing it sends close_notify. */
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves with the handshake result; rejects with the error that ended the connection first. */
  readonly opened: Promise<HandshakeInfo>;
  /**
   * Settles once the transport is closed: resolves after a clean close
   * (close_notify both ways, or {@link TlsStream.close}); rejects with the
   * first error (a TlsError, a truncation, a transport error).
   */
  readonly closed: Promise<void>;
  /** The engine, for what the streams do not carry (exportKeyingMaterial, keyUpdate). */
  readonly tls: TlsConnection;
  /**
   * Sends close_notify (after data already written) and closes the
   * transport without waiting for the peer's close_notify (RFC 8446 §6.1
   * allows not waiting). `readable` ends; later peer data is dropped.
   * Resolves like `closed`.
   */
  close(): Promise<void>;
}

const DEFAULT_READABLE_HWM = 65536;

/**
 * Runs a TLS 1.3 client over `transport`: the ClientHello is sent at once.
 * Options are the engine's {@link TlsClientOptions} (passed to it as they
 * are) plus {@link TlsStreamOptions}, or a config made once by
 * `clientConfig()` and the stream options apart. Bad options throw a
 * TypeError or RangeError here, before the transport is touched.
 *
 * @example
 * const tls = startTls(transport, { serverName: 'example.com', ca });
 * console.log((await tls.opened).cipherSuite);
 * const writer = tls.writable.getWriter();
 * await writer.write(new TextEncoder().encode('hello'));
 * await writer.close(); // close_notify
 * for await (const chunk of tls.readable) console.log(chunk);
 */
export function startTls(transport: TlsTransport, options: StartTlsOptions | TlsClientConfig, stream?: TlsStreamOptions): TlsStream {
  checkTransport(transport);
  return new StreamTls(new TlsClient(options), transport, stream ?? (isClientConfig(options) ? {} : options));
}

/**
 * Runs a TLS 1.3 server over `transport` (one connection). Options are the
 * engine's {@link TlsServerOptions} plus {@link TlsStreamOptions}, or a
 * config made once by `serverConfig()` (the chain and key parsed once for
 * every connection) and the stream options apart.
 *
 * @example
 * const tls = acceptTls(transport, { cert: chainPem, key: keyPem });
 * await tls.readable.pipeTo(tls.writable); // echo
 */
export function acceptTls(transport: TlsTransport, options: AcceptTlsOptions | TlsServerConfig, stream?: TlsStreamOptions): TlsStream {
  checkTransport(transport);
  return new StreamTls(new TlsServer(options), transport, stream ?? (isServerConfig(options) ? {} : options));
}

function checkTransport(t: TlsTransport): void {
  if (typeof t !== 'object' || t === null || !(t.readable instanceof ReadableStream) || !(t.writable instanceof WritableStream)) {
    throw new TypeError('transport must be { readable: ReadableStream, writable: WritableStream }');
  }
  if (t.readable.locked || t.writable.locked) throw new TypeError('transport streams must not be locked');
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

const noop = (): void => undefined;

class StreamTls implements TlsStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<HandshakeInfo>;
  readonly closed: Promise<void>;
  readonly tls: TlsConnection;

  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #closeOnPeerClose: boolean;
  #readableController!: ReadableStreamDefaultController<Uint8Array>;
  #writableController!: WritableStreamDefaultController;
  #readableOpen = true;
  #readableCancelled = false;
  #writableOpen = true;
  #pending: Promise<void> = Promise.resolve();
  #demand: (() => void) | undefined;
  readonly #life: SessionLifecycle;
  #finishing: Promise<void> | undefined;

  constructor(tls: TlsConnection, transport: TlsTransport, options: TlsStreamOptions) {
    this.tls = tls;
    this.#closeOnPeerClose = options.closeOnPeerClose === true;
    const hwm = options.readableHighWaterMark ?? DEFAULT_READABLE_HWM;
    if (!Number.isInteger(hwm) || hwm < 1) throw new RangeError(`readableHighWaterMark must be a positive integer, got ${hwm}`);
    const timeout = handshakeTimeoutOption(options.handshakeTimeout);
    this.#life = new SessionLifecycle(timeout, () => this.#fail(new TlsTimeoutError('ETIMEDOUT', `handshake timed out after ${timeout} ms`)));
    this.opened = this.#life.opened;
    this.closed = this.#life.closed;

    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.#readableController = c;
        },
        pull: () => this.#wake(),
        cancel: () => {
          // The application reads no more; the transport is still drained so
          // the handshake, close_notify and errors are seen.
          this.#readableOpen = false;
          this.#readableCancelled = true;
          this.#wake();
        },
      },
      { highWaterMark: hwm, size: (chunk) => chunk.byteLength },
    );
    this.writable = new WritableStream<Uint8Array>({
      start: (c) => {
        this.#writableController = c;
      },
      write: (chunk) => this.#write(chunk),
      close: () => this.#closeWritable(),
      abort: (reason) => {
        this.#writableOpen = false;
        this.#fail(reason instanceof Error ? reason : new Error(`writable aborted${reason === undefined ? '' : `: ${String(reason)}`}`));
      },
    });

    this.#reader = transport.readable.getReader();
    this.#writer = transport.writable.getWriter();
    // The transport writer's own promise: a rejection is seen through write() and ready.
    this.#writer.closed.catch(noop);

    tls.on('handshake', (info) => this.#life.handshake(info));
    tls.on('data', (data) => {
      if (this.#readableOpen) this.#readableController.enqueue(data);
    });
    tls.on('close', () => {
      this.#endReadable();
      if (this.#closeOnPeerClose && !tls.writeClosed) {
        this.#writableOpen = false;
        this.#writableController.error(new Error('the peer closed the connection (close_notify); nothing more can be sent'));
        tls.close();
      }
    });
    tls.on('error', (error) => this.#fail(error));

    this.#flush();
    void this.#readLoop();
  }

  close(): Promise<void> {
    if (this.#life.error === undefined && this.#finishing === undefined) {
      this.#endReadable();
      if (this.#writableOpen) {
        this.#writableOpen = false;
        this.#writableController.error(new Error('the socket was closed'));
      }
      this.tls.close();
      this.#flush();
      void this.#finish();
    }
    return this.closed;
  }

  #endReadable(): void {
    if (!this.#readableOpen) return;
    this.#readableOpen = false;
    this.#readableController.close();
  }

  #wake(): void {
    const d = this.#demand;
    this.#demand = undefined;
    d?.();
  }

  /** Resolves when the application wants more data (or no longer reads at all). */
  #wantData(): Promise<void> | undefined {
    if (!this.#readableOpen || (this.#readableController.desiredSize ?? 1) > 0) return undefined;
    return new Promise((resolve) => {
      this.#demand = resolve;
    });
  }

  async #readLoop(): Promise<void> {
    try {
      for (;;) {
        const wait = this.#wantData();
        if (wait !== undefined) await wait;
        if (this.#finishing !== undefined || this.#life.error !== undefined) return;
        const { value, done } = await this.#reader.read();
        if (this.#finishing !== undefined || this.#life.error !== undefined) return;
        if (done) {
          // Before the peer's close_notify the engine reports a truncation (its error event).
          this.tls.transportClosed();
          this.#flush();
          this.#endReadable();
          void this.#finish();
          return;
        }
        if (!(value instanceof Uint8Array)) throw new TypeError('the transport must deliver Uint8Array chunks');
        this.tls.receive(value);
        this.#flush();
      }
    } catch (e) {
      this.#fail(asError(e));
    }
  }

  /** Writes the engine's output to the transport; finishes once close_notify went both ways. */
  #flush(): void {
    const out = this.tls.takeOutput();
    for (const chunk of out) {
      const w = this.#writer.write(chunk);
      this.#pending = w.catch((e: unknown) => this.#fail(asError(e)));
    }
    if (this.#life.error === undefined && this.tls.readClosed && this.tls.writeClosed) void this.#finish();
  }

  async #write(chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('writable accepts Uint8Array chunks only');
    // Before the handshake completes the engine would queue without bound: wait instead.
    if (!this.#life.handshakeDone) await this.opened;
    if (this.#life.error !== undefined) throw this.#life.error;
    this.tls.write(chunk);
    this.#flush();
    await this.#writer.ready;
  }

  async #closeWritable(): Promise<void> {
    this.#writableOpen = false;
    if (!this.#life.handshakeDone) await this.opened;
    if (this.#life.error !== undefined) throw this.#life.error;
    this.tls.close();
    this.#flush();
    await this.#pending;
    if (this.#life.error !== undefined) throw this.#life.error;
  }

  #fail(error: Error): void {
    if (this.#finishing !== undefined || !this.#life.fail(error)) return;
    if (this.#readableOpen) {
      this.#readableOpen = false;
      this.#readableController.error(error);
    }
    if (this.#writableOpen) {
      this.#writableOpen = false;
      this.#writableController.error(error);
    }
    this.#wake();
    // The fatal alert, if the engine queued one, goes out before the transport closes.
    for (const chunk of this.tls.takeOutput()) this.#pending = this.#writer.write(chunk).catch(noop);
    void this.#finish();
  }

  /** Closes the transport (after pending writes), wipes the engine, settles `closed`. */
  #finish(): Promise<void> {
    if (this.#finishing !== undefined) return this.#finishing;
    this.#life.clearTimer();
    this.#finishing = (async () => {
      await this.#pending;
      await this.#writer.close().catch(noop);
      await this.#reader.cancel().catch(noop);
      this.#writer.releaseLock();
      this.#reader.releaseLock();
      // Wipes the engine's secrets. After our own close() without the peer's
      // close_notify the engine reports a truncation, which #fail ignores
      // now: we chose not to wait.
      this.tls.transportClosed();
      this.tls.takeOutput();
      this.#wake();
      this.#life.finish(() => new Error('the connection closed before the handshake completed'));
    })();
    return this.#finishing;
  }
}
