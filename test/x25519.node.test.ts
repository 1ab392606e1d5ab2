// X25519 against node:crypto on random keys, and the wipe test.
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { InvalidKeyError, x25519 } from '../src/crypto.js';
import { findInWasmMemory } from './helpers/memscan.js';

// RFC 8410 DER wrappers around raw X25519 keys.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const privateKeyOf = (sk: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, sk]), format: 'der', type: 'pkcs8' });
const publicKeyOf = (pk: Uint8Array) =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function clamp(sk: Uint8Array): Uint8Array {
  const k = Uint8Array.from(sk);
  k[0]! &= 248;
  k[31] = (k[31]! & 127) | 64;
  return k;
}

describe('x25519 against node:crypto', () => {
  test('public keys and shared secrets of 200 random key pairs', () => {
    for (let i = 0; i < 200; i++) {
      const a = randomBytes(32);
      const b = randomBytes(32);
      const pa = x25519.getPublicKey(a);
      const pb = x25519.getPublicKey(b);
      const nodePa = createPublicKey(privateKeyOf(a)).export({ format: 'der', type: 'spki' }).subarray(12);
      expect(hex(pa)).toBe(hex(nodePa));
      const want = diffieHellman({ privateKey: privateKeyOf(a), publicKey: publicKeyOf(pb) });
      expect(hex(x25519.getSharedSecret(a, pb))).toBe(hex(want));
      expect(hex(x25519.getSharedSecret(b, pa))).toBe(hex(want));
    }
  });
  test('random 32-byte strings as public keys (twist points, top bit set, non-canonical)', () => {
    for (let i = 0; i < 200; i++) {
      const sk = randomBytes(32);
      const pk = randomBytes(32);
      // Every fourth key encodes p + small or 2^255 + small (>= p, top bit set).
      if (i % 4 === 0) pk.fill(0xff, 1);
      let want: Buffer;
      try {
        want = diffieHellman({ privateKey: privateKeyOf(sk), publicKey: publicKeyOf(pk) });
      } catch {
        // OpenSSL refuses an all-zero result (u = 0 or 1 after reduction); so must we.
        expect(() => x25519.getSharedSecret(sk, pk), `pk ${hex(pk)}`).toThrow(InvalidKeyError);
        continue;
      }
      expect(hex(x25519.getSharedSecret(sk, pk)), `pk ${hex(pk)}`).toBe(hex(want));
    }
  });
});

describe('x25519 wipes its secrets', () => {
  test('the scan finds a planted secret (the check can fail)', () => {
    const c = getCore();
    const secret = randomBytes(32);
    c.mem.set(secret.subarray(5, 21), c.io + 1000);
    expect(findInWasmMemory(secret).length).toBe(1);
    c.mem.fill(0, c.io + 1000, c.io + 1016);
    expect(findInWasmMemory(secret)).toEqual([]);
  });
  test('no copy of the secret key or clamped scalar stays in WASM memory', () => {
    for (let i = 0; i < 20; i++) {
      const sk = randomBytes(32);
      const peer = x25519.getPublicKey(randomBytes(32));
      x25519.getPublicKey(sk);
      expect(findInWasmMemory(sk)).toEqual([]);
      expect(findInWasmMemory(clamp(sk))).toEqual([]);
      const shared = x25519.getSharedSecret(sk, peer);
      expect(findInWasmMemory(sk)).toEqual([]);
      expect(findInWasmMemory(clamp(sk))).toEqual([]);
      expect(findInWasmMemory(shared)).toEqual([]);
    }
  });
});
