/**
 * node:tls's `connect()` over wasmtls: the options resolved once into a
 * client configuration (src/config.ts), the engine, and a {@link TLSSocket}
 * over a new TCP connection or the given stream.
 * @module
 */
import { connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';
import { clientConfig } from '../config.js';
import { TlsClient } from '../engine.js';
import { handshakeTimeoutOption } from '../transport/session.js';
import type { TlsClientOptions } from '../types.js';
import type { Certificate } from '../x509/certificate.js';
import { type AlpnProtocolsInput, alpnList, type CaInput, caCertificates, systemTrustAnchors } from './options.js';
import { type DetailedPeerCertificate, detailedPeerCertificate } from './peer-certificate.js';
import { type ClientCheck, TLSSocket } from './tls-socket.js';
import { fromNodeTlsOptions, type NodeTlsCompatOptions } from './compat.js';

/** `checkServerIdentity(hostname, cert)`: return an Error to refuse the server, undefined to accept. */
export type CheckServerIdentity = (hostname: string, cert: DetailedPeerCertificate) => Error | undefined;

/**
 * Options of {@link connect}: node:tls's names, plus wasmtls's engine
 * options (`cipherSuites`, `groups`, `signatureSchemes`, `keylog`, the
 * trace option, `provider`, `now`, ...), passed to the engine unchanged.
 */
export interface ConnectionOptions extends Omit<TlsClientOptions, 'serverName' | 'alpn' | 'ca' | 'rejectUnauthorized' | 'checkServerIdentity' | 'minVersion' | 'maxVersion'>, NodeTlsCompatOptions {
  /** Host to dial and, unless `servername` is given, the name checked against the certificate. Default `'localhost'`. */
  host?: string;
  /** TCP port to dial (required unless `socket` is given); a string of digits too, as node:tls. */
  port?: number | string;
  /** The name sent as SNI and checked against the certificate; default `host`. An IP literal is checked but never sent as SNI (RFC 6066 §3). */
  servername?: string;
  /** Trust anchors: PEM text or Buffers (PEM or DER), or a list. Default: Node's bundled roots (`tls.rootCertificates`). */
  ca?: CaInput;
  /** Refuse a server whose chain or name does not check out (default true). */
  rejectUnauthorized?: boolean;
  /**
   * Called once the chain validated, like node:tls's: with the name and the
   * certificate (Node's object, `issuerCertificate` linked). A returned
   * Error fails the connection (or only sets `authorizationError` with
   * `rejectUnauthorized: false`). `tls.checkServerIdentity` itself works
   * here. Default: wasmtls's RFC 6125 check inside the handshake.
   */
  checkServerIdentity?: CheckServerIdentity;
  /** ALPN protocols offered, in order of preference. */
  ALPNProtocols?: AlpnProtocolsInput;
  /** Run TLS over this already connected (or connecting) stream instead of dialing `host`:`port`. */
  socket?: Duplex;
  /**
   * Milliseconds from the call to the end of the handshake before the
   * connection fails with code `ERR_TLS_HANDSHAKE_TIMEOUT`; 0 disables it.
   * Default 120000.
   */
  handshakeTimeout?: number;
  /** Keep our side open after the peer's close_notify (default false: answered with ours). */
  allowHalfOpen?: boolean;
  /** Idle timeout in milliseconds, as `socket.setTimeout(timeout)`. */
  timeout?: number;
  /** Local address to bind when dialing. */
  localAddress?: string;
  /** Local port to bind when dialing. */
  localPort?: number;
  /** IP family when dialing (4 or 6). */
  family?: number;
}

function normalizeConnectArgs(args: unknown[]): { options: ConnectionOptions; listener: (() => void) | undefined } {
  // node:tls's forms: (options[, cb]), (port[, host][, options][, cb]), (path...) is not supported.
  let listener: (() => void) | undefined;
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    listener = last as () => void;
    args = args.slice(0, -1);
  }
  const [a, b, c] = args;
  if (typeof a === 'object' && a !== null) return { options: a as ConnectionOptions, listener };
  if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a))) {
    const port = Number(a);
    if (typeof b === 'string') return { options: { ...((c as ConnectionOptions | undefined) ?? {}), port, host: b }, listener };
    return { options: { ...((b as ConnectionOptions | undefined) ?? {}), port }, listener };
  }
  throw new TypeError('connect(options[, listener]) or connect(port[, host][, options][, listener])');
}

/**
 * Opens a TLS 1.3 connection, as node:tls's `connect()`: returns the socket
 * at once; `listener` runs on `'secureConnect'`. Bad options throw here
 * (TypeError/RangeError); network and protocol failures are `'error'`
 * events. Over `socket`, runs TLS over that stream instead of dialing.
 *
 * @example
 * import { connect } from 'wasmtls/node';
 * const socket = connect({ host: 'localhost', port: 8443, ca: caPem, ALPNProtocols: ['http/1.1'] }, () => {
 *   socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
 * });
 * socket.on('data', (d) => process.stdout.write(d));
 * socket.on('error', (e) => console.error(e.alert ?? e.code, e.message));
 */
export function connect(options: ConnectionOptions, listener?: () => void): TLSSocket;
export function connect(port: number, host?: string, options?: ConnectionOptions, listener?: () => void): TLSSocket;
export function connect(port: number, options?: ConnectionOptions, listener?: () => void): TLSSocket;
export function connect(...args: unknown[]): TLSSocket {
  const { options: given, listener } = normalizeConnectArgs(args);
  const options = fromNodeTlsOptions(given);
  const {
    host,
    port,
    servername,
    ca,
    rejectUnauthorized: rejectOption,
    checkServerIdentity,
    ALPNProtocols,
    socket,
    handshakeTimeout,
    allowHalfOpen,
    timeout,
    localAddress,
    localPort,
    family,
    ...engineOptions
  } = options;
  if (host !== undefined && (typeof host !== 'string' || host === '')) throw new TypeError('host must be a non-empty string');
  if (socket === undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`port must be an integer in 0..65535 (or give socket), got ${String(port)}`);
  }
  if (socket !== undefined && !(socket instanceof Duplex)) throw new TypeError('socket must be a stream.Duplex (a net.Socket, for instance)');
  if (checkServerIdentity !== undefined && typeof checkServerIdentity !== 'function') throw new TypeError('checkServerIdentity must be a function');
  const rejectUnauthorized = rejectOption ?? true;
  if (typeof rejectUnauthorized !== 'boolean') throw new TypeError('rejectUnauthorized must be a boolean');
  const hostname = servername !== undefined && servername !== '' ? servername : (host ?? 'localhost');
  const trustAnchors = ca === undefined ? systemTrustAnchors() : caCertificates(ca);
  const limit = handshakeTimeoutOption(handshakeTimeout);
  // node:tls's order: the chain first (without the name), then the
  // application's name check, run by the engine as its hook; the engine
  // completes the handshake either way and the socket refuses it after.
  const alpn = alpnList(ALPNProtocols);
  let identityError: Error | undefined;
  const identity =
    checkServerIdentity === undefined
      ? undefined
      : (name: string, certificates: readonly Certificate[]): Error | undefined => {
          let result: unknown;
          try {
            result = checkServerIdentity(name, detailedPeerCertificate(certificates) as DetailedPeerCertificate);
          } catch (e) {
            result = e instanceof Error ? e : new Error(String(e));
          }
          if (result === undefined || result === null) return undefined;
          identityError = result instanceof Error ? result : new TypeError('checkServerIdentity must return an Error or undefined');
          return identityError;
        };
  const config = clientConfig({
    // fromNodeTlsOptions turned node:tls's minVersion/maxVersion into the engine's two names.
    ...(engineOptions as Omit<typeof engineOptions, 'minVersion' | 'maxVersion'> & Pick<TlsClientOptions, 'minVersion' | 'maxVersion'>),
    serverName: hostname,
    ca: trustAnchors,
    ...(alpn === undefined ? {} : { alpn }),
    ...(identity === undefined ? {} : { checkServerIdentity: identity }),
    rejectUnauthorized: checkServerIdentity === undefined ? rejectUnauthorized : false,
  });
  const tls = new TlsClient(config);
  const raw =
    socket ??
    netConnect({
      host: host ?? 'localhost',
      port: port as number,
      allowHalfOpen: true,
      ...(localAddress === undefined ? {} : { localAddress }),
      ...(localPort === undefined ? {} : { localPort }),
      ...(family === undefined ? {} : { family }),
    });
  const check: ClientCheck = {
    hostname,
    rejectUnauthorized,
    custom: identity === undefined ? undefined : { error: () => identityError },
  };
  const tlsSocket = new TLSSocket(raw, tls, { handshakeTimeout: limit, allowHalfOpen: allowHalfOpen === true, check });
  if (listener !== undefined) tlsSocket.once('secureConnect', listener);
  if (timeout !== undefined) tlsSocket.setTimeout(timeout);
  return tlsSocket;
}
