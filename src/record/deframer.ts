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
 * legacy_record_version (§5.1) is checked when the record is delivered. The
 * RFC says to ignore it; wasmtls instead uses it as a sanity check that the
 * peer speaks TLS at all, answering protocol_version unless it is 0x0303, or
 * 0x0300 to 0x0302 during the initial phase. The initial phase covers the first
 * ClientHello (which §5.1 lets clients send at 0x0301, and RFC 5246 §E.1 at any
 * {03,XX}, typically 0x0300, as tlsfuzzer does) and, on a client, the
 * server's first flight, so that an old server's 0x0301 alert is reported as
 * the peer's alert. The engine calls {@link RecordDeframer.endInitialPhase}
 * once the first ClientHello (server) or ServerHello (client) is processed.
 *
 * @example
 * const d = new RecordDeframer();
 * d.push(chunk);
 * for (let rec = d.next(); rec; rec = d.next()) handle(rec);
 */
export class RecordDeframer {
  readonly #frames = new FrameAssembler(RECORD_HEADER_LENGTH, (h) => {
    const length = ((h[3] as number) << 8) | (h[4] as number);
    return checkHeader(h[0] as number, length) ?? length;
  });
  #initial = true;

  /** Bytes held: complete records not yet taken, plus a partial one. */
  get bufferedBytes(): number {
    return this.#frames.bufferedBytes;
  }

  /** True while 0x0300 to 0x0302 are still accepted as legacy_record_version. */
  get inInitialPhase(): boolean {
    return this.#initial;
  }

  /** From now on only legacy_record_version 0x0303 is accepted (§5.1). */
  endInitialPhase(): void {
    this.#initial = false;
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
    this.#checkVersion(type, version);
    return { type, version, header, fragment };
  }

  /** Drops (and zeroes) everything buffered; the deframer stays failed if it had failed. */
  clear(): void {
    this.#frames.clear();
  }

  #checkVersion(type: number, version: number): void {
    if (version === 0x0303 || (this.#initial && version >= 0x0300 && version <= 0x0302)) return;
    const allowed = this.#initial ? '0x0300 to 0x0303' : '0x0303';
    const error = new TlsError(
      'protocol_version',
      `Record: ${contentTypeName(type)} record with legacy_record_version 0x${version.toString(16).padStart(4, '0')}, expected ${allowed} (RFC 8446 §5.1)`,
    );
    this.#frames.fail(error);
    throw error;
  }
}

function checkHeader(type: number, length: number): TlsError | undefined {
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
      return new TlsError('unexpected_message', `Record: unknown content type ${type} (RFC 8446 §5)`);
  }
}

function checkPlaintextLength(type: number, length: number): TlsError | undefined {
  if (length <= MAX_PLAINTEXT_LENGTH) return undefined;
  return new TlsError('record_overflow', `Record: ${contentTypeName(type)} record of ${length} bytes exceeds 2^14 = ${MAX_PLAINTEXT_LENGTH} (RFC 8446 §5.1)`);
}
