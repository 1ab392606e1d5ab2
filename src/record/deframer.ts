// Record deframing (RFC 8446 §5.1, §5.2): a byte stream in, TLSPlaintext /
// TLSCiphertext records out, across any fragmentation of the stream.
//
// Each 5-byte header is checked the moment it is complete, while the stream is
// being appended: an unknown content type or a length over the limit stops
// the deframer before a single byte of that record's body is buffered, and
// the bytes after the bad header are dropped. Records before the bad header
// are still delivered by next(); the error is thrown when next() reaches it,
// so an engine sees (say) the peer's alert record before the garbage after it.

import { TlsError } from '../errors.js';
import { ContentType, contentTypeName, MAX_CIPHERTEXT_LENGTH, MAX_PLAINTEXT_LENGTH, RECORD_HEADER_LENGTH } from '../wire/constants.js';
import { FrameAssembler } from './frame-assembler.js';

/** One record as received: `type`, `legacy_record_version`, `length`, `fragment` (§5.1). */
export interface TlsRecord {
  /** ContentType; application_data (23) for every protected record (§5.2 opaque_type). */
  type: number;
  /** legacy_record_version. */
  version: number;
  /** The 5 header bytes: the AEAD additional_data of a protected record (§5.2). */
  header: Uint8Array;
  /** The record body (TLSPlaintext.fragment or TLSCiphertext.encrypted_record). */
  fragment: Uint8Array;
}

/**
 * Splits a TLS byte stream into records.
 *
 * Limits (checked on the header, before the body is buffered):
 * - content type must be change_cipher_spec, alert, handshake or
 *   application_data, else unexpected_message (§5);
 * - length over 2^14 + 256 for application_data (TLSCiphertext, §5.2) or
 *   over 2^14 for the plaintext-only types (TLSPlaintext, §5.1) is
 *   record_overflow;
 * - a zero-length handshake or alert record is decode_error (§5.1: "MUST NOT
 *   send zero-length fragments of Handshake types"; §6: an alert record holds
 *   exactly one alert).
 *
 * legacy_record_version (§5.1) is returned but never checked: §5.1 says it
 * "MUST be ignored for all purposes", and tlsfuzzer and old clients send
 * 0x0300 or 0x0301 where a TLS 1.3 peer writes 0x0303. A peer that does not
 * speak TLS at all is still caught on its first header, by the content type
 * (an HTTP request starts with an ASCII letter, 65..90) or the length, and
 * the error then quotes the bytes so the cause is plain.
 *
 * @example
 * const d = new RecordDeframer();
 * d.push(chunk);
 * for (let rec = d.next(); rec; rec = d.next()) handle(rec);
 */
export class RecordDeframer {
  readonly #frames = new FrameAssembler(RECORD_HEADER_LENGTH, (h) => {
    const length = ((h[3] as number) << 8) | (h[4] as number);
    return checkHeader(h, length) ?? length;
  });

  /** Bytes held: complete records not yet taken, plus a partial one. */
  get bufferedBytes(): number {
    return this.#frames.bufferedBytes;
  }

  /**
   * Appends bytes from the transport (copied). Never throws; a bad header is
   * reported by {@link RecordDeframer.next}. Bytes pushed after a failure are
   * dropped.
   */
  push(chunk: Uint8Array): void {
    this.#frames.push(chunk);
  }

  /**
   * The next complete record, or undefined when more bytes are needed.
   * Throws the TlsError of a bad header once every record before it has been
   * taken, and keeps throwing it.
   */
  next(): TlsRecord | undefined {
    const record = this.#frames.take();
    if (record === undefined) return undefined;
    const header = record.subarray(0, RECORD_HEADER_LENGTH);
    const fragment = record.subarray(RECORD_HEADER_LENGTH);
    const type = header[0] as number;
    const version = ((header[1] as number) << 8) | (header[2] as number);
    return { type, version, header, fragment };
  }

  /** Drops (and zeroes) everything buffered; the deframer stays failed if it had failed. */
  clear(): void {
    this.#frames.clear();
  }
}

function checkHeader(h: Uint8Array, length: number): TlsError | undefined {
  const type = h[0] as number;
  switch (type) {
    case ContentType.application_data:
      if (length > MAX_CIPHERTEXT_LENGTH) {
        return new TlsError('record_overflow', `Record: application_data record of ${length} bytes exceeds 2^14 + 256 = ${MAX_CIPHERTEXT_LENGTH} (RFC 8446 §5.2)`);
      }
      return undefined;
    case ContentType.handshake:
    case ContentType.alert:
      if (length === 0) return new TlsError('decode_error', `Record: empty ${contentTypeName(type)} record (RFC 8446 §5.1)`);
      return checkPlaintextLength(type, length);
    case ContentType.change_cipher_spec:
      return checkPlaintextLength(type, length);
    default:
      return new TlsError('unexpected_message', `Record: unknown content type ${type} (RFC 8446 §5)${notTlsHint(h)}`);
  }
}

/** Why a header with an unknown content type is not TLS, when the bytes say so. */
function notTlsHint(h: Uint8Array): string {
  if (h.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a)) {
    const text = String.fromCharCode(...h).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    return `; the peer sent text ("${text}"), not a TLS record: it speaks a plain-text protocol such as HTTP on this port (for a plain-text server use http://, else check the port)`;
  }
  // SSL 2.0 record: 2-byte length with the top bit set, then msg_type 1 (RFC 6101 Appendix E.2).
  if (((h[0] as number) & 0x80) !== 0 && h[2] === 1) return '; this is an SSL 2.0 ClientHello, which TLS 1.3 does not accept (RFC 8446 Appendix D.5)';
  return '';
}

function checkPlaintextLength(type: number, length: number): TlsError | undefined {
  if (length <= MAX_PLAINTEXT_LENGTH) return undefined;
  return new TlsError('record_overflow', `Record: ${contentTypeName(type)} record of ${length} bytes exceeds 2^14 = ${MAX_PLAINTEXT_LENGTH} (RFC 8446 §5.1)`);
}
