// ChaCha20-Poly1305 against node:crypto on random keys, nonces, aad and
// lengths; tampering; and a scan of WASM memory for leftover secrets.
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { AuthenticationError, ChaCha20Poly1305 } from '../src/crypto.js';

function nodeSeal(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: pt.length });
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

function nodeOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  const n = sealed.length - 16;
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: n });
  d.setAuthTag(sealed.subarray(n));
  return Buffer.concat([d.update(sealed.subarray(0, n)), d.final()]);
}

const LENGTHS = [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 191, 192, 255, 256, 257, 511, 512, 1000, 65535, 65536, 65537, 70000];

/** Every 16-byte window of `secret` (and `secret` itself) absent from WASM memory. */
function expectNotInMemory(secret: Uint8Array, what: string): void {
  const mem = Buffer.from(getCore().mem.buffer);
  expect(mem.indexOf(Buffer.from(secret)), `${what} in WASM memory`).toBe(-1);
  for (let i = 0; i + 16 <= secret.length; i++) {
    expect(mem.indexOf(Buffer.from(secret.subarray(i, i + 16))), `${what}[${i}..${i + 16}) in WASM memory`).toBe(-1);
  }
}

describe('ChaCha20Poly1305 against node:crypto', () => {
  test('fixed and random lengths 0 to 70,000 with random aad', () => {
    const lengths = [...LENGTHS];
    for (let i = 0; i < 30; i++) lengths.push(randomInt(0, 70_001));
    for (const n of lengths) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const aad = randomBytes(randomInt(0, 100));
      const pt = randomBytes(n);
      const want = nodeSeal(key, nonce, pt, aad);
      const aead = new ChaCha20Poly1305(key);
      const sealed = aead.seal(nonce, pt, aad);
      expect(Buffer.from(sealed).equals(want), `seal length ${n}`).toBe(true);
      expect(Buffer.from(aead.open(nonce, want, aad)).equals(pt), `open length ${n}`).toBe(true);
      aead.dispose();
    }
  });

  test('aad lengths 0 to 70,000, including aad larger than IO', () => {
    const lengths = [...LENGTHS];
    for (let i = 0; i < 10; i++) lengths.push(randomInt(0, 70_001));
    for (const a of lengths) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const aad = randomBytes(a);
      const pt = randomBytes(randomInt(0, a > 60_000 ? 70_000 : 300));
      const aead = new ChaCha20Poly1305(key);
      const sealed = aead.seal(nonce, pt, aad);
      expect(Buffer.from(sealed).equals(nodeSeal(key, nonce, pt, aad)), `aad ${a}, text ${pt.length}`).toBe(true);
      expect(Buffer.from(aead.open(nonce, sealed, aad)).equals(pt)).toBe(true);
      aead.dispose();
    }
  });

  test('around the largest message that fits IO in one call', () => {
    // One call holds key and nonce (64 bytes), aad, text and tag in 65,536 bytes.
    for (const a of [0, 13]) {
      for (const d of [-1, 0, 1]) {
        const n = 65536 - 64 - 16 - a + d;
        const key = randomBytes(32);
        const nonce = randomBytes(12);
        const aad = randomBytes(a);
        const pt = randomBytes(n);
        const aead = new ChaCha20Poly1305(key);
        const sealed = aead.seal(nonce, pt, aad);
        expect(Buffer.from(sealed).equals(nodeSeal(key, nonce, pt, aad)), `aad ${a}, text ${n}`).toBe(true);
        expect(Buffer.from(aead.open(nonce, sealed, aad)).equals(pt)).toBe(true);
        aead.dispose();
      }
    }
  });

  test('sealed data in a SharedArrayBuffer opens like any other', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const pt = randomBytes(70000);
    const want = nodeSeal(key, nonce, pt, new Uint8Array(0));
    const shared = new Uint8Array(new SharedArrayBuffer(want.length));
    shared.set(want);
    const aead = new ChaCha20Poly1305(key);
    expect(Buffer.from(aead.open(nonce, shared)).equals(pt)).toBe(true);
    aead.dispose();
  });

  test('one key for many messages, interleaved with another key', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const a1 = new ChaCha20Poly1305(k1);
    const a2 = new ChaCha20Poly1305(k2);
    for (let i = 0; i < 50; i++) {
      const [a, k] = i % 3 === 0 ? [a2, k2] : [a1, k1];
      const nonce = randomBytes(12);
      const pt = randomBytes(randomInt(0, 3000));
      const aad = randomBytes(randomInt(0, 40));
      expect(Buffer.from(a.seal(nonce, pt, aad)).equals(nodeSeal(k, nonce, pt, aad))).toBe(true);
    }
    a1.dispose();
    a2.dispose();
  });

  test('a flipped bit anywhere in the ciphertext, tag or aad is rejected', () => {
    for (const n of [0, 1, 64, 300, 65536, 70000]) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const aad = randomBytes(20);
      const sealed = nodeSeal(key, nonce, randomBytes(n), aad);
      const aead = new ChaCha20Poly1305(key);
      const positions = [sealed.length - 1, sealed.length - 16, n > 0 ? 0 : sealed.length - 8];
      if (n > 0) positions.push(randomInt(0, n), n - 1);
      for (const pos of positions) {
        const bad = Uint8Array.from(sealed);
        bad[pos]! ^= 1 << randomInt(0, 8);
        expect(() => aead.open(nonce, bad, aad), `length ${n}, byte ${pos}`).toThrow(AuthenticationError);
      }
      const badAad = Uint8Array.from(aad);
      badAad[randomInt(0, 20)]! ^= 0x80;
      expect(() => aead.open(nonce, sealed, badAad)).toThrow(AuthenticationError);
      expect(() => nodeOpen(key, nonce, sealed, aad)).not.toThrow();
      aead.dispose();
    }
  });
});

describe('WASM memory after use', () => {
  test('no copy of the key (or any 16 bytes of it) after seal, open, failed open and dispose', () => {
    for (const n of [0, 100, 5000, 70000]) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const aad = randomBytes(n > 60000 ? 66000 : 30);
      const pt = randomBytes(n);
      const aead = new ChaCha20Poly1305(key);
      const sealed = aead.seal(nonce, pt, aad);
      expectNotInMemory(key, `key after seal (${n})`);
      expect(Buffer.from(aead.open(nonce, sealed, aad)).equals(pt)).toBe(true);
      expectNotInMemory(key, `key after open (${n})`);
      if (n >= 16) expectNotInMemory(pt, `plaintext after open (${n})`);
      sealed[sealed.length - 1]! ^= 1;
      expect(() => aead.open(nonce, sealed, aad)).toThrow(AuthenticationError);
      expectNotInMemory(key, `key after failed open (${n})`);
      aead.dispose();
      expectNotInMemory(key, `key after dispose (${n})`);
    }
  });

  test('dispose() zeroes its own copy, not the caller\'s Buffer', () => {
    const key = randomBytes(32);
    const before = Buffer.from(key);
    new ChaCha20Poly1305(key).dispose();
    expect(key.equals(before)).toBe(true);
  });

  test('the core refuses to decrypt a stream whose tag was not verified', () => {
    const c = getCore();
    const x = c.x as unknown as {
      chachaPolyStart(): void;
      chachaPolyAbsorb(len: number): void;
      chachaPolyVerify(): number;
      chachaPolyDecrypt(len: number): number;
      chachaPolyWipe(): void;
    };
    c.mem.set(randomBytes(44), c.io);
    x.chachaPolyStart();
    c.mem.fill(0xaa, c.io, c.io + 64);
    expect(x.chachaPolyDecrypt(64)).toBe(0);
    expect(c.mem.subarray(c.io, c.io + 64).every((b) => b === 0xaa)).toBe(true);
    x.chachaPolyAbsorb(64);
    c.mem.fill(0, c.io, c.io + 16);
    expect(x.chachaPolyVerify()).toBe(0);
    expect(x.chachaPolyDecrypt(64)).toBe(0);
    x.chachaPolyWipe();
    c.mem.fill(0, c.io, c.io + 64);
  });
});
