// What every handshake state shares: the state interface, the context the
// engine gives states to act through, the part of the configuration states
// read (built by src/config.ts), and the test hooks. The public types
// (HandshakeInfo, options) live in src/types.ts.
//
// A state is an object with `expects` (the handshake types it accepts) and
// `handle(ctx, message, raw)` returning the next state. The engine checks
// `expects` before it decodes a message body, so any message not valid in a
// state is unexpected_message by construction (RFC 8446 §6.2; rustls
// client/tls13.rs style), whatever its body holds.

import type { TrafficSecret } from '../keyschedule.js';
import type { CryptoProvider } from '../provider.js';
import type { HandshakeMessage } from '../wire/handshake.js';
import type { Certificate } from '../x509/certificate.js';
import type { Anchor } from '../x509/trust-anchor.js';
import type { CertificateRevocationList } from '../x509/crl.js';
import type { Profile } from '../x509/profile.js';
import type { PrivateKey } from '../x509/keys.js';
import type { HandshakeInfo, KeyLogLabel } from '../types.js';

export type { HandshakeInfo, KeyLogLabel } from '../types.js';

/** One handshake state (one class per Expect* state). */
export interface HandshakeState {
  /** The state's name, for errors and traces ("ExpectServerHello"). */
  readonly name: string;
  /** HandshakeType codes this state accepts; anything else is unexpected_message. */
  readonly expects: readonly number[];
  /** Hash.length of the negotiated suite, once known (to decode Finished, §4.4.4). */
  readonly hashLength?: number | undefined;
  /** Processes one message (already checked against `expects`) and returns the next state. */
  handle(ctx: HandshakeContext, message: HandshakeMessage, raw: Uint8Array): HandshakeState;
  /** True in TLS 1.2 states: messages are decoded in their TLS 1.2 forms (RFC 5246 §7.4). */
  readonly tls12?: boolean;
  /**
   * TLS 1.2 only: the peer's ChangeCipherSpec (RFC 5246 §7.1), in the one
   * state that expects it. Once TLS 1.2 is negotiated, a ChangeCipherSpec in
   * a state without this method is unexpected_message.
   */
  changeCipherSpec?(ctx: HandshakeContext): HandshakeState;
}

/** One direction's record protection, TLS 1.3 (src/record/protection.ts) or TLS 1.2 (src/record/tls12-protection.ts). */
export interface RecordProtector {
  seal(type: number, content: Uint8Array): Uint8Array;
  open(header: Uint8Array, fragment: Uint8Array): { type: number; content: Uint8Array };
  readonly exhausted: boolean;
  dispose(): void;
}

/** What a read key protects: handshake messages only, or application data too. */
export type ReadEpoch = 'handshake' | 'application';

/**
 * The engine as a handshake state sees it. States never touch records,
 * bytes on the wire or events directly.
 */
export interface HandshakeContext {
  readonly provider: CryptoProvider;
  /** False once close_notify or a fatal alert has been sent. */
  readonly writable: boolean;
  /**
   * Encodes (after the test hook, if any), traces and queues a handshake
   * message under the current write key. Returns the bytes sent (for the
   * transcript) and the message as sent, or undefined when a test hook
   * dropped it.
   */
  sendHandshake(message: HandshakeMessage): { raw: Uint8Array; message: HandshakeMessage } | undefined;
  /** Queues a dummy change_cipher_spec record (RFC 8446 §D.4). */
  sendChangeCipherSpec(): void;
  /** Replaces the write key (flushing queued handshake bytes under the old one first). */
  setWriteKey(cipherSuite: number, secret: TrafficSecret): void;
  /**
   * Replaces the read key; throws unexpected_message when a partial
   * handshake message is buffered (§5.1: no message spans a key change).
   */
  setReadKey(cipherSuite: number, secret: TrafficSecret, epoch: ReadEpoch): void;
  /** Server: skip records that fail to decrypt, up to a byte budget, because early data was offered and is being rejected (§4.2.10). */
  skipEarlyData(): void;
  /** Emits a key log line, if a key log callback is set. */
  keyLog(label: KeyLogLabel, clientRandom: Uint8Array, secret: { exportSecret(): Uint8Array }): void;
  /** The handshake completed: flushes queued application data and emits `handshake`. */
  handshakeDone(info: HandshakeInfo): void;
  /** The current time, for certificate validation. */
  now(): Date;
  /**
   * TLS 1.2 was negotiated: ChangeCipherSpec becomes a protocol message
   * (RFC 5246 §7.1) handled by the state, and protected records carry their
   * real content type.
   */
  negotiatedTls12(cipherSuite: number): void;
  /** TLS 1.2: replaces the write protection (after sending ChangeCipherSpec). */
  setWriteProtection(protection: RecordProtector): void;
  /** TLS 1.2: replaces the read protection (on the peer's ChangeCipherSpec). */
  setReadProtection(protection: RecordProtector, epoch: ReadEpoch): void;
  /** TLS 1.2: application data may now arrive under the current read key (the peer's Finished verified). */
  setReadEpoch(epoch: ReadEpoch): void;
  /** Queues a warning alert (TLS 1.2 no_renegotiation, RFC 5246 §7.2.2). */
  sendWarningAlert(code: number): void;
}

/** Protocol versions by node:tls's names (`minVersion`, `maxVersion`). */
export type TlsVersionName = 'TLSv1.2' | 'TLSv1.3';

/** Configuration shared by both sides, resolved from the options. */
export interface CommonConfig {
  readonly provider: CryptoProvider;
  /** Cipher suites in preference order, all supported by the provider. */
  readonly cipherSuites: readonly number[];
  /** Groups in preference order, all supported by the provider. */
  readonly groups: readonly number[];
  /** CertificateVerify schemes in preference order. */
  readonly signatureSchemes: readonly number[];
  /** ALPN protocols in preference order (bytes). */
  readonly alpn: readonly Uint8Array[];
  /** Records one key may protect before a KeyUpdate (RFC 8446 §5.5); undefined = the suite's default. */
  readonly keyUpdateAfterRecords: number | undefined;
  /** Lowest and highest version this endpoint negotiates. */
  readonly minVersion: TlsVersionName;
  readonly maxVersion: TlsVersionName;
  /** TLS 1.2 suites in preference order (src/handshake/tls12/suites.ts). */
  readonly tls12CipherSuites: readonly number[];
  /** TLS 1.2: refuse a peer without extended_master_secret (RFC 7627 §5.2, §5.3). Default true. */
  readonly requireExtendedMasterSecret: boolean;
}

/** Client configuration. */
export interface ClientConfig extends CommonConfig {
  /** Sent as SNI when a DNS name; checked against the certificate either way. */
  readonly serverName: string | undefined;
  readonly trustAnchors: readonly Anchor[];
  readonly rejectUnauthorized: boolean;
  /** Send a 32-byte legacy_session_id and a dummy change_cipher_spec (RFC 8446 §D.4). */
  readonly middleboxCompat: boolean;
  readonly maxIntermediates: number | undefined;
  /** The application's name check, run after the chain validated (instead of the subjectAltName check). */
  readonly checkServerIdentity: ((serverName: string, certificates: readonly Certificate[]) => Error | undefined) | undefined;
  /** Parsed `crl` option; undefined = no revocation checking. */
  readonly crl: readonly CertificateRevocationList[] | undefined;
  readonly profile: Profile;
}

/** Server configuration. */
export interface ServerConfig extends CommonConfig {
  /** The chain to send, leaf first, DER. */
  readonly certificateChain: readonly Uint8Array[];
  /** The parsed leaf. */
  readonly leaf: Certificate;
  readonly key: PrivateKey;
  /** Schemes the key can sign with (provider ∩ signatureSchemes), in our preference order. */
  readonly signSchemes: readonly number[];
}

/**
 * The key of the test hooks in engine options. Not exported from the
 * package entry point, so no application can set hooks by accident; tests
 * import it from this module.
 */
export const TEST_HOOKS: unique symbol = Symbol('wasmtls.testHooks');

/**
 * Hooks that let tests replay RFC 8448 byte for byte and play a hostile
 * peer. Each one can break the protocol; none is reachable from the
 * package's public API.
 */
export interface TestHooks {
  /**
   * Sees every outgoing handshake message before it is encoded: return it
   * (changed or not), raw bytes (header included) to send instead, or null
   * to send nothing.
   */
  handshake?(message: HandshakeMessage): HandshakeMessage | Uint8Array | null;
  /** Handshake messages (or raw messages) to send right after the handshake completes (e.g. a NewSessionTicket). */
  afterHandshake?(): (HandshakeMessage | Uint8Array)[];
}
