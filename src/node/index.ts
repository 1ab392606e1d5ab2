/**
 * `wasmtls/node`: node:tls's API over wasmtls (Node only; the package's
 * `"node"` export condition). `connect()` returns a {@link TLSSocket}, a
 * `stream.Duplex` with node:tls's events, properties and methods;
 * `createServer()` returns a `net.Server` that emits `'secureConnection'`.
 * Works as node:http's `createConnection` and as a socket for
 * `http.Server`'s `'connection'` event.
 *
 * @example
 * import { connect, createServer } from 'wasmtls/node';
 * const server = createServer({ cert, key }, (socket) => socket.end('hi\n'));
 * server.listen(0, () => {
 *   const { port } = server.address();
 *   connect({ host: 'localhost', port, ca }).on('data', (d) => console.log(String(d)));
 * });
 * @module
 */
export { TlsError, TlsTimeoutError } from '../errors.js';
export {
  connectTcpStreams,
  HttpError,
  type HttpErrorCode,
  type HttpResponse,
  type NodeRequestOptions,
  request,
  socketStreams,
} from '../http/node.js';
export { type AlpnProtocolsInput, type CaInput } from './options.js';
export { createSecureContext, type NodeTlsCompatOptions, SecureContext, type SecureContextOptions, type SecureContextSettings } from './compat.js';
export { type DetailedPeerCertificate, type PeerCertificate, type PeerCertificateName } from './peer-certificate.js';
export { createServer, DEFAULT_MAX_HANDSHAKES, type DropInfo, Server, type ServerOptions } from './server.js';
/** The low-level TCP transport under them: an engine per socket, promises and callbacks (the CLI, the bench and the interop tests use it). */
export {
  connectTcp,
  createTcpServer,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  type TcpConnectionOptions,
  type TcpConnectOptions,
  type TcpServerOptions,
  TcpTlsConnection,
  TcpTlsServer,
} from '../transport/tcp.js';
export { type CheckServerIdentity, connect, type ConnectionOptions } from './connect.js';
export { type CipherNameAndProtocol, DEFAULT_HANDSHAKE_TIMEOUT, TLSSocket, type TLSSocketSettings } from './tls-socket.js';
