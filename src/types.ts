/**
 * The public types of the TLS API in one module: the options of the engine
 * (and of every transport built on it), its events, and the handshake
 * result. Implementation lives elsewhere: src/config.ts checks and resolves
 * these options, src/engine.ts runs them.
 * @module
 */
import type { TlsError } from './errors.js';
import type { CryptoProvider } from './provider.js';
import type { TraceEvent } from './trace/event.js';
import type { CipherSuiteName, NamedGroupName, SignatureSchemeName } from './wire/constants.js';
import type { Certificate, CertificateInput } from './x509/certificate.js';
import type { CaInput } from './x509/trust-anchor.js';
import type { CrlInput } from './x509/crl.js';
import type { PrivateKey } from './x509/keys.js';
import type { Profile } from './x509/profile.js';

export type { CertificateInput } from './x509/certificate.js';
export type { TraceEvent } from './trace/event.js';

/** A private key as every API takes it: PEM text (or its bytes), DER, or parsed. */
export type KeyInput = string | Uint8Array | PrivateKey;

/** Labels of the NSS key log format (SSLKEYLOGFILE). */
export type KeyLogLabel =
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET'
  /** TLS 1.2: the master secret (RFC 5246 §8.1). */
  | 'CLIENT_RANDOM';

/** The result of a handshake, as the engine's `handshake` event reports it. */
export interface HandshakeInfo {
  /** The negotiated protocol version, with node:tls's names. */
  readonly version: 'TLSv1.3' | 'TLSv1.2';
  /** IANA name, e.g. `'TLS_AES_128_GCM_SHA256'`. */
  readonly cipherSuite: string;
  /** Key exchange group, e.g. `'x25519'` or `'secp256r1'`. */
  readonly group: string;
  /** The scheme of the server's CertificateVerify, e.g. `'ecdsa_secp256r1_sha256'`. */
  readonly signatureScheme: string;
  /** The negotiated ALPN protocol, or undefined. */
  readonly alpn: string | undefined;
  /** Client: its `serverName` option (sent as SNI unless an IP literal). Server: the SNI host_name received, if any. */
  readonly serverName: string | undefined;
  /** Client: the server's certificates as sent, leaf first, parsed. Server: empty (no client authentication yet). */
  readonly peerCertificates: readonly Certificate[];
  /**
   * Client: true when the server's chain was validated against `ca` and the
   * name. With `rejectUnauthorized: false` the handshake completes either
   * way and `authorizationError` says what failed. Server: always true.
   */
  readonly authorized: boolean;
  /** Why validation failed (client with `rejectUnauthorized: false` only). */
  readonly authorizationError: TlsError | undefined;
  /** True when a HelloRetryRequest was part of the handshake. */
  readonly helloRetryRequest: boolean;
}

/** Events of {@link TlsClient} and {@link TlsServer}. */
export interface TlsEvents {
  /** The handshake completed (client: server's Finished verified; server: client's Finished verified). */
  handshake: (info: HandshakeInfo) => void;
  /** Application data from the peer. */
  data: (data: Uint8Array) => void;
  /** The peer sent close_notify: it will send nothing more. Call close() to send ours. */
  close: () => void;
  /** The connection failed; emitted once, after the fatal alert (if any) was queued. */
  error: (error: TlsError) => void;
  /**
   * One step of the handshake trace; only with the option `trace: true`.
   * Events raised before the first `trace` listener subscribed (the
   * client's ClientHello is sent by the constructor) are delivered to it
   * when it subscribes.
   */
  trace: (event: TraceEvent) => void;
  /**
   * A key log line (NSS format, as the `keylog` option gets it, no newline)
   * for each secret derived while someone listens: no secret is copied out
   * of the key schedule when nobody does. Exposes the session's secrets.
   */
  keylog: (line: string) => void;
}

/** Options common to client and server. */
export interface TlsCommonOptions {
  /**
   * Cipher suites in order of preference, by IANA name or code, TLS 1.3 and
   * TLS 1.2 ones in one list; a version whose suites the list does not name
   * keeps its defaults. Default TLS_AES_128_GCM_SHA256,
   * TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, then the six
   * TLS 1.2 ECDHE AEAD suites (docs/tls12.md).
   */
  cipherSuites?: readonly (CipherSuiteName | number)[];
  /**
   * Key exchange groups in order of preference. Client default
   * X25519MLKEM768, x25519, secp256r1, with key shares for X25519MLKEM768
   * and x25519 (the first group, and the first classical one when the first
   * is a post-quantum hybrid); server default the provider's order:
   * X25519MLKEM768, x25519, secp256r1, secp384r1, SecP256r1MLKEM768 for the
   * WASM provider. See docs/crypto.md.
   */
  groups?: readonly (NamedGroupName | number)[];
  /**
   * Signature schemes for CertificateVerify, in order of preference. Client:
   * those it accepts (default ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384,
   * rsa_pss_rsae_sha256/384/512, ed25519; rsa_pkcs1_* are added to
   * signature_algorithms for certificates only). Server: those it may sign
   * with (default: all its key and provider allow).
   */
  signatureSchemes?: readonly (SignatureSchemeName | number)[];
  /** ALPN protocol names (RFC 7301), in order of preference. */
  alpn?: readonly string[];
  /** The crypto provider; default `wasmProvider` (src/provider-wasm.ts). */
  provider?: CryptoProvider;
  /** Largest handshake message accepted, in bytes (certificates count in). Default 65536. */
  maxHandshakeMessageSize?: number;
  /**
   * Called with each NSS key log line (`CLIENT_HANDSHAKE_TRAFFIC_SECRET <client_random> <secret>`,
   * the format of SSLKEYLOGFILE), for Wireshark. Exposes the session's secrets.
   */
  keylog?: (line: string) => void;
  /**
   * The step-by-step trace: every handshake message, the dummy
   * change_cipher_spec, each new generation of traffic keys, the first
   * application data record each way and alerts, as {@link TraceEvent}s
   * with readable fields and an explanation citing RFC 8446. `true` emits
   * them as `trace` events of the connection; a function is called with
   * each. Nothing is built when tracing is off.
   */
  trace?: boolean | ((event: TraceEvent) => void);
  /** Called with each trace event (like a `trace` function; both may be given). */
  onTrace?: (event: TraceEvent) => void;
  /**
   * Records sent under one key before a KeyUpdate is sent automatically.
   * Default: RFC 8446 §5.5's limit for the suite (2^24.5 records for
   * AES-GCM; none that matters for ChaCha20-Poly1305).
   */
  keyUpdateAfterRecords?: number;
  /**
   * Lowest protocol version to negotiate, node:tls's names: `'TLSv1.2'`
   * (default) or `'TLSv1.3'`. TLS 1.0 and 1.1 are not implemented (docs/tls12.md).
   */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Highest protocol version to negotiate: `'TLSv1.3'` (default) or `'TLSv1.2'`. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * TLS 1.2: refuse a peer that does not do the extended master secret
   * (RFC 7627), as rustls does (default true). Without it a TLS 1.2 session
   * is open to the triple-handshake attack; set false only for a peer that
   * cannot be fixed.
   */
  requireExtendedMasterSecret?: boolean;
}

/** Options of {@link TlsClient}. */
export interface TlsClientOptions extends TlsCommonOptions {
  /**
   * The server's DNS name or IP address: sent as SNI when it is a name
   * (never for IP literals, RFC 6066 §3), and checked against the
   * certificate's subjectAltName. Required unless `rejectUnauthorized` is false.
   */
  serverName?: string;
  /**
   * Trust anchors: PEM text (any number of CERTIFICATE blocks; a string or
   * its bytes), DER, parsed certificates, name-and-key trust anchors
   * (`wasmtls/roots`), or a list of those: `ca: roots`, `ca: [...roots,
   * myCaPem]`. Default: the anchors `wasmtls/roots` installs when imported,
   * else none.
   */
  ca?: CaInput;
  /**
   * Refuse a server whose chain does not validate (default true). When
   * false, the handshake still checks the CertificateVerify signature with
   * the leaf's key and reports the validation result in `handshake`.
   */
  rejectUnauthorized?: boolean;
  /** The time certificates are validated at; default the current time. */
  now?: Date | (() => Date);
  /**
   * Middlebox compatibility mode (RFC 8446 §D.4): a 32-byte
   * legacy_session_id and a dummy change_cipher_spec. Default true, like
   * browsers and OpenSSL.
   */
  middleboxCompat?: boolean;
  /** Most intermediates between the leaf and a trust anchor; default 8. */
  maxIntermediates?: number;
  /**
   * Replaces the subjectAltName check (node:tls's `checkServerIdentity`):
   * called with `serverName` and the server's certificates, leaf first, once
   * the chain validated against `ca` (the chain is validated once, here,
   * without the name); return (or throw) an Error to refuse the server. The
   * error becomes `bad_certificate`, with the Error as its `cause` and its
   * `code` as `nodeCode`.
   */
  checkServerIdentity?: (serverName: string, certificates: readonly Certificate[]) => Error | undefined;
  /**
   * CRLs, as node:tls's `crl`: PEM text (`X509 CRL` blocks), DER, parsed, or
   * a list; parsed once with the configuration. When given, every
   * certificate of the server's path but the anchor needs a current CRL from
   * its issuer, and a revoked one fails with `certificate_revoked`
   * (docs/x509.md; no delta CRLs, no OCSP).
   */
  crl?: CrlInput | readonly CrlInput[];
  /**
   * Certificate profile rules: `'web'` (default: RFC 5280 and the CA/Browser
   * Forum Baseline Requirements) or `'rfc5280'` (private PKI: the RFC 5280
   * rules only). docs/x509.md lists which rule belongs to which.
   */
  profile?: Profile;
}

/** Options of {@link TlsServer}. */
export interface TlsServerOptions extends TlsCommonOptions {
  /**
   * The certificate chain, leaf first: PEM text (a fullchain file; a string
   * or its bytes), DER of the leaf, parsed certificates, or a list. All of it
   * is sent. Parsed once per {@link TlsServerConfig} (src/config.ts).
   */
  cert: CertificateInput | readonly CertificateInput[];
  /** The leaf's private key: PEM (PKCS#8, SEC1, PKCS#1; a string or its bytes), DER, or parsed. ECDSA P-256, RSA 2048-4096 or Ed25519. */
  key: KeyInput;
}

