// After each operation the WASM core holds no copy of the key material it was
// given or derived (HMAC keys and their padded forms, HKDF PRKs and output).
import { describe, expect, test } from 'vitest';
import { hkdfExpand, hkdfExtract, hmac, sha256, sha512 } from '../src/crypto.js';
import { findInWasmMemory, xorPad } from './helpers/memscan.js';

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

describe('no secrets left in WASM memory', () => {
  test.each(['sha256', 'sha384', 'sha512'] as const)('HMAC-%s key, ipad and opad forms', (hash) => {
    for (const keyLen of [16, 32, 64, 100, 200]) {
      const key = random(keyLen);
      hmac(hash, key, random(1000));
      expect(findInWasmMemory(key)).toEqual([]);
      expect(findInWasmMemory(xorPad(key, 0x36))).toEqual([]);
      expect(findInWasmMemory(xorPad(key, 0x5c))).toEqual([]);
    }
  });
  test('HMAC over data larger than the IO buffer', () => {
    const key = random(32);
    hmac('sha256', key, random(200_000));
    expect(findInWasmMemory(key)).toEqual([]);
  });
  test.each(['sha256', 'sha384'] as const)('HKDF-%s ikm, PRK and output', (hash) => {
    const ikm = random(32);
    const prk = hkdfExtract(hash, random(32), ikm);
    const okm = hkdfExpand(hash, prk, random(20), 200);
    for (const secret of [ikm, prk, okm]) expect(findInWasmMemory(secret)).toEqual([]);
  });
  test('hashing leaves neither input nor state behind', () => {
    const data = random(5000);
    sha256(data);
    sha512(data);
    const h = sha256.create().update(data);
    expect(findInWasmMemory(data)).toEqual([]);
    h.digest();
    expect(findInWasmMemory(data)).toEqual([]);
  });
});
