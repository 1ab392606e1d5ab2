// AES-GCM against node:crypto on random keys, nonces, aad and lengths, and a
// scan of WASM memory for key material after every operation.
import { createCipheriv, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { AesGcm, AuthenticationError } from '../src/crypto.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function nodeSeal(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-128-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 112, 127, 128, 129, 255, 256, 1000, 65519, 65520, 65535, 65536, 65537, 70000];

describe.each([16, 24, 32])('AES-%i-byte-key GCM against node:crypto', (keyLen) => {
  test('lengths 0 to 70,000 with random keys, nonces and aad', () => {
    const all = [...lengths];
    for (let i = 0; i < 30; i++) all.push(randomInt(0, 70_001));
    for (const n of all) {
      const key = randomBytes(keyLen);
      const nonce = randomBytes(12);
      const pt = randomBytes(n);
      const aad = randomBytes(randomInt(0, 100));
      const aead = new AesGcm(key);
      const sealed = aead.seal(nonce, pt, aad);
      expect(hex(sealed), `length ${n}`).toBe(nodeSeal(key, nonce, pt, aad).toString('hex'));
      expect(hex(aead.open(nonce, sealed, aad)), `length ${n}`).toBe(hex(pt));
      aead.dispose();
    }
  });

  test('aad of any length up to 140,000 bytes, and nonces of other lengths', () => {
    for (const [aadLen, nonceLen] of [
      [0, 1], [13, 8], [16, 16], [17, 60], [65535, 12], [65536, 12], [65537, 100], [140_000, 13], [randomInt(0, 5000), 128], // node:crypto takes nonces up to 128 bytes
    ] as const) {
      const key = randomBytes(keyLen);
      const nonce = randomBytes(nonceLen);
      const aad = randomBytes(aadLen);
      for (const n of [0, 5, 200, 70_000]) {
        const pt = randomBytes(n);
        const aead = new AesGcm(key);
        const sealed = aead.seal(nonce, pt, aad);
        expect(hex(sealed), `aad ${aadLen} nonce ${nonceLen} length ${n}`).toBe(nodeSeal(key, nonce, pt, aad).toString('hex'));
        expect(hex(aead.open(nonce, sealed, aad))).toBe(hex(pt));
        aead.dispose();
      }
    }
  });

  test('every flipped bit of a tag, and flips in the ciphertext, are rejected', () => {
    for (const n of [0, 16, 100, 70_000]) {
      const key = randomBytes(keyLen);
      const nonce = randomBytes(12);
      const aead = new AesGcm(key);
      const sealed = nodeSeal(key, nonce, randomBytes(n), new Uint8Array(0));
      for (let bit = 0; bit < 128; bit++) {
        const bad = Uint8Array.from(sealed);
        bad[n + (bit >> 3)]! ^= 1 << (bit & 7);
        expect(() => aead.open(nonce, bad)).toThrow(AuthenticationError);
      }
      if (n > 0) {
        const bad = Uint8Array.from(sealed);
        bad[randomInt(0, n)]! ^= 1 << randomInt(0, 8);
        expect(() => aead.open(nonce, bad)).toThrow(AuthenticationError);
      }
      aead.dispose();
    }
  });
});

/** True when any `window`-byte run of `needle` occurs in `hay`. */
function containsWindow(hay: Uint8Array, needle: Uint8Array, window: number): boolean {
  const h = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  for (let i = 0; i + window <= needle.length; i++) {
    if (h.indexOf(Buffer.from(needle.subarray(i, i + window))) !== -1) return true;
  }
  return false;
}

describe('WASM memory holds no key material after an operation', () => {
  test.each([16, 24, 32])('%i-byte key: key, round key 0 and H are wiped after seal, open, failed open and dispose', (keyLen) => {
    const mem = getCore().mem;
    // A key without long runs of equal bytes, so a window cannot match zeros.
    const key = randomBytes(keyLen);
    const ecb = createCipheriv(`aes-${keyLen * 8}-ecb` as 'aes-128-ecb', key, null);
    const h = Buffer.concat([ecb.update(new Uint8Array(16)), ecb.final()]);
    const hReversed = Uint8Array.from(h).reverse();
    const check = (when: string): void => {
      // Round key 0 is the first 16 key bytes, and the rest of a 24- or
      // 32-byte key opens round key 1 (FIPS 197 §5.2); any 8-byte window of the
      // key, and any of H in either byte order, would be a leak.
      expect(containsWindow(mem, key, 8), `key after ${when}`).toBe(false);
      expect(containsWindow(mem, h, 8), `H after ${when}`).toBe(false);
      expect(containsWindow(mem, hReversed, 8), `H (R form) after ${when}`).toBe(false);
    };
    const x = getCore().x as unknown as { gcmCtxPtr(): number; gcmCtxSize(): number };
    const ctx = mem.subarray(x.gcmCtxPtr(), x.gcmCtxPtr() + x.gcmCtxSize());
    const aead = new AesGcm(key);
    check('constructor');
    const nonce = randomBytes(12);
    for (const n of [0, 20, 70_000]) {
      const aad = randomBytes(30);
      const sealed = aead.seal(nonce, randomBytes(n), aad);
      check(`seal ${n}`);
      expect(ctx.every((b) => b === 0)).toBe(true);
      aead.open(nonce, sealed, aad);
      check(`open ${n}`);
      expect(() => aead.open(nonce, sealed, new Uint8Array(1))).toThrow(AuthenticationError);
      check(`failed open ${n}`);
      expect(ctx.every((b) => b === 0)).toBe(true);
    }
    aead.dispose();
    check('dispose');
  });
});
