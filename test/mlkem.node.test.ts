// ML-KEM-768 against @noble/post-quantum (an independent implementation) on
// random seeds, messages and tampered ciphertexts, and the WASM memory scan:
// no seed, message, secret key part or shared secret left in the core.
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { describe, expect, test } from 'vitest';
import { mlkem768 } from '../src/crypto.js';
import { toHex } from './helpers/hex.js';
import { findInWasmMemory } from './helpers/memscan.js';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('ML-KEM-768 vs @noble/post-quantum', () => {
  test('keygen, encapsulate and decapsulate agree on 200 random inputs', () => {
    for (let i = 0; i < 200; i++) {
      const seed = random(64);
      const ours = mlkem768.keygen(seed);
      const theirs = ml_kem768.keygen(seed);
      expect(toHex(ours.publicKey), `seed ${toHex(seed)}`).toBe(toHex(theirs.publicKey));
      expect(toHex(ours.secretKey)).toBe(toHex(theirs.secretKey));
      const m = random(32);
      const enc = mlkem768.encapsulate(ours.publicKey, m);
      const ref = ml_kem768.encapsulate(ours.publicKey, m);
      expect(toHex(enc.ciphertext)).toBe(toHex(ref.cipherText));
      expect(toHex(enc.sharedSecret)).toBe(toHex(ref.sharedSecret));
      expect(toHex(mlkem768.decapsulate(enc.ciphertext, ours.secretKey))).toBe(toHex(enc.sharedSecret));
      // Implicit rejection: a tampered ciphertext gives J(z ‖ c) in both.
      const bad = enc.ciphertext.slice();
      bad[i * 5]! ^= 0x80 >> (i % 8);
      expect(toHex(mlkem768.decapsulate(bad, ours.secretKey))).toBe(toHex(ml_kem768.decapsulate(bad, ours.secretKey)));
      // Random ciphertext bytes (any 1088 bytes are a ciphertext).
      const noise = random(1088);
      expect(toHex(mlkem768.decapsulate(noise, ours.secretKey))).toBe(toHex(ml_kem768.decapsulate(noise, ours.secretKey)));
    }
  });
  test('noble-generated keys encapsulate to us and decapsulate our ciphertexts', () => {
    for (let i = 0; i < 20; i++) {
      const theirs = ml_kem768.keygen();
      const enc = mlkem768.encapsulate(theirs.publicKey);
      expect(toHex(ml_kem768.decapsulate(enc.ciphertext, theirs.secretKey))).toBe(toHex(enc.sharedSecret));
      const ref = ml_kem768.encapsulate(theirs.publicKey);
      expect(toHex(mlkem768.decapsulate(ref.cipherText, theirs.secretKey))).toBe(toHex(ref.sharedSecret));
    }
  });
});

describe('ML-KEM-768 leaves no secret in WASM memory', () => {
  // Scanned after each operation on its own: the three share scratch, so a
  // later call would wipe what an earlier one left.
  const clean = (secrets: Record<string, Uint8Array>) => {
    for (const [name, s] of Object.entries(secrets)) expect(findInWasmMemory(s), name).toEqual([]);
  };
  test('keygen: d, z and dk_PKE', () => {
    const seed = random(64);
    const { secretKey } = mlkem768.keygen(seed);
    clean({ d: seed.subarray(0, 32), z: seed.subarray(32), dkPke: secretKey.subarray(0, 1152) });
  });
  test('encapsulate: m and K', () => {
    const { publicKey } = mlkem768.keygen();
    const m = random(32);
    const { sharedSecret } = mlkem768.encapsulate(publicKey, m);
    clean({ m, sharedSecret });
  });
  test('decapsulate: dk_PKE, z, K and the rejection secret', () => {
    const seed = random(64);
    const { publicKey, secretKey } = mlkem768.keygen(seed);
    const { ciphertext } = mlkem768.encapsulate(publicKey);
    const k = mlkem768.decapsulate(ciphertext, secretKey);
    clean({ dkPke: secretKey.subarray(0, 1152), z: seed.subarray(32), k });
    const bad = ciphertext.slice();
    bad[0]! ^= 1;
    const rejection = mlkem768.decapsulate(bad, secretKey);
    clean({ dkPke: secretKey.subarray(0, 1152), z: seed.subarray(32), rejection });
  });
});
