// Outgoing record framing (RFC 8446 §5.1): split a payload into records of at
// most 2^14 bytes and prepend the 5-byte header.

import { internalError } from '../errors.js';
import { MAX_CIPHERTEXT_LENGTH, MAX_PLAINTEXT_LENGTH, RECORD_HEADER_LENGTH } from '../wire/constants.js';

/**
 * The 5-byte record header `type || legacy_record_version || length` (§5.1);
 * for a protected record it is also the AEAD additional_data (§5.2).
 * @example recordHeader(ContentType.application_data, 0x0303, ciphertext.length)
 */
export function recordHeader(type: number, version: number, length: number): Uint8Array {
  if (length > MAX_CIPHERTEXT_LENGTH) throw internalError(`Record: ${length} bytes exceed 2^14 + 256`);
  return Uint8Array.of(type, version >>> 8, version & 0xff, length >>> 8, length & 0xff);
}

/**
 * Frames `data` as one or more plaintext records of at most `maxFragment`
 * bytes each (default 2^14, §5.1). Handshake data may be split anywhere;
 * empty data yields no record (§5.1 forbids zero-length handshake fragments).
 * @example transport.write(frameRecords(ContentType.handshake, clientHello, 0x0301))
 */
export function frameRecords(type: number, data: Uint8Array, version = 0x0303, maxFragment = MAX_PLAINTEXT_LENGTH): Uint8Array {
  if (!Number.isInteger(maxFragment) || maxFragment < 1 || maxFragment > MAX_PLAINTEXT_LENGTH) {
    throw internalError(`Record: maxFragment must be in 1..2^14, got ${maxFragment}`);
  }
  const count = Math.ceil(data.length / maxFragment);
  const out = new Uint8Array(data.length + count * RECORD_HEADER_LENGTH);
  let at = 0;
  for (let off = 0; off < data.length; off += maxFragment) {
    const piece = data.subarray(off, Math.min(off + maxFragment, data.length));
    out.set(recordHeader(type, version, piece.length), at);
    out.set(piece, at + RECORD_HEADER_LENGTH);
    at += RECORD_HEADER_LENGTH + piece.length;
  }
  return out;
}
