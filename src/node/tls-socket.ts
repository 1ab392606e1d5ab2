/**
 * `TLSSocket`: a wasmtls connection as a `stream.Duplex` with node:tls's
 * names (events, properties, methods); `connect()` (src/node/connect.ts)
 * and `createServer()` make them. The byte moving, close_notify and truncation handling are the
 * transport's ({@link TcpTlsConnection}, src/transport/tcp.ts); this module
 * adds the stream interface, Node's certificate checks
 * (`checkServerIdentity`), the handshake timeout and Node's error routing.
 * @module
 */
import type { Socket } from 'node:net';
import { TLS12_SUITES, tls12Suite } from '../handshake/tls12/suites.js';
import { Duplex } from 'node:stream';
import type { HandshakeInfo, TlsConnection } from '../engine.js';
import { TlsTimeoutError } from '../errors.js';
import { codedError, DEFAULT_HANDSHAKE_TIMEOUT_MS } from '../transport/session.js';
import { TcpTlsConnection } from '../transport/tcp.js';
import type { Certificate } from '../x509/certificate.js';
import { msOption } from './options.js';
import { type DetailedPeerCertificate, detailedPeerCertificate, type PeerCertificate, peerCertificate } from './peer-certificate.js';

/** Default handshake timeout on both sides, as node:tls's server (`handshakeTimeout`): the transports' one constant. */
export const DEFAULT_HANDSHAKE_TIMEOUT = DEFAULT_HANDSHAKE_TIMEOUT_MS;

/**
 * How long `destroySoon()` waits, after our close_notify and FIN were
 * written, for the peer to close before the socket is destroyed. The same
 * bound as the transport's linger.
 */
const DESTROY_SOON_MS = 2_000;

/** Runs application-facing code from inside an engine callback; rethrows its exception on the next tick. */
function outsideEngine(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    process.nextTick(() => {
      throw e;
    });
  }
}

/** Cipher details as node:tls's `getCipher()`. */
export interface CipherNameAndProtocol {
  /** OpenSSL's name as node:tls gives it: the IANA name for TLS 1.3 suites (`'TLS_AES_128_GCM_SHA256'`), e.g. `'ECDHE-RSA-AES128-GCM-SHA256'` for TLS 1.2. */
  name: string;
  /** IANA name. */
  standardName: string;
  /** `'TLSv1.3'` or `'TLSv1.2'`. */
  version: string;
}

/** How a client socket checks the server, resolved from connect()'s options (src/node/connect.ts). */
export interface ClientCheck {
  readonly hostname: string;
  readonly rejectUnauthorized: boolean;
  /**
   * Set when the application gave `checkServerIdentity`: the engine runs it
   * once the chain validated (one validation per handshake); the Error it
   * gave, as the application made it, is here.
   */
  readonly custom: { readonly error: () => Error | undefined } | undefined;
}

/** Settings of one {@link TLSSocket}; made by `connect()` and by the server. */
export interface TLSSocketSettings {
  /** Milliseconds to finish the handshake; 0 disables it. */
  readonly handshakeTimeout: number;
  readonly allowHalfOpen: boolean;
  /** Client only. */
  readonly check?: ClientCheck | undefined;
  /** Server only: receives errors that happen before the handshake completed ('tlsClientError'), instead of the socket's 'error'. */
  readonly onClientError?: ((error: Error, socket: TLSSocket) => void) | undefined;
  /** Server only: our certificate, for `getCertificate()`. */
  readonly localCertificate?: Certificate | undefined;
}

/**
 * A TLS 1.3 connection as a `stream.Duplex`, shaped like node:tls's
 * `TLSSocket`: `'secureConnect'` (client) or `'secure'` (server) when the
 * handshake completed, `authorized`, `authorizationError`, `alpnProtocol`,
 * `getPeerCertificate()`, `getProtocol()`, `getCipher()`; `end()` sends
 * close_notify; `'error'` carries a {@link TlsError} (with `alert` and
 * `code`) for protocol failures, Node's coded errors otherwise.
 *
 * Differences from node:tls, by design: a TCP close without the peer's
 * close_notify is an error (a truncation, RFC 8446 §6.1), not a plain
 * `'end'`; `authorizationError` is an Error (node:tls documents an Error but
 * sets a code string). Made by `connect()` and by `createServer()`.
 *
 * @example
 * const socket = connect({ host: 'localhost', port: 8443, ca }, () => {
 *   console.log(socket.getProtocol(), socket.getCipher()?.name, socket.alpnProtocol);
 *   socket.end('hello');
 * });
 */
export class TLSSocket extends Duplex {
  /** Always true, as node:tls. */
  readonly encrypted = true as const;
  /** True once the server's certificate was validated (client); false on a server socket, which asks for no client certificate (as node:tls without `requestCert`). */
  authorized = false;
  /** Why the server's certificate did not validate, with `rejectUnauthorized: false`. */
  authorizationError: Error | undefined = undefined;
  /** The negotiated ALPN protocol, false when none was (node:tls's convention); null before the handshake. */
  alpnProtocol: string | false | null = null;
  /** Client: the name checked. Server: the SNI name the client sent, or false. */
  servername: string | false | null = null;
  /** The engine connection (wasmtls's API: `exportKeyingMaterial`, `keyUpdate`, events). */
  readonly tls: TlsConnection;
  readonly #raw: Duplex;
  readonly #conn: TcpTlsConnection<Duplex>;
  readonly #settings: TLSSocketSettings;
  #info: HandshakeInfo | undefined;
  #secure = false;
  #whenSecure: (() => void)[] = [];
  #rawClosed = false;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #idleMs = 0;
  #timeoutForwarded = false;

  /** Binds an engine to a stream; use `connect()` or `createServer()`. */
  constructor(raw: Duplex, tls: TlsConnection, settings: TLSSocketSettings) {
    super({ allowHalfOpen: settings.allowHalfOpen, autoDestroy: false });
    this.tls = tls;
    this.#raw = raw;
    this.#settings = settings;
    // The stream's own allowHalfOpen decides when to send close_notify (on 'end', after our writes).
    const conn = new TcpTlsConnection<Duplex>(tls, raw, { handshakeTimeout: 0, allowHalfOpen: true });
    this.#conn = conn;
    // Synchronous, inside receive(): a server refused by checkServerIdentity gets no data through.
    tls.on('handshake', (info) => this.#onHandshake(info));
    // node:tls's 'keylog' (a Buffer line with its newline): the engine exports secrets only while someone listens here.
    const keylog = (line: string): void => void this.emit('keylog', Buffer.from(`${line}\n`, 'latin1'));
    this.on('newListener', (event: string | symbol) => {
      if (event === 'keylog' && this.listenerCount('keylog') === 0) tls.on('keylog', keylog);
    });
    this.on('removeListener', (event: string | symbol) => {
      if (event === 'keylog' && this.listenerCount('keylog') === 0) tls.off('keylog', keylog);
    });
    // 'data' listeners may run inside push(), so inside the engine's receive():
    // what they throw is rethrown outside it (uncaught, as with node:tls).
    conn.ondata = (data) => {
      if (this.destroyed) return;
      let more = true;
      outsideEngine(() => {
        more = this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      });
      if (!more) conn.pause();
    };
    conn.onend = () => {
      if (this.destroyed) return;
      outsideEngine(() => {
        this.push(null);
        // As net.Socket: 'end' is emitted when nothing is left unread, even if nobody reads.
        this.read(0);
      });
    };
    conn.closed.then(
      () => this.#onRawClosed(undefined),
      (e: Error) => this.#onRawClosed(e),
    );
    if (settings.handshakeTimeout > 0) {
      this.#handshakeTimer = setTimeout(() => {
        this.#handshakeTimer = undefined;
        conn.destroy(new TlsTimeoutError('ERR_TLS_HANDSHAKE_TIMEOUT', `TLS handshake timeout: not completed within ${settings.handshakeTimeout} ms`));
      }, settings.handshakeTimeout);
    }
    const net = raw as Partial<Socket>;
    if (net.connecting === true) raw.once('connect', () => this.emit('connect'));
  }

  #onHandshake(info: HandshakeInfo): void {
    this.#clearHandshakeTimer();
    this.#info = info;
    this.alpnProtocol = info.alpn ?? false;
    const check = this.#settings.check;
    if (check === undefined) {
      // Server: no client certificate is asked for, so nothing is authorized (node:tls without requestCert).
      this.servername = info.serverName ?? false;
      this.#becomeSecure('secure');
      return;
    }
    this.servername = check.hostname;
    let verifyError: Error | undefined = info.authorizationError;
    if (check.custom !== undefined) verifyError = check.custom.error() ?? verifyError;
    if (verifyError !== undefined) {
      this.authorized = false;
      this.authorizationError = verifyError;
      if (check.rejectUnauthorized) {
        this.destroy(verifyError);
        return;
      }
    } else {
      this.authorized = true;
    }
    this.#becomeSecure('secureConnect');
  }

  /**
   * Announces the handshake on the next tick, outside the engine's
   * `receive()`: an exception in the application's listener is then an
   * uncaught exception, as with node:tls, not an engine internal_error. A
   * connection that failed in between is never announced.
   */
  #becomeSecure(event: 'secure' | 'secureConnect'): void {
    process.nextTick(() => {
      if (this.destroyed) return;
      this.#secure = true;
      const waiting = this.#whenSecure;
      this.#whenSecure = [];
      for (const fn of waiting) fn();
      this.emit(event);
    });
  }

  #onRawClosed(error: Error | undefined): void {
    this.#rawClosed = true;
    this.#clearHandshakeTimer();
    if (this.destroyed) return;
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    if (!this.#secure) {
      // Closed before the handshake ended (our own destroy, or the peer's reset without data).
      this.#fail(codedError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'));
      return;
    }
    // Clean close_notify both ways: close once the application read the end.
    if (this.readableEnded) this.destroy();
    else this.once('end', () => this.destroy());
  }

  /** Errors before a server socket's handshake go to the server ('tlsClientError'); all others to 'error'. */
  #fail(error: Error): void {
    const report = this.#settings.onClientError;
    if (report !== undefined && !this.#secure) {
      this.destroy();
      report(error, this);
    } else {
      this.destroy(error);
    }
  }

  #clearHandshakeTimer(): void {
    if (this.#handshakeTimer !== undefined) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
  }

  #afterSecure(fn: () => void): void {
    if (this.#secure) fn();
    else this.#whenSecure.push(fn);
  }

  override _read(): void {
    this.#conn.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#afterSecure(() => this.#send(chunk, callback));
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    const data = chunks.length === 1 ? (chunks[0] as { chunk: Buffer }).chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this.#afterSecure(() => this.#send(data, callback));
  }

  #send(data: Uint8Array, callback: (error?: Error | null) => void): void {
    this.#touch();
    let ok: boolean;
    try {
      ok = this.#conn.write(data);
    } catch (e) {
      callback(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (ok) callback();
    else {
      this.#conn.ondrain = () => {
        this.#conn.ondrain = undefined;
        callback();
      };
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#afterSecure(() => {
      this.#conn.end();
      callback();
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#clearHandshakeTimer();
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#whenSecure = [];
    if (this.#rawClosed) {
      callback(error);
      return;
    }
    this.#conn.destroy();
    this.#conn.closed.then(
      () => callback(error),
      () => callback(error),
    );
  }

  /**
   * Ends our side (close_notify, then FIN) and destroys the socket once the
   * peer closed, or after 2 s; what node:http calls after a response.
   */
  destroySoon(): void {
    if (this.writable) this.end();
    const later = () => {
      if (this.destroyed) return;
      const t = setTimeout(() => this.destroy(), DESTROY_SOON_MS);
      this.once('close', () => clearTimeout(t));
    };
    if (this.writableFinished) later();
    else this.once('finish', later);
  }

  /** The handshake result (wasmtls's form), once connected. */
  get handshakeInfo(): HandshakeInfo | undefined {
    return this.#info;
  }

  /**
   * The peer's certificate as node:tls shows it; with `detailed`, each
   * `issuerCertificate` links to the next certificate the peer sent. `{}`
   * when the peer sent none (a server's client), null before the handshake.
   * Typed as @types/node types node:tls's (which returns the same `{}` and
   * null at run time), so code ported from node:tls compiles unchanged.
   */
  getPeerCertificate(detailed: true): DetailedPeerCertificate;
  getPeerCertificate(detailed?: false): PeerCertificate;
  getPeerCertificate(detailed?: boolean): PeerCertificate | DetailedPeerCertificate;
  getPeerCertificate(detailed = false): PeerCertificate | DetailedPeerCertificate {
    const info = this.#info;
    if (info === undefined) return null as unknown as PeerCertificate;
    const chain = info.peerCertificates;
    if (chain.length === 0) return {} as PeerCertificate;
    return detailed ? (detailedPeerCertificate(chain) as DetailedPeerCertificate) : peerCertificate(chain[0] as Certificate);
  }

  /** Our certificate (server sockets), as node:tls shows it; null on a client (no client certificates yet). */
  getCertificate(): PeerCertificate | null {
    const c = this.#settings.localCertificate;
    return c === undefined ? null : peerCertificate(c);
  }

  /**
   * node:tls's `setServername(name)`, where it can be honoured: the engine
   * builds and queues its ClientHello when `connect()` creates it, so the
   * SNI name is fixed by then. The name already in use is accepted (a
   * no-op); another name throws `ERR_TLS_SNI_AFTER_CLIENT_HELLO` (pass
   * `servername` to `connect()`); a server-side socket throws
   * `ERR_TLS_SNI_FROM_SERVER` and a non-string `ERR_INVALID_ARG_TYPE`, as
   * node:tls.
   */
  setServername(name: string): void {
    if (typeof name !== 'string') throw Object.assign(new TypeError(`The "name" argument must be of type string. Received ${typeof name}`), { code: 'ERR_INVALID_ARG_TYPE' });
    const check = this.#settings.check;
    if (check === undefined) throw codedError('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket');
    if (name === check.hostname) return;
    throw codedError('ERR_TLS_SNI_AFTER_CLIENT_HELLO', `setServername(${JSON.stringify(name.slice(0, 100))}): the ClientHello naming ${JSON.stringify(check.hostname)} was built when connect() created this socket; pass servername to connect() instead`);
  }

  /** `'TLSv1.3'` or `'TLSv1.2'` once connected, null before. */
  getProtocol(): string | null {
    return this.#info === undefined ? null : this.#info.version;
  }

  /** The negotiated suite, as node:tls's `getCipher()`; undefined before the handshake. */
  getCipher(): CipherNameAndProtocol | undefined {
    const info = this.#info;
    if (info === undefined) return undefined;
    // node:tls: TLS 1.2 suites by OpenSSL name, TLS 1.3 ones by IANA name (OpenSSL uses those for 1.3).
    const tls12 = info.version === 'TLSv1.2' ? TLS12_SUITES.map(tls12Suite).find((s) => s?.name === info.cipherSuite) : undefined;
    return { name: tls12?.opensslName ?? info.cipherSuite, standardName: info.cipherSuite, version: info.version };
  }

  /** The key exchange, as node:tls's `getEphemeralKeyInfo()` (client); `{}` on a server, null before the handshake. */
  getEphemeralKeyInfo(): { type: string; name: string; size: number } | Record<string, never> | null {
    const info = this.#info;
    if (info === undefined) return null;
    if (this.#settings.check === undefined) return {};
    if (info.group === 'x25519') return { type: 'ECDH', name: 'X25519', size: 253 };
    if (info.group === 'secp256r1') return { type: 'ECDH', name: 'prime256v1', size: 256 };
    if (info.group === 'secp384r1') return { type: 'ECDH', name: 'secp384r1', size: 384 };
    return { type: 'ECDH', name: info.group, size: 0 };
  }

  /** Keying material (RFC 8446 §7.5), as node:tls's `exportKeyingMaterial()`. */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Buffer {
    const out = this.tls.exportKeyingMaterial(length, label, context);
    return Buffer.from(out.buffer, out.byteOffset, out.length);
  }

  /** Always false: wasmtls has no session resumption yet. */
  isSessionReused(): boolean {
    return false;
  }

  /** Turns Nagle's algorithm off (or on) on the underlying TCP socket. */
  setNoDelay(noDelay = true): this {
    (this.#raw as Partial<Socket>).setNoDelay?.(noDelay);
    return this;
  }

  /** TCP keep-alive on the underlying socket. */
  setKeepAlive(enable = false, initialDelay = 0): this {
    (this.#raw as Partial<Socket>).setKeepAlive?.(enable, initialDelay);
    return this;
  }

  /**
   * Emits `'timeout'` after `ms` of inactivity (0 turns it off), as
   * net.Socket's: delegated to the TCP socket, or timed here over another
   * stream.
   */
  setTimeout(ms: number, callback?: () => void): this {
    const t = msOption('timeout', ms, 0);
    if (callback !== undefined) {
      if (t === 0) this.off('timeout', callback);
      else this.once('timeout', callback);
    }
    const net = this.#raw as Partial<Socket>;
    if (typeof net.setTimeout === 'function') {
      if (!this.#timeoutForwarded) {
        this.#timeoutForwarded = true;
        this.#raw.on('timeout', () => this.emit('timeout'));
      }
      net.setTimeout(t);
      return this;
    }
    this.#idleMs = t;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (t > 0 && !this.destroyed) {
      this.#idleTimer = setTimeout(() => {
        this.#idleTimer = undefined;
        this.emit('timeout');
      }, t);
      if (!this.#timeoutForwarded) {
        this.#timeoutForwarded = true;
        this.#raw.on('data', () => this.#touch());
      }
    }
    return this;
  }

  #touch(): void {
    if (this.#idleTimer !== undefined && this.#idleMs > 0) this.#idleTimer.refresh();
  }

  /** Lets the process exit while this socket is open (net.Socket's `unref()`). */
  unref(): this {
    (this.#raw as Partial<Socket>).unref?.();
    return this;
  }

  /** Undoes {@link TLSSocket.unref}. */
  ref(): this {
    (this.#raw as Partial<Socket>).ref?.();
    return this;
  }

  /** The underlying socket's address (`{ address, family, port }`), or `{}` over another stream. */
  address(): ReturnType<Socket['address']> {
    return (this.#raw as Partial<Socket>).address?.() ?? {};
  }

  /** True while the TCP connection is being made. */
  get connecting(): boolean {
    return (this.#raw as Partial<Socket>).connecting === true;
  }

  /** The peer's IP address (TCP sockets). */
  get remoteAddress(): string | undefined {
    return (this.#raw as Partial<Socket>).remoteAddress;
  }

  /** The peer's port (TCP sockets). */
  get remotePort(): number | undefined {
    return (this.#raw as Partial<Socket>).remotePort;
  }

  /** `'IPv4'` or `'IPv6'` (TCP sockets). */
  get remoteFamily(): string | undefined {
    return (this.#raw as Partial<Socket>).remoteFamily;
  }

  /** Our IP address (TCP sockets). */
  get localAddress(): string | undefined {
    return (this.#raw as Partial<Socket>).localAddress;
  }

  /** Our port (TCP sockets). */
  get localPort(): number | undefined {
    return (this.#raw as Partial<Socket>).localPort;
  }

  /** Bytes read from the wire (TCP sockets). */
  get bytesRead(): number {
    return (this.#raw as Partial<Socket>).bytesRead ?? 0;
  }

  /** Bytes written to the wire (TCP sockets). */
  get bytesWritten(): number {
    return (this.#raw as Partial<Socket>).bytesWritten ?? 0;
  }
}
