// TLSInnerPlaintext (RFC 8446 §5.2, §5.4).
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import { decodeInnerPlaintext, encodeInnerPlaintext } from '../../src/record/index.js';
import { fromHex, toHex } from '../helpers/hex.js';

describe('TLSInnerPlaintext', () => {
  test('content || type || zeros round-trips', () => {
    const inner = encodeInnerPlaintext(fromHex('0102'), 22, 3);
    expect(toHex(inner)).toBe('010216000000');
    const { type, content } = decodeInnerPlaintext(inner);
    expect(type).toBe(22);
    expect(toHex(content)).toBe('0102');
    expect(decodeInnerPlaintext(fromHex('17')).content.length).toBe(0);
  });

  test('all zeros is unexpected_message; over 2^14 + 1 is record_overflow', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof TlsError ? e.alert : String(e);
      }
      return 'accepted';
    };
    expect(err(() => decodeInnerPlaintext(new Uint8Array(5)))).toBe('unexpected_message');
    expect(err(() => decodeInnerPlaintext(new Uint8Array(0)))).toBe('unexpected_message');
    const max = new Uint8Array(16385);
    max[16384] = 23;
    expect(decodeInnerPlaintext(max).content.length).toBe(16384);
    expect(err(() => decodeInnerPlaintext(new Uint8Array(16386).fill(1)))).toBe('record_overflow');
    expect(err(() => encodeInnerPlaintext(new Uint8Array(16384), 23, 1))).toBe('internal_error');
    expect(err(() => encodeInnerPlaintext(new Uint8Array(1), 0))).toBe('internal_error');
  });
});
