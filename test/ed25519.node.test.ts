// Ed25519 against node:crypto on random keys and messages, and the wipe test.
import { createHash, createPrivateKey, createPublicKey, randomBytes, randomInt, sign, verify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ed25519 } from '../src/crypto.js';
import { findInWasmMemory } from './helpers/memscan.js';

// RFC 8410 DER wrappers around raw Ed25519 keys.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const privateKeyOf = (seed: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
const publicKeyOf = (pk: Uint8Array) =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ed25519 against node:crypto', () => {
  test('public keys, signatures and verification on 100 random keys and messages', () => {
    for (let i = 0; i < 100; i++) {
      const seed = randomBytes(32);
      const msg = randomBytes(i < 5 ? randomInt(65_000, 140_000) : randomInt(0, 2000));
      const nodeSk = privateKeyOf(seed);
      const pk = ed25519.getPublicKey(seed);
      expect(hex(pk)).toBe(hex(createPublicKey(nodeSk).export({ format: 'der', type: 'spki' }).subarray(12)));
      const sig = ed25519.sign(msg, seed);
      expect(hex(sig)).toBe(hex(sign(null, msg, nodeSk)));
      expect(verify(null, msg, publicKeyOf(pk), sig)).toBe(true);
      expect(ed25519.verify(sig, msg, pk)).toBe(true);
    }
  });
  test('both reject the same corrupted signatures, keys and messages', () => {
    for (let i = 0; i < 100; i++) {
      const seed = randomBytes(32);
      const msg = randomBytes(randomInt(1, 300));
      const pk = ed25519.getPublicKey(seed);
      const sig = ed25519.sign(msg, seed);
      const badSig = Uint8Array.from(sig);
      badSig[randomInt(0, 64)]! ^= 1 << randomInt(0, 8);
      const badMsg = Uint8Array.from(msg);
      badMsg[randomInt(0, msg.length)]! ^= 1 << randomInt(0, 8);
      expect(ed25519.verify(badSig, msg, pk)).toBe(verify(null, msg, publicKeyOf(pk), badSig));
      expect(ed25519.verify(sig, badMsg, pk)).toBe(false);
      // A random 32-byte string is a valid public key about half the time.
      const otherPk = randomBytes(32);
      let nodeSays = false;
      try {
        nodeSays = verify(null, msg, publicKeyOf(otherPk), sig);
      } catch {
        nodeSays = false;
      }
      expect(ed25519.verify(sig, msg, otherPk)).toBe(nodeSays);
    }
  });
  test('verifies signatures made by node:crypto', () => {
    for (let i = 0; i < 50; i++) {
      const seed = randomBytes(32);
      const nodeSk = privateKeyOf(seed);
      const msg = randomBytes(randomInt(0, 500));
      const sig = sign(null, msg, nodeSk);
      expect(ed25519.verify(sig, msg, ed25519.getPublicKey(seed))).toBe(true);
    }
  });
});

// RFC 8032 §5.1.6 pieces, recomputed here to know what must not stay in memory.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
function leToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}
function bigToLe(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++, v >>= 8n) out[i] = Number(v & 255n);
  return out;
}

describe('ed25519 wipes its secrets', () => {
  test('no copy of the seed, expanded scalar, prefix or nonce stays in WASM memory', () => {
    for (let i = 0; i < 10; i++) {
      const seed = randomBytes(32);
      const msg = randomBytes(i < 2 ? 100_000 : 100);
      const h = createHash('sha512').update(seed).digest();
      const s = Uint8Array.from(h.subarray(0, 32));
      s[0]! &= 248;
      s[31] = (s[31]! & 127) | 64;
      const prefix = h.subarray(32);
      const r = bigToLe(leToBig(createHash('sha512').update(prefix).update(msg).digest()) % L, 32);
      const secrets = { seed, s, prefix, r };
      ed25519.getPublicKey(seed);
      for (const [name, v] of Object.entries(secrets)) expect(findInWasmMemory(v), `${name} after getPublicKey`).toEqual([]);
      ed25519.sign(msg, seed);
      for (const [name, v] of Object.entries(secrets)) expect(findInWasmMemory(v), `${name} after sign`).toEqual([]);
    }
  });
});
