/**
 * wasmtls: TLS 1.3 (RFC 8446) for JavaScript on a constant-time WebAssembly
 * core. The engine is sans-I/O: it turns transport bytes into events and
 * application data into transport bytes, so the same code runs over Node
 * sockets, WHATWG streams and WebSockets.
 *
 * @example
 * ```ts
 * import { TlsClient } from 'wasmtls';
 * const tls = new TlsClient({ serverName: 'example.com', ca: caPem });
 * tls.on('handshake', (info) => console.log(info.version, info.cipherSuite));
 * tls.on('data', (bytes) => console.log(new TextDecoder().decode(bytes)));
 * tls.on('error', (err) => console.error(`${err.alert}: ${err.message}`));
 * const flush = () => { for (const chunk of tls.takeOutput()) socket.write(chunk); };
 * socket.on('data', (bytes) => { tls.receive(bytes); flush(); });
 * socket.on('end', () => tls.transportClosed());
 * flush(); // sends the ClientHello
 * tls.write(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n')); flush();
 * ```
 *
 * The TLS API only: the WebAssembly primitives are `wasmtls/crypto`.
 * @module
 */
export { clientConfig, serverConfig, type TlsClientConfig, type TlsServerConfig } from './config.js';
export type { KeyInput } from './types.js';
export {
  type CertificateInput,
  TlsClient,
  type TlsClientOptions,
  type TlsCommonOptions,
  TlsConnection,
  type TlsEvents,
  TlsServer,
  type TlsServerOptions,
  type TraceEvent,
} from './engine.js';
export type { HandshakeInfo, KeyLogLabel } from './types.js';
export { AlertDescription, type AlertName, alertName, type ErrorSide, TlsError, type TlsErrorReason, TlsTimeoutError } from './errors.js';
export { type AeadCipher, type CryptoProvider, type KeyExchange, type SchemeInfo, schemeFitsKey, signatureSchemeInfo, type TlsHash } from './provider.js';
export { wasmProvider } from './provider-wasm.js';
/** Supply the WASM core precompiled (`wasmtls/wasm`), for runtimes that refuse compiling WASM from bytes. */
export { initWasm } from '../bindings/loader.js';
export { CipherSuite, type CipherSuiteName, NamedGroup, type NamedGroupName, SignatureScheme, type SignatureSchemeName } from './wire/constants.js';
export type { HandshakeMessage } from './wire/handshake.js';
export { TRACE_STEPS, type TraceCheck, type TraceField, type TraceKind, type TraceStep } from './trace/event.js';
export { renderTrace, renderTraceEvent, type TraceTextOptions } from './trace/render-text.js';
/** Certificates and keys: parsing, validation, and a small certificate writer. */
export * as x509 from './x509/index.js';
/** TLS over WHATWG streams (any `{ readable, writable }` byte transport), Node and browsers alike. */
export { acceptTls, type AcceptTlsOptions, startTls, type StartTlsOptions, type TlsStream, type TlsStreamOptions, type TlsTransport } from './transport/streams.js';
/** One HTTPS request (HTTP/1.1, Connection: close) over a transport factory; Node: see src/http/node.ts for the TCP default. */
export { HttpError, type HttpErrorCode, type HttpResponse, request, type RequestOptions, type TransportFactory } from './http/request.js';
/** Kept-alive connections for request(), keyed by origin. */
export { ConnectionPool, type ConnectionPoolOptions, type PooledResponse } from './http/pool.js';
