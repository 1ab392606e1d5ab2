/**
 * `createServer()`: a TLS 1.3 server shaped like node:tls's `tls.Server` (a
 * `net.Server`, so `listen()`, `address()`, `close()`, `getConnections()`
 * and `maxConnections` are Node's own), with two limits of its own
 * (issue 6): a handshake timeout, and a cap on handshakes in progress.
 * @module
 */
import { fromNodeTlsOptions, type NodeTlsCompatOptions, type SecureContext } from './compat.js';
import { Server as NetServer, type Socket } from 'node:net';
import { privateKeyFrom, serverConfig, type TlsServerConfig } from '../config.js';
import { TlsServer } from '../engine.js';
import type { TlsServerOptions } from '../types.js';
import { type Certificate, certificatesFrom } from '../x509/certificate.js';
import { type AlpnProtocolsInput, alpnList } from './options.js';
import { handshakeTimeoutOption } from '../transport/session.js';
import { TLSSocket } from './tls-socket.js';

/**
 * Default cap on handshakes in progress at once. Measured with
 * bench/handshake-memory.ts (500 stalled clients, beside node:tls): a
 * handshake waiting for the client's Finished holds about 31 KiB of heap
 * (62 KiB RSS); one whose client sent 60 KiB of an unfinished message (the
 * default limit is 64 KiB) about 270 KiB of heap and buffers (78 KiB RSS).
 * 1024 of them bound that near 31 MiB typical and 270 MiB worst (80 MiB
 * RSS), and still admit a burst of 1,000 clients connecting at once (the
 * stress tests' load): a lower cap would refuse honest bursts, none would
 * leave memory unbounded against slow clients.
 */
export const DEFAULT_MAX_HANDSHAKES = 1024;

/**
 * Options of {@link createServer}: node:tls's names (`cert`, `key`,
 * `ALPNProtocols`, `handshakeTimeout`, `maxConnections`, `allowHalfOpen`),
 * `maxHandshakes`, and wasmtls's engine options (`cipherSuites`, `groups`,
 * `signatureSchemes`, `keylog`, the trace option, `provider`, ...), passed
 * to each connection's engine unchanged.
 */
export interface ServerOptions extends Omit<TlsServerOptions, 'alpn' | 'cert' | 'key' | 'minVersion' | 'maxVersion'>, Omit<NodeTlsCompatOptions, 'secureContext'> {
  /** The certificate chain, leaf first: PEM text or Buffer (a fullchain file), DER, or a list. Required unless `secureContext` holds it. */
  cert?: TlsServerOptions['cert'];
  /** The leaf's private key: PEM text or Buffer, DER, or parsed. Required unless `secureContext` holds it. */
  key?: TlsServerOptions['key'];
  /** `cert`, `key` and the option strings parsed once by `createSecureContext()` (node:tls's name); its settings replace those given here. */
  secureContext?: SecureContext;
  /** ALPN protocols the server accepts, in order of preference. */
  ALPNProtocols?: AlpnProtocolsInput;
  /**
   * Milliseconds from the TCP connection to the end of the handshake; a
   * client that has not finished by then is dropped and `'tlsClientError'`
   * is emitted with code `ERR_TLS_HANDSHAKE_TIMEOUT`. 0 disables it.
   * Default 120000, as node:tls.
   */
  handshakeTimeout?: number;
  /** Refuse connections beyond this many open ones (net.Server's; `'drop'` is emitted for each). */
  maxConnections?: number;
  /**
   * Refuse connections while this many handshakes are in progress: the
   * socket is closed at once, `'drop'` is emitted with `reason:
   * 'maxHandshakes'`, and `dropped.maxHandshakes` counts it. Default
   * {@link DEFAULT_MAX_HANDSHAKES}; 0 means no cap.
   */
  maxHandshakes?: number;
  /** Keep a connection's write side open after the client's close_notify (default false). */
  allowHalfOpen?: boolean;
}

/** What `'drop'` carries: node:net's fields and why. */
export interface DropInfo {
  localAddress?: string | undefined;
  localPort?: number | undefined;
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
  remoteFamily?: string | undefined;
  /** `'maxConnections'` (node:net refused it) or `'maxHandshakes'`. */
  reason: 'maxConnections' | 'maxHandshakes';
}

/**
 * A TLS 1.3 server, as node:tls's `tls.Server`: a `net.Server` whose
 * `'secureConnection'` gives a {@link TLSSocket} per client that completed
 * its handshake. Events: `'secureConnection'` (socket), `'tlsClientError'`
 * (error, socket) for every failure before a handshake completed (bad
 * handshake, timeout, reset), `'drop'` for refused connections, `'keylog'`
 * (line, socket) when listened to, and net.Server's `'listening'`,
 * `'connection'` (the TCP socket), `'close'`, `'error'`.
 */
export class Server extends NetServer {
  /** Connections refused so far, by cause. */
  readonly dropped = { maxConnections: 0, maxHandshakes: 0 };
  readonly #engineOptions: TlsServerOptions;
  readonly #config: TlsServerConfig;
  readonly #handshakeTimeout: number;
  readonly #maxHandshakes: number;
  readonly #allowHalfOpen: boolean;
  readonly #leaf: Certificate;
  readonly #sockets = new Set<TLSSocket>();
  #handshaking = 0;

  /** Use {@link createServer}. */
  constructor(options: ServerOptions, secureConnectionListener?: (socket: TLSSocket) => void) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object with cert and key');
    options = fromNodeTlsOptions(options);
    const { cert, key, ALPNProtocols, handshakeTimeout, maxConnections, maxHandshakes, allowHalfOpen, ...engineOptions } = options;
    if (cert === undefined) throw new TypeError('cert is required');
    if (key === undefined) throw new TypeError('key is required');
    const alpn = alpnList(ALPNProtocols);
    // Parsed and checked once (suites, groups, key against certificate); every connection shares the config.
    const parsed: TlsServerOptions = {
      // fromNodeTlsOptions turned node:tls's minVersion/maxVersion into the engine's two names.
      ...(engineOptions as Omit<typeof engineOptions, 'minVersion' | 'maxVersion'> & Pick<TlsServerOptions, 'minVersion' | 'maxVersion'>),
      cert: certificatesFrom('cert', cert),
      key: privateKeyFrom('key', key),
      ...(alpn === undefined ? {} : { alpn }),
    };
    const config = serverConfig(parsed);
    const timeout = handshakeTimeoutOption(handshakeTimeout);
    const cap = maxHandshakes ?? DEFAULT_MAX_HANDSHAKES;
    if (!Number.isInteger(cap) || cap < 0) throw new RangeError(`maxHandshakes must be a non-negative integer, got ${String(cap)}`);
    if (maxConnections !== undefined && (!Number.isInteger(maxConnections) || maxConnections < 1)) {
      throw new RangeError(`maxConnections must be a positive integer, got ${String(maxConnections)}`);
    }
    if (secureConnectionListener !== undefined && typeof secureConnectionListener !== 'function') throw new TypeError('secureConnectionListener must be a function');

    super({ allowHalfOpen: true });
    this.#engineOptions = parsed;
    this.#config = config;
    this.#handshakeTimeout = timeout;
    this.#maxHandshakes = cap;
    this.#allowHalfOpen = allowHalfOpen === true;
    this.#leaf = config.leaf;
    if (maxConnections !== undefined) this.maxConnections = maxConnections;
    this.on('connection', (raw: Socket) => this.#accept(raw));
    this.on('drop', (info?: Omit<DropInfo, 'reason'> & { reason?: DropInfo['reason'] }) => {
      // node:net emits 'drop' (without a reason) for maxConnections; ours carry one.
      if (info?.reason === undefined) {
        this.dropped.maxConnections++;
        if (info !== undefined) info.reason = 'maxConnections';
      }
    });
    if (secureConnectionListener !== undefined) this.on('secureConnection', secureConnectionListener);
  }

  /** Handshakes in progress now. */
  get handshakesInProgress(): number {
    return this.#handshaking;
  }

  /**
   * Ends every connection: close_notify on those connected, destroy on
   * those still handshaking (as node:http's `closeAllConnections()`). With
   * `close()`, shuts the server down without waiting for clients.
   */
  closeAllConnections(): void {
    for (const s of [...this.#sockets]) {
      if (s.getProtocol() !== null && s.writable) s.destroySoon();
      else s.destroy();
    }
  }

  #accept(raw: Socket): void {
    if (this.#maxHandshakes > 0 && this.#handshaking >= this.#maxHandshakes) {
      this.dropped.maxHandshakes++;
      const info: DropInfo = {
        localAddress: raw.localAddress,
        localPort: raw.localPort,
        remoteAddress: raw.remoteAddress,
        remotePort: raw.remotePort,
        remoteFamily: raw.remoteFamily,
        reason: 'maxHandshakes',
      };
      raw.destroy();
      this.emit('drop', info);
      return;
    }
    let config: TlsServerOptions | TlsServerConfig = this.#config;
    if (this.listenerCount('keylog') > 0) {
      // node:tls's 'keylog' event (line as a Buffer with its newline); only when listened to, since it exports secrets.
      // A config of its own for this connection, from the parsed options: nothing is parsed again.
      const userKeylog = this.#engineOptions.keylog;
      config = {
        ...this.#engineOptions,
        keylog: (line) => {
          userKeylog?.(line);
          this.emit('keylog', Buffer.from(`${line}\n`, 'latin1'), socket);
        },
      };
    }
    let tls: TlsServer;
    try {
      tls = new TlsServer(config);
    } catch (e) {
      raw.destroy();
      this.emit('tlsClientError', e instanceof Error ? e : new Error(String(e)), undefined);
      return;
    }
    this.#handshaking++;
    let handshaking = true;
    const settle = () => {
      if (!handshaking) return;
      handshaking = false;
      this.#handshaking--;
    };
    const socket: TLSSocket = new TLSSocket(raw, tls, {
      handshakeTimeout: this.#handshakeTimeout,
      allowHalfOpen: this.#allowHalfOpen,
      localCertificate: this.#leaf,
      onClientError: (error, s) => {
        settle();
        this.emit('tlsClientError', error, s);
      },
    });
    this.#sockets.add(socket);
    socket.once('secure', () => {
      settle();
      this.emit('secureConnection', socket);
    });
    socket.once('close', () => {
      settle();
      this.#sockets.delete(socket);
    });
  }
}

/**
 * A TLS 1.3 server, as node:tls's `createServer()`. The certificate chain
 * and key are parsed and checked once, here (a bad one throws a TypeError).
 *
 * @example
 * import { createServer } from 'wasmtls/node';
 * const server = createServer({ cert: fullchainPem, key: keyPem, ALPNProtocols: ['http/1.1'] }, (socket) => {
 *   socket.end(`hello ${socket.servername || 'stranger'}\n`);
 * });
 * server.on('tlsClientError', (err) => console.error(err.alert ?? err.code, err.message));
 * server.listen(8443, () => console.log('listening on', server.address()));
 */
export function createServer(options: ServerOptions, secureConnectionListener?: (socket: TLSSocket) => void): Server {
  return new Server(options, secureConnectionListener);
}
