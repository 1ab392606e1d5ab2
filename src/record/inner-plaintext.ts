// TLSInnerPlaintext (RFC 8446 §5.2, §5.4): content || ContentType || zeros,
// the plaintext a protected record's AEAD seals.

import { internalError, TlsError } from '../errors.js';
import { MAX_PLAINTEXT_LENGTH } from '../wire/constants.js';

/**
 * Builds `content || type || zeros[padding]` (§5.2) for sealing.
 * content is at most 2^14 bytes and the whole at most 2^14 + 1 (§5.2, §5.4).
 * @example const inner = encodeInnerPlaintext(handshakeBytes, ContentType.handshake)
 */
export function encodeInnerPlaintext(content: Uint8Array, type: number, padding = 0): Uint8Array {
  checkInnerPlaintext(content.length, type, padding);
  const out = new Uint8Array(content.length + 1 + padding);
  out.set(content);
  out[content.length] = type;
  return out;
}

/**
 * The limits of {@link encodeInnerPlaintext} (content at most 2^14 bytes, the
 * whole at most 2^14 + 1, a non-zero type byte), for callers that assemble
 * the inner plaintext elsewhere (an AEAD's record fast path).
 */
export function checkInnerPlaintext(contentLength: number, type: number, padding = 0): void {
  if (contentLength > MAX_PLAINTEXT_LENGTH) throw internalError(`TLSInnerPlaintext: content of ${contentLength} bytes exceeds 2^14`);
  if (!Number.isInteger(padding) || padding < 0 || contentLength + 1 + padding > MAX_PLAINTEXT_LENGTH + 1) {
    throw internalError(`TLSInnerPlaintext: ${padding} padding bytes take it past 2^14 + 1 bytes`);
  }
  if (!Number.isInteger(type) || type <= 0 || type > 255) throw internalError(`TLSInnerPlaintext: invalid content type ${type}`);
}

/**
 * Splits a decrypted TLSInnerPlaintext into its type and content: the type is
 * the last non-zero byte (§5.4). More than 2^14 + 1 bytes is record_overflow
 * (§5.2); no non-zero byte is unexpected_message (§5.4). The scan runs over
 * the padding, so its time reveals the padding length, as §5.4 notes; the
 * content is not inspected.
 * @example const { type, content } = decodeInnerPlaintext(aeadOpen(...))
 */
export function decodeInnerPlaintext(plaintext: Uint8Array): { type: number; content: Uint8Array } {
  if (plaintext.length > MAX_PLAINTEXT_LENGTH + 1) {
    throw new TlsError('record_overflow', `TLSInnerPlaintext of ${plaintext.length} bytes exceeds 2^14 + 1 (RFC 8446 §5.2)`);
  }
  let i = plaintext.length - 1;
  while (i >= 0 && plaintext[i] === 0) i--;
  if (i < 0) throw new TlsError('unexpected_message', 'TLSInnerPlaintext: no non-zero content type byte (RFC 8446 §5.4)');
  const type = plaintext[i] as number;
  return { type, content: plaintext.subarray(0, i) };
}
