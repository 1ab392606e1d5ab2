// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4): one wire
// format, told apart by the special random of §4.1.3.

import { decodeError, illegalParameter, internalError } from '../errors.js';
import { HELLO_RETRY_REQUEST_RANDOM, ProtocolVersion } from './constants.js';
import { checkAllowedExtensions, findExtension, type HelloRetryRequestExtension, readExtensions, type ServerHelloExtension, writeExtensions } from './extensions/index.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * ```
 * struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id_echo<0..32>;
 *     CipherSuite cipher_suite;
 *     uint8 legacy_compression_method = 0;
 *     Extension extensions<6..2^16-1>;
 * } ServerHello;
 * ```
 */
export interface ServerHello {
  type: 'server_hello';
  legacyVersion: number;
  /** 32 bytes; never the HelloRetryRequest value. */
  random: Uint8Array;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  legacyCompressionMethod: number;
  extensions: ServerHelloExtension[];
  /** True when the extensions block is absent (a pre-TLS 1.2 server); see ClientHello.extensionsOmitted. */
  extensionsOmitted?: boolean;
}

/** A ServerHello whose random is {@link HELLO_RETRY_REQUEST_RANDOM} (§4.1.4). */
export interface HelloRetryRequest {
  type: 'hello_retry_request';
  legacyVersion: number;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  legacyCompressionMethod: number;
  extensions: HelloRetryRequestExtension[];
}

function isHrrRandom(random: Uint8Array): boolean {
  if (random.length !== HELLO_RETRY_REQUEST_RANDOM.length) return false;
  for (let i = 0; i < random.length; i++) if (random[i] !== HELLO_RETRY_REQUEST_RANDOM[i]) return false;
  return true;
}

/**
 * Reads a ServerHello body, returning a HelloRetryRequest when the random is
 * the special value. For a TLS 1.3 ServerHello (supported_versions present)
 * the §4.2 extension table and legacy_compression_method = 0 are enforced
 * (illegal_parameter); a TLS 1.2-or-older ServerHello is returned as parsed
 * so the handshake layer can answer protocol_version.
 */
export function readServerHello(r: Reader): ServerHello | HelloRetryRequest {
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionIdEcho = r.opaque8('legacy_session_id_echo', 0, 32);
  const cipherSuite = r.u16('cipher_suite');
  const legacyCompressionMethod = r.u8('legacy_compression_method');
  if (isHrrRandom(random)) {
    const extensions = readExtensions(r, 'hello_retry_request', 6, 0xffff);
    r.end();
    checkCompression(r, legacyCompressionMethod);
    return { type: 'hello_retry_request', legacyVersion, legacySessionIdEcho, cipherSuite, legacyCompressionMethod, extensions };
  }
  const sh: ServerHello = { type: 'server_hello', legacyVersion, random, legacySessionIdEcho, cipherSuite, legacyCompressionMethod, extensions: [] };
  if (r.isEmpty) {
    sh.extensionsOmitted = true;
    return sh;
  }
  // No minimum here: a TLS 1.2 or older ServerHello may carry an empty or
  // short block (RFC 5246 §7.4.1.3) and must get protocol_version, not
  // decode_error (Appendix D.1); a TLS 1.3 one has supported_versions, 6 bytes.
  sh.extensions = readExtensions(r, 'server_hello', 0, 0xffff, { checkAllowed: false });
  r.end();
  if (findExtension(sh.extensions, 'supported_versions') !== undefined) {
    checkAllowedExtensions(sh.extensions, 'server_hello');
    checkCompression(r, legacyCompressionMethod);
  }
  return sh;
}

function checkCompression(r: Reader, method: number): void {
  // §4.1.3: legacy_compression_method "MUST have the value 0".
  if (method !== 0) throw illegalParameter(`${r.context}: legacy_compression_method must be 0, got ${method}`);
}

/** Writes a ServerHello or HelloRetryRequest body. */
export function writeServerHello(w: Writer, m: ServerHello | HelloRetryRequest): void {
  w.u16(m.legacyVersion, 'legacy_version');
  if (m.type === 'hello_retry_request') {
    w.fixed(HELLO_RETRY_REQUEST_RANDOM, 32, 'random');
  } else {
    if (isHrrRandom(m.random)) throw internalError(`${w.context}: a ServerHello random must not be the HelloRetryRequest value`);
    w.fixed(m.random, 32, 'random');
  }
  w.opaque8('legacy_session_id_echo', m.legacySessionIdEcho, 0, 32);
  w.u16(m.cipherSuite, 'cipher_suite');
  w.u8(m.legacyCompressionMethod, 'legacy_compression_method');
  if (m.type === 'hello_retry_request') {
    writeExtensions(w, 'hello_retry_request', m.extensions, 6, 0xffff);
  } else if (m.extensionsOmitted === true) {
    if (m.extensions.length !== 0) throw internalError(`${w.context}: extensionsOmitted with ${m.extensions.length} extensions`);
  } else {
    writeExtensions(w, 'server_hello', m.extensions, isTls13(m) ? 6 : 0, 0xffff);
  }
}

/** The version a ServerHello or HelloRetryRequest selects: supported_versions if present, else legacy_version (§4.2.1). */
export function selectedVersion(m: ServerHello | HelloRetryRequest): number {
  return findExtension<ServerHelloExtension | HelloRetryRequestExtension, 'supported_versions'>(m.extensions, 'supported_versions')?.selectedVersion ?? m.legacyVersion;
}

/** True when the message negotiates TLS 1.3. */
export function isTls13(m: ServerHello | HelloRetryRequest): boolean {
  return selectedVersion(m) === ProtocolVersion.TLS13;
}
