// ClientHello (RFC 8446 §4.1.2).

import { decodeError, illegalParameter, internalError } from '../errors.js';
import { ExtensionType, ProtocolVersion } from './constants.js';
import { type ClientHelloExtension, findExtension, readExtensions, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * ```
 * struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id<0..32>;
 *     CipherSuite cipher_suites<2..2^16-2>;
 *     opaque legacy_compression_methods<1..2^8-1>;
 *     Extension extensions<8..2^16-1>;
 * } ClientHello;
 * ```
 */
export interface ClientHello {
  type: 'client_hello';
  legacyVersion: number;
  /** 32 bytes. */
  random: Uint8Array;
  /** 0-32 bytes; 32 random bytes in middlebox compatibility mode (§D.4). */
  legacySessionId: Uint8Array;
  cipherSuites: number[];
  /** Exactly [0] in a TLS 1.3 ClientHello. */
  legacyCompressionMethods: number[];
  extensions: ClientHelloExtension[];
  /**
   * True when the extensions block is absent altogether, which only a
   * pre-TLS 1.3 client sends (RFC 5246 §7.4.1.2); kept so the handshake layer
   * can answer protocol_version rather than decode_error, and so the message
   * re-encodes as received.
   */
  extensionsOmitted?: boolean;
}

/** True when the ClientHello offers TLS 1.3 in supported_versions (§4.2.1). */
export function offersTls13(ch: ClientHello): boolean {
  return findExtension(ch.extensions, 'supported_versions')?.versions.includes(ProtocolVersion.TLS13) ?? false;
}

/**
 * Reads a ClientHello body. Enforces the vector bounds above, the
 * pre_shared_key-last rule (§4.2.11) and, for a TLS 1.3 ClientHello,
 * legacy_compression_methods = [0] (§4.1.2); both are illegal_parameter.
 */
export function readClientHello(r: Reader): ClientHello {
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionId = r.opaque8('legacy_session_id', 0, 32);
  const cipherSuites = r.u16List(2, 'cipher_suites', 2, 0xfffe);
  const legacyCompressionMethods = r.u8List('legacy_compression_methods', 1, 255);
  const ch: ClientHello = { type: 'client_hello', legacyVersion, random, legacySessionId, cipherSuites, legacyCompressionMethods, extensions: [] };
  if (r.isEmpty) {
    ch.extensionsOmitted = true;
    return ch;
  }
  // The block's TLS 1.3 minimum of 8 bytes (§4.1.2) holds only for a
  // ClientHello that offers TLS 1.3: an older client may send fewer (say one
  // empty extended_master_secret), and Appendix D.2 wants protocol_version
  // for it, which the handshake layer sends.
  const blockStart = r.position;
  ch.extensions = readExtensions(r, 'client_hello', 0, 0xffff);
  r.end();
  if (offersTls13(ch) && r.position - blockStart - 2 < 8) {
    throw decodeError(`${r.context}: extensions of ${r.position - blockStart - 2} bytes is below the minimum 8 (RFC 8446 §4.1.2)`);
  }
  const last = ch.extensions.length - 1;
  const psk = ch.extensions.findIndex((e) => e.type === 'pre_shared_key');
  if (psk !== -1 && psk !== last) {
    // §4.2.11: pre_shared_key "MUST be the last extension in the ClientHello".
    throw illegalParameter(`${r.context}: pre_shared_key must be the last extension, found at position ${psk + 1} of ${last + 1}`);
  }
  if (offersTls13(ch) && (legacyCompressionMethods.length !== 1 || legacyCompressionMethods[0] !== 0)) {
    // §4.1.2: a TLS 1.3 ClientHello with any other value MUST be rejected with illegal_parameter.
    throw illegalParameter(`${r.context}: legacy_compression_methods must be [0] in a TLS 1.3 ClientHello, got [${legacyCompressionMethods.join(', ')}]`);
  }
  return ch;
}

/** Writes a ClientHello body. */
export function writeClientHello(w: Writer, ch: ClientHello): void {
  w.u16(ch.legacyVersion, 'legacy_version');
  w.fixed(ch.random, 32, 'random');
  w.opaque8('legacy_session_id', ch.legacySessionId, 0, 32);
  w.u16List(2, 'cipher_suites', ch.cipherSuites, 2, 0xfffe);
  w.u8List('legacy_compression_methods', ch.legacyCompressionMethods, 1, 255);
  if (ch.extensionsOmitted === true) {
    if (ch.extensions.length !== 0) throw internalError(`${w.context}: extensionsOmitted with ${ch.extensions.length} extensions`);
    return;
  }
  const psk = ch.extensions.findIndex((e) => e.type === 'pre_shared_key' || (e.type === 'raw' && e.code === ExtensionType.pre_shared_key));
  if (psk !== -1 && psk !== ch.extensions.length - 1) throw internalError(`${w.context}: pre_shared_key must be the last extension`);
  writeExtensions(w, 'client_hello', ch.extensions, 8, 0xffff);
}
