/**
 * Node TCP transport for the sans-I/O engine: moves bytes between a
 * `net.Socket` and a {@link TlsClient} or {@link TlsServer} and turns the
 * engine's events into promises and callbacks. `wasmtls/node` exports it as
 * its low-level TCP API (the command line, the interop tests and the
 * benchmark use it from there) and builds node:tls's `TLSSocket`,
 * `connect` and `createServer` (src/node/) on it.
 *
 * No protocol logic lives here: records, alerts, close_notify and truncation
 * are the engine's. This module owns what the engine leaves to a transport
 * (src/engine.ts, "Not here, by design"): the handshake timeout, the
 * socket's lifetime, and back-pressure between the socket and the
 * application.
 *
 * Closing (RFC 8446 §6.1): `end()` sends close_notify; the socket's write
 * side is ended (TCP FIN) once close_notify went both ways, or at once after
 * an error. A socket that ends before the peer's close_notify is a
 * truncation, reported by the engine as an error.
 * @module
 */
import { connect as netConnect, createServer as netCreateServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { serverConfig, type TlsServerConfig } from '../config.js';
import { TlsClient, type TlsConnection, TlsServer } from '../engine.js';
import { TlsTimeoutError } from '../errors.js';
import type { HandshakeInfo, TlsClientOptions, TlsServerOptions } from '../types.js';
import { codedError, handshakeTimeoutOption, SessionLifecycle } from './session.js';
import type { Duplex } from 'node:stream';

export { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './session.js';
/** Peer data held while no `ondata` handler is set; beyond it the socket stops reading. */
const MAX_UNREAD_BYTES = 1 << 20;
/**
 * How long a socket whose write side has ended may wait for the peer's FIN
 * before it is destroyed. Long enough for a loopback or LAN peer to read a
 * fatal alert; short enough that a silent peer cannot hold the socket.
 */
const LINGER_MS = 2_000;

/** Options of one connection, on either side. */
export interface TcpConnectionOptions {
  /**
   * Milliseconds from the TCP connection to the end of the handshake before
   * the socket is destroyed with an `ETIMEDOUT` error; 0 disables it.
   * Default {@link DEFAULT_HANDSHAKE_TIMEOUT_MS}.
   */
  handshakeTimeout?: number;
  /**
   * Keep our write side open after the peer's close_notify (TLS half-close).
   * Default false: the peer's close_notify is answered with ours at once.
   */
  allowHalfOpen?: boolean;
}

/**
 * One TLS connection over one TCP socket (or any byte `Duplex`, for
 * `wasmtls/node`'s `socket` option). Made by {@link connectTcp} and by
 * {@link TcpTlsServer} for each accepted socket.
 *
 * Peer data goes to `ondata`; data that arrives before a handler is set is
 * held (up to 1 MiB, then the socket stops reading) and delivered when one
 * is set. `handshake` and `closed` never cause an unhandled rejection.
 *
 * @example
 * const conn = await connectTcp({ host: '127.0.0.1', port: 8443, serverName: 'localhost', ca });
 * conn.ondata = (bytes) => process.stdout.write(bytes);
 * conn.write(new TextEncoder().encode('hello'));
 * conn.end();
 * await conn.closed;
 */
export class TcpTlsConnection<S extends Duplex = Socket> {
  /** The engine. Its own events may be listened to as well. */
  readonly tls: TlsConnection;
  /** The TCP socket (or byte stream). Write to it only through this object. */
  readonly socket: S;
  /** Settles with the handshake result, or rejects with the error that ended the connection first. */
  readonly handshake: Promise<HandshakeInfo>;
  /**
   * Settles when the socket has closed: resolves after a clean close, rejects
   * with the first error (a `TlsError`, a truncation, a socket error, a
   * timeout).
   */
  readonly closed: Promise<void>;
  /** Called when the peer has sent close_notify (it sends nothing more). */
  onend: (() => void) | undefined;
  /** Called when a `write()` that returned false has drained. */
  ondrain: (() => void) | undefined;

  readonly #allowHalfOpen: boolean;
  #ondata: ((data: Uint8Array) => void) | undefined;
  #unread: Uint8Array[] = [];
  #unreadBytes = 0;
  #pausedByUser = false;
  #pausedUnread = false;
  readonly #life: SessionLifecycle;
  #socketClosed = false;
  #lingerTimer: ReturnType<typeof setTimeout> | undefined;

  /** Binds an engine to a socket (connected or connecting); use {@link connectTcp} or {@link createTcpServer}. */
  constructor(tls: TlsConnection, socket: S, options: TcpConnectionOptions = {}) {
    this.tls = tls;
    this.socket = socket;
    this.#allowHalfOpen = options.allowHalfOpen === true;
    const timeout = handshakeTimeoutOption(options.handshakeTimeout);
    this.#life = new SessionLifecycle(timeout, () => {
      this.#fail(new TlsTimeoutError('ETIMEDOUT', `handshake timed out after ${timeout} ms`));
      this.socket.destroy();
    });
    this.handshake = this.#life.opened;
    this.closed = this.#life.closed;

    tls.on('handshake', (info) => this.#life.handshake(info));
    tls.on('data', (data) => this.#deliver(data));
    tls.on('close', () => {
      this.onend?.();
      if (!this.#allowHalfOpen) this.tls.close();
    });
    tls.on('error', (error) => this.#fail(error));

    // Only a net.Socket has Nagle's algorithm to turn off.
    (socket as { setNoDelay?: (noDelay: boolean) => unknown }).setNoDelay?.(true);
    socket.on('data', (bytes: Buffer) => {
      this.tls.receive(bytes);
      this.#flush();
    });
    socket.on('end', () => {
      // Before the peer's close_notify this is a truncation (the engine's
      // error). After it, our write side may still be open (half-close): the
      // engine is told the transport ended when the socket closes.
      if (!this.tls.readClosed) this.tls.transportClosed();
      this.#flush();
    });
    socket.on('drain', () => this.ondrain?.());
    socket.on('error', (error) => {
      // A reset after close_notify went both ways loses nothing.
      if (this.tls.readClosed && this.tls.writeClosed && this.#life.error === undefined && this.tls.error === undefined) return;
      this.#fail(error);
    });
    socket.on('close', () => this.#onSocketClose());

    this.#flush();
  }

  /** The peer's data handler. Setting it delivers any data held so far. */
  get ondata(): ((data: Uint8Array) => void) | undefined {
    return this.#ondata;
  }

  set ondata(handler: ((data: Uint8Array) => void) | undefined) {
    this.#ondata = handler;
    if (handler === undefined) return;
    const held = this.#unread;
    this.#unread = [];
    this.#unreadBytes = 0;
    for (const d of held) handler(d);
    if (this.#pausedUnread) {
      this.#pausedUnread = false;
      this.#updatePause();
    }
  }

  /** The error that ended the connection, if any. */
  get error(): Error | undefined {
    return this.#life.error;
  }

  /**
   * Sends application data (queued until the handshake completes). Returns
   * false when the socket's buffer is full: wait for `ondrain` before writing
   * more. Throws after `end()`, like the engine.
   */
  write(data: Uint8Array): boolean {
    this.tls.write(data);
    return this.#flush();
  }

  /** Sends close_notify; the socket ends once the peer's close_notify arrives (or at once if it already has). */
  end(): void {
    this.tls.close();
    this.#flush();
  }

  /** Destroys the socket at once, without close_notify; `closed` rejects with `error` if given. */
  destroy(error?: Error): void {
    if (error !== undefined) this.#fail(error);
    this.socket.destroy();
  }

  /** Stops reading from the socket (back-pressure from the application). */
  pause(): void {
    this.#pausedByUser = true;
    this.#updatePause();
  }

  /** Resumes reading after {@link TcpTlsConnection.pause}. */
  resume(): void {
    this.#pausedByUser = false;
    this.#updatePause();
  }

  #updatePause(): void {
    if (this.#pausedByUser || this.#pausedUnread) this.socket.pause();
    else this.socket.resume();
  }

  #deliver(data: Uint8Array): void {
    const handler = this.#ondata;
    if (handler !== undefined) {
      handler(data);
      return;
    }
    this.#unread.push(data);
    this.#unreadBytes += data.length;
    if (this.#unreadBytes > MAX_UNREAD_BYTES && !this.#pausedUnread) {
      this.#pausedUnread = true;
      this.#updatePause();
    }
  }

  /** Writes the engine's output to the socket; ends the socket when the TLS connection is over. */
  #flush(): boolean {
    const out = this.tls.takeOutput();
    const socket = this.socket;
    let ok = !socket.writableNeedDrain;
    if (out.length > 0 && socket.writable) {
      if (out.length > 1) socket.cork();
      for (const chunk of out) ok = socket.write(chunk);
      if (out.length > 1) socket.uncork();
    }
    const over = this.#life.error !== undefined || (this.tls.readClosed && this.tls.writeClosed);
    if (over) this.#endSocket();
    return ok;
  }

  /** Ends our write side (after what is queued) and gives the peer LINGER_MS to end its side. */
  #endSocket(): void {
    if (this.#socketClosed || this.#lingerTimer !== undefined) return;
    if (this.socket.destroyed) return;
    if (!this.socket.writableEnded) this.socket.end();
    this.#lingerTimer = setTimeout(() => this.socket.destroy(), LINGER_MS);
  }

  #fail(error: Error): void {
    if (this.#socketClosed || !this.#life.fail(error)) return;
    this.#flush(); // the fatal alert, if the engine queued one
  }

  #onSocketClose(): void {
    this.#life.clearTimer();
    if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
    // Wipes the engine's secrets; reports a truncation unless close_notify came first.
    this.tls.transportClosed();
    this.tls.takeOutput();
    this.#socketClosed = true;
    this.#life.finish(() => codedError('ECONNRESET', 'the socket closed before the handshake completed'));
  }
}

/** Options of {@link connectTcp}: the client's TLS options, where to connect, and the connection options. */
export interface TcpConnectOptions extends TlsClientOptions, TcpConnectionOptions {
  /** Host name or IP address to connect to. */
  host: string;
  /** TCP port. */
  port: number;
}

/**
 * Opens a TCP connection and runs a TLS 1.3 handshake over it. Resolves
 * once the handshake completed (the handshake timeout covers the TCP
 * connection too); rejects with the error otherwise, the socket destroyed.
 *
 * @example
 * const conn = await connectTcp({ host: 'localhost', port: 8443, serverName: 'localhost', ca: caPem });
 * console.log(conn.tls.handshakeInfo?.cipherSuite);
 */
export function connectTcp(options: TcpConnectOptions): Promise<TcpTlsConnection> {
  let tls: TlsClient;
  try {
    tls = new TlsClient(options);
    handshakeTimeoutOption(options.handshakeTimeout);
  } catch (e) {
    return Promise.reject(e);
  }
  const socket = netConnect({ host: options.host, port: options.port, allowHalfOpen: true });
  const conn = new TcpTlsConnection(tls, socket, options);
  return conn.handshake.then(
    () => conn,
    (e: unknown) => {
      socket.destroy();
      throw e;
    },
  );
}

/** Options of {@link createTcpServer}: the server's TLS options and those of each connection. */
export interface TcpServerOptions extends TlsServerOptions, TcpConnectionOptions {}

/**
 * A TLS 1.3 server over TCP: one {@link TlsServer} per accepted socket. A
 * connection that fails (bad handshake, timeout, reset) is reported to
 * `onerror` and never affects the others.
 */
export class TcpTlsServer {
  /** The listening node:net server. */
  readonly server: Server;
  /**
   * Called with every connection's error (after its `closed` rejects), and
   * with errors of the listening socket itself (connection undefined).
   */
  onerror: ((error: Error, connection: TcpTlsConnection | undefined) => void) | undefined;
  readonly #connections = new Set<TcpTlsConnection>();
  readonly #config: TlsServerConfig;
  readonly #options: TcpConnectionOptions;
  readonly #onConnection: (connection: TcpTlsConnection) => void;

  /** Use {@link createTcpServer}. */
  constructor(options: TcpServerOptions, onConnection: (connection: TcpTlsConnection) => void) {
    this.#config = serverConfig(options);
    this.#options = options;
    this.#onConnection = onConnection;
    this.server = netCreateServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
    // After listen(): accept() failures (EMFILE, ...) must not crash the process.
    this.server.on('error', (e) => {
      if (this.server.listening) this.onerror?.(e, undefined);
    });
  }

  /** Open connections (accepted and not yet closed). */
  get connections(): ReadonlySet<TcpTlsConnection> {
    return this.#connections;
  }

  /** The address the server listens on, once listening. */
  get address(): AddressInfo | undefined {
    const a = this.server.address();
    return a !== null && typeof a === 'object' ? a : undefined;
  }

  /**
   * Starts listening; port 0 lets the OS choose. Resolves with the address.
   * @example const { port } = await server.listen(0, '127.0.0.1');
   */
  listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.address as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting, sends close_notify on every connected connection,
   * destroys those still handshaking, and after `graceMs` destroys whatever
   * is left. Resolves once every socket and the listener are closed.
   */
  async close(graceMs = 5_000): Promise<void> {
    const listening = new Promise<void>((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    const open = [...this.#connections];
    for (const c of open) {
      if (c.tls.connected) c.end();
      else c.destroy(codedError('ECONNABORTED', 'the server is shutting down'));
    }
    const grace = setTimeout(() => {
      for (const c of this.#connections) c.destroy(codedError('ETIMEDOUT', `the peer did not close within ${graceMs} ms of the server's shutdown`));
    }, graceMs);
    await Promise.allSettled(open.map((c) => c.closed));
    clearTimeout(grace);
    await listening;
  }

  #accept(socket: Socket): void {
    let conn: TcpTlsConnection;
    try {
      conn = new TcpTlsConnection(new TlsServer(this.#config), socket, this.#options);
    } catch {
      socket.destroy();
      return;
    }
    this.#connections.add(conn);
    conn.closed.then(
      () => this.#connections.delete(conn),
      (e: Error) => {
        this.#connections.delete(conn);
        this.onerror?.(e, conn);
      },
    );
    try {
      this.#onConnection(conn);
    } catch (e) {
      conn.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/**
 * A TLS 1.3 server over TCP. The certificate chain and key are parsed once
 * (a bad one throws here, not per connection); `onConnection` runs for each
 * accepted socket before its handshake, so it can set `ondata` at once.
 *
 * @example
 * const server = createTcpServer({ cert: fullchainPem, key: keyPem }, (conn) => {
 *   conn.ondata = (bytes) => conn.write(bytes); // echo
 * });
 * const { port } = await server.listen(8443, '127.0.0.1');
 */
export function createTcpServer(options: TcpServerOptions, onConnection: (connection: TcpTlsConnection) => void): TcpTlsServer {
  if (typeof onConnection !== 'function') throw new TypeError('onConnection must be a function');
  handshakeTimeoutOption(options.handshakeTimeout);
  // The configuration is built (the chain and key parsed, everything checked) once, for every connection.
  return new TcpTlsServer(options, onConnection);
}
