// Record protection (RFC 8446 §5.2-§5.5): nonce = iv xor seq over all 64
// bits, additional data = header, padding, limits, wrap refusal, alerts.
import { describe, expect, test } from 'vitest';
import { TlsError } from '../../src/errors.js';
import type { AeadCipher } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { defaultRecordLimit, RecordProtection } from '../../src/record/protection.js';
import { fromHex, toHex, utf8 } from '../helpers/hex.js';

const KEY = fromHex('000102030405060708090a0b0c0d0e0f');
const IV = fromHex('a0a1a2a3a4a5a6a7a8a9aaab');

/** An AEAD that records the nonces and AAD it sees, over AES-128-GCM. */
function spy(): { aead: AeadCipher; nonces: string[]; aads: string[] } {
  const inner = wasmProvider.aead(0x1301, KEY);
  const nonces: string[] = [];
  const aads: string[] = [];
  return {
    nonces,
    aads,
    aead: {
      seal: (n, p, a) => (nonces.push(toHex(n)), aads.push(toHex(a)), inner.seal(n, p, a)),
      open: (n, c, a) => (nonces.push(toHex(n)), aads.push(toHex(a)), inner.open(n, c, a)),
      dispose: () => inner.dispose(),
    },
  };
}

function pairAt(hi = 0, lo = 0, limit?: number): [RecordProtection, RecordProtection, ReturnType<typeof spy>] {
  const s = spy();
  const w = RecordProtection.withSequence(new RecordProtection(s.aead, IV, limit), hi, lo);
  const r = RecordProtection.withSequence(new RecordProtection(wasmProvider.aead(0x1301, KEY), IV, limit), hi, lo);
  return [w, r, s];
}

function alertOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlsError) return e.alert;
    throw e;
  }
  return 'none';
}

describe('RecordProtection', () => {
  test('nonce is the IV xor the 64-bit sequence number, AAD the record header', () => {
    const [w, r, s] = pairAt(0x01020304, 0xfffffffe);
    for (const text of ['a', 'bb', 'ccc']) {
      const rec = w.seal(23, utf8(text));
      expect(toHex(r.open(rec.subarray(0, 5), rec.subarray(5)).content)).toBe(toHex(utf8(text)));
    }
    // IV bytes 4..11 a4..ab xor 01020304 fffffffe, then ... ffffffff, then 01020305 00000000.
    expect(s.nonces).toEqual(['a0a1a2a3a5a7a5a357565555', 'a0a1a2a3a5a7a5a357565554', 'a0a1a2a3a5a7a5a2a8a9aaab']);
    // 1 content byte + type + 16-byte tag.
    expect(s.aads[0]).toBe('1703030012');
    expect(w.sequence).toBe(0x01020305 * 2 ** 32 + 1);
  });

  test('inner content type and zero padding', () => {
    const [w, r] = pairAt();
    const rec = w.seal(22, utf8('hs'), 10);
    expect(rec.length).toBe(5 + 2 + 1 + 10 + 16);
    expect(r.open(rec.subarray(0, 5), rec.subarray(5))).toEqual({ type: 22, content: utf8('hs') });
  });

  test('a modified record, a wrong header or a replay is bad_record_mac', () => {
    const [w, r] = pairAt();
    const rec = w.seal(23, utf8('data'));
    const bad = rec.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    expect(alertOf(() => r.open(bad.subarray(0, 5), bad.subarray(5)))).toBe('bad_record_mac');
    expect(alertOf(() => r.open(Uint8Array.of(23, 3, 1, 0, 21), rec.subarray(5)))).toBe('bad_record_mac');
    r.open(rec.subarray(0, 5), rec.subarray(5));
    expect(alertOf(() => r.open(rec.subarray(0, 5), rec.subarray(5)))).toBe('bad_record_mac');
    expect(alertOf(() => r.open(Uint8Array.of(23, 3, 3, 0, 16), new Uint8Array(16)))).toBe('bad_record_mac');
  });

  test('inner plaintext over 2^14 + 1 bytes is record_overflow; no content type is unexpected_message', () => {
    const aead = wasmProvider.aead(0x1301, KEY);
    const r = new RecordProtection(wasmProvider.aead(0x1301, KEY), IV);
    const inner = new Uint8Array(16386).fill(1);
    const header = Uint8Array.of(23, 3, 3, (16386 + 16) >> 8, (16386 + 16) & 0xff);
    expect(alertOf(() => r.open(header, aead.seal(IV, inner, header)))).toBe('record_overflow');
    const r2 = new RecordProtection(wasmProvider.aead(0x1301, KEY), IV);
    const zeros = Uint8Array.of(23, 3, 3, 0, 26);
    expect(alertOf(() => r2.open(zeros, aead.seal(IV, new Uint8Array(10), zeros)))).toBe('unexpected_message');
  });

  test('the sequence number never wraps', () => {
    const [w] = pairAt(0xffffffff, 0xfffffffe);
    w.seal(23, utf8('x'));
    w.seal(23, utf8('y')); // sequence number 2^64 - 1 is the last one
    expect(w.exhausted).toBe(true);
    expect(alertOf(() => w.seal(23, utf8('z')))).toBe('internal_error');
  });

  test('exhausted at the configured record limit (RFC 8446 §5.5)', () => {
    const [w] = pairAt(0, 0, 3);
    for (let i = 0; i < 3; i++) {
      expect(w.exhausted).toBe(false);
      w.seal(23, utf8('x'));
    }
    expect(w.exhausted).toBe(true);
    expect(defaultRecordLimit(0x1301)).toBe(Math.floor(2 ** 24.5));
    expect(defaultRecordLimit(0x1302)).toBe(Math.floor(2 ** 24.5));
    expect(defaultRecordLimit(0x1303)).toBe(Number.MAX_SAFE_INTEGER);
  });

  test('dispose wipes; later use is an internal error', () => {
    const [w] = pairAt();
    w.dispose();
    expect(alertOf(() => w.seal(23, utf8('x')))).toBe('internal_error');
  });
});
