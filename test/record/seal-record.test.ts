// The AEADs' record fast path (AeadCipher.sealRecord): the same bytes as the
// generic TLSInnerPlaintext path of RFC 8446 §5.2, and records either path
// seals open on the other. Runs in Node and Chromium (no Buffer).
import { describe, expect, test } from 'vitest';
import { AesGcm } from '../../bindings/aes-gcm.js';
import { ChaCha20Poly1305 } from '../../bindings/chacha20poly1305.js';
import type { AeadCipher } from '../../src/provider.js';
import { RecordProtection } from '../../src/record/protection.js';
import { ContentType } from '../../src/wire/index.js';
import { seededBytes, toHex } from '../helpers/hex.js';

const makers: [string, (key: Uint8Array) => AeadCipher, number][] = [
  ['AES-128-GCM', (k) => new AesGcm(k), 16],
  ['AES-256-GCM', (k) => new AesGcm(k), 32],
  ['ChaCha20-Poly1305', (k) => new ChaCha20Poly1305(k), 32],
];

/** The same AEAD without its fast path: RecordProtection then takes the generic one. */
function withoutFastPath(a: AeadCipher): AeadCipher {
  return { seal: (n, p, d) => a.seal(n, p, d), open: (n, c, d) => a.open(n, c, d), dispose: () => a.dispose() };
}

describe.each(makers)('%s sealRecord', (_name, make, keyLength) => {
  const key = seededBytes(7, keyLength);
  const iv = seededBytes(9, 12);
  const header = Uint8Array.of(23, 3, 3, 0, 0);

  test('equals header || seal(content || type) for lengths around the block sizes and the record limit', () => {
    const a = make(key);
    const nonce = seededBytes(3, 12);
    for (const len of [0, 1, 15, 16, 17, 63, 64, 127, 128, 1000, 16383, 16384]) {
      const content = seededBytes(len, len);
      const inner = new Uint8Array(len + 1);
      inner.set(content);
      inner[len] = ContentType.handshake;
      const slow = a.seal(nonce, inner, header);
      const fast = (a.sealRecord as NonNullable<AeadCipher['sealRecord']>).call(a, nonce, header, content, ContentType.handshake);
      expect(fast.length).toBe(header.length + len + 1 + 16);
      expect(toHex(fast.subarray(0, header.length))).toBe(toHex(header));
      expect(toHex(fast.subarray(header.length))).toBe(toHex(slow));
    }
    a.dispose();
  });

  test('RecordProtection: fast-path records open on the generic path and back, sequence numbers in step', () => {
    const fastWriter = new RecordProtection(make(key), iv);
    const slowWriter = new RecordProtection(withoutFastPath(make(key)), iv);
    const reader = new RecordProtection(withoutFastPath(make(key)), iv);
    for (let i = 0; i < 5; i++) {
      const content = seededBytes(i, 100 * i + 1);
      const fast = fastWriter.seal(ContentType.application_data, content);
      const slow = slowWriter.seal(ContentType.application_data, content);
      expect(toHex(fast)).toBe(toHex(slow));
      const opened = reader.open(fast.subarray(0, 5), fast.subarray(5));
      expect(opened.type).toBe(ContentType.application_data);
      expect(toHex(opened.content)).toBe(toHex(content));
    }
    // A flipped ciphertext bit still fails.
    const bad = fastWriter.seal(ContentType.application_data, seededBytes(1, 10));
    bad[7] = (bad[7] as number) ^ 1;
    expect(() => reader.open(bad.subarray(0, 5), bad.subarray(5))).toThrow(/does not authenticate/);
  });

  test('refuses content over 2^14 bytes and a zero type, like the generic path', () => {
    const w = new RecordProtection(make(key), iv);
    expect(() => w.seal(ContentType.application_data, new Uint8Array(16385))).toThrow(/exceeds 2\^14/);
    expect(() => w.seal(0, new Uint8Array(1))).toThrow(/invalid content type/);
  });
});
